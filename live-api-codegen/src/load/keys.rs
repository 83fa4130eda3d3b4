//! The keys each kind of spec object allows: what the reader asks for, and what an unknown key
//! is matched against for a did-you-mean. The JSON Schema of the format
//! (`api-specs/spec.schema.json`) must allow exactly these; `tests/tests/spec_schema.rs` checks
//! it through [`ALL`].

/// An endpoint spec, `<service>/<command>.json`.
pub const ENDPOINT: &[&str] = &[
    "$schema",
    "service",
    "command",
    "rust_name",
    "title",
    "description",
    "doc_url",
    "rate_limit",
    "idempotent",
    "request",
    "response_key",
    "response",
    "errors",
    "error_tables",
    "notes",
    "examples",
    "pagination",
    "one_of",
    "partial_failures",
];
/// The `rate_limit` of an endpoint.
pub const RATE_LIMIT: &[&str] = &["calls_per_second", "quota_group"];
/// A field of a request, response or object type.
pub const FIELD: &[&str] = &[
    "wire",
    "rust",
    "description",
    "type",
    "items",
    "fields",
    "type_name",
    "required",
    "default",
    "accept",
    "notes",
    "min_bytes",
    "max_bytes",
    "min",
    "max",
    "min_items",
    "max_items",
    "allowed",
    "secret",
    "aliases",
];
/// The `items` of an array field, written as an object.
pub const ITEMS: &[&str] = &["type", "fields", "type_name", "min_bytes", "max_bytes", "min", "max", "allowed"];
/// A named type, `types/<Name>.json`.
pub const TYPE: &[&str] = &["$schema", "name", "kind", "description", "notes", "fields", "values", "repr"];
/// A value of a string enum.
pub const STR_VALUE: &[&str] = &["value", "prefix", "rust", "description", "aliases"];
/// A value of an integer enum.
pub const INT_VALUE: &[&str] = &["value", "rust", "description"];
/// An error table, `errors/<table>.json`.
pub const TABLE: &[&str] = &["$schema", "table", "description", "doc_url", "as_enum", "codes"];
/// The `as_enum` of an error table.
pub const AS_ENUM: &[&str] = &["rust", "variant"];
/// An error code of a table or an endpoint.
pub const CODE: &[&str] = &["code", "rust", "description", "retry"];
/// A documented sample of an endpoint.
pub const EXAMPLE: &[&str] = &["name", "request", "response"];
/// The `pagination` of an endpoint.
pub const PAGINATION: &[&str] = &["cursor", "next", "items", "page_size"];
/// The `partial_failures` of an endpoint.
pub const PARTIAL_FAILURES: &[&str] = &["items", "code"];
/// A callback spec, `callbacks/<command word>.json`.
pub const CALLBACK: &[&str] = &[
    "$schema",
    "callback",
    "rust_name",
    "title",
    "description",
    "doc_url",
    "kind",
    "body",
    "reply",
    "examples",
    "notes",
];
/// The `reply` of a before-callback.
pub const REPLY: &[&str] = &["description", "on_timeout", "decisions", "pass_through", "fields"];
/// A decision of a before-callback's reply.
pub const DECISION: &[&str] = &["code", "rust", "description"];
/// The `pass_through` of a before-callback's reply.
pub const PASS_THROUGH: &[&str] = &["rust", "min", "max", "description"];
/// A documented sample of a callback.
pub const CALLBACK_EXAMPLE: &[&str] = &["name", "body"];

/// Every list above, with the `$defs` entry of the JSON Schema that describes the same object.
pub const ALL: &[(&str, &[&str])] = &[
    ("endpoint", ENDPOINT),
    ("rateLimit", RATE_LIMIT),
    ("field", FIELD),
    ("arrayItems", ITEMS),
    ("namedType", TYPE),
    ("stringValue", STR_VALUE),
    ("intValue", INT_VALUE),
    ("errorTable", TABLE),
    ("asEnum", AS_ENUM),
    ("errorCode", CODE),
    ("example", EXAMPLE),
    ("pagination", PAGINATION),
    ("partialFailures", PARTIAL_FAILURES),
    ("callback", CALLBACK),
    ("callbackReply", REPLY),
    ("decision", DECISION),
    ("passThrough", PASS_THROUGH),
    ("callbackExample", CALLBACK_EXAMPLE),
];
