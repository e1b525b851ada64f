//! The per-file size limit: no file dpol reads (sources, deployed JSON, a
//! build directory) may exceed it, so that a huge or endless input is a clear
//! error instead of all the memory. `DPOL_MAX_FILE_BYTES` raises (or lowers) it.

use crate::diag::{Code, Diagnostic};

/// The default limit: 128 MiB, far above any real program or CLI output.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// The environment variable that sets the limit, in bytes.
pub const MAX_FILE_BYTES_VAR: &str = "DPOL_MAX_FILE_BYTES";

/// The limit in force: `DPOL_MAX_FILE_BYTES` if set, else the default. A value
/// that is not a whole number of bytes is an error, not ignored.
pub fn max_file_bytes() -> Result<u64, Diagnostic> {
    match std::env::var(MAX_FILE_BYTES_VAR) {
        Err(std::env::VarError::NotPresent) => Ok(DEFAULT_MAX_FILE_BYTES),
        Ok(text) => text
            .trim()
            .parse::<u64>()
            .map_err(|_| not_a_size(&format!("{MAX_FILE_BYTES_VAR}=`{text}`"))),
        Err(std::env::VarError::NotUnicode(_)) => Err(not_a_size(MAX_FILE_BYTES_VAR)),
    }
}

/// E0111: the limit's variable (`written`: as set) is not a number of bytes.
fn not_a_size(written: &str) -> Diagnostic {
    Diagnostic::global(
        Code::FileTooLarge,
        format!("{written} is not a number of bytes"),
    )
    .help(format!(
        "set {MAX_FILE_BYTES_VAR} to a whole number such as {DEFAULT_MAX_FILE_BYTES}, or unset it"
    ))
}

/// E0111: the error for `name`, `size` bytes (at least) over `limit`.
pub fn too_large(name: &str, size: u64, limit: u64) -> Diagnostic {
    Diagnostic::global(
        Code::FileTooLarge,
        format!("`{name}` is {size} bytes; the limit is {limit} bytes"),
    )
    .help(format!(
        "if this file is meant to be read, raise the limit: {MAX_FILE_BYTES_VAR}={} dpol …",
        size.saturating_mul(2)
    ))
}
