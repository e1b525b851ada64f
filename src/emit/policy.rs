//! The IAM policy JSON shape, serialized in the conventional element order
//! with sorted lists, so that output is canonical and deterministic.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::source::Span;

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

pub fn add_condition(c: &mut Conditions, op: &str, key: &str, values: Vec<String>) {
    c.entry(op.to_string())
        .or_default()
        .insert(key.to_string(), Strings::sorted(values));
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    pub sid: String,
    pub effect: Effect,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_action: Option<Strings>,
    pub resource: Strings,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
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
        self.principal = Some("*");
        self
    }

    pub fn when(mut self, condition: Conditions) -> Statement {
        self.condition = condition;
        self
    }
}

/// A statement and the source spans it came from.
#[derive(Clone, Debug)]
pub struct Built {
    pub statement: Statement,
    pub spans: Vec<Span>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policy {
    pub version: &'static str,
    pub statement: Vec<Statement>,
}

/// `dynamodb:GetItem` from a catalogue name.
pub fn action(prefix: &str, name: &str) -> String {
    format!("{prefix}:{name}")
}

/// A Sid from source words: letters and digits only, each word capitalized.
pub fn sid(words: &[&str]) -> String {
    words
        .iter()
        .flat_map(|w| w.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Makes Sids unique within one document by numbering repeats (`Sid2`, `Sid3`).
pub fn unique_sids(statements: &mut [Built]) {
    let base = |b: &Built| {
        if b.statement.sid.is_empty() {
            "Statement".to_string()
        } else {
            b.statement.sid.clone()
        }
    };
    // A repeated Sid gets the first free number, skipping every Sid another
    // statement has as its own: `ReadsOrders3` twice must not become the
    // `ReadsOrders32` of a grant on table `Orders32`.
    let bases: BTreeSet<String> = statements.iter().map(base).collect();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut next: BTreeMap<String, usize> = BTreeMap::new();
    for b in statements.iter_mut() {
        let own = base(b);
        let sid = if used.contains(&own) {
            let n = next.entry(own.clone()).or_insert(2);
            loop {
                let candidate = format!("{own}{n}");
                *n += 1;
                if !used.contains(&candidate) && !bases.contains(&candidate) {
                    break candidate;
                }
            }
        } else {
            own
        };
        used.insert(sid.clone());
        b.statement.sid = sid;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_are_alphanumeric_and_unique() {
        assert_eq!(
            sid(&["reads", "Product-Catalog", "items"]),
            "ReadsProductCatalogItems"
        );
        let statement = Statement {
            sid: "A".into(),
            effect: Effect::Allow,
            principal: None,
            action: None,
            not_action: None,
            resource: Strings::one("*"),
            condition: Conditions::new(),
        };
        let mut built = vec![
            Built {
                statement: statement.clone(),
                spans: vec![],
            },
            Built {
                statement,
                spans: vec![],
            },
        ];
        unique_sids(&mut built);
        assert_eq!(built[1].statement.sid, "A2");
    }

    #[test]
    fn one_element_lists_serialize_as_strings() {
        assert_eq!(serde_json::to_string(&Strings::one("x")).unwrap(), "\"x\"");
        assert_eq!(
            serde_json::to_string(&Strings::sorted(vec!["b".into(), "a".into()])).unwrap(),
            "[\"a\",\"b\"]"
        );
    }
}
