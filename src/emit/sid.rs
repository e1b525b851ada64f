//! Statements being built: the source spans each came from, and Sids made
//! from the program's words and unique within their document.

use std::collections::{BTreeMap, BTreeSet};

use crate::iam::Statement;
use crate::source::Span;

/// A statement and the source spans it came from.
#[derive(Clone, Debug)]
pub struct Built {
    pub statement: Statement,
    pub spans: Vec<Span>,
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
    use crate::iam::{Conditions, Effect, Strings};

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
}
