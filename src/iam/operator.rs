//! Condition operators (iam-facts §4.2; IAM User Guide, "IAM JSON policy
//! elements: Condition operators"): which exist, what each compares, and
//! which way their values move the set of requests a statement applies to.
//! The one table of them: the emitted-document rules, the grammar, the diff
//! and the evaluator all read it.

/// How the values of an operator act on the requests it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ValueSense {
    /// A request matches when its value matches one of the listed values
    /// (`StringEquals`, `ArnLike`, `IpAddress`…): more values, more requests.
    Matches,
    /// A request matches when its value matches none of them
    /// (`StringNotEquals`, `NotIpAddress`…): more values, fewer requests.
    Excludes,
    /// Numeric upper bounds (`NumericLessThan`…): a higher bound, more requests.
    UpperBound,
    /// Numeric lower bounds (`NumericGreaterThan`…): a lower bound, more requests.
    LowerBound,
    /// `Bool`, `Null` and the `Date…` operators: a change of value is neither
    /// wider nor narrower as far as dpol can tell.
    Opaque,
}

/// What a base operator compares, for the evaluator
/// ([`crate::iam::eval`]); a negated operator (`StringNotEquals`) names the
/// comparison it negates (see [`Operator::negated`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Test {
    /// Exact, case-sensitive string equality.
    StringEquals,
    /// String equality ignoring case.
    StringEqualsIgnoreCase,
    /// Case-sensitive match with `*` and `?` wildcards.
    StringLike,
    /// Numbers compared by `Order`.
    Numeric(Order),
    /// Instants (ISO 8601 or epoch seconds) compared by `Order`.
    Date(Order),
    /// `true` or `false`, ignoring case.
    Bool,
    /// Base64 text, compared exactly.
    Binary,
    /// An address inside a CIDR range (a bare address is its own range).
    Ip,
    /// ARNs compared segment by segment with wildcards (`ArnEquals` and
    /// `ArnLike` behave alike).
    Arn,
    /// Whether the key is absent (`true`) or present (`false`).
    Null,
}

/// How a request's value relates to the policy's in a numeric or date test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// A parsed operator name such as `ForAllValues:StringEqualsIfExists`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Operator<'a> {
    /// `ForAllValues` or `ForAnyValue`, without the colon.
    pub(crate) qualifier: Option<&'a str>,
    /// The operator without qualifier and `IfExists`: `StringEquals`.
    pub(crate) base: &'a str,
    pub(crate) if_exists: bool,
    pub(crate) sense: ValueSense,
    /// Whether values are patterns (`*`, `?`) rather than literals.
    pub(crate) patterns: bool,
    /// What one request value is tested against one policy value.
    pub(crate) test: Test,
}

impl Operator<'_> {
    /// A negated operator (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`,
    /// `DateNotEquals`): it holds when no request value passes
    /// [`Operator::test`] with any policy value. Every negated operator, and
    /// none other, has `Not` in its name.
    pub(crate) fn negated(&self) -> bool {
        self.base.contains("Not")
    }
}

/// Every base operator: its sense, whether its values are patterns, and
/// what it tests.
const BASES: [(&str, ValueSense, bool, Test); 27] = [
    (
        "StringEquals",
        ValueSense::Matches,
        false,
        Test::StringEquals,
    ),
    (
        "StringNotEquals",
        ValueSense::Excludes,
        false,
        Test::StringEquals,
    ),
    (
        "StringEqualsIgnoreCase",
        ValueSense::Matches,
        false,
        Test::StringEqualsIgnoreCase,
    ),
    (
        "StringNotEqualsIgnoreCase",
        ValueSense::Excludes,
        false,
        Test::StringEqualsIgnoreCase,
    ),
    ("StringLike", ValueSense::Matches, true, Test::StringLike),
    (
        "StringNotLike",
        ValueSense::Excludes,
        true,
        Test::StringLike,
    ),
    (
        "NumericEquals",
        ValueSense::Matches,
        false,
        Test::Numeric(Order::Equal),
    ),
    (
        "NumericNotEquals",
        ValueSense::Excludes,
        false,
        Test::Numeric(Order::Equal),
    ),
    (
        "NumericLessThan",
        ValueSense::UpperBound,
        false,
        Test::Numeric(Order::Less),
    ),
    (
        "NumericLessThanEquals",
        ValueSense::UpperBound,
        false,
        Test::Numeric(Order::LessOrEqual),
    ),
    (
        "NumericGreaterThan",
        ValueSense::LowerBound,
        false,
        Test::Numeric(Order::Greater),
    ),
    (
        "NumericGreaterThanEquals",
        ValueSense::LowerBound,
        false,
        Test::Numeric(Order::GreaterOrEqual),
    ),
    (
        "DateEquals",
        ValueSense::Opaque,
        false,
        Test::Date(Order::Equal),
    ),
    (
        "DateNotEquals",
        ValueSense::Opaque,
        false,
        Test::Date(Order::Equal),
    ),
    (
        "DateLessThan",
        ValueSense::Opaque,
        false,
        Test::Date(Order::Less),
    ),
    (
        "DateLessThanEquals",
        ValueSense::Opaque,
        false,
        Test::Date(Order::LessOrEqual),
    ),
    (
        "DateGreaterThan",
        ValueSense::Opaque,
        false,
        Test::Date(Order::Greater),
    ),
    (
        "DateGreaterThanEquals",
        ValueSense::Opaque,
        false,
        Test::Date(Order::GreaterOrEqual),
    ),
    ("Bool", ValueSense::Opaque, false, Test::Bool),
    ("BinaryEquals", ValueSense::Matches, false, Test::Binary),
    ("IpAddress", ValueSense::Matches, false, Test::Ip),
    ("NotIpAddress", ValueSense::Excludes, false, Test::Ip),
    // ARN operators compare segment by segment with wildcards; Equals and Like behave alike.
    ("ArnEquals", ValueSense::Matches, true, Test::Arn),
    ("ArnLike", ValueSense::Matches, true, Test::Arn),
    ("ArnNotEquals", ValueSense::Excludes, true, Test::Arn),
    ("ArnNotLike", ValueSense::Excludes, true, Test::Arn),
    ("Null", ValueSense::Opaque, false, Test::Null),
];

/// Parses `name`; `None` for an operator IAM does not have (`StringEqualz`,
/// `NullIfExists`).
pub(crate) fn parse_operator(name: &str) -> Option<Operator<'_>> {
    let (qualifier, rest) = match name.split_once(':') {
        Some((qualifier @ ("ForAllValues" | "ForAnyValue"), rest)) => (Some(qualifier), rest),
        Some(_) => return None,
        None => (None, name),
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(base) if base != "Null" => (base, true),
        Some(_) => return None,
        None => (rest, false),
    };
    let &(_, sense, patterns, test) = BASES.iter().find(|(known, ..)| *known == base)?;
    Some(Operator {
        qualifier,
        base,
        if_exists,
        sense,
        patterns,
        test,
    })
}

#[cfg(test)]
mod tests {
    use super::{parse_operator, ValueSense};

    #[test]
    fn parses_qualifiers_and_if_exists() {
        let op = parse_operator("ForAllValues:StringEqualsIfExists").unwrap();
        assert_eq!(op.qualifier, Some("ForAllValues"));
        assert_eq!(op.base, "StringEquals");
        assert!(op.if_exists);
        assert_eq!(op.sense, ValueSense::Matches);
        assert_eq!(
            parse_operator("NumericLessThan").unwrap().sense,
            ValueSense::UpperBound
        );
        assert!(parse_operator("ArnNotLike").unwrap().patterns);
        assert_eq!(parse_operator("StringEqualz"), None);
        assert_eq!(parse_operator("NullIfExists"), None);
        assert_eq!(parse_operator("ForSomeValues:StringEquals"), None);
        assert_eq!(parse_operator("stringequals"), None);
    }
}
