//! Writing a build to its output directory, `dpol build -o OUT`:
//!
//! 1. OUT is resolved: a symbolic link is built into (its target is
//!    replaced, the link stays); a dangling link is refused.
//! 2. Staging and old directories next to OUT whose process is gone
//!    (`.OUT.dpol-tmp-PID-START`, see [`stale`]) are removed.
//! 3. OUT, if it exists, must be dpol output: a dpol manifest and nothing it
//!    does not list ([`ownership`]); anything else is refused (E0109) and
//!    left as it is.
//! 4. Every file is written to a fresh staging directory next to OUT and made
//!    durable ([`swap::sync_tree`]) before anything else happens.
//! 5. The staging directory and OUT are exchanged in one step
//!    (`renameat2(RENAME_EXCHANGE)` on Linux), so OUT never disappears; where
//!    that is not available, two renames with OUT briefly absent.
//! 6. What was OUT is checked again (it could have changed since step 3): if
//!    it is not dpol output after all, the exchange is undone. Otherwise it
//!    is removed.
//!
//! Any failure before step 5 leaves OUT untouched and removes the staging
//! directory; a process killed at any point leaves OUT as the old or the new
//! build, and its staging directory is removed by the next build.

mod ownership;
mod stale;
mod swap;

use std::io::Write;
use std::path::{Path, PathBuf};

use dpol::diag::{Code, Diagnostic};

pub use dpol::emit::write::MANIFEST;

/// The manifest's text, written to the file it is given.
pub type ManifestWriter<'a> = &'a dyn Fn(&mut dyn Write) -> std::io::Result<()>;

/// Writes `files` (path relative to OUT, text) and the manifest to `out`,
/// replacing what is there only if it is dpol output, atomically.
pub fn write(
    out: &Path,
    manifest: ManifestWriter<'_>,
    files: &[(String, &str)],
) -> Result<(), Diagnostic> {
    let target = resolve(out)?;
    let parent = parent_of(&target);
    std::fs::create_dir_all(&parent).map_err(|e| io_error(out, "create its parent", &e))?;
    stale::remove_stale(&target);
    if let Err(refusal) = ownership::check(&target) {
        return Err(refusal.into_diagnostic(out));
    }
    let staging = stale::own_sibling(&target, "tmp");
    let written = stage(&staging, manifest, files).and_then(|()| swap::sync_tree(&staging));
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(io_error(out, "write", &e));
    }
    let old = match swap::replace(&staging, &target, &stale::own_sibling(&target, "old")) {
        Ok(old) => old,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io_error(out, "move the new build into place", &e));
        }
    };
    if let Some(old) = old {
        if let Err(refusal) = ownership::check(&old) {
            // OUT changed while the build ran: put it back.
            return match swap::undo(&old, &target, &staging) {
                Ok(new_build) => {
                    let _ = std::fs::remove_dir_all(new_build);
                    Err(refusal.into_diagnostic(out))
                }
                Err(e) => Err(io_error(out, "put the previous contents back", &e)
                    .note(format!("they are in `{}`", old.display()))),
            };
        }
        std::fs::remove_dir_all(&old)
            .map_err(|e| io_error(out, "remove the previous build", &e))?;
    }
    swap::sync_dir(&parent).map_err(|e| io_error(out, "sync its parent", &e))
}

/// The directory to build into: `out`, or the target of the symbolic link
/// `out` (resolved all the way).
fn resolve(out: &Path) -> Result<PathBuf, Diagnostic> {
    let is_link = std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(out.to_path_buf());
    }
    std::fs::canonicalize(out).map_err(|e| {
        let target = std::fs::read_link(out)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|_| "?".to_string());
        dangling_link(out, &target, &e)
    })
}

/// The directory that holds `path` (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes every file and the manifest into a new directory `dir`.
fn stage(
    dir: &Path,
    manifest: ManifestWriter<'_>,
    files: &[(String, &str)],
) -> std::io::Result<()> {
    if std::fs::symlink_metadata(dir).is_ok() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir(dir)?;
    let paths: Vec<(PathBuf, &str)> = files.iter().map(|(p, t)| (dir.join(p), *t)).collect();
    // Each directory once, not once per document.
    let mut parents: Vec<&Path> = paths.iter().filter_map(|(p, _)| p.parent()).collect();
    parents.sort_unstable();
    parents.dedup();
    for parent in parents {
        std::fs::create_dir_all(parent)?;
    }
    // One thread: parallel writes only add lock contention in the file
    // system (measured on ext4: more system time, no less wall time).
    for (path, text) in &paths {
        create_new(path, text)?;
    }
    // The manifest is serialized into its file as it goes, never held whole.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, open_new(&dir.join(MANIFEST))?);
    manifest(&mut buffered)?;
    buffered.flush()
}

/// Opens a file that must not exist yet, for writing.
fn open_new(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Writes a file that must not exist yet.
fn create_new(path: &Path, text: &str) -> std::io::Result<()> {
    open_new(path)?.write_all(text.as_bytes())
}

/// E0104: a step (`what`) of writing `out` failed.
fn io_error(out: &Path, what: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::global(
        Code::ReadError,
        format!("cannot write `{}`: cannot {what}: {e}", out.display()),
    )
}

/// E0104: `out` is a symbolic link to `target`, which cannot be reached.
fn dangling_link(out: &Path, target: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::global(
        Code::ReadError,
        format!(
            "cannot write `{}`: it is a symbolic link to `{target}`, which cannot be reached ({e})",
            out.display()
        ),
    )
    .help("create the directory the link points to, or remove the link")
}
