//! Terminal rendering with source snippets (codespan-reporting), and the plain
//! one-line form.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, termcolor, Config, Styles, StylesWriter};

use super::locate;
use crate::diag::{Diagnostic, Severity};
use crate::source::{FileId, SourceMap};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
/// How [`render_human`] prints.
pub enum HumanStyle {
    /// Snippets without color (files, golden tests, pipes).
    Snippets,
    /// Snippets with ANSI color (a terminal).
    Color,
    /// One line per diagnostic.
    Plain,
}

/// Renders diagnostics for people. Deterministic for a given style.
pub fn render_human(sources: &SourceMap, diagnostics: &[Diagnostic], style: HumanStyle) -> String {
    if style == HumanStyle::Plain {
        return diagnostics.iter().map(|d| plain_line(sources, d)).collect();
    }
    let config = Config::default();
    // Each diagnostic renders on its own: a large program's thousands of
    // warnings are rendered in chunks on every core, joined in order.
    crate::parallel::chunks(diagnostics, |chunk| {
        let mut out = String::new();
        for diagnostic in chunk {
            let converted = to_codespan(diagnostic);
            let rendered = match style {
                HumanStyle::Color => render_color(&config, sources, &converted),
                _ => term::emit_into_string(&config, sources, &converted).ok(),
            };
            // A span outside its file cannot happen for spans dpol made; fall
            // back to the plain line rather than lose the diagnostic.
            out.push_str(&rendered.unwrap_or_else(|| plain_line(sources, diagnostic)));
        }
        out
    })
    .concat()
}

fn render_color(
    config: &Config,
    sources: &SourceMap,
    diagnostic: &cs::Diagnostic<FileId>,
) -> Option<String> {
    let mut buffer = termcolor::Buffer::ansi();
    let styles = Styles::default();
    let mut writer = StylesWriter::new(&mut buffer, &styles);
    term::emit_to_write_style(&mut writer, config, sources, diagnostic).ok()?;
    String::from_utf8(buffer.into_inner()).ok()
}

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let labels = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let style = if i == 0 {
                cs::LabelStyle::Primary
            } else {
                cs::LabelStyle::Secondary
            };
            cs::Label::new(style, l.span.file, l.span.range()).with_message(&l.message)
        })
        .collect();
    let mut notes: Vec<String> = d.notes.iter().map(|n| format!("note: {n}")).collect();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn plain_line(sources: &SourceMap, d: &Diagnostic) -> String {
    let place = d
        .primary_span()
        .and_then(|s| locate(sources, s))
        .map(|l| format!("{}:{}:{}: ", l.file, l.line, l.column))
        .unwrap_or_default();
    let help = d
        .help
        .as_ref()
        .map(|h| format!(" (help: {h})"))
        .unwrap_or_default();
    format!(
        "{place}{}[{}]: {}{help}\n",
        severity_word(d.severity),
        d.code,
        d.message
    )
}
