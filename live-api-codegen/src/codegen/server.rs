//! The server side of the API, from the same endpoint model as the client: a `Service` trait with
//! one async method per endpoint, and `dispatch`, which routes a `::live_api::server::Call` by
//! its path to the method. Admission, decoding, limit checks and the envelope are the runtime's
//! (`Call::handle`); per endpoint this renders one trait method and one match arm.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident};
use crate::fallback::{ERROR_TYPE, Stubs};
use crate::model::{Api, Endpoint};

/// Name of the generated trait; reserved for it among the generated type names.
pub const TRAIT: &str = "Service";

/// The trait and `dispatch`, each under `cfg` (empty, or a `#[cfg(..)]` attribute).
pub fn server(api: &Api, cfg: TokenStream, stubs: &Stubs) -> TokenStream {
    let methods = api.endpoints.iter().map(method);
    let error_type = ident(ERROR_TYPE);
    let stub_methods = stubs.methods.iter().map(|m| {
        let m = ident(m);
        quote! {
            #[doc(hidden)]
            fn #m(&self, _ctx: &::live_api::server::Context, _request: #error_type) -> #error_type {
                ::core::unreachable!()
            }
        }
    });
    // Each arm is boxed, so `dispatch` is one small state machine however many endpoints there
    // are, instead of an enum of every endpoint's future (which grows rustc's work faster than N).
    let arms = api.endpoints.iter().map(|e| {
        let (path, req, method) = (e.path(), ident(&e.rust_name), ident(&e.method));
        quote! {
            #path => call.serve(move |ctx, request: #req| async move { service.#method(&ctx, request).await }),
        }
    });
    let name = ident(TRAIT);
    quote! {
        /// The server side of every endpoint: one method per endpoint, answering its typed request
        /// with its typed response or a [`Failure`](::live_api::server::Failure) carrying one of its
        /// codes. [`dispatch`] routes calls to it; the request has already been decoded and checked
        /// against every documented limit, and the answer is wrapped in the documented envelope.
        ///
        /// Every method has a default: the refusal of [`unserved`](Self::unserved), so that an
        /// implementation keeps compiling when an endpoint is added to the specs.
        #cfg
        pub trait #name: ::core::marker::Send + ::core::marker::Sync {
            /// The answer to an endpoint whose method this service does not implement: by default
            /// `ErrorCode` 60017 ([`UNSERVED`](::live_api::server::UNSERVED), `RequestDisabled`)
            /// with a message naming the endpoint.
            fn unserved(&self, ctx: &::live_api::server::Context) -> ::live_api::server::Refusal {
                ::live_api::server::Refusal::unserved(ctx)
            }
            #(#methods)*
            #(#stub_methods)*
        }
        /// Answers one call with the method of `service` for its path (`/v4/<service>/<command>`),
        /// or with `ErrorCode` 60009 when no endpoint has that path.
        #cfg
        pub async fn dispatch<S: #name + ?::core::marker::Sized>(
            service: &S,
            call: ::live_api::server::Call,
        ) -> ::live_api::server::Reply {
            let answer = match call.path() {
                #(#arms)*
                _ => return call.unknown(),
            };
            answer.await
        }
    }
}

fn method(e: &Endpoint) -> TokenStream {
    let (req, resp, code, method) =
        (ident(&e.rust_name), ident(&e.response_name()), ident(&e.code_name()), ident(&e.method));
    let doc = docs::attrs(&format!(
        "Answers `POST {}`: {}.\n\nFails with [`{}`] codes. Unless implemented, answers [`unserved`](Self::unserved).",
        e.path(),
        e.title,
        e.code_name()
    ));
    quote! {
        #doc
        fn #method(
            &self,
            ctx: &::live_api::server::Context,
            request: #req,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<#resp, ::live_api::server::Failure<#code>>,
        > + ::core::marker::Send {
            let _ = request;
            ::core::future::ready(::core::result::Result::Err(::core::convert::Into::into(self.unserved(ctx))))
        }
    }
}
