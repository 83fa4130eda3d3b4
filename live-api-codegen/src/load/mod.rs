//! Reads a spec folder, checks it and builds the [`Api`] model, collecting every problem.
//!
//! Layout of a spec folder:
//! - `<service>/<command>.json`: one endpoint;
//! - `types/<Name>.json`: a named type shared by several endpoints;
//! - `errors/<table>.json`: a shared error-code table;
//! - `callbacks/<command word>.json`: a callback (webhook) Live sends to the app (only in a
//!   folder read without a base: the enum `Callback` over them is the base's).
//!
//! Files directly in the folder (README, JSON Schema) are not specs.
//!
//! A folder may be read on top of a [`Base`], an API already loaded and checked (a user's crate
//! extending live-api's): its specs can then name the base's shared types and error tables, and
//! may generate none of the base's names.
//!
//! The reading is split by what is read, as serde_derive splits its `internals/`; the checks
//! that span specs are a pass of their own (`check`):
//!
//! | module | reads |
//! | --- | --- |
//! | [`keys`] | the keys each kind of spec object allows |
//! | `context` | (the state of a reading, and the check of each kind of Rust name) |
//! | `types` | named types of `types/` and the values of enums |
//! | `tables` | error tables of `errors/` |
//! | `codes` | error codes, and the error list of an endpoint |
//! | `endpoints` | endpoint specs and their rate limits |
//! | `callbacks` | callback specs: bodies, replies and their decisions |
//! | `fields` | the fields of requests, responses and objects |
//! | `shapes` | the `type` of a field or of array items, and type references |
//! | `limits` | byte, value and item limits and `allowed` values |
//! | `defaults` | documented defaults |
//! | `examples` | documented samples |
//! | `pagination` | how an endpoint pages |

mod callbacks;
mod check;
mod codes;
mod context;
mod defaults;
mod endpoints;
mod examples;
mod fields;
pub mod keys;
mod limits;
mod one_of;
mod pagination;
mod partial_failures;
mod shapes;
mod tables;
mod types;

#[cfg(test)]
mod base_tests;
#[cfg(test)]
mod batch_tests;
#[cfg(test)]
mod callback_tests;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostics, SourceFile};
use crate::json::{self, Value};
use crate::model::{Api, Origin};
use check::{BaseNames, Names};
use context::Cx;

/// An API already loaded and checked that a spec folder extends.
#[derive(Debug, Clone, Copy)]
pub struct Base<'a> {
    /// The base's model.
    pub(crate) api: &'a Api,
    /// The crate that renders it (`live-api`), as diagnostics name it; its client is
    /// `<crate_name with `_` for `-`>::Client`.
    pub(crate) crate_name: &'a str,
}

/// The outcome of reading a spec folder.
#[derive(Debug)]
pub struct Loaded {
    /// The model, or every problem found.
    pub api: Result<Api, Diagnostics>,
    /// Every file read, problems or not (for rebuild tracking).
    pub(crate) files: Vec<PathBuf>,
    /// The text of every file read (to check a part of the folder again, see `fallback`).
    pub(crate) sources: Vec<SourceFile>,
}

/// Reads and checks the spec folder `dir`. Paths in diagnostics are shown relative to
/// `display_base` when `dir` lies below it.
pub fn load_dir(dir: &Path, display_base: &Path) -> Loaded {
    load_dir_with_base(dir, display_base, None)
}

/// [`load_dir`] on top of `base`, when given (see [`check_sources`]).
pub(crate) fn load_dir_with_base(dir: &Path, display_base: &Path, base: Option<&Base<'_>>) -> Loaded {
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
    let api = match check_sources(dir, &sources, base) {
        Ok(api) if diags.is_empty() => Ok(api),
        Ok(_) => Err(diags),
        Err(found) => {
            diags.append(found);
            Err(diags)
        }
    };
    Loaded { api, files: paths, sources }
}

/// Checks already-read spec files (`path` of each below `dir`). Used by [`load_dir`] and tests.
///
/// With a `base`, the model's `types` and `tables` begin with copies of the base's (marked
/// [`Origin::Base`], so that ids mean the same in both models) and its `endpoints` are the
/// folder's own (it may have no callbacks). The folder's specs may name the base's shared types and error tables; every
/// name the folder generates (types, inline objects, table enums, endpoint types and client
/// methods) must differ from the base's, and a quota group of the base keeps the base's rate.
pub fn check_sources(dir: &Path, sources: &[SourceFile], base: Option<&Base<'_>>) -> Result<Api, Diagnostics> {
    let base_names = base.map(BaseNames::new);
    let base_api = base.map(|b| b.api);
    let mut cx = Cx::new(base_api.map_or(&[][..], |a| &a.types), base_names.as_ref());
    let specs = Specs::parse(dir, sources, &mut cx.diags);
    cx.read_types(&specs.types);
    let (tables, table_spans) = cx.read_tables(&specs.tables, base_api.map_or(&[][..], |a| &a.tables));

    let mut names = Names::new(base_names.as_ref());
    names.shared_types(&cx.types);
    let local_tables = tables.iter().filter(|t| t.origin == Origin::Local);
    for (table, (src, span)) in local_tables.zip(&table_spans) {
        names.table_enum(&mut cx.diags, src, *span, table);
    }
    let shared_types = cx.types.len();
    let mut endpoints = cx.read_endpoints(&specs.endpoints, &tables, &mut names);
    let mut callbacks = cx.read_callbacks(&specs.callbacks, &mut names);
    // Inline objects are named while endpoints and callbacks are read; check them against every
    // other name.
    names.inline_objects(&mut cx.diags, &cx.types[shared_types..]);
    endpoints.sort_by(|a, b| (&a.service, &a.command).cmp(&(&b.service, &b.command)));
    callbacks.sort_by(|a, b| a.command.cmp(&b.command));
    if !cx.diags.is_empty() {
        return Err(cx.diags);
    }
    let files = sources.iter().map(|s| s.path.clone()).collect();
    Ok(Api { endpoints, callbacks, extends_base: base.is_some(), types: cx.types, tables, files })
}

/// A parsed spec file and its path below the folder, in segments (`["types", "Mode.json"]`).
struct Spec<'a> {
    src: &'a SourceFile,
    value: Value,
    parts: Vec<String>,
}

/// The parsed spec files of a folder, by kind, each in path order.
struct Specs<'a> {
    types: Vec<Spec<'a>>,
    tables: Vec<Spec<'a>>,
    endpoints: Vec<Spec<'a>>,
    callbacks: Vec<Spec<'a>>,
}

impl<'a> Specs<'a> {
    /// Parses every file (reporting malformed JSON) and sorts them by the folder they are in.
    fn parse(dir: &Path, sources: &'a [SourceFile], diags: &mut Diagnostics) -> Self {
        let mut specs = Specs { types: Vec::new(), tables: Vec::new(), endpoints: Vec::new(), callbacks: Vec::new() };
        for src in sources {
            let value = match json::parse(&src.text) {
                Ok(v) => v,
                Err(e) => {
                    diags.error(src, e.span, format!("malformed JSON: {}", e.message));
                    continue;
                }
            };
            let rel = src.path.strip_prefix(dir).unwrap_or(&src.path);
            let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            let list = match parts.first().map(String::as_str) {
                Some("types") => &mut specs.types,
                Some("errors") => &mut specs.tables,
                Some("callbacks") => &mut specs.callbacks,
                _ => &mut specs.endpoints,
            };
            list.push(Spec { src, value, parts });
        }
        specs
    }
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
