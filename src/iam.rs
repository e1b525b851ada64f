//! IAM knowledge about policy documents, in one place: the one document
//! type ([`Document`]), the kinds of document and their size limits
//! ([`DocKind`]), the typed policy shape dpol writes
//! ([`Policy`], [`Statement`]), the condition operators (`operator`), the
//! policy grammar every reader checks (`grammar`) and the rules dpol's own
//! output follows per kind (`emitted`), and an evaluator of policy
//! documents against requests ([`eval`]). `emit` builds these documents,
//! `diff` reads, normalizes and compares them.
//!
//! What each action means and which verbs name it is the catalogue's
//! ([`crate::catalog`]).

mod document;
pub(crate) mod emitted;
pub mod eval;
pub(crate) mod grammar;
mod kind;
pub(crate) mod operator;
mod policy;
mod table_arn;

pub use document::{source_refs, Document, SourceRef};
pub use kind::{resource_policy_name, DocKind, SizeLimit, GOVERNANCE_SCP_NAME};
pub use policy::{action, add_condition, Conditions, Effect, Policy, Statement, Strings, VERSION};
pub use table_arn::{account_of, table_of};
