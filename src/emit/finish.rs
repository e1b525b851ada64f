//! The finishing step every document goes through, whatever its kind:
//! Sids made unique, statements packed into documents under the kind's size
//! limit (measured by its own counting rule, E0410 when one statement cannot
//! fit), the document's text rendered once, and every document validated
//! ([`validate`]) and given its own path ([`unique_paths`]).

use std::collections::BTreeMap;

use serde_json::Value;

use super::sid::{unique_sids, Built};
use super::text::{self, measure};
use super::{Compiled, StatementSpans};
use crate::catalog::Catalog;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::iam::{emitted, DocKind, SizeLimit};

/// A document of `statements`, whose texts (from [`text::statement`]) are
/// `texts`.
pub(crate) fn document(
    kind: DocKind,
    name: String,
    statements: &[Built],
    texts: &[String],
    attach: Vec<String>,
) -> Compiled {
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
    Compiled {
        kind,
        size: measure(kind, &text),
        name,
        attach,
        text,
        folder: None,
        spans,
        statement_spans: StatementSpans::of(statements.iter().map(|b| b.spans.as_slice())),
        expires,
        exceptions: Vec::new(),
        deploy: None,
        requires: Vec::new(),
    }
}

/// One document that cannot be split, its Sids made unique; too large →
/// E0410.
pub(crate) fn single(
    kind: DocKind,
    name: &str,
    mut statements: Vec<Built>,
    attach: Vec<String>,
    diags: &mut Diagnostics,
) -> Option<Compiled> {
    unique_sids(&mut statements);
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

/// E0410: a document over its size limit, at its largest statements.
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

/// Packs statements into as few documents as the size limit allows, in
/// order, their Sids unique across the parts.
pub(crate) fn split(
    kind: DocKind,
    name: &str,
    mut statements: Vec<Built>,
    attach: Vec<String>,
    diags: &mut Diagnostics,
) -> Vec<Compiled> {
    let Some(limit) = kind.limit() else {
        return single(kind, name, statements, attach, diags)
            .into_iter()
            .collect();
    };
    unique_sids(&mut statements);
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

/// Validates every policy document as written: its text is parsed again
/// and checked for its kind ([`emitted::problems`]), the tree dropped once
/// checked; a problem is E0412, a bug in dpol. Event rules are not policies.
pub(crate) fn validate(docs: &[Compiled], catalog: &Catalog, diags: &mut Diagnostics) {
    let checked: Vec<&Compiled> = docs
        .iter()
        .filter(|d| d.kind != DocKind::EventRule)
        .collect();
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
            diags.push(invalid_output(doc, problems));
        }
    }
}

/// Every document has its own output path, compared without regard to case
/// (macOS and Windows file systems ignore it, and so do IAM and
/// Organizations policy names). The checker refuses names that would
/// collide (E0210); a collision here is a bug in dpol, never an overwrite.
pub(crate) fn unique_paths(docs: &[Compiled], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, &Compiled> = BTreeMap::new();
    for doc in docs {
        let path = doc.path().to_ascii_lowercase();
        if let Some(first) = seen.insert(path, doc) {
            diags.push(same_path(first, doc));
        }
    }
}

/// E0412: a compiled document its kind's validator rejects, with each
/// problem as a note.
fn invalid_output(doc: &Compiled, problems: Vec<String>) -> Diagnostic {
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
    d
}

/// E0999: two documents with one output path.
fn same_path(first: &Compiled, doc: &Compiled) -> Diagnostic {
    let span = doc.spans.first().copied().unwrap_or_default();
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
    .help("this is a bug in dpol; please report it with the input that caused it")
}
