//! The checked program: names resolved to indices, values validated, ready to
//! emit. `emit` reads only this, never the AST.

use std::collections::BTreeSet;

use crate::partition::Partition;
use crate::source::Span;
use crate::vocab::{IndexScope, PrincipalKind, RoleUse, Verb};

pub type TableIdx = usize;
pub type PrincipalIdx = usize;

/// A checked program: what [`crate::stages::check`] gives and `emit`,
/// `diff`, `why` and `dpol test` read. Its parts are the crate's own.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// The one AWS partition of the program's regions (E0415 otherwise).
    pub(crate) partition: Partition,
    pub(crate) org: Option<String>,
    pub(crate) ous: Vec<Ou>,
    pub(crate) accounts: Vec<Account>,
    pub(crate) endpoints: Vec<Endpoint>,
    /// Declared VPCs: (vpc id, name), for saying changes in the source's words.
    pub(crate) vpcs: Vec<(String, String)>,
    pub(crate) principals: Vec<Principal>,
    pub(crate) tables: Vec<Table>,
    /// `table * private to …`: perimeters of every table of their scope.
    pub(crate) all_tables: Vec<Perimeter>,
    /// Break-glass, exempt and deployer roles, in source order.
    pub(crate) perimeter_roles: Vec<PerimeterRole>,
    pub(crate) alerts: Vec<Alert>,
    pub(crate) grants: Vec<Grant>,
    /// `expect` lines, for `dpol test` (the build ignores them).
    pub(crate) expectations: Vec<Expectation>,
    /// `assert` lines, for `dpol test` (the build ignores them).
    pub(crate) assertions: Vec<Assertion>,
}

impl Model {
    /// Each declared account: its id, the id of its OU (if it is in one),
    /// and whether it is the organization's management account.
    pub fn account_placements(&self) -> impl Iterator<Item = (&str, Option<&str>, bool)> {
        self.accounts
            .iter()
            .map(|a| (a.id.as_str(), a.ou.as_deref(), a.management))
    }

    /// What AWS calls each declared name, for editors: a principal's or a
    /// table's ARN (a perimeter role's ARN pattern, `*` for the account when
    /// not pinned to one), an account's id, an OU's, VPC's or endpoint's id.
    /// In source order per kind; a name declared twice appears twice.
    pub fn aws_names(&self) -> Vec<(&str, String)> {
        let mut out: Vec<(&str, String)> = Vec::new();
        out.extend(
            self.accounts
                .iter()
                .map(|a| (a.name.as_str(), a.id.clone())),
        );
        out.extend(self.ous.iter().map(|o| (o.name.as_str(), o.id.clone())));
        out.extend(
            self.vpcs
                .iter()
                .map(|(id, name)| (name.as_str(), id.clone())),
        );
        out.extend(
            self.endpoints
                .iter()
                .map(|e| (e.name.as_str(), e.id.clone())),
        );
        out.extend(
            self.principals
                .iter()
                .map(|p| (p.name.as_str(), p.arn.clone())),
        );
        out.extend(
            self.perimeter_roles
                .iter()
                .filter(|r| !self.principals.iter().any(|p| p.name == r.name))
                .map(|r| (r.name.as_str(), r.arn_pattern())),
        );
        out.extend(self.tables.iter().map(|t| (t.name.as_str(), t.arn())));
        out
    }

    /// Each KMS key a table is encrypted with (`encrypted with kms ARN`),
    /// with the id of the table's account.
    pub fn kms_keys(&self) -> impl Iterator<Item = (&str, &str)> {
        self.tables.iter().flat_map(|t| {
            t.kms_keys
                .iter()
                .map(|key| (key.as_str(), t.account_id.as_str()))
        })
    }
}

/// One `assert` line resolved: the property, the requests it ranges over
/// (every action and resource it names), and the condition values the
/// program's constants create, which `dpol test` combines with every caller
/// and origin.
#[derive(Clone, Debug)]
pub struct Assertion {
    pub property: Property,
    /// Each action on each resource of the table.
    pub requests: Vec<ExpectedRequest>,
    /// The tables' ARNs (for the documents that can take part).
    pub tables: Vec<String>,
    pub span: Span,
}

/// What an assertion says of every allowed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Property {
    /// Only these principals (dpol names; a group stands for its members)
    /// are allowed; empty: nobody.
    Only(Vec<String>),
    /// Only requests through these networks are allowed (an endpoint, or a
    /// VPC and the endpoints in it), but for the principals listed second.
    Via(Vec<Network>, Vec<String>),
    /// The principal (its dpol names) is allowed only these actions
    /// (`dynamodb:GetItem`), and on the actions that carry
    /// `dynamodb:LeadingKeys` (`keyed`) only keys of `keys`.
    CanOnly {
        principal: Vec<String>,
        actions: BTreeSet<String>,
        keyed: BTreeSet<String>,
        keys: Option<KeySet>,
    },
}

impl ExpectedRequest {
    /// A DynamoDB request of `action` (catalogue name) on `resource`.
    pub fn dynamodb(
        action: &str,
        resource: String,
        full_table_scan: Option<bool>,
    ) -> ExpectedRequest {
        ExpectedRequest {
            action: format!("dynamodb:{action}"),
            resource,
            via_dynamodb: None,
            full_table_scan,
        }
    }
}

/// One `expect` line resolved: the requests it stands for and the outcome
/// each must have.
#[derive(Clone, Debug)]
pub struct Expectation {
    /// `can` (every request allowed) or `cannot` (every request denied).
    pub allowed: bool,
    /// The principal as written: a declared principal or perimeter role.
    pub principal: String,
    /// One request per action: `(dynamodb:GetItem, resource ARN or *)`.
    pub requests: Vec<ExpectedRequest>,
    /// The endpoint or VPC id it comes through (`via`).
    pub via: Option<String>,
    /// `from ip ADDRESS`.
    pub from_ip: Option<String>,
    /// `keys …`: the partition keys it touches.
    pub keys: Vec<String>,
    /// `attrs …`: the attributes it names.
    pub attrs: Vec<String>,
    /// `at TIME`; `None` is the time of the run.
    pub at: Option<String>,
    /// `with mfa`.
    pub mfa: bool,
    pub span: Span,
}

/// One request of an expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectedRequest {
    /// With its service prefix: `dynamodb:GetItem`, `kms:Decrypt`.
    pub action: String,
    /// An ARN, or `*` for actions that act on no resource.
    pub resource: String,
    /// For a KMS action, the region of the DynamoDB table that calls KMS
    /// on the caller's behalf (`kms:ViaService`).
    pub via_dynamodb: Option<String>,
    /// For a PartiQL SELECT, whether it scans the whole table
    /// (`dynamodb:FullTableScan`).
    pub full_table_scan: Option<bool>,
}

#[derive(Clone, Debug)]
pub struct Ou {
    pub name: String,
    pub id: String,
}

#[derive(Clone, Debug)]
pub struct Account {
    pub name: String,
    pub id: String,
    /// The id of the OU it is in (`in production`).
    pub ou: Option<String>,
    pub management: bool,
    pub span: Span,
}

/// Where a private table may be reached from, or where a grant must come from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Network {
    /// `aws:SourceVpc`
    Vpc(String),
    /// `aws:SourceVpce`
    Endpoint(String),
}

#[derive(Clone, Debug)]
pub struct Endpoint {
    pub name: String,
    pub id: String,
    pub region: String,
    /// The id of its VPC (`in appvpc`).
    pub vpc: Option<String>,
    /// The explicit policy block, if any.
    pub policy: Option<EndpointPolicy>,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct EndpointPolicy {
    pub allows: Vec<EndpointAllow>,
    pub principal_arns: Vec<String>,
    pub accounts: Vec<String>,
    pub org: Option<String>,
    /// `from grants`: also what the `via` grants through the endpoint allow.
    pub from_grants: bool,
    pub spans: Vec<Span>,
}

#[derive(Clone, Debug)]
pub struct EndpointAllow {
    /// `allow TABLE`: every DynamoDB action on the table (`dynamodb:*`).
    pub all: bool,
    /// The catalogue actions of `allow VERBS …` or `allow can ACTIONS …`.
    pub actions: Vec<&'static crate::catalog::Action>,
    /// The verbs as written (for the statement's Sid).
    pub verbs: Vec<Verb>,
    pub table: Option<TableIdx>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Principal {
    pub name: String,
    pub kind: PrincipalKind,
    pub arn: String,
    pub account_id: String,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    String,
    Number,
    Binary,
}

#[derive(Clone, Debug)]
pub struct KeyAttr {
    pub name: String,
    pub kind: KeyKind,
}

#[derive(Clone, Debug)]
pub struct Index {
    pub name: String,
    /// A global index has its own partition key (its first key); a local
    /// index shares the table's partition key (its key is the sort key).
    pub scope: IndexScope,
    pub keys: Vec<String>,
}

impl Index {
    /// True when the index's partition key is the table's, so that
    /// `dynamodb:LeadingKeys` means the same on the index as on the table.
    pub fn shares_partition_key(&self) -> bool {
        self.scope == IndexScope::Local
    }
}

#[derive(Clone, Debug)]
pub struct Table {
    pub name: String,
    pub account_id: String,
    pub region: String,
    pub partition: Option<KeyAttr>,
    pub sort: Option<KeyAttr>,
    pub attrs: Vec<String>,
    pub indexes: Vec<Index>,
    /// A global table's other regions (`replicas`), in source order.
    pub replicas: Vec<String>,
    /// Customer managed keys, one per region of the table (`encrypted with
    /// kms`); empty for DynamoDB's own keys.
    pub kms_keys: Vec<String>,
    pub private: Option<Perimeter>,
    pub span: Span,
}

impl Table {
    pub fn partition(&self) -> Partition {
        Partition::of_region(&self.region)
    }

    /// The table's ARN in its own region.
    pub fn arn(&self) -> String {
        self.arn_in(&self.region)
    }

    /// The ARN of the table, or of its replica, in `region`.
    pub fn arn_in(&self, region: &str) -> String {
        format!(
            "arn:{}:dynamodb:{}:{}:table/{}",
            self.partition(),
            region,
            self.account_id,
            self.name
        )
    }

    /// The table's region, then its replicas'.
    pub fn regions(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.region.as_str()).chain(self.replicas.iter().map(String::as_str))
    }

    /// The table's ARN in each of its regions.
    pub fn arns(&self) -> Vec<String> {
        self.regions().map(|r| self.arn_in(r)).collect()
    }

    /// The customer managed key that encrypts the table (or its replica) in
    /// `region`.
    pub fn kms_key_in(&self, region: &str) -> Option<&str> {
        self.kms_keys
            .iter()
            .map(String::as_str)
            .find(|k| k.split(':').nth(3) == Some(region))
    }

    /// `arn:…:dynamodb::ACCOUNT:global-table/NAME`.
    pub fn global_table_arn(&self) -> String {
        format!(
            "arn:{}:dynamodb::{}:global-table/{}",
            self.partition(),
            self.account_id,
            self.name
        )
    }

    /// The ARN of one of the table's indexes (`*`: every index).
    pub fn index_arn(&self, index: &str) -> String {
        format!("{}/index/{index}", self.arn())
    }

    /// The key attributes DynamoDB needs in every attribute allow-list: the
    /// table's keys and the keys of its indexes.
    pub fn key_attributes(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .partition
            .iter()
            .chain(self.sort.iter())
            .map(|k| k.name.clone())
            .chain(self.indexes.iter().flat_map(|i| i.keys.iter().cloned()))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }
}

/// `private to …`: deny everything outside these networks.
#[derive(Clone, Debug)]
pub struct Perimeter {
    pub networks: Vec<Network>,
    /// SCP targets: OU and account ids (sorted).
    pub scope: Vec<String>,
    /// Which policies carry it.
    pub layers: Layers,
    /// `strict`: no exceptions for AWS services.
    pub strict: bool,
    pub span: Span,
}

/// The policies that carry a perimeter (`enforced by`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layers {
    pub scp: bool,
    pub rcp: bool,
    pub resource: bool,
}

/// A role with a part in every perimeter (`breakglass`, `exempt`,
/// `deployer`).
#[derive(Clone, Debug)]
pub struct PerimeterRole {
    pub role_use: RoleUse,
    pub name: String,
    pub partition: Partition,
    /// `Some` when pinned to an account (`in prod`, or an ARN).
    pub account_id: Option<String>,
    /// The role's IAM path: `/` unless its ARN gives one (`/breakglass/`).
    pub path: String,
    /// `managed by`: ARNs of the principals that may still change the role.
    pub managers: Vec<String>,
    pub span: Span,
}

impl PerimeterRole {
    /// The role's ARN in `account`, or in its own account when pinned.
    pub fn arn_in(&self, account: &str) -> String {
        format!(
            "arn:{}:iam::{}:role{}{}",
            self.partition,
            self.account_id.as_deref().unwrap_or(account),
            self.path,
            self.name
        )
    }

    /// The ARN pattern exempted in SCPs: every account of the scope unless
    /// pinned (`arn:aws:iam::*:role/NAME`).
    pub fn arn_pattern(&self) -> String {
        self.arn_in("*")
    }
}

#[derive(Clone, Debug)]
pub struct Alert {
    pub actions: Vec<String>,
    pub table: Option<TableIdx>,
    pub account_id: String,
    pub region: String,
    pub target: String,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KeySet {
    /// `low <= k < high` on a number key.
    Range {
        low: String,
        high: String,
    },
    Numbers(Vec<String>),
    /// Exact strings (and policy variables).
    Strings(Vec<String>),
    /// Strings where some are prefixes: `StringLike` patterns, already escaped.
    Patterns(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Attrs {
    Only(Vec<String>),
    Except(Vec<String>),
}

#[derive(Clone, Debug)]
pub struct Grant {
    pub principal: PrincipalIdx,
    pub effect: Effect,
    /// The verbs as written (empty for `can`).
    pub verbs: Vec<Verb>,
    /// The DynamoDB actions (from the static catalogue), sorted by name.
    pub actions: Vec<&'static crate::catalog::Action>,
    /// `None`: every table (`*`).
    pub table: Option<TableIdx>,
    /// `index NAME`: only that index of the table (an index of `table.indexes`).
    pub index: Option<usize>,
    pub keys: Option<KeySet>,
    pub attrs: Option<Attrs>,
    pub via: Vec<Network>,
    pub source_ips: Vec<String>,
    /// `from`: the first instant the grant allows (`DateGreaterThanEquals`).
    pub from: Option<String>,
    /// `aws:CurrentTime` upper bound, exclusive (ISO 8601, UTC): the first
    /// instant the grant no longer allows (`until 2030-12-31` → the start
    /// of 2031-01-01).
    pub until: Option<String>,
    pub mfa: bool,
    pub span: Span,
}
