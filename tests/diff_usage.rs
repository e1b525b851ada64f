//! `dpol diff` on the command line: what a usage error says, what the
//! summary counts, what `--help` explains.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod diff_common;

use std::path::Path;

use diff_common::{dpol_in, stderr_of, stdout_of, TempDir};

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The bug: with neither `--against` nor `--base`, clap said only that
/// `--against` was missing, as if `--base` did not exist.
#[test]
fn a_missing_comparison_names_both_options() {
    let out = dpol_in(repo_root(), &["diff", "examples"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("--against"), "{err}");
    assert!(err.contains("--base"), "{err}");
    let both = dpol_in(
        repo_root(),
        &["diff", "examples", "--against", "x", "--base", "HEAD"],
    );
    assert_eq!(both.status.code(), Some(1), "{}", stderr_of(&both));
}

/// The bug: `--format` was the one option of `dpol diff --help` without a
/// description.
#[test]
fn format_has_help_text() {
    let out = dpol_in(repo_root(), &["diff", "--help"]);
    let help = stdout_of(&out);
    let at = help.find("--format <FORMAT>").unwrap();
    let line_after = help[at..].lines().nth(1).unwrap_or("").trim();
    assert!(
        !line_after.starts_with("Possible values"),
        "no description under --format:\n{help}"
    );
    assert!(help[at..].contains("report"), "{help}");
}

/// The bug: the summary said how many source files were compiled but not
/// how many deployed files were read, so a directory that held none of the
/// expected outputs looked the same as a complete one.
#[test]
fn the_summary_counts_the_deployed_files_read() {
    let dir = TempDir::new("usage-count");
    let out_dir = dir.0.join("out");
    let built = dpol_in(
        repo_root(),
        &["build", "examples", "-o", out_dir.to_str().unwrap()],
    );
    assert_eq!(built.status.code(), Some(0), "{}", stderr_of(&built));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("manifest.json")).unwrap())
            .unwrap();
    let documents = manifest["documents"].as_array().unwrap().len();
    let out = dpol_in(
        repo_root(),
        &["diff", "examples", "--against", out_dir.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let expected = format!("read {} deployed files", documents + 1);
    assert!(stderr_of(&out).contains(&expected), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains(&expected), "{}", stdout_of(&out));

    let json = dpol_in(
        repo_root(),
        &[
            "diff",
            "examples",
            "--against",
            out_dir.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        report["summary"]["deployed_files"],
        documents + 1,
        "{report}"
    );

    // AWS CLI outputs: one per file.
    let fixtures = repo_root().join("tests/fixtures/deployed");
    let iam = fixtures.join("iam-get-role-policy.json");
    let vpce = fixtures.join("ec2-describe-vpc-endpoints.json");
    let out = dpol_in(
        repo_root(),
        &[
            "diff",
            "examples",
            "--against",
            iam.to_str().unwrap(),
            vpce.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("read 2 deployed files"),
        "{}",
        stderr_of(&out)
    );
}
