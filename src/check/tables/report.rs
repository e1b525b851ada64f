//! The diagnostics of table declarations: one constructor per message,
//! named after what it reports.

use crate::ast::{self, IndexScope, Name};
use crate::diag::{suggest::did_you_mean, Code, Diagnostic};
use crate::model;
use crate::source::Span;

/// E0202: a table declaring one of its single items (`what`) twice.
pub(super) fn declared_twice(span: Span, table: &str, what: &str, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateDefinition,
        span,
        format!("table `{}` declares its {what} twice", table),
    )
    .label("declared again here")
    .secondary(first, "first declared here")
}

/// E0202: an attribute of a table declared twice.
pub(super) fn attribute_twice(attr: &Name, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateDefinition,
        attr.span,
        format!("attribute `{}` is declared twice", attr.node),
    )
    .label("declared again here")
    .secondary(first, "first declared here")
}

/// E0413: an index that does not say whether it is global or local (`on`: ` on KEYS`, or empty).
pub(super) fn index_scope_missing(table: &ast::TableDecl, name: &Name, on: &str) -> Diagnostic {
    Diagnostic::new(Code::IndexScope, name.span, format!("index `{}` of table `{}` does not say whether it is global or local", name.node, table.name.node))
        .label("global or local?")
        .note("a global secondary index has its own partition key, so a grant restricted to some partition keys of the table must not reach it; a local index shares the table's partition key")
        .help(format!("write `global index {}{on}` or `local index {}{on}`", name.node, name.node))
}

/// E0413: an index with too many or too few key attributes for its scope.
pub(super) fn index_keys(
    name: &Name,
    keys: usize,
    span: Span,
    scope: &ast::Spanned<IndexScope>,
    label: &str,
    help: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::IndexScope,
        span,
        format!("index `{}` names {} key attribute(s)", name.node, keys),
    )
    .label(label)
    .secondary(scope.span, format!("declared {}", scope.node.keyword()))
    .help(format!("write {help}"))
}

/// E0202: a replica region named twice, or the table's own region.
pub(super) fn replica_twice(r: &Name, table: &model::Table) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateDefinition,
        r.span,
        format!("table `{}` is already in {}", table.name, r.node),
    )
    .label("named twice")
    .help("list each replica region once, and not the table's own region")
}

/// E0306: a malformed KMS key ARN.
pub(super) fn bad_kms_arn(arn: &Name, what: &str, help: String) -> Diagnostic {
    Diagnostic::new(
        Code::BadArn,
        arn.span,
        format!("malformed {what} `{}`", arn.node),
    )
    .label(format!("not a valid {what}"))
    .help(help)
}

/// E0306: a KMS key in none of the table's regions.
pub(super) fn kms_key_elsewhere(
    arn: &Name,
    region: &str,
    table: &model::Table,
    regions: &[&str],
) -> Diagnostic {
    Diagnostic::new(Code::BadArn, arn.span, format!("the key is in {region}, but table `{}` is in {}", table.name, regions.join(", ")))
        .label(format!("a key in {region}"))
        .note("DynamoDB encrypts a table, and each replica of a global table, only with a KMS key in its own region")
        .help("use a key in the table's region (and one in each replica's region)")
}

/// E0306: two KMS keys of a table in one region.
pub(super) fn two_kms_keys(arn: &Name, region: &str, first: Span) -> Diagnostic {
    Diagnostic::new(Code::BadArn, arn.span, format!("two keys for {region}"))
        .label("a second key in this region")
        .secondary(first, "the first")
        .help("a table (or replica) has one key: give one per region")
}

/// E0306: a region of a table with customer managed keys but no key.
pub(super) fn no_kms_key_in(span: Span, table: &model::Table, region: &str) -> Diagnostic {
    Diagnostic::new(Code::BadArn, span, format!("table `{}` has no key in {region}", table.name))
        .label("one key per region of the table")
        .note("the replicas of a global table are all encrypted with customer managed keys, each with a key in its own region")
        .help(format!("add the key of the replica in {region}"))
}

/// E0208: an attribute that table `table` does not declare (`declared`:
/// what it declares, its keys included).
pub(super) fn unknown_attribute(table: &str, declared: &[String], attr: &Name) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownAttribute,
        attr.span,
        format!("table `{table}` has no attribute `{}`", attr.node),
    )
    .label("not an attribute of the table");
    match did_you_mean(&attr.node, declared.iter().map(String::as_str)) {
        Some(close) => d.did_you_mean(attr.span, close),
        None => d.help(format!("add it to the table: `attrs {}`", attr.node)),
    }
}
