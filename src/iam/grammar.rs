//! The policy grammar dpol emits (iam-facts §4.1), checked on every document
//! dpol writes ([`super::emitted`]) and every document it reads, so that a
//! comparison never passes over an element it does not understand. `NotPrincipal` and `NotResource` are IAM grammar but dpol never
//! emits them, so they are rejected like unknown elements.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::operator::parse_operator;
use crate::json::{as_object, as_str, required, wrong_type, InputProblem, JsonPath, Problem};

const DOCUMENT_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: [&str; 7] = [
    "Sid",
    "Effect",
    "Principal",
    "Action",
    "NotAction",
    "Resource",
    "Condition",
];
const NEVER_EMITTED: [&str; 2] = ["NotPrincipal", "NotResource"];
/// Every statement element of IAM's grammar.
pub(crate) const FULL_STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const VERSIONS: [&str; 2] = ["2008-10-17", "2012-10-17"];
const PRINCIPAL_TYPES: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];

/// Checks that `doc` (at `at`) is a policy in the grammar dpol emits.
pub(crate) fn validate_policy(doc: &Value, at: &JsonPath) -> Result<(), Problem> {
    validate(doc, at, Elements::Emitted)
}

/// Checks that `doc` is a policy in IAM's whole grammar: what
/// [`validate_policy`] accepts, and `NotPrincipal` and `NotResource` too
/// (the evaluator reads any policy).
pub(crate) fn validate_full_policy(doc: &Value, at: &JsonPath) -> Result<(), Problem> {
    validate(doc, at, Elements::Full)
}

/// Which statement elements a policy may have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Elements {
    /// Those dpol emits.
    Emitted,
    /// IAM's whole grammar.
    Full,
}

fn validate(doc: &Value, at: &JsonPath, elements: Elements) -> Result<(), Problem> {
    let object = as_object(doc, at)?;
    check_elements(object, &DOCUMENT_ELEMENTS, at)?;
    if let Some(version) = object.get("Version") {
        let version_at = at.key("Version");
        let version = as_str(version, &version_at)?;
        if !VERSIONS.contains(&version) {
            return Err(Problem::new(
                InputProblem::InvalidValue,
                &version_at,
                format!("`{version}` is not a policy language version (2008-10-17 or 2012-10-17)"),
            ));
        }
    }
    if let Some(id) = object.get("Id") {
        as_str(id, &at.key("Id"))?;
    }
    let statements_at = at.key("Statement");
    match required(object, "Statement", at)? {
        Value::Array(statements) => statements
            .iter()
            .enumerate()
            .try_for_each(|(i, statement)| {
                validate_statement(statement, &statements_at.index(i), elements)
            }),
        statement => validate_statement(statement, &statements_at, elements),
    }
}

fn check_elements(
    object: &Map<String, Value>,
    allowed: &[&str],
    at: &JsonPath,
) -> Result<(), Problem> {
    match object.keys().find(|key| !allowed.contains(&key.as_str())) {
        None => Ok(()),
        Some(key) if NEVER_EMITTED.contains(&key.as_str()) => Err(Problem::new(
            InputProblem::UnsupportedElement,
            &at.key(key),
            format!("`{key}` is not supported: dpol never emits it"),
        )),
        Some(key) => Err(Problem::new(
            InputProblem::UnsupportedElement,
            &at.key(key),
            format!("unknown policy element `{key}`"),
        )),
    }
}

fn validate_statement(statement: &Value, at: &JsonPath, elements: Elements) -> Result<(), Problem> {
    let object = as_object(statement, at)?;
    if elements == Elements::Full {
        check_elements(object, &FULL_STATEMENT_ELEMENTS, at)?;
    } else {
        check_elements(object, &STATEMENT_ELEMENTS, at)?;
    }
    if let Some(sid) = object.get("Sid") {
        as_str(sid, &at.key("Sid"))?;
    }
    let effect_at = at.key("Effect");
    let effect = as_str(required(object, "Effect", at)?, &effect_at)?;
    if effect != "Allow" && effect != "Deny" {
        return Err(Problem::new(
            InputProblem::InvalidValue,
            &effect_at,
            format!("`Effect` is `Allow` or `Deny`, not `{effect}`"),
        ));
    }
    if let Some((name, principal)) = at_most_one(object, "Principal", "NotPrincipal", at)? {
        validate_principal(principal, &at.key(name))?;
    }
    for (element, negated) in [("Action", "NotAction"), ("Resource", "NotResource")] {
        match at_most_one(object, element, negated, at)? {
            Some((name, values)) => string_or_strings(values, &at.key(name))?,
            None => {
                return Err(Problem::new(
                    InputProblem::MissingField,
                    &at.key(element),
                    format!("`{element}` is missing"),
                ))
            }
        }
    }
    if let Some(condition) = object.get("Condition") {
        validate_condition(condition, &at.key("Condition"))?;
    }
    Ok(())
}

/// The member `element` or `negated` of a statement (`Action` or
/// `NotAction`), with its name; both at once is an error.
fn at_most_one<'v>(
    object: &'v Map<String, Value>,
    element: &'static str,
    negated: &'static str,
    at: &JsonPath,
) -> Result<Option<(&'static str, &'v Value)>, Problem> {
    match (object.get(element), object.get(negated)) {
        (Some(value), None) => Ok(Some((element, value))),
        (None, Some(value)) => Ok(Some((negated, value))),
        (Some(_), Some(_)) => Err(Problem::new(
            InputProblem::InvalidValue,
            &at.key(negated),
            format!("a statement has `{element}` or `{negated}`, not both"),
        )),
        (None, None) => Ok(None),
    }
}

fn validate_principal(principal: &Value, at: &JsonPath) -> Result<(), Problem> {
    match principal {
        Value::String(star) if star == "*" => Ok(()),
        Value::String(other) => Err(Problem::new(
            InputProblem::InvalidValue,
            at,
            format!("a principal is `*` or an object such as {{\"AWS\": …}}, not `{other}`"),
        )),
        Value::Object(types) => types.iter().try_for_each(|(kind, ids)| {
            let kind_at = at.key(kind);
            if PRINCIPAL_TYPES.contains(&kind.as_str()) {
                string_or_strings(ids, &kind_at)
            } else {
                Err(Problem::new(
                    InputProblem::InvalidValue,
                    &kind_at,
                    format!("unknown principal type `{kind}`"),
                ))
            }
        }),
        other => Err(wrong_type("`*` or an object", other, at)),
    }
}

fn validate_condition(condition: &Value, at: &JsonPath) -> Result<(), Problem> {
    as_object(condition, at)?
        .iter()
        .try_for_each(|(operator, keys)| {
            let operator_at = at.key(operator);
            if parse_operator(operator).is_none() {
                return Err(Problem::new(
                    InputProblem::InvalidValue,
                    &operator_at,
                    format!("unknown condition operator `{operator}`"),
                ));
            }
            let keys = keys
                .as_object()
                .ok_or_else(|| wrong_type("an object of condition keys", keys, &operator_at))?;
            let mut seen = BTreeSet::new();
            keys.iter().try_for_each(|(key, values)| {
                let key_at = operator_at.key(key);
                if !seen.insert(key.to_lowercase()) {
                    return Err(Problem::new(
                        InputProblem::InvalidValue,
                        &key_at,
                        format!(
                            "condition key `{key}` appears twice (key names are case-insensitive)"
                        ),
                    ));
                }
                condition_values(values, &key_at)
            })
        })
}

fn condition_values(values: &Value, at: &JsonPath) -> Result<(), Problem> {
    const EXPECTED: &str = "a string, number or boolean, or a list of them";
    let is_scalar =
        |value: &Value| matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_));
    match values {
        Value::Array(items) => items.iter().enumerate().try_for_each(|(i, item)| {
            if is_scalar(item) {
                Ok(())
            } else {
                Err(wrong_type(EXPECTED, item, &at.index(i)))
            }
        }),
        value if is_scalar(value) => Ok(()),
        other => Err(wrong_type(EXPECTED, other, at)),
    }
}

fn string_or_strings(value: &Value, at: &JsonPath) -> Result<(), Problem> {
    match value {
        Value::String(_) => Ok(()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| as_str(item, &at.index(i)).map(drop)),
        other => Err(wrong_type("a string or a list of strings", other, at)),
    }
}
