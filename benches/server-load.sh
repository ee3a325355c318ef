#!/usr/bin/env bash
# Server load benchmark: uploads of 1,000-component scans with N concurrent clients, then the
# portfolio queries with 1,000 projects stored; on SQLite, and on PostgreSQL when
# LOAD_POSTGRES_URL (or TRUSCA_TEST_DATABASE_URL) names one. Prints figures.
#   LOAD_CLIENTS=8 LOAD_UPLOADS=2000 benches/server-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p trusca-server --bench load --no-run
echo "== SQLite"
LOAD_DATABASE_URL= cargo bench -q -p trusca-server --bench load
pg="${LOAD_POSTGRES_URL:-${TRUSCA_TEST_DATABASE_URL:-}}"
if [ -n "$pg" ]; then
  echo "== PostgreSQL"
  LOAD_DATABASE_URL="$pg" cargo bench -q -p trusca-server --bench load
else
  echo "skipped: PostgreSQL (set LOAD_POSTGRES_URL)"
fi
