//! Renderers of a [`DiffReport`](super::DiffReport): terminal text, a
//! Markdown PR comment, JSON.

pub(crate) mod json;
mod markdown;
mod terminal;

pub use json::render_json;
pub use markdown::{render_markdown, MARKDOWN_LIMIT, MARKDOWN_MARKER};
pub use terminal::render_terminal;
