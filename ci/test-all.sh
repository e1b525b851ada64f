#!/usr/bin/env bash
# Every test of the project: the README's test command, and what CI runs.
# Installs the test-only tools it needs (npm packages pinned by lockfiles, PyPI
# packages pinned by requirements files); needs cargo, node/npm, python3/pip.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "install test tools"
npm ci --prefix tests/sim --no-audit --no-fund --loglevel=error
# Python test tools (parliament, check-jsonschema, pre-commit) live in one venv,
# first on PATH, so they cannot disturb the system Python.
venv=target/ci-venv
[ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/sim/requirements.txt -r ci/requirements-ci.txt
export PATH="$PWD/$venv/bin:$PATH"

step "format and lints"
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
# The library's API documentation: every public item documented (missing_docs
# in src/lib.rs), no broken or private intra-doc link.
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps -p dpol -p dpol-gen

step "cargo test (unit, golden, CLI, IAM evaluator, editor keywords, CI formats)"
# Tests that need node or parliament fail here when the tool is missing,
# instead of skipping as they do in a plain `cargo test` (tests/tools).
export DPOL_TEST_TOOLS=1
cargo test --release

step "reference model, a longer round: 6 more random programs of 10,000 requests each"
DPOL_REFMODEL_FIRST_SEED=1001 DPOL_REFMODEL_PROGRAMS=6 cargo test --quiet --release --test reference_model random_programs

step "dpol's evaluator against iam-simulate: 100,000 random requests"
DPOL_DIFF_REQUESTS=100000 cargo test --quiet --release --test eval_differential

step "dogfood: the examples build twice to identical output"
cargo run --quiet --release -- check examples
rm -rf target/ci-out-a target/ci-out-b
cargo run --quiet --release -- build examples -o target/ci-out-a
cargo run --quiet --release -- build examples -o target/ci-out-b
diff -r target/ci-out-a target/ci-out-b

step "benchmarks run (1k grants only) and the fuzz targets build and replay their seeds"
# `--test` runs each registered benchmark once; its table is shown only
# when something fails.
if ! DPOL_BENCH_MAX=1000 cargo bench --quiet --bench pipeline -- --test > target/bench-smoke.log 2>&1; then
    cat target/bench-smoke.log
    exit 1
fi
cargo fmt --manifest-path fuzz/Cargo.toml -- --check
cargo build --quiet --manifest-path fuzz/Cargo.toml --bin replay
fuzz/target/debug/replay grammar fuzz/seeds/grammar/* > /dev/null
fuzz/target/debug/replay bytes examples/*.dpol tests/ui/*/*.dpol > /dev/null
fuzz/target/debug/replay deployed tests/fixtures/deployed/*.json fuzz/seeds/deployed/* > /dev/null

for extra in editors/test.sh ci/check-ci-files.sh ci/test-pre-commit.sh ci/test-diff-roundtrip.sh; do
    if [ -f "$extra" ]; then
        step "$extra"
        bash "$extra"
    fi
done

step "all tests passed"
