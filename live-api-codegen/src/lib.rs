//! The library behind `live-api-macros`: reads a folder of endpoint specs, checks it, builds
//! one model of the API, and renders that model as Rust tokens.
//!
//! ```text
//! api-specs/*.json ──> json (spanned) ──> load (check, collect diagnostics) ──> model ──> codegen
//! ```
//!
//! Nothing here panics on bad input: every problem becomes a [`diag::Diagnostic`] naming the
//! file, line and column. The proc-macro crate is a thin wrapper around [`expand`].
//!
//! # Words
//!
//! | word | means |
//! |---|---|
//! | spec folder | `<service>/<command>.json` endpoints, `types/<Name>.json`, `errors/<table>.json`, `callbacks/<command word>.json` |
//! | callback | a webhook Live posts to the app: its body struct, for a *before*-callback the reply enum of its decisions, and one variant of the enum `Callback` ([`model::Callback`]) |
//! | diagnostic | one located problem of a spec ([`diag::Diagnostic`]) |
//! | model | the checked [`model::Api`] that every renderer reads; renderers never re-read specs |
//! | base | a checked API a folder is read on top of (live-api's, under a user's folder); its items have [`model::Origin::Base`] and are not rendered again |
//! | request / response | an endpoint's body and its typed success payload (`<Name>`, `<Name>Response`) |
//! | code, table | an `ErrorCode` value; a shared list of them, *wrapped* when it has its own enum |
//! | limits | a field's documented limits ([`model::Limits`], rendered into the runtime's `validate::Limits`) |
//! | stub | the error-typed stand-in for an item of a broken spec (`fallback`) |

// Public: what live-api-macros, live-api-cli, the tests and the benchmark harness use (the
// model, the loader's entry points, spec files and diagnostics). The rest is private, so that
// rustc reports what nobody uses.
mod codegen;
pub mod diag;
mod fallback;
mod json;
pub mod load;
pub mod model;
mod names;
mod read;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

pub use codegen::{Methods, Options, Server};
pub use diag::Diagnostic;

/// The result of expanding a spec folder.
#[derive(Debug)]
pub struct Expansion {
    /// The generated code. When the specs have errors: the errors as `compile_error!`s, the API of
    /// the spec files that check, and stubs for the rest (see the `fallback` module).
    pub tokens: TokenStream,
    /// Every problem found (empty when the specs are valid).
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read, for rebuild tracking even when the specs are broken.
    pub files: Vec<PathBuf>,
}

/// Reads, checks and renders the spec folder `dir`.
pub fn expand(dir: &Path, display_base: &Path, options: &Options) -> Expansion {
    expand_on(&[], dir, display_base, options)
}

/// Where the files of a base are shown in diagnostics, and the crate that renders it.
const BASE_DIR: &str = "live-api/api-specs";
const BASE_CRATE: &str = "live-api";

/// [`expand`] on top of a base: the spec files (path below their folder, text) of the crate
/// whose items the folder's specs may name (live-api's own specs, passed by
/// `live_api::generate!`). With no files, there is no base.
pub fn expand_on(base: &[(String, String)], dir: &Path, display_base: &Path, options: &Options) -> Expansion {
    let base_api = match read_base(base) {
        Ok(api) => api,
        Err(diagnostics) => {
            let tokens = fallback::errors(&diagnostics, &fallback::Stubs::default(), options.span);
            return Expansion { tokens, diagnostics, files: Vec::new() };
        }
    };
    let base = base_api.as_ref().map(|api| load::Base { api, crate_name: BASE_CRATE });
    let load::Loaded { api, files, sources } = load::load_dir_with_base(dir, display_base, base.as_ref());
    let (tokens, diagnostics) = match api {
        Ok(api) => {
            let mut tokens = codegen::generate(&api, options, &fallback::Stubs::default());
            if options.export_base {
                let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
                tokens.extend(codegen::export::base_macro(&dir, &sources));
            }
            (tokens, Vec::new())
        }
        Err(diagnostics) => {
            let diagnostics = diagnostics.into_vec();
            let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
            let (api, stubs) = fallback::partial(&dir, &sources, &diagnostics, base.as_ref());
            let errors = fallback::errors(&diagnostics, &stubs, options.span);
            let stub_types = fallback::types(&stubs);
            // Keep tracking every file, so that fixing a spec triggers a rebuild.
            let track = files.iter().map(|f| {
                let f = f.display().to_string();
                quote::quote!(::core::include_bytes!(#f))
            });
            let api = codegen::generate(&api.unwrap_or_default(), options, &stubs);
            (quote::quote!(#errors const _: &[&[u8]] = &[#(#track),*]; #api #stub_types), diagnostics)
        }
    };
    Expansion { tokens, diagnostics, files }
}

/// The model of the base's spec files, checked (they are live-api's own, so an error here is a
/// mismatch between the macro and the runtime it was built with).
fn read_base(files: &[(String, String)]) -> Result<Option<model::Api>, Vec<Diagnostic>> {
    if files.is_empty() {
        return Ok(None);
    }
    let dir = Path::new(BASE_DIR);
    let sources: Vec<diag::SourceFile> = files
        .iter()
        .map(|(rel, text)| diag::SourceFile::new(dir.join(rel), format!("{BASE_DIR}/{rel}"), text.clone()))
        .collect();
    load::check_sources(dir, &sources, None).map(Some).map_err(diag::Diagnostics::into_vec)
}
