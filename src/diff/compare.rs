//! Pairing compiled and deployed documents and describing each pair.
//!
//! Documents pair by kind, name and attachment first, then by kind and name
//! (a document whose attachment changed). Several documents with the same
//! kind and name pair in attachment order. A compiled document left over was
//! added; a deployed one was removed if its name starts with `dpol-`, and is
//! unmanaged otherwise.

use serde_json::Value;
use similar::TextDiff;

use super::delta::{attachment_delta, content_delta};
use super::normalize::normalize;
use super::pairing::pair_in_passes;
use super::policy_doc::{DocKind, PolicyDoc};
use super::report::{DeltaLine, DiffReport, Direction, DocDiff, Inputs, Side, Status};

/// The prefix of the names of documents dpol writes.
const MANAGED_PREFIX: &str = "dpol-";

/// Lines of context around each change of a unified diff.
const CONTEXT_LINES: usize = 3;

/// Compares what `compiled` would deploy with what is `deployed`.
pub fn compare(compiled: &[PolicyDoc], deployed: &[PolicyDoc]) -> DiffReport {
    let compiled: Vec<Prepared> = compiled.iter().map(Prepared::new).collect();
    let deployed: Vec<Prepared> = deployed.iter().map(Prepared::new).collect();
    let pairing = pair_in_passes(
        &deployed,
        &compiled,
        &[
            |doc: &Prepared| (doc.doc.kind, doc.doc.name.as_str(), doc.attach.as_slice()),
            |doc: &Prepared| (doc.doc.kind, doc.doc.name.as_str(), [].as_slice()),
        ],
    );
    let mut documents: Vec<DocDiff> = pairing
        .pairs
        .into_iter()
        .map(|(_, old, new)| compare_pair(old, new))
        .collect();
    documents.extend(
        pairing
            .only_new
            .into_iter()
            .map(|new| one_sided(new, Status::Added)),
    );
    documents.extend(pairing.only_old.into_iter().map(|old| {
        let status = if old.doc.name.starts_with(MANAGED_PREFIX) {
            Status::Removed
        } else {
            Status::Unmanaged
        };
        one_sided(old, status)
    }));
    documents.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    DiffReport {
        documents,
        inputs: Inputs::default(),
    }
}

/// A document with its canonical form and sorted attachment.
struct Prepared<'a> {
    doc: &'a PolicyDoc,
    canonical: Value,
    attach: Vec<String>,
}

impl<'a> Prepared<'a> {
    fn new(doc: &'a PolicyDoc) -> Prepared<'a> {
        let mut attach = doc.attach.clone();
        attach.sort();
        attach.dedup();
        Prepared {
            doc,
            canonical: normalize(&doc.document),
            attach,
        }
    }

    fn side(&self) -> Side {
        Side {
            origin: self.doc.origin.clone(),
            attach: self.attach.clone(),
        }
    }
}

fn compare_pair(old: &Prepared, new: &Prepared) -> DocDiff {
    let kind = new.doc.kind;
    let same_content = old.canonical == new.canonical;
    let same_attach = old.attach == new.attach;
    let mut delta = Vec::new();
    let mut notes = Vec::new();
    let mut diff = None;
    if !same_content {
        delta = content_delta(kind, Some(&old.canonical), Some(&new.canonical));
        if delta.is_empty() {
            delta.push(DeltaLine {
                direction: Direction::Review,
                scope: "document".to_string(),
                change: "changed in a way dpol cannot classify".to_string(),
            });
        }
        diff = Some(unified_diff(old, new));
    }
    if !same_attach {
        notes.push(format!(
            "attachment changed: [{}] → [{}]",
            old.attach.join(", "),
            new.attach.join(", ")
        ));
        delta.extend(attachment_delta(
            &old.attach,
            &new.attach,
            &old.canonical,
            &new.canonical,
        ));
        delta.sort_by_key(|line| line.direction);
    }
    let status = if same_content && same_attach {
        Status::Unchanged
    } else {
        Status::Changed
    };
    DocDiff {
        kind,
        name: new.doc.name.clone(),
        status,
        compiled: Some(new.side()),
        deployed: Some(old.side()),
        notes,
        delta,
        diff,
    }
}

fn one_sided(doc: &Prepared, status: Status) -> DocDiff {
    let kind = doc.doc.kind;
    let (compiled, deployed, delta) = match status {
        Status::Added => (
            Some(doc.side()),
            None,
            content_delta(kind, None, Some(&doc.canonical)),
        ),
        Status::Removed => (
            None,
            Some(doc.side()),
            content_delta(kind, Some(&doc.canonical), None),
        ),
        // Unmanaged: listed, never compared.
        _ => (None, Some(doc.side()), Vec::new()),
    };
    DocDiff {
        kind,
        name: doc.doc.name.clone(),
        status,
        compiled,
        deployed,
        notes: Vec::new(),
        delta,
        diff: None,
    }
}

/// The canonical pretty JSON of both sides, deployed (`-`) to compiled (`+`).
fn unified_diff(old: &Prepared, new: &Prepared) -> String {
    let old_text = format!("{:#}\n", old.canonical);
    let new_text = format!("{:#}\n", new.canonical);
    TextDiff::from_lines(&old_text, &new_text)
        .unified_diff()
        .context_radius(CONTEXT_LINES)
        .header(
            &format!("deployed: {}", old.doc.origin),
            &format!("compiled: {}", new.doc.origin),
        )
        .to_string()
}

fn sort_key(doc: &DocDiff) -> (DocKind, &str, &[String], Status) {
    let attach = doc
        .compiled
        .as_ref()
        .or(doc.deployed.as_ref())
        .map_or(&[][..], |side| side.attach.as_slice());
    (doc.kind, doc.name.as_str(), attach, doc.status)
}
