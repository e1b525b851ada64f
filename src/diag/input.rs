//! Diagnostics about JSON inputs (AWS CLI outputs, a build's manifest and
//! documents): what is wrong, in which file, at which JSON path.

use super::Code;

/// What is wrong with a JSON input; it decides the diagnostic code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputProblem {
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

impl InputProblem {
    /// The diagnostic code of an error of this kind.
    pub fn code(self) -> Code {
        match self {
            InputProblem::NotRegularFile => Code::NotRegularFile,
            InputProblem::TooLarge => Code::FileTooLarge,
            InputProblem::DuplicateKey => Code::DuplicateKey,
            InputProblem::Incomplete => Code::IncompleteOutput,
            InputProblem::DefaultVersion => Code::DefaultVersion,
            _ => Code::DeployedUnreadable,
        }
    }
}

/// A place in a JSON input: the file and the JSON path of the culprit, for
/// diagnostics about files that are not `.dpol` source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputPlace {
    /// What is wrong there.
    pub problem: InputProblem,
    /// The file (or `<stdin>`, a revision) as the user named it.
    pub file: String,
    /// Where in it: `$.Policies[2].PolicyVersionList[0].Document`; `$` for the whole file.
    pub json_path: String,
}

impl InputPlace {
    /// What a snippet of the file says at the place.
    pub fn label(&self) -> &'static str {
        match self.problem {
            InputProblem::DuplicateKey => "this key is in this object twice",
            InputProblem::InvalidJson => "the JSON text",
            _ => "here",
        }
    }
}
