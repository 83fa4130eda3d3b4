//! The synthetic API: N copies of one endpoint `op_i`, as live-api specs and as one OpenAPI
//! document, in one generated cargo workspace per side (docs/performance.md, "What is measured").

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::crates::{pretty, write, write_crate, write_workspace_of};
use crate::side::{Side, crate_dir, root};

/// The endpoint whose description the incremental builds edit.
pub const EDITED: usize = 1;

fn description(i: usize, rev: usize) -> String {
    format!("Synthetic endpoint {i} of the compile-time benchmark (revision {rev}).")
}

/// Endpoint `op_i` in the live-api spec format.
fn our_spec(i: usize) -> Value {
    json!({
        "service": "bench_srv",
        "command": format!("op_{i}"),
        "title": format!("Synthetic operation {i}"),
        "description": description(i, 0),
        "doc_url": format!("https://example.invalid/bench_srv/op_{i}"),
        "rate_limit": { "calls_per_second": 100 },
        "request": [
            { "wire": "RoomId", "type": "string", "required": true, "max_bytes": 48, "description": "ID of the room." },
            { "wire": "Count", "type": "u32", "max": 100, "description": "Number of items to return, at most 100." },
            { "wire": "Enabled", "type": "bool", "description": "Whether the feature is enabled." }
        ],
        "response_key": "Response",
        "response": [
            { "wire": "Next", "type": "string", "description": "Cursor of the next page; empty on the last page." },
            { "wire": "Total", "type": "u64", "description": "Total number of items." }
        ],
        "error_tables": ["rest"],
        "errors": [
            { "code": 100001, "rust": "InternalError", "retry": "transient", "description": "Internal server error; retry." },
            { "code": 100002, "rust": "InvalidParameter", "retry": "permanent", "description": "Invalid request parameters." }
        ]
    })
}

/// The same endpoint as an OpenAPI operation: same request schema and limits, the envelope and
/// the `Response` object as the 200 answer, the error codes in the `ErrorCode` description.
fn openapi_path(i: usize) -> Value {
    json!({
        "post": {
            "operationId": format!("op_{i}"),
            "summary": format!("Synthetic operation {i}"),
            "description": description(i, 0),
            "externalDocs": { "url": format!("https://example.invalid/bench_srv/op_{i}") },
            "requestBody": {
                "required": true,
                "content": { "application/json": { "schema": {
                    "type": "object",
                    "required": ["RoomId"],
                    "properties": {
                        "RoomId": { "type": "string", "maxLength": 48, "description": "ID of the room." },
                        "Count": { "type": "integer", "format": "uint32", "minimum": 0, "maximum": 100, "description": "Number of items to return, at most 100." },
                        "Enabled": { "type": "boolean", "description": "Whether the feature is enabled." }
                    }
                } } }
            },
            "responses": {
                "200": {
                    "description": "The answer envelope; ErrorCode 0 means success.",
                    "content": { "application/json": { "schema": {
                        "type": "object",
                        "required": ["ActionStatus", "ErrorCode"],
                        "properties": {
                            "ActionStatus": { "type": "string", "description": "OK or FAIL." },
                            "ErrorCode": { "type": "integer", "format": "int64", "description": "0 on success; 100001 internal server error (transient), 100002 invalid request parameters (permanent), or a code 60002-60021 of the shared REST table." },
                            "ErrorInfo": { "type": "string", "description": "Error message." },
                            "RequestId": { "type": "string", "description": "Unique ID of the request." },
                            "Response": {
                                "type": "object",
                                "properties": {
                                    "Next": { "type": "string", "description": "Cursor of the next page; empty on the last page." },
                                    "Total": { "type": "integer", "format": "uint64", "minimum": 0, "description": "Total number of items." }
                                }
                            }
                        }
                    } } }
                }
            }
        }
    })
}

pub fn openapi(n: usize) -> Value {
    let paths: serde_json::Map<String, Value> =
        (1..=n).map(|i| (format!("/v4/bench_srv/op_{i}"), openapi_path(i))).collect();
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Synthetic benchmark API", "version": "1.0.0" },
        "paths": paths
    })
}

/// Writes the generator inputs of `n` endpoints into `dir` (a crate directory or a scratch one).
pub fn write_inputs(side: Side, dir: &Path, n: usize) {
    match side {
        Side::Ours => {
            let specs = dir.join("specs");
            let _ = std::fs::remove_dir_all(&specs);
            for i in 1..=n {
                write(&specs.join(format!("bench_srv/op_{i}.json")), pretty(&our_spec(i)));
            }
            std::fs::create_dir_all(specs.join("errors")).unwrap();
            std::fs::copy(root().join("api-specs/errors/rest.json"), specs.join("errors/rest.json")).unwrap();
        }
        Side::Progenitor => write(&dir.join("openapi.json"), pretty(&openapi(n))),
    }
}

/// One generated cargo workspace per side, one library crate per N.
pub fn write_workspace(side: Side, ns: &[usize]) {
    let members: Vec<String> = ns.iter().map(|n| format!("n{n}")).collect();
    write_workspace_of(side, &members);
    for &n in ns {
        let dir = crate_dir(side, n);
        write_crate(side, &dir, &side.package(n), &format!("{n} synthetic endpoints"));
        write_inputs(side, &dir, n);
    }
}

/// Edits the description of endpoint `op_1` (revision `rev`): one spec file for us, the one
/// OpenAPI document for progenitor.
pub fn edit_description(side: Side, n: usize, rev: usize) {
    let file = edited_file(side, &crate_dir(side, n));
    let text = std::fs::read_to_string(&file).unwrap();
    let from = format!("Synthetic endpoint {EDITED} of the compile-time benchmark (revision ");
    let start = text.find(&from).expect("edited description") + from.len();
    let end = start + text[start..].find(')').unwrap();
    let edited = format!("{}{rev}{}", &text[..start], &text[end..]);
    std::fs::write(&file, edited).unwrap();
}

/// The file the incremental builds edit.
fn edited_file(side: Side, crate_dir: &Path) -> PathBuf {
    match side {
        Side::Ours => crate_dir.join(format!("specs/bench_srv/op_{EDITED}.json")),
        Side::Progenitor => crate_dir.join("openapi.json"),
    }
}
