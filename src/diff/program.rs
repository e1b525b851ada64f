//! What the diff knows of a compiled program beyond its documents: the names
//! its source gives to ARNs and ids (so that a change is said as the source
//! says it, `SalesApp` and `Sales` rather than ARNs), the source line of each
//! grant, and which tables and endpoints it declares (their deployed
//! policies are dpol's even when nothing compiled pairs with them).

use std::collections::{BTreeMap, BTreeSet};

use crate::iam::SourceRef;
use crate::model::{Effect, Model};
use crate::source::SourceMap;

/// The names and grant lines of one program.
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// Principal ARN → its name in the source.
    principals: BTreeMap<String, String>,
    /// Table ARN → its name in the source.
    tables: BTreeMap<String, String>,
    /// vpce id → the endpoint's name in the source.
    endpoints: BTreeMap<String, String>,
    /// vpc id → the VPC's name in the source.
    vpcs: BTreeMap<String, String>,
    /// Account or OU id → its name in the source.
    targets: BTreeMap<String, String>,
    /// (principal ARN, table ARN or `*`, deny) → those grants.
    grants: BTreeMap<(String, String, bool), Vec<GrantLine>>,
}

/// A grant's line and its actions (`dynamodb:getitem`).
type GrantLine = (SourceRef, BTreeSet<String>);

impl Program {
    /// The program of `model`, whose spans are in `sources`.
    pub fn of(model: &Model, sources: &SourceMap) -> Program {
        let mut program = Program {
            // Break-glass, exempt and deployer roles by their ARN in each
            // account, and by the pattern a perimeter exempts.
            principals: model
                .principals
                .iter()
                .map(|p| (p.arn.clone(), p.name.clone()))
                .chain(model.perimeter_roles.iter().flat_map(|r| {
                    let mut arns = vec![r.arn_pattern()];
                    arns.extend(model.accounts.iter().map(|a| r.arn_in(&a.id)));
                    arns.into_iter().map(|arn| (arn, r.name.clone()))
                }))
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
            vpcs: model.vpcs.iter().cloned().collect(),
            grants: BTreeMap::new(),
        };
        for grant in &model.grants {
            let (Some(principal), Some(line)) = (
                model.principals.get(grant.principal),
                SourceRef::of(sources, grant.span),
            ) else {
                continue;
            };
            let table = grant
                .table
                .and_then(|t| model.tables.get(t))
                .map_or_else(|| "*".to_string(), |t| t.arn());
            let actions = grant
                .actions
                .iter()
                .map(|a| format!("dynamodb:{}", a.name.to_lowercase()))
                .collect();
            program
                .grants
                .entry((principal.arn.clone(), table, grant.effect == Effect::Deny))
                .or_default()
                .push((line, actions));
        }
        program
    }

    /// The dpol name of the principal with this ARN, if the program declares it.
    pub fn principal(&self, arn: &str) -> Option<&str> {
        self.principals.get(arn).map(String::as_str)
    }

    /// The dpol name of the table with this ARN, if the program declares it.
    pub fn table(&self, arn: &str) -> Option<&str> {
        self.tables.get(arn).map(String::as_str)
    }

    /// The name of an endpoint (`vpce-…`) or a VPC (`vpc-…`).
    pub fn endpoint(&self, id: &str) -> Option<&str> {
        self.endpoints
            .get(id)
            .or_else(|| self.vpcs.get(id))
            .map(String::as_str)
    }

    /// The dpol name of an SCP or RCP target: an OU or account id, or the organization's root.
    pub fn target(&self, id: &str) -> Option<&str> {
        self.targets.get(id).map(String::as_str)
    }

    /// The name of the table a (legacy) global-table ARN stands for: the
    /// table of that account with the same DynamoDB name, in any region.
    pub fn global_table(&self, arn: &str) -> Option<&str> {
        let (head, name) = arn.split_once(":global-table/")?;
        let account = head.rsplit(':').next()?;
        let suffix = format!(":{account}:table/{name}");
        self.tables
            .iter()
            .find(|(table, _)| table.ends_with(&suffix))
            .map(|(_, n)| n.as_str())
    }

    /// Whether the program declares the table with this ARN.
    pub fn declares_table(&self, arn: &str) -> bool {
        self.tables.contains_key(arn)
    }

    /// Whether the program declares the endpoint with this id.
    pub fn declares_endpoint(&self, id: &str) -> bool {
        self.endpoints.contains_key(id)
    }

    /// The lines of the grants of `principal` on `table` (an ARN or `*`)
    /// that deny (`deny`) or allow (of either effect unless `exact`), and
    /// that give one of `actions` if any does.
    pub fn grant_lines(
        &self,
        principal: &str,
        table: &str,
        deny: bool,
        exact: bool,
        actions: &[String],
    ) -> Vec<SourceRef> {
        let effects: &[bool] = if exact { &[deny] } else { &[deny, !deny] };
        let grants: Vec<&GrantLine> = effects
            .iter()
            .filter_map(|&deny| {
                self.grants
                    .get(&(principal.to_string(), table.to_string(), deny))
            })
            .flatten()
            .collect();
        let giving: Vec<&SourceRef> = grants
            .iter()
            .filter(|(_, given)| actions.iter().any(|a| given.contains(a)))
            .map(|(line, _)| line)
            .collect();
        let mut lines: Vec<SourceRef> = if giving.is_empty() {
            grants.iter().map(|(line, _)| line.clone()).collect()
        } else {
            giving.into_iter().cloned().collect()
        };
        lines.sort();
        lines.dedup();
        lines
    }
}
