#!/usr/bin/env bash
# Regenerates crates/core/data/license-corpus.z from ../shared/data/spdx-licenses (the SPDX
# License List data). Run from anywhere inside the repository.
set -euo pipefail
cd "$(dirname "$0")/../../.."
TRUSCA_UPDATE_LICENSE_CORPUS=1 cargo test -p trusca-core --lib licenses::corpus::tests::corpus_is_current -- --exact
ls -l crates/core/data/license-corpus.z
