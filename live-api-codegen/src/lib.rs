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
pub mod json;
pub mod load;
pub mod model;
pub mod names;
pub mod read;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

pub use codegen::{Options, Server};
pub use diag::Diagnostic;

/// The result of expanding a spec folder.
#[derive(Debug)]
pub struct Expansion {
    /// Generated code, or `Err` with every problem found.
    pub tokens: Result<TokenStream, Vec<Diagnostic>>,
    /// Every file read, for rebuild tracking even when the specs are broken.
    pub files: Vec<PathBuf>,
}

/// Reads, checks and renders the spec folder `dir`.
pub fn expand(dir: &Path, display_base: &Path, options: &Options) -> Expansion {
    let loaded = load::load_dir(dir, display_base);
    let tokens = loaded.api.map(|api| codegen::generate(&api, options)).map_err(diag::Diagnostics::into_vec);
    Expansion { tokens, files: loaded.files }
}
