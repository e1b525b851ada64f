//! Reading one file that must be a regular file: its type is checked before
//! it is opened (a FIFO would block the open, a device never ends), it is
//! opened non-blocking and checked again (it may have been replaced in
//! between), and it is read up to the size limit and no further.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use super::limit::too_large;
use crate::diag::{Code, Diagnostic};

/// The bytes of the regular file at `path` (symbolic links followed), at most
/// `limit` of them.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| read_error(&name, &e))?;
    check_regular(&name, &meta, limit)?;
    let file = open_nonblocking(path).map_err(|e| read_error(&name, &e))?;
    let meta = file.metadata().map_err(|e| read_error(&name, &e))?;
    check_regular(&name, &meta, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(&name, &e))?;
    if bytes.len() as u64 > limit {
        // It grew after it was measured.
        return Err(too_large(&name, bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// [`read_regular`] as UTF-8 text (for JSON inputs).
pub fn read_regular_text(path: &Path, limit: u64) -> Result<String, Diagnostic> {
    utf8_text(&path.display().to_string(), read_regular(path, limit)?)
}

/// `bytes` read from `name` as UTF-8 text (for JSON inputs).
pub fn utf8_text(name: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| not_text(name, e.utf8_error().valid_up_to()))
}

/// E0104: `name` (a file, a directory, standard input) cannot be read.
pub fn read_error(name: &str, e: &std::io::Error) -> Diagnostic {
    read_error_because(name, e)
}

/// E0104: `name` cannot be read, for reason `why`.
fn read_error_because(name: &str, why: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::global(Code::ReadError, format!("cannot read `{name}`: {why}"))
}

/// E0104: a JSON input that is not UTF-8 text (`at`: the offset of the
/// first invalid byte).
fn not_text(name: &str, at: usize) -> Diagnostic {
    read_error_because(
        name,
        format!("not UTF-8 text (invalid byte at offset {at})"),
    )
}

/// E0110: an input that is a FIFO, device or socket (`kind`).
fn not_regular(name: &str, kind: &str) -> Diagnostic {
    Diagnostic::global(
        Code::NotRegularFile,
        format!("`{name}` is {kind}, not a regular file"),
    )
    .help("dpol reads only regular files; leave this path out or give the file it stands for")
}

fn check_regular(name: &str, meta: &Metadata, limit: u64) -> Result<(), Diagnostic> {
    if let Some(kind) = special_kind(meta) {
        return Err(not_regular(name, kind));
    }
    if meta.is_dir() {
        return Err(read_error_because(name, "it is a directory"));
    }
    if meta.len() > limit {
        return Err(too_large(name, meta.len(), limit));
    }
    Ok(())
}

/// "a FIFO (named pipe)", "a socket", …, for a file that is neither a
/// regular file nor a directory.
pub(super) fn special_kind(meta: &Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() || kind.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
    }
    Some("a special file")
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flag = rustix::fs::OFlags::NONBLOCK.bits();
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(i32::try_from(flag).unwrap_or(0))
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}
