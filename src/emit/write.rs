//! Writing a build: every document plus `manifest.json`, atomically. Files go
//! to a fresh sibling directory that replaces the output directory only once
//! everything is written; on any error the output directory is untouched.

use std::path::{Path, PathBuf};

use serde::Serialize;

use std::collections::BTreeMap;

use super::perimeter::{Deploy, Exception};
use super::{DocKind, Document, SizeLimit};
use crate::diag::render::{locate, Location};
use crate::source::SourceMap;

pub const MANIFEST: &str = "manifest.json";

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    documents: Vec<Entry<'a>>,
    /// Organizations targets (OU and account ids) and the policy slots dpol uses there.
    targets: BTreeMap<&'a str, Slots>,
}

/// Policies attached to one target, against Organizations' quotas.
#[derive(Serialize)]
struct Slots {
    /// dpol's SCPs attached here.
    scps: usize,
    /// SCPs a target may have, `FullAWSAccess` included.
    scp_limit: usize,
    /// dpol's RCPs attached here.
    rcps: usize,
    /// RCPs a target may have, `RCPFullAWSAccess` included.
    rcp_limit: usize,
}

#[derive(Serialize)]
struct Entry<'a> {
    kind: DocKind,
    name: &'a str,
    path: String,
    attach: &'a [String],
    sources: Vec<Location>,
    size: Size,
    /// When the document's time-bound grants end (`until`), exactly.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    expires: &'a [String],
    /// A perimeter's exceptions: who its denies let through, and what
    /// breaks without each.
    #[serde(skip_serializing_if = "<[&Exception]>::is_empty")]
    exceptions: &'a [&'static Exception],
    /// How to deploy a table's resource policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    deploy: Option<&'a Deploy>,
}

#[derive(Serialize)]
struct Size {
    count: usize,
    limit: Option<usize>,
    rule: Option<&'static str>,
}

/// The manifest's text.
pub fn manifest(sources: &SourceMap, docs: &[Document]) -> String {
    let manifest = Manifest {
        version: 1,
        documents: docs
            .iter()
            .map(|d| Entry {
                kind: d.kind,
                name: &d.name,
                path: d.path(),
                attach: &d.attach,
                sources: d.spans.iter().filter_map(|s| locate(sources, *s)).collect(),
                size: Size {
                    count: d.size,
                    limit: d.kind.limit().map(|l: SizeLimit| l.limit),
                    rule: d.kind.limit().map(|l| l.rule),
                },
                expires: &d.expires,
                exceptions: &d.exceptions,
                deploy: d.deploy.as_ref(),
            })
            .collect(),
        targets: targets(docs),
    };
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    text
}

/// Every target of the build's SCPs and how many slots they use there.
fn targets(docs: &[Document]) -> BTreeMap<&str, Slots> {
    use super::organizations::{MAX_RCPS_PER_TARGET, MAX_SCPS_PER_TARGET};
    let mut out: BTreeMap<&str, Slots> = BTreeMap::new();
    for d in docs
        .iter()
        .filter(|d| matches!(d.kind, DocKind::Scp | DocKind::Rcp))
    {
        for target in &d.attach {
            let slots = out.entry(target.as_str()).or_insert(Slots {
                scps: 0,
                scp_limit: MAX_SCPS_PER_TARGET + 1,
                rcps: 0,
                rcp_limit: MAX_RCPS_PER_TARGET + 1,
            });
            if d.kind == DocKind::Scp {
                slots.scps += 1;
            } else {
                slots.rcps += 1;
            }
        }
    }
    out
}

/// Writes the build to `out`, replacing what was there only on success.
/// Refuses to replace a non-empty directory that has no dpol manifest.
pub fn write(out: &Path, manifest: &str, docs: &[Document]) -> std::io::Result<()> {
    if out.exists() && !out.join(MANIFEST).exists() && std::fs::read_dir(out)?.next().is_some() {
        return Err(std::io::Error::other(format!(
            "`{}` exists and is not a dpol output directory (no {MANIFEST}); refusing to replace it",
            out.display()
        )));
    }
    let staging = sibling(out, "tmp");
    let result = stage(&staging, manifest, docs).and_then(|()| swap(&staging, out));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn sibling(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.dpol-{what}-{}", std::process::id()))
}

fn stage(dir: &Path, manifest: &str, docs: &[Document]) -> std::io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let files: Vec<(PathBuf, &str)> = docs
        .iter()
        .map(|doc| (dir.join(doc.path()), doc.text.as_str()))
        .collect();
    // Each directory once, not once per document.
    let mut parents: Vec<&Path> = files.iter().filter_map(|(p, _)| p.parent()).collect();
    parents.sort_unstable();
    parents.dedup();
    for parent in parents {
        std::fs::create_dir_all(parent)?;
    }
    // One thread: parallel writes only add lock contention in the file
    // system (measured on ext4: more system time, no less wall time).
    for (path, text) in &files {
        std::fs::write(path, text)?;
    }
    std::fs::write(dir.join(MANIFEST), manifest)
}

/// Moves the staged directory into place; the old one is removed afterwards.
fn swap(staging: &Path, out: &Path) -> std::io::Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out);
    }
    let old = sibling(out, "old");
    std::fs::rename(out, &old)?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e);
    }
    std::fs::remove_dir_all(old)
}
