//! `dpol why`: the seeds' requests answered on the examples, the deciding
//! statements named, JSON for tools, deployed documents, and requests that
//! name nothing (E0114).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use std::process::{Command, Output};

use serde_json::Value;

const AT: &str = "2026-12-01T00:00:00Z";

fn why(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dpol"))
        .arg("why")
        .args(args)
        .args(["-p", "examples", "--at", AT])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The request's verdict line and exit code.
fn verdict(args: &[&str]) -> (Option<i32>, String) {
    let o = why(args);
    let out = text(&o);
    let line = out
        .lines()
        .find(|l| l.starts_with("ALLOWED") || l.starts_with("DENIED"))
        .unwrap_or_else(|| {
            panic!(
                "no verdict for {args:?}: {out}{}",
                String::from_utf8_lossy(&o.stderr)
            )
        })
        .to_string();
    (o.status.code(), line)
}

#[test]
fn the_seeds_requests_get_the_seeds_answers() {
    let attrs = ["--select", "SPECIFIC_ATTRIBUTES", "--attrs"];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        // Seed 003 (DAT303): Alice, books only.
        (
            vec![
                "Alice",
                "GetItem",
                "ProductCatalog",
                "--keys",
                "101",
                attrs[0],
                attrs[1],
                attrs[2],
                "Id,Title",
            ],
            "ALLOWED",
        ),
        (
            vec![
                "Alice",
                "GetItem",
                "ProductCatalog",
                "--keys",
                "99",
                attrs[0],
                attrs[1],
                attrs[2],
                "Id,Title",
            ],
            "DENIED (implicitly)",
        ),
        (
            vec![
                "Alice",
                "GetItem",
                "ProductCatalog",
                "--keys",
                "101",
                attrs[0],
                attrs[1],
                attrs[2],
                "Id,Brand",
            ],
            "DENIED (implicitly)",
        ),
        // Bob: bicycles only, from the corporate network.
        (
            vec![
                "Bob",
                "GetItem",
                "ProductCatalog",
                "--keys",
                "201",
                "--from-ip",
                "203.0.113.5",
                attrs[0],
                attrs[1],
                attrs[2],
                "Id,Title,Brand",
            ],
            "ALLOWED",
        ),
        (
            vec![
                "Bob",
                "GetItem",
                "ProductCatalog",
                "--keys",
                "199",
                "--from-ip",
                "203.0.113.5",
                attrs[0],
                attrs[1],
                attrs[2],
                "Id,Title",
            ],
            "DENIED (implicitly)",
        ),
        (
            vec![
                "Bob",
                "GetItem",
                "ProductCatalog",
                "--keys",
                "201",
                "--from-ip",
                "198.51.100.1",
                attrs[0],
                attrs[1],
                attrs[2],
                "Id,Title",
            ],
            "DENIED (implicitly)",
        ),
        (
            vec!["Bob", "ListTables", "*", "--from-ip", "203.0.113.5"],
            "ALLOWED",
        ),
        // Jane administers ProductCatalog but may not delete it.
        (vec!["Jane", "DescribeTable", "ProductCatalog"], "ALLOWED"),
        (
            vec!["Jane", "DeleteTable", "ProductCatalog"],
            "DENIED (explicitly)",
        ),
        // Seed 000: Orders only from inside the production VPC.
        (
            vec!["OrdersApp", "GetItem", "Orders"],
            "DENIED (explicitly)",
        ),
        (
            vec!["OrdersApp", "GetItem", "Orders", "--via", "prodvpc"],
            "ALLOWED",
        ),
    ];
    let mut wrong = Vec::new();
    for (args, want) in &cases {
        let (code, line) = verdict(args);
        let want_code = if *want == "ALLOWED" { 0 } else { 1 };
        if !line.starts_with(want) || code != Some(want_code) {
            wrong.push(format!(
                "{args:?}: expected {want} (exit {want_code}), got {line} (exit {code:?})"
            ));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn the_deciding_statements_are_shown_with_their_documents_and_lines() {
    let out = text(&why(&["OrdersApp", "GetItem", "Orders"]));
    assert!(
        out.contains("denied by statement 0 `DenyOrdersOutsideNetwork` of compiled scp/"),
        "{out}"
    );
    assert!(
        out.contains("compiled from examples/private-table.dpol:25"),
        "{out}"
    );
    assert!(
        out.contains("  aws:PrincipalArn = arn:aws:iam::111122223333:role/OrdersApp"),
        "{out}"
    );
    let allowed = text(&why(&[
        "OrdersApp",
        "GetItem",
        "Orders",
        "--via",
        "prodvpc",
    ]));
    assert!(allowed.contains("allowed by statement"), "{allowed}");
    assert!(
        allowed.contains("aws:SourceVpc = vpc-0abc1234def567890"),
        "{allowed}"
    );
}

#[test]
fn json_answers_name_the_decision_request_and_statements() {
    let o = why(&[
        "Alice",
        "GetItem",
        "ProductCatalog",
        "--keys",
        "101",
        "--attrs",
        "Id,Title",
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_str(&text(&o)).unwrap();
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["decision"], "Allowed");
    assert_eq!(
        v["request"]["context"]["dynamodb:LeadingKeys"],
        serde_json::json!(["101"])
    );
    assert_eq!(v["request"]["context"]["aws:CurrentTime"], AT);
    let first = &v["statements"][0];
    assert_eq!(first["kind"], "identity");
    assert!(first["statement"]["Action"].is_array(), "{first}");
    // The statement's own line (the grant), not every line of its document
    // (Alice's `can ListTables` is line 33).
    assert_eq!(
        first["sources"],
        serde_json::json!([{"file": "examples/product-catalog.dpol", "line": 31}])
    );
}

#[test]
fn deployed_documents_are_evaluated_the_same_way() {
    let scratch = tempfile::Builder::new()
        .prefix("dpol-why-")
        .tempdir()
        .unwrap();
    // A path that does not exist yet: the build creates it.
    let dir = scratch.path().join("out");
    let built = Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(["build", "examples", "-o"])
        .arg(&dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(built.status.success());
    let against = dir.display().to_string();
    let o = why(&["OrdersApp", "GetItem", "Orders", "--against", &against]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains(&format!("of {against}/scp/")), "{out}");
}

#[test]
fn requests_that_name_nothing_are_refused_with_a_suggestion() {
    for (args, message) in [
        (
            vec!["alise", "GetItem", "ProductCatalog"],
            "no principal `alise`",
        ),
        (vec!["Analysts", "GetItem", "ProductCatalog"], "is a group"),
        (
            vec!["Alice", "GetItm", "ProductCatalog"],
            "did you mean `GetItem`?",
        ),
        (
            vec!["Alice", "GetItem", "ProductCatalg"],
            "did you mean `ProductCatalog`?",
        ),
        (vec!["Alice", "s3:GetObject", "*"], "not `s3`"),
        (
            vec!["OrdersApp", "GetItem", "Orders", "--via", "prodvcp"],
            "did you mean `prodvpc`?",
        ),
        (
            vec!["Alice", "GetItem", "ProductCatalog", "--context", "novalue"],
            "is not KEY=VALUE",
        ),
    ] {
        let o = why(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("[E0114]") || err.contains("E0114"),
            "{args:?}: {err}"
        );
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

#[test]
fn aws_cli_output_is_evaluated_with_arns() {
    let details = "tests/fixtures/deployed/iam-get-account-authorization-details.json";
    let table = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders";
    // A session of the role is governed by the role's inline policy.
    let session = "arn:aws:sts::123456789012:assumed-role/orders-reader/s1";
    let o = why(&[
        session,
        "GetItem",
        table,
        "--via",
        "vpc-0abc1234",
        "--against",
        details,
    ]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("allowed by statement 0 `ReadOrders` of tests/fixtures/deployed/iam-get-account-authorization-details.json: $.RoleDetailList[0].RolePolicyList[0]"), "{out}");
    assert!(
        out.contains("aws:PrincipalArn = arn:aws:iam::123456789012:role/orders-reader"),
        "{out}"
    );
    // Its condition: only from that VPC.
    let role = "arn:aws:iam::123456789012:role/orders-reader";
    let (code, line) = verdict(&[role, "GetItem", table, "--against", details]);
    assert_eq!((code, line.as_str()), (Some(1), "DENIED (implicitly): no identity policy of the caller allows it (nor the resource policy)"));
}

#[test]
fn the_documents_evaluated_are_listed_with_the_assumption_that_chose_them() {
    let out = text(&why(&["OrdersApp", "GetItem", "Orders"]));
    assert!(out.contains("  SCPs: root, OU and account, each with FullAWSAccess\n    level 0: FullAWSAccess\n    level 1: FullAWSAccess, compiled scp/dpol-perimeter-ou-ab12-34cd5678.json"), "{out}");
    assert!(
        out.contains("  resource policy: compiled resource/111122223333-us-east-1-Orders.json"),
        "{out}"
    );
    let outsider = "arn:aws:iam::999988887777:role/Partner";
    let out = text(&why(&[outsider, "GetItem", "Orders"]));
    assert!(
        out.contains(
            "  SCPs: none: an account the program does not declare (outside the organization)"
        ),
        "{out}"
    );
    assert!(out.contains("  identity: none"), "{out}");
    let o = why(&[outsider, "GetItem", "Orders", "--format", "json"]);
    let v: Value = serde_json::from_str(&text(&o)).unwrap();
    assert_eq!(v["evaluated"]["scps"], serde_json::json!([]));
    assert_eq!(
        v["decision"], "ExplicitlyDenied",
        "the table's perimeter denies outsiders"
    );
}
