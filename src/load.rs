//! Reading sources: files and directories (every `*.dpol` below, sorted; see
//! [`walk`]), each a regular file within the size limit (`file`,
//! [`limit`]), with encoding problems reported as diagnostics, never as
//! panics. A UTF-8 byte-order mark is dropped; a NUL byte is an error, shown
//! as `\0`.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};
use crate::source::{SourceMap, Span};

pub mod file;
pub mod limit;
pub mod walk;

/// Reads every path into one [`SourceMap`]. Files with encoding problems are
/// reported; `Err` for what stops the read (exit code 2): an unreadable path,
/// a FIFO, device or socket, a file over the size limit, a symbolic-link cycle.
pub fn load(paths: &[PathBuf]) -> Result<(SourceMap, Vec<Diagnostic>), Diagnostic> {
    load_with_stdin(paths, None)
}

/// Standard input as a source (`dpol check -`): its bytes, and the path of
/// the file it stands for (`--stdin-filename`, an editor's unsaved buffer).
pub struct Stdin {
    /// What was read from standard input.
    pub bytes: Vec<u8>,
    /// The file the bytes stand for, if named.
    pub filename: Option<PathBuf>,
}

/// [`load`], where the path `-` is standard input (when `stdin` is given), named after
/// `stdin.filename` (else `<stdin>`). With a filename, the other `.dpol`
/// files of its directory (as `dpol check DIR` reads it) are read from disk
/// as the rest of its program, and the file itself is read from standard
/// input instead of disk: a check of one buffer is a check of its program.
/// A file named twice is read once.
pub fn load_with_stdin(
    paths: &[PathBuf],
    stdin: Option<Stdin>,
) -> Result<(SourceMap, Vec<Diagnostic>), Diagnostic> {
    let limit = limit::max_file_bytes()?;
    let (mut stdin_bytes, filename) = match stdin {
        Some(s) => (Some(s.bytes), s.filename),
        None => (None, None),
    };
    // Every source in order: a file on disk, or standard input (`None`).
    let mut order: Vec<Option<PathBuf>> = Vec::new();
    let mut files = Vec::new();
    let dir = filename.as_deref().map(|f| {
        f.parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    });
    for path in paths.iter().map(PathBuf::as_path).chain(dir) {
        if stdin_bytes.is_some() && path == Path::new("-") {
            order.push(None);
            continue;
        }
        walk::collect(path, &mut files)?;
        order.extend(files.drain(..).map(Some));
    }
    // The file standard input stands for is read from standard input; a
    // file named twice is read once.
    let stands_for = filename
        .as_deref()
        .and_then(|f| std::fs::canonicalize(f).ok());
    let mut seen = std::collections::HashSet::new();
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    for entry in order.into_iter().chain([None]) {
        let path = match entry {
            Some(path) => {
                let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                if !seen.insert(key.clone()) {
                    continue;
                }
                if stands_for.as_ref() != Some(&key) {
                    let bytes = file::read_regular(&path, limit)?;
                    let name = path.display().to_string();
                    add_bytes(&mut sources, &mut diags, name, Some(path), bytes);
                    continue;
                }
                Some(path)
            }
            None => None,
        };
        // Standard input, at its first place (or last, when not named).
        if let Some(bytes) = stdin_bytes.take() {
            let path = path.or_else(|| filename.clone());
            let name = path
                .as_ref()
                .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string());
            add_bytes(&mut sources, &mut diags, name, path, bytes);
        }
    }
    Ok((sources, diags))
}

/// Standard input, at most `limit` bytes.
pub fn read_stdin(limit: u64) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| file::read_error("standard input", &e))?;
    if bytes.len() as u64 > limit {
        return Err(limit::too_large(
            "standard input",
            bytes.len() as u64,
            limit,
        ));
    }
    Ok(bytes)
}

/// The UTF-8 byte-order mark, which some editors write first.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Adds one file's bytes: a byte-order mark is dropped, NUL bytes are
/// reported and kept as the two characters `\0` (so that no renderer prints
/// a raw NUL), invalid UTF-8 is reported at the first bad byte.
pub fn add_bytes(
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
    name: String,
    path: Option<PathBuf>,
    bytes: Vec<u8>,
) {
    let mut bytes = bytes;
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    let (bytes, nuls) = escape_nuls(bytes);
    let id = match String::from_utf8(bytes) {
        Ok(text) => sources.add(name.clone(), path, text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let id = sources.add(name.clone(), path, text);
            diags.push(invalid_encoding(&name, Span::new(id, at, at + 1)));
            id
        }
    };
    if let Some(&at) = nuls.first() {
        diags.push(nul_bytes(&name, Span::new(id, at, at + 2), nuls.len()));
    }
}

/// `bytes` with every NUL replaced by `\0`, and the offsets of the
/// replacements in the result.
fn escape_nuls(bytes: Vec<u8>) -> (Vec<u8>, Vec<usize>) {
    if !bytes.contains(&0) {
        return (bytes, Vec::new());
    }
    let mut out = Vec::with_capacity(bytes.len() + 16);
    let mut at = Vec::new();
    for b in bytes {
        if b == 0 {
            at.push(out.len());
            out.extend_from_slice(b"\\0");
        } else {
            out.push(b);
        }
    }
    (out, at)
}

/// E0102: source `name` is not UTF-8 (`at`: its first invalid byte).
fn invalid_encoding(name: &str, at: Span) -> Diagnostic {
    let offset = at.start;
    Diagnostic::new(
        Code::InvalidEncoding,
        at,
        format!("`{name}` is not UTF-8 text (invalid byte at offset {offset})"),
    )
    .label("invalid UTF-8")
    .help("dpol sources are UTF-8 text; is this a binary file?")
}

/// E0113: source `name` has `count` NUL bytes, the first at `at` (shown
/// as `\0`).
fn nul_bytes(name: &str, at: Span, count: usize) -> Diagnostic {
    let more = match count {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Diagnostic::new(
        Code::NulByte,
        at,
        format!("`{name}` contains a NUL byte (`\\0`){more}"),
    )
    .label("NUL byte, shown as `\\0`")
    .help("dpol sources are text; remove the NUL bytes (is this a binary file?)")
}
