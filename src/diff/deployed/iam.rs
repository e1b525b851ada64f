//! IAM: `get-account-authorization-details`, `get-{role,user,group}-policy`,
//! `get-policy-version`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diff::arn::Arn;
use crate::diff::document::identity_policy_document;
use crate::diff::origin_hint::{arn_in_file_name, file_stem};
use crate::iam::DocKind;
use crate::iam::Document;
use crate::json::JsonPath;
use crate::json::{as_array, as_object, optional_str, required, required_str};
use crate::json::{InputProblem, Problem};

/// Each principal list of the output, with the key of its inline policies.
const PRINCIPAL_LISTS: [(&str, &str); 3] = [
    ("UserDetailList", "UserPolicyList"),
    ("GroupDetailList", "GroupPolicyList"),
    ("RoleDetailList", "RolePolicyList"),
];

pub(super) fn read_authorization_details(
    top: &Map<String, Value>,
    origin: &str,
) -> Result<Vec<Document>, Problem> {
    let root = JsonPath::ROOT;
    let mut docs = Vec::new();
    let mut principals_of_policy: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    // Where each attached policy is first named, for the error when its
    // document is missing.
    let mut first_named: BTreeMap<&str, String> = BTreeMap::new();
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
                    first_named
                        .entry(policy_arn)
                        .or_insert_with(|| policy_at.key("PolicyArn").to_string());
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
    let missing = principals_of_policy
        .keys()
        .find(|arn| !Arn::parse(arn).is_some_and(|arn| arn.is_aws_managed_policy()));
    if let Some(arn) = missing {
        let at = first_named.remove(arn).unwrap_or_else(|| root.to_string());
        return Err(Problem::at_path(
            InputProblem::Incomplete,
            at,
            format!(
                "`{arn}` is attached but its document is not in this output (`Policies`): \
                 run `aws iam get-account-authorization-details` without `--filter`, or with \
                 `--filter LocalManagedPolicy` among the filters"
            ),
        ));
    }
    Ok(docs)
}

fn inline_policy(
    policy: &Map<String, Value>,
    at: &JsonPath,
    origin: &str,
    principal_arn: &str,
) -> Result<Document, Problem> {
    Ok(Document {
        kind: DocKind::Identity,
        name: required_str(policy, "PolicyName", at)?.to_string(),
        attach: vec![principal_arn.to_string()],
        document: identity_policy_document(
            required(policy, "PolicyDocument", at)?,
            &at.key("PolicyDocument"),
        )?,
        origin: format!("{origin}: {at}"),
        sources: Vec::new(),
    })
}

/// A customer-managed policy of the `Policies` list, read from its default version.
fn managed_policy(
    policy: &Map<String, Value>,
    at: &JsonPath,
    origin: &str,
    arn: &str,
    attach: Vec<String>,
) -> Result<Document, Problem> {
    let name = match optional_str(policy, "PolicyName", at)? {
        Some(name) => name,
        None => Arn::parse(arn)
            .and_then(|arn| arn.iam_policy_name())
            .ok_or_else(|| {
                Problem::new(
                    InputProblem::InvalidValue,
                    &at.key("Arn"),
                    format!("`{arn}` is not an IAM policy ARN"),
                )
            })?,
    };
    let versions_at = at.key("PolicyVersionList");
    let versions = as_array(required(policy, "PolicyVersionList", at)?, &versions_at)?;
    let index = default_version_index(versions, &versions_at)?;
    let default_id = versions[index].get("VersionId").and_then(Value::as_str);
    if let Some(declared) = optional_str(policy, "DefaultVersionId", at)? {
        if default_id != Some(declared) {
            return Err(Problem::new(
                InputProblem::DefaultVersion,
                &at.key("DefaultVersionId"),
                format!(
                    "`DefaultVersionId` is `{declared}` but the version marked `IsDefaultVersion: true` is `{}`: \
                     which one is in force cannot be known; capture the output again",
                    default_id.unwrap_or("?")
                ),
            ));
        }
    }
    let version_at = versions_at.index(index);
    let version = as_object(&versions[index], &version_at)?;
    Ok(Document {
        kind: DocKind::Identity,
        name: name.to_string(),
        attach,
        document: identity_policy_document(
            required(version, "Document", &version_at)?,
            &version_at.key("Document"),
        )?,
        origin: format!("{origin}: {at}"),
        sources: Vec::new(),
    })
}

/// The one version marked `IsDefaultVersion: true`; none or several is an error.
fn default_version_index(versions: &[Value], at: &JsonPath) -> Result<usize, Problem> {
    let defaults: Vec<usize> = versions
        .iter()
        .enumerate()
        .filter(|(_, version)| {
            version.get("IsDefaultVersion").and_then(Value::as_bool) == Some(true)
        })
        .map(|(i, _)| i)
        .collect();
    match defaults.as_slice() {
        [one] => Ok(*one),
        [] => Err(Problem::new(
            InputProblem::DefaultVersion,
            at,
            "no version is marked `IsDefaultVersion: true`, so none is known to be in force",
        )),
        several => {
            let ids: Vec<&str> = several
                .iter()
                .map(|&i| {
                    versions[i]
                        .get("VersionId")
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                })
                .collect();
            Err(Problem::new(
                InputProblem::DefaultVersion,
                at,
                format!(
                    "versions {} are all marked `IsDefaultVersion: true`; IAM has exactly one default",
                    ids.join(", ")
                ),
            ))
        }
    }
}

/// `get-role-policy` and its user and group forms. The output names the
/// principal but not its ARN, so `attach` is the ARN spelled in the file name,
/// or empty.
pub(super) fn read_principal_policy(
    top: &Map<String, Value>,
    origin: &str,
) -> Result<Document, Problem> {
    let root = JsonPath::ROOT;
    Ok(Document {
        kind: DocKind::Identity,
        name: required_str(top, "PolicyName", &root)?.to_string(),
        attach: arn_in_file_name(origin)
            .filter(|arn| Arn::parse(arn).is_some_and(|arn| arn.service == "iam"))
            .into_iter()
            .collect(),
        document: identity_policy_document(
            required(top, "PolicyDocument", &root)?,
            &root.key("PolicyDocument"),
        )?,
        origin: origin.to_string(),
        sources: Vec::new(),
    })
}

/// `get-policy-version`, which must be the default version. The output has no
/// policy ARN: it comes from a wrapper member `PolicyArn` or the file name;
/// without one the policy is named after the file. `attach` is empty: the
/// output does not say who the policy is attached to.
pub(super) fn read_policy_version(
    top: &Map<String, Value>,
    origin: &str,
) -> Result<Document, Problem> {
    let root = JsonPath::ROOT;
    let version_at = root.key("PolicyVersion");
    let version = as_object(required(top, "PolicyVersion", &root)?, &version_at)?;
    match version.get("IsDefaultVersion").and_then(Value::as_bool) {
        Some(true) => {}
        Some(false) => {
            return Err(Problem::new(
                InputProblem::DefaultVersion,
                &version_at.key("IsDefaultVersion"),
                "this version is not the default one, so it is not in force: get the policy's `DefaultVersionId`",
            ))
        }
        None => {
            return Err(Problem::new(
                InputProblem::DefaultVersion,
                &version_at.key("IsDefaultVersion"),
                "`IsDefaultVersion` is missing, so whether this version is in force cannot be known",
            ))
        }
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
    Ok(Document {
        kind: DocKind::Identity,
        name,
        attach: Vec::new(),
        document: identity_policy_document(
            required(version, "Document", &version_at)?,
            &version_at.key("Document"),
        )?,
        origin: origin.to_string(),
        sources: Vec::new(),
    })
}
