//! Structs and enums: shared named types (objects encoded and decoded through field lists, and enums with an
//! `Unknown` arm that keeps values the spec does not know), endpoint requests (a constructor of
//! the required fields, setters for the optional ones, limit checks, and `Serialize` as a field
//! list) and endpoint answers (`Deserialize` as a field list). The field lists run on
//! `live_api`'s `wire_struct` module instead of a serde derive per type: that derive was the
//! largest part of the build time of the generated API (docs/performance.md).

use proc_macro2::TokenStream;
use quote::quote;

use super::{Server, docs, ident};
use crate::model::{Api, Field, FieldId, IntTy, JsonKind, Limits, Ty, TypeDef, TypeKind};

pub fn type_def(api: &Api, t: &TypeDef) -> TokenStream {
    let mut text = t.description.clone();
    if let Some(n) = &t.notes {
        text = format!("{text}\n\n{n}");
    }
    let doc = docs::attrs(&text);
    match &t.kind {
        TypeKind::Object(fields) => object(api, &t.name, doc, fields, Role::Shared),
        TypeKind::StrEnum(all_values) => {
            let name = ident(&t.name);
            // Families hold their value; the tables of listed values leave them out.
            let (families, values): (Vec<_>, Vec<_>) = all_values.iter().partition(|v| v.prefix);
            let family_variants = families.iter().map(|v| {
                let facts = format!("Every other wire value that starts with `\"{}\"`, kept whole", v.value);
                let d = docs::attrs(&docs::with_facts(&v.description, &facts));
                let r = ident(&v.rust);
                quote!(#d #r(::live_api::UnknownValue),)
            });
            let prefixes = families.iter().map(|v| &v.value);
            let members = families.iter().enumerate().map(|(i, v)| {
                let (r, i) = (ident(&v.rust), proc_macro2::Literal::usize_unsuffixed(i));
                quote!(#i => Self::#r(value),)
            });
            let family_idx = families.iter().map(|v| {
                let r = ident(&v.rust);
                quote!(Self::#r(v) => __lv::Err(v),)
            });
            let family_impl = (!families.is_empty()).then(|| {
                quote! {
                    const PREFIXES: &'static [&'static str] = &[#(#prefixes),*];
                    fn member(family: usize, value: __lv::UnknownValue) -> Self {
                        match family { #(#members)* _ => Self::Unknown(value) }
                    }
                }
            });
            let constructors = families.iter().map(|v| {
                let (r, m) = (ident(&v.rust), ident(&crate::names::snake_case(&v.rust)));
                let doc = format!(" The [`{}::{}`] value `{}<rest>`.", t.name, v.rust, v.value);
                let prefix = &v.value;
                quote! {
                    #[doc = #doc]
                    pub fn #m(rest: &str) -> Self {
                        Self::#r(__lv::family_value(#prefix, rest))
                    }
                }
            });
            let constructors = (!families.is_empty()).then(|| quote!(impl #name { #(#constructors)* }));
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
                quote!(Self::#r => __lv::Ok(#i),)
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
                quote!(#(#variants)* #(#family_variants)*),
                quote! {
                    impl __lv::StrEnum for #name {
                        const VALUES: &'static [&'static str] = &[#(#wire),*];
                        const ALIASES: &'static [(i64, usize)] = &[#(#aliases),*];
                        const ALL: &'static [Self] = &[#(Self::#all),*];
                        fn index(&self) -> __lv::Result<usize, &__lv::UnknownValue> {
                            match self { #(#idx)* #(#family_idx)* Self::Unknown(v) => __lv::Err(v) }
                        }
                        fn unknown(value: __lv::UnknownValue) -> Self { Self::Unknown(value) }
                        #family_impl
                    }
                    #constructors
                },
                quote!(ser_str_enum),
                quote!(de_str_enum),
            )
        }
        TypeKind::IntEnum { values, .. } => {
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
                quote!(Self::#r => __lv::Ok(#i),)
            });
            enum_def(
                &name,
                doc,
                quote!(#(#variants)*),
                quote! {
                    impl __lv::IntEnum for #name {
                        const VALUES: &'static [i64] = &[#(#wire),*];
                        const ALL: &'static [Self] = &[#(Self::#all),*];
                        fn index(&self) -> __lv::Result<usize, &__lv::UnknownValue> {
                            match self { #(#idx)* Self::Unknown(v) => __lv::Err(v) }
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
        #[derive(__lv::Debug, __lv::Clone, __lv::PartialEq, __lv::Eq, __lv::Hash)]
        #[non_exhaustive]
        pub enum #name {
            #variants
            /// A value this version of the spec does not know, kept as it was received.
            Unknown(::live_api::UnknownValue),
        }
        #wire_impl
        impl __lv::Serialize for #name {
            fn serialize<S: __lv::Serializer>(&self, s: S) -> __lv::Result<S::Ok, S::Error> {
                __lv::#ser(self, s)
            }
        }
        impl<'de> __lv::Deserialize<'de> for #name {
            fn deserialize<D: __lv::Deserializer<'de>>(d: D) -> __lv::Result<Self, D::Error> {
                __lv::#de(d)
            }
        }
        impl __lv::Validate for #name {}
        impl __lv::Placeholder for #name { fn placeholder() -> Self { Self::Unknown(__lv::placeholder()) } }
    }
}

/// The Rust type of a field value (without the `Option` of optional fields).
pub fn rust_ty(api: &Api, ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(__lv::String),
        Ty::Bool => quote!(bool),
        Ty::Int(t) => int_ty(*t),
        Ty::IntOrString => quote!(__lv::IntOrString),
        Ty::Array(t) => {
            let inner = rust_ty(api, t);
            quote!(__lv::Vec<#inner>)
        }
        Ty::Named(i) => {
            let t = api.type_def(*i);
            super::item_path(t.origin, &t.name)
        }
    }
}

/// The Rust type of a field's value: [`rust_ty`] of its type, or `Secret` for a secret string.
pub fn field_ty(api: &Api, f: &Field) -> TokenStream {
    if f.secret { quote!(__lv::Secret) } else { rust_ty(api, &f.ty) }
}

fn int_ty(t: IntTy) -> TokenStream {
    let i = ident(t.name());
    quote!(#i)
}

impl Server {
    /// Where either side holds.
    fn or(&self, other: &Server) -> Server {
        match (self, other) {
            (Server::On, _) | (_, Server::On) => Server::On,
            (Server::Cfg(p), _) | (_, Server::Cfg(p)) => Server::Cfg(p.clone()),
            _ => Server::Off,
        }
    }
}

/// What a generated struct is: a shared named type (field lists both directions), an
/// endpoint request (encoded by the client; decoded by the server side, where rendered), an
/// endpoint response (decoded by the client; encoded by the server side), or the body of the
/// callback with this command word (decoded as answers are, encoded with the word first).
pub enum Role {
    Shared,
    Request(Server),
    Response(Server),
    Callback(String),
}

/// How one direction of a struct's JSON is implemented.
enum Codec {
    /// serde's derive, where the side holds.
    Derive(Server),
    /// The generated field list over the runtime's `wire_struct` (no derive).
    Fields,
}

impl Codec {
    fn derived(&self) -> Server {
        match self {
            Codec::Derive(side) => side.clone(),
            Codec::Fields => Server::Off,
        }
    }
}

/// serde's `rename_all = "PascalCase"` applied to a field name: a field whose wire name is this
/// needs no `rename` of its own.
fn serde_pascal_case(rust: &str) -> String {
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

/// `#[serde(..)]` attributes, grouped: those that always apply in one attribute, those under the
/// server's `cfg` in one `cfg_attr`.
#[derive(Default)]
struct SerdeAttrs {
    always: Vec<TokenStream>,
    cfg: Vec<TokenStream>,
    predicate: Option<TokenStream>,
}

impl SerdeAttrs {
    fn push(&mut self, side: &Server, attr: TokenStream) {
        match side {
            Server::Off => {}
            Server::On => self.always.push(attr),
            Server::Cfg(p) => {
                self.cfg.push(attr);
                self.predicate = Some(p.clone());
            }
        }
    }
    fn render(&self) -> TokenStream {
        let always = &self.always;
        let always = (!always.is_empty()).then(|| quote!(#[serde(#(#always),*)]));
        let cfg = match (&self.predicate, self.cfg.is_empty()) {
            (Some(p), false) => {
                let c = &self.cfg;
                quote!(#[cfg_attr(#p, serde(#(#c),*))])
            }
            _ => quote!(),
        };
        quote!(#always #cfg)
    }
}

/// A struct for a JSON object with its (de)serialization; for shared types and requests also
/// `new`, setters and the `Validate` impl (answers are only decoded: nobody builds or checks
/// them).
pub fn object(api: &Api, name: &str, doc: TokenStream, fields: &[Field], role: Role) -> TokenStream {
    object_with(api, name, doc, fields, role, &[])
}

/// [`object`], with the `one_of` groups of a request's fields.
pub fn object_with(
    api: &Api,
    name: &str,
    doc: TokenStream,
    fields: &[Field],
    role: Role,
    one_of: &[Vec<FieldId>],
) -> TokenStream {
    let name = ident(name);
    let all_optional = fields.iter().all(|f| !f.required);
    let (ser, de) = match &role {
        // Shared types and callback bodies go both ways (in requests and in answers).
        Role::Shared | Role::Callback(_) => (Codec::Fields, Codec::Fields),
        Role::Request(side) => (Codec::Fields, Codec::Derive(side.clone())),
        Role::Response(side) => (Codec::Derive(side.clone()), Codec::Fields),
    };
    let (ser_side, de_side) = (ser.derived(), de.derived());
    let any_derive = ser_side.or(&de_side);
    let decls = fields.iter().map(|f| {
        let d = docs::attrs(&docs::field(api, f));
        let r = ident(&f.rust);
        let ty = field_ty(api, f);
        let mut serde = SerdeAttrs::default();
        if serde_pascal_case(&f.rust) != f.wire {
            let wire = &f.wire;
            serde.push(&any_derive, quote!(rename = #wire));
        }
        for a in &f.aliases {
            serde.push(&de_side, quote!(alias = #a));
        }
        if !f.accept.is_empty() {
            // `default`: a field decoded `with` a function is no longer optional by itself.
            let default = (!f.required).then(|| quote!(default,));
            let kinds: Vec<String> = accept_kinds(f).iter().map(|k| format!("__lv::{k}")).collect();
            let with = format!("__lv::lenient::<{{ {} }}, _, _>", kinds.join(" | "));
            serde.push(&de_side, quote!(#default deserialize_with = #with));
        }
        if f.required {
            let attrs = serde.render();
            return quote!(#d #attrs pub #r: #ty,);
        }
        serde.push(&ser_side, quote!(skip_serializing_if = "__lv::Option::is_none"));
        let attrs = serde.render();
        quote!(#d #attrs pub #r: __lv::Option<#ty>,)
    });
    let mut derives = vec![quote!(__lv::Debug), quote!(__lv::Clone), quote!(__lv::PartialEq)];
    let mut cfg_derives = Vec::new();
    let mut predicate = None;
    for (codec, path) in [(&ser, quote!(__lv::Serialize)), (&de, quote!(__lv::Deserialize))] {
        match codec.derived() {
            Server::On => derives.push(path),
            Server::Cfg(p) => {
                cfg_derives.push(path);
                predicate = Some(p);
            }
            Server::Off => {}
        }
    }
    // Decoding starts from the fields' placeholders: `Default` when they are all optional.
    if matches!(de, Codec::Fields) && all_optional {
        derives.push(quote!(__lv::Default));
    }
    let cfg_derive = predicate.map(|p| quote!(#[cfg_attr(#p, derive(#(#cfg_derives),*))]));
    let mut container = SerdeAttrs::default();
    container.push(&any_derive, quote!(crate = "__lv::serde"));
    container.push(&any_derive, quote!(rename_all = "PascalCase"));
    let container = container.render();
    let builds = matches!(role, Role::Shared | Role::Request(_));
    let one_of = match &role {
        Role::Request(_) => one_of,
        _ => &[],
    };
    let validate = if builds { validate(api, &name, fields, one_of) } else { quote!() };
    let constructors = if builds { constructors_block(api, &name, fields) } else { quote!() };
    // Builders: an unused `new(..)` or setter result is a bug.
    let must_use = builds.then(|| quote!(#[must_use]));
    let first = match &role {
        Role::Callback(word) => Some((crate::model::Callback::COMMAND_KEY, word.as_str())),
        _ => None,
    };
    let ser_impl = if matches!(ser, Codec::Fields) { ser_fields(&name, first, fields) } else { quote!() };
    let de_impl = if matches!(de, Codec::Fields) { de_fields(&name, fields) } else { quote!() };
    quote! {
        #doc
        #[derive(#(#derives),*)]
        #cfg_derive
        #container
        #[non_exhaustive]
        #must_use
        pub struct #name {
            #(#decls)*
        }
        #constructors
        #validate
        #ser_impl
        #de_impl
    }
}

/// `Serialize` as one `put`/`opt` line per field (`wire_struct::ObjectWriter`), after the
/// member `first` (a callback's `CallbackCommand`), when given.
fn ser_fields(name: &proc_macro2::Ident, first: Option<(&str, &str)>, fields: &[Field]) -> TokenStream {
    let puts = fields.iter().map(|f| {
        let (wire, r) = (&f.wire, ident(&f.rust));
        if f.required { quote!(o.put(#wire, &self.#r)?;) } else { quote!(o.opt(#wire, &self.#r)?;) }
    });
    let first = first.map(|(wire, value)| quote!(o.put(#wire, #value)?;));
    let count = fields.len() + usize::from(first.is_some());
    let (n, type_name) = (proc_macro2::Literal::usize_unsuffixed(count), name.to_string());
    quote! {
        impl __lv::Serialize for #name {
            fn serialize<S: __lv::Serializer>(&self, s: S) -> __lv::Result<S::Ok, S::Error> {
                let mut o = __lv::ObjectWriter::new(s, #type_name, #n)?;
                #first
                #(#puts)*
                o.end()
            }
        }
    }
}

/// `Deserialize` through `wire_struct::Fields`: the wire names, the indexes of the required
/// fields, a `match` from a member's name (or alias) to its field's index, and one `match` arm
/// per field that decodes its value; with a required field, the `Placeholder` decoding starts
/// from (each field's own; `Default` otherwise).
fn de_fields(name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let wires = fields.iter().map(|f| &f.wire);
    let required: Vec<_> =
        (0..fields.len()).filter(|&i| fields[i].required).map(proc_macro2::Literal::usize_unsuffixed).collect();
    let (required, start) = if required.is_empty() {
        (quote!(), quote!())
    } else {
        let inits = fields.iter().map(|f| {
            let r = ident(&f.rust);
            if f.required { quote!(#r: __lv::placeholder()) } else { quote!(#r: __lv::None) }
        });
        let start = quote! {
            impl __lv::Placeholder for #name {
                fn placeholder() -> Self { Self { #(#inits),* } }
            }
        };
        (quote!(const REQUIRED: &'static [usize] = &[#(#required),*];), start)
    };
    let names = fields.iter().enumerate().map(|(i, f)| {
        let (wire, aliases, i) = (&f.wire, &f.aliases, proc_macro2::Literal::usize_unsuffixed(i));
        quote!(#wire #(| #aliases)* => #i,)
    });
    let index = if fields.is_empty() {
        quote!(let _ = name; __lv::None)
    } else {
        quote!(__lv::Some(match name { #(#names)* _ => return __lv::None }))
    };
    let arms = fields.iter().enumerate().map(|(i, f)| {
        let (r, i) = (ident(&f.rust), proc_macro2::Literal::usize_unsuffixed(i));
        let value = if f.accept.is_empty() {
            quote!(__lv::member_value(m)?)
        } else {
            let kinds = accept_kinds(f).into_iter().map(ident);
            quote!(__lv::tolerant(m, #(__lv::#kinds)|*)?)
        };
        quote!(#i => self.#r = #value,)
    });
    // An index that is not one of `NAMES` sets nothing (`set` is only called with theirs).
    let body = if fields.is_empty() { quote!(let _ = (i, m);) } else { quote!(match i { #(#arms)* _ => {} }) };
    quote! {
        impl __lv::Fields for #name {
            const NAMES: &'static [&'static str] = &[#(#wires),*];
            #required
            #[inline]
            fn index(name: &str) -> __lv::Option<usize> {
                #index
            }
            #[inline]
            fn set<'de, M: __lv::Map<'de>>(&mut self, i: usize, m: &mut M) -> __lv::FieldDecoded<'de, M> {
                #body
                __lv::Ok(())
            }
        }
        impl<'de> __lv::Deserialize<'de> for #name {
            fn deserialize<D: __lv::Deserializer<'de>>(d: D) -> __lv::Result<Self, D::Error> {
                __lv::de_fields(d)
            }
        }
        #start
    }
}

/// `new` with the required fields, and one setter per optional field.
fn constructors_block(api: &Api, name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let (req, opt): (Vec<&Field>, Vec<&Field>) = fields.iter().partition(|f| f.required);
    let params = req.iter().map(|f| {
        let r = ident(&f.rust);
        let (ty, _) = param(api, f);
        quote!(#r: #ty)
    });
    let inits = fields.iter().map(|f| {
        let r = ident(&f.rust);
        if f.required {
            let (_, conv) = param(api, f);
            if conv.is_empty() { quote!(#r) } else { quote!(#r: #r #conv) }
        } else {
            quote!(#r: __lv::None)
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
        let (ty, conv) = param(api, f);
        let d = format!(" Sets `{}`: {}", f.wire, f.description.lines().next().unwrap_or_default());
        quote! {
            #[doc = #d]
            pub fn #r(mut self, value: #ty) -> Self {
                self.#r = __lv::Some(value #conv);
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

/// The `Validate` impl: one `c.one_of(..)` line per one-of group, one `c.field(..)` line per
/// field with limits or objects inside.
fn validate(api: &Api, name: &proc_macro2::Ident, fields: &[Field], one_of: &[Vec<FieldId>]) -> TokenStream {
    let groups = one_of.iter().map(|g| {
        let members = g.iter().map(|id| {
            let f = &fields[id.0];
            let (wire, r) = (&f.wire, ident(&f.rust));
            quote!((#wire, self.#r.is_some()))
        });
        quote!(c.one_of(&[#(#members),*]);)
    });
    let field_checks = fields.iter().filter(|f| docs::needs_check(api, f)).map(|f| {
        let r = ident(&f.rust);
        let wire = &f.wire;
        let limits = limits(&f.limits);
        quote!(c.field(#wire, &self.#r, #limits);)
    });
    let checks: Vec<TokenStream> = groups.chain(field_checks).collect();
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

/// The runtime's names of the JSON kinds a field declares in `accept` (`NUMBER`, `BOOL`), the
/// bits of the set its decoder takes besides the field type's own kind.
fn accept_kinds(f: &Field) -> Vec<&'static str> {
    let name = |k: &JsonKind| match k {
        JsonKind::String => "STRING",
        JsonKind::Number => "NUMBER",
        JsonKind::Bool => "BOOL",
    };
    f.accept.iter().map(name).collect()
}

/// Parameter type of a constructor argument or setter of field `f`, and the conversion applied
/// to it.
fn param(api: &Api, f: &Field) -> (TokenStream, TokenStream) {
    match &f.ty {
        Ty::String | Ty::Array(_) | Ty::IntOrString => {
            let t = field_ty(api, f);
            (quote!(impl __lv::Into<#t>), quote!(.into()))
        }
        ty => (rust_ty(api, ty), quote!()),
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
