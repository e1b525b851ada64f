//! `--error-format github`: GitHub Actions workflow commands, one line per
//! diagnostic, which the runner turns into annotations on the pull request:
//!
//! ```text
//! ::error file=policies/a.dpol,line=6,col=11,endLine=6,endColumn=17,title=E0201::unknown table `Orderz`%0Ahelp: did you mean `Orders`?
//! ```
//!
//! Escaping follows the runner (and `@actions/core`): in the message `%`, CR
//! and LF become `%25`, `%0D`, `%0A`; property values also escape `:` and `,`.
//! Columns are UTF-16 code units, end exclusive, like SARIF; they are left out
//! when a span covers several lines, which annotations do not support.

use super::{full_message, locate_utf16};
use crate::diag::{Diagnostic, Severity};
use crate::source::SourceMap;

/// Renders every diagnostic as a workflow command line. Deterministic.
pub fn render_github(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| command(sources, d)).collect()
}

fn command(sources: &SourceMap, d: &Diagnostic) -> String {
    let name = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = Vec::new();
    if let Some(at) = d.primary_span().and_then(|s| locate_utf16(sources, s)) {
        properties.push(("file", at.file.clone()));
        properties.push(("line", at.line.to_string()));
        if at.line == at.end_line {
            properties.push(("col", at.column.to_string()));
        }
        properties.push(("endLine", at.end_line.to_string()));
        if at.line == at.end_line {
            properties.push(("endColumn", at.end_column.to_string()));
        }
    } else if let Some(place) = &d.input {
        properties.push(("file", place.file.clone()));
    }
    properties.push(("title", d.code.as_str().to_string()));
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    format!(
        "::{name} {}::{}\n",
        properties.join(","),
        escape_data(&annotation_text(sources, d))
    )
}

/// The message, notes and help, then where the secondary labels point.
fn annotation_text(sources: &SourceMap, d: &Diagnostic) -> String {
    let mut text = full_message(d);
    for label in d.labels.iter().skip(1) {
        if let Some(at) = locate_utf16(sources, label.span) {
            text.push_str(&format!("\n{}:{}:{}: ", at.file, at.line, at.column));
            text.push_str(if label.message.is_empty() {
                "see also"
            } else {
                &label.message
            });
        }
    }
    text
}

/// Escapes a workflow command's message: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a workflow command's property value: as [`escape_data`], plus `:`
/// and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::source::Span;

    #[test]
    fn escapes_data_exactly() {
        assert_eq!(escape_data("plain text"), "plain text");
        assert_eq!(
            escape_data("100% safe\r\nnext: a, b"),
            "100%25 safe%0D%0Anext: a, b"
        );
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_data("::error::x"), "::error::x");
    }

    #[test]
    fn escapes_properties_exactly() {
        assert_eq!(
            escape_property("E0201: unknown, name 100%\n"),
            "E0201%3A unknown%2C name 100%25%0A"
        );
        assert_eq!(escape_property("a%3Ab"), "a%253Ab");
        assert_eq!(escape_property("dir,x/a:b.dpol"), "dir%2Cx/a%3Ab.dpol");
    }

    fn program() -> (SourceMap, Span, Span) {
        let mut sources = SourceMap::new();
        let id = sources.add(
            "./policies/a,b.dpol",
            None,
            "role App in prod\nApp reads Orderz\nrole App in prod\n".to_string(),
        );
        (sources, Span::new(id, 27, 33), Span::new(id, 5, 8))
    }

    #[test]
    fn error_annotation_with_location_and_help() {
        let (sources, orderz, _) = program();
        let d = Diagnostic::new(Code::UnknownName, orderz, "unknown table `Orderz`")
            .help("did you mean `Orders`?");
        assert_eq!(
            render_github(&sources, &[d]),
            "::error file=policies/a%2Cb.dpol,line=2,col=11,endLine=2,endColumn=17,title=E0201\
             ::unknown table `Orderz`%0Ahelp: did you mean `Orders`?\n"
        );
    }

    #[test]
    fn warning_with_notes_and_secondary_label() {
        let (sources, orderz, first) = program();
        let d = Diagnostic::new(Code::FullAdmin, orderz, "50% of it")
            .note("a note")
            .secondary(first, "first defined here");
        assert_eq!(
            render_github(&sources, &[d]),
            "::warning file=policies/a%2Cb.dpol,line=2,col=11,endLine=2,endColumn=17,title=W0004\
             ::50%25 of it%0Anote: a note%0Apolicies/a,b.dpol:1:6: first defined here\n"
        );
    }

    #[test]
    fn global_diagnostic_has_no_location() {
        let d = Diagnostic::global(Code::ReadError, "cannot read `x`: No such file");
        assert_eq!(
            render_github(&SourceMap::new(), &[d]),
            "::error title=E0104::cannot read `x`: No such file\n"
        );
    }

    #[test]
    fn json_input_without_its_text_names_the_file() {
        let d = Diagnostic::global(Code::DeployedUnreadable, "iam.json: $.Policies: bad").in_input(
            crate::diag::InputPlace {
                problem: crate::diag::InputProblem::WrongType,
                file: "iam.json".into(),
                json_path: "$.Policies".into(),
            },
        );
        assert_eq!(
            render_github(&SourceMap::new(), &[d]),
            "::error file=iam.json,title=E0105::iam.json: $.Policies: bad\n"
        );
    }

    #[test]
    fn multi_line_span_has_no_columns() {
        let (sources, orderz, first) = program();
        let d = Diagnostic::new(Code::SyntaxError, first.to(orderz), "spans lines");
        assert_eq!(
            render_github(&sources, &[d]),
            "::error file=policies/a%2Cb.dpol,line=1,endLine=2,title=E0101::spans lines\n"
        );
    }
}
