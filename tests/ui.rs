//! Golden tests: `tests/ui/pass/*.dpol` must compile (warnings allowed) and
//! their warnings and documents must equal `NAME.out`; `tests/ui/fail/*.dpol` must fail and
//! their rendered diagnostics must equal `NAME.stderr`; `examples/` as one
//! program must compile with no diagnostic and equal `tests/golden/examples.out`.
//!
//! `DPOL_BLESS=1 cargo test --test ui` rewrites the expectations; review the
//! diff before committing. Today's date is fixed at 2026-11-23 for expiry checks.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod golden_file;

use std::path::{Path, PathBuf};

use dpol::diag::render::{render_human, HumanStyle};
use dpol::emit::Compiled;
use dpol::source::SourceMap;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn dpol_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "dpol"))
        .collect();
    files.sort();
    files
}

/// Loads files under names relative to the crate root (stable across machines).
fn sources(files: &[PathBuf]) -> SourceMap {
    let mut map = SourceMap::new();
    for file in files {
        let name = file.strip_prefix(root()).unwrap().display().to_string();
        map.add(name, None, std::fs::read_to_string(file).unwrap());
    }
    map
}

/// Every document, as it is written, under its path and attachments.
fn listing(docs: &[Compiled]) -> String {
    docs.iter()
        .map(|d| {
            let pretty = serde_json::to_string_pretty(&d.content()).unwrap();
            format!(
                "=== {} (attach: {}; size {}{})\n{pretty}\n",
                d.path(),
                d.attach.join(", "),
                d.size,
                d.kind
                    .limit()
                    .map(|l| format!(" of {}", l.limit))
                    .unwrap_or_default()
            )
        })
        .collect()
}

struct Run {
    failures: Vec<String>,
}

impl Run {
    fn compare(&mut self, expected_path: &Path, actual: &str) {
        if let Err(diff) = golden_file::compare(expected_path, actual) {
            self.failures.push(diff);
        }
    }
}

#[test]
fn golden() {
    std::env::set_var("DPOL_TODAY", "2026-11-23");
    let mut run = Run {
        failures: Vec::new(),
    };
    for file in dpol_files(&root().join("tests/ui/pass")) {
        let map = sources(std::slice::from_ref(&file));
        let (docs, diags) = dpol::compile(&map);
        let Some(docs) = docs else {
            run.failures.push(format!(
                "{}: expected to compile:\n{}",
                file.display(),
                render_human(&map, &diags, HumanStyle::Plain)
            ));
            continue;
        };
        let warnings = render_human(&map, &diags, HumanStyle::Plain);
        run.compare(&file.with_extension("out"), &(warnings + &listing(&docs)));
    }
    for file in dpol_files(&root().join("tests/ui/fail")) {
        let map = sources(std::slice::from_ref(&file));
        let (docs, diags) = dpol::compile(&map);
        if docs.is_some() {
            run.failures
                .push(format!("{}: expected an error", file.display()));
        }
        run.compare(
            &file.with_extension("stderr"),
            &render_human(&map, &diags, HumanStyle::Snippets),
        );
    }
    let examples = dpol_files(&root().join("examples"));
    let map = sources(&examples);
    let (docs, diags) = dpol::compile(&map);
    if diags.is_empty() {
        run.compare(
            &root().join("tests/golden/examples.out"),
            &listing(&docs.unwrap_or_default()),
        );
    } else {
        run.failures.push(format!(
            "examples must compile with no diagnostic:\n{}",
            render_human(&map, &diags, HumanStyle::Plain)
        ));
    }
    assert!(
        run.failures.is_empty(),
        "{} golden mismatches (bless with DPOL_BLESS=1 cargo test --test ui, then review):\n\n{}",
        run.failures.len(),
        run.failures.join("\n")
    );
}

/// Every ```` ```dpol ```` block of the documentation compiles with no diagnostic;
/// every ```` ```dpol,fails ```` block fails.
#[test]
fn documentation_examples_compile() {
    std::env::set_var("DPOL_TODAY", "2026-11-23");
    let mut failures = Vec::new();
    for doc in ["README.md", "grammar/README.md"] {
        let text = std::fs::read_to_string(root().join(doc)).unwrap();
        let mut blocks = text.split("```").skip(1).step_by(2);
        for (n, block) in blocks.by_ref().enumerate() {
            let (info, body) = block.split_once('\n').unwrap_or((block, ""));
            if !info.starts_with("dpol") {
                continue;
            }
            let mut map = SourceMap::new();
            map.add(format!("{doc} block {}", n + 1), None, body.to_string());
            let (docs, diags) = dpol::compile(&map);
            let ok = if info == "dpol,fails" {
                docs.is_none()
            } else {
                docs.is_some() && diags.is_empty()
            };
            if !ok {
                failures.push(format!(
                    "{doc} block {} ({info}):\n{body}\n{}",
                    n + 1,
                    render_human(&map, &diags, HumanStyle::Plain)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
