//! What the spec says about each endpoint's request, as static data for tools (the command line
//! builds its subcommands, flags and help from it): in a hidden module, one `static` `EndpointInfo`
//! per endpoint and one `static` `TypeInfo` per named type a request reaches, and per endpoint a
//! `Described` impl pointing at its static. Statics, not consts: they may point at each other (a
//! type may contain itself) and exist once. Rendered with the server side. The types are
//! `live_api::describe`'s; this renders data only.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use crate::model::{Api, CodeEntry, Endpoint, Field, Ty, TypeKind};

/// Name of the hidden module holding the statics.
const MODULE: &str = "__described";

/// Every endpoint's `Described` impl and the statics they point at, each under `cfg` (empty, or
/// a `#[cfg(..)]` attribute).
pub fn described(api: &Api, cfg: &TokenStream) -> TokenStream {
    if api.endpoints.is_empty() {
        return quote!();
    }
    let module = ident(MODULE);
    let types = reached(api).into_iter().map(|i| type_info(api, i));
    let endpoints = api.endpoints.iter().map(|e| endpoint_info(api, e));
    let impls = api.endpoints.iter().map(|e| {
        let req = ident(&e.rust_name);
        quote! {
            #cfg
            impl __lv::Described for #req {
                const INFO: &'static __lv::EndpointInfo = &#module::#req;
            }
        }
    });
    quote! {
        #cfg
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        mod #module {
            use super::__lv;
            #(#endpoints)*
            #(#types)*
        }
        #(#impls)*
    }
}

/// The static of endpoint `e`, named as its request type.
fn endpoint_info(api: &Api, e: &Endpoint) -> TokenStream {
    let req = ident(&e.rust_name);
    let (method, title, description, doc_url) = (&e.method, &e.title, &e.description, &e.doc_url);
    let fields = e.request.iter().map(|f| field(api, f));
    let wrapped = e.errors.iter().filter_map(|entry| match entry {
        CodeEntry::Table(i) => {
            let t = api.table(*i);
            let name = &t.as_enum.as_ref()?.rust;
            let count = Literal::usize_unsuffixed(t.codes.len());
            Some(quote!(__lv::WrappedCodes { name: #name, count: #count }))
        }
        CodeEntry::Code(_) => None,
    });
    let example = match e.examples.first() {
        Some(x) => {
            let (name, request) = (&x.name, &x.request);
            quote!(__lv::Some(__lv::ExampleInfo { name: #name, request: #request }))
        }
        None => quote!(__lv::None),
    };
    quote! {
        pub(super) static #req: __lv::EndpointInfo = __lv::EndpointInfo {
            method: #method,
            title: #title,
            description: #description,
            doc_url: #doc_url,
            request: &[#(#fields),*],
            wrapped_codes: &[#(#wrapped),*],
            example: #example,
        };
    }
}

/// `__lv::field(..)`.
fn field(api: &Api, f: &Field) -> TokenStream {
    let (wire, rust, description, required) = (&f.wire, &f.rust, &f.description, f.required);
    let ty = value_type(api, &f.ty);
    let limits = f.limits.describe();
    let default = match &f.default {
        Some(d) => quote!(__lv::Some(#d)),
        None => quote!(__lv::None),
    };
    let field = quote!(__lv::field(#wire, #rust, #description, #ty, #required, &[#(#limits),*], #default));
    if f.secret { quote!(__lv::secret(#field)) } else { field }
}

fn value_type(api: &Api, ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(__lv::ValueType::Str),
        Ty::Bool => quote!(__lv::ValueType::Bool),
        Ty::IntOrString => quote!(__lv::ValueType::IntOrStr),
        Ty::Int(t) => {
            let (lo, hi) = t.range();
            let name = t.name();
            // Every width's range fits `i64..=u64`.
            let min = Literal::i64_unsuffixed(i64::try_from(lo).unwrap_or(i64::MIN));
            let max = Literal::u64_unsuffixed(u64::try_from(hi).unwrap_or(u64::MAX));
            quote!(__lv::ValueType::Int { name: #name, min: #min, max: #max })
        }
        Ty::Array(inner) => {
            let inner = value_type(api, inner);
            quote!(__lv::ValueType::Array(&#inner))
        }
        Ty::Named(i) => {
            let name = ident(&api.type_def(*i).name);
            quote!(__lv::ValueType::Named(&#name))
        }
    }
}

/// The static of named type `i`.
fn type_info(api: &Api, i: usize) -> TokenStream {
    let t = &api.types[i];
    let (name, text) = (ident(&t.name), &t.name);
    let kind = match &t.kind {
        TypeKind::Object(fields) => {
            let fields = fields.iter().map(|f| field(api, f));
            quote!(__lv::TypeKind::Object(&[#(#fields),*]))
        }
        TypeKind::StrEnum(values) => {
            let values = values.iter().map(|v| {
                let (value, rust, description) = (&v.value, &v.rust, &v.description);
                if v.prefix {
                    quote!(__lv::family(#value, #rust, #description))
                } else {
                    quote!(__lv::variant(#value, #rust, #description))
                }
            });
            quote!(__lv::TypeKind::StrEnum(&[#(#values),*]))
        }
        TypeKind::IntEnum { values, .. } => {
            let values = values.iter().map(|v| {
                let (value, rust, description) = (Literal::i64_unsuffixed(v.value), &v.rust, &v.description);
                quote!(__lv::variant(#value, #rust, #description))
            });
            quote!(__lv::TypeKind::IntEnum(&[#(#values),*]))
        }
    };
    quote! {
        pub(super) static #name: __lv::TypeInfo = __lv::TypeInfo { name: #text, kind: #kind };
    }
}

/// The named types the request fields reach, directly or through other types, in the order of
/// [`Api::types`].
fn reached(api: &Api) -> Vec<usize> {
    let mut seen = vec![false; api.types.len()];
    let mut todo: Vec<&Ty> = api.endpoints.iter().flat_map(|e| e.request.iter().map(|f| &f.ty)).collect();
    while let Some(ty) = todo.pop() {
        match ty {
            Ty::Array(inner) => todo.push(inner),
            Ty::Named(i) if !seen[i.0] => {
                seen[i.0] = true;
                if let TypeKind::Object(fields) = &api.type_def(*i).kind {
                    todo.extend(fields.iter().map(|f| &f.ty));
                }
            }
            _ => {}
        }
    }
    (0..api.types.len()).filter(|i| seen[*i]).collect()
}
