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

    /// A policy without statements.
    pub fn empty() -> ParsedPolicy {
        ParsedPolicy {
            statements: Vec::new(),
            variables: true,
        }
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
    /// The statements whose principal, action and resource cover `request`
    /// (whatever their conditions say of its context).
    pub(crate) fn covering<'p>(
        &'p self,
        request: &'p Request,
    ) -> impl Iterator<Item = &'p ParsedStatement> + 'p {
        self.statements
            .iter()
            .filter(move |s| s.covers(request, self.variables))
    }

    /// How the `Allow` statements that apply to `request` name its caller,
    /// the most direct way first (a resource policy: see [`By`]).
    pub(crate) fn allowed_by(&self, request: &Request) -> Option<By> {
        self.applying(request, Effect::Allow)
            .filter_map(|s| s.principal.as_ref())
            .filter_map(|p| {
                // `NotPrincipal` appears only in denies (see `exempts`).
                if p.negated {
                    return None;
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
    /// `"*"`.
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
        self.covers(request, variables)
            && condition::holds(&self.conditions, &request.context, variables)
    }

    /// Whether the statement's principal, action and resource cover
    /// `request` (its condition aside).
    fn covers(&self, request: &Request, variables: bool) -> bool {
        let context = &request.context;
        let reading = Reading {
            wildcards: true,
            variables: variables.then_some(context),
        };
        // Cheapest first; most statements fail on the resource.
        let principal = || match &self.principal {
            None => true,
            Some(p) if p.negated => self.effect == Effect::Deny && !exempts(&p.items, request),
            Some(p) => p.items.iter().any(|item| names(item, request)),
        };
        let action = || {
            self.actions.items.iter().any(|pattern| {
                Pattern::read(
                    pattern,
                    Reading {
                        wildcards: true,
                        variables: None,
                    },
                )
                .is_some_and(|p| p.matches(&request.action, true))
            }) != self.actions.negated
        };
        let resource = || {
            self.resources
                .items
                .iter()
                .any(|pattern| arn_matches(pattern, &request.resource, reading))
                != self.resources.negated
        };
        principal() && resource() && action()
    }

    /// The statement's condition clauses.
    pub(crate) fn conditions(&self) -> &[Clause] {
        &self.conditions
    }
}

/// Whether a `NotPrincipal` list exempts the caller from its `Deny`.
///
/// IAM User Guide, "AWS JSON policy elements: NotPrincipal": it "must be
/// used with `Effect: Deny`" (with `Allow` it is not supported: such a
/// statement applies to no one here), and "you must also specify the
/// account ARN of the not-denied principal… AWS might verify the account
/// first, and then the user… we strongly recommend that you explicitly
/// include the ARN for the user's account, or include the ARN for the role
/// and the ARN for the account containing that role." The documentation
/// does not say that the account's ARN alone exempts the account's users
/// and roles, so dpol takes the safer reading: a caller is exempt when the
/// list names the caller itself (its user, role or session ARN; a service
/// by name) and, for an IAM caller, its account too, or is `*`.
/// `@cloud-copilot/iam-simulate` exempts every principal of a listed
/// account (tests/eval_differential.rs lists this as a known divergence).
fn exempts(items: &[Principal], request: &Request) -> bool {
    if items.contains(&Principal::Everyone) {
        return true;
    }
    let own = items
        .iter()
        .any(|item| matches!(by(item, request), Some(By::ExactArn | By::Role)));
    let account = items
        .iter()
        .any(|item| by(item, request) == Some(By::Account));
    own && (account || !request.principal.starts_with("arn:"))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::eval::Context;
    use serde_json::json;

    fn request(principal: &str) -> Request {
        Request::signed(
            principal,
            "dynamodb:GetItem",
            "arn:aws:dynamodb:us-east-1:444455556666:table/T",
            Context::default(),
        )
    }

    /// The NotPrincipal page's example: "denies access to all principals
    /// except the user named Bob in AWS account 444455556666".
    #[test]
    fn not_principal_exempts_only_who_it_names_with_their_account() {
        let policy = ParsedPolicy::parse(&json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Deny", "Action": "dynamodb:*", "Resource": "*",
            "NotPrincipal": {"AWS": ["arn:aws:iam::444455556666:user/Bob",
                                     "arn:aws:iam::444455556666:root"]}}]}))
        .unwrap();
        let denied = |p: &str| policy.applying(&request(p), Effect::Deny).count() == 1;
        assert!(!denied("arn:aws:iam::444455556666:user/Bob"));
        assert!(denied("arn:aws:iam::444455556666:user/Alice"));
        assert!(denied("arn:aws:iam::111122223333:user/Bob"));
        let account_only = ParsedPolicy::parse(&json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Deny", "Action": "dynamodb:*", "Resource": "*",
            "NotPrincipal": {"AWS": "444455556666"}}]}))
        .unwrap();
        assert_eq!(
            account_only
                .applying(&request("arn:aws:iam::444455556666:user/Bob"), Effect::Deny)
                .count(),
            1,
            "the account alone does not exempt its users (the safer reading)"
        );
        let allow = ParsedPolicy::parse(&json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*",
            "NotPrincipal": {"AWS": "arn:aws:iam::444455556666:user/Bob"}}]}))
        .unwrap();
        assert_eq!(
            allow
                .applying(
                    &request("arn:aws:iam::444455556666:user/Alice"),
                    Effect::Allow
                )
                .count(),
            0,
            "NotPrincipal with Allow is not supported: it grants nothing"
        );
    }
}
