//! Rustdoc text rendered from spec descriptions, so `cargo doc` is the API reference.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, Field, Limits, Ty, TypeKind};

/// `#[doc = "..."]` attributes, one per line of `text`.
pub fn attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = format!(" {l}");
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// A type as a reader of the docs names it: `string`, `u32`, `array of LayoutItem`.
pub fn ty_name(api: &Api, ty: &Ty) -> String {
    match ty {
        Ty::String => "string".into(),
        Ty::Bool => "bool".into(),
        Ty::Int(t) => t.name().into(),
        Ty::Array(t) => format!("array of {}", ty_name(api, t)),
        Ty::Named(i) => format!("[`{}`]", api.types[*i].name),
    }
}

/// Human text of a field's limits, e.g. "at most 48 bytes; at most 3 items".
pub fn limits(l: &Limits) -> Vec<String> {
    let mut out = Vec::new();
    match (l.min_bytes, l.max_bytes) {
        (Some(a), Some(b)) => out.push(format!("{a} to {b} bytes (UTF-8)")),
        (Some(a), None) => out.push(format!("at least {a} bytes")),
        (None, Some(b)) => out.push(format!("at most {b} bytes (UTF-8)")),
        (None, None) => {}
    }
    match (l.min, l.max) {
        (Some(a), Some(b)) => out.push(format!("{a} to {b}")),
        (Some(a), None) => out.push(format!("at least {a}")),
        (None, Some(b)) => out.push(format!("at most {b}")),
        (None, None) => {}
    }
    match (l.min_items, l.max_items) {
        (Some(a), Some(b)) => out.push(format!("{a} to {b} items")),
        (Some(a), None) => out.push(format!("at least {a} items")),
        (None, Some(b)) => out.push(format!("at most {b} items")),
        (None, None) => {}
    }
    if !l.allowed_strings.is_empty() {
        let v: Vec<String> = l.allowed_strings.iter().map(|s| format!("`{s}`")).collect();
        out.push(format!("one of {}", v.join(", ")));
    }
    if !l.allowed_ints.is_empty() {
        let v: Vec<String> = l.allowed_ints.iter().map(|s| format!("`{s}`")).collect();
        out.push(format!("one of {}", v.join(", ")));
    }
    out
}

/// The rustdoc of a field: description, then wire name, type, presence, limits, default.
pub fn field(api: &Api, f: &Field) -> String {
    let mut facts = vec![format!("wire name `{}`", f.wire), ty_name(api, &f.ty)];
    facts.push(if f.required { "required".into() } else { "optional".into() });
    facts.extend(limits(&f.limits));
    if let Some(d) = &f.default {
        facts.push(format!("server default `{d}`"));
    }
    if !f.accept.is_empty() {
        let k: Vec<&str> = f.accept.iter().map(|k| k.name()).collect();
        facts.push(format!("also decoded from a JSON {}", k.join(" or ")));
    }
    format!("{}\n\n*{}.*", f.description, facts.join("; "))
}

/// Whether values of this type need a validation pass (limits, or objects inside).
pub fn needs_check(api: &Api, f: &Field) -> bool {
    !f.limits.is_empty() || contains_object(api, &f.ty)
}

fn contains_object(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::Array(t) => contains_object(api, t),
        Ty::Named(i) => matches!(api.types[*i].kind, TypeKind::Object(_)),
        _ => false,
    }
}
