//! Printing diagnostics and summaries in the chosen format.

use super::ReportArgs;
use dpol::diag::render::{
    render_github, render_human, render_json, render_sarif, ErrorFormat, HumanStyle,
};
use dpol::diag::{Diagnostic, Severity};
use dpol::source::SourceMap;

/// Prints diagnostics to stderr (JSON, SARIF and GitHub commands to stdout,
/// the latter two with the summary on stderr, unless the command's report
/// takes stdout) and returns true when they fail the run (errors, or
/// warnings with `--deny-warnings`).
pub fn report(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    args: ReportArgs,
    verb: &str,
) -> bool {
    report_with(sources, diagnostics, args, (verb, sources.len()), None)
}

/// [`report`] for `files` files (the sources may hold more: deployed files
/// a diagnostic points into), with `also` after the file count of the
/// summary ("compiled 4 files, read 7 deployed files: no problems").
pub fn report_with(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    args: ReportArgs,
    (verb, files): (&str, usize),
    also: Option<&str>,
) -> bool {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let machine = |text: String| {
        if args.stdout_taken {
            eprint!("{text}");
        } else {
            print!("{text}");
        }
    };
    match args.error_format {
        ErrorFormat::Json => machine(render_json(sources, diagnostics)),
        ErrorFormat::Sarif => {
            machine(render_sarif(sources, diagnostics));
            eprintln!("{}", summary(files, errors, warnings, verb, also));
        }
        ErrorFormat::Github => {
            machine(render_github(sources, diagnostics));
            eprintln!("{}", summary(files, errors, warnings, verb, also));
        }
        format => {
            let style = match (format, args.color) {
                (ErrorFormat::Plain, _) => HumanStyle::Plain,
                (_, color) if color.enabled(&std::io::stderr()) => HumanStyle::Color,
                _ => HumanStyle::Snippets,
            };
            eprint!("{}", render_human(sources, diagnostics, style));
            eprintln!("{}", summary(files, errors, warnings, verb, also));
        }
    }
    errors > 0 || (args.deny_warnings && warnings > 0)
}

fn summary(files: usize, errors: usize, warnings: usize, verb: &str, also: Option<&str>) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let counts = match (errors, warnings) {
        (0, 0) => "no problems".to_string(),
        (e, 0) => plural(e, "error"),
        (0, w) => plural(w, "warning"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    };
    match also {
        Some(also) => format!("{verb} {}, {also}: {counts}", plural(files, "file")),
        None => format!("{verb} {}: {counts}", plural(files, "file")),
    }
}
