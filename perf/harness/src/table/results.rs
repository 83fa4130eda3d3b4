//! What the main table writes: `results.md` (also printed) and the CSV files.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use super::{Config, Row};
use crate::breakdown::{Breakdown, breakdown_md};
use crate::cargo::Build;
use crate::crates::write;
use crate::lines::Lines;
use crate::machine::uptime;
use crate::report::{f1, f2, ratio, stat};
use crate::side::{PROGENITOR_VERSION, Side, out_dir};
use crate::synthetic::EDITED;

/// The measures of each N and side.
type Rows = BTreeMap<(usize, Side), Row>;

/// `results.md`: the machine, then a section per table.
pub fn report(
    cfg: &Config,
    machine: &str,
    rows: &Rows,
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

    generation(&mut s, cfg, rows);
    lines_note(&mut s, cfg, rows, breakdowns);
    builds(&mut s, cfg, rows);
    rustc_times(&mut s, cfg, rows);
    if cfg.check {
        check(&mut s, cfg, rows);
    }
    if !full.is_empty() {
        full_builds(&mut s, full);
    }
    s.push('\n');
    s.push_str(&breakdown_md(breakdowns));
    s
}

/// The generation table: expansion times (release and debug-built) and lines per endpoint.
fn generation(s: &mut String, cfg: &Config, rows: &Rows) {
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
}

/// What the lines count, what one endpoint adds, and progenitor's `generate_tokens` alone.
fn lines_note(s: &mut String, cfg: &Config, rows: &Rows, breakdowns: &[(Side, Breakdown)]) {
    let row = |n: usize, side: Side| &rows[&(n, side)];
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
}

/// The build table: cold and incremental wall times, peak rustc memory, the load.
fn builds(s: &mut String, cfg: &Config, rows: &Rows) {
    let row = |n: usize, side: Side| &rows[&(n, side)];

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
}

/// rustc time of the crate alone, from the wrapper.
fn rustc_times(s: &mut String, cfg: &Config, rows: &Rows) {
    let row = |n: usize, side: Side| &rows[&(n, side)];

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
}

/// `cargo check`, cold and incremental.
fn check(s: &mut String, cfg: &Config, rows: &Rows) {
    let row = |n: usize, side: Side| &rows[&(n, side)];

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

/// The one-time full build, dependencies included.
fn full_builds(s: &mut String, full: &[(Side, usize, Build)]) {
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

/// `runs.csv` (every build) and `summary.csv` (one line per side, N and measure).
pub fn write_csvs(rows: &Rows, full: &[(Side, usize, Build)]) {
    let out = out_dir();
    write(&out.join("runs.csv"), runs_csv(rows, full));
    write(&out.join("summary.csv"), summary_csv(rows));
}

/// Every build: the full ones first, then by N, side and measure.
fn runs_csv(rows: &Rows, full: &[(Side, usize, Build)]) -> String {
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
    for ((n, side), row) in rows {
        for (measure, bs) in &row.builds {
            for (r, b) in bs.iter().enumerate() {
                push(*side, *n, measure, r, b);
            }
        }
    }
    runs
}

/// One line per side and N: lines, expansion times, build medians and ranges.
fn summary_csv(rows: &Rows) -> String {
    let mut summary = String::from(
        "side,n,lines,lines_no_docs,lines_per_endpoint,lines_per_endpoint_no_docs,expand_ms,expand_runs,expand_debug_ms,generate_only_ms,\
         cold_s,cold_min_s,cold_max_s,incremental_s,incremental_min_s,incremental_max_s,cold_crate_rustc_s,incremental_crate_rustc_s,\
         cold_crate_rss_mib,incremental_crate_rss_mib,check_cold_s,check_incremental_s\n",
    );
    for ((n, side), row) in rows {
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
    summary
}
