//! Errors of the readers: what is wrong, in which file, at which JSON path.

use std::fmt;

use super::json_path::JsonPath;
use crate::diag::{Code, Diagnostic};
use crate::source::{SourceMap, Span};

/// What kind of problem a [`DiffError`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A file could not be read.
    Io,
    /// The file is not JSON, or is cut short.
    InvalidJson,
    /// A string that should hold a policy or event pattern as JSON text does not.
    EmbeddedNotJson,
    /// The top level matches no AWS CLI output that dpol reads.
    UnknownShape,
    /// A recognized AWS CLI output that holds no policy document
    /// (`list-policies`, `list-roots`, …).
    NoPolicyContent,
    /// An element dpol never emits (`NotPrincipal`, `NotResource`) or that no
    /// policy grammar has.
    UnsupportedElement,
    /// A value of the wrong JSON type: a number where a list is expected.
    WrongType,
    /// A required member is absent.
    MissingField,
    /// A value of the right type that is not allowed (`"Effect": "Permit"`).
    InvalidValue,
    /// What a document attaches to cannot be worked out (SCP targets, table ARN).
    UnresolvedAttachment,
    /// An object with the same key twice (JSON parsers keep one silently).
    DuplicateKey,
    /// Part of the output is missing: a page of paginated output, or a
    /// `--filter` that left out what other parts refer to.
    Incomplete,
    /// A managed policy without exactly one default version, or whose
    /// `DefaultVersionId` contradicts `IsDefaultVersion`.
    DefaultVersion,
    /// A file that is a FIFO, device or socket.
    NotRegularFile,
    /// A file over the size limit (`DPOL_MAX_FILE_BYTES`).
    TooLarge,
}

impl ErrorKind {
    /// The diagnostic code of an error of this kind.
    pub fn code(self) -> Code {
        match self {
            ErrorKind::NotRegularFile => Code::NotRegularFile,
            ErrorKind::TooLarge => Code::FileTooLarge,
            ErrorKind::DuplicateKey => Code::DuplicateKey,
            ErrorKind::Incomplete => Code::IncompleteOutput,
            ErrorKind::DefaultVersion => Code::DefaultVersion,
            _ => Code::DeployedUnreadable,
        }
    }
}

/// An input that cannot be read, naming the file and the JSON path of the culprit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffError {
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

/// A [`DiffError`] before it knows its file: what the readers of one JSON
/// value return, completed with [`Problem::in_file`] by their caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    kind: ErrorKind,
    json_path: String,
    message: String,
}

impl Problem {
    pub(crate) fn new(kind: ErrorKind, at: &JsonPath, message: impl Into<String>) -> Problem {
        Problem {
            kind,
            json_path: at.to_string(),
            message: message.into(),
        }
    }

    /// A problem at a path already rendered (`$.Policy.Content.Statement[0]`).
    pub(crate) fn at_path(
        kind: ErrorKind,
        json_path: String,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            kind,
            json_path,
            message: message.into(),
        }
    }

    pub(crate) fn in_file(self, origin: &str) -> DiffError {
        DiffError {
            kind: self.kind,
            origin: origin.to_string(),
            json_path: self.json_path,
            message: self.message,
        }
    }
}
