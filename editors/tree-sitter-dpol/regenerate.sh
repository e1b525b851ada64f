#!/usr/bin/env bash
# Regenerates src/ (parser.c, grammar.json, node-types.json, tree_sitter/*.h) from
# grammar.js with the tree-sitter CLI, records the hash that the crate's tests check,
# and runs the CLI's and the crate's tests. Commit everything under src/ afterwards.
#
# Needs the CLI (`cargo install --locked tree-sitter-cli --version 0.27.1`, ~9 min on
# 2 cores; the npm package does not install offline). Set TREE_SITTER=/path/to/it
# if it is not on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ts=${TREE_SITTER:-tree-sitter}
"$ts" --version
"$ts" generate --abi 14  # ABI 14: Neovim 0.9 and 0.10 load no newer parsers
DPOL_TS_RECORD_HASH=1 cargo test --quiet --test grammar parser_was_generated_from_this_grammar_js
"$ts" test
cargo test --quiet
