#!/usr/bin/env bash
# End-to-end timings of the `dpol` binary at 1k, 10k and 100k grants: hyperfine
# for time, /usr/bin/time -v for peak memory. On demand, not in CI.
#
#   bench/scale.sh                      # target/release/dpol, 3 sizes
#   DPOL=/path/to/other/dpol bench/scale.sh   # compare another build
#   SIZES="1000 10000" bench/scale.sh
#   OUT=/dev/shm/dpol-bench bench/scale.sh    # write the builds to tmpfs (BENCHMARKS.md)
#   RUNS=10 RUNS_BIG=5 (defaults): hyperfine runs per size, 100k and above
#
# Then each pathological shape of dpol-gen at SHAPE_N and 10x (SHAPES="" skips them).
# Inputs come from dpol-gen (seed 1, default proportions) into $WORK; build
# outputs go to $OUT (default: $WORK/out, on the same disk). Prints a
# Markdown table; hyperfine's JSON exports stay in $WORK.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/dpol-scale}
out=${OUT:-$work/out}
sizes=${SIZES:-"1000 10000 100000"}
mkdir -p "$work" "$out"

(cd "$root" && cargo build --release --quiet --bin dpol --bin dpol-gen)
dpol=${DPOL:-$root/target/release/dpol}
gen="$root/target/release/dpol-gen"

command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is not installed (apt-get install time)" >&2; exit 2; }

median() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['median'])" "$1"; }

echo "| grants | source | dpol check | MB/s | dpol build | docs/s | peak RSS (build) |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
  src="$work/gen-$n.dpol"
  [ -s "$src" ] || "$gen" --grants "$n" > "$src"
  bytes=$(wc -c < "$src")
  runs=${RUNS:-10}
  [ "$n" -ge 100000 ] && runs=${RUNS_BIG:-5}
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/check-$n.json" \
    "$dpol check $src" > /dev/null
  # Each build writes a fresh output directory, as in CI (a fresh clone);
  # replacing an existing one also deletes the old files (see BENCHMARKS.md).
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/build-$n.json" \
    --prepare "rm -rf $out/build-$n" "$dpol build $src -o $out/build-$n" > /dev/null
  docs=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['documents']))" "$out/build-$n/manifest.json")
  rss=$( (/usr/bin/time -v "$dpol" build "$src" -o "$out/build-$n" 2>&1 >/dev/null) | awk '/Maximum resident/ {print $6}')
  check=$(median "$work/check-$n.json")
  build=$(median "$work/build-$n.json")
  python3 - "$n" "$bytes" "$check" "$build" "$docs" "$rss" <<'PY'
import sys
n, size, check, build, docs, rss = sys.argv[1:]
size, check, build, docs, rss = int(size), float(check), float(build), int(docs), int(rss)
print(f"| {int(n):,} | {size/1e6:.2f} MB | {check*1000:.0f} ms | {size/1e6/check:.1f} | "
      f"{build*1000:.0f} ms | {docs/build:,.0f} | {rss/1024:.0f} MB |")
PY
done

# Pathological shapes (dpol-gen --shape): `dpol check` at N and 10N, and the
# ratio of their times, which stays near 10 when the check is linear.
#   SHAPES="duplicates one-table" SHAPE_N=10000 bench/scale.sh
shapes=${SHAPES-"duplicates one-principal one-table big-key-set deep-continuation"}
if [ -n "$shapes" ]; then
  small=${SHAPE_N:-10000}
  big=$((small * 10))
  echo
  echo "| shape | N | check at N | check at 10N | ratio | peak RSS at 10N |"
  echo "|---|---:|---:|---:|---:|---:|"
  for shape in $shapes; do
    for n in "$small" "$big"; do
      src="$work/shape-$shape-$n.dpol"
      [ -s "$src" ] || "$gen" --shape "$shape" --grants "$n" > "$src"
      hyperfine -N -i --warmup 1 --runs "${RUNS:-10}" --export-json "$work/shape-$shape-$n.json" \
        "$dpol check $src" > /dev/null
    done
    rss=$( (/usr/bin/time -v "$dpol" check "$work/shape-$shape-$big.dpol" 2>&1 >/dev/null) | awk '/Maximum resident/ {print $6}')
    python3 - "$shape" "$small" "$(median "$work/shape-$shape-$small.json")" "$(median "$work/shape-$shape-$big.json")" "$rss" <<'PY'
import sys
shape, n, a, b, rss = sys.argv[1:]
a, b = float(a), float(b)
print(f"| {shape} | {int(n):,} | {a*1000:.0f} ms | {b*1000:.0f} ms | {b/a:.1f} | {int(rss)/1024:.0f} MB |")
PY
  done
fi
