//! VPC endpoint policies: from the endpoint's own policy block, or derived
//! from the grants that name the endpoint with `via`. Gateway endpoints need
//! `"Principal": "*"`; principals are narrowed with conditions.

use std::collections::BTreeMap;

use super::finish::single;
use super::identity::{resources, Reach};
use super::sid::{sid, Built};
use super::Compiled;
use crate::catalog::Action;
use crate::diag::Diagnostics;
use crate::iam::{action, add_condition, Conditions, DocKind, Effect, Statement};
use crate::model::{Effect as GrantEffect, Endpoint, EndpointPolicy, Grant, Model, Network, Table};
use crate::vocab::PrincipalKind;

/// The policy of every endpoint that has a policy block, in declaration order.
pub(crate) fn documents(model: &Model, diags: &mut Diagnostics) -> Vec<Compiled> {
    let through = by_endpoint(model);
    let mut docs = Vec::new();
    for e in &model.endpoints {
        let grants = through.get(e.id.as_str()).map_or(&[][..], Vec::as_slice);
        let statements = statements(model, e, grants);
        if statements.is_empty() {
            continue;
        }
        let attach = vec![e.id.clone()];
        docs.extend(single(
            DocKind::VpcEndpoint,
            &e.id,
            statements,
            attach,
            diags,
        ));
    }
    docs
}

/// The statements of one endpoint's policy, from its block (and, with `from
/// grants`, from the grants that go `via` it). Empty for an endpoint without
/// a block: its policy is left as deployed, because a policy written from
/// the grants alone would replace the endpoint's full-access default for
/// every other workload behind it. `grants`: the allow grants that go `via`
/// the endpoint's id, in source order (see [`by_endpoint`]).
pub fn statements(model: &Model, endpoint: &Endpoint, grants: &[&Grant]) -> Vec<Built> {
    let Some(policy) = &endpoint.policy else {
        return Vec::new();
    };
    let mut out = explicit(model, policy);
    if policy.from_grants {
        out.extend(derived(model, grants));
    }
    out
}

/// Endpoint id → the allow grants that go `via` it, in source order: one
/// pass over the grants instead of one per endpoint.
pub fn by_endpoint(model: &Model) -> BTreeMap<&str, Vec<&Grant>> {
    let mut out: BTreeMap<&str, Vec<&Grant>> = BTreeMap::new();
    for grant in model
        .grants
        .iter()
        .filter(|g| g.effect == GrantEffect::Allow)
    {
        for (i, network) in grant.via.iter().enumerate() {
            // Once per grant, however often it names the endpoint.
            if let Network::Endpoint(id) = network {
                if !grant.via[..i].contains(network) {
                    out.entry(id.as_str()).or_default().push(grant);
                }
            }
        }
    }
    out
}

/// Statements allowing `actions` on `table`, one per resource shape.
fn allow(
    prefix: &str,
    table: Option<&Table>,
    reach: Reach<'_>,
    actions: &[&Action],
    condition: &Conditions,
    spans: &[crate::source::Span],
) -> Vec<Built> {
    let mut groups: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for a in actions {
        let resources = resources(a, table, reach);
        if !resources.is_empty() {
            groups
                .entry(resources)
                .or_default()
                .push(action("dynamodb", &a.name));
        }
    }
    let table_word = table.map_or("AllTables", |t| t.name.as_str());
    groups
        .into_iter()
        .map(|(resource, actions)| Built {
            statement: Statement::new(sid(&[prefix, table_word]), Effect::Allow, actions, resource)
                .for_everyone()
                .when(condition.clone()),
            spans: spans.to_vec(),
        })
        .collect()
}

fn explicit(model: &Model, policy: &EndpointPolicy) -> Vec<Built> {
    let mut condition = Conditions::new();
    if !policy.principal_arns.is_empty() {
        add_condition(
            &mut condition,
            "ArnEquals",
            "aws:PrincipalArn",
            policy.principal_arns.clone(),
        );
    }
    if !policy.accounts.is_empty() {
        add_condition(
            &mut condition,
            "StringEquals",
            "aws:PrincipalAccount",
            policy.accounts.clone(),
        );
    }
    if let Some(org) = &policy.org {
        add_condition(
            &mut condition,
            "StringEquals",
            "aws:PrincipalOrgID",
            vec![org.clone()],
        );
    }
    let mut out = Vec::new();
    for rule in &policy.allows {
        let table = rule.table.and_then(|t| model.tables.get(t));
        let spans = [rule.span];
        if rule.all {
            // `allow TABLE`: every DynamoDB action on the table and its sub-resources.
            let resource = match table {
                Some(t) => super::perimeter::table_resources(t),
                None => vec!["*".to_string()],
            };
            let name = sid(&["Allow", table.map_or("AllTables", |t| t.name.as_str())]);
            out.push(Built {
                statement: Statement::new(name, Effect::Allow, vec!["dynamodb:*".into()], resource)
                    .for_everyone()
                    .when(condition.clone()),
                spans: spans.to_vec(),
            });
        } else {
            let words: Vec<&str> = rule.verbs.iter().map(|v| v.keyword()).collect();
            let prefix = if words.is_empty() {
                "Can".to_string()
            } else {
                words.join(" ")
            };
            out.extend(allow(
                &prefix,
                table,
                Reach::Allow { keyed: false },
                &rule.actions,
                &condition,
                &spans,
            ));
        }
    }
    out
}

fn derived(model: &Model, grants: &[&Grant]) -> Vec<Built> {
    let mut out = Vec::new();
    for &grant in grants {
        let Some(principal) = model.principals.get(grant.principal) else {
            continue;
        };
        let mut condition = Conditions::new();
        // Group members cannot be named in a condition: narrow to the group's account.
        if principal.kind == PrincipalKind::Group {
            add_condition(
                &mut condition,
                "StringEquals",
                "aws:PrincipalAccount",
                vec![principal.account_id.clone()],
            );
        } else {
            add_condition(
                &mut condition,
                "ArnEquals",
                "aws:PrincipalArn",
                vec![principal.arn.clone()],
            );
        }
        let table = grant.table.and_then(|t| model.tables.get(t));
        out.extend(allow(
            &principal.name,
            table,
            Reach::of(grant, table),
            &grant.actions,
            &condition,
            &[grant.span],
        ));
    }
    out
}
