//! Declarations: organization, OUs, accounts, regions, VPCs, endpoints,
//! principals, tables, break-glass roles.

use super::names::Kind;
use super::values;
use super::{Checker, Ctx};
use crate::ast::{self, IndexScope, Name, TableItem};
use crate::diag::{Code, Diagnostic};
use crate::model::{self, KeyAttr, KeyKind, Network};
use crate::partition::Partition;
use crate::source::Span;
use std::collections::BTreeMap;

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
                span: ou.span,
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
        self.error(
            Diagnostic::new(Code::BadName, value.span, format!("{what} `{}` cannot appear in a policy", value.node))
                .label("characters outside printable ASCII")
                .note("IAM policy documents accept only a limited character set; dpol writes printable ASCII only")
                .help("use the name without accents or non-Latin characters, or leave it out of the policy"),
        );
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
                self.error(
                    Diagnostic::new(
                        Code::NoAccount,
                        at,
                        format!("{what} needs an account, and none is declared"),
                    )
                    .label("no account")
                    .help("add `account prod = 111122223333` (the 12-digit id of the account)"),
                );
                None
            }
            many => {
                let names = many
                    .iter()
                    .map(|a| format!("`{}`", a.name))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(
                    Diagnostic::new(
                        Code::NoAccount,
                        at,
                        format!("{what} does not say which account it is in"),
                    )
                    .label("which account?")
                    .help(format!("add `in ACCOUNT` with one of {names}")),
                );
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
                self.error(
                    Diagnostic::new(
                        Code::NoRegion,
                        at,
                        format!("{what} needs a region, and none is declared"),
                    )
                    .label("no region")
                    .help("add `region us-east-1` (or your region) before it"),
                );
                None
            }
            _ => {
                self.error(
                    Diagnostic::new(
                        Code::NoRegion,
                        at,
                        format!("{what} has no `region` above it in its file"),
                    )
                    .label("which region?")
                    .help("the program declares several regions; add `region …` above this line"),
                );
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
            self.error(
                Diagnostic::new(Code::MixedPartitions, r2.region.span, format!("region `{}` is in partition `{p2}`, but region `{}` is in `{p1}`", r2.region.node, r1.region.node))
                    .label(format!("partition `{p2}`"))
                    .secondary(r1.region.span, format!("partition `{p1}`"))
                    .note("an AWS Organization, its accounts and their policies live in one partition (`aws`, `aws-cn` or `aws-us-gov`); ARNs of one cannot name resources of another")
                    .help(format!("compile the `{p2}` accounts as a program of their own")),
            );
        }
        first.first().map_or(Partition::Aws, |(p, _)| *p)
    }

    fn endpoint(&mut self, endpoint: &ast::EndpointDecl, ctx: &Ctx) {
        self.valid(
            &endpoint.id,
            Code::BadEndpointId,
            "VPC endpoint id",
            values::endpoint_id,
        );
        let mut region = None;
        let mut vpc_id = None;
        if let Some(vpc) = &endpoint.vpc {
            let declare = format!("vpc {} = vpc-0123456789abcdef0", vpc.node);
            if let Some((_, i)) = self.lookup(vpc, &[Kind::Vpc], &declare) {
                region = self.vpc_regions.get(&vpc.node).and_then(|(_, r)| r.clone());
                vpc_id = self.program.vpcs.get(i).map(|(d, _)| d.id.node.clone());
            }
        }
        let region = region.or_else(|| {
            self.region_for(
                ctx,
                endpoint.span,
                &format!("endpoint `{}`", endpoint.name.node),
            )
        });
        self.model.endpoints.push(model::Endpoint {
            name: endpoint.name.node.clone(),
            id: endpoint.id.node.clone(),
            region: region.unwrap_or_default(),
            vpc: vpc_id,
            policy: None,
            span: endpoint.span,
        });
    }

    fn principal(&mut self, d: &ast::PrincipalDecl) {
        let kind = d.kind.keyword();
        let (arn, account_id) = match &d.arn {
            Some(arn) => match values::iam_principal_arn(&arn.node, kind) {
                Ok(parsed) => {
                    self.same_partition(
                        parsed.partition,
                        arn.span,
                        &format!("{kind} `{}`", d.name.node),
                    );
                    (arn.node.clone(), parsed.account.to_string())
                }
                Err(help) => {
                    self.error(
                        Diagnostic::new(
                            Code::BadArn,
                            arn.span,
                            format!("malformed {kind} ARN `{}`", arn.node),
                        )
                        .label(format!("not a {kind} ARN"))
                        .help(help),
                    );
                    (String::new(), String::new())
                }
            },
            None => {
                self.valid(
                    &d.name,
                    Code::BadName,
                    &format!("{kind} name"),
                    values::iam_name,
                );
                let what = format!("{kind} `{}`", d.name.node);
                let account = self
                    .account_for(d.account.as_ref(), d.span, &what)
                    .unwrap_or_default();
                (
                    format!(
                        "arn:{}:iam::{account}:{kind}/{}",
                        self.model.partition, d.name.node
                    ),
                    account,
                )
            }
        };
        self.same_iam_entity(d, &arn);
        self.model.principals.push(model::Principal {
            name: d.name.node.clone(),
            kind: d.kind,
            arn,
            account_id,
            span: d.span,
        });
    }

    fn table(&mut self, d: &ast::TableDecl, ctx: &Ctx) {
        self.valid(&d.name, Code::BadName, "table name", values::table_name);
        let what = format!("table `{}`", d.name.node);
        let account_id = self
            .account_for(d.account.as_ref(), d.name.span, &what)
            .unwrap_or_default();
        let region = self.region_for(ctx, d.name.span, &what).unwrap_or_default();
        let mut table = model::Table {
            name: d.name.node.clone(),
            account_id,
            region,
            partition: None,
            sort: None,
            attrs: Vec::new(),
            indexes: Vec::new(),
            replicas: Vec::new(),
            kms_keys: Vec::new(),
            private: None,
            span: d.name.span,
        };
        let mut seen: Vec<(String, Span)> = Vec::new();
        let mut once = |this: &mut Self, what: &str, span: Span| {
            if let Some(&(_, first)) = seen.iter().find(|(w, _)| *w == what) {
                this.error(
                    Diagnostic::new(
                        Code::DuplicateDefinition,
                        span,
                        format!("table `{}` declares its {what} twice", d.name.node),
                    )
                    .label("declared again here")
                    .secondary(first, "first declared here"),
                );
            }
            seen.push((what.to_string(), span));
        };
        let mut attr_spans: Vec<&Name> = Vec::new();
        let mut kms: Option<(&Vec<Name>, Span)> = None;
        for item in &d.items {
            match item {
                TableItem::Key { name, ty, span } => {
                    once(self, "partition key", *span);
                    table.partition = Some(key_attr(name, ty.node));
                    attr_spans.push(name);
                }
                TableItem::Sort { name, ty, span } => {
                    once(self, "sort key", *span);
                    table.sort = Some(key_attr(name, ty.node));
                    attr_spans.push(name);
                }
                TableItem::Attrs { names, .. } => {
                    attr_spans.extend(names.iter());
                    table.attrs.extend(names.iter().map(|n| n.node.clone()));
                }
                TableItem::Index {
                    scope,
                    name,
                    keys,
                    span,
                } => {
                    self.valid(name, Code::BadName, "index name", values::table_name);
                    once(self, &format!("index `{}`", name.node), *span);
                    if let Some(scope) = self.index_scope(d, scope.as_ref(), name, keys, *span) {
                        table.indexes.push(model::Index {
                            name: name.node.clone(),
                            scope,
                            keys: keys.iter().map(|k| k.node.clone()).collect(),
                        });
                    }
                }
                TableItem::Kms { arns, span } => {
                    once(self, "KMS key", *span);
                    // The AWS managed key (no ARNs) needs no IAM permission:
                    // its key policy allows every principal of the account
                    // through DynamoDB, and it cannot be used directly.
                    kms = Some((arns, *span));
                }
                TableItem::Replicas { regions, span } => {
                    once(self, "replicas", *span);
                    table.replicas = self.replicas(&table, regions);
                }
            }
        }
        if let Some((arns, span)) = kms {
            table.kms_keys = self.kms_keys(arns, span, &table);
        }
        for attr in &attr_spans {
            self.policy_text(attr, "attribute name");
        }
        for (i, attr) in attr_spans.iter().enumerate() {
            if let Some(first) = attr_spans[..i].iter().find(|a| a.node == attr.node) {
                self.error(
                    Diagnostic::new(
                        Code::DuplicateDefinition,
                        attr.span,
                        format!("attribute `{}` is declared twice", attr.node),
                    )
                    .label("declared again here")
                    .secondary(first.span, "first declared here"),
                );
            }
        }
        // Index keys must be attributes of the table when the table lists them.
        let declared: Vec<String> = attr_spans.iter().map(|a| a.node.clone()).collect();
        if !table.attrs.is_empty() {
            for item in &d.items {
                if let TableItem::Index { keys, .. } = item {
                    for key in keys {
                        self.known_attribute(&table.name, &declared, key);
                    }
                }
            }
        }
        self.model.tables.push(table);
    }

    /// `global` or `local`, and the keys each may have: a global index names
    /// its partition key and optionally a sort key, a local index one sort
    /// key (its partition key is the table's).
    fn index_scope(
        &mut self,
        table: &ast::TableDecl,
        scope: Option<&ast::Spanned<IndexScope>>,
        name: &Name,
        keys: &[Name],
        span: Span,
    ) -> Option<IndexScope> {
        let Some(scope) = scope else {
            let on = keys
                .iter()
                .map(|k| k.node.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let on = if on.is_empty() {
                String::new()
            } else {
                format!(" on {on}")
            };
            self.error(
                Diagnostic::new(Code::IndexScope, name.span, format!("index `{}` of table `{}` does not say whether it is global or local", name.node, table.name.node))
                    .label("global or local?")
                    .note("a global secondary index has its own partition key, so a grant restricted to some partition keys of the table must not reach it; a local index shares the table's partition key")
                    .help(format!("write `global index {}{on}` or `local index {}{on}`", name.node, name.node)),
            );
            return None;
        };
        let fits = match scope.node {
            IndexScope::Global => keys.len() <= 2,
            IndexScope::Local => keys.len() == 1,
        };
        if !fits {
            let (label, help) = match scope.node {
                IndexScope::Global => (
                    "a global index has a partition key and at most one sort key",
                    format!("`global index {} on PARTITION_KEY, SORT_KEY`", name.node),
                ),
                IndexScope::Local => (
                    "a local index has exactly one key: its sort key",
                    format!("`local index {} on SORT_KEY`", name.node),
                ),
            };
            self.error(
                Diagnostic::new(
                    Code::IndexScope,
                    span,
                    format!(
                        "index `{}` names {} key attribute(s)",
                        name.node,
                        keys.len()
                    ),
                )
                .label(label)
                .secondary(scope.span, format!("declared {}", scope.node.keyword()))
                .help(format!("write {help}")),
            );
            return None;
        }
        Some(scope.node)
    }

    /// `replicas`: valid regions of the table's partition, other than its
    /// own, each once.
    fn replicas(&mut self, table: &model::Table, regions: &[Name]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in regions {
            if !self.valid(r, Code::BadRegion, "region", values::region) {
                continue;
            }
            let what = format!("replica region `{}`", r.node);
            self.same_partition(Partition::of_region(&r.node), r.span, &what);
            if r.node == table.region || out.contains(&r.node) {
                self.error(
                    Diagnostic::new(
                        Code::DuplicateDefinition,
                        r.span,
                        format!("table `{}` is already in {}", table.name, r.node),
                    )
                    .label("named twice")
                    .help("list each replica region once, and not the table's own region"),
                );
                continue;
            }
            out.push(r.node.clone());
        }
        out
    }

    /// A table's KMS keys: key ARNs (not aliases, no wildcards), one in each
    /// of the table's regions (DynamoDB encrypts a table, and each replica
    /// of a global table, with a key in its own region).
    fn kms_keys(&mut self, arns: &[Name], span: Span, table: &model::Table) -> Vec<String> {
        let what = "KMS key ARN";
        let regions: Vec<&str> = table.regions().collect();
        let mut keys: Vec<(String, Span)> = Vec::new();
        for arn in arns {
            let parsed = match values::kms_key_arn(&arn.node) {
                Ok(parsed) => parsed,
                Err(help) => {
                    self.error(
                        Diagnostic::new(
                            Code::BadArn,
                            arn.span,
                            format!("malformed {what} `{}`", arn.node),
                        )
                        .label(format!("not a valid {what}"))
                        .help(help),
                    );
                    continue;
                }
            };
            self.same_partition(parsed.partition, arn.span, "the KMS key");
            let region = parsed.region.to_string();
            if !table.region.is_empty() && !regions.contains(&region.as_str()) {
                self.error(
                    Diagnostic::new(Code::BadArn, arn.span, format!("the key is in {region}, but table `{}` is in {}", table.name, regions.join(", ")))
                        .label(format!("a key in {region}"))
                        .note("DynamoDB encrypts a table, and each replica of a global table, only with a KMS key in its own region")
                        .help("use a key in the table's region (and one in each replica's region)"),
                );
                continue;
            }
            if let Some(first) = keys.iter().find(|(r, _)| r == &region).map(|(_, s)| *s) {
                self.error(
                    Diagnostic::new(Code::BadArn, arn.span, format!("two keys for {region}"))
                        .label("a second key in this region")
                        .secondary(first, "the first")
                        .help("a table (or replica) has one key: give one per region"),
                );
                continue;
            }
            keys.push((region, arn.span));
        }
        if !arns.is_empty() && keys.len() == arns.len() {
            for region in &regions {
                if !keys.iter().any(|(r, _)| r == region) {
                    self.error(
                        Diagnostic::new(Code::BadArn, span, format!("table `{}` has no key in {region}", table.name))
                            .label("one key per region of the table")
                            .note("the replicas of a global table are all encrypted with customer managed keys, each with a key in its own region")
                            .help(format!("add the key of the replica in {region}")),
                    );
                }
            }
        }
        arns.iter()
            .filter(|a| {
                keys.iter()
                    .any(|(r, _)| a.node.split(':').nth(3) == Some(r.as_str()))
            })
            .map(|a| a.node.clone())
            .collect()
    }

    /// Reports an ARN whose partition is not the program's.
    pub(super) fn same_partition(&mut self, partition: Partition, at: Span, what: &str) {
        if partition != self.model.partition {
            let program = self.model.partition;
            self.error(
                Diagnostic::new(Code::MixedPartitions, at, format!("{what} is in partition `{partition}`, but the program's regions are in `{program}`"))
                    .label(format!("partition `{partition}`"))
                    .note("an AWS Organization, its accounts and their policies live in one partition")
                    .help(format!("use an `arn:{program}:…` ARN, or compile the `{partition}` accounts as a program of their own")),
            );
        }
    }

    /// Reports principals of one account, and tables of one account and
    /// region, whose names differ only in case: IAM and policy names are
    /// case-insensitive (`dpol-Alice` and `dpol-alice` are one managed
    /// policy name), and their documents' files would collide on
    /// case-insensitive file systems.
    fn case_collisions(&mut self) {
        let mut seen: BTreeMap<(String, String, String), (String, Span)> = BTreeMap::new();
        let principals = self.model.principals.iter().map(|p| {
            (
                "principal",
                p.account_id.clone(),
                String::new(),
                &p.name,
                p.span,
            )
        });
        let tables = self.model.tables.iter().map(|t| {
            (
                "table",
                t.account_id.clone(),
                t.region.clone(),
                &t.name,
                t.span,
            )
        });
        let mut found = Vec::new();
        for (kind, account, region, name, span) in principals.chain(tables) {
            let key = (
                format!("{kind} {account}"),
                region,
                name.to_ascii_lowercase(),
            );
            match seen.get(&key) {
                Some((first, first_span)) if first != name => {
                    found.push((kind, name.clone(), span, first.clone(), *first_span));
                }
                Some(_) => {}
                None => {
                    seen.insert(key, (name.clone(), span));
                }
            }
        }
        for (kind, name, span, first, first_span) in found {
            self.error(
                Diagnostic::new(Code::CaseCollision, span, format!("{kind} `{name}` differs from `{first}` only in case"))
                    .label("differs only in case")
                    .secondary(first_span, "declared here first")
                    .note(if kind == "table" {
                        "the tables' resource policies would be written to files whose names differ only in case, which collide on macOS and Windows"
                    } else {
                        "IAM names and managed policy names are case-insensitive within an account (`dpol-Alice` and `dpol-alice` are one policy name)"
                    })
                    .help("use one name for both, or rename one"),
            );
        }
    }

    /// Reports two principal declarations that name the same IAM user, role
    /// or group: IAM names are unique per account and case-insensitive.
    fn same_iam_entity(&mut self, d: &ast::PrincipalDecl, arn: &str) {
        if arn.is_empty() {
            return;
        }
        let Some((head, path)) = arn.split_once(&format!(":{}/", d.kind.keyword())) else {
            return;
        };
        let name = path.rsplit('/').next().unwrap_or(path);
        let key = (head.to_string(), d.kind, name.to_ascii_lowercase());
        if let Some((first_name, first_span)) = self.iam_entities.get(&key).cloned() {
            if first_name == d.name.node {
                return; // the same dpol name twice: E0202
            }
            self.error(
                Diagnostic::new(Code::CaseCollision, d.span, format!("`{}` and `{first_name}` are the same IAM {} (IAM names are case-insensitive)", d.name.node, d.kind.keyword()))
                    .label(format!("{} `{name}`", d.kind.keyword()))
                    .secondary(first_span, "declared here first")
                    .help("declare each IAM identity once, and grant it everything under one name"),
            );
        } else {
            self.iam_entities.insert(key, (d.name.node.clone(), d.span));
        }
    }

    /// Reports an attribute the table does not declare; true when known.
    pub(super) fn known_attribute(
        &mut self,
        table: &str,
        declared: &[String],
        attr: &Name,
    ) -> bool {
        if declared.iter().any(|d| d == &attr.node) {
            return true;
        }
        let help = match crate::diag::suggest::did_you_mean(
            &attr.node,
            declared.iter().map(String::as_str),
        ) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("add it to the table: `attrs {}`", attr.node),
        };
        self.error(
            Diagnostic::new(
                Code::UnknownAttribute,
                attr.span,
                format!("table `{table}` has no attribute `{}`", attr.node),
            )
            .label("not an attribute of the table")
            .help(help),
        );
        false
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
                self.error(
                    Diagnostic::new(Code::EndpointRegion, at.span, message)
                        .label(format!("in {region}"))
                        .secondary(span, "table declared here")
                        .note("VPC endpoints do not support cross-region requests")
                        .help("use an endpoint in the table's region"),
                );
            }
        }
    }
}

fn key_attr(name: &Name, ty: ast::KeyType) -> KeyAttr {
    KeyAttr {
        name: name.node.clone(),
        kind: match ty {
            ast::KeyType::String => KeyKind::String,
            ast::KeyType::Number => KeyKind::Number,
            ast::KeyType::Binary => KeyKind::Binary,
        },
    }
}
