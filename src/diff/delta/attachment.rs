//! Changes of what a document attaches to. Attaching a document that only
//! allows broadens access, attaching one that only denies narrows it;
//! detaching does the reverse. A document with both effects, or an event
//! rule, is for review.

use serde_json::Value;

use super::statement::Statement;
use super::{added_and_removed, direction, listing};
use crate::diff::fact::{Fact, What};
use crate::diff::report::{DeltaLine, Direction};

/// How many attachments a line names before "+N more".
const ATTACH_ITEMS: usize = 8;

/// The lines for attachments going from `old` to `new` (sorted lists), where
/// `old_doc` and `new_doc` are the canonical documents on each side.
pub(crate) fn attachment_delta(
    old: &[String],
    new: &[String],
    old_doc: &Value,
    new_doc: &Value,
) -> Vec<DeltaLine> {
    let (added, removed) = added_and_removed(old, new);
    let mut lines = Vec::new();
    if !added.is_empty() {
        lines.push(DeltaLine {
            direction: attach_direction(new_doc, true),
            scope: "attachment".to_string(),
            change: format!("now attached to {}", listing(&added, ATTACH_ITEMS)),
            fact: Fact::about(What::Attachment {
                added: true,
                targets: added.iter().map(|t| t.to_string()).collect(),
            }),
        });
    }
    if !removed.is_empty() {
        lines.push(DeltaLine {
            direction: attach_direction(old_doc, false),
            scope: "attachment".to_string(),
            change: format!("no longer attached to {}", listing(&removed, ATTACH_ITEMS)),
            fact: Fact::about(What::Attachment {
                added: false,
                targets: removed.iter().map(|t| t.to_string()).collect(),
            }),
        });
    }
    lines
}

/// The direction of attaching (`attaching`) or detaching `doc`.
fn attach_direction(doc: &Value, attaching: bool) -> Direction {
    let statements = Statement::all_of(Some(doc));
    let mut effects = statements.iter().map(|statement| statement.effect);
    match effects.next() {
        Some(first) if effects.all(|effect| effect == first) => direction(first, attaching),
        _ => Direction::Review,
    }
}
