//! A policy document read for evaluation: checked against IAM's grammar
//! ([`crate::iam::grammar`]), then held as typed statements, each of which
//! can say whether it applies to a request.
//!
//! Sources (IAM User Guide, "IAM JSON policy elements"): `Action` and
//! `NotAction` (names ignore case; `NotAction` applies to every action not
//! listed), `Resource` and `NotResource`, `Principal` and `NotPrincipal`
//! (`"*"` is everyone; an account id or `arn:…:root` is every principal of
//! that account; a role's ARN covers its sessions), `Version` (policy
//! variables only in 2012-10-17).

use serde_json::Value;

use super::condition::{self, Clause};
use super::pattern::{arn_matches, Pattern, Reading};
use super::request::Request;
use crate::iam::grammar::validate_full_policy;
use crate::iam::Effect;
use crate::json::{JsonPath, Problem};

/// A policy document ready to evaluate.
#[derive(Clone, Debug)]
pub struct ParsedPolicy {
    pub(crate) statements: Vec<ParsedStatement>,
    /// Version 2012-10-17: `${…}` are policy variables.
    variables: bool,
}

/// One statement.
#[derive(Clone, Debug)]
pub(crate) struct ParsedStatement {
    /// The position in the document's `Statement` list.
    pub(crate) index: usize,
    pub(crate) sid: Option<String>,
    pub(crate) effect: Effect,
    /// `None` in identity policies, which have no principal element.
    principal: Option<Listed<Principal>>,
    actions: Listed<String>,
    resources: Listed<String>,
    conditions: Vec<Clause>,
}

/// The values of an element, or of its `Not…` form.
#[derive(Clone, Debug)]
struct Listed<T> {
    items: Vec<T>,
    negated: bool,
}

/// One entry of a `Principal` element.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Principal {
    /// `"*"` or `{"AWS": "*"}`.
    Everyone,
    /// `{"AWS": "123456789012"}` or `arn:aws:iam::123456789012:root`.
    Account(String),
    /// `{"AWS": ARN}`: a user, role or session ARN.
    Arn(String),
    /// `{"Service": …}`, `{"Federated": …}`, `{"CanonicalUser": …}`.
    Other(String),
}

impl ParsedPolicy {
    /// Reads `doc`, which must be a policy in IAM's grammar; the problem
    /// names the JSON path of what is wrong.
    pub fn parse(doc: &Value) -> Result<ParsedPolicy, Problem> {
        validate_full_policy(doc, &JsonPath::ROOT)?;
        let variables = doc.get("Version").and_then(Value::as_str) == Some("2012-10-17");
        let statements = match doc.get("Statement") {
            Some(Value::Array(list)) => list.iter().collect(),
            Some(one) => vec![one],
            None => Vec::new(),
        };
        Ok(ParsedPolicy {
            statements: statements
                .into_iter()
                .enumerate()
                .map(|(index, s)| statement(index, s))
                .collect(),
            variables,
        })
    }

    /// The statements of `effect` that apply to `request`.
    pub(crate) fn applying<'p>(
        &'p self,
        request: &'p Request,
        effect: Effect,
    ) -> impl Iterator<Item = &'p ParsedStatement> + 'p {
        self.statements
            .iter()
            .filter(move |s| s.effect == effect && s.applies(request, self.variables))
    }
}

impl ParsedPolicy {
    /// How the `Allow` statements that apply to `request` name its caller,
    /// the most direct way first (a resource policy: see [`By`]).
    pub(crate) fn allowed_by(&self, request: &Request) -> Option<By> {
        self.applying(request, Effect::Allow)
            .filter_map(|s| s.principal.as_ref())
            .filter_map(|p| {
                if p.negated {
                    return Some(By::Everyone);
                }
                p.items.iter().filter_map(|item| by(item, request)).min()
            })
            .min()
    }
}

/// How a resource policy's `Principal` names the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum By {
    /// Its own user or session ARN: not capped by a permissions boundary.
    ExactArn,
    /// The role its session belongs to.
    Role,
    /// `"*"` (or `NotPrincipal` without it).
    Everyone,
    /// Its account: the account delegates to its identity policies, which
    /// must allow too (IAM User Guide, "IAM JSON policy elements:
    /// Principal", "AWS account principals"; KMS Developer Guide, "Default
    /// key policy": the account principal "enables IAM policies").
    Account,
}

/// A statement of a document the grammar accepted.
fn statement(index: usize, s: &Value) -> ParsedStatement {
    let listed = |name: &str, negated: &str| match (s.get(name), s.get(negated)) {
        (Some(v), _) => Listed {
            items: strings(v),
            negated: false,
        },
        (None, v) => Listed {
            items: v.map(strings).unwrap_or_default(),
            negated: true,
        },
    };
    let principal = match (s.get("Principal"), s.get("NotPrincipal")) {
        (None, None) => None,
        (p, n) => Some(Listed {
            items: p.or(n).map(principals).unwrap_or_default(),
            negated: p.is_none(),
        }),
    };
    let mut conditions = Vec::new();
    if let Some(Value::Object(operators)) = s.get("Condition") {
        for (operator, keys) in operators {
            for (key, values) in keys.as_object().into_iter().flatten() {
                conditions.push(Clause {
                    operator: operator.clone(),
                    key: key.clone(),
                    values: scalars(values),
                });
            }
        }
    }
    ParsedStatement {
        index,
        sid: s.get("Sid").and_then(Value::as_str).map(str::to_string),
        effect: match s.get("Effect").and_then(Value::as_str) {
            Some("Allow") => Effect::Allow,
            _ => Effect::Deny,
        },
        principal,
        actions: listed("Action", "NotAction"),
        resources: listed("Resource", "NotResource"),
        conditions,
    }
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// Condition values as text: strings as they are, numbers and booleans as
/// JSON writes them.
fn scalars(value: &Value) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match value {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

fn principals(value: &Value) -> Vec<Principal> {
    match value {
        Value::String(star) if star == "*" => vec![Principal::Everyone],
        Value::Object(types) => types
            .iter()
            .flat_map(|(kind, ids)| {
                strings(ids).into_iter().map(move |id| match kind.as_str() {
                    "AWS" if id == "*" => Principal::Everyone,
                    "AWS" if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) => {
                        Principal::Account(id)
                    }
                    "AWS" => match id.strip_prefix("arn:").and_then(|rest| {
                        let fields: Vec<&str> = rest.split(':').collect();
                        (fields.len() == 5 && fields[1] == "iam" && fields[4] == "root")
                            .then(|| fields[3].to_string())
                    }) {
                        Some(account) => Principal::Account(account),
                        None => Principal::Arn(id),
                    },
                    _ => Principal::Other(id),
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

impl ParsedStatement {
    /// Whether the statement's principal, action, resource and condition
    /// all cover `request`.
    fn applies(&self, request: &Request, variables: bool) -> bool {
        let context = &request.context;
        let reading = Reading {
            wildcards: true,
            variables: variables.then_some(context),
        };
        let principal = self
            .principal
            .as_ref()
            .is_none_or(|p| p.items.iter().any(|item| names(item, request)) != p.negated);
        let action = self.actions.items.iter().any(|pattern| {
            Pattern::read(
                pattern,
                Reading {
                    wildcards: true,
                    variables: None,
                },
            )
            .is_some_and(|p| p.matches(&request.action, true))
        }) != self.actions.negated;
        let resource = self
            .resources
            .items
            .iter()
            .any(|pattern| arn_matches(pattern, &request.resource, reading))
            != self.resources.negated;
        principal && action && resource && condition::holds(&self.conditions, context, variables)
    }
}

/// Whether a `Principal` entry names the request's caller.
fn names(principal: &Principal, request: &Request) -> bool {
    by(principal, request).is_some()
}

/// How a `Principal` entry names the request's caller, if it does.
fn by(principal: &Principal, request: &Request) -> Option<By> {
    match principal {
        Principal::Everyone => Some(By::Everyone),
        Principal::Account(account) => (request.principal.starts_with("arn:")
            && request.principal_account() == account)
            .then_some(By::Account),
        Principal::Arn(arn) => {
            if *arn == request.principal {
                return Some(By::ExactArn);
            }
            // A role's ARN (with any path) names its sessions.
            let (account, role) = request.session_role()?;
            let mut fields = arn.splitn(6, ':');
            let (service, arn_account, resource) = (
                fields.nth(2),
                fields.nth(1),
                fields.next().unwrap_or_default(),
            );
            (service == Some("iam")
                && arn_account == Some(account)
                && resource.starts_with("role/")
                && resource.rsplit('/').next() == Some(role))
            .then_some(By::Role)
        }
        Principal::Other(id) => (*id == request.principal).then_some(By::ExactArn),
    }
}
