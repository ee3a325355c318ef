#!/usr/bin/env bash
# Web UI page times over a seeded SQLite database (100 projects of 1,000 components and 100
# findings by default). Prints figures.
#   UI_PROJECTS=100 UI_COMPONENTS=1000 UI_FINDINGS=100 benches/server-ui.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -q -p trusca-server --bench ui
