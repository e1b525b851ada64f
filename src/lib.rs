#![warn(missing_docs)]
//! dpol: a policy-as-code compiler for Amazon DynamoDB access control.
//!
//! The pipeline is `syntax → ast → check → model → emit`:
//!
//! - [`source`]: files and byte spans; `vocab`: the language's words that
//!   `ast` and `model` share (verbs, principal kinds);
//! - `syntax`: pest grammar (`grammar/dpol.pest`) to `ast`;
//! - `check`: names, values, policy semantics and lints, to `model`;
//! - [`emit`]: the model to IAM, SCP, endpoint, resource and EventBridge JSON,
//!   validated and measured against each policy type's limits;
//! - [`iam`]: what dpol knows of policy documents, shared by `emit` and `diff`:
//!   kinds and limits, the typed policy, condition operators, the grammar;
//! - [`diag`]: the one [`diag::Diagnostic`] type and its renderers;
//! - [`catalog`]: the vendored AWS action catalogue and what each verb means;
//! - [`diff`]: compiled versus deployed policies; [`why`]: one request
//!   evaluated against them ([`iam::eval`]);
//! - [`load`]: reading sources; [`outline`]: what a program declares and where
//!   it names each declaration (for the language server).
//!
//! # Example
//!
//! ```
//! let mut sources = dpol::source::SourceMap::new();
//! sources.add(
//!     "orders.dpol",
//!     None,
//!     "account prod = 111122223333\nregion us-east-1\n\
//!      table Orders in prod { key id: number }\nuser alice in prod\n\
//!      alice reads Orders keys 100..200\n"
//!         .to_string(),
//! );
//! let (documents, diagnostics) = dpol::compile(&sources);
//! assert!(diagnostics.is_empty(), "{diagnostics:?}");
//! let documents = documents.unwrap_or_default();
//! let alice = documents.iter().find(|d| d.name == "dpol-alice").unwrap();
//! assert_eq!(alice.kind, dpol::iam::DocKind::Identity);
//! assert!(alice.text.contains("dynamodb:LeadingKeys"));
//! ```
//!
//! The `dpol` command (`src/bin/dpol/`) is a crate of its own on top of this
//! library: its arguments, writing a build to disk, reading sources at a git
//! revision, terminal colours.

pub(crate) mod assertion;
pub(crate) mod ast;
pub mod catalog;
pub(crate) mod check;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod expect;
pub mod iam;
pub(crate) mod json;
pub mod load;
pub(crate) mod model;
pub mod outline;
pub(crate) mod parallel;
pub(crate) mod partition;
pub mod schema;
pub mod source;
pub mod stages;
pub(crate) mod syntax;
pub(crate) mod vocab;
pub mod why;

use diag::{Diagnostic, Diagnostics};
pub use model::Model;
use source::SourceMap;

/// Every keyword of the language, as written (`reads`, `private`, …).
pub fn keywords() -> Vec<&'static str> {
    syntax::keywords()
}

/// The keywords a statement can start with (`table`, `expect`, …; a grant
/// starts with a principal's name).
pub fn statement_keywords() -> &'static [&'static str] {
    &syntax::STATEMENT_KEYWORDS
}

/// The words that start a clause of a grant or an expectation (`keys`,
/// `attrs`, `via`, …).
pub fn clause_keywords() -> &'static [&'static str] {
    &syntax::CLAUSE_WORDS
}

/// The verbs, as grants write them (`reads`, `writes`, …).
pub fn verb_keywords() -> Vec<&'static str> {
    vocab::Verb::ALL.iter().map(|v| v.keyword()).collect()
}

/// `text` in dpol's canonical layout (`dpol fmt`, docs/fmt.md): the same
/// syntax tree, laid out one way. `Err` is the syntax error that stops it,
/// as `dpol check` reports it.
pub fn format(file: source::FileId, text: &str) -> Result<String, Box<Diagnostic>> {
    syntax::format(file, text)
}

/// Whether dpol's two parsers of `grammar/dpol.pest` agree on `text`: the
/// fast recognizer generated at build time and pest (both reject it, or
/// both give the same tree). For the fuzz targets; always true.
#[doc(hidden)]
pub fn parsers_agree(text: &str) -> bool {
    syntax::parsers_agree(text)
}

/// The result of checking a program: the model when there is no error, and
/// every diagnostic in source order.
pub struct Checked {
    /// The checked program, when no diagnostic is an error.
    pub model: Option<Model>,
    /// Every diagnostic, errors and warnings, sorted by place.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks every file of `sources` as one program.
pub fn check_program(sources: &SourceMap) -> Checked {
    check_program_cached(sources, &mut stages::ParseCache::default())
}

/// [`check_program`], parsing again only the files that changed since the
/// last call with the same `cache` (the language server checks a program
/// on every change).
pub fn check_program_cached(sources: &SourceMap, cache: &mut stages::ParseCache) -> Checked {
    let mut diags = Diagnostics::new();
    let model = match cache.check(sources, |parsed| stages::check(parsed, &mut diags)) {
        Ok(model) => model,
        Err(errors) => {
            diags.extend(errors);
            None
        }
    };
    Checked {
        model,
        diagnostics: diags.into_sorted(),
    }
}

/// Parses, checks and emits. Documents come back only when there is no error.
pub fn compile(sources: &SourceMap) -> (Option<Vec<emit::Compiled>>, Vec<Diagnostic>) {
    let (compiled, diags) = compile_program(sources);
    (compiled.map(|(_, docs)| docs), diags)
}

/// [`compile`], keeping the checked model next to the documents (`dpol diff`
/// names changes the way the model does).
pub fn compile_program(
    sources: &SourceMap,
) -> (Option<(Model, Vec<emit::Compiled>)>, Vec<Diagnostic>) {
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
