//! Byte spans to 1-based lines and columns.

use crate::source::{SourceMap, Span};

/// A resolved place: file name and 1-based start/end line and column.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

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
