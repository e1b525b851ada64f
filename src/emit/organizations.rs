//! AWS Organizations policies: one perimeter SCP, and one RCP, per distinct
//! scope (the OUs and accounts it attaches to), the governance SCP that
//! protects the perimeter's roles, and the check that every target keeps
//! within its SCP and RCP quotas.
//!
//! Quotas (Organizations User Guide, "Quotas and service limits", current
//! revision): 10 SCPs attached to a root, OU or account, `FullAWSAccess`
//! among them, and 10,240 characters per SCP; 5 RCPs, `RCPFullAWSAccess`
//! among them, and 5,120 characters per RCP. SCPs and RCPs never apply to
//! the management account, so it is never a target.

use std::collections::BTreeMap;

use super::finish::{single, split};
use super::perimeter::{self, Covers, Layer};
use super::sid::{sid, Built};
use super::Compiled;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::iam::DocKind;
use crate::iam::{add_condition, Conditions, Effect, Statement, GOVERNANCE_SCP_NAME};
use crate::model::{Model, Perimeter, PerimeterRole};
use crate::source::Span;

/// SCPs per target: AWS allows 10, and FullAWSAccess takes one.
pub const MAX_SCPS_PER_TARGET: usize = 9;
/// RCPs per target: AWS allows 5, and RCPFullAWSAccess, which cannot be
/// detached, counts (Organizations User Guide, quotas: "it counts towards
/// the 5 policies quota").
pub const MAX_RCPS_PER_TARGET: usize = 4;

/// The SCP and RCP documents of the program.
pub fn policies(model: &Model, diags: &mut Diagnostics) -> Vec<Compiled> {
    let management: Vec<&str> = model
        .accounts
        .iter()
        .filter(|a| a.management)
        .map(|a| a.id.as_str())
        .collect();
    let targets_of = |p: &Perimeter| -> Vec<String> {
        p.scope
            .iter()
            .filter(|t| !management.contains(&t.as_str()))
            .cloned()
            .collect()
    };
    let mut docs = Vec::new();
    let mut per_target: BTreeMap<(DocKind, String), (usize, Span)> = BTreeMap::new();
    let mut all_targets: Vec<String> = Vec::new();
    for (kind, layer) in [(DocKind::Scp, Layer::Scp), (DocKind::Rcp, Layer::Rcp)] {
        let carried = |p: &Perimeter| match layer {
            Layer::Scp => p.layers.scp,
            _ => p.layers.rcp,
        };
        // Scope (targets without the management account) → its perimeters.
        let mut by_scope: BTreeMap<Vec<String>, Vec<(Covers<'_>, &Perimeter)>> = BTreeMap::new();
        let tables = model
            .tables
            .iter()
            .filter_map(|t| t.private.as_ref().map(|p| (Covers::Table(t), p)));
        let all = model.all_tables.iter().map(|p| (Covers::All, p));
        for (covers, p) in tables.chain(all).filter(|(_, p)| carried(p)) {
            let targets = targets_of(p);
            if !targets.is_empty() {
                by_scope.entry(targets).or_default().push((covers, p));
            }
        }
        for (scope, perimeters) in by_scope {
            all_targets.extend(scope.iter().cloned());
            let (statements, exceptions) =
                perimeter::organization_statements(layer, &perimeters, &model.perimeter_roles);
            let span = perimeters.first().map(|(_, p)| p.span).unwrap_or_default();
            // Organizations refuses two policies of one name, whatever their
            // type: an RCP's name says it is one.
            let name = match kind {
                DocKind::Rcp => scope_name(&scope).replacen("dpol-", "dpol-rcp-", 1),
                _ => scope_name(&scope),
            };
            for doc in split(kind, &name, statements, scope.clone(), diags) {
                for target in &scope {
                    per_target
                        .entry((kind, target.clone()))
                        .or_insert((0, span))
                        .0 += 1;
                }
                docs.push(Compiled {
                    exceptions: exceptions.clone(),
                    ..doc
                });
            }
        }
    }
    all_targets.sort();
    all_targets.dedup();
    if let Some(doc) = governance(model, &all_targets, diags) {
        let span = doc.spans.first().copied().unwrap_or_default();
        for target in &doc.attach {
            per_target
                .entry((DocKind::Scp, target.clone()))
                .or_insert((0, span))
                .0 += 1;
        }
        docs.push(doc);
    }
    quota_per_target(&per_target, diags);
    docs
}

/// E0411 for each root, OU or account that would need more dpol SCPs or
/// RCPs than AWS attaches to one target (`per_target`: how many, and the
/// first perimeter's span).
fn quota_per_target(
    per_target: &BTreeMap<(DocKind, String), (usize, Span)>,
    diags: &mut Diagnostics,
) {
    for ((kind, target), &(count, span)) in per_target {
        let kind = *kind;
        let (max, quota) = match kind {
            DocKind::Rcp => (MAX_RCPS_PER_TARGET, "AWS attaches at most 5 RCPs to a root, OU or account, and RCPFullAWSAccess takes one"),
            _ => (MAX_SCPS_PER_TARGET, "AWS attaches at most 10 SCPs to a root, OU or account, and FullAWSAccess takes one"),
        };
        if count > max {
            diags.push(
                Diagnostic::new(
                    Code::TooManyPolicies,
                    span,
                    format!(
                        "`{target}` would need {count} dpol {}s; at most {max} fit",
                        kind.as_str().to_uppercase()
                    ),
                )
                .label("too many perimeters for one target")
                .note(quota)
                .help(
                    "give private tables the same scope so that their perimeters share one policy",
                ),
            );
        }
    }
}

/// The IAM actions that would re-trust, re-permission, replace or remove a
/// role: whoever can call them on a break-glass, exempt or deployer role
/// could make themselves that role and walk through every perimeter.
const ROLE_CHANGES: [&str; 13] = [
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
];

/// The governance SCP: denies the role-changing IAM actions on every
/// break-glass, exempt and deployer role to everyone but the role's
/// `managed by` principals, in every target of the perimeters. AWS's
/// data-perimeter examples have no such statement (their governance SCP
/// protects tags); this is dpol's own, in the same Deny-with-exception shape.
fn governance(model: &Model, targets: &[String], diags: &mut Diagnostics) -> Option<Compiled> {
    if targets.is_empty() || model.perimeter_roles.is_empty() {
        return None;
    }
    // Roles with the same managers share a statement.
    let mut by_managers: BTreeMap<&[String], Vec<&PerimeterRole>> = BTreeMap::new();
    for role in &model.perimeter_roles {
        by_managers.entry(&role.managers).or_default().push(role);
    }
    let statements: Vec<Built> = by_managers
        .into_iter()
        .map(|(managers, roles)| {
            let mut condition = Conditions::new();
            if !managers.is_empty() {
                add_condition(
                    &mut condition,
                    "ArnNotLikeIfExists",
                    "aws:PrincipalArn",
                    managers.to_vec(),
                );
            }
            Built {
                statement: Statement::new(
                    sid(&["Protect Perimeter Roles"]),
                    Effect::Deny,
                    ROLE_CHANGES.iter().map(|a| a.to_string()).collect(),
                    roles.iter().map(|r| r.arn_pattern()).collect(),
                )
                .when(condition),
                spans: roles.iter().map(|r| r.span).collect(),
            }
        })
        .collect();
    single(
        DocKind::Scp,
        GOVERNANCE_SCP_NAME,
        statements,
        targets.to_vec(),
        diags,
    )
}

/// `dpol-perimeter-ou-ab12-34cd5678`: the scope's targets; when long, the
/// first one, the count of the others, and a hash of them all, so that two
/// scopes never share a name (Organizations policy names: 1 to 128 ASCII
/// characters).
fn scope_name(scope: &[String]) -> String {
    let joined = scope.join("-");
    if joined.len() <= 100 {
        format!("dpol-perimeter-{joined}")
    } else {
        format!(
            "dpol-perimeter-{}-and-{}-more-{:016x}",
            scope.first().map_or("", String::as_str),
            scope.len() - 1,
            fnv1a(joined.as_bytes())
        )
    }
}

/// FNV-1a, 64 bits: a stable hash for names (not for security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_scopes_get_distinct_names() {
        let a: Vec<String> = (0..20)
            .map(|i| format!("{:012}", 111_122_220_000u64 + i))
            .collect();
        let mut b = a.clone();
        b[19] = "999999999999".into();
        assert_ne!(scope_name(&a), scope_name(&b));
        assert!(scope_name(&a).len() <= 128);
        assert_eq!(
            scope_name(&["ou-ab12-34cd5678".into()]),
            "dpol-perimeter-ou-ab12-34cd5678"
        );
    }
}
