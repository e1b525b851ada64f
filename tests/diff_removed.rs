//! Deleted, not "unmanaged": a deployed policy that dpol wrote and the
//! program no longer produces is a removal, with what the removal does to
//! access, whatever its name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod diff_common;

use std::path::Path;

use diff_common::{dpol_in, fixture, git, stderr_of, TempDir};
use serde_json::{json, Value};

const PROGRAM: &str = "\
account prod = 111122223333
region us-east-1
vpc appvpc = vpc-0abc1234def567890 in prod
endpoint gw = vpce-0123456789abcdef0 in appvpc {
  allow reads Orders
}
table Orders in prod private to appvpc { key id: number }
breakglass role Emergency in prod
user alice in prod
alice reads Orders
";

/// The program with the endpoint's policy block and the table's perimeter dropped.
fn without_endpoint_policy_and_perimeter() -> String {
    PROGRAM
        .replace(" {\n  allow reads Orders\n}", "")
        .replace(" private to appvpc", "")
}

fn json_report(dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["diff", "p.dpol", "--format", "json"];
    all.extend_from_slice(args);
    let out = dpol_in(dir, &all);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no JSON report: {}", stderr_of(&out)));
    (out.status.code(), report)
}

fn document<'a>(report: &'a Value, kind: &str) -> &'a Value {
    report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} document: {report}"))
}

fn directions(doc: &Value) -> Vec<&str> {
    doc["delta"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["direction"].as_str().unwrap())
        .collect()
}

/// The bug: against the previous revision (the pull-request case), an
/// endpoint policy or table resource policy dropped from the program was
/// listed as "unmanaged" (its name has no `dpol-` prefix) and counted as no
/// change: dropping only the endpoint's policy block gave exit 0.
#[test]
fn dropped_endpoint_and_table_policies_are_removed_against_the_base() {
    let dir = TempDir::new("removed-base");
    git(&dir.0, &["init", "-q"]);
    dir.write("p.dpol", PROGRAM);
    git(&dir.0, &["add", "-A"]);
    git(&dir.0, &["commit", "-q", "-m", "base"]);

    dir.write(
        "p.dpol",
        &PROGRAM.replace(" {\n  allow reads Orders\n}", ""),
    );
    let (code, report) = json_report(&dir.0, &["--base", "HEAD"]);
    assert_eq!(code, Some(2), "{report}");
    let endpoint = document(&report, "vpc_endpoint");
    assert_eq!(endpoint["status"], "removed", "{endpoint}");
    // Without its policy the endpoint lets everything through: that broadens.
    assert!(directions(endpoint).contains(&"broadens"), "{endpoint}");

    dir.write("p.dpol", &without_endpoint_policy_and_perimeter());
    let (code, report) = json_report(&dir.0, &["--base", "HEAD"]);
    assert_eq!(code, Some(2));
    let table = document(&report, "resource");
    assert_eq!(table["status"], "removed", "{table}");
    assert_eq!(directions(table), ["broadens"], "{table}");
    assert_eq!(report["summary"]["unmanaged"], 0, "{report}");
}

/// The same against the previous build directory.
#[test]
fn dropped_endpoint_and_table_policies_are_removed_against_a_build() {
    let dir = TempDir::new("removed-build");
    dir.write("p.dpol", PROGRAM);
    let built = dpol_in(&dir.0, &["build", "p.dpol", "-o", "out"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr_of(&built));
    dir.write("p.dpol", &without_endpoint_policy_and_perimeter());
    let (code, report) = json_report(&dir.0, &["--against", "out"]);
    assert_eq!(code, Some(2));
    assert_eq!(document(&report, "vpc_endpoint")["status"], "removed");
    assert_eq!(document(&report, "resource")["status"], "removed");
    assert_eq!(report["summary"]["unmanaged"], 0, "{report}");
}

/// Against AWS CLI output: the policy of an endpoint or table that the
/// program declares is dpol's to manage, so one the program no longer
/// produces is removed. An endpoint at AWS's default full-access policy is
/// what "no policy" looks like, and is no change. Policies of tables and
/// endpoints the program does not declare stay unmanaged.
#[test]
fn declared_endpoints_and_tables_are_dpols_in_aws_cli_output() {
    let dir = TempDir::new("removed-cli");
    // No grant either: nothing is compiled but what is compared here.
    let program = without_endpoint_policy_and_perimeter().replace("alice reads Orders\n", "");
    dir.write("p.dpol", &program);
    let custom = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
        "Action": "dynamodb:GetItem", "Resource": "*"}]});
    let full = json!({"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
        "Action": "*", "Resource": "*"}]});
    let endpoints = |policy: &Value, id: &str| {
        json!({"VpcEndpoints": [{"VpcEndpointId": id, "State": "available",
            "PolicyDocument": policy.to_string()}]})
        .to_string()
    };
    dir.write(
        "deployed/ec2.json",
        &endpoints(&custom, "vpce-0123456789abcdef0"),
    );
    let rbp = fixture("dynamodb-get-resource-policy.json");
    dir.write(
        "deployed/rbp-arn:aws:dynamodb:us-east-1:111122223333:table%2FOrders.json",
        &rbp,
    );
    let (code, report) = json_report(&dir.0, &["--against", "deployed"]);
    assert_eq!(code, Some(2), "{report}");
    let endpoint = document(&report, "vpc_endpoint");
    assert_eq!(endpoint["status"], "removed", "{endpoint}");
    assert!(directions(endpoint).contains(&"broadens"), "{endpoint}");
    assert_eq!(document(&report, "resource")["status"], "removed");

    std::fs::remove_file(
        dir.0
            .join("deployed/rbp-arn:aws:dynamodb:us-east-1:111122223333:table%2FOrders.json"),
    )
    .unwrap();
    dir.write(
        "deployed/ec2.json",
        &endpoints(&full, "vpce-0123456789abcdef0"),
    );
    let (code, report) = json_report(&dir.0, &["--against", "deployed"]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(document(&report, "vpc_endpoint")["status"], "unchanged");

    dir.write("deployed/ec2.json", &endpoints(&custom, "vpce-99999999"));
    let (code, report) = json_report(&dir.0, &["--against", "deployed"]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(document(&report, "vpc_endpoint")["status"], "unmanaged");
}

/// A guard (this already held): a deployed `dpol-` policy that nothing in
/// the program produces is removed, its access loss stated.
#[test]
fn a_deployed_dpol_policy_without_a_source_is_removed() {
    let dir = TempDir::new("removed-dpol");
    dir.write("p.dpol", PROGRAM);
    dir.write(
        "deployed/iam.json",
        &fixture("iam-get-account-authorization-details.json"),
    );
    let (code, report) = json_report(&dir.0, &["--against", "deployed"]);
    assert_eq!(code, Some(2));
    let removed = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "dpol-orders-write")
        .unwrap();
    assert_eq!(removed["status"], "removed");
    // Its Allow goes (narrows), and so does its Deny (broadens).
    let mut stated = directions(removed);
    stated.sort_unstable();
    assert_eq!(stated, ["broadens", "narrows"], "{removed}");
}
