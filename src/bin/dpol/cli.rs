//! Command-line interface: one file per subcommand under `cli/`.
//!
//! Exit codes: 0 success; 1 the input has errors (or warnings with
//! `--deny-warnings`); 2 usage or I/O error. `dpol diff` follows
//! `terraform plan -detailed-exitcode`: 0 no changes, 2 changes, 1 any error
//! (usage errors included, so that 2 always means changes).

/// The exit code for a command line clap rejects.
pub fn usage_exit_code(args: &[String]) -> u8 {
    if args.get(1).is_some_and(|a| a == "diff") {
        1
    } else {
        2
    }
}

mod build;
mod check;
mod diff;
mod explain;
mod fmt;
mod generate;
mod output;
mod test;
mod why;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use dpol::diag::render::ErrorFormat;

#[derive(Parser, Debug)]
#[command(
    name = "dpol",
    version = env!("DPOL_VERSION"),
    about = "Policy-as-code compiler for Amazon DynamoDB access control"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and check programs; print diagnostics and a summary.
    Check {
        #[command(flatten)]
        args: SourceArgs,
    },
    /// Compile programs to policy documents and a manifest, written atomically.
    Build {
        #[command(flatten)]
        args: SourceArgs,
        /// Output directory, replaced as a whole on success, and only if it is dpol's
        /// output (a symbolic link is built into its target).
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
    },
    /// Rewrite `.dpol` files in the canonical layout (`--check`: show the diff, exit 1 if any).
    Fmt {
        #[command(flatten)]
        args: fmt::FmtArgs,
    },
    /// Compare the compiled program with what is deployed (exit 0 no changes, 2 changes, 1 error).
    Diff {
        #[command(flatten)]
        args: diff::DiffArgs,
    },
    /// Would AWS allow this request, and which statements decide? (exit 0 allowed, 1 denied, 2 error)
    Why {
        #[command(flatten)]
        args: Box<why::WhyArgs>,
    },
    /// Evaluate every `expect` line against the compiled program (exit 0 all pass, 1 a failure, 2 error).
    Test {
        #[command(flatten)]
        args: test::TestArgs,
    },
    /// Run the language server on standard input and output (for editors; see editors/README.md).
    Lsp {
        /// Accepted for clients that pass it (VS Code's language client does); stdio is
        /// the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Print the long explanation of a diagnostic code (`dpol explain E0201`).
    Explain {
        /// A code such as `E0201`; `--list` lists every code.
        code: Option<String>,
        #[arg(long)]
        list: bool,
    },
    /// Print a shell's completion script (`dpol completions bash > /etc/bash_completion.d/dpol`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page in roff: dpol(1), or dpol-SUBCOMMAND(1) (`dpol manpage check > dpol-check.1`).
    Manpage {
        /// The subcommand whose page to print.
        subcommand: Option<String>,
    },
}

/// Arguments shared by the commands that read sources.
#[derive(clap::Args, Debug, Clone)]
pub struct SourceArgs {
    /// `.dpol` files, or directories searched for them. Several form one program.
    /// `-` reads one file from standard input.
    #[arg(required_unless_present = "stdin_filename")]
    pub paths: Vec<PathBuf>,
    /// The file standard input stands for (an editor's unsaved buffer; implies
    /// `-`): diagnostics name it, and the other `.dpol` files of its directory
    /// are read from disk as the rest of its program.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Read each FILE with the other `.dpol` files of its directory (and
    /// below, as `dpol check DIR` reads it) as the rest of its program: a
    /// check of one changed file of a multi-file program (pre-commit, CI).
    #[arg(long)]
    pub with_directory: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(clap::Args, Debug, Clone, Copy)]
pub struct ReportArgs {
    /// Color in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
    /// Treat warnings as errors (exit 1).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Machine-readable diagnostics go to stderr, because the command's own
    /// report owns stdout (`dpol diff`). Not an option: set by the command.
    #[arg(skip)]
    pub stdout_taken: bool,
}

/// `--color`: `auto` colours a terminal unless `NO_COLOR` is set (and
/// colours any stream when `CLICOLOR_FORCE` is), as clap's own help does;
/// `always` and `never` override both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether output to `stream` is coloured.
    pub fn enabled(self, stream: &impl anstream::stream::RawStream) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => matches!(
                anstream::AutoStream::choice(stream),
                anstream::ColorChoice::Always | anstream::ColorChoice::AlwaysAnsi
            ),
        }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check { args } => check::run(&args),
        Command::Build { args, out } => build::run(&args, &out),
        Command::Fmt { args } => fmt::run(&args),
        Command::Diff { args } => diff::run(&args),
        Command::Why { args } => why::run(&args),
        Command::Test { args } => test::run(&args),
        Command::Lsp { stdio: _ } => crate::lsp::run(),
        Command::Explain { code, list } => explain::run(code.as_deref(), list),
        Command::Completions { shell } => generate::completions(shell),
        Command::Manpage { subcommand } => generate::manpage(subcommand.as_deref()),
    }
}

/// A program compiled to documents, with its sources and its warnings (not
/// yet printed, so that a later problem is reported in the same output).
pub struct Compiled {
    pub sources: dpol::source::SourceMap,
    pub documents: Vec<dpol::emit::Compiled>,
    pub diagnostics: Vec<dpol::diag::Diagnostic>,
}

/// Reads the program `args` name: its paths, standard input for `-` (or
/// with `--stdin-filename`).
fn load_sources(
    args: &SourceArgs,
) -> Result<(dpol::source::SourceMap, Vec<dpol::diag::Diagnostic>), dpol::diag::Diagnostic> {
    let dash = args.paths.iter().any(|p| p == std::path::Path::new("-"));
    let mut paths = args.paths.clone();
    if args.with_directory {
        // After the files themselves, their directories; a file named twice
        // is read once, at its first place.
        paths.extend(
            args.paths
                .iter()
                .filter(|p| *p != std::path::Path::new("-") && !p.is_dir())
                .map(|p| match p.parent() {
                    Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                    _ => PathBuf::from("."),
                }),
        );
    }
    if !dash && args.stdin_filename.is_none() {
        return dpol::load::load(&paths);
    }
    let bytes = dpol::load::read_stdin(dpol::load::limit::max_file_bytes()?)?;
    let stdin = dpol::load::Stdin {
        bytes,
        filename: args.stdin_filename.clone(),
    };
    dpol::load::load_with_stdin(&paths, Some(stdin))
}

/// Loads, checks and emits. On failure, prints the diagnostics and returns
/// the exit code: 1 when the input has errors (or warnings with
/// `--deny-warnings`), 2 when a source cannot be read.
fn compile(args: &SourceArgs) -> Result<Compiled, u8> {
    compile_with(args, |_, _| ()).map(|(compiled, ())| compiled)
}

/// [`compile`], also returning what `keep` takes from the checked model
/// before it is dropped.
fn compile_with<T>(
    args: &SourceArgs,
    keep: impl FnOnce(&dpol::Model, &dpol::source::SourceMap) -> T,
) -> Result<(Compiled, T), u8> {
    let (sources, diagnostics) = match load_sources(args) {
        Ok(loaded) => loaded,
        Err(d) => {
            output::report(&dpol::source::SourceMap::new(), &[d], args.report, "read");
            return Err(2);
        }
    };
    if !diagnostics.is_empty() {
        output::report(&sources, &diagnostics, args.report, "read");
        return Err(1);
    }
    let (compiled, diagnostics) = dpol::compile_program(&sources);
    match compiled {
        Some((model, documents)) if !args.report.deny_warnings || diagnostics.is_empty() => {
            let kept = keep(&model, &sources);
            drop(model);
            Ok((
                Compiled {
                    sources,
                    documents,
                    diagnostics,
                },
                kept,
            ))
        }
        _ => {
            output::report(&sources, &diagnostics, args.report, "compiled");
            Err(1)
        }
    }
}
