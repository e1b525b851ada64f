//! The surface syntax tree: exactly what was written, spanned, nothing resolved.
//! Produced by `syntax`, consumed by `check`. No pest types appear here.

use crate::source::Span;
pub use crate::vocab::{IndexScope, PrincipalKind, RoleUse, Verb};

/// A piece of text from the source with its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

pub type Name = Spanned<String>;

/// One parsed file.
#[derive(Clone, Debug, Default)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug)]
pub enum Item {
    Org(OrgDecl),
    Ou(OuDecl),
    Account(AccountDecl),
    Region(RegionDecl),
    Vpc(VpcDecl),
    Endpoint(EndpointDecl),
    Principal(PrincipalDecl),
    Table(TableDecl),
    AllTables(AllTablesDecl),
    PerimeterRole(PerimeterRoleDecl),
    Alert(AlertDecl),
    Grant(Grant),
    Expect(Expect),
    Assert(Assert),
}

#[derive(Clone, Debug)]
pub struct OrgDecl {
    pub id: Name,
    #[expect(
        dead_code,
        reason = "the syntax tree keeps every node's span and each keyword's spelling for tools that point into or print the source (issue 15: fmt, the language server); the checker reads only some"
    )]
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct OuDecl {
    pub name: Name,
    pub id: Name,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct AccountDecl {
    pub name: Name,
    pub id: Name,
    pub ou: Option<Name>,
    pub management: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct RegionDecl {
    pub region: Name,
    #[expect(
        dead_code,
        reason = "the syntax tree keeps every node's span and each keyword's spelling for tools that point into or print the source (issue 15: fmt, the language server); the checker reads only some"
    )]
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct VpcDecl {
    pub name: Name,
    pub id: Name,
    pub account: Option<Name>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct EndpointDecl {
    pub name: Name,
    pub id: Name,
    pub vpc: Option<Name>,
    pub rules: Option<Vec<EndpointRule>>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum EndpointRule {
    /// `allow [verbs] TABLE|*`, `allow can ACTIONS [on] TABLE|*`
    Allow {
        verbs: Vec<Spanned<Verb>>,
        /// `can ACTIONS`: catalogue action names and patterns.
        actions: Vec<Name>,
        target: TableTarget,
        span: Span,
    },
    /// `from grants`: also what the `via` grants through the endpoint allow.
    FromGrants { span: Span },
    /// `only role App`, `only user alice`, `only group g`
    OnlyPrincipal {
        kind: PrincipalKind,
        name: Name,
        span: Span,
    },
    /// `only account prod`
    OnlyAccount { name: Name, span: Span },
    /// `only org`
    OnlyOrg { span: Span },
}

#[derive(Clone, Debug)]
pub struct PrincipalDecl {
    pub kind: PrincipalKind,
    pub name: Name,
    pub arn: Option<Name>,
    pub account: Option<Name>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct TableDecl {
    pub name: Name,
    pub account: Option<Name>,
    pub private: Option<PrivateClause>,
    pub items: Vec<TableItem>,
    pub span: Span,
}

/// `table * private to …`: every table of the scope's accounts.
#[derive(Clone, Debug)]
pub struct AllTablesDecl {
    pub private: PrivateClause,
    pub span: Span,
}

/// Which policies carry a perimeter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// `scp`: a service control policy for the principals of the scope.
    Scp,
    /// `rcp`: a resource control policy for the resources of the scope.
    Rcp,
    /// `resource`: the table's own resource-based policy.
    Resource,
}

impl Layer {
    #[expect(
        dead_code,
        reason = "the syntax tree keeps every node's span and each keyword's spelling for tools that point into or print the source (issue 15: fmt, the language server); the checker reads only some"
    )]
    pub fn keyword(self) -> &'static str {
        match self {
            Layer::Scp => "scp",
            Layer::Rcp => "rcp",
            Layer::Resource => "resource",
        }
    }
}

/// `private to vpc-x, gw in prod, staging [enforced by scp, rcp] [strict]`
#[derive(Clone, Debug)]
pub struct PrivateClause {
    pub to: Vec<Name>,
    pub scope: Vec<Name>,
    /// `enforced by …`, as written (empty: the default).
    pub layers: Vec<Spanned<Layer>>,
    /// `strict`: no exceptions for AWS services.
    pub strict: Option<Span>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    String,
    Number,
    Binary,
}

impl KeyType {
    #[expect(
        dead_code,
        reason = "the syntax tree keeps every node's span and each keyword's spelling for tools that point into or print the source (issue 15: fmt, the language server); the checker reads only some"
    )]
    pub fn keyword(self) -> &'static str {
        match self {
            KeyType::String => "string",
            KeyType::Number => "number",
            KeyType::Binary => "binary",
        }
    }
}

#[derive(Clone, Debug)]
pub enum TableItem {
    Key {
        name: Name,
        ty: Spanned<KeyType>,
        span: Span,
    },
    Sort {
        name: Name,
        ty: Spanned<KeyType>,
        span: Span,
    },
    Attrs {
        names: Vec<Name>,
        #[expect(
            dead_code,
            reason = "the syntax tree keeps every node's span and each keyword's spelling for tools that point into or print the source (issue 15: fmt, the language server); the checker reads only some"
        )]
        span: Span,
    },
    Index {
        /// `global` or `local`; `None` when neither was written (E0415).
        scope: Option<Spanned<IndexScope>>,
        name: Name,
        keys: Vec<Name>,
        span: Span,
    },
    /// `encrypted with kms ARN, …` (one key per region of the table), or
    /// `encrypted with kms aws/dynamodb` (the AWS managed key: no ARNs).
    Kms { arns: Vec<Name>, span: Span },
    /// `replicas eu-west-1, ap-southeast-2`
    Replicas { regions: Vec<Name>, span: Span },
}

/// `breakglass role Emergency [in prod | = ARN] [managed by SecurityAdmin]`
#[derive(Clone, Debug)]
pub struct PerimeterRoleDecl {
    pub role_use: RoleUse,
    pub name: Name,
    pub arn: Option<Name>,
    pub account: Option<Name>,
    /// `managed by P1, P2`: the principals that may still change the role.
    pub managed_by: Vec<Name>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct AlertDecl {
    pub actions: Vec<Name>,
    pub table: Option<TableTarget>,
    pub target: Name,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum TableTarget {
    All(Span),
    Named(Name),
}

impl TableTarget {
    #[expect(
        dead_code,
        reason = "the syntax tree keeps every node's span and each keyword's spelling for tools that point into or print the source (issue 15: fmt, the language server); the checker reads only some"
    )]
    pub fn span(&self) -> Span {
        match self {
            TableTarget::All(span) => *span,
            TableTarget::Named(name) => name.span,
        }
    }
}

#[derive(Clone, Debug)]
pub enum GrantAction {
    /// `reads, writes`
    Verbs(Vec<Spanned<Verb>>),
    /// `cannot read`
    Deny(Vec<Spanned<Verb>>),
    /// `cannot DeleteTable`
    DenyActions(Vec<Name>),
    /// `can GetItem, Query`
    Actions(Vec<Name>),
}

#[derive(Clone, Debug)]
pub struct Grant {
    pub principal: Name,
    pub action: GrantAction,
    pub table: Option<TableTarget>,
    pub clauses: Vec<Clause>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum KeyValue {
    Number(String),
    String(String),
    Prefix(String),
    Variable(String),
}

#[derive(Clone, Debug)]
pub enum KeySet {
    Range {
        low: Spanned<KeyValue>,
        high: Spanned<KeyValue>,
    },
    Values(Vec<Spanned<KeyValue>>),
}

#[derive(Clone, Debug)]
pub enum ClauseKind {
    Keys(KeySet),
    Attrs(Vec<Name>),
    ExceptAttrs(Vec<Name>),
    /// `index ByOwner`
    Index(Name),
    Via(Name),
    FromIp(Vec<Name>),
    /// `from DATE`: the start of a time window.
    From(Name),
    Until(Name),
    WithMfa,
    /// `outside` (expectations only): from no VPC and no source address.
    Outside,
    /// `at TIME` (expectations only): when the request is made.
    At(Name),
}

impl ClauseKind {
    /// The clause as written, for messages: `keys`, `except attrs`.
    pub fn keyword(&self) -> &'static str {
        match self {
            ClauseKind::Keys(_) => "keys",
            ClauseKind::Attrs(_) => "attrs",
            ClauseKind::ExceptAttrs(_) => "except attrs",
            ClauseKind::Index(_) => "index",
            ClauseKind::Via(_) => "via",
            ClauseKind::FromIp(_) => "from ip",
            ClauseKind::From(_) => "from",
            ClauseKind::Until(_) => "until",
            ClauseKind::WithMfa => "with mfa",
            ClauseKind::Outside => "outside",
            ClauseKind::At(_) => "at",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Clause {
    pub kind: ClauseKind,
    pub span: Span,
}

/// What an expectation asks for: verbs or catalogue actions.
#[derive(Clone, Debug)]
pub enum ExpectWhat {
    /// `read`, `reads, writes`
    Verbs(Vec<Spanned<Verb>>),
    /// `GetItem, Query`, `kms:Decrypt`
    Actions(Vec<Name>),
}

/// `expect alice can read Books keys 101 attrs Id, Title`: a request (one
/// per action) and the outcome it must have.
#[derive(Clone, Debug)]
pub struct Expect {
    pub principal: Name,
    /// `can` (true) or `cannot`.
    pub allowed: bool,
    pub what: ExpectWhat,
    pub table: Option<TableTarget>,
    pub clauses: Vec<Clause>,
    pub span: Span,
}

/// A property `dpol test` checks over every principal, action and origin.
#[derive(Clone, Debug)]
pub enum Assert {
    /// `assert only A, B can X on T`; `assert nobody can X on T` (no one
    /// listed).
    Only {
        allowed: Vec<Name>,
        what: ExpectWhat,
        table: TableTarget,
        span: Span,
    },
    /// `assert P can only X on T [keys K]`
    CanOnly {
        principal: Name,
        what: ExpectWhat,
        table: TableTarget,
        keys: Option<(KeySet, Span)>,
        span: Span,
    },
    /// `assert T only via N, M [except P, Q]`
    Via {
        table: Name,
        via: Vec<Name>,
        /// Principals the property leaves out (break-glass, deployer roles).
        except: Vec<Name>,
        span: Span,
    },
}

impl Assert {
    #[expect(
        dead_code,
        reason = "the syntax tree keeps every node's span and each keyword's spelling for tools that point into or print the source (issue 15: fmt, the language server); the checker reads only some"
    )]
    pub fn span(&self) -> Span {
        match self {
            Assert::Only { span, .. } | Assert::CanOnly { span, .. } | Assert::Via { span, .. } => {
                *span
            }
        }
    }
}
