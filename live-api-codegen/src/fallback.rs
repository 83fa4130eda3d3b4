//! What the macro emits when the specs have errors: the errors, the API of every spec file that is
//! neither broken nor depends on a broken one, and a stub for each name a broken file would have
//! defined (thiserror's fallback impls, askama's skeleton). Each stub is typed as an error of the
//! compiler's own (`SpecError<{ compile_error!(..) }>`), which rustc never reports again, so code
//! that uses a broken endpoint shows the spec errors and nothing else.

use std::collections::BTreeSet;
use std::path::Path;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::diag::{Diagnostic, SourceFile};
use crate::json::{self, Kind, Value};
use crate::load;
use crate::model::Api;
use crate::names::{callback_name, pascal_case, snake_case};

/// The names a broken spec file would have defined, which the stubs stand in for.
#[derive(Debug, Clone, Default)]
pub struct Stubs {
    /// Type names (requests, answers, code enums, shared types, table enums).
    pub types: Vec<String>,
    /// Client methods (and `Service` methods, for endpoints).
    pub methods: Vec<String>,
    /// Client methods of endpoints that page (`<method>_pages`).
    pub pages: Vec<String>,
}

impl Stubs {
    /// Whether there is nothing to stand in for.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty() && self.methods.is_empty() && self.pages.is_empty()
    }
}

/// Name of the error-typed alias every stub points at.
pub const ERROR_TYPE: &str = "__LiveApiSpecError";

/// The largest part of the folder that checks cleanly, and stubs for the rest: files with a
/// diagnostic are left out, then every file that only fails without them, until what is left
/// checks (or nothing is). The diagnostics of the later rounds are consequences of the first and
/// are not reported.
pub fn partial(
    dir: &Path,
    sources: &[SourceFile],
    reported: &[Diagnostic],
    base: Option<&load::Base<'_>>,
) -> (Option<Api>, Stubs) {
    let mut broken: BTreeSet<&str> = reported.iter().map(|d| d.file.as_str()).collect();
    let api = loop {
        let keep: Vec<SourceFile> = sources.iter().filter(|s| !broken.contains(s.display.as_str())).cloned().collect();
        let found = match load::check_sources(dir, &keep, base) {
            Ok(api) => break Some(api),
            Err(diags) => diags.into_vec(),
        };
        let before = broken.len();
        for d in &found {
            if let Some(s) = sources.iter().find(|s| s.display == d.file) {
                broken.insert(s.display.as_str());
            }
        }
        if broken.len() == before {
            break None;
        }
    };
    let mut stubs = Stubs::default();
    for s in sources.iter().filter(|s| broken.contains(s.display.as_str())) {
        names_of(dir, s, &mut stubs);
    }
    if let Some(api) = &api {
        let defined: BTreeSet<String> = defined_names(api);
        stubs.types.retain(|n| !defined.contains(n));
        let methods: BTreeSet<&str> = api.endpoints.iter().map(|e| e.method.as_str()).collect();
        stubs.methods.retain(|m| !methods.contains(m.as_str()));
        stubs.pages.retain(|m| !methods.contains(m.trim_end_matches("_pages")));
    }
    for list in [&mut stubs.types, &mut stubs.methods, &mut stubs.pages] {
        list.sort();
        list.dedup();
    }
    (api, stubs)
}

/// Every type name the rendering of `api` defines.
fn defined_names(api: &Api) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = api.local_types().map(|(_, t)| t.name.clone()).collect();
    names.extend(api.local_tables().filter_map(|(_, t)| t.as_enum.as_ref()).map(|e| e.rust.clone()));
    for e in &api.endpoints {
        names.extend([e.rust_name.clone(), e.response_name(), e.code_name()]);
    }
    for c in &api.callbacks {
        names.extend(c.generated_names());
    }
    names
}

/// The names `file` defines, read as far as its JSON allows (from its path where it is not JSON).
fn names_of(dir: &Path, file: &SourceFile, out: &mut Stubs) {
    let rel = file.path.strip_prefix(dir).unwrap_or(&file.path);
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let stem = parts.last().map(|p| p.trim_end_matches(".json").to_owned()).unwrap_or_default();
    let value = json::parse(&file.text).ok();
    let key = |k: &str| value.as_ref().and_then(|v| member(v, k));
    let text = |k: &str| key(k).and_then(|v| if let Kind::String(s) = &v.kind { Some(s.clone()) } else { None });
    match parts.first().map(String::as_str) {
        Some("types") => out.types.push(stem),
        Some("errors") => {
            if let Some(Kind::String(rust)) = key("as_enum").and_then(|e| member(e, "rust")).map(|v| &v.kind) {
                out.types.push(rust.clone());
            }
        }
        Some("callbacks") => {
            let word = text("callback").unwrap_or(stem);
            if let Some(rust) = text("rust_name").or_else(|| callback_name(&word).map(str::to_owned)) {
                out.types.extend([format!("{rust}Reply"), format!("{rust}Changes"), rust]);
            }
        }
        _ => {
            let rust = text("rust_name").unwrap_or_else(|| pascal_case(&text("command").unwrap_or(stem)));
            let method = snake_case(&rust);
            if key("pagination").is_some() {
                out.pages.push(format!("{method}_pages"));
            }
            out.types.extend([format!("{rust}Response"), format!("{rust}Code"), rust]);
            out.methods.push(method);
        }
    }
}

fn member<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match &v.kind {
        Kind::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
        _ => None,
    }
}

/// The diagnostics as compile errors at `span`: the first one inside the error-typed alias the
/// stubs use (when there are stubs), the others as items.
pub fn errors(diagnostics: &[Diagnostic], stubs: &Stubs, span: Span) -> TokenStream {
    let mut messages = diagnostics.iter().map(ToString::to_string);
    let mut out = TokenStream::new();
    if !stubs.is_empty()
        && let Some(first) = messages.next()
    {
        let alias = crate::codegen::ident(ERROR_TYPE);
        out.extend(quote_spanned! {span=>
            #[doc(hidden)]
            pub type #alias = ::live_api::__private::SpecError<{ ::core::compile_error!(#first) }>;
        });
    }
    for m in messages {
        out.extend(quote_spanned!(span=> ::core::compile_error!{ #m }));
    }
    out
}

/// The stub items: one error-typed alias per type name. Methods are rendered by the client and
/// server renderers, which know where they belong.
pub fn types(stubs: &Stubs) -> TokenStream {
    let alias = crate::codegen::ident(ERROR_TYPE);
    let names = stubs.types.iter().map(|n| crate::codegen::ident(n));
    quote! {
        #(
            #[doc(hidden)]
            pub type #names = #alias;
        )*
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn a_broken_callback_is_stubbed_and_the_others_are_rendered() {
        let after = r#"{ "callback": "Live.CallbackAfterThing", "title": "T", "description": "D", "doc_url": "u",
  "kind": "after", "body": [] }"#;
        let before = r#"{ "callback": "Live.CallbackBeforeGift", "title": "T", "description": "D", "doc_url": "u",
  "kind": "before", "body": [] }"#;
        let dir = Path::new("/specs");
        let sources: Vec<SourceFile> =
            [("callbacks/Live.CallbackAfterThing.json", after), ("callbacks/Live.CallbackBeforeGift.json", before)]
                .iter()
                .map(|(p, t)| SourceFile::new(dir.join(p), (*p).to_owned(), (*t).to_owned()))
                .collect();
        let reported = load::check_sources(dir, &sources, None).unwrap_err().into_vec();
        assert_eq!(reported.len(), 1, "{reported:?}");
        let (api, stubs) = partial(dir, &sources, &reported, None);
        let api = api.unwrap();
        assert_eq!(api.callbacks.iter().map(|c| c.rust_name.as_str()).collect::<Vec<_>>(), ["AfterThing"]);
        assert_eq!(stubs.types, ["BeforeGift", "BeforeGiftChanges", "BeforeGiftReply"]);
        let tokens = crate::codegen::generate(&api, &crate::Options::default(), &stubs).to_string();
        assert!(tokens.contains("pub enum Callback { # [doc = \" [`AfterThing`]: `Live.CallbackAfterThing`.\"] AfterThing (AfterThing) ,"), "{tokens}");
    }
}
