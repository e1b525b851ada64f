//! Assertions (`assert only Emergency can DeleteTable on Orders`,
//! `assert nobody can write Payroll`, `assert Orders only via prodvpc`):
//! each resolved into its property and the requests it ranges over.
//! `dpol test` combines them with every caller, origin and the condition
//! values the documents compare (`crate::assertion`); the build ignores
//! them.

use super::expects::resource;
use super::names::Kind;
use super::Checker;
use crate::ast::{self, ExpectWhat, Name, TableTarget};
use crate::catalog::Action;
use crate::diag::{Code, Diagnostic};
use crate::model::{self, ExpectedRequest, KeySet, Property};
use crate::source::Span;

impl Checker<'_, '_, '_> {
    pub(super) fn assertions(&mut self) {
        let p = self.program;
        for a in &p.asserts {
            if let Some(x) = self.assertion(a) {
                self.model.assertions.push(x);
            }
        }
    }

    fn assertion(&mut self, a: &ast::Assert) -> Option<model::Assertion> {
        match a {
            ast::Assert::Only {
                allowed,
                what,
                table,
                span,
            } => {
                let names = self.allowed_names(allowed);
                let tables = self.assert_tables(table)?;
                // The wider, denied set of a verb: `nobody can write` covers
                // every action that writes.
                let asked = self.asked_of(false, what, Some(table), vec![false, true])?;
                self.dynamodb_only(what)?;
                let requests = self.table_requests(&asked.dynamodb, &tables, &asked.full_scans);
                Some(model::Assertion {
                    property: Property::Only(names?),
                    requests,
                    tables: self.table_arns(&tables),
                    span: *span,
                })
            }
            ast::Assert::CanOnly {
                principal,
                what,
                table,
                keys,
                span,
            } => {
                let names = self.allowed_names(std::slice::from_ref(principal));
                let tables = self.assert_tables(table)?;
                self.dynamodb_only(what)?;
                let asked = self.asked_of(true, what, Some(table), vec![false, true])?;
                let keys = self.can_only_keys(keys.as_ref(), table, &tables)?;
                let actions = self.resource_actions();
                let allowed: std::collections::BTreeSet<String> = asked
                    .dynamodb
                    .iter()
                    .map(|a| format!("dynamodb:{}", a.name))
                    .collect();
                let keyed = asked
                    .dynamodb
                    .iter()
                    .filter(|a| a.has_key("dynamodb:LeadingKeys"))
                    .map(|a| format!("dynamodb:{}", a.name))
                    .collect();
                let requests = self.table_requests(&actions, &tables, &[false, true]);
                Some(model::Assertion {
                    property: Property::CanOnly {
                        principal: names?,
                        actions: allowed,
                        keyed,
                        keys,
                    },
                    requests,
                    tables: self.table_arns(&tables),
                    span: *span,
                })
            }
            ast::Assert::Via {
                table,
                via,
                except,
                span,
            } => self.via_assertion(table, via, except, *span),
        }
    }

    /// `assert T only via N, M [except P, Q]`.
    fn via_assertion(
        &mut self,
        table: &Name,
        via: &[Name],
        except: &[Name],
        span: Span,
    ) -> Option<model::Assertion> {
        let except = self.allowed_names(except);
        let t = self
            .lookup_or(table, &[Kind::Table], || {
                format!("table {} in prod", table.node)
            })
            .map(|(_, i)| i);
        let mut networks = Vec::new();
        for name in via {
            if let Some((network, _)) = self.network(name) {
                networks.push(network);
            }
        }
        let (t, except) = (t?, except?);
        if networks.len() != via.len() {
            return None;
        }
        let actions = self.resource_actions();
        let requests = self.table_requests(&actions, &[t], &[false, true]);
        Some(model::Assertion {
            property: Property::Via(networks, except),
            requests,
            tables: self.table_arns(&[t]),
            span,
        })
    }

    /// The `keys` of `assert P can only …`: values of one named table's
    /// partition key (no policy variables); `Some(None)` without `keys`,
    /// `None` after an error.
    fn can_only_keys(
        &mut self,
        keys: Option<&(ast::KeySet, Span)>,
        table: &TableTarget,
        tables: &[usize],
    ) -> Option<Option<KeySet>> {
        match (keys, tables) {
            (None, _) => Some(None),
            (Some((set, at)), [t]) if matches!(table, TableTarget::Named(_)) => {
                let set = self.assertion_keys(*t, set, *at)?;
                let variable = match &set {
                    KeySet::Strings(v) | KeySet::Patterns(v) => v.iter().any(|v| v.contains("${")),
                    _ => false,
                };
                if variable {
                    self.error(variable_keys(*at));
                    return None;
                }
                Some(Some(set))
            }
            (Some((_, at)), _) => {
                self.error(keys_need_one_table(*at));
                None
            }
        }
    }

    /// Every DynamoDB action that acts on a resource.
    fn resource_actions(&self) -> Vec<&'static Action> {
        self.catalog
            .dynamodb
            .actions
            .iter()
            .filter(|a| !a.resourceless())
            .collect()
    }

    /// Assertions range over DynamoDB actions: a KMS action is E0420.
    fn dynamodb_only(&mut self, what: &ExpectWhat) -> Option<()> {
        if let ExpectWhat::Actions(names) = what {
            if let Some(kms) = names.iter().find(|n| n.node.starts_with("kms:")) {
                self.error(kms_in_assertion(kms));
                return None;
            }
        }
        Some(())
    }

    /// The principals an `only` list names: declared principals (a group
    /// for its members) and perimeter roles.
    fn allowed_names(&mut self, names: &[Name]) -> Option<Vec<String>> {
        let mut out = Vec::new();
        let mut ok = true;
        for name in names {
            let declared = self.names.get(Kind::Principal, &name.node).is_some();
            let perimeter = self
                .model
                .perimeter_roles
                .iter()
                .any(|r| r.name == name.node);
            if declared || perimeter {
                out.push(name.node.clone());
            } else {
                ok &= self
                    .lookup_or(name, &[Kind::Principal], || {
                        format!("role {} in prod", name.node)
                    })
                    .is_some();
            }
        }
        ok.then_some(out)
    }

    /// One table, or every declared table (`*`).
    fn assert_tables(&mut self, target: &TableTarget) -> Option<Vec<usize>> {
        match target {
            TableTarget::All(_) => Some((0..self.model.tables.len()).collect()),
            TableTarget::Named(name) => self
                .lookup_or(name, &[Kind::Table], || {
                    format!("table {} in prod", name.node)
                })
                .map(|(_, i)| vec![i]),
        }
    }

    fn table_arns(&self, tables: &[usize]) -> Vec<String> {
        tables
            .iter()
            .filter_map(|&t| self.model.tables.get(t))
            .map(model::Table::arn)
            .collect()
    }

    /// Each action on each resource of each table it acts on: the table (or
    /// its stream, backup, export, global table) and every index.
    fn table_requests(
        &self,
        actions: &[&'static Action],
        tables: &[usize],
        full_scans: &[bool],
    ) -> Vec<ExpectedRequest> {
        let mut out = Vec::new();
        for action in actions {
            if action.resourceless() {
                continue;
            }
            let scans: Vec<Option<bool>> = if action.name == "PartiQLSelect" {
                full_scans.iter().copied().map(Some).collect()
            } else {
                vec![None]
            };
            for table in tables.iter().filter_map(|&t| self.model.tables.get(t)) {
                let indexes = table.indexes.iter().map(|i| Some(i.name.as_str()));
                for index in std::iter::once(None).chain(indexes) {
                    let Some(resource) = resource(action, table, index) else {
                        continue;
                    };
                    for &full_table_scan in &scans {
                        out.push(ExpectedRequest::dynamodb(
                            &action.name,
                            resource.clone(),
                            full_table_scan,
                        ));
                    }
                }
            }
        }
        out
    }
}

/// E0420: an assertion's keys that are policy variables.
fn variable_keys(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::BadExpectation,
        at,
        "an assertion's keys are values, not policy variables",
    )
    .label("a policy variable")
    .help("state the keys of one caller as values, or check the variable with `expect` lines")
}

/// E0420: `keys` in an assertion on every table.
fn keys_need_one_table(at: Span) -> Diagnostic {
    Diagnostic::new(Code::BadExpectation, at, "`keys` need one table")
        .label("keys of which table?")
        .help("name the table instead of `*`")
}

/// E0420: a KMS action in an assertion, which ranges over DynamoDB actions.
fn kms_in_assertion(kms: &Name) -> Diagnostic {
    Diagnostic::new(
        Code::BadExpectation,
        kms.span,
        "assertions range over DynamoDB actions",
    )
    .label("a KMS action")
    .help("state KMS requests as expectations (`expect Jane can kms:Decrypt on T`)")
}
