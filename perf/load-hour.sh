#!/usr/bin/env bash
# An hour of load on `live-api emulator` beside a bare hyper server (issue 16.4). Not part of CI.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: perf/load-hour.sh [MINUTES] [--interval SECONDS] [--baseline SECONDS] [--churn N] [--webhooks]

Builds `live-api` (live-api-cli) and the load driver `load_hour` (tests/src/bin/load_hour.rs) in
release, then runs, one after the other, each with 64 tasks sharing one live_api::Client (64
keep-alive HTTP/1.1 connections):

  1. baseline: a bare hyper 1.x server answering every call with a fixed OK envelope (60 s)
  2. emulator: `live-api emulator --no-rate-limits --quiet` for MINUTES minutes (default 60),
     with rooms created and destroyed as it goes (a mix of 17 endpoints, signed requests)
  3. baseline again (60 s)

--churn N adds N tasks (to every phase) that make each call over a new connection (a fresh
live_api::Client per call, dropped after it), so connections are opened and closed all along;
--webhooks (emulator only) starts a webhook receiver in the driver and points the app's
callbacks at it (set_callback, set_callback_token), so after-callbacks and the gift and message
before-callbacks are delivered during the load. Both are off by default.

Every interval (default 60 s) the driver writes one CSV line: calls/s, p50/p99/max latency,
failures by code, the server's VmRSS, its established connections, the connections the churn
tasks opened (and, from the kernel, those accepted and those in TIME_WAIT), the callbacks
received and the live rooms. Client
pacing and retries are off, and so are the emulator's quotas: the load measures the emulator,
not the limiters. Any failure that is not a documented ErrorCode is printed at once and fails the
run. The processes run under `nice -n 5` (the machine is shared).

Output, in target/load/: load-hour.csv (every row), load-hour.md (a header with the commit, the
date, nproc and the load average, then one table per phase), printed at the end.
EOF
}

minutes=60
interval=60
baseline=60
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --interval) interval="$2"; shift 2 ;;
        --baseline) baseline="$2"; shift 2 ;;
        --churn) extra+=(--churn "$2"); shift 2 ;;
        --webhooks) extra+=(--webhooks); shift ;;
        [0-9]*) minutes="$1"; shift ;;
        *) echo "unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done

cd "$(dirname "$0")/.."
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0
nice -n 5 cargo build --release -q -p live-api-cli -p live-api-tests --bin live-api --bin load_hour

out=target/load
mkdir -p "$out"
csv="$out/load-hour.csv"
table="$out/load-hour.md"
rm -f "$csv" "$table"
{
    echo "## Load: live-api emulator for $minutes min beside a bare hyper server"
    echo
    echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- live-api live-api-cli tests/src || echo ' (+ local changes)'),"\
         "$(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), load average at the start $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "\`perf/load-hour.sh $minutes --interval $interval --baseline $baseline${extra[*]:+ ${extra[*]}}\`: 64 tasks, one live_api::Client," \
         "signed requests, client pacing and retries off, \`live-api emulator --no-rate-limits --quiet\`," \
         "all under \`nice -n 5\`."
} > "$table"

drive() {
    nice -n 5 target/release/load_hour drive --server "$1" --seconds "$2" --interval "$3" \
        --live-api target/release/live-api --csv "$csv" --table "$table" ${extra[@]+"${extra[@]}"}
}

status=0
drive baseline "$baseline" "$(( baseline < interval ? baseline : interval ))" || status=1
drive emulator "$(( minutes * 60 ))" "$interval" || status=1
drive baseline "$baseline" "$(( baseline < interval ? baseline : interval ))" || status=1
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)" >> "$table"

cat "$table"
exit $status
