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

/// Parsed files kept from one check of a program to the next, for a program
/// that changes a file at a time (the language server): a file whose text
/// is the same, at the same place in the program, is not parsed again.
#[derive(Default)]
pub struct ParseCache {
    /// By file id: the text parsed, and what parsing it gave.
    files: Vec<Option<(String, Result<ast::File, Diagnostic>)>>,
}

impl ParseCache {
    /// Parses the files of `sources` that changed since the last call, and
    /// then checks the program with `check` (the parsed files lent to it),
    /// or returns every file's syntax error.
    pub fn check<T>(
        &mut self,
        sources: &SourceMap,
        check: impl FnOnce(&Parsed) -> T,
    ) -> Result<T, Vec<Diagnostic>> {
        let texts: Vec<(FileId, &str)> = sources
            .files()
            .map(|(id, file)| (id, file.text.as_str()))
            .collect();
        self.files.resize_with(texts.len(), || None);
        let stale: Vec<(FileId, &str)> = texts
            .iter()
            .copied()
            .filter(|(id, text)| {
                self.files
                    .get(id.0 as usize)
                    .and_then(Option::as_ref)
                    .is_none_or(|(old, _)| old != text)
            })
            .collect();
        for ((id, text), parsed) in stale.iter().zip(crate::syntax::parse_files(&stale)) {
            if let Some(slot) = self.files.get_mut(id.0 as usize) {
                *slot = Some((text.to_string(), parsed.map_err(|d| *d)));
            }
        }
        let errors: Vec<Diagnostic> = self
            .files
            .iter()
            .flatten()
            .filter_map(|(_, parsed)| parsed.as_ref().err().cloned())
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        // Lend the files to the checker, and take them back.
        let mut parsed = Parsed {
            files: Vec::with_capacity(texts.len()),
        };
        for (i, slot) in self.files.iter_mut().enumerate() {
            if let Some((_, Ok(file))) = slot {
                let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
                parsed.files.push((id, std::mem::take(file)));
            }
        }
        let result = check(&parsed);
        for (id, file) in parsed.files {
            if let Some(Some((_, Ok(slot)))) = self.files.get_mut(id.0 as usize) {
                *slot = file;
            }
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(files: &[&str]) -> SourceMap {
        let mut sources = SourceMap::new();
        for (i, text) in files.iter().enumerate() {
            sources.add(format!("f{i}.dpol"), None, text.to_string());
        }
        sources
    }

    /// The cached check gives what the plain one gives, through changes,
    /// syntax errors, and files that come and go.
    #[test]
    fn a_cached_check_is_the_plain_check() {
        let accounts =
            "account prod = 111122223333\nregion us-east-1\ntable T in prod { key id: number }\n";
        let steps: [&[&str]; 6] = [
            &[accounts, "user u in prod\nu reads T\n"],
            &[accounts, "user u in prod\nu raeds T\n"],
            &[accounts, "user u in prod\nu reads Q\n"],
            &["region us-east-1\n", "user u in prod\nu reads T\n"],
            &["user u in prod\nu reads T\n"],
            &[accounts, "user u in prod\nu reads T\n", "u writes T\n"],
        ];
        let mut cache = ParseCache::default();
        for files in steps {
            let sources = program(files);
            let plain = crate::check_program(&sources);
            let cached = crate::check_program_cached(&sources, &mut cache);
            assert_eq!(cached.diagnostics, plain.diagnostics, "{files:?}");
            assert_eq!(cached.model.is_some(), plain.model.is_some(), "{files:?}");
            // Twice with nothing changed: the same again.
            let again = crate::check_program_cached(&sources, &mut cache);
            assert_eq!(again.diagnostics, plain.diagnostics, "{files:?}");
        }
    }
}
