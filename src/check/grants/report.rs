//! The diagnostics of grants, denies and alerts: one constructor per
//! message, named after what it reports.

use crate::ast::{self, Name};
use crate::catalog::{verbs, Action};
use crate::diag::{suggest::did_you_mean, Code, Diagnostic};
use crate::model;
use crate::source::Span;

/// E0204: a grant with no table and no table declared before it.
pub(super) fn no_table(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::NoTable,
        at,
        "this grant names no table, and no table is declared before it",
    )
    .label("which table?")
    .help("name the table (`alice reads Orders`) or declare it above (`table Orders`)")
}

/// W0008: `scales` grants UpdateTable, which changes far more than capacity.
pub(super) fn scales_is_broad(span: Span) -> Diagnostic {
    Diagnostic::new(Code::UpdateTableIsBroad, span, "`scales` grants UpdateTable, which also changes indexes, encryption, streams and deletion protection")
        .label("UpdateTable is all or nothing")
        .note("IAM has no condition key that limits which settings an UpdateTable request changes: the same call deletes global secondary indexes, switches the encryption key, disables streams and turns off deletion protection")
        .help("let Application Auto Scaling change capacity, or name the actions (`can UpdateTable, DescribeTable on TABLE`) to say that the principal may change all of them")
}

/// W0004: `manages` on every table.
pub(super) fn full_admin(g: &ast::Grant) -> Diagnostic {
    Diagnostic::new(Code::FullAdmin, g.span, format!("`{}` may administer every DynamoDB table", g.principal.node))
        .label("full administration of `*`")
        .note("this includes deleting any table (rewriting resource policies and exporting tables still need `can`)")
        .help("name the tables to manage (`admin manages Orders`), or grant narrower verbs on `*`")
}

/// E0414: an action IAM grants only on `*`, named on one table.
pub(super) fn action_not_on_table(name: &Name, action: &Action) -> Diagnostic {
    Diagnostic::new(
        Code::ActionNotOnTable,
        name.span,
        format!("`{}` does not act on a table", action.name),
    )
    .label("IAM grants it only on `\"Resource\": \"*\"`")
    .note("granting it on one table would grant it for the whole account")
    .help(format!(
        "grant it on every table: `can {} on *`",
        action.name
    ))
}

/// E0416: `index NAME` on a grant none of whose actions works on an index.
pub(super) fn index_grant(g: &ast::Grant, name: &Name, span: Span) -> Diagnostic {
    Diagnostic::new(Code::IndexGrant, span, format!("none of this grant's actions works on index `{}`", name.node))
        .label("no action on an index")
        .secondary(g.span, "in this grant")
        .note("Query, Scan, PartiQL SELECT and contributor insights work on indexes; reads and writes by key act on the table")
        .help("grant `reads` or `scans` on the index, and the other verbs on the table")
}

/// E0406: one clause given twice in a grant.
pub(super) fn duplicate_clause(clause: &ast::Clause, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateClause,
        clause.span,
        format!("`{}` is given twice in one grant", clause.kind.keyword()),
    )
    .label("given again here")
    .secondary(first, "first given here")
    .help("merge the two into one clause")
}

/// E0405: a clause on `cannot`.
pub(super) fn condition_on_deny(clause: &ast::Clause) -> Diagnostic {
    Diagnostic::new(
        Code::ConditionOnDeny,
        clause.span,
        format!("`cannot` takes no `{}` clause", clause.kind.keyword()),
    )
    .label("condition on a deny")
    .note("a conditional deny fails open when a request lacks the condition's key")
    .help("deny the whole table (`bob cannot read Payroll`) and grant narrower access separately")
}

/// E0418: a `from … until` window with no instant in it.
pub(super) fn empty_window(span: Span, from: &str, until: &str) -> Diagnostic {
    Diagnostic::new(
        Code::EmptyWindow,
        span,
        format!("the time window from {from} until {until} contains no instant"),
    )
    .label("starts when it ends, or later")
    .note("`from` is the first instant allowed, `until` a date's whole day or a time's instant")
    .help("move `from` before `until`")
}

/// E0403: `from ip` with `via`, which never match together.
pub(super) fn ip_with_via(ip: Span, via: Span) -> Diagnostic {
    Diagnostic::new(Code::IpWithVia, ip, "`from ip` can never match together with `via`")
        .label("aws:SourceIp is absent here")
        .secondary(via, "requests come through a VPC endpoint")
        .note("requests through a VPC endpoint carry no public source IP, so `aws:SourceIp` conditions never match them")
        .help("keep `via` for traffic from the VPC and grant `from ip` in a separate line")
}

/// E0308: a malformed date or time.
pub(super) fn bad_date(date: &Name, help: String) -> Diagnostic {
    Diagnostic::new(
        Code::BadDate,
        date.span,
        format!("malformed date `{}`", date.node),
    )
    .label("not a date")
    .help(help)
}

/// W0005: `until` in the past.
pub(super) fn expired(date: &Name, stamp: &str, now: &str) -> Diagnostic {
    Diagnostic::new(
        Code::Expired,
        date.span,
        format!("this grant ended at {stamp}"),
    )
    .label("in the past")
    .note(format!("it is now {}; the grant allows nothing", now))
    .help("extend the date, or delete the grant")
}

/// E0313: a policy variable as a bound of a numeric range.
pub(super) fn variable_in_range(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::VariableInRange,
        span,
        "a policy variable cannot bound a numeric range",
    )
    .label("not a number")
    .note("IAM does not substitute policy variables in numeric condition operators")
    .help("use a number, or `keys ${…}` alone to match the variable exactly")
}

/// E0312: a key range with no key in it (`empty`: low equals high, else inverted).
pub(super) fn empty_range(span: Span, low_text: &str, high_text: &str, empty: bool) -> Diagnostic {
    Diagnostic::new(
        Code::EmptyRange,
        span,
        format!("the range {low_text}..{high_text} contains no key"),
    )
    .label(if empty {
        "empty range"
    } else {
        "inverted range"
    })
    .note("ranges are half-open: `100..200` means 100 <= key < 200")
    .help(if empty {
        "a range needs its upper bound above the lower one".to_string()
    } else {
        format!("did you mean `{high_text}..{low_text}`?")
    })
}

/// E0311: numbers and strings mixed in one key set.
pub(super) fn mixed_key_types(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::KeyTypeMismatch,
        span,
        "numbers and strings mixed in one key set",
    )
    .label("mixed key types")
    .help("a partition key has one type: quote every value, or none")
}

/// E0311: key values (`found`) of the wrong type for the leading key `name` of type `kind`.
pub(super) fn key_mismatch(
    table: &model::Table,
    name: &str,
    kind: &str,
    at: Span,
    found: &str,
) -> Diagnostic {
    Diagnostic::new(Code::KeyTypeMismatch, at, format!("{found} on the {kind} key `{name}` of table `{}`", table.name))
        .label(format!("the key is a {kind}"))
        .secondary(table.span, "table declared here")
        .help(if kind == "number" {
            "use a numeric range (`keys 100..200`) or numbers (`keys 1, 2`)"
        } else {
            "use quoted strings (`keys \"us-east\"`), prefixes (`keys \"tenant-\"*`) or a policy variable"
        })
}

/// E0407: a key, attribute or index restriction on `*`.
pub(super) fn restriction_on_all(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::RestrictionOnAll,
        span,
        format!("a {what} restriction needs one table, not `*`"),
    )
    .label(format!("{what}s of which table?"))
    .help("name the table the restriction is about")
}

/// E0402: `attrs` on actions that replace or remove whole items.
pub(super) fn attrs_on_item_replace(g: &ast::Grant, span: Span, replacing: &[&str]) -> Diagnostic {
    Diagnostic::new(Code::AttrsOnItemReplace, span, format!("an attribute restriction cannot limit {}", replacing.join(", ")))
        .label("these actions replace or remove whole items")
        .secondary(g.span, "in this grant")
        .note("PutItem, DeleteItem and BatchWriteItem always replace the entire item, whatever attributes the request names")
        .help("grant `updates` to change listed attributes in place, and `writes`/`deletes` without `attrs`")
}

/// W0003: `except attrs`, a deny-list of attributes.
pub(super) fn attribute_deny_list(span: Span, table: &model::Table, list: &[String]) -> Diagnostic {
    Diagnostic::new(Code::AttributeDenyList, span, "an attribute deny-list lets every new attribute through")
        .label("deny-list")
        .note("AWS recommends allow-lists: an attribute added to the table later is readable by default under a deny-list")
        .help(format!("list what may be read instead: `attrs {}`", super::allowed_hint(table, list)))
}

/// W0006: `attrs` on a table that declares no key.
pub(super) fn no_key_declared(span: Span, table: &model::Table) -> Diagnostic {
    Diagnostic::new(Code::NoKeyDeclared, span, format!("table `{}` declares no key, so its key attributes cannot be allowed", table.name))
        .label("requests always name the key attributes")
        .secondary(table.span, "table declared here")
        .note("DynamoDB checks every attribute a request names, the key attributes included; without them every request is denied")
        .help(format!("declare the key: `table {} {{ key id: number }}`", table.name))
}

/// W0007: an alert on an action that is not a write management event.
pub(super) fn data_event_alert(name: &Name, action: &Action) -> Diagnostic {
    Diagnostic::new(Code::DataEventAlert, name.span, format!("`{}` is not a write management event", action.name))
        .label("needs extra CloudTrail setup")
        .note(if verbs::touches_items(action) {
            "item operations are data events: the trail must log DynamoDB data events for the rule to see them"
        } else {
            "read-only management events reach EventBridge only when the rule is ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, which dpol sets"
        })
        .help("alert on write management events such as `DeleteTable` or `UpdateTable`")
}

/// E0409: an alert target that is not an SNS, SQS, Lambda or event-bus ARN.
pub(super) fn bad_alert_target(a: &ast::AlertDecl, help: String) -> Diagnostic {
    Diagnostic::new(
        Code::BadAlertTarget,
        a.target.span,
        format!("`{}` cannot receive alerts", a.target.node),
    )
    .label("not an SNS topic, SQS queue, Lambda function or event bus ARN")
    .help(help.clone())
}

/// W0013: a grant written `count + 1` times; `spans`: up to three copies.
pub(super) fn duplicate_grant(first: Span, count: usize, spans: &[Span]) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::DuplicateGrant,
        spans.first().copied().unwrap_or(first),
        format!("this grant is written {} times", count + 1),
    )
    .label("the same grant again")
    .secondary(first, "first written here");
    for more in spans.iter().skip(1) {
        d = d.secondary(*more, "and again");
    }
    d.note("identical grants compile to the same statements; dpol keeps the first")
        .help("delete the copies")
}

/// E0207: an action name (`bare`: without `dynamodb:`) the catalogue does
/// not have, with the closest of `known`.
pub(super) fn unknown_action<'a>(
    name: &Name,
    bare: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownAction,
        name.span,
        format!("unknown DynamoDB action `{bare}`"),
    )
    .label("not in the DynamoDB action catalogue");
    match did_you_mean(bare, known) {
        // The fix keeps a written `dynamodb:` prefix.
        Some(close) => {
            let prefix = &name.node[..name.node.len() - bare.len()];
            d.did_you_mean(name.span, &format!("{prefix}{close}"))
        }
        None => {
            d.help("the DynamoDB actions dpol knows are in data/iam-data/actions/dynamodb.json")
        }
    }
}

/// E0401: a key or attribute restriction (`what`, condition key `key`) on
/// actions (`names`) that never carry it; `scan` when Scan is among them.
pub(super) fn keys_on_scan(
    g: &ast::Grant,
    span: Span,
    names: &str,
    key: &str,
    what: &str,
    scan: bool,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::KeysOnScan,
        span,
        format!("{names} cannot be restricted by {what}"),
    )
    .label(format!("`{key}` is never set for {names}"))
    .secondary(g.span, "in this grant");
    if scan {
        d.note("Scan ignores `dynamodb:LeadingKeys`: it reads every partition of the table, so a key restriction cannot limit it")
            .help("grant `reads` with the key restriction, and `scans` only to principals that may read the whole table")
    } else {
        d.help(format!(
            "remove the {what} restriction, or grant an action that carries it"
        ))
    }
}
