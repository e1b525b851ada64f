#!/usr/bin/env bash
# The `dpol diff` round trip against a local moto server (docs/diff.md, "The
# moto round trip"):
#
#   1. start moto_server on 127.0.0.1 (a free port), stopped by its PID on exit;
#   2. create the organization, an OU, accounts, a VPC and a DynamoDB gateway
#      endpoint, and write a dpol program that uses moto's generated ids;
#   3. `dpol build` it and deploy every document of the manifest with awscli;
#   4. dump what is deployed with the same CLI commands as the fixtures
#      (shared/fixtures/deployed/README.md) into a DEPLOYED directory;
#   5. `dpol diff PROGRAM --against DEPLOYED` must report no change (exit 0);
#      after one grant is widened it must report exactly that change (exit 2):
#      one changed identity document, every other one unchanged.
#
# The AWS calls are in ci/moto_roundtrip.py (awscli through subprocess).
# Needs: python3 with pip, cargo. Installs moto and awscli pinned in
# ci/requirements-roundtrip.txt (the versions the fixtures were captured with).
# DPOL_ROUNDTRIP_KEEP=1 keeps the scratch directory (program, out, deployed,
# diff outputs) for inspection; DPOL_ROUNDTRIP_DUMP_ONLY=1 stops after step 4
# and keeps it (a real DEPLOYED directory to try the reader on).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
helper=(python3 "$root/ci/moto_roundtrip.py")
t0=$EPOCHREALTIME
phase_start=$t0
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
phase() {
    printf 'test-diff-roundtrip: %-36s %5ss\n' "$1" "$(since "$phase_start")"
    phase_start=$EPOCHREALTIME
}
moto_log=
fail() {
    if [ -n "$moto_log" ] && [ -s "$moto_log" ]; then
        echo "test-diff-roundtrip: the last requests moto logged:" >&2
        tail -n 15 "$moto_log" | sed 's/^/    moto: /' >&2
    fi
    echo "test-diff-roundtrip: FAILED: $*" >&2
    exit 1
}

PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check -r "$root/ci/requirements-roundtrip.txt" ||
    fail "pip install -r ci/requirements-roundtrip.txt"
command -v moto_server >/dev/null || fail "moto_server not on PATH after pip install"
command -v aws >/dev/null || fail "aws not on PATH after pip install"
phase "pip install"

(cd "$root" && cargo build --quiet --release) || fail "cargo build --release"
target=${CARGO_TARGET_DIR:-target}
[[ $target == /* ]] || target=$root/$target
dpol=$target/release/dpol
dump_only=${DPOL_ROUNDTRIP_DUMP_ONLY:-}
if [ "$dump_only" = 1 ]; then
    export DPOL_ROUNDTRIP_KEEP=1
else
    "$dpol" diff --help >/dev/null 2>&1 || fail "$dpol has no \`diff\` subcommand"
fi
phase "cargo build --release"

work=$(mktemp -d "${TMPDIR:-/tmp}/dpol-roundtrip.XXXXXX")
moto_pid=
running() { # running PID: the process exists and has not exited (a zombie has)
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}
stop_moto() { # TERM, up to 5 s to exit, then KILL; only ever this PID
    local tries=50
    kill "$1" 2>/dev/null || return 0
    while [ "$tries" -gt 0 ] && running "$1"; do
        sleep 0.1
        tries=$((tries - 1))
    done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
cleanup() {
    local status=$?
    [ -z "$moto_pid" ] || stop_moto "$moto_pid"
    if [ "${DPOL_ROUNDTRIP_KEEP:-}" = 1 ]; then
        echo "test-diff-roundtrip: kept $work" >&2
    else
        rm -rf "$work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing \
    AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_ENDPOINT_URL

# 1. moto, on loopback only. A port taken between free-port and the bind makes
#    moto exit: try again with another port.
for attempt in 1 2 3; do
    port=$("${helper[@]}" free-port)
    endpoint=http://127.0.0.1:$port
    moto_server -H 127.0.0.1 -p "$port" >"$work/moto-$attempt.log" 2>&1 &
    moto_pid=$!
    if "${helper[@]}" wait --endpoint "$endpoint" --pid "$moto_pid"; then
        break
    fi
    stop_moto "$moto_pid"
    moto_pid=
    sed 's/^/    moto: /' "$work/moto-$attempt.log" >&2
done
[ -n "$moto_pid" ] || fail "moto_server did not start"
moto_log=$work/moto-$attempt.log
phase "moto_server up (pid $moto_pid)"

# 2. Generated ids, then the program that uses them.
state=$work/state.json
program=$work/program
"${helper[@]}" setup --endpoint "$endpoint" --state "$state" --program "$program" ||
    fail "setting up the organization, VPC and endpoint in moto"
phase "create org, OU, accounts, VPC, vpce"

# 3. Build and deploy.
"$dpol" build "$program" -o "$work/out" >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2
    fail "dpol build of the round-trip program"
}
"${helper[@]}" deploy --endpoint "$endpoint" --state "$state" --out "$work/out" ||
    fail "deploying $work/out with awscli"
phase "dpol build + deploy"

# 4. Dump.
deployed=$work/deployed
"${helper[@]}" dump --endpoint "$endpoint" --state "$state" --deployed "$deployed" ||
    fail "dumping the deployed policies with awscli"
phase "dump"
moto_log= # moto's requests no longer explain a failure
if [ "$dump_only" = 1 ]; then
    echo "test-diff-roundtrip: DPOL_ROUNDTRIP_DUMP_ONLY=1: stopping after the dump ($deployed)"
    exit 0
fi

# 5. Diff: no change, then exactly one. Each format is checked for its exit
#    code; the JSON report for which documents changed and how; the markdown
#    report for its sticky-comment marker. AWS's own FullAWSAccess SCP and
#    RCPFullAWSAccess RCP (moto attaches them to the root, the OU and every
#    account) are listed as unmanaged.
show() { sed 's/^/    /' "$@" >&2; }
expect_diff() { # expect_diff STATUS FORMAT OUTFILE WHAT
    local status
    set +e
    "$dpol" diff "$program" --against "$deployed" --format "$2" >"$3" 2>"$3.stderr"
    status=$?
    set -e
    if [ "$status" != "$1" ]; then
        show "$3" "$3.stderr"
        fail "dpol diff --format $2 $4 exited $status, expected $1"
    fi
}
expect_marker() { # the markdown report starts with the comment that finds it again
    local first=
    IFS= read -r first <"$1" || true
    [[ $first == '<!-- dpol-diff -->'* ]] ||
        fail "dpol diff --format markdown does not start with <!-- dpol-diff -->: $first"
}
check_json() { # check_json FILE ARGS...
    local file=$1
    shift
    "${helper[@]}" check-diff-json "$file" --unmanaged scp:FullAWSAccess --unmanaged rcp:RCPFullAWSAccess "$@" || {
        "$dpol" diff "$program" --against "$deployed" 2>/dev/null | sed 's/^/    /' >&2 || true
        fail "dpol diff --format json: not the expected documents (above: the terminal report)"
    }
}

expect_diff 0 terminal "$work/same.txt" "right after deploying"
expect_diff 0 json "$work/same.json" "right after deploying"
check_json "$work/same.json"
expect_diff 0 markdown "$work/same.md" "right after deploying"
expect_marker "$work/same.md"
phase "diff, unchanged (exit 0)"

"${helper[@]}" mutate --program "$program/roundtrip.dpol"
expect_diff 2 json "$work/changed.json" "after widening alice's key range"
check_json "$work/changed.json" --changed identity:dpol-alice --direction broadens \
    --mention "200 → 300"
expect_diff 2 markdown "$work/changed.md" "after widening alice's key range"
expect_marker "$work/changed.md"
expect_diff 2 terminal "$work/changed.txt" "after widening alice's key range"
sed -n '1,/^Documents:/p' "$work/changed.txt" | sed 's/^/    /'
phase "diff, one grant changed (exit 2)"

printf 'test-diff-roundtrip: passed in %ss (moto %s, %s)\n' "$(since "$t0")" \
    "$(python3 -c 'import moto; print(moto.__version__)')" "$(aws --version 2>&1)"
