//! The checked model of a spec folder: what every renderer (client, docs, later server and CLI)
//! works from. Everything here has been validated; renderers never re-read the specs.

use std::path::PathBuf;

/// The whole API described by one spec folder.
///
/// A folder read on top of a base (see [`crate::load::Base`]) begins its `types` and `tables`
/// with copies of the base's, in the base's order and marked [`Origin::Base`], so that a
/// [`TypeId`] or [`TableId`] means the same item in both; its `endpoints` and `files` are only
/// the folder's own, and it has no callbacks (they are the base's).
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// Endpoints, sorted by service then command.
    pub endpoints: Vec<Endpoint>,
    /// Callbacks (webhooks) Live sends to the app, sorted by command word.
    pub callbacks: Vec<Callback>,
    /// Whether the folder was read on top of a base: the base then renders the callbacks and
    /// their enum `Callback`.
    pub extends_base: bool,
    /// Named types: shared ones from `types/` and the inline objects of endpoints.
    pub types: Vec<TypeDef>,
    /// Shared error-code tables from `errors/`.
    pub tables: Vec<ErrorTable>,
    /// Every spec file read (absolute paths), for rebuild tracking.
    pub files: Vec<PathBuf>,
}

impl Api {
    /// The named type `id`.
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The error table `id`.
    pub fn table(&self, id: TableId) -> &ErrorTable {
        &self.tables[id.0]
    }

    /// Whether any of `fields`, or of the objects they hold (at any depth), is a secret.
    pub fn holds_secret(&self, fields: &[Field]) -> bool {
        let mut seen = vec![false; self.types.len()];
        let mut todo: Vec<&Field> = fields.iter().collect();
        while let Some(f) = todo.pop() {
            if f.secret {
                return true;
            }
            let mut ty = &f.ty;
            while let Ty::Array(inner) = ty {
                ty = inner;
            }
            if let Ty::Named(i) = ty
                && !std::mem::replace(&mut seen[i.0], true)
                && let TypeKind::Object(sub) = &self.type_def(*i).kind
            {
                todo.extend(sub);
            }
        }
        false
    }

    /// The types this folder defines (not those copied from its base), with their ids.
    pub fn local_types(&self) -> impl Iterator<Item = (TypeId, &TypeDef)> {
        self.types.iter().enumerate().filter(|(_, t)| t.origin == Origin::Local).map(|(i, t)| (TypeId(i), t))
    }

    /// The error tables this folder defines (not those copied from its base), with their ids.
    pub fn local_tables(&self) -> impl Iterator<Item = (TableId, &ErrorTable)> {
        self.tables.iter().enumerate().filter(|(_, t)| t.origin == Origin::Local).map(|(i, t)| (TableId(i), t))
    }
}

/// Index of a named type in [`Api::types`] (read it with [`Api::type_def`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub(crate) usize);

/// Index of an error table in [`Api::tables`] (read it with [`Api::table`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableId(pub(crate) usize);

/// Index of a field among the request or the response fields of an endpoint (read it with
/// [`Endpoint::request_field`] or [`Endpoint::response_field`], as the holder of the id says).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub(crate) usize);

/// Where a named type or an error table was defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// In the spec folder read.
    #[default]
    Local,
    /// In the base the folder was read on top of: another crate already renders it.
    Base,
}

/// One endpoint: `POST /v4/<service>/<command>`.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Service name, e.g. `live_engine_http_srv`.
    pub service: String,
    /// Command name, e.g. `resume_mcu_task`.
    pub command: String,
    /// Request type name, e.g. `ResumeMcuTask`; also the stem of the response and code types.
    pub rust_name: String,
    /// Client method name, e.g. `resume_mcu_task`.
    pub method: String,
    /// One-line title.
    pub title: String,
    /// Longer description.
    pub description: String,
    /// Documentation page.
    pub doc_url: String,
    /// Rate limit and quota group.
    pub rate: RateLimit,
    /// Whether repeating the call has the same effect as making it once.
    pub idempotent: bool,
    /// Request body fields.
    pub request: Vec<Field>,
    /// Envelope key that holds the payload (`Response`), if any.
    pub response_key: Option<String>,
    /// Payload fields of a successful answer.
    pub response: Vec<Field>,
    /// Error codes this endpoint documents, own and shared.
    pub errors: Vec<CodeEntry>,
    /// Decisions taken where the documentation was unclear.
    pub notes: Option<String>,
    /// Documented sample packets.
    pub examples: Vec<Example>,
    /// How the endpoint pages, if it does.
    pub pagination: Option<Pagination>,
    /// Groups of optional request fields of which exactly one must be set (`one_of`).
    pub one_of: Vec<Vec<FieldId>>,
    /// Where the response lists the items that failed in a successful answer, if it does.
    pub partial_failures: Option<PartialFailures>,
    /// Spec file, relative to the spec folder (`live_engine_http_srv/resume_mcu_task.json`).
    pub file: String,
}

/// A documented sample: a request body and, where the documentation gives one, the answer.
#[derive(Debug, Clone)]
pub struct Example {
    /// What the sample shows.
    pub name: String,
    /// The request body, as JSON text.
    pub request: String,
    /// The whole answer (envelope included), as JSON text.
    pub response: Option<String>,
}

/// How a paging endpoint walks its pages: ids of request and response fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// Request field carrying the cursor (`Next`, `Offset`).
    pub cursor: FieldId,
    /// Response field with the next cursor (`Next`, `NextOffset`).
    pub next: FieldId,
    /// Response array field with the items of the page.
    pub items: FieldId,
    /// Request field with the page size (`Count`, `Limit`), if any.
    pub page_size: Option<FieldId>,
}

/// Where a response reports per-item failures (`"partial_failures"`): an array of the response
/// and, when its items are objects that carry one, the field with each item's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialFailures {
    /// The response array field listing the items.
    pub items: FieldId,
    /// Rust name of the items' code field (0 = the item succeeded) and whether it is required;
    /// without one every listed item is a failure.
    pub code: Option<(String, bool)>,
}

impl Endpoint {
    /// `/v4/<service>/<command>`.
    pub fn path(&self) -> String {
        format!("/v4/{}/{}", self.service, self.command)
    }
    /// Name of the response type.
    pub fn response_name(&self) -> String {
        format!("{}Response", self.rust_name)
    }
    /// Name of the error-code enum.
    pub fn code_name(&self) -> String {
        format!("{}Code", self.rust_name)
    }
    /// The request field `id`.
    pub fn request_field(&self, id: FieldId) -> &Field {
        &self.request[id.0]
    }
    /// The response field `id`.
    pub fn response_field(&self, id: FieldId) -> &Field {
        &self.response[id.0]
    }
}

/// One callback (webhook) command: the body Live posts to the app's URL and, for a
/// before-callback, the reply that decides whether the event happens.
#[derive(Debug, Clone)]
pub struct Callback {
    /// The command word, e.g. `Live.CallbackAfterCreateRoom`.
    pub command: String,
    /// Type name of the body, e.g. `AfterCreateRoom`; also its variant of the enum `Callback`
    /// and the stem of `<Name>Reply` and `<Name>Changes`.
    pub rust_name: String,
    /// One-line title.
    pub title: String,
    /// Longer description.
    pub description: String,
    /// Documentation page.
    pub doc_url: String,
    /// After or before the event.
    pub kind: CallbackKind,
    /// Body fields (without `CallbackCommand`, which every body carries).
    pub body: Vec<Field>,
    /// What the reply decides: before-callbacks only.
    pub reply: Option<CallbackReply>,
    /// Documented sample bodies.
    pub examples: Vec<CallbackExample>,
    /// Decisions taken where the documentation was unclear.
    pub notes: Option<String>,
    /// Spec file, relative to the spec folder (`callbacks/Live.CallbackAfterCreateRoom.json`).
    pub file: String,
}

impl Callback {
    /// The key every callback body carries: the command word.
    pub const COMMAND_KEY: &'static str = "CallbackCommand";

    /// Name of the reply enum of a before-callback.
    pub fn reply_name(&self) -> String {
        format!("{}Reply", self.rust_name)
    }
    /// Name of the struct of the reply fields, when the reply has fields.
    pub fn changes_name(&self) -> String {
        format!("{}Changes", self.rust_name)
    }
    /// Every type name the callback generates besides its inline objects.
    pub fn generated_names(&self) -> Vec<String> {
        let mut names = vec![self.rust_name.clone()];
        if let Some(r) = &self.reply {
            names.push(self.reply_name());
            if !r.fields.is_empty() {
                names.push(self.changes_name());
            }
        }
        names
    }
}

/// Whether Live waits for the app's reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackKind {
    /// A notification after the event; Live ignores the reply.
    After,
    /// Sent before the event; the reply decides whether it happens.
    Before,
}

/// The reply of a before-callback.
#[derive(Debug, Clone)]
pub struct CallbackReply {
    /// What the reply decides.
    pub description: String,
    /// What Live does when no reply comes in time.
    pub on_timeout: OnTimeout,
    /// The unit decisions, one with code 0.
    pub decisions: Vec<Decision>,
    /// The range of codes the reply may pass through to the client, if any.
    pub pass_through: Option<PassThrough>,
    /// Fields the reply may carry with an allowing decision.
    pub fields: Vec<Field>,
}

impl CallbackReply {
    /// The decision that has the effect of a timeout: the first that blocks, or code 0.
    pub fn timeout_decision(&self) -> Option<&Decision> {
        match self.on_timeout {
            OnTimeout::Block => self.decisions.iter().find(|d| d.code != 0),
            OnTimeout::Allow => self.decisions.iter().find(|d| d.code == 0),
        }
    }
}

/// What Live does without a reply to a before-callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnTimeout {
    /// The event does not happen.
    Block,
    /// The event happens.
    Allow,
}

/// A decision of a before-callback's reply: an `ErrorCode` with a meaning.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The `ErrorCode` of the reply.
    pub code: u32,
    /// Rust variant name.
    pub rust: String,
    /// What Live does.
    pub description: String,
}

/// Codes a reply may pass through to the client (with its `ErrorInfo`).
#[derive(Debug, Clone)]
pub struct PassThrough {
    /// Rust variant name.
    pub rust: String,
    /// Lowest code.
    pub min: u32,
    /// Highest code.
    pub max: u32,
    /// What Live does.
    pub description: String,
}

/// A documented callback body.
#[derive(Debug, Clone)]
pub struct CallbackExample {
    /// What the sample shows.
    pub name: String,
    /// The whole body (with its `CallbackCommand`), as JSON text.
    pub body: String,
}

/// A rate limit shared by a quota group.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimit {
    /// Calls per second; may be fractional (0.1 = one call per 10 s).
    pub calls_per_second: f64,
    /// Endpoints in one group share the budget (per SDKAppID).
    pub quota_group: String,
}

/// A field of a request, response or object type.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire, exactly as the API spells it.
    pub wire: String,
    /// Rust field name.
    pub rust: String,
    /// Description.
    pub description: String,
    /// Value type.
    pub ty: Ty,
    /// Whether the field must be present.
    pub required: bool,
    /// Documented server-side default, as JSON text.
    pub default: Option<String>,
    /// Documented limits.
    pub limits: Limits,
    /// Other JSON shapes a response may use for this field.
    pub accept: Vec<JsonKind>,
    /// Whether the value is a secret (`"secret": true`, strings only): rendered as
    /// `live_api::Secret`, never shown in `Debug`, errors or logs.
    pub secret: bool,
    /// Other wire names an answer may use for the field (decoded, never sent).
    pub aliases: Vec<String>,
}

/// A value type.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// UTF-8 string.
    String,
    /// Boolean.
    Bool,
    /// Integer of a given width.
    Int(IntTy),
    /// A JSON integer or a JSON string (`int_or_string`): `live_api::IntOrString`.
    IntOrString,
    /// Array of a type.
    Array(Box<Ty>),
    /// A named type.
    Named(TypeId),
}

/// Integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum IntTy {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

impl IntTy {
    /// All widths with their spec names.
    pub const ALL: [(&'static str, IntTy); 8] = [
        ("i8", IntTy::I8),
        ("i16", IntTy::I16),
        ("i32", IntTy::I32),
        ("i64", IntTy::I64),
        ("u8", IntTy::U8),
        ("u16", IntTy::U16),
        ("u32", IntTy::U32),
        ("u64", IntTy::U64),
    ];

    /// The width a spec names (`u32`), if `name` is one.
    pub fn from_name(name: &str) -> Option<IntTy> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// The spec (and Rust) name.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, t)| *t == self).map_or("i64", |(n, _)| n)
    }

    /// Whether `value` is a value of this width.
    pub fn fits(self, value: i64) -> bool {
        let (lo, hi) = self.range();
        (lo..=hi).contains(&i128::from(value))
    }

    /// Smallest and largest value.
    pub fn range(self) -> (i128, i128) {
        match self {
            IntTy::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntTy::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntTy::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntTy::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntTy::U8 => (0, u8::MAX.into()),
            IntTy::U16 => (0, u16::MAX.into()),
            IntTy::U32 => (0, u32::MAX.into()),
            IntTy::U64 => (0, u64::MAX.into()),
        }
    }
}

/// JSON shapes a field may additionally be decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// A JSON string.
    String,
    /// A JSON number.
    Number,
    /// A JSON boolean.
    Bool,
}

impl JsonKind {
    /// Spec name.
    pub fn name(self) -> &'static str {
        match self {
            JsonKind::String => "string",
            JsonKind::Number => "number",
            JsonKind::Bool => "bool",
        }
    }
}

/// Documented limits of a field (of its elements, for byte and value limits of arrays).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    /// Minimum length in UTF-8 bytes.
    pub min_bytes: Option<u64>,
    /// Maximum length in UTF-8 bytes.
    pub max_bytes: Option<u64>,
    /// Minimum numeric value.
    pub min: Option<i64>,
    /// Maximum numeric value.
    pub max: Option<i64>,
    /// Minimum number of array elements.
    pub min_items: Option<u64>,
    /// Maximum number of array elements.
    pub max_items: Option<u64>,
    /// Allowed string values.
    pub allowed_strings: Vec<String>,
    /// Allowed integer values.
    pub allowed_ints: Vec<i64>,
}

impl Limits {
    /// Whether no limit is set.
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }

    /// Human text of the limits, e.g. `["at most 48 bytes (UTF-8)", "at most 3 items"]` (rustdoc
    /// and the command line's help use it).
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        match (self.min_bytes, self.max_bytes) {
            (Some(a), Some(b)) => out.push(format!("{a} to {b} bytes (UTF-8)")),
            (Some(a), None) => out.push(format!("at least {a} bytes")),
            (None, Some(b)) => out.push(format!("at most {b} bytes (UTF-8)")),
            (None, None) => {}
        }
        match (self.min, self.max) {
            (Some(a), Some(b)) => out.push(format!("{a} to {b}")),
            (Some(a), None) => out.push(format!("at least {a}")),
            (None, Some(b)) => out.push(format!("at most {b}")),
            (None, None) => {}
        }
        match (self.min_items, self.max_items) {
            (Some(a), Some(b)) => out.push(format!("{a} to {b} items")),
            (Some(a), None) => out.push(format!("at least {a} items")),
            (None, Some(b)) => out.push(format!("at most {b} items")),
            (None, None) => {}
        }
        if !self.allowed_strings.is_empty() {
            let v: Vec<String> = self.allowed_strings.iter().map(|s| format!("`{s}`")).collect();
            out.push(format!("one of {}", v.join(", ")));
        }
        if !self.allowed_ints.is_empty() {
            let v: Vec<String> = self.allowed_ints.iter().map(|s| format!("`{s}`")).collect();
            out.push(format!("one of {}", v.join(", ")));
        }
        out
    }
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust type name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Decisions taken where the documentation was unclear.
    pub notes: Option<String>,
    /// What it is.
    pub kind: TypeKind,
    /// Spec file it comes from: for a shared type relative to the spec folder
    /// (`types/RoomInfo.json`), for an inline object as shown in diagnostics.
    pub file: String,
    /// Whether it is a shared type of `types/`, which any spec may name, rather than an inline
    /// object of one endpoint.
    pub shared: bool,
    /// Whether the folder or its base defines it.
    pub origin: Origin,
}

/// Kinds of named types.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A JSON object.
    Object(Vec<Field>),
    /// A string with a fixed set of values.
    StrEnum(Vec<StrVariant>),
    /// An integer with a fixed set of values.
    IntEnum {
        /// Integer width on the wire.
        repr: IntTy,
        /// The values.
        values: Vec<IntVariant>,
    },
}

/// One value of a string enum, or a family of values sharing a prefix.
#[derive(Debug, Clone)]
pub struct StrVariant {
    /// The wire value; for a family, the prefix of its values.
    pub value: String,
    /// Whether this is a family (`"prefix"`): every string starting with `value` that is no
    /// listed value; the variant holds the whole value.
    pub prefix: bool,
    /// Rust variant name.
    pub rust: String,
    /// Description.
    pub description: String,
    /// Integers older service versions send for this value.
    pub aliases: Vec<i64>,
}

/// One value of an integer enum.
#[derive(Debug, Clone)]
pub struct IntVariant {
    /// The wire value.
    pub value: i64,
    /// Rust variant name.
    pub rust: String,
    /// Description.
    pub description: String,
}

/// Whether and how a failed call may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// A passing fault: retry.
    Transient,
    /// Rate limited: retry after backing off.
    Throttled,
    /// Retrying does not help.
    Permanent,
}

impl Retry {
    /// Spec name.
    pub fn name(self) -> &'static str {
        match self {
            Retry::Transient => "transient",
            Retry::Throttled => "throttled",
            Retry::Permanent => "permanent",
        }
    }
}

/// One documented error code.
#[derive(Debug, Clone)]
pub struct ErrorCode {
    /// The `ErrorCode` value.
    pub code: i64,
    /// Rust variant name.
    pub rust: String,
    /// Description.
    pub description: String,
    /// Retry class.
    pub retry: Retry,
}

/// An entry of an endpoint's error enum.
#[derive(Debug, Clone)]
pub enum CodeEntry {
    /// A code of its own (or flattened from a shared table).
    Code(ErrorCode),
    /// A shared table rendered as its own enum, wrapped in one variant.
    Table(TableId),
}

/// A shared error-code table.
#[derive(Debug, Clone)]
pub struct ErrorTable {
    /// Name endpoints refer to it by.
    pub name: String,
    /// Description.
    pub description: String,
    /// Codes.
    pub codes: Vec<ErrorCode>,
    /// When set, the table is its own enum `rust` wrapped in the endpoint variant `variant`.
    pub as_enum: Option<TableEnum>,
    /// Whether the folder or its base defines it.
    pub origin: Origin,
}

/// How a shared table appears as an enum of its own.
#[derive(Debug, Clone)]
pub struct TableEnum {
    /// Enum type name, e.g. `RestCode`.
    pub rust: String,
    /// Variant of each endpoint enum that wraps it, e.g. `Rest`.
    pub variant: String,
}
