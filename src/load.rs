//! Reading sources: files and directories (every `*.dpol` below, sorted; see
//! [`walk`]), each a regular file within the size limit (`file`,
//! [`limit`]), with encoding problems reported as diagnostics, never as
//! panics. A UTF-8 byte-order mark is dropped; a NUL byte is an error, shown
//! as `\0`.

use std::path::PathBuf;

use crate::diag::{Code, Diagnostic};
use crate::source::{SourceMap, Span};

pub mod file;
pub mod limit;
pub mod walk;

/// Reads every path into one [`SourceMap`]. Files with encoding problems are
/// reported; `Err` for what stops the read (exit code 2): an unreadable path,
/// a FIFO, device or socket, a file over the size limit, a symbolic-link cycle.
pub fn load(paths: &[PathBuf]) -> Result<(SourceMap, Vec<Diagnostic>), Diagnostic> {
    let limit = limit::max_file_bytes()?;
    let mut files = Vec::new();
    for path in paths {
        walk::collect(path, &mut files)?;
    }
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    for path in files {
        let bytes = file::read_regular(&path, limit)?;
        let name = path.display().to_string();
        add_bytes(&mut sources, &mut diags, name, Some(path), bytes);
    }
    Ok((sources, diags))
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
