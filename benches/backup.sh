#!/usr/bin/env bash
# Backup and restore benchmark: 1,000 projects of 1,000 components stored in-process, then
# `trusca server backup` and `restore --confirm` timed, with the backup's size; on SQLite, and on
# PostgreSQL when BACKUP_POSTGRES_URL (or TRUSCA_TEST_DATABASE_URL) names one (needs pg_dump and
# pg_restore). Prints figures.
#   BACKUP_PROJECTS=1000 BACKUP_COMPONENTS=1000 benches/backup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p trusca-server --bench backup --no-run
echo "== SQLite"
BACKUP_DATABASE_URL= cargo bench -q -p trusca-server --bench backup
pg="${BACKUP_POSTGRES_URL:-${TRUSCA_TEST_DATABASE_URL:-}}"
if [ -n "$pg" ] && command -v pg_dump >/dev/null 2>&1; then
  echo "== PostgreSQL"
  BACKUP_DATABASE_URL="$pg" cargo bench -q -p trusca-server --bench backup
else
  echo "skipped: PostgreSQL (set BACKUP_POSTGRES_URL and install postgresql-client)"
fi
