//! IAM: `get-account-authorization-details`, `get-{role,user,group}-policy`,
//! `get-policy-version`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diff::arn::Arn;
use crate::diff::document::policy_document;
use crate::diff::error::{ErrorKind, Problem};
use crate::diff::fields::{as_array, as_object, optional_str, required, required_str};
use crate::diff::json_path::JsonPath;
use crate::diff::origin_hint::{arn_in_file_name, file_stem};
use crate::diff::policy_doc::{DocKind, PolicyDoc};

/// Each principal list of the output, with the key of its inline policies.
const PRINCIPAL_LISTS: [(&str, &str); 3] = [
    ("UserDetailList", "UserPolicyList"),
    ("GroupDetailList", "GroupPolicyList"),
    ("RoleDetailList", "RolePolicyList"),
];

pub(super) fn read_authorization_details(
    top: &Map<String, Value>,
    origin: &str,
) -> Result<Vec<PolicyDoc>, Problem> {
    let root = JsonPath::ROOT;
    let mut docs = Vec::new();
    let mut principals_of_policy: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (list_key, inline_key) in PRINCIPAL_LISTS {
        let Some(list) = top.get(list_key) else {
            continue;
        };
        let list_at = root.key(list_key);
        for (i, principal) in as_array(list, &list_at)?.iter().enumerate() {
            let principal_at = list_at.index(i);
            let principal = as_object(principal, &principal_at)?;
            let arn = required_str(principal, "Arn", &principal_at)?;
            if let Some(inline) = principal.get(inline_key) {
                let inline_at = principal_at.key(inline_key);
                for (j, policy) in as_array(inline, &inline_at)?.iter().enumerate() {
                    let policy_at = inline_at.index(j);
                    let policy = as_object(policy, &policy_at)?;
                    docs.push(inline_policy(policy, &policy_at, origin, arn)?);
                }
            }
            if let Some(attached) = principal.get("AttachedManagedPolicies") {
                let attached_at = principal_at.key("AttachedManagedPolicies");
                for (j, policy) in as_array(attached, &attached_at)?.iter().enumerate() {
                    let policy_at = attached_at.index(j);
                    let policy_arn =
                        required_str(as_object(policy, &policy_at)?, "PolicyArn", &policy_at)?;
                    principals_of_policy
                        .entry(policy_arn)
                        .or_default()
                        .push(arn.to_string());
                }
            }
        }
    }
    if let Some(policies) = top.get("Policies") {
        let policies_at = root.key("Policies");
        for (i, policy) in as_array(policies, &policies_at)?.iter().enumerate() {
            let policy_at = policies_at.index(i);
            let policy = as_object(policy, &policy_at)?;
            let arn = required_str(policy, "Arn", &policy_at)?;
            if Arn::parse(arn).is_some_and(|arn| arn.is_aws_managed_policy()) {
                continue;
            }
            let mut attach = principals_of_policy.remove(arn).unwrap_or_default();
            attach.sort();
            attach.dedup();
            docs.push(managed_policy(policy, &policy_at, origin, arn, attach)?);
        }
    }
    Ok(docs)
}

fn inline_policy(
    policy: &Map<String, Value>,
    at: &JsonPath,
    origin: &str,
    principal_arn: &str,
) -> Result<PolicyDoc, Problem> {
    Ok(PolicyDoc {
        kind: DocKind::Identity,
        name: required_str(policy, "PolicyName", at)?.to_string(),
        attach: vec![principal_arn.to_string()],
        document: policy_document(
            required(policy, "PolicyDocument", at)?,
            &at.key("PolicyDocument"),
        )?,
        origin: format!("{origin}: {at}"),
    })
}

/// A customer-managed policy of the `Policies` list, read from its default version.
fn managed_policy(
    policy: &Map<String, Value>,
    at: &JsonPath,
    origin: &str,
    arn: &str,
    attach: Vec<String>,
) -> Result<PolicyDoc, Problem> {
    let name = match optional_str(policy, "PolicyName", at)? {
        Some(name) => name,
        None => Arn::parse(arn)
            .and_then(|arn| arn.iam_policy_name())
            .ok_or_else(|| {
                Problem::new(
                    ErrorKind::InvalidValue,
                    &at.key("Arn"),
                    format!("`{arn}` is not an IAM policy ARN"),
                )
            })?,
    };
    let versions_at = at.key("PolicyVersionList");
    let versions = as_array(required(policy, "PolicyVersionList", at)?, &versions_at)?;
    let default_id = optional_str(policy, "DefaultVersionId", at)?;
    let index = default_version_index(versions, default_id).ok_or_else(|| {
        Problem::new(
            ErrorKind::MissingField,
            &versions_at,
            "no version is marked `IsDefaultVersion: true`",
        )
    })?;
    let version_at = versions_at.index(index);
    let version = as_object(&versions[index], &version_at)?;
    Ok(PolicyDoc {
        kind: DocKind::Identity,
        name: name.to_string(),
        attach,
        document: policy_document(
            required(version, "Document", &version_at)?,
            &version_at.key("Document"),
        )?,
        origin: format!("{origin}: {at}"),
    })
}

/// The version marked `IsDefaultVersion: true`, else the one whose id is the
/// policy's `DefaultVersionId`.
fn default_version_index(versions: &[Value], default_id: Option<&str>) -> Option<usize> {
    let is_default =
        |version: &Value| version.get("IsDefaultVersion").and_then(Value::as_bool) == Some(true);
    versions.iter().position(is_default).or_else(|| {
        let id = default_id?;
        versions
            .iter()
            .position(|version| version.get("VersionId").and_then(Value::as_str) == Some(id))
    })
}

/// `get-role-policy` and its user and group forms. The output names the
/// principal but not its ARN, so `attach` is the ARN spelled in the file name,
/// or empty.
pub(super) fn read_principal_policy(
    top: &Map<String, Value>,
    origin: &str,
) -> Result<PolicyDoc, Problem> {
    let root = JsonPath::ROOT;
    Ok(PolicyDoc {
        kind: DocKind::Identity,
        name: required_str(top, "PolicyName", &root)?.to_string(),
        attach: arn_in_file_name(origin)
            .filter(|arn| Arn::parse(arn).is_some_and(|arn| arn.service == "iam"))
            .into_iter()
            .collect(),
        document: policy_document(
            required(top, "PolicyDocument", &root)?,
            &root.key("PolicyDocument"),
        )?,
        origin: origin.to_string(),
    })
}

/// `get-policy-version`, which must be the default version. The output has no
/// policy ARN: it comes from a wrapper member `PolicyArn` or the file name;
/// without one the policy is named after the file. `attach` is empty: the
/// output does not say who the policy is attached to.
pub(super) fn read_policy_version(
    top: &Map<String, Value>,
    origin: &str,
) -> Result<PolicyDoc, Problem> {
    let root = JsonPath::ROOT;
    let version_at = root.key("PolicyVersion");
    let version = as_object(required(top, "PolicyVersion", &root)?, &version_at)?;
    if version.get("IsDefaultVersion").and_then(Value::as_bool) == Some(false) {
        return Err(Problem::new(
            ErrorKind::InvalidValue,
            &version_at.key("IsDefaultVersion"),
            "this version is not the default one, so it is not in force: get the policy's `DefaultVersionId`",
        ));
    }
    let wrapped_arn = optional_str(top, "PolicyArn", &root)?.map(str::to_string);
    let name = wrapped_arn
        .or_else(|| arn_in_file_name(origin))
        .and_then(|arn| {
            Arn::parse(&arn)
                .and_then(|arn| arn.iam_policy_name())
                .map(str::to_string)
        })
        .unwrap_or_else(|| file_stem(origin));
    Ok(PolicyDoc {
        kind: DocKind::Identity,
        name,
        attach: Vec::new(),
        document: policy_document(
            required(version, "Document", &version_at)?,
            &version_at.key("Document"),
        )?,
        origin: origin.to_string(),
    })
}
