//! `--error-format sarif` and `--error-format github` from the real binary.
//! SARIF is validated against the vendored OASIS SARIF 2.1.0 errata01 schema
//! (tests/schemas/README.md says where it comes from).

#![allow(clippy::unwrap_used)] // test helpers: a failed step should fail the test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dpol::diag::render::render_sarif;
use dpol::diag::{Code, Diagnostic};
use dpol::source::{SourceMap, Span};
use serde_json::Value;

const SCHEMA: &str = include_str!("schemas/sarif-2.1.0.json");

const BAD: &str = "# a comment
account prod = 111122223333
region us-east-1
table Orders in prod { key id: number }
role App in prod
App reads Orderz
role App in prod
";

const GOOD: &str = "account prod = 111122223333
region us-east-1
table Orders in prod { key id: number }
role App in prod
App reads Orders
";

const WARN: &str = "account prod = 111122223333
region us-east-1
table Orders in prod { key id: number }
role App in prod
App manages *
";

/// A fresh directory under Cargo's per-target scratch dir, with `files`.
fn workdir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("ci_formats")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn dpol(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Parses a SARIF log and asserts that it is valid against the schema.
fn valid_sarif(text: &str) -> Value {
    let doc: Value = serde_json::from_str(text).unwrap();
    let errors = schema_errors(&doc);
    assert!(errors.is_empty(), "{errors:#?}\n{text}");
    doc
}

fn schema_errors(doc: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn region(result: &Value) -> (i64, i64, i64, i64) {
    let r = &result["locations"][0]["physicalLocation"]["region"];
    let n = |k: &str| r[k].as_i64().unwrap();
    (
        n("startLine"),
        n("startColumn"),
        n("endLine"),
        n("endColumn"),
    )
}

#[test]
fn sarif_for_a_failing_program_is_valid_and_points_at_the_lines() {
    let dir = workdir(
        "sarif_fail",
        &[("policies/bad.dpol", BAD), ("policies/good.dpol.txt", GOOD)],
    );
    let out = dpol(&dir, &["check", "--error-format", "sarif", "./policies"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = valid_sarif(&stdout(&out));
    // Only the summary goes to stderr, not the human rendering.
    assert_eq!(stderr(&out), "checked 1 file: 2 errors\n");

    let run = &doc["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "dpol");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["rules"].as_array().unwrap().len(), Code::ALL.len());
    assert_eq!(run["columnKind"], "utf16CodeUnits");

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let uri = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "policies/bad.dpol");
    assert_eq!(results[0]["ruleId"], "E0201");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(region(&results[0]), (6, 11, 6, 17));
    let message = results[0]["message"]["text"].as_str().unwrap();
    assert_eq!(
        message,
        "unknown table `Orderz`\nhelp: did you mean `Orders`?"
    );
    let index = results[0]["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(driver["rules"][index]["id"], "E0201");

    assert_eq!(results[1]["ruleId"], "E0202");
    assert_eq!(region(&results[1]), (7, 6, 7, 9));
    let related = &results[1]["relatedLocations"][0];
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 5);
    assert_eq!(related["message"]["text"], "first defined here");

    // Deterministic: the same bytes on a second run.
    let again = dpol(&dir, &["check", "--error-format", "sarif", "./policies"]);
    assert_eq!(again.stdout, out.stdout);
}

#[test]
fn sarif_for_a_clean_program_and_for_warnings() {
    let dir = workdir("sarif_clean", &[("good.dpol", GOOD), ("warn.dpol", WARN)]);
    let out = dpol(&dir, &["check", "--error-format", "sarif", "good.dpol"]);
    assert_eq!(out.status.code(), Some(0));
    let doc = valid_sarif(&stdout(&out));
    assert_eq!(doc["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(stderr(&out), "checked 1 file: no problems\n");

    let out = dpol(&dir, &["check", "--error-format", "sarif", "warn.dpol"]);
    assert_eq!(out.status.code(), Some(0));
    let doc = valid_sarif(&stdout(&out));
    let result = &doc["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "W0004");
    assert_eq!(result["level"], "warning");
    assert_eq!(region(result), (5, 1, 5, 14));
}

#[test]
fn sarif_for_an_unreadable_path_has_a_notification_not_a_result() {
    let dir = workdir("sarif_missing", &[]);
    let out = dpol(&dir, &["check", "--error-format", "sarif", "missing.dpol"]);
    assert_eq!(out.status.code(), Some(2));
    let doc = valid_sarif(&stdout(&out));
    let run = &doc["runs"][0];
    assert_eq!(run["results"], serde_json::json!([]));
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["associatedRule"]["id"], "E0104");
}

#[test]
fn github_annotations_for_a_failing_program() {
    let dir = workdir("github_fail", &[("policies/bad.dpol", BAD)]);
    let out = dpol(&dir, &["check", "--error-format", "github", "policies"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "::error file=policies/bad.dpol,line=6,col=11,endLine=6,endColumn=17,title=E0201\
         ::unknown table `Orderz`%0Ahelp: did you mean `Orders`?\n\
         ::error file=policies/bad.dpol,line=7,col=6,endLine=7,endColumn=9,title=E0202\
         ::principal `App` is defined twice%0Ahelp: remove one of the definitions, or rename one\
         %0Apolicies/bad.dpol:5:6: first defined here\n"
    );
    assert_eq!(stderr(&out), "checked 1 file: 2 errors\n");
}

#[test]
fn github_annotations_for_warnings_and_unreadable_paths() {
    let dir = workdir("github_warn", &[("warn.dpol", WARN)]);
    let out = dpol(&dir, &["check", "--error-format", "github", "warn.dpol"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).starts_with(
            "::warning file=warn.dpol,line=5,col=1,endLine=5,endColumn=14,title=W0004::"
        ),
        "{}",
        stdout(&out)
    );
    let out = dpol(&dir, &["check", "--error-format", "github", "missing.dpol"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).starts_with("::error title=E0104::cannot read `missing.dpol`"));
}

#[test]
fn library_sarif_with_every_shape_is_valid() {
    let mut sources = SourceMap::new();
    let text = "# é😀\nrole App in prod\nApp reads Orderz\n".to_string();
    let at = text.find("Orderz").unwrap();
    let a = sources.add("./dir with space/a.dpol", None, text);
    let b = sources.add("/abs/b.dpol", None, "role App in prod\n".to_string());
    let diagnostics = [
        Diagnostic::new(Code::UnknownName, Span::new(a, at, at + 6), "unknown 100%")
            .label("not declared")
            .note("a note")
            .help("did you mean `Orders`?"),
        Diagnostic::new(Code::DuplicateDefinition, Span::new(a, 12, 15), "twice")
            .secondary(Span::new(b, 5, 8), "first defined here")
            .secondary(Span::new(a, 0, 9), ""),
        Diagnostic::new(Code::FullAdmin, Span::new(b, 0, 17), "warn"),
        Diagnostic::global(Code::ReadError, "cannot read `x`"),
        Diagnostic::global(Code::Expired, "a global warning"),
    ];
    let doc = valid_sarif(&render_sarif(&sources, &diagnostics));
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let artifact = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "dir%20with%20space/a.dpol");
    let related = &results[1]["relatedLocations"][0]["physicalLocation"];
    assert_eq!(related["artifactLocation"]["uri"], "file:///abs/b.dpol");
    let notes = &doc["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notes.as_array().unwrap().len(), 2);
}

#[test]
fn the_schema_check_rejects_an_invalid_log() {
    let mut doc: Value = serde_json::from_str(&render_sarif(&SourceMap::new(), &[])).unwrap();
    assert!(schema_errors(&doc).is_empty());
    doc["runs"][0]["tool"]["driver"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    doc["runs"][0]["columnKind"] = Value::from("bytes");
    assert_eq!(schema_errors(&doc).len(), 2, "{:#?}", schema_errors(&doc));
}
