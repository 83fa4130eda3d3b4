//! `compile-time real [RUNS]`: both generators on the real Live API instead of synthetic
//! endpoints. Our specs (`api-specs/`) are copied into `target/perf/ours/real/specs/` and
//! converted into one OpenAPI 3.0.3 document for progenitor (`target/perf/progenitor/real/`):
//! the same operations, fields, types, limits and descriptions, each answer inside the envelope.
//! Measured as in the synthetic rows: lines per endpoint (emitted, and once every macro has run),
//! cold and incremental builds, peak rustc memory. Results in `target/perf/real.md`.

use std::fmt::Write as _;
use std::path::Path;

use live_api_codegen::model::{Api, CodeEntry, Endpoint, Field, IntTy, Limits, Ty, TypeKind};
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
        "## The real Live API ({endpoints} endpoints of `api-specs/`; progenitor on the same API as OpenAPI)\n\n\
         | measure | ours | progenitor | ratio |\n|---|---:|---:|---:|\n\
         | emitted lines per endpoint, with docs | {:.0} | {:.0} | {:.1}× |\n\
         | emitted lines per endpoint, without docs | {:.0} | {:.0} | {:.1}× |\n\
         | lines per endpoint once every macro has run, without docs | {:.0} | {:.0} | {:.1}× |\n",
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
    let objects = api.endpoints.iter().flat_map(|e| [&e.request, &e.response]).chain(api.types.iter().filter_map(
        |t| match &t.kind {
            TypeKind::Object(fields) => Some(fields),
            _ => None,
        },
    ));
    let left_out: Vec<&str> = objects.flat_map(|f| case_duplicates(f)).collect();
    let _ = writeln!(
        s,
        "\nLines per endpoint: the whole crate's lines divided by {endpoints}, shared types and tables \
         included. Incremental: the description of `{}/{}` edited (its spec file for us, `openapi.json` \
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
            TypeKind::StrEnum(values) => {
                json!({ "type": "string", "enum": values.iter().map(|v| v.value.clone()).collect::<Vec<_>>() })
            }
            TypeKind::IntEnum { repr, values } => {
                json!({ "type": "integer", "format": format(*repr), "enum": values.iter().map(|v| v.value).collect::<Vec<_>>() })
            }
        };
        s["description"] = json!(t.description);
        schemas.insert(t.name.clone(), s);
    }
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
                "requestBody": { "required": true, "content": { "application/json": { "schema": object(api, &e.request) } } },
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
        // A value sent as a number or a string (`int_or_string` in the spec).
        Ty::IntOrString => return json!({ "oneOf": [{ "type": "integer", "format": "int64" }, { "type": "string" }] }),
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
