//! The compiled examples, evaluated by an independent IAM evaluator
//! (`@cloud-copilot/iam-simulate`, driven by `tests/sim/simulate.mjs`), must
//! reproduce the seeds' request → outcome pairs (data: `tests/seeds/cases.json`); every document must pass
//! `@cloud-copilot/iam-policy`'s validator for its kind, and parliament must
//! find nothing above LOW in the identity policies.
//!
//! Needs `npm ci --prefix tests/sim` and `pip install -r tests/sim/requirements.txt`
//! (`ci/test-all.sh` does both); without them these tests fail and say so.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use std::path::{Path, PathBuf};
use std::process::Command;

use dpol::emit::Compiled;
use dpol::iam::DocKind;
use serde_json::{json, Value};

#[macro_use]
mod tools;
use tools::Tool;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn compile_examples() -> Vec<Compiled> {
    let mut sources = dpol::source::SourceMap::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "dpol"))
        .collect();
    files.sort();
    for f in files {
        sources.add(
            f.display().to_string(),
            None,
            std::fs::read_to_string(&f).unwrap(),
        );
    }
    let (docs, diags) = dpol::compile(&sources);
    assert!(diags.is_empty(), "{diags:?}");
    docs.unwrap()
}

fn harness() -> PathBuf {
    let sim = root().join("tests/sim");
    assert!(
        sim.join("node_modules/@cloud-copilot/iam-simulate").exists(),
        "the IAM evaluator is not installed: run `npm ci --prefix tests/sim` (ci/test-all.sh does it)"
    );
    sim
}

struct Org {
    docs: Vec<Compiled>,
}

const FULL_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

impl Org {
    fn of(&self, kind: DocKind, attached_to: &str) -> Vec<Value> {
        self.docs
            .iter()
            .filter(|d| d.kind == kind && d.attach.iter().any(|a| a == attached_to))
            .map(|d| d.content())
            .collect()
    }

    /// The identity policies of a principal (plus extra ones the case adds).
    fn identity(&self, arn: &str) -> Vec<Value> {
        self.of(DocKind::Identity, arn)
    }

    /// SCP levels for an account in an OU: root, OU and account, each with FullAWSAccess.
    fn scps(&self, ou: &str, account: &str) -> Value {
        let full: Value = serde_json::from_str(FULL_ACCESS).unwrap();
        let level = |target: &str| {
            let mut docs = vec![full.clone()];
            docs.extend(self.of(DocKind::Scp, target));
            Value::Array(docs)
        };
        json!([[full.clone()], level(ou), level(account)])
    }

    fn resource(&self, table_arn: &str) -> Value {
        self.of(DocKind::Resource, table_arn)
            .into_iter()
            .next()
            .unwrap_or(Value::Null)
    }

    fn endpoint(&self, vpce: &str) -> Value {
        self.of(DocKind::VpcEndpoint, vpce)
            .into_iter()
            .next()
            .unwrap_or(Value::Null)
    }
}

fn allow_all() -> Value {
    serde_json::from_str(FULL_ACCESS).unwrap()
}

struct Case {
    name: String,
    expect: String,
    body: Value,
}

fn request(principal: &str, action: &str, resource: &str, context: Value) -> Value {
    json!({"principal": principal, "action": action, "resource": resource, "context": context})
}

impl Case {
    fn with(mut self, key: &str, value: Value) -> Case {
        self.body[key] = value;
        self
    }
}

/// AWS's default key policy: the account's IAM policies decide.
fn default_key_policy() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "EnableIamPolicies", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::676190956703:root"}, "Action": "kms:*", "Resource": "*"}]})
}

/// The seed cases: `tests/seeds/cases.json`, groups of requests with the
/// outcome the seeds give, each naming the policies it is evaluated against
/// symbolically (see that file's `about`); the policies are the compiled
/// examples'.
fn data_cases(org: &Org) -> Vec<Case> {
    let text = std::fs::read_to_string(root().join("tests/seeds/cases.json")).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    let mut cases = Vec::new();
    for group in file["groups"].as_array().expect("`groups`: a list") {
        for case in group["cases"]
            .as_array()
            .expect("a group's `cases`: a list")
        {
            cases.push(data_case(org, case));
        }
    }
    cases
}

fn data_case(org: &Org, case: &Value) -> Case {
    const KEYS: [&str; 10] = [
        "name",
        "expect",
        "principal",
        "action",
        "resource",
        "context",
        "identity",
        "scps",
        "resource_policy",
        "endpoint",
    ];
    for key in case.as_object().expect("a case is an object").keys() {
        assert!(
            KEYS.contains(&key.as_str()),
            "unknown key `{key}` in {case}"
        );
    }
    assert!(
        ["Allowed", "ImplicitlyDenied", "ExplicitlyDenied"]
            .contains(&case["expect"].as_str().unwrap_or("")),
        "`expect` of {case}"
    );
    let text = |key: &str| -> String {
        case[key]
            .as_str()
            .unwrap_or_else(|| panic!("`{key}` of {case}"))
            .to_string()
    };
    let principal = text("principal");
    let resource = text("resource");
    let identity: Vec<Value> = match case.get("identity") {
        None => org.identity(&principal),
        Some(list) => list
            .as_array()
            .expect("`identity`: a list")
            .iter()
            .flat_map(|source| match source.as_str() {
                Some("allow-all") => vec![allow_all()],
                Some(arn) => org.identity(arn),
                None => panic!("an `identity` entry is a string: {source}"),
            })
            .collect(),
    };
    let context = case.get("context").cloned().unwrap_or_else(|| json!({}));
    let body = json!({
        "identityPolicies": identity,
        "request": request(&principal, &text("action"), &resource, context),
    });
    let mut built = Case {
        name: text("name"),
        expect: text("expect"),
        body,
    };
    if let Some(scps) = case.get("scps") {
        let ou = scps["ou"].as_str().expect("`scps.ou`");
        let account = scps["account"].as_str().expect("`scps.account`");
        built = built.with("scps", org.scps(ou, account));
    }
    match case.get("resource_policy").and_then(Value::as_str) {
        None => {}
        Some("default-key-policy") => built = built.with("resourcePolicy", default_key_policy()),
        Some("compiled") => built = built.with("resourcePolicy", org.resource(&resource)),
        Some(other) => {
            panic!("`resource_policy`: `compiled` or `default-key-policy`, not `{other}`")
        }
    }
    if let Some(vpce) = case.get("endpoint").and_then(Value::as_str) {
        built = built.with("endpointPolicy", org.endpoint(vpce));
    }
    built
}

fn run_node(script: &Path, args: &[&str], stdin_file: Option<&Path>) -> (i32, String) {
    let mut cmd = Command::new("node");
    cmd.arg(script).args(args);
    if let Some(f) = stdin_file {
        cmd.arg(f);
    }
    let out = cmd
        .output()
        .expect("node is required for the semantic tests");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// A scratch directory, removed when the returned guard is dropped.
fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("dpol-{name}-"))
        .tempdir()
        .unwrap()
}

#[test]
fn compiled_examples_reproduce_the_seed_outcomes() {
    require!(Tool::Evaluator);
    let sim = harness();
    let org = Org {
        docs: compile_examples(),
    };
    let cases = data_cases(&org);
    let input = json!({"cases": cases.iter().map(|c| {
        let mut body = c.body.clone();
        body["name"] = json!(c.name);
        body
    }).collect::<Vec<_>>()});
    let dir_guard = scratch("cases");
    let dir = dir_guard.path();
    let file = dir.join("cases.json");
    std::fs::write(&file, serde_json::to_string_pretty(&input).unwrap()).unwrap();
    let (code, output) = run_node(&sim.join("simulate.mjs"), &[], Some(&file));
    assert_eq!(code, 0, "{output}");
    let results: Value = serde_json::from_str(&output).unwrap_or_else(|e| panic!("{e}: {output}"));
    let mut failures = Vec::new();
    for (case, result) in cases.iter().zip(results["results"].as_array().unwrap()) {
        if result["decision"] != case.expect {
            failures.push(format!(
                "{}: expected {}, got {} — {}",
                case.name, case.expect, result["decision"], result["detail"]
            ));
        }
    }
    println!(
        "{} passed, {} failed",
        cases.len() - failures.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_document_passes_the_validator_for_its_kind() {
    require!(Tool::Evaluator);
    let sim = harness();
    let dir_guard = scratch("docs");
    let dir = dir_guard.path();
    std::fs::create_dir_all(dir).unwrap();
    let mut args = Vec::new();
    for doc in compile_examples()
        .iter()
        .filter(|d| d.kind != DocKind::EventRule)
    {
        let path = dir.join(doc.path().replace('/', "_"));
        std::fs::write(&path, &doc.text).unwrap();
        args.push(json!({"kind": serde_json::to_value(doc.kind).unwrap(), "path": path}));
    }
    let list = serde_json::to_string(&args).unwrap();
    let (code, output) = run_node(&sim.join("validate.mjs"), &[&list], None);
    assert_eq!(code, 0, "validator findings:\n{output}");
}

#[test]
fn parliament_finds_nothing_above_low_in_identity_policies() {
    require!(Tool::Parliament);
    let sim = harness();
    let dir_guard = scratch("identity");
    let dir = dir_guard.path();
    std::fs::create_dir_all(dir).unwrap();
    let mut files = Vec::new();
    for doc in compile_examples()
        .iter()
        .filter(|d| d.kind == DocKind::Identity)
    {
        let path = dir.join(doc.path().replace('/', "_"));
        std::fs::write(&path, &doc.text).unwrap();
        files.push(path.display().to_string());
    }
    let out = Command::new("python3")
        .arg(sim.join("parliament_check.py"))
        .args(&files)
        .output()
        .expect("python3 is required");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        !text.contains("No module named"),
        "parliament is not installed: pip install -r tests/sim/requirements.txt\n{text}"
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "parliament findings above LOW:\n{text}"
    );
}
