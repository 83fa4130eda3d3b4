//! `generate!("path/to/api-specs")`: reads a folder of endpoint specs at compile time and emits
//! the typed API. All the work is in `live-api-codegen`; this crate only parses the macro input,
//! resolves the path and turns diagnostics into compile errors.

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Token};

/// Generates request/response types, validation, error-code enums, `Endpoint` impls and client
/// methods from a spec folder.
///
/// ```ignore
/// live_api_macros::generate!("specs");                       // methods in `trait ClientExt`
/// live_api_macros::generate!("specs", trait = RoomStats);     // ... in `trait RoomStats`
/// live_api_macros::generate!("../api-specs", client = crate::Client, server(feature = "server"));
/// ```
///
/// The endpoint methods go into an extension trait (`ClientExt` unless `trait = Name` names
/// it) implemented for `live_api::Client`, or, with `client = path::To::Client`, into an
/// inherent `impl` of that type of the invoking crate (what live-api itself does). Users call
/// `live_api::generate!`, which also lets their specs name live-api's shared types and tables.
///
/// `server` also renders the server side: a `Service` trait with one method per endpoint,
/// `dispatch`, `visit_endpoints`, and the serde directions the client does not need (requests
/// `Deserialize`, answers `Serialize`); `server(<predicate>)` renders all that under
/// `#[cfg(<predicate>)]`. Without it, a client-only crate compiles none of it.
///
/// The path is resolved like `include_str!`: relative to the directory of the source file that
/// invokes the macro (absolute paths are taken as they are). Every spec file read is tracked, so
/// editing one rebuilds the crate; a build script with `cargo:rerun-if-changed=<folder>` makes
/// added and removed files count too. Problems in the specs are reported all at once, each as a
/// compile error naming the spec file, line and column; the macro then still emits what the
/// valid files define, and error-typed stubs for the rest, so that no further errors follow.
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(input as Args);
    let base = invoking_dir(&args.path);
    let dir = base.join(args.path.value());
    let display_base = std::env::current_dir().unwrap_or_default();
    let options = live_api_codegen::Options {
        methods: args.methods,
        server: args.server,
        span: args.path.span(),
        export_base: args.export_base,
    };
    // With errors in the specs, the tokens hold them as `compile_error!`s, plus what could be
    // built and stubs for the rest.
    live_api_codegen::expand_on(&args.base, &dir, &display_base, &options).tokens.into()
}

struct Args {
    /// Spec files (path below the folder, text) the folder is read on top of; set by
    /// `live_api::generate!`, which passes live-api's own specs.
    base: Vec<(String, String)>,
    path: LitStr,
    methods: live_api_codegen::Methods,
    server: live_api_codegen::Server,
    export_base: bool,
}

impl Parse for Args {
    /// `"path"` then, comma-separated and in any order: `trait = Name` (the extension trait's
    /// name), `client = path::To::Client` (inherent methods of that type instead), `server`
    /// (render the server side), `server(<cfg predicate>)` (render it under `#[cfg(..)]`).
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut base = Vec::new();
        if input.peek(syn::Ident) && input.fork().parse::<syn::Ident>()? == "base" {
            input.parse::<syn::Ident>()?;
            let files;
            syn::braced!(files in input);
            while !files.is_empty() {
                let path: LitStr = files.parse()?;
                files.parse::<Token![=>]>()?;
                let text: LitStr = files.parse()?;
                base.push((path.value(), text.value()));
                if files.parse::<Option<Token![,]>>()?.is_none() {
                    break;
                }
            }
        }
        let path: LitStr = input.parse()?;
        let mut args =
            Args { base, path, methods: Default::default(), server: live_api_codegen::Server::Off, export_base: false };
        while input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            if input.parse::<Option<Token![trait]>>()?.is_some() {
                input.parse::<Token![=]>()?;
                let name: syn::Ident = input.parse()?;
                args.methods = live_api_codegen::Methods::Trait(name.to_string());
                continue;
            }
            let key: syn::Ident = input.parse()?;
            if key == "client" {
                input.parse::<Token![=]>()?;
                let ty: syn::Path = input.parse()?;
                args.methods = live_api_codegen::Methods::Inherent(quote!(#ty));
            } else if key == "export_base" {
                args.export_base = true;
            } else if key == "server" {
                args.server = if input.peek(syn::token::Paren) {
                    let inner;
                    syn::parenthesized!(inner in input);
                    let predicate: proc_macro2::TokenStream = inner.parse()?;
                    live_api_codegen::Server::Cfg(predicate)
                } else {
                    live_api_codegen::Server::On
                };
            } else {
                return Err(syn::Error::new(
                    key.span(),
                    "unknown option; expected `trait = Name`, `client = path::To::Client`, `server`, `server(<cfg predicate>)` or `export_base`",
                ));
            }
        }
        Ok(args)
    }
}

/// Directory of the file that holds the path literal; falls back to `CARGO_MANIFEST_DIR` where the
/// compiler does not tell (e.g. in IDE expansion).
fn invoking_dir(path: &LitStr) -> PathBuf {
    // The literal's own span: through `live_api::generate!` the call site is live-api's macro,
    // while the literal comes from the user's file.
    let file = path.span().unwrap().local_file();
    match file.as_deref().and_then(Path::parent) {
        Some(dir) => {
            if dir.is_absolute() {
                dir.to_path_buf()
            } else {
                std::env::current_dir().unwrap_or_default().join(dir)
            }
        }
        None => PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()),
    }
}
