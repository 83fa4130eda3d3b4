//! Compile-time benchmark of issue 7: live-api's `generate!` against progenitor 0.15.1 on the
//! same N synthetic endpoints. Run it through `perf/compile-time.sh [N…]`; see
//! docs/performance.md for what each number means.
//!
//! ```text
//! compile-time [--runs K] [--no-full] [--check] [--no-build] [--debug-harness PATH] [N…]
//! compile-time time-expand <ours|progenitor> <path>    one expansion timing, as JSON (run on the debug build)
//! compile-time attribute [N] [RUNS]                   our expansion compiled with groups of items left out
//! compile-time awaited [N] [RUNS]                     both crates plus a function awaiting every method
//! compile-time expanded [N…]                          lines once every macro has run, derives included
//! compile-time real [RUNS]                            both generators on the real Live API (see real.rs)
//! ```
//!
//! Everything is written under `target/perf/` of the live-api workspace:
//!
//! - `ours/`, `progenitor/`: one generated cargo workspace per side (own `[workspace]`, own
//!   `target/`), with one library crate `nN/` per N (`bench-ours-nN`, `bench-progenitor-nN`);
//! - `expanded/`: the formatted expansions; `logs/`: cargo output of every build;
//! - `results.md`, `summary.csv` (one line per side, N and measure), `runs.csv` (every build),
//!   `breakdown.md` (lines per generated item for one endpoint).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use proc_macro2::{TokenStream, TokenTree};
use serde_json::{Value, json};

mod real;

const PROGENITOR_VERSION: &str = "0.15.1";
/// The endpoint whose description the incremental builds edit.
const EDITED: usize = 1;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("time-expand") {
        let side = Side::parse(&args[1]);
        let t = time_expand(side, Path::new(&args[2]));
        println!("{}", json!({ "median_ms": t.median_ms, "runs": t.runs, "generate_only_ms": t.generate_only_ms }));
        return;
    }
    if args.first().map(String::as_str) == Some("awaited") {
        let n = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(200);
        let runs = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(3);
        awaited(n, runs);
        return;
    }
    if args.first().map(String::as_str) == Some("real") {
        real::real(args.get(1).and_then(|v| v.parse().ok()).unwrap_or(3));
        return;
    }
    if args.first().map(String::as_str) == Some("expanded") {
        let mut ns: Vec<usize> = args[1..].iter().map(|v| v.parse().expect("expanded [N...]")).collect();
        if ns.is_empty() {
            ns = vec![10, 200];
        }
        ns.sort_unstable();
        ns.dedup();
        fully_expanded(&ns);
        return;
    }
    if args.first().map(String::as_str) == Some("attribute") {
        let n = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(200);
        let runs = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(2);
        attribute(n, runs);
        return;
    }
    let mut cfg = Config { ns: vec![], runs: 3, full: true, check: false, build: true, debug_harness: None };
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => cfg.runs = it.next().and_then(|v| v.parse().ok()).expect("--runs K"),
            "--no-full" => cfg.full = false,
            "--check" => cfg.check = true,
            "--no-build" => cfg.build = false,
            "--debug-harness" => cfg.debug_harness = Some(PathBuf::from(it.next().expect("--debug-harness PATH"))),
            n => cfg.ns.push(n.parse().unwrap_or_else(|_| panic!("not a number of endpoints: {n}"))),
        }
    }
    if cfg.ns.is_empty() {
        cfg.ns = vec![10, 100, 200, 1000];
    }
    cfg.ns.sort_unstable();
    cfg.ns.dedup();
    run(&cfg);
}

struct Config {
    ns: Vec<usize>,
    runs: usize,
    full: bool,
    check: bool,
    /// false: generation numbers only (expansion time, lines, breakdown).
    build: bool,
    debug_harness: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Side {
    Ours,
    Progenitor,
}

impl Side {
    const BOTH: [Side; 2] = [Side::Ours, Side::Progenitor];
    fn parse(s: &str) -> Side {
        match s {
            "ours" => Side::Ours,
            "progenitor" => Side::Progenitor,
            _ => panic!("side must be `ours` or `progenitor`, not {s}"),
        }
    }
    fn name(self) -> &'static str {
        match self {
            Side::Ours => "ours",
            Side::Progenitor => "progenitor",
        }
    }
    fn package(self, n: usize) -> String {
        format!("bench-{}-n{n}", self.name())
    }
    /// What the generator reads: the spec folder, or the OpenAPI document.
    fn input(self, crate_dir: &Path) -> PathBuf {
        match self {
            Side::Ours => crate_dir.join("specs"),
            Side::Progenitor => crate_dir.join("openapi.json"),
        }
    }
    /// The file the incremental builds edit.
    fn edited_file(self, crate_dir: &Path) -> PathBuf {
        match self {
            Side::Ours => crate_dir.join(format!("specs/bench_srv/op_{EDITED}.json")),
            Side::Progenitor => crate_dir.join("openapi.json"),
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

fn out_dir() -> PathBuf {
    root().join("target/perf")
}

fn ws_dir(side: Side) -> PathBuf {
    out_dir().join(side.name())
}

fn crate_dir(side: Side, n: usize) -> PathBuf {
    ws_dir(side).join(format!("n{n}"))
}

// ---------------------------------------------------------------------------------------------
// Synthetic inputs

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

fn openapi(n: usize) -> Value {
    let paths: serde_json::Map<String, Value> =
        (1..=n).map(|i| (format!("/v4/bench_srv/op_{i}"), openapi_path(i))).collect();
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Synthetic benchmark API", "version": "1.0.0" },
        "paths": paths
    })
}

fn write(path: &Path, text: impl AsRef<[u8]>) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap() + "\n"
}

/// Writes the generator inputs of `n` endpoints into `dir` (a crate directory or a scratch one).
fn write_inputs(side: Side, dir: &Path, n: usize) {
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
fn write_workspace(side: Side, ns: &[usize]) {
    let members: Vec<String> = ns.iter().map(|n| format!("n{n}")).collect();
    write_workspace_of(side, &members);
    for &n in ns {
        let dir = crate_dir(side, n);
        write_crate(side, &dir, &side.package(n), &format!("{n} synthetic endpoints"));
        write_inputs(side, &dir, n);
    }
}

/// The workspace manifest of a side, with the crate directories `members`, and its lockfile.
fn write_workspace_of(side: Side, members: &[String]) {
    let ws = ws_dir(side);
    let root = root();
    let members: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    write(
        &ws.join("Cargo.toml"),
        format!(
            "# Generated by perf/compile-time.sh; not part of the live-api workspace.\n[workspace]\nresolver = \"3\"\n\
             members = [{}]\n\n# as in the live-api workspace: no debug info in dependencies\n\
             [profile.dev.package.\"*\"]\ndebug = false\n",
            members.join(", ")
        ),
    );
    // Pinned dependency versions: the live-api lock for our side, perf/'s lock for progenitor.
    let lock = match side {
        Side::Ours => root.join("Cargo.lock"),
        Side::Progenitor => root.join("perf/bench-progenitor.Cargo.lock"),
    };
    if lock.exists() {
        std::fs::copy(&lock, ws.join("Cargo.lock")).unwrap();
    }
}

/// A library crate `package` in `dir` that expands the side's input (`specs/` or `openapi.json`,
/// written separately); `what` says what it holds, for its doc comment.
fn write_crate(side: Side, dir: &Path, package: &str, what: &str) {
    let root = root();
    match side {
        Side::Ours => {
            write(
                &dir.join("Cargo.toml"),
                format!(
                    "[package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                     [dependencies]\nlive-api = {{ path = {:?} }}\nlive-api-macros = {{ path = {:?} }}\n",
                    root.join("live-api"),
                    root.join("live-api-macros")
                ),
            );
            write(&dir.join("build.rs"), "fn main() {\n    println!(\"cargo:rerun-if-changed=specs\");\n}\n");
            write(
                &dir.join("src/lib.rs"),
                format!(
                    "//! {what} generated by `live_api_macros::generate!` from `specs/`.\n\n\
                     /// The client type the generated methods attach to.\n\
                     pub struct Client(pub live_api::Client);\n\n\
                     impl std::ops::Deref for Client {{\n    type Target = live_api::Client;\n    \
                     fn deref(&self) -> &live_api::Client {{\n        &self.0\n    }}\n}}\n\n\
                     live_api_macros::generate!(\"../specs\");\n"
                ),
            );
        }
        Side::Progenitor => {
            write(
                &dir.join("Cargo.toml"),
                format!(
                    "[package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                     # what progenitor {PROGENITOR_VERSION}'s README lists for the generated code\n\
                     [dependencies]\nfutures = \"0.3\"\nprogenitor = \"={PROGENITOR_VERSION}\"\n\
                     reqwest = {{ version = \"0.13\", features = [\"json\", \"query\", \"stream\"] }}\n\
                     serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n"
                ),
            );
            write(&dir.join("build.rs"), "fn main() {\n    println!(\"cargo:rerun-if-changed=openapi.json\");\n}\n");
            write(
                &dir.join("src/lib.rs"),
                format!(
                    "//! {what} generated by progenitor {PROGENITOR_VERSION} from `openapi.json`.\n\n\
                     progenitor::generate_api!(\"openapi.json\");\n"
                ),
            );
        }
    }
}

/// Edits the description of endpoint `op_1` (revision `rev`): one spec file for us, the one
/// OpenAPI document for progenitor.
fn edit_description(side: Side, n: usize, rev: usize) {
    let file = side.edited_file(&crate_dir(side, n));
    let text = std::fs::read_to_string(&file).unwrap();
    let from = format!("Synthetic endpoint {EDITED} of the compile-time benchmark (revision ");
    let start = text.find(&from).expect("edited description") + from.len();
    let end = start + text[start..].find(')').unwrap();
    let edited = format!("{}{rev}{}", &text[..start], &text[end..]);
    std::fs::write(&file, edited).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Expansion: time, lines, breakdown

fn expand_ours(dir: &Path) -> TokenStream {
    let e = live_api_codegen::expand(dir, &root(), &live_api_codegen::Options::default());
    match e.tokens {
        Ok(t) => t,
        Err(d) => panic!(
            "the synthetic specs do not expand: {}",
            d.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
        ),
    }
}

/// What `progenitor::generate_api!("openapi.json")` does: `serde_json::from_reader` on the
/// opened file (unbuffered, as the macro does), `Generator::new`, `generate_tokens`.
fn expand_progenitor(file: &Path) -> TokenStream {
    let f = std::fs::File::open(file).unwrap();
    let spec: openapiv3::OpenAPI = serde_json::from_reader(f).expect("OpenAPI document");
    generate_progenitor(&spec)
}

fn generate_progenitor(spec: &openapiv3::OpenAPI) -> TokenStream {
    let mut g = progenitor::Generator::new(&progenitor::GenerationSettings::default());
    g.generate_tokens(spec).expect("progenitor generates")
}

/// Lines per extra endpoint of progenitor's other interface style (`interface = Builder`), for
/// comparison only (the builds use the default, positional).
fn progenitor_builder_marginal() -> (i64, i64) {
    let mut lines = vec![];
    for n in [1, 2] {
        let spec: openapiv3::OpenAPI = serde_json::from_value(openapi(n)).unwrap();
        let mut settings = progenitor::GenerationSettings::default();
        settings.with_interface(progenitor::InterfaceStyle::Builder);
        let tokens = progenitor::Generator::new(&settings).generate_tokens(&spec).expect("progenitor generates");
        lines.push(lines_of(&tokens).0);
    }
    (lines[1].docs as i64 - lines[0].docs as i64, lines[1].no_docs as i64 - lines[0].no_docs as i64)
}

fn expand(side: Side, input: &Path) -> TokenStream {
    match side {
        Side::Ours => expand_ours(input),
        Side::Progenitor => expand_progenitor(input),
    }
}

struct ExpandTime {
    median_ms: f64,
    runs: usize,
    /// progenitor only: `Generator::new` + `generate_tokens` on an already parsed document.
    generate_only_ms: Option<f64>,
}

/// Median of at least 5 timed runs after one warm-up, more while the total stays under ~3 s
/// (at most 21).
fn time_runs(mut f: impl FnMut()) -> (f64, usize) {
    f();
    let mut times = vec![];
    let started = Instant::now();
    while times.len() < 5 || (times.len() < 21 && started.elapsed() < Duration::from_secs(3)) {
        let t = Instant::now();
        f();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    (median(&mut times), times.len())
}

fn time_expand(side: Side, input: &Path) -> ExpandTime {
    let (median_ms, runs) = time_runs(|| drop(std::hint::black_box(expand(side, input))));
    let generate_only_ms = (side == Side::Progenitor).then(|| {
        let spec: openapiv3::OpenAPI = serde_json::from_str(&std::fs::read_to_string(input).unwrap()).unwrap();
        time_runs(|| drop(std::hint::black_box(generate_progenitor(&spec)))).0
    });
    ExpandTime { median_ms, runs, generate_only_ms }
}

/// The same tokens without `#[doc = …]` attributes (what `///` comments become).
fn strip_docs(tokens: TokenStream) -> TokenStream {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tts.len());
    let mut i = 0;
    while i < tts.len() {
        if let TokenTree::Punct(p) = &tts[i]
            && p.as_char() == '#'
        {
            let bang = matches!(tts.get(i + 1), Some(TokenTree::Punct(q)) if q.as_char() == '!');
            let g = if bang { i + 2 } else { i + 1 };
            if let Some(TokenTree::Group(group)) = tts.get(g) {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                let is_doc = group.delimiter() == proc_macro2::Delimiter::Bracket
                    && matches!(inner.first(), Some(TokenTree::Ident(id)) if id == "doc")
                    && matches!(inner.get(1), Some(TokenTree::Punct(q)) if q.as_char() == '=');
                if is_doc {
                    i = g + 1;
                    continue;
                }
            }
        }
        out.push(match &tts[i] {
            TokenTree::Group(g) => {
                let mut ng = proc_macro2::Group::new(g.delimiter(), strip_docs(g.stream()));
                ng.set_span(g.span());
                TokenTree::Group(ng)
            }
            t => t.clone(),
        });
        i += 1;
    }
    out.into_iter().collect()
}

fn format_tokens(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("generated code parses");
    prettyplease::unparse(&file)
}

fn code_lines(text: &str) -> usize {
    text.lines().filter(|l| !l.trim().is_empty()).count()
}

#[derive(Clone, Copy, Default)]
struct Lines {
    docs: usize,
    no_docs: usize,
}

fn lines_of(tokens: &TokenStream) -> (Lines, String) {
    let text = format_tokens(tokens.clone());
    let no_docs = code_lines(&format_tokens(strip_docs(tokens.clone())));
    (Lines { docs: code_lines(&text), no_docs }, text)
}

/// `Op12Body` → `OpNBody`, `op_12` → `op_N`: the same label for every endpoint's item.
fn normalize(label: &str) -> String {
    let mut out = String::new();
    let b = label.as_bytes();
    let mut i = 0;
    while i < b.len() {
        out.push(b[i] as char);
        let after_op = i >= 1 && (b[i - 1] == b'O' || b[i - 1] == b'o') && b[i] == b'p';
        let after_op_ = i >= 2 && (b[i - 2] == b'O' || b[i - 2] == b'o') && b[i - 1] == b'p' && b[i] == b'_';
        if (after_op || after_op_) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            out.push('N');
            i += 1;
            while b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        i += 1;
    }
    out
}

fn last_segment(path: &syn::Path) -> String {
    path.segments.last().map(quote_compact).unwrap_or_default()
}

fn quote_compact(t: &impl quote::ToTokens) -> String {
    let s = t.to_token_stream().to_string();
    s.replace(" < ", "<")
        .replace(" >", ">")
        .replace("< ", "<")
        .replace(" ,", ",")
        .replace("& ", "&")
        .replace(" :: ", "::")
        .replace("<:: ", "<::")
}

fn item_label(item: &syn::Item) -> String {
    use syn::Item::*;
    let label = match item {
        Const(c) if c.ident == "_" => "const _ (include_bytes!/include_str! of an input file)".to_owned(),
        Const(c) => format!("const {}", c.ident),
        Static(s) => format!("static {}", s.ident),
        Struct(s) => format!("struct {}", s.ident),
        Enum(e) => format!("enum {}", e.ident),
        Fn(f) => format!("fn {}", f.sig.ident),
        Trait(t) => format!("trait {}", t.ident),
        Type(t) => format!("type {}", t.ident),
        Mod(m) => format!("mod {}", m.ident),
        Use(u) => format!("use {}", quote_compact(&u.tree)),
        Impl(i) => {
            let ty = match &*i.self_ty {
                syn::Type::Path(p) => last_segment(&p.path),
                t => quote_compact(t),
            };
            match &i.trait_ {
                Some((_, path, _)) => format!("impl {} for {ty}", last_segment(path)),
                None => format!("impl {ty}"),
            }
        }
        Macro(m) => format!("macro {}!", last_segment(&m.mac.path)),
        other => format!("{:?}", std::mem::discriminant(other)),
    };
    normalize(&label)
}

/// Lines per item label (items in modules are labelled `mod m :: item`, the module's own lines
/// `mod m`), with and without docs.
fn item_lines(docs: &syn::File, no_docs: &syn::File) -> Vec<(String, Lines)> {
    fn walk(prefix: &str, depth: usize, a: &[syn::Item], b: &[syn::Item], out: &mut Vec<(String, Lines)>) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            let label = format!("{prefix}{}", item_label(x));
            // Printed at its own depth (inside as many dummy modules), since prettyplease wraps
            // long lines according to the indentation.
            let one = |item: &syn::Item| {
                let mut item = item.clone();
                for _ in 0..depth {
                    item = syn::parse_quote!(mod m { #item });
                }
                code_lines(&prettyplease::unparse(&syn::File { shebang: None, attrs: vec![], items: vec![item] }))
                    - 2 * depth
            };
            let mut lines = Lines { docs: one(x), no_docs: one(y) };
            if let (syn::Item::Mod(mx), syn::Item::Mod(my)) = (x, y)
                && let (Some((_, ix)), Some((_, iy))) = (&mx.content, &my.content)
            {
                let start = out.len();
                walk(&format!("{label} :: "), depth + 1, ix, iy, out);
                for (_, l) in &out[start..] {
                    lines.docs -= l.docs;
                    lines.no_docs -= l.no_docs;
                }
            }
            out.push((label, lines));
        }
    }
    let mut out = vec![];
    walk("", 0, &docs.items, &no_docs.items, &mut out);
    out
}

struct Breakdown {
    /// label, lines at N=1, lines at N=2 (each with and without docs), in order of appearance.
    rows: Vec<(String, Lines, Lines)>,
}

fn breakdown(side: Side) -> Breakdown {
    let mut per_n = vec![];
    for n in [1, 2] {
        let dir = out_dir().join(format!("breakdown/{}/n{n}", side.name()));
        let _ = std::fs::remove_dir_all(&dir);
        write_inputs(side, &dir, n);
        let tokens = expand(side, &side.input(&dir));
        let a: syn::File = syn::parse2(tokens.clone()).unwrap();
        let b: syn::File = syn::parse2(strip_docs(tokens)).unwrap();
        let mut sums: Vec<(String, Lines)> = vec![];
        for (label, l) in item_lines(&a, &b) {
            match sums.iter_mut().find(|(k, _)| *k == label) {
                Some((_, s)) => {
                    s.docs += l.docs;
                    s.no_docs += l.no_docs;
                }
                None => sums.push((label, l)),
            }
        }
        per_n.push(sums);
    }
    let mut rows: Vec<(String, Lines, Lines)> = vec![];
    for (label, l1) in &per_n[0] {
        let l2 = per_n[1].iter().find(|(k, _)| k == label).map(|(_, l)| *l).unwrap_or_default();
        rows.push((label.clone(), *l1, l2));
    }
    for (label, l2) in &per_n[1] {
        if !rows.iter().any(|(k, ..)| k == label) {
            rows.push((label.clone(), Lines::default(), *l2));
        }
    }
    Breakdown { rows }
}

// ---------------------------------------------------------------------------------------------
// Builds

struct Build {
    wall_s: f64,
    /// user + system CPU of cargo and everything it ran.
    cpu_s: f64,
    /// Average number of cores busy with other processes during the build (from /proc/stat).
    others_cores: f64,
    load1: f64,
    /// rustc of the benchmark crate (the library that expands the macro).
    crate_rustc_s: Option<f64>,
    crate_rss_kib: Option<u64>,
    /// Largest rustc process of the build, and how many crates were compiled.
    max_rss_kib: u64,
    max_rss_crate: String,
    crates: usize,
}

fn children_cpu() -> f64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// Busy CPU seconds of the whole machine since boot.
fn machine_busy() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let line = stat.lines().next().unwrap_or_default();
    let v: Vec<f64> = line.split_whitespace().skip(1).filter_map(|x| x.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal
    let busy = [0, 1, 2, 5, 6, 7].iter().filter_map(|&i| v.get(i)).sum::<f64>();
    busy / unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64
}

fn load1() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
        .unwrap_or(f64::NAN)
}

fn uptime() -> String {
    Command::new("uptime").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()).unwrap_or_default()
}

fn log(msg: &str) {
    let t = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
    eprintln!("[{:02}:{:02}:{:02}] {msg}", (t / 3600) % 24, (t / 60) % 60, t % 60);
}

/// Runs `cargo <args>` in a side's workspace with the rustc wrapper; panics with the end of the
/// output if it fails.
fn cargo(side: Side, args: &[&str], tag: &str) -> Build {
    cargo_at(&ws_dir(side), side.name(), &format!("bench_{}_n", side.name()), args, tag)
}

/// `cargo <args>` in the workspace `ws`; `measured` is the name prefix of the crate whose rustc
/// time and RSS are reported.
fn cargo_at(ws: &Path, name: &str, measured: &str, args: &[&str], tag: &str) -> Build {
    let rustc_log = out_dir().join("logs/rustc.tsv");
    let _ = std::fs::remove_file(&rustc_log);
    let out_log = out_dir().join(format!("logs/{name}-{tag}.log"));
    std::fs::create_dir_all(out_log.parent().unwrap()).unwrap();
    let wrapper = std::env::current_exe().unwrap().with_file_name("rustc-wrap");
    log(&format!("{}: cargo {}", ws.strip_prefix(root()).unwrap().display(), args.join(" ")));
    let load = load1();
    let (cpu0, busy0, t0) = (children_cpu(), machine_busy(), Instant::now());
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", ws.join("target"))
        .env("RUSTC_WRAPPER", &wrapper)
        .env("PERF_RUSTC_LOG", &rustc_log)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_INCREMENTAL")
        .env_remove("CARGO_BUILD_RUSTC_WRAPPER")
        .stdin(Stdio::null())
        .output()
        .expect("run cargo");
    let wall_s = t0.elapsed().as_secs_f64();
    let cpu_s = children_cpu() - cpu0;
    let others = ((machine_busy() - busy0) - cpu_s).max(0.0) / wall_s;
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    write(&out_log, &text);
    if !out.status.success() {
        let tail: Vec<&str> = text.lines().rev().take(60).collect();
        panic!(
            "cargo {} failed in {}:\n{}",
            args.join(" "),
            ws.display(),
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
    let records = std::fs::read_to_string(&rustc_log).unwrap_or_default();
    let mut b = Build {
        wall_s,
        cpu_s,
        others_cores: others,
        load1: load,
        crate_rustc_s: None,
        crate_rss_kib: None,
        max_rss_kib: 0,
        max_rss_crate: String::new(),
        crates: 0,
    };
    for line in records.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            continue;
        }
        let (name, kind, rss, ms) = (f[0], f[1], f[2].parse::<u64>().unwrap_or(0), f[3].parse::<f64>().unwrap_or(0.0));
        b.crates += 1;
        if rss > b.max_rss_kib {
            b.max_rss_kib = rss;
            b.max_rss_crate = name.to_owned();
        }
        if name.starts_with(measured) && kind == "lib" {
            b.crate_rustc_s = Some(ms / 1000.0);
            b.crate_rss_kib = Some(rss);
        }
    }
    b
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

// ---------------------------------------------------------------------------------------------
// The run

#[derive(Default)]
struct Row {
    lines: Lines,
    expand_ms: f64,
    expand_runs: usize,
    expand_debug_ms: Option<f64>,
    generate_only_ms: Option<f64>,
    /// measure ("cold", "incremental", "check-cold", "check-incremental") → builds
    builds: BTreeMap<&'static str, Vec<Build>>,
}

struct Stat {
    median: f64,
    min: f64,
    max: f64,
}

fn stat(v: impl Iterator<Item = f64>) -> Stat {
    let mut v: Vec<f64> = v.filter(|x| x.is_finite()).collect();
    let min = v.iter().cloned().fold(f64::INFINITY, f64::min);
    let max = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    Stat { median: median(&mut v), min, max }
}

fn run(cfg: &Config) {
    let started = Instant::now();
    let root = root();
    let out = out_dir();
    std::fs::create_dir_all(&out).unwrap();
    log(&format!("N = {:?}; {} runs per build measure; output in {}", cfg.ns, cfg.runs, out.display()));
    let machine = machine();
    log(&machine.replace('\n', "; "));

    for side in Side::BOTH {
        write_workspace(side, &cfg.ns);
    }

    // 1. Expansion time and lines, in this (release) process and in the debug-built harness.
    let mut rows: BTreeMap<(usize, Side), Row> = BTreeMap::new();
    std::fs::create_dir_all(out.join("expanded")).unwrap();
    for &n in &cfg.ns {
        for side in Side::BOTH {
            let input = side.input(&crate_dir(side, n));
            let (lines, text) = lines_of(&expand(side, &input));
            write(&out.join(format!("expanded/{}-n{n}.rs", side.name())), &text);
            let t = time_expand(side, &input);
            let expand_debug_ms = cfg.debug_harness.as_ref().map(|h| {
                let o = Command::new(h)
                    .args(["time-expand", side.name()])
                    .arg(&input)
                    .output()
                    .expect("run the debug harness");
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                let v: Value = serde_json::from_slice(&o.stdout).unwrap();
                v["median_ms"].as_f64().unwrap()
            });
            log(&format!(
                "{} N={n}: {} lines ({} without docs), expansion {:.1} ms (release, {} runs){}",
                side.name(),
                lines.docs,
                lines.no_docs,
                t.median_ms,
                t.runs,
                expand_debug_ms.map(|d| format!(", {d:.1} ms debug-built")).unwrap_or_default()
            ));
            rows.insert(
                (n, side),
                Row {
                    lines,
                    expand_ms: t.median_ms,
                    expand_runs: t.runs,
                    expand_debug_ms,
                    generate_only_ms: t.generate_only_ms,
                    builds: BTreeMap::new(),
                },
            );
        }
    }
    let breakdowns: Vec<(Side, Breakdown)> = Side::BOTH.iter().map(|&s| (s, breakdown(s))).collect();

    // 2. Builds.
    let build_sides: &[Side] = if cfg.build { &Side::BOTH } else { &[] };
    for &side in build_sides {
        cargo(side, &["fetch"], "fetch");
    }
    let mut full: Vec<(Side, usize, Build)> = vec![];
    if cfg.full && cfg.build {
        let n = cfg.ns[0];
        for side in Side::BOTH {
            let _ = std::fs::remove_dir_all(ws_dir(side).join("target"));
            let b = cargo(side, &["build", "--offline", "-p", &side.package(n)], &format!("full-n{n}"));
            log(&format!("{} full cold build (N={n}): {:.1} s, {} crates", side.name(), b.wall_s, b.crates));
            full.push((side, n, b));
        }
    }
    let mut measures: Vec<(&'static str, &'static str)> = vec![("cold", "build"), ("incremental", "build")];
    if cfg.check {
        measures.push(("check-cold", "check"));
        measures.push(("check-incremental", "check"));
    }
    let mut rev = 0;
    for &n in cfg.ns.iter().filter(|_| cfg.build) {
        log(&format!("N={n}: {}", uptime()));
        for &(measure, cmd) in &measures {
            for side in Side::BOTH {
                // Make sure everything else is built: the measured build then compiles only the crate.
                cargo(side, &[cmd, "--offline", "-p", &side.package(n)], &format!("{cmd}-n{n}-warm"));
            }
            for r in 0..cfg.runs {
                // Alternate the sides run by run, so both see the same conditions.
                for side in Side::BOTH {
                    let package = side.package(n);
                    // Cold: the build script and the crate; incremental: the crate.
                    let expected = if measure.ends_with("cold") { 2 } else { 1 };
                    let mut attempt = 0;
                    let b = loop {
                        if measure.ends_with("cold") {
                            cargo(side, &["clean", "--offline", "-p", &package], &format!("clean-n{n}"));
                        } else {
                            rev += 1;
                            edit_description(side, n, rev);
                        }
                        let b = cargo(side, &[cmd, "--offline", "-p", &package], &format!("{measure}-n{n}-{r}"));
                        attempt += 1;
                        if b.crates <= expected || attempt == 3 {
                            break b;
                        }
                        // Something else was rebuilt (live-api edited meanwhile): measure again.
                        log(&format!("  {} crates compiled instead of {expected}: run repeated", b.crates));
                    };
                    log(&format!(
                        "  {} N={n} {measure} #{r}: {:.2} s (crate rustc {:.2} s, {} MiB; others' load {:.2})",
                        side.name(),
                        b.wall_s,
                        b.crate_rustc_s.unwrap_or(f64::NAN),
                        b.crate_rss_kib.unwrap_or(0) / 1024,
                        b.others_cores
                    ));
                    rows.get_mut(&(n, side)).unwrap().builds.entry(measure).or_default().push(b);
                }
            }
        }
    }

    // 3. Results.
    let elapsed = started.elapsed();
    let md = report(cfg, &machine, &rows, &full, &breakdowns, elapsed);
    write(&out.join("results.md"), &md);
    write_csvs(&rows, &full);
    write(&out.join("breakdown.md"), breakdown_md(&breakdowns));
    if let Ok(lock) = std::fs::read(ws_dir(Side::Progenitor).join("Cargo.lock")) {
        write(&out.join("bench-progenitor.Cargo.lock"), lock);
    }
    println!("{md}");
    log(&format!(
        "done in {:.1} min; results in {}",
        elapsed.as_secs_f64() / 60.0,
        out.strip_prefix(&root).unwrap().display()
    ));
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "?".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| s.lines().next().and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<f64>().ok())))
        .map(|kib| format!("{:.1} GiB", kib / 1024.0 / 1024.0))
        .unwrap_or_else(|| "?".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let version = |prog: &str| {
        Command::new(prog)
            .arg("-V")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default()
    };
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root())
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default()
    };
    let dirty = git(&[
        "status",
        "--porcelain",
        "--",
        "live-api",
        "live-api-codegen",
        "live-api-macros",
        "api-specs/errors/rest.json",
    ]);
    format!(
        "CPU: {cpu}, {cores} cores (nproc)\nMemory: {mem}\n{}\n{}\nprogenitor {PROGENITOR_VERSION}; live-api at {}{}\nLoad at start: {}",
        version("rustc"),
        version("cargo"),
        git(&["rev-parse", "--short", "HEAD"]),
        if dirty.is_empty() {
            String::new()
        } else {
            format!(" with uncommitted changes in: {}", dirty.replace('\n', ", "))
        },
        uptime()
    )
}

fn f1(x: f64) -> String {
    if x.is_finite() { format!("{x:.1}") } else { "–".into() }
}

fn f2(x: f64) -> String {
    if x.is_finite() { format!("{x:.2}") } else { "–".into() }
}

fn ratio(p: f64, o: f64) -> String {
    if p.is_finite() && o.is_finite() && o > 0.0 { format!("{:.1}×", p / o) } else { "–".into() }
}

fn report(
    cfg: &Config,
    machine: &str,
    rows: &BTreeMap<(usize, Side), Row>,
    full: &[(Side, usize, Build)],
    breakdowns: &[(Side, Breakdown)],
    elapsed: Duration,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Compile time: live-api `generate!` vs progenitor {PROGENITOR_VERSION}\n");
    let _ = writeln!(
        s,
        "```text\n{machine}\nLoad at end: {}\nWhole run: {:.1} min\n```\n",
        uptime(),
        elapsed.as_secs_f64() / 60.0
    );
    let row = |n: usize, side: Side| &rows[&(n, side)];

    let _ = writeln!(s, "## Generation (in-process, median)\n");
    let _ = writeln!(
        s,
        "| N | expansion ms, ours | progenitor | ratio | debug-built: ours | progenitor | ratio | lines/endpoint ours (docs / no docs) | progenitor (docs / no docs) | ratio (docs) |"
    );
    let _ = writeln!(s, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &cfg.ns {
        let (o, p) = (row(n, Side::Ours), row(n, Side::Progenitor));
        let per = |l: Lines| (l.docs as f64 / n as f64, l.no_docs as f64 / n as f64);
        let (od, on) = per(o.lines);
        let (pd, pn) = per(p.lines);
        let dbg = |r: &Row| r.expand_debug_ms.unwrap_or(f64::NAN);
        let _ = writeln!(
            s,
            "| {n} | {} | {} | {} | {} | {} | {} | {} / {} | {} / {} | {} |",
            f1(o.expand_ms),
            f1(p.expand_ms),
            ratio(p.expand_ms, o.expand_ms),
            f1(dbg(o)),
            f1(dbg(p)),
            ratio(dbg(p), dbg(o)),
            f1(od),
            f1(on),
            f1(pd),
            f1(pn),
            ratio(pd, od)
        );
    }
    let marginal = |side: Side| {
        let b = &breakdowns.iter().find(|(s, _)| *s == side).unwrap().1;
        let d: i64 = b.rows.iter().map(|(_, a, b)| b.docs as i64 - a.docs as i64).sum();
        let nd: i64 = b.rows.iter().map(|(_, a, b)| b.no_docs as i64 - a.no_docs as i64).sum();
        let shared_d: i64 = b.rows.iter().map(|(_, a, _)| a.docs as i64).sum::<i64>() - d;
        let shared_nd: i64 = b.rows.iter().map(|(_, a, _)| a.no_docs as i64).sum::<i64>() - nd;
        (d, nd, shared_d, shared_nd)
    };
    let (od, on, osd, osn) = marginal(Side::Ours);
    let (pd, pn, psd, psn) = marginal(Side::Progenitor);
    let _ = writeln!(
        s,
        "\nLines: non-blank lines of the prettyplease-formatted expansion divided by N, shared items included \
         (\"no docs\": without `#[doc]` attributes). Each extra endpoint adds {od} lines ({on} without docs) for us and \
         {pd} ({pn}) for progenitor; the N-independent part is {osd} ({osn}) lines for us and {psd} ({psn}) for \
         progenitor (see breakdown.md). Progenitor's expansion time is what its macro does: `serde_json::from_reader` \
         on the file, `Generator::new`, `generate_tokens`; `generate_tokens` alone on a parsed document took {} ms at N={}.\n",
        cfg.ns.last().map(|&n| f1(row(n, Side::Progenitor).generate_only_ms.unwrap_or(f64::NAN))).unwrap_or_default(),
        cfg.ns.last().unwrap()
    );

    let _ = writeln!(
        s,
        "## Builds of the crate that expands the N endpoints (debug profile, dependencies built; median of {})\n",
        cfg.runs
    );
    let _ = writeln!(
        s,
        "| N | cold s, ours | progenitor | ratio | incremental s, ours | progenitor | ratio | peak rustc RSS MiB, ours | progenitor | ratio | load1 at start | others' load (max) |"
    );
    let _ = writeln!(s, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &cfg.ns {
        let (o, p) = (row(n, Side::Ours), row(n, Side::Progenitor));
        let wall = |r: &Row, m: &str| stat(r.builds.get(m).into_iter().flatten().map(|b| b.wall_s)).median;
        let rss = |r: &Row| {
            stat(r.builds.get("cold").into_iter().flatten().map(|b| b.crate_rss_kib.unwrap_or(0) as f64 / 1024.0))
                .median
        };
        let others = o.builds.values().chain(p.builds.values()).flatten().map(|b| b.others_cores).fold(0.0, f64::max);
        let load = o.builds.get("cold").and_then(|v| v.first()).map(|b| b.load1).unwrap_or(f64::NAN);
        let spread = |r: &Row, m: &str| {
            let st = stat(r.builds.get(m).into_iter().flatten().map(|b| b.wall_s));
            if (st.max - st.min) / st.median > 0.15 { "*" } else { "" }
        };
        let _ = writeln!(
            s,
            "| {n} | {}{} | {}{} | {} | {}{} | {}{} | {} | {:.0} | {:.0} | {} | {} | {} |",
            f2(wall(o, "cold")),
            spread(o, "cold"),
            f2(wall(p, "cold")),
            spread(p, "cold"),
            ratio(wall(p, "cold"), wall(o, "cold")),
            f2(wall(o, "incremental")),
            spread(o, "incremental"),
            f2(wall(p, "incremental")),
            spread(p, "incremental"),
            ratio(wall(p, "incremental"), wall(o, "incremental")),
            rss(o),
            rss(p),
            ratio(rss(p), rss(o)),
            f2(load),
            f2(others)
        );
    }
    let _ = writeln!(
        s,
        "\ncold: `cargo clean -p bench-<side>-nN` then `cargo build -p bench-<side>-nN` (the build script and the crate are \
         compiled, nothing else); incremental: the description of endpoint op_{EDITED} edited (its spec file for us, \
         `openapi.json` for progenitor), then `cargo build`. Wall time of cargo. Peak RSS: the rustc process compiling the \
         crate, macro included, during the cold builds. `*`: the runs differ by more than 15 % of the median. \
         others' load: cores busy with other processes during the builds of the row (from /proc/stat).\n"
    );
    let _ = writeln!(s, "rustc time of the crate alone (from the wrapper), median, s:\n");
    let _ = writeln!(s, "| N | cold, ours | progenitor | ratio | incremental, ours | progenitor | ratio |");
    let _ = writeln!(s, "|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &cfg.ns {
        let (o, p) = (row(n, Side::Ours), row(n, Side::Progenitor));
        let rt = |r: &Row, m: &str| stat(r.builds.get(m).into_iter().flatten().filter_map(|b| b.crate_rustc_s)).median;
        let _ = writeln!(
            s,
            "| {n} | {} | {} | {} | {} | {} | {} |",
            f2(rt(o, "cold")),
            f2(rt(p, "cold")),
            ratio(rt(p, "cold"), rt(o, "cold")),
            f2(rt(o, "incremental")),
            f2(rt(p, "incremental")),
            ratio(rt(p, "incremental"), rt(o, "incremental"))
        );
    }
    if cfg.check {
        let _ = writeln!(s, "\n`cargo check` (same procedure), median, s:\n");
        let _ = writeln!(s, "| N | cold, ours | progenitor | ratio | incremental, ours | progenitor | ratio |");
        let _ = writeln!(s, "|---:|---:|---:|---:|---:|---:|---:|");
        for &n in &cfg.ns {
            let (o, p) = (row(n, Side::Ours), row(n, Side::Progenitor));
            let w = |r: &Row, m: &str| stat(r.builds.get(m).into_iter().flatten().map(|b| b.wall_s)).median;
            let _ = writeln!(
                s,
                "| {n} | {} | {} | {} | {} | {} | {} |",
                f2(w(o, "check-cold")),
                f2(w(p, "check-cold")),
                ratio(w(p, "check-cold"), w(o, "check-cold")),
                f2(w(o, "check-incremental")),
                f2(w(p, "check-incremental")),
                ratio(w(p, "check-incremental"), w(o, "check-incremental"))
            );
        }
    }
    if !full.is_empty() {
        let _ = writeln!(s, "\n## One-time full build (empty target directory, dependencies included, once)\n");
        let _ = writeln!(s, "| side | crate | wall s | CPU s | crates compiled | largest rustc RSS MiB (crate) |");
        let _ = writeln!(s, "|---|---|---:|---:|---:|---:|");
        for (side, n, b) in full {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} ({}) |",
                side.name(),
                side.package(*n),
                f1(b.wall_s),
                f1(b.cpu_s),
                b.crates,
                b.max_rss_kib / 1024,
                b.max_rss_crate
            );
        }
    }
    s.push('\n');
    s.push_str(&breakdown_md(breakdowns));
    s
}

fn breakdown_md(breakdowns: &[(Side, Breakdown)]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "## Lines per generated item (N=1 and N=2 expanded; \"per endpoint\" = N=2 minus N=1)\n");
    for (side, b) in breakdowns {
        let _ = writeln!(s, "### {}\n", side.name());
        let _ =
            writeln!(s, "| item (op_N / OpN: the endpoint) | lines at N=1 | per endpoint | per endpoint, no docs |");
        let _ = writeln!(s, "|---|---:|---:|---:|");
        let (mut t1, mut td, mut tn) = (0i64, 0i64, 0i64);
        for (label, l1, l2) in &b.rows {
            let d = l2.docs as i64 - l1.docs as i64;
            let nd = l2.no_docs as i64 - l1.no_docs as i64;
            t1 += l1.docs as i64;
            td += d;
            tn += nd;
            let _ = writeln!(s, "| `{}` | {} | {d} | {nd} |", label.replace('|', "\\|"), l1.docs);
        }
        let _ = writeln!(s, "| **total** | **{t1}** | **{td}** | **{tn}** |\n");
    }
    let (d, nd) = progenitor_builder_marginal();
    let _ = writeln!(
        s,
        "For reference, progenitor with `interface = Builder` (not the default; not built here) adds {d} lines \
         per endpoint ({nd} without docs).\n"
    );
    s
}

fn write_csvs(rows: &BTreeMap<(usize, Side), Row>, full: &[(Side, usize, Build)]) {
    let out = out_dir();
    let mut runs = String::from(
        "side,n,measure,run,wall_s,cpu_s,crate_rustc_s,crate_rss_kib,max_rss_kib,max_rss_crate,crates_compiled,load1,others_cores\n",
    );
    let mut push = |side: Side, n: usize, measure: &str, r: usize, b: &Build| {
        let _ = writeln!(
            runs,
            "{},{n},{measure},{r},{:.3},{:.3},{},{},{},{},{},{:.2},{:.3}",
            side.name(),
            b.wall_s,
            b.cpu_s,
            b.crate_rustc_s.map(|x| format!("{x:.3}")).unwrap_or_default(),
            b.crate_rss_kib.map(|x| x.to_string()).unwrap_or_default(),
            b.max_rss_kib,
            b.max_rss_crate,
            b.crates,
            b.load1,
            b.others_cores
        );
    };
    for (side, n, b) in full {
        push(*side, *n, "full", 0, b);
    }
    let mut summary = String::from(
        "side,n,lines,lines_no_docs,lines_per_endpoint,lines_per_endpoint_no_docs,expand_ms,expand_runs,expand_debug_ms,generate_only_ms,\
         cold_s,cold_min_s,cold_max_s,incremental_s,incremental_min_s,incremental_max_s,cold_crate_rustc_s,incremental_crate_rustc_s,\
         cold_crate_rss_mib,incremental_crate_rss_mib,check_cold_s,check_incremental_s\n",
    );
    for ((n, side), row) in rows {
        for (measure, bs) in &row.builds {
            for (r, b) in bs.iter().enumerate() {
                push(*side, *n, measure, r, b);
            }
        }
        let st =
            |m: &str, f: &dyn Fn(&Build) -> Option<f64>| stat(row.builds.get(m).into_iter().flatten().filter_map(f));
        let wall = |b: &Build| Some(b.wall_s);
        let (cold, incr) = (st("cold", &wall), st("incremental", &wall));
        let _ = writeln!(
            summary,
            "{},{n},{},{},{:.2},{:.2},{:.3},{},{},{},{:.3},{:.3},{:.3},{:.3},{:.3},{:.3},{:.3},{:.3},{:.1},{:.1},{:.3},{:.3}",
            side.name(),
            row.lines.docs,
            row.lines.no_docs,
            row.lines.docs as f64 / *n as f64,
            row.lines.no_docs as f64 / *n as f64,
            row.expand_ms,
            row.expand_runs,
            row.expand_debug_ms.map(|x| format!("{x:.3}")).unwrap_or_default(),
            row.generate_only_ms.map(|x| format!("{x:.3}")).unwrap_or_default(),
            cold.median,
            cold.min,
            cold.max,
            incr.median,
            incr.min,
            incr.max,
            st("cold", &|b| b.crate_rustc_s).median,
            st("incremental", &|b| b.crate_rustc_s).median,
            st("cold", &|b| b.crate_rss_kib.map(|k| k as f64 / 1024.0)).median,
            st("incremental", &|b| b.crate_rss_kib.map(|k| k as f64 / 1024.0)).median,
            st("check-cold", &wall).median,
            st("check-incremental", &wall).median,
        );
    }
    write(&out.join("runs.csv"), runs);
    write(&out.join("summary.csv"), summary);
}

// ---------------------------------------------------------------------------------------------
// Where our build time goes: the expansion pasted as source, with groups of items removed

type Keep = fn(&str) -> bool;

/// `compile-time awaited [N] [RUNS]`: the N-endpoint crate of each side plus a function that awaits
/// every client method, built cold RUNS times (alternating): what a crate that uses every endpoint
/// compiles, the generic code the methods call included.
fn awaited(n: usize, runs: usize) {
    let mut times: BTreeMap<&str, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for side in [Side::Ours, Side::Progenitor] {
        write_workspace(side, &[n]);
        write_workspace_of(side, &[format!("n{n}"), format!("a{n}")]);
        let to = ws_dir(side).join(format!("a{n}"));
        let _ = std::fs::remove_dir_all(&to);
        write_crate(side, &to, &format!("bench-{}-a{n}", side.name()), &format!("{n} synthetic endpoints"));
        let lib = to.join("src/lib.rs");
        write(&lib, std::fs::read_to_string(&lib).unwrap() + &awaiting(side, n));
        write_inputs(side, &to, n);
        cargo_at(&ws_dir(side), side.name(), "bench_", &["fetch"], "awaited-fetch");
        cargo_at(&ws_dir(side), side.name(), "bench_", &["build", "--offline", "--workspace"], "awaited-warm");
    }
    for r in 0..runs {
        for side in [Side::Ours, Side::Progenitor] {
            let entry = times.entry(side.name()).or_default();
            for (package, out) in
                [(side.package(n), &mut entry.0), (format!("bench-{}-a{n}", side.name()), &mut entry.1)]
            {
                let ws = ws_dir(side);
                cargo_at(&ws, side.name(), "bench_", &["clean", "--offline", "-p", &package], "awaited-clean");
                let b = cargo_at(
                    &ws,
                    side.name(),
                    "bench_",
                    &["build", "--offline", "-p", &package],
                    &format!("{package}-{r}"),
                );
                log(&format!("  {package} #{r}: {:.2} s (others' load {:.2})", b.wall_s, b.others_cores));
                out.push(b.wall_s);
            }
        }
    }
    let (mut ours, mut prog) = (times.remove("ours").unwrap(), times.remove("progenitor").unwrap());
    let (od, oa, pd, pa) = (median(&mut ours.0), median(&mut ours.1), median(&mut prog.0), median(&mut prog.1));
    let s = format!(
        "## A crate that awaits every method (N={n}, cold build, wall s, median of {runs})\n\n\
         | crate | ours | progenitor | ratio |\n|---|---:|---:|---:|\n\
         | the N endpoints, methods only defined | {} | {} | {:.1}× |\n\
         | the same plus a function awaiting every method | {} | {} | {:.1}× |\n\
         | what awaiting adds | {} | {} | {:.1}× |\n",
        f2(od),
        f2(pd),
        pd / od,
        f2(oa),
        f2(pa),
        pa / oa,
        f2(oa - od),
        f2(pa - pd),
        (pa - pd) / (oa - od)
    );
    write(&out_dir().join(format!("awaited-n{n}.md")), &s);
    println!("{s}");
}

/// `awaiting_every_method`, for either side's client.
fn awaiting(side: Side, n: usize) -> String {
    match side {
        Side::Ours => awaiting_every_method(n),
        Side::Progenitor => {
            let mut s = String::from(
                "\n/// Every client method, awaited.\npub fn await_every_method(c: &Client) -> Vec<std::pin::Pin<Box<dyn \
                 std::future::Future<Output = bool> + Send + '_>>> {\n    vec![\n",
            );
            for i in 1..=n {
                let _ = writeln!(
                    s,
                    "        Box::pin(async move {{ let body = types::Op{i}Body {{ count: None, enabled: None, room_id: \
                     \"r\".parse().unwrap() }}; c.op_{i}(&body).await.is_ok() }}),"
                );
            }
            s.push_str("    ]\n}\n");
            s
        }
    }
}

/// A function that awaits the client method of each of the `n` synthetic endpoints, each in its
/// own boxed future, so that the crate compiles everything the calls instantiate (the benchmark
/// crate itself only defines the methods, which leaves their generic callees uninstantiated).
fn awaiting_every_method(n: usize) -> String {
    let mut s = String::from(
        "/// Every client method, awaited.\npub fn await_every_method(c: &Client) -> Vec<std::pin::Pin<Box<dyn \
         std::future::Future<Output = bool> + Send + '_>>> {\n    vec![\n",
    );
    for i in 1..=n {
        let _ = writeln!(s, "        Box::pin(async move {{ c.op{i}(Op{i}::new(\"r\")).await.is_ok() }}),");
    }
    s.push_str("    ]\n}\n");
    s
}

/// `compile-time attribute [N] [RUNS]`: cold rustc time of our N-endpoint expansion compiled as
/// plain source, whole and with groups of generated items left out, next to the macro crate.
fn attribute(n: usize, runs: usize) {
    let dir = out_dir().join("attribution");
    let specs_parent = dir.join("input");
    write_inputs(Side::Ours, &specs_parent, n);
    let tokens = expand_ours(&specs_parent.join("specs"));
    let variants: Vec<(&str, &str, Keep, bool)> = vec![
        ("source", "the whole expansion (minus the include_bytes! consts)", |_| true, false),
        ("no-docs", "without doc attributes", |_| true, true),
        (
            "awaited",
            "the whole expansion plus a function awaiting every client method (boxed), as a crate using \
             the client compiles what `Client::call` instantiates",
            |_| true,
            false,
        ),
        ("no-client-methods", "without the `impl Client` blocks (the async methods)", |l| l != "impl Client", false),
        (
            "types-only",
            "request and response structs with their `impl`s, `Validate` and (de)serialization only",
            |l| {
                l.starts_with("struct ")
                    || l == "impl OpN"
                    || l == "impl OpNResponse"
                    || l.starts_with("impl Validate for ")
                    || l.starts_with("impl Serialize for ")
                    || l.starts_with("impl Fields for ")
                    || l.starts_with("impl Deserialize<'de> for ")
            },
            false,
        ),
    ];
    let header = "pub struct Client(pub live_api::Client);\nimpl std::ops::Deref for Client {\n    type Target = live_api::Client;\n    \
                  fn deref(&self) -> &live_api::Client {\n        &self.0\n    }\n}\n";
    let root = root();
    let cargo_toml = |name: &str, macros: bool| {
        format!(
            "[package]\nname = \"attr-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n\
             live-api = {{ path = {:?} }}\n{}",
            root.join("live-api"),
            if macros {
                format!("live-api-macros = {{ path = {:?} }}\n", root.join("live-api-macros"))
            } else {
                String::new()
            }
        )
    };
    let mut members = vec!["macro".to_owned()];
    write(&dir.join("macro/Cargo.toml"), cargo_toml("macro", true));
    write(&dir.join("macro/src/lib.rs"), format!("{header}live_api_macros::generate!(\"../../input/specs\");\n"));
    let mut lines = vec![];
    for (name, _, keep, no_docs) in &variants {
        let t = if *no_docs { strip_docs(tokens.clone()) } else { tokens.clone() };
        let mut file: syn::File = syn::parse2(t).unwrap();
        file.items.retain(|item| {
            let label = item_label(item);
            // The `use` of the runtime alias is needed by every item that remains.
            label.starts_with("use ") || (!label.starts_with("const _") && keep(&label))
        });
        let mut text = prettyplease::unparse(&file);
        if *name == "awaited" {
            text.push_str(&awaiting_every_method(n));
        }
        lines.push(code_lines(&text));
        write(&dir.join(format!("{name}/Cargo.toml")), cargo_toml(name, false));
        write(&dir.join(format!("{name}/src/lib.rs")), format!("{header}{text}"));
        members.push((*name).to_owned());
    }
    let quoted: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    write(
        &dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
            quoted.join(", ")
        ),
    );
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    log(&format!("attribution of N={n}: {}", uptime()));
    cargo_at(&dir, "attr", "attr_", &["build", "--offline", "--workspace"], "attr-warm");
    let mut times: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for r in 0..runs {
        for m in &members {
            let package = format!("attr-{m}");
            cargo_at(&dir, "attr", "attr_", &["clean", "--offline", "-p", &package], "attr-clean");
            let b = cargo_at(&dir, "attr", "attr_", &["build", "--offline", "-p", &package], &format!("attr-{m}-{r}"));
            log(&format!(
                "  {m} #{r}: crate rustc {:.2} s (others' load {:.2})",
                b.crate_rustc_s.unwrap_or(f64::NAN),
                b.others_cores
            ));
            times.entry(m.clone()).or_default().extend(b.crate_rustc_s);
        }
    }
    let mut s = format!(
        "## Where the build time of our expansion goes (N={n}, cold rustc time of the crate, median of {runs})\n\n\
         | variant | lines | rustc s | vs `source` |\n|---|---:|---:|---:|\n"
    );
    let base = median(times.get_mut("source").unwrap());
    let m = median(times.get_mut("macro").unwrap());
    let _ = writeln!(
        s,
        "| `generate!` macro (as in the benchmark, without build script) | – | {} | {:+.0} % |",
        f2(m),
        (m / base - 1.0) * 100.0
    );
    for ((name, what, ..), l) in variants.iter().zip(&lines) {
        let t = median(times.get_mut(*name).unwrap());
        let _ = writeln!(s, "| {what} | {l} | {} | {:+.0} % |", f2(t), (t / base - 1.0) * 100.0);
    }
    write(&out_dir().join(format!("attribution-n{n}.md")), &s);
    println!("{s}");
}

// ---------------------------------------------------------------------------------------------
// What rustc compiles: lines after every macro, derives included

/// `compile-time expanded [N…]` (default 10 200): for each side and N, the lines of the N-endpoint
/// crate once every macro has run, `#[derive]`s included: what rustc type-checks and compiles,
/// where the main table counts what the generator emits (a `#[derive(Serialize)]` is one line
/// there). From `cargo rustc --lib -- -Zunpretty=expanded`, a nightly-only flag that
/// `RUSTC_BOOTSTRAP=1` lets the stable toolchain take; doc attributes stripped and formatted with
/// prettyplease like the other counts. (`real` does the same for the real API.)
fn fully_expanded(ns: &[usize]) {
    let mut s = String::from(
        "## Lines once every macro has run, derives included (non-blank, prettyplease)\n\n\
         | N | ours: lines (no docs) | per endpoint | progenitor: lines (no docs) | per endpoint | ratio |\n\
         |---:|---:|---:|---:|---:|---:|\n",
    );
    let mut totals: BTreeMap<(usize, &str), Lines> = BTreeMap::new();
    for side in Side::BOTH {
        write_workspace(side, ns);
        cargo(side, &["fetch"], "expanded-fetch");
    }
    for &n in ns {
        for side in Side::BOTH {
            let lines = macro_free_lines(side, &side.package(n), &format!("n{n}"));
            totals.insert((n, side.name()), lines);
        }
    }
    let per = |side: &str, n: usize| {
        let l = totals[&(n, side)];
        match ns.first().filter(|&&first| first < n) {
            // The N-independent part (the runtime alias, the shared error table, the `Client` of
            // progenitor) cancels out: lines per extra endpoint.
            Some(&first) => {
                let f = totals[&(first, side)];
                (l.no_docs - f.no_docs) as f64 / (n - first) as f64
            }
            None => l.no_docs as f64 / n as f64,
        }
    };
    for &n in ns {
        let (o, p) = (totals[&(n, "ours")], totals[&(n, "progenitor")]);
        let (po, pp) = (per("ours", n), per("progenitor", n));
        let _ = writeln!(
            s,
            "| {n} | {} ({}) | {:.0} | {} ({}) | {:.0} | {:.1}× |",
            o.docs,
            o.no_docs,
            po,
            p.docs,
            p.no_docs,
            pp,
            pp / po
        );
    }
    let _ = writeln!(
        s,
        "\n\"per endpoint\": lines without docs added by each endpoint beyond N={} (at the first N: total / N).",
        ns[0]
    );
    write(&out_dir().join("expanded.md"), &s);
    println!("{s}");
}

/// Lines of the library `package` of the side's workspace once every macro has run (see
/// [`fully_expanded`]); the formatted text goes to `expanded/<side>-<tag>-full.rs`. Cargo then
/// rebuilds the workspace's dependencies (`RUSTC_BOOTSTRAP`, no wrapper): measure builds before,
/// or warm them up again.
fn macro_free_lines(side: Side, package: &str, tag: &str) -> Lines {
    let ws = ws_dir(side);
    log(&format!("{}: cargo rustc -p {package} --lib -- -Zunpretty=expanded", side.name()));
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["rustc", "--offline", "--quiet", "-p", package, "--lib", "--", "-Zunpretty=expanded"])
        .current_dir(&ws)
        .env("CARGO_TARGET_DIR", ws.join("target"))
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("CARGO_BUILD_RUSTC_WRAPPER")
        .stdin(Stdio::null())
        .output()
        .expect("run cargo rustc");
    assert!(out.status.success(), "cargo rustc failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("the expansion is UTF-8");
    let tokens: TokenStream = text.parse().expect("the expansion lexes");
    let (lines, formatted) = lines_of(&tokens);
    write(&out_dir().join(format!("expanded/{}-{tag}-full.rs", side.name())), &formatted);
    log(&format!("  {} lines ({} without docs)", lines.docs, lines.no_docs));
    lines
}
