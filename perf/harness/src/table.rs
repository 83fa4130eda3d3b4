//! The main table (`compile-time [--runs K] [--no-full] [--check] [--no-build] [N…]`): for each N,
//! both sides' expansion time and lines, then their builds (cold, incremental, `cargo check` on
//! request, a one-time full build), written to `target/perf/results.md` and the CSV files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::breakdown::{Breakdown, breakdown, breakdown_md};
use crate::cargo::{Build, cargo};
use crate::crates::write;
use crate::expand::{expand, time_expand, time_expand_debug};
use crate::lines::{Lines, lines_of};
use crate::machine::{machine, uptime};
use crate::report::log;
use crate::side::{Side, crate_dir, out_dir, root, ws_dir};
use crate::synthetic::{edit_description, write_workspace};

mod results;

/// What the main table measures (parsed by [`crate::mode`]).
#[derive(Debug, PartialEq)]
pub struct Config {
    pub ns: Vec<usize>,
    pub runs: usize,
    pub full: bool,
    pub check: bool,
    /// false: generation numbers only (expansion time, lines, breakdown).
    pub build: bool,
    pub debug_harness: Option<PathBuf>,
}

/// The measures of one side and N.
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

/// `compile-time [--runs K] [--no-full] [--check] [--no-build] [--debug-harness PATH] [N…]`.
pub fn run(cfg: &Config) {
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
    let mut rows = generation(cfg, &out);
    let breakdowns: Vec<(Side, Breakdown)> = Side::BOTH.iter().map(|&s| (s, breakdown(s))).collect();

    // 2. Builds.
    let build_sides: &[Side] = if cfg.build { &Side::BOTH } else { &[] };
    for &side in build_sides {
        cargo(side, &["fetch"], "fetch");
    }
    let full = full_builds(cfg);
    measured_builds(cfg, &mut rows);

    // 3. Results.
    let elapsed = started.elapsed();
    let md = results::report(cfg, &machine, &rows, &full, &breakdowns, elapsed);
    write(&out.join("results.md"), &md);
    results::write_csvs(&rows, &full);
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

/// Expansion time and lines of each N and side; the expansions go to `expanded/<side>-nN.rs`.
fn generation(cfg: &Config, out: &Path) -> BTreeMap<(usize, Side), Row> {
    let mut rows: BTreeMap<(usize, Side), Row> = BTreeMap::new();
    std::fs::create_dir_all(out.join("expanded")).unwrap();
    for &n in &cfg.ns {
        for side in Side::BOTH {
            let input = side.input(&crate_dir(side, n));
            let (lines, text) = lines_of(&expand(side, &input));
            write(&out.join(format!("expanded/{}-n{n}.rs", side.name())), &text);
            let t = time_expand(side, &input);
            let expand_debug_ms = cfg.debug_harness.as_ref().map(|h| time_expand_debug(h, side, &input));
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
    rows
}

/// The one-time full build of the smallest N (empty target directory, dependencies included).
fn full_builds(cfg: &Config) -> Vec<(Side, usize, Build)> {
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
    full
}

/// The builds of every N and measure, RUNS times, the sides alternating.
fn measured_builds(cfg: &Config, rows: &mut BTreeMap<(usize, Side), Row>) {
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
                    let b = measured_build(side, n, (measure, cmd), r, &mut rev);
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
}

/// One build of a measure, repeated (at most twice) when it compiled more than the crate.
/// Incremental builds edit the description first, with the next revision `rev`.
fn measured_build(side: Side, n: usize, (measure, cmd): (&str, &str), r: usize, rev: &mut usize) -> Build {
    let package = side.package(n);
    // Cold: the build script and the crate; incremental: the crate.
    let expected = if measure.ends_with("cold") { 2 } else { 1 };
    let mut attempt = 0;
    loop {
        if measure.ends_with("cold") {
            cargo(side, &["clean", "--offline", "-p", &package], &format!("clean-n{n}"));
        } else {
            *rev += 1;
            edit_description(side, n, *rev);
        }
        let b = cargo(side, &[cmd, "--offline", "-p", &package], &format!("{measure}-n{n}-{r}"));
        attempt += 1;
        if b.crates <= expected || attempt == 3 {
            break b;
        }
        // Something else was rebuilt (live-api edited meanwhile): measure again.
        log(&format!("  {} crates compiled instead of {expected}: run repeated", b.crates));
    }
}
