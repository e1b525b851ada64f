//! CLI transcripts: each `tests/transcripts/*.txt` is a list of `dpol`
//! commands with what they print and their exit status, run against the
//! real binary from the repository root. The golden mechanism is the one of
//! the other golden tests (`tests/golden_file`): `DPOL_BLESS=1 cargo test
//! --test transcripts` rewrites every transcript from its commands, and the
//! change is reviewed in `git diff` before it is committed.
//!
//! A transcript reads
//!
//! ```text
//! # a comment, kept
//! $ dpol check examples
//! compiled 4 files: ok
//! --- stderr
//! …
//! --- exit 0
//! ```
//!
//! Arguments are split at spaces; `'…'` quotes one with spaces. `{tmp}`
//! is a scratch directory of the transcript, fresh for each file and shared by
//! its commands (a `build -o {tmp}/out` then a `diff --against {tmp}/out`).
//! Commands run with `NO_COLOR=1` and the date fixed at 2026-11-23.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod golden_file;

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One command of a transcript and the comment lines before it.
struct Step {
    comments: Vec<String>,
    command: String,
}

/// The commands of a transcript (its recorded output is ignored: it is what
/// is compared).
fn steps(text: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut comments = Vec::new();
    let mut in_output = false;
    for line in text.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                comments: std::mem::take(&mut comments),
                command: command.to_string(),
            });
            in_output = true;
        } else if line.starts_with("--- exit ") {
            in_output = false;
        } else if !in_output && (line.starts_with('#') || line.is_empty()) {
            comments.push(line.to_string());
        } else if !in_output {
            panic!("a line outside any command's output: {line:?}");
        }
    }
    steps
}

/// Splits at spaces; `'…'` is one argument.
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut started = false;
    for c in command.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    words.push(std::mem::take(&mut current));
                }
                started = false;
            }
            _ => {
                current.push(c);
                started = true;
            }
        }
    }
    assert!(!quoted, "an unclosed quote in {command:?}");
    if started {
        words.push(current);
    }
    words
}

/// Runs one command and writes its transcript block.
fn run(step: &Step, tmp: &Path) -> String {
    let tmp_text = tmp.display().to_string();
    let words = words(&step.command.replace("{tmp}", &tmp_text));
    let (program, args) = words.split_first().expect("an empty command");
    assert_eq!(
        program, "dpol",
        "transcripts run dpol only: {}",
        step.command
    );
    let output = Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("DPOL_TODAY", "2026-11-23")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("dpol runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&tmp_text, "{tmp}");
    let mut block = String::new();
    for comment in &step.comments {
        block.push_str(comment);
        block.push('\n');
    }
    block.push_str(&format!("$ {}\n", step.command));
    for (name, stream) in [("", &output.stdout), ("--- stderr\n", &output.stderr)] {
        let stream = text(stream);
        if !stream.is_empty() {
            block.push_str(name);
            block.push_str(&stream);
            if !stream.ends_with('\n') {
                block.push_str("\n--- (no final newline)\n");
            }
        }
    }
    let status = output
        .status
        .code()
        .map_or("killed".to_string(), |c| c.to_string());
    block.push_str(&format!("--- exit {status}\n"));
    block
}

#[test]
fn transcripts() {
    let dir = root().join("tests/transcripts");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no transcripts in {}", dir.display());
    let mut failures = Vec::new();
    for file in &files {
        let steps = steps(&std::fs::read_to_string(file).unwrap());
        assert!(!steps.is_empty(), "{}: no command", file.display());
        let tmp = tempfile::tempdir().unwrap();
        let actual: String = steps.iter().map(|step| run(step, tmp.path())).collect();
        if let Err(diff) = golden_file::compare(file, &actual) {
            failures.push(diff);
        }
    }
    assert!(
        failures.is_empty(),
        "{} transcript(s) differ (DPOL_BLESS=1 rewrites them; review the diff):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn words_split_at_spaces_and_keep_quoted_ones() {
    assert_eq!(
        words("dpol why  'a b' c ''"),
        ["dpol", "why", "a b", "c", ""]
    );
}

#[test]
fn steps_keep_comments_and_skip_recorded_output() {
    let steps =
        steps("# one\n$ dpol a\nout\n# not a comment\n--- exit 0\n\n$ dpol b\n--- exit 1\n");
    let commands: Vec<&str> = steps.iter().map(|s| s.command.as_str()).collect();
    assert_eq!(commands, ["dpol a", "dpol b"]);
    assert_eq!(steps[0].comments, ["# one"]);
    assert_eq!(steps[1].comments, [""]);
}
