//! Grants to a principal of one account on a table of another. Across
//! accounts AWS allows a request only when both the caller's identity
//! policy and the table's resource-based policy allow it (IAM User Guide,
//! "Cross account resource access in IAM"; DynamoDB Developer Guide,
//! "Cross-account access with resource-based policies"). dpol writes both
//! (`emit::cross_account`), so such a grant takes effect, with two limits
//! said here:
//!
//! - E0423: a group cannot be a resource policy's principal (IAM User
//!   Guide, "AWS JSON policy elements: Principal"), so a group's grant on
//!   another account's table can never take effect.
//! - W0015: DynamoDB does not let another account use every action
//!   (`catalog::cross_account`). A verb means the part of its set that
//!   works there; the actions a `can` names that do not work are listed.
//!   Stream actions need the stream's own policy, which dpol does not
//!   write: it is in the manifest's `requires`, and W0015 says so.

use super::Checker;
use crate::catalog::cross_account::{on_streams, on_tables};
use crate::diag::{Code, Diagnostic};
use crate::model::Effect;
use crate::source::Span;
use crate::vocab::PrincipalKind;

/// One grant across accounts, in words.
struct Across {
    span: crate::source::Span,
    who: String,
    who_account: String,
    group: bool,
    table: String,
    table_account: String,
    /// The table actions another account cannot use.
    refused: Vec<String>,
    /// The stream actions (their policy is the stream's).
    stream: Vec<String>,
}

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
            if p.account_id == t.account_id {
                continue;
            }
            let (mut refused, mut stream) = (Vec::new(), Vec::new());
            // Actions with no resource act on the caller's own account. A
            // verb across accounts means the part of its set DynamoDB
            // allows there (grammar/README.md, tests/golden/verbs.txt), so
            // only actions a `can` names are reported as refused.
            let named = g.verbs.is_empty();
            for a in g.actions.iter().filter(|a| !a.resourceless()) {
                let action = format!("dynamodb:{}", a.name);
                if on_streams(&action) {
                    stream.push(a.name.clone());
                } else if named && !on_tables(&action) {
                    refused.push(a.name.clone());
                }
            }
            found.push(Across {
                span: g.span,
                who: p.name.clone(),
                who_account: p.account_id.clone(),
                group: p.kind == PrincipalKind::Group,
                table: t.name.clone(),
                table_account: t.account_id.clone(),
                refused,
                stream,
            });
        }
        for a in found {
            self.across(a);
        }
    }

    fn across(&mut self, a: Across) {
        let Across {
            span,
            who,
            who_account,
            table,
            table_account,
            ..
        } = &a;
        let between = format!("`{who}` is in account {who_account}, `{table}` in {table_account}");
        if a.group {
            self.diags.push(group_across_accounts(
                *span,
                &between,
                who_account,
                table_account,
            ));
            return;
        }
        if a.refused.is_empty() && a.stream.is_empty() {
            return;
        }
        self.diags.push(cross_account_grant(&a, &between));
    }
}

/// E0423: a grant to a group on another account's table.
fn group_across_accounts(
    span: Span,
    between: &str,
    who_account: &str,
    table_account: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::GroupAcrossAccounts,
        span,
        format!("{between}: a grant to a group cannot take effect across accounts"),
    )
    .label("a group's grant on another account's table")
    .note("across accounts the table's resource-based policy must allow the caller too, and a resource policy cannot name an IAM group")
    .help(format!("grant a role or user of account {who_account}, or a role of account {table_account} that the group's members assume"))
}

/// W0015: a grant across accounts that needs more than the table's resource
/// policy dpol writes: actions DynamoDB refuses across accounts, or the
/// stream's own policy (`between`: who is in which account).
fn cross_account_grant(a: &Across, between: &str) -> Diagnostic {
    let (who, table, table_account) = (&a.who, &a.table, &a.table_account);
    let mut d = Diagnostic::new(
        Code::CrossAccountGrant,
        a.span,
        format!("{between}: dpol adds `{who}` to `{table}`'s resource policy, but some of this grant needs more"),
    )
    .label("a grant across accounts");
    if !a.refused.is_empty() {
        d = d.note(format!(
            "DynamoDB does not allow these actions across accounts, whatever the policies say: {}",
            a.refused.join(", ")
        ));
    }
    if !a.stream.is_empty() {
        d = d.note(format!(
            "{} act on `{table}`'s stream, whose own resource policy must allow `{who}`: dpol does not write stream policies, and lists the statement under `requires` in the manifest",
            a.stream.join(", ")
        ));
    }
    if a.refused.is_empty() {
        d.help(format!("add the stream statement from the manifest's `requires` to the policy of `{table}`'s stream"))
    } else {
        d.help(format!(
            "if `{who}` needs them, grant a role of account {table_account} that `{who}` assumes"
        ))
    }
}
