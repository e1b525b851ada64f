//! Declarations, in the order they are checked: organization, OUs,
//! accounts, regions, VPCs, then endpoints (`endpoints.rs`), principals
//! (`principals.rs`) and tables (`tables.rs`); and how a declaration's
//! account, region, partition and network are resolved.

mod report;

use super::names::Kind;
use super::values;
use super::{Checker, Ctx};
use crate::ast::{self, Name};
use crate::diag::{Code, Diagnostic};
use crate::model::{self, Network};
use crate::partition::Partition;
use crate::source::Span;

type Validator = fn(&str) -> Result<(), String>;

impl Checker<'_, '_, '_> {
    /// Reports `code` when `check` rejects the value; true when valid.
    pub(super) fn valid(&mut self, value: &Name, code: Code, what: &str, check: Validator) -> bool {
        match check(&value.node) {
            Ok(()) => true,
            Err(help) => {
                self.error(
                    Diagnostic::new(
                        code,
                        value.span,
                        format!("malformed {what} `{}`", value.node),
                    )
                    .label(format!("not a valid {what}"))
                    .help(help),
                );
                false
            }
        }
    }

    pub(super) fn declarations(&mut self) {
        let p = self.program;
        for org in &p.orgs {
            if self.valid(&org.id, Code::BadOrgId, "organization id", values::org_id) {
                self.model.org = Some(org.id.node.clone());
            }
        }
        for ou in &p.ous {
            self.valid(&ou.id, Code::BadOuId, "OU id", values::ou_id);
            self.model.ous.push(model::Ou {
                name: ou.name.node.clone(),
                id: ou.id.node.clone(),
            });
        }
        for account in &p.accounts {
            self.valid(
                &account.id,
                Code::BadAccountId,
                "account id",
                values::account_id,
            );
            let ou = account.ou.as_ref().and_then(|ou| {
                let (_, i) = self.lookup(
                    ou,
                    &[Kind::Ou],
                    &format!("ou {} = ou-ab12-34cd5678", ou.node),
                )?;
                self.model.ous.get(i).map(|o| o.id.clone())
            });
            self.model.accounts.push(model::Account {
                name: account.name.node.clone(),
                id: account.id.node.clone(),
                ou,
                management: account.management,
                span: account.span,
            });
        }
        for region in &p.regions {
            self.valid(&region.region, Code::BadRegion, "region", values::region);
        }
        self.model.partition = self.program_partition();
        for (vpc, ctx) in &p.vpcs {
            self.valid(&vpc.id, Code::BadVpcId, "VPC id", values::vpc_id);
            let account = vpc.account.as_ref().and_then(|a| self.account_named(a));
            let region = self.region_for(ctx, vpc.span, &format!("VPC `{}`", vpc.name.node));
            self.vpc_regions
                .insert(vpc.name.node.clone(), (account, region));
            self.model
                .vpcs
                .push((vpc.id.node.clone(), vpc.name.node.clone()));
        }
        for (endpoint, ctx) in &p.endpoints {
            self.endpoint(endpoint, ctx);
        }
        for principal in &p.principals {
            self.principal(principal);
        }
        for (table, ctx) in &p.tables {
            self.table(table, ctx);
        }
        self.case_collisions();
        self.perimeter_roles();
        self.perimeters();
        self.endpoint_policies();
    }

    /// Reports text that cannot go into a policy document: dpol emits ASCII
    /// only (IAM accepts U+0020–U+00FF; dpol stays on the safe side).
    pub(super) fn policy_text(&mut self, value: &Name, what: &str) -> bool {
        if value.node.chars().all(|c| (' '..='~').contains(&c)) {
            return true;
        }
        self.error(report::not_ascii(value, what));
        false
    }

    /// The id of a named account.
    pub(super) fn account_named(&mut self, name: &Name) -> Option<String> {
        let declare = format!("account {} = 111122223333", name.node);
        let (_, i) = self.lookup(name, &[Kind::Account], &declare)?;
        self.model.accounts.get(i).map(|a| a.id.clone())
    }

    /// `in ACCOUNT`, or the program's only member account.
    pub(super) fn account_for(
        &mut self,
        explicit: Option<&Name>,
        at: Span,
        what: &str,
    ) -> Option<String> {
        if let Some(name) = explicit {
            return self.account_named(name);
        }
        let members: Vec<&model::Account> = self
            .model
            .accounts
            .iter()
            .filter(|a| !a.management)
            .collect();
        match members.as_slice() {
            [only] => Some(only.id.clone()),
            [] => {
                self.error(report::no_account(at, what));
                None
            }
            many => {
                let names = many
                    .iter()
                    .map(|a| format!("`{}`", a.name))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(report::which_account(at, what, &names));
                None
            }
        }
    }

    /// The `region` above the statement, or the program's only region.
    pub(super) fn region_for(&mut self, ctx: &Ctx, at: Span, what: &str) -> Option<String> {
        if let Some(region) = &ctx.region {
            return Some(region.node.clone());
        }
        let mut all: Vec<&str> = self
            .program
            .regions
            .iter()
            .map(|r| r.region.node.as_str())
            .collect();
        all.sort_unstable();
        all.dedup();
        match all.as_slice() {
            [only] => Some((*only).to_string()),
            [] => {
                self.error(report::no_region(at, what));
                None
            }
            _ => {
                self.error(report::which_region(at, what));
                None
            }
        }
    }

    /// The partition of every `region` of the program; E0415 when they
    /// disagree (with the first region of each partition).
    fn program_partition(&mut self) -> Partition {
        let mut first: Vec<(Partition, &ast::RegionDecl)> = Vec::new();
        for r in &self.program.regions {
            let p = Partition::of_region(&r.region.node);
            if !first.iter().any(|(q, _)| *q == p) {
                first.push((p, r));
            }
        }
        if let [(p1, r1), (p2, r2), ..] = first.as_slice() {
            self.error(report::mixed_partitions(r1, p1, r2, p2));
        }
        first.first().map_or(Partition::Aws, |(p, _)| *p)
    }

    /// Reports an ARN whose partition is not the program's.
    pub(super) fn same_partition(&mut self, partition: Partition, at: Span, what: &str) {
        if partition != self.model.partition {
            let program = self.model.partition;
            self.error(report::other_partition(at, what, partition, program));
        }
    }

    /// Resolves `private to …` and `via …`: a declared VPC or endpoint, or a
    /// literal `vpc-…` / `vpce-…` id.
    pub(super) fn network(&mut self, name: &Name) -> Option<(Network, Option<String>)> {
        let in_vpcs = self.names.get(Kind::Vpc, &name.node).is_some();
        let in_endpoints = self.names.get(Kind::Endpoint, &name.node).is_some();
        if !in_vpcs && !in_endpoints {
            if values::looks_like_vpc_id(&name.node) {
                return Some((Network::Vpc(name.node.clone()), None));
            }
            if values::looks_like_endpoint_id(&name.node) {
                return Some((Network::Endpoint(name.node.clone()), None));
            }
        }
        let declare = format!("vpc {} = vpc-0123456789abcdef0", name.node);
        match self.lookup(name, &[Kind::Vpc, Kind::Endpoint], &declare)? {
            (Kind::Vpc, i) => {
                let (decl, _) = self.program.vpcs.get(i)?;
                let region = self
                    .vpc_regions
                    .get(&decl.name.node)
                    .and_then(|(_, r)| r.clone());
                Some((Network::Vpc(decl.id.node.clone()), region))
            }
            (_, i) => {
                let endpoint = self.model.endpoints.get(i)?;
                Some((
                    Network::Endpoint(endpoint.id.clone()),
                    Some(endpoint.region.clone()),
                ))
            }
        }
    }

    /// Reports a network in another region than the table it serves.
    pub(super) fn same_region(&mut self, at: &Name, network_region: Option<&str>, table: usize) {
        let Some(table) = self.model.tables.get(table) else {
            return;
        };
        if let Some(region) = network_region {
            let in_table_region = table.regions().any(|r| r == region);
            if !region.is_empty() && !table.region.is_empty() && !in_table_region {
                let regions: Vec<&str> = table.regions().collect();
                let message = format!(
                    "`{}` is in {region}, but table `{}` is in {}",
                    at.node,
                    table.name,
                    regions.join(", ")
                );
                let span = table.span;
                self.error(report::endpoint_region(at, message, region, span));
            }
        }
    }
}
