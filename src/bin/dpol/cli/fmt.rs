//! `dpol fmt`: rewrite `.dpol` files in the canonical layout
//! (`dpol::format`), or with `--check` show what would change.
//!
//! A file is rewritten only when it parses and its layout changes: the new
//! text goes to a temporary file beside it, which then replaces it (a
//! symbolic link keeps pointing where it did, and its target is rewritten);
//! a file that changed on disk since it was read is left alone.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dpol::diag::render::ErrorFormat;
use dpol::diag::{Code, Diagnostic};
use dpol::source::SourceMap;

use super::{output, Color, ReportArgs};

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// `.dpol` files, or directories searched for them. `-` formats standard
    /// input to standard output.
    #[arg(required_unless_present_any = ["stdin", "stdin_filename"])]
    pub paths: Vec<PathBuf>,
    /// Write nothing: print a diff of each file whose layout would change,
    /// and exit 1 if any would.
    #[arg(long)]
    pub check: bool,
    /// Format standard input to standard output (the path `-` does the same).
    #[arg(long)]
    pub stdin: bool,
    /// The file standard input stands for, in diagnostics and diffs (implies `--stdin`).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Color in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

pub fn run(args: &FmtArgs) -> ExitCode {
    // Standard output is the formatted text or the diffs: diagnostics,
    // machine-readable ones too, go to standard error.
    let report = ReportArgs {
        color: args.color,
        error_format: args.error_format,
        deny_warnings: false,
        stdout_taken: true,
    };
    let dash = args.paths.iter().any(|p| p == Path::new("-"));
    if args.stdin || args.stdin_filename.is_some() || dash {
        if args.paths.iter().any(|p| p != Path::new("-")) {
            eprintln!("error: `dpol fmt` formats either standard input or files, not both");
            return ExitCode::from(2);
        }
        return stdin(args, report);
    }
    let (sources, mut diagnostics) = match dpol::load::load(&args.paths) {
        Ok(loaded) => loaded,
        Err(d) => {
            output::report(&SourceMap::new(), &[d], report, "read");
            return ExitCode::from(2);
        }
    };
    // A file with an encoding problem is reported and never rewritten.
    let unreadable: Vec<_> = diagnostics
        .iter()
        .flat_map(|d| d.labels.iter().map(|l| l.span.file))
        .collect();
    let mut changed = 0;
    let mut failed_write = false;
    for (id, file) in sources.files() {
        if unreadable.contains(&id) {
            continue;
        }
        let formatted = match dpol::format(id, &file.text) {
            Ok(formatted) => formatted,
            Err(d) => {
                diagnostics.push(*d);
                continue;
            }
        };
        if formatted == file.text {
            continue;
        }
        changed += 1;
        if args.check {
            print_diff(&file.name, &file.text, &formatted);
        } else if let Some(path) = &file.path {
            if let Err(d) = replace(path, &file.text, &formatted) {
                diagnostics.push(d);
                failed_write = true;
            }
        }
    }
    let also = if args.check {
        format!("{changed} not formatted")
    } else {
        format!("{changed} reformatted")
    };
    let verb = if args.check {
        "checked the layout of"
    } else {
        "formatted"
    };
    let errors = output::report_with(
        &sources,
        &diagnostics,
        report,
        (verb, sources.len()),
        Some(&also),
    );
    if failed_write {
        ExitCode::from(2)
    } else if errors || (args.check && changed > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Standard input formatted to standard output (with `--check`: a diff, if
/// the layout would change, and exit 1).
fn stdin(args: &FmtArgs, report: ReportArgs) -> ExitCode {
    let bytes = match dpol::load::limit::max_file_bytes().and_then(dpol::load::read_stdin) {
        Ok(bytes) => bytes,
        Err(d) => {
            output::report(&SourceMap::new(), &[d], report, "read");
            return ExitCode::from(2);
        }
    };
    let name = args
        .stdin_filename
        .as_ref()
        .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string());
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    dpol::load::add_bytes(&mut sources, &mut diagnostics, name.clone(), None, bytes);
    let formatted = match sources.files().next() {
        Some((id, file)) if diagnostics.is_empty() => match dpol::format(id, &file.text) {
            Ok(formatted) => Some((formatted, file.text.as_str())),
            Err(d) => {
                diagnostics.push(*d);
                None
            }
        },
        _ => None,
    };
    let Some((formatted, text)) = formatted else {
        output::report(&sources, &diagnostics, report, "formatted");
        return ExitCode::from(1);
    };
    if args.check {
        if formatted == text {
            return ExitCode::SUCCESS;
        }
        print_diff(&name, text, &formatted);
        return ExitCode::from(1);
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(formatted.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            output::report(
                &SourceMap::new(),
                &[write_error("standard output", &e)],
                report,
                "wrote",
            );
            ExitCode::from(2)
        }
    }
}

/// A unified diff from the text on disk to the formatted text.
fn print_diff(name: &str, before: &str, after: &str) {
    let diff = similar::TextDiff::from_lines(before, after);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(name, &format!("{name} (formatted)"))
        .to_string();
    print!("{text}");
}

/// Replaces the file at `path`, read as `before`, with `after`: through a
/// temporary file in the same directory, renamed over it, with the file's
/// permissions. A symbolic link is followed (the link stays a link). Refused
/// when the file on disk is no longer what was read.
fn replace(path: &Path, before: &str, after: &str) -> Result<(), Diagnostic> {
    let name = path.display().to_string();
    let target = std::fs::canonicalize(path).map_err(|e| write_error(&name, &e))?;
    let on_disk = std::fs::read(&target).map_err(|e| write_error(&name, &e))?;
    let on_disk = on_disk.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&on_disk);
    if on_disk != before.as_bytes() {
        return Err(changed_on_disk(&name));
    }
    let permissions = std::fs::metadata(&target)
        .map_err(|e| write_error(&name, &e))?
        .permissions();
    let dir = target.parent().unwrap_or(Path::new("."));
    let file_name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{file_name}.dpol-fmt-{}", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(after.as_bytes())?;
        file.set_permissions(permissions)?;
        file.sync_all()?;
        std::fs::rename(&temp, &target)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        write_error(&name, &e)
    })
}

/// E0104: the formatted file `name` cannot be written.
fn write_error(name: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::global(Code::ReadError, format!("cannot write `{name}`: {e}"))
        .help("the file is left as it was")
}

/// E0104: `name` changed on disk after `dpol fmt` read it.
fn changed_on_disk(name: &str) -> Diagnostic {
    Diagnostic::global(
        Code::ReadError,
        format!("`{name}` changed on disk while it was being formatted; it is left as it is"),
    )
    .help("run `dpol fmt` again once nothing else is writing the file")
}
