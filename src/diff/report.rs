//! The outcome of a comparison. It serializes as the `documents` of the JSON
//! output (see [`super::render_json`]).

use serde::Serialize;

use crate::iam::DocKind;
use crate::iam::SourceRef;

/// How a document compares.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Compiled, not deployed.
    Added,
    /// Deployed under a `dpol-` name, no longer compiled.
    Removed,
    /// Both, with a different canonical form or attachment.
    Changed,
    /// Both, the same.
    Unchanged,
    /// Deployed, not written by dpol (no `dpol-` name) and paired with nothing: listed, never compared.
    Unmanaged,
}

impl Status {
    /// The status as the JSON output spells it: `added`, `removed`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
            Status::Unchanged => "unchanged",
            Status::Unmanaged => "unmanaged",
        }
    }
}

/// Which way a change moves access. Ordered as reports list them: broadening first.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More requests allowed (or fewer denied).
    Broadens,
    /// Neither clearly, or no effect at all: a person should look.
    Review,
    /// Fewer requests allowed (or more denied).
    Narrows,
}

/// One change in domain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DeltaLine {
    /// Whether the change broadens or narrows access, or needs a person to place it.
    pub direction: Direction,
    /// What the change is in: "Allow dynamodb:getitem on arn:…:table/Orders", "attachment", "event rule".
    pub scope: String,
    /// What changed: "actions added: dynamodb:scan", "endpoint condition aws:sourcevpce dropped (StringEquals vpce-1)".
    pub change: String,
    /// The same, structured, for the program's words.
    #[serde(skip)]
    pub(crate) fact: crate::diff::fact::Fact,
}

/// One access change in the program's words, with the source lines it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct AccessChange {
    /// Whether the change broadens or narrows access, or needs a person to place it.
    pub direction: Direction,
    /// "SalesApp gains keys \"ap-south\" on Sales".
    pub text: String,
    /// The `.dpol` lines (file and line) that caused it; empty when no source has it.
    pub sources: Vec<SourceRef>,
}

impl AccessChange {
    /// "SalesApp gains keys \"ap-south\" on Sales (access-patterns.dpol:40)", at most
    /// `shown` lines named.
    pub fn line(&self, shown: usize) -> String {
        if self.sources.is_empty() {
            return self.text.clone();
        }
        let mut lines: Vec<String> = self
            .sources
            .iter()
            .take(shown)
            .map(ToString::to_string)
            .collect();
        if self.sources.len() > shown {
            lines.push(format!("+{} more", self.sources.len() - shown));
        }
        format!("{} ({})", self.text, lines.join(", "))
    }
}

/// One side of a comparison: where the document came from and what it attaches to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Side {
    /// Where the document was read from: a file of a build, or an AWS CLI output and its JSON path.
    pub origin: String,
    /// Sorted, without duplicates.
    pub attach: Vec<String>,
}

/// How one document compares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DocDiff {
    /// The document's kind.
    pub kind: DocKind,
    /// The document's name: policy name, SCP name, vpce id, table name or rule name.
    pub name: String,
    /// Added, removed, changed, unchanged or unmanaged.
    pub status: Status,
    /// The compiled side; `None` when the program no longer has the document.
    pub compiled: Option<Side>,
    /// The deployed side; `None` when nothing of that name is deployed.
    pub deployed: Option<Side>,
    /// Remarks such as "attachment changed: + arn:…".
    pub notes: Vec<String>,
    /// The access delta in the program's words, broadening first (see [`AccessChange`]).
    pub access: Vec<AccessChange>,
    /// The access delta at the IAM level, broadening first; empty for unchanged and unmanaged documents.
    pub delta: Vec<DeltaLine>,
    /// Unified diff of the canonical pretty JSON, deployed (`-`) to compiled (`+`), when the content changed.
    pub diff: Option<String>,
}

impl DocDiff {
    /// "identity dpol-alice".
    pub fn label(&self) -> String {
        format!("{} {}", self.kind.as_str(), self.name)
    }
}

/// Every document of a comparison, sorted by kind, name and attachment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DiffReport {
    /// Every document of either side.
    pub documents: Vec<DocDiff>,
    /// What was read on each side (set by the caller; zero when unknown).
    #[serde(skip)]
    pub inputs: Inputs,
}

/// What a comparison read, for the summary: a directory that holds none of
/// the expected outputs must not look the same as a complete one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inputs {
    /// Source files compiled.
    pub source_files: usize,
    /// Files read for the deployed side: AWS CLI outputs, the files of a
    /// build directory (its manifest included), or sources at a revision.
    pub deployed_files: usize,
    /// The revision of `--base`, if that is the deployed side.
    pub revision: Option<String>,
}

impl Inputs {
    /// "read 7 deployed files", or "read 3 source files at `origin/main`".
    pub fn line(&self) -> String {
        let plural = if self.deployed_files == 1 { "" } else { "s" };
        match &self.revision {
            Some(rev) => format!(
                "read {} source file{plural} at `{rev}`",
                self.deployed_files
            ),
            None => format!("read {} deployed file{plural}", self.deployed_files),
        }
    }
}

/// Counts of a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Summary {
    /// Documents dpol manages: added + removed + changed + unchanged.
    pub documents: usize,
    /// Documents the program has that are not deployed.
    pub added: usize,
    /// Deployed dpol documents the program no longer has.
    pub removed: usize,
    /// Documents whose content or attachment changed.
    pub changed: usize,
    /// Documents that are the same on both sides.
    pub unchanged: usize,
    /// Deployed documents not written by dpol (no `dpol-` name), listed and never compared.
    pub unmanaged: usize,
    /// Files read for the deployed side (see [`Inputs::deployed_files`]).
    pub deployed_files: usize,
    /// Delta lines by direction.
    pub broadens: usize,
    /// Delta lines that only a person can place.
    pub review: usize,
    /// Delta lines that narrow access.
    pub narrows: usize,
}

impl Summary {
    /// "3 documents: 1 added, 1 changed, 1 unchanged, 2 unmanaged" (counts of zero left out).
    pub fn headline(&self) -> String {
        let counts = [
            (self.added, Status::Added),
            (self.removed, Status::Removed),
            (self.changed, Status::Changed),
            (self.unchanged, Status::Unchanged),
            (self.unmanaged, Status::Unmanaged),
        ];
        let parts: Vec<String> = counts
            .iter()
            .filter(|(count, _)| *count > 0)
            .map(|(count, status)| format!("{count} {}", status.as_str()))
            .collect();
        let noun = if self.documents == 1 {
            "document"
        } else {
            "documents"
        };
        if parts.is_empty() {
            format!("{} {noun}", self.documents)
        } else {
            format!("{} {noun}: {}", self.documents, parts.join(", "))
        }
    }
}

impl DiffReport {
    /// Whether anything dpol manages differs (added, removed or changed):
    /// `dpol diff` exits 2 then, 0 otherwise.
    pub fn has_changes(&self) -> bool {
        self.documents.iter().any(|doc| {
            matches!(
                doc.status,
                Status::Added | Status::Removed | Status::Changed
            )
        })
    }

    /// The counts of documents by status and of delta lines by direction.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for doc in &self.documents {
            let count = match doc.status {
                Status::Added => &mut summary.added,
                Status::Removed => &mut summary.removed,
                Status::Changed => &mut summary.changed,
                Status::Unchanged => &mut summary.unchanged,
                Status::Unmanaged => &mut summary.unmanaged,
            };
            *count += 1;
            for line in &doc.delta {
                let count = match line.direction {
                    Direction::Broadens => &mut summary.broadens,
                    Direction::Review => &mut summary.review,
                    Direction::Narrows => &mut summary.narrows,
                };
                *count += 1;
            }
        }
        summary.documents = summary.added + summary.removed + summary.changed + summary.unchanged;
        summary.deployed_files = self.inputs.deployed_files;
        summary
    }

    /// Every access change with its document, broadening first, then in document order.
    pub fn access_changes(&self) -> Vec<(&DocDiff, &AccessChange)> {
        let mut lines: Vec<(&DocDiff, &AccessChange)> = self
            .documents
            .iter()
            .flat_map(|doc| doc.access.iter().map(move |change| (doc, change)))
            .collect();
        lines.sort_by_key(|(_, change)| change.direction);
        lines
    }

    /// Every delta line with its document, broadening first, then in document order.
    pub fn access_delta(&self) -> Vec<(&DocDiff, &DeltaLine)> {
        let mut lines: Vec<(&DocDiff, &DeltaLine)> = self
            .documents
            .iter()
            .flat_map(|doc| doc.delta.iter().map(move |line| (doc, line)))
            .collect();
        lines.sort_by_key(|(_, line)| line.direction);
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::{Status, Summary};

    #[test]
    fn status_names_match_serde() {
        for status in [
            Status::Added,
            Status::Removed,
            Status::Changed,
            Status::Unchanged,
            Status::Unmanaged,
        ] {
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{}\"", status.as_str())
            );
        }
    }

    #[test]
    fn headline_leaves_out_zero_counts() {
        let summary = Summary {
            documents: 3,
            added: 1,
            changed: 1,
            unchanged: 1,
            unmanaged: 2,
            ..Summary::default()
        };
        assert_eq!(
            summary.headline(),
            "3 documents: 1 added, 1 changed, 1 unchanged, 2 unmanaged"
        );
        assert_eq!(Summary::default().headline(), "0 documents");
    }
}
