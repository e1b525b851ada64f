//! What the diff knows of a compiled program beyond its documents: the names
//! its source gives to ARNs and ids (so that a change is said as the source
//! says it, `SalesApp` and `Sales` rather than ARNs), the source line of each
//! grant, and which tables and endpoints it declares (their deployed
//! policies are dpol's even when nothing compiled pairs with them).

use std::collections::{BTreeMap, BTreeSet};

use super::policy_doc::SourceRef;
use crate::model::{Effect, Model};
use crate::source::{SourceMap, Span};

/// The names and grant lines of one program.
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// Principal ARN → its name in the source.
    principals: BTreeMap<String, String>,
    /// Table ARN → its name in the source.
    tables: BTreeMap<String, String>,
    /// vpce id → the endpoint's name in the source.
    endpoints: BTreeMap<String, String>,
    /// Account or OU id → its name in the source.
    targets: BTreeMap<String, String>,
    /// (principal ARN, table ARN or `*`, deny) → the lines of those grants.
    grants: BTreeMap<(String, String, bool), BTreeSet<SourceRef>>,
}

impl Program {
    /// The program of `model`, whose spans are in `sources`.
    pub fn of(model: &Model, sources: &SourceMap) -> Program {
        let mut program = Program {
            principals: model
                .principals
                .iter()
                .map(|p| (p.arn.clone(), p.name.clone()))
                .collect(),
            tables: model
                .tables
                .iter()
                .map(|t| (t.arn(), t.name.clone()))
                .collect(),
            endpoints: model
                .endpoints
                .iter()
                .map(|e| (e.id.clone(), e.name.clone()))
                .collect(),
            targets: model
                .accounts
                .iter()
                .map(|a| (a.id.clone(), a.name.clone()))
                .chain(model.ous.iter().map(|o| (o.id.clone(), o.name.clone())))
                .collect(),
            grants: BTreeMap::new(),
        };
        for grant in &model.grants {
            let (Some(principal), Some(line)) = (
                model.principals.get(grant.principal),
                source_ref(sources, grant.span),
            ) else {
                continue;
            };
            let table = grant
                .table
                .and_then(|t| model.tables.get(t))
                .map_or_else(|| "*".to_string(), |t| t.arn());
            program
                .grants
                .entry((principal.arn.clone(), table, grant.effect == Effect::Deny))
                .or_default()
                .insert(line);
        }
        program
    }

    pub fn principal(&self, arn: &str) -> Option<&str> {
        self.principals.get(arn).map(String::as_str)
    }

    pub fn table(&self, arn: &str) -> Option<&str> {
        self.tables.get(arn).map(String::as_str)
    }

    pub fn endpoint(&self, id: &str) -> Option<&str> {
        self.endpoints.get(id).map(String::as_str)
    }

    pub fn target(&self, id: &str) -> Option<&str> {
        self.targets.get(id).map(String::as_str)
    }

    /// Whether the program declares the table with this ARN.
    pub fn declares_table(&self, arn: &str) -> bool {
        self.tables.contains_key(arn)
    }

    /// Whether the program declares the endpoint with this id.
    pub fn declares_endpoint(&self, id: &str) -> bool {
        self.endpoints.contains_key(id)
    }

    /// The lines of the grants of `principal` on `table` (an ARN or `*`):
    /// with the given effect if there are any, else with either.
    pub fn grant_lines(&self, principal: &str, table: &str, deny: bool) -> Vec<SourceRef> {
        let key = |deny| (principal.to_string(), table.to_string(), deny);
        self.grants
            .get(&key(deny))
            .or_else(|| self.grants.get(&key(!deny)))
            .map(|lines| lines.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// The line of `span`'s start.
fn source_ref(sources: &SourceMap, span: Span) -> Option<SourceRef> {
    let file = sources.get(span.file)?;
    Some(SourceRef {
        file: file.name.clone(),
        line: file.line_col(span.start as usize).0,
    })
}

/// The lines of `spans`, sorted, each once.
pub fn source_refs(sources: &SourceMap, spans: &[Span]) -> Vec<SourceRef> {
    let lines: BTreeSet<SourceRef> = spans
        .iter()
        .filter_map(|span| source_ref(sources, *span))
        .collect();
    lines.into_iter().collect()
}
