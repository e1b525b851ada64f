#!/usr/bin/env bash
# Runs every editor test; exits non-zero on the first failure. CI calls this.
#
#   VS Code    npm ci, TextMate grammar tests (unit, Markdown injection, snapshots,
#              coverage of examples/*.dpol), then `vsce package` -> vscode/dpol.vsix
#   Vim        headless `vim -es` syntax test
#   tree-sitter  the crate's `cargo test`: corpus, examples, highlight query and
#              assertions, parser.c generated from the current grammar.js
#
# Needs node + npm, vim and cargo (+ a C compiler); no tree-sitter CLI. When the CLI
# is on PATH (or in $TREE_SITTER), its `tree-sitter test` runs as well.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

step() {
  printf '\n==> %s\n' "$*"
}

step "vscode: npm ci"
(cd "$here/vscode" && npm ci --no-audit --no-fund --loglevel=error)

step "vscode: TextMate grammar tests"
(cd "$here/vscode" && npm test --silent)

step "vscode: vsce package"
(cd "$here/vscode" && npm run --silent package </dev/null)

step "vim: syntax test"
"$here/vim/test/run.sh"

step "tree-sitter: cargo test"
cargo test --locked --manifest-path "$here/tree-sitter-dpol/Cargo.toml"

ts=${TREE_SITTER:-$(command -v tree-sitter || true)}
if [ -n "$ts" ]; then
  step "tree-sitter: CLI test ($("$ts" --version))"
  (cd "$here/tree-sitter-dpol" && "$ts" test)
fi

step "editors: all tests passed"
