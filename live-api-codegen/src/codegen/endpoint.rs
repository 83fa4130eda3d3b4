//! Per endpoint: the request type, the response type, the error-code enum, the `Endpoint` impl
//! that ties them to the wire path and quota group, and the client method.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Options, codes, docs, ident, types};
use crate::model::{Api, Endpoint};

pub fn endpoint(api: &Api, e: &Endpoint, options: &Options) -> TokenStream {
    let req = ident(&e.rust_name);
    let resp = ident(&e.response_name());
    let code = ident(&e.code_name());
    let method = ident(&e.method);
    let path = e.path();
    let title = format!("`{}/{}`", e.service, e.command);
    let facts = format!(
        "*`POST {path}`; rate limit {} calls per second, quota group `{}`{}. [Documentation]({}).*",
        e.rate.calls_per_second,
        e.rate.quota_group,
        if e.idempotent { "; idempotent" } else { "" },
        e.doc_url
    );
    let mut notes = e.notes.as_ref().map(|n| format!("\n\n{n}")).unwrap_or_default();
    if let Some(x) = e.examples.first() {
        notes
            .push_str(&format!("\n\n# Example\n\nThe documented request ({}):\n\n```json\n{}\n```", x.name, x.request));
    }
    let req_doc = docs::attrs(&format!(
        "Request of {title}: {}.\n\n{}\n\n{facts}\n\nSend it with [`Client::{}`](crate::Client::{}); \
         answers [`{}`], fails with [`{}`].{notes}",
        e.title,
        e.description,
        e.method,
        e.method,
        e.response_name(),
        e.code_name()
    ));
    let resp_doc = docs::attrs(&format!("Answer of {title} ({}).", e.title));
    let request = types::object(api, &e.rust_name, req_doc, &e.request);
    let response = types::object(api, &e.response_name(), resp_doc, &e.response);
    let codes = codes::endpoint_enum(api, &code, &title, &e.errors);
    let (service, command) = (&e.service, &e.command);
    let (group, cps, idem) = (&e.rate.quota_group, e.rate.calls_per_second, e.idempotent);
    let response_key = match &e.response_key {
        Some(k) => quote!(Some(#k)),
        None => quote!(None),
    };
    let client = &options.client;
    let method_doc = docs::attrs(&format!(
        "{}.\n\n{}\n\n{facts}\n\nThe request is checked against every documented limit before anything is sent.",
        e.title, e.description
    ));
    quote! {
        #request
        #response
        #codes
        impl ::live_api::Endpoint for #req {
            const META: ::live_api::EndpointMeta = ::live_api::EndpointMeta {
                service: #service,
                command: #command,
                path: #path,
                quota_group: #group,
                calls_per_second: #cps,
                idempotent: #idem,
                response_key: #response_key,
            };
            type Response = #resp;
            type Code = #code;
        }
        impl #client {
            #method_doc
            pub async fn #method(&self, request: #req) -> ::core::result::Result<#resp, ::live_api::Error<#code>> {
                ::live_api::Client::call(self, request).await
            }
        }
    }
}
