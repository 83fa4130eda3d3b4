//! Reads a spec folder, checks it and builds the [`Api`] model, collecting every problem.
//!
//! Layout of a spec folder:
//! - `<service>/<command>.json`: one endpoint;
//! - `types/<Name>.json`: a named type shared by several endpoints;
//! - `errors/<table>.json`: a shared error-code table.
//!
//! Files directly in the folder (README, JSON Schema) are not specs.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::json::{self, Kind, Span, Value};
use crate::model::*;
use crate::names::{did_you_mean, ident_problem, is_pascal, is_snake, pascal_case, snake_case};
use crate::read::{Obj, Spanned};

/// The outcome of reading a spec folder.
#[derive(Debug)]
pub struct Loaded {
    /// The model, when no problem was found.
    pub api: Option<Api>,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read, problems or not (for rebuild tracking).
    pub files: Vec<PathBuf>,
    /// The text of every file read (to check a part of the folder again, see `fallback`).
    pub sources: Vec<SourceFile>,
}

/// Reads and checks the spec folder `dir`. Paths in diagnostics are shown relative to
/// `display_base` when `dir` lies below it.
pub fn load_dir(dir: &Path, display_base: &Path) -> Loaded {
    let mut diags = Diagnostics::default();
    // Absolute paths, so that the generated `include_bytes!` tracking works from any file.
    let dir = &dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let display_base = &display_base.canonicalize().unwrap_or_else(|_| display_base.to_path_buf());
    let mut paths = Vec::new();
    if let Err(e) = walk(dir, dir, &mut paths) {
        diags.error_at_path(dir, format!("cannot read the spec folder {}: {e}", dir.display()));
    }
    paths.sort();
    let mut sources = Vec::new();
    for path in &paths {
        let display = path.strip_prefix(display_base).unwrap_or(path).display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => sources.push(SourceFile::new(path.clone(), display, text)),
            Err(e) => diags.error_at_path(path, format!("cannot read spec file {display}: {e}")),
        }
    }
    let api = check_sources(dir, &sources, &mut diags);
    Loaded {
        api: if diags.is_empty() { Some(api) } else { None },
        diagnostics: diags.into_vec(),
        files: paths,
        sources,
    }
}

/// Checks already-read spec files (`path` of each below `dir`). Used by [`load_dir`] and tests.
pub fn check_sources(dir: &Path, sources: &[SourceFile], diags: &mut Diagnostics) -> Api {
    let mut parsed = Vec::new();
    for src in sources {
        match json::parse(&src.text) {
            Ok(v) => parsed.push((src, v)),
            Err(e) => diags.error(src, e.span, format!("malformed JSON: {}", e.message)),
        }
    }
    let mut cx = Cx { diags, types: Vec::new(), type_index: HashMap::new(), shared: HashMap::new() };
    let mut type_files = Vec::new();
    let mut table_files = Vec::new();
    let mut endpoint_files = Vec::new();
    for (src, v) in &parsed {
        let rel = src.path.strip_prefix(dir).unwrap_or(&src.path).to_path_buf();
        let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        match parts.first().map(String::as_str) {
            Some("types") => type_files.push((*src, v, parts)),
            Some("errors") => table_files.push((*src, v, parts)),
            _ => endpoint_files.push((*src, v, parts)),
        }
    }

    // Named types first (enums complete, objects pending), so references resolve in any order.
    let mut pending_objects = Vec::new();
    for (src, v, parts) in &type_files {
        if let Some(p) = cx.read_type_header(src, v, parts) {
            pending_objects.push(p);
        }
    }
    for p in pending_objects {
        let fields = cx.read_fields(p.file, p.fields, &p.name);
        if let TypeKind::Object(f) = &mut cx.types[p.index].kind {
            *f = fields;
        }
    }

    let mut tables: Vec<ErrorTable> = Vec::new();
    let mut table_names = Vec::new();
    for (src, v, parts) in &table_files {
        if let Some((table, span)) = cx.read_table(src, v, parts) {
            if tables.iter().any(|o| o.name == table.name) {
                cx.diags.error(src, span, format!("duplicate error table `{}`", table.name));
            }
            tables.push(table);
            table_names.push((*src, span));
        }
    }

    let mut endpoints: Vec<Endpoint> = Vec::new();
    let mut quota: BTreeMap<String, f64> = BTreeMap::new();
    let mut names: HashMap<String, String> = HashMap::new();
    let shared_types = cx.types.len();
    let mut generated_at = HashMap::new();
    for t in &cx.types {
        names.insert(t.name.clone(), format!("type {}", t.file));
    }
    for (t, (src, span)) in tables.iter().zip(&table_names) {
        if let Some(e) = &t.as_enum
            && let Some(other) = names.insert(e.rust.clone(), format!("error table {}", src.display))
        {
            cx.diags.error(src, *span, format!("the enum name `{}` is already used by {other}", e.rust));
        }
    }
    for (src, v, parts) in &endpoint_files {
        let Some((ep, spans)) = cx.read_endpoint(src, v, parts, &tables) else { continue };
        if let Some(&rate) = quota.get(&ep.rate.quota_group) {
            if rate != ep.rate.calls_per_second {
                cx.diags.error(
                    src,
                    spans.rate,
                    format!(
                        "quota group `{}` is limited to {rate} calls per second elsewhere; every endpoint of a group must state the same rate",
                        ep.rate.quota_group
                    ),
                );
            }
        } else {
            quota.insert(ep.rate.quota_group.clone(), ep.rate.calls_per_second);
        }
        for generated in [ep.rust_name.clone(), ep.response_name(), ep.code_name()] {
            if let Some(other) = names.get(&generated) {
                cx.diags.error(src, spans.name, format!("the generated name `{generated}` is already used by {other}"));
            }
            names.insert(generated.clone(), format!("endpoint {}", ep.file));
            generated_at.insert(generated, (*src, spans.name));
        }
        if let Some(other) = endpoints.iter().find(|o| o.method == ep.method) {
            cx.diags.error(src, spans.name, format!("duplicate endpoint method `{}` (also {})", ep.method, other.file));
        }
        endpoints.push(ep);
    }
    // Inline objects are named while endpoints are read; check them against every other name.
    for t in &cx.types[shared_types..] {
        if let (Some(other), Some((src, span))) = (names.get(&t.name), generated_at.get(&t.name)) {
            let msg = format!(
                "the generated name `{}` is already used by {other} and by an inline object of {}",
                t.name, t.file
            );
            cx.diags.error(src, *span, msg);
        }
    }
    endpoints.sort_by(|a, b| (&a.service, &a.command).cmp(&(&b.service, &b.command)));
    Api { endpoints, types: cx.types, tables, files: sources.iter().map(|s| s.path.clone()).collect() }
}

/// Collects the `*.json` files below `root`, except those directly in it.
fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") && dir != root {
            out.push(path);
        }
    }
    Ok(())
}

/// Methods of `Client` that endpoint methods must not shadow.
const RESERVED_METHODS: &[&str] = &["call", "builder", "new", "clone", "sdk_app_id", "admin", "base_url", "prepare"];
const PRIMITIVES: &[&str] =
    &["string", "bool", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "array", "object"];

const ENDPOINT_KEYS: &[&str] = &[
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
];
const FIELD_KEYS: &[&str] = &[
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
];
const ITEM_KEYS: &[&str] = &["type", "fields", "type_name", "min_bytes", "max_bytes", "min", "max", "allowed"];
const TYPE_KEYS: &[&str] = &["$schema", "name", "kind", "description", "notes", "fields", "values", "repr"];
const STR_VALUE_KEYS: &[&str] = &["value", "rust", "description", "aliases"];
const INT_VALUE_KEYS: &[&str] = &["value", "rust", "description"];
const TABLE_KEYS: &[&str] = &["$schema", "table", "description", "doc_url", "as_enum", "codes"];
const CODE_KEYS: &[&str] = &["code", "rust", "description", "retry"];
const RATE_KEYS: &[&str] = &["calls_per_second", "quota_group"];
const AS_ENUM_KEYS: &[&str] = &["rust", "variant"];
const EXAMPLE_KEYS: &[&str] = &["name", "request", "response"];
const PAGINATION_KEYS: &[&str] = &["cursor", "next", "items", "page_size"];

struct PendingObject<'a> {
    index: usize,
    name: String,
    file: &'a SourceFile,
    fields: &'a [Value],
}

struct EndpointSpans {
    name: Span,
    rate: Span,
}

struct Cx<'d> {
    diags: &'d mut Diagnostics,
    types: Vec<TypeDef>,
    /// Every type name (shared and inline), for duplicate checks.
    type_index: HashMap<String, usize>,
    /// Shared types (`types/`), the only ones a field may refer to by name.
    shared: HashMap<String, usize>,
}

impl Cx<'_> {
    fn err(&mut self, file: &SourceFile, span: Span, msg: impl Into<String>) {
        self.diags.error(file, span, msg);
    }

    /// Checks a Rust name; `pascal` selects the expected case.
    fn check_name(&mut self, file: &SourceFile, name: &Spanned<String>, pascal: bool, what: &str) -> bool {
        if let Some(p) = ident_problem(&name.value) {
            self.err(file, name.span, format!("{what}: {p}"));
            return false;
        }
        let ok = if pascal { is_pascal(&name.value) } else { is_snake(&name.value) };
        if !ok {
            let want = if pascal { pascal_case(&name.value) } else { snake_case(&name.value) };
            self.err(file, name.span, format!("{what} `{}` should be written `{want}`", name.value));
        }
        let names_a_type = matches!(what, "type name" | "enum name" | "endpoint name");
        if names_a_type && name.value == crate::codegen::server::TRAIT {
            self.err(
                file,
                name.span,
                format!("the {what} `{}` is reserved for the generated server trait", name.value),
            );
            return false;
        }
        ok
    }

    fn register_type(&mut self, file: &SourceFile, name: &Spanned<String>, def: TypeDef) -> Option<usize> {
        if let Some(&i) = self.type_index.get(&name.value) {
            let other = self.types[i].file.clone();
            self.err(file, name.span, format!("duplicate type `{}` (also defined in {other})", name.value));
            return None;
        }
        let i = self.types.len();
        self.types.push(def);
        self.type_index.insert(name.value.clone(), i);
        Some(i)
    }

    fn read_type_header<'a>(
        &mut self,
        file: &'a SourceFile,
        v: &'a Value,
        parts: &[String],
    ) -> Option<PendingObject<'a>> {
        let mut o = Obj::new(file, v, "a type", TYPE_KEYS, self.diags)?;
        let _ = o.get("$schema");
        let name = o.req_str("name", self.diags);
        let kind = o.req_str("kind", self.diags);
        let description = o.req_str("description", self.diags);
        let notes = o.opt_str("notes", self.diags).map(|n| n.value);
        let fields = o.opt_array("fields", self.diags);
        let values = o.opt_array("values", self.diags);
        let repr = o.opt_str("repr", self.diags);
        let fields_span = o.key_span("fields");
        let values_span = o.key_span("values");
        let repr_span = o.key_span("repr");
        o.finish(self.diags);
        let name = name?;
        let name_ok = self.check_name(file, &name, true, "type name");
        let stem = parts.last().map(|p| p.trim_end_matches(".json")).unwrap_or_default();
        if parts.len() != 2 || stem != name.value {
            self.err(file, name.span, format!("type `{}` must live in types/{}.json", name.value, name.value));
        }
        let kind = kind?;
        let rel = parts.join("/");
        let mut def = TypeDef {
            name: name.value.clone(),
            description: description.map(|d| d.value).unwrap_or_default(),
            notes,
            kind: TypeKind::Object(Vec::new()),
            file: rel,
        };
        let mut pending = None;
        match kind.value.as_str() {
            "object" => {
                for (k, s) in [("values", values_span), ("repr", repr_span)] {
                    if let Some(s) = s {
                        self.err(file, s, format!("`{k}` does not apply to an object type"));
                    }
                }
                match fields {
                    Some(f) => pending = Some(f),
                    None => self.err(file, o_span(v), "missing key `fields` in an object type"),
                }
            }
            "string_enum" | "int_enum" => {
                if let Some(s) = fields_span {
                    self.err(file, s, "`fields` does not apply to an enum type");
                }
                let Some(values) = values else {
                    self.err(file, o_span(v), "missing key `values` in an enum type");
                    return None;
                };
                if values.is_empty() {
                    self.err(file, values_span.unwrap_or(v.span), "an enum needs at least one value");
                }
                if kind.value == "string_enum" {
                    if let Some(s) = repr_span {
                        self.err(file, s, "`repr` only applies to `int_enum`");
                    }
                    def.kind = TypeKind::StrEnum(self.read_str_values(file, values));
                } else {
                    let repr = match repr {
                        None => IntTy::I64,
                        Some(r) => match int_ty(&r.value) {
                            Some(t) => t,
                            None => {
                                self.err(
                                    file,
                                    r.span,
                                    format!("`repr` must be an integer type (i8 … u64), found `{}`", r.value),
                                );
                                IntTy::I64
                            }
                        },
                    };
                    let values = self.read_int_values(file, values, repr);
                    def.kind = TypeKind::IntEnum { repr, values };
                }
            }
            other => {
                let hint = did_you_mean(other, ["object", "string_enum", "int_enum"])
                    .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
                self.err(
                    file,
                    kind.span,
                    format!("unknown type kind `{other}`{hint}; expected object, string_enum or int_enum"),
                );
                return None;
            }
        }
        if !name_ok {
            return None;
        }
        let index = self.register_type(file, &name, def)?;
        self.shared.insert(name.value.clone(), index);
        pending.map(|fields| PendingObject { index, name: name.value, file, fields })
    }

    fn read_str_values(&mut self, file: &SourceFile, values: &[Value]) -> Vec<StrVariant> {
        let mut out: Vec<StrVariant> = Vec::new();
        for v in values {
            let Some(mut o) = Obj::new(file, v, "an enum value", STR_VALUE_KEYS, self.diags) else { continue };
            let value = o.req_str("value", self.diags);
            let rust = o.opt_str("rust", self.diags);
            let description = o.req_str("description", self.diags);
            let aliases_v = o.opt_array("aliases", self.diags).unwrap_or_default();
            o.finish(self.diags);
            let mut aliases = Vec::new();
            for a in aliases_v {
                match &a.kind {
                    Kind::Number(n) if n.as_i64().is_some() => aliases.push(n.as_i64().unwrap_or_default()),
                    k => self.err(file, a.span, format!("`aliases` must list integers, found {}", k.describe())),
                }
            }
            let Some(value) = value else { continue };
            let rust = rust.unwrap_or_else(|| Spanned { value: pascal_case(&value.value), span: value.span });
            if !self.check_name(file, &rust, true, "variant name") {
                continue;
            }
            if out.iter().any(|o| o.value == value.value) {
                self.err(file, value.span, format!("duplicate enum value `{}`", value.value));
            } else if out.iter().any(|o| o.rust == rust.value) {
                self.err(file, rust.span, format!("duplicate variant name `{}`", rust.value));
            } else if rust.value == "Unknown" {
                self.err(file, rust.span, "the variant name `Unknown` is reserved for values the spec does not know");
            }
            for a in &aliases {
                if out.iter().any(|o| o.aliases.contains(a)) {
                    self.err(file, value.span, format!("duplicate enum alias {a}"));
                }
            }
            out.push(StrVariant {
                value: value.value,
                rust: rust.value,
                description: description.map(|d| d.value).unwrap_or_default(),
                aliases,
            });
        }
        out
    }

    fn read_int_values(&mut self, file: &SourceFile, values: &[Value], repr: IntTy) -> Vec<IntVariant> {
        let mut out: Vec<IntVariant> = Vec::new();
        for v in values {
            let Some(mut o) = Obj::new(file, v, "an enum value", INT_VALUE_KEYS, self.diags) else { continue };
            let value = o.req_int("value", self.diags);
            let rust = o.req_str("rust", self.diags);
            let description = o.req_str("description", self.diags);
            o.finish(self.diags);
            let (Some(value), Some(rust)) = (value, rust) else { continue };
            if !self.check_name(file, &rust, true, "variant name") {
                continue;
            }
            let (lo, hi) = repr.range();
            if !(lo..=hi).contains(&i128::from(value.value)) {
                self.err(file, value.span, format!("{} does not fit in {}", value.value, repr.name()));
            }
            if out.iter().any(|o| o.value == value.value) {
                self.err(file, value.span, format!("duplicate enum value {}", value.value));
            } else if out.iter().any(|o| o.rust == rust.value) {
                self.err(file, rust.span, format!("duplicate variant name `{}`", rust.value));
            } else if rust.value == "Unknown" {
                self.err(file, rust.span, "the variant name `Unknown` is reserved for values the spec does not know");
            }
            out.push(IntVariant {
                value: value.value,
                rust: rust.value,
                description: description.map(|d| d.value).unwrap_or_default(),
            });
        }
        out
    }

    fn read_fields(&mut self, file: &SourceFile, values: &[Value], owner: &str) -> Vec<Field> {
        let mut out: Vec<Field> = Vec::new();
        for v in values {
            let Some((field, wire_span, rust_span)) = self.read_field(file, v, owner) else { continue };
            if out.iter().any(|o| o.wire == field.wire) {
                self.err(file, wire_span, format!("duplicate field `{}`", field.wire));
            } else if out.iter().any(|o| o.rust == field.rust) {
                self.err(file, rust_span, format!("duplicate Rust field name `{}`", field.rust));
            } else {
                out.push(field);
            }
        }
        out
    }

    fn read_field(&mut self, file: &SourceFile, v: &Value, owner: &str) -> Option<(Field, Span, Span)> {
        let mut o = Obj::new(file, v, "a field", FIELD_KEYS, self.diags)?;
        let wire = o.req_str("wire", self.diags);
        let rust = o.opt_str("rust", self.diags);
        let description = o.req_str("description", self.diags);
        let required = o.opt_bool("required", self.diags).is_some_and(|b| b.value);
        let notes = o.opt_str("notes", self.diags);
        let accept = o.opt_str_list("accept", self.diags);
        let default = o.get("default");
        let min_items = o.opt_count("min_items", self.diags);
        let max_items = o.opt_count("max_items", self.diags);
        let wire = wire?;
        if wire.value.is_empty() {
            self.err(file, wire.span, "`wire` cannot be empty");
        }
        let prefix = format!("{owner}{}", pascal_case(&wire.value));
        let types_before = self.types.len();
        let ty = self.read_shape(&mut o, &prefix, true);
        let items_span = o.key_span("min_items").or(o.key_span("max_items"));
        o.finish(self.diags);
        let (ty, mut limits) = ty?;
        if let Some(s) = items_span.filter(|_| !matches!(ty, Ty::Array(_))) {
            self.err(file, s, "`min_items`/`max_items` only apply to arrays");
        }
        limits.min_items = min_items.as_ref().map(|s| s.value);
        limits.max_items = max_items.as_ref().map(|s| s.value);
        if let (Some(lo), Some(hi)) = (&min_items, &max_items)
            && lo.value > hi.value
        {
            self.err(
                file,
                hi.span,
                format!("contradictory limits: max_items {} is below min_items {}", hi.value, lo.value),
            );
        }
        let what =
            if rust.is_some() { "field name" } else { "field name derived from `wire` (set `rust` to override)" };
        let rust = rust.unwrap_or_else(|| Spanned { value: snake_case(&wire.value), span: wire.span });
        self.check_name(file, &rust, false, what);
        // An inline object takes the description of the field that defines it.
        let inner = match &ty {
            Ty::Array(t) => t.as_ref(),
            t => t,
        };
        if let (Ty::Named(i), Some(d)) = (inner, &description)
            && *i >= types_before
        {
            self.types[*i].description = d.value.clone();
        }
        let accept = self.read_accept(file, &accept, &ty);
        let default = default.and_then(|d| self.check_default(file, d, &ty, &limits));
        let mut description = description.map(|d| d.value).unwrap_or_default();
        if let Some(n) = notes {
            description = format!("{description}\n\n{}", n.value);
        }
        let field = Field { wire: wire.value, rust: rust.value, description, ty, required, default, limits, accept };
        Some((field, wire.span, rust.span))
    }

    /// Reads `type` (with `items`, `fields`, `type_name`) and the element limits of an object
    /// that describes a value: a field (`allow_array`) or the items of an array.
    fn read_shape(&mut self, o: &mut Obj<'_>, prefix: &str, allow_array: bool) -> Option<(Ty, Limits)> {
        let file = o.file();
        let ty_name = o.req_str("type", self.diags);
        let items = o.get("items");
        let items_span = o.key_span("items");
        let fields = o.opt_array("fields", self.diags);
        let fields_span = o.key_span("fields");
        let type_name = o.opt_str("type_name", self.diags);
        let min_bytes = o.opt_count("min_bytes", self.diags);
        let max_bytes = o.opt_count("max_bytes", self.diags);
        let min = o.opt_int("min", self.diags);
        let max = o.opt_int("max", self.diags);
        let allowed = o.opt_array("allowed", self.diags);
        let allowed_span = o.key_span("allowed");
        let ty_name = ty_name?;
        if ty_name.value != "array"
            && let Some(s) = items_span
        {
            self.err(file, s, "`items` only applies to type `array`");
        }
        if ty_name.value != "object" {
            for (k, s) in [("fields", fields_span), ("type_name", type_name.as_ref().map(|t| t.span))] {
                if let Some(s) = s {
                    self.err(file, s, format!("`{k}` only applies to type `object`"));
                }
            }
        }
        let (ty, mut limits) = match ty_name.value.as_str() {
            "string" => (Ty::String, Limits::default()),
            "bool" => (Ty::Bool, Limits::default()),
            "array" => {
                if !allow_array {
                    self.err(file, ty_name.span, "arrays of arrays are not supported");
                    return None;
                }
                let Some(items) = items else {
                    self.err(
                        file,
                        ty_name.span,
                        "type `array` needs `items` (a type name, or an object with `type` and limits)",
                    );
                    return None;
                };
                let (item, limits) = match &items.kind {
                    Kind::String(name) => (
                        self.resolve_named(file, &Spanned { value: name.clone(), span: items.span })?,
                        Limits::default(),
                    ),
                    Kind::Object(_) => {
                        let mut io = Obj::new(file, items, "array items", ITEM_KEYS, self.diags)?;
                        let r = self.read_shape(&mut io, prefix, false);
                        io.finish(self.diags);
                        r?
                    }
                    k => {
                        self.err(
                            file,
                            items.span,
                            format!("`items` must be a type name or an object, found {}", k.describe()),
                        );
                        return None;
                    }
                };
                (Ty::Array(Box::new(item)), limits)
            }
            "object" => {
                let Some(fields) = fields else {
                    self.err(file, ty_name.span, "type `object` needs `fields` (or name a shared type instead)");
                    return None;
                };
                let name = type_name.unwrap_or_else(|| Spanned { value: prefix.to_owned(), span: ty_name.span });
                if !self.check_name(file, &name, true, "type name") {
                    return None;
                }
                let def = TypeDef {
                    name: name.value.clone(),
                    description: String::new(),
                    notes: None,
                    kind: TypeKind::Object(Vec::new()),
                    file: file.display.clone(),
                };
                let index = self.register_type(file, &name, def)?;
                let resolved = self.read_fields(file, fields, &name.value);
                self.types[index].kind = TypeKind::Object(resolved);
                (Ty::Named(index), Limits::default())
            }
            other => match int_ty(other) {
                Some(t) => (Ty::Int(t), Limits::default()),
                None => (self.resolve_named(file, &ty_name)?, Limits::default()),
            },
        };
        // Element limits: check that they apply to the element type, and agree with each other.
        let elem = match &ty {
            Ty::Array(inner) => inner.as_ref().clone(),
            t => t.clone(),
        };
        if !matches!(ty, Ty::Array(_)) || !allow_array {
            let is_str = elem == Ty::String;
            for (k, s) in [("min_bytes", &min_bytes), ("max_bytes", &max_bytes)] {
                if let Some(s) = s.as_ref().filter(|_| !is_str) {
                    self.err(file, s.span, format!("`{k}` only applies to strings"));
                }
            }
            limits.min_bytes = min_bytes.as_ref().map(|s| s.value);
            limits.max_bytes = max_bytes.as_ref().map(|s| s.value);
            if let (Some(lo), Some(hi)) = (&min_bytes, &max_bytes)
                && lo.value > hi.value
            {
                self.err(
                    file,
                    hi.span,
                    format!("contradictory limits: max_bytes {} is below min_bytes {}", hi.value, lo.value),
                );
            }
            let int = match elem {
                Ty::Int(t) => Some(t),
                _ => None,
            };
            for (k, s) in [("min", &min), ("max", &max)] {
                let Some(s) = s else { continue };
                match int {
                    None => self.err(file, s.span, format!("`{k}` only applies to integers")),
                    Some(t) => {
                        let (lo, hi) = t.range();
                        if !(lo..=hi).contains(&i128::from(s.value)) {
                            self.err(file, s.span, format!("{k} {} is outside the range of {}", s.value, t.name()));
                        }
                    }
                }
            }
            limits.min = min.as_ref().map(|s| s.value);
            limits.max = max.as_ref().map(|s| s.value);
            if let (Some(lo), Some(hi)) = (&min, &max)
                && lo.value > hi.value
            {
                self.err(file, hi.span, format!("contradictory limits: max {} is below min {}", hi.value, lo.value));
            }
            if let Some(allowed) = allowed {
                self.read_allowed(file, allowed, allowed_span.unwrap_or(ty_name.span), &elem, &mut limits);
            }
        } else {
            for (k, s) in [
                ("min_bytes", min_bytes.map(|s| s.span)),
                ("max_bytes", max_bytes.map(|s| s.span)),
                ("min", min.map(|s| s.span)),
                ("max", max.map(|s| s.span)),
                ("allowed", allowed_span),
            ] {
                if let Some(s) = s {
                    self.err(file, s, format!("`{k}` of an array's elements belongs in `items`"));
                }
            }
        }
        Some((ty, limits))
    }

    fn read_allowed(&mut self, file: &SourceFile, allowed: &[Value], span: Span, elem: &Ty, limits: &mut Limits) {
        if allowed.is_empty() {
            self.err(file, span, "`allowed` needs at least one value");
        }
        for a in allowed {
            match (elem, &a.kind) {
                (Ty::String, Kind::String(s)) => limits.allowed_strings.push(s.clone()),
                (Ty::Int(t), Kind::Number(n)) if n.as_i64().is_some() => {
                    let n = n.as_i64().unwrap_or_default();
                    let (lo, hi) = t.range();
                    if !(lo..=hi).contains(&i128::from(n)) {
                        self.err(file, a.span, format!("allowed value {n} does not fit in {}", t.name()));
                    }
                    limits.allowed_ints.push(n);
                }
                (Ty::String | Ty::Int(_), k) => {
                    self.err(file, a.span, format!("allowed value must match the field type, found {}", k.describe()))
                }
                _ => {
                    self.err(
                        file,
                        a.span,
                        "`allowed` only applies to strings and integers (use an enum type otherwise)",
                    );
                    return;
                }
            }
        }
    }

    fn resolve_named(&mut self, file: &SourceFile, name: &Spanned<String>) -> Option<Ty> {
        if let Some(t) = int_ty(&name.value) {
            return Some(Ty::Int(t));
        }
        match name.value.as_str() {
            "string" => return Some(Ty::String),
            "bool" => return Some(Ty::Bool),
            _ => {}
        }
        if let Some(&i) = self.shared.get(&name.value) {
            return Some(Ty::Named(i));
        }
        if matches!(name.value.as_str(), "object" | "array") {
            let msg =
                format!("`{}` cannot be named here: write `items` as an object with `type` (and `fields`)", name.value);
            self.err(file, name.span, msg);
            return None;
        }
        if self.type_index.contains_key(&name.value) {
            let msg = format!(
                "`{}` is an inline object of another spec; move it to types/{}.json to share it",
                name.value, name.value
            );
            self.err(file, name.span, msg);
            return None;
        }
        let candidates: Vec<&str> = PRIMITIVES.iter().copied().chain(self.shared.keys().map(String::as_str)).collect();
        let hint = did_you_mean(&name.value, candidates).map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
        self.err(file, name.span, format!("unknown type `{}`{hint}", name.value));
        None
    }

    fn read_accept(&mut self, file: &SourceFile, accept: &[Spanned<String>], ty: &Ty) -> Vec<JsonKind> {
        let mut out = Vec::new();
        for a in accept {
            let kind = match a.value.as_str() {
                "string" => JsonKind::String,
                "number" => JsonKind::Number,
                "bool" => JsonKind::Bool,
                other => {
                    self.err(
                        file,
                        a.span,
                        format!("unknown JSON kind `{other}` in `accept`; expected string, number or bool"),
                    );
                    continue;
                }
            };
            let ok = match ty {
                Ty::String => kind != JsonKind::String,
                Ty::Bool => kind != JsonKind::Bool,
                Ty::Int(_) => kind == JsonKind::String,
                _ => false,
            };
            if !ok {
                self.err(file, a.span, format!("a field of this type cannot be decoded from a JSON {}", a.value));
            } else if !out.contains(&kind) {
                out.push(kind);
            }
        }
        out
    }

    fn check_default(&mut self, file: &SourceFile, d: &Value, ty: &Ty, limits: &Limits) -> Option<String> {
        let text = file.text.get(d.span.start..d.span.end).unwrap_or_default().to_owned();
        let problem = match (ty, &d.kind) {
            (Ty::String, Kind::String(s)) => {
                let n = s.len() as u64;
                if limits.max_bytes.is_some_and(|m| n > m) || limits.min_bytes.is_some_and(|m| n < m) {
                    Some("the default breaks the field's byte limits".to_owned())
                } else if !limits.allowed_strings.is_empty() && !limits.allowed_strings.contains(s) {
                    Some("the default is not one of the allowed values".to_owned())
                } else {
                    None
                }
            }
            (Ty::Bool, Kind::Bool(_)) => None,
            (Ty::Int(t), Kind::Number(n)) => match n.as_i64() {
                Some(v) => {
                    let (lo, hi) = t.range();
                    if !(lo..=hi).contains(&i128::from(v))
                        || limits.min.is_some_and(|m| v < m)
                        || limits.max.is_some_and(|m| v > m)
                    {
                        Some(format!("the default {v} breaks the field's range"))
                    } else if !limits.allowed_ints.is_empty() && !limits.allowed_ints.contains(&v) {
                        Some(format!("the default {v} is not one of the allowed values"))
                    } else {
                        None
                    }
                }
                None => Some("the default must be an integer".to_owned()),
            },
            (Ty::Named(i), k) => match (&self.types[*i].kind, k) {
                (TypeKind::StrEnum(vs), Kind::String(s)) if vs.iter().any(|v| &v.value == s) => None,
                (TypeKind::IntEnum { values, .. }, Kind::Number(n))
                    if values.iter().any(|v| Some(v.value) == n.as_i64()) =>
                {
                    None
                }
                (TypeKind::Object(_), _) => Some("defaults are only supported for scalar fields".to_owned()),
                _ => Some(format!("the default {text} is not a value of `{}`", self.types[*i].name)),
            },
            (Ty::Array(_), _) => Some("defaults are only supported for scalar fields".to_owned()),
            (_, k) => Some(format!("the default must match the field type, found {}", k.describe())),
        };
        match problem {
            Some(p) => {
                self.err(file, d.span, p);
                None
            }
            None => Some(text),
        }
    }

    fn read_codes(&mut self, file: &SourceFile, values: &[Value]) -> Vec<(ErrorCode, Span, Span)> {
        let mut out = Vec::new();
        for v in values {
            let Some(mut o) = Obj::new(file, v, "an error code", CODE_KEYS, self.diags) else { continue };
            let code = o.req_int("code", self.diags);
            let rust = o.req_str("rust", self.diags);
            let description = o.req_str("description", self.diags);
            let retry = o.req_str("retry", self.diags);
            o.finish(self.diags);
            let (Some(code), Some(rust), Some(retry)) = (code, rust, retry) else { continue };
            let name_ok = self.check_name(file, &rust, true, "error variant name");
            if code.value == 0 {
                self.err(file, code.span, "error code 0 means success");
            }
            if rust.value == "Undocumented" {
                self.err(
                    file,
                    rust.span,
                    "the variant name `Undocumented` is reserved for codes the spec does not list",
                );
            }
            let retry = match retry.value.as_str() {
                "transient" => Retry::Transient,
                "throttled" => Retry::Throttled,
                "permanent" => Retry::Permanent,
                other => {
                    let hint = did_you_mean(other, ["transient", "throttled", "permanent"])
                        .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
                    self.err(
                        file,
                        retry.span,
                        format!("unknown retry class `{other}`{hint}; expected transient, throttled or permanent"),
                    );
                    continue;
                }
            };
            if !name_ok {
                continue;
            }
            let description = description.map(|d| d.value).unwrap_or_default();
            out.push((ErrorCode { code: code.value, rust: rust.value, description, retry }, code.span, rust.span));
        }
        out
    }

    fn read_table(&mut self, file: &SourceFile, v: &Value, parts: &[String]) -> Option<(ErrorTable, Span)> {
        let mut o = Obj::new(file, v, "an error table", TABLE_KEYS, self.diags)?;
        let _ = o.get("$schema");
        let name = o.req_str("table", self.diags);
        let description = o.req_str("description", self.diags);
        let _doc = o.opt_str("doc_url", self.diags);
        let as_enum = o.get("as_enum");
        let codes = o.req_array("codes", self.diags);
        o.finish(self.diags);
        let as_enum = as_enum.and_then(|a| {
            let mut ao = Obj::new(file, a, "`as_enum`", AS_ENUM_KEYS, self.diags)?;
            let rust = ao.req_str("rust", self.diags);
            let variant = ao.req_str("variant", self.diags);
            ao.finish(self.diags);
            let (rust, variant) = (rust?, variant?);
            let ok =
                self.check_name(file, &rust, true, "enum name") & self.check_name(file, &variant, true, "variant name");
            ok.then_some(TableEnum { rust: rust.value, variant: variant.value })
        });
        let name = name?;
        let stem = parts.last().map(|p| p.trim_end_matches(".json")).unwrap_or_default();
        if parts.len() != 2 || stem != name.value {
            self.err(file, name.span, format!("error table `{}` must live in errors/{}.json", name.value, name.value));
        }
        let codes = self.read_codes(file, codes.unwrap_or_default());
        let mut list: Vec<ErrorCode> = Vec::new();
        for (c, code_span, rust_span) in codes {
            if list.iter().any(|o| o.code == c.code) {
                self.err(file, code_span, format!("duplicate error code {}", c.code));
            } else if list.iter().any(|o| o.rust == c.rust) {
                self.err(file, rust_span, format!("duplicate error variant `{}`", c.rust));
            } else {
                list.push(c);
            }
        }
        let description = description.map(|d| d.value).unwrap_or_default();
        Some((ErrorTable { name: name.value, description, codes: list, as_enum }, name.span))
    }

    fn read_endpoint(
        &mut self,
        file: &SourceFile,
        v: &Value,
        parts: &[String],
        tables: &[ErrorTable],
    ) -> Option<(Endpoint, EndpointSpans)> {
        let mut o = Obj::new(file, v, "an endpoint", ENDPOINT_KEYS, self.diags)?;
        let _ = o.get("$schema");
        let service = o.req_str("service", self.diags);
        let command = o.req_str("command", self.diags);
        let rust_name = o.opt_str("rust_name", self.diags);
        let title = o.req_str("title", self.diags);
        let description = o.req_str("description", self.diags);
        let doc_url = o.req_str("doc_url", self.diags);
        let rate_v = o.get("rate_limit");
        let rate_span = o.key_span("rate_limit");
        let idempotent = o.opt_bool("idempotent", self.diags).is_some_and(|b| b.value);
        let request = o.req_array("request", self.diags);
        let response_key = o.opt_str("response_key", self.diags).map(|s| s.value);
        let response = o.opt_array("response", self.diags).unwrap_or_default();
        let own_codes = o.opt_array("errors", self.diags).unwrap_or_default();
        let table_refs = o.opt_str_list("error_tables", self.diags);
        let notes = o.opt_str("notes", self.diags).map(|s| s.value);
        let examples_v = o.opt_array("examples", self.diags).unwrap_or_default();
        let pagination_v = o.get("pagination");
        if rate_v.is_none() {
            self.err(
                file,
                Span { start: v.span.start, end: v.span.start + 1 },
                "missing key `rate_limit` in an endpoint",
            );
        }
        o.finish(self.diags);

        let rate = rate_v.and_then(|r| {
            let mut ro = Obj::new(file, r, "`rate_limit`", RATE_KEYS, self.diags)?;
            let cps = ro.get("calls_per_second");
            let group = ro.opt_str("quota_group", self.diags);
            if cps.is_none() {
                self.err(file, r.span, "missing key `calls_per_second` in `rate_limit`");
            }
            ro.finish(self.diags);
            let cps_v = cps?;
            match &cps_v.kind {
                Kind::Number(n) if n.as_f64().is_some_and(|f| f > 0.0 && f.is_finite()) => {
                    Some((n.as_f64().unwrap_or(1.0), group.map(|g| g.value)))
                }
                _ => {
                    self.err(file, cps_v.span, "`calls_per_second` must be a number above 0 (0.1 = one call per 10 s)");
                    None
                }
            }
        });
        let (service, command) = (service?, command?);
        let rel = parts.join("/");
        if parts.len() != 2 || parts[0] != service.value || parts[1] != format!("{}.json", command.value) {
            self.err(
                file,
                command.span,
                format!(
                    "endpoint {}/{} must live in {}/{}.json",
                    service.value, command.value, service.value, command.value
                ),
            );
        }
        for s in [&service, &command] {
            if s.value.is_empty() || !s.value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                self.err(
                    file,
                    s.span,
                    format!("`{}` is not a valid path segment (ASCII letters, digits, `_`)", s.value),
                );
            }
        }
        let rust_name = rust_name.unwrap_or_else(|| Spanned { value: pascal_case(&command.value), span: command.span });
        let name_ok = self.check_name(file, &rust_name, true, "endpoint name");
        let method = snake_case(&rust_name.value);
        if RESERVED_METHODS.contains(&method.as_str()) {
            self.err(
                file,
                rust_name.span,
                format!("the method name `{method}` is reserved by the client; set `rust_name`"),
            );
        }
        let request = self.read_fields(file, request.unwrap_or_default(), &rust_name.value);
        let response = self.read_fields(file, response, &format!("{}Response", rust_name.value));

        // Error codes: own codes, flattened tables, nested tables.
        let mut errors: Vec<CodeEntry> = Vec::new();
        let mut seen_codes: HashMap<i64, String> = HashMap::new();
        let mut seen_names: HashMap<String, String> = HashMap::new();
        seen_names.insert("Undocumented".into(), "the reserved variant".into());
        for t in &table_refs {
            let Some(ti) = tables.iter().position(|x| x.name == t.value) else {
                let hint = did_you_mean(&t.value, tables.iter().map(|x| x.name.as_str()))
                    .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
                self.err(file, t.span, format!("unknown error table `{}`{hint}", t.value));
                continue;
            };
            let table = &tables[ti];
            let origin = format!("table `{}`", table.name);
            match &table.as_enum {
                Some(e) => {
                    if let Some(prev) = seen_names.insert(e.variant.clone(), origin.clone()) {
                        self.err(file, t.span, format!("duplicate error variant `{}` (also from {prev})", e.variant));
                    }
                    for c in &table.codes {
                        if let Some(prev) = seen_codes.insert(c.code, origin.clone()) {
                            self.err(file, t.span, format!("duplicate error code {} (also from {prev})", c.code));
                        }
                    }
                    errors.push(CodeEntry::Table(ti));
                }
                None => {
                    for c in &table.codes {
                        if let Some(prev) = seen_codes.insert(c.code, origin.clone()) {
                            self.err(file, t.span, format!("duplicate error code {} (also from {prev})", c.code));
                        }
                        if let Some(prev) = seen_names.insert(c.rust.clone(), origin.clone()) {
                            self.err(file, t.span, format!("duplicate error variant `{}` (also from {prev})", c.rust));
                        }
                        errors.push(CodeEntry::Code(c.clone()));
                    }
                }
            }
        }
        for (c, code_span, rust_span) in self.read_codes(file, own_codes) {
            if let Some(prev) = seen_codes.insert(c.code, "this endpoint".into()) {
                self.err(file, code_span, format!("duplicate error code {} (also from {prev})", c.code));
                continue;
            }
            if let Some(prev) = seen_names.insert(c.rust.clone(), "this endpoint".into()) {
                self.err(file, rust_span, format!("duplicate error variant `{}` (also from {prev})", c.rust));
                continue;
            }
            errors.push(CodeEntry::Code(c));
        }

        let examples = self.read_examples(file, examples_v);
        let pagination = pagination_v.and_then(|p| self.read_pagination(file, p, &request, &response));
        let (calls_per_second, group) = rate?;
        if !name_ok {
            return None;
        }
        let ep = Endpoint {
            service: service.value.clone(),
            command: command.value.clone(),
            rust_name: rust_name.value,
            method,
            title: title.map(|t| t.value).unwrap_or_default(),
            description: description.map(|d| d.value).unwrap_or_default(),
            doc_url: doc_url.map(|d| d.value).unwrap_or_default(),
            rate: RateLimit {
                calls_per_second,
                quota_group: group.unwrap_or_else(|| format!("{}/{}", service.value, command.value)),
            },
            idempotent,
            request,
            response_key,
            response,
            errors,
            notes,
            examples,
            pagination,
            file: rel,
        };
        Some((ep, EndpointSpans { name: rust_name.span, rate: rate_span.unwrap_or(v.span) }))
    }
}

impl Cx<'_> {
    fn read_examples(&mut self, file: &SourceFile, values: &[Value]) -> Vec<Example> {
        let mut out = Vec::new();
        for v in values {
            let Some(mut o) = Obj::new(file, v, "an example", EXAMPLE_KEYS, self.diags) else { continue };
            let name = o.req_str("name", self.diags);
            let request = o.get("request");
            let response = o.get("response");
            if request.is_none() {
                self.err(file, o_span(v), "missing key `request` in an example");
            }
            o.finish(self.diags);
            let text = |v: &Value| file.text.get(v.span.start..v.span.end).unwrap_or_default().to_owned();
            for part in [request, response].into_iter().flatten() {
                if !matches!(part.kind, Kind::Object(_) | Kind::Null) {
                    self.err(
                        file,
                        part.span,
                        format!("an example must be a JSON object, found {}", part.kind.describe()),
                    );
                }
            }
            let (Some(name), Some(request)) = (name, request) else { continue };
            let response = response.filter(|r| !matches!(r.kind, Kind::Null)).map(text);
            out.push(Example { name: name.value, request: text(request), response });
        }
        out
    }

    fn read_pagination(
        &mut self,
        file: &SourceFile,
        v: &Value,
        request: &[Field],
        response: &[Field],
    ) -> Option<Pagination> {
        let mut o = Obj::new(file, v, "`pagination`", PAGINATION_KEYS, self.diags)?;
        let cursor = o.req_str("cursor", self.diags);
        let next = o.req_str("next", self.diags);
        let items = o.req_str("items", self.diags);
        let page_size = o.opt_str("page_size", self.diags);
        o.finish(self.diags);
        let (cursor, next, items) = (cursor?, next?, items?);
        let mut find = |name: &Spanned<String>, fields: &[Field], side: &str| {
            let i = fields.iter().position(|f| f.wire == name.value);
            if i.is_none() {
                self.err(file, name.span, format!("no {side} field `{}`", name.value));
            }
            i
        };
        let cursor_i = find(&cursor, request, "request");
        let next_i = find(&next, response, "response");
        let items_i = find(&items, response, "response");
        let page_i = match &page_size {
            Some(p) => Some(find(p, request, "request")?),
            None => None,
        };
        let (cursor_i, next_i, items_i) = (cursor_i?, next_i?, items_i?);
        let scalar = |t: &Ty| matches!(t, Ty::String | Ty::Int(_));
        if !scalar(&request[cursor_i].ty) || request[cursor_i].ty != response[next_i].ty {
            self.err(
                file,
                next.span,
                "the cursor and the next cursor must both be strings or both be integers of one type",
            );
        }
        if !matches!(response[items_i].ty, Ty::Array(_)) {
            self.err(file, items.span, format!("`{}` must be an array to page over", items.value));
        }
        if let (Some(i), Some(p)) = (page_i, &page_size)
            && !matches!(request[i].ty, Ty::Int(_))
        {
            self.err(file, p.span, "the page size must be an integer field");
        }
        Some(Pagination { cursor: cursor_i, next: next_i, items: items_i, page_size: page_i })
    }
}

fn o_span(v: &Value) -> Span {
    Span { start: v.span.start, end: v.span.start + 1 }
}

fn int_ty(name: &str) -> Option<IntTy> {
    IntTy::ALL.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "/specs";

    fn check(files: &[(&str, &str)]) -> (Api, Vec<String>) {
        let sources: Vec<SourceFile> = files
            .iter()
            .map(|(p, t)| SourceFile::new(Path::new(ROOT).join(p), (*p).to_owned(), (*t).to_owned()))
            .collect();
        let mut d = Diagnostics::default();
        let api = check_sources(Path::new(ROOT), &sources, &mut d);
        (api, d.into_vec().iter().map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message)).collect())
    }

    const ENDPOINT: &str = r#"{
  "service": "svc", "command": "do_it", "title": "T", "description": "D", "doc_url": "u",
  "rate_limit": { "calls_per_second": 20, "quota_group": "g" },
  "request": [
    { "wire": "RoomId", "type": "string", "required": true, "max_bytes": 48, "description": "R" },
    { "wire": "Owner_Account", "type": "string", "description": "O" },
    { "wire": "List", "type": "array", "items": { "type": "u8", "max": 9 }, "max_items": 3, "description": "L" },
    { "wire": "Mode", "type": "Mode", "default": 1000, "description": "M" }
  ],
  "errors": [ { "code": 100004, "rust": "RoomNotFound", "retry": "permanent", "description": "x" } ]
}"#;
    const MODE: &str = r#"{ "name": "Mode", "kind": "int_enum", "repr": "u32", "description": "M",
  "values": [ { "value": 0, "rust": "Grid", "description": "g" }, { "value": 1000, "rust": "Custom", "description": "c" } ] }"#;

    #[test]
    fn builds_the_model_of_a_valid_folder() {
        let (api, errors) = check(&[("svc/do_it.json", ENDPOINT), ("types/Mode.json", MODE)]);
        assert!(errors.is_empty(), "{errors:#?}");
        let e = &api.endpoints[0];
        assert_eq!((e.rust_name.as_str(), e.method.as_str(), e.path()), ("DoIt", "do_it", "/v4/svc/do_it".into()));
        assert_eq!(e.rate, RateLimit { calls_per_second: 20.0, quota_group: "g".into() });
        let names: Vec<&str> = e.request.iter().map(|f| f.rust.as_str()).collect();
        assert_eq!(names, ["room_id", "owner_account", "list", "mode"]);
        assert_eq!(e.request[0].limits.max_bytes, Some(48));
        assert!(e.request[0].required && !e.request[1].required);
        assert_eq!(e.request[2].ty, Ty::Array(Box::new(Ty::Int(IntTy::U8))));
        assert_eq!((e.request[2].limits.max, e.request[2].limits.max_items), (Some(9), Some(3)));
        assert_eq!(e.request[3].default.as_deref(), Some("1000"));
        assert!(matches!(&e.errors[0], CodeEntry::Code(c) if c.code == 100004 && c.retry == Retry::Permanent));
    }

    #[test]
    fn reports_every_problem_with_its_position() {
        let bad = ENDPOINT
            .replace(r#""type": "Mode""#, r#""type": "Mdoe""#)
            .replace(r#""max_items": 3"#, r#""max_items": 3, "min_items": 4"#)
            .replace(r#""doc_url": "u","#, r#""doc_url": "u", "titel": 1,"#);
        let (_, errors) =
            check(&[("svc/do_it.json", &bad), ("types/Mode.json", MODE), ("svc/broken.json", "{\n  \"a\": 1,\n}")]);
        assert_eq!(
            errors,
            [
                "svc/broken.json:3:1: malformed JSON: trailing comma before `}` (JSON does not allow it)",
                "svc/do_it.json:2:91: unknown key `titel` in an endpoint (did you mean `title`?)",
                "svc/do_it.json:7:90: contradictory limits: max_items 3 is below min_items 4",
                "svc/do_it.json:8:31: unknown type `Mdoe` (did you mean `Mode`?)",
            ]
        );
    }

    #[test]
    fn checks_defaults_names_locations_and_duplicates() {
        let ep = ENDPOINT
            .replace(r#""default": 1000"#, r#""default": 7"#)
            .replace(r#""command": "do_it""#, r#""command": "do_it", "rust_name": "doIt""#);
        let table = r#"{ "table": "common", "description": "d", "codes": [
            { "code": 1, "rust": "A", "retry": "transient", "description": "a" },
            { "code": 1, "rust": "B", "retry": "transient", "description": "b" } ] }"#;
        let (_, errors) = check(&[("svc/do_it.json", &ep), ("types/Mode.json", MODE), ("errors/other.json", table)]);
        let text = errors.join("\n");
        assert!(text.contains("endpoint name `doIt` should be written `DoIt`"), "{text}");
        assert!(text.contains("the default 7 is not a value of `Mode`"), "{text}");
        assert!(text.contains("error table `common` must live in errors/common.json"), "{text}");
        assert!(text.contains("duplicate error code 1"), "{text}");
    }

    #[test]
    fn inline_objects_cannot_take_generated_names_or_be_shared() {
        let a = ENDPOINT.replace(
            r#"{ "wire": "Owner_Account", "type": "string", "description": "O" }"#,
            r#"{ "wire": "Box", "rust": "frame", "type": "object", "type_name": "Three", "fields": [], "description": "B" }"#,
        );
        let three = ENDPOINT
            .replace(r#""command": "do_it""#, r#""command": "three""#)
            .replace(r#""type": "Mode""#, r#""type": "Three""#)
            .replace(r#""default": 1000, "#, "");
        let (_, errors) = check(&[("svc/do_it.json", &a), ("svc/three.json", &three), ("types/Mode.json", MODE)]);
        let text = errors.join("\n");
        assert!(text.contains("the generated name `Three` is already used by endpoint svc/three.json"), "{text}");
        assert!(text.contains("`Three` is an inline object of another spec"), "{text}");
        let accept_on_array = ENDPOINT.replace(r#""max_items": 3,"#, r#""max_items": 3, "accept": ["string"],"#);
        let (_, errors) = check(&[("svc/do_it.json", &accept_on_array), ("types/Mode.json", MODE)]);
        assert!(errors.join("\n").contains("cannot be decoded from a JSON string"), "{errors:?}");
    }

    #[test]
    fn the_server_trait_name_is_reserved() {
        let renamed = ENDPOINT.replace(r#""command": "do_it""#, r#""command": "do_it", "rust_name": "Service""#);
        let (_, errors) = check(&[("svc/do_it.json", &renamed), ("types/Mode.json", MODE)]);
        let text = errors.join("\n");
        assert!(text.contains("the endpoint name `Service` is reserved for the generated server trait"), "{text}");
    }

    #[test]
    fn never_panics_on_mangled_specs() {
        // Deterministic xorshift so failures reproduce.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let pieces =
            ["{", "}", "[", "]", ",", ":", "\"", "\\u", "é", "0", "-1e999", "null", "\"type\"", "\"array\"", "\n"];
        for _ in 0..3000 {
            let mut text: Vec<char> = ENDPOINT.chars().collect();
            for _ in 0..(next() % 6 + 1) {
                let at = (next() as usize) % (text.len() + 1);
                match next() % 3 {
                    0 if at < text.len() => {
                        text.remove(at);
                    }
                    1 => {
                        let p = pieces[(next() as usize) % pieces.len()];
                        for (k, c) in p.chars().enumerate() {
                            text.insert(at + k, c);
                        }
                    }
                    _ => {
                        let cut = (next() as usize) % (text.len() + 1);
                        text.truncate(cut);
                    }
                }
            }
            let text: String = text.into_iter().collect();
            let _ = check(&[("svc/do_it.json", &text), ("types/Mode.json", MODE)]);
        }
    }
}
