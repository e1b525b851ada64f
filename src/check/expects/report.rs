//! The diagnostics of `expect` lines: one constructor per message, named
//! after what it reports.

use crate::ast::{self, Name};
use crate::catalog::Service;
use crate::diag::{suggest::did_you_mean, Code, Diagnostic};
use crate::model;
use crate::source::Span;

/// E0420: an expectation of a group, which never makes a request.
pub(super) fn group_never_asks(name: &Name) -> Diagnostic {
    Diagnostic::new(
        Code::BadExpectation,
        name.span,
        format!("`{}` is a group: a group never makes a request", name.node),
    )
    .label("a group")
    .help("expect something of one of its users")
}

/// E0207: an expected action of a service other than DynamoDB and KMS.
pub(super) fn not_evaluated_service(name: &Name) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownAction,
        name.span,
        format!("`{}`: dpol evaluates DynamoDB and KMS actions", name.node),
    )
    .label("not a DynamoDB or KMS action")
    .help("name a DynamoDB action (`GetItem`) or a KMS action (`kms:Decrypt`)")
}

/// E0406: one clause given twice in an expectation.
pub(super) fn duplicate_clause(clause: &ast::Clause, keyword: &str, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateClause,
        clause.span,
        format!("`{keyword}` is given twice in one expectation"),
    )
    .label("given again here")
    .secondary(first, "first given here")
    .help("one request has one value for each clause: write two expectations")
}

/// E0420: two origins (`via`, `from ip`, `outside`) in one request.
pub(super) fn two_origins(
    clause: &ast::Clause,
    keyword: &str,
    other: &str,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::BadExpectation,
        clause.span,
        format!("`{keyword}` and `{other}` in one request"),
    )
    .label("a second origin")
    .secondary(at, "the request's origin")
    .note("a request comes through an endpoint or VPC (`via`), from a public address (`from ip`), or from outside every VPC with no address given (`outside`)")
    .help("write one expectation per origin")
}

/// E0308: a malformed `at` time.
pub(super) fn bad_time(time: &Name, help: String) -> Diagnostic {
    Diagnostic::new(
        Code::BadDate,
        time.span,
        format!("malformed time `{}`", time.node),
    )
    .label("not a valid time")
    .help(help)
}

/// E0420: a key range in an expectation, which is one request.
pub(super) fn key_range_in_request(span: Span) -> Diagnostic {
    Diagnostic::new(Code::BadExpectation, span, "a key range is not one request")
        .label("a range")
        .note("an expectation is a request: it touches the partition keys it names")
        .help("name the keys (`keys 150`), or the range's edges in two expectations (`keys 100`, `keys 200`)")
}

/// E0420: a key prefix or policy variable in an expectation.
pub(super) fn key_pattern_in_request(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::BadExpectation,
        span,
        "a request names key values, not patterns or policy variables",
    )
    .label("not one key")
    .help("write the key the request touches (`keys \"tenant-42#1\"`)")
}

/// E0420: `index` in an expectation of several tables.
pub(super) fn index_needs_one_table(name: &Name) -> Diagnostic {
    Diagnostic::new(Code::BadExpectation, name.span, "`index` needs one table")
        .label("which table's index?")
        .help("name the table: `expect alice can read Orders index ByCustomer`")
}

/// E0420: `from ip` with more than one address in an expectation.
pub(super) fn several_addresses(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::BadExpectation,
        span,
        "a request comes from one address",
    )
    .label("several addresses")
    .help("write one expectation per address")
}

/// E0307: an expected source that is not one IP address.
pub(super) fn not_one_address(address: &Name) -> Diagnostic {
    Diagnostic::new(
        Code::BadCidr,
        address.span,
        format!("`{}` is not one IP address", address.node),
    )
    .label("a request's source is one address")
    .help("write an address inside the block, such as `203.0.113.7`")
}

/// E0204: an expectation with no table and no table declared before it.
pub(super) fn no_table(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::NoTable,
        span,
        "this expectation names no table, and no table is declared before it",
    )
    .label("which table?")
    .help("name the table (`expect alice can read Orders`) or declare it above")
}

/// E0416: `index` on an expectation none of whose actions works on an index.
pub(super) fn index_unused(span: Span, index: &str) -> Diagnostic {
    Diagnostic::new(Code::IndexGrant, span, format!("none of these actions works on index `{index}`"))
        .label("no action on an index")
        .note("Query, Scan, PartiQL SELECT and contributor insights work on indexes; reads and writes by key act on the table")
        .help("expect `read` or `scan` on the index")
}

/// E0420: a KMS action expected on a table without a customer managed key.
pub(super) fn no_kms_key(span: Span, table: &model::Table) -> Diagnostic {
    Diagnostic::new(
        Code::BadExpectation,
        span,
        format!("table `{}` has no customer managed key", table.name),
    )
    .label("a KMS action on a table is DynamoDB's call to its key")
    .secondary(table.span, "table declared here")
    .help("declare the key (`encrypted with kms arn:aws:kms:…`), or expect nothing of KMS for this table")
}

/// E0207: an expected action (`bare`: without its prefix) that `service`'s
/// catalogue does not have, with the closest it has.
pub(super) fn unknown_action(name: &Name, bare: &str, service: &Service) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownAction,
        name.span,
        format!("unknown {} action `{bare}`", service.prefix),
    )
    .label("not in the action catalogue");
    let written = &name.node[..name.node.len() - bare.len()];
    let close = match did_you_mean(bare, service.names()) {
        Some(action) => Some(format!("{written}{action}")),
        // `expect alice can raed T`: a misspelt verb reads as an action name.
        None if written.is_empty() => did_you_mean(
            bare,
            crate::vocab::Verb::ALL.map(crate::vocab::Verb::singular),
        )
        .map(str::to_string),
        None => None,
    };
    match close {
        Some(close) => d.did_you_mean(name.span, &close),
        None => d.help("the actions dpol knows are in data/iam-data/actions/"),
    }
}

/// E0208: an expected attribute that `table` does not declare (`known`:
/// what it declares, its keys included).
pub(super) fn unknown_attribute(name: &Name, table: &model::Table, known: &[String]) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownAttribute,
        name.span,
        format!(
            "table `{}` declares no attribute `{}`",
            table.name, name.node
        ),
    )
    .label("not an attribute of the table")
    .secondary(table.span, "table declared here");
    match did_you_mean(&name.node, known.iter().map(String::as_str)) {
        Some(close) => d.did_you_mean(name.span, close),
        None => d.help(
            "name a declared attribute: an expectation about an undeclared one proves nothing",
        ),
    }
}
