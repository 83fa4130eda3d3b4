#!/usr/bin/env bash
# What a user's build pays for live-api (issue 16.2, docs/performance.md "A user's build").
#
#   perf/user-build.sh [--baseline REV] [--release-runs K] [RUNS]     (default RUNS 3, K 1)
#
# Packs live-api, live-api-macros and live-api-codegen with `cargo package` (as crates.io would
# get them; tests/tests/package.rs does the same) and writes, in target/perf/user-build/, fresh
# crates with their own [workspace] table, Cargo.lock and target directory:
#
#   live-api   perf/user-build/live-api/main.rs: `live-api = "=x.y.z"` (default features, patched
#              to the unpacked package, never to the workspace's sources) and tokio, three calls
#              (create_room, get_room_info, destroy_room), UserSig signed by the client
#   by-hand    perf/user-build/by-hand/main.rs: the same three calls with reqwest (the same
#              features as live-api's: rustls + ring, no HTTP/2), serde, serde_json and tokio,
#              hand-written structs and envelope, and the UserSig signed with hmac, sha2, base64
#              and flate2 (what a hand-written client needs to sign from the secret key)
#   live-api@REV   with --baseline REV: live-api's side again, packed from `git archive REV`
#              (before/after a change in the same run)
#
# Every side starts from the workspace's Cargo.lock (the baseline's from its own), so the shared
# dependencies resolve to the same versions. Builds use cargo's default profiles (debug info on,
# as a user gets them): CARGO_PROFILE_*, CARGO_INCREMENTAL and RUSTFLAGS are cleared. Cargo treats a
# patched path package as local (incremental compilation on, unlike a registry package), so the
# live-api packages get `incremental = false` from --config, as they would from crates.io.
#
# Each of the RUNS runs alternates the order of the sides and measures, per side:
#   cold         `cargo build` with an empty target directory (dependencies included), --timings
#   incremental  `cargo build` after editing one line of the user's main.rs
# then K cold `cargo build --release` per side. Afterwards: `cargo tree -d` and
# `cargo tree -e features` of each live-api side, and live-api's share of the cold build from
# the --timings unit times (defined in the results).
#
# Writes target/perf/user-build/results.md (also printed) and runs.csv; the timing pages are in
# target/perf/user-build/timings/, the trees in target/perf/user-build/trees/.
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/target/perf/user-build"
baseline="" release_runs=1 runs=3
while [ $# -gt 0 ]; do
    case "$1" in
        --baseline) baseline="$2"; shift 2 ;;
        --release-runs) release_runs="$2"; shift 2 ;;
        [0-9]*) runs="$1"; shift ;;
        *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
started=$(date +%s)
unset CARGO_PROFILE_DEV_DEBUG CARGO_PROFILE_TEST_DEBUG CARGO_PROFILE_RELEASE_DEBUG CARGO_INCREMENTAL \
    RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_RUSTFLAGS CARGO_TARGET_DIR
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)
published=(live-api-codegen live-api-macros live-api)
mkdir -p "$out/timings" "$out/trees"

# pack SRC NAME: `cargo package` of the three crates of the workspace at SRC, unpacked into
# $out/crates/NAME.
pack() {
    local src="$1" name="$2" dest="$out/crates/$2" args=()
    for p in "${published[@]}"; do args+=(-p "$p"); done
    (cd "$src" && cargo package --quiet --no-verify --allow-dirty --offline --target-dir "$out/package/$name" "${args[@]}")
    rm -rf "$dest" && mkdir -p "$dest"
    for p in "${published[@]}"; do tar -xzf "$out/package/$name/package/$p-$version.crate" -C "$dest"; done
}

# side DIR LOCK MAIN MANIFEST-DEPENDENCIES [PACKAGES]: a fresh user crate in $out/DIR.
side() {
    local dir="$out/$1" lock="$2" main="$3" deps="$4" crates="${5:-}"
    rm -rf "$dir" && mkdir -p "$dir/src"
    cp "$main" "$dir/src/main.rs"
    cp "$lock" "$dir/Cargo.lock"
    {
        printf '[package]\nname = "user"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n[workspace]\n\n'
        printf '[dependencies]\n%s\n' "$deps"
        if [ -n "$crates" ]; then
            printf '\n[patch.crates-io]\n'
            for p in "${published[@]}"; do printf '%s = { path = "%s/%s-%s" }\n' "$p" "$crates" "$p" "$version"; done
        fi
    } >"$dir/Cargo.toml"
}

tokio_dep='tokio = { version = "1", features = ["rt-multi-thread", "macros"] }'
pack "$root" current
side live-api "$root/Cargo.lock" "$root/perf/user-build/live-api/main.rs" \
    "live-api = \"=$version\"
$tokio_dep" "$out/crates/current"
side by-hand "$root/Cargo.lock" "$root/perf/user-build/by-hand/main.rs" \
    "reqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\"] }
serde = { version = \"1\", features = [\"derive\"] }
serde_json = \"1\"
$tokio_dep
hmac = \"0.12\"
sha2 = \"0.10\"
base64 = \"0.22\"
flate2 = \"1\""
sides=(live-api by-hand)
if [ -n "$baseline" ]; then
    src="$out/src-baseline"
    rm -rf "$src" && mkdir -p "$src"
    git -C "$root" archive "$baseline" | tar -x -C "$src"
    pack "$src" baseline
    side "live-api@$baseline" "$src/Cargo.lock" "$root/perf/user-build/live-api/main.rs" \
        "live-api = \"=$version\"
$tokio_dep" "$out/crates/baseline"
    sides=(live-api "live-api@$baseline" by-hand)
fi

local_incremental=()
for p in "${published[@]}"; do local_incremental+=(--config "profile.dev.package.$p.incremental=false"); done
load() { cut -d' ' -f1-3 /proc/loadavg; }
# build SIDE MEASURE RUN ARGS...: times one `cargo build` of SIDE, appends a line to runs.csv.
build() {
    local s="$1" measure="$2" run="$3"; shift 3
    local before t0 t1
    before=$(load)
    t0=$(date +%s.%N)
    if ! (cd "$out/$s" && cargo build --quiet --offline "${local_incremental[@]}" "$@" 2>"$out/$s/build.log"); then
        cat "$out/$s/build.log" >&2
        exit 1
    fi
    t1=$(date +%s.%N)
    echo "$s,$measure,$run,$(echo "$t1 - $t0" | bc),$before,$(load)" >>"$out/runs.csv"
    printf '  %-16s %-12s run %d: %6.2f s   (load %s)\n' "$s" "$measure" "$run" "$(echo "$t1 - $t0" | bc)" "$before" >&2
}

echo "side,measure,run,seconds,load_before,load_after" >"$out/runs.csv"
n=${#sides[@]}
for ((run = 1; run <= runs; run++)); do
    for ((i = 0; i < n; i++)); do
        s="${sides[$(((i + run - 1) % n))]}"
        rm -rf "$out/$s/target"
        build "$s" cold "$run" --timings
        cp "$out/$s/target/cargo-timings/cargo-timing.html" "$out/timings/$s-run$run.html"
        sed -i "s/Friday show [0-9]*/Friday show $run/" "$out/$s/src/main.rs"
        build "$s" incremental "$run"
    done
done
for ((run = 1; run <= release_runs; run++)); do
    for ((i = 0; i < n; i++)); do
        s="${sides[$(((i + run - 1) % n))]}"
        rm -rf "$out/$s/target/release"
        build "$s" cold-release "$run" --release
    done
done

for s in "${sides[@]}"; do
    (
        cd "$out/$s"
        cargo tree --offline -e normal,build --prefix none | sed 's/ (\*)$//' | sort -u >"$out/trees/$s.packages"
        cargo tree --offline -e normal,build --prefix none -p tokio | sed 's/ (\*)$//' | sort -u >"$out/trees/$s.tokio-packages"
        cargo tree --offline -e normal,build -d >"$out/trees/$s.duplicates" 2>&1
        cargo tree --offline -e features >"$out/trees/$s.features"
    )
done
python3 "$root/perf/user-build/report.py" "$out" "${sides[@]}" | tee "$out/results.md"
echo "perf/user-build.sh: $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s in all" >&2
