//! The access delta: what a change does to access, in domain words, each line
//! marked as broadening, narrowing or for review.
//!
//! Statements of the deployed and compiled canonical forms are paired in
//! passes (see [`super::pairing`]): identical statements first (no change),
//! then equal effect, principal, resources and conditions (actions changed),
//! then equal effect, principal and actions (dpol groups a grant's actions by
//! their conditions, so several statements often share one table's resources,
//! and pairing those by resources first would cross them), then equal effect,
//! principal and resources. A paired statement is compared element by element; a statement
//! left over was added or removed as a whole.
//!
//! A change *grows* a statement when it makes it apply to more requests: more
//! actions or resources, fewer conditions, more values under a matching
//! operator (`StringEquals`, `ForAllValues:StringEquals`…), fewer under an
//! excluding one (`StringNotEquals`…), a looser numeric bound. Growing an
//! Allow broadens access and growing a Deny narrows it; shrinking is the
//! reverse. This is sound element by element: if no element of a statement
//! grows, the statement does not apply to any request it did not before.
//! Whatever dpol cannot place (a `Bool` or `Null` value, a date, an operator
//! swap, a `Version` change) is marked for review, never guessed as narrowing.

mod attachment;
mod condition;
mod dimension;
mod event_rule;
mod list_change;
mod statement;
mod wildcard;

use std::collections::BTreeMap;

use serde_json::Value;

use super::fact::{Fact, What};
use super::pairing::pair_in_passes;
use super::report::{DeltaLine, Direction};
use crate::iam::DocKind;
use statement::Statement;

/// One change of a statement's element: which way it moves access, its
/// words, and what it is about.
pub(super) struct Change {
    pub(super) direction: Direction,
    pub(super) text: String,
    pub(super) what: What,
}

impl Change {
    /// A change that only a person can place.
    pub(super) fn other(direction: Direction, text: String) -> Change {
        Change {
            direction,
            text,
            what: What::Other,
        }
    }
}

pub(crate) use attachment::attachment_delta;

/// The access delta between the deployed (`old`) and compiled (`new`)
/// canonical forms of a document of `kind`; `None` for a side that does not
/// exist. Broadening lines come first.
pub(crate) fn content_delta(
    kind: DocKind,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Vec<DeltaLine> {
    let mut lines = match kind {
        DocKind::EventRule => event_rule::event_rule_delta(old, new),
        _ => policy_delta(old, new),
    };
    lines.sort_by_key(|line| line.direction);
    lines
}

fn policy_delta(old: Option<&Value>, new: Option<&Value>) -> Vec<DeltaLine> {
    let mut lines = Vec::new();
    if let (Some(old), Some(new)) = (old, new) {
        lines.extend(document_element_changes(old, new));
    }
    let old_statements = Statement::all_of(old);
    let new_statements = Statement::all_of(new);
    let pairing = pair_in_passes(
        &old_statements,
        &new_statements,
        &[
            |s: &Statement| [&s.canonical, "", "", ""],
            |s: &Statement| {
                [
                    s.effect,
                    &s.principal,
                    &s.resources_text,
                    &s.conditions_text,
                ]
            },
            |s: &Statement| [s.effect, &s.principal, &s.actions_text, ""],
            |s: &Statement| [s.effect, &s.principal, &s.resources_text, ""],
        ],
    );
    for (pass, old, new) in pairing.pairs {
        if pass > 0 {
            lines.extend(statement_changes(old, new));
        }
    }
    for added in pairing.only_new {
        lines.push(DeltaLine {
            direction: direction(added.effect, true),
            scope: added.describe(),
            change: with_conditions("statement added", added),
            fact: added.fact(What::Statement { added: true }),
        });
    }
    for removed in pairing.only_old {
        lines.push(DeltaLine {
            direction: direction(removed.effect, false),
            scope: removed.describe(),
            change: with_conditions("statement removed", removed),
            fact: removed.fact(What::Statement { added: false }),
        });
    }
    lines
}

fn with_conditions(what: &str, statement: &Statement) -> String {
    match statement.describe_conditions() {
        Some(conditions) => format!("{what}, when {conditions}"),
        None => what.to_string(),
    }
}

/// Changes of the document's elements other than `Statement`: `Version`,
/// and any other (none in a valid policy), all for review.
fn document_element_changes(old: &Value, new: &Value) -> Vec<DeltaLine> {
    let not_statement = |(key, _): &(&str, &Value)| *key != "Statement";
    changed_members(members(old).filter(not_statement), members(new).filter(not_statement))
        .into_iter()
        .map(|(key, old, new)| {
            let (old, new) = (show(old), show(new));
            let change = if key == "Version" {
                format!("policy language version {old} → {new} (policy variables are literal text under 2008-10-17)")
            } else {
                format!("element {key} changed from {old} to {new}")
            };
            DeltaLine {
                direction: Direction::Review,
                scope: "policy".to_string(),
                change,
                fact: Fact::default(),
            }
        })
        .collect()
}

/// The members of an object (none for another value).
fn members(value: &Value) -> impl Iterator<Item = (&str, &Value)> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, member)| (key.as_str(), member))
}

/// A member whose value differs: its key, old value and new value (`None` where absent).
type MemberChange<'a> = (&'a str, Option<&'a Value>, Option<&'a Value>);

/// The members whose values differ between `old` and `new`, by key.
fn changed_members<'a>(
    old: impl Iterator<Item = (&'a str, &'a Value)>,
    new: impl Iterator<Item = (&'a str, &'a Value)>,
) -> Vec<MemberChange<'a>> {
    let mut both: BTreeMap<&str, (Option<&Value>, Option<&Value>)> = BTreeMap::new();
    for (key, value) in old {
        both.entry(key).or_default().0 = Some(value);
    }
    for (key, value) in new {
        both.entry(key).or_default().1 = Some(value);
    }
    both.into_iter()
        .filter(|(_, (old, new))| old != new)
        .map(|(key, (old, new))| (key, old, new))
        .collect()
}

/// A member's value for a message: strings bare, others as JSON, "none" if absent.
fn show(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => "none".to_string(),
    }
}

/// The changes between two paired statements (same effect and principal).
fn statement_changes(old: &Statement, new: &Statement) -> Vec<DeltaLine> {
    let effect = new.effect;
    let scope = new.describe();
    let mut changes =
        dimension::dimension_changes(&old.actions, &new.actions, &dimension::ACTIONS, effect);
    changes.extend(dimension::dimension_changes(
        &old.resources,
        &new.resources,
        &dimension::RESOURCES,
        effect,
    ));
    changes.extend(condition::condition_changes(
        &old.conditions,
        &new.conditions,
        effect,
    ));
    let others = changed_members(old.others.iter().copied(), new.others.iter().copied());
    changes.extend(others.into_iter().map(|(key, old, new)| {
        Change::other(
            Direction::Review,
            format!("element {key} changed from {} to {}", show(old), show(new)),
        )
    }));
    changes
        .into_iter()
        .map(|change| DeltaLine {
            direction: change.direction,
            scope: scope.clone(),
            change: change.text,
            fact: new.fact(change.what),
        })
        .collect()
}

/// What making a statement of `effect` apply to more (`grows`) or fewer requests does to access.
fn direction(effect: &str, grows: bool) -> Direction {
    match (effect, grows) {
        ("Allow", true) | ("Deny", false) => Direction::Broadens,
        ("Allow", false) | ("Deny", true) => Direction::Narrows,
        _ => Direction::Review,
    }
}

/// The items only in `new` and the items only in `old`, both sorted lists
/// without duplicates; one merge.
fn added_and_removed<'a, T: Ord>(old: &'a [T], new: &'a [T]) -> (Vec<&'a T>, Vec<&'a T>) {
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    let (mut old_iter, mut new_iter) = (old.iter().peekable(), new.iter().peekable());
    loop {
        match (old_iter.peek(), new_iter.peek()) {
            (Some(o), Some(n)) if o < n => removed.extend(old_iter.next()),
            (Some(o), Some(n)) if o > n => added.extend(new_iter.next()),
            (Some(_), Some(_)) => {
                old_iter.next();
                new_iter.next();
            }
            (Some(_), None) => removed.extend(old_iter.next()),
            (None, Some(_)) => added.extend(new_iter.next()),
            (None, None) => break,
        }
    }
    (added, removed)
}

/// At most `max` items joined with ", ", then "(+N more)".
fn listing<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(AsRef::as_ref).collect();
    let mut text = shown.join(", ");
    if items.len() > max {
        text.push_str(&format!(" (+{} more)", items.len() - max));
    }
    text
}

#[cfg(test)]
mod tests;
