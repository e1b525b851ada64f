//! Reading what is deployed from AWS CLI outputs (`--output json`), each
//! recognized by its shape rather than its file name.
//!
//! | command | documents |
//! | --- | --- |
//! | `aws iam get-account-authorization-details` | one per inline policy of a user, group or role; one per customer-managed policy (its default version), attached to every principal that lists it |
//! | `aws iam get-role-policy` / `get-user-policy` / `get-group-policy` | the inline policy |
//! | `aws iam get-policy-version` | the managed policy version, which must be the default |
//! | `aws organizations describe-policy` | the SCP; its targets come from a `list-targets-for-policy` output in the same set |
//! | `aws ec2 describe-vpc-endpoints` | one per endpoint that is not `deleted` and has a policy |
//! | `aws dynamodb get-resource-policy` | the table's resource-based policy |
//! | `aws events list-rules` / `describe-rule` | the EventBridge rule; its targets come from a `list-targets-by-rule` output in the same set |
//!
//! Role trust policies and AWS-managed IAM policies are not read. Where an
//! output leaves out what a document belongs to, the file name or a wrapper
//! object supplies it (see [`super::origin_hint`]).

mod dynamodb;
mod events;
mod iam;
mod organizations;
mod vpc_endpoints;

use serde_json::{Map, Value};

use super::json_text::parse_json;
use crate::diag::Diagnostic;
use crate::iam::Document;
use crate::json::type_name;
use crate::json::JsonPath;
use crate::json::{InputProblem, Problem};

/// Reads one AWS CLI output. Same as [`read_deployed_set`] with one file, so
/// an SCP read this way has no targets unless the file is a targets list.
pub fn read_deployed(origin: &str, text: &str) -> Result<Vec<Document>, Diagnostic> {
    read_deployed_set(&[(origin, text)])
}

/// Reads several AWS CLI outputs, each given as `(origin, text)`; `origin`
/// (usually the file path) names the file in documents and errors. SCPs from
/// `describe-policy` get their `attach` from the `list-targets-for-policy`
/// outputs of the same set. Stops at the first error.
pub fn read_deployed_set(files: &[(&str, &str)]) -> Result<Vec<Document>, Diagnostic> {
    let mut docs = Vec::new();
    let mut sets = Sets::default();
    for &(origin, text) in files {
        let value = parse_json(text, &JsonPath::ROOT, InputProblem::InvalidJson, "the file")
            .map_err(|problem| problem.in_file(origin))?;
        read_one(&value, origin, &mut docs, &mut sets)
            .map_err(|problem| problem.in_file(origin))?;
    }
    // A bare empty `Targets` list is a rule's if its file name says so, else
    // an SCP's (which needs a policy id to join).
    for (origin, top) in std::mem::take(&mut sets.undecided) {
        if sets.rules.claims(origin) {
            sets.rules.add_targets(&top, origin)
        } else {
            sets.scps.add_targets(&top, origin)
        }
        .map_err(|problem| problem.in_file(origin))?;
    }
    docs.extend(sets.scps.join()?);
    docs.extend(sets.rules.join()?);
    Ok(docs)
}

/// What is joined across the files of a set.
#[derive(Default)]
struct Sets<'a> {
    scps: organizations::ScpSet<'a>,
    rules: events::RuleSet<'a>,
    /// Empty `Targets` lists that could be either kind, until every file is read.
    undecided: Vec<(&'a str, Map<String, Value>)>,
}

/// The AWS CLI outputs this module reads.
enum Shape {
    AuthorizationDetails,
    PrincipalPolicy,
    PolicyVersion,
    OrganizationsPolicy,
    OrganizationsTargets,
    VpcEndpoints,
    TableResourcePolicy,
    EventRules,
    EventRule,
    EventTargets,
    /// An empty `Targets` list with nothing to say whose.
    EmptyTargets,
}

fn read_one<'a>(
    value: &Value,
    origin: &'a str,
    docs: &mut Vec<Document>,
    sets: &mut Sets<'a>,
) -> Result<(), Problem> {
    let root = JsonPath::ROOT;
    let Value::Object(top) = value else {
        return Err(Problem::new(
            InputProblem::UnknownShape,
            &root,
            format!(
                "the top level is {}, not an AWS CLI output object",
                type_name(value)
            ),
        ));
    };
    check_complete(top)?;
    match recognize(top)? {
        Shape::AuthorizationDetails => docs.extend(iam::read_authorization_details(top, origin)?),
        Shape::PrincipalPolicy => docs.push(iam::read_principal_policy(top, origin)?),
        Shape::PolicyVersion => docs.push(iam::read_policy_version(top, origin)?),
        Shape::OrganizationsPolicy => sets.scps.add_policy(top, origin)?,
        Shape::OrganizationsTargets => sets.scps.add_targets(top, origin)?,
        Shape::VpcEndpoints => docs.extend(vpc_endpoints::read(top, origin)?),
        Shape::TableResourcePolicy => docs.push(dynamodb::read(top, origin)?),
        Shape::EventRules => sets.rules.add_list(top, origin)?,
        Shape::EventRule => sets.rules.add_described(top, origin)?,
        Shape::EventTargets => sets.rules.add_targets(top, origin)?,
        Shape::EmptyTargets => sets.undecided.push((origin, top.clone())),
    }
    Ok(())
}

/// Refuses one page of a paginated output: what is on the other pages would
/// read as not deployed. The AWS CLI reads every page unless told not to
/// (`--max-items`, `--no-paginate`, `--page-size` with a cut-off dump).
fn check_complete(top: &Map<String, Value>) -> Result<(), Problem> {
    let root = JsonPath::ROOT;
    let present = |key: &str| top.get(key).is_some_and(|v| !v.is_null());
    let marker = if top.get("IsTruncated").and_then(Value::as_bool) == Some(true) {
        Some("IsTruncated")
    } else {
        ["NextToken", "Marker"].into_iter().find(|key| present(key))
    };
    match marker {
        None => Ok(()),
        Some(key) => Err(Problem::new(
            InputProblem::Incomplete,
            &root.key(key),
            format!(
                "this output is one page of several (`{key}`): capture it again without \
                 `--max-items` or `--no-paginate`, so that the AWS CLI reads every page"
            ),
        )),
    }
}

/// Outputs that are recognized but hold no policy document: (top-level key, command).
const WITHOUT_DOCUMENTS: [(&str, &str); 5] = [
    ("Roots", "aws organizations list-roots"),
    ("TableNames", "aws dynamodb list-tables"),
    ("AttachedPolicies", "aws iam list-attached-*-policies"),
    ("PolicyNames", "aws iam list-*-policies"),
    ("Policies", "aws organizations list-policies"),
];

fn recognize(top: &Map<String, Value>) -> Result<Shape, Problem> {
    let has = |key: &str| top.contains_key(key);
    let first_of_list_has = |list: &str, key: &str| {
        top.get(list)
            .and_then(Value::as_array)
            .and_then(|items| items.first())
            .is_some_and(|item| item.get(key).is_some())
    };
    let shape = if has("UserDetailList")
        || has("GroupDetailList")
        || has("RoleDetailList")
        || first_of_list_has("Policies", "PolicyVersionList")
    {
        Shape::AuthorizationDetails
    } else if has("PolicyDocument") && has("PolicyName") {
        Shape::PrincipalPolicy
    } else if has("PolicyVersion") {
        Shape::PolicyVersion
    } else if top
        .get("Policy")
        .is_some_and(|policy| policy.get("Content").is_some())
    {
        Shape::OrganizationsPolicy
    } else if top.get("Policy").is_some_and(Value::is_string) {
        Shape::TableResourcePolicy
    } else if has("VpcEndpoints") {
        Shape::VpcEndpoints
    } else if top.get("Rules").is_some_and(Value::is_array) {
        Shape::EventRules
    } else if events::is_describe_rule(top) {
        Shape::EventRule
    } else if has("Targets") {
        match events::is_rule_targets(top) {
            Some(true) => Shape::EventTargets,
            Some(false) => Shape::OrganizationsTargets,
            None => Shape::EmptyTargets,
        }
    } else {
        return Err(unrecognized(top));
    };
    Ok(shape)
}

fn unrecognized(top: &Map<String, Value>) -> Problem {
    let root = JsonPath::ROOT;
    if let Some((_, command)) = WITHOUT_DOCUMENTS
        .iter()
        .find(|(key, _)| top.contains_key(*key))
    {
        return Problem::new(
            InputProblem::NoPolicyContent,
            &root,
            format!(
                "this looks like `{command}` output, which holds no policy document: leave it out"
            ),
        );
    }
    if top.contains_key("documents")
        && (top.contains_key("format_version") || top.contains_key("version"))
    {
        return Problem::new(
            InputProblem::UnknownShape,
            &root,
            "this is a `dpol build` manifest: read its directory as the compiled side",
        );
    }
    let mut keys: Vec<&str> = top.keys().map(String::as_str).take(6).collect();
    if top.len() > keys.len() {
        keys.push("…");
    }
    Problem::new(
        InputProblem::UnknownShape,
        &root,
        format!(
            "no AWS CLI output that dpol reads has these top-level keys: {}",
            keys.join(", ")
        ),
    )
}
