//! An offline evaluator: would AWS allow this request, given these policy
//! documents, and which statements decide? It reads policies as JSON — the
//! exact documents dpol writes, or deployed ones — not dpol's model, so it
//! checks what is enforced rather than what dpol meant.
//!
//! The order follows the IAM User Guide, "Policy evaluation logic" and "How
//! AWS enforcement code logic evaluates requests" (iam-facts §6):
//!
//! 1. an explicit `Deny` that applies, in any policy, denies;
//! 2. RCPs: only their denies count — `RCPFullAWSAccess` is attached at every
//!    level and cannot be detached (Organizations User Guide, "Resource
//!    control policies");
//! 3. SCPs: every level of the caller's chain (root, each OU, the account)
//!    must have an `Allow` that applies; no levels means no SCPs apply (the
//!    management account, service-linked roles, principals outside the
//!    organization — the caller leaves them out);
//! 4. the VPC endpoint policy of the endpoint the request came through, when
//!    there is one, must allow (its exact place in the order is not
//!    documented; it is a further gate either way: VPC User Guide,
//!    "Control access to VPC endpoints using endpoint policies");
//! 5. within one account, the identity policies **or** the resource policy
//!    allow; across accounts, both must. A permissions boundary caps the
//!    identity policies, and a resource policy's allow of a role ARN, but
//!    not its allow of the exact user or session ARN. A resource policy
//!    that names only the caller's account delegates to the account's
//!    identity policies: they must allow, in the same account too.
//!
//! Which documents apply to a request (the principal's identity policies,
//! the SCP chain, the table's resource policy, the endpoint's policy) is
//! the caller's choice, given as a [`PolicySet`].

mod condition;
mod date;
mod pattern;
mod policy;
mod request;

pub use crate::json::Problem;
pub(crate) use date::days_in_month;
pub use date::{format_instant, instant, now};
pub use policy::ParsedPolicy;
pub use request::{Context, ContextValue, Request};

use crate::iam::Effect;
use policy::By;

/// A policy and the name it is reported by (`identity/111122223333/dpol-alice.json`).
#[derive(Clone, Copy, Debug)]
pub struct Named<'p> {
    /// The name it is reported by: `identity/111122223333/dpol-alice.json`.
    pub name: &'p str,
    /// The policy, parsed once.
    pub policy: &'p ParsedPolicy,
}

/// The documents that apply to one request.
#[derive(Clone, Debug, Default)]
pub struct PolicySet<'p> {
    /// The caller's identity policies (a role session: its role's).
    pub identity: Vec<Named<'p>>,
    /// The caller's permissions boundary, if it has one.
    pub boundary: Option<Named<'p>>,
    /// The SCPs of each level of the caller's account, root first; empty
    /// when SCPs do not apply.
    pub scps: Vec<Vec<Named<'p>>>,
    /// The RCPs of each level of the resource's account, root first.
    pub rcps: Vec<Vec<Named<'p>>>,
    /// The resource's own policy (a table's, for the table and everything
    /// under it).
    pub resource: Option<Named<'p>>,
    /// The policy of the VPC endpoint the request came through.
    pub endpoint: Option<Named<'p>>,
}

impl<'p> PolicySet<'p> {
    /// Every policy of the set.
    fn all(&self) -> impl Iterator<Item = &Named<'p>> {
        self.identity
            .iter()
            .chain(&self.boundary)
            .chain(self.scps.iter().flatten())
            .chain(self.rcps.iter().flatten())
            .chain(&self.resource)
            .chain(&self.endpoint)
    }
}

/// AWS's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum Decision {
    /// Some policy allows, every policy that must allow does, and none denies.
    Allowed,
    /// No policy denies, but one that must allow does not.
    ImplicitlyDenied,
    /// A statement denies.
    ExplicitlyDenied,
}

impl Decision {
    /// `Allowed`, `ImplicitlyDenied`, `ExplicitlyDenied`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "Allowed",
            Decision::ImplicitlyDenied => "ImplicitlyDenied",
            Decision::ExplicitlyDenied => "ExplicitlyDenied",
        }
    }
}

/// The policy that did not allow, for an implicit deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// The SCPs of this level of the caller's chain (0 is the root).
    Scp(usize),
    /// The VPC endpoint's policy does not allow.
    Endpoint,
    /// No identity policy allows (and, in the same account, no resource
    /// policy either).
    Identity,
    /// Across accounts, the resource policy does not allow.
    Resource,
    /// The permissions boundary does not allow.
    Boundary,
}

/// One statement that took part in the decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decider {
    /// The [`Named::name`] of its policy.
    pub policy: String,
    /// Its position in the policy's `Statement` list.
    pub index: usize,
    /// The statement's `Sid`, if it has one.
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: Effect,
}

/// The decision and what made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    /// Allowed, implicitly denied or explicitly denied.
    pub decision: Decision,
    /// For a deny, the statements that deny; for an allow, those that allow
    /// (identity, resource and endpoint policies).
    pub deciding: Vec<Decider>,
    /// For an implicit deny, the policy that did not allow.
    pub gap: Option<Gap>,
}

/// Evaluates `request` against `policies`.
pub fn evaluate(request: &Request, policies: &PolicySet<'_>) -> Evaluation {
    let all = policies.all();
    let denies = statements(all, request, Effect::Deny);
    if !denies.is_empty() {
        return decided(Decision::ExplicitlyDenied, denies, None);
    }
    let allows = |named: &Named<'_>| statements([named], request, Effect::Allow);
    for (level, scps) in policies.scps.iter().enumerate() {
        if statements(scps, request, Effect::Allow).is_empty() {
            return decided(
                Decision::ImplicitlyDenied,
                Vec::new(),
                Some(Gap::Scp(level)),
            );
        }
    }
    let endpoint = policies.endpoint.as_ref().map(allows);
    if endpoint.as_ref().is_some_and(Vec::is_empty) {
        return decided(Decision::ImplicitlyDenied, Vec::new(), Some(Gap::Endpoint));
    }
    let identity = statements(&policies.identity, request, Effect::Allow);
    let bounded = policies
        .boundary
        .as_ref()
        .is_none_or(|b| !allows(b).is_empty());
    let resource = policies.resource.as_ref().map(allows).unwrap_or_default();
    let named = policies
        .resource
        .as_ref()
        .and_then(|r| r.policy.allowed_by(request));
    let same_account = request.principal_account() == request.resource_account();
    let by_identity = !identity.is_empty() && bounded;
    // A resource policy's allow grants by itself when it names the caller
    // (not only its account); of the exact user or session ARN, it is not
    // capped by a boundary either (iam-facts §6, step 4).
    let by_resource = match named {
        Some(By::ExactArn) => true,
        Some(By::Role | By::Everyone) => bounded,
        Some(By::Account) | None => false,
    };
    let allowed = if same_account {
        by_identity || by_resource
    } else {
        by_identity && named.is_some()
    };
    if allowed {
        let mut deciding = identity;
        deciding.extend(resource);
        deciding.extend(endpoint.into_iter().flatten());
        return decided(Decision::Allowed, deciding, None);
    }
    let gap = if !identity.is_empty() && !bounded {
        Gap::Boundary
    } else if same_account || identity.is_empty() {
        Gap::Identity
    } else {
        Gap::Resource
    };
    decided(Decision::ImplicitlyDenied, Vec::new(), Some(gap))
}

/// One comparison of a condition: its key (lowercase), operator and value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Compared {
    /// The condition key, lowercase.
    pub key: String,
    /// The operator, as the policy writes it: `StringEquals`, `ForAllValues:StringLike`.
    pub operator: String,
    /// One value it compares with.
    pub value: String,
}

/// The comparisons of the conditions of the statements of `policies` whose
/// principal, action and resource cover `request`: the values its context
/// is compared with, whatever the context. `None` when no identity or
/// resource-policy `Allow` covers it: then no context allows it (an allow
/// of one of them is needed in every case, see [`evaluate`]).
pub fn compared(request: &Request, policies: &PolicySet<'_>) -> Option<Vec<Compared>> {
    may_allow(request, policies).then(|| compared_in(request, policies.all()))
}

/// Whether an identity or resource-policy `Allow` covers `request` (its
/// context aside): without one, no context allows it.
pub fn may_allow(request: &Request, policies: &PolicySet<'_>) -> bool {
    policies
        .identity
        .iter()
        .chain(&policies.resource)
        .flat_map(|named| named.policy.covering(request))
        .any(|s| s.effect == Effect::Allow)
}

/// The comparisons of the statements of `policies` that cover `request`
/// (see [`compared`]).
pub fn compared_in<'a, 'p: 'a>(
    request: &Request,
    policies: impl IntoIterator<Item = &'a Named<'p>>,
) -> Vec<Compared> {
    let mut out: Vec<Compared> = policies
        .into_iter()
        .flat_map(|named| named.policy.covering(request))
        .flat_map(|s| s.conditions())
        .flat_map(|c| {
            c.values.iter().map(|v| Compared {
                key: c.key.to_ascii_lowercase(),
                operator: c.operator.clone(),
                value: v.clone(),
            })
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether a `Resource` entry may match `resource`, before its document is
/// read for evaluation: a policy variable may stand for anything.
pub fn resource_may_match(pattern: &str, resource: &str) -> bool {
    pattern.contains("${")
        || pattern::arn_matches(
            pattern,
            resource,
            pattern::Reading {
                wildcards: true,
                variables: None,
            },
        )
}

/// Whether an `Action` entry may match `action` (as [`resource_may_match`]).
pub fn action_may_match(pattern: &str, action: &str) -> bool {
    pattern::Pattern::read(
        pattern,
        pattern::Reading {
            wildcards: true,
            variables: None,
        },
    )
    .is_some_and(|p| p.matches(action, true))
}

fn decided(decision: Decision, deciding: Vec<Decider>, gap: Option<Gap>) -> Evaluation {
    Evaluation {
        decision,
        deciding,
        gap,
    }
}

/// The statements of `effect` in `policies` that apply to `request`.
fn statements<'a, 'p: 'a>(
    policies: impl IntoIterator<Item = &'a Named<'p>>,
    request: &Request,
    effect: Effect,
) -> Vec<Decider> {
    policies
        .into_iter()
        .flat_map(|named| {
            named
                .policy
                .applying(request, effect)
                .map(move |s| Decider {
                    policy: named.name.to_string(),
                    index: s.index,
                    sid: s.sid.clone(),
                    effect,
                })
        })
        .collect()
}
