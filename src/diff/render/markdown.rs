//! The Markdown PR comment (conventions of editors-ci.md §6c): a hidden
//! marker so CI updates its own comment, a headline with the counts and a
//! broadening warning, the access changes in the program's words as a table
//! (with their source lines), the IAM-level delta as a table, then each JSON
//! diff in a collapsed `<details>` block with a `diff` fence.
//!
//! The comment stays under GitHub's 65,536-character limit, with room for a
//! footer the caller adds: the access table stops at a quarter, the IAM table
//! at half, the diffs share what is left, and whatever does not fit is cut with a visible note. Sizes are
//! counted in bytes, never fewer than characters.

use crate::diff::report::{DiffReport, Direction, DocDiff, Status};

/// The hidden marker that identifies dpol's comment.
pub const MARKDOWN_MARKER: &str = "<!-- dpol-diff -->";

/// GitHub's limit on a comment body, in characters.
pub const MARKDOWN_LIMIT: usize = 65_536;

/// Room left under the limit for the caller's footer (version, commits, run link).
const FOOTER_ROOM: usize = 1_024;
/// What the comment itself may take.
const BUDGET: usize = MARKDOWN_LIMIT - FOOTER_ROOM;
/// Where the access-changes table stops.
const ACCESS_BUDGET: usize = BUDGET / 4;
/// Where the IAM-level delta table stops.
const TABLE_BUDGET: usize = BUDGET / 2;
/// Source lines named per access change before "+N more".
const SOURCE_LINES: usize = 3;
/// Room kept for a truncation note.
const NOTE_ROOM: usize = 200;
/// Characters of a table cell before it is cut.
const CELL_CHARS: usize = 300;
/// Names listed per status before "+N more".
const LISTED_NAMES: usize = 20;

/// The report as a sticky PR comment.
pub fn render_markdown(report: &DiffReport) -> String {
    let summary = report.summary();
    let mut out = format!("{MARKDOWN_MARKER}\n");
    if !report.has_changes() {
        out.push_str(&format!(
            "### dpol diff: no policy changes\n\n{} ({})\n",
            summary.headline(),
            report.inputs.line()
        ));
        return out;
    }
    if summary.broadens > 0 {
        out.push_str(&format!(
            "### ⚠️ dpol diff — {} — broadens access\n\n> [!WARNING]\n> {} change(s) broaden access: review them before merging.\n\n",
            summary.headline(),
            summary.broadens
        ));
    } else {
        out.push_str(&format!("### dpol diff — {}\n\n", summary.headline()));
    }
    out.push_str(&format!("*{}*\n\n", report.inputs.line()));
    push_access_table(&mut out, report);
    push_delta_table(&mut out, report);
    push_name_lists(&mut out, report);
    push_diffs(&mut out, report);
    if out.len() > BUDGET {
        out.truncate(floor_char_boundary(&out, BUDGET - NOTE_ROOM));
        out.push_str("\n\n*… cut here to fit a GitHub comment: run `dpol diff` for the rest.*\n");
    }
    out
}

/// The access changes in the program's words, with their source lines.
fn push_access_table(out: &mut String, report: &DiffReport) {
    let changes = report.access_changes();
    if changes.is_empty() {
        return;
    }
    out.push_str("| | Access change | Source |\n|---|---|---|\n");
    for (shown, (_, change)) in changes.iter().enumerate() {
        let sources: Vec<String> = change
            .sources
            .iter()
            .take(SOURCE_LINES)
            .map(|s| code_cell(&s.to_string()))
            .collect();
        let mut sources = sources.join(", ");
        if change.sources.len() > SOURCE_LINES {
            sources.push_str(&format!(" (+{} more)", change.sources.len() - SOURCE_LINES));
        }
        let row = format!(
            "| {} | {} | {} |\n",
            risk(change.direction),
            cell(&change.text),
            sources
        );
        if out.len() + row.len() + NOTE_ROOM > ACCESS_BUDGET {
            out.push_str(&format!(
                "\n*… {} more access changes not shown: run `dpol diff` for all of them.*\n",
                changes.len() - shown
            ));
            break;
        }
        out.push_str(&row);
    }
    out.push('\n');
}

fn risk(direction: Direction) -> &'static str {
    match direction {
        Direction::Broadens => "⚠️ **broadens**",
        Direction::Review => "review",
        Direction::Narrows => "narrows",
    }
}

fn push_delta_table(out: &mut String, report: &DiffReport) {
    let delta = report.access_delta();
    if delta.is_empty() {
        return;
    }
    out.push_str("**IAM-level delta**\n\n| | Document | Where | Change |\n|---|---|---|---|\n");
    for (shown, (doc, line)) in delta.iter().enumerate() {
        let row = format!(
            "| {} | {} | {} | {} |\n",
            risk(line.direction),
            cell(&doc.label()),
            cell(&line.scope),
            cell(&line.change)
        );
        if out.len() + row.len() + NOTE_ROOM > TABLE_BUDGET {
            out.push_str(&format!(
                "\n*… {} more changes not shown: run `dpol diff` for all of them.*\n",
                delta.len() - shown
            ));
            break;
        }
        out.push_str(&row);
    }
    out.push('\n');
}

fn push_name_lists(out: &mut String, report: &DiffReport) {
    let lists = [
        (Status::Added, "Added"),
        (Status::Removed, "Removed"),
        (
            Status::Unmanaged,
            "Unmanaged (not written by dpol, not compared)",
        ),
    ];
    for (status, title) in lists {
        let names: Vec<String> = report
            .documents
            .iter()
            .filter(|doc| doc.status == status)
            .map(|doc| cell(&doc.label()))
            .collect();
        if names.is_empty() {
            continue;
        }
        let mut line = format!(
            "**{title}:** {}",
            names[..names.len().min(LISTED_NAMES)].join(", ")
        );
        if names.len() > LISTED_NAMES {
            line.push_str(&format!(" (+{} more)", names.len() - LISTED_NAMES));
        }
        out.push_str(&line);
        out.push_str("\n\n");
    }
}

/// Each diff in a `<details>` block; the blocks share the budget left, a
/// block's unused share passing on to the next.
fn push_diffs(out: &mut String, report: &DiffReport) {
    let with_diff: Vec<(&DocDiff, &str)> = report
        .documents
        .iter()
        .filter_map(|doc| Some((doc, doc.diff.as_deref()?)))
        .collect();
    for (i, (doc, diff)) in with_diff.iter().enumerate() {
        let share = BUDGET.saturating_sub(out.len() + NOTE_ROOM) / (with_diff.len() - i);
        match details_block(doc, diff, share) {
            Some(block) => out.push_str(&block),
            None => {
                out.push_str(&format!(
                    "*… {} more JSON diffs not shown: run `dpol diff` for them.*\n",
                    with_diff.len() - i
                ));
                return;
            }
        }
    }
}

/// The diff of `doc` in a collapsed block of at most `budget` bytes, cut at a
/// line with a note if needed; `None` if not even the frame fits.
fn details_block(doc: &DocDiff, diff: &str, budget: usize) -> Option<String> {
    let fence = "`".repeat(longest_backtick_run(diff).max(2) + 1);
    let summary = format!("<code>{}</code> — JSON diff", html_escape(&doc.label()));
    let frame = format!(
        "<details><summary>{summary} (cut)</summary>\n\n{fence}diff\n{fence}\n\n</details>\n\n"
    );
    let room = budget.checked_sub(frame.len() + NOTE_ROOM)?;
    let mut body = String::new();
    let total = diff.lines().count();
    let mut shown = 0;
    for line in diff.lines() {
        if body.len() + line.len() + 1 > room {
            break;
        }
        body.push_str(line);
        body.push('\n');
        shown += 1;
    }
    let (summary, note) = if shown < total {
        (
            format!("{summary} (cut)"),
            format!(
                "*… {} more lines not shown: run `dpol diff` locally or see the job summary.*\n\n",
                total - shown
            ),
        )
    } else {
        (summary, String::new())
    };
    Some(format!(
        "<details><summary>{summary}</summary>\n\n{fence}diff\n{body}{fence}\n\n{note}</details>\n\n"
    ))
}

/// A table cell: cut to [`CELL_CHARS`], on one line, Markdown punctuation escaped.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        if i == CELL_CHARS {
            out.push('…');
            break;
        }
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// `text` as a code span in a table cell: on one line, no backtick, pipes escaped.
fn code_cell(text: &str) -> String {
    let inner: String = text
        .chars()
        .map(|c| match c {
            '`' => '\'',
            '\n' | '\r' => ' ',
            c => c,
        })
        .collect();
    format!("`{}`", inner.replace('|', "\\|"))
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// The largest char boundary of `text` at or below `index`.
fn floor_char_boundary(text: &str, index: usize) -> usize {
    (0..=index.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}
