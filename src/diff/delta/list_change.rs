//! Items added to and removed from a sorted list (actions, resources,
//! condition values), as delta lines. An item that a wildcard of the other
//! side already covers changes nothing and is marked for review.

use super::wildcard::Wildcards;
use super::{added_and_removed, direction, listing};
use crate::diff::report::Direction;

/// One group of items added or removed.
pub(super) struct ListChange {
    pub(super) direction: Direction,
    pub(super) text: String,
    pub(super) added: bool,
    /// The items, in full; empty when they change nothing (within a wildcard).
    pub(super) items: Vec<String>,
}

/// How many items a change line names before "+N more".
const CHANGE_ITEMS: usize = 12;

/// The lines for `old` → `new` (sorted, without duplicates) in a statement of
/// `effect`. `added_grows`: whether adding an item makes the statement apply
/// to more requests. `patterns`: whether items are wildcard patterns.
/// `describe(items, added)` words a line: "actions added: {items}".
pub(super) fn list_changes(
    old: &[&str],
    new: &[&str],
    patterns: bool,
    effect: &str,
    added_grows: bool,
    describe: impl Fn(&str, bool) -> String,
) -> Vec<ListChange> {
    let (added, removed) = added_and_removed(old, new);
    let wildcards_of = |items| Wildcards::of(if patterns { items } else { &[] });
    let (old_wildcards, new_wildcards) = (wildcards_of(old), wildcards_of(new));
    let (added_covered, added_new): (Vec<&str>, Vec<&str>) = added
        .into_iter()
        .copied()
        .partition(|item| old_wildcards.cover(item));
    let (removed_covered, removed_gone): (Vec<&str>, Vec<&str>) = removed
        .into_iter()
        .copied()
        .partition(|item| new_wildcards.cover(item));
    let groups = [
        (added_new, true, Some(added_grows), ""),
        (removed_gone, false, Some(!added_grows), ""),
        (added_covered, true, None, " — already within a wildcard"),
        (removed_covered, false, None, " — still within a wildcard"),
    ];
    groups
        .into_iter()
        .filter(|(items, ..)| !items.is_empty())
        .map(|(items, added, grows, remark)| ListChange {
            direction: grows.map_or(Direction::Review, |grows| direction(effect, grows)),
            text: describe(&listing(&items, CHANGE_ITEMS), added) + remark,
            added,
            items: if grows.is_some() {
                items.iter().map(|item| item.to_string()).collect()
            } else {
                Vec::new()
            },
        })
        .collect()
}
