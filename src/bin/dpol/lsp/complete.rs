//! Completion from the words before the cursor on its line: keywords where
//! a statement starts, verbs after a principal, catalogue actions after
//! `can` and `cannot`, declared names of the kind a keyword expects (`in`:
//! accounts and OUs; `via`, `to`: VPCs and endpoints; `on`: tables), a
//! table's attributes after `attrs`.

use dpol::outline::SymbolKind;
use serde_json::{json, Value};

use super::{Context, Failure};

// The protocol's completion item kinds.
const KEYWORD: u32 = 14;
const FUNCTION: u32 = 3;
const PROPERTY: u32 = 10;
const VARIABLE: u32 = 6;
const STRUCT: u32 = 22;
const MODULE: u32 = 9;

pub fn complete(cx: &Context<'_>, p: lsp_types::CompletionParams) -> Result<Value, Failure> {
    let (file, offset) = cx.place(&p.text_document_position)?;
    let snapshot = cx.snapshot;
    let text = snapshot.text(file);
    let (word_start, _) = snapshot.word_at(file, offset);
    let line_start = text
        .get(..word_start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line = text.get(line_start..word_start).unwrap_or("");
    if line.contains('#') {
        return Ok(json!([]));
    }
    let statement = line.rsplit(';').next().unwrap_or("");
    let words: Vec<&str> = statement
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let outline = snapshot.outline();
    let names = |kinds: &[SymbolKind], item: u32| -> Vec<Value> {
        let mut seen = std::collections::BTreeSet::new();
        outline
            .declarations
            .iter()
            .filter(|d| kinds.contains(&d.kind) && seen.insert(d.name.as_str()))
            .map(|d| json!({ "label": d.name, "kind": item, "detail": d.kind.keyword() }))
            .collect()
    };
    let words_of = |list: &[&str], item: u32| -> Vec<Value> {
        list.iter()
            .map(|w| json!({ "label": w, "kind": item }))
            .collect()
    };
    let actions = || -> Vec<Value> {
        dpol::catalog::catalog()
            .map(|c| {
                c.dynamodb
                    .actions
                    .iter()
                    .map(|a| json!({ "label": a.name, "kind": FUNCTION, "detail": "dynamodb" }))
                    .collect()
            })
            .unwrap_or_default()
    };
    const PRINCIPALS: [SymbolKind; 3] = [SymbolKind::User, SymbolKind::Role, SymbolKind::Group];
    const NETWORKS: [SymbolKind; 2] = [SymbolKind::Vpc, SymbolKind::Endpoint];
    let continuation = line.starts_with([' ', '\t']) && words.is_empty();
    let items: Vec<Value> = match (words.first().copied(), words.last().copied()) {
        (None, _) if continuation => words_of(dpol::clause_keywords(), KEYWORD),
        (None, _) => {
            let mut items = words_of(dpol::statement_keywords(), KEYWORD);
            items.extend(names(&PRINCIPALS, VARIABLE));
            items
        }
        (_, Some("can" | "cannot")) => {
            let mut items = words_of(&dpol::verb_keywords(), KEYWORD);
            items.extend(actions());
            items
        }
        (Some("alert"), Some("on")) => actions(),
        (_, Some("attrs")) => {
            let tables: Vec<&str> = words
                .iter()
                .copied()
                .filter(|w| {
                    outline
                        .declarations_of(w)
                        .any(|d| d.kind == SymbolKind::Table)
                })
                .collect();
            outline
                .attributes
                .iter()
                .filter(|(table, _)| tables.is_empty() || tables.contains(&table.as_str()))
                .map(|(table, attr)| json!({ "label": attr, "kind": PROPERTY, "detail": table }))
                .collect()
        }
        (_, Some("except")) => words_of(&["attrs"], KEYWORD),
        (_, Some("in")) => names(&[SymbolKind::Account, SymbolKind::Ou], MODULE),
        (_, Some("via" | "to")) => names(&NETWORKS, VARIABLE),
        (_, Some("on" | "for")) => names(&[SymbolKind::Table], STRUCT),
        (Some("only"), Some("role" | "user" | "group")) => names(&PRINCIPALS, VARIABLE),
        (_, Some("by")) if words.contains(&"enforced") => {
            words_of(&["scp", "rcp", "resource"], KEYWORD)
        }
        (_, Some("by")) => names(&PRINCIPALS, VARIABLE),
        (Some(first), Some(_))
            if words.len() == 1
                && outline
                    .declarations_of(first)
                    .any(|d| PRINCIPALS.contains(&d.kind)) =>
        {
            let mut items = words_of(&dpol::verb_keywords(), KEYWORD);
            items.extend(words_of(&["can", "cannot"], KEYWORD));
            items
        }
        (Some(first), Some(last))
            if !dpol::statement_keywords().contains(&first)
                && dpol::verb_keywords().contains(&last) =>
        {
            let mut items = names(&[SymbolKind::Table], STRUCT);
            items.extend(words_of(&["on"], KEYWORD));
            items
        }
        (Some(first), _) if !dpol::statement_keywords().contains(&first) || first == "expect" => {
            words_of(dpol::clause_keywords(), KEYWORD)
        }
        _ => Vec::new(),
    };
    Ok(json!(items))
}
