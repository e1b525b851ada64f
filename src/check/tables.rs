//! Table declarations: keys, attributes, indexes (global or local),
//! replicas and KMS keys.

use super::values;
use super::{Checker, Ctx};
use crate::ast::{self, IndexScope, Name, TableItem};
use crate::diag::{Code, Diagnostic};
use crate::model::{self, KeyAttr, KeyKind};
use crate::partition::Partition;
use crate::source::Span;

impl Checker<'_, '_, '_> {
    pub(super) fn table(&mut self, d: &ast::TableDecl, ctx: &Ctx) {
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
        let (attrs, kms) = self.table_items(d, &mut table);
        if let Some((arns, span)) = kms {
            table.kms_keys = self.kms_keys(arns, span, &table);
        }
        self.attribute_names(&attrs);
        // Index keys must be attributes of the table when the table lists them.
        if !table.attrs.is_empty() {
            let declared: Vec<String> = attrs.iter().map(|a| a.node.clone()).collect();
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

    /// The items of a table's `{ … }` block into `table`: keys, attributes,
    /// indexes and replicas, each of the single ones declared once. Gives the
    /// names of every attribute (keys included), and the KMS item, which is
    /// checked once the replicas are known.
    fn table_items<'d>(
        &mut self,
        d: &'d ast::TableDecl,
        table: &mut model::Table,
    ) -> (Vec<&'d Name>, Option<(&'d Vec<Name>, Span)>) {
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
        let mut attrs: Vec<&Name> = Vec::new();
        let mut kms = None;
        for item in &d.items {
            match item {
                TableItem::Key { name, ty, span } => {
                    once(self, "partition key", *span);
                    table.partition = Some(key_attr(name, ty.node));
                    attrs.push(name);
                }
                TableItem::Sort { name, ty, span } => {
                    once(self, "sort key", *span);
                    table.sort = Some(key_attr(name, ty.node));
                    attrs.push(name);
                }
                TableItem::Attrs { names, .. } => {
                    attrs.extend(names.iter());
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
                    table.replicas = self.replicas(table, regions);
                }
            }
        }
        (attrs, kms)
    }

    /// A table's attribute names (keys included): each usable in a policy,
    /// and each declared once.
    fn attribute_names(&mut self, attrs: &[&Name]) {
        let mut first: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
        for attr in attrs {
            self.policy_text(attr, "attribute name");
            if let Some(&first) = first.get(attr.node.as_str()) {
                self.error(
                    Diagnostic::new(
                        Code::DuplicateDefinition,
                        attr.span,
                        format!("attribute `{}` is declared twice", attr.node),
                    )
                    .label("declared again here")
                    .secondary(first, "first declared here"),
                );
            } else {
                first.insert(&attr.node, attr.span);
            }
        }
    }

    /// `global` or `local`, and the keys each may have: a global index names
    /// its partition key and optionally a sort key, a local index one sort
    /// key (its partition key is the table's).
    pub(super) fn index_scope(
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
    pub(super) fn replicas(&mut self, table: &model::Table, regions: &[Name]) -> Vec<String> {
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
    pub(super) fn kms_keys(
        &mut self,
        arns: &[Name],
        span: Span,
        table: &model::Table,
    ) -> Vec<String> {
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
        let d = Diagnostic::new(
            Code::UnknownAttribute,
            attr.span,
            format!("table `{table}` has no attribute `{}`", attr.node),
        )
        .label("not an attribute of the table");
        let close =
            crate::diag::suggest::did_you_mean(&attr.node, declared.iter().map(String::as_str));
        self.error(match close {
            Some(close) => d.did_you_mean(attr.span, close),
            None => d.help(format!("add it to the table: `attrs {}`", attr.node)),
        });
        false
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
