//! Renderers: every output format is drawn from the same [`Diagnostic`]s.
//!
//! Source snippets use codespan-reporting rather than miette: a dpol program is
//! several files, and a duplicate definition points at two of them at once.
//! codespan-reporting takes labels in any file of one `Files` database, while a
//! miette report holds a single source; it also renders deterministically
//! without a global hook, which the golden tests rely on.

mod human;
mod json;
mod locate;

pub use human::{render_human, HumanStyle};
pub use json::render_json;
pub use locate::{locate, Location};

/// `--error-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ErrorFormat {
    /// Source snippets with labels (colored on a terminal).
    Human,
    /// One line per diagnostic, `file:line:col: severity[CODE]: message`.
    Plain,
    /// One JSON document (schema in docs/diagnostics-json.md).
    Json,
}
