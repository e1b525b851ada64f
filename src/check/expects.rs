//! Expectations (`expect alice can read Books keys 101 attrs Id, Title`):
//! each resolved into the requests `dpol test` evaluates, one per action,
//! with the same name checks as grants. The build ignores them.
//!
//! What an expectation means (grammar/README.md, "Expectations"):
//!
//! - `can VERB` names the verb's allowed actions, `cannot VERB` its denied
//!   ones (the wider set a `cannot` grant denies); `can`/`cannot ACTIONS`
//!   names those actions. Every request must be allowed (`can`) or denied
//!   (`cannot`).
//! - The resource of each action is the one it acts on: the table, the
//!   index (`index I`), a stream, backup, export or import of the table, the
//!   global table, `*` for actions that act on no resource, and for a KMS
//!   action the table's customer managed key, called by DynamoDB
//!   (`kms:ViaService`). `on *` asks on every declared table; no table names
//!   the table declared last above, as for grants.

mod report;

use super::names::Kind;
use super::values;
use super::{Checker, Ctx};
use crate::ast::{self, ClauseKind, ExpectWhat, KeySet, KeyValue, Name, TableTarget};
use crate::catalog::{verbs, Action};
use crate::model::{self, ExpectedRequest};
use crate::source::Span;
use crate::vocab::{PrincipalKind, Verb};

/// The stream label, backup and export names an expectation's requests use
/// (IAM statements name them by pattern, `table/T/stream/*`).
const STREAM_LABEL: &str = "2026-01-01T00:00:00.000";
const BACKUP_NAME: &str = "01767225600000-dpol0000";

/// The requested actions of an expectation: DynamoDB's and KMS's.
pub(super) struct Asked {
    pub(super) dynamodb: Vec<&'static Action>,
    pub(super) kms: Vec<&'static Action>,
    /// The `dynamodb:FullTableScan` values of its PartiQL SELECT requests.
    pub(super) full_scans: Vec<bool>,
}

/// Which PartiQL SELECTs an expectation stands for: by key when it names
/// keys; otherwise by key for `can read`, a full scan for `can scan`, and
/// both for `cannot` and for a named `PartiQLSelect` (each must have the
/// outcome: the stricter reading).
fn full_scans(e: &ast::Expect) -> Vec<bool> {
    let keys = e
        .clauses
        .iter()
        .any(|c| matches!(c.kind, ClauseKind::Keys(_)));
    if keys {
        return vec![false];
    }
    match &e.what {
        ExpectWhat::Verbs(verbs) if e.allowed => {
            let has = |verb: Verb| verbs.iter().any(|v| v.node == verb);
            let mut out = Vec::new();
            if has(Verb::Read) || has(Verb::Manage) {
                out.push(false);
            }
            if has(Verb::Scan) || has(Verb::Manage) {
                out.push(true);
            }
            out
        }
        _ => vec![false, true],
    }
}

impl Checker<'_, '_, '_> {
    pub(super) fn expectations(&mut self) {
        let p = self.program;
        for (e, ctx) in &p.expects {
            if let Some(x) = self.expectation(e, ctx) {
                self.model.expectations.push(x);
            }
        }
    }

    fn expectation(&mut self, e: &ast::Expect, ctx: &Ctx) -> Option<model::Expectation> {
        let principal = self.expect_principal(&e.principal);
        let asked = self.asked(e);
        let tables = match &e.table {
            Some(TableTarget::All(_)) => Some((0..self.model.tables.len()).collect()),
            Some(TableTarget::Named(name)) => self
                .lookup_or(name, &[Kind::Table], || {
                    format!("table {} in prod", name.node)
                })
                .map(|(_, i)| vec![i]),
            None => Some(ctx.last_table.into_iter().collect::<Vec<usize>>()),
        };
        let mut x = model::Expectation {
            allowed: e.allowed,
            principal: principal?,
            requests: Vec::new(),
            via: None,
            from_ip: None,
            keys: Vec::new(),
            attrs: Vec::new(),
            at: None,
            mfa: false,
            span: e.span,
        };
        let tables: Vec<usize> = tables?;
        let index = self.expect_clauses(e, &tables, &mut x);
        let asked = asked?;
        x.requests = self.requests(e, &asked, &tables, index?.as_deref())?;
        Some(x)
    }

    /// A declared principal (not a group) or perimeter role.
    fn expect_principal(&mut self, name: &Name) -> Option<String> {
        if self.names.get(Kind::Principal, &name.node).is_none()
            && self
                .model
                .perimeter_roles
                .iter()
                .any(|r| r.name == name.node)
        {
            return Some(name.node.clone());
        }
        let (_, i) = self.lookup_or(name, &[Kind::Principal], || {
            format!("user {} in prod", name.node)
        })?;
        let kind = self.model.principals.get(i).map(|p| p.kind);
        if kind == Some(PrincipalKind::Group) {
            self.error(report::group_never_asks(name));
            return None;
        }
        Some(name.node.clone())
    }

    /// The actions asked for: a verb's set, or each named action.
    fn asked(&mut self, e: &ast::Expect) -> Option<Asked> {
        self.asked_of(e.allowed, &e.what, e.table.as_ref(), full_scans(e))
    }

    /// The actions `what` names: for verbs, the allowed set (`allowed`) or
    /// the denied one.
    pub(super) fn asked_of(
        &mut self,
        allowed: bool,
        what: &ExpectWhat,
        table: Option<&TableTarget>,
        scans: Vec<bool>,
    ) -> Option<Asked> {
        let service = &self.catalog.dynamodb;
        let names = match what {
            ExpectWhat::Verbs(list) => {
                let verbs: Vec<_> = list.iter().map(|v| v.node).collect();
                // `on *`: the account-level actions too.
                let one_table = !matches!(table, Some(TableTarget::All(_)));
                let dynamodb = if allowed {
                    verbs::allow_actions(service, &verbs, one_table)
                } else {
                    verbs::deny_actions(service, &verbs, one_table)
                };
                return Some(Asked {
                    dynamodb,
                    kms: Vec::new(),
                    full_scans: scans,
                });
            }
            ExpectWhat::Actions(names) => names,
        };
        let mut asked = Asked {
            dynamodb: Vec::new(),
            kms: Vec::new(),
            full_scans: scans,
        };
        let mut ok = true;
        for name in names {
            let (prefix, bare) = match name.node.split_once(':') {
                Some((prefix, bare)) => (prefix, bare),
                None => ("dynamodb", name.node.as_str()),
            };
            let (service, list) = match prefix {
                "dynamodb" => (&self.catalog.dynamodb, &mut asked.dynamodb),
                "kms" => (&self.catalog.kms, &mut asked.kms),
                _ => {
                    self.error(report::not_evaluated_service(name));
                    ok = false;
                    continue;
                }
            };
            match service.action(bare) {
                Some(action) => list.push(action),
                None => {
                    self.error(report::unknown_action(name, bare, service));
                    ok = false;
                }
            }
        }
        ok.then_some(asked)
    }

    /// Reads the clauses into `x`; returns the `index` named (`Some(None)`:
    /// none), or `None` after an error.
    fn expect_clauses(
        &mut self,
        e: &ast::Expect,
        tables: &[usize],
        x: &mut model::Expectation,
    ) -> Option<Option<String>> {
        let mut seen: Vec<(&'static str, Span)> = Vec::new();
        let mut ok = true;
        let mut index = None;
        let mut network: Option<(&'static str, Span)> = None;
        for clause in &e.clauses {
            let keyword = clause.kind.keyword();
            if let Some(&(_, first)) = seen.iter().find(|(k, _)| *k == keyword) {
                self.error(report::duplicate_clause(clause, keyword, first));
                ok = false;
                continue;
            }
            seen.push((keyword, clause.span));
            if matches!(
                clause.kind,
                ClauseKind::Via(_) | ClauseKind::FromIp(_) | ClauseKind::Outside
            ) {
                if let Some((other, at)) = network {
                    self.error(report::two_origins(clause, keyword, other, at));
                    ok = false;
                }
                network = Some((keyword, clause.span));
            }
            ok &= match &clause.kind {
                ClauseKind::Keys(set) => self.expect_keys(set, clause.span, x),
                ClauseKind::Attrs(names) => self.expect_attrs(names, tables, x),
                ClauseKind::Index(name) => match self.expect_index(name, tables) {
                    Some(found) => {
                        index = Some(found);
                        true
                    }
                    None => false,
                },
                ClauseKind::Via(name) => match self.network(name) {
                    Some((model::Network::Vpc(id) | model::Network::Endpoint(id), _)) => {
                        x.via = Some(id);
                        true
                    }
                    None => false,
                },
                ClauseKind::FromIp(addresses) => self.expect_ip(addresses, clause.span, x),
                ClauseKind::At(time) => self.expect_at(time, x),
                ClauseKind::WithMfa => {
                    x.mfa = true;
                    true
                }
                ClauseKind::Outside => true,
                // The grammar gives these to grants only.
                ClauseKind::ExceptAttrs(_) | ClauseKind::From(_) | ClauseKind::Until(_) => true,
            };
        }
        ok.then_some(index)
    }

    /// `at TIME`: the request's time, normalized; `false` after an error.
    fn expect_at(&mut self, time: &Name, x: &mut model::Expectation) -> bool {
        match values::date(&time.node) {
            Ok(normalized) => {
                x.at = Some(normalized);
                true
            }
            Err(help) => {
                self.error(report::bad_time(time, help));
                false
            }
        }
    }

    /// `keys 101, 102`: values, not ranges or patterns.
    fn expect_keys(&mut self, set: &KeySet, span: Span, x: &mut model::Expectation) -> bool {
        let values = match set {
            KeySet::Values(values) => values,
            KeySet::Range { .. } => {
                self.error(report::key_range_in_request(span));
                return false;
            }
        };
        let mut ok = true;
        for v in values {
            match &v.node {
                KeyValue::Number(s) | KeyValue::String(s) => x.keys.push(s.clone()),
                KeyValue::Prefix(_) | KeyValue::Variable(_) => {
                    self.error(report::key_pattern_in_request(v.span));
                    ok = false;
                }
            }
        }
        ok
    }

    /// `attrs A, B`: attributes of the table (when it declares them).
    fn expect_attrs(
        &mut self,
        names: &[Name],
        tables: &[usize],
        x: &mut model::Expectation,
    ) -> bool {
        let mut ok = true;
        for name in names {
            for &t in tables {
                let Some(table) = self.model.tables.get(t) else {
                    continue;
                };
                if table.attrs.is_empty() {
                    continue;
                }
                let mut known = table.key_attributes();
                known.extend(table.attrs.iter().cloned());
                if known.contains(&name.node) {
                    continue;
                }
                self.error(report::unknown_attribute(name, table, &known));
                ok = false;
                break;
            }
            x.attrs.push(name.node.clone());
        }
        ok
    }

    /// `index I`: an index of the (one) table.
    fn expect_index(&mut self, name: &Name, tables: &[usize]) -> Option<String> {
        let [t] = tables else {
            self.error(report::index_needs_one_table(name));
            return None;
        };
        let table = self.model.tables.get(*t)?;
        if table.indexes.iter().any(|i| i.name == name.node) {
            return Some(name.node.clone());
        }
        let d = super::grants::unknown_index(table, name);
        self.error(d);
        None
    }

    /// `from ip ADDRESS`: one address, not a block.
    fn expect_ip(&mut self, addresses: &[Name], span: Span, x: &mut model::Expectation) -> bool {
        let [address] = addresses else {
            self.error(report::several_addresses(span));
            return false;
        };
        if address.node.parse::<std::net::IpAddr>().is_err() {
            self.error(report::not_one_address(address));
            return false;
        }
        x.from_ip = Some(address.node.clone());
        true
    }

    /// One request per action and table.
    fn requests(
        &mut self,
        e: &ast::Expect,
        asked: &Asked,
        tables: &[usize],
        index: Option<&str>,
    ) -> Option<Vec<ExpectedRequest>> {
        let mut out = Vec::new();
        let needs_table = asked.dynamodb.iter().any(|a| !a.resourceless()) || !asked.kms.is_empty();
        if needs_table && tables.is_empty() {
            self.error(report::no_table(e.principal.span));
            return None;
        }
        let mut on_index = false;
        for action in &asked.dynamodb {
            if action.resourceless() {
                out.push(ExpectedRequest::dynamodb(
                    &action.name,
                    "*".to_string(),
                    None,
                ));
                continue;
            }
            let scans: Vec<Option<bool>> = if action.name == "PartiQLSelect" {
                asked.full_scans.iter().copied().map(Some).collect()
            } else {
                vec![None]
            };
            for &t in tables {
                let Some(table) = self.model.tables.get(t) else {
                    continue;
                };
                let Some(resource) = resource(action, table, index) else {
                    continue;
                };
                on_index |= index.is_some();
                for &full_table_scan in &scans {
                    out.push(ExpectedRequest::dynamodb(
                        &action.name,
                        resource.clone(),
                        full_table_scan,
                    ));
                }
            }
        }
        if let Some(index) = index {
            if !on_index {
                self.error(report::index_unused(e.span, index));
                return None;
            }
        }
        out.extend(self.kms_requests(e, asked, tables)?);
        Some(out)
    }

    /// The KMS requests DynamoDB makes for `asked.kms` on each table: on the
    /// table's customer managed key; a table without one is an error.
    fn kms_requests(
        &mut self,
        e: &ast::Expect,
        asked: &Asked,
        tables: &[usize],
    ) -> Option<Vec<ExpectedRequest>> {
        let mut out = Vec::new();
        for action in &asked.kms {
            for &t in tables {
                let Some(table) = self.model.tables.get(t) else {
                    continue;
                };
                let Some(key) = table.kms_key_in(&table.region) else {
                    self.error(report::no_kms_key(e.span, table));
                    return None;
                };
                out.push(ExpectedRequest {
                    action: format!("kms:{}", action.name),
                    resource: key.to_string(),
                    via_dynamodb: Some(table.region.clone()),
                    full_table_scan: None,
                });
            }
        }
        Some(out)
    }
}

/// The resource `action` acts on in `table` (`index`: the index asked
/// for); `None` when the action does not work on the index.
pub(super) fn resource(
    action: &Action,
    table: &model::Table,
    index: Option<&str>,
) -> Option<String> {
    let has = |kind: &str| action.resource_types.iter().any(|r| r.name == kind);
    if let Some(index) = index {
        return has("index").then(|| table.index_arn(index));
    }
    let arn = table.arn();
    Some(if has("table") {
        arn
    } else if has("stream") {
        format!("{arn}/stream/{STREAM_LABEL}")
    } else if has("backup") {
        format!("{arn}/backup/{BACKUP_NAME}")
    } else if has("export") {
        format!("{arn}/export/{BACKUP_NAME}")
    } else if has("import") {
        format!("{arn}/import/{BACKUP_NAME}")
    } else if has("global-table") {
        table.global_table_arn()
    } else {
        arn
    })
}
