//! The deployed readers over the captured AWS CLI outputs, and what was applied
//! (`inputs/`) against what they read back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod diff_common;

use diff_common::{fixture, fixture_json, ReadFails};
use dpol::diag::InputProblem;
use dpol::diff::{normalize, read_deployed, read_deployed_set};
use dpol::iam::DocKind;
use dpol::iam::Document;
use serde_json::json;

const ROLE: &str = "arn:aws:iam::123456789012:role/orders-reader";
const USER: &str = "arn:aws:iam::123456789012:user/auditor";
const GROUP: &str = "arn:aws:iam::123456789012:group/readers";
const TABLE: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders";

fn read_fixture(name: &str) -> Vec<Document> {
    read_deployed(name, &fixture(name)).unwrap()
}

fn find<'a>(docs: &'a [Document], name: &str) -> &'a Document {
    docs.iter().find(|doc| doc.name == name).unwrap()
}

/// `doc` normalizes equal to the applied input `input`.
fn assert_same_as_input(doc: &Document, input: &str) {
    assert_eq!(
        normalize(&doc.document),
        normalize(&fixture_json(&format!("inputs/{input}"))),
        "{} vs inputs/{input}",
        doc.origin
    );
}

#[test]
fn authorization_details_inline_and_default_managed_version() {
    let docs = read_fixture("iam-get-account-authorization-details.json");
    let names: Vec<&str> = docs.iter().map(|doc| doc.name.as_str()).collect();
    assert_eq!(
        names,
        ["scan-audit", "describe", "read-orders", "dpol-orders-write"]
    );
    assert!(docs.iter().all(|doc| doc.kind == DocKind::Identity));

    let scan = find(&docs, "scan-audit");
    assert_eq!(scan.attach, [USER]);
    assert_eq!(
        scan.origin,
        "iam-get-account-authorization-details.json: $.UserDetailList[0].UserPolicyList[0]"
    );
    assert_same_as_input(scan, "user-inline.json");
    assert_eq!(find(&docs, "describe").attach, [GROUP]);
    assert_same_as_input(find(&docs, "describe"), "group-inline.json");
    assert_eq!(find(&docs, "read-orders").attach, [ROLE]);
    assert_same_as_input(find(&docs, "read-orders"), "role-inline.json");

    let managed = find(&docs, "dpol-orders-write");
    assert_eq!(managed.attach, [GROUP, ROLE]);
    assert_same_as_input(managed, "managed-v2.json");
    assert_ne!(
        normalize(&managed.document),
        normalize(&fixture_json("inputs/managed.json"))
    );
}

#[test]
fn aws_managed_policies_are_not_read() {
    let text = json!({
        "RoleDetailList": [{"Arn": ROLE, "AttachedManagedPolicies": [
            {"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]}],
        "Policies": [{"Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "PolicyVersionList": []}]
    });
    assert!(read_deployed("iam.json", &text.to_string())
        .unwrap()
        .is_empty());
}

#[test]
fn role_policy_and_policy_version() {
    let role = read_fixture("iam-get-role-policy.json");
    assert_eq!(role.len(), 1);
    assert_eq!(role[0].name, "read-orders");
    assert!(role[0].attach.is_empty());
    assert_same_as_input(&role[0], "role-inline.json");
    let named = read_deployed(
        "captures/arn:aws:iam::123456789012:role%2Forders-reader.json",
        &fixture("iam-get-role-policy.json"),
    )
    .unwrap();
    assert_eq!(named[0].attach, [ROLE]);

    let version = read_fixture("iam-get-policy-version.json");
    assert_eq!(version[0].name, "iam-get-policy-version");
    assert_same_as_input(&version[0], "managed-v2.json");
    let mut wrapped = fixture_json("iam-get-policy-version.json");
    wrapped["PolicyArn"] = json!("arn:aws:iam::123456789012:policy/dpol-orders-write");
    let version = read_deployed("v.json", &wrapped.to_string()).unwrap();
    assert_eq!(version[0].name, "dpol-orders-write");

    wrapped["PolicyVersion"]["IsDefaultVersion"] = json!(false);
    let error = read_deployed("v.json", &wrapped.to_string()).input_err();
    assert_eq!(error.kind, InputProblem::DefaultVersion);
    assert_eq!(error.json_path, "$.PolicyVersion.IsDefaultVersion");
}

#[test]
fn scp_joined_with_its_targets() {
    let describe = fixture("organizations-describe-policy.json");
    let targets = fixture("organizations-list-targets-for-policy.json");
    let docs = read_deployed_set(&[
        ("organizations-describe-policy.json", &describe),
        ("organizations-list-targets-for-policy.json", &targets),
    ])
    .unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].kind, DocKind::Scp);
    assert_eq!(docs[0].name, "dpol-dynamodb-vpce-only");
    assert_eq!(docs[0].attach, ["537644973923", "ou-lqi6-cooh6fsy"]);
    assert_same_as_input(&docs[0], "scp.json");

    let alone = read_deployed("organizations-describe-policy.json", &describe).unwrap();
    assert!(alone[0].attach.is_empty());
}

#[test]
fn scp_targets_need_a_policy_id_when_ambiguous() {
    let describe = fixture("organizations-describe-policy.json");
    let full = fixture("organizations-describe-policy-FullAWSAccess.json");
    let targets = fixture("organizations-list-targets-for-policy.json");
    let error = read_deployed_set(&[
        ("describe.json", &describe),
        ("full.json", &full),
        ("targets.json", &targets),
    ])
    .input_err();
    assert_eq!(error.kind, InputProblem::UnresolvedAttachment);
    assert_eq!(error.origin, "targets.json");
    assert_eq!(error.json_path, "$.Targets");

    let docs = read_deployed_set(&[
        ("describe.json", &describe),
        ("full.json", &full),
        ("out/targets-p-48vl2fl5.json", &targets),
    ])
    .unwrap();
    assert_eq!(find(&docs, "dpol-dynamodb-vpce-only").attach.len(), 2);
    assert!(find(&docs, "FullAWSAccess").attach.is_empty());

    let mut wrapped = fixture_json("organizations-list-targets-for-policy.json");
    wrapped["PolicyId"] = json!("p-FullAWSAccess");
    let docs = read_deployed_set(&[
        ("describe.json", &describe),
        ("full.json", &full),
        ("t.json", &wrapped.to_string()),
    ])
    .unwrap();
    assert_eq!(find(&docs, "FullAWSAccess").attach.len(), 2);

    wrapped["PolicyId"] = json!("p-unknown");
    let error = read_deployed_set(&[("t.json", &wrapped.to_string())]).input_err();
    assert!(error.message.contains("p-unknown"), "{error}");
}

#[test]
fn vpc_endpoints_skip_deleted() {
    let docs = read_fixture("ec2-describe-vpc-endpoints.json");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].kind, DocKind::VpcEndpoint);
    assert_eq!(docs[0].name, "vpce-3be021758f4d76a1a");
    assert_eq!(docs[0].attach, ["vpce-3be021758f4d76a1a"]);
    assert_eq!(
        docs[0].origin,
        "ec2-describe-vpc-endpoints.json: $.VpcEndpoints[0]"
    );
    assert_same_as_input(&docs[0], "vpce.json");
    assert_eq!(docs[1].document["Version"], "2008-10-17");

    let mut listing = fixture_json("ec2-describe-vpc-endpoints.json");
    listing["VpcEndpoints"][0]["State"] = json!("deleted");
    listing["VpcEndpoints"][1]["State"] = json!("Deleted");
    assert!(read_deployed("ec2.json", &listing.to_string())
        .unwrap()
        .is_empty());
}

#[test]
fn table_policy_needs_its_arn() {
    let text = fixture("dynamodb-get-resource-policy.json");
    let error = read_deployed("dynamodb-get-resource-policy.json", &text).input_err();
    assert_eq!(error.kind, InputProblem::UnresolvedAttachment);
    assert!(error.message.contains("ResourceArn"));

    let docs = read_deployed(
        &format!("captures/{}.json", TABLE.replace('/', "%2F")),
        &text,
    )
    .unwrap();
    assert_eq!(docs[0].kind, DocKind::Resource);
    assert_eq!(docs[0].name, "123456789012-us-east-1-Orders");
    assert_eq!(docs[0].attach, [TABLE]);
    assert_same_as_input(&docs[0], "table-rbp.json");

    let mut wrapped = fixture_json("dynamodb-get-resource-policy.json");
    wrapped["ResourceArn"] = json!(TABLE);
    assert_eq!(
        read_deployed("rbp.json", &wrapped.to_string()).unwrap()[0].attach,
        [TABLE]
    );
    wrapped["ResourceArn"] = json!("arn:aws:s3:::bucket");
    let error = read_deployed("rbp.json", &wrapped.to_string()).input_err();
    assert_eq!(
        (error.kind, error.json_path.as_str()),
        (InputProblem::InvalidValue, "$.ResourceArn")
    );
}

#[test]
fn percent_encoded_documents_as_the_iam_api_sends_them() {
    let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22dynamodb%3AScan%22%2C%22Resource%22%3A%22arn%3Aaws%3Adynamodb%3Aus-east-1%3A123456789012%3Atable/Audit%22%7D%7D%0A";
    let text =
        json!({"UserName": "auditor", "PolicyName": "scan-audit", "PolicyDocument": encoded});
    let docs = read_deployed("user.json", &text.to_string()).unwrap();
    assert_same_as_input(&docs[0], "user-inline.json");
}

#[test]
fn outputs_without_documents_are_named() {
    for name in [
        "organizations-list-roots.json",
        "organizations-list-policies.json",
        "organizations-list-policies-for-target.json",
        "dynamodb-list-tables.json",
        "iam-list-attached-role-policies.json",
    ] {
        let error = read_deployed(name, &fixture(name)).input_err();
        assert_eq!(error.kind, InputProblem::NoPolicyContent, "{name}: {error}");
        assert_eq!(error.origin, name);
    }
}
