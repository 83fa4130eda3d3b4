//! Error-code enums: one per endpoint (documented codes, wrapped shared tables, and an arm for
//! undocumented codes) and one per shared table rendered `as_enum`, each with its `ErrorCode`
//! table and one `Documents<code>` marker per documented code.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{docs, ident};
use crate::model::{Api, CodeEntry, ErrorCode, ErrorTable, Retry};

/// The enum of a shared table marked `as_enum`.
pub fn table_enum(t: &ErrorTable) -> Option<TokenStream> {
    let e = t.as_enum.as_ref()?;
    let name = ident(&e.rust);
    let entries: Vec<CodeEntry> = t.codes.iter().cloned().map(CodeEntry::Code).collect();
    let doc = format!("{}\n\n{}", t.description, table_doc(&t.codes));
    Some(code_enum(&Api::default(), &name, &doc, &entries))
}

/// The error-code enum of an endpoint.
pub fn endpoint_enum(api: &Api, name: &Ident, title: &str, entries: &[CodeEntry]) -> TokenStream {
    let mut rows = Vec::new();
    let mut wrapped = Vec::new();
    for e in entries {
        match e {
            CodeEntry::Code(c) => rows.push(c.clone()),
            CodeEntry::Table(i) => {
                let t = api.table(*i);
                if let Some(en) = &t.as_enum {
                    wrapped.push(format!(
                        "the codes of {} (variant `{}`)",
                        super::item_link(t.origin, &en.rust),
                        en.variant
                    ));
                }
            }
        }
    }
    rows.sort_by_key(|c| c.code);
    let also = if wrapped.is_empty() { String::new() } else { format!("\n\nAlso {}.", wrapped.join(" and ")) };
    let doc = format!(
        "Error codes of {title}.\n\nA failed call carries one of these in [`live_api::Error::code`](::live_api::Error::code); \
         codes the spec does not list arrive as `Undocumented`.\n\n{}{also}",
        table_doc(&rows)
    );
    code_enum(api, name, &doc, entries)
}

fn table_doc(codes: &[ErrorCode]) -> String {
    if codes.is_empty() {
        return "The spec documents no error code for it.".into();
    }
    let mut s = String::from("| code | variant | retry | meaning |\n|---|---|---|---|\n");
    for c in codes {
        s.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            c.code,
            c.rust,
            c.retry.name(),
            c.description.replace('|', "\\|")
        ));
    }
    s
}

/// `__lv::<class>(code, "Variant", "description")`: one line a code where it fits.
fn info(c: &ErrorCode) -> TokenStream {
    let class = ident(match c.retry {
        Retry::Transient => "transient",
        Retry::Throttled => "throttled",
        Retry::Permanent => "permanent",
    });
    let (code, rust, desc) = (proc_macro2::Literal::i64_unsuffixed(c.code), &c.rust, &c.description);
    quote!(__lv::#class(#code, #rust, #desc))
}

fn code_enum(api: &Api, name: &Ident, doc: &str, entries: &[CodeEntry]) -> TokenStream {
    let doc = docs::attrs(doc);
    let own: Vec<&ErrorCode> = entries
        .iter()
        .filter_map(|e| match e {
            CodeEntry::Code(c) => Some(c),
            CodeEntry::Table(_) => None,
        })
        .collect();
    let nested: Vec<(Ident, TokenStream, String)> = entries
        .iter()
        .filter_map(|e| match e {
            CodeEntry::Table(i) => {
                let t = &api.table(*i);
                let en = t.as_enum.as_ref()?;
                Some((ident(&en.variant), super::item_path(t.origin, &en.rust), t.description.clone()))
            }
            CodeEntry::Code(_) => None,
        })
        .collect();
    let variants = own.iter().map(|c| {
        let d = docs::attrs(&docs::with_facts(&c.description, &format!("Code {}, {}", c.code, c.retry.name())));
        let r = ident(&c.rust);
        quote!(#d #r,)
    });
    let nested_variants = nested.iter().map(|(v, t, d)| {
        let d = docs::attrs(d);
        quote!(#d #v(#t),)
    });
    let infos = own.iter().map(|c| info(c));
    let own_variants = own.iter().map(|c| ident(&c.rust));
    // A code of the endpoint's own table wins (the lookup in `DOCUMENTED`); then each wrapped
    // shared table in turn. A `match`, not `map_or_else`: no closure body per enum to check.
    let mut other = quote!(Self::Undocumented(c));
    for (v, _, _) in nested.iter().rev() {
        other = quote!(match __lv::wrapped_code(c) {
            __lv::Some(w) => Self::#v(w),
            __lv::None => #other,
        });
    }
    // `info`: an own variant's row of `DOCUMENTED` (same order as `VARIANTS`), a wrapped
    // table's own answer, the raw code of `Undocumented`.
    let own_info = own.iter().enumerate().map(|(i, c)| {
        let (r, i) = (ident(&c.rust), proc_macro2::Literal::usize_unsuffixed(i));
        quote!(Self::#r => __lv::Ok(&Self::DOCUMENTED[#i]),)
    });
    let nested_info = nested.iter().map(|(v, _, _)| quote!(Self::#v(c) => __lv::ErrorCode::info(&c),));
    // One `Documents<code>` marker per row of `DOCUMENTED`: code-typed failures check against it.
    let documents = own.iter().map(|c| {
        let lit = proc_macro2::Literal::i64_unsuffixed(c.code);
        let code = if c.code < 0 { quote!({ #lit }) } else { quote!(#lit) };
        quote!(impl __lv::Documents<#code> for #name {})
    });
    quote! {
        #doc
        #[derive(__lv::Debug, __lv::Clone, __lv::Copy, __lv::PartialEq, __lv::Eq, __lv::Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #(#nested_variants)*
            /// A code the spec does not document for this endpoint.
            Undocumented(i64),
        }
        impl __lv::ErrorCode for #name {
            const DOCUMENTED: &'static [__lv::CodeInfo] = &[#(#infos),*];
            const VARIANTS: &'static [Self] = &[#(Self::#own_variants),*];
            fn outside_own_table(c: i64) -> Self {
                #other
            }
            fn info(&self) -> __lv::Result<&'static __lv::CodeInfo, i64> {
                match *self {
                    #(#own_info)*
                    #(#nested_info)*
                    Self::Undocumented(c) => __lv::Err(c),
                }
            }
        }
        #(#documents)*
    }
}
