//! Renderers: every output format is drawn from the same [`Diagnostic`]s.
//!
//! Source snippets use codespan-reporting rather than miette: a dpol program is
//! several files, and a duplicate definition points at two of them at once.
//! codespan-reporting takes labels in any file of one `Files` database, while a
//! miette report holds a single source; it also renders deterministically
//! without a global hook, which the golden tests rely on.

mod github;
mod human;
pub(crate) mod json;
mod locate;
mod sarif;

pub use github::{escape_data, escape_property, render_github};
pub use human::{render_human, HumanStyle};
pub use json::render_json;
pub use locate::{locate, Location};
pub use sarif::render_sarif;

use crate::diag::Diagnostic;
use crate::source::{SourceMap, Span};

/// `--error-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ErrorFormat {
    /// Source snippets with labels (colored on a terminal).
    Human,
    /// One line per diagnostic, `file:line:col: severity[CODE]: message`.
    Plain,
    /// One JSON document (schema in docs/diagnostics-json.md).
    Json,
    /// A SARIF 2.1.0 log for GitHub code scanning, on stdout (docs/ci.md).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::…`), on stdout.
    Github,
}

/// The message followed by its notes and help, one per line: the text of a
/// SARIF result and of a GitHub annotation.
fn full_message(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    for note in &d.notes {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    text
}

/// A file name as given, with `/` separators and no leading `./`: the form
/// GitHub matches against repository paths.
fn slash_path(name: &str) -> String {
    let mut path = name.replace(std::path::MAIN_SEPARATOR, "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.trim_start_matches('/').to_string();
    }
    path
}

/// Like [`locate`], but with columns in UTF-16 code units (1-based, end
/// exclusive), the unit SARIF consumers and GitHub use.
fn locate_utf16(sources: &SourceMap, span: Span) -> Option<Location> {
    let file = sources.get(span.file)?;
    let (line, column) = utf16_line_col(&file.text, span.start as usize);
    let (end_line, end_column) = utf16_line_col(&file.text, span.end as usize);
    Some(Location {
        file: slash_path(&file.name),
        line,
        column,
        end_line,
        end_column,
    })
}

/// 1-based line and UTF-16 column of a byte offset (clamped to the text and
/// moved back to a character boundary).
fn utf16_line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = before
        .get(line_start..)
        .map_or(0, |s| s.encode_utf16().count());
    (line, column + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "ab\né😀x\n";
        assert_eq!(utf16_line_col(text, 0), (1, 1));
        assert_eq!(utf16_line_col(text, 3), (2, 1));
        // é is one UTF-16 unit, 😀 two: x is at column 4 (3 in characters).
        let x = text.find('x').unwrap_or_default();
        assert_eq!(utf16_line_col(text, x), (2, 4));
        assert_eq!(utf16_line_col(text, x + 1), (2, 5));
        // Inside 😀: moved back to its start.
        assert_eq!(utf16_line_col(text, x - 2), (2, 2));
        assert_eq!(utf16_line_col(text, 999), (3, 1));
    }

    #[test]
    fn slash_paths() {
        assert_eq!(slash_path("./policies/a.dpol"), "policies/a.dpol");
        assert_eq!(slash_path(".//a.dpol"), "a.dpol");
        assert_eq!(slash_path("policies/a.dpol"), "policies/a.dpol");
        assert_eq!(slash_path("/abs/a.dpol"), "/abs/a.dpol");
    }
}
