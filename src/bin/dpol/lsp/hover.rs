//! Hovers: on a diagnostic, its code's explanation (`dpol explain`); on a
//! declared name, its declarations; on a verb, the actions it allows and
//! denies; on a statement that compiles to policy statements (a grant, a
//! private table, an endpoint's rules), those statements and the documents
//! they land in.

use serde_json::{json, Value};

use super::{Context, Failure};

pub fn hover(cx: &Context<'_>, p: lsp_types::HoverParams) -> Result<Value, Failure> {
    let (file, offset) = cx.place(&p.text_document_position_params)?;
    let snapshot = cx.snapshot;
    let mut parts = Vec::new();
    for d in cx.diagnostics {
        let Some(primary) = d.labels.first() else {
            continue;
        };
        let span = primary.span;
        if span.file == file && (span.start as usize..=span.end as usize).contains(&offset) {
            parts.push(format!(
                "**{}**: {}\n\n{}",
                d.code.as_str(),
                d.code.title(),
                d.code.explanation().trim_end()
            ));
        }
    }
    if let Some(name) = snapshot.outline().name_at(file, offset) {
        let mut declared = false;
        for decl in snapshot.outline().declarations_of(name) {
            declared = true;
            let source = snapshot.sources.get(decl.span.file);
            let text = source.map_or("", |f| f.slice(decl.span)).trim_end();
            let (line, _) = source.map_or((0, 0), |f| f.line_col(decl.span.start as usize));
            let file_name = source.map_or("", |f| f.name.as_str());
            parts.push(format!(
                "{} `{name}`, declared at {file_name}:{line}\n\n```dpol\n{text}\n```",
                decl.kind.keyword()
            ));
        }
        if !declared {
            parts.push(format!("`{name}` is not declared in this program"));
        }
        // Only names the last check resolved (it found no error).
        for id in cx.aws_names.get(name).into_iter().flatten() {
            parts.push(format!("in AWS: `{id}`"));
        }
    } else {
        let (_, word) = snapshot.word_at(file, offset);
        if let Some(verb) = dpol::catalog::catalog()
            .ok()
            .and_then(|c| dpol::catalog::verbs::explain(&c.dynamodb, word))
        {
            parts.push(verb);
        }
    }
    parts.extend(statements_at(snapshot, file, offset));
    if parts.is_empty() {
        return Ok(Value::Null);
    }
    Ok(json!({ "contents": { "kind": "markdown", "value": parts.join("\n\n---\n\n") } }))
}

/// At most this many policy statements are shown in one hover.
const MOST_STATEMENTS: usize = 6;

/// The policy statements compiled from the `.dpol` statement at `offset`,
/// each with the document it lands in.
fn statements_at(
    snapshot: &super::workspace::Snapshot,
    file: dpol::source::FileId,
    offset: usize,
) -> Vec<String> {
    let Some(documents) = snapshot.compiled() else {
        return Vec::new();
    };
    let here = |s: &dpol::source::Span| {
        s.file == file && (s.start as usize..=s.end as usize).contains(&offset)
    };
    let mut parts = Vec::new();
    let mut more = 0;
    for doc in documents {
        let mut statements: Option<Vec<Value>> = None;
        for i in 0..doc.statement_spans.len() {
            if !doc.statement_spans.get(i).iter().any(here) {
                continue;
            }
            if parts.len() == MOST_STATEMENTS {
                more += 1;
                continue;
            }
            let list = statements.get_or_insert_with(|| {
                let content: Value = serde_json::from_str(&doc.text).unwrap_or(Value::Null);
                content["Statement"].as_array().cloned().unwrap_or_default()
            });
            let Some(statement) = list.get(i) else {
                continue;
            };
            let json = serde_json::to_string_pretty(statement).unwrap_or_default();
            parts.push(format!(
                "compiles to statement {} of `{}` ({}):\n\n```json\n{json}\n```",
                i + 1,
                doc.path(),
                doc.kind.as_str()
            ));
        }
    }
    if more > 0 {
        parts.push(format!(
            "… and {more} more statements (`dpol build` writes them all)"
        ));
    }
    parts
}
