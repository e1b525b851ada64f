//! Byte spans to 1-based lines and columns.

use crate::source::{SourceMap, Span};

/// A resolved place: file name and 1-based start/end line and column.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Location {
    /// The file's name, as shown in diagnostics.
    pub file: String,
    /// The 1-based line of the start.
    pub line: usize,
    /// The 1-based column of the start, in characters.
    pub column: usize,
    /// The 1-based line of the end.
    pub end_line: usize,
    /// The 1-based column of the end, in characters (exclusive).
    pub end_column: usize,
}

/// The place of `span` in `sources`; `None` for a span of no known file.
pub fn locate(sources: &SourceMap, span: Span) -> Option<Location> {
    let file = sources.get(span.file)?;
    let (line, column) = file.line_col(span.start as usize);
    let (end_line, end_column) = file.line_col(span.end as usize);
    Some(Location {
        file: file.name.clone(),
        line,
        column,
        end_line,
        end_column,
    })
}
