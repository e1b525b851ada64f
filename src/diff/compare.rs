//! Pairing compiled and deployed documents and describing each pair.
//!
//! Documents pair by kind, name and attachment first, then by kind and name
//! (a document whose attachment changed). Several documents with the same
//! kind and name pair in attachment order. A compiled document left over was
//! added. A deployed one left over was removed if dpol wrote it: its name
//! starts with `dpol-`, or every deployed document is dpol output (a build
//! directory, a git revision), or it is the policy of a table or endpoint
//! the program declares. Otherwise it is unmanaged. An endpoint without
//! dpol's policy has AWS's default, which allows everything: a removed
//! endpoint policy is compared with that default, and a declared endpoint
//! at the default is unchanged.

use serde_json::Value;
use similar::TextDiff;

use super::delta::{attachment_delta, content_delta};
use super::fact::Fact;
use super::normalize::normalize;
use super::pairing::pair_in_passes;
use super::program::Program;
use super::report::{DeltaLine, DiffReport, Direction, DocDiff, Inputs, Side, Status};
use super::words::{access_changes, Subject};
use crate::iam::DocKind;
use crate::iam::Document;

/// The prefix of the names of documents dpol writes.
const MANAGED_PREFIX: &str = "dpol-";

/// Lines of context around each change of a unified diff.
const CONTEXT_LINES: usize = 3;

/// What a comparison knows beyond the documents.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// The compiled program: its names and grants, and what it declares.
    pub program: Option<&'a Program>,
    /// The deployed side's program, when it is one (`--base`).
    pub base: Option<&'a Program>,
    /// Every deployed document is dpol output (a build directory, a revision).
    pub deployed_is_dpol_output: bool,
}

/// Compares what `compiled` would deploy with what is `deployed`.
pub fn compare(compiled: &[Document], deployed: &[Document]) -> DiffReport {
    compare_in(compiled, deployed, &Context::default())
}

/// [`compare`], knowing the program (see [`Context`]).
pub fn compare_in(compiled: &[Document], deployed: &[Document], context: &Context) -> DiffReport {
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
        .map(|(_, old, new)| in_words(compare_pair(old, new), Some(old), Some(new), context))
        .collect();
    documents.extend(
        pairing
            .only_new
            .into_iter()
            .map(|new| in_words(one_sided(new, Status::Added), None, Some(new), context)),
    );
    documents.extend(
        pairing
            .only_old
            .into_iter()
            .map(|old| in_words(leftover_deployed(old, context), Some(old), None, context)),
    );
    documents.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    DiffReport {
        documents,
        inputs: Inputs::default(),
    }
}

/// `diff` with its access delta said in the program's words.
fn in_words(
    mut diff: DocDiff,
    old: Option<&Prepared>,
    new: Option<&Prepared>,
    context: &Context,
) -> DocDiff {
    if diff.delta.is_empty() {
        return diff;
    }
    let attach = new.or(old).map_or(&[][..], |p| p.attach.as_slice());
    let subject = Subject {
        kind: diff.kind,
        name: &diff.name,
        attach,
        new_sources: new.map_or(&[][..], |p| p.doc.sources.as_slice()),
        old_sources: old.map_or(&[][..], |p| p.doc.sources.as_slice()),
    };
    diff.access = access_changes(&subject, &diff.delta, context);
    diff
}

/// A document with its canonical form and sorted attachment.
struct Prepared<'a> {
    doc: &'a Document,
    canonical: Value,
    attach: Vec<String>,
}

impl<'a> Prepared<'a> {
    fn new(doc: &'a Document) -> Prepared<'a> {
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
                fact: Fact::default(),
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
        access: Vec::new(),
        delta,
        diff,
    }
}

/// A deployed document nothing compiled pairs with.
fn leftover_deployed(old: &Prepared, context: &Context) -> DocDiff {
    let doc = old.doc;
    let declared = |check: fn(&Program, &str) -> bool| {
        context
            .program
            .is_some_and(|program| doc.attach.iter().any(|a| check(program, a)))
    };
    let dpols = doc.name.starts_with(MANAGED_PREFIX)
        || context.deployed_is_dpol_output
        || match doc.kind {
            DocKind::Resource => declared(Program::declares_table),
            DocKind::VpcEndpoint => declared(Program::declares_endpoint),
            _ => false,
        };
    if !dpols {
        return one_sided(old, Status::Unmanaged);
    }
    if doc.kind != DocKind::VpcEndpoint {
        return one_sided(old, Status::Removed);
    }
    let default = normalize(&default_endpoint_policy());
    if same_statements(&old.canonical, &default) {
        let mut unchanged = one_sided(old, Status::Unchanged);
        unchanged.notes.push(
            "AWS's default endpoint policy (full access), as the program says: it gives the endpoint no policy"
                .to_string(),
        );
        return unchanged;
    }
    let mut removed = one_sided(old, Status::Removed);
    removed.delta = content_delta(doc.kind, Some(&old.canonical), Some(&default));
    removed.notes.push(
        "the endpoint goes back to AWS's default policy, which allows everything through it"
            .to_string(),
    );
    removed
}

/// The policy an endpoint has when none is set: full access.
fn default_endpoint_policy() -> Value {
    serde_json::json!({
        "Version": "2008-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]
    })
}

/// Whether two canonical policies have the same statements (whatever their `Version`).
fn same_statements(a: &Value, b: &Value) -> bool {
    a.get("Statement") == b.get("Statement")
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
        access: Vec::new(),
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
