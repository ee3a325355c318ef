#!/usr/bin/env bash
# Vulnerability-database benchmark: time `trusca db import` of all of ../shared/data/osv, the
# time to open the database, 20,000 lookups, and the file size against the zipped input.
# usage: benches/db.sh [OSV_DIR]   (default: ../shared/data/osv)
set -euo pipefail
cd "$(dirname "$0")/.."
osv=${1:-../shared/data/osv}
[ -f "$osv/ecosystems.txt" ] || { echo "skipped: $osv is not present"; exit 0; }
cargo build --release --quiet
cargo build --release --quiet -p trusca-core --example db_open
bin=target/release/trusca
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/osv.db"

start=$(date +%s.%N)
/usr/bin/time -f 'import peak RSS %M KiB' "$bin" db import "$osv" --db "$db" --no-progress >"$work/report.txt" 2>"$work/time.txt"
end=$(date +%s.%N)
printf 'import: %.2f s\n' "$(echo "$end - $start" | bc)"
tail -n 1 "$work/time.txt"
head -n 1 "$work/report.txt"

target/release/examples/db_open "$db" 20

start=$(date +%s.%N)
"$bin" db status --db "$db" --format json >/dev/null
end=$(date +%s.%N)
printf 'db status (whole process): %.1f ms\n' "$(echo "($end - $start) * 1000" | bc)"

size=$(stat -c %s "$db")
zipped=0
while read -r eco; do
  [ -n "$eco" ] && [ -f "$osv/$eco/all.zip" ] && zipped=$((zipped + $(stat -c %s "$osv/$eco/all.zip")))
done <"$osv/ecosystems.txt"
all=$(stat -c %s "$osv/all.zip" 2>/dev/null || echo 0)
echo "size: database $size bytes; per-ecosystem zips $zipped bytes (ratio $(echo "scale=2; $size / $zipped" | bc)); all.zip $all bytes (ratio $(echo "scale=2; $size / $all" | bc))"
