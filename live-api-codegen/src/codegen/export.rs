//! The macro through which other crates generate endpoints on top of this spec folder: live-api
//! exports `__generate_on_live_api_specs!`, which calls `generate!` with the text of every spec
//! file of `api-specs/` as the base. `live_api::generate!("specs")` in a user's crate goes
//! through it, so the user's specs can name live-api's shared types and error tables, and the
//! generated code uses live-api's own items. The texts travel inside the macro (not a path), so
//! the user's build needs nothing but live-api's compiled crate.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;

use crate::diag::SourceFile;

/// Name of the exported macro.
pub const BASE_MACRO: &str = "__generate_on_live_api_specs";

/// `#[macro_export] macro_rules! __generate_on_live_api_specs`, carrying `sources` (files below
/// `dir`).
pub fn base_macro(dir: &Path, sources: &[SourceFile]) -> TokenStream {
    let files = sources.iter().map(|s| {
        let rel = s.path.strip_prefix(dir).unwrap_or(&s.path);
        let rel: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        let (rel, text) = (rel.join("/"), &s.text);
        quote!(#rel => #text)
    });
    let name = super::ident(BASE_MACRO);
    quote! {
        #[doc(hidden)]
        #[macro_export]
        macro_rules! #name {
            ($($args:tt)*) => {
                $crate::__private::generate! { base { #(#files),* } $($args)* }
            };
        }
    }
}
