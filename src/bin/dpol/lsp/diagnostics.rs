//! The program's diagnostics as the protocol's: each at its primary label
//! (a diagnostic about no place at the start of the first file), with its
//! code, its help and notes in the message, and its other labels as related
//! information.

use dpol::diag::{Diagnostic, Severity};
use serde_json::{json, Value};

use super::workspace::{Snapshot, Workspace};

/// Per file, in the workspace's order: the URI, the open document's
/// version, the protocol diagnostics.
pub type Batch = (lsp_types::Uri, Option<i32>, Vec<Value>);

/// What a check gives the server: dpol's diagnostics, one batch per file,
/// and what AWS calls each declared name (empty when the program has errors).
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    pub batches: Vec<Batch>,
    pub aws_names: std::collections::HashMap<String, Vec<String>>,
}

/// Checks the program, parsing again only the files that changed since the
/// last check (`parsed`).
pub fn check(
    snapshot: &Snapshot,
    workspace: &Workspace,
    parsed: &mut dpol::stages::ParseCache,
) -> Checked {
    let mut diagnostics = snapshot.load_diagnostics.clone();
    let mut aws_names: std::collections::HashMap<String, Vec<String>> = Default::default();
    if diagnostics.is_empty() && !snapshot.sources.is_empty() {
        let checked = dpol::check_program_cached(&snapshot.sources, parsed);
        diagnostics = checked.diagnostics;
        if let Some(model) = checked.model {
            for (name, id) in model.aws_names() {
                aws_names.entry(name.to_string()).or_default().push(id);
            }
            // Freeing a large model takes a while; the diagnostics need not wait.
            std::thread::spawn(move || drop(model));
        }
    }
    let mut batches: Vec<Batch> = snapshot
        .uris
        .iter()
        .enumerate()
        .map(|(i, uri)| {
            let file = dpol::source::FileId(u32::try_from(i).unwrap_or(u32::MAX));
            let version = workspace.open.get(snapshot.key(file)).map(|o| o.version);
            (uri.clone(), version, Vec::new())
        })
        .collect();
    for d in &diagnostics {
        let file = d.labels.first().map_or(0, |l| l.span.file.0 as usize);
        if let Some((_, _, list)) = batches.get_mut(file) {
            list.push(to_protocol(snapshot, d));
        }
    }
    Checked {
        diagnostics,
        batches,
        aws_names,
    }
}

/// One diagnostic in the protocol's shape.
pub fn to_protocol(snapshot: &Snapshot, d: &Diagnostic) -> Value {
    let range = d.labels.first().map_or_else(
        || json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }),
        |l| json!(snapshot.range(l.span)),
    );
    let mut message = d.message.clone();
    if let Some(primary) = d.labels.first().filter(|l| !l.message.is_empty()) {
        message.push_str(&format!(": {}", primary.message));
    }
    for note in &d.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<Value> = d
        .labels
        .iter()
        .skip(1)
        .filter_map(|l| {
            let location = snapshot.location(l.span)?;
            Some(json!({ "location": location, "message": if l.message.is_empty() { "here" } else { l.message.as_str() } }))
        })
        .collect();
    let mut out = json!({
        "range": range,
        "severity": if d.severity == Severity::Error { 1 } else { 2 },
        "code": d.code.as_str(),
        "source": "dpol",
        "message": message,
    });
    if !related.is_empty() {
        out["relatedInformation"] = json!(related);
    }
    out
}
