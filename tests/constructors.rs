//! Each diagnostic is built by a constructor next to its message: every
//! `Diagnostic::new(Code::X, …)` or `Diagnostic::global(Code::X, …)` in the
//! sources (tests aside) is in a function whose doc comment names the code
//! (`/// E0204: …`), so a code's messages are found by searching for it and
//! read apart from the checking logic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use std::path::Path;

#[test]
fn every_diagnostic_is_built_by_a_documented_constructor() {
    let codes = codes_by_variant();
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files.sort();
    let mut bad = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests build diagnostics freely.
        let text = text.split("#[cfg(test)]").next().unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            for call in ["Diagnostic::new(", "Diagnostic::global("] {
                let Some(at) = line.find(call) else { continue };
                // The code is the first argument, on this line or the next.
                let rest = format!(
                    "{}{}",
                    &line[at + call.len()..],
                    lines.get(n + 1).unwrap_or(&"")
                );
                let Some(variant) = rest.trim_start().strip_prefix("Code::") else {
                    continue; // a constructor for a code it is given
                };
                let variant: String = variant
                    .chars()
                    .take_while(|c| c.is_alphanumeric())
                    .collect();
                let code = codes
                    .iter()
                    .find(|(v, _)| *v == variant)
                    .map(|(_, c)| c.as_str())
                    .unwrap_or_else(|| panic!("no code {variant}"));
                let place = format!(
                    "{}:{}",
                    file.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                        .unwrap()
                        .display(),
                    n + 1
                );
                if !doc_of_enclosing_fn(&lines, n).is_some_and(|doc| doc.contains(code)) {
                    bad.push(format!("{place}: {code} ({variant})"));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "diagnostics built outside a constructor whose doc comment names their code:\n{}",
        bad.join("\n")
    );
}

/// The doc comment of the function around line `n`, lines joined.
fn doc_of_enclosing_fn(lines: &[&str], n: usize) -> Option<String> {
    let start = (0..=n).rev().find(|&i| is_fn_line(lines[i]))?;
    let mut doc = Vec::new();
    for line in lines[..start].iter().rev() {
        let t = line.trim_start();
        if let Some(d) = t.strip_prefix("///") {
            doc.push(d.trim());
        } else if !t.starts_with("#[") {
            break;
        }
    }
    doc.reverse();
    Some(doc.join(" "))
}

fn is_fn_line(line: &str) -> bool {
    let t = line.trim_start();
    let t = t
        .strip_prefix("pub(crate) ")
        .or_else(|| t.strip_prefix("pub(super) "))
        .or_else(|| t.strip_prefix("pub "))
        .unwrap_or(t);
    t.starts_with("fn ")
}

fn codes_by_variant() -> Vec<(String, dpol::diag::Code)> {
    dpol::diag::Code::ALL
        .iter()
        .map(|c| (format!("{c:?}"), *c))
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
