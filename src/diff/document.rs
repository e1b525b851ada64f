//! A policy or event rule held in a field of a CLI output or in a file: a JSON
//! object, or JSON text in a string (SCP, endpoint and table policies), which
//! the IAM API itself sends percent-encoded.

use serde_json::{Map, Value};

use super::json_text::parse_json;
use super::percent_decode::percent_decode;
use crate::iam::grammar::validate_policy;
use crate::json::JsonPath;
use crate::json::{as_object, as_str, wrong_type};
use crate::json::{InputProblem, Problem};

/// The policy held by `value` (at `at`), parsed and checked against the grammar dpol emits.
pub(crate) fn policy_document(value: &Value, at: &JsonPath) -> Result<Value, Problem> {
    let document = decode(value, at, "the policy text")?;
    validate_policy(&document, at)?;
    Ok(document)
}

/// [`policy_document`] for an identity policy, which has no `Principal`: IAM
/// has no such element there, so a statement with one cannot be compared as
/// what applies.
pub(crate) fn identity_policy_document(value: &Value, at: &JsonPath) -> Result<Value, Problem> {
    let document = policy_document(value, at)?;
    let statements_at = at.key("Statement");
    let statements = match document.get("Statement") {
        Some(Value::Array(list)) => list.iter().enumerate().collect::<Vec<_>>(),
        Some(one) => vec![(usize::MAX, one)],
        None => Vec::new(),
    };
    for (i, statement) in statements {
        if statement.get("Principal").is_some() {
            let statement_at = if i == usize::MAX {
                statements_at
            } else {
                statements_at.index(i)
            };
            return Err(Problem::new(
                InputProblem::UnsupportedElement,
                &statement_at.key("Principal"),
                "`Principal` in an identity policy: IAM has no such element there \
                 (the policy applies to the principal it is attached to)",
            ));
        }
    }
    Ok(document)
}

/// The event rule held by `value`: an object with an `EventPattern` (an object
/// or JSON text, given back as an object), optional `Name` and `State` strings
/// and an optional `Targets` list.
pub(crate) fn event_rule_document(value: &Value, at: &JsonPath) -> Result<Value, Problem> {
    let rule = as_object(&decode(value, at, "the event rule text")?, at)?.clone();
    let mut checked = Map::new();
    for (key, member) in rule {
        let member_at = at.key(&key);
        let member = match key.as_str() {
            "EventPattern" => {
                let pattern = decode(&member, &member_at, "the event pattern text")?;
                as_object(&pattern, &member_at)?;
                pattern
            }
            "Name" | "State" => {
                as_str(&member, &member_at)?;
                member
            }
            "Targets" if member.is_array() => member,
            "Targets" => return Err(wrong_type("a list", &member, &member_at)),
            _ => {
                return Err(Problem::new(
                    InputProblem::UnsupportedElement,
                    &member_at,
                    format!(
                    "unknown event rule element `{key}` (expected EventPattern, Name, State, Targets)"
                ),
                ))
            }
        };
        checked.insert(key, member);
    }
    if !checked.contains_key("EventPattern") {
        return Err(Problem::new(
            InputProblem::MissingField,
            &at.key("EventPattern"),
            "`EventPattern` is missing",
        ));
    }
    Ok(Value::Object(checked))
}

/// `value` itself, or the JSON its text holds (percent-decoded first when it
/// starts with `%`).
fn decode(value: &Value, at: &JsonPath, what: &str) -> Result<Value, Problem> {
    let Value::String(text) = value else {
        return Ok(value.clone());
    };
    if !text.trim_start().starts_with('%') {
        return parse_json(text, at, InputProblem::EmbeddedNotJson, what);
    }
    let decoded = percent_decode(text).ok_or_else(|| {
        Problem::new(
            InputProblem::EmbeddedNotJson,
            at,
            format!("{what} is neither JSON nor percent-encoded JSON"),
        )
    })?;
    parse_json(&decoded, at, InputProblem::EmbeddedNotJson, what)
}
