//! The model to the JSON documents AWS enforces, each validated for its
//! policy type and measured against its size limit under that type's own
//! counting rule. Output is deterministic: sorted lists, stable Sids.

mod alert;
mod cross_account;
mod endpoint;
mod finish;
mod identity;
mod kms;
pub(crate) mod organizations;
pub mod perimeter;
mod resource;
mod sid;
mod text;
pub mod write;

use serde::Serialize;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::diag::Diagnostics;
use crate::iam::{DocKind, Document, SourceRef};
use crate::model::Model;
use crate::source::{SourceMap, Span};

/// One compiled document.
#[derive(Clone, Debug)]
pub struct Compiled {
    /// Which kind of policy it is, and so its grammar, size limit and folder.
    pub kind: DocKind,
    /// The policy's name: `dpol-alice`, an SCP's name, a table's or endpoint's id.
    pub name: String,
    /// Principal ARNs, SCP target ids, the vpce id, the table ARN, or `ACCOUNT/REGION`.
    pub attach: Vec<String>,
    /// The file's text, exactly as written (see [`Compiled::content`] for
    /// its JSON tree, which is not kept: at 100k grants the trees take
    /// several times the memory of the text).
    pub text: String,
    /// A folder under the kind's folder: the account id for identity
    /// documents, whose names are unique per account only.
    pub folder: Option<String>,
    /// The `.dpol` spans it was compiled from, in source order.
    pub spans: Vec<Span>,
    /// The spans of each statement, in the order of the document's
    /// `Statement` list (`dpol why` names the lines of one statement).
    pub statement_spans: StatementSpans,
    /// Size under the kind's counting rule.
    pub size: usize,
    /// The instants its time-bound statements stop allowing (`until`):
    /// the `aws:CurrentTime` bounds of its `DateLessThan` conditions, sorted.
    pub expires: Vec<String>,
    /// A perimeter's exceptions: who its denies let through, and why.
    pub exceptions: Vec<&'static perimeter::Exception>,
    /// How to deploy it (table resource policies).
    pub deploy: Option<perimeter::Deploy>,
    /// Statements that must exist in policies dpol does not write (a KMS key
    /// policy in another account, an alert target's policy).
    pub requires: Vec<Requirement>,
}

/// The spans of each statement of a document, in one allocation: the
/// spans of all statements one after the other, and where each ends.
#[derive(Clone, Debug, Default)]
pub struct StatementSpans {
    spans: Vec<Span>,
    ends: Vec<u32>,
}

impl StatementSpans {
    /// The spans of each of `statements`, in order.
    pub fn of<'a>(statements: impl Iterator<Item = &'a [Span]>) -> StatementSpans {
        let mut out = StatementSpans::default();
        for spans in statements {
            out.spans.extend_from_slice(spans);
            out.ends
                .push(u32::try_from(out.spans.len()).unwrap_or(u32::MAX));
        }
        out
    }

    /// The spans of statement `index` (none past the last).
    pub fn get(&self, index: usize) -> &[Span] {
        let end = self.ends.get(index).map_or(0, |&e| e as usize);
        let start = match index.checked_sub(1) {
            Some(previous) => self.ends.get(previous).map_or(0, |&e| e as usize),
            None => 0,
        };
        self.spans.get(start..end).unwrap_or_default()
    }

    /// How many statements.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no statements.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// A statement that must exist in a policy dpol does not write, as the
/// manifest states it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Requirement {
    /// Whose policy: `the key policy of arn:…`, `the topic policy of arn:…`.
    pub policy_of: String,
    /// Why the statement is needed, for a person reading the manifest.
    pub why: &'static str,
    /// The statement to add there, as JSON.
    pub statement: Value,
}

impl Compiled {
    /// The document as a JSON tree, parsed from [`Compiled::text`] (always
    /// JSON: `emit` validates every document by parsing its text).
    pub fn content(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    /// The document as the one document type of `diff` and the evaluator,
    /// with the source lines it came from (what the manifest lists). Its
    /// `origin` is its path after `origin` and a space (`compiled
    /// identity/…`), or the path alone.
    pub fn document(&self, origin: Option<&str>, sources: &SourceMap) -> Document {
        Document {
            kind: self.kind,
            name: self.name.clone(),
            attach: self.attach.clone(),
            document: self.content(),
            origin: match origin {
                Some(origin) => format!("{origin} {}", self.path()),
                None => self.path(),
            },
            sources: crate::iam::source_refs(sources, &self.spans),
        }
    }

    /// The source lines of each statement, in the order of the document's
    /// `Statement` list (`dpol why` names the lines of one statement).
    pub fn statement_lines(&self, sources: &SourceMap) -> Vec<Vec<SourceRef>> {
        (0..self.statement_spans.len())
            .map(|i| crate::iam::source_refs(sources, self.statement_spans.get(i)))
            .collect()
    }

    /// Relative path inside the output directory: `KIND/[FOLDER/]NAME.json`.
    /// Document names are made of characters safe in file names (`+` marks
    /// the overflow parts of a split document), so two documents share a
    /// path only if they share kind, folder and name, which `emit` refuses
    /// (E0999).
    pub fn path(&self) -> String {
        let file = self
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.+".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect::<String>();
        match &self.folder {
            Some(folder) => format!("{}/{folder}/{file}.json", self.kind.as_str()),
            None => format!("{}/{file}.json", self.kind.as_str()),
        }
    }
}

/// Compiles the model: each kind's emitter builds its documents, and every
/// document goes through the same finishing step (`finish`). Documents
/// come back sorted by (kind, name); problems go to `diags` and no document
/// set is returned when there is any error.
pub fn emit(model: &Model, catalog: &Catalog, diags: &mut Diagnostics) -> Option<Vec<Compiled>> {
    let (mut docs, table_allows) = identity::documents(model, catalog, diags);
    docs.extend(organizations::policies(model, diags));
    docs.extend(resource::documents(model, &table_allows, diags));
    docs.extend(endpoint::documents(model, diags));
    docs.extend(alert::documents(model, catalog));
    finish::validate(&docs, catalog, diags);
    docs.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    finish::unique_paths(&docs, diags);
    (!diags.has_errors()).then_some(docs)
}

#[cfg(test)]
mod tests {
    use super::StatementSpans;
    use crate::source::Span;

    #[test]
    fn statement_spans_keep_each_statements_own() {
        let a = Span::default();
        let spans = StatementSpans::of([&[a, a][..], &[][..], &[a][..]].into_iter());
        assert_eq!(spans.len(), 3);
        assert_eq!(spans.get(0).len(), 2);
        assert!(spans.get(1).is_empty());
        assert_eq!(spans.get(2).len(), 1);
        assert!(spans.get(3).is_empty());
    }
}
