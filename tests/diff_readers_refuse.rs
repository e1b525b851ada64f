//! The readers refuse to guess: input whose meaning is not certain stops the
//! diff with a coded error that names the file and the JSON path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod diff_common;

use diff_common::{dpol_in, fixture, fixture_json, stderr_of, InputError, ReadFails, TempDir};
use dpol::diag::InputProblem;
use dpol::diff::{read_build_dir, read_deployed};
use serde_json::{json, Value};

fn error_of_text(origin: &str, text: &str) -> InputError {
    read_deployed(origin, text).input_err()
}

fn error_of(origin: &str, value: &Value) -> InputError {
    error_of_text(origin, &value.to_string())
}

/// The bug: serde_json keeps the last of two equal keys, so
/// `"Effect": "Deny", "Effect": "Allow"` read as an Allow (IAM itself
/// rejects such a document, so what is deployed is not what was read).
#[test]
fn duplicate_keys_at_any_level_are_refused() {
    let role = fixture("iam-get-role-policy.json");
    let doubled = role.replacen(
        "\"Effect\": \"Allow\"",
        "\"Effect\": \"Deny\", \"Effect\": \"Allow\"",
        1,
    );
    assert_ne!(doubled, role);
    let error = error_of_text("role.json", &doubled);
    assert_eq!(error.kind, InputProblem::DuplicateKey, "{error}");
    assert_eq!(error.json_path, "$.PolicyDocument.Statement[0].Effect");
    assert_eq!(error.kind.code().as_str(), "E0106");

    // Two `Statement`s: the first would be dropped.
    let two = r#"{"PolicyName": "p", "RoleName": "r", "PolicyDocument": {"Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "dynamodb:*", "Resource": "*"}],
        "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}}"#;
    let error = error_of_text("role.json", two);
    assert_eq!(error.kind, InputProblem::DuplicateKey);
    assert_eq!(error.json_path, "$.PolicyDocument.Statement");

    // At the top level, and in policy text inside a string (SCP content).
    let error = error_of_text(
        "iam.json",
        r#"{"UserDetailList": [], "UserDetailList": []}"#,
    );
    assert_eq!(
        (error.kind, error.json_path.as_str()),
        (InputProblem::DuplicateKey, "$.UserDetailList")
    );
    let mut scp = fixture_json("organizations-describe-policy.json");
    scp["Policy"]["Content"] = json!(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"dynamodb:*","Resource":"*","Resource":"arn:aws:dynamodb:*:*:table/X"}]}"#
    );
    let error = error_of("scp.json", &scp);
    assert_eq!(error.kind, InputProblem::DuplicateKey);
    assert_eq!(error.json_path, "$.Policy.Content.Statement[0].Resource");

    // Keys that differ only in case are different keys to JSON (and the
    // validator refuses `effect` as an unknown element).
    let cased = role.replacen(
        "\"Effect\": \"Allow\"",
        "\"effect\": \"Deny\", \"Effect\": \"Allow\"",
        1,
    );
    assert_eq!(
        error_of_text("role.json", &cased).kind,
        InputProblem::UnsupportedElement
    );
}

/// Duplicate keys in a build directory's documents and manifest too.
#[test]
fn duplicate_keys_in_a_build_directory_are_refused() {
    let dir = TempDir::new("refuse-build-dup");
    dir.write(
        "manifest.json",
        r#"{"version": 1, "documents": [{"kind": "identity", "name": "dpol-a", "path": "identity/dpol-a.json", "path": "identity/dpol-b.json"}]}"#,
    );
    let error = read_build_dir(&dir.0).input_err();
    assert_eq!(error.kind, InputProblem::DuplicateKey);
    assert_eq!(error.json_path, "$.documents[0].path");
}

/// The bug: a page of paginated output (`--max-items`, `--no-paginate`, or an
/// interrupted dump) read as the whole account, so whatever was on the other
/// pages was "not deployed".
#[test]
fn incomplete_pagination_is_refused() {
    let mut details = fixture_json("iam-get-account-authorization-details.json");
    details["IsTruncated"] = json!(true);
    details["Marker"] = json!("AAAA");
    let error = error_of("iam.json", &details);
    assert_eq!(error.kind, InputProblem::Incomplete, "{error}");
    assert_eq!(error.json_path, "$.IsTruncated");
    assert_eq!(error.kind.code().as_str(), "E0107");

    let mut endpoints = fixture_json("ec2-describe-vpc-endpoints.json");
    endpoints["NextToken"] = json!("eyJOZXh0VG9rZW4iOiBudWxsfQ==");
    let error = error_of("ec2.json", &endpoints);
    assert_eq!(
        (error.kind, error.json_path.as_str()),
        (InputProblem::Incomplete, "$.NextToken")
    );

    let mut targets = fixture_json("organizations-list-targets-for-policy.json");
    targets["NextToken"] = json!("x");
    assert_eq!(
        error_of("targets-p-1.json", &targets).kind,
        InputProblem::Incomplete
    );

    let mut marker_only = fixture_json("iam-get-account-authorization-details.json");
    marker_only["Marker"] = json!("AAAA");
    assert_eq!(
        error_of("iam.json", &marker_only).kind,
        InputProblem::Incomplete
    );

    // `IsTruncated: false` is a complete answer.
    let mut complete = fixture_json("iam-get-account-authorization-details.json");
    complete["IsTruncated"] = json!(false);
    assert!(read_deployed("iam.json", &complete.to_string()).is_ok());
}

/// The bug: `get-account-authorization-details --filter Role` lists the
/// role's attached policies but not their documents (`Policies: []`), so a
/// dpol policy deployed and attached was not seen, and its removal from the
/// program was no change.
#[test]
fn attached_policies_missing_from_the_output_are_refused() {
    let mut details = fixture_json("iam-get-account-authorization-details.json");
    details["Policies"] = json!([]);
    let error = error_of("iam.json", &details);
    assert_eq!(error.kind, InputProblem::Incomplete, "{error}");
    assert!(
        error
            .json_path
            .ends_with(".AttachedManagedPolicies[0].PolicyArn"),
        "{error}"
    );
    assert!(error.message.contains("--filter"), "{error}");
    // AWS managed policies are not read, so their absence is no gap.
    let mut aws_managed = fixture_json("iam-get-account-authorization-details.json");
    aws_managed["RoleDetailList"][0]["AttachedManagedPolicies"]
        .as_array_mut()
        .unwrap()
        .push(json!({"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}));
    assert!(read_deployed("iam.json", &aws_managed.to_string()).is_ok());
}

/// The bug: the first version marked default won, and without one the
/// `DefaultVersionId` was used: zero or two default versions, or an id that
/// contradicts the flags, read as whichever came first.
#[test]
fn managed_policies_need_exactly_one_consistent_default_version() {
    let versions_at = "$.Policies[0].PolicyVersionList";
    let mut none = fixture_json("iam-get-account-authorization-details.json");
    none["Policies"][0]["PolicyVersionList"][1]["IsDefaultVersion"] = json!(false);
    let error = error_of("iam.json", &none);
    assert_eq!(
        (error.kind, error.json_path.as_str()),
        (InputProblem::DefaultVersion, versions_at)
    );
    assert_eq!(error.kind.code().as_str(), "E0108");

    let mut two = fixture_json("iam-get-account-authorization-details.json");
    two["Policies"][0]["PolicyVersionList"][0]["IsDefaultVersion"] = json!(true);
    let error = error_of("iam.json", &two);
    assert_eq!(error.kind, InputProblem::DefaultVersion);
    assert!(
        error.message.contains("v1") && error.message.contains("v2"),
        "{error}"
    );

    let mut contradicting = fixture_json("iam-get-account-authorization-details.json");
    contradicting["Policies"][0]["DefaultVersionId"] = json!("v1");
    let error = error_of("iam.json", &contradicting);
    assert_eq!(error.kind, InputProblem::DefaultVersion);
    assert_eq!(error.json_path, "$.Policies[0].DefaultVersionId");

    let mut unmarked = fixture_json("iam-get-policy-version.json");
    unmarked["PolicyVersion"]
        .as_object_mut()
        .unwrap()
        .remove("IsDefaultVersion");
    let error = error_of("v.json", &unmarked);
    assert_eq!(error.kind, InputProblem::DefaultVersion);
}

/// The bug: `Principal` was accepted in identity policies, where IAM has no
/// such element: the statement was compared as if it applied to anyone.
#[test]
fn a_principal_in_an_identity_policy_is_refused() {
    let mut role = fixture_json("iam-get-role-policy.json");
    role["PolicyDocument"]["Statement"][0]["Principal"] = json!({"AWS": "arn:aws:iam::1:root"});
    let error = error_of("role.json", &role);
    assert_eq!(error.kind, InputProblem::UnsupportedElement, "{error}");
    assert_eq!(error.json_path, "$.PolicyDocument.Statement[0].Principal");

    let mut details = fixture_json("iam-get-account-authorization-details.json");
    // This one's `Statement` is a single object, not a list.
    details["UserDetailList"][0]["UserPolicyList"][0]["PolicyDocument"]["Statement"]["Principal"] =
        json!("*");
    let error = error_of("iam.json", &details);
    assert_eq!(error.kind, InputProblem::UnsupportedElement);
    assert_eq!(
        error.json_path,
        "$.UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement.Principal"
    );

    // Resource and endpoint policies need one.
    assert!(read_deployed("ec2.json", &fixture("ec2-describe-vpc-endpoints.json")).is_ok());
}

/// The codes reach the command line with the file, the JSON path, and the
/// line and column in the file (they were a message without a location).
#[test]
fn the_cli_reports_the_code_file_and_path() {
    let dir = TempDir::new("refuse-cli");
    let role = fixture("iam-get-role-policy.json").replacen(
        "\"Effect\": \"Allow\"",
        "\"Effect\": \"Deny\", \"Effect\": \"Allow\"",
        1,
    );
    dir.write("role.json", &role);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = dpol_in(
        root,
        &[
            "diff",
            "examples",
            "--against",
            dir.0.join("role.json").to_str().unwrap(),
        ],
    );
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("[E0106]"), "{err}");
    assert!(err.contains("role.json"), "{err}");
    assert!(
        err.contains("$.PolicyDocument.Statement[0].Effect"),
        "{err}"
    );
    // Only the program's files are counted as compiled.
    assert!(err.contains("compiled 4 files: 1 error"), "{err}");

    // With a location in the file: the line and column of the key's value.
    let against = dir.0.join("role.json");
    let args = [
        "diff",
        "examples",
        "--error-format",
        "json",
        "--against",
        against.to_str().unwrap(),
    ];
    let report: Value = serde_json::from_slice(&dpol_in(root, &args).stderr).unwrap();
    let first = &report["diagnostics"][0];
    let at = role.find("\"Deny\"").unwrap();
    let line = role[..at].matches('\n').count() + 1;
    let column = at - role[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
    assert_eq!(first["code"], "E0106");
    assert!(
        first["file"].as_str().unwrap().ends_with("role.json"),
        "{first}"
    );
    assert_eq!(first["line"].as_u64(), Some(line as u64), "{first}");
    assert_eq!(first["column"].as_u64(), Some(column as u64), "{first}");
    assert_eq!(
        first["json_path"], "$.PolicyDocument.Statement[0].Effect",
        "{first}"
    );
    assert_eq!(
        first["labels"][0]["message"],
        "this key is in this object twice"
    );

    // GitHub annotations name the file even without a line.
    let mut args = args.to_vec();
    args[3] = "github";
    let err = stderr_of(&dpol_in(root, &args));
    assert!(err.contains("::error file="), "{err}");
    assert!(err.contains("role.json,line="), "{err}");
}
