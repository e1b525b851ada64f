//! The staging and old directories of a build sit next to OUT and carry
//! their process in their name: `.OUT.dpol-tmp-PID-START` and
//! `.OUT.dpol-old-PID-START`, START being the process's start time (field 22
//! of `/proc/PID/stat` on Linux, 0 elsewhere), so that a reused PID is not
//! taken for the owner. A build removes those whose process is gone: a
//! build killed at any point leaves nothing that the next one does not clean
//! up. Off Linux a process is alive if `kill(PID, 0)` finds it; where even
//! that is not available, every owner counts as alive and nothing is removed.

use std::path::{Path, PathBuf};

/// This process's sibling of `out` for `what` (`tmp` or `old`).
pub(super) fn own_sibling(out: &Path, what: &str) -> PathBuf {
    sibling(
        out,
        &format!(
            "{what}-{}-{}",
            std::process::id(),
            start_time(std::process::id()).unwrap_or(0)
        ),
    )
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let dir = super::parent_of(out);
    dir.join(format!("{}{suffix}", prefix(out)))
}

/// `.OUT.dpol-`: what every staging and old directory of `out` starts with.
fn prefix(out: &Path) -> String {
    let name = out
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.dpol-")
}

/// Removes the staging and old directories of `out` whose process is gone.
/// Best effort: what cannot be removed now is tried again by the next build.
pub(super) fn remove_stale(out: &Path) {
    let prefix = prefix(out);
    let Ok(entries) = std::fs::read_dir(super::parent_of(out)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((pid, start)) = name.strip_prefix(&prefix).and_then(owner) else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && !alive(pid, start) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `tmp-PID-START` or `old-PID-START` → (PID, START).
fn owner(suffix: &str) -> Option<(u32, u64)> {
    let rest = suffix
        .strip_prefix("tmp-")
        .or_else(|| suffix.strip_prefix("old-"))?;
    let (pid, start) = rest.split_once('-')?;
    Some((pid.parse().ok()?, start.parse().ok()?))
}

/// Whether process `pid`, started at `start`, still runs (a zombie does not).
fn alive(pid: u32, start: u64) -> bool {
    if pid == std::process::id() {
        return start_time(pid).unwrap_or(0) == start;
    }
    if has_procfs() {
        return start_time(pid).is_some_and(|now| now == start);
    }
    exists(pid)
}

/// Whether `/proc/PID/stat` tells start times (Linux with procfs mounted).
fn has_procfs() -> bool {
    start_time(std::process::id()).is_some()
}

#[cfg(unix)]
fn exists(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        // It exists but belongs to someone else.
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

#[cfg(not(unix))]
fn exists(_pid: u32) -> bool {
    true
}

/// The start time of a running process (not a zombie), on Linux.
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `PID (COMM) STATE … STARTTIME …`: COMM may hold spaces and parentheses.
    let (_, after) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    if fields.first() == Some(&"Z") {
        return None;
    }
    fields.get(19)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::{alive, own_sibling, owner, start_time};
    use std::path::Path;

    #[test]
    fn names_carry_pid_and_start_time() {
        let sibling = own_sibling(Path::new("builds/out"), "tmp");
        let name = sibling.file_name().unwrap().to_string_lossy().into_owned();
        let suffix = name.strip_prefix(".out.dpol-").unwrap();
        let (pid, start) = owner(suffix).unwrap();
        assert_eq!(pid, std::process::id());
        assert!(alive(pid, start));
        assert_eq!(sibling.parent(), Some(Path::new("builds")));
        assert_eq!(owner("tmp-12"), None);
        assert_eq!(owner("new-1-2"), None);
    }

    #[test]
    fn exited_processes_are_not_alive() {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        // Even if the pid was taken again at once, not with that start time.
        if start_time(std::process::id()).is_some() {
            assert!(!alive(pid, 1));
        }
        assert!(!alive(std::process::id(), u64::MAX));
    }
}
