//! Per endpoint: the request type, the response type, the error-code enum, the `Endpoint` impl
//! that ties them to the wire path and quota group, and the client method.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Methods, Options, codes, docs, ident, types};
use crate::model::{Api, Endpoint, Ty};

/// The items of an endpoint, and its methods on the client (rendered into one `impl` block for
/// all endpoints).
pub struct Rendered {
    pub items: TokenStream,
    pub methods: TokenStream,
}

pub fn endpoint(api: &Api, e: &Endpoint, options: &Options) -> Rendered {
    let req = ident(&e.rust_name);
    let resp = ident(&e.response_name());
    let code = ident(&e.code_name());
    let method = ident(&e.method);
    let path = e.path();
    let title = format!("`{}/{}`", e.service, e.command);
    let (owner, owner_path) = match &options.methods {
        Methods::Trait(name) => (name.clone(), name.clone()),
        Methods::Inherent(_) => ("Client".to_owned(), "crate::Client".to_owned()),
    };
    let facts = format!(
        "*`POST {path}`; rate limit {} calls per second, quota group `{}`{}. [Documentation]({}).*",
        e.rate.calls_per_second,
        e.rate.quota_group,
        if e.idempotent { "; idempotent" } else { "" },
        e.doc_url
    );
    let mut notes = e.notes.as_ref().map(|n| format!("\n\n{n}")).unwrap_or_default();
    if let Some(x) = e.examples.first() {
        let block = docs::json_block(&x.request);
        notes.push_str(&format!("\n\n# Example\n\nThe documented request ({}):\n\n{block}", x.name));
    }
    let req_doc = docs::attrs(&format!(
        "Request of {title}: {}.\n\n{}\n\n{facts}\n\nSend it with [`{owner}::{}`]({owner_path}::{}); \
         answers [`{}`], fails with [`{}`].{notes}",
        e.title,
        e.description,
        e.method,
        e.method,
        e.response_name(),
        e.code_name()
    ));
    let mut resp_text = format!("Response of {title} ({}).", e.title);
    if let Some(p) = &e.partial_failures {
        resp_text.push_str(&format!(
            "\n\nA successful answer can still report items that failed, in `{}`: `Ok` says the call \
             succeeded, [`PartialFailures::failed`](::live_api::PartialFailures::failed) lists the items that did not \
             and [`all_succeeded`](::live_api::PartialFailures::all_succeeded) says whether every item did.",
            e.response_field(p.items).wire
        ));
    }
    let resp_doc = docs::attrs(&resp_text);
    let failures = partial_failures(api, e, &resp);
    let side = options.server.clone();
    let request =
        types::object_with(api, &e.rust_name, req_doc, &e.request, types::Role::Request(side.clone()), &e.one_of);
    let response = types::object(api, &e.response_name(), resp_doc, &e.response, types::Role::Response(side));
    let codes = codes::endpoint_enum(api, &code, &title, &e.errors);
    let (service, command) = (&e.service, &e.command);
    let (group, cps, idem) = (&e.rate.quota_group, e.rate.calls_per_second, e.idempotent);
    let holds_secret = api.holds_secret(&e.request) || api.holds_secret(&e.response);
    let response_key = match &e.response_key {
        Some(k) => quote!(__lv::Some(#k)),
        None => quote!(__lv::None),
    };
    let method_doc = docs::attrs(&format!(
        "{}.\n\n{}\n\n{facts}\n\nThe request is checked against every documented limit before anything is sent.",
        e.title, e.description
    ));
    let (pages, page_method) = pagination(api, e, &req, &options.methods);
    let items = quote! {
        #request
        #response
        #codes
        #pages
        #failures
        impl __lv::Endpoint for #req {
            const META: __lv::EndpointMeta = __lv::EndpointMeta {
                service: #service,
                command: #command,
                path: #path,
                quota_group: #group,
                calls_per_second: #cps,
                idempotent: #idem,
                response_key: #response_key,
                holds_secret: #holds_secret,
            };
            type Response = #resp;
            type Code = #code;
        }
    };
    // Inherent methods return `Client::call`'s future itself rather than being `async fn`s that
    // await it: the same future to the caller (lazy, `Send` where it is, by auto-trait leakage),
    // without a coroutine per endpoint for rustc to build, check and compile.
    let methods = match &options.methods {
        Methods::Inherent(_) => quote! {
            #method_doc
            pub fn #method(&self, request: #req) -> impl ::core::future::Future<
                Output = __lv::Result<#resp, __lv::Error<#code>>,
            > {
                ::live_api::Client::call(self, request)
            }
            #page_method
        },
        Methods::Trait(_) => quote! {
            #method_doc
            fn #method(&self, request: #req) -> impl ::core::future::Future<
                Output = __lv::Result<#resp, __lv::Error<#code>>,
            > + ::core::marker::Send {
                ::live_api::Client::call(::live_api::AsClient::as_client(self), request)
            }
            #page_method
        },
    };
    Rendered { items, methods }
}

/// The `PartialFailures` impl of an endpoint's response that lists per-item failures.
fn partial_failures(api: &Api, e: &Endpoint, resp: &proc_macro2::Ident) -> TokenStream {
    let Some(p) = &e.partial_failures else { return quote!() };
    let items = e.response_field(p.items);
    let Ty::Array(element) = &items.ty else { return quote!() };
    let item_ty = types::rust_ty(api, element);
    let i = ident(&items.rust);
    let reported = if items.required { quote!(&self.#i) } else { quote!(self.#i.as_deref().unwrap_or_default()) };
    let code = match &p.code {
        Some((c, true)) => {
            let c = ident(c);
            quote!(__lv::Some(__lv::Some(__lv::ItemCode::item_code(&item.#c))))
        }
        Some((c, false)) => {
            let c = ident(c);
            quote!(__lv::Some(__lv::code_of(&item.#c)))
        }
        None => quote!({
            let _ = item;
            __lv::None
        }),
    };
    quote! {
        impl __lv::PartialFailures for #resp {
            type Item = #item_ty;
            fn reported(&self) -> &[#item_ty] { #reported }
            fn item_code(item: &#item_ty) -> __lv::Option<__lv::Option<i64>> { #code }
        }
    }
}

/// The `Paginated` impl and the `<method>_pages` walker of a paged endpoint.
fn pagination(api: &Api, e: &Endpoint, req: &proc_macro2::Ident, on: &Methods) -> (TokenStream, TokenStream) {
    let Some(p) = &e.pagination else { return (quote!(), quote!()) };
    let (cursor, next, items) = (e.request_field(p.cursor), e.response_field(p.next), e.response_field(p.items));
    let cursor_ty = types::field_ty(api, cursor);
    let item_ty = match &items.ty {
        Ty::Array(t) => types::rust_ty(api, t),
        t => types::rust_ty(api, t),
    };
    let (c, n, i) = (ident(&cursor.rust), ident(&next.rust), ident(&items.rust));
    let get_cursor = if cursor.required { quote!(__lv::Some(&self.#c)) } else { quote!(self.#c.as_ref()) };
    let set_cursor = if cursor.required { quote!(self.#c = cursor;) } else { quote!(self.#c = __lv::Some(cursor);) };
    let get_next = if next.required { quote!(__lv::Some(&response.#n)) } else { quote!(response.#n.as_ref()) };
    let take_items = if items.required { quote!(response.#i) } else { quote!(response.#i.unwrap_or_default()) };
    let fill = p.page_size.map(|ps| e.request_field(ps)).filter(|f| !f.required).and_then(|f| {
        let max = f.limits.max?;
        let r = ident(&f.rust);
        let max = proc_macro2::Literal::i64_unsuffixed(max);
        Some(quote! {
            fn fill_page_size(&mut self) {
                if self.#r.is_none() {
                    self.#r = __lv::Some(#max);
                }
            }
        })
    });
    let method = ident(&format!("{}_pages", e.method));
    let doc = format!(
        " Every item of `{}/{}`, page by page: sends `request`, then follows `{}` → `{}` until the last page.",
        e.service, e.command, next.wire, cursor.wire
    );
    let items = quote! {
        impl ::live_api::Paginated for #req {
            type Item = #item_ty;
            type Cursor = #cursor_ty;
            fn cursor(&self) -> __lv::Option<&Self::Cursor> { #get_cursor }
            fn set_cursor(&mut self, cursor: Self::Cursor) { #set_cursor }
            fn next_cursor(response: &Self::Response) -> __lv::Option<&Self::Cursor> { #get_next }
            fn into_items(response: Self::Response) -> __lv::Vec<Self::Item> { #take_items }
            #fill
        }
    };
    let method = match on {
        Methods::Inherent(_) => quote! {
            #[doc = #doc]
            pub fn #method(&self, request: #req) -> ::live_api::Pages<#req> {
                ::live_api::Client::pages(self, request)
            }
        },
        Methods::Trait(_) => quote! {
            #[doc = #doc]
            fn #method(&self, request: #req) -> ::live_api::Pages<#req> {
                ::live_api::Client::pages(::live_api::AsClient::as_client(self), request)
            }
        },
    };
    (items, method)
}
