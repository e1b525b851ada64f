//! The JSON output, a stable shape for tools (docs/diff-engine.md):
//!
//! ```json
//! {"format_version": 2, "has_changes": true,
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

/// `format_version`: bumped when the shape changes incompatibly (format 1
/// said `"format": "dpol-diff/1"`).
pub const FORMAT_VERSION: u64 = 2;

/// `dpol diff --format json`: how each compiled document compares with the
/// deployed one, in access changes, IAM-level deltas and a text diff.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(title = "dpol diff report")]
struct JsonReport<'a> {
    /// The format of this document (2): bumped when its shape changes
    /// incompatibly.
    #[schemars(extend("const" = 2))]
    format_version: u64,
    has_changes: bool,
    summary: Summary,
    documents: &'a [DocDiff],
}

/// The report as pretty JSON, ending with a newline.
pub fn render_json(report: &DiffReport) -> String {
    let json = JsonReport {
        format_version: FORMAT_VERSION,
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

/// The JSON Schema of `dpol diff --format json`.
pub(crate) fn schema() -> schemars::Schema {
    crate::schema::of::<JsonReport<'static>>()
}
