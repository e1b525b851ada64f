//! Hovers: on a diagnostic, its code's explanation (`dpol explain`); on a
//! declared name, its declarations; on a verb, the actions it allows and
//! denies.

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
    } else {
        let (_, word) = snapshot.word_at(file, offset);
        if let Some(verb) = dpol::catalog::catalog()
            .ok()
            .and_then(|c| dpol::catalog::verbs::explain(&c.dynamodb, word))
        {
            parts.push(verb);
        }
    }
    if parts.is_empty() {
        return Ok(Value::Null);
    }
    Ok(json!({ "contents": { "kind": "markdown", "value": parts.join("\n\n---\n\n") } }))
}
