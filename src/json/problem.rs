//! What is wrong in a JSON value, and where: the error of every typed read
//! ([`super::fields`]) and of the policy grammar ([`crate::iam::grammar`]),
//! completed with its file by the caller (a diagnostic about a JSON input).

use super::path::JsonPath;
pub use crate::diag::InputProblem;

/// A problem before it knows its file: what the readers of one JSON value
/// return, completed with its file by their caller
/// (a diagnostic about a JSON input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub(crate) kind: InputProblem,
    pub(crate) json_path: String,
    pub(crate) message: String,
}

impl Problem {
    pub(crate) fn new(kind: InputProblem, at: &JsonPath, message: impl Into<String>) -> Problem {
        Problem {
            kind,
            json_path: at.to_string(),
            message: message.into(),
        }
    }

    /// What kind of problem it is.
    pub fn kind(&self) -> InputProblem {
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
        kind: InputProblem,
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
