//! `private to …`: the networks, the scope (OUs and accounts) and the
//! layers (SCP, RCP, the table's resource policy) of each perimeter, for one
//! table or for every table of the scope (`table * private to …`).

use super::names::Kind;
use super::Checker;
use crate::ast::{self, Layer, Name, RoleUse};
use crate::diag::{Code, Diagnostic};
use crate::model::{self, Layers, Network, Perimeter};
use crate::source::Span;

impl Checker<'_, '_, '_> {
    pub(super) fn perimeters(&mut self) {
        let p = self.program;
        for (i, (d, _)) in p.tables.iter().enumerate() {
            let Some(private) = &d.private else { continue };
            let what = format!("table `{}`", d.name.node);
            let perimeter = self.perimeter(private, Some(i), &what);
            if let Some(t) = self.model.tables.get_mut(i) {
                t.private = perimeter;
            }
        }
        for d in &p.all_tables {
            if d.private.scope.is_empty() {
                self.error(all_tables_needs_scope(d.span));
                continue;
            }
            if let Some(perimeter) = self.perimeter(&d.private, None, "`table *`") {
                self.model.all_tables.push(perimeter);
            }
        }
    }

    /// One perimeter; `table`: its table, or `None` for `table *`.
    fn perimeter(
        &mut self,
        private: &ast::PrivateClause,
        table: Option<usize>,
        what: &str,
    ) -> Option<Perimeter> {
        let networks = self.perimeter_networks(private, table);
        let layers = self.layers(private, table.is_some(), what)?;
        let scope = self.perimeter_scope(private, table, &layers);
        self.perimeter_warnings(private, &layers, what);
        Some(Perimeter {
            networks,
            scope,
            layers,
            strict: private.strict.is_some(),
            span: private.span,
        })
    }

    /// The networks of `private to`, sorted, each in the table's region.
    fn perimeter_networks(
        &mut self,
        private: &ast::PrivateClause,
        table: Option<usize>,
    ) -> Vec<Network> {
        let mut networks = Vec::new();
        for name in &private.to {
            if let Some((network, region)) = self.network(name) {
                if let Some(i) = table {
                    self.same_region(name, region.as_deref(), i);
                }
                networks.push(network);
            }
        }
        networks.sort();
        networks.dedup();
        networks
    }

    /// The OU and account ids the perimeter's SCPs and RCPs attach to (the
    /// table's account by default), leaving out accounts an OU of the scope
    /// already covers; a management account in scope is E0416.
    fn perimeter_scope(
        &mut self,
        private: &ast::PrivateClause,
        table: Option<usize>,
        layers: &Layers,
    ) -> Vec<String> {
        let mut scope = Vec::new();
        for name in &private.scope {
            let declare = format!("ou {} = ou-ab12-34cd5678", name.node);
            match self.lookup(name, &[Kind::Ou, Kind::Account], &declare) {
                Some((Kind::Ou, j)) => scope.extend(self.model.ous.get(j).map(|o| o.id.clone())),
                Some((_, j)) => {
                    if let Some(account) = self.model.accounts.get(j).cloned() {
                        if account.management {
                            self.diags.push(management_in_scope(name, &account));
                        }
                        scope.push(account.id);
                    }
                }
                None => {}
            }
        }
        if let Some(t) = table.and_then(|i| self.model.tables.get(i)).cloned() {
            if private.scope.is_empty() {
                scope.push(t.account_id.clone());
            }
            let management = self
                .model
                .accounts
                .iter()
                .find(|a| a.management && a.id == t.account_id)
                .cloned();
            if let Some(account) =
                management.filter(|_| !layers.resource || layers.scp || layers.rcp)
            {
                let only = if layers.resource {
                    "only the table's resource policy enforces this perimeter"
                } else {
                    "nothing enforces this perimeter: add `resource` to `enforced by`"
                };
                self.diags
                    .push(table_in_management(private.span, &t, &account, only));
            }
        }
        scope.sort();
        scope.dedup();
        // An account inside an OU of the scope is covered by the OU's
        // attachment: attaching the same policy to both would use two slots.
        let covered: Vec<String> = self
            .program
            .accounts
            .iter()
            .filter_map(|a| {
                let ou = a.ou.as_ref()?;
                let j = self.names.get(Kind::Ou, &ou.node)?;
                let ou_id = &self.model.ous.get(j)?.id;
                scope.contains(ou_id).then(|| a.id.node.clone())
            })
            .collect();
        scope.retain(|t| !covered.contains(t));
        scope
    }

    /// What a private table lacks or gives up: no break-glass role, deployer
    /// roles under an RCP, `strict`.
    fn perimeter_warnings(&mut self, private: &ast::PrivateClause, layers: &Layers, what: &str) {
        let has = |u: RoleUse| self.model.perimeter_roles.iter().any(|r| r.role_use == u);
        if !has(RoleUse::Breakglass) {
            self.diags.push(no_breakglass(private.span, what));
        }
        if layers.rcp && layers.resource && has(RoleUse::Deployer) {
            self.diags.push(deployer_under_rcp(private.span, what));
        }
        if let Some(strict) = private.strict {
            self.diags.push(strict_perimeter(strict, what));
        }
    }

    /// `enforced by …`, or the default: SCP and resource policy for a table,
    /// SCP for `table *` (which has no resource policy: E0418).
    fn layers(
        &mut self,
        private: &ast::PrivateClause,
        one_table: bool,
        what: &str,
    ) -> Option<Layers> {
        if private.layers.is_empty() {
            return Some(Layers {
                scp: true,
                rcp: false,
                resource: one_table,
            });
        }
        let mut layers = Layers::default();
        for layer in &private.layers {
            match layer.node {
                Layer::Scp => layers.scp = true,
                Layer::Rcp => layers.rcp = true,
                Layer::Resource if one_table => layers.resource = true,
                Layer::Resource => {
                    self.error(all_tables_no_resource_policy(layer.span, what));
                    return None;
                }
            }
        }
        Some(layers)
    }
}

/// E0417: `table *` without the OUs or accounts it covers.
fn all_tables_needs_scope(span: Span) -> Diagnostic {
    Diagnostic::new(Code::AllTablesScope, span, "`table *` needs the OUs or accounts it covers")
        .label("every table of which accounts?")
        .note("the perimeter of `table *` denies DynamoDB outside the networks for every table of its scope, tables created later and ListTables included")
        .help("add `in SCOPE` after the networks: `table * private to prodvpc in production`")
}

/// W0002: the management account in a perimeter's scope.
fn management_in_scope(name: &Name, account: &model::Account) -> Diagnostic {
    Diagnostic::new(Code::ManagementInScope, name.span, format!("account `{}` is the management account; SCPs and RCPs never apply to it", name.node))
        .label("management account")
        .secondary(account.span, "declared `management` here")
        .help("protect tables in the management account with the table's resource policy, or move them to a member account")
}

/// W0002: a private table in the management account, where SCPs and RCPs never apply.
fn table_in_management(
    span: Span,
    table: &model::Table,
    account: &model::Account,
    only: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::ManagementInScope,
        span,
        format!(
            "table `{}` is in the management account, where SCPs and RCPs never apply",
            table.name
        ),
    )
    .label("the SCP or RCP of this perimeter has no effect")
    .secondary(account.span, "declared `management` here")
    .note(only)
    .help("move the table to a member account")
}

/// W0001: a private table and no break-glass role.
fn no_breakglass(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(Code::NoBreakglass, span, format!("{what} is private and no break-glass role is declared"))
        .label("no emergency access from outside")
        .note("without one, the table's resource policy keeps only its own management actions open, and nobody can reach the data from outside in an emergency")
        .help("add `breakglass role Emergency in ACCOUNT`")
}

/// W0012: deployer roles under an RCP, which exempts none of their policy changes.
fn deployer_under_rcp(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(Code::DeployerUnderRcp, span, format!("deployer roles cannot change the resource policy of {what} from outside its networks"))
        .label("the RCP denies their policy changes")
        .note("an RCP cannot carve out single actions (no NotAction), so its deny exempts deployers from nothing")
        .help("deploy the table's resource policy from inside the networks, or drop `rcp` from `enforced by`")
}

/// W0009: `strict`: a perimeter without AWS-service exceptions.
fn strict_perimeter(strict: Span, what: &str) -> Diagnostic {
    Diagnostic::new(Code::StrictPerimeter, strict, format!("the perimeter of {what} has no exceptions for AWS services"))
        .label("no AWS-service exceptions")
        .note("DynamoDB's own replication and Application Auto Scaling (service-linked roles), AWS services acting with a caller's credentials (CloudFormation, AWS Backup), and service principals are all denied from outside the listed networks")
        .note("a global table replica denied replication for 20 hours is converted to a single-Region table for good")
        .help("leave out `strict` unless nothing but the listed networks may ever reach the table")
}

/// E0417: `table *` enforced by `resource`, which it has not.
fn all_tables_no_resource_policy(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(Code::AllTablesScope, span, format!("{what} has no resource policy"))
        .label("tables not declared here have no policy dpol writes")
        .help("enforce `table *` by `scp` and `rcp`, and declare the tables whose resource policy should carry the perimeter")
}
