//! Per callback: the body struct (decoded tolerantly as answers are, encoded with its
//! `CallbackCommand` first) and its `CallbackBody` impl; per before-callback, the reply enum
//! (with the struct of the reply's fields, if it has any) and its conversion into the runtime's
//! `Reply`; and the enum `Callback` over every callback, implementing `CallbackSet`. Data and
//! trait impls only: decoding, replies and receiving are `live_api::callback`'s.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::types::{self, Role};
use super::{Server, docs, ident};
use crate::model::{Api, Callback, CallbackKind, CallbackReply, OnTimeout};

/// Name of the enum of every callback.
pub const ENUM: &str = "Callback";

/// The variant of a reply enum that allows the event with the reply's fields.
pub const ALLOW_WITH: &str = "AllowWith";

/// Every callback's items and the enum `Callback`; nothing for a folder read on a base (whose
/// callbacks and enum the base renders).
pub fn callbacks(api: &Api) -> TokenStream {
    if api.extends_base {
        return quote!();
    }
    let items = api.callbacks.iter().map(|c| callback(api, c));
    let set = callback_enum(api);
    quote!(#(#items)* #set)
}

/// The body struct, its `CallbackBody` impl, and the reply items of a before-callback.
fn callback(api: &Api, c: &Callback) -> TokenStream {
    let name = ident(&c.rust_name);
    let command = &c.command;
    let doc = docs::attrs(&body_doc(c));
    let body = types::object(api, &c.rust_name, doc, &c.body, Role::Callback(command.clone()));
    let kind = match c.kind {
        CallbackKind::After => quote!(__lv::CallbackKind::After),
        CallbackKind::Before => quote!(__lv::CallbackKind::Before),
    };
    let (reply, on_timeout) = match &c.reply {
        Some(r) => {
            let timeout = timeout_variant(c, r);
            let on_timeout = quote! {
                fn on_timeout() -> __lv::Reply {
                    __lv::Into::into(#timeout)
                }
            };
            (reply_items(api, c, r), on_timeout)
        }
        None => (quote!(), quote!()),
    };
    quote! {
        #body
        impl __lv::CallbackBody for #name {
            const COMMAND: &'static str = #command;
            const KIND: __lv::CallbackKind = #kind;
            #on_timeout
        }
        #reply
    }
}

/// The rustdoc of a body struct: title, description, what the reply does, link, notes, sample.
fn body_doc(c: &Callback) -> String {
    let (facts, reply) = match &c.reply {
        None => ("an after-callback: Live ignores the reply".to_owned(), String::new()),
        Some(r) => {
            let timeout = match r.on_timeout {
                OnTimeout::Block => "blocks the event",
                OnTimeout::Allow => "lets the event happen",
            };
            let variant = r.timeout_decision().map(|d| format!(" (as [`{}::{}`])", c.reply_name(), d.rust));
            let facts = format!(
                "a before-callback, answered with [`{}`]; without a reply in time, Live {timeout}{}",
                c.reply_name(),
                variant.unwrap_or_default()
            );
            (facts, format!("\n\n# Reply\n\n{}", r.description))
        }
    };
    let mut text = format!(
        "{}.\n\n{}\n\n*`{}`, {facts}. [Documentation]({}).*{reply}",
        c.title.trim_end_matches('.'),
        c.description,
        c.command,
        c.doc_url
    );
    if let Some(n) = &c.notes {
        text.push_str(&format!("\n\n{n}"));
    }
    if let Some(x) = c.examples.first() {
        text.push_str(&format!("\n\n# Example\n\nThe documented body ({}):\n\n{}", x.name, docs::json_block(&x.body)));
    }
    text
}

/// `<Name>Reply::<decision of a timeout>`.
fn timeout_variant(c: &Callback, r: &CallbackReply) -> TokenStream {
    let reply = ident(&c.reply_name());
    // The reader guarantees a decision with code 0 and, for `block`, one without.
    let decision = r.timeout_decision().map_or("Allow", |d| d.rust.as_str());
    let v = ident(decision);
    quote!(#reply::#v)
}

/// The reply enum of a before-callback, its conversion into `Reply`, and the struct of the
/// reply's fields.
fn reply_items(api: &Api, c: &Callback, r: &CallbackReply) -> TokenStream {
    let reply = ident(&c.reply_name());
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for d in &r.decisions {
        let doc = docs::attrs(&docs::with_facts(&d.description, &format!("`ErrorCode` {}", d.code)));
        let v = ident(&d.rust);
        let code = Literal::u32_unsuffixed(d.code);
        variants.push(quote!(#doc #v,));
        arms.push(quote!(#reply::#v => __lv::Reply::with_code(#code, ""),));
    }
    if let Some(p) = &r.pass_through {
        let facts = format!("`ErrorCode` from {} to {}, and `ErrorInfo`, passed to the client", p.min, p.max);
        let doc = docs::attrs(&docs::with_facts(&p.description, &facts));
        let v = ident(&p.rust);
        let (min, max) = (Literal::u32_unsuffixed(p.min), Literal::u32_unsuffixed(p.max));
        variants.push(quote! {
            #doc
            #v {
                /// The `ErrorCode`.
                code: __lv::PassThrough<#min, #max>,
                /// The `ErrorInfo`.
                info: __lv::String,
            },
        });
        arms.push(quote!(#reply::#v { code, info } => __lv::Reply::with_code(code.get(), info),));
    }
    let changes = if r.fields.is_empty() {
        quote!()
    } else {
        let name = c.changes_name();
        let changes = ident(&name);
        let allow = ident(ALLOW_WITH);
        let doc =
            docs::attrs(&format!("Lets the event happen with the fields of [`{name}`] in the reply. *`ErrorCode` 0.*"));
        variants.push(quote!(#doc #allow(#changes),));
        arms.push(quote!(#reply::#allow(changes) => __lv::Reply::ok().with_fields(changes),));
        let doc = docs::attrs(&format!(
            "The fields a reply to [`{}`] may carry: see [`{}::{ALLOW_WITH}`].",
            c.rust_name,
            c.reply_name()
        ));
        types::object(api, &name, doc, &r.fields, Role::Request(Server::Off))
    };
    let doc = docs::attrs(&format!(
        "The reply to [`{}`] (`{}`).\n\n{}\n\nConverts into the [`Reply`](::live_api::callback::Reply) the app sends.",
        c.rust_name, c.command, r.description
    ));
    quote! {
        #doc
        #[derive(__lv::Debug, __lv::Clone, __lv::PartialEq)]
        #[non_exhaustive]
        pub enum #reply {
            #(#variants)*
        }
        impl ::core::convert::From<#reply> for __lv::Reply {
            fn from(reply: #reply) -> Self {
                match reply {
                    #(#arms)*
                }
            }
        }
        #changes
    }
}

/// The enum `Callback`: one variant per callback and `Unknown`; `CallbackSet` and `Serialize`.
fn callback_enum(api: &Api) -> TokenStream {
    let name = ident(ENUM);
    let cbs = &api.callbacks;
    let variants = cbs.iter().map(|c| {
        let v = ident(&c.rust_name);
        let doc = format!(" [`{}`]: `{}`.", c.rust_name, c.command);
        quote!(#[doc = #doc] #v(#v),)
    });
    let decode_arms = cbs.iter().map(|c| {
        let (v, word) = (ident(&c.rust_name), &c.command);
        quote!(#word => <#v as __lv::CallbackBody>::decode(body).map(Self::#v),)
    });
    let unknown = quote!(__lv::UnknownCallback::new(command, body).map(Self::Unknown));
    let decode = if cbs.is_empty() { unknown } else { quote!(match command { #(#decode_arms)* _ => #unknown }) };
    let arms = |f: &dyn Fn(&proc_macro2::Ident) -> TokenStream| -> Vec<TokenStream> {
        cbs.iter()
            .map(|c| {
                let v = ident(&c.rust_name);
                let value = f(&v);
                quote!(Self::#v(_) => #value,)
            })
            .collect()
    };
    let commands = arms(&|v| quote!(<#v as __lv::CallbackBody>::COMMAND));
    let kinds = arms(&|v| quote!(__lv::Some(<#v as __lv::CallbackBody>::KIND)));
    let timeouts = arms(&|v| quote!(<#v as __lv::CallbackBody>::on_timeout()));
    let sers = cbs.iter().map(|c| {
        let v = ident(&c.rust_name);
        quote!(Self::#v(c) => __lv::Serialize::serialize(c, s),)
    });
    quote! {
        /// Every callback of the specs, as the app's webhook URL receives it: decoded by
        /// [`CallbackSet::decode`](::live_api::callback::CallbackSet::decode) from its command
        /// word and body, or kept with its raw body when the specs do not know the command.
        /// Encodes as the body Live sent.
        #[derive(__lv::Debug, __lv::Clone)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A command the specs do not know, with its body as received.
            Unknown(__lv::UnknownCallback),
        }
        impl __lv::CallbackSet for #name {
            fn decode(command: &str, body: &[u8]) -> __lv::Result<Self, __lv::BodyError> {
                #decode
            }
            fn command(&self) -> &str {
                match self {
                    #(#commands)*
                    Self::Unknown(u) => u.command(),
                }
            }
            fn kind(&self) -> __lv::Option<__lv::CallbackKind> {
                match self {
                    #(#kinds)*
                    Self::Unknown(_) => __lv::None,
                }
            }
            fn on_timeout(&self) -> __lv::Reply {
                match self {
                    #(#timeouts)*
                    Self::Unknown(_) => __lv::Reply::ok(),
                }
            }
        }
        impl __lv::Serialize for #name {
            fn serialize<S: __lv::Serializer>(&self, s: S) -> __lv::Result<S::Ok, S::Error> {
                match self {
                    #(#sers)*
                    Self::Unknown(u) => __lv::Serialize::serialize(u, s),
                }
            }
        }
    }
}
