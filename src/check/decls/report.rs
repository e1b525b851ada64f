//! The diagnostics of declarations and of how they resolve their account,
//! region and partition: one constructor per message, named after what it
//! reports.

use crate::ast::{self, Name};
use crate::diag::{Code, Diagnostic};
use crate::partition::Partition;
use crate::source::Span;

/// E0310: a name or value with characters outside printable ASCII.
pub(super) fn not_ascii(value: &Name, what: &str) -> Diagnostic {
    Diagnostic::new(Code::BadName, value.span, format!("{what} `{}` cannot appear in a policy", value.node))
        .label("characters outside printable ASCII")
        .note("IAM policy documents accept only a limited character set; dpol writes printable ASCII only")
        .help("use the name without accents or non-Latin characters, or leave it out of the policy")
}

/// E0205: a declaration that needs an account when none is declared.
pub(super) fn no_account(at: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NoAccount,
        at,
        format!("{what} needs an account, and none is declared"),
    )
    .label("no account")
    .help("add `account prod = 111122223333` (the 12-digit id of the account)")
}

/// E0205: a declaration without `in ACCOUNT` in a program of several accounts (`names`).
pub(super) fn which_account(at: Span, what: &str, names: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NoAccount,
        at,
        format!("{what} does not say which account it is in"),
    )
    .label("which account?")
    .help(format!("add `in ACCOUNT` with one of {names}"))
}

/// E0206: a declaration that needs a region when none is declared.
pub(super) fn no_region(at: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NoRegion,
        at,
        format!("{what} needs a region, and none is declared"),
    )
    .label("no region")
    .help("add `region us-east-1` (or your region) before it")
}

/// E0206: a declaration with no `region` above it in a program of several regions.
pub(super) fn which_region(at: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NoRegion,
        at,
        format!("{what} has no `region` above it in its file"),
    )
    .label("which region?")
    .help("the program declares several regions; add `region …` above this line")
}

/// E0415: regions of two partitions in one program.
pub(super) fn mixed_partitions(
    r1: &ast::RegionDecl,
    p1: &Partition,
    r2: &ast::RegionDecl,
    p2: &Partition,
) -> Diagnostic {
    Diagnostic::new(Code::MixedPartitions, r2.region.span, format!("region `{}` is in partition `{p2}`, but region `{}` is in `{p1}`", r2.region.node, r1.region.node))
        .label(format!("partition `{p2}`"))
        .secondary(r1.region.span, format!("partition `{p1}`"))
        .note("an AWS Organization, its accounts and their policies live in one partition (`aws`, `aws-cn` or `aws-us-gov`); ARNs of one cannot name resources of another")
        .help(format!("compile the `{p2}` accounts as a program of their own"))
}

/// E0415: an ARN of another partition than the program's.
pub(super) fn other_partition(
    at: Span,
    what: &str,
    partition: Partition,
    program: Partition,
) -> Diagnostic {
    Diagnostic::new(Code::MixedPartitions, at, format!("{what} is in partition `{partition}`, but the program's regions are in `{program}`"))
        .label(format!("partition `{partition}`"))
        .note("an AWS Organization, its accounts and their policies live in one partition")
        .help(format!("use an `arn:{program}:…` ARN, or compile the `{partition}` accounts as a program of their own"))
}

/// E0404: a network in another region than the table it serves.
pub(super) fn endpoint_region(at: &Name, message: String, region: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::EndpointRegion, at.span, message)
        .label(format!("in {region}"))
        .secondary(span, "table declared here")
        .note("VPC endpoints do not support cross-region requests")
        .help("use an endpoint in the table's region")
}
