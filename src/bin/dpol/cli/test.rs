//! `dpol test [PATHS]`: every `expect` line evaluated against the compiled
//! program (or `--against` deployed documents). Exit 0 when all pass, 1 when
//! one fails, 2 when the program or a deployed input cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{output, ReportArgs, SourceArgs};
use dpol::diag::render::ErrorFormat;
use dpol::diag::Diagnostic;
use dpol::expect::{self, Report, Suite};
use dpol::source::SourceMap;

#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// `.dpol` files, or directories searched for them. Several form one program.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Also list the grants no expectation exercised (no request they
    /// compiled to decided).
    #[arg(long)]
    pub coverage: bool,
    /// Evaluate deployed documents instead of the compiled ones: AWS CLI
    /// outputs or a `dpol build` directory, as `dpol diff --against` reads them.
    #[arg(long, num_args = 1..)]
    pub against: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
}

const FAILED: u8 = 1;
const ERROR: u8 = 2;

pub fn run(args: &TestArgs) -> ExitCode {
    let source_args = SourceArgs {
        paths: args.paths.clone(),
        stdin_filename: None,
        with_directory: false,
        report: args.report,
    };
    let (compiled, suite) = match super::compile_with(&source_args, |model, _| Suite::of(model)) {
        Ok(compiled) => compiled,
        Err(_) => return ExitCode::from(ERROR),
    };
    let mut sources = compiled.sources;
    let fail = |sources: &SourceMap, diagnostics: &[Diagnostic]| {
        output::report(sources, diagnostics, args.report, "tested");
        ExitCode::from(ERROR)
    };
    let deployed = if args.against.is_empty() {
        None
    } else {
        match super::diff::read_against(&args.against) {
            Ok(deployed) => Some(deployed.docs),
            Err(unreadable) => {
                let d = unreadable.into_diagnostic(&mut sources);
                return fail(&sources, &[d]);
            }
        }
    };
    let now = dpol::iam::eval::now();
    let report = match expect::evaluate(&suite, compiled.documents, deployed, &sources, &now) {
        Ok(done) => done,
        Err(diagnostics) => return fail(&sources, &diagnostics),
    };
    let program: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
    let human = matches!(
        args.report.error_format,
        ErrorFormat::Human | ErrorFormat::Plain
    );
    let failures = expect::failures(&suite, &report, &program);
    let listing = listing(&sources, &suite, &report);
    let failed = report
        .outcomes
        .iter()
        .filter(|o| !o.failures.is_empty())
        .count()
        + report
            .assertions
            .iter()
            .filter(|a| a.counterexample.is_some())
            .count();
    let passed = report.outcomes.len() + report.assertions.len() - failed;
    let mut summary = format!("{passed} passed, {failed} failed\n");
    if args.coverage {
        summary.push_str(&coverage(&sources, &suite, &report));
    }
    if human {
        print!("{listing}");
        if !failures.is_empty() {
            output::report(&sources, &failures, args.report, "tested");
        }
        print!("{summary}");
    } else {
        // The machine format owns stdout; the listing goes to stderr.
        output::report(&sources, &failures, args.report, "tested");
        eprint!("{listing}{summary}");
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(FAILED)
    }
}

/// One line per expectation and assertion: `ok` or `FAIL`, where, the
/// line itself and how many requests it took.
fn listing(sources: &SourceMap, suite: &Suite, report: &Report) -> String {
    let mut listing = String::new();
    let mut line = |ok: bool, span, requests: usize| {
        let status = if ok { "ok  " } else { "FAIL" };
        let requests = match requests {
            1 => "1 request".to_string(),
            n => format!("{n} requests"),
        };
        listing.push_str(&format!(
            "{status} {}  {}  ({requests})\n",
            location(sources, span),
            one_line(sources.slice(span))
        ));
    };
    for (x, outcome) in suite.expectations.iter().zip(&report.outcomes) {
        line(outcome.failures.is_empty(), x.span, outcome.requests);
    }
    for (a, checked) in suite.assertions.iter().zip(&report.assertions) {
        line(checked.counterexample.is_none(), a.span, checked.requests);
    }
    listing
}

/// `--coverage`: how many grants the expectations exercised, and each one
/// they did not.
fn coverage(sources: &SourceMap, suite: &Suite, report: &Report) -> String {
    let uncovered = expect::uncovered(suite, sources, &report.decided);
    let mut out = format!(
        "coverage: {} of {} grants exercised\n",
        suite.grants.len() - uncovered.len(),
        suite.grants.len()
    );
    for span in uncovered {
        out.push_str(&format!(
            "  not exercised: {}  {}\n",
            location(sources, span),
            one_line(sources.slice(span))
        ));
    }
    out
}

/// `product-catalog.dpol:58`.
fn location(sources: &SourceMap, span: dpol::source::Span) -> String {
    dpol::iam::source_refs(sources, &[span])
        .first()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// A statement on one line: its continuation lines joined.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
