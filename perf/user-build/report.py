"""The tables of perf/user-build.sh, from target/perf/user-build/ (runs.csv, timings/, trees/).

    python3 perf/user-build/report.py OUT SIDE...   (the first live-api side is the reference)
"""

import csv
import json
import re
import statistics
import sys
from pathlib import Path

OUT = Path(sys.argv[1])
SIDES = sys.argv[2:]
BY_HAND = "by-hand"
OWN = {"live-api", "live-api-macros", "live-api-codegen"}
# Must not be compiled for a default user (features "server", "emulator", "axum", "redis", the TLS
# stacks the README's Choices rule out, HTTP/2).
FORBIDDEN = ["axum", "redis", "h2", "native-tls", "openssl", "openssl-sys", "aws-lc-rs", "aws-lc-sys",
             "tracing-subscriber", "clap", "tower-http-server"]
FEATURES_OF = ["tokio", "reqwest", "hyper", "hyper-util", "serde_json", "serde", "syn", "tracing", "bytes"]


def runs():
    table = {}
    with open(OUT / "runs.csv") as f:
        for row in csv.DictReader(f):
            table.setdefault((row["side"], row["measure"]), []).append(row)
    return table


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def packages(path):
    """(name, version) of each line `name vX.Y.Z [(proc-macro)] [(path)]` of a cargo tree listing."""
    out = set()
    for line in Path(path).read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].startswith("v"):
            out.add((parts[0], parts[1][1:]))
    return out


def units(html):
    text = Path(html).read_text()
    m = re.search(r"const UNIT_DATA = (\[.*?\]);\s*\n", text, re.S)
    if not m:
        raise SystemExit(f"no UNIT_DATA in {html}")
    return json.loads(m.group(1))


def features(side):
    """Features of each package as `cargo tree -e features` lists them (every version together)."""
    found = {}
    for line in (OUT / "trees" / f"{side}.features").read_text().splitlines():
        m = re.search(r'([A-Za-z0-9_-]+) feature "([^"]+)"', line)
        if m:
            found.setdefault(m.group(1), set()).add(m.group(2))
    return found


def main():
    table = runs()
    measures = [m for m in ("cold", "incremental", "cold-release") if any((s, m) in table for s in SIDES)]
    print("## A user's build: live-api against the same three calls by hand\n")
    print("Median of the runs, seconds of wall clock (min–max in brackets); the ratio is each run's")
    print(f"side / by-hand of the same run, then the median. Load average (1, 5, 15 min) before each build.\n")
    print("| measure | " + " | ".join(SIDES) + " | " + " | ".join(f"{s} / by-hand" for s in SIDES if s != BY_HAND) + " | load (1 min) |")
    print("|---" * (1 + len(SIDES) + len(SIDES) - 1 + 1) + "|")
    for m in measures:
        cells, ratios, loads = [], [], []
        for s in SIDES:
            rows = table.get((s, m), [])
            xs = [float(r["seconds"]) for r in rows]
            loads += [float(r["load_before"].split()[0]) for r in rows]
            cells.append(f"{median(xs):.2f} ({min(xs):.2f}–{max(xs):.2f})" if xs else "–")
        base = {r["run"]: float(r["seconds"]) for r in table.get((BY_HAND, m), [])}
        for s in SIDES:
            if s == BY_HAND:
                continue
            rs = [float(r["seconds"]) / base[r["run"]] for r in table.get((s, m), []) if r["run"] in base]
            ratios.append(f"{median(rs):.2f}×" if rs else "–")
        load = f"{min(loads):.2f}–{max(loads):.2f}" if loads else "–"
        print(f"| {m} | " + " | ".join(cells) + " | " + " | ".join(ratios) + f" | {load} |")

    hand_pkgs = packages(OUT / "trees" / f"{BY_HAND}.packages")
    print("\n## live-api's share of the cold debug build (`cargo build --timings`)\n")
    print("Unit-seconds: the sum of the `--timings` durations of the build's units (each rustc or build")
    print("script run, from its start to its end; on 2 cores they overlap, so the sum is more than the")
    print("wall clock). The sets, by package name and version:\n")
    print("- **own**: the units of live-api, live-api-macros and live-api-codegen;")
    print("- **not in by-hand**: own, plus every package the by-hand crate does not compile at all;")
    print("- **only via live-api**: every package of the user's graph not reachable from its other")
    print("  dependency (tokio with the user's features): the whole client stack, reqwest and serde included;")
    print("- **wall, extra**: cold(live-api) − cold(by-hand) of the same run, over cold(live-api).\n")
    print("| side | run | total unit-s | own | not in by-hand | only via live-api | unit-s − by-hand's | wall, extra | live-api lib ends at |")
    print("|---|---|---|---|---|---|---|---|---|")
    hand_totals = {}
    for html in sorted((OUT / "timings").glob(f"{BY_HAND}-run*.html")):
        hand_totals[html.stem.split("-run")[-1]] = sum(u["duration"] for u in units(html))
    walls = {(r["side"], r["run"]): float(r["seconds"]) for rows in table.values() for r in rows if r["measure"] == "cold"}
    for s in SIDES:
        if s == BY_HAND:
            continue
        pkgs = packages(OUT / "trees" / f"{s}.packages")
        tokio = packages(OUT / "trees" / f"{s}.tokio-packages")
        only = {p for p in pkgs - tokio if p[0] != "user"}
        extra = {p for p in pkgs - hand_pkgs if p[0] != "user"}
        for html in sorted((OUT / "timings").glob(f"{s}-run*.html")):
            run = html.stem.split("-run")[-1]
            us = units(html)
            total = sum(u["duration"] for u in us)
            pick = lambda keep: sum(u["duration"] for u in us if keep((u["name"], u["version"])))
            own = pick(lambda p: p[0] in OWN)
            notin = pick(lambda p: p in extra)
            via = pick(lambda p: p in only)
            lib_end = max((u["start"] + u["duration"] for u in us if u["name"] == "live-api"), default=0)
            end = max(u["start"] + u["duration"] for u in us)
            diff = total - hand_totals[run] if run in hand_totals else float("nan")
            wall = walls.get((s, run)), walls.get((BY_HAND, run))
            wall_extra = f"{wall[0] - wall[1]:.1f} s ({(wall[0] - wall[1]) / wall[0]:.0%})" if None not in wall else "–"
            pc = lambda x: f"{x:.1f} ({x / total:.0%})"
            print(f"| {s} | {run} | {total:.1f} | {pc(own)} | {pc(notin)} | {pc(via)} | {diff:+.1f} | {wall_extra} | {lib_end:.1f} of {end:.1f} s |")
        print(f"\n{s}: packages the by-hand crate does not compile: "
              + ", ".join(f"{n} {v}" for n, v in sorted(extra)) + "\n")
        # The slowest units of live-api's own and of the extra packages, from the last run.
        last = sorted((OUT / "timings").glob(f"{s}-run*.html"))[-1]
        mine = sorted((u for u in units(last) if (u["name"], u["version"]) in extra), key=lambda u: -u["duration"])
        print(f"{s}, {last.stem}: " + ", ".join(f"{u['name']}{' ' + u['target'].strip() if u['target'].strip() else ''} {u['duration']:.1f} s" for u in mine) + "\n")

    print("## Duplicate versions (`cargo tree -e normal,build -d`) and features\n")
    for s in SIDES:
        dups = [l for l in (OUT / "trees" / f"{s}.duplicates").read_text().splitlines() if l and not l[0] in "│├└ "]
        print(f"- {s}: {', '.join(dups) if dups else 'none'}")
    print()
    for s in SIDES:
        f = features(s)
        pkgs = {n for n, _ in packages(OUT / "trees" / f"{s}.packages")}
        bad = [p for p in FORBIDDEN if p in pkgs]
        server = [x for x in ("hyper", "hyper-util") if "server" in f.get(x, set())]
        print(f"- {s}: compiled but must not be: {', '.join(bad + [x + '/server' for x in server]) or 'nothing'}; "
              + "; ".join(f"{p} [{', '.join(sorted(f.get(p, [])))}]" for p in FEATURES_OF if p in f))
    print()


main()
