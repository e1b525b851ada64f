//! `dpol diff`: the compiled program against what is deployed, a previous
//! build, or the program at another git revision. Exit codes follow
//! `git diff --exit-code` and `terraform plan -detailed-exitcode`: 0 no
//! changes, 2 changes, 1 error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use super::{output, SourceArgs};
use dpol::diag::{Code, Diagnostic};
use dpol::diff;
use dpol::iam::Document;
use dpol::source::SourceMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Summary, access delta and unified diffs (colored on a terminal).
    Terminal,
    /// A pull-request comment (sticky marker, collapsed diffs, under 65,536 characters).
    Markdown,
    /// For tools.
    Json,
}

#[derive(clap::Args, Debug)]
#[command(group(
    clap::ArgGroup::new("deployed")
        .args(["against", "base"])
        .required(true)
))]
pub struct DiffArgs {
    #[command(flatten)]
    pub sources: SourceArgs,
    /// What is deployed: AWS CLI JSON outputs (files or directories), a `dpol build`
    /// output directory, or `-` for one AWS CLI output on stdin.
    #[arg(long, num_args = 1..)]
    pub against: Vec<PathBuf>,
    /// Compare with the sources as they are at this git revision (`origin/main`).
    #[arg(long)]
    pub base: Option<String>,
    /// How the report is printed on stdout (diagnostics go to stderr).
    #[arg(long, value_enum, default_value_t = DiffFormat::Terminal)]
    pub format: DiffFormat,
}

const ERROR: u8 = 1;
const CHANGES: u8 = 2;

pub fn run(args: &DiffArgs) -> ExitCode {
    // The diff report owns stdout: diagnostics, even JSON or SARIF, go to stderr.
    let mut source_args = args.sources.clone();
    source_args.report.stdout_taken = true;
    let report_args = source_args.report;
    let dash = |paths: &[PathBuf]| paths.iter().any(|p| p == Path::new("-"));
    if (dash(&source_args.paths) || source_args.stdin_filename.is_some()) && dash(&args.against) {
        output::report(&SourceMap::new(), &[both_on_stdin()], report_args, "read");
        return ExitCode::from(ERROR);
    }
    let (compiled, program) = match super::compile_with(&source_args, diff::Program::of) {
        Ok(compiled) => compiled,
        Err(_) => return ExitCode::from(ERROR),
    };
    // The report says which side is compiled: the origin is the path alone.
    let ours = compiled
        .documents
        .iter()
        .map(|d| d.document(None, &compiled.sources))
        .collect::<Vec<_>>();
    let theirs = match deployed(args) {
        Ok(docs) => docs,
        Err(unreadable) => {
            let compiled_files = compiled.sources.len();
            let mut sources = compiled.sources;
            let mut diagnostics = compiled.diagnostics;
            diagnostics.push(unreadable.into_diagnostic(&mut sources));
            output::report_with(
                &sources,
                &diagnostics,
                report_args,
                ("compiled", compiled_files),
                None,
            );
            return ExitCode::from(ERROR);
        }
    };
    let inputs = diff::Inputs {
        source_files: compiled.sources.len(),
        deployed_files: theirs.files,
        revision: args.base.clone(),
    };
    output::report_with(
        &compiled.sources,
        &compiled.diagnostics,
        report_args,
        ("compiled", compiled.sources.len()),
        Some(&inputs.line()),
    );
    let context = diff::Context {
        program: Some(&program),
        base: theirs.program.as_ref(),
        deployed_is_dpol_output: theirs.dpol_output,
    };
    let mut report = diff::compare_in(&ours, &theirs.docs, &context);
    report.inputs = inputs;
    let text = match args.format {
        DiffFormat::Terminal => {
            let color = args.sources.report.color.enabled(&std::io::stdout());
            diff::render_terminal(&report, color)
        }
        DiffFormat::Markdown => diff::render_markdown(&report),
        DiffFormat::Json => diff::render_json(&report),
    };
    print!("{text}");
    if report.has_changes() {
        ExitCode::from(CHANGES)
    } else {
        ExitCode::SUCCESS
    }
}

/// The deployed side: its documents and how many files were read for them.
pub(super) struct Deployed {
    pub(super) docs: Vec<Document>,
    files: usize,
    /// Whether every document is dpol output (build directories, a revision).
    dpol_output: bool,
    /// The program at the revision (`--base`).
    program: Option<diff::Program>,
}

/// Why the deployed side cannot be read.
pub(super) enum Unreadable {
    Diagnostic(Diagnostic),
    /// A reader's error, with the text of its file when dpol has it.
    /// Boxed: a diagnostic and a text are large for an error variant.
    Input(Box<(Diagnostic, Option<String>)>),
}

impl Unreadable {
    /// The diagnostic; a reader's error points into its file, which joins
    /// `sources`.
    pub(super) fn into_diagnostic(self, sources: &mut SourceMap) -> Diagnostic {
        match self {
            Unreadable::Diagnostic(d) => d,
            Unreadable::Input(input) => match *input {
                (d, Some(text)) => diff::locate_in_input(d, &text, sources),
                (d, None) => d,
            },
        }
    }
}

impl From<Diagnostic> for Unreadable {
    fn from(d: Diagnostic) -> Unreadable {
        Unreadable::Diagnostic(d)
    }
}

fn deployed(args: &DiffArgs) -> Result<Deployed, Unreadable> {
    if let Some(rev) = &args.base {
        let (sources, diags) = crate::revision::load_revision(rev, &args.sources.paths)?;
        let (docs, program) = compile_revision(rev, &sources, diags)?;
        return Ok(Deployed {
            docs,
            files: sources.len(),
            dpol_output: true,
            program: Some(program),
        });
    }
    read_against(&args.against)
}

/// The documents of `--against`: AWS CLI outputs (files, directories of
/// `*.json`, `-` for stdin) and `dpol build` output directories.
pub(super) fn read_against(against: &[PathBuf]) -> Result<Deployed, Unreadable> {
    let limit = dpol::load::limit::max_file_bytes()?;
    let mut files: Vec<(String, String)> = Vec::new();
    let mut docs = Vec::new();
    let mut read = 0;
    for path in against {
        if path == Path::new("-") {
            files.push(("<stdin>".to_string(), read_stdin(limit)?));
        } else if path.join(dpol::emit::write::MANIFEST).is_file() {
            let build = diff::read_build_dir(path).map_err(|d| {
                let text = d.input.as_ref().and_then(|place| {
                    dpol::load::file::read_regular_text(Path::new(&place.file), limit).ok()
                });
                Unreadable::Input(Box::new((d, text)))
            })?;
            // The manifest and one file per document.
            read += build.len() + 1;
            docs.extend(build);
        } else if path.is_dir() {
            files.extend(json_files(path, limit)?);
        } else {
            let text = dpol::load::file::read_regular_text(path, limit)?;
            files.push((path.display().to_string(), text));
        }
    }
    let set: Vec<(&str, &str)> = files
        .iter()
        .map(|(o, t)| (o.as_str(), t.as_str()))
        .collect();
    docs.extend(read_files(&set)?);
    Ok(Deployed {
        docs,
        files: read + files.len(),
        // Only build directories: every document was written by dpol.
        dpol_output: files.is_empty() && !against.is_empty(),
        program: None,
    })
}

fn compile_revision(
    rev: &str,
    sources: &SourceMap,
    diags: Vec<Diagnostic>,
) -> Result<(Vec<Document>, diff::Program), Diagnostic> {
    if let Some(first) = diags.first() {
        return Err(revision_unreadable(format!(
            "the sources at `{rev}` cannot be read: {}",
            first.message
        )));
    }
    match dpol::compile_program(sources) {
        (Some((model, documents)), _) => Ok((
            documents
                .iter()
                .map(|d| d.document(Some(rev), sources))
                .collect(),
            diff::Program::of(&model, sources),
        )),
        (None, diags) => {
            let errors = diags
                .iter()
                .filter(|d| d.severity == dpol::diag::Severity::Error)
                .count();
            let plural = if errors == 1 { "" } else { "s" };
            Err(revision_unreadable(format!(
                "the sources at `{rev}` do not compile ({errors} error{plural}); run `dpol check` on that revision"
            )))
        }
    }
}

/// One AWS CLI output from standard input, at most `limit` bytes.
fn read_stdin(limit: u64) -> Result<String, Diagnostic> {
    dpol::load::file::utf8_text("standard input", dpol::load::read_stdin(limit)?)
}

/// Every `*.json` file of a directory (not recursive), sorted.
fn json_files(dir: &Path, limit: u64) -> Result<Vec<(String, String)>, Diagnostic> {
    let unreadable_dir =
        |e: std::io::Error| dpol::load::file::read_error(&dir.display().to_string(), &e);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(unreadable_dir)?
        .map(|e| e.map(|e| e.path()).map_err(unreadable_dir))
        .collect::<Result<Vec<_>, _>>()?;
    paths.retain(|p| p.extension().is_some_and(|x| x == "json"));
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = dpol::load::file::read_regular_text(&p, limit)?;
            Ok((p.display().to_string(), text))
        })
        .collect()
}

/// The documents of AWS CLI outputs `(origin, text)`.
fn read_files(set: &[(&str, &str)]) -> Result<Vec<Document>, Unreadable> {
    diff::read_deployed_set(set).map_err(|d| {
        let text = d.input.as_ref().and_then(|place| {
            set.iter()
                .find(|(origin, _)| *origin == place.file)
                .map(|(_, text)| text.to_string())
        });
        Unreadable::Input(Box::new((d, text)))
    })
}

/// E0105: the sources at a revision, the deployed side of the diff, cannot
/// be read or compiled (`what`: why).
fn revision_unreadable(what: String) -> Diagnostic {
    Diagnostic::global(Code::DeployedUnreadable, what)
}

/// E0104: the sources and a deployed input both from standard input, which
/// can be read once.
fn both_on_stdin() -> Diagnostic {
    Diagnostic::global(
        Code::ReadError,
        "cannot read both the sources and a deployed input from standard input",
    )
    .help("give one of them as a file")
}
