//! Making the staged build durable and exchanging it with OUT.
//!
//! On Linux the staged files reach the disk with one `syncfs` on the staging
//! directory (one call instead of one `fsync` per file), and OUT is replaced
//! with `renameat2(RENAME_EXCHANGE)`: one step, OUT never missing, the old
//! build left at the staging path. Elsewhere, or on a file system without
//! exchange (`EINVAL`, `ENOSYS`), every file and directory is `fsync`ed and
//! OUT is renamed away before the build is renamed into place: there is a
//! moment without OUT, and the old build is put back if the second rename
//! fails.

use std::fs::File;
use std::path::{Path, PathBuf};

/// Makes everything below `dir` durable.
pub(super) fn sync_tree(dir: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        rustix::fs::syncfs(File::open(dir)?)?;
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        fsync_all(dir)
    }
}

#[cfg(not(target_os = "linux"))]
fn fsync_all(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            fsync_all(&entry.path())?;
        } else {
            File::open(entry.path())?.sync_all()?;
        }
    }
    sync_dir(dir)
}

/// `fsync` of a directory, so that its entries (a rename) are durable.
pub(super) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Puts `staging` at `out`. Returns where the previous `out` now is (to be
/// checked and removed by the caller), or `None` if there was none.
pub(super) fn replace(staging: &Path, out: &Path, old: &Path) -> std::io::Result<Option<PathBuf>> {
    match exchange(staging, out) {
        Exchange::Done => return Ok(Some(staging.to_path_buf())),
        Exchange::NoTarget => match rename_no_replace(staging, out) {
            Ok(()) => return Ok(None),
            // Created meanwhile: exchange with it after all.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if let Exchange::Done = exchange(staging, out) {
                    return Ok(Some(staging.to_path_buf()));
                }
            }
            Err(e) => return Err(e),
        },
        Exchange::Unsupported => {}
        Exchange::Failed(e) => return Err(e),
    }
    if std::fs::symlink_metadata(out).is_err() {
        std::fs::rename(staging, out)?;
        return Ok(None);
    }
    std::fs::rename(out, old)?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(old, out);
        return Err(e);
    }
    Ok(Some(old.to_path_buf()))
}

/// Undoes [`replace`]: `old` (what was OUT) goes back to `out`. Returns
/// where the new build is now: `old`'s place after an exchange, else
/// `spare` (a free path next to OUT).
pub(super) fn undo(old: &Path, out: &Path, spare: &Path) -> std::io::Result<PathBuf> {
    match exchange(old, out) {
        Exchange::Done => Ok(old.to_path_buf()),
        Exchange::Failed(e) => Err(e),
        Exchange::NoTarget | Exchange::Unsupported => {
            std::fs::rename(out, spare)?;
            std::fs::rename(old, out)?;
            Ok(spare.to_path_buf())
        }
    }
}

enum Exchange {
    Done,
    /// `out` does not exist.
    NoTarget,
    /// Not on this system or file system.
    Unsupported,
    Failed(std::io::Error),
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Exchange {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Exchange::Done,
        Err(Errno::NOENT) if std::fs::symlink_metadata(a).is_ok() => Exchange::NoTarget,
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => Exchange::Unsupported,
        Err(e) => Exchange::Failed(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, b: &Path) -> Exchange {
    if std::fs::symlink_metadata(b).is_err() {
        Exchange::NoTarget
    } else {
        Exchange::Unsupported
    }
}

/// Renames `from` to `to`, failing if `to` exists.
#[cfg(target_os = "linux")]
fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => std::fs::rename(from, to),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    std::fs::rename(from, to)
}
