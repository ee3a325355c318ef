#!/usr/bin/env bash
# Scan benchmark: generate the synthetic monorepo (once) and time `trusca scan --format json`
# with a warm file cache; prints wall time per run, the median, and peak memory.
# usage: benches/scan.sh [RUNS]   (env BENCH_DIR to reuse a tree, default /tmp/trusca-bench-monorepo)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
dir=${BENCH_DIR:-/tmp/trusca-bench-monorepo}
[ -d "$dir" ] || python3 benches/gen_monorepo.py "$dir"
cargo build --release --quiet
bin=target/release/trusca
"$bin" scan "$dir" --format json -o /dev/null --no-progress   # warm the cache
times=()
for _ in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  "$bin" scan "$dir" --format json -o /dev/null --no-progress
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
done
printf 'run %s s\n' "${times[@]}"
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median %.3f s over %d runs\n", a[int((NR+1)/2)], NR}'
/usr/bin/time -f 'peak RSS %M KiB' "$bin" scan "$dir" --format json -o /dev/null --no-progress 2>&1 | tail -n 1
"$bin" scan "$dir" --format json --no-progress | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["packages"]), "packages from", len(d["files"]), "files")'
