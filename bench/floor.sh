#!/usr/bin/env bash
# How far `dpol build` is from its physical floor, writing its own output:
# in one run, alternately, the build of a generated program to a fresh
# directory on tmpfs and `cp -r` of that same output to another fresh one,
# RUNS times; prints each pair and the median ratio build / copy (issue 18's
# goal: at most 1.3). On demand, not in CI (no timed assertions).
#
#   bench/floor.sh                      # 100k and 10k grants, 7 runs each
#   SIZES=10000 RUNS=9 bench/floor.sh
#   DPOL=/path/to/other/dpol bench/floor.sh
#   SHM=/dev/shm (default): where the fresh directories go; it must be tmpfs
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
shm=${SHM:-/dev/shm}
runs=${RUNS:-7}
sizes=${SIZES:-"100000 10000"}
(cd "$root" && cargo build --release --quiet --bin dpol --bin dpol-gen)
dpol=${DPOL:-$root/target/release/dpol}
gen=$root/target/release/dpol-gen
[ "$(stat -f -c %T "$shm")" = tmpfs ] || { echo "$shm is not tmpfs" >&2; exit 2; }
work=$(mktemp -d "$shm/dpol-floor.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Microseconds that "$@" takes.
timed() {
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000 ))"
}

for n in $sizes; do
    src=$work/gen-$n.dpol
    "$gen" --grants "$n" > "$src"
    "$dpol" build "$src" -o "$work/reference" > /dev/null 2>&1
    files=$(find "$work/reference" -type f | wc -l)
    bytes=$(du -sb "$work/reference" | cut -f1)
    ratios=()
    echo "## $n grants: $files files, $((bytes / 1000000)) MB of output; load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "| run | build | cp -r | ratio |"
    echo "|---:|---:|---:|---:|"
    for i in $(seq 1 "$runs"); do
        rm -rf "$work/build" "$work/copy"
        build=$(timed "$dpol" build "$src" -o "$work/build")
        copy=$(timed cp -r "$work/reference" "$work/copy")
        ratio=$(python3 -c "print(f'{$build / $copy:.2f}')")
        ratios+=("$ratio")
        echo "| $i | $((build / 1000)) ms | $((copy / 1000)) ms | $ratio |"
    done
    rm -rf "$work/build" "$work/copy" "$work/reference"
    median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo
    echo "median ratio build / cp -r at $n grants: $median (goal <= 1.3); load after $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
done
