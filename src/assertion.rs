//! `assert` lines: a property checked over a finite universe of requests,
//! each evaluated like an expectation's.
//!
//! The universe of an assertion (docs/test.md, "Assertions", says the same):
//!
//! - callers ([`Names::callers`]): every declared user and role, a member of
//!   each declared group (with the group's policies), every perimeter role,
//!   and a role no one declared in the table's account, in another declared
//!   account and in an account outside the program;
//! - the requests of the assertion: each action on the resource it acts on
//!   (as for an expectation: the table, or its stream, a backup, export or
//!   import, its global table) and on each declared index it works on, a
//!   PartiQL SELECT both by key and as a full scan;
//! - origins: outside every VPC, through each declared endpoint, from each
//!   declared VPC;
//! - for each caller, request and origin, the statements of the documents
//!   that apply whose principal, action and resource cover the request
//!   ([`eval::compared`]): when no identity or resource-policy `Allow` does,
//!   the request is denied whatever its context and nothing more is tried;
//!   otherwise the context takes the values their conditions compare
//!   (`Values`): no leading key or one of them (a pattern completed, a
//!   number and its neighbours) or one no document names; no attribute, one
//!   named or one not named; from outside, also an address of each `IpAddress`
//!   block and one outside them all; the run's time or an instant a
//!   condition names and the seconds either side, when later than the run
//!   (the documents never see a past instant); without and with MFA when a
//!   condition names it.
//!
//! Values come from the documents, so the same universe serves `--against`
//! deployed documents. What it cannot cover: values between those the
//! conditions name (a `NumericLessThan 200` is tried at 199, 200 and 201,
//! not at 150), sets of several keys or attributes in one request (a
//! `ForAllValues` condition that allows each value alone allows no more
//! together), principals the program does not declare other than the three
//! it stands in for, group memberships of declared users (each identity
//! is checked alone: allows only add up, so a caller allowed through a
//! group is found as the group's member), and condition keys dpol does not
//! vary (tags, `aws:SourceVpcArn`, `aws:ViaAWSService`, `dynamodb:Select`,
//! …). So a passing assertion is proved for this universe, not beyond it.

use std::collections::{BTreeSet, HashMap};

use crate::catalog::Catalog;
use crate::diag::{Code, Diagnostic};
use crate::iam::eval::{self, format_instant, instant, Compared, Decision};
use crate::iam::DocKind;
use crate::model::{Assertion, ExpectedRequest, KeySet, Network, Property};
use crate::why::{self, Answer, Caller, Documents, Names, Query};

/// Where a request of the universe comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Origin {
    Outside,
    Ip(String),
    Vpc(String),
    /// An endpoint and its VPC.
    Endpoint(String, Option<String>),
}

impl Origin {
    /// Whether it comes through one of `networks`.
    fn via(&self, networks: &[Network]) -> bool {
        networks.iter().any(|n| match (self, n) {
            (Origin::Endpoint(id, _), Network::Endpoint(want)) => id == want,
            (Origin::Endpoint(_, Some(vpc)) | Origin::Vpc(vpc), Network::Vpc(want)) => vpc == want,
            _ => false,
        })
    }
}

/// Which origins can decide differently for one caller and request. An
/// origin whose VPC and endpoint ids no covering condition compares (and
/// no wildcard could match), through no endpoint with a policy of its own,
/// and outside the assertion's networks is decided like every other such
/// origin of its kind: one VPC and one endpoint of them stand for the rest.
struct Distinct<'a> {
    named: BTreeSet<&'a str>,
    wildcard: bool,
    networks: &'a [Network],
}

impl<'a> Distinct<'a> {
    fn of(compared: &'a [Compared], property: &'a Property) -> Distinct<'a> {
        let network = |c: &&Compared| c.key == "aws:sourcevpc" || c.key == "aws:sourcevpce";
        Distinct {
            named: compared
                .iter()
                .filter(network)
                .map(|c| c.value.as_str())
                .collect(),
            wildcard: compared
                .iter()
                .filter(network)
                .any(|c| c.value.contains(['*', '?'])),
            networks: match property {
                Property::Via(networks, _) => networks,
                Property::Only(_) | Property::CanOnly { .. } => &[],
            },
        }
    }

    /// Whether to try `origin`; `seen`: whether a VPC and an endpoint
    /// standing for the rest have been tried.
    fn keeps(&self, origin: &Origin, docs: &Documents<'_>, seen: &mut (bool, bool)) -> bool {
        let (ids, endpoint, first): (Vec<&str>, Option<&str>, &mut bool) = match origin {
            Origin::Outside | Origin::Ip(_) => return true,
            Origin::Vpc(vpc) => (vec![vpc.as_str()], None, &mut seen.0),
            Origin::Endpoint(id, vpc) => (
                std::iter::once(id.as_str()).chain(vpc.as_deref()).collect(),
                Some(id.as_str()),
                &mut seen.1,
            ),
        };
        let distinct = self.wildcard
            || ids.iter().any(|id| self.named.contains(id))
            || endpoint.is_some_and(|id| docs.attached(DocKind::VpcEndpoint, id))
            || origin.via(self.networks);
        if distinct {
            return true;
        }
        !std::mem::replace(first, true)
    }
}

/// An assertion's result.
#[derive(Debug)]
pub struct Checked {
    /// The requests evaluated.
    pub requests: usize,
    /// The first request that breaks the property, with its caller.
    pub counterexample: Option<(Caller, Query, Answer)>,
}

/// A key value, an attribute and an address no document names (for
/// tables whose partition key is a number and for the others; RFC 2544's
/// benchmark range).
const OTHER_KEYS: [&str; 2] = ["987654321", "dpol-other"];
const OTHER_ATTRIBUTE: &str = "dpolOther";
const OTHER_ADDRESS: &str = "198.18.0.1";

/// The values of the context dimensions to try for one caller, request and
/// origin: each value a covering statement compares a key with, at and
/// either side of it (module docs).
#[derive(Default)]
struct Values {
    keys: BTreeSet<String>,
    attrs: BTreeSet<String>,
    ips: BTreeSet<String>,
    times: BTreeSet<String>,
    mfa: bool,
}

impl Values {
    fn of(compared: &[Compared], now: &str) -> Values {
        let mut v = Values::default();
        let start = instant(now);
        for c in compared {
            let value = c.value.as_str();
            match c.key.as_str() {
                _ if c.operator.starts_with("Null") => {}
                "dynamodb:leadingkeys" => {
                    v.keys.extend(OTHER_KEYS.map(String::from));
                    v.keys.extend(around(&c.operator, value));
                }
                "dynamodb:attributes" => {
                    v.attrs.insert(OTHER_ATTRIBUTE.to_string());
                    v.attrs.insert(value.to_string());
                }
                "aws:sourceip" => {
                    v.ips.insert(OTHER_ADDRESS.to_string());
                    v.ips
                        .insert(value.split('/').next().unwrap_or(value).to_string());
                }
                "aws:currenttime" | "aws:epochtime" => {
                    // The documents apply from now on: a past instant (an
                    // expired grant's last second) is no request they see.
                    if let Some(ms) = instant(value) {
                        v.times.extend(
                            [ms - 1000, ms, ms + 1000]
                                .into_iter()
                                .filter(|t| Some(*t) > start)
                                .map(format_instant),
                        );
                    }
                }
                "aws:multifactorauthpresent" | "aws:multifactorauthage" => v.mfa = true,
                _ => {}
            }
        }
        v
    }
}

/// The values a key compared with `value` by `operator` takes at its edge:
/// a pattern completed, a number and its neighbours, the value itself.
fn around(operator: &str, value: &str) -> Vec<String> {
    if operator.contains("Like") {
        return vec![completed(value)];
    }
    match value.parse::<i64>() {
        Ok(n) => vec![(n - 1).to_string(), n.to_string(), (n + 1).to_string()],
        Err(_) => vec![value.to_string()],
    }
}

/// A value a `StringLike` pattern matches: each unescaped `*` or `?`
/// filled, the escapes (`${*}`, `${?}`, `${$}`) undone.
fn completed(pattern: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if let Some((escape, tail)) = ["${*}", "${?}", "${$}"]
            .iter()
            .find_map(|e| rest.strip_prefix(e).map(|t| (e, t)))
        {
            out.push_str(&escape[2..3]);
            rest = tail;
            continue;
        }
        match c {
            '*' | '?' => out.push('0'),
            other => out.push(other),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// No value, then each of `values`.
fn or_none(values: &BTreeSet<String>) -> Vec<Option<String>> {
    std::iter::once(None)
        .chain(values.iter().cloned().map(Some))
        .collect()
}

/// Where a request may come from: outside every network, and through each
/// declared endpoint and VPC.
fn origins(names: &Names) -> Vec<Origin> {
    let (endpoints, vpcs) = names.networks();
    let mut origins = vec![Origin::Outside];
    origins.extend(
        endpoints
            .into_iter()
            .map(|(id, vpc)| Origin::Endpoint(id, vpc)),
    );
    origins.extend(vpcs.into_iter().map(Origin::Vpc));
    origins
}

/// Checks `assertion` over its universe (module docs) at `now`.
///
/// One function on purpose: its nested loops are the universe (caller ×
/// request × origin × the values the documents compare), each level pruning
/// the next with what it learned (no allow on the resource, no allow at
/// all, origins that cannot differ), and the first counterexample ends them
/// all.
pub fn check(
    names: &Names,
    catalog: &Catalog,
    assertion: &Assertion,
    docs: &Documents<'_>,
    now: &str,
) -> Result<Checked, Diagnostic> {
    let account = assertion
        .tables
        .first()
        .map(|arn| crate::iam::account_of(arn))
        .unwrap_or_default()
        .to_string();
    let origins = origins(names);
    let mut checked = Checked {
        requests: 0,
        counterexample: None,
    };
    let now = Some(now.to_string());
    for caller in names.callers(&account) {
        if let Property::CanOnly { principal, .. } = &assertion.property {
            if !caller.names.iter().any(|n| principal.contains(n)) {
                continue;
            }
        }
        let mut targets = vec![caller.arn.clone()];
        targets.extend(caller.groups.iter().cloned());
        // Most callers have no allow on the table's resources at all.
        let mut on_resource = HashMap::new();
        for r in &assertion.requests {
            let actions = on_resource
                .entry(r.resource.as_str())
                .or_insert_with(|| docs.allowed_actions(&targets, &r.resource));
            if !Documents::may_allow_action(actions, &r.action) {
                checked.requests += 1;
                continue;
            }
            // Whether an allow covers the request does not depend on where
            // it comes from: only the endpoint policy does, and it cannot
            // allow alone.
            let outside = query(&caller, r, &Origin::Outside, &None, &None, &now, false);
            let request = why::request(names, catalog, &outside)?;
            let set = docs.policy_set(names, &request, &caller.groups)?;
            let Some(everywhere) = eval::compared(&request, &set) else {
                // No allow covers it: denied whatever the context.
                checked.requests += 1;
                continue;
            };
            let distinct = Distinct::of(&everywhere, &assertion.property);
            let mut seen = (false, false);
            for origin in &origins {
                if !distinct.keeps(origin, docs, &mut seen) {
                    continue;
                }
                // Only an endpoint's own policy adds comparisons.
                let mut compared = everywhere.clone();
                if let Origin::Endpoint(..) = origin {
                    let base = query(&caller, r, origin, &None, &None, &now, false);
                    let request = why::request(names, catalog, &base)?;
                    let set = docs.policy_set(names, &request, &caller.groups)?;
                    compared.extend(eval::compared_in(&request, &set.endpoint));
                }
                let values = Values::of(&compared, now.as_deref().unwrap_or_default());
                let mut from = vec![origin.clone()];
                if *origin == Origin::Outside {
                    from.extend(values.ips.iter().cloned().map(Origin::Ip));
                }
                let mut times = vec![now.clone()];
                times.extend(values.times.iter().cloned().map(Some));
                let mfa: &[bool] = if values.mfa { &[false, true] } else { &[false] };
                for origin in &from {
                    for key in &or_none(&values.keys) {
                        for attr in &or_none(&values.attrs) {
                            for at in &times {
                                for &with_mfa in mfa {
                                    let q = query(&caller, r, origin, key, attr, at, with_mfa);
                                    let request = why::request(names, catalog, &q)?;
                                    checked.requests += 1;
                                    let decision = docs.decide(names, &request, &caller.groups)?;
                                    if decision != Decision::Allowed
                                        || !breaks(&assertion.property, &caller, origin, r, key)
                                    {
                                        continue;
                                    }
                                    let answer = docs.answer_as(names, request, &caller.groups)?;
                                    checked.counterexample = Some((caller, q, answer));
                                    return Ok(checked);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(checked)
}

/// Whether an allowed request of `caller` from `origin` breaks `property`.
fn breaks(
    property: &Property,
    caller: &Caller,
    origin: &Origin,
    request: &ExpectedRequest,
    key: &Option<String>,
) -> bool {
    match property {
        Property::CanOnly {
            actions,
            keyed,
            keys,
            ..
        } => {
            !actions.contains(&request.action)
                || keys.as_ref().is_some_and(|set| {
                    keyed.contains(&request.action)
                        && key.as_deref().is_none_or(|k| !key_in(set, k))
                })
        }
        Property::Only(allowed) => !caller.names.iter().any(|n| allowed.contains(n)),
        Property::Via(networks, except) => {
            !origin.via(networks) && !caller.names.iter().any(|n| except.contains(n))
        }
    }
}

/// Whether `key` is one of `set`'s (a range is `low <= key < high`).
fn key_in(set: &KeySet, key: &str) -> bool {
    match set {
        KeySet::Range { low, high } => {
            match (key.parse::<f64>(), low.parse::<f64>(), high.parse::<f64>()) {
                (Ok(k), Ok(lo), Ok(hi)) => lo <= k && k < hi,
                _ => false,
            }
        }
        KeySet::Numbers(values) => {
            let k = key.parse::<f64>().ok();
            values
                .iter()
                .any(|v| v.parse::<f64>().ok() == k && k.is_some())
        }
        KeySet::Strings(values) => values.iter().any(|v| v == key),
        KeySet::Patterns(patterns) => patterns.iter().any(|p| like(p, key)),
    }
}

/// `StringLike`: `*` any run, `?` one character; `${*}`, `${?}`, `${$}`
/// stand for themselves.
fn like(pattern: &str, text: &str) -> bool {
    enum Piece {
        Any,
        One,
        Char(char),
    }
    let mut pieces = Vec::new();
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if let Some((escaped, tail)) = ["${*}", "${?}", "${$}"]
            .iter()
            .find_map(|e| rest.strip_prefix(e).map(|t| (&e[2..3], t)))
        {
            pieces.extend(escaped.chars().map(Piece::Char));
            rest = tail;
            continue;
        }
        pieces.push(match c {
            '*' => Piece::Any,
            '?' => Piece::One,
            other => Piece::Char(other),
        });
        rest = &rest[c.len_utf8()..];
    }
    let text: Vec<char> = text.chars().collect();
    // Which prefixes of `text` the pieces so far match.
    let mut at = vec![false; text.len() + 1];
    at[0] = true;
    for piece in &pieces {
        let mut next = vec![false; text.len() + 1];
        for i in 0..=text.len() {
            if !at[i] {
                continue;
            }
            match piece {
                Piece::Any => next[i..].iter_mut().for_each(|n| *n = true),
                Piece::One if i < text.len() => next[i + 1] = true,
                Piece::Char(c) if text.get(i) == Some(c) => next[i + 1] = true,
                _ => {}
            }
        }
        at = next;
    }
    at[text.len()]
}

fn query(
    caller: &Caller,
    r: &ExpectedRequest,
    origin: &Origin,
    key: &Option<String>,
    attr: &Option<String>,
    at: &Option<String>,
    mfa: bool,
) -> Query {
    let context = crate::expect::base_context(mfa, r);
    let (via, from_ip) = match origin {
        Origin::Outside => (None, None),
        Origin::Ip(ip) => (None, Some(ip.clone())),
        Origin::Vpc(id) | Origin::Endpoint(id, _) => (Some(id.clone()), None),
    };
    Query {
        principal: caller.arn.clone(),
        action: r.action.clone(),
        resource: r.resource.clone(),
        via,
        from_ip,
        keys: key.iter().cloned().collect(),
        attrs: attr.iter().cloned().collect(),
        select: None,
        at: at.clone(),
        context,
    }
}

/// E0422: a broken assertion as a diagnostic at its line: who is allowed what,
/// and the `dpol why` command of the counterexample (`program`: the paths
/// `dpol test` was given).
pub fn failure(
    assertion: &Assertion,
    (caller, q, answer): &(Caller, Query, Answer),
    program: &[String],
) -> Diagnostic {
    let r = &answer.request;
    let how = match &assertion.property {
        Property::Only(allowed) if allowed.is_empty() => "but nobody may".to_string(),
        Property::Only(allowed) => format!("but only {} may", allowed.join(", ")),
        Property::CanOnly { actions, .. } if !actions.contains(&r.action) => {
            "an action the assertion does not allow it".to_string()
        }
        Property::CanOnly { .. } => match q.keys.first() {
            Some(k) => format!("with key {k}, outside the keys the assertion allows it"),
            None => "with no key, so on every key".to_string(),
        },
        Property::Via(networks, _) => format!(
            "not through {}",
            networks
                .iter()
                .map(|n| match n {
                    Network::Vpc(id) | Network::Endpoint(id) => id.as_str(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut d = Diagnostic::new(
        Code::AssertionFailed,
        assertion.span,
        format!(
            "{} is allowed {} on {}, {how}",
            caller.what, r.action, r.resource
        ),
    )
    .label("a counterexample");
    for s in &answer.statements {
        d = d.note(crate::expect::statement_note("allowed by", s));
    }
    if !caller.groups.is_empty() {
        d = d.note(
            "the caller stands for any member of the group; `dpol why` does not know group memberships, so ask it with the group's policy in mind",
        );
    }
    d.help(format!(
        "see the evaluation: {}",
        crate::expect::why_command(q, program)
    ))
}
