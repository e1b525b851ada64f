//! The words of the language that the syntax tree and the model share: what
//! a principal is, which verbs there are, what an index or a perimeter role
//! is for. Below both [`crate::ast`] and [`crate::model`], so that the model
//! does not depend on the syntax tree.

/// A principal: an IAM user, role or group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalKind {
    User,
    Role,
    Group,
}

impl PrincipalKind {
    pub fn keyword(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Role => "role",
            PrincipalKind::Group => "group",
        }
    }
}

/// A global secondary index has its own partition key; a local one shares
/// the table's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexScope {
    Global,
    Local,
}

impl IndexScope {
    pub fn keyword(self) -> &'static str {
        match self {
            IndexScope::Global => "global",
            IndexScope::Local => "local",
        }
    }
}

/// What a role declared for the perimeters is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RoleUse {
    /// `breakglass`: exempt from every perimeter, for emergencies.
    Breakglass,
    /// `exempt`: a role an AWS service uses from AWS's network (a DAX
    /// cluster's role, an AWS Backup role), exempt from every perimeter.
    Exempt,
    /// `deployer`: may change private tables' resource policies from outside
    /// their networks (the pipeline that deploys them).
    Deployer,
}

impl RoleUse {
    pub fn keyword(self) -> &'static str {
        match self {
            RoleUse::Breakglass => "breakglass",
            RoleUse::Exempt => "exempt",
            RoleUse::Deployer => "deployer",
        }
    }
}

/// The verbs. Both `reads` and `read` spell [`Verb::Read`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verb {
    Read,
    Write,
    Update,
    Delete,
    Scan,
    Describe,
    Scale,
    Stream,
    Manage,
}

impl Verb {
    pub const ALL: [Verb; 9] = [
        Verb::Read,
        Verb::Write,
        Verb::Update,
        Verb::Delete,
        Verb::Scan,
        Verb::Describe,
        Verb::Scale,
        Verb::Stream,
        Verb::Manage,
    ];

    /// The third-person form used in grants: `reads`.
    pub fn keyword(self) -> &'static str {
        match self {
            Verb::Read => "reads",
            Verb::Write => "writes",
            Verb::Update => "updates",
            Verb::Delete => "deletes",
            Verb::Scan => "scans",
            Verb::Describe => "describes",
            Verb::Scale => "scales",
            Verb::Stream => "streams",
            Verb::Manage => "manages",
        }
    }

    /// The form used in expectations: `read` (the grammar takes both forms
    /// everywhere).
    pub fn singular(self) -> &'static str {
        let plural = self.keyword();
        &plural[..plural.len() - 1]
    }
}
