//! Named types: objects (structs with a constructor of their required fields and setters for
//! the optional ones) and enums (with an `Unknown` arm that keeps values the spec does not know).

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
                let mut d = format!("{}\n\n*Wire value `\"{}\"`", v.description, v.value);
                if !v.aliases.is_empty() {
                    let a: Vec<String> = v.aliases.iter().map(i64::to_string).collect();
                    d.push_str(&format!("; also decoded from {}", a.join(", ")));
                }
                d.push_str(".*");
                let d = docs::attrs(&d);
                let r = ident(&v.rust);
                quote!(#d #r,)
            });
            let wire = values.iter().map(|v| &v.value);
            let all = values.iter().map(|v| ident(&v.rust));
            let idx = values.iter().enumerate().map(|(i, v)| {
                let r = ident(&v.rust);
                quote!(Self::#r => Ok(#i),)
            });
            let aliases = values.iter().enumerate().flat_map(|(i, v)| v.aliases.iter().map(move |a| quote!((#a, #i))));
            enum_def(
                &name,
                doc,
                quote!(#(#variants)*),
                quote! {
                    impl ::live_api::__private::StrEnum for #name {
                        const VALUES: &'static [&'static str] = &[#(#wire),*];
                        const ALIASES: &'static [(i64, usize)] = &[#(#aliases),*];
                        const ALL: &'static [Self] = &[#(Self::#all),*];
                        fn index(&self) -> ::core::result::Result<usize, &::live_api::UnknownValue> {
                            match self { #(#idx)* Self::Unknown(v) => Err(v) }
                        }
                        fn unknown(value: ::live_api::UnknownValue) -> Self { Self::Unknown(value) }
                    }
                },
                quote!(ser_str_enum),
                quote!(de_str_enum),
            )
        }
        TypeKind::IntEnum { repr, values } => {
            let name = ident(&t.name);
            let variants = values.iter().map(|v| {
                let d = docs::attrs(&format!("{}\n\n*Wire value `{}`.*", v.description, v.value));
                let r = ident(&v.rust);
                quote!(#d #r,)
            });
            let wire = values.iter().map(|v| v.value);
            let all = values.iter().map(|v| ident(&v.rust));
            let idx = values.iter().enumerate().map(|(i, v)| {
                let r = ident(&v.rust);
                quote!(Self::#r => Ok(#i),)
            });
            let (lo, hi) = repr.range();
            let (lo, hi) = (lo.max(i64::MIN.into()) as i64, hi.min(i64::MAX.into()) as i64);
            enum_def(
                &name,
                doc,
                quote!(#(#variants)*),
                quote! {
                    impl ::live_api::__private::IntEnum for #name {
                        const VALUES: &'static [i64] = &[#(#wire),*];
                        const RANGE: (i64, i64) = (#lo, #hi);
                        const ALL: &'static [Self] = &[#(Self::#all),*];
                        fn index(&self) -> ::core::result::Result<usize, &::live_api::UnknownValue> {
                            match self { #(#idx)* Self::Unknown(v) => Err(v) }
                        }
                        fn unknown(value: ::live_api::UnknownValue) -> Self { Self::Unknown(value) }
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
        impl ::live_api::__private::serde::Serialize for #name {
            fn serialize<S: ::live_api::__private::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                ::live_api::__private::#ser(self, s)
            }
        }
        impl<'de> ::live_api::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::live_api::__private::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                ::live_api::__private::#de(d)
            }
        }
        impl ::live_api::__private::Validate for #name {}
    }
}

/// The Rust type of a field value (without the `Option` of optional fields).
pub fn rust_ty(api: &Api, ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(::std::string::String),
        Ty::Bool => quote!(bool),
        Ty::Int(t) => int_ty(*t),
        Ty::Array(t) => {
            let inner = rust_ty(api, t);
            quote!(::std::vec::Vec<#inner>)
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

/// A struct for a JSON object, with its `Validate` impl and, when `constructors`, `new` and
/// setters (endpoint answers are only decoded, so they have none).
/// Which serde directions a generated struct derives: both for shared types; for endpoint
/// requests and answers the client's direction always, and the server's direction as the
/// server side is rendered (always, under a `cfg`, or not at all).
pub enum Derives {
    /// `Serialize` and `Deserialize`.
    Both,
    /// `Serialize` (requests), plus `Deserialize` with the server side.
    Request(TokenStream),
    /// `Deserialize` (answers), plus `Serialize` with the server side.
    Answer(TokenStream),
}

impl Derives {
    fn render(&self) -> TokenStream {
        let ser = quote!(::live_api::__private::serde::Serialize);
        let de = quote!(::live_api::__private::serde::Deserialize);
        match self {
            Derives::Both => quote!(#[derive(Debug, Clone, PartialEq, #ser, #de)]),
            Derives::Request(server) => quote!(#[derive(Debug, Clone, PartialEq, #ser)] #server),
            Derives::Answer(server) => quote!(#[derive(Debug, Clone, PartialEq, #de)] #server),
        }
    }
}

pub fn object(
    api: &Api,
    name: &str,
    doc: TokenStream,
    fields: &[Field],
    constructors: bool,
    derives: Derives,
) -> TokenStream {
    let name = ident(name);
    let decls = fields.iter().map(|f| {
        let d = docs::attrs(&docs::field(api, f));
        let r = ident(&f.rust);
        let wire = &f.wire;
        let ty = rust_ty(api, &f.ty);
        let lenient = (!f.accept.is_empty()).then(|| quote!(deserialize_with = "::live_api::__private::lenient",));
        if f.required {
            quote!(#d #[serde(rename = #wire, #lenient)] pub #r: #ty,)
        } else {
            quote! {
                #d
                #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none", #lenient)]
                pub #r: ::core::option::Option<#ty>,
            }
        }
    });
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
        format!("Creates a [`{name}`] with every optional field unset.")
    } else {
        format!(
            "Creates a [`{name}`] from its required fields ({}); set the others with the setters.",
            required_names.join(", ")
        )
    };
    let setters = opt.iter().map(|f| {
        let r = ident(&f.rust);
        let (ty, conv) = param(api, &f.ty);
        let d = format!(" Sets `{}`: {}", f.wire, f.description.lines().next().unwrap_or_default());
        quote! {
            #[doc = #d]
            #[must_use]
            pub fn #r(mut self, value: #ty) -> Self {
                self.#r = Some(value #conv);
                self
            }
        }
    });
    let constructors_block = if constructors {
        quote! {
        impl #name {
                #[doc = #new_doc]
                #[allow(clippy::new_without_default)]
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits),* }
                }
                #(#setters)*
            }
        }
    } else {
        quote!()
    };
    let checks = fields.iter().filter(|f| docs::needs_check(api, f)).map(|f| {
        let r = ident(&f.rust);
        let wire = &f.wire;
        let limits = limits(&f.limits);
        quote!(c.field(#wire, &self.#r, #limits);)
    });
    let checks: Vec<TokenStream> = checks.collect();
    let derive_attrs = derives.render();
    let validate = if checks.is_empty() {
        quote!(impl ::live_api::__private::Validate for #name {})
    } else {
        quote! {
            impl ::live_api::__private::Validate for #name {
                fn validate(&self, c: &mut ::live_api::__private::Checker<'_>) {
                    #(#checks)*
                }
            }
        }
    };
    quote! {
            #doc
            #derive_attrs
            #[serde(crate = "::live_api::__private::serde")]
            #[non_exhaustive]
            pub struct #name {
                #(#decls)*
            }
    #constructors_block
            #validate
        }
}

/// Parameter type of a constructor argument or setter, and the conversion applied to it.
fn param(api: &Api, ty: &Ty) -> (TokenStream, TokenStream) {
    match ty {
        Ty::String => (quote!(impl ::core::convert::Into<::std::string::String>), quote!(.into())),
        Ty::Array(_) => {
            let t = rust_ty(api, ty);
            (quote!(impl ::core::convert::Into<#t>), quote!(.into()))
        }
        _ => (rust_ty(api, ty), quote!()),
    }
}

/// `::live_api::__private::Limits::NONE.max_bytes(48)…` for a field's limits.
fn limits(l: &Limits) -> TokenStream {
    let mut t = quote!(::live_api::__private::Limits::NONE);
    let pairs_u = [
        ("min_bytes", l.min_bytes),
        ("max_bytes", l.max_bytes),
        ("min_items", l.min_items),
        ("max_items", l.max_items),
    ];
    for (name, v) in pairs_u {
        if let Some(v) = v {
            let m = ident(name);
            t = quote!(#t.#m(#v));
        }
    }
    for (name, v) in [("min", l.min), ("max", l.max)] {
        if let Some(v) = v {
            let m = ident(name);
            t = quote!(#t.#m(#v));
        }
    }
    if !l.allowed_strings.is_empty() {
        let v = &l.allowed_strings;
        t = quote!(#t.allowed_strs(&[#(#v),*]));
    }
    if !l.allowed_ints.is_empty() {
        let v = &l.allowed_ints;
        t = quote!(#t.allowed_ints(&[#(#v),*]));
    }
    t
}
