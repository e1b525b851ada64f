//! Reading a `dpol build` output directory through its `manifest.json`:
//!
//! ```json
//! {"format_version": 2,
//!  "documents": [{"kind": "identity", "name": "dpol-alice",
//!                 "path": "identity/dpol-alice.json", "attach": ["arn:…"]}]}
//! ```
//!
//! `path` is relative to the manifest and may not leave its directory;
//! `attach` may be left out (no attachment); `sources` (`[{"file", "line",
//! …}]`) says where the document came from and may be left out; other
//! members are ignored.

use std::path::{Component, Path};

use serde_json::{Map, Value};

use super::document::{event_rule_document, identity_policy_document, policy_document};
use super::json_text::parse_json;
use crate::diag::Diagnostic;
use crate::iam::DocKind;
use crate::iam::{Document, SourceRef};
use crate::json::JsonPath;
use crate::json::{as_array, as_object, required, required_str, string_set, wrong_type};
use crate::json::{InputProblem, Problem};

/// Reads `dir/manifest.json` and every document it lists, each checked
/// against the grammar of its kind. A document's `origin` is its path as
/// joined to `dir` (`out/identity/dpol-alice.json`).
pub fn read_build_dir(dir: &Path) -> Result<Vec<Document>, Diagnostic> {
    let manifest_path = dir.join("manifest.json");
    let manifest_origin = manifest_path.display().to_string();
    let manifest = read_json_file(&manifest_path, &manifest_origin)?;
    let entries =
        manifest_entries(&manifest).map_err(|problem| problem.in_file(&manifest_origin))?;
    entries
        .into_iter()
        .map(|entry| {
            let path = dir.join(&entry.path);
            let origin = path.display().to_string();
            let value = read_json_file(&path, &origin)?;
            let root = JsonPath::ROOT;
            let document = match entry.kind {
                DocKind::EventRule => event_rule_document(&value, &root),
                DocKind::Identity => identity_policy_document(&value, &root),
                _ => policy_document(&value, &root),
            }
            .map_err(|problem| problem.in_file(&origin))?;
            Ok(Document {
                kind: entry.kind,
                name: entry.name,
                attach: entry.attach,
                document,
                origin,
                sources: entry.sources,
            })
        })
        .collect()
}

/// One document of the manifest.
struct Entry {
    kind: DocKind,
    name: String,
    path: String,
    attach: Vec<String>,
    sources: Vec<SourceRef>,
}

fn read_json_file(path: &Path, origin: &str) -> Result<Value, Diagnostic> {
    let text = crate::load::limit::max_file_bytes()
        .and_then(|limit| crate::load::file::read_regular_text(path, limit))
        .map_err(|d| super::error::unreadable(origin, d))?;
    parse_json(
        &text,
        &JsonPath::ROOT,
        InputProblem::InvalidJson,
        "the file",
    )
    .map_err(|problem| problem.in_file(origin))
}

fn manifest_entries(manifest: &Value) -> Result<Vec<Entry>, Problem> {
    let root = JsonPath::ROOT;
    let top = as_object(manifest, &root)?;
    // Format 1 named the member `version`.
    let key = if top.contains_key("version") && !top.contains_key("format_version") {
        "version"
    } else {
        "format_version"
    };
    let found = required(top, key, &root)?;
    if !crate::emit::write::reads_format(top.get("format_version"), top.get("version")) {
        return Err(Problem::new(
            InputProblem::InvalidValue,
            &root.key(key),
            format!(
                "manifest format {found} is not supported (expected {})",
                crate::emit::write::MANIFEST_FORMAT_VERSION
            ),
        ));
    }
    let documents_at = root.key("documents");
    as_array(required(top, "documents", &root)?, &documents_at)?
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let entry_at = documents_at.index(i);
            manifest_entry(as_object(entry, &entry_at)?, &entry_at)
        })
        .collect()
}

fn manifest_entry(entry: &Map<String, Value>, at: &JsonPath) -> Result<Entry, Problem> {
    let kind_name = required_str(entry, "kind", at)?;
    let kind = DocKind::from_name(kind_name).ok_or_else(|| {
        Problem::new(
            InputProblem::InvalidValue,
            &at.key("kind"),
            format!("unknown document kind `{kind_name}` (identity, scp, vpc_endpoint, resource, event_rule)"),
        )
    })?;
    let path = required_str(entry, "path", at)?;
    let stays_inside = Path::new(path)
        .components()
        .all(|part| matches!(part, Component::Normal(_) | Component::CurDir));
    if !stays_inside || path.is_empty() {
        return Err(Problem::new(
            InputProblem::InvalidValue,
            &at.key("path"),
            format!("`{path}` is not a relative path inside the build directory"),
        ));
    }
    let attach = match entry.get("attach") {
        Some(attach) => string_set(attach, &at.key("attach"))?,
        None => Vec::new(),
    };
    let sources = match entry.get("sources") {
        Some(sources) => source_refs(sources, &at.key("sources"))?,
        None => Vec::new(),
    };
    Ok(Entry {
        kind,
        name: required_str(entry, "name", at)?.to_string(),
        path: path.to_string(),
        attach,
        sources,
    })
}

/// `[{"file": "a.dpol", "line": 3, …}]`.
/// The lines of a manifest entry's `sources`, sorted, each once (the
/// manifest names spans, and one line can hold several; the compiled side
/// names lines the same way, see `crate::iam::source_refs`).
fn source_refs(value: &Value, at: &JsonPath) -> Result<Vec<SourceRef>, Problem> {
    let mut lines = listed_lines(value, at)?;
    lines.sort();
    lines.dedup();
    Ok(lines)
}

fn listed_lines(value: &Value, at: &JsonPath) -> Result<Vec<SourceRef>, Problem> {
    as_array(value, at)?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let item_at = at.index(i);
            let item = as_object(item, &item_at)?;
            let line = required(item, "line", &item_at)?;
            let line = line
                .as_u64()
                .and_then(|l| usize::try_from(l).ok())
                .ok_or_else(|| wrong_type("a line number", line, &item_at.key("line")))?;
            Ok(SourceRef {
                file: required_str(item, "file", &item_at)?.to_string(),
                line,
            })
        })
        .collect()
}
