//! dpol: a policy-as-code compiler for Amazon DynamoDB access control.
//!
//! The pipeline is `syntax → ast → check → model → emit`:
//!
//! - [`source`]: files and byte spans; [`vocab`]: the language's words that
//!   `ast` and `model` share (verbs, principal kinds);
//! - [`syntax`]: pest grammar (`grammar/dpol.pest`) to [`ast`];
//! - [`check`]: names, values, policy semantics and lints, to [`model`];
//! - [`emit`]: the model to IAM, SCP, endpoint, resource and EventBridge JSON,
//!   validated and measured against each policy type's limits;
//! - [`iam`]: what dpol knows of policy documents, shared by `emit` and `diff`:
//!   kinds and limits, the typed policy, condition operators, the grammar;
//! - [`diag`]: the one [`diag::Diagnostic`] type and its renderers;
//! - [`catalog`]: the vendored AWS action catalogue and what each verb means;
//! - [`diff`]: compiled versus deployed policies; [`why`]: one request
//!   evaluated against them ([`iam::eval`]);
//! - [`load`]: reading sources.
//!
//! The `dpol` command (`src/bin/dpol/`) is a crate of its own on top of this
//! library: its arguments, writing a build to disk, reading sources at a git
//! revision, terminal colours.

pub mod assertion;
pub mod ast;
pub mod catalog;
pub mod check;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod expect;
pub mod iam;
pub(crate) mod json;
pub mod load;
pub mod model;
pub mod parallel;
pub mod partition;
pub mod source;
pub mod syntax;
pub mod vocab;
pub mod why;

use diag::{Diagnostic, Diagnostics};
use source::SourceMap;

/// The result of checking a program: the model when there is no error, and
/// every diagnostic in source order.
pub struct Checked {
    pub model: Option<model::Model>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks every file of `sources` as one program.
pub fn check_program(sources: &SourceMap) -> Checked {
    let mut diags = Diagnostics::new();
    let mut files = Vec::new();
    let texts: Vec<(source::FileId, &str)> = sources
        .files()
        .map(|(id, file)| (id, file.text.as_str()))
        .collect();
    for ((id, _), parsed) in texts.iter().zip(syntax::parse_files(&texts)) {
        match parsed {
            Ok(parsed) => files.push((*id, parsed)),
            Err(d) => diags.push(*d),
        }
    }
    let model = if diags.has_errors() {
        None
    } else {
        check::check(&files, &mut diags)
    };
    Checked {
        model,
        diagnostics: diags.into_sorted(),
    }
}

/// Parses, checks and emits. Documents come back only when there is no error.
pub fn compile(sources: &SourceMap) -> (Option<Vec<emit::Document>>, Vec<Diagnostic>) {
    let (compiled, diags) = compile_program(sources);
    (compiled.map(|(_, docs)| docs), diags)
}

/// [`compile`], keeping the checked model next to the documents (`dpol diff`
/// names changes the way the model does).
pub fn compile_program(
    sources: &SourceMap,
) -> (Option<(model::Model, Vec<emit::Document>)>, Vec<Diagnostic>) {
    let checked = check_program(sources);
    let Some(model) = checked.model else {
        return (None, checked.diagnostics);
    };
    let mut diags = Diagnostics::new();
    diags.extend(checked.diagnostics);
    let docs = match catalog::catalog() {
        Ok(catalog) => emit::emit(&model, catalog, &mut diags),
        Err(e) => {
            diags.push(Diagnostic::global(diag::Code::Internal, e));
            None
        }
    };
    (docs.map(|docs| (model, docs)), diags.into_sorted())
}
