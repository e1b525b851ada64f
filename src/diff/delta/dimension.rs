//! Changes of the actions or resources of a paired statement.

use super::list_change::list_changes;
use super::statement::Dimension;
use super::{listing, Change};
use crate::diff::fact::What;
use crate::diff::report::Direction;

/// How many items the line of a switch between element and Not-element names.
const SWITCH_ITEMS: usize = 12;

/// The words for one element pair.
pub(super) struct Element {
    name: &'static str,
    /// Whether the items are actions (else resources).
    actions: bool,
    not_name: &'static str,
    plural: &'static str,
    /// Past participles for items added and removed: "added", "widened".
    added: &'static str,
    removed: &'static str,
}

pub(super) const ACTIONS: Element = Element {
    name: "Action",
    actions: true,
    not_name: "NotAction",
    plural: "actions",
    added: "added",
    removed: "removed",
};

pub(super) const RESOURCES: Element = Element {
    name: "Resource",
    actions: false,
    not_name: "NotResource",
    plural: "resources",
    added: "widened",
    removed: "narrowed",
};

/// The changes from `old` to `new` items of `element` in a statement of `effect`.
pub(super) fn dimension_changes(
    old: &Dimension,
    new: &Dimension,
    element: &Element,
    effect: &str,
) -> Vec<Change> {
    if old.negated != new.negated {
        let name = |negated: bool| {
            if negated {
                element.not_name
            } else {
                element.name
            }
        };
        return vec![Change::other(
            Direction::Review,
            format!(
                "switched from {} [{}] to {} [{}]",
                name(old.negated),
                listing(&old.items, SWITCH_ITEMS),
                name(new.negated),
                listing(&new.items, SWITCH_ITEMS)
            ),
        )];
    }
    let what = if new.negated {
        format!("{} exceptions", element.not_name)
    } else {
        element.plural.to_string()
    };
    list_changes(
        &old.items,
        &new.items,
        true,
        effect,
        !new.negated,
        |items, added| {
            let verb = if added {
                element.added
            } else {
                element.removed
            };
            format!("{what} {verb}: {items}")
        },
    )
    .into_iter()
    .map(|change| {
        let what = match (change.items.is_empty() || new.negated, element.actions) {
            (true, _) => What::Other,
            (false, true) => What::Actions {
                added: change.added,
                items: change.items,
            },
            (false, false) => What::Resources {
                added: change.added,
                items: change.items,
            },
        };
        Change {
            direction: change.direction,
            text: change.text,
            what,
        }
    })
    .collect()
}
