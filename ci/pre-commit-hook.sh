#!/usr/bin/env bash
# The `dpol-check` and `dpol-fmt` pre-commit hooks (.pre-commit-hooks.yaml):
# `ci/pre-commit-hook.sh check|fmt FILE...`. pre-commit runs it from its clone
# of this repository at the configured `rev`: the first run builds dpol there
# with the crate versions Cargo.lock pins (`cargo install --locked`, which
# pre-commit's own Rust support cannot pass), later runs reuse that build.
# Then it checks the .dpol files pre-commit passes, as one program, or
# formats them in place.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
root=$repo/target/pre-commit-dpol
if [ ! -x "$root/bin/dpol" ]; then
    cargo install --locked --quiet --path "$repo" --bin dpol --root "$root" >&2
fi
command=${1:-}
case "$command" in
    check | fmt) shift ;;
    *) echo "usage: ci/pre-commit-hook.sh check|fmt FILE..." >&2; exit 2 ;;
esac
exec "$root/bin/dpol" "$command" "$@"
