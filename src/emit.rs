//! The model to the JSON documents AWS enforces, each validated for its
//! policy type and measured against its size limit under that type's own
//! counting rule. Output is deterministic: sorted lists, stable Sids.

mod alert;
mod endpoint;
mod identity;
mod perimeter;
pub mod policy;
mod validate;
pub mod write;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Model;
use crate::source::Span;
use policy::{unique_sids, Built, Policy, VERSION};

/// The five kinds of document dpol writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Identity,
    Scp,
    VpcEndpoint,
    Resource,
    EventRule,
}

impl DocKind {
    /// Every kind, in declaration order.
    pub const ALL: [DocKind; 5] = [
        DocKind::Identity,
        DocKind::Scp,
        DocKind::VpcEndpoint,
        DocKind::Resource,
        DocKind::EventRule,
    ];

    /// The kind as serde and `manifest.json` spell it, and its folder in a build.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Identity => "identity",
            DocKind::Scp => "scp",
            DocKind::VpcEndpoint => "vpc_endpoint",
            DocKind::Resource => "resource",
            DocKind::EventRule => "event_rule",
        }
    }

    /// The kind spelled `name` as [`DocKind::as_str`] spells it.
    pub fn from_name(name: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// The size limit and how AWS counts toward it.
    pub fn limit(self) -> Option<SizeLimit> {
        let (limit, whitespace, rule) = match self {
            DocKind::Identity => (
                6_144,
                false,
                "characters, whitespace not counted (customer managed policy)",
            ),
            DocKind::Scp => (
                5_120,
                true,
                "characters, every character counted (service control policy)",
            ),
            DocKind::VpcEndpoint => (
                20_480,
                true,
                "characters including whitespace (VPC endpoint policy)",
            ),
            DocKind::Resource => (
                20_480,
                true,
                "bytes including whitespace (DynamoDB resource-based policy, 20 KB)",
            ),
            DocKind::EventRule => return None,
        };
        Some(SizeLimit {
            limit,
            whitespace,
            rule,
        })
    }

    /// Policies written compactly, because AWS counts their whitespace.
    fn compact(self) -> bool {
        self.limit().is_some_and(|l| l.whitespace)
    }
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct SizeLimit {
    pub limit: usize,
    #[serde(skip)]
    pub whitespace: bool,
    pub rule: &'static str,
}

/// One compiled document.
#[derive(Clone, Debug)]
pub struct Document {
    pub kind: DocKind,
    pub name: String,
    /// Principal ARNs, SCP target ids, the vpce id, the table ARN, or `ACCOUNT/REGION`.
    pub attach: Vec<String>,
    pub content: Value,
    /// The file's text, exactly as written.
    pub text: String,
    pub spans: Vec<Span>,
    /// Size under the kind's counting rule.
    pub size: usize,
}

impl Document {
    /// Relative path inside the output directory.
    pub fn path(&self) -> String {
        let file = self
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect::<String>();
        format!("{}/{file}.json", self.kind.as_str())
    }
}

/// IAM's count: every character but whitespace outside strings (dpol's text
/// has none inside strings that matter; counting them is the safe side).
fn measure(kind: DocKind, text: &str) -> usize {
    match kind.limit() {
        Some(l) if !l.whitespace => text.chars().filter(|c| !c.is_whitespace()).count(),
        _ => text.len(),
    }
}

fn render(kind: DocKind, value: &impl Serialize) -> String {
    let mut text = if kind.compact() {
        serde_json::to_string(value)
    } else {
        serde_json::to_string_pretty(value)
    }
    .unwrap_or_default();
    text.push('\n');
    text
}

/// The name of a table's resource policy document: `ACCOUNT-REGION-TABLE`
/// (the diff engine names deployed ones the same way, to pair them).
pub fn resource_policy_name(account: &str, region: &str, table: &str) -> String {
    format!("{account}-{region}-{table}")
}

/// Most managed policies one principal may have attached (IAM's default quota).
const MAX_MANAGED_PER_PRINCIPAL: usize = 10;
/// SCPs per target: AWS allows 5, and FullAWSAccess takes one.
const MAX_SCPS_PER_TARGET: usize = 4;

/// Compiles the model. Documents come back sorted by (kind, name); problems
/// go to `diags` and no document set is returned when there is any error.
pub fn emit(model: &Model, catalog: &Catalog, diags: &mut Diagnostics) -> Option<Vec<Document>> {
    let mut docs = Vec::new();
    for (i, principal) in model.principals.iter().enumerate() {
        let mut statements = identity::statements(model, catalog, i);
        if statements.is_empty() {
            continue;
        }
        unique_sids(&mut statements);
        let name = format!("dpol-{}", principal.name);
        let parts = split(
            DocKind::Identity,
            &name,
            statements,
            vec![principal.arn.clone()],
            diags,
        );
        if parts.len() > MAX_MANAGED_PER_PRINCIPAL {
            diags.push(
                Diagnostic::new(Code::TooManyPolicies, principal.span, format!("`{}` needs {} managed policies; IAM attaches at most {MAX_MANAGED_PER_PRINCIPAL}", principal.name, parts.len()))
                    .label("too many grants for one principal")
                    .help("merge grants on the same table, or use `*` for metadata verbs"),
            );
        }
        docs.extend(parts);
    }
    docs.extend(scps(model, diags));
    for table in &model.tables {
        let Some(perimeter) = &table.private else {
            continue;
        };
        let mut statements = vec![perimeter::resource_statement(
            table,
            perimeter,
            &model.breakglass,
        )];
        unique_sids(&mut statements);
        docs.extend(single(
            DocKind::Resource,
            &resource_policy_name(&table.account_id, &table.region, &table.name),
            statements,
            vec![table.arn()],
            diags,
        ));
    }
    for e in &model.endpoints {
        let mut statements = endpoint::statements(model, catalog, e);
        if statements.is_empty() {
            continue;
        }
        unique_sids(&mut statements);
        docs.extend(single(
            DocKind::VpcEndpoint,
            &e.id,
            statements,
            vec![e.id.clone()],
            diags,
        ));
    }
    for (i, a) in model.alerts.iter().enumerate() {
        let table = a
            .table
            .and_then(|t| model.tables.get(t))
            .map_or("all-tables", |t| t.name.as_str());
        let name = format!("dpol-alert-{table}-{}", i + 1);
        let content = alert::rule(model, catalog, a, &name);
        let text = render(DocKind::EventRule, &content);
        docs.push(Document {
            kind: DocKind::EventRule,
            size: text.len(),
            name,
            attach: vec![format!("{}/{}", a.account_id, a.region)],
            content,
            text,
            spans: vec![a.span],
        });
    }
    for doc in docs.iter().filter(|d| d.kind != DocKind::EventRule) {
        let problems = validate::policy(doc.kind, &doc.content, &doc.text, catalog);
        if !problems.is_empty() {
            let span = doc.spans.first().copied().unwrap_or_default();
            let mut d = Diagnostic::new(
                Code::InvalidOutput,
                span,
                format!(
                    "compiled {} policy `{}` is not valid",
                    doc.kind.as_str(),
                    doc.name
                ),
            )
            .label("compiled from here")
            .help("this is a bug in dpol; please report it with the input that caused it");
            for p in problems {
                d = d.note(p);
            }
            diags.push(d);
        }
    }
    docs.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    (!diags.has_errors()).then_some(docs)
}

fn document(kind: DocKind, name: String, statements: Vec<Built>, attach: Vec<String>) -> Document {
    let spans = statements
        .iter()
        .flat_map(|b| b.spans.iter().copied())
        .collect::<Vec<_>>();
    let policy = Policy {
        version: VERSION,
        statement: statements.into_iter().map(|b| b.statement).collect(),
    };
    let content = serde_json::to_value(&policy).unwrap_or(Value::Null);
    let text = render(kind, &policy);
    let mut spans = spans;
    spans.sort();
    spans.dedup();
    Document {
        kind,
        size: measure(kind, &text),
        name,
        attach,
        content,
        text,
        spans,
    }
}

/// One document that cannot be split; too large → E0410.
fn single(
    kind: DocKind,
    name: &str,
    statements: Vec<Built>,
    attach: Vec<String>,
    diags: &mut Diagnostics,
) -> Option<Document> {
    let doc = document(kind, name.to_string(), statements.clone(), attach);
    let limit = kind.limit()?;
    if doc.size > limit.limit {
        too_large(kind, name, doc.size, limit, &statements, diags);
    }
    Some(doc)
}

fn too_large(
    kind: DocKind,
    name: &str,
    size: usize,
    limit: SizeLimit,
    statements: &[Built],
    diags: &mut Diagnostics,
) {
    let mut biggest: Vec<(usize, &Built)> = statements
        .iter()
        .map(|b| {
            (
                measure(
                    kind,
                    &serde_json::to_string(&b.statement).unwrap_or_default(),
                ),
                b,
            )
        })
        .collect();
    biggest.sort_by_key(|b| std::cmp::Reverse(b.0));
    let Some((_, first)) = biggest.first() else {
        return;
    };
    let primary = first.spans.first().copied().unwrap_or_default();
    let mut d = Diagnostic::new(
        Code::PolicyTooLarge,
        primary,
        format!(
            "{} policy `{name}` is {size} characters; the limit is {}",
            kind.as_str(),
            limit.limit
        ),
    )
    .label("the largest contribution")
    .note(format!("counted as {}", limit.rule))
    .help("split the grants over more principals or tables, or narrow the lists they name");
    for (n, b) in biggest.iter().skip(1).take(2) {
        if let Some(span) = b.spans.first() {
            d = d.secondary(*span, format!("{n} characters"));
        }
    }
    diags.push(d);
}

/// Packs statements into as few documents as the size limit allows, in order.
fn split(
    kind: DocKind,
    name: &str,
    statements: Vec<Built>,
    attach: Vec<String>,
    diags: &mut Diagnostics,
) -> Vec<Document> {
    let Some(limit) = kind.limit() else {
        return vec![document(kind, name.to_string(), statements, attach)];
    };
    // `{"Version":"2012-10-17","Statement":[]}` plus one comma per extra statement.
    let overhead = measure(
        kind,
        &render(
            kind,
            &serde_json::json!({"Version": VERSION, "Statement": []}),
        ),
    );
    let mut parts: Vec<Vec<Built>> = vec![Vec::new()];
    let mut used = overhead;
    for b in statements {
        let size = measure(
            kind,
            &serde_json::to_string(&b.statement).unwrap_or_default(),
        ) + 1;
        if overhead + size > limit.limit {
            too_large(
                kind,
                name,
                overhead + size,
                limit,
                std::slice::from_ref(&b),
                diags,
            );
        }
        if used + size > limit.limit && parts.last().is_some_and(|p| !p.is_empty()) {
            parts.push(Vec::new());
            used = overhead;
        }
        used += size;
        if let Some(last) = parts.last_mut() {
            last.push(b);
        }
    }
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let part_name = if i == 0 {
                name.to_string()
            } else {
                format!("{name}-{}", i + 1)
            };
            document(kind, part_name, part, attach.clone())
        })
        .collect()
}

/// One SCP per distinct scope, holding the perimeters of every private table
/// with that scope; split at the SCP size limit; at most four per target.
fn scps(model: &Model, diags: &mut Diagnostics) -> Vec<Document> {
    let mut by_scope: BTreeMap<Vec<String>, Vec<Built>> = BTreeMap::new();
    for table in &model.tables {
        if let Some(p) = &table.private {
            by_scope
                .entry(p.scope.clone())
                .or_default()
                .push(perimeter::scp_statement(table, p, &model.breakglass));
        }
    }
    let mut docs = Vec::new();
    let mut per_target: BTreeMap<String, (usize, Span)> = BTreeMap::new();
    for (scope, mut statements) in by_scope {
        unique_sids(&mut statements);
        let span = statements
            .first()
            .and_then(|b| b.spans.last().copied())
            .unwrap_or_default();
        let name = scp_name(&scope);
        for doc in split(DocKind::Scp, &name, statements, scope.clone(), diags) {
            for target in &scope {
                per_target.entry(target.clone()).or_insert((0, span)).0 += 1;
            }
            docs.push(doc);
        }
    }
    for (target, (count, span)) in per_target {
        if count > MAX_SCPS_PER_TARGET {
            diags.push(
                Diagnostic::new(Code::TooManyPolicies, span, format!("`{target}` would need {count} dpol SCPs; at most {MAX_SCPS_PER_TARGET} fit"))
                    .label("too many perimeters for one target")
                    .note("AWS attaches at most 5 SCPs to a root, OU or account, and FullAWSAccess takes one")
                    .help("give private tables the same scope so that their perimeters share one SCP"),
            );
        }
    }
    docs
}

/// `dpol-perimeter-ou-ab12-34cd5678` (the scope's targets, shortened when long).
fn scp_name(scope: &[String]) -> String {
    let joined = scope.join("-");
    if joined.len() <= 100 {
        format!("dpol-perimeter-{joined}")
    } else {
        format!(
            "dpol-perimeter-{}-and-{}-more",
            scope.first().map_or("", String::as_str),
            scope.len() - 1
        )
    }
}
