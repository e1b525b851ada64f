//! The one policy document type: what `dpol build` writes (through
//! [`crate::emit::Compiled::document`]), what the readers of deployed
//! policies give back, what `diff` compares and what the evaluator
//! evaluates; with the `.dpol` lines it came from.

use std::collections::BTreeSet;

use crate::iam::DocKind;
use crate::source::{SourceMap, Span};

/// One policy document, compiled or deployed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Document {
    /// Which of the five kinds of document it is.
    pub kind: DocKind,
    /// policy name: IAM managed policy name (or inline policy name), SCP name, vpce id, table name, rule name
    pub name: String,
    /// what it attaches to, sorted: principal ARNs (identity), target ids — account ids / ou ids / root id (scp),
    /// the vpce id (vpc_endpoint), the table ARN (resource), "ACCOUNT/REGION" (event_rule)
    pub attach: Vec<String>,
    /// the policy document as JSON (for event_rule: {"EventPattern": {...}, "State": "...", "Targets": [...]})
    pub document: serde_json::Value,
    /// where it came from, for messages: `"out/identity/dpol-alice.json"` or `"iam.json: $.RoleDetailList[0].RolePolicyList[1]"`
    pub origin: String,
    /// the source lines it was compiled from (a build's manifest `sources`); empty for AWS CLI output
    pub sources: Vec<SourceRef>,
}

/// A line of a `.dpol` source: `access-patterns.dpol:40`.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
pub struct SourceRef {
    /// The file, as the program names it.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
}

impl SourceRef {
    /// The line of `span`'s start (a file named `./a.dpol` is `a.dpol`).
    pub fn of(sources: &SourceMap, span: Span) -> Option<SourceRef> {
        let file = sources.get(span.file)?;
        let mut name = file.name.as_str();
        while let Some(rest) = name.strip_prefix("./") {
            name = rest;
        }
        Some(SourceRef {
            file: name.to_string(),
            line: file.line_col(span.start as usize).0,
        })
    }
}

impl std::fmt::Display for SourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// The lines of `spans`, sorted, each once.
pub fn source_refs(sources: &SourceMap, spans: &[Span]) -> Vec<SourceRef> {
    let lines: BTreeSet<SourceRef> = spans
        .iter()
        .filter_map(|span| SourceRef::of(sources, *span))
        .collect();
    lines.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::DocKind;

    #[test]
    fn names_match_serde() {
        for kind in DocKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(DocKind::from_name(kind.as_str()), Some(kind));
        }
        assert_eq!(DocKind::from_name("Identity"), None);
    }
}
