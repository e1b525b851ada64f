//! Changes of an EventBridge rule. A rule grants no access, so every line is
//! for review: a narrower pattern or a disabled rule can silence an alert.

use serde_json::Value;

use super::{changed_members, members, show};
use crate::diff::fact::Fact;
use crate::diff::report::{DeltaLine, Direction};

/// The lines for the deployed (`old`) and compiled (`new`) canonical rules.
pub(super) fn event_rule_delta(old: Option<&Value>, new: Option<&Value>) -> Vec<DeltaLine> {
    let review = |change: String| DeltaLine {
        direction: Direction::Review,
        scope: "event rule".to_string(),
        change,
        fact: Fact::default(),
    };
    let (old, new) = match (old, new) {
        (Some(old), Some(new)) => (old, new),
        (None, Some(_)) => return vec![review("event rule added".to_string())],
        (Some(_), None) => return vec![review("event rule removed".to_string())],
        (None, None) => return Vec::new(),
    };
    changed_members(members(old), members(new))
        .into_iter()
        .map(|(key, old, new)| {
            review(match key {
                "EventPattern" => "event pattern changed".to_string(),
                "Targets" => "targets changed".to_string(),
                "State" => format!("state {} → {}", show(old), show(new)),
                other => format!("{other} changed from {} to {}", show(old), show(new)),
            })
        })
        .collect()
}
