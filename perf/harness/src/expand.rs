//! Running the generators in-process, and timing them: also in the debug-built harness, through
//! its `time-expand` mode, since a proc macro runs unoptimised in a debug `cargo build`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;
use serde_json::{Value, json};

use crate::report::median;
use crate::side::{Side, root};

pub fn expand_ours(dir: &Path) -> TokenStream {
    let e = live_api_codegen::expand(dir, &root(), &live_api_codegen::Options::default());
    if !e.diagnostics.is_empty() {
        let d: Vec<String> = e.diagnostics.iter().map(|d| d.to_string()).collect();
        panic!("the synthetic specs do not expand: {}", d.join("\n"));
    }
    e.tokens
}

/// What `progenitor::generate_api!("openapi.json")` does: `serde_json::from_reader` on the
/// opened file (unbuffered, as the macro does), `Generator::new`, `generate_tokens`.
fn expand_progenitor(file: &Path) -> TokenStream {
    let f = std::fs::File::open(file).unwrap();
    let spec: openapiv3::OpenAPI = serde_json::from_reader(f).expect("OpenAPI document");
    generate_progenitor(&spec)
}

pub fn generate_progenitor(spec: &openapiv3::OpenAPI) -> TokenStream {
    let mut g = progenitor::Generator::new(&progenitor::GenerationSettings::default());
    g.generate_tokens(spec).expect("progenitor generates")
}

/// The side's generator on `input` (the spec folder, or the OpenAPI document).
pub fn expand(side: Side, input: &Path) -> TokenStream {
    match side {
        Side::Ours => expand_ours(input),
        Side::Progenitor => expand_progenitor(input),
    }
}

/// Median expansion time, in ms.
pub struct ExpandTime {
    pub median_ms: f64,
    pub runs: usize,
    /// progenitor only: `Generator::new` + `generate_tokens` on an already parsed document.
    pub generate_only_ms: Option<f64>,
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

/// The expansion time of one side's input, in this process.
pub fn time_expand(side: Side, input: &Path) -> ExpandTime {
    let (median_ms, runs) = time_runs(|| drop(std::hint::black_box(expand(side, input))));
    let generate_only_ms = (side == Side::Progenitor).then(|| {
        let spec: openapiv3::OpenAPI = serde_json::from_str(&std::fs::read_to_string(input).unwrap()).unwrap();
        time_runs(|| drop(std::hint::black_box(generate_progenitor(&spec)))).0
    });
    ExpandTime { median_ms, runs, generate_only_ms }
}

/// `compile-time time-expand <ours|progenitor> <path>`: one expansion timing, as JSON (run on the
/// debug build by [`time_expand_debug`]).
pub fn print_time_expand(side: Side, input: &Path) {
    let t = time_expand(side, input);
    println!("{}", json!({ "median_ms": t.median_ms, "runs": t.runs, "generate_only_ms": t.generate_only_ms }));
}

/// The median expansion time of `input` in the debug-built harness `harness`, in ms.
pub fn time_expand_debug(harness: &Path, side: Side, input: &Path) -> f64 {
    let o =
        Command::new(harness).args(["time-expand", side.name()]).arg(input).output().expect("run the debug harness");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["median_ms"].as_f64().unwrap()
}
