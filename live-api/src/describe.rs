//! What the spec says about each endpoint's request, as static data, for tools that build a user
//! interface from it (the command line's subcommands, flags and help) without reading the specs.
//!
//! The macro renders one [`EndpointInfo`] per endpoint, as the [`INFO`](Described::INFO) of its
//! request type, with the server side (`generate!(path, server)`; in live-api, the `server`
//! feature): a client-only crate compiles none of it. The generated `visit_endpoints` hands each
//! endpoint's request type to an [`EndpointVisitor`](crate::EndpointVisitor), which reads its
//! [`META`](crate::Endpoint::META), its `INFO` and its codes'
//! [`DOCUMENTED`](crate::ErrorCode::DOCUMENTED) table from that one type. Everything here is
//! `'static` data; reading it allocates nothing.

use std::fmt;

use crate::endpoint::Endpoint;

/// A request type whose spec is described by an [`EndpointInfo`].
pub trait Described: Endpoint {
    /// What the spec says about the endpoint and its request fields.
    const INFO: &'static EndpointInfo;
}

/// What the spec says about an endpoint, beside its [`EndpointMeta`](crate::EndpointMeta).
#[derive(Debug, Clone, Copy)]
pub struct EndpointInfo {
    /// The client method, e.g. `create_room` (the command line's subcommand is it with dashes).
    pub method: &'static str,
    /// One-line title, e.g. `Create a room`.
    pub title: &'static str,
    /// Longer description.
    pub description: &'static str,
    /// Documentation page.
    pub doc_url: &'static str,
    /// The request body fields, in the order of the spec.
    pub request: &'static [FieldInfo],
    /// The shared tables the endpoint's code enum wraps as one variant each (`Rest(RestCode)`);
    /// its other codes are in its [`DOCUMENTED`](crate::ErrorCode::DOCUMENTED) table.
    pub wrapped_codes: &'static [WrappedCodes],
    /// The first documented sample request, if any.
    pub example: Option<ExampleInfo>,
}

/// A field of a request or of an object type.
#[derive(Debug, Clone, Copy)]
pub struct FieldInfo {
    /// Name on the wire, exactly as the API spells it (`Owner_Account`).
    pub wire: &'static str,
    /// Rust field name (`owner_account`).
    pub rust: &'static str,
    /// Description.
    pub description: &'static str,
    /// Value type.
    pub ty: ValueType,
    /// Whether the field must be present.
    pub required: bool,
    /// The documented limits as text, e.g. `["1 to 48 bytes (UTF-8)"]` (values in backticks,
    /// as in the rustdoc of the field).
    pub limits: &'static [&'static str],
    /// Documented server-side default, as JSON text.
    pub default: Option<&'static str>,
    /// Whether the value is a secret (a [`Secret`](crate::Secret) string in the typed request).
    pub secret: bool,
}

/// The type of a field's value. Its `Debug` names a named type without its fields (a type may
/// contain itself).
#[derive(Clone, Copy)]
pub enum ValueType {
    /// A UTF-8 string. (Not named `String`: a public item of that name would make rustc spell
    /// out `std::string::String` in every diagnostic of a crate that depends on live-api.)
    Str,
    /// A boolean.
    Bool,
    /// A JSON integer or a JSON string ([`IntOrString`](crate::IntOrString)).
    IntOrStr,
    /// An integer of a Rust type.
    Int {
        /// The type, e.g. `u32`.
        name: &'static str,
        /// Its smallest value.
        min: i64,
        /// Its largest value.
        max: u64,
    },
    /// An array of values of a type.
    Array(&'static ValueType),
    /// A named type: an object or an enum.
    Named(&'static TypeInfo),
}

impl fmt::Debug for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueType::Str => f.write_str("Str"),
            ValueType::Bool => f.write_str("Bool"),
            ValueType::IntOrStr => f.write_str("IntOrStr"),
            ValueType::Int { name, min, max } => {
                f.debug_struct("Int").field("name", name).field("min", min).field("max", max).finish()
            }
            ValueType::Array(inner) => f.debug_tuple("Array").field(inner).finish(),
            ValueType::Named(t) => f.debug_tuple("Named").field(&t.name).finish(),
        }
    }
}

/// A named type.
#[derive(Debug, Clone, Copy)]
pub struct TypeInfo {
    /// Rust type name, e.g. `RoomInfo`.
    pub name: &'static str,
    /// What it is.
    pub kind: TypeKind,
}

/// What a named type is.
#[derive(Debug, Clone, Copy)]
pub enum TypeKind {
    /// A JSON object with these fields.
    Object(&'static [FieldInfo]),
    /// A string with these values.
    StrEnum(&'static [Variant<&'static str>]),
    /// An integer with these values.
    IntEnum(&'static [Variant<i64>]),
}

/// One value of an enum: its wire value `V` (a string or an integer), variant and description.
#[derive(Debug, Clone, Copy)]
pub struct Variant<V> {
    /// The value on the wire.
    pub value: V,
    /// Rust variant name.
    pub rust: &'static str,
    /// Description.
    pub description: &'static str,
    /// Whether this is a family of string values: every string starting with `value` (which is
    /// then their common prefix, `Tag_Profile_Custom_`).
    pub prefix: bool,
}

/// A shared error-code table that an endpoint's code enum wraps as one variant.
#[derive(Debug, Clone, Copy)]
pub struct WrappedCodes {
    /// The table's enum, e.g. `RestCode`.
    pub name: &'static str,
    /// How many codes it documents.
    pub count: usize,
}

/// A documented sample request.
#[derive(Debug, Clone, Copy)]
pub struct ExampleInfo {
    /// What the sample shows.
    pub name: &'static str,
    /// The request body, as JSON text.
    pub request: &'static str,
}
