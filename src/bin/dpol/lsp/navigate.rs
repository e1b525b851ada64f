//! Go to definition, find references, rename, and the outline of a file:
//! every declared name (tables, principals, accounts, OUs, VPCs, endpoints)
//! across the program's files, from `dpol::outline`.

use std::collections::BTreeMap;

use dpol::outline::SymbolKind;
use lsp_server::ErrorCode;
use serde_json::{json, Value};

use super::{Context, Failure};

pub fn definition(cx: &Context<'_>, p: lsp_types::GotoDefinitionParams) -> Result<Value, Failure> {
    let (file, offset) = cx.place(&p.text_document_position_params)?;
    let outline = cx.snapshot.outline();
    let Some(name) = outline.name_at(file, offset) else {
        return Ok(Value::Null);
    };
    let locations: Vec<Value> = outline
        .declarations_of(name)
        .filter_map(|d| cx.snapshot.location(d.name_span))
        .collect();
    Ok(json!(locations))
}

pub fn references(cx: &Context<'_>, p: lsp_types::ReferenceParams) -> Result<Value, Failure> {
    let (file, offset) = cx.place(&p.text_document_position)?;
    let outline = cx.snapshot.outline();
    let Some(name) = outline.name_at(file, offset) else {
        return Ok(Value::Null);
    };
    let declarations: Vec<_> = outline.declarations_of(name).map(|d| d.name_span).collect();
    let locations: Vec<Value> = outline
        .occurrences(name)
        .into_iter()
        .filter(|span| p.context.include_declaration || !declarations.contains(span))
        .filter_map(|span| cx.snapshot.location(span))
        .collect();
    Ok(json!(locations))
}

pub fn prepare_rename(
    cx: &Context<'_>,
    p: lsp_types::TextDocumentPositionParams,
) -> Result<Value, Failure> {
    let (file, offset) = cx.place(&p)?;
    let outline = cx.snapshot.outline();
    let Some(name) = outline.name_at(file, offset) else {
        return Ok(Value::Null);
    };
    let span = outline
        .occurrences(name)
        .into_iter()
        .find(|s| s.file == file && (s.range().contains(&offset) || s.end as usize == offset));
    Ok(span.map_or(
        Value::Null,
        |s| json!({ "range": cx.snapshot.range(s), "placeholder": name }),
    ))
}

pub fn rename(cx: &Context<'_>, p: lsp_types::RenameParams) -> Result<Value, Failure> {
    let (file, offset) = cx.place(&p.text_document_position)?;
    let outline = cx.snapshot.outline();
    let Some(name) = outline.name_at(file, offset) else {
        return Err(Failure::new(
            ErrorCode::InvalidParams,
            "there is no declared name here to rename",
        ));
    };
    let new = p.new_name.as_str();
    if !is_name(new) {
        return Err(Failure::new(
            ErrorCode::InvalidParams,
            format!("`{new}` is not a dpol name (a letter or `_`, then letters, digits, `_`, `-` or `.`; not a keyword)"),
        ));
    }
    if outline.declarations.iter().any(|d| d.name == new) {
        return Err(Failure::new(
            ErrorCode::InvalidParams,
            format!("`{new}` is already declared"),
        ));
    }
    let mut changes: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for span in outline.occurrences(name) {
        let Some(uri) = cx.snapshot.uri(span.file) else {
            continue;
        };
        changes
            .entry(uri.as_str().to_string())
            .or_default()
            .push(json!({ "range": cx.snapshot.range(span), "newText": new }));
    }
    Ok(json!({ "changes": changes }))
}

/// A name as the grammar's `name` rule reads one.
fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !dpol::keywords().contains(&text)
}

pub fn symbols(cx: &Context<'_>, p: lsp_types::DocumentSymbolParams) -> Result<Value, Failure> {
    let file = cx.file(&p.text_document.uri)?;
    let symbols: Vec<Value> = cx
        .snapshot
        .outline()
        .declarations
        .iter()
        .filter(|d| d.name_span.file == file)
        .map(|d| {
            json!({
                "name": d.name,
                "detail": d.kind.keyword(),
                "kind": symbol_kind(d.kind),
                "range": cx.snapshot.range(d.span),
                "selectionRange": cx.snapshot.range(d.name_span),
            })
        })
        .collect();
    Ok(json!(symbols))
}

/// The protocol's symbol kinds (numbers), the nearest to each declaration.
fn symbol_kind(kind: SymbolKind) -> u32 {
    match kind {
        SymbolKind::Ou => 3,                                           // Namespace
        SymbolKind::Account => 2,                                      // Module
        SymbolKind::Vpc | SymbolKind::Endpoint => 11,                  // Interface
        SymbolKind::User | SymbolKind::Role | SymbolKind::Group => 19, // Object
        SymbolKind::Table => 23,                                       // Struct
    }
}
