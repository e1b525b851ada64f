//! KMS for tables encrypted with a customer managed key: the identity
//! statements that let a grant's principal use the key through DynamoDB,
//! and the key-policy statements a key in another account must have.

use std::collections::BTreeMap;

use super::sid::{sid, Built};
use super::Requirement;
use crate::catalog::{verbs, Action, Catalog};
use crate::iam::{action, add_condition, Conditions, Effect, Statement, Strings};
use crate::model::{Grant, Principal, Table};

/// KMS permissions for a customer managed key, through DynamoDB in the
/// table's region only (`kms:ViaService`): `Decrypt` and `DescribeKey` for
/// item access and stream records (streams use the table's key), and for
/// `manages` the set the DynamoDB Developer Guide lists for whoever selects
/// the key, with `CreateGrant` in a statement of its own limited by
/// `kms:GrantIsForAWSResource` (only DynamoDB, on the caller's behalf, may
/// create the table's grant).
pub(crate) fn statement(
    catalog: &Catalog,
    grant: &Grant,
    t: &Table,
    actions: &[&Action],
    out: &mut BTreeMap<(String, String, bool), Built>,
) {
    if t.kms_keys.is_empty() {
        return;
    }
    let manage = grant.verbs.contains(&crate::vocab::Verb::Manage);
    if !manage && !actions.iter().any(|a| verbs::needs_table_key(a)) {
        return;
    }
    let wanted: &[&str] = if manage {
        &[
            "Decrypt",
            "DescribeKey",
            "Encrypt",
            "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext",
            "ReEncryptFrom",
            "ReEncryptTo",
        ]
    } else {
        &["Decrypt", "DescribeKey"]
    };
    // Each region's key, usable through DynamoDB in that region only.
    for region in t.regions() {
        let Some(key) = t.kms_key_in(region) else {
            continue;
        };
        kms_in_region(catalog, grant, t, key, region, wanted, manage, out);
    }
}

/// The KMS statements of one region's key (see [`statement`]).
#[allow(clippy::too_many_arguments)] // one call site; the parts of one statement
fn kms_in_region(
    catalog: &Catalog,
    grant: &Grant,
    t: &Table,
    key: &str,
    region: &str,
    wanted: &[&str],
    manage: bool,
    out: &mut BTreeMap<(String, String, bool), Built>,
) {
    let key = key.to_string();
    let via = format!("dynamodb.{region}.amazonaws.com");
    let mut add = |names: &[&str], grants: bool| {
        let kms_actions: Vec<String> = names
            .iter()
            .filter_map(|n| catalog.kms.action(n))
            .map(|a| action("kms", &a.name))
            .collect();
        let entry = out
            .entry((key.clone(), via.clone(), grants))
            .or_insert_with(|| {
                let mut condition = Conditions::new();
                add_condition(
                    &mut condition,
                    "StringEquals",
                    "kms:ViaService",
                    vec![via.clone()],
                );
                if grants {
                    add_condition(
                        &mut condition,
                        "Bool",
                        "kms:GrantIsForAWSResource",
                        vec!["true".into()],
                    );
                }
                let words = if grants { "Kms Grants" } else { "Kms" };
                Built {
                    statement: Statement::new(
                        sid(&[words, &t.name]),
                        Effect::Allow,
                        Vec::new(),
                        vec![key.clone()],
                    )
                    .when(condition),
                    spans: Vec::new(),
                }
            });
        if let Some(existing) = entry.statement.action.as_mut() {
            let mut all = std::mem::take(&mut existing.0);
            all.extend(kms_actions);
            *existing = Strings::sorted(all);
        }
        entry.spans.push(grant.span);
    };
    add(wanted, false);
    if manage {
        add(&["CreateGrant"], true);
    }
}

/// The key-policy statement a KMS key in another account must have for
/// `principal` to use it through DynamoDB: across accounts, the key policy
/// must allow the principal too (KMS Developer Guide, "Allowing users in
/// other accounts to use a KMS key").
pub(crate) fn key_policy_requirements(
    principal: &Principal,
    statements: &[Built],
) -> Vec<Requirement> {
    let mut out = Vec::new();
    for b in statements {
        let s = &b.statement;
        let Some(actions) = &s.action else { continue };
        if !actions.0.iter().all(|a| a.starts_with("kms:")) {
            continue;
        }
        for key in &s.resource.0 {
            let key_account = crate::iam::account_of(key);
            if key_account == principal.account_id {
                continue;
            }
            out.push(Requirement {
                policy_of: format!("the key policy of {key}"),
                why: "a KMS key in another account: its key policy must allow this principal too",
                statement: serde_json::json!({
                    "Sid": sid(&["Allow", &principal.name, "Through DynamoDB"]),
                    "Effect": "Allow",
                    "Principal": {"AWS": principal.arn},
                    "Action": actions.0,
                    "Resource": "*",
                    "Condition": s.condition,
                }),
            });
        }
    }
    out
}
