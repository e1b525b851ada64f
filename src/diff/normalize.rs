//! The canonical form of a document: two documents are the same policy (as
//! far as dpol can tell without evaluating it) exactly when their canonical
//! forms are equal.
//!
//! For a policy:
//! - `Statement` is always a list, its statements sorted by their canonical
//!   JSON text and without duplicates; `Sid` and `Id` are dropped (renaming is
//!   no change), `Version` is kept (changing it is);
//! - `Action`/`NotAction` and `Resource`/`NotResource` are sorted lists
//!   without duplicates; actions are lower-cased (IAM action names are
//!   case-insensitive), resources keep their case;
//! - `Principal` keeps `"*"` apart from `{"AWS": "*"}` (they differ); the ids
//!   of each principal type are sorted lists;
//! - in `Condition`, operator names are kept, key names lower-cased (they are
//!   case-insensitive) and values are sorted lists of strings (`true` and `200`
//!   become `"true"` and `"200"`); an empty `Condition` is dropped.
//!
//! For an event rule (`{"EventPattern", "State", "Targets"}`): the lists of the
//! pattern are sorted (they are alternatives), except `numeric` ranges, whose
//! order matters; `Targets` are sorted.
//!
//! A document given as JSON text is parsed first; anything that is not a
//! policy or rule comes back as it is. Object members come out sorted, since
//! `serde_json` maps are ordered.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// The canonical form of `doc`, a policy or event rule (see the module docs).
pub fn normalize(doc: &Value) -> Value {
    match doc {
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            Ok(parsed) => normalize(&parsed),
            Err(_) => doc.clone(),
        },
        Value::Object(rule) if rule.contains_key("EventPattern") => normalize_event_rule(rule),
        Value::Object(policy) => normalize_policy(policy),
        other => other.clone(),
    }
}

fn normalize_policy(policy: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    for (key, value) in policy {
        match key.as_str() {
            "Id" => {}
            "Statement" => {
                let statements = one_or_many(value).iter().map(normalize_statement).collect();
                out.insert(key.clone(), Value::Array(sorted_unique(statements)));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(out)
}

fn normalize_statement(statement: &Value) -> Value {
    let Value::Object(elements) = statement else {
        return statement.clone();
    };
    let mut out = Map::new();
    for (key, value) in elements {
        let canonical = match key.as_str() {
            "Sid" => continue,
            "Action" | "NotAction" => sorted_set(value, |action| action.to_lowercase()),
            "Resource" | "NotResource" => sorted_set(value, str::to_string),
            "Principal" | "NotPrincipal" => normalize_principal(value),
            "Condition" => match normalize_condition(value) {
                Value::Object(operators) if operators.is_empty() => continue,
                condition => condition,
            },
            _ => value.clone(),
        };
        out.insert(key.clone(), canonical);
    }
    Value::Object(out)
}

fn normalize_principal(principal: &Value) -> Value {
    match principal {
        Value::Object(types) => Value::Object(
            types
                .iter()
                .map(|(kind, ids)| (kind.clone(), sorted_set(ids, str::to_string)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Key names lower-cased; keys that then coincide get the union of their
/// values (the policy grammar check rejects such documents before this).
fn normalize_condition(condition: &Value) -> Value {
    let Value::Object(operators) = condition else {
        return condition.clone();
    };
    let mut out = Map::new();
    for (operator, keys) in operators {
        let Value::Object(keys) = keys else {
            out.insert(operator.clone(), keys.clone());
            continue;
        };
        let mut merged: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, values) in keys {
            merged
                .entry(key.to_lowercase())
                .or_default()
                .extend(one_or_many(values).iter().map(scalar_text));
        }
        let keys = merged
            .into_iter()
            .map(|(key, values)| (key, sorted_strings(values)))
            .collect();
        out.insert(operator.clone(), Value::Object(keys));
    }
    Value::Object(out)
}

fn normalize_event_rule(rule: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    for (key, value) in rule {
        let canonical = match key.as_str() {
            "EventPattern" => {
                let pattern = match value {
                    Value::String(text) => {
                        serde_json::from_str(text).unwrap_or_else(|_| value.clone())
                    }
                    other => other.clone(),
                };
                sort_pattern_lists(&pattern, false)
            }
            "Targets" => Value::Array(sorted_unique(one_or_many(value).to_vec())),
            _ => value.clone(),
        };
        out.insert(key.clone(), canonical);
    }
    Value::Object(out)
}

/// Sorts every list of an event pattern, except the list of a `numeric`
/// member (`[">", 0, "<", 5]`), whose order is its meaning.
fn sort_pattern_lists(pattern: &Value, keep_order: bool) -> Value {
    match pattern {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, value)| (key.clone(), sort_pattern_lists(value, key == "numeric")))
                .collect(),
        ),
        Value::Array(items) => {
            let items: Vec<Value> = items
                .iter()
                .map(|item| sort_pattern_lists(item, false))
                .collect();
            Value::Array(if keep_order {
                items
            } else {
                sorted_unique(items)
            })
        }
        other => other.clone(),
    }
}

/// The items of a list, or a lone value as a list of one.
fn one_or_many(value: &Value) -> &[Value] {
    match value {
        Value::Array(items) => items,
        other => std::slice::from_ref(other),
    }
}

/// A value as condition text: strings as they are, other scalars as JSON.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// `value` (one or many) as a sorted list of strings without duplicates.
fn sorted_set(value: &Value, canonical: impl Fn(&str) -> String) -> Value {
    sorted_strings(
        one_or_many(value)
            .iter()
            .map(|item| canonical(&scalar_text(item)))
            .collect(),
    )
}

fn sorted_strings(mut items: Vec<String>) -> Value {
    items.sort();
    items.dedup();
    Value::Array(items.into_iter().map(Value::String).collect())
}

/// `items` sorted by their JSON text, without duplicates.
fn sorted_unique(items: Vec<Value>) -> Vec<Value> {
    let mut keyed: Vec<(String, Value)> = items
        .into_iter()
        .map(|item| (item.to_string(), item))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    keyed.into_iter().map(|(_, item)| item).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::normalize;

    #[test]
    fn canonical_policy() {
        let doc = json!({
            "Version": "2012-10-17",
            "Id": "x",
            "Statement": {
                "Sid": "A",
                "Effect": "Allow",
                "Action": ["DynamoDB:Query", "dynamodb:GetItem", "dynamodb:query"],
                "Resource": "arn:aws:dynamodb:us-east-1:1:table/Orders",
                "Principal": {"AWS": "arn:aws:iam::1:root"},
                "Condition": {
                    "NumericLessThan": {"DynamoDB:LeadingKeys": 200},
                    "Bool": {"aws:SecureTransport": true},
                    "StringEquals": {"aws:SourceVpc": ["vpc-2", "vpc-1"]}
                }
            }
        });
        assert_eq!(
            normalize(&doc),
            json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["dynamodb:getitem", "dynamodb:query"],
                    "Resource": ["arn:aws:dynamodb:us-east-1:1:table/Orders"],
                    "Principal": {"AWS": ["arn:aws:iam::1:root"]},
                    "Condition": {
                        "NumericLessThan": {"dynamodb:leadingkeys": ["200"]},
                        "Bool": {"aws:securetransport": ["true"]},
                        "StringEquals": {"aws:sourcevpc": ["vpc-1", "vpc-2"]}
                    }
                }]
            })
        );
    }

    #[test]
    fn keeps_star_principal_apart_and_parses_text() {
        let star = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]});
        let aws_star = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": "*"}]});
        assert_ne!(normalize(&star), normalize(&aws_star));
        assert_eq!(
            normalize(&serde_json::Value::String(star.to_string())),
            normalize(&star)
        );
        assert_eq!(normalize(&json!("not json")), json!("not json"));
        assert_eq!(normalize(&json!(5)), json!(5));
    }

    #[test]
    fn sorts_statements_and_drops_duplicates_and_empty_conditions() {
        let a = json!({"Effect": "Deny", "Action": "dynamodb:DeleteTable", "Resource": "*"});
        let b = json!({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*", "Condition": {}});
        let one = json!({"Statement": [a, b, a]});
        let other = json!({"Statement": [b, a]});
        assert_eq!(normalize(&one), normalize(&other));
        assert_eq!(normalize(&one)["Statement"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn event_rule_lists_sorted_except_numeric() {
        let rule = json!({
            "EventPattern": r#"{"detail":{"eventName":["UpdateTable","DeleteTable"],"size":[{"numeric":[">",0,"<",5]}]}}"#,
            "State": "ENABLED",
            "Targets": [{"Id": "b"}, {"Id": "a"}]
        });
        assert_eq!(
            normalize(&rule),
            json!({
                "EventPattern": {"detail": {"eventName": ["DeleteTable", "UpdateTable"], "size": [{"numeric": [">", 0, "<", 5]}]}},
                "State": "ENABLED",
                "Targets": [{"Id": "a"}, {"Id": "b"}]
            })
        );
    }
}
