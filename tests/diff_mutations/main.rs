//! Mutation test: hundreds of random changes to realistic documents. Every
//! semantic change must be reported as a change, with the access delta
//! pointing the right way; no cosmetic change may be reported at all.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod corpus;
#[path = "../diff_common/mod.rs"]
mod diff_common;
mod mutate;
mod xorshift;

use std::collections::BTreeMap;

use dpol::diff::{compare, read_deployed, DiffReport, Direction, Status};
use dpol::iam::DocKind;
use dpol::iam::Document;
use mutate::{Expect, COSMETIC, SEMANTIC};
use serde_json::{json, Value};
use xorshift::XorShift;

const TRIALS: usize = 1_200;

fn doc(name: &str, document: Value, origin: &str) -> Document {
    Document {
        kind: DocKind::Identity,
        name: format!("dpol-{name}"),
        attach: vec!["arn:aws:iam::123456789012:role/r".to_string()],
        document,
        origin: origin.to_string(),
        sources: Vec::new(),
    }
}

/// `document` through a reader: as JSON text with random whitespace, in a
/// wrapped `get-resource-policy` output; or simply as a JSON string.
fn reformat_or_embed(document: &Value, rng: &mut XorShift) -> Value {
    let text = mutate::reformat(document, rng);
    if rng.chance(50) {
        return Value::String(text);
    }
    let output = json!({"ResourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders", "Policy": text});
    let mut docs = read_deployed("mutant.json", &output.to_string()).unwrap();
    docs.remove(0).document
}

fn check_expectation(report: &DiffReport, expect: Expect) -> Result<(), String> {
    let directions: Vec<Direction> = report.documents[0]
        .delta
        .iter()
        .map(|line| line.direction)
        .collect();
    let has = |direction: Direction| directions.contains(&direction);
    let fits = match expect {
        Expect::Broadens => has(Direction::Broadens) && !has(Direction::Narrows),
        Expect::Narrows => has(Direction::Narrows) && !has(Direction::Broadens),
        Expect::Review => {
            has(Direction::Review) && !has(Direction::Broadens) && !has(Direction::Narrows)
        }
        Expect::Any => !directions.is_empty(),
    };
    if fits {
        Ok(())
    } else {
        Err(format!(
            "expected {expect:?}, got {:?}",
            report.documents[0].delta
        ))
    }
}

#[test]
fn semantic_mutations_are_changes_and_cosmetic_ones_are_not() {
    let corpus = corpus::corpus();
    let mut rng = XorShift::new(0x5EED_D1FF);
    let mut applied: BTreeMap<&str, usize> = BTreeMap::new();
    let mut semantic_trials = 0;
    for trial in 0..TRIALS {
        let semantic_kind = rng.chance(50).then(|| SEMANTIC[rng.below(SEMANTIC.len())]);
        let (name, original) = loop {
            let candidate = &corpus[rng.below(corpus.len())];
            let applies =
                |kind| mutate::semantic(kind, &mut candidate.1.clone(), &mut rng.clone()).is_some();
            if semantic_kind.is_none_or(applies) {
                break candidate;
            }
        };
        let mut mutated = original.clone();
        let mut steps = Vec::new();
        for _ in 0..rng.below(4) {
            let kind = COSMETIC[rng.below(COSMETIC.len() - 1)];
            mutate::cosmetic(kind, &mut mutated, &mut rng);
            steps.push(kind);
        }
        let expect = semantic_kind.map(|kind| {
            steps.push(kind);
            mutate::semantic(kind, &mut mutated, &mut rng)
                .expect("the kind applies to this document")
        });
        for _ in 0..rng.below(3) {
            let kind = COSMETIC[rng.below(COSMETIC.len() - 1)];
            mutate::cosmetic(kind, &mut mutated, &mut rng);
            steps.push(kind);
        }
        if rng.chance(30) {
            mutated = reformat_or_embed(&mutated, &mut rng);
            steps.push(COSMETIC[COSMETIC.len() - 1]);
        }
        for step in &steps {
            *applied.entry(step).or_default() += 1;
        }

        let report = compare(
            &[doc(name, mutated.clone(), "compiled")],
            &[doc(name, original.clone(), "deployed")],
        );
        let context = || {
            format!("trial {trial}, {name}, {steps:?}\noriginal: {original}\nmutated: {mutated}")
        };
        assert_eq!(report.documents.len(), 1, "{}", context());
        let status = report.documents[0].status;
        match expect {
            None => assert_eq!(
                status,
                Status::Unchanged,
                "{}\n{:?}",
                context(),
                report.documents[0].delta
            ),
            Some(expect) => {
                semantic_trials += 1;
                assert_eq!(status, Status::Changed, "{}", context());
                assert!(report.documents[0].diff.is_some(), "{}", context());
                if let Err(problem) = check_expectation(&report, expect) {
                    panic!("{problem}\n{}", context());
                }
            }
        }
    }
    assert!(
        semantic_trials > TRIALS / 3,
        "only {semantic_trials} semantic trials"
    );
    for kind in SEMANTIC.iter().chain(&COSMETIC) {
        let count = applied.get(kind).copied().unwrap_or(0);
        assert!(
            count >= 30,
            "{kind} applied only {count} times: {applied:?}"
        );
    }
}
