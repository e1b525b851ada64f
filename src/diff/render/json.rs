//! The JSON output, a stable shape for tools (docs/diff-engine.md):
//!
//! ```json
//! {"format": "dpol-diff/1", "has_changes": true,
//!  "summary": {"documents": 3, "added": 1, "removed": 0, "changed": 1, "unchanged": 1,
//!              "unmanaged": 2, "deployed_files": 7, "broadens": 1, "review": 0, "narrows": 1},
//!  "documents": [{"kind": "identity", "name": "dpol-alice", "status": "changed",
//!                 "compiled": {"origin": "…", "attach": ["…"]}, "deployed": {…},
//!                 "notes": [],
//!                 "access": [{"direction": "broadens", "text": "alice gains keys 200..300 on Orders",
//!                             "sources": [{"file": "grants.dpol", "line": 4}]}],
//!                 "delta": [{"direction": "broadens", "scope": "…", "change": "…"}],
//!                 "diff": "--- deployed: …"}]}
//! ```
//!
//! Members appear in that order; documents are sorted, so the output of one
//! report is always the same text.

use serde::Serialize;

use crate::diff::report::{DiffReport, DocDiff, Summary};

/// The `format` member: bumped when the shape changes incompatibly.
const FORMAT: &str = "dpol-diff/1";

#[derive(Serialize)]
struct JsonReport<'a> {
    format: &'static str,
    has_changes: bool,
    summary: Summary,
    documents: &'a [DocDiff],
}

/// The report as pretty JSON, ending with a newline.
pub fn render_json(report: &DiffReport) -> String {
    let json = JsonReport {
        format: FORMAT,
        has_changes: report.has_changes(),
        summary: report.summary(),
        documents: &report.documents,
    };
    match serde_json::to_string_pretty(&json) {
        Ok(text) => text + "\n",
        // Only strings, numbers and lists are serialized: this cannot happen.
        Err(error) => format!(
            "{{\"error\": {}}}\n",
            serde_json::Value::from(error.to_string())
        ),
    }
}
