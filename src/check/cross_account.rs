//! W0015: a grant to a principal of one account on a table of another.
//! Across accounts AWS allows a request only when both the caller's
//! identity policy and the table's resource-based policy allow it (IAM User
//! Guide, "Cross account resource access in IAM"; DynamoDB Developer Guide,
//! "Cross-account access with resource-based policies"). dpol writes the
//! identity side; the statement the table's resource policy needs is in the
//! manifest's `requires` (`emit::cross_account`).

use super::Checker;
use crate::diag::{Code, Diagnostic};
use crate::model::Effect;

impl Checker<'_, '_, '_> {
    pub(super) fn cross_account_grants(&mut self) {
        let mut found = Vec::new();
        for g in &self.model.grants {
            if g.effect != Effect::Allow {
                continue;
            }
            let (Some(p), Some(t)) = (
                self.model.principals.get(g.principal),
                g.table.and_then(|t| self.model.tables.get(t)),
            ) else {
                continue;
            };
            if p.account_id != t.account_id {
                found.push((
                    g.span,
                    p.name.clone(),
                    p.account_id.clone(),
                    t.name.clone(),
                    t.account_id.clone(),
                ));
            }
        }
        for (span, who, who_account, table, table_account) in found {
            self.diags.push(
                Diagnostic::new(
                    Code::CrossAccountGrant,
                    span,
                    format!("`{who}` is in account {who_account}, `{table}` in {table_account}: this grant takes effect only when `{table}`'s resource-based policy allows it too"),
                )
                .label("a grant across accounts")
                .note("across accounts AWS allows a request only when the caller's identity policy and the table's resource policy both allow it; dpol writes the identity policy only")
                .help(format!("add the statement listed under `requires` in the manifest to `{table}`'s resource policy")),
            );
        }
    }
}
