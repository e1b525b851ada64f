//! Bad input: every reader error names the file and the JSON path, and no
//! input, however broken, panics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod diff_common;

use diff_common::{fixture, fixture_json, InputError, ReadFails, TempDir};
use dpol::diag::InputProblem;
use dpol::diff::{read_build_dir, read_deployed, read_deployed_set};
use serde_json::{json, Value};

const CAPTURES: [&str; 7] = [
    "iam-get-account-authorization-details.json",
    "iam-get-role-policy.json",
    "iam-get-policy-version.json",
    "organizations-describe-policy.json",
    "organizations-list-targets-for-policy.json",
    "ec2-describe-vpc-endpoints.json",
    "dynamodb-get-resource-policy.json",
];

fn error_of(origin: &str, value: &Value) -> InputError {
    read_deployed(origin, &value.to_string()).input_err()
}

/// `document` as the content of a `describe-policy` output.
fn as_scp(document: &str) -> Value {
    let mut scp = fixture_json("organizations-describe-policy.json");
    scp["Policy"]["Content"] = json!(document);
    scp
}

#[test]
fn truncated_json() {
    let text = fixture("iam-get-account-authorization-details.json");
    let error = read_deployed("iam.json", &text[..text.len() / 2]).input_err();
    assert_eq!(error.kind, InputProblem::InvalidJson);
    assert_eq!(
        (error.origin.as_str(), error.json_path.as_str()),
        ("iam.json", "$")
    );
    assert!(error.message.contains("truncated"), "{error}");
    assert!(error
        .to_string()
        .starts_with("iam.json: $: the file is truncated JSON"));
}

#[test]
fn unknown_shapes() {
    let error = error_of("x.json", &json!({"Foo": 1, "Bar": []}));
    assert_eq!(error.kind, InputProblem::UnknownShape);
    assert!(error.message.contains("Bar, Foo"), "{error}");
    assert_eq!(
        error_of("x.json", &json!([1, 2])).kind,
        InputProblem::UnknownShape
    );
    let manifest = json!({"version": 1, "documents": []});
    assert!(error_of("manifest.json", &manifest)
        .message
        .contains("manifest"));
}

#[test]
fn policy_text_that_is_not_json() {
    let error = error_of(
        "scp.json",
        &as_scp(&fixture("inputs/malformed/05-not-json.json")),
    );
    assert_eq!(error.kind, InputProblem::EmbeddedNotJson);
    assert_eq!(error.json_path, "$.Policy.Content");
    let error = error_of(
        "scp.json",
        &as_scp("{\"Version\": \"2012-10-17\", \"Statement\": ["),
    );
    assert!(error.message.contains("truncated"), "{error}");
    let error = error_of("scp.json", &as_scp("%7B%ZZ"));
    assert_eq!(error.kind, InputProblem::EmbeddedNotJson);
}

#[test]
fn elements_dpol_never_emits() {
    let not_principal = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"Action":"dynamodb:*","Resource":"*"}]}"#;
    let error = error_of("scp.json", &as_scp(not_principal));
    assert_eq!(error.kind, InputProblem::UnsupportedElement);
    assert_eq!(
        error.json_path,
        "$.Policy.Content.Statement[0].NotPrincipal"
    );
    assert!(error.message.contains("NotPrincipal"));

    let mut details = fixture_json("iam-get-account-authorization-details.json");
    let statement = &mut details["Policies"][0]["PolicyVersionList"][1]["Document"]["Statement"][1];
    statement["NotResource"] = statement["Resource"].take();
    statement.as_object_mut().unwrap().remove("Resource");
    let error = error_of("iam.json", &details);
    assert_eq!(error.kind, InputProblem::UnsupportedElement);
    assert_eq!(
        error.json_path,
        "$.Policies[0].PolicyVersionList[1].Document.Statement[1].NotResource"
    );
    assert_eq!(
        error.to_string(),
        "iam.json: $.Policies[0].PolicyVersionList[1].Document.Statement[1].NotResource: \
         `NotResource` is not supported: dpol never emits it"
    );
}

#[test]
fn a_number_where_a_list_is_expected() {
    let error = error_of("iam.json", &json!({"RoleDetailList": 5}));
    assert_eq!(error.kind, InputProblem::WrongType);
    assert_eq!(error.json_path, "$.RoleDetailList");
    assert_eq!(error.message, "expected a list, found a number");

    let mut role = fixture_json("iam-get-role-policy.json");
    role["PolicyDocument"]["Statement"][0]["Action"] = json!(5);
    let error = error_of("role.json", &role);
    assert_eq!(error.kind, InputProblem::WrongType);
    assert_eq!(error.json_path, "$.PolicyDocument.Statement[0].Action");

    let mut endpoints = fixture_json("ec2-describe-vpc-endpoints.json");
    endpoints["VpcEndpoints"][1]["VpcEndpointId"] = json!(["vpce-1"]);
    let error = error_of("ec2.json", &endpoints);
    assert_eq!(error.json_path, "$.VpcEndpoints[1].VpcEndpointId");
}

#[test]
fn malformed_documents_that_moto_rejects_or_accepts() {
    // (file, expected error kind and path; None = readable)
    let cases: [(&str, Option<(InputProblem, &str)>); 21] = [
        (
            "01-bad-effect.json",
            Some((
                InputProblem::InvalidValue,
                "$.Policy.Content.Statement[0].Effect",
            )),
        ),
        (
            "02-missing-action.json",
            Some((
                InputProblem::MissingField,
                "$.Policy.Content.Statement[0].Action",
            )),
        ),
        (
            "03-unknown-top-key.json",
            Some((InputProblem::UnsupportedElement, "$.Policy.Content.Foo")),
        ),
        (
            "04-unknown-stmt-key.json",
            Some((
                InputProblem::UnsupportedElement,
                "$.Policy.Content.Statement[0].Bogus",
            )),
        ),
        (
            "05-not-json.json",
            Some((InputProblem::EmbeddedNotJson, "$.Policy.Content")),
        ),
        (
            "06-bad-version.json",
            Some((InputProblem::InvalidValue, "$.Policy.Content.Version")),
        ),
        ("07-no-version.json", None),
        ("08-action-no-colon.json", None),
        ("09-resource-not-arn.json", None),
        (
            "10-bad-cond-operator.json",
            Some((
                InputProblem::InvalidValue,
                "$.Policy.Content.Statement[0].Condition.StringEqualz",
            )),
        ),
        (
            "11-action-and-notaction.json",
            Some((
                InputProblem::InvalidValue,
                "$.Policy.Content.Statement[0].NotAction",
            )),
        ),
        ("12-principal-in-identity.json", None),
        ("13-duplicate-sid.json", None),
        ("14-empty-statement.json", None),
        (
            "15-lowercase-keys.json",
            Some((
                InputProblem::UnsupportedElement,
                "$.Policy.Content.statement",
            )),
        ),
        (
            "16-missing-resource.json",
            Some((
                InputProblem::MissingField,
                "$.Policy.Content.Statement[0].Resource",
            )),
        ),
        ("17-bad-sid-chars.json", None),
        ("18-unknown-service-action.json", None),
        (
            "19-cond-value-object.json",
            Some((
                InputProblem::WrongType,
                "$.Policy.Content.Statement[0].Condition.StringEquals",
            )),
        ),
        ("20-too-large.json", None),
        ("21-just-over-6144.json", None),
    ];
    for (file, expected) in cases {
        let document = fixture(&format!("inputs/malformed/{file}"));
        let outcome = read_deployed("scp.json", &as_scp(&document).to_string());
        match (outcome, expected) {
            (Ok(_), None) => {}
            (Err(error), Some((kind, path))) => {
                let error = Err::<(), _>(error).input_err();
                assert_eq!(
                    (error.kind, error.json_path.as_str()),
                    (kind, path),
                    "{file}: {error}"
                );
                assert_eq!(error.origin, "scp.json");
            }
            (outcome, expected) => panic!("{file}: got {outcome:?}, expected {expected:?}"),
        }
    }
}

#[test]
fn every_truncation_of_every_capture_is_an_error_not_a_panic() {
    for name in CAPTURES {
        let full = fixture(name);
        let text = full.trim_end();
        for end in (0..text.len()).filter(|&end| text.is_char_boundary(end)) {
            let outcome = read_deployed(name, &text[..end]);
            assert!(outcome.is_err(), "{name} cut at {end} was read");
        }
    }
}

#[test]
fn random_byte_damage_never_panics() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let replacements = b"{}[]\",:0a \\-";
    for name in CAPTURES {
        let text = fixture(name).into_bytes();
        for _ in 0..300 {
            let mut damaged = text.clone();
            for _ in 0..1 + next() % 3 {
                let at = (next() % damaged.len() as u64) as usize;
                damaged[at] = replacements[(next() % replacements.len() as u64) as usize];
            }
            if let Ok(damaged) = String::from_utf8(damaged) {
                let _ = read_deployed_set(&[(name, &damaged)]);
            }
        }
    }
}

#[test]
fn build_dir_errors_name_the_file() {
    let dir = TempDir::new("bad-build");
    let missing = read_build_dir(&dir.0).input_err();
    assert_eq!(missing.kind, InputProblem::Io);
    assert!(missing.origin.ends_with("manifest.json"));

    let cases = [
        (json!({"version": 2, "documents": []}), "$.version"),
        (
            json!({"format_version": 3, "documents": []}),
            "$.format_version",
        ),
        (json!({"documents": []}), "$.format_version"),
        (
            json!({"version": 1, "documents": [{"kind": "iam", "name": "x", "path": "x.json"}]}),
            "$.documents[0].kind",
        ),
        (
            json!({"version": 1, "documents": [{"kind": "scp", "name": "x", "path": "../x.json"}]}),
            "$.documents[0].path",
        ),
        (
            json!({"version": 1, "documents": [{"kind": "scp", "name": "x", "path": "x.json", "attach": "r-1"}]}),
            "$.documents[0].attach",
        ),
    ];
    for (manifest, path) in cases {
        dir.write("manifest.json", &manifest.to_string());
        let error = read_build_dir(&dir.0).input_err();
        assert_eq!(error.json_path, path, "{error}");
    }

    dir.write(
        "manifest.json",
        &json!({"version": 1, "documents": [{"kind": "scp", "name": "dpol-x", "path": "scp/dpol-x.json"}]}).to_string(),
    );
    let error = read_build_dir(&dir.0).input_err();
    assert_eq!(error.kind, InputProblem::Io);
    assert!(error.origin.ends_with("scp/dpol-x.json"), "{error}");
    dir.write(
        "scp/dpol-x.json",
        r#"{"Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": 1}]}"#,
    );
    let error = read_build_dir(&dir.0).input_err();
    assert_eq!(
        (error.kind, error.json_path.as_str()),
        (InputProblem::WrongType, "$.Statement[0].Resource")
    );
}
