//! Errors of the readers: what is wrong, in which file, at which JSON path.

use std::fmt;

use crate::diag::{Code, Diagnostic};
pub use crate::json::ErrorKind;
use crate::json::{JsonPath, Problem};
use crate::source::{SourceMap, Span};

/// An input that cannot be read, naming the file and the JSON path of the culprit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffError {
    /// What is wrong: unreadable, not JSON, a value of the wrong type, a policy that breaks the grammar, …
    pub kind: ErrorKind,
    /// The file (or other origin) as the caller named it.
    pub origin: String,
    /// Where in that file: `$.Policies[2].PolicyVersionList[0].Document`; `$` for the whole file.
    pub json_path: String,
    /// Lowercase, no final period.
    pub message: String,
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.origin, self.json_path, self.message)
    }
}

impl std::error::Error for DiffError {}

impl DiffError {
    /// The error as a diagnostic of its code. Given the text of its file,
    /// the file joins `sources` and the diagnostic points at the JSON path
    /// in it (line and column, with a snippet); else it names file and path
    /// in its message only.
    pub fn to_diagnostic(&self, text: Option<&str>, sources: &mut SourceMap) -> Diagnostic {
        let message = self.to_string();
        let span = text.and_then(|text| {
            let range = super::json_locate::locate(text, &self.json_path)?;
            // The value's first line: a whole document would print whole.
            let line_end = text[range.start..]
                .find('\n')
                .map_or(text.len(), |n| range.start + n);
            let end = range.end.min(line_end).max(range.start + 1);
            let id = sources.add(self.origin.clone(), None, text.to_string());
            Some(Span::new(id, range.start, end))
        });
        let label = match self.kind {
            ErrorKind::DuplicateKey => "this key is in this object twice",
            ErrorKind::InvalidJson => "the JSON text",
            _ => "here",
        };
        match span {
            Some(span) => Diagnostic::new(self.kind.code(), span, message).label(label),
            None => Diagnostic::global(self.kind.code(), message),
        }
    }

    /// A file that could not be read at all (`diagnostic` from the loader:
    /// I/O, file type or size), as an error about `origin`.
    pub(crate) fn unreadable(origin: &str, diagnostic: &Diagnostic) -> DiffError {
        let kind = match diagnostic.code {
            Code::NotRegularFile => ErrorKind::NotRegularFile,
            Code::FileTooLarge => ErrorKind::TooLarge,
            _ => ErrorKind::Io,
        };
        DiffError {
            kind,
            origin: origin.to_string(),
            json_path: JsonPath::ROOT.to_string(),
            message: diagnostic.message.clone(),
        }
    }
}

impl Problem {
    /// The problem as an error about the file `origin`.
    pub(crate) fn in_file(self, origin: &str) -> DiffError {
        DiffError {
            kind: self.kind,
            origin: origin.to_string(),
            json_path: self.json_path,
            message: self.message,
        }
    }
}
