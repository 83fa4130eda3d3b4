//! The command line, parsed once into a [`Mode`]. The syntax is that of perf/compile-time.sh and
//! docs/performance.md: a mode's name first, or the main table's flags and sizes.

use std::path::PathBuf;

use crate::side::Side;
use crate::table::Config;

/// What the harness was asked to do.
#[derive(Debug, PartialEq)]
pub enum Mode {
    /// `[--runs K] [--no-full] [--check] [--no-build] [--debug-harness PATH] [N…]` (default N: 10
    /// 100 200 1000): the main table.
    Table(Config),
    /// `time-expand <ours|progenitor> <path>`: one expansion timing, as JSON.
    TimeExpand { side: Side, input: PathBuf },
    /// `attribute [N] [RUNS]` (default 200 2).
    Attribute { n: usize, runs: usize },
    /// `awaited [N] [RUNS]` (default 200 3).
    Awaited { n: usize, runs: usize },
    /// `expanded [N…]` (default 10 200).
    Expanded { ns: Vec<usize> },
    /// `real [RUNS]` (default 3).
    Real { runs: usize },
}

impl Mode {
    /// The mode of the arguments (the program name left out).
    pub fn parse(args: &[String]) -> Mode {
        // An optional number at `i`; a missing or malformed one takes the default.
        let number = |i: usize, default: usize| args.get(i).and_then(|v| v.parse().ok()).unwrap_or(default);
        match args.first().map(String::as_str) {
            Some("time-expand") => Mode::TimeExpand {
                side: Side::parse(args.get(1).expect("time-expand <ours|progenitor> <path>")),
                input: PathBuf::from(args.get(2).expect("time-expand <ours|progenitor> <path>")),
            },
            Some("attribute") => Mode::Attribute { n: number(1, 200), runs: number(2, 2) },
            Some("awaited") => Mode::Awaited { n: number(1, 200), runs: number(2, 3) },
            Some("expanded") => {
                let ns = args[1..].iter().map(|v| v.parse().expect("expanded [N...]")).collect();
                Mode::Expanded { ns: sizes(ns, &[10, 200]) }
            }
            Some("real") => Mode::Real { runs: number(1, 3) },
            _ => Mode::Table(table(args)),
        }
    }
}

/// The main table's flags and sizes.
fn table(args: &[String]) -> Config {
    let mut cfg = Config { ns: vec![], runs: 3, full: true, check: false, build: true, debug_harness: None };
    let mut it = args.iter();
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
    cfg.ns = sizes(std::mem::take(&mut cfg.ns), &[10, 100, 200, 1000]);
    cfg
}

/// The sizes given, sorted and without repeats, or `default` when none is.
fn sizes(mut ns: Vec<usize>, default: &[usize]) -> Vec<usize> {
    if ns.is_empty() {
        ns = default.to_vec();
    }
    ns.sort_unstable();
    ns.dedup();
    ns
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Mode {
        Mode::parse(&line.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
    }

    fn table(ns: &[usize], runs: usize, full: bool, check: bool, build: bool, debug: Option<&str>) -> Mode {
        Mode::Table(Config { ns: ns.to_vec(), runs, full, check, build, debug_harness: debug.map(PathBuf::from) })
    }

    /// The command lines of perf/compile-time.sh and docs/performance.md.
    #[test]
    fn the_documented_command_lines() {
        assert_eq!(parse("--debug-harness d"), table(&[10, 100, 200, 1000], 3, true, false, true, Some("d")));
        assert_eq!(parse("--debug-harness d 200"), table(&[200], 3, true, false, true, Some("d")));
        assert_eq!(parse("--no-full --runs 1 200"), table(&[200], 1, false, false, true, None));
        assert_eq!(parse("--no-build 1000 10 100 10"), table(&[10, 100, 1000], 3, true, false, false, None));
        assert_eq!(parse("--check 200"), table(&[200], 3, true, true, true, None));
        assert_eq!(
            parse("time-expand progenitor x/openapi.json"),
            Mode::TimeExpand { side: Side::Progenitor, input: PathBuf::from("x/openapi.json") }
        );
        assert_eq!(parse("attribute"), Mode::Attribute { n: 200, runs: 2 });
        assert_eq!(parse("attribute 1000 3"), Mode::Attribute { n: 1000, runs: 3 });
        assert_eq!(parse("awaited"), Mode::Awaited { n: 200, runs: 3 });
        assert_eq!(parse("awaited 100 1"), Mode::Awaited { n: 100, runs: 1 });
        assert_eq!(parse("expanded"), Mode::Expanded { ns: vec![10, 200] });
        assert_eq!(parse("expanded 200 10 1000"), Mode::Expanded { ns: vec![10, 200, 1000] });
        assert_eq!(parse("real"), Mode::Real { runs: 3 });
        assert_eq!(parse("real 1"), Mode::Real { runs: 1 });
    }
}
