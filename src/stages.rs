//! The pipeline one stage at a time, for benchmarks and tools that need a
//! stage alone: [`parse`] every file, [`check`] the parsed program, then
//! [`crate::emit::emit`] the model. [`crate::compile`] runs them all.

use crate::ast;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Model;
use crate::source::{FileId, SourceMap};

/// A program's files, parsed: what [`parse`] gives and [`check`] takes.
pub struct Parsed {
    files: Vec<(FileId, ast::File)>,
}

/// Parses every file of `sources` (in parallel, large files in pieces).
/// pest does not recover, so each file gives at most one error; `Err` has
/// one per file that does not parse.
pub fn parse(sources: &SourceMap) -> Result<Parsed, Vec<Diagnostic>> {
    let texts: Vec<(FileId, &str)> = sources
        .files()
        .map(|(id, file)| (id, file.text.as_str()))
        .collect();
    let mut files = Vec::with_capacity(texts.len());
    let mut errors = Vec::new();
    for ((id, _), parsed) in texts.iter().zip(crate::syntax::parse_files(&texts)) {
        match parsed {
            Ok(parsed) => files.push((*id, parsed)),
            Err(d) => errors.push(*d),
        }
    }
    if errors.is_empty() {
        Ok(Parsed { files })
    } else {
        Err(errors)
    }
}

/// Checks the parsed program: names, values, policy semantics and lints,
/// each problem into `diags`. The model comes back when there is no error.
pub fn check(parsed: &Parsed, diags: &mut Diagnostics) -> Option<Model> {
    crate::check::check(&parsed.files, diags)
}
