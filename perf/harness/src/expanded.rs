//! `compile-time expanded [N…]`: what rustc compiles, the lines once every macro has run, derives
//! included (target/perf/expanded.md); [`macro_free_lines`] also serves `real`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::{Command, Stdio};

use proc_macro2::TokenStream;

use crate::cargo::cargo;
use crate::crates::write;
use crate::lines::{Lines, lines_of};
use crate::report::log;
use crate::side::{Side, out_dir, ws_dir};
use crate::synthetic::write_workspace;

/// `compile-time expanded [N…]` (default 10 200): for each side and N, the lines of the N-endpoint
/// crate once every macro has run, `#[derive]`s included: what rustc type-checks and compiles,
/// where the main table counts what the generator emits (a `#[derive(Serialize)]` is one line
/// there). From `cargo rustc --lib -- -Zunpretty=expanded`, a nightly-only flag that
/// `RUSTC_BOOTSTRAP=1` lets the stable toolchain take; doc attributes stripped and formatted with
/// prettyplease like the other counts. (`real` does the same for the real API.)
pub fn fully_expanded(ns: &[usize]) {
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
pub fn macro_free_lines(side: Side, package: &str, tag: &str) -> Lines {
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
