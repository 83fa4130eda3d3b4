#!/usr/bin/env bash
# Fuzzes the targets of fuzz/ (see src/lib.rs) with cargo-fuzz (libFuzzer) on the stable
# toolchain, and prints the executions, speed and crashes of each.
#
#   fuzz/run.sh TARGET|all SECONDS [-- LIBFUZZER_FLAGS...]
#
# TARGET: spec, answer, usersig, webhook, gateway, or all (one after the other, SECONDS each).
# Environment: SANITIZER (default address; `none` builds without one), JOBS (libFuzzer -fork=N
# workers per target, default 1: in-process). Needs `cargo install cargo-fuzz`; the nightly flags
# cargo-fuzz passes are allowed on stable with RUSTC_BOOTSTRAP=1, set here.
#
# New inputs go to fuzz/target/work/TARGET (scratch: ignored by git and by the tests' copies of the
# workspace), with the run's log beside it; the committed seeds in
# fuzz/corpus/TARGET are only read. A crash is written to fuzz/artifacts/TARGET/; minimise it
# (`cargo fuzz tmin TARGET FILE`), fix it, and commit the minimised input to fuzz/corpus/TARGET/
# so that `cargo test -p live-api-tests --test fuzz_corpora` replays it.
set -euo pipefail
cd "$(dirname "$0")"

TARGETS=(spec answer usersig webhook gateway)
target=${1:?usage: fuzz/run.sh TARGET|all SECONDS [-- LIBFUZZER_FLAGS...]}
seconds=${2:?usage: fuzz/run.sh TARGET|all SECONDS [-- LIBFUZZER_FLAGS...]}
shift 2
[[ ${1:-} == "--" ]] && shift
extra=("$@")
sanitizer=${SANITIZER:-address}
jobs=${JOBS:-1}

if [[ $target == all ]]; then
    list=("${TARGETS[@]}")
else
    [[ " ${TARGETS[*]} " == *" $target "* ]] || { echo "unknown target $target (one of: ${TARGETS[*]}, all)" >&2; exit 2; }
    list=("$target")
fi
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2; exit 2; }

export RUSTC_BOOTSTRAP=1
# cargo-fuzz's default build: optimised, with debug assertions and overflow checks (so that an
# arithmetic overflow is a crash too).
build=(-s "$sanitizer")
# (every target when given none)
if [[ $target == all ]]; then cargo fuzz build "${build[@]}"; else cargo fuzz build "${build[@]}" "$target"; fi 2>&1 | tail -n 1

summary=()
failed=0
for t in "${list[@]}"; do
    mkdir -p "target/work/$t" "artifacts/$t"
    log="target/work/$t.log"
    before=$(find "artifacts/$t" -type f | wc -l)
    fork=()
    [[ $jobs -gt 1 ]] && fork=(-fork="$jobs" -ignore_crashes=1)
    set +e
    cargo fuzz run "${build[@]}" "$t" "target/work/$t" "corpus/$t" -- \
        -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="artifacts/$t/" "${fork[@]}" "${extra[@]}" >"$log" 2>&1
    status=$?
    set -e
    after=$(find "artifacts/$t" -type f | wc -l)
    crashes=$((after - before))
    # In-process runs end with libFuzzer's final stats; fork mode and crashed runs with a
    # status line "#N ... exec/s: R".
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)
    [[ -n $execs ]] || execs=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#' || true)
    rate=$(grep -o 'stat::average_exec_per_sec: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)
    [[ -n $rate ]] || rate=$(grep -o 'exec/s: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)
    [[ $crashes -eq 0 && $status -ne 0 ]] && crashes="? (libFuzzer exit $status, see fuzz/$log)"
    [[ $crashes != 0 ]] && failed=1
    line=$(printf '%-8s %6ss  executions %10s  exec/s %7s  crashes %s' "$t" "$seconds" "${execs:-?}" "${rate:-?}" "$crashes")
    echo "$line"
    summary+=("$line")
done
echo
echo "sanitizer: $sanitizer"
printf '%s\n' "${summary[@]}"
exit "$failed"
