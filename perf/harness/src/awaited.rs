//! `compile-time awaited [N] [RUNS]`: what a crate that calls every endpoint compiles, on both
//! sides (target/perf/awaited-nN.md).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::cargo::cargo_at;
use crate::crates::{write, write_crate, write_workspace_of};
use crate::report::{f2, log, median};
use crate::side::{Side, out_dir, ws_dir};
use crate::synthetic::{write_inputs, write_workspace};

/// `compile-time awaited [N] [RUNS]`: the N-endpoint crate of each side plus a function that awaits
/// every client method, built cold RUNS times (alternating): what a crate that uses every endpoint
/// compiles, the generic code the methods call included.
pub fn awaited(n: usize, runs: usize) {
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
pub fn awaiting_every_method(n: usize) -> String {
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
