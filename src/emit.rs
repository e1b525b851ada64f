//! The model to the JSON documents AWS enforces, each validated for its
//! policy type and measured against its size limit under that type's own
//! counting rule. Output is deterministic: sorted lists, stable Sids.

mod alert;
mod endpoint;
mod identity;
pub(crate) mod organizations;
pub mod perimeter;
mod sid;
mod text;
pub mod write;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::iam::{emitted, resource_policy_name, DocKind, SizeLimit};
use crate::model::{self, Grant, Model, Principal};
use crate::source::Span;
use sid::{unique_sids, Built};
use text::{measure, render};

/// One compiled document.
#[derive(Clone, Debug)]
pub struct Document {
    pub kind: DocKind,
    pub name: String,
    /// Principal ARNs, SCP target ids, the vpce id, the table ARN, or `ACCOUNT/REGION`.
    pub attach: Vec<String>,
    /// The file's text, exactly as written (see [`Document::content`] for
    /// its JSON tree, which is not kept: at 100k grants the trees take
    /// several times the memory of the text).
    pub text: String,
    /// A folder under the kind's folder: the account id for identity
    /// documents, whose names are unique per account only.
    pub folder: Option<String>,
    pub spans: Vec<Span>,
    /// Size under the kind's counting rule.
    pub size: usize,
    /// The instants its time-bound statements stop allowing (`until`):
    /// the `aws:CurrentTime` bounds of its `DateLessThan` conditions, sorted.
    pub expires: Vec<String>,
    /// A perimeter's exceptions: who its denies let through, and why.
    pub exceptions: Vec<&'static perimeter::Exception>,
    /// How to deploy it (table resource policies).
    pub deploy: Option<perimeter::Deploy>,
    /// Statements that must exist in policies dpol does not write (a KMS key
    /// policy in another account, an alert target's policy).
    pub requires: Vec<Requirement>,
}

/// A statement that must exist in a policy dpol does not write, as the
/// manifest states it.
#[derive(Clone, Debug, Serialize)]
pub struct Requirement {
    /// Whose policy: `the key policy of arn:…`, `the topic policy of arn:…`.
    pub policy_of: String,
    pub why: &'static str,
    pub statement: Value,
}

impl Document {
    /// The document as a JSON tree, parsed from [`Document::text`] (always
    /// JSON: `emit` validates every document by parsing its text).
    pub fn content(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    /// Relative path inside the output directory: `KIND/[FOLDER/]NAME.json`.
    /// Document names are made of characters safe in file names (`+` marks
    /// the overflow parts of a split document), so two documents share a
    /// path only if they share kind, folder and name, which `emit` refuses
    /// (E0999).
    pub fn path(&self) -> String {
        let file = self
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.+".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect::<String>();
        match &self.folder {
            Some(folder) => format!("{}/{folder}/{file}.json", self.kind.as_str()),
            None => format!("{}/{file}.json", self.kind.as_str()),
        }
    }
}

/// Most managed policies one principal may have attached (IAM's default quota).
const MAX_MANAGED_PER_PRINCIPAL: usize = 10;

/// Compiles the model. Documents come back sorted by (kind, name); problems
/// go to `diags` and no document set is returned when there is any error.
pub fn emit(model: &Model, catalog: &Catalog, diags: &mut Diagnostics) -> Option<Vec<Document>> {
    let mut docs = Vec::new();
    let grants = identity::by_principal(model);
    let principals: Vec<(&Principal, &[&Grant])> = model
        .principals
        .iter()
        .zip(&grants)
        .map(|(p, g)| (p, g.as_slice()))
        .collect();
    // Principals are independent: their documents are built on several
    // threads, then concatenated (documents and diagnostics) in principal
    // order, exactly as one loop would produce them.
    for (part_docs, part_diags) in crate::parallel::chunks(&principals, |chunk| {
        identity_documents(model, catalog, chunk)
    }) {
        diags.extend(part_diags.iter().cloned());
        docs.extend(part_docs);
    }
    docs.extend(organizations::policies(model, diags));
    for table in &model.tables {
        let Some(p) = table.private.as_ref().filter(|p| p.layers.resource) else {
            continue;
        };
        // Each replica of a global table has a resource policy of its own.
        for region in table.regions() {
            let (mut statements, exceptions) =
                perimeter::resource_statements(table, region, p, &model.perimeter_roles);
            unique_sids(&mut statements);
            let name = resource_policy_name(&table.account_id, region, &table.name);
            let attach = vec![table.arn_in(region)];
            let doc = single(DocKind::Resource, &name, statements, attach, diags);
            docs.extend(doc.map(|d| Document {
                exceptions,
                deploy: Some(perimeter::deploy(table, &model.perimeter_roles)),
                ..d
            }));
        }
    }
    let through = endpoint::by_endpoint(model);
    for e in &model.endpoints {
        let grants = through.get(e.id.as_str()).map_or(&[][..], Vec::as_slice);
        let mut statements = endpoint::statements(model, e, grants);
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
        let table = a.table.and_then(|t| model.tables.get(t));
        let base = format!(
            "dpol-alert-{}-{}",
            table.map_or("all-tables", |t| t.name.as_str()),
            i + 1
        );
        // CloudTrail delivers a replica's events in the replica's region:
        // a global table gets a rule in each of its regions.
        let regions: Vec<String> = match table {
            Some(t) => t.regions().map(str::to_string).collect(),
            None => vec![a.region.clone()],
        };
        for region in regions {
            let name = if region == a.region {
                base.clone()
            } else {
                format!("{base}-{region}")
            };
            let regional = model::Alert {
                region,
                ..a.clone()
            };
            let content = alert::rule(model, catalog, &regional, &name);
            let text = render(DocKind::EventRule, &content);
            let requires = alert::requirements(model, &regional, &name);
            docs.push(Document {
                kind: DocKind::EventRule,
                size: text.len(),
                name,
                attach: vec![format!("{}/{}", regional.account_id, regional.region)],
                text,
                folder: None,
                spans: vec![a.span],
                expires: Vec::new(),
                exceptions: Vec::new(),
                deploy: None,
                requires,
            });
        }
    }
    let checked: Vec<&Document> = docs
        .iter()
        .filter(|d| d.kind != DocKind::EventRule)
        .collect();
    // Each document is validated as written: its text is parsed again, and
    // the tree is dropped once checked.
    let problems = crate::parallel::chunks(&checked, |chunk| {
        chunk
            .iter()
            .map(|doc| match serde_json::from_str::<Value>(&doc.text) {
                Ok(content) => emitted::problems(doc.kind, &content, &doc.text, catalog),
                Err(e) => vec![format!("the document is not JSON: {e}")],
            })
            .collect::<Vec<_>>()
    });
    for (doc, problems) in checked.iter().zip(problems.into_iter().flatten()) {
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
    unique_paths(&docs, diags);
    (!diags.has_errors()).then_some(docs)
}

/// Every document has its own output path, compared without regard to case
/// (macOS and Windows file systems ignore it, and so do IAM and
/// Organizations policy names). The checker refuses names that would
/// collide (E0210); a collision here is a bug in dpol, never an overwrite.
fn unique_paths(docs: &[Document], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, &Document> = BTreeMap::new();
    for doc in docs {
        let path = doc.path().to_ascii_lowercase();
        if let Some(first) = seen.insert(path, doc) {
            let span = doc.spans.first().copied().unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    Code::Internal,
                    span,
                    format!(
                        "documents `{}` and `{}` would be written to the same file `{}`",
                        first.name,
                        doc.name,
                        doc.path()
                    ),
                )
                .label("compiled from here")
                .help("this is a bug in dpol; please report it with the input that caused it"),
            );
        }
    }
}

/// The identity documents of `principals`, in order, and their diagnostics.
fn identity_documents(
    model: &Model,
    catalog: &Catalog,
    principals: &[(&Principal, &[&Grant])],
) -> (Vec<Document>, Diagnostics) {
    let mut docs = Vec::new();
    let mut diags = Diagnostics::new();
    for &(principal, grants) in principals {
        let mut statements = identity::statements(model, catalog, grants);
        if statements.is_empty() {
            continue;
        }
        let requires = identity::key_policy_requirements(principal, &statements);
        unique_sids(&mut statements);
        let name = format!("dpol-{}", principal.name);
        let mut parts = split(
            DocKind::Identity,
            &name,
            statements,
            vec![principal.arn.clone()],
            &mut diags,
        );
        for part in &mut parts {
            part.folder = Some(principal.account_id.clone());
        }
        if let Some(first) = parts.first_mut() {
            first.requires = requires;
        }
        if parts.len() > MAX_MANAGED_PER_PRINCIPAL {
            diags.push(
                Diagnostic::new(Code::TooManyPolicies, principal.span, format!("`{}` needs {} managed policies; IAM attaches at most {MAX_MANAGED_PER_PRINCIPAL}", principal.name, parts.len()))
                    .label("too many grants for one principal")
                    .help("merge grants on the same table, or use `*` for metadata verbs"),
            );
        }
        docs.extend(parts);
    }
    (docs, diags)
}

/// A document of `statements`, whose texts (from [`text::statement`]) are
/// `texts`.
fn document(
    kind: DocKind,
    name: String,
    statements: &[Built],
    texts: &[String],
    attach: Vec<String>,
) -> Document {
    let mut spans = statements
        .iter()
        .flat_map(|b| b.spans.iter().copied())
        .collect::<Vec<_>>();
    spans.sort();
    spans.dedup();
    let text = text::policy(kind, texts);
    let mut expires: Vec<String> = statements
        .iter()
        .filter_map(|b| b.statement.condition.get("DateLessThan"))
        .filter_map(|keys| keys.get("aws:CurrentTime"))
        .flat_map(|values| values.0.iter().cloned())
        .collect();
    expires.sort();
    expires.dedup();
    Document {
        kind,
        size: measure(kind, &text),
        name,
        attach,
        text,
        folder: None,
        spans,
        expires,
        exceptions: Vec::new(),
        deploy: None,
        requires: Vec::new(),
    }
}

/// One document that cannot be split; too large → E0410.
pub(crate) fn single(
    kind: DocKind,
    name: &str,
    statements: Vec<Built>,
    attach: Vec<String>,
    diags: &mut Diagnostics,
) -> Option<Document> {
    let texts: Vec<String> = statements
        .iter()
        .map(|b| text::statement(kind, &b.statement))
        .collect();
    let doc = document(kind, name.to_string(), &statements, &texts, attach);
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
        .map(|b| (measure(kind, &text::statement(kind, &b.statement)), b))
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
pub(crate) fn split(
    kind: DocKind,
    name: &str,
    statements: Vec<Built>,
    attach: Vec<String>,
    diags: &mut Diagnostics,
) -> Vec<Document> {
    let Some(limit) = kind.limit() else {
        return single(kind, name, statements, attach, diags)
            .into_iter()
            .collect();
    };
    // `{"Version":"2012-10-17","Statement":[]}` plus one comma per extra statement.
    let overhead = measure(kind, &text::policy(kind, &[]));
    let mut parts: Vec<(Vec<Built>, Vec<String>)> = vec![(Vec::new(), Vec::new())];
    let mut used = overhead;
    for b in statements {
        // Each statement is written once: its text is measured here and
        // pasted into its document below.
        let text = text::statement(kind, &b.statement);
        let size = measure(kind, &text) + 1;
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
        if used + size > limit.limit && parts.last().is_some_and(|p| !p.0.is_empty()) {
            parts.push((Vec::new(), Vec::new()));
            used = overhead;
        }
        used += size;
        if let Some(last) = parts.last_mut() {
            last.0.push(b);
            last.1.push(text);
        }
    }
    parts
        .into_iter()
        .enumerate()
        .map(|(i, (part, texts))| {
            // `+` cannot appear in a dpol name, so `dpol-alice+2` is never
            // another principal's document (`dpol-alice-2` was `alice-2`'s).
            let part_name = if i == 0 {
                name.to_string()
            } else {
                format!("{name}+{}", i + 1)
            };
            document(kind, part_name, &part, &texts, attach.clone())
        })
        .collect()
}
