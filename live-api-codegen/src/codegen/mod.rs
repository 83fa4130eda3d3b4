//! Renders the [`Api`] model as Rust tokens: data types and trait impls only, for the client side
//! and the server side (`Service`, `dispatch`). Behaviour (HTTP, envelope decoding and encoding,
//! validation rules, enum and struct (de)serialization, error-code lookups) lives once in the
//! `live-api` runtime and is reached through `::live_api::__private` (aliased `__lv` at the top
//! of the expansion, which keeps the generated lines short) and `::live_api::server`.
//!
//! Every path the expansion writes goes through `__lv` or starts with `::` (prelude items
//! included: `__lv::Some`, `__lv::Debug`), so that no name of the invoking module changes what
//! it means; `tests/tests/golden.rs` checks it.

pub(crate) mod callbacks;
mod codes;
mod describe;
mod docs;
mod endpoint;
pub(crate) mod export;
pub(crate) mod server;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::fallback::{ERROR_TYPE, Stubs};
use crate::model::{Api, Origin};

/// Options of a rendering.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the endpoint methods go.
    pub methods: Methods,
    /// Whether to render the server side.
    pub server: Server,
    /// Where the compiler shows the spec errors (the macro's path argument).
    pub span: Span,
    /// Also export the macro through which other crates generate on top of these specs (see
    /// `codegen::export`); live-api's own invocation sets it.
    pub export_base: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { methods: Methods::default(), server: Server::Off, span: Span::call_site(), export_base: false }
    }
}

/// Where the endpoint methods go.
#[derive(Debug, Clone)]
pub enum Methods {
    /// A trait of that name, implemented for `live_api::Client`, that the user imports: how a
    /// crate adds endpoints of its own to live-api's client (an inherent `impl` of a foreign type
    /// is not allowed, and a newtype would hide the client's own methods behind `Deref`).
    Trait(String),
    /// Inherent methods of the client type at this path (`crate::Client` in live-api itself).
    Inherent(TokenStream),
}

impl Default for Methods {
    fn default() -> Self {
        Methods::Trait(EXTENSION_TRAIT.to_owned())
    }
}

/// Name of the extension trait when the invocation names none.
pub const EXTENSION_TRAIT: &str = "ClientExt";

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

/// Renders every type, error enum, trait impl and client method of `api`, and the methods of
/// `stubs` (empty unless the specs have errors).
pub fn generate(api: &Api, options: &Options, stubs: &Stubs) -> TokenStream {
    // Types and tables of a base (live-api's, under a user's folder) are live-api's to render.
    let types = api.local_types().map(|(_, t)| types::type_def(api, t));
    let tables = api.local_tables().filter_map(|(_, t)| codes::table_enum(t));
    let (endpoints, methods): (Vec<_>, Vec<_>) =
        api.endpoints.iter().map(|e| endpoint::endpoint(api, e, options)).map(|r| (r.items, r.methods)).unzip();
    let error_type = ident(ERROR_TYPE);
    let vis = match &options.methods {
        Methods::Trait(_) => quote!(),
        Methods::Inherent(_) => quote!(pub),
    };
    let stub_methods = stubs.methods.iter().chain(&stubs.pages).map(|m| {
        let m = ident(m);
        quote! {
            #[doc(hidden)]
            #vis fn #m(&self, _request: #error_type) -> #error_type {
                ::core::unreachable!()
            }
        }
    });
    let methods = match &options.methods {
        Methods::Inherent(client) => quote! {
            /// One method per endpoint.
            impl #client {
                #(#methods)*
                #(#stub_methods)*
            }
        },
        Methods::Trait(name) => {
            let name = ident(name);
            quote! {
                /// The endpoints of this spec folder as methods of [`live_api::Client`](::live_api::Client)
                /// (and of any [`AsClient`](::live_api::AsClient)): import the trait and call them on a
                /// client.
                pub trait #name: ::live_api::AsClient {
                    #(#methods)*
                    #(#stub_methods)*
                }
                impl #name for ::live_api::Client {}
            }
        }
    };
    let server = match &options.server {
        Server::Off => quote!(),
        Server::On => server::server(api, quote!(), stubs),
        Server::Cfg(predicate) => server::server(api, quote!(#[cfg(#predicate)]), stubs),
    };
    // Every spec file is included, so cargo rebuilds when one changes.
    let track = api.files.iter().map(|f| {
        let f = f.display().to_string();
        quote!(::core::include_bytes!(#f))
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
    // What each request's spec says, for the same tools (`live_api::describe`).
    // The callbacks (and their enum `Callback`) are live-api's: rendered without a base only.
    let callbacks = callbacks::callbacks(api);
    let described = match &options.server {
        Server::Off => quote!(),
        Server::On => describe::described(api, &quote!()),
        Server::Cfg(p) => describe::described(api, &quote!(#[cfg(#p)])),
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
        #described
        #(#types)*
        #(#tables)*
        #(#endpoints)*
        #callbacks
        #methods
        #server
    }
}

pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// How the generated code names a named type or table enum: by its name when the folder defines
/// it, through `::live_api` when it comes from the base.
pub(crate) fn item_path(origin: Origin, name: &str) -> TokenStream {
    let n = ident(name);
    match origin {
        Origin::Local => quote!(#n),
        Origin::Base => quote!(::live_api::#n),
    }
}

/// A rustdoc link to a named type or table enum (see [`item_path`]).
pub(crate) fn item_link(origin: Origin, name: &str) -> String {
    match origin {
        Origin::Local => format!("[`{name}`]"),
        Origin::Base => format!("[`{name}`](::live_api::{name})"),
    }
}
