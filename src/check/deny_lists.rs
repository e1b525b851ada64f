//! An `except attrs` deny-list is a `Deny` in the principal's identity
//! policy, and a Deny in a policy stops every Allow of the principal, not
//! only the grant it was written on. A deny-list next to another grant of
//! the same principal on the same table would take away part of that grant
//! (E0419).

use std::collections::BTreeMap;

use super::Checker;
use crate::catalog::Action;
use crate::diag::{Code, Diagnostic};
use crate::model::{Attrs, Effect, Grant};
use crate::source::Span;

/// Whether an action carries a key the deny-list's statements condition on
/// (they deny only those actions).
fn limited(a: &Action) -> bool {
    [
        "dynamodb:Attributes",
        "dynamodb:Select",
        "dynamodb:ReturnValues",
    ]
    .iter()
    .any(|k| a.has_key(k))
}

impl Checker<'_, '_, '_> {
    pub(super) fn deny_list_overlaps(&mut self) {
        let grants = &self.model.grants;
        // (principal, table) → the deny-list grants on it.
        let mut lists: BTreeMap<(usize, usize), Vec<&Grant>> = BTreeMap::new();
        for g in grants.iter().filter(|g| g.effect == Effect::Allow) {
            if let (Some(Attrs::Except(_)), Some(t)) = (&g.attrs, g.table) {
                lists.entry((g.principal, t)).or_default().push(g);
            }
        }
        if lists.is_empty() {
            return;
        }
        let mut found = Vec::new();
        for g in grants.iter().filter(|g| g.effect == Effect::Allow) {
            let tables: Vec<usize> = match g.table {
                Some(t) => vec![t],
                None => lists
                    .range((g.principal, 0)..=(g.principal, usize::MAX))
                    .map(|((_, t), _)| *t)
                    .collect(),
            };
            for t in tables {
                let Some(list) = lists.get(&(g.principal, t)) else {
                    continue;
                };
                // The same deny-list twice denies nothing more.
                let clash = list.iter().find(|e| {
                    e.attrs != g.attrs
                        && e.actions
                            .iter()
                            .filter(|a| limited(a))
                            .any(|a| g.actions.iter().any(|b| b.name == a.name))
                });
                if let Some(e) = clash {
                    found.push((g.span, e.span, self.model.tables[t].name.clone()));
                }
            }
        }
        for (grant, list, table) in found {
            self.diags
                .push(deny_list_limits_other_grant(grant, list, &table));
        }
    }
}

/// E0419: an `except attrs` deny-list that would also limit another grant of the principal.
fn deny_list_limits_other_grant(grant: Span, list: Span, table: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DenyListLimitsOtherGrant,
        grant,
        format!("an `except attrs` deny-list on `{table}` would also limit this grant"),
    )
    .label("this grant would lose what the deny-list denies")
    .secondary(list, "the deny-list: a `Deny` in the same identity policy")
    .note("a Deny applies to every request of the principal, so the listed attributes, full-item reads and ALL_OLD/ALL_NEW return values would be denied for both grants")
    .help("use an allow-list (`attrs …`) on the restricted grant, or give the two grants to different principals")
}
