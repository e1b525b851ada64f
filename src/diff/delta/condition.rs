//! Changes of the conditions of a paired statement, key by key.
//!
//! A condition is a conjunction of `operator key values` entries, so adding
//! an entry shrinks the statement and dropping one grows it. Values of one
//! entry are alternatives; which way they move depends on the operator (see
//! [`ValueSense`]).

use std::collections::BTreeMap;

use super::list_change::list_changes;
use super::statement::{describe_values, Condition};
use super::{direction, Change};
use crate::diff::fact::What;
use crate::diff::pairing::pair_in_passes;
use crate::diff::report::Direction;
use crate::iam::operator::{parse_operator, Operator, ValueSense};

/// The changes from `old` to `new` conditions (each sorted by key, then
/// operator) of a statement of `effect`.
pub(super) fn condition_changes(old: &[Condition], new: &[Condition], effect: &str) -> Vec<Change> {
    let mut by_key: BTreeMap<&str, (Vec<&Condition>, Vec<&Condition>)> = BTreeMap::new();
    for entry in old {
        by_key.entry(entry.key).or_default().0.push(entry);
    }
    for entry in new {
        by_key.entry(entry.key).or_default().1.push(entry);
    }
    let mut changes = Vec::new();
    for (key, (old_entries, new_entries)) in by_key {
        let by_operator = pair_in_passes(&old_entries, &new_entries, &[operator_of]);
        for (_, old_entry, new_entry) in by_operator.pairs {
            changes.extend(value_changes(old_entry, new_entry, effect));
        }
        let only_old: Vec<&Condition> = by_operator.only_old.into_iter().copied().collect();
        let only_new: Vec<&Condition> = by_operator.only_new.into_iter().copied().collect();
        changes.extend(operator_changes(key, &only_old, &only_new, effect));
    }
    changes
}

fn operator_of<'v>(entry: &&Condition<'v>) -> &'v str {
    entry.operator
}

/// Entries of a key whose operators differ: added, dropped or swapped.
fn operator_changes(
    key: &str,
    only_old: &[&Condition],
    only_new: &[&Condition],
    effect: &str,
) -> Vec<Change> {
    let label = key_label(key);
    match (only_old, only_new) {
        ([], added) => added
            .iter()
            .map(|entry| Change {
                direction: direction(effect, false),
                text: format!("{label} added: {}", entry.describe()),
                what: whole_entry(entry, true),
            })
            .collect(),
        (dropped, []) => dropped
            .iter()
            .map(|entry| {
                let what = format!("{} {}", entry.operator, describe_values(&entry.values));
                Change {
                    direction: direction(effect, true),
                    text: format!("{label} {key} dropped ({what})"),
                    what: whole_entry(entry, false),
                }
            })
            .collect(),
        ([old], [new])
            if old.values == new.values && differ_only_in_if_exists(old.operator, new.operator) =>
        {
            let now_if_exists = new.operator.ends_with("IfExists");
            let consequence = if now_if_exists {
                "now also true when the key is absent"
            } else {
                "no longer true when the key is absent"
            };
            vec![Change::other(
                direction(effect, now_if_exists),
                format!("{key}: {} → {}: {consequence}", old.operator, new.operator),
            )]
        }
        (old, new) => {
            let show = |entries: &[&Condition]| {
                entries
                    .iter()
                    .map(|entry| format!("{} {}", entry.operator, describe_values(&entry.values)))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            vec![Change::other(
                Direction::Review,
                format!(
                    "{key}: operator changed from {} to {}",
                    show(old),
                    show(new)
                ),
            )]
        }
    }
}

fn whole_entry(entry: &Condition, added: bool) -> What {
    What::Condition {
        key: entry.key.to_string(),
        operator: entry.operator.to_string(),
        added,
        values: entry.values.iter().map(|v| v.to_string()).collect(),
    }
}

fn differ_only_in_if_exists(old: &str, new: &str) -> bool {
    let old = qualifier_and_base(old);
    old.is_some() && old == qualifier_and_base(new)
}

fn qualifier_and_base(operator: &str) -> Option<(Option<&str>, &str)> {
    parse_operator(operator).map(|parsed| (parsed.qualifier, parsed.base))
}

/// Changes of the values of one key under one operator.
fn value_changes(old: &Condition, new: &Condition, effect: &str) -> Vec<Change> {
    if old.values == new.values {
        return Vec::new();
    }
    let key = new.key;
    let operator_name = new.operator;
    let Some(operator) = parse_operator(operator_name) else {
        return vec![opaque_change(old, new)];
    };
    match operator.sense {
        ValueSense::Matches | ValueSense::Excludes => set_changes(old, new, &operator, effect),
        ValueSense::UpperBound | ValueSense::LowerBound => {
            match (bound(&old.values, &operator), bound(&new.values, &operator)) {
                (Some(old_bound), Some(new_bound)) if old_bound != new_bound => {
                    let looser =
                        (new_bound > old_bound) == (operator.sense == ValueSense::UpperBound);
                    let range = if key == "dynamodb:leadingkeys" {
                        "key range"
                    } else {
                        "bound"
                    };
                    let how = if looser { "widened" } else { "narrowed" };
                    vec![Change {
                        direction: direction(effect, looser),
                        text: format!(
                            "{operator_name} {key} {} → {}: {range} {how}",
                            describe_values(&old.values),
                            describe_values(&new.values)
                        ),
                        what: What::Bound {
                            key: key.to_string(),
                            operator: operator_name.to_string(),
                            old: show_bound(old_bound),
                            new: show_bound(new_bound),
                        },
                    }]
                }
                _ => vec![opaque_change(old, new)],
            }
        }
        ValueSense::Opaque => vec![opaque_change(old, new)],
    }
}

/// Values added and removed under a matching or excluding operator.
fn set_changes(old: &Condition, new: &Condition, operator: &Operator, effect: &str) -> Vec<Change> {
    let (key, operator_name) = (new.key, new.operator);
    let added_grows = operator.sense == ValueSense::Matches;
    list_changes(
        &old.values,
        &new.values,
        operator.patterns,
        effect,
        added_grows,
        |values, added| {
            let verb = if added { "added" } else { "removed" };
            format!("{key}: {values} {verb} ({operator_name})")
        },
    )
    .into_iter()
    .map(|change| Change {
        direction: change.direction,
        text: change.text,
        what: if change.items.is_empty() {
            What::Other
        } else {
            What::Values {
                key: key.to_string(),
                operator: operator_name.to_string(),
                added: change.added,
                values: change.items,
            }
        },
    })
    .collect()
}

/// A bound as the source would write it: `400`, not `400.0`.
fn show_bound(bound: f64) -> String {
    if bound.fract() == 0.0 && bound.abs() < 1e15 {
        format!("{bound:.0}")
    } else {
        bound.to_string()
    }
}

/// The bound that counts among alternative numeric values: the highest upper
/// bound or the lowest lower bound; `None` if a value is not a number.
fn bound(values: &[&str], operator: &Operator) -> Option<f64> {
    let numbers = values
        .iter()
        .map(|value| value.trim().parse::<f64>().ok().filter(|n| n.is_finite()))
        .collect::<Option<Vec<f64>>>()?;
    let pick = if operator.sense == ValueSense::UpperBound {
        f64::max
    } else {
        f64::min
    };
    numbers.into_iter().reduce(pick)
}

fn opaque_change(old: &Condition, new: &Condition) -> Change {
    Change::other(
        Direction::Review,
        format!(
            "{}: {} values changed from {} to {}",
            new.key,
            new.operator,
            describe_values(&old.values),
            describe_values(&new.values)
        ),
    )
}

/// What a condition key is about, in domain words.
fn key_label(key: &str) -> &'static str {
    match key {
        "aws:sourcevpce" | "aws:sourcevpc" | "aws:vpcsourceip" => "endpoint condition",
        "dynamodb:leadingkeys" | "dynamodb:firstpartitionkeyvalues" => "partition-key condition",
        "dynamodb:attributes" | "dynamodb:select" | "dynamodb:returnvalues" => {
            "attribute condition"
        }
        "aws:principalarn" | "aws:principalaccount" | "aws:principalorgid" => "principal condition",
        "aws:sourceip" => "network condition",
        _ => "condition",
    }
}

#[cfg(test)]
mod tests {
    use super::condition_changes;
    use crate::diff::delta::statement::Condition;
    use crate::diff::report::Direction;

    fn entry<'v>(operator: &'v str, key: &'v str, values: &[&'v str]) -> Condition<'v> {
        Condition {
            key,
            operator,
            values: values.to_vec(),
        }
    }

    fn directions(old: &[Condition], new: &[Condition], effect: &str) -> Vec<(Direction, String)> {
        condition_changes(old, new, effect)
            .into_iter()
            .map(|change| (change.direction, change.text))
            .collect()
    }

    #[test]
    fn dropping_an_endpoint_condition_broadens_an_allow() {
        let old = [entry("StringEquals", "aws:sourcevpce", &["vpce-1"])];
        let changes = directions(&old, &[], "Allow");
        assert_eq!(
            changes,
            vec![(
                Direction::Broadens,
                "endpoint condition aws:sourcevpce dropped (StringEquals vpce-1)".to_string()
            )]
        );
        assert_eq!(directions(&old, &[], "Deny")[0].0, Direction::Narrows);
        assert_eq!(directions(&[], &old, "Allow")[0].0, Direction::Narrows);
    }

    #[test]
    fn values_move_by_operator_sense() {
        let old = [entry(
            "ForAllValues:StringEquals",
            "dynamodb:attributes",
            &["Price", "pk"],
        )];
        let new = [entry(
            "ForAllValues:StringEquals",
            "dynamodb:attributes",
            &["Brand", "Price", "pk"],
        )];
        assert_eq!(
            directions(&old, &new, "Allow"),
            vec![(
                Direction::Broadens,
                "dynamodb:attributes: Brand added (ForAllValues:StringEquals)".to_string()
            )]
        );
        let old = [entry("StringNotEquals", "aws:sourcevpc", &["vpc-1"])];
        let new = [entry(
            "StringNotEquals",
            "aws:sourcevpc",
            &["vpc-1", "vpc-2"],
        )];
        assert_eq!(directions(&old, &new, "Deny")[0].0, Direction::Broadens);
        assert_eq!(directions(&new, &old, "Deny")[0].0, Direction::Narrows);
    }

    #[test]
    fn numeric_bounds() {
        let old = [entry(
            "ForAllValues:NumericLessThan",
            "dynamodb:leadingkeys",
            &["200"],
        )];
        let new = [entry(
            "ForAllValues:NumericLessThan",
            "dynamodb:leadingkeys",
            &["300"],
        )];
        assert_eq!(
            directions(&old, &new, "Allow"),
            vec![(
                Direction::Broadens,
                "ForAllValues:NumericLessThan dynamodb:leadingkeys 200 → 300: key range widened"
                    .to_string()
            )]
        );
        let old = [entry(
            "NumericGreaterThanEquals",
            "dynamodb:leadingkeys",
            &["100"],
        )];
        let new = [entry(
            "NumericGreaterThanEquals",
            "dynamodb:leadingkeys",
            &["150"],
        )];
        assert_eq!(directions(&old, &new, "Allow")[0].0, Direction::Narrows);
        let bad = [entry(
            "NumericGreaterThanEquals",
            "dynamodb:leadingkeys",
            &["x"],
        )];
        assert_eq!(directions(&old, &bad, "Allow")[0].0, Direction::Review);
    }

    #[test]
    fn opaque_swapped_and_if_exists() {
        let old = [entry("Bool", "aws:viaawsservice", &["false"])];
        let new = [entry("Bool", "aws:viaawsservice", &["true"])];
        assert_eq!(directions(&old, &new, "Deny")[0].0, Direction::Review);
        let like = [entry("StringLike", "aws:viaawsservice", &["false"])];
        assert_eq!(directions(&old, &like, "Deny")[0].0, Direction::Review);
        let strict = [entry(
            "StringEquals",
            "dynamodb:select",
            &["SPECIFIC_ATTRIBUTES"],
        )];
        let lenient = [entry(
            "StringEqualsIfExists",
            "dynamodb:select",
            &["SPECIFIC_ATTRIBUTES"],
        )];
        assert_eq!(
            directions(&strict, &lenient, "Allow")[0].0,
            Direction::Broadens
        );
        assert_eq!(
            directions(&lenient, &strict, "Allow")[0].0,
            Direction::Narrows
        );
    }

    #[test]
    fn like_values_within_a_wildcard_are_for_review() {
        let old = [entry(
            "ArnNotLike",
            "aws:principalarn",
            &["arn:aws:iam::*:role/admin-*", "arn:aws:iam::*:role/admin-x"],
        )];
        let new = [entry(
            "ArnNotLike",
            "aws:principalarn",
            &["arn:aws:iam::*:role/admin-*"],
        )];
        assert_eq!(directions(&old, &new, "Deny")[0].0, Direction::Review);
    }
}
