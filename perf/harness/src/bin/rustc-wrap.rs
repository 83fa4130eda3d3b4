//! `RUSTC_WRAPPER` of the benchmark builds: runs `rustc` with the given arguments and, when
//! `PERF_RUSTC_LOG` is set, appends one line per compiled crate to that file:
//!
//! ```text
//! <crate name>\t<crate type>\t<peak RSS of this rustc process, KiB>\t<wall ms>\t<exit code>
//! ```
//!
//! The peak RSS is `ru_maxrss` of `getrusage(RUSAGE_CHILDREN)` after the one child (rustc) has
//! been waited for: the high-water mark of that rustc process's resident memory, which includes
//! the proc macros it runs (they are loaded into the compiler process).

use std::io::Write;
use std::process::{Command, exit};
use std::time::Instant;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let rustc = args.next().expect("usage: rustc-wrap <rustc> [args…]");
    let args: Vec<_> = args.collect();
    let started = Instant::now();
    let status = Command::new(&rustc).args(&args).status().unwrap_or_else(|e| {
        eprintln!("rustc-wrap: cannot run {}: {e}", rustc.to_string_lossy());
        exit(127)
    });
    let wall = started.elapsed();
    let code = status.code().unwrap_or(101);
    if let Some(log) = std::env::var_os("PERF_RUSTC_LOG") {
        let text: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
        let after = |flag: &str| text.iter().position(|a| a == flag).and_then(|i| text.get(i + 1)).cloned();
        if let Some(name) = after("--crate-name") {
            let kind = after("--crate-type").unwrap_or_else(|| "bin".into());
            // SAFETY: getrusage only writes into the struct we pass.
            let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
            unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
            let line = format!("{name}\t{kind}\t{}\t{}\t{code}\n", usage.ru_maxrss, wall.as_millis());
            // One short write with O_APPEND: lines of parallel rustc processes do not interleave.
            if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(log) {
                let _ = f.write_all(line.as_bytes());
            }
        }
    }
    exit(code);
}
