//! The examples' expectations hold under the independent evaluator too:
//! every request `dpol test` evaluates is given, with the documents AWS
//! would evaluate for it, to `@cloud-copilot/iam-simulate` (`tests/sim`),
//! whose decision must be the expectation's. So `dpol test` passing means
//! more than dpol agreeing with itself.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod sim_world;
#[macro_use]
mod tools;
use tools::Tool;

use std::path::PathBuf;

use serde_json::{json, Map, Value};
use sim_world::{req, simulate, World};

#[test]
fn every_example_expectation_holds_under_the_independent_evaluator() {
    require!(Tool::Evaluator);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (sources, diags) = dpol::load::load(&[root.join("examples")]).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    let (compiled, diags) = dpol::compile_program(&sources);
    let (model, docs) = compiled.unwrap_or_else(|| panic!("{diags:?}"));
    let suite = dpol::expect::Suite::of(&model);
    let catalog = dpol::catalog::catalog().unwrap();
    let requests = dpol::expect::requests(&suite, catalog, "2026-12-01T00:00:00Z").unwrap();

    let mut world = World::of(docs);
    for (account, ou, management) in model.account_placements() {
        if management {
            world = world.management(account);
        } else if let Some(ou) = ou {
            world = world.ou(account, &[ou]);
        }
    }
    // Every KMS key has a key policy; dpol assumes the default one, which
    // lets the account's IAM policies decide (AWS KMS Developer Guide,
    // "Default key policy").
    for (key, account) in model.kms_keys() {
        world = world.resource_policy(
            key,
            json!({"Version": "2012-10-17", "Statement": [{
                "Sid": "Enable IAM User Permissions", "Effect": "Allow",
                "Principal": {"AWS": format!("arn:aws:iam::{account}:root")},
                "Action": "kms:*", "Resource": "*"}]}),
        );
    }

    let mut cases = Vec::new();
    let mut wanted = Vec::new();
    for (x, mine) in suite.expectations.iter().zip(&requests) {
        for (_, request) in mine {
            let mut context = Map::new();
            for (key, v) in request.context.iter() {
                let value = if v.multi {
                    json!(v.values)
                } else {
                    json!(v.values.first())
                };
                context.insert(key.to_string(), value);
            }
            let r = req(&request.principal, &request.action, &request.resource)
                .ctx(Value::Object(context));
            let line = sources
                .get(x.span.file)
                .map_or(0, |f| f.line_col(x.span.start as usize).0);
            cases.push((line, r.clone(), world.case(&r)));
            wanted.push(x.allowed);
        }
    }
    assert!(cases.len() > 150, "{} requests", cases.len());
    let outcomes = simulate(&cases.iter().map(|(_, _, c)| c.clone()).collect::<Vec<_>>());
    let failures: Vec<String> = cases
        .iter()
        .zip(&outcomes)
        .zip(&wanted)
        .filter(|((_, got), allowed)| (got.decision == "Allowed") != **allowed)
        .map(|(((line, r, _), got), allowed)| {
            format!(
                "line {line}: {} {} on {} {}: expected {}, the evaluator says {} — {}",
                r.principal,
                r.action,
                r.resource,
                r.context,
                if *allowed { "allowed" } else { "denied" },
                got.decision,
                got.detail
            )
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
