//! Terminal output: the summary line, the access changes in the program's
//! words (broadening first, marked ⚠, with their source lines), the same at
//! the IAM level, the documents added, removed or changed, the unmanaged
//! ones, then each unified diff.

use crate::diff::report::{DiffReport, Direction, Status};

use anstyle::{AnsiColor, Style};

const BOLD: Style = Style::new().bold();
const RED: Style = AnsiColor::Red.on_default();
const GREEN: Style = AnsiColor::Green.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const CYAN: Style = AnsiColor::Cyan.on_default();
const BOLD_RED: Style = AnsiColor::Red.on_default().bold();
/// Source lines named per access change before "+N more".
const SOURCE_LINES: usize = 3;

/// The report for a terminal; `color` adds ANSI colors.
pub fn render_terminal(report: &DiffReport, color: bool) -> String {
    let paint = |style: Style, text: &str| {
        if color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    };
    let summary = report.summary();
    let mut lines = vec![paint(BOLD, &summary.headline()), report.inputs.line()];
    if summary.broadens > 0 {
        lines.push(paint(
            BOLD_RED,
            &format!("⚠ {} change(s) broaden access", summary.broadens),
        ));
    }

    let marker = |direction: Direction| match direction {
        Direction::Broadens => paint(BOLD_RED, "⚠ broadens"),
        Direction::Review => paint(YELLOW, "  review  "),
        Direction::Narrows => paint(GREEN, "  narrows "),
    };
    let changes = report.access_changes();
    if !changes.is_empty() {
        lines.push(String::new());
        lines.push("Access changes:".to_string());
        for (_, change) in changes {
            lines.push(format!(
                "  {}  {}",
                marker(change.direction),
                change.line(SOURCE_LINES)
            ));
        }
    }
    let delta = report.access_delta();
    if !delta.is_empty() {
        lines.push(String::new());
        lines.push("IAM-level delta:".to_string());
        for (doc, line) in delta {
            lines.push(format!(
                "  {}  {}: {}: {}",
                marker(line.direction),
                doc.label(),
                line.scope,
                line.change
            ));
        }
    }

    documents_section(report, &mut lines);

    for diff in report
        .documents
        .iter()
        .filter_map(|doc| doc.diff.as_deref())
    {
        lines.push(String::new());
        lines.extend(diff.lines().map(|line| match line.as_bytes().first() {
            _ if line.starts_with("+++") || line.starts_with("---") => paint(BOLD, line),
            Some(b'+') => paint(GREEN, line),
            Some(b'-') => paint(RED, line),
            Some(b'@') => paint(CYAN, line),
            _ => line.to_string(),
        }));
    }
    lines.join("\n") + "\n"
}

/// The documents added, removed or changed (with their notes), and the
/// unmanaged ones dpol leaves alone.
fn documents_section(report: &DiffReport, lines: &mut Vec<String>) {
    let listed: Vec<_> = report
        .documents
        .iter()
        .filter(|doc| {
            matches!(
                doc.status,
                Status::Added | Status::Removed | Status::Changed
            )
        })
        .collect();
    if !listed.is_empty() {
        lines.push(String::new());
        lines.push("Documents:".to_string());
        for doc in listed {
            lines.push(format!("  {:<8} {}", doc.status.as_str(), doc.label()));
            lines.extend(doc.notes.iter().map(|note| format!("           {note}")));
        }
    }
    let unmanaged: Vec<String> = report
        .documents
        .iter()
        .filter(|doc| doc.status == Status::Unmanaged)
        .map(|doc| doc.label())
        .collect();
    if !unmanaged.is_empty() {
        lines.push(String::new());
        lines.push(format!(
            "Unmanaged (not written by dpol, not compared): {}",
            unmanaged.join(", ")
        ));
    }
}
