//! Whether a directory is dpol output, which only then may be replaced: it
//! does not exist, or is empty, or holds a `manifest.json` that parses as a
//! dpol manifest (a format this dpol reads, a `generator` starting with `dpol`,
//! a `documents` list of relative paths) and nothing that manifest does not
//! list. Links are not followed: a link inside OUT is never dpol's.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::MANIFEST;
use dpol::diag::{Code, Diagnostic};

/// How many unlisted entries a refusal names.
const SHOWN: usize = 5;

/// Why a directory is not dpol output.
#[derive(Debug)]
pub(super) enum Refusal {
    NotADirectory,
    NoManifest,
    /// The manifest is not a dpol manifest: why.
    ForeignManifest(String),
    /// Entries the manifest does not list (the first few, and how many).
    Unlisted(Vec<PathBuf>, usize),
    Unreadable(std::io::Error),
}

impl Refusal {
    /// E0109: why dpol will not replace `out`.
    pub(super) fn into_diagnostic(self, out: &Path) -> Diagnostic {
        let shown = out.display();
        let (message, help) = match self {
            Refusal::NotADirectory => (
                format!("`{shown}` exists and is not a directory"),
                "choose another output directory with -o".to_string(),
            ),
            Refusal::NoManifest => (
                format!("`{shown}` is not empty and has no {MANIFEST}: it is not a dpol output directory"),
                format!("dpol replaces only its own output; choose a new or empty directory with -o, or move `{shown}` away"),
            ),
            Refusal::ForeignManifest(why) => (
                format!("`{shown}/{MANIFEST}` is not a dpol manifest ({why})"),
                format!("dpol replaces only its own output; choose another directory with -o, or move `{shown}` away (a build by an earlier dpol has no `generator`: delete it once)"),
            ),
            Refusal::Unlisted(entries, total) => {
                let mut names: Vec<String> =
                    entries.iter().map(|p| format!("`{}`", p.display())).collect();
                if total > names.len() {
                    names.push(format!("and {} more", total - names.len()));
                }
                (
                    format!(
                        "`{shown}` holds files its {MANIFEST} does not list, which dpol did not write: {}",
                        names.join(", ")
                    ),
                    format!("move those files out of `{shown}`, or choose another directory with -o"),
                )
            }
            Refusal::Unreadable(e) => (
                format!("cannot tell whether `{shown}` is a dpol output directory: {e}"),
                "check the permissions of the directory and its manifest".to_string(),
            ),
        };
        Diagnostic::global(Code::NotDpolOutput, message)
            .note("nothing was written or replaced")
            .help(help)
    }
}

/// `Ok` when `dir` may be replaced (or does not exist).
pub(super) fn check(dir: &Path) -> Result<(), Refusal> {
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Refusal::Unreadable(e)),
    };
    if !meta.is_dir() {
        return Err(Refusal::NotADirectory);
    }
    let manifest_path = dir.join(MANIFEST);
    let manifest = match std::fs::symlink_metadata(&manifest_path) {
        Ok(m) if m.is_file() => read_manifest(&manifest_path)?,
        Ok(_) => return Err(Refusal::ForeignManifest("it is not a regular file".into())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return match std::fs::read_dir(dir).map_err(Refusal::Unreadable)?.next() {
                None => Ok(()),
                Some(_) => Err(Refusal::NoManifest),
            };
        }
        Err(e) => return Err(Refusal::Unreadable(e)),
    };
    let listed = listed_paths(&manifest)?;
    unlisted_entries(dir, &listed)
}

/// The parts of a manifest that say whose it is and what it lists; the
/// rest (sources, sizes, deploy notes) is skipped without being kept, so a
/// large build's manifest costs little memory to check.
#[derive(Deserialize)]
struct Shape {
    format_version: Option<Value>,
    /// Format 1's name of `format_version`.
    version: Option<Value>,
    generator: Option<Value>,
    documents: Option<Vec<Listing>>,
}

#[derive(Deserialize)]
struct Listing {
    path: Option<Value>,
}

fn read_manifest(path: &Path) -> Result<Shape, Refusal> {
    let limit =
        dpol::load::limit::max_file_bytes().map_err(|d| Refusal::ForeignManifest(d.message))?;
    let text = dpol::load::file::read_regular_text(path, limit)
        .map_err(|d| Refusal::ForeignManifest(d.message))?;
    serde_json::from_str(&text).map_err(|e| {
        Refusal::ForeignManifest(if e.is_data() {
            format!("not a manifest's shape: {e}")
        } else {
            format!("not JSON: {e}")
        })
    })
}

/// The files a dpol manifest lists, and the directories that hold them.
struct Listed {
    files: BTreeSet<PathBuf>,
    dirs: BTreeSet<PathBuf>,
}

fn listed_paths(manifest: &Shape) -> Result<Listed, Refusal> {
    let foreign = |why: &str| Refusal::ForeignManifest(why.to_string());
    if !dpol::emit::write::reads_format(manifest.format_version.as_ref(), manifest.version.as_ref())
    {
        return Err(foreign("its `format_version` is not one this dpol reads"));
    }
    let generator = manifest.generator.as_ref().and_then(Value::as_str);
    if !generator.is_some_and(|g| g == "dpol" || g.starts_with("dpol ")) {
        return Err(foreign("its `generator` is not dpol"));
    }
    let documents = manifest
        .documents
        .as_ref()
        .ok_or_else(|| foreign("it has no `documents` list"))?;
    let mut listed = Listed {
        files: BTreeSet::new(),
        dirs: BTreeSet::new(),
    };
    for document in documents {
        let path = document
            .path
            .as_ref()
            .and_then(Value::as_str)
            .map(Path::new)
            .filter(|p| {
                !p.as_os_str().is_empty()
                    && p.components().all(|c| matches!(c, Component::Normal(_)))
            })
            .ok_or_else(|| foreign("a document has no relative `path`"))?;
        let mut parent = path.parent();
        while let Some(dir) = parent.filter(|d| !d.as_os_str().is_empty()) {
            if !listed.dirs.insert(dir.to_path_buf()) {
                break;
            }
            parent = dir.parent();
        }
        listed.files.insert(path.to_path_buf());
    }
    listed.files.insert(PathBuf::from(MANIFEST));
    Ok(listed)
}

/// `Ok` when every entry below `root` is a listed file or a directory that
/// holds one.
fn unlisted_entries(root: &Path, listed: &Listed) -> Result<(), Refusal> {
    let mut unlisted = Vec::new();
    let mut total = 0;
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        let entries = std::fs::read_dir(root.join(&relative)).map_err(Refusal::Unreadable)?;
        for entry in entries {
            let entry = entry.map_err(Refusal::Unreadable)?;
            let kind = entry.file_type().map_err(Refusal::Unreadable)?;
            let path = relative.join(entry.file_name());
            let ours = if kind.is_dir() {
                listed.dirs.contains(&path)
            } else {
                kind.is_file() && listed.files.contains(&path)
            };
            if !ours {
                total += 1;
                if unlisted.len() < SHOWN {
                    unlisted.push(path);
                }
            } else if kind.is_dir() {
                stack.push(path);
            }
        }
    }
    if total == 0 {
        Ok(())
    } else {
        unlisted.sort();
        Err(Refusal::Unlisted(unlisted, total))
    }
}

#[cfg(test)]
mod tests {
    use super::{listed_paths, Refusal, Shape};
    use serde_json::json;

    fn shape(v: serde_json::Value) -> Result<Shape, Refusal> {
        serde_json::from_value(v).map_err(|e| Refusal::ForeignManifest(e.to_string()))
    }

    #[test]
    fn only_dpol_manifests_with_relative_paths() {
        // Format 2, and format 1 (`version`) of builds by an older dpol.
        for ok in [
            json!({"format_version": 2, "generator": "dpol 0.1.0",
                   "documents": [{"path": "identity/a.json"}]}),
            json!({"version": 1, "generator": "dpol 0.1.0",
                   "documents": [{"path": "identity/a.json"}]}),
        ] {
            let listed = listed_paths(&shape(ok).unwrap()).unwrap();
            assert!(listed.dirs.contains(std::path::Path::new("identity")));
        }
        for bad in [
            json!({"format_version": 3, "generator": "dpol", "documents": []}),
            json!({"generator": "dpol", "documents": []}),
            json!({"version": 1, "documents": []}),
            json!({"version": 2, "generator": "dpol", "documents": []}),
            json!({"version": 1, "generator": "dpolly", "documents": []}),
            json!({"version": 1, "generator": "dpol", "documents": [{"path": "../x"}]}),
            json!({"version": 1, "generator": "dpol", "documents": [{"path": "/etc/x"}]}),
            json!({"version": 1, "generator": "dpol", "documents": {}}),
        ] {
            assert!(
                matches!(
                    shape(bad.clone()).and_then(|s| listed_paths(&s)),
                    Err(Refusal::ForeignManifest(_))
                ),
                "{bad}"
            );
        }
    }
}
