//! `compile-time real [RUNS]`: both generators on the real Live API instead of synthetic
//! endpoints. Our specs (`api-specs/`, every file: endpoints, shared types, error tables and
//! callbacks) are copied into `target/perf/ours/real/specs/`, where `generate!` renders all of
//! them (the folder is read on its own, not on top of live-api's, so the callbacks and their enum
//! `Callback` are the crate's). They are converted into one OpenAPI 3.0.3 document for progenitor
//! (`target/perf/progenitor/real/`): every endpoint an operation with the same fields, types,
//! limits and descriptions, each answer inside the envelope, and the callbacks as component
//! schemas (see [`callbacks`]). Measured as in the synthetic rows: lines per endpoint (emitted,
//! and once every macro has run), cold and incremental builds, peak rustc memory. Results in
//! `target/perf/real.md`.
//!
//! How what OpenAPI 3.0 has no word for is converted, or left out of progenitor's side:
//!
//! - `secret` fields (live_config's `Token`): a plain string with their length limits (our side
//!   wraps them in `live_api::Secret`; progenitor has no secret type);
//! - `one_of` groups (multiaccount_import's `AccountList` / `Accounts`): both fields optional, the
//!   rule in the request's description (see [`request`]);
//! - field `aliases` (query_online_status's `State` for `Status`): OpenAPI cannot alias a key, so
//!   only the primary name is kept;
//! - `int_or_string` (ProfileItem's `Value`): `oneOf [integer int64, string]`, the byte limits on
//!   the string, which typify renders as an untagged enum;
//! - string enums with a `prefix` family (ProfileTag's `Tag_Profile_Custom_…`): a plain string,
//!   the values and the prefix in the description;
//! - left out: the integer `aliases` of string enum values (TakeSeatMode's 1 and 2, which older
//!   services send), `accept` (other JSON kinds an answer may use for a field), `default` (the
//!   server's default, documentation only on our side, where OpenAPI's would make progenitor fill
//!   it in), `partial_failures`, pagination, rate limits and idempotence (run-time behaviour of our
//!   client, not types), the error codes as an enum (they are listed in the `ErrorCode`
//!   description), and fields whose name differs from another's only in case (see
//!   [`case_duplicates`]).

use std::fmt::Write as _;
use std::path::Path;

use live_api_codegen::model::{Api, Callback, CodeEntry, Endpoint, Field, IntTy, Limits, Ty, TypeKind};
use serde_json::{Map, Value, json};

use crate::cargo::{Build, cargo_at};
use crate::crates::{pretty, write, write_crate, write_workspace_of};
use crate::expand::expand;
use crate::expanded::macro_free_lines;
use crate::lines::{Lines, lines_of};
use crate::report::{f2, log, median};
use crate::side::{Side, out_dir, root, ws_dir};

/// The crate directory (in each side's workspace) and the package names.
const DIR: &str = "real";

fn package(side: Side) -> String {
    format!("bench-{}-real", side.name())
}

/// `compile-time real [RUNS]` (see the module docs).
pub fn real(runs: usize) {
    let specs = root().join("api-specs");
    let loaded = live_api_codegen::load::load_dir(&specs, &root());
    let api = loaded.api.unwrap_or_else(|diags| {
        panic!("api-specs does not load: {}", diags.into_vec().iter().map(|d| d.to_string()).collect::<String>())
    });
    // The endpoint whose description the incremental builds edit.
    let edited = &api.endpoints[0];
    let emitted: Vec<Lines> = Side::BOTH.into_iter().map(|side| write_side(side, &api, &specs)).collect();
    let builds = measure(runs, edited);
    // After the builds: `RUSTC_BOOTSTRAP` and the missing wrapper make cargo rebuild the
    // dependencies, which a cold build right after would then compile again.
    let lines: Vec<_> = Side::BOTH
        .into_iter()
        .zip(emitted)
        .map(|(side, emitted)| (emitted, macro_free_lines(side, &package(side), DIR)))
        .collect();
    let s = table(&api, edited, runs, &lines, &builds);
    write(&out_dir().join("real.md"), &s);
    println!("{s}");
}

/// The side's crate of the real API, its dependencies fetched and built; returns its emitted lines.
fn write_side(side: Side, api: &Api, specs: &Path) -> Lines {
    let endpoints = api.endpoints.len();
    write_workspace_of(side, &[DIR.to_owned()]);
    let dir = ws_dir(side).join(DIR);
    write_crate(side, &dir, &package(side), &format!("The {endpoints} endpoints of the Live API"));
    match side {
        Side::Ours => {
            let _ = std::fs::remove_dir_all(dir.join("specs"));
            copy_dir(specs, &dir.join("specs"));
        }
        Side::Progenitor => write(&dir.join("openapi.json"), pretty(&openapi(api))),
    }
    let input = side.input(&dir);
    let (emitted, _) = lines_of(&expand(side, &input));
    cargo_at(&ws_dir(side), side.name(), "bench_", &["fetch"], "real-fetch");
    cargo_at(&ws_dir(side), side.name(), "bench_", &["build", "--offline", "-p", &package(side)], "real-warm");
    emitted
}

/// The cold and incremental builds of both sides, RUNS times, alternating: `[measure][side]`.
fn measure(runs: usize, edited: &Endpoint) -> Vec<[Vec<Build>; 2]> {
    let mut builds: Vec<[Vec<Build>; 2]> = vec![Default::default(), Default::default()];
    for r in 0..runs {
        for (s, side) in Side::BOTH.into_iter().enumerate() {
            let ws = ws_dir(side);
            let measured = format!("bench_{}_real", side.name());
            let pkg = package(side);
            cargo_at(&ws, side.name(), &measured, &["clean", "--offline", "-p", &pkg], "real-clean");
            let cold =
                cargo_at(&ws, side.name(), &measured, &["build", "--offline", "-p", &pkg], &format!("real-cold-{r}"));
            edit_description(side, &ws.join(DIR), edited, r + 1);
            let inc =
                cargo_at(&ws, side.name(), &measured, &["build", "--offline", "-p", &pkg], &format!("real-inc-{r}"));
            log(&format!(
                "  {} real #{r}: cold {:.2} s ({:.2} CPU s), incremental {:.2} s ({:.2} CPU s) ({} MiB; others' load {:.2} / {:.2})",
                side.name(),
                cold.wall_s,
                cold.cpu_s,
                inc.wall_s,
                inc.cpu_s,
                cold.crate_rss_kib.unwrap_or(0) / 1024,
                cold.others_cores,
                inc.others_cores
            ));
            builds[0][s].push(cold);
            builds[1][s].push(inc);
        }
    }
    builds
}

/// `real.md`: lines (emitted, and once every macro has run) and builds, ours against progenitor's.
fn table(api: &Api, edited: &Endpoint, runs: usize, lines: &[(Lines, Lines)], builds: &[[Vec<Build>; 2]]) -> String {
    let endpoints = api.endpoints.len();
    let med = |v: &[Build], f: fn(&Build) -> f64| median(&mut v.iter().map(f).collect::<Vec<_>>());
    let per = |l: usize| l as f64 / endpoints as f64;
    let (o, p) = (&lines[0], &lines[1]);
    let mut s = format!(
        "## The real Live API ({endpoints} endpoints and {} callbacks of `api-specs/`; progenitor on the same API as OpenAPI)\n\n\
         | measure | ours | progenitor | ratio |\n|---|---:|---:|---:|\n\
         | emitted lines per endpoint, with docs | {:.0} | {:.0} | {:.1}× |\n\
         | emitted lines per endpoint, without docs | {:.0} | {:.0} | {:.1}× |\n\
         | lines per endpoint once every macro has run, without docs | {:.0} | {:.0} | {:.1}× |\n",
        api.callbacks.len(),
        per(o.0.docs),
        per(p.0.docs),
        per(p.0.docs) / per(o.0.docs),
        per(o.0.no_docs),
        per(p.0.no_docs),
        per(p.0.no_docs) / per(o.0.no_docs),
        per(o.1.no_docs),
        per(p.1.no_docs),
        per(p.1.no_docs) / per(o.1.no_docs),
    );
    for (name, m) in [("cold build, s", &builds[0]), ("incremental build, s", &builds[1])] {
        let (ow, pw) = (med(&m[0], |b| b.wall_s), med(&m[1], |b| b.wall_s));
        let _ = writeln!(s, "| {name} (median of {runs}) | {} | {} | {:.1}× |", f2(ow), f2(pw), pw / ow);
    }
    // CPU time is less sensitive than wall time to other work on a shared machine.
    for (name, m) in [("cold build, CPU s", &builds[0]), ("incremental build, CPU s", &builds[1])] {
        let (oc, pc) = (med(&m[0], |b| b.cpu_s), med(&m[1], |b| b.cpu_s));
        let _ = writeln!(
            s,
            "| {name} (cargo and what it ran; median of {runs}) | {} | {} | {:.1}× |",
            f2(oc),
            f2(pc),
            pc / oc
        );
    }
    let rss = |m: &[Build]| med(m, |b| b.crate_rss_kib.unwrap_or(0) as f64 / 1024.0);
    let (or, pr) = (rss(&builds[0][0]), rss(&builds[0][1]));
    let _ = writeln!(s, "| peak rustc RSS of the crate, MiB (cold) | {or:.0} | {pr:.0} | {:.1}× |", pr / or);
    let objects = api
        .endpoints
        .iter()
        .flat_map(|e| [&e.request, &e.response])
        .chain(api.callbacks.iter().flat_map(|c| std::iter::once(&c.body).chain(c.reply.as_ref().map(|r| &r.fields))))
        .chain(api.types.iter().filter_map(|t| match &t.kind {
            TypeKind::Object(fields) => Some(fields),
            _ => None,
        }));
    let left_out: Vec<&str> = objects.flat_map(|f| case_duplicates(f)).collect();
    let _ = writeln!(
        s,
        "\nLines per endpoint: the whole crate's lines divided by {endpoints}, shared types, tables and \
         the callbacks' types included. Incremental: the description of `{}/{}` edited (its spec file for us, `openapi.json` \
         for progenitor), then `cargo build`. Left out of the OpenAPI document: {} field(s) whose name \
         differs from another's only in case ({}), which progenitor maps to one Rust field name and \
         then does not compile.",
        edited.service,
        edited.command,
        left_out.len(),
        left_out.join(", ")
    );
    s
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}

/// Appends ` (revision <rev>)` to the description of endpoint `e`, in the side's input.
fn edit_description(side: Side, dir: &Path, e: &Endpoint, rev: usize) {
    let file = match side {
        Side::Ours => dir.join("specs").join(&e.file),
        Side::Progenitor => dir.join("openapi.json"),
    };
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let description = match side {
        Side::Ours => &mut v["description"],
        Side::Progenitor => &mut v["paths"][e.path()]["post"]["description"],
    };
    *description = json!(format!("{} (revision {rev})", e.description));
    write(&file, pretty(&v));
}

// ---------------------------------------------------------------------------------------------
// The model as OpenAPI 3.0.3

fn openapi(api: &Api) -> Value {
    let mut schemas = Map::new();
    for t in &api.types {
        let mut s = match &t.kind {
            TypeKind::Object(fields) => object(api, fields),
            // A family of values sharing a prefix (`Tag_Profile_Custom_…`) is no enum value:
            // a type with one is a plain string (its values named in the description).
            TypeKind::StrEnum(values) if values.iter().any(|v| v.prefix) => json!({ "type": "string" }),
            TypeKind::StrEnum(values) => {
                json!({ "type": "string", "enum": values.iter().map(|v| v.value.clone()).collect::<Vec<_>>() })
            }
            TypeKind::IntEnum { repr, values } => {
                json!({ "type": "integer", "format": format(*repr), "enum": values.iter().map(|v| v.value).collect::<Vec<_>>() })
            }
        };
        s["description"] = json!(match &t.kind {
            TypeKind::StrEnum(values) if values.iter().any(|v| v.prefix) => format!(
                "{} One of: {}.",
                t.description,
                values
                    .iter()
                    .map(|v| if v.prefix { format!("{}…", v.value) } else { v.value.clone() })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => t.description.clone(),
        });
        schemas.insert(t.name.clone(), s);
    }
    callbacks(api, &mut schemas);
    let mut paths = Map::new();
    for e in &api.endpoints {
        let mut envelope = object(api, &[]);
        let props = envelope["properties"].as_object_mut().unwrap();
        props.insert("ActionStatus".into(), json!({ "type": "string", "description": "OK or FAIL." }));
        props.insert(
            "ErrorCode".into(),
            json!({ "type": "integer", "format": "int64", "description": codes(api, &e.errors) }),
        );
        props.insert("ErrorInfo".into(), json!({ "type": "string", "description": "Error message." }));
        props.insert("RequestId".into(), json!({ "type": "string", "description": "Unique ID of the request." }));
        let payload = object(api, &e.response);
        match &e.response_key {
            Some(k) => {
                props.insert(k.clone(), payload);
            }
            None => {
                for (k, v) in payload["properties"].as_object().unwrap() {
                    props.insert(k.clone(), v.clone());
                }
                if let Some(r) = payload.get("required") {
                    envelope["required"] = r.clone();
                }
            }
        }
        paths.insert(
            e.path(),
            json!({ "post": {
                "operationId": e.method,
                "summary": e.title,
                "description": e.description,
                "externalDocs": { "url": e.doc_url },
                "requestBody": { "required": true, "content": { "application/json": { "schema": request(api, e) } } },
                "responses": { "200": {
                    "description": "The answer envelope; ErrorCode 0 means success.",
                    "content": { "application/json": { "schema": envelope } }
                } }
            } }),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Tencent Cloud TRTC Live server REST API", "version": "1.0.0" },
        "paths": paths,
        "components": { "schemas": schemas }
    })
}

/// An endpoint's request body. A `one_of` group (fields of which exactly one must be set) stays
/// its fields, each optional as in our request type; the rule is said in the description. (A
/// `oneOf` of one object per choice would make progenitor's request an enum of whole bodies,
/// which is not the type we generate.)
fn request(api: &Api, e: &Endpoint) -> Value {
    let mut o = object(api, &e.request);
    let rules: Vec<String> = e
        .one_of
        .iter()
        .map(|group| {
            let names: Vec<&str> = group.iter().map(|f| e.request_field(*f).wire.as_str()).collect();
            format!("Set exactly one of {}.", names.join(", "))
        })
        .collect();
    if !rules.is_empty() {
        o["description"] = json!(rules.join(" "));
    }
    o
}

/// The callbacks (webhooks) as component schemas: OpenAPI 3.0 has no `webhooks` section, and
/// what we generate for them is types, so each body is a schema `<Name>` (its fields, with
/// `CallbackCommand` as a required one-value enum), each before-callback's reply a
/// schema `<Name>Reply` (the envelope Live reads: `ActionStatus`, `ErrorCode` with the decisions
/// and the pass-through range in its description, `ErrorInfo`, and the reply's optional fields),
/// and `Callback` a `oneOf` of every body, which progenitor 0.15 (typify) compiles as an
/// `#[serde(untagged)]` enum of the bodies (it does not see the tag through the `$ref`s; ours is
/// decoded by `CallbackCommand`). What OpenAPI cannot say is left out: our `Callback::Unknown` (a
/// body of another command word, kept raw) and the reply as an enum of decisions (here one
/// struct with the code as an integer; our `<Name>Changes` are its optional fields).
fn callbacks(api: &Api, schemas: &mut Map<String, Value>) {
    let mut bodies = Vec::new();
    for c in &api.callbacks {
        let mut body = object(api, &c.body);
        body["properties"][Callback::COMMAND_KEY] =
            json!({ "type": "string", "enum": [c.command], "description": "The command word." });
        let mut required = vec![json!(Callback::COMMAND_KEY)];
        required.extend(body.get("required").and_then(Value::as_array).cloned().unwrap_or_default());
        body["required"] = json!(required);
        body["description"] = json!(format!("{}\n\n{}", c.title, c.description));
        body["externalDocs"] = json!({ "url": c.doc_url });
        bodies.push(json!({ "$ref": format!("#/components/schemas/{}", c.rust_name) }));
        schemas.insert(c.rust_name.clone(), body);
        if let Some(r) = &c.reply {
            let mut reply = object(api, &r.fields);
            let envelope = reply["properties"].as_object_mut().unwrap();
            envelope.insert("ActionStatus".into(), json!({ "type": "string", "description": "OK or FAIL." }));
            let mut decisions: Vec<String> =
                r.decisions.iter().map(|d| format!("{}: {}", d.code, d.description)).collect();
            if let Some(p) = &r.pass_through {
                decisions.push(format!("{}-{}: {}", p.min, p.max, p.description));
            }
            envelope.insert(
                "ErrorCode".into(),
                json!({ "type": "integer", "format": "uint32", "minimum": 0, "description": decisions.join(" ") }),
            );
            envelope.insert("ErrorInfo".into(), json!({ "type": "string", "description": "Error message." }));
            reply["required"] = json!(["ErrorCode"]);
            reply["description"] = json!(r.description);
            schemas.insert(c.reply_name(), reply);
        }
    }
    if !bodies.is_empty() {
        schemas.insert(
            "Callback".into(),
            json!({ "description": "A callback Live sends to the app, by its CallbackCommand.", "oneOf": bodies }),
        );
    }
}

/// Fields whose wire name differs from an earlier one's only in case (`IconURL` next to
/// `IconUrl` in get_gift): progenitor gives both the same Rust name and its output does not
/// compile, so the OpenAPI document leaves them out (our specs name the second one with `rust`).
fn case_duplicates(fields: &[Field]) -> Vec<&str> {
    let mut seen = std::collections::HashSet::new();
    fields.iter().filter(|f| !seen.insert(f.wire.to_lowercase())).map(|f| f.wire.as_str()).collect()
}

fn object(api: &Api, fields: &[Field]) -> Value {
    let left_out = case_duplicates(fields);
    let properties: Map<String, Value> = fields
        .iter()
        .filter(|f| !left_out.contains(&f.wire.as_str()))
        .map(|f| {
            let mut s = schema(api, &f.ty, &f.limits);
            if s.get("$ref").is_none() {
                s["description"] = json!(f.description);
            }
            (f.wire.clone(), s)
        })
        .collect();
    let required: Vec<&str> = fields.iter().filter(|f| f.required).map(|f| f.wire.as_str()).collect();
    let mut o = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        o["required"] = json!(required);
    }
    o
}

/// A field's schema; byte limits become `maxLength`/`minLength` (OpenAPI counts characters).
fn schema(api: &Api, ty: &Ty, l: &Limits) -> Value {
    let mut s = match ty {
        Ty::String => json!({ "type": "string" }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Int(t) => {
            let mut s = json!({ "type": "integer", "format": format(*t) });
            if t.range().0 == 0 {
                s["minimum"] = json!(0);
            }
            s
        }
        Ty::Array(item) => {
            let mut s = json!({ "type": "array", "items": schema(api, item, l) });
            if let Some(n) = l.min_items {
                s["minItems"] = json!(n);
            }
            if let Some(n) = l.max_items {
                s["maxItems"] = json!(n);
            }
            return s;
        }
        Ty::Named(i) => return json!({ "$ref": format!("#/components/schemas/{}", api.type_def(*i).name) }),
        // `live_api::IntOrString`: an untagged enum of an i64 and a string (typify renders
        // this `oneOf` as one too); the byte limits are the string's.
        Ty::IntOrString => {
            let mut text = json!({ "type": "string" });
            for (key, value) in [("minLength", l.min_bytes), ("maxLength", l.max_bytes)] {
                if let Some(v) = value {
                    text[key] = json!(v);
                }
            }
            return json!({ "oneOf": [{ "type": "integer", "format": "int64" }, text] });
        }
    };
    for (key, value) in [
        ("minLength", l.min_bytes.map(|v| json!(v))),
        ("maxLength", l.max_bytes.map(|v| json!(v))),
        ("minimum", l.min.map(|v| json!(v))),
        ("maximum", l.max.map(|v| json!(v))),
    ] {
        if let Some(v) = value {
            s[key] = v;
        }
    }
    if !l.allowed_strings.is_empty() {
        s["enum"] = json!(l.allowed_strings);
    }
    if !l.allowed_ints.is_empty() {
        s["enum"] = json!(l.allowed_ints);
    }
    s
}

fn format(t: IntTy) -> &'static str {
    match t {
        IntTy::I8 => "int8",
        IntTy::I16 => "int16",
        IntTy::I32 => "int32",
        IntTy::I64 => "int64",
        IntTy::U8 => "uint8",
        IntTy::U16 => "uint16",
        IntTy::U32 => "uint32",
        IntTy::U64 => "uint64",
    }
}

/// The `ErrorCode` description: every documented code with its meaning and retry class.
fn codes(api: &Api, entries: &[CodeEntry]) -> String {
    let mut s = String::from("0 on success");
    for entry in entries {
        match entry {
            CodeEntry::Code(c) => {
                let _ = write!(s, "; {} {} ({})", c.code, c.description, c.retry.name());
            }
            CodeEntry::Table(t) => {
                let t = api.table(*t);
                let (first, last) = (t.codes.first().map_or(0, |c| c.code), t.codes.last().map_or(0, |c| c.code));
                let _ = write!(s, "; a code {first}-{last} of the shared {} table", t.name);
            }
        }
    }
    s + "."
}
