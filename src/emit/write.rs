//! The manifest of a build: every document with its kind, path, attachment,
//! sources and size. Writing the build is [`crate::out_dir`]'s.

use serde::Serialize;

use super::{DocKind, Document, SizeLimit};
use crate::diag::render::{locate, Location};
use crate::source::SourceMap;

pub const MANIFEST: &str = crate::out_dir::MANIFEST;

/// `generator` in the manifest: what wrote the directory (the output writer
/// replaces only directories a dpol wrote).
pub const GENERATOR: &str = concat!("dpol ", env!("CARGO_PKG_VERSION"));

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    generator: &'static str,
    documents: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    kind: DocKind,
    name: &'a str,
    path: String,
    attach: &'a [String],
    sources: Vec<Location>,
    size: Size,
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
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    text
}
