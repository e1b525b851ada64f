//! A canonical statement taken apart for the access delta.

use serde_json::Value;

use super::listing;
use crate::diff::fact::{Fact, What};

/// How many actions or resources a scope names before "+N more".
const SCOPE_ITEMS: usize = 3;
/// How many condition values a description names before "+N more".
const VALUE_ITEMS: usize = 12;
/// The elements a statement is taken apart into (all of IAM's); any other
/// is kept whole.
use crate::iam::grammar::FULL_STATEMENT_ELEMENTS as KNOWN_ELEMENTS;

/// One statement of a canonical policy.
pub(super) struct Statement<'v> {
    pub(super) effect: &'v str,
    pub(super) actions: Dimension<'v>,
    pub(super) resources: Dimension<'v>,
    /// Sorted by key, then operator.
    pub(super) conditions: Vec<Condition<'v>>,
    /// Elements dpol does not take apart (none in a valid policy), sorted.
    pub(super) others: Vec<(&'v str, &'v Value)>,
    /// `Principal` (or `NotPrincipal`), if any.
    principal_value: Option<&'v Value>,
    /// JSON texts of the whole statement and of its parts, for pairing;
    /// Not-elements are prefixed with `Not`.
    pub(super) canonical: String,
    pub(super) principal: String,
    pub(super) actions_text: String,
    pub(super) resources_text: String,
    pub(super) conditions_text: String,
}

/// The actions or resources of a statement.
#[derive(Default)]
pub(super) struct Dimension<'v> {
    /// `NotAction` / `NotResource`.
    pub(super) negated: bool,
    /// Sorted, without duplicates (the canonical form).
    pub(super) items: Vec<&'v str>,
}

/// One `operator: {key: values}` entry of a condition.
pub(super) struct Condition<'v> {
    pub(super) key: &'v str,
    pub(super) operator: &'v str,
    /// Sorted, without duplicates.
    pub(super) values: Vec<&'v str>,
}

impl<'v> Statement<'v> {
    /// The statements of a canonical policy; none for `None`.
    pub(super) fn all_of(policy: Option<&'v Value>) -> Vec<Statement<'v>> {
        policy
            .and_then(|policy| policy.get("Statement"))
            .and_then(Value::as_array)
            .map(|statements| statements.iter().map(Statement::from_value).collect())
            .unwrap_or_default()
    }

    fn from_value(statement: &'v Value) -> Statement<'v> {
        let (principal_value, principal) = either(statement, "Principal", "NotPrincipal");
        let (actions, actions_text) = either(statement, "Action", "NotAction");
        let (resources, resources_text) = either(statement, "Resource", "NotResource");
        let others = statement
            .as_object()
            .map(|elements| {
                elements
                    .iter()
                    .filter(|(key, _)| !KNOWN_ELEMENTS.contains(&key.as_str()))
                    .map(|(key, value)| (key.as_str(), value))
                    .collect()
            })
            .unwrap_or_default();
        Statement {
            effect: statement
                .get("Effect")
                .and_then(Value::as_str)
                .unwrap_or(""),
            actions: dimension(actions),
            resources: dimension(resources),
            conditions: conditions(statement.get("Condition")),
            others,
            principal_value: principal_value.map(|(value, _)| value),
            canonical: statement.to_string(),
            principal,
            actions_text,
            resources_text,
            conditions_text: statement
                .get("Condition")
                .map(Value::to_string)
                .unwrap_or_default(),
        }
    }

    /// "Allow dynamodb:getitem, dynamodb:query on arn:…:table/Orders for principal *".
    pub(super) fn describe(&self) -> String {
        let mut text = format!(
            "{} {} on {}",
            self.effect,
            describe_dimension(&self.actions, "actions"),
            describe_dimension(&self.resources, "resources")
        );
        if let Some(principal) = self.principal_value {
            let shown = principal
                .as_str()
                .map_or_else(|| principal.to_string(), str::to_string);
            text.push_str(&format!(" for principal {shown}"));
        }
        text
    }

    /// `what`, about this statement.
    pub(super) fn fact(&self, what: What) -> Fact {
        let owned = |items: &[&str]| items.iter().map(|item| item.to_string()).collect();
        Fact {
            effect: self.effect.to_string(),
            actions: owned(&self.actions.items),
            resources: owned(&self.resources.items),
            principals: self.aws_principals(),
            what,
        }
    }

    /// The ARNs under `Principal.AWS` (one or a list); none for `*`, a
    /// service principal or `NotPrincipal`.
    fn aws_principals(&self) -> Vec<String> {
        let aws = self
            .principal_value
            .filter(|_| !self.principal.starts_with("Not"))
            .and_then(|p| p.get("AWS"));
        let arns: Vec<&Value> = match aws {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one) => vec![one],
            None => Vec::new(),
        };
        arns.into_iter()
            .filter_map(Value::as_str)
            .filter(|arn| *arn != "*")
            .map(str::to_string)
            .collect()
    }

    /// "StringEquals aws:sourcevpc = vpc-1; Null dynamodb:leadingkeys = false", if any.
    pub(super) fn describe_conditions(&self) -> Option<String> {
        let entries: Vec<String> = self.conditions.iter().map(Condition::describe).collect();
        (!entries.is_empty()).then(|| entries.join("; "))
    }
}

impl Condition<'_> {
    /// "StringEquals aws:sourcevpc = vpc-1".
    pub(super) fn describe(&self) -> String {
        format!(
            "{} {} = {}",
            self.operator,
            self.key,
            describe_values(&self.values)
        )
    }
}

/// "vpc-1", or "[vpc-1, vpc-2]" for several values.
pub(super) fn describe_values<S: AsRef<str>>(values: &[S]) -> String {
    match values {
        [one] => one.as_ref().to_string(),
        many => format!("[{}]", listing(many, VALUE_ITEMS)),
    }
}

fn describe_dimension(dimension: &Dimension, noun: &str) -> String {
    let items = listing(&dimension.items, SCOPE_ITEMS);
    if dimension.negated {
        format!("all {noun} except {items}")
    } else {
        items
    }
}

/// The value of element `plain` or else `not` (`Action`, `NotAction`), with
/// whether it is the Not-element, and its JSON text (`Not`-prefixed for it).
fn either<'v>(statement: &'v Value, plain: &str, not: &str) -> (Option<(&'v Value, bool)>, String) {
    let found = match (statement.get(plain), statement.get(not)) {
        (Some(value), _) => Some((value, false)),
        (None, Some(value)) => Some((value, true)),
        (None, None) => None,
    };
    let text = found.map_or_else(String::new, |(value, negated)| {
        format!("{}{value}", if negated { "Not" } else { "" })
    });
    (found, text)
}

fn dimension(found: Option<(&Value, bool)>) -> Dimension<'_> {
    found.map_or_else(Dimension::default, |(value, negated)| Dimension {
        negated,
        items: strings(value),
    })
}

fn conditions(condition: Option<&Value>) -> Vec<Condition<'_>> {
    let Some(Value::Object(operators)) = condition else {
        return Vec::new();
    };
    let mut entries: Vec<Condition> = operators
        .iter()
        .filter_map(|(operator, keys)| Some((operator, keys.as_object()?)))
        .flat_map(|(operator, keys)| {
            keys.iter().map(move |(key, values)| Condition {
                key,
                operator,
                values: strings(values),
            })
        })
        .collect();
    entries.sort_by(|a, b| (a.key, a.operator).cmp(&(b.key, b.operator)));
    entries
}

/// The strings of a canonical list (other items cannot occur there).
fn strings(list: &Value) -> Vec<&str> {
    list.as_array()
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}
