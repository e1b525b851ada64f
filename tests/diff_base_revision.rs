//! `dpol diff --base REV`: the sources at a git revision, whatever their file
//! names, and a revision that cannot be mistaken for an option.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod diff_common;

use diff_common::{dpol_in, git, stderr_of, stdout_of, TempDir};

const DECLS: &str = "account prod = 111122223333\nregion us-east-1\ntable Books in prod\nuser alice in prod\nalice manages Books\n";
const DENY: &str = "alice cannot deletes Books\n";

/// A repository whose HEAD has `decls.dpol` and the deny in `deny_file`, and
/// whose working tree has replaced the deny by a comment.
fn repo_with_deny_in(label: &str, deny_file: &str) -> TempDir {
    let dir = TempDir::new(label);
    git(&dir.0, &["init", "-q"]);
    dir.write("decls.dpol", DECLS);
    std::fs::write(dir.0.join(deny_file), DENY).unwrap();
    git(&dir.0, &["add", "-A"]);
    git(&dir.0, &["commit", "-q", "-m", "base"]);
    std::fs::write(dir.0.join(deny_file), "# the deny is gone\n").unwrap();
    dir
}

/// The bug: `git ls-tree --name-only` without `-z` quotes names with
/// non-ASCII or special characters (`"d\303\251nyrules.dpol"`), so the
/// `.dpol` test failed and the file vanished from the base: the removed deny
/// was not seen and the diff said "1 unchanged", exit 0.
#[test]
fn every_file_name_is_read_at_the_base() {
    for (label, name) in [
        ("accent", "dényrules.dpol"),
        ("space", "deny rules.dpol"),
        ("quote", "deny\"rules'.dpol"),
        ("newline", "deny\nrules.dpol"),
        ("tab", "deny\trules.dpol"),
        ("backslash", "deny\\rules.dpol"),
        ("dash", "-deny.dpol"),
    ] {
        let dir = repo_with_deny_in(label, name);
        let out = dpol_in(&dir.0, &["diff", ".", "--base", "HEAD", "--format", "json"]);
        assert_eq!(out.status.code(), Some(2), "{name:?}: {}", stderr_of(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["summary"]["broadens"], 1, "{name:?}: {report}");
        let text = report.to_string();
        assert!(text.contains("dynamodb:deleteitem"), "{name:?}: {text}");
    }
}

/// A path given on the command line that starts with a dash, and a
/// directory below it with a space in its name, are read at the base too
/// (a guard: this already worked, the paths come after `--`).
#[test]
fn paths_starting_with_a_dash_are_paths() {
    let dir = TempDir::new("dash-dir");
    git(&dir.0, &["init", "-q"]);
    dir.write("-policies/decls.dpol", DECLS);
    dir.write("-policies/sub dir/deny.dpol", DENY);
    git(&dir.0, &["add", "-A"]);
    git(&dir.0, &["commit", "-q", "-m", "base"]);
    dir.write("-policies/sub dir/deny.dpol", "# gone\n");
    let out = dpol_in(&dir.0, &["diff", "--base", "HEAD", "--", "-policies"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("1 changed"), "{}", stdout_of(&out));
}

/// A guard: the revision went to git with nothing before it that says "not
/// an option"; only `git ls-tree` failing first on `--output=FILE` kept `git
/// show` from writing FILE. A revision now always follows
/// `--end-of-options`: this one is no revision, an error.
#[test]
fn a_revision_is_never_an_option() {
    let dir = repo_with_deny_in("option", "deny.dpol");
    let written = dir.0.join("written-by-git");
    let base = format!("--base=--output={}", written.display());
    let out = dpol_in(&dir.0, &["diff", ".", &base]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("[E0104]"), "{}", stderr_of(&out));
    assert!(!written.exists(), "git took the revision for an option");
}

/// Files that are not `.dpol` are not read, and a file that is the same at
/// the base is unchanged.
#[test]
fn unchanged_sources_are_no_change() {
    let dir = TempDir::new("same");
    git(&dir.0, &["init", "-q"]);
    dir.write("decls.dpol", DECLS);
    dir.write("README.md", "not a program");
    git(&dir.0, &["add", "-A"]);
    git(&dir.0, &["commit", "-q", "-m", "base"]);
    let out = dpol_in(&dir.0, &["diff", ".", "--base", "HEAD"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        stdout_of(&out).contains("1 unchanged"),
        "{}",
        stdout_of(&out)
    );
}

/// The bug: a submodule under the sources was left out of the base without
/// a word, though its checkout holds `.dpol` files the working tree reads.
/// Its sources cannot be read at the revision, so that is now an error; a
/// submodule holding none is no problem.
#[test]
fn submodules_holding_sources_are_an_error() {
    let library = TempDir::new("submodule-lib");
    git(&library.0, &["init", "-q"]);
    library.write("shared.dpol", DENY);
    git(&library.0, &["add", "-A"]);
    git(&library.0, &["commit", "-q", "-m", "lib"]);
    let dir = TempDir::new("submodule");
    git(&dir.0, &["init", "-q"]);
    dir.write("decls.dpol", DECLS);
    let url = library.0.to_str().unwrap();
    git(
        &dir.0,
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            url,
            "lib",
        ],
    );
    git(&dir.0, &["add", "-A"]);
    git(&dir.0, &["commit", "-q", "-m", "base"]);
    let out = dpol_in(&dir.0, &["diff", ".", "--base", "HEAD"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("submodule"), "{}", stderr_of(&out));
    std::fs::remove_file(dir.0.join("lib/shared.dpol")).unwrap();
    let out = dpol_in(&dir.0, &["diff", ".", "--base", "HEAD"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}
