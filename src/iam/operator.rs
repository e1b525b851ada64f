//! Condition operators (iam-facts §4.2): which exist, and which way their
//! values move the set of requests a statement applies to.

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
}

/// Every base operator with its sense and whether its values are patterns.
const BASES: [(&str, ValueSense, bool); 27] = [
    ("StringEquals", ValueSense::Matches, false),
    ("StringNotEquals", ValueSense::Excludes, false),
    ("StringEqualsIgnoreCase", ValueSense::Matches, false),
    ("StringNotEqualsIgnoreCase", ValueSense::Excludes, false),
    ("StringLike", ValueSense::Matches, true),
    ("StringNotLike", ValueSense::Excludes, true),
    ("NumericEquals", ValueSense::Matches, false),
    ("NumericNotEquals", ValueSense::Excludes, false),
    ("NumericLessThan", ValueSense::UpperBound, false),
    ("NumericLessThanEquals", ValueSense::UpperBound, false),
    ("NumericGreaterThan", ValueSense::LowerBound, false),
    ("NumericGreaterThanEquals", ValueSense::LowerBound, false),
    ("DateEquals", ValueSense::Opaque, false),
    ("DateNotEquals", ValueSense::Opaque, false),
    ("DateLessThan", ValueSense::Opaque, false),
    ("DateLessThanEquals", ValueSense::Opaque, false),
    ("DateGreaterThan", ValueSense::Opaque, false),
    ("DateGreaterThanEquals", ValueSense::Opaque, false),
    ("Bool", ValueSense::Opaque, false),
    ("BinaryEquals", ValueSense::Matches, false),
    ("IpAddress", ValueSense::Matches, false),
    ("NotIpAddress", ValueSense::Excludes, false),
    // ARN operators compare segment by segment with wildcards; Equals and Like behave alike.
    ("ArnEquals", ValueSense::Matches, true),
    ("ArnLike", ValueSense::Matches, true),
    ("ArnNotEquals", ValueSense::Excludes, true),
    ("ArnNotLike", ValueSense::Excludes, true),
    ("Null", ValueSense::Opaque, false),
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
    let &(_, sense, patterns) = BASES.iter().find(|(known, _, _)| *known == base)?;
    Some(Operator {
        qualifier,
        base,
        if_exists,
        sense,
        patterns,
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
