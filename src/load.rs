//! Reading sources: files and directories (every `*.dpol` below, sorted), with
//! encoding problems reported as diagnostics, never as panics.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};
use crate::source::{SourceMap, Span};

mod revision;

pub use revision::load_revision;

/// Reads every path into one [`SourceMap`]. Unreadable paths and non-UTF-8
/// files are reported; `Err` only for I/O problems (exit code 2).
pub fn load(paths: &[PathBuf]) -> Result<(SourceMap, Vec<Diagnostic>), Diagnostic> {
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files)?;
    }
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).map_err(|e| read_error(&path, &e))?;
        let name = path.display().to_string();
        add_bytes(&mut sources, &mut diags, name, Some(path), bytes);
    }
    Ok((sources, diags))
}

/// Adds one file's bytes, reporting invalid UTF-8 at the first bad byte.
pub fn add_bytes(
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
    name: String,
    path: Option<PathBuf>,
    bytes: Vec<u8>,
) {
    match String::from_utf8(bytes) {
        Ok(text) => {
            sources.add(name, path, text);
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let id = sources.add(name.clone(), path, text);
            diags.push(
                Diagnostic::new(
                    Code::InvalidEncoding,
                    Span::new(id, at, at + 1),
                    format!("`{name}` is not UTF-8 text (invalid byte at offset {at})"),
                )
                .label("invalid UTF-8")
                .help("dpol sources are UTF-8 text; is this a binary file?"),
            );
        }
    }
}

fn read_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::global(
        Code::ReadError,
        format!("cannot read `{}`: {e}", path.display()),
    )
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| read_error(path, &e))?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| read_error(path, &e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, out)?;
        } else if entry.extension().is_some_and(|x| x == "dpol") {
            out.push(entry);
        }
    }
    Ok(())
}
