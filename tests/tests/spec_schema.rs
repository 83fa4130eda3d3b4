//! The JSON Schema of the spec format (`api-specs/spec.schema.json`, which editors use through the
//! `"$schema"` key of each spec file) checked three ways: every spec file conforms to it, broken
//! documents are rejected at the right place (so conformance cannot pass vacuously), and the keys
//! it allows for each kind of object are exactly the key lists of the reader
//! (`live_api_codegen::load::keys`), so the two cannot drift apart.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use boon::{Compiler, ErrorKind, SchemaIndex, Schemas, ValidationError};
use live_api_codegen::load::keys;
use serde_json::{Value, json};

fn specs_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs");
    dir.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn schema_path() -> PathBuf {
    specs_dir().join("spec.schema.json")
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("malformed JSON: {e}"))
}

fn schema_json() -> Value {
    read_json(&schema_path()).unwrap_or_else(|e| panic!("{}: {e}", schema_path().display()))
}

/// The compiled schema: the whole of it, and the `$defs` entry of each kind of file.
struct Validator {
    schemas: Schemas,
    root: SchemaIndex,
    endpoint: SchemaIndex,
    named_type: SchemaIndex,
    table: SchemaIndex,
    callback: SchemaIndex,
}

impl Validator {
    fn new() -> Self {
        let loc = schema_path().display().to_string();
        let mut compiler = Compiler::new();
        compiler.add_resource(&loc, schema_json()).expect("the schema location is a valid path");
        let mut schemas = Schemas::new();
        let mut compile = |fragment: &str| {
            let at = format!("{loc}{fragment}");
            compiler.compile(&at, &mut schemas).unwrap_or_else(|e| panic!("{at} does not compile: {e:#}"))
        };
        let root = compile("");
        let endpoint = compile("#/$defs/endpoint");
        let named_type = compile("#/$defs/namedType");
        let table = compile("#/$defs/errorTable");
        let callback = compile("#/$defs/callback");
        Validator { schemas, root, endpoint, named_type, table, callback }
    }

    /// The problems of `doc`, each as `#<JSON pointer>: <message>`; empty when it conforms.
    ///
    /// The root schema decides; when it rejects the document, the errors are taken from the kind
    /// the document's keys name (`service`, `callback`, `name`/`kind`, `table`), which point at
    /// the offending value, rather than from the `oneOf` over all four kinds.
    fn problems(&self, doc: &Value) -> Vec<String> {
        if self.schemas.validate(doc, self.root).is_ok() {
            return Vec::new();
        }
        let has = |k: &str| doc.get(k).is_some();
        let branch = if has("service") {
            self.endpoint
        } else if has("callback") {
            self.callback
        } else if has("table") {
            self.table
        } else if has("name") || has("kind") {
            self.named_type
        } else {
            self.root
        };
        let mut out = Vec::new();
        match self.schemas.validate(doc, branch) {
            Ok(()) => out.push("#: matches its own kind but not exactly one kind (`oneOf`)".to_owned()),
            Err(e) => leaves(&e, &mut out),
        }
        out
    }
}

/// Flattens an error tree into its leaves, the errors that say what is wrong and where.
fn leaves(e: &ValidationError<'_, '_>, out: &mut Vec<String>) {
    if !e.causes.is_empty() {
        for c in &e.causes {
            leaves(c, out);
        }
        return;
    }
    let rule = e.schema_url.split_once('#').map_or(e.schema_url, |(_, r)| r);
    let message = match &e.kind {
        ErrorKind::FalseSchema => "this key is not allowed here".to_owned(),
        ErrorKind::Not => "this value is excluded (a reserved name, a Rust keyword, or error code 0)".to_owned(),
        kind => kind.to_string(),
    };
    out.push(format!("#{}: {message} (schema #{rule})", e.instance_location));
}

/// Every `*.json` file below `dir`, the schema itself excepted.
fn spec_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("readable folder entry").path();
        if path.is_dir() {
            spec_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") && path != schema_path() {
            out.push(path);
        }
    }
}

#[test]
fn every_spec_file_conforms_to_the_schema() {
    let validator = Validator::new();
    let root = specs_dir();
    let mut files = Vec::new();
    spec_files(&root, &mut files);
    files.sort();
    let mut failures = Vec::new();
    let mut kinds = BTreeSet::new();
    for path in &files {
        let shown = Path::new("api-specs").join(path.strip_prefix(&root).unwrap_or(path));
        let doc = match read_json(path) {
            Ok(doc) => doc,
            Err(e) => {
                failures.push(format!("{}: {e}", shown.display()));
                continue;
            }
        };
        for key in ["service", "kind", "table", "callback"] {
            if doc.get(key).is_some() {
                kinds.insert(key);
            }
        }
        for p in validator.problems(&doc) {
            failures.push(format!("{}{p}", shown.display()));
        }
    }
    assert!(failures.is_empty(), "{} problem(s):\n{}", failures.len(), failures.join("\n"));
    // Guards against checking nothing: the folder has specs of every kind (callbacks where it has
    // the folder of them).
    let mut expected = BTreeSet::from(["service", "kind", "table"]);
    if root.join("callbacks").is_dir() {
        expected.insert("callback");
    }
    assert_eq!(kinds, expected, "spec kinds found in {}", root.display());
}

fn endpoint() -> Value {
    json!({
        "$schema": "../spec.schema.json",
        "service": "svc",
        "command": "do_it",
        "title": "Do it",
        "description": "Does it.",
        "doc_url": "https://example.invalid/do_it",
        "rate_limit": { "calls_per_second": 0.1, "quota_group": "things" },
        "idempotent": true,
        "request": [
            { "wire": "RoomId", "type": "string", "required": true, "max_bytes": 48, "description": "Room." },
            { "wire": "Count", "type": "u8", "min": 1, "max": 9, "default": 3, "description": "How many." },
            { "wire": "Tags", "type": "array", "items": { "type": "string", "max_bytes": 4 }, "max_items": 3,
              "description": "Tags." },
            { "wire": "Muted", "type": "bool", "default": false, "accept": ["string", "number"], "description": "M." },
            { "wire": "Box", "type": "object", "type_name": "Frame", "description": "A box.",
              "fields": [ { "wire": "Width", "type": "u32", "description": "Width." } ] },
            { "wire": "Mode", "type": "Mode", "default": "Grid", "description": "Mode." },
            { "wire": "Token", "type": "string", "secret": true, "min_bytes": 1, "description": "Token." }
        ],
        "response_key": "Response",
        "response": [ { "wire": "Owner_Account", "type": "string", "accept": ["number"], "description": "Owner." } ],
        "error_tables": ["rest"],
        "errors": [ { "code": 100004, "rust": "RoomNotFound", "retry": "permanent", "description": "No room." } ],
        "notes": "None."
    })
}

fn string_enum() -> Value {
    json!({
        "name": "Mode",
        "kind": "string_enum",
        "description": "A mode.",
        "values": [ { "value": "Grid", "aliases": [1], "description": "Grid." } ]
    })
}

fn int_enum() -> Value {
    json!({
        "name": "Level",
        "kind": "int_enum",
        "repr": "u16",
        "description": "A level.",
        "values": [ { "value": 1000, "rust": "High", "description": "High." } ]
    })
}

fn object_type() -> Value {
    json!({
        "name": "Point",
        "kind": "object",
        "description": "A point.",
        "fields": [
            { "wire": "X", "type": "i32", "description": "X." },
            { "wire": "Labels", "type": "array", "items": "string", "min_items": 1, "description": "Labels." }
        ],
        "notes": "None."
    })
}

fn table() -> Value {
    json!({
        "table": "rest",
        "description": "Shared codes.",
        "as_enum": { "rust": "RestCode", "variant": "Rest" },
        "codes": [ { "code": 60007, "rust": "CallRateExceeded", "retry": "throttled", "description": "Slow down." } ]
    })
}

fn callback() -> Value {
    json!({
        "$schema": "../spec.schema.json",
        "callback": "Live.CallbackBeforeSendGift",
        "title": "Before a gift is sent",
        "description": "Sent before a gift is sent.",
        "doc_url": "https://example.invalid/before_gift",
        "kind": "before",
        "body": [ { "wire": "RoomId", "type": "string", "max_bytes": 48, "description": "Room." } ],
        "reply": {
            "description": "Whether the gift is sent.",
            "on_timeout": "block",
            "decisions": [
                { "code": 0, "rust": "Allow", "description": "Sent." },
                { "code": 1, "rust": "Reject", "description": "Blocked." }
            ],
            "pass_through": { "rust": "RejectWith", "min": 102100, "max": 102200, "description": "Blocked, with a code." },
            "fields": [ { "wire": "Note", "type": "string", "description": "A note." } ]
        },
        "examples": [ { "name": "sample", "body": { "CallbackCommand": "Live.CallbackBeforeSendGift", "RoomId": "r" } } ],
        "notes": "None."
    })
}

/// `doc` with the value at `pointer` (whose parent exists) set to `value`.
fn set(mut doc: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer below the root");
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.insert(key.to_owned(), value);
        }
        Some(Value::Array(a)) => a[key.parse::<usize>().expect("an array index")] = value,
        _ => panic!("no object or array at {parent}"),
    }
    doc
}

/// `doc` without the member at `pointer`.
fn remove(mut doc: Value, pointer: &str) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer below the root");
    let removed = doc.pointer_mut(parent).and_then(Value::as_object_mut).and_then(|m| m.remove(key));
    assert!(removed.is_some(), "no {pointer} in the document");
    doc
}

#[test]
fn the_schema_rejects_broken_specs() {
    let v = Validator::new();
    let valid = [
        ("endpoint", endpoint()),
        ("string enum", string_enum()),
        ("int enum", int_enum()),
        ("object type", object_type()),
        ("table", table()),
        ("before-callback", callback()),
        ("after-callback", remove(set(callback(), "/kind", json!("after")), "/reply")),
    ];
    for (name, base) in valid {
        let problems = v.problems(&base);
        assert!(problems.is_empty(), "the valid {name} is rejected:\n{}", problems.join("\n"));
    }
    // (what, broken document, pointer of the value the schema must complain about)
    let cases = [
        ("unknown key", set(endpoint(), "/request/0/max_byte", json!(48)), "/request/0"),
        ("wrong retry class", set(endpoint(), "/errors/0/retry", json!("sometimes")), "/errors/0/retry"),
        ("missing `wire`", remove(endpoint(), "/request/1/wire"), "/request/1"),
        ("missing `rate_limit`", remove(endpoint(), "/rate_limit"), ""),
        ("rate of 0", set(endpoint(), "/rate_limit/calls_per_second", json!(0)), "/rate_limit/calls_per_second"),
        ("byte limit on an integer", set(endpoint(), "/request/1/max_bytes", json!(4)), "/request/1/max_bytes"),
        ("element limit on the array", set(endpoint(), "/request/2/max_bytes", json!(4)), "/request/2/max_bytes"),
        ("array without `items`", remove(endpoint(), "/request/2/items"), "/request/2"),
        ("array of arrays", set(endpoint(), "/request/2/items/type", json!("array")), "/request/2/items/type"),
        ("`min` outside u8", set(endpoint(), "/request/1/min", json!(-1)), "/request/1/min"),
        ("`default` of another type", set(endpoint(), "/request/3/default", json!("no")), "/request/3/default"),
        ("`accept` a bool cannot take", set(endpoint(), "/request/3/accept/0", json!("bool")), "/request/3/accept/0"),
        ("keyword as field name", set(endpoint(), "/request/0/rust", json!("type")), "/request/0/rust"),
        ("lowercase type name", set(endpoint(), "/request/4/type_name", json!("frame")), "/request/4/type_name"),
        ("unknown primitive", set(endpoint(), "/request/0/type", json!("strng")), "/request/0/type"),
        ("error code 0", set(endpoint(), "/errors/0/code", json!(0)), "/errors/0/code"),
        ("reserved variant", set(endpoint(), "/errors/0/rust", json!("Undocumented")), "/errors/0/rust"),
        ("`accept` on an array", set(endpoint(), "/request/2/accept", json!(["number"])), "/request/2/accept"),
        ("`secret` on an integer", set(endpoint(), "/request/1/secret", json!(true)), "/request/1/type"),
        ("`secret` with `accept`", set(endpoint(), "/response/0/secret", json!(true)), "/response/0/accept"),
        ("`secret` not a bool", set(endpoint(), "/request/0/secret", json!("yes")), "/request/0/secret"),
        ("int value without `rust`", remove(int_enum(), "/values/0/rust"), "/values/0"),
        ("int value outside `repr`", set(int_enum(), "/values/0/value", json!(70000)), "/values/0/value"),
        ("object type without fields", remove(object_type(), "/fields"), ""),
        ("`fields` on an integer", set(object_type(), "/fields/0/fields", json!([])), "/fields/0/fields"),
        ("unknown type kind", set(string_enum(), "/kind", json!("enum")), "/kind"),
        ("`repr` on a string enum", set(string_enum(), "/repr", json!("u8")), "/repr"),
        ("enum without values", set(string_enum(), "/values", json!([])), "/values"),
        ("`Unknown` value name", set(string_enum(), "/values/0/rust", json!("Unknown")), "/values/0/rust"),
        ("unknown table key", set(table(), "/notes", json!("n")), ""),
        ("`as_enum` without `variant`", remove(table(), "/as_enum/variant"), "/as_enum"),
        ("no kind of spec", json!({ "description": "What am I?" }), ""),
        ("before-callback without `reply`", remove(callback(), "/reply"), ""),
        ("after-callback with `reply`", set(callback(), "/kind", json!("after")), ""),
        ("unknown callback kind", set(callback(), "/kind", json!("during")), "/kind"),
        ("unknown `on_timeout`", set(callback(), "/reply/on_timeout", json!("wait")), "/reply/on_timeout"),
        ("negative decision code", set(callback(), "/reply/decisions/1/code", json!(-1)), "/reply/decisions/1/code"),
        ("pass-through code 0", set(callback(), "/reply/pass_through/min", json!(0)), "/reply/pass_through/min"),
        ("reserved callback name", set(callback(), "/rust_name", json!("Callback")), "/rust_name"),
        ("unknown reply key", set(callback(), "/reply/timeout", json!(2)), "/reply"),
        ("example without its command", remove(callback(), "/examples/0/body/CallbackCommand"), "/examples/0/body"),
    ];
    let mut failures = Vec::new();
    for (what, doc, at) in &cases {
        let problems = v.problems(doc);
        let here = format!("#{at}: ");
        if problems.is_empty() {
            failures.push(format!("{what}: accepted"));
        } else if !problems.iter().any(|p| p.starts_with(&here)) {
            failures.push(format!("{what}: rejected, but not at #{at}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn schema_keys_match_the_reader() {
    let schema = schema_json();
    // Every kind of object the schema lists keys for has a list in the reader, and back.
    let defs = schema.pointer("/$defs").and_then(Value::as_object).expect("the schema has $defs");
    let with_keys: BTreeSet<&str> =
        defs.iter().filter(|(_, d)| d.get("properties").is_some()).map(|(k, _)| k.as_str()).collect();
    let listed: BTreeSet<&str> = keys::ALL.iter().map(|(def, _)| *def).collect();
    assert_eq!(listed, with_keys, "the reader's key lists and the schema's kinds of objects differ");
    let mut failures = Vec::new();
    for (def, list) in keys::ALL {
        let pointer = format!("/$defs/{def}/properties");
        let Some(props) = schema.pointer(&pointer).and_then(Value::as_object) else {
            failures.push(format!("the schema has no #{pointer}"));
            continue;
        };
        let in_schema: BTreeSet<String> = props.keys().cloned().collect();
        let reader: BTreeSet<String> = list.iter().map(|k| (*k).to_owned()).collect();
        let only_reader: Vec<&String> = reader.difference(&in_schema).collect();
        let only_schema: Vec<&String> = in_schema.difference(&reader).collect();
        if !only_reader.is_empty() || !only_schema.is_empty() {
            failures.push(format!(
                "the reader's keys of `{def}` vs #{pointer}: only the reader allows {only_reader:?}; only the schema allows {only_schema:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn schema_objects_are_closed_and_every_key_is_described() {
    let schema = schema_json();
    let defs = schema["$defs"].as_object().expect("the schema has $defs");
    let mut failures = Vec::new();
    for (name, def) in defs {
        if def.get("description").and_then(Value::as_str).is_none_or(str::is_empty) {
            failures.push(format!("#/$defs/{name} has no description"));
        }
        if def.get("type").and_then(Value::as_str) != Some("object") {
            continue;
        }
        if def.get("additionalProperties") != Some(&Value::Bool(false)) {
            failures.push(format!("#/$defs/{name} does not set additionalProperties: false"));
        }
        for (key, prop) in def["properties"].as_object().into_iter().flatten() {
            if prop.get("description").and_then(Value::as_str).is_none_or(str::is_empty) {
                failures.push(format!("#/$defs/{name}/properties/{key} has no description"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
