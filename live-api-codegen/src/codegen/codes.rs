//! Error-code enums: one per endpoint (documented codes, wrapped shared tables, and an arm for
//! undocumented codes) and one per shared table rendered `as_enum`.

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
                if let Some(en) = &api.tables[*i].as_enum {
                    wrapped.push(format!("the codes of [`{}`] (variant `{}`)", en.rust, en.variant));
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

fn retry(r: Retry) -> TokenStream {
    match r {
        Retry::Transient => quote!(::live_api::RetryClass::Transient),
        Retry::Throttled => quote!(::live_api::RetryClass::Throttled),
        Retry::Permanent => quote!(::live_api::RetryClass::Permanent),
    }
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
    let nested: Vec<(Ident, Ident, String)> = entries
        .iter()
        .filter_map(|e| match e {
            CodeEntry::Table(i) => {
                let t = &api.tables[*i];
                let en = t.as_enum.as_ref()?;
                Some((ident(&en.variant), ident(&en.rust), t.description.clone()))
            }
            CodeEntry::Code(_) => None,
        })
        .collect();
    let variants = own.iter().map(|c| {
        let d = docs::attrs(&format!("{}\n\n*Code {}, {}.*", c.description, c.code, c.retry.name()));
        let r = ident(&c.rust);
        quote!(#d #r,)
    });
    let nested_variants = nested.iter().map(|(v, t, d)| {
        let d = docs::attrs(d);
        quote!(#d #v(#t),)
    });
    let infos = own.iter().map(|c| {
        let (code, rust, desc, retry) = (c.code, &c.rust, &c.description, retry(c.retry));
        quote!(::live_api::CodeInfo { code: #code, name: #rust, retry: #retry, description: #desc })
    });
    let from = own.iter().map(|c| {
        let (code, r) = (c.code, ident(&c.rust));
        quote!(#code => Self::#r,)
    });
    let nested_from = nested.iter().map(|(v, t, _)| {
        quote! {
            let nested = <#t as ::live_api::ErrorCode>::from_code(code);
            if ::live_api::ErrorCode::info(&nested).is_ok() {
                return Self::#v(nested);
            }
        }
    });
    let info = own.iter().enumerate().map(|(i, c)| {
        let r = ident(&c.rust);
        quote!(Self::#r => Ok(&Self::DOCUMENTED[#i]),)
    });
    let nested_info = nested.iter().map(|(v, _, _)| quote!(Self::#v(c) => ::live_api::ErrorCode::info(c),));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #(#nested_variants)*
            /// A code the spec does not document for this endpoint.
            Undocumented(i64),
        }
        impl ::live_api::ErrorCode for #name {
            const DOCUMENTED: &'static [::live_api::CodeInfo] = &[#(#infos),*];
            fn from_code(code: i64) -> Self {
                #(#nested_from)*
                match code {
                    #(#from)*
                    other => Self::Undocumented(other),
                }
            }
            fn info(&self) -> ::core::result::Result<&'static ::live_api::CodeInfo, i64> {
                match self {
                    #(#info)*
                    #(#nested_info)*
                    Self::Undocumented(code) => Err(*code),
                }
            }
        }
    }
}
