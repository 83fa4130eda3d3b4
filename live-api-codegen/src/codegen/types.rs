//! Named types: objects (structs with a constructor of their required fields and setters for
//! the optional ones) and enums (with an `Unknown` arm that keeps values the spec does not know).

use std::ops::Not as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident};
use crate::model::{Api, Field, IntTy, Limits, Ty, TypeDef, TypeKind};

pub fn type_def(api: &Api, t: &TypeDef) -> TokenStream {
    let mut text = t.description.clone();
    if let Some(n) = &t.notes {
        text = format!("{text}\n\n{n}");
    }
    let doc = docs::attrs(&text);
    match &t.kind {
        TypeKind::Object(fields) => object(api, &t.name, doc, fields, true, Derives::Both),
        TypeKind::StrEnum(values) => {
            let name = ident(&t.name);
            let variants = values.iter().map(|v| {
                let mut facts = format!("Wire value `\"{}\"`", v.value);
                if !v.aliases.is_empty() {
                    let a: Vec<String> = v.aliases.iter().map(i64::to_string).collect();
                    facts.push_str(&format!("; also decoded from {}", a.join(", ")));
                }
                let d = docs::attrs(&docs::with_facts(&v.description, &facts));
                let r = ident(&v.rust);
                quote!(#d #r,)
            });
            let wire = values.iter().map(|v| &v.value);
            let all = values.iter().map(|v| ident(&v.rust));
            let idx = values.iter().enumerate().map(|(i, v)| {
                let r = ident(&v.rust);
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                quote!(Self::#r => Ok(#i),)
            });
            let aliases = values.iter().enumerate().flat_map(|(i, v)| {
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                v.aliases.iter().map(move |a| {
                    let a = proc_macro2::Literal::i64_unsuffixed(*a);
                    quote!((#a, #i))
                })
            });
            enum_def(
                &name,
                doc,
                quote!(#(#variants)*),
                quote! {
                    impl __lv::StrEnum for #name {
                        const VALUES: &'static [&'static str] = &[#(#wire),*];
                        const ALIASES: &'static [(i64, usize)] = &[#(#aliases),*];
                        const ALL: &'static [Self] = &[#(Self::#all),*];
                        fn index(&self) -> __lv::Result<usize, &__lv::UnknownValue> {
                            match self { #(#idx)* Self::Unknown(v) => Err(v) }
                        }
                        fn unknown(value: __lv::UnknownValue) -> Self { Self::Unknown(value) }
                    }
                },
                quote!(ser_str_enum),
                quote!(de_str_enum),
            )
        }
        TypeKind::IntEnum { repr, values } => {
            let name = ident(&t.name);
            let variants = values.iter().map(|v| {
                let d = docs::attrs(&docs::with_facts(&v.description, &format!("Wire value `{}`", v.value)));
                let r = ident(&v.rust);
                quote!(#d #r,)
            });
            let wire = values.iter().map(|v| proc_macro2::Literal::i64_unsuffixed(v.value));
            let all = values.iter().map(|v| ident(&v.rust));
            let idx = values.iter().enumerate().map(|(i, v)| {
                let r = ident(&v.rust);
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                quote!(Self::#r => Ok(#i),)
            });
            let (lo, hi) = repr.range();
            let (lo, hi) = (lo.max(i64::MIN.into()) as i64, hi.min(i64::MAX.into()) as i64);
            let (lo, hi) = (proc_macro2::Literal::i64_unsuffixed(lo), proc_macro2::Literal::i64_unsuffixed(hi));
            enum_def(
                &name,
                doc,
                quote!(#(#variants)*),
                quote! {
                    impl __lv::IntEnum for #name {
                        const VALUES: &'static [i64] = &[#(#wire),*];
                        const RANGE: (i64, i64) = (#lo, #hi);
                        const ALL: &'static [Self] = &[#(Self::#all),*];
                        fn index(&self) -> __lv::Result<usize, &__lv::UnknownValue> {
                            match self { #(#idx)* Self::Unknown(v) => Err(v) }
                        }
                        fn unknown(value: __lv::UnknownValue) -> Self { Self::Unknown(value) }
                    }
                },
                quote!(ser_int_enum),
                quote!(de_int_enum),
            )
        }
    }
}

fn enum_def(
    name: &proc_macro2::Ident,
    doc: TokenStream,
    variants: TokenStream,
    wire_impl: TokenStream,
    ser: TokenStream,
    de: TokenStream,
) -> TokenStream {
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #variants
            /// A value this version of the spec does not know, kept as it was received.
            Unknown(::live_api::UnknownValue),
        }
        #wire_impl
        impl __lv::serde::Serialize for #name {
            fn serialize<S: __lv::serde::Serializer>(&self, s: S) -> __lv::Result<S::Ok, S::Error> {
                __lv::#ser(self, s)
            }
        }
        impl<'de> __lv::serde::Deserialize<'de> for #name {
            fn deserialize<D: __lv::serde::Deserializer<'de>>(d: D) -> __lv::Result<Self, D::Error> {
                __lv::#de(d)
            }
        }
        impl __lv::Validate for #name {}
    }
}

/// The Rust type of a field value (without the `Option` of optional fields).
pub fn rust_ty(api: &Api, ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(__lv::String),
        Ty::Bool => quote!(bool),
        Ty::Int(t) => int_ty(*t),
        Ty::Array(t) => {
            let inner = rust_ty(api, t);
            quote!(__lv::Vec<#inner>)
        }
        Ty::Named(i) => {
            let n = ident(&api.types[*i].name);
            quote!(#n)
        }
    }
}

fn int_ty(t: IntTy) -> TokenStream {
    let i = ident(t.name());
    quote!(#i)
}

/// Which serde directions a generated struct derives: both for shared types; for endpoint
/// requests and answers the client's direction always, and the server's direction as the
/// server side is rendered (always, under a `cfg`, or not at all).
pub enum Derives {
    /// `Serialize` and `Deserialize`.
    Both,
    /// `Serialize` (requests), plus `Deserialize` with the server side.
    Request(Side),
    /// `Deserialize` (answers), plus `Serialize` with the server side.
    Answer(Side),
}

/// Whether the server side is rendered: never, always, or under `#[cfg(<predicate>)]`.
#[derive(Clone)]
pub enum Side {
    Off,
    On,
    Cfg(TokenStream),
}

impl Side {
    /// `attr` as it applies with the server side: nothing, `#[attr]`, or `#[cfg_attr(p, attr)]`.
    fn attr(&self, attr: TokenStream) -> TokenStream {
        match self {
            Side::Off => quote!(),
            Side::On => quote!(#[#attr]),
            Side::Cfg(p) => quote!(#[cfg_attr(#p, #attr)]),
        }
    }
}

impl Derives {
    fn render(&self) -> TokenStream {
        let (ser, de) = (quote!(__lv::serde::Serialize), quote!(__lv::serde::Deserialize));
        match self {
            Derives::Both => quote!(#[derive(Debug, Clone, PartialEq, #ser, #de)]),
            Derives::Request(side) => {
                let server = side.attr(quote!(derive(#de)));
                quote!(#[derive(Debug, Clone, PartialEq, #ser)] #server)
            }
            Derives::Answer(side) => {
                let server = side.attr(quote!(derive(#ser)));
                quote!(#[derive(Debug, Clone, PartialEq, #de)] #server)
            }
        }
    }
    /// Whether (and when) the struct is serialized in this rendering; then `None` fields are
    /// left out of the JSON.
    fn serializes(&self) -> Option<Side> {
        match self {
            Derives::Both | Derives::Request(_) => Some(Side::On),
            Derives::Answer(Side::Off) => None,
            Derives::Answer(side) => Some(side.clone()),
        }
    }
}

/// serde's `rename_all = "PascalCase"` applied to a field name: a field whose wire name is this
/// needs no `rename` of its own.
fn pascal_case(rust: &str) -> String {
    let mut out = String::with_capacity(rust.len());
    let mut upper = true;
    for ch in rust.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.push(ch.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// A struct for a JSON object; when `constructors`, also `new`, setters and the `Validate` impl
/// (endpoint answers are only decoded: nobody builds them and nothing checks them).
pub fn object(
    api: &Api,
    name: &str,
    doc: TokenStream,
    fields: &[Field],
    constructors: bool,
    derives: Derives,
) -> TokenStream {
    let name = ident(name);
    let serializes = derives.serializes();
    let decls = fields.iter().map(|f| {
        let d = docs::attrs(&docs::field(api, f));
        let r = ident(&f.rust);
        let ty = rust_ty(api, &f.ty);
        let mut serde = Vec::new();
        if pascal_case(&f.rust) != f.wire {
            let wire = &f.wire;
            serde.push(quote!(rename = #wire));
        }
        if !f.accept.is_empty() {
            // `default`: a field decoded `with` a function is no longer optional by itself.
            let default = (!f.required).then(|| quote!(default,));
            serde.push(quote!(#default deserialize_with = "__lv::lenient"));
        }
        let skip = quote!(skip_serializing_if = "__lv::Option::is_none");
        let (ty, cfg_skip) = match (&serializes, f.required) {
            (_, true) => (ty, quote!()),
            (None, false) => (quote!(__lv::Option<#ty>), quote!()),
            (Some(Side::On), false) => {
                serde.push(skip);
                (quote!(__lv::Option<#ty>), quote!())
            }
            (Some(side), false) => (quote!(__lv::Option<#ty>), side.attr(quote!(serde(#skip)))),
        };
        let attrs = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
        quote!(#d #attrs #cfg_skip pub #r: #ty,)
    });
    let validate = if constructors { validate(api, &name, fields) } else { quote!() };
    let constructors = if constructors { constructors_block(api, &name, fields) } else { quote!() };
    // Builders: an unused `new(..)` or setter result is a bug.
    let must_use = constructors.is_empty().not().then(|| quote!(#[must_use]));
    let derive_attrs = derives.render();
    quote! {
        #doc
        #derive_attrs
        #[serde(crate = "__lv::serde", rename_all = "PascalCase")]
        #[non_exhaustive]
        #must_use
        pub struct #name {
            #(#decls)*
        }
        #constructors
        #validate
    }
}

/// `new` with the required fields, and one setter per optional field.
fn constructors_block(api: &Api, name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let (req, opt): (Vec<&Field>, Vec<&Field>) = fields.iter().partition(|f| f.required);
    let params = req.iter().map(|f| {
        let r = ident(&f.rust);
        let (ty, _) = param(api, &f.ty);
        quote!(#r: #ty)
    });
    let inits = fields.iter().map(|f| {
        let r = ident(&f.rust);
        if f.required {
            let (_, conv) = param(api, &f.ty);
            if conv.is_empty() { quote!(#r) } else { quote!(#r: #r #conv) }
        } else {
            quote!(#r: None)
        }
    });
    let required_names: Vec<String> = req.iter().map(|f| format!("`{}`", f.wire)).collect();
    let new_doc = if req.is_empty() {
        format!(" Creates a [`{name}`] with every optional field unset.")
    } else {
        format!(
            " Creates a [`{name}`] from its required fields ({}); set the others with the setters.",
            required_names.join(", ")
        )
    };
    // Without required fields `new()` takes nothing, which clippy would rather see as `Default`.
    let allow = req.is_empty().then(|| quote!(#[allow(clippy::new_without_default)]));
    let setters = opt.iter().map(|f| {
        let r = ident(&f.rust);
        let (ty, conv) = param(api, &f.ty);
        let d = format!(" Sets `{}`: {}", f.wire, f.description.lines().next().unwrap_or_default());
        quote! {
            #[doc = #d]
            pub fn #r(mut self, value: #ty) -> Self {
                self.#r = Some(value #conv);
                self
            }
        }
    });
    quote! {
        impl #name {
            #[doc = #new_doc]
            #allow
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    }
}

/// The `Validate` impl: one `c.field(..)` line per field with limits or objects inside.
fn validate(api: &Api, name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let checks: Vec<TokenStream> = fields
        .iter()
        .filter(|f| docs::needs_check(api, f))
        .map(|f| {
            let r = ident(&f.rust);
            let wire = &f.wire;
            let limits = limits(&f.limits);
            quote!(c.field(#wire, &self.#r, #limits);)
        })
        .collect();
    if checks.is_empty() {
        return quote!(impl __lv::Validate for #name {});
    }
    quote! {
        impl __lv::Validate for #name {
            fn validate(&self, c: &mut __lv::Checker<'_>) {
                #(#checks)*
            }
        }
    }
}

/// Parameter type of a constructor argument or setter, and the conversion applied to it.
fn param(api: &Api, ty: &Ty) -> (TokenStream, TokenStream) {
    match ty {
        Ty::String => (quote!(impl __lv::Into<__lv::String>), quote!(.into())),
        Ty::Array(_) => {
            let t = rust_ty(api, ty);
            (quote!(impl __lv::Into<#t>), quote!(.into()))
        }
        _ => (rust_ty(api, ty), quote!()),
    }
}

/// `::live_api::__private::Limits::NONE.max_bytes(48)…` for a field's limits.
fn limits(l: &Limits) -> TokenStream {
    let mut t = quote!(__lv::Limits::NONE);
    let pairs_u = [
        ("min_bytes", l.min_bytes),
        ("max_bytes", l.max_bytes),
        ("min_items", l.min_items),
        ("max_items", l.max_items),
    ];
    for (name, v) in pairs_u {
        if let Some(v) = v {
            let (m, v) = (ident(name), proc_macro2::Literal::u64_unsuffixed(v));
            t = quote!(#t.#m(#v));
        }
    }
    for (name, v) in [("min", l.min), ("max", l.max)] {
        if let Some(v) = v {
            let (m, v) = (ident(name), proc_macro2::Literal::i64_unsuffixed(v));
            t = quote!(#t.#m(#v));
        }
    }
    if !l.allowed_strings.is_empty() {
        let v = &l.allowed_strings;
        t = quote!(#t.allowed_strs(&[#(#v),*]));
    }
    if !l.allowed_ints.is_empty() {
        let v = l.allowed_ints.iter().map(|i| proc_macro2::Literal::i64_unsuffixed(*i));
        t = quote!(#t.allowed_ints(&[#(#v),*]));
    }
    t
}
