//! Table declarations: keys, attributes, indexes (global or local),
//! replicas and KMS keys.

mod report;

use super::values;
use super::{Checker, Ctx};
use crate::ast::{self, IndexScope, Name, TableItem};
use crate::diag::Code;
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
                this.error(report::declared_twice(span, &d.name.node, what, first));
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
                self.error(report::attribute_twice(attr, first));
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
            self.error(report::index_scope_missing(table, name, &on));
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
            self.error(report::index_keys(
                name,
                keys.len(),
                span,
                scope,
                label,
                &help,
            ));
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
                self.error(report::replica_twice(r, table));
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
                    self.error(report::bad_kms_arn(arn, what, help));
                    continue;
                }
            };
            self.same_partition(parsed.partition, arn.span, "the KMS key");
            let region = parsed.region.to_string();
            if !table.region.is_empty() && !regions.contains(&region.as_str()) {
                self.error(report::kms_key_elsewhere(arn, &region, table, &regions));
                continue;
            }
            if let Some(first) = keys.iter().find(|(r, _)| r == &region).map(|(_, s)| *s) {
                self.error(report::two_kms_keys(arn, &region, first));
                continue;
            }
            keys.push((region, arn.span));
        }
        if !arns.is_empty() && keys.len() == arns.len() {
            for region in &regions {
                if !keys.iter().any(|(r, _)| r == region) {
                    self.error(report::no_kms_key_in(span, table, region));
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
        self.error(report::unknown_attribute(table, declared, attr));
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
