//! Edits: formatting through `dpol fmt`'s layout, and code actions from the
//! structured fixes diagnostics carry (the same fixes `--error-format json`
//! and SARIF show).

use lsp_server::ErrorCode;
use serde_json::{json, Value};

use super::{diagnostics, Context, Failure};

pub fn format(cx: &Context<'_>, p: lsp_types::DocumentFormattingParams) -> Result<Value, Failure> {
    let file = cx.file(&p.text_document.uri)?;
    let text = cx.snapshot.text(file);
    match dpol::format(file, text) {
        Ok(formatted) if formatted == text => Ok(json!([])),
        Ok(formatted) => {
            let whole = dpol::source::Span::new(file, 0, text.len());
            Ok(json!([{ "range": cx.snapshot.range(whole), "newText": formatted }]))
        }
        Err(d) => Err(Failure::new(
            ErrorCode::RequestFailed,
            format!(
                "the file does not parse, so it is not formatted: {}",
                d.message
            ),
        )),
    }
}

pub fn code_actions(cx: &Context<'_>, p: lsp_types::CodeActionParams) -> Result<Value, Failure> {
    let file = cx.file(&p.text_document.uri)?;
    let start = cx.snapshot.offset(file, p.range.start);
    let end = cx.snapshot.offset(file, p.range.end);
    let mut actions = Vec::new();
    for d in cx.diagnostics {
        let Some(primary) = d.labels.first() else {
            continue;
        };
        let span = primary.span;
        let overlaps =
            span.file == file && span.start as usize <= end && start <= span.end as usize;
        if !overlaps {
            continue;
        }
        for fix in d.fixes.iter() {
            let Some(uri) = cx.snapshot.uri(fix.span.file) else {
                continue;
            };
            let old = cx.snapshot.sources.slice(fix.span);
            let title = if old.is_empty() {
                format!("{}: insert `{}`", d.code.as_str(), fix.replacement.trim())
            } else {
                format!(
                    "{}: replace `{old}` with `{}`",
                    d.code.as_str(),
                    fix.replacement
                )
            };
            let mut changes = serde_json::Map::new();
            changes.insert(
                uri.as_str().to_string(),
                json!([{ "range": cx.snapshot.range(fix.span), "newText": fix.replacement }]),
            );
            actions.push(json!({
                "title": title,
                "kind": "quickfix",
                "diagnostics": [diagnostics::to_protocol(cx.snapshot, d)],
                "isPreferred": d.fixes.len() == 1,
                "edit": { "changes": changes },
            }));
        }
    }
    Ok(json!(actions))
}
