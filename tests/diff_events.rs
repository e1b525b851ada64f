//! EventBridge rules read back from `aws events list-rules` /
//! `describe-rule` with `list-targets-by-rule` (captured from moto with the
//! AWS CLI: tests/fixtures/deployed/README.md), so that alerts are compared
//! with what is deployed instead of being skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod diff_common;

use std::path::Path;

use diff_common::ReadFails;
use diff_common::{dpol_in, fixture, fixture_json, fixture_path, stderr_of, TempDir};
use dpol::diag::{Diagnostic, InputProblem};
use dpol::diff::read_deployed_set;
use dpol::iam::DocKind;
use dpol::iam::Document;
use serde_json::json;

const LIST: &str = "events-list-rules.json";
const TARGETS_1: &str = "events-list-targets-by-rule-dpol-alert-Orders-1.json";
const TARGETS_2: &str = "events-list-targets-by-rule-dpol-alert-Orders-2.json";

fn read(files: &[(&str, String)]) -> Result<Vec<Document>, Diagnostic> {
    let set: Vec<(&str, &str)> = files.iter().map(|(o, t)| (*o, t.as_str())).collect();
    read_deployed_set(&set)
}

fn captured() -> Vec<(&'static str, String)> {
    [LIST, TARGETS_1, TARGETS_2]
        .into_iter()
        .map(|name| (name, fixture(name)))
        .collect()
}

#[test]
fn rules_are_read_with_their_targets() {
    let docs = read(&captured()).unwrap();
    let names: Vec<&str> = docs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "dpol-alert-Orders-1",
            "dpol-alert-Orders-2",
            "nightly-export"
        ]
    );
    assert!(docs.iter().all(|d| d.kind == DocKind::EventRule));
    assert!(docs.iter().all(|d| d.attach == ["123456789012/us-east-1"]));
    let first = &docs[0].document;
    assert_eq!(first["State"], "ENABLED");
    assert_eq!(first["EventPattern"]["source"], json!(["aws.dynamodb"]));
    assert_eq!(
        first["Targets"],
        json!([{"Id": "dpol-alert-target", "Arn": "arn:aws:sns:us-east-1:123456789012:alerts"}])
    );
    assert!(first.get("Description").is_none());
    // A scheduled rule nobody wrote with dpol: no pattern, no targets needed.
    assert_eq!(docs[2].document["ScheduleExpression"], "rate(1 day)");
    assert!(docs[2].document.get("Targets").is_none());
}

#[test]
fn describe_rule_reads_the_same_as_list_rules() {
    let listed = read(&captured()).unwrap();
    let wrapped =
        json!({"Rule": "dpol-alert-Orders-1", "Targets": fixture_json(TARGETS_1)["Targets"]});
    let described = read(&[
        (
            "events-describe-rule.json",
            fixture("events-describe-rule.json"),
        ),
        ("targets.json", wrapped.to_string()),
    ])
    .unwrap();
    assert_eq!(described.len(), 1);
    assert_eq!(described[0].document, listed[0].document);
    // Both outputs for one rule: the same rule, read once.
    let mut both = captured();
    both.push((
        "events-describe-rule.json",
        fixture("events-describe-rule.json"),
    ));
    assert_eq!(read(&both).unwrap().len(), 3);
}

/// A rule dpol manages without its targets would read as delivering nowhere.
#[test]
fn a_managed_rule_needs_its_targets() {
    let error = read(&[(LIST, fixture(LIST)), (TARGETS_1, fixture(TARGETS_1))]).input_err();
    assert_eq!(error.kind, InputProblem::Incomplete, "{error}");
    assert!(error.message.contains("dpol-alert-Orders-2"), "{error}");
    let error = read(&[(LIST, fixture(LIST)), ("targets.json", fixture(TARGETS_1))]).input_err();
    assert_eq!(error.kind, InputProblem::UnresolvedAttachment, "{error}");
    let mut paged = fixture_json(LIST);
    paged["NextToken"] = json!("eyJOZXh0VG9rZW4iOiBudWxsfQ==");
    let error = read(&[(LIST, paged.to_string())]).input_err();
    assert_eq!(error.kind, InputProblem::Incomplete);
    let mut bad = fixture_json(LIST);
    bad["Rules"][0]["EventPattern"] = json!("{\"source\": [\"a\"], \"source\": [\"b\"]}");
    let error = read(&[
        (LIST, bad.to_string()),
        (TARGETS_1, fixture(TARGETS_1)),
        (TARGETS_2, fixture(TARGETS_2)),
    ])
    .input_err();
    assert_eq!(
        (error.kind, error.json_path.as_str()),
        (InputProblem::DuplicateKey, "$.Rules[0].EventPattern.source")
    );
}

/// An empty targets list named after a rule is that rule's (and the rule
/// delivers nowhere); one named after an SCP is the SCP's.
#[test]
fn empty_targets_lists_join_by_file_name() {
    let mut files = captured();
    files[2] = (
        "events-list-targets-by-rule-dpol-alert-Orders-2.json",
        "{\"Targets\": []}".into(),
    );
    let docs = read(&files).unwrap();
    assert_eq!(docs[1].document["Targets"], json!([]));
    let scp = fixture_json("organizations-describe-policy.json");
    let id = scp["Policy"]["PolicySummary"]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let (scp_text, targets_name) = (scp.to_string(), format!("targets-{id}.json"));
    let docs = read_deployed_set(&[
        ("scp.json", &scp_text),
        (&targets_name, "{\"Targets\": []}"),
    ])
    .unwrap();
    assert_eq!(docs[0].kind, DocKind::Scp);
    assert!(docs[0].attach.is_empty());
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The bug: alerts were left out of every comparison with AWS CLI output
/// ("note: N EventBridge rule(s) not compared"), and `list-rules` output
/// was an unknown shape. The captured deployment of `inputs/alerts.dpol`
/// compares unchanged; a disabled rule is a change.
#[test]
fn alerts_are_compared_with_what_is_deployed() {
    let program = fixture_path("inputs/alerts.dpol");
    let against: Vec<String> = [LIST, TARGETS_1, TARGETS_2]
        .iter()
        .map(|name| fixture_path(name).display().to_string())
        .collect();
    let mut args = vec![
        "diff",
        program.to_str().unwrap(),
        "--format",
        "json",
        "--against",
    ];
    args.extend(against.iter().map(String::as_str));
    let out = dpol_in(repo(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let statuses: Vec<(String, String)> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap().into(),
                d["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("dpol-alert-Orders-1".to_string(), "unchanged".to_string()),
            ("dpol-alert-Orders-2".into(), "unchanged".into()),
            ("nightly-export".into(), "unmanaged".into()),
        ]
    );

    let dir = TempDir::new("events-disabled");
    let disabled = fixture(LIST).replacen("\"State\": \"ENABLED\"", "\"State\": \"DISABLED\"", 1);
    dir.write(LIST, &disabled);
    dir.write(TARGETS_1, &fixture(TARGETS_1));
    dir.write(TARGETS_2, &fixture(TARGETS_2));
    let out = dpol_in(
        repo(),
        &[
            "diff",
            program.to_str().unwrap(),
            "--against",
            dir.0.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("state DISABLED → ENABLED"), "{text}");

    // Without any EventBridge output the alerts are missing, and say so.
    let iam = fixture_path("iam-get-role-policy.json");
    let out = dpol_in(
        repo(),
        &[
            "diff",
            program.to_str().unwrap(),
            "--against",
            iam.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("added    event_rule dpol-alert-Orders-1")
    );
    assert!(!stderr_of(&out).contains("not compared"));
}
