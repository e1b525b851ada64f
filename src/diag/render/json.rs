//! `--error-format json`: one JSON document, schema in docs/diagnostics-json.md.

use serde::Serialize;

use super::{locate, Location};
use crate::diag::{Diagnostic, Severity};
use crate::source::SourceMap;

/// `format_version` of `--error-format json`: bumped when the shape changes
/// incompatibly (format 1 named it `version`).
pub const FORMAT_VERSION: u64 = 2;

/// `--error-format json`: every diagnostic of a run, with its code,
/// severity, places, notes, help and machine-applicable fixes.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(title = "dpol diagnostics")]
struct Report<'a> {
    /// The format of this document (2): bumped when its shape changes
    /// incompatibly.
    #[schemars(extend("const" = 2))]
    format_version: u64,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize, schemars::JsonSchema)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: Severity,
    message: &'a str,
    file: Option<String>,
    /// For a diagnostic about a JSON input: where in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    json_path: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end: Option<Position>,
    labels: Vec<JsonLabel<'a>>,
    notes: &'a [String],
    help: Option<&'a str>,
    fixes: Vec<JsonFix<'a>>,
}

/// An edit that resolves the diagnostic: replace the span's text.
#[derive(Serialize, schemars::JsonSchema)]
struct JsonFix<'a> {
    #[serde(flatten)]
    location: Location,
    start_offset: u32,
    end_offset: u32,
    replacement: &'a str,
}

#[derive(Serialize, schemars::JsonSchema)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize, schemars::JsonSchema)]
struct JsonLabel<'a> {
    primary: bool,
    message: &'a str,
    #[serde(flatten)]
    location: Location,
    start_offset: u32,
    end_offset: u32,
}

/// Renders `--error-format json`: one JSON document with every diagnostic, its place and its fixes, and the counts.
pub fn render_json(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let report = Report {
        format_version: FORMAT_VERSION,
        diagnostics: diagnostics.iter().map(|d| convert(sources, d)).collect(),
        errors: count(diagnostics, Severity::Error),
        warnings: count(diagnostics, Severity::Warning),
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

fn convert<'a>(sources: &SourceMap, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let primary = d.primary_span().and_then(|s| locate(sources, s));
    let labels = d
        .labels
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            Some(JsonLabel {
                primary: i == 0,
                message: &l.message,
                location: locate(sources, l.span)?,
                start_offset: l.span.start,
                end_offset: l.span.end,
            })
        })
        .collect();
    JsonDiagnostic {
        code: d.code.as_str(),
        severity: d.severity,
        message: &d.message,
        file: primary
            .as_ref()
            .map(|l| l.file.clone())
            .or_else(|| d.input.as_ref().map(|place| place.file.clone())),
        json_path: d.input.as_ref().map(|place| place.json_path.as_str()),
        line: primary.as_ref().map(|l| l.line),
        column: primary.as_ref().map(|l| l.column),
        end: primary.as_ref().map(|l| Position {
            line: l.end_line,
            column: l.end_column,
        }),
        labels,
        notes: &d.notes,
        help: d.help.as_deref(),
        fixes: d
            .fixes
            .iter()
            .filter_map(|f| {
                Some(JsonFix {
                    location: locate(sources, f.span)?,
                    start_offset: f.span.start,
                    end_offset: f.span.end,
                    replacement: &f.replacement,
                })
            })
            .collect(),
    }
}

/// The JSON Schema of `--error-format json`.
pub(crate) fn schema() -> schemars::Schema {
    crate::schema::of::<Report<'static>>()
}
