//! Grants across accounts. AWS allows a request of a principal of one
//! account on a table of another only when both the principal's identity
//! policy and the table's resource-based policy allow it (IAM User Guide,
//! "Cross account resource access in IAM"; DynamoDB Developer Guide,
//! "Cross-account access with resource-based policies"). dpol writes both:
//! for each identity statement that allows DynamoDB actions on another
//! account's table, the table's resource policy gets an `Allow` naming the
//! principal, with the same conditions, on the same table and index ARNs,
//! for the actions DynamoDB lets another account use
//! ([`crate::catalog::cross_account`]). A stream's resource policy is
//! attached to the stream, whose ARN dpol does not know, so the statement a
//! stream needs is listed in the manifest's `requires` instead.

use std::collections::BTreeMap;

use super::sid::{sid, Built};
use super::Requirement;
use crate::catalog::cross_account::{on_streams, on_tables};
use crate::iam::{Effect, Statement};
use crate::model::Principal;
use crate::vocab::PrincipalKind;

/// What other accounts' policies must allow for one principal's grants.
#[derive(Default)]
pub(crate) struct AcrossAccounts {
    /// (the table's ARN in one region, the statement its resource policy
    /// gets), in statement order.
    pub table_allows: Vec<(String, Built)>,
    /// The statements the tables' streams' policies need.
    pub requires: Vec<Requirement>,
}

/// Where an ARN of another account's table points: the table (or one of
/// its indexes), its stream, or something no resource policy covers
/// (backups, exports).
enum Part {
    Table,
    Stream,
    Other,
}

/// `arn:…:table/NAME/…` → (`arn:…:table/NAME`, the part it names).
fn table_part(arn: &str) -> Option<(String, Part)> {
    let (table, rest) = crate::iam::table_of(arn)?;
    let part = if rest.is_empty() || rest.starts_with("index/") {
        Part::Table
    } else if rest.starts_with("stream/") {
        Part::Stream
    } else {
        Part::Other
    };
    Some((table, part))
}

/// The statements the tables of other accounts that `statements` (the
/// identity statements of `principal`) reach must have. A group cannot be a
/// resource policy's principal; the checker refuses such grants (E0423), and
/// none is written here.
pub(crate) fn across_accounts(principal: &Principal, statements: &[Built]) -> AcrossAccounts {
    let mut out = AcrossAccounts::default();
    if principal.kind == PrincipalKind::Group {
        return out;
    }
    for b in statements {
        let s = &b.statement;
        let Some(actions) = &s.action else { continue };
        if s.effect != Effect::Allow || !actions.0.iter().all(|a| a.starts_with("dynamodb:")) {
            continue;
        }
        // The other accounts' resources, by table, and by part.
        let mut by_table: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
        for arn in &s.resource.0 {
            let account = crate::iam::account_of(arn);
            if account.is_empty() || account == principal.account_id {
                continue;
            }
            let Some((table, part)) = table_part(arn) else {
                continue;
            };
            let entry = by_table.entry(table).or_default();
            match part {
                Part::Table => entry.0.push(arn.clone()),
                Part::Stream => entry.1.push(arn.clone()),
                Part::Other => {}
            }
        }
        if by_table.is_empty() {
            continue;
        }
        let statement_sid = sid(&["Allow", &principal.name, &s.sid]);
        let of = |keep: fn(&str) -> bool| -> Vec<String> {
            actions.0.iter().filter(|a| keep(a)).cloned().collect()
        };
        let (table_actions, stream_actions) = (of(on_tables), of(on_streams));
        for (table, (tables, streams)) in by_table {
            if !tables.is_empty() && !table_actions.is_empty() {
                let statement = Statement::new(
                    statement_sid.clone(),
                    Effect::Allow,
                    table_actions.clone(),
                    tables,
                )
                .for_arn(&principal.arn)
                .when(s.condition.clone());
                out.table_allows.push((
                    table.clone(),
                    Built {
                        statement,
                        spans: b.spans.clone(),
                    },
                ));
            }
            if !streams.is_empty() && !stream_actions.is_empty() {
                let statement = Statement::new(
                    statement_sid.clone(),
                    Effect::Allow,
                    stream_actions.clone(),
                    streams,
                )
                .for_arn(&principal.arn)
                .when(s.condition.clone());
                let statement = serde_json::to_value(&statement).unwrap_or_default();
                out.requires.push(Requirement {
                    policy_of: format!("the resource-based policy of the stream of {table}"),
                    why: "a table in another account: its stream's resource-based policy must allow this principal too",
                    statement,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_are_told_apart_by_what_they_name() {
        let t = "arn:aws:dynamodb:us-east-1:111122223333:table/Books";
        for (arn, part) in [
            (t.to_string(), "table"),
            (format!("{t}/index/ByAuthor"), "table"),
            (format!("{t}/index/*"), "table"),
            (format!("{t}/stream/*"), "stream"),
            (format!("{t}/backup/*"), "other"),
            (format!("{t}/export/*"), "other"),
        ] {
            let (table, found) = table_part(&arn).unwrap();
            assert_eq!(table, t);
            let found = match found {
                Part::Table => "table",
                Part::Stream => "stream",
                Part::Other => "other",
            };
            assert_eq!(found, part, "{arn}");
        }
        assert!(table_part("*").is_none());
    }
}
