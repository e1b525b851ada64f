//! What is wrong in a JSON value, and where: the error of every typed read
//! ([`super::fields`]) and of the policy grammar ([`crate::iam::grammar`]),
//! completed with its file by the caller ([`crate::diff::DiffError`]).

use super::path::JsonPath;
use crate::diag::Code;

/// What kind of problem a [`Problem`] (and a [`crate::diff::DiffError`]) reports.
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

/// A problem before it knows its file: what the readers of one JSON value
/// return, completed with its file by their caller
/// ([`crate::diff::DiffError`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub(crate) kind: ErrorKind,
    pub(crate) json_path: String,
    pub(crate) message: String,
}

impl Problem {
    pub(crate) fn new(kind: ErrorKind, at: &JsonPath, message: impl Into<String>) -> Problem {
        Problem {
            kind,
            json_path: at.to_string(),
            message: message.into(),
        }
    }

    /// What kind of problem it is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Where: `$.Statement[0].Condition`.
    pub fn json_path(&self) -> &str {
        &self.json_path
    }

    /// What is wrong (lowercase, no final period).
    pub fn message(&self) -> &str {
        &self.message
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
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.json_path, self.message)
    }
}
