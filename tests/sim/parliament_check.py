#!/usr/bin/env python3
"""Lint identity-policy files with parliament (Duo Labs) and print the findings as JSON.

Usage: python3 parliament_check.py POLICY.json [POLICY.json ...]
Exits 1 if any finding that is not waived is above LOW (MEDIUM, HIGH or CRITICAL), 0 otherwise.

One false positive is waived (still printed, with "waived" set): parliament types
dynamodb:LeadingKeys as String, so every Numeric* operator on it (a numeric partition-key range,
DAT303's Alice/Bob policies) is a MEDIUM MISMATCHED_TYPE. The waiver applies only when every key
under a Numeric* operator in the file is a partition-key key.

Uses parliament's library API rather than its CLI: the 1.6.4 CLI also copies every policy it
reads into /tmp/parliament.log.
"""
import json
import re
import sys

from parliament import analyze_policy_string, enhance_finding
from parliament.cli import is_finding_filtered

SEVERITIES = ["MUTE", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
PARTITION_KEYS = {
    "dynamodb:leadingkeys",
    "dynamodb:firstpartitionkeyvalues",
    "dynamodb:secondpartitionkeyvalues",
    "dynamodb:thirdpartitionkeyvalues",
    "dynamodb:fourthpartitionkeyvalues",
}
NUMERIC_ON_STRING = re.compile(
    r"^Type mismatch: (ForAllValues:|ForAnyValue:)?Numeric\w* requires a value of type Number but given String$"
)


def numeric_keys(text):
    """Lower-cased condition keys used under a Numeric* operator anywhere in the policy."""
    try:
        statements = json.loads(text).get("Statement", [])
    except (ValueError, AttributeError):
        return set()
    statements = statements if isinstance(statements, list) else [statements]
    return {
        key.lower()
        for st in statements
        if isinstance(st, dict) and isinstance(st.get("Condition"), dict)
        for op, block in st["Condition"].items()
        if re.match(r"^(ForAllValues:|ForAnyValue:)?Numeric", op, re.I) and isinstance(block, dict)
        for key in block
    }


def findings_for(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    policy = analyze_policy_string(text, path)
    partition_only = numeric_keys(text) <= PARTITION_KEYS
    for finding in map(enhance_finding, policy.findings):
        # Drops MUTE findings and the ignore_locations of parliament's own config.yaml.
        if is_finding_filtered(finding, "INFO"):
            continue
        waived = (
            finding.issue == "MISMATCHED_TYPE"
            and partition_only
            and NUMERIC_ON_STRING.match(str(finding.detail))
        )
        yield {
            "path": path,
            "issue": finding.issue,
            "severity": finding.severity,
            "title": finding.title,
            "detail": finding.detail,
            "location": finding.location,
            "waived": "numeric operator on a DynamoDB partition-key key" if waived else None,
        }


def main(paths):
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    findings = [f for path in paths for f in findings_for(path)]
    print(json.dumps({"findings": findings}, indent=2, default=str))
    above_low = [
        f for f in findings if not f["waived"] and SEVERITIES.index(f["severity"]) > SEVERITIES.index("LOW")
    ]
    return 1 if above_low else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
