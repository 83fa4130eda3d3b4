#!/usr/bin/env bash
# Compile-time benchmark of issue 7: live-api's `generate!` against progenitor 0.15.1 on the same
# N synthetic endpoints (docs/performance.md, "Compile time").
#
#   perf/compile-time.sh [--runs K] [--no-full] [--check] [--no-build] [N...]    (default N: 10 100 200 1000)
#
#   --runs K     build measures per N and side (default 3; the median is reported)
#   --no-full    skip the one-time full build (empty target directory, dependencies included)
#   --check      also time `cargo check` (cold and incremental)
#   --no-build   generation numbers only (expansion time, generated lines, per-item breakdown)
#
#   perf/compile-time.sh attribute [N] [RUNS]    (default 200 2)
#
#   where our build time goes: the expansion of N endpoints compiled as plain source, whole and
#   with groups of generated items left out (target/perf/attribution-nN.md)
#
#   perf/compile-time.sh awaited [N] [RUNS]      (default 200 3)
#
#   both sides' N-endpoint crate, and the same crate plus a function awaiting every client
#   method, built cold: what a crate that uses every endpoint compiles (target/perf/awaited-nN.md)
#
#   perf/compile-time.sh expanded [N...]         (default 10 200)
#
#   lines of both sides' N-endpoint crate once every macro has run, derives included (what rustc
#   compiles; `cargo rustc -- -Zunpretty=expanded` with RUSTC_BOOTSTRAP=1; target/perf/expanded.md)
#
#   perf/compile-time.sh real [RUNS]              (default 3)
#
#   both generators on the real Live API: every spec of api-specs/ (endpoints and callbacks) as
#   they are, and converted into one OpenAPI document for progenitor (callbacks as component
#   schemas); lines per endpoint, cold and incremental builds (target/perf/real.md)
#
# Writes target/perf/results.md (also printed), summary.csv, runs.csv and breakdown.md; the
# generated crates are in target/perf/{ours,progenitor}/nN, their expansions in target/perf/expanded/.
# Nothing here is part of the live-api workspace: perf/harness and the generated crates have
# their own [workspace] tables and target directories under target/perf/.
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
manifest="$root/perf/harness/Cargo.toml"
harness="$root/target/perf/harness"
started=$(date +%s)

# The harness, twice: release (it times the generators in-process) and debug (the same timing
# with unoptimised generators, as the proc macro runs inside a debug `cargo build`).
CARGO_TARGET_DIR="$harness" cargo build --quiet --locked --release --manifest-path "$manifest" --bins
CARGO_TARGET_DIR="$harness" cargo build --quiet --locked --manifest-path "$manifest" --bins

status=0
if [ "${1:-}" = attribute ] || [ "${1:-}" = awaited ] || [ "${1:-}" = expanded ] || [ "${1:-}" = real ]; then
    "$harness/release/compile-time" "$@" || status=$?
else
    "$harness/release/compile-time" --debug-harness "$harness/debug/compile-time" "$@" || status=$?
fi
echo "perf/compile-time.sh $*: $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s in all (harness builds included)" >&2
exit $status
