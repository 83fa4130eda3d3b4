//! Rustdoc text rendered from spec descriptions, so `cargo doc` is the API reference.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, Field, Ty, TypeKind};

/// `#[doc = "..."]` attributes, one per line of `text`.
pub fn attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = format!(" {l}");
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// A fenced JSON block of a sample as the spec writes it, its lines after the first dedented by
/// the least indentation among them (the first line starts at the sample's `{`).
pub fn json_block(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let rest: Vec<&str> = lines.collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let cut = rest.iter().filter(|l| !l.trim().is_empty()).map(|l| indent(l)).min().unwrap_or(0);
    let mut out = format!("```json\n{first}");
    for l in rest {
        out.push('\n');
        out.push_str(l.get(cut.min(indent(l))..).unwrap_or_default());
    }
    out.push_str("\n```");
    out
}

/// A type as a reader of the docs names it: `string`, `u32`, `array of LayoutItem`.
pub fn ty_name(api: &Api, ty: &Ty) -> String {
    match ty {
        Ty::String => "string".into(),
        Ty::Bool => "bool".into(),
        Ty::IntOrString => "integer or string ([`IntOrString`](::live_api::IntOrString))".into(),
        Ty::Int(t) => t.name().into(),
        Ty::Array(t) => format!("array of {}", ty_name(api, t)),
        Ty::Named(i) => {
            let t = api.type_def(*i);
            super::item_link(t.origin, &t.name)
        }
    }
}

/// The rustdoc of a field: description, then wire name, type, presence, limits, default.
pub fn field(api: &Api, f: &Field) -> String {
    let ty = if f.secret { "secret string ([`Secret`](::live_api::Secret))".into() } else { ty_name(api, &f.ty) };
    let mut facts = vec![format!("wire name `{}`", f.wire), ty];
    if !f.aliases.is_empty() {
        let a: Vec<String> = f.aliases.iter().map(|a| format!("`{a}`")).collect();
        facts.insert(1, format!("also decoded from the key {}", a.join(", ")));
    }
    facts.push(if f.required { "required".into() } else { "optional".into() });
    facts.extend(f.limits.describe());
    if let Some(d) = &f.default {
        facts.push(format!("server default `{d}`"));
    }
    if !f.accept.is_empty() {
        let k: Vec<&str> = f.accept.iter().map(|k| k.name()).collect();
        facts.push(format!("also decoded from a JSON {}", k.join(" or ")));
    }
    with_facts(&f.description, &facts.join("; "))
}

/// A description followed by its facts in italics: on the same line when the description is
/// one line (rustdoc shows one paragraph), else as a paragraph of their own.
pub fn with_facts(description: &str, facts: &str) -> String {
    if description.contains('\n') {
        format!("{description}\n\n*{facts}.*")
    } else {
        format!("{description} *{facts}.*")
    }
}

/// Whether values of this type need a validation pass (limits, or objects inside).
pub fn needs_check(api: &Api, f: &Field) -> bool {
    !f.limits.is_empty() || contains_object(api, &f.ty)
}

fn contains_object(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::Array(t) => contains_object(api, t),
        Ty::Named(i) => matches!(api.type_def(*i).kind, TypeKind::Object(_)),
        _ => false,
    }
}
