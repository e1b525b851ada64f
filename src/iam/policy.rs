//! The IAM policy JSON shape dpol writes, typed, serialized in the
//! conventional element order with sorted lists, so that output is canonical
//! and deterministic.

use std::collections::BTreeMap;

use serde::Serialize;

/// The policy language version dpol writes.
pub const VERSION: &str = "2012-10-17";

/// A list that serializes as a plain string when it has one element.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Strings(pub Vec<String>);

impl Strings {
    /// Sorted and deduplicated.
    pub fn sorted(mut values: Vec<String>) -> Strings {
        values.sort();
        values.dedup();
        Strings(values)
    }

    /// A list of one string.
    pub fn one(value: impl Into<String>) -> Strings {
        Strings(vec![value.into()])
    }
}

impl Serialize for Strings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => s.serialize_str(one),
            many => many.serialize(s),
        }
    }
}

/// Operator → key → values.
pub type Conditions = BTreeMap<String, BTreeMap<String, Strings>>;

/// Sets `op key values` in `c` (values sorted, without duplicates), replacing an entry of the same operator and key.
pub fn add_condition(c: &mut Conditions, op: &str, key: &str, values: Vec<String>) {
    c.entry(op.to_string())
        .or_default()
        .insert(key.to_string(), Strings::sorted(values));
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
/// A statement's `Effect`.
pub enum Effect {
    /// The statement allows what it matches.
    Allow,
    /// The statement denies what it matches.
    Deny,
}

/// The `Principal` of a resource or endpoint policy's statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatementPrincipal {
    /// `"*"`.
    Everyone,
    /// `{"AWS": ARN}`.
    Aws(String),
}

impl Serialize for StatementPrincipal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            StatementPrincipal::Everyone => serializer.serialize_str("*"),
            StatementPrincipal::Aws(arn) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("AWS", arn)?;
                map.end()
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
/// One statement of a policy, as dpol writes it.
pub struct Statement {
    /// The statement id, stable across builds.
    pub sid: String,
    /// `Allow` or `Deny`.
    pub effect: Effect,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// `Principal`, for resource and endpoint policies; `None` in identity policies and SCPs.
    pub principal: Option<StatementPrincipal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// `Action`; `None` when the statement uses `NotAction`.
    pub action: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// `NotAction`: every action but these.
    pub not_action: Option<Strings>,
    /// `Resource`.
    pub resource: Strings,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    /// `Condition`: operator → key → values; empty for none.
    pub condition: Conditions,
}

impl Statement {
    /// `effect` on `actions` and `resources` (each sorted), with no principal
    /// and no condition.
    pub fn new(
        sid: String,
        effect: Effect,
        actions: Vec<String>,
        resources: Vec<String>,
    ) -> Statement {
        Statement {
            sid,
            effect,
            principal: None,
            action: Some(Strings::sorted(actions)),
            not_action: None,
            resource: Strings::sorted(resources),
            condition: Conditions::new(),
        }
    }

    /// `"Principal": "*"` (endpoint and resource policies).
    pub fn for_everyone(mut self) -> Statement {
        self.principal = Some(StatementPrincipal::Everyone);
        self
    }

    /// `"Principal": {"AWS": ARN}`: one IAM user or role (resource
    /// policies).
    pub fn for_arn(mut self, arn: &str) -> Statement {
        self.principal = Some(StatementPrincipal::Aws(arn.to_string()));
        self
    }

    /// The statement with `condition` as its `Condition`.
    pub fn when(mut self, condition: Conditions) -> Statement {
        self.condition = condition;
        self
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
/// A policy document: a version and its statements.
pub struct Policy {
    /// `Version`: always [`VERSION`].
    pub version: &'static str,
    /// `Statement`, in the order dpol wrote them.
    pub statement: Vec<Statement>,
}

/// `dynamodb:GetItem` from a catalogue name.
pub fn action(prefix: &str, name: &str) -> String {
    format!("{prefix}:{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_element_lists_serialize_as_strings() {
        assert_eq!(serde_json::to_string(&Strings::one("x")).unwrap(), "\"x\"");
        assert_eq!(
            serde_json::to_string(&Strings::sorted(vec!["b".into(), "a".into()])).unwrap(),
            "[\"a\",\"b\"]"
        );
    }
}
