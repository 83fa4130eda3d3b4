//! Renders the [`Api`] model as Rust tokens: data types and trait impls only, for the client side
//! and the server side (`Service`, `dispatch`). Behaviour (HTTP, envelope decoding and encoding,
//! validation rules, enum and struct (de)serialization, error-code lookups) lives once in the
//! `live-api` runtime and is reached through `::live_api::__private` (aliased `__lv` at the top
//! of the expansion, which keeps the generated lines short) and `::live_api::server`.

mod codes;
mod docs;
mod endpoint;
pub(crate) mod server;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::Api;

/// Options of a rendering.
#[derive(Debug, Clone)]
pub struct Options {
    /// Path of the client type that receives one method per endpoint (`crate::Client` by
    /// default).
    pub client: TokenStream,
    /// Whether to render the server side.
    pub server: Server,
}

impl Default for Options {
    fn default() -> Self {
        Options { client: quote!(crate::Client), server: Server::Off }
    }
}

/// Whether the server side (`trait Service` and `dispatch`) is rendered.
#[derive(Debug, Clone)]
pub enum Server {
    /// Not rendered: a client-only crate does not pay for it.
    Off,
    /// Rendered.
    On,
    /// Rendered under `#[cfg(<predicate>)]` (e.g. `feature = "server"`).
    Cfg(TokenStream),
}

/// Renders every type, error enum, trait impl and client method of `api`.
pub fn generate(api: &Api, options: &Options) -> TokenStream {
    let types = api.types.iter().map(|t| types::type_def(api, t));
    let tables = api.tables.iter().filter_map(codes::table_enum);
    let (endpoints, methods): (Vec<_>, Vec<_>) =
        api.endpoints.iter().map(|e| endpoint::endpoint(api, e, options)).map(|r| (r.items, r.methods)).unzip();
    let client = &options.client;
    let server = match &options.server {
        Server::Off => quote!(),
        Server::On => server::server(api, quote!()),
        Server::Cfg(predicate) => server::server(api, quote!(#[cfg(#predicate)])),
    };
    // Every spec file is included, so cargo rebuilds when one changes.
    let track = api.files.iter().map(|f| {
        let f = f.display().to_string();
        quote!(include_bytes!(#f))
    });
    let metas = api.endpoints.iter().map(|e| {
        let req = ident(&e.rust_name);
        quote!(<#req as __lv::Endpoint>::META)
    });
    let visits = api.endpoints.iter().map(|e| {
        let req = ident(&e.rust_name);
        quote!(visitor.visit::<#req>();)
    });
    // Visiting every endpoint is for tools that take any endpoint's JSON (both wire directions),
    // so it comes with the server side.
    let visit_body = quote! {
        /// Calls `visitor.visit::<E>()` with the request type `E` of every endpoint, in the order of
        /// [`ENDPOINTS`].
        pub fn visit_endpoints<V: ::live_api::EndpointVisitor>(visitor: &mut V) {
            #(#visits)*
        }
    };
    let visit = match &options.server {
        Server::Off => quote!(),
        Server::On => visit_body,
        Server::Cfg(p) => quote!(#[cfg(#p)] #visit_body),
    };
    quote! {
        // One short name for the runtime items the generated code uses (keeps its lines short;
        // nothing of the invoking module can shadow it).
        #[doc(hidden)]
        use ::live_api::__private as __lv;
        const _: &[&[u8]] = &[#(#track),*];
        /// Every endpoint of the spec folder, sorted by service and command.
        pub const ENDPOINTS: &[::live_api::EndpointMeta] = &[#(#metas),*];
        #visit
        #(#types)*
        #(#tables)*
        #(#endpoints)*
        /// One method per endpoint.
        impl #client {
            #(#methods)*
        }
        #server
    }
}

pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}
