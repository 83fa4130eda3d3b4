//! Measured cargo runs: wall time, CPU, the load of other processes, and per crate (from the
//! `rustc-wrap` wrapper) rustc time and peak memory.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::crates::write;
use crate::machine::{children_cpu, load1, machine_busy};
use crate::report::log;
use crate::side::{Side, out_dir, root, ws_dir};

/// One measured cargo run.
pub struct Build {
    pub wall_s: f64,
    /// user + system CPU of cargo and everything it ran.
    pub cpu_s: f64,
    /// Average number of cores busy with other processes during the build (from /proc/stat).
    pub others_cores: f64,
    pub load1: f64,
    /// rustc of the benchmark crate (the library that expands the macro).
    pub crate_rustc_s: Option<f64>,
    pub crate_rss_kib: Option<u64>,
    /// Largest rustc process of the build, and how many crates were compiled.
    pub max_rss_kib: u64,
    pub max_rss_crate: String,
    pub crates: usize,
}

/// Runs `cargo <args>` in a side's workspace with the rustc wrapper; panics with the end of the
/// output if it fails.
pub fn cargo(side: Side, args: &[&str], tag: &str) -> Build {
    cargo_at(&ws_dir(side), side.name(), &format!("bench_{}_n", side.name()), args, tag)
}

/// `cargo <args>` in the workspace `ws`; `measured` is the name prefix of the crate whose rustc
/// time and RSS are reported.
pub fn cargo_at(ws: &Path, name: &str, measured: &str, args: &[&str], tag: &str) -> Build {
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
    add_rustc_records(&mut b, &records, measured);
    b
}

/// Adds the wrapper's records (one tab-separated line per rustc run: crate, kind, peak RSS in KiB,
/// ms) to `b`: the number of crates compiled, the largest, and the measured crate's own figures.
fn add_rustc_records(b: &mut Build, records: &str, measured: &str) {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustc_records_give_the_measured_crate_and_the_largest() {
        let mut b = Build {
            wall_s: 1.0,
            cpu_s: 1.0,
            others_cores: 0.0,
            load1: 0.0,
            crate_rustc_s: None,
            crate_rss_kib: None,
            max_rss_kib: 0,
            max_rss_crate: String::new(),
            crates: 0,
        };
        let records = "build_script_build\tbin\t90000\t800\t0\n\
                       bench_ours_n10\tlib\t200000\t2500\t0\n\
                       tokio\tlib\t300000\t9000\t0\n\
                       truncated\tlib\n";
        add_rustc_records(&mut b, records, "bench_ours_n");
        assert_eq!((b.crates, b.max_rss_kib, b.max_rss_crate.as_str()), (3, 300000, "tokio"));
        assert_eq!((b.crate_rustc_s, b.crate_rss_kib), (Some(2.5), Some(200000)));
    }
}
