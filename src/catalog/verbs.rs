//! What each verb means, as predicates over the catalogue's own attributes
//! (access level, resource types, condition keys). This file is the only place
//! where verbs meet actions; `tests/golden/verbs.txt` records the resulting sets
//! for review.
//!
//! Allows are exact: an action is granted by a verb only when everything the
//! action can do is covered (BatchWriteItem both puts and deletes, so it needs
//! `writes` and `deletes`). Denies are closed: `cannot read` denies every
//! action that returns item data, Scan included.

use super::{Action, Service};
use crate::vocab::Verb;

const LEADING_KEYS: &str = "dynamodb:LeadingKeys";
const SELECT: &str = "dynamodb:Select";

/// An item action on one partition (carries `dynamodb:LeadingKeys`).
fn item_action(a: &Action) -> bool {
    a.has_key(LEADING_KEYS)
}

fn reads(a: &Action) -> bool {
    item_action(a) && a.level_is("Read")
}

fn writes_item(a: &Action) -> bool {
    item_action(a) && a.level_is("Write")
}

fn deletes(a: &Action) -> bool {
    writes_item(a) && a.name.contains("Delete")
}

fn updates(a: &Action) -> bool {
    writes_item(a) && a.name.contains("Update")
}

/// BatchWriteItem: puts and deletes in one call, no per-request kind.
fn puts_and_deletes(a: &Action) -> bool {
    writes_item(a) && a.name.starts_with("BatchWrite")
}

fn writes(a: &Action) -> bool {
    writes_item(a) && !deletes(a) && !puts_and_deletes(a)
}

/// Whole-table reads: Scan (no `LeadingKeys`, but a `Select`), and PartiQL
/// SELECT, which can scan the whole table.
fn scans(a: &Action) -> bool {
    a.level_is("Read")
        && a.has_key(SELECT)
        && (!item_action(a) || a.has_key("dynamodb:FullTableScan"))
}

/// Metadata: every `Describe*` and `List*` action.
fn describes(a: &Action) -> bool {
    (a.level_is("Read") || a.level_is("List"))
        && (a.name.starts_with("Describe") || a.name.starts_with("List"))
}

/// Capacity: describing and updating the table and its replica auto scaling,
/// and the account's limits. (UpdateTable can change more than capacity; the
/// language reference says so.)
fn scales(a: &Action) -> bool {
    matches!(
        a.name.as_str(),
        "UpdateTable"
            | "DescribeTable"
            | "UpdateTableReplicaAutoScaling"
            | "DescribeTableReplicaAutoScaling"
            | "DescribeLimits"
    )
}

/// Streams: reads whose only required resource is a stream, and ListStreams
/// to find them.
fn streams(a: &Action) -> bool {
    let stream_only = !a.resource_types.is_empty()
        && a.resource_types
            .iter()
            .filter(|r| r.required)
            .all(|r| r.name == "stream");
    (a.level_is("Read") && stream_only) || a.name == "ListStreams"
}

fn predicate(verb: Verb) -> fn(&Action) -> bool {
    match verb {
        Verb::Read => reads,
        Verb::Write => writes,
        Verb::Update => updates,
        Verb::Delete => deletes,
        Verb::Scan => scans,
        Verb::Describe => describes,
        Verb::Scale => scales,
        Verb::Stream => streams,
        Verb::Manage => |_| true,
    }
}

/// Actions no verb allows, `manages` included: each must be named with
/// `can`, because each can undo what the rest of the program says.
///
/// - `PutResourcePolicy`, `DeleteResourcePolicy`: rewrite or remove the
///   table's resource policy, and with it the perimeter, or allow another
///   account in.
/// - `ExportTableToPointInTime`: copies the whole table to an S3 bucket,
///   which may belong to any account.
/// - `ReadDataForReplication`, `WriteDataForReplication`: permissions that
///   only DynamoDB's own replication uses (multi-account global tables).
pub const ONLY_BY_NAME: [&str; 5] = [
    "DeleteResourcePolicy",
    "ExportTableToPointInTime",
    "PutResourcePolicy",
    "ReadDataForReplication",
    "WriteDataForReplication",
];

/// What a closed deny adds to a verb's own actions: every other action
/// that can do what the verb names, on the same table.
///
/// - `cannot read`: Scan and PartiQL SELECT (they read items too), stream
///   records (they hold item images), vector search, exports and restores
///   (they copy the items elsewhere), replication reads.
/// - `cannot write`: BatchWriteItem (it puts), replication writes.
/// - `cannot update`: PutItem and BatchWriteItem (they replace existing
///   items), replication writes.
/// - `cannot delete`: BatchWriteItem (it deletes), DeleteTable and
///   DeleteTableReplica (they delete every item), UpdateTimeToLive (it
///   makes DynamoDB delete items), replication writes.
/// - `cannot scan`: vector search (it reads across partitions).
fn deny_extra(verb: Verb) -> &'static [&'static str] {
    match verb {
        Verb::Read => &[
            "ExportTableToPointInTime",
            "GetRecords",
            "GetShardIterator",
            "ReadDataForReplication",
            "RestoreTableFromBackup",
            "RestoreTableToPointInTime",
            "SearchVectors",
        ],
        Verb::Write => &["BatchWriteItem", "WriteDataForReplication"],
        Verb::Update => &["BatchWriteItem", "PutItem", "WriteDataForReplication"],
        Verb::Delete => &[
            "BatchWriteItem",
            "DeleteTable",
            "DeleteTableReplica",
            "UpdateTimeToLive",
            "WriteDataForReplication",
        ],
        Verb::Scan => &["SearchVectors"],
        Verb::Describe | Verb::Scale | Verb::Stream | Verb::Manage => &[],
    }
}

/// Account-level metadata a verb on one table still includes, on
/// `"Resource": "*"` (IAM cannot scope them to a table): the `List*`
/// actions, `DescribeLimits` and `DescribeEndpoints`. They reveal table
/// names and account limits, never item data, and finding the table needs
/// them (the IAM User Guide's "specific table" example grants `List*` and
/// `DescribeLimits` on `*`). Every other action without a table resource
/// (reserved capacity, the ABAC switch, fault injection) comes only from a
/// grant on `*`.
pub fn account_listing(a: &Action) -> bool {
    a.resourceless()
        && (a.name.starts_with("List")
            || matches!(a.name.as_str(), "DescribeLimits" | "DescribeEndpoints"))
}

/// The actions a set of verbs allows together; `on_table`: on one table
/// (not `*`).
pub fn allow_actions<'a>(service: &'a Service, verbs: &[Verb], on_table: bool) -> Vec<&'a Action> {
    let has = |v: Verb| verbs.contains(&v) || verbs.contains(&Verb::Manage);
    service
        .actions
        .iter()
        .filter(|a| !ONLY_BY_NAME.contains(&a.name.as_str()))
        .filter(|a| !on_table || !a.resourceless() || account_listing(a))
        .filter(|a| {
            if puts_and_deletes(a) {
                return has(Verb::Write) && has(Verb::Delete);
            }
            verbs.iter().any(|&v| predicate(v)(a))
        })
        .collect()
}

/// The actions a set of denied verbs denies: closed over every action that
/// can do any of them (see `deny_extra`). On one table, only actions that
/// act on a table: a deny on one table never reaches the account.
pub fn deny_actions<'a>(service: &'a Service, verbs: &[Verb], on_table: bool) -> Vec<&'a Action> {
    service
        .actions
        .iter()
        .filter(|a| !on_table || !a.resourceless())
        .filter(|a| {
            verbs
                .iter()
                .any(|&v| predicate(v)(a) || deny_extra(v).contains(&a.name.as_str()))
                || (verbs.contains(&Verb::Read) && scans(a))
        })
        .collect()
}

/// True for an action that returns or changes item data (the ones a KMS key
/// must decrypt for).
pub fn touches_items(a: &Action) -> bool {
    a.has_key("dynamodb:Attributes")
}

/// True for an action whose request or response holds item data that the
/// table's KMS key encrypts: item actions, and stream records (streams are
/// encrypted with the table's key — DynamoDB Developer Guide, "Encryption
/// at rest: how it works").
pub fn needs_table_key(a: &Action) -> bool {
    touches_items(a) || a.name == "GetRecords"
}

/// True for PartiQL SELECT, which `reads` allows only with
/// `dynamodb:FullTableScan` false.
pub fn can_full_scan(a: &Action) -> bool {
    a.has_key("dynamodb:FullTableScan")
}

fn or_none(list: String) -> String {
    if list.is_empty() {
        "none".to_string()
    } else {
        list
    }
}

/// What the verb spelt `word` (`reads` or `read`) means, in Markdown, for an
/// editor's hover: the DynamoDB actions it allows on one table and on `*`,
/// and those `cannot` denies on one table. `None` for a word that is not a verb.
pub fn explain(service: &Service, word: &str) -> Option<String> {
    let verb = Verb::ALL
        .into_iter()
        .find(|v| v.keyword() == word || v.singular() == word)?;
    let names = |actions: Vec<&Action>| {
        or_none(
            actions
                .iter()
                .map(|a| format!("`{}`", a.name))
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    Some(format!(
        "**{}** / **{}**: a verb\n\nallows on one table: {}\n\nallows on `*`: {}\n\n`cannot {}` denies on one table: {}",
        verb.keyword(),
        verb.singular(),
        names(allow_actions(service, &[verb], true)),
        names(allow_actions(service, &[verb], false)),
        verb.singular(),
        names(deny_actions(service, &[verb], true)),
    ))
}

/// Text listing of every verb's allow and deny sets, on one table and on
/// `*`, and what a table of another account lets through of them (reviewed
/// golden file).
pub fn describe_all(service: &Service) -> String {
    let mut out = String::new();
    for verb in Verb::ALL {
        let names = |actions: Vec<&Action>| {
            actions
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let on_table = allow_actions(service, &[verb], true);
        // What a table of another account's resource policy gets for it
        // (`emit::cross_account`), and its stream's.
        let across = |keep: fn(&str) -> bool| {
            on_table
                .iter()
                .filter(|a| keep(&format!("{}:{}", service.prefix, a.name)))
                .copied()
                .collect::<Vec<_>>()
        };
        out.push_str(&format!(
            "{}\n  allows on a table: {}\n  allows on *: {}\n  denies on a table: {}\n  denies on *: {}\n  across accounts, the table's policy: {}\n  across accounts, the stream's policy: {}\n",
            verb.keyword(),
            names(on_table.clone()),
            names(allow_actions(service, &[verb], false)),
            names(deny_actions(service, &[verb], true)),
            names(deny_actions(service, &[verb], false)),
            or_none(names(across(super::cross_account::on_tables))),
            or_none(names(across(super::cross_account::on_streams))),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The verb table is reviewed by a person; regenerate with DPOL_BLESS=1.
    #[test]
    fn verb_sets_match_the_reviewed_table() {
        let service = &super::super::catalog().unwrap().dynamodb;
        let actual = describe_all(service);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/verbs.txt");
        if std::env::var_os("DPOL_BLESS").is_some() {
            std::fs::write(path, &actual).unwrap();
        }
        let expected = std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(
            expected, actual,
            "verb sets changed; review and bless with DPOL_BLESS=1"
        );
    }
}
