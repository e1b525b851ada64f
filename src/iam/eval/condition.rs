//! Whether a statement's `Condition` holds for a request.
//!
//! Sources (IAM User Guide): "IAM JSON policy elements: Condition" (every
//! operator must hold, and for each operator every key; a key's values are
//! alternatives; key names ignore case); "Condition operators" (each
//! operator's comparison; "If the key that you specify in a policy condition
//! is not present in the request context, the values do not match and the
//! condition is false. If the policy condition requires that the key is not
//! matched, such as `StringNotLike` or `ArnNotLike`, and the right key is
//! not present, the condition is true"; `…IfExists`: an absent key holds;
//! `Null`); "Set operators for multivalued context keys" (`ForAllValues`
//! holds when the key is absent or empty, or when every request value
//! matches; `ForAnyValue` fails when the key is absent or empty, and holds
//! when some request value matches). A negated operator under a qualifier
//! negates the comparison per request value (`ForAllValues:StringNotEquals`:
//! no request value equals any policy value).

use std::net::IpAddr;

use super::date::instant;
use super::pattern::{arn_matches, Pattern, Reading};
use super::request::Context;
use crate::iam::operator::{Operator, Order, Test};

/// One `operator: {key: values}` entry of a statement's condition.
#[derive(Clone, Debug)]
pub(crate) struct Clause {
    /// The operator's name as written, parsed by [`crate::iam::operator`]
    /// when tested (the grammar has checked that it parses).
    pub(crate) operator: String,
    pub(crate) key: String,
    /// The policy's values as text (numbers and booleans as JSON writes them).
    pub(crate) values: Vec<String>,
}

/// Whether every clause holds. `variables`: the policy replaces `${…}`
/// (version 2012-10-17).
pub(crate) fn holds(clauses: &[Clause], context: &Context, variables: bool) -> bool {
    clauses
        .iter()
        .all(|clause| clause_holds(clause, context, variables))
}

/// Whether one clause holds; an operator that does not parse never holds
/// (the grammar refuses such documents before they get here).
pub(crate) fn clause_holds(clause: &Clause, context: &Context, variables: bool) -> bool {
    let Some(op) = crate::iam::operator::parse_operator(&clause.operator) else {
        return false;
    };
    let present = context.get(&clause.key).filter(|v| !v.values.is_empty());
    if op.test == Test::Null {
        // `"Null": "true"`: the key is absent; `"false"`: it is present.
        return clause
            .values
            .iter()
            .any(|v| v.eq_ignore_ascii_case("true") == present.is_none());
    }
    let reading = Reading {
        wildcards: op.patterns,
        variables: variables.then_some(context),
    };
    let passes = |value: &str| {
        clause
            .values
            .iter()
            .any(|policy| test(&op, value, policy, reading))
    };
    match (op.qualifier, present) {
        (Some("ForAllValues"), None) => true,
        (Some("ForAllValues"), Some(given)) => {
            given.values.iter().all(|v| passes(v) != op.negated())
        }
        (Some(_), None) => op.if_exists,
        (Some(_), Some(given)) => given.values.iter().any(|v| passes(v) != op.negated()),
        (None, None) => op.if_exists || op.negated(),
        (None, Some(given)) => given.values.iter().any(|v| passes(v)) != op.negated(),
    }
}

/// Whether the request's `value` passes the operator's comparison with one
/// policy value (before negation).
fn test(op: &Operator<'_>, value: &str, policy: &str, reading: Reading<'_>) -> bool {
    let literal = |ignore_case: bool| {
        Pattern::read(policy, reading).is_some_and(|p| p.matches(value, ignore_case))
    };
    match op.test {
        Test::StringEquals | Test::StringLike | Test::Binary => literal(false),
        Test::StringEqualsIgnoreCase => literal(true),
        Test::Bool => literal(true),
        Test::Numeric(order) => match (number(value), number(policy)) {
            (Some(a), Some(b)) => compare(order, a.partial_cmp(&b)),
            _ => false,
        },
        Test::Date(order) => match (instant(value), instant(policy)) {
            (Some(a), Some(b)) => compare(order, Some(a.cmp(&b))),
            _ => false,
        },
        Test::Ip => in_range(value, policy),
        Test::Arn => arn_matches(policy, value, reading),
        Test::Null => false,
    }
}

fn number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

fn compare(order: Order, ordering: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    matches!(
        (order, ordering),
        (Order::Equal, Some(Equal))
            | (Order::Less, Some(Less))
            | (Order::LessOrEqual, Some(Less | Equal))
            | (Order::Greater, Some(Greater))
            | (Order::GreaterOrEqual, Some(Greater | Equal))
    )
}

/// Whether the address `value` is in the CIDR range `range` (a bare address
/// is a range of one).
fn in_range(value: &str, range: &str) -> bool {
    let Ok(address) = value.trim().parse::<IpAddr>() else {
        return false;
    };
    let (network, bits) = match range.trim().split_once('/') {
        Some((network, bits)) => (network, bits.parse::<u32>().ok()),
        None => (range.trim(), None),
    };
    match (address, network.parse::<IpAddr>()) {
        (IpAddr::V4(a), Ok(IpAddr::V4(n))) => {
            let bits = bits.unwrap_or(32);
            bits <= 32 && prefix(u32::from(a).into(), u32::from(n).into(), bits, 32)
        }
        (IpAddr::V6(a), Ok(IpAddr::V6(n))) => {
            let bits = bits.unwrap_or(128);
            bits <= 128 && prefix(u128::from(a), u128::from(n), bits, 128)
        }
        _ => false,
    }
}

/// Whether the first `bits` of two `width`-bit numbers agree.
fn prefix(a: u128, b: u128, bits: u32, width: u32) -> bool {
    if bits == 0 {
        return true;
    }
    let shift = width - bits;
    (a >> shift) == (b >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(operator: &str, key: &str, values: &[&str]) -> Clause {
        Clause {
            operator: operator.into(),
            key: key.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn context(pairs: &[(&str, &[&str], bool)]) -> Context {
        let mut c = Context::default();
        for (key, values, multi) in pairs {
            c.insert(key, values.iter().map(|v| v.to_string()).collect(), *multi);
        }
        c
    }

    #[test]
    fn absent_keys_follow_the_operator() {
        let empty = Context::default();
        let hold = |op: &str| clause_holds(&clause(op, "aws:SourceVpc", &["vpc-1"]), &empty, true);
        assert!(!hold("StringEquals"));
        assert!(hold("StringNotEquals"));
        assert!(hold("StringEqualsIfExists"));
        assert!(hold("StringNotEqualsIfExists"));
        assert!(hold("ForAllValues:StringEquals"));
        assert!(!hold("ForAnyValue:StringEquals"));
        assert!(clause_holds(
            &clause("Null", "aws:SourceVpc", &["true"]),
            &empty,
            true
        ));
        assert!(!clause_holds(
            &clause("Null", "aws:SourceVpc", &["false"]),
            &empty,
            true
        ));
    }

    #[test]
    fn set_qualifiers_range_over_request_values() {
        let c = context(&[("dynamodb:Attributes", &["Id", "Title"], true)]);
        let all = clause(
            "ForAllValues:StringEquals",
            "dynamodb:attributes",
            &["Id", "Title", "Price"],
        );
        assert!(clause_holds(&all, &c, true));
        let narrow = clause("ForAllValues:StringEquals", "dynamodb:Attributes", &["Id"]);
        assert!(!clause_holds(&narrow, &c, true));
        let any = clause(
            "ForAnyValue:StringEquals",
            "dynamodb:Attributes",
            &["Title"],
        );
        assert!(clause_holds(&any, &c, true));
        let none = clause(
            "ForAllValues:StringNotEquals",
            "dynamodb:Attributes",
            &["Secret"],
        );
        assert!(clause_holds(&none, &c, true));
        let some_other = clause(
            "ForAnyValue:StringNotEquals",
            "dynamodb:Attributes",
            &["Id"],
        );
        assert!(clause_holds(&some_other, &c, true));
    }

    #[test]
    fn comparisons_by_family() {
        let c = context(&[
            ("aws:SourceIp", &["203.0.113.7"], false),
            ("aws:CurrentTime", &["2026-12-01T10:00:00Z"], false),
            ("dynamodb:ReturnValues", &["ALL_OLD"], false),
            ("aws:MultiFactorAuthPresent", &["true"], false),
            ("s3:max-keys", &["10"], false),
            (
                "aws:PrincipalArn",
                &["arn:aws:iam::111122223333:role/Admin"],
                false,
            ),
        ]);
        let holds =
            |op: &str, key: &str, values: &[&str]| clause_holds(&clause(op, key, values), &c, true);
        assert!(holds("IpAddress", "aws:SourceIp", &["203.0.113.0/24"]));
        assert!(!holds("IpAddress", "aws:SourceIp", &["198.51.100.0/24"]));
        assert!(holds("NotIpAddress", "aws:SourceIp", &["198.51.100.0/24"]));
        assert!(holds("IpAddress", "aws:SourceIp", &["203.0.113.7"]));
        assert!(holds(
            "DateLessThan",
            "aws:CurrentTime",
            &["2027-01-01T00:00:00Z"]
        ));
        assert!(!holds(
            "DateGreaterThan",
            "aws:CurrentTime",
            &["2027-01-01T00:00:00Z"]
        ));
        assert!(holds("StringLike", "dynamodb:ReturnValues", &["ALL_*"]));
        assert!(!holds(
            "StringEquals",
            "dynamodb:ReturnValues",
            &["all_old"]
        ));
        assert!(holds(
            "StringEqualsIgnoreCase",
            "dynamodb:ReturnValues",
            &["all_old"]
        ));
        assert!(holds("Bool", "aws:MultiFactorAuthPresent", &["TRUE"]));
        assert!(holds("NumericLessThanEquals", "s3:max-keys", &["10"]));
        assert!(!holds("NumericLessThan", "s3:max-keys", &["10"]));
        assert!(!holds("NumericLessThan", "s3:max-keys", &["ten"]));
        assert!(holds(
            "ArnLike",
            "aws:PrincipalArn",
            &["arn:aws:iam::*:role/Adm*"]
        ));
        assert!(holds(
            "ArnNotEquals",
            "aws:PrincipalArn",
            &["arn:aws:iam::*:role/Other"]
        ));
    }
}
