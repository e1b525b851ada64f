#!/usr/bin/env bash
# Tests the `dpol-check` pre-commit hook (.pre-commit-hooks.yaml) end to end:
# `pre-commit try-repo` against this repository, in a throwaway git repository
# holding a good and a bad .dpol file (one program) and a non-.dpol file: the
# hook must fail with the bad file's diagnostic and nothing else.
#
# try-repo installs a hook from a commit. Without --ref it takes HEAD plus the
# *tracked* files' uncommitted changes, never untracked files, so it would miss
# new files. This script therefore snapshots the working tree (tracked and
# untracked files, minus .gitignore'd ones) into a scratch repository, commits
# it there, and passes that commit with --ref. Nothing is committed to this
# repository.
#
# try-repo uses a fresh, temporary pre-commit store on every call, so each call
# runs `cargo install` (a release build): the script makes one call.
# CARGO_TARGET_DIR points at a scratch target directory kept between runs.
#
# Needs: pre-commit on PATH (or PRE_COMMIT=/path/to/pre-commit), git, cargo.
# Scratch space: $DPOL_PRE_COMMIT_WORK (default target/pre-commit).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${DPOL_PRE_COMMIT_WORK:-$root/target/pre-commit}
pre_commit=${PRE_COMMIT:-pre-commit}
export CARGO_TARGET_DIR=${DPOL_PRE_COMMIT_TARGET:-$work/cargo-target}
git_id=(-c user.name=dpol-ci -c user.email=dpol-ci@invalid -c commit.gpgsign=false)
export GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' GIT_COMMITTER_DATE='2000-01-01T00:00:00Z'

command -v "$pre_commit" >/dev/null || { echo "test-pre-commit: pre-commit not found" >&2; exit 1; }
start=$SECONDS

# 1. Snapshot of the working tree as a commit in a scratch repository.
snapshot=$work/snapshot
rm -rf "$snapshot"
mkdir -p "$snapshot"
git -C "$snapshot" init -q
(cd "$root" && git ls-files -z --cached --others --exclude-standard) |
    while IFS= read -r -d '' file; do
        if [ -f "$root/$file" ]; then
            mkdir -p "$snapshot/$(dirname "$file")"
            cp -p "$root/$file" "$snapshot/$file"
        fi
    done
git -C "$snapshot" add -A
git -C "$snapshot" "${git_id[@]}" commit -q -m "dpol working tree snapshot"
ref=$(git -C "$snapshot" rev-parse HEAD)
"$pre_commit" validate-manifest "$snapshot/.pre-commit-hooks.yaml"

# 2. A consumer repository with a good and a bad policy.
consumer=$work/consumer
rm -rf "$consumer"
mkdir -p "$consumer/policies"
cat > "$consumer/policies/good.dpol" <<'EOF'
account prod = 111122223333
region us-east-1
table Orders in prod { key id: number }
role App in prod
App reads Orders
EOF
# The files passed to the hook form one program: bad.dpol uses good.dpol's
# declarations, and misspells the table.
cat > "$consumer/policies/bad.dpol" <<'EOF'
App writes Orderz
EOF
echo "not a policy" > "$consumer/README.txt"
git -C "$consumer" init -q
git -C "$consumer" add -A

try() {
    (cd "$consumer" && "$pre_commit" try-repo "$snapshot" dpol-check --ref "$ref" --color never "$@")
}

# One try-repo call (each call is a release build of dpol): the good file,
# the bad file and a non-.dpol file together. The hook must fail with the
# bad file's diagnostic only: nothing about the good file, and README.txt
# filtered out by the hook's `files` pattern (dpol would report it).
t0=$SECONDS
rc=0
out=$(try --files policies/good.dpol policies/bad.dpol README.txt 2>&1) || rc=$?
failures=0
has() { grep -q "$1" <<<"$out"; }
lacks() { ! grep -q "$1" <<<"$out"; }
expect() {
    local name=$1
    shift
    if "$@"; then
        echo "ok: $name"
    else
        echo "FAILED: $name" >&2
        failures=$((failures + 1))
    fi
}
expect "the hook fails (exit $rc)" test "$rc" -ne 0
expect "with E0201" has "E0201"
expect "in bad.dpol" has "bad.dpol"
expect "and nothing about good.dpol" lacks "good.dpol"
expect "README.txt is not given to dpol" lacks "README.txt"
expect "dpol checked exactly two files" has "checked 2 files"

# Only bad.dpol changed: it is checked with its directory (good.dpol declares
# App), so the one error is the misspelt table.
rc=0
out=$(try --files policies/bad.dpol 2>&1) || rc=$?
expect "one changed file fails (exit $rc)" test "$rc" -ne 0
expect "with its directory as its program" has "checked 2 files"
expect "on Orderz" has "Orderz"
expect "and App is known" lacks "unknown principal"

# The dpol-fmt hook (the same build, from the shared target directory): it
# rewrites a messy file and fails, as formatters do under pre-commit; then
# passes on the formatted files.
printf 'role App in prod;App reads,writes Orders\n' > "$consumer/policies/messy.dpol"
git -C "$consumer" add -A
try_fmt() {
    (cd "$consumer" && "$pre_commit" try-repo "$snapshot" dpol-fmt --ref "$ref" --color never \
        --files policies/good.dpol policies/messy.dpol 2>&1)
}
rc=0
out=$(try_fmt) || rc=$?
expect "dpol-fmt fails when it rewrote a file (exit $rc)" test "$rc" -ne 0
expect "and says the files were modified" has "files were modified by this hook"
expect "messy.dpol is in the canonical layout" \
    test "$(cat "$consumer/policies/messy.dpol")" = $'role App in prod\nApp reads, writes Orders'
rc=0
out=$(try_fmt) || rc=$?
expect "dpol-fmt passes on formatted files (exit $rc)" test "$rc" -eq 0
if [ "$failures" -ne 0 ]; then
    echo "$out" >&2
fi
echo "test-pre-commit: $((SECONDS - start)) s (try-repo $((SECONDS - t0)) s)"
[ "$failures" -eq 0 ]
