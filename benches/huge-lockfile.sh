#!/usr/bin/env bash
# Huge-lockfile benchmark: generate one 200 MB requirements.txt (6.8 M lines, 5.1 M pinned
# requirements, deterministic) into a temporary directory, then scan it offline (a database path
# that does not exist, so nothing touches the network) and print peak memory and wall time, once
# writing JSON to /dev/null and once writing the table to a file.
# usage: benches/huge-lockfile.sh
#   env: BYTES (file size, default 209715200); TRUSCA_BIN (a binary to measure instead of building
#   this checkout's, e.g. an older one to compare with); CARGO_TARGET_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
bytes=${BYTES:-209715200}
if [ -n "${TRUSCA_BIN:-}" ]; then
  bin=$TRUSCA_BIN
else
  cargo build --release --quiet --bin trusca
  bin=${CARGO_TARGET_DIR:-$PWD/target}/release/trusca
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/tree"
python3 benches/gen_requirements.py "$work/tree/requirements.txt" --bytes "$bytes"
printf 'input: %s MiB, %s lines\n' "$(( $(stat -c %s "$work/tree/requirements.txt") >> 20 ))" \
  "$(wc -l <"$work/tree/requirements.txt")"

measure() { # label, then the output arguments
  local label=$1; shift
  local status=0
  /usr/bin/time -v "$bin" scan "$work/tree" "$@" --offline --db "$work/no-such.db" \
    --no-progress --quiet 2>"$work/time.txt" || status=$?
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  printf '%-6s peak RSS %6d MiB   wall %s   exit %d\n' "$label" "$((rss / 1024))" "$wall" "$status"
}

cat "$work/tree/requirements.txt" >/dev/null   # warm the file cache
measure json -f json -o /dev/null
measure table -f table -o "$work/table.txt"
