#!/usr/bin/env bash
# Headless test of editors/vim (ftdetect, ftplugin, syntax): opens test/sample.dpol in
# `vim -es` and checks the syntax group at every column its assertion lines point at.
# Exits non-zero on any wrong expectation.   Usage: editors/vim/test/run.sh [FILE.dpol]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sample=$(cd "$(dirname "${1:-$here/sample.dpol}")" && pwd)/$(basename "${1:-$here/sample.dpol}")
out=$(mktemp)
trap 'rm -f "$out"' EXIT

status=0
DPOL_VIM_TEST_OUT="$out" DPOL_VIM_SAMPLE="$sample" \
  vim -N -u NONE -U NONE -i NONE -n -es -S "$here/run.vim" </dev/null || status=$?
cat "$out"
if [ "$status" -ne 0 ]; then
  echo "vim syntax test FAILED (vim exit status $status)" >&2
  exit 1
fi
if ! grep -Eq '^vim syntax: [0-9]+ passed, 0 failed$' "$out"; then
  echo "vim syntax test FAILED: run.vim did not report a result" >&2
  exit 1
fi
