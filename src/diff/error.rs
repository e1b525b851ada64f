//! Errors of the readers as diagnostics: what is wrong, in which file, at
//! which JSON path; and how such a diagnostic comes to point into its file.

use crate::diag::{Diagnostic, InputPlace};
use crate::json::{InputProblem, JsonPath, Problem};
use crate::source::{SourceMap, Span};

/// A reader's error: a diagnostic of the kind's code about `origin` at
/// `json_path`, its message naming both (`iam.json: $.Policies[0]: …`).
pub(crate) fn input_error(
    kind: InputProblem,
    origin: &str,
    json_path: &str,
    message: &str,
) -> Diagnostic {
    Diagnostic::global(kind.code(), format!("{origin}: {json_path}: {message}")).in_input(
        InputPlace {
            problem: kind,
            file: origin.to_string(),
            json_path: json_path.to_string(),
        },
    )
}

/// A file that could not be read at all (`diagnostic` from the loader:
/// I/O, file type or size), as an error about `origin`.
pub(crate) fn unreadable(origin: &str, diagnostic: Diagnostic) -> Diagnostic {
    let message = diagnostic.message.clone();
    let kind = match diagnostic.code {
        crate::diag::Code::NotRegularFile => InputProblem::NotRegularFile,
        crate::diag::Code::FileTooLarge => InputProblem::TooLarge,
        _ => InputProblem::Io,
    };
    input_error(kind, origin, &JsonPath::ROOT.to_string(), &message)
}

impl Problem {
    /// The problem as an error about the file `origin`.
    pub(crate) fn in_file(self, origin: &str) -> Diagnostic {
        input_error(self.kind, origin, &self.json_path, &self.message)
    }
}

/// `diagnostic`, about a JSON input whose text is `text`, pointing at its
/// JSON path in that text: the file joins `sources`, and the diagnostic
/// gains a primary label on the value's first line (a snippet when
/// rendered). A diagnostic that is not about a JSON input, or whose path
/// is not in the text, is returned as it is.
pub fn locate_in_input(diagnostic: Diagnostic, text: &str, sources: &mut SourceMap) -> Diagnostic {
    let Some(place) = diagnostic.input.as_deref() else {
        return diagnostic;
    };
    let Some(range) = super::json_locate::locate(text, &place.json_path) else {
        return diagnostic;
    };
    // The value's first line: a whole document would print whole.
    let line_end = text[range.start..]
        .find('\n')
        .map_or(text.len(), |n| range.start + n);
    let end = range.end.min(line_end).max(range.start + 1);
    let label = place.label();
    let id = sources.add(place.file.clone(), None, text.to_string());
    let mut located = diagnostic;
    located.labels.insert(
        0,
        crate::diag::Label {
            span: Span::new(id, range.start, end),
            message: label.to_string(),
        },
    );
    located
}
