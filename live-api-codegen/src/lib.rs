//! The library behind `live-api-macros`: reads a folder of endpoint specs, checks it, builds
//! one model of the API, and renders that model as Rust tokens.
//!
//! ```text
//! api-specs/*.json ──> json (spanned) ──> load (check, collect diagnostics) ──> model ──> codegen
//! ```
//!
//! Nothing here panics on bad input: every problem becomes a [`diag::Diagnostic`] naming the
//! file, line and column. The proc-macro crate is a thin wrapper around [`expand`].

pub mod codegen;
pub mod diag;
pub mod fallback;
pub mod json;
pub mod load;
pub mod model;
pub mod names;
pub mod read;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

pub use codegen::{EXTENSION_TRAIT, Methods, Options, Server};
pub use diag::Diagnostic;

/// The result of expanding a spec folder.
#[derive(Debug)]
pub struct Expansion {
    /// The generated code. When the specs have errors: the errors as `compile_error!`s, the API of
    /// the spec files that check, and stubs for the rest (see [`fallback`]).
    pub tokens: TokenStream,
    /// Every problem found (empty when the specs are valid).
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read, for rebuild tracking even when the specs are broken.
    pub files: Vec<PathBuf>,
}

/// Reads, checks and renders the spec folder `dir`.
pub fn expand(dir: &Path, display_base: &Path, options: &Options) -> Expansion {
    let loaded = load::load_dir(dir, display_base);
    let tokens = match &loaded.api {
        Some(api) => codegen::generate(api, options, &fallback::Stubs::default()),
        None => {
            let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
            let (api, stubs) = fallback::partial(&dir, &loaded.sources, &loaded.diagnostics);
            let errors = fallback::errors(&loaded.diagnostics, &stubs, options.span);
            let stub_types = fallback::types(&stubs);
            // Keep tracking every file, so that fixing a spec triggers a rebuild.
            let track = loaded.files.iter().map(|f| {
                let f = f.display().to_string();
                quote::quote!(include_bytes!(#f))
            });
            let api = codegen::generate(&api.unwrap_or_default(), options, &stubs);
            quote::quote!(#errors const _: &[&[u8]] = &[#(#track),*]; #api #stub_types)
        }
    };
    Expansion { tokens, diagnostics: loaded.diagnostics, files: loaded.files }
}
