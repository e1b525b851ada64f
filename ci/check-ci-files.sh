#!/usr/bin/env bash
# Validates the CI integration files against the schemas that check-jsonschema
# vendors (SchemaStore's GitHub schemas), offline:
#   action.yml               -> vendor.github-actions
#   docs/examples/*.yml      -> vendor.github-workflows
#   .pre-commit-hooks.yaml   -> `pre-commit validate-manifest`, when pre-commit is installed
#   action.yml `run:` steps  -> shellcheck, when shellcheck and Python's yaml are installed
# and checks that the workflow shown in docs/ci.md is docs/examples/dpol.yml.
#
# Needs check-jsonschema on PATH (pip install check-jsonschema), or
# CHECK_JSONSCHEMA=/path/to/check-jsonschema.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
check=${CHECK_JSONSCHEMA:-check-jsonschema}
pre_commit=${PRE_COMMIT:-pre-commit}
command -v "$check" >/dev/null || { echo "check-ci-files: check-jsonschema not found" >&2; exit 1; }

passed=0
failed=0
run() {
    local name=$1; shift
    if "$@"; then
        passed=$((passed + 1))
    else
        echo "FAILED: $name" >&2
        failed=$((failed + 1))
    fi
}

run "action.yml" "$check" --builtin-schema vendor.github-actions action.yml
for workflow in docs/examples/*.yml; do
    run "$workflow" "$check" --builtin-schema vendor.github-workflows "$workflow"
done
if command -v "$pre_commit" >/dev/null; then
    run ".pre-commit-hooks.yaml" "$pre_commit" validate-manifest .pre-commit-hooks.yaml
else
    echo "check-ci-files: pre-commit not found, .pre-commit-hooks.yaml not validated"
fi

# The action's scripts, extracted from action.yml, through shellcheck.
shellcheck_action() {
    local dir
    dir=$(mktemp -d)
    python3 - "$dir" <<'PY' || { rm -rf "$dir"; return 1; }
import sys, yaml
steps = yaml.safe_load(open("action.yml"))["runs"]["steps"]
for i, step in enumerate(steps):
    if "run" in step:
        with open(f"{sys.argv[1]}/step{i:02}.sh", "w") as f:
            f.write("#!/usr/bin/env bash\nset -eo pipefail\n" + step["run"])
PY
    shellcheck -S info "$dir"/*.sh ci/*.sh bench/*.sh fuzz/run.sh editors/test.sh .ci/run
    local rc=$?
    rm -rf "$dir"
    return $rc
}
if command -v shellcheck >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
    run "shellcheck action.yml and ci scripts" shellcheck_action
else
    echo "check-ci-files: shellcheck or Python's yaml not found, scripts not linted"
fi

# The example workflow in docs/ci.md is the first ```yaml block after the
# marker comment; it must be byte-identical to docs/examples/dpol.yml.
docs_example() {
    awk '/<!-- example: docs\/examples\/dpol.yml -->/ { found = 1; next }
         found && /^```yaml$/ { inside = 1; next }
         inside && /^```$/ { exit }
         inside { print }' docs/ci.md
}
run "docs/ci.md example = docs/examples/dpol.yml" diff -u docs/examples/dpol.yml <(docs_example)

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
