//! The manifest of a build: every document with its kind, path, attachment,
//! sources and size. Writing the build is the `dpol` command's (its `out_dir`).

use serde::Serialize;

use std::collections::BTreeMap;

use super::perimeter::{Deploy, Exception};
use super::{Compiled, Requirement};
use crate::diag::render::{locate, Location};
use crate::iam::{DocKind, SizeLimit};
use crate::source::SourceMap;

/// The file name of the manifest in a build.
pub const MANIFEST: &str = "manifest.json";

/// `format_version` of the manifests this dpol writes: bumped when the shape
/// changes incompatibly. Format 1 named it `version`; its shape is format 2's.
pub const MANIFEST_FORMAT_VERSION: u64 = 2;

/// Whether this dpol reads a manifest whose top-level members
/// `format_version` and `version` are these: format 2, or format 1, which
/// said `"version": 1` and has format 2's shape.
pub fn reads_format(
    format_version: Option<&serde_json::Value>,
    version: Option<&serde_json::Value>,
) -> bool {
    match format_version {
        Some(v) => v.as_u64() == Some(MANIFEST_FORMAT_VERSION),
        None => version.and_then(serde_json::Value::as_u64) == Some(1),
    }
}

/// `generator` in the manifest: what wrote the directory (the output writer
/// replaces only directories a dpol wrote).
pub const GENERATOR: &str = concat!("dpol ", env!("CARGO_PKG_VERSION"));

/// `manifest.json` of a `dpol build` output directory: every document with
/// its kind, path, attachment, sources and size, and the Organizations
/// policy slots the build uses.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(title = "dpol build manifest")]
struct Manifest<'a> {
    /// The format of this document (2): bumped when its shape changes
    /// incompatibly.
    #[schemars(extend("const" = 2))]
    format_version: u64,
    generator: &'static str,
    documents: Vec<Entry<'a>>,
    /// Organizations targets (OU and account ids) and the policy slots dpol uses there.
    targets: BTreeMap<&'a str, Slots>,
}

/// Policies attached to one target, against Organizations' quotas.
#[derive(Serialize, schemars::JsonSchema)]
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

#[derive(Serialize, schemars::JsonSchema)]
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
    /// Statements that must exist in policies dpol does not write.
    #[serde(skip_serializing_if = "<[Requirement]>::is_empty")]
    requires: &'a [Requirement],
}

#[derive(Serialize, schemars::JsonSchema)]
struct Size {
    count: usize,
    limit: Option<usize>,
    rule: Option<&'static str>,
}

/// Writes the manifest's text to `out` (serialized as it goes: a large
/// build's manifest is never held in memory whole).
pub fn manifest(
    sources: &SourceMap,
    docs: &[Compiled],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let manifest = Manifest {
        format_version: MANIFEST_FORMAT_VERSION,
        generator: GENERATOR,
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
                requires: &d.requires,
            })
            .collect(),
        targets: targets(docs),
    };
    serde_json::to_writer_pretty(&mut *out, &manifest)?;
    out.write_all(b"\n")
}

/// Every target of the build's SCPs and how many slots they use there.
fn targets(docs: &[Compiled]) -> BTreeMap<&str, Slots> {
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

/// The JSON Schema of the manifest.
pub(crate) fn schema() -> schemars::Schema {
    crate::schema::of::<Manifest<'static>>()
}
