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
//!
//! The modules: [`mode`] parses the command line; one module per mode ([`table`] with its
//! [`table::results`], [`attribute`], [`awaited`], [`expanded`], [`real`]; `time-expand` is in
//! [`expand`], beside the code that calls it); and the shared parts: [`side`] (the two sides and
//! their folders), [`synthetic`] (the synthetic API), [`crates`] (writing workspaces and crates),
//! [`expand`] (running and timing the generators), [`lines`] and [`breakdown`] (counting generated
//! lines), [`cargo`] (measured builds), [`machine`] (load and CPU time), [`report`] (log lines,
//! medians, number formats).

mod attribute;
mod awaited;
mod breakdown;
mod cargo;
mod crates;
mod expand;
mod expanded;
mod lines;
mod machine;
mod mode;
mod real;
mod report;
mod side;
mod synthetic;
mod table;

use mode::Mode;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match Mode::parse(&args) {
        Mode::Table(cfg) => table::run(&cfg),
        Mode::TimeExpand { side, input } => expand::print_time_expand(side, &input),
        Mode::Attribute { n, runs } => attribute::attribute(n, runs),
        Mode::Awaited { n, runs } => awaited::awaited(n, runs),
        Mode::Expanded { ns } => expanded::fully_expanded(&ns),
        Mode::Real { runs } => real::real(runs),
    }
}
