#!/usr/bin/env bash
# Scan benchmark: generate the synthetic monorepo (once) and time `trusca scan --format json`
# with a warm file cache; prints wall time per run, the median, and peak memory. Runs offline
# (inventory, licenses, policy), then, when ../shared/data/osv is present, again with a
# vulnerability database imported from it.
# usage: benches/scan.sh [RUNS]   (env BENCH_DIR to reuse a tree, default /tmp/trusca-bench-monorepo)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
dir=${BENCH_DIR:-/tmp/trusca-bench-monorepo}
[ -d "$dir" ] || python3 benches/gen_monorepo.py "$dir"
cargo build --release --quiet
bin=$PWD/target/release/trusca
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # label, then env assignments for the scan
  local label=$1; shift
  env "$@" "$bin" scan "$dir" --format json -o /dev/null --no-progress --quiet --fail-on none   # warm the cache
  local times=()
  for _ in $(seq 1 "$runs"); do
    local start end
    start=$(date +%s.%N)
    env "$@" "$bin" scan "$dir" --format json -o /dev/null --no-progress --quiet --fail-on none
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  echo "== $label"
  printf 'run %s s\n' "${times[@]}"
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median %.3f s over %d runs\n", a[int((NR+1)/2)], NR}'
  env "$@" /usr/bin/time -f 'peak RSS %M KiB' "$bin" scan "$dir" --format json -o /dev/null --no-progress --quiet --fail-on none 2>&1 | tail -n 1
}

measure "offline, no vulnerability database" TRUSCA_OFFLINE=1 TRUSCA_DB="$work/none.db"
"$bin" scan "$dir" --format json --no-progress --quiet --offline --db "$work/none.db" --fail-on none |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["packages"]), "packages from", len(d["files"]), "files")'

osv=../shared/data/osv
if [ -d "$osv" ]; then
  "$bin" db --db "$work/osv.db" import "$osv" >/dev/null
  measure "with the OSV database of $osv" TRUSCA_OFFLINE=1 TRUSCA_DB="$work/osv.db"
else
  echo "skipped: $osv is not present, no run with a vulnerability database"
fi
