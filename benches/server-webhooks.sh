#!/usr/bin/env bash
# Webhook and SLA figures: deliveries per second to a local receiver, the overdue listing and the
# breach check over 1,000 projects with 10 overdue findings each; on SQLite, and on PostgreSQL
# when BENCH_POSTGRES_URL (or TRUSCA_TEST_DATABASE_URL) names one. Prints figures.
#   BENCH_DELIVERIES=2000 BENCH_PROJECTS=1000 benches/server-webhooks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p trusca-server --bench webhooks --no-run
echo "== SQLite"
BENCH_DATABASE_URL= cargo bench -q -p trusca-server --bench webhooks
pg="${BENCH_POSTGRES_URL:-${TRUSCA_TEST_DATABASE_URL:-}}"
if [ -n "$pg" ]; then
  echo "== PostgreSQL"
  BENCH_DATABASE_URL="$pg" cargo bench -q -p trusca-server --bench webhooks
else
  echo "skipped: PostgreSQL (set BENCH_POSTGRES_URL)"
fi
