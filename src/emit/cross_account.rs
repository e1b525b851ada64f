//! The resource-policy statements a table in another account must have for
//! a principal's identity statements on it to take effect (W0015): across
//! accounts, the table's resource-based policy must allow the principal too
//! (IAM User Guide, "Cross account resource access in IAM").

use std::collections::BTreeMap;

use super::sid::{sid, Built};
use super::Requirement;
use crate::iam::Effect;
use crate::model::Principal;

/// For each statement of `principal` that allows DynamoDB actions on
/// resources of other accounts, the statement each table's resource policy
/// must add: the same actions and conditions on that table's resources,
/// with the principal named.
pub(crate) fn table_policy_requirements(
    principal: &Principal,
    statements: &[Built],
) -> Vec<Requirement> {
    let mut out = Vec::new();
    for b in statements {
        let s = &b.statement;
        let Some(actions) = &s.action else { continue };
        if !actions.0.iter().all(|a| a.starts_with("dynamodb:")) || s.effect != Effect::Allow {
            continue;
        }
        // The other accounts' resources, by table.
        let mut by_table: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for arn in &s.resource.0 {
            let account = arn.split(':').nth(4).unwrap_or_default();
            if account.is_empty() || account == principal.account_id {
                continue;
            }
            let Some((head, path)) = arn.split_once(":table/") else {
                continue;
            };
            let name = path.split('/').next().unwrap_or_default();
            by_table
                .entry(format!("{head}:table/{name}"))
                .or_default()
                .push(arn.clone());
        }
        for (table, resources) in by_table {
            let mut statement = serde_json::json!({
                "Sid": sid(&["Allow", &principal.name, &s.sid]),
                "Effect": "Allow",
                "Principal": {"AWS": principal.arn},
                "Action": actions.0,
                "Resource": resources,
            });
            if !s.condition.is_empty() {
                statement["Condition"] = serde_json::json!(s.condition);
            }
            out.push(Requirement {
                policy_of: format!("the resource-based policy of {table}"),
                why: "a table in another account: its resource-based policy must allow this principal too",
                statement,
            });
        }
    }
    out
}
