#!/usr/bin/env bash
# Tests the `dpol-check` pre-commit hook (.pre-commit-hooks.yaml) end to end:
# `pre-commit try-repo` against this repository, in a throwaway git repository
# holding one good and one bad .dpol file; the good file must pass and the bad
# one must fail with dpol's diagnostic.
#
# try-repo installs a hook from a commit. Without --ref it takes HEAD plus the
# *tracked* files' uncommitted changes, never untracked files, so it would miss
# new files. This script therefore snapshots the working tree (tracked and
# untracked files, minus .gitignore'd ones) into a scratch repository, commits
# it there, and passes that commit with --ref. Nothing is committed to this
# repository.
#
# try-repo uses a fresh, temporary pre-commit store on every call, so each call
# runs `cargo install` (a release build) again. CARGO_TARGET_DIR is pointed at
# a scratch target directory shared by the calls, so only the first one builds
# the dependencies.
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
cat > "$consumer/policies/bad.dpol" <<'EOF'
account prod = 111122223333
region us-east-1
table Orders in prod { key id: number }
role App in prod
App reads Orderz
EOF
echo "not a policy" > "$consumer/README.txt"
git -C "$consumer" init -q
git -C "$consumer" add -A

try() {
    (cd "$consumer" && "$pre_commit" try-repo "$snapshot" dpol-check --ref "$ref" --color never "$@")
}

failures=0
passed=0
expect() {
    local want=$1 name=$2; shift 2
    local out rc=0 t0=$SECONDS
    out=$(try "$@" 2>&1) || rc=$?
    if { [ "$want" = pass ] && [ "$rc" -eq 0 ]; } ||
       { [ "$want" = fail ] && [ "$rc" -ne 0 ] && grep -q 'E0201' <<<"$out"; }; then
        echo "ok: $name ($want, exit $rc, $((SECONDS - t0)) s)"
        passed=$((passed + 1))
    else
        echo "FAILED: $name: wanted $want, got exit $rc" >&2
        echo "$out" >&2
        failures=$((failures + 1))
    fi
}

expect pass "good file passes" --files policies/good.dpol README.txt
expect fail "bad file fails" --files policies/bad.dpol

echo "test-pre-commit: $((SECONDS - start)) s"
echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
