#!/usr/bin/env bash
# The `dpol-check` pre-commit hook (.pre-commit-hooks.yaml). pre-commit runs it
# from its clone of this repository at the configured `rev`: the first run
# builds dpol there with the crate versions Cargo.lock pins (`cargo install
# --locked`, which pre-commit's own Rust support cannot pass), later runs reuse
# that build. Then it checks the .dpol files pre-commit passes, as one program.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
root=$repo/target/pre-commit-dpol
if [ ! -x "$root/bin/dpol" ]; then
    cargo install --locked --quiet --path "$repo" --bin dpol --root "$root" >&2
fi
exec "$root/bin/dpol" check "$@"
