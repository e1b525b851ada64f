use serde_json::{json, Value};

use super::{attachment_delta, content_delta};
use crate::diff::normalize::normalize;
use crate::diff::report::Direction;
use crate::iam::DocKind;

const TABLE: &str = "arn:aws:dynamodb:us-east-1:1:table/Orders";

fn delta_of(kind: DocKind, old: Option<Value>, new: Option<Value>) -> Vec<(Direction, String)> {
    let (old, new) = (
        old.map(|doc| normalize(&doc)),
        new.map(|doc| normalize(&doc)),
    );
    content_delta(kind, old.as_ref(), new.as_ref())
        .into_iter()
        .map(|line| (line.direction, line.change))
        .collect()
}

fn delta(old: Value, new: Value) -> Vec<(Direction, String)> {
    delta_of(DocKind::Identity, Some(old), Some(new))
}

fn statement(effect: &str, actions: Value, resources: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": actions, "Resource": resources}]})
}

#[test]
fn added_action_broadens_an_allow_and_narrows_a_deny() {
    let old = statement("Allow", json!("dynamodb:GetItem"), json!(TABLE));
    let new = statement(
        "Allow",
        json!(["dynamodb:GetItem", "dynamodb:Scan"]),
        json!(TABLE),
    );
    assert_eq!(
        delta(old, new),
        [(
            Direction::Broadens,
            "actions added: dynamodb:scan".to_string()
        )]
    );
    let old = statement("Deny", json!("dynamodb:GetItem"), json!("*"));
    let new = statement(
        "Deny",
        json!(["dynamodb:GetItem", "dynamodb:Scan"]),
        json!("*"),
    );
    assert_eq!(delta(old, new)[0].0, Direction::Narrows);
}

#[test]
fn resources_widened_to_star() {
    let old = statement("Allow", json!("dynamodb:GetItem"), json!(TABLE));
    let new = statement("Allow", json!("dynamodb:GetItem"), json!("*"));
    assert_eq!(
        delta(old, new),
        [
            (Direction::Broadens, "resources widened: *".to_string()),
            (
                Direction::Review,
                format!("resources narrowed: {TABLE} — still within a wildcard")
            ),
        ]
    );
}

#[test]
fn changes_within_a_wildcard_are_for_review() {
    let old = statement(
        "Allow",
        json!(["dynamodb:*", "dynamodb:GetItem"]),
        json!("*"),
    );
    let new = statement("Allow", json!(["dynamodb:*", "dynamodb:Scan"]), json!("*"));
    assert_eq!(
        delta(old, new),
        [
            (
                Direction::Review,
                "actions added: dynamodb:scan — already within a wildcard".to_string()
            ),
            (
                Direction::Review,
                "actions removed: dynamodb:getitem — still within a wildcard".to_string()
            ),
        ]
    );
}

#[test]
fn not_action_exceptions_move_the_other_way() {
    let deny_all_but = |actions: Value| json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": actions, "Resource": "*"}]});
    let more_exceptions = delta(
        deny_all_but(json!(["dynamodb:*"])),
        deny_all_but(json!(["dynamodb:*", "kms:Decrypt"])),
    );
    assert_eq!(
        more_exceptions,
        [(
            Direction::Broadens,
            "NotAction exceptions added: kms:decrypt".to_string()
        )]
    );
    let switched = delta(
        deny_all_but(json!(["dynamodb:*"])),
        statement("Deny", json!(["dynamodb:*"]), json!("*")),
    );
    assert_eq!(switched[0].0, Direction::Review);
    assert!(
        switched[0].1.starts_with("switched from NotAction"),
        "{switched:?}"
    );
}

#[test]
fn flipped_effect_is_a_removed_and_an_added_statement() {
    let old = statement("Allow", json!("dynamodb:GetItem"), json!(TABLE));
    let new = statement("Deny", json!("dynamodb:GetItem"), json!(TABLE));
    assert_eq!(
        delta(old, new),
        [
            (Direction::Narrows, "statement added".to_string()),
            (Direction::Narrows, "statement removed".to_string()),
        ]
    );
}

#[test]
fn whole_documents_added_and_removed() {
    let doc = json!({"Statement": [
        {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": TABLE,
         "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}}},
        {"Effect": "Deny", "Action": "dynamodb:DeleteTable", "Resource": "*"}
    ]});
    assert_eq!(
        delta_of(DocKind::Identity, None, Some(doc.clone())),
        [
            (
                Direction::Broadens,
                "statement added, when StringEquals aws:sourcevpc = vpc-1".to_string()
            ),
            (Direction::Narrows, "statement added".to_string()),
        ]
    );
    let removed = delta_of(DocKind::Identity, Some(doc), None);
    assert_eq!(
        removed[0],
        (Direction::Broadens, "statement removed".to_string())
    );
}

#[test]
fn version_and_unknown_elements_are_for_review() {
    let mut old = statement("Allow", json!("dynamodb:GetItem"), json!(TABLE));
    let mut new = old.clone();
    new["Version"] = json!("2008-10-17");
    new["Statement"][0]["Bogus"] = json!(1);
    old["Statement"][0]["Bogus"] = json!(2);
    let lines = delta(old, new);
    assert_eq!(lines.len(), 2);
    assert!(lines
        .iter()
        .all(|(direction, _)| *direction == Direction::Review));
    assert!(lines[0]
        .1
        .starts_with("policy language version 2012-10-17 → 2008-10-17"));
    assert_eq!(lines[1].1, "element Bogus changed from 2 to 1");
}

#[test]
fn event_rules_are_for_review() {
    let rule = |state: &str| json!({"EventPattern": {"source": ["aws.dynamodb"]}, "State": state, "Targets": []});
    assert_eq!(
        delta_of(
            DocKind::EventRule,
            Some(rule("ENABLED")),
            Some(rule("DISABLED"))
        ),
        [(Direction::Review, "state ENABLED → DISABLED".to_string())]
    );
    assert_eq!(
        delta_of(DocKind::EventRule, None, Some(rule("ENABLED"))),
        [(Direction::Review, "event rule added".to_string())]
    );
}

#[test]
fn attaching_by_effect() {
    let allow = normalize(&statement("Allow", json!("dynamodb:GetItem"), json!(TABLE)));
    let deny = normalize(&statement("Deny", json!("dynamodb:GetItem"), json!(TABLE)));
    let (one, two) = (
        vec!["a".to_string()],
        vec!["a".to_string(), "b".to_string()],
    );
    let directions = |old: &[String], new: &[String], doc: &Value| -> Vec<Direction> {
        attachment_delta(old, new, doc, doc)
            .into_iter()
            .map(|line| line.direction)
            .collect()
    };
    assert_eq!(directions(&one, &two, &allow), [Direction::Broadens]);
    assert_eq!(directions(&two, &one, &allow), [Direction::Narrows]);
    assert_eq!(directions(&one, &two, &deny), [Direction::Narrows]);
    assert_eq!(directions(&one, &one, &deny), []);
}
