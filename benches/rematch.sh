#!/usr/bin/env bash
# Re-match benchmark: 1,000 projects x 1,000 components stored in-process, a vulnerability
# database imported (shared/data/osv/all.zip when present, else fixtures/osv), then the re-match
# of every project timed twice; on SQLite, and on PostgreSQL when REMATCH_POSTGRES_URL (or
# TRUSCA_TEST_DATABASE_URL) names one. Prints figures.
#   REMATCH_PROJECTS=1000 REMATCH_COMPONENTS=1000 benches/rematch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p trusca-server --bench rematch --no-run
echo "== SQLite"
REMATCH_DATABASE_URL= cargo bench -q -p trusca-server --bench rematch
pg="${REMATCH_POSTGRES_URL:-${TRUSCA_TEST_DATABASE_URL:-}}"
if [ -n "$pg" ]; then
  echo "== PostgreSQL"
  REMATCH_DATABASE_URL="$pg" cargo bench -q -p trusca-server --bench rematch
else
  echo "skipped: PostgreSQL (set REMATCH_POSTGRES_URL)"
fi
