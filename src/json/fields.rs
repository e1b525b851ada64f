//! Typed access to JSON values that fails with a [`Problem`] at the right path.

use serde_json::{Map, Value};

use super::path::JsonPath;
use super::problem::{InputProblem, Problem};

/// "a number", "a list": how a value's type reads in a message.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// "expected `expected`, found a number".
pub(crate) fn wrong_type(expected: &str, found: &Value, at: &JsonPath) -> Problem {
    Problem::new(
        InputProblem::WrongType,
        at,
        format!("expected {expected}, found {}", type_name(found)),
    )
}

pub(crate) fn as_object<'v>(
    value: &'v Value,
    at: &JsonPath,
) -> Result<&'v Map<String, Value>, Problem> {
    value
        .as_object()
        .ok_or_else(|| wrong_type("an object", value, at))
}

pub(crate) fn as_array<'v>(value: &'v Value, at: &JsonPath) -> Result<&'v [Value], Problem> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(wrong_type("a list", other, at)),
    }
}

pub(crate) fn as_str<'v>(value: &'v Value, at: &JsonPath) -> Result<&'v str, Problem> {
    value
        .as_str()
        .ok_or_else(|| wrong_type("a string", value, at))
}

/// The member `key` of `object` (at `at`), which must be present.
pub(crate) fn required<'v>(
    object: &'v Map<String, Value>,
    key: &str,
    at: &JsonPath,
) -> Result<&'v Value, Problem> {
    object.get(key).ok_or_else(|| {
        Problem::new(
            InputProblem::MissingField,
            &at.key(key),
            format!("`{key}` is missing"),
        )
    })
}

/// The string member `key` of `object`, which must be present.
pub(crate) fn required_str<'v>(
    object: &'v Map<String, Value>,
    key: &str,
    at: &JsonPath,
) -> Result<&'v str, Problem> {
    as_str(required(object, key, at)?, &at.key(key))
}

/// The string member `key` of `object` when present.
pub(crate) fn optional_str<'v>(
    object: &'v Map<String, Value>,
    key: &str,
    at: &JsonPath,
) -> Result<Option<&'v str>, Problem> {
    object
        .get(key)
        .map(|value| as_str(value, &at.key(key)))
        .transpose()
}

/// The list of strings `value`, sorted and without duplicates.
pub(crate) fn string_set(value: &Value, at: &JsonPath) -> Result<Vec<String>, Problem> {
    let mut items = as_array(value, at)?
        .iter()
        .enumerate()
        .map(|(i, item)| as_str(item, &at.index(i)).map(str::to_string))
        .collect::<Result<Vec<_>, _>>()?;
    items.sort();
    items.dedup();
    Ok(items)
}
