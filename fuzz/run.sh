#!/bin/sh
# Runs one fuzz target under AFL++ for SECONDS (default 900):
#   fuzz/run.sh bytes|grammar|deployed [SECONDS]
# Findings land in fuzz/out/TARGET/default/crashes (and hangs); see
# fuzz/README.md for triage. Needs cargo-afl (`cargo install cargo-afl`).
set -e
cd "$(dirname "$0")"
target=$1
secs=${2:-900}
case "$target" in
  bytes|grammar) ;;
  deployed) ;;
  *) echo "usage: fuzz/run.sh bytes|grammar|deployed [SECONDS]" >&2; exit 2 ;;
esac
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
mkdir -p out
seeds="seeds/$target"
if [ "$target" = bytes ]; then
  # The bytes target starts from every example and UI test program, and a
  # small generated organization: copied here, not kept twice in git.
  seeds=out/seeds-bytes
  rm -rf "$seeds" && mkdir -p "$seeds"
  for f in ../examples/*.dpol ../tests/ui/*/*.dpol; do
    cp "$f" "$seeds/$(basename "$(dirname "$f")")-$(basename "$f")"
  done
  (cd .. && cargo run --release --quiet --bin dpol-gen -- --grants 30 --tables 3 --principals 5) > "$seeds/gen30.dpol"
fi
if [ "$target" = deployed ]; then
  # The captured AWS CLI outputs, and the hand-made seeds (duplicate keys,
  # deep nesting, wrong types, joins).
  seeds=out/seeds-deployed
  rm -rf "$seeds" && mkdir -p "$seeds"
  cp ../tests/fixtures/deployed/*.json seeds/deployed/* "$seeds/"
fi
set -- -i "$seeds" -o "out/$target" -V "$secs" -t 2000 -m none
[ "$target" = bytes ] && set -- "$@" -x dpol.dict
[ "$target" = deployed ] && set -- "$@" -x deployed.dict
cargo afl build --release
exec cargo afl fuzz "$@" "target/release/$target"
