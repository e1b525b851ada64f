#!/usr/bin/env bash
# Side-by-side timings of dpol and two Python peers, on demand (not in CI).
#
#   bench/peers.sh            # prints a Markdown table of times and ratios
#   PEERS_WORK=/tmp/peers bench/peers.sh   # keep the workload and outputs there
#
# Workload: 200 IAM identity policies for 200 roles over 50 DynamoDB tables;
# role i reads two tables and writes one (the same tables for both tools).
#
#  1. Generation: policy_sentry (`policy_sentry write-policy --input-file`,
#     one CRUD YAML template per role) versus `dpol build` of one .dpol file
#     holding the same 200 roles and 600 grants. policy_sentry is timed twice:
#     its CLI once per template (how it is documented), and its library API
#     (`write_policy_with_template`) for all 200 templates in one process.
#  2. Linting: parliament over dpol's 200 identity documents (CLI with
#     --directory, and its library API in one process) versus `dpol check`
#     on the source.
#
# What is and is not comparable is written up in BENCHMARKS.md: the tools do
# not compute the same thing (policy_sentry grants whole IAM access levels,
# dpol grants verbs with per-action conditions; parliament lints JSON, dpol
# check checks the source), so the ratios compare the cost of the workflow
# step, not of equal work. Needs python3 (venv) and network access to PyPI the
# first time; uses hyperfine when installed, else one timed run of each.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${PEERS_WORK:-$(mktemp -d /tmp/dpol-peers.XXXXXX)}
venv=${PEERS_VENV:-$work/venv}
mkdir -p "$work"
echo "workload and outputs in $work" >&2

if [ ! -x "$venv/bin/policy_sentry" ] || [ ! -x "$venv/bin/parliament" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q policy_sentry 'parliament==1.6.4' 'setuptools<82'
fi
(cd "$root" && cargo build --release --quiet --bin dpol)
dpol="$root/target/release/dpol"

# ---------------------------------------------------------------- workload
"$venv/bin/python" - "$work" <<'PY'
import os, sys
work = sys.argv[1]
ps = os.path.join(work, "ps")
os.makedirs(ps, exist_ok=True)
account, region = "111122223333", "us-east-1"
tables = [f"Table{chr(65 + i // 26)}{chr(97 + i % 26)}" for i in range(50)]
arn = lambda t: f"arn:aws:dynamodb:{region}:{account}:table/{t}"
lines = [f"account prod = {account}", f"region {region}", ""]
lines += [f"table {t} {{ key pk: string; attrs a, b }}" for t in tables]
lines.append("")
for i in range(200):
    role = f"App{i:03d}x"
    r1, r2, w = tables[i % 50], tables[(i * 7 + 3) % 50], tables[(i * 13 + 5) % 50]
    lines += [f"role {role} in prod", f"{role} reads {r1}", f"{role} reads {r2}", f"{role} writes {w}"]
    with open(os.path.join(ps, f"{role}.yml"), "w") as f:
        f.write(f"mode: crud\nname: {role}\nread:\n- {arn(r1)}\n- {arn(r2)}\nwrite:\n- {arn(w)}\n")
with open(os.path.join(work, "workload.dpol"), "w") as f:
    f.write("\n".join(lines) + "\n")
PY

cat > "$work/ps_batch.py" <<'PY'
import glob, json, os, sys, yaml
from policy_sentry.command.write_policy import write_policy_with_template
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
for path in sorted(glob.glob(os.path.join(src, "*.yml"))):
    with open(path) as f:
        policy = write_policy_with_template(yaml.safe_load(f))
    with open(os.path.join(out, os.path.basename(path)[:-4] + ".json"), "w") as f:
        json.dump(policy, f, indent=4)
PY

cat > "$work/ps_cli.sh" <<SH
#!/bin/sh
mkdir -p "$work/ps-cli-out"
for f in "$work"/ps/*.yml; do
  "$venv/bin/policy_sentry" write-policy --input-file "\$f" > "$work/ps-cli-out/\$(basename "\$f" .yml).json"
done
SH
chmod +x "$work/ps_cli.sh"

cat > "$work/parliament_batch.py" <<'PY'
import glob, os, sys
from parliament import analyze_policy_string
findings = 0
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    with open(path) as f:
        findings += len(analyze_policy_string(f.read()).findings)
print(findings, "findings", file=sys.stderr)
PY

# One build first: the linting step needs dpol's output.
"$dpol" build "$work/workload.dpol" -o "$work/dpol-out" 2>/dev/null
"$venv/bin/python" "$work/ps_batch.py" "$work/ps" "$work/ps-api-out"

# ---------------------------------------------------------------- timing
names=(dpol_build ps_cli ps_api dpol_check parliament_cli parliament_api)
cmds=(
  "$dpol build $work/workload.dpol -o $work/dpol-out"
  "$work/ps_cli.sh"
  "$venv/bin/python $work/ps_batch.py $work/ps $work/ps-api-out"
  "$dpol check $work/workload.dpol"
  "$venv/bin/parliament --directory $work/dpol-out/identity --include_policy_extension .json --minimal"
  "$venv/bin/python $work/parliament_batch.py $work/dpol-out/identity"
)
runs=(10 1 3 10 3 3)
declare -A secs
for i in "${!names[@]}"; do
  name=${names[$i]}
  if command -v hyperfine >/dev/null; then
    hyperfine -N -i --warmup $((runs[i] > 1 ? 1 : 0)) --runs "${runs[$i]}" \
      --export-json "$work/$name.json" "${cmds[$i]}" >&2
    secs[$name]=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['median'])" "$work/$name.json")
  else
    start=$(date +%s.%N)
    sh -c "${cmds[$i]}" >/dev/null 2>&1 || true
    secs[$name]=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(date +%s.%N)")
  fi
done

count() { find "$1" -name '*.json' | wc -l | tr -d ' '; }
bytes() { find "$1" -name '*.json' -exec cat {} + | wc -c | tr -d ' '; }
python3 - <<PY
s = dict(
    dpol_build=${secs[dpol_build]}, ps_cli=${secs[ps_cli]}, ps_api=${secs[ps_api]},
    dpol_check=${secs[dpol_check]}, parliament_cli=${secs[parliament_cli]},
    parliament_api=${secs[parliament_api]},
)
print("| step | tool | median time | vs dpol |")
print("|---|---|---|---|")
rows = [
    ("generate 200 policies", "dpol build (1 process)", "dpol_build", "dpol_build"),
    ("generate 200 policies", "policy_sentry CLI (200 processes)", "ps_cli", "dpol_build"),
    ("generate 200 policies", "policy_sentry API (1 process)", "ps_api", "dpol_build"),
    ("lint", "dpol check (source)", "dpol_check", "dpol_check"),
    ("lint", "parliament CLI --directory (200 files)", "parliament_cli", "dpol_check"),
    ("lint", "parliament API (1 process, 200 files)", "parliament_api", "dpol_check"),
]
for step, tool, key, base in rows:
    print(f"| {step} | {tool} | {s[key]*1000:.1f} ms | {s[key]/s[base]:.1f}x |")
PY
echo >&2
echo "documents: dpol $(count "$work/dpol-out/identity") identity ($(bytes "$work/dpol-out/identity") bytes)," \
  "policy_sentry $(count "$work/ps-api-out") ($(bytes "$work/ps-api-out") bytes)" >&2
