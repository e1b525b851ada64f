//! Finding the source files under the paths given: every `*.dpol` below a
//! directory, sorted, symbolic links followed. A link back to a directory
//! that is being walked (the same device and inode as an ancestor) is a cycle
//! and an error; it is never followed again.

use std::path::{Path, PathBuf};

use super::file::read_error;
use crate::diag::{Code, Diagnostic};

/// The files to read for `path`: itself if it is not a directory, else
/// every `*.dpol` below it.
pub fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| read_error(&name, &e))?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut ancestors = vec![(DirId::of(path, &meta), path.to_path_buf())];
    walk(path, &mut ancestors, out)
}

fn walk(
    dir: &Path,
    ancestors: &mut Vec<(DirId, PathBuf)>,
    out: &mut Vec<PathBuf>,
) -> Result<(), Diagnostic> {
    let unreadable = |e: std::io::Error| read_error(&dir.display().to_string(), &e);
    let mut entries = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .map(|entry| entry.map(|e| e.path()).map_err(unreadable))
        .collect::<Result<Vec<PathBuf>, Diagnostic>>()?;
    entries.sort();
    for entry in entries {
        // Follows links; a dangling link is not a directory and, named
        // `*.dpol`, fails when it is read.
        let meta = std::fs::metadata(&entry).ok();
        match meta {
            Some(meta) if meta.is_dir() => {
                let id = DirId::of(&entry, &meta);
                if let Some((_, ancestor)) = ancestors.iter().find(|(seen, _)| *seen == id) {
                    return Err(cycle(&entry, ancestor));
                }
                ancestors.push((id, entry.clone()));
                walk(&entry, ancestors, out)?;
                ancestors.pop();
            }
            // A FIFO or device named `*.dpol` is refused when it is read.
            _ if entry.extension().is_some_and(|x| x == "dpol") => out.push(entry),
            _ => {}
        }
    }
    Ok(())
}

/// E0112: a symbolic link that leads back to a directory being read.
fn cycle(link: &Path, ancestor: &Path) -> Diagnostic {
    Diagnostic::global(
        Code::SymlinkCycle,
        format!(
            "`{}` leads back to `{}`, which is being read: a symbolic-link cycle",
            link.display(),
            ancestor.display()
        ),
    )
    .help("remove the link, or give dpol the directories to read instead of their parent")
}

/// What makes two paths the same directory.
#[derive(Clone, Debug, PartialEq, Eq)]
enum DirId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

impl DirId {
    #[cfg(unix)]
    fn of(_path: &Path, meta: &std::fs::Metadata) -> DirId {
        use std::os::unix::fs::MetadataExt;
        DirId::Inode(meta.dev(), meta.ino())
    }

    #[cfg(not(unix))]
    fn of(path: &Path, _meta: &std::fs::Metadata) -> DirId {
        DirId::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}
