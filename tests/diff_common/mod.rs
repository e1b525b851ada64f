//! Helpers shared by the diff tests: fixtures and temporary directories.
#![allow(dead_code)] // each test crate uses a part

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The path of `name` under `tests/fixtures/deployed/`.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/deployed")
        .join(name)
}

/// The text of a fixture.
pub fn fixture(name: &str) -> String {
    fs::read_to_string(fixture_path(name)).unwrap()
}

/// A fixture parsed as JSON (`inputs/scp.json`).
pub fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// A scratch directory (`tempfile`), removed when dropped; `.0` is its path.
pub struct TempDir(pub PathBuf, tempfile::TempDir);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        let dir = tempfile::Builder::new()
            .prefix(&format!("dpol-{label}-"))
            .tempdir()
            .unwrap();
        TempDir(dir.path().to_path_buf(), dir)
    }

    /// Writes `text` to `relative` (creating directories).
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.0.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

/// Runs the `dpol` binary in `dir` with `args`.
pub fn dpol_in(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(args)
        .current_dir(dir)
        .env("DPOL_TODAY", "2026-11-23")
        .output()
        .unwrap()
}

/// Standard error as text.
pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs git in `dir` with a fixed identity and no user or system
/// configuration; fails the test if git does.
pub fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=dpol", "-c", "user.email=dpol@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr_of(&out));
}

/// A reader's error through its place in the input: the problem, file and
/// JSON path, and the message without them.
#[derive(Debug)]
pub struct InputError {
    pub kind: dpol::diag::InputProblem,
    pub origin: String,
    pub json_path: String,
    pub message: String,
    /// The diagnostic's message, naming file and path.
    pub full: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.full)
    }
}

/// The error of a reader that must fail: a diagnostic of its problem's
/// code, about a JSON input, whose message names file and path first.
pub trait ReadFails {
    fn input_err(self) -> InputError;
}

impl<T: std::fmt::Debug> ReadFails for Result<T, dpol::diag::Diagnostic> {
    fn input_err(self) -> InputError {
        let diagnostic = self.expect_err("the reader must refuse this input");
        let place = diagnostic
            .input
            .as_deref()
            .expect("a reader's error names its file and JSON path");
        assert_eq!(
            diagnostic.code,
            place.problem.code(),
            "{}",
            diagnostic.message
        );
        let prefix = format!("{}: {}: ", place.file, place.json_path);
        let message = diagnostic
            .message
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("`{}` starts with `{prefix}`", diagnostic.message));
        InputError {
            kind: place.problem,
            origin: place.file.clone(),
            json_path: place.json_path.clone(),
            message: message.to_string(),
            full: diagnostic.message.clone(),
        }
    }
}
