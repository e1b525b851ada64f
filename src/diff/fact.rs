//! What a line of the access delta is about, in structured form: the
//! statement it changes and the element, so that the change can be said in
//! the program's words (see [`super::words`]) and not only in IAM's.

/// The subject of one delta line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fact {
    /// The statement's effect (`Allow`, `Deny`), empty for a document-level line.
    pub(crate) effect: String,
    /// The statement's actions and resources, canonical (lower-case actions).
    pub(crate) actions: Vec<String>,
    pub(crate) resources: Vec<String>,
    /// The IAM principals the statement names (`Principal.AWS`), for a
    /// resource policy's statement; empty otherwise.
    pub(crate) principals: Vec<String>,
    pub(crate) what: What,
}

/// The element a delta line changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum What {
    /// Anything not listed below: an operator swap, a value IAM cannot
    /// order, a Version, an event rule, items within a wildcard.
    #[default]
    Other,
    /// The whole statement.
    Statement {
        added: bool,
    },
    Actions {
        added: bool,
        items: Vec<String>,
    },
    Resources {
        added: bool,
        items: Vec<String>,
    },
    /// Values of one `operator key` entry (lower-case key).
    Values {
        key: String,
        operator: String,
        added: bool,
        values: Vec<String>,
    },
    /// A numeric or date bound that moved.
    Bound {
        key: String,
        operator: String,
        old: String,
        new: String,
    },
    /// A whole `operator key values` entry added or dropped.
    Condition {
        key: String,
        operator: String,
        added: bool,
        values: Vec<String>,
    },
    /// What the document attaches to.
    Attachment {
        added: bool,
        targets: Vec<String>,
    },
}

impl Fact {
    /// A fact about no particular statement.
    pub(crate) fn about(what: What) -> Fact {
        Fact {
            what,
            ..Fact::default()
        }
    }
}
