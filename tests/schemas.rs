//! The published JSON Schemas of dpol's outputs (`docs/schemas/`) are the
//! ones the Rust types give (`dpol::schema::all`), and the outputs the real
//! binary writes validate against them: the manifests of every build of the
//! examples and the UI cases, `--error-format json` of every UI case, the
//! JSON diff reports of a change, of no change and of the captured AWS
//! outputs, and `dpol why --format json` answers of each decision.
//! After a deliberate change: `DPOL_BLESS=1 cargo test --test schemas`, then
//! review the schema diff (and bump the output's `format_version` if the
//! change is incompatible).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod golden_file;

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = root().join(format!("docs/schemas/{name}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: not a JSON Schema: {e}"))
}

/// Runs dpol in the repository root; returns stdout, stderr and the status.
fn dpol(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// Panics with every error when `json` (from `what`) does not validate.
fn validates(validator: &jsonschema::Validator, json: &str, what: &str) {
    let value: Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{what}: not JSON: {e}\n{json}"));
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not validate:\n{}",
        errors.join("\n")
    );
}

fn dpol_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "dpol"))
        .map(|p| p.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    files.sort();
    files
}

#[test]
fn published_schemas_are_the_ones_the_types_give() {
    let mut failures = Vec::new();
    for (name, text) in dpol::schema::all() {
        let path = root().join(format!("docs/schemas/{name}.schema.json"));
        if let Err(diff) = golden_file::compare(&path, &text) {
            failures.push(diff);
        }
    }
    assert!(
        failures.is_empty(),
        "a type changed and its schema did not (DPOL_BLESS=1 cargo test --test schemas, then review):\n{}",
        failures.join("\n")
    );
    let mut published: Vec<String> = std::fs::read_dir(root().join("docs/schemas"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    published.sort();
    let mut expected: Vec<String> = dpol::schema::all()
        .iter()
        .map(|(n, _)| format!("{n}.schema.json"))
        .collect();
    expected.sort();
    assert_eq!(
        published, expected,
        "docs/schemas/ holds exactly the generated schemas"
    );
}

#[test]
fn every_manifest_validates() {
    let validator = schema("manifest");
    let tmp = tempfile::tempdir().unwrap();
    let mut builds: Vec<(String, Vec<String>)> = vec![("examples".into(), vec!["examples".into()])];
    for file in dpol_files("tests/ui/pass") {
        builds.push((file.clone(), vec![file]));
    }
    for (i, (what, inputs)) in builds.iter().enumerate() {
        let out = tmp.path().join(format!("out{i}"));
        let mut args: Vec<&str> = vec!["build"];
        args.extend(inputs.iter().map(String::as_str));
        let out_text = out.display().to_string();
        args.extend(["-o", &out_text]);
        let (_, stderr, status) = dpol(&args);
        assert_eq!(status, 0, "{what}: {stderr}");
        let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
        validates(&validator, &manifest, &format!("the manifest of {what}"));
    }
}

#[test]
fn every_diagnostics_report_validates() {
    let validator = schema("diagnostics");
    let failing = dpol_files("tests/ui/fail");
    let mut inputs = failing.clone();
    inputs.extend(dpol_files("tests/ui/pass"));
    inputs.push("examples".into());
    // `build`, not `check`: some errors are found when the documents are
    // written (E0410, E0411).
    let tmp = tempfile::tempdir().unwrap();
    for (i, input) in inputs.iter().enumerate() {
        let out = tmp.path().join(format!("out{i}")).display().to_string();
        let (stdout, _, _) = dpol(&["build", "--error-format", "json", input, "-o", &out]);
        validates(
            &validator,
            &stdout,
            &format!("`dpol build --error-format json {input}`"),
        );
        let report: Value = serde_json::from_str(&stdout).unwrap();
        if failing.contains(input) {
            assert!(report["errors"].as_u64() > Some(0), "{input}: {stdout}");
        }
    }
    // `dpol test`: its failures (E0421, E0422) in the same format.
    let (stdout, _, status) = dpol(&[
        "test",
        "--error-format",
        "json",
        "tests/golden/test-failures.dpol",
    ]);
    assert_eq!(status, 1, "{stdout}");
    assert!(stdout.contains("E0421"), "{stdout}");
    validates(&validator, &stdout, "`dpol test --error-format json`");
    // A diagnostic about a JSON input (its `json_path`), from `dpol diff`.
    let bad = root().join("tests/fixtures/deployed/inputs/malformed/15-lowercase-keys.json");
    let (_, stderr, status) = dpol(&[
        "diff",
        "examples",
        "--against",
        &bad.display().to_string(),
        "--error-format",
        "json",
    ]);
    assert_ne!(status, 0);
    assert!(stderr.contains("\"json_path\""), "{stderr}");
    validates(&validator, &stderr, "a diagnostic about a deployed file");
}

#[test]
fn every_diff_report_validates() {
    let validator = schema("diff");
    let tmp = tempfile::tempdir().unwrap();
    let before = tmp.path().join("before");
    let before_text = before.display().to_string();
    let (_, stderr, status) = dpol(&[
        "build",
        "tests/transcripts/review/before",
        "-o",
        &before_text,
    ]);
    assert_eq!(status, 0, "{stderr}");
    let examples = tmp.path().join("examples");
    let examples_text = examples.display().to_string();
    let (_, stderr, status) = dpol(&["build", "examples", "-o", &examples_text]);
    assert_eq!(status, 0, "{stderr}");
    // Captured AWS CLI outputs: removed, unmanaged and added documents.
    let deployed = [
        "iam-get-account-authorization-details.json",
        "ec2-describe-vpc-endpoints.json",
        "organizations-describe-policy.json",
        "events-describe-rule.json",
        "events-list-targets-by-rule-dpol-alert-Orders-1.json",
    ]
    .map(|f| format!("tests/fixtures/deployed/{f}"));
    let mut runs: Vec<(Vec<String>, i32)> = vec![
        (
            vec![
                "tests/transcripts/review/after".into(),
                "--against".into(),
                before_text,
            ],
            2,
        ),
        (
            vec!["examples".into(), "--against".into(), examples_text],
            0,
        ),
    ];
    let mut against_aws = vec!["examples".to_string(), "--against".to_string()];
    against_aws.extend(deployed);
    runs.push((against_aws, 2));
    for (args, expected) in runs {
        let mut all: Vec<&str> = vec!["diff"];
        all.extend(args.iter().map(String::as_str));
        all.extend(["--format", "json"]);
        let (stdout, stderr, status) = dpol(&all);
        assert_eq!(status, expected, "dpol {}: {stderr}", all.join(" "));
        validates(&validator, &stdout, &format!("`dpol {}`", all.join(" ")));
    }
}

#[test]
fn every_why_answer_validates() {
    let validator = schema("why");
    for (query, decision) in [
        (
            "Alice GetItem ProductCatalog --keys 101 --attrs Id,Title --select SPECIFIC_ATTRIBUTES",
            "Allowed",
        ),
        ("OrdersApp GetItem Orders", "ExplicitlyDenied"),
        ("OrdersApp GetItem Orders --via prodvpc", "Allowed"),
        ("Alice DeleteTable ProductCatalog", "ImplicitlyDenied"),
    ] {
        let mut args: Vec<&str> = vec!["why"];
        args.extend(query.split(' '));
        args.extend(["-p", "examples", "--format", "json"]);
        let (stdout, stderr, _) = dpol(&args);
        validates(&validator, &stdout, &format!("`dpol why {query}`"));
        let answer: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(answer["decision"], decision, "{query}: {stderr}");
    }
}

#[test]
fn a_schema_rejects_what_its_output_never_is() {
    // The schemas constrain: a manifest of an unknown document kind, or a
    // diagnostic of an unknown severity, does not validate.
    let manifest = schema("manifest");
    let bad = r#"{"format_version": 2, "generator": "dpol", "documents": [{"kind": "lambda"}], "targets": {}}"#;
    assert!(!manifest.is_valid(&serde_json::from_str(bad).unwrap()));
    let diagnostics = schema("diagnostics");
    let bad = r#"{"format_version": 2, "diagnostics": [{"code": "E0201", "severity": "fatal"}], "errors": 1, "warnings": 0}"#;
    assert!(!diagnostics.is_valid(&serde_json::from_str(bad).unwrap()));
    // An output of another format version does not validate either.
    let bad = r#"{"format_version": 3, "generator": "dpol", "documents": [], "targets": {}}"#;
    assert!(!manifest.is_valid(&serde_json::from_str(bad).unwrap()));
    let good = r#"{"format_version": 2, "generator": "dpol", "documents": [], "targets": {}}"#;
    assert!(manifest.is_valid(&serde_json::from_str(good).unwrap()));
}
