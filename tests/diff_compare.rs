//! Comparing a `dpol build` directory with the captured deployment.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod diff_common;

use diff_common::{fixture, fixture_json, TempDir};
use dpol::diff::{compare, read_build_dir, read_deployed_set, DiffReport, Direction, Status};
use dpol::iam::{DocKind, Document};
use serde_json::{json, Value};

const ROLE: &str = "arn:aws:iam::123456789012:role/orders-reader";
const GROUP: &str = "arn:aws:iam::123456789012:group/readers";
const TABLE: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders";

/// Everything captured, as `dpol diff` would read it.
fn deployed() -> Vec<Document> {
    let mut dpol_old = fixture_json("iam-get-role-policy.json");
    dpol_old["PolicyName"] = json!("dpol-old");
    let files = [
        (
            "iam.json".to_string(),
            fixture("iam-get-account-authorization-details.json"),
        ),
        (
            "scp.json".to_string(),
            fixture("organizations-describe-policy.json"),
        ),
        (
            "targets.json".to_string(),
            fixture("organizations-list-targets-for-policy.json"),
        ),
        (
            "ec2.json".to_string(),
            fixture("ec2-describe-vpc-endpoints.json"),
        ),
        (
            format!("{}.json", TABLE.replace('/', "%2F")),
            fixture("dynamodb-get-resource-policy.json"),
        ),
        ("role.json".to_string(), dpol_old.to_string()),
    ];
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(origin, text)| (origin.as_str(), text.as_str()))
        .collect();
    read_deployed_set(&borrowed).unwrap()
}

/// A build directory: `(kind, name, attach, document)` for each document.
fn build_dir(documents: &[(&str, &str, Vec<&str>, Value)]) -> TempDir {
    let dir = TempDir::new("build");
    let mut entries = Vec::new();
    for (kind, name, attach, document) in documents {
        let path = format!("{kind}/{name}.json");
        dir.write(&path, &serde_json::to_string_pretty(document).unwrap());
        entries.push(json!({"kind": kind, "name": name, "path": path, "attach": attach, "sha256": "ignored"}));
    }
    dir.write(
        "manifest.json",
        &json!({"version": 1, "documents": entries}).to_string(),
    );
    dir
}

fn status_of<'a>(report: &'a DiffReport, name: &str) -> &'a dpol::diff::DocDiff {
    report
        .documents
        .iter()
        .find(|doc| doc.name == name)
        .unwrap()
}

fn compiled_like_the_captures() -> Vec<(&'static str, &'static str, Vec<&'static str>, Value)> {
    let mut vpce = fixture_json("inputs/vpce.json");
    vpce["Statement"][0]["Sid"] = json!("Renamed");
    vpce["Statement"][0]["Action"] =
        json!(["dynamodb:putitem", "dynamodb:Query", "DynamoDB:GetItem"]);
    let mut rbp = fixture_json("inputs/table-rbp.json");
    rbp["Statement"][0]
        .as_object_mut()
        .unwrap()
        .remove("Condition");
    vec![
        (
            "identity",
            "dpol-orders-write",
            vec![ROLE, GROUP],
            fixture_json("inputs/managed.json"),
        ),
        (
            "scp",
            "dpol-dynamodb-vpce-only",
            vec!["ou-lqi6-cooh6fsy", "537644973923"],
            fixture_json("inputs/scp.json"),
        ),
        (
            "vpc_endpoint",
            "vpce-3be021758f4d76a1a",
            vec!["vpce-3be021758f4d76a1a"],
            vpce,
        ),
        (
            "resource",
            "123456789012-us-east-1-Orders",
            vec![TABLE],
            rbp,
        ),
        (
            "identity",
            "dpol-bob",
            vec!["arn:aws:iam::123456789012:user/bob"],
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": TABLE}]}),
        ),
        (
            "event_rule",
            "dpol-alerts",
            vec!["123456789012/us-east-1"],
            json!({"EventPattern": {"source": ["aws.dynamodb"]}, "State": "ENABLED", "Targets": []}),
        ),
    ]
}

#[test]
fn build_dir_against_the_captured_deployment() {
    let dir = build_dir(&compiled_like_the_captures());
    let compiled = read_build_dir(&dir.0).unwrap();
    assert_eq!(
        compiled[0].origin,
        dir.0
            .join("identity/dpol-orders-write.json")
            .display()
            .to_string()
    );
    let report = compare(&compiled, &deployed());
    let summary = report.summary();
    assert_eq!(
        summary.headline(),
        "7 documents: 2 added, 1 removed, 2 changed, 2 unchanged, 4 unmanaged"
    );
    assert!(report.has_changes());

    let managed = status_of(&report, "dpol-orders-write");
    assert_eq!(managed.status, Status::Changed);
    assert_eq!(managed.delta.len(), 1);
    assert_eq!(managed.delta[0].direction, Direction::Broadens);
    assert_eq!(
        managed.delta[0].change,
        "actions removed: dynamodb:deletebackup"
    );
    assert!(managed.delta[0]
        .scope
        .starts_with("Deny dynamodb:deletetable on *"));
    let diff = managed.diff.as_deref().unwrap();
    assert!(
        diff.contains("-        \"dynamodb:deletebackup\",\n"),
        "{diff}"
    );
    assert!(diff.starts_with("--- deployed: iam.json: $.Policies[0]\n+++ compiled: "));

    let rbp = status_of(&report, "123456789012-us-east-1-Orders");
    assert_eq!(rbp.status, Status::Changed);
    assert_eq!(rbp.delta[0].direction, Direction::Narrows);
    assert_eq!(
        rbp.delta[0].change,
        "endpoint condition aws:sourcevpce dropped (StringNotEquals vpce-3be021758f4d76a1a)"
    );

    for name in ["dpol-dynamodb-vpce-only", "vpce-3be021758f4d76a1a"] {
        assert_eq!(status_of(&report, name).status, Status::Unchanged, "{name}");
    }
    let bob = status_of(&report, "dpol-bob");
    assert_eq!(bob.status, Status::Added);
    assert_eq!(bob.delta[0].direction, Direction::Broadens);
    assert_eq!(bob.delta[0].change, "statement added");
    let alerts = status_of(&report, "dpol-alerts");
    assert_eq!(
        (alerts.kind, alerts.status),
        (DocKind::EventRule, Status::Added)
    );
    assert_eq!(alerts.delta[0].direction, Direction::Review);
    let old = status_of(&report, "dpol-old");
    assert_eq!(old.status, Status::Removed);
    assert_eq!(old.delta[0].direction, Direction::Narrows);
    for name in [
        "scan-audit",
        "describe",
        "read-orders",
        "vpce-a3379dc91fe11c5c5",
    ] {
        let doc = status_of(&report, name);
        assert_eq!(doc.status, Status::Unmanaged, "{name}");
        assert!(doc.delta.is_empty());
    }
    let first = &report.access_delta()[0];
    assert_eq!(first.1.direction, Direction::Broadens);
}

#[test]
fn attachment_only_changes_are_changes_with_a_note() {
    let compiled = [Document {
        kind: DocKind::Identity,
        name: "dpol-orders-write".to_string(),
        attach: vec![
            ROLE.to_string(),
            "arn:aws:iam::123456789012:role/new".to_string(),
        ],
        document: fixture_json("inputs/managed-v2.json"),
        origin: "out/identity/dpol-orders-write.json".to_string(),
        sources: Vec::new(),
    }];
    let deployed: Vec<Document> = deployed()
        .into_iter()
        .filter(|doc| doc.name == "dpol-orders-write")
        .collect();
    let report = compare(&compiled, &deployed);
    let doc = &report.documents[0];
    assert_eq!(doc.status, Status::Changed);
    assert_eq!(doc.diff, None);
    assert_eq!(
        doc.notes,
        [format!(
            "attachment changed: [{GROUP}, {ROLE}] → [arn:aws:iam::123456789012:role/new, {ROLE}]"
        )]
    );
    let changes: Vec<(Direction, &str)> = doc
        .delta
        .iter()
        .map(|line| (line.direction, line.change.as_str()))
        .collect();
    // The document both allows and denies: attaching it is for review.
    assert_eq!(
        changes,
        [
            (
                Direction::Review,
                "now attached to arn:aws:iam::123456789012:role/new"
            ),
            (
                Direction::Review,
                &*format!("no longer attached to {GROUP}")
            ),
        ]
    );
}

#[test]
fn same_name_documents_pair_by_attachment() {
    let inline = |attach: &str, action: &str| Document {
        kind: DocKind::Identity,
        name: "dpol-inline".to_string(),
        attach: vec![attach.to_string()],
        document: json!({"Statement": {"Effect": "Allow", "Action": action, "Resource": "*"}}),
        origin: format!("{attach}.json"),
        sources: Vec::new(),
    };
    let compiled = [
        inline("role/b", "dynamodb:Scan"),
        inline("role/a", "dynamodb:GetItem"),
    ];
    let deployed = [
        inline("role/a", "dynamodb:GetItem"),
        inline("role/b", "dynamodb:GetItem"),
        inline("role/c", "s3:GetObject"),
    ];
    let report = compare(&compiled, &deployed);
    let statuses: Vec<(Status, &str)> = report
        .documents
        .iter()
        .map(|doc| {
            (
                doc.status,
                doc.compiled
                    .as_ref()
                    .or(doc.deployed.as_ref())
                    .unwrap()
                    .attach[0]
                    .as_str(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            (Status::Unchanged, "role/a"),
            (Status::Changed, "role/b"),
            (Status::Removed, "role/c")
        ]
    );
    assert!(!compare(&[], &[]).has_changes());
}

#[test]
fn unmanaged_documents_never_count_as_changes() {
    let report = compare(
        &[],
        &deployed()
            .into_iter()
            .filter(|doc| !doc.name.starts_with("dpol-"))
            .collect::<Vec<_>>(),
    );
    assert!(report
        .documents
        .iter()
        .all(|doc| doc.status == Status::Unmanaged));
    assert!(!report.has_changes());
    assert_eq!(report.summary().headline(), "0 documents: 6 unmanaged");
}
