//! Mutations of a policy document: semantic ones (each changes what the
//! policy allows or denies) with the direction dpol should report, and
//! cosmetic ones (each leaves the policy the same).

use serde_json::{json, Map, Value};

use crate::xorshift::XorShift;

/// What the access delta of a semantic mutation must say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// At least one broadening line and no narrowing one.
    Broadens,
    /// At least one narrowing line and no broadening one.
    Narrows,
    /// Only lines for review.
    Review,
    /// Some line; its direction depends on details the test does not model.
    Any,
}

pub const SEMANTIC: [&str; 8] = [
    "add action",
    "drop condition value",
    "add condition value",
    "widen resource",
    "flip effect",
    "drop condition",
    "change numeric bound",
    "change version",
];

pub const COSMETIC: [&str; 7] = [
    "reorder statements",
    "reorder a list",
    "re-case actions",
    "re-case condition keys",
    "scalar <-> list",
    "change or remove sid",
    "reformat or embed",
];

/// Applies the semantic mutation `kind` to a random place of `doc`; `None`
/// when `doc` has no place for it.
pub fn semantic(kind: &str, doc: &mut Value, rng: &mut XorShift) -> Option<Expect> {
    if kind == "change version" {
        let version = match doc.get("Version").and_then(Value::as_str) {
            Some("2012-10-17") => "2008-10-17",
            _ => "2012-10-17",
        };
        doc["Version"] = json!(version);
        return Some(Expect::Review);
    }
    let mut statements = statements(doc);
    let mut order: Vec<usize> = (0..statements.len()).collect();
    rng.shuffle(&mut order);
    order
        .into_iter()
        .find_map(|i| semantic_in_statement(kind, &mut *statements[i], rng))
}

fn semantic_in_statement(kind: &str, statement: &mut Value, rng: &mut XorShift) -> Option<Expect> {
    let allow = statement["Effect"] == "Allow";
    let by_effect = |grows: bool| {
        if grows == allow {
            Expect::Broadens
        } else {
            Expect::Narrows
        }
    };
    match kind {
        "add action" => {
            let (element, negated) = if statement.get("Action").is_some() {
                ("Action", false)
            } else {
                ("NotAction", true)
            };
            let actions = list(&mut statement[element]);
            let has_wildcard = actions
                .iter()
                .any(|a| a.as_str().is_some_and(|a| a.contains('*')));
            let present = |candidate: &str| {
                actions.iter().any(|a| {
                    a.as_str()
                        .is_some_and(|a| a.eq_ignore_ascii_case(candidate))
                })
            };
            let pool = [
                "dynamodb:Scan",
                "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:UpdateTable",
                "s3:GetObject",
            ];
            let candidates: Vec<&str> = pool.into_iter().filter(|c| !present(c)).collect();
            let added = candidates[rng.below(candidates.len())];
            actions.push(json!(added));
            Some(if has_wildcard {
                Expect::Any
            } else {
                by_effect(!negated)
            })
        }
        "widen resource" => {
            let resources = list(&mut statement["Resource"]);
            if resources.iter().any(|r| r == "*") {
                return None;
            }
            *resources = vec![json!("*")];
            Some(by_effect(true))
        }
        "flip effect" => {
            statement["Effect"] = json!(if allow { "Deny" } else { "Allow" });
            Some(if allow {
                Expect::Narrows
            } else {
                Expect::Broadens
            })
        }
        "drop condition" => {
            let (operator, key) = pick_condition(statement, rng, |_, _| true)?;
            let keys = statement["Condition"][&operator].as_object_mut()?;
            keys.remove(&key);
            if keys.is_empty() {
                statement["Condition"].as_object_mut()?.remove(&operator);
            }
            Some(by_effect(true))
        }
        "drop condition value" => {
            let (operator, key) = pick_condition(statement, rng, |_, values| {
                values.as_array().is_some_and(|v| v.len() >= 2)
            })?;
            let values = list(&mut statement["Condition"][&operator][&key]);
            let has_pattern = values
                .iter()
                .any(|v| v.as_str().is_some_and(|v| v.contains('*')));
            values.remove(rng.below(values.len()));
            Some(match sense(&operator) {
                Sense::Matches if !has_pattern => by_effect(false),
                Sense::Excludes if !has_pattern => by_effect(true),
                Sense::Opaque => Expect::Review,
                _ => Expect::Any,
            })
        }
        "add condition value" => {
            let (operator, key) = pick_condition(statement, rng, |_, _| true)?;
            let values = list(&mut statement["Condition"][&operator][&key]);
            let has_pattern = values
                .iter()
                .any(|v| v.as_str().is_some_and(|v| v.contains('*')));
            values.push(json!(format!("mutant-{}", rng.below(1000))));
            Some(match sense(&operator) {
                Sense::Matches if !has_pattern => by_effect(true),
                Sense::Excludes if !has_pattern => by_effect(false),
                Sense::Opaque => Expect::Review,
                _ => Expect::Any,
            })
        }
        "change numeric bound" => {
            let (operator, key) = pick_condition(statement, rng, |operator, values| {
                sense(operator) == Sense::Bound
                    && !matches!(values, Value::Array(v) if v.len() != 1)
            })?;
            let value = &mut statement["Condition"][&operator][&key];
            let current: f64 = match &*value {
                Value::Array(items) => scalar_number(&items[0])?,
                other => scalar_number(other)?,
            };
            *value = json!(format!("{}", current + 100.0));
            Some(by_effect(operator.contains("LessThan")))
        }
        _ => None,
    }
}

/// Applies the cosmetic mutation `kind` (except "reformat or embed", which
/// the test does through a reader) to a random place of `doc`.
pub fn cosmetic(kind: &str, doc: &mut Value, rng: &mut XorShift) {
    if kind == "reorder statements" {
        if let Some(statements) = doc["Statement"].as_array_mut() {
            rng.shuffle(statements);
        }
        return;
    }
    if kind == "scalar <-> list" && rng.chance(30) {
        toggle_scalar(&mut doc["Statement"]);
        return;
    }
    let statements = statements(doc);
    let count = statements.len();
    let Some(statement) = statements.into_iter().nth(rng.below(count.max(1))) else {
        return;
    };
    match kind {
        "reorder a list" => {
            let lists = string_lists(statement);
            let count = lists.len();
            if let Some(Value::Array(items)) = lists.into_iter().nth(rng.below(count.max(1))) {
                rng.shuffle(items);
            }
        }
        "re-case actions" => {
            let element = if statement.get("Action").is_some() {
                "Action"
            } else {
                "NotAction"
            };
            for action in list(&mut statement[element]) {
                if let Some(text) = action.as_str() {
                    *action = json!(recase(text, rng));
                }
            }
        }
        "re-case condition keys" => {
            if let Some(operators) = statement
                .get_mut("Condition")
                .and_then(Value::as_object_mut)
            {
                for keys in operators.values_mut() {
                    if let Some(keys) = keys.as_object_mut() {
                        let recased: Map<String, Value> = std::mem::take(keys)
                            .into_iter()
                            .map(|(key, values)| (recase(&key, rng), values))
                            .collect();
                        *keys = recased;
                    }
                }
            }
        }
        "scalar <-> list" => {
            let lists = string_lists(statement);
            let count = lists.len();
            if let Some(value) = lists.into_iter().nth(rng.below(count.max(1))) {
                toggle_scalar(value);
            }
        }
        "change or remove sid" => {
            if rng.chance(50) {
                statement.as_object_mut().map(|s| s.remove("Sid"));
            } else {
                statement["Sid"] = json!(format!("Renamed{}", rng.below(100)));
            }
        }
        _ => {}
    }
}

/// `doc` as JSON text with random whitespace between tokens.
pub fn reformat(doc: &Value, rng: &mut XorShift) -> String {
    let compact = doc.to_string();
    let mut out = String::new();
    let (mut in_string, mut escaped) = (false, false);
    for c in compact.chars() {
        out.push(c);
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' | ',' | ':' if rng.chance(40) => {
                out.push_str(["\n", " ", "\t", "\n    ", "  "][rng.below(5)]);
            }
            _ => {}
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sense {
    Matches,
    Excludes,
    Bound,
    Opaque,
}

/// The test's own reading of an operator, independent of the engine's table.
fn sense(operator: &str) -> Sense {
    let base = operator.rsplit(':').next().unwrap_or(operator);
    let base = base.strip_suffix("IfExists").unwrap_or(base);
    if base.starts_with("Bool") || base == "Null" || base.starts_with("Date") {
        Sense::Opaque
    } else if base.starts_with("NumericLess") || base.starts_with("NumericGreater") {
        Sense::Bound
    } else if base.contains("Not") {
        Sense::Excludes
    } else {
        Sense::Matches
    }
}

/// The statements of `doc`, one object or a list.
fn statements(doc: &mut Value) -> Vec<&mut Value> {
    match &mut doc["Statement"] {
        Value::Array(items) => items.iter_mut().collect(),
        one => vec![one],
    }
}

/// `value` as a list, turning a scalar into a list of one first.
fn list(value: &mut Value) -> &mut Vec<Value> {
    if !value.is_array() {
        *value = Value::Array(vec![value.take()]);
    }
    match value {
        Value::Array(items) => items,
        _ => unreachable!(),
    }
}

/// A random `(operator, key)` of the statement's condition accepted by `fits`.
fn pick_condition(
    statement: &Value,
    rng: &mut XorShift,
    fits: impl Fn(&str, &Value) -> bool,
) -> Option<(String, String)> {
    let entries: Vec<(String, String)> = statement
        .get("Condition")?
        .as_object()?
        .iter()
        .flat_map(|(operator, keys)| {
            keys.as_object()
                .into_iter()
                .flatten()
                .filter(|(_, values)| fits(operator, values))
                .map(move |(key, _)| (operator.clone(), key.clone()))
        })
        .collect();
    (!entries.is_empty()).then(|| entries[rng.below(entries.len())].clone())
}

/// Every Action, Resource, principal id and condition value list (or scalar) of a statement.
fn string_lists(statement: &mut Value) -> Vec<&mut Value> {
    let Some(statement) = statement.as_object_mut() else {
        return Vec::new();
    };
    let mut lists = Vec::new();
    for (element, value) in statement.iter_mut() {
        match element.as_str() {
            "Action" | "NotAction" | "Resource" => lists.push(value),
            "Principal" => lists.extend(
                value
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|ids| ids.values_mut()),
            ),
            "Condition" => lists.extend(
                value
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|operators| operators.values_mut())
                    .filter_map(Value::as_object_mut)
                    .flat_map(|keys| keys.values_mut()),
            ),
            _ => {}
        }
    }
    lists
}

/// A list of one becomes its item; a scalar becomes a list of one.
fn toggle_scalar(value: &mut Value) {
    match value {
        Value::Array(items) if items.len() == 1 => *value = items.remove(0),
        Value::Array(_) => {}
        other => *other = Value::Array(vec![other.take()]),
    }
}

fn recase(text: &str, rng: &mut XorShift) -> String {
    text.chars()
        .map(|c| {
            if rng.chance(50) {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

fn scalar_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}
