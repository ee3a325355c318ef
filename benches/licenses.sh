#!/usr/bin/env bash
# License detection benchmark.
#
# 1. Times trusca's license detection (walk, license-file identification, identifier-line search)
#    over a large real tree, by default every crate source in the local cargo registry: files/s,
#    MB/s, peak memory.
# 2. With SCANCODE set to a `scancode` binary (e.g. from `python3 -m venv /tmp/sc &&
#    /tmp/sc/bin/pip install scancode-toolkit 'pluggy<1.6'`), copies a sample of SAMPLE license
#    files (default 300) into a temporary directory, runs both tools on it, and reports the time
#    ratio and how many files both identify alike (same set of license ids, `-only`/`-or-later`/
#    `+` ignored; both finding nothing counts as agreement).
#
# usage: benches/licenses.sh [DIR]   env: SCANCODE, SAMPLE, WORK (default /tmp/trusca-license-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-$(ls -d "$HOME"/.cargo/registry/src/*/ | head -n1)}
work=${WORK:-/tmp/trusca-license-bench}
sample=${SAMPLE:-300}
mkdir -p "$work"
cargo build --release --quiet -p trusca-core --example license_scan
bin=target/release/examples/license_scan

echo "== trusca over $dir"
"$bin" "$dir" >/dev/null                     # warm the file cache
"$bin" "$dir" --list "$work/ours-all.json"

[ -n "${SCANCODE:-}" ] || { echo "SCANCODE not set: skipping the comparison"; exit 0; }

rm -rf "$work/sample" && mkdir -p "$work/sample"
python3 - "$dir" "$work" "$sample" <<'PY'
import json, os, shutil, sys
root, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(json.load(open(f"{work}/ours-all.json")))
step = max(len(files) / n, 1)
pick = [files[int(i * step)] for i in range(min(n, len(files)))]
for i, f in enumerate(pick):
    d = f"{work}/sample/{i:04d}"
    os.makedirs(d)
    shutil.copy(os.path.join(root, f), d)
PY

echo "== trusca over the sample"
start=$(date +%s.%N)
"$bin" "$work/sample" --list "$work/ours.json" >/dev/null
ours=$(echo "$(date +%s.%N) - $start" | bc)
echo "trusca: ${ours}s (process wall time, index build included)"

echo "== scancode over the sample"
start=$(date +%s.%N)
"$SCANCODE" --license --json-pp "$work/scancode.json" -n 2 "$work/sample" >/dev/null 2>&1
theirs=$(echo "$(date +%s.%N) - $start" | bc)
echo "scancode: ${theirs}s"
echo "ratio: $(echo "scale=1; $theirs / $ours" | bc)x"

python3 - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
ours = json.load(open(f"{work}/ours.json"))
sc = json.load(open(f"{work}/scancode.json"))

def ids(exprs):
    out = set()
    for e in exprs:
        for w in re.split(r"[\s()]+", e or ""):
            if not w or w in ("AND", "OR", "WITH"):
                continue
            w = re.sub(r"(-only|-or-later|\+)$", "", w)
            if w.startswith("LicenseRef-"):
                continue          # tool-specific references do not compare
            out.add(w)
    return out

theirs = {}
for f in sc["files"]:
    if f.get("type") != "file":
        continue
    rel = f["path"].split("/", 1)[1] if "/" in f["path"] else f["path"]
    theirs[rel] = ids([f.get("detected_license_expression_spdx")])
agree, differ = 0, []
for rel, lic in sorted(ours.items()):
    a, b = ids(lic), theirs.get(rel, set())
    if a == b:
        agree += 1
    else:
        differ.append((rel, sorted(a), sorted(b)))
print(f"agreement: {agree}/{len(ours)} files ({100 * agree / max(len(ours), 1):.1f}%)")
for rel, a, b in differ:
    print(f"  differ {rel}: trusca {a} scancode {b}")
PY
