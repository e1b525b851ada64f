//! Endpoint policy blocks (`endpoint gw = vpce-… { allow …; only …; from
//! grants }`) and the check that a `via` grant can pass its endpoint.

use super::names::Kind;
use super::values;
use super::{Checker, Ctx};
use crate::ast::{self, Name, Spanned, TableTarget};
use crate::catalog::{verbs, Action};
use crate::diag::{Code, Diagnostic};
use crate::model::{self, Effect, EndpointPolicy, Network};
use crate::source::Span;
use crate::vocab::Verb;

impl Checker<'_, '_, '_> {
    pub(super) fn endpoint_policies(&mut self) {
        let p = self.program;
        for (i, (d, _)) in p.endpoints.iter().enumerate() {
            let Some(rules) = &d.rules else { continue };
            let mut policy = EndpointPolicy::default();
            for rule in rules {
                match rule {
                    ast::EndpointRule::Allow {
                        verbs,
                        actions,
                        target,
                        span,
                    } => {
                        let Some(allow) = self.endpoint_allow(i, d, verbs, actions, target, *span)
                        else {
                            continue;
                        };
                        policy.allows.push(allow);
                    }
                    ast::EndpointRule::OnlyPrincipal { kind, name, .. } => {
                        let declare = format!("{} {} in prod", kind.keyword(), name.node);
                        if let Some((_, j)) = self.lookup(name, &[Kind::Principal], &declare) {
                            if let Some(pr) = self.model.principals.get(j) {
                                policy.principal_arns.push(pr.arn.clone());
                            }
                        }
                    }
                    ast::EndpointRule::OnlyAccount { name, .. } => {
                        policy.accounts.extend(self.account_named(name));
                    }
                    ast::EndpointRule::OnlyOrg { span } => match &self.model.org {
                        Some(org) => policy.org = Some(org.clone()),
                        None => self.error(no_org(*span)),
                    },
                    ast::EndpointRule::FromGrants { .. } => policy.from_grants = true,
                }
                policy.spans.push(rule_span(rule));
            }
            policy.principal_arns.sort();
            policy.principal_arns.dedup();
            policy.accounts.sort();
            policy.accounts.dedup();
            if let Some(e) = self.model.endpoints.get_mut(i) {
                e.policy = Some(policy);
            }
        }
    }

    /// One `allow` rule of endpoint `i`'s block: its table (in the
    /// endpoint's region) and actions; `None` when the table is unknown.
    fn endpoint_allow(
        &mut self,
        i: usize,
        d: &ast::EndpointDecl,
        verbs: &[Spanned<Verb>],
        actions: &[Name],
        target: &TableTarget,
        span: Span,
    ) -> Option<model::EndpointAllow> {
        let table = match target {
            TableTarget::All(_) => None,
            TableTarget::Named(name) => {
                let declare = format!("table {} in prod", name.node);
                match self.lookup(name, &[Kind::Table], &declare) {
                    Some((_, t)) => {
                        let region = self.model.endpoints.get(i).map(|e| e.region.clone());
                        self.same_region(&d.name, region.as_deref(), t);
                        Some(t)
                    }
                    None => return None,
                }
            }
        };
        let verb_list: Vec<_> = verbs.iter().map(|v| v.node).collect();
        let resolved = if !actions.is_empty() {
            let mut all = Vec::new();
            for name in actions {
                all.extend(
                    self.actions_named(name, table.is_some())
                        .unwrap_or_default(),
                );
            }
            all.sort_by(|a: &&Action, b| a.name.cmp(&b.name));
            all.dedup_by(|a, b| a.name == b.name);
            all
        } else if !verb_list.is_empty() {
            verbs::allow_actions(&self.catalog.dynamodb, &verb_list, table.is_some())
        } else {
            Vec::new()
        };
        Some(model::EndpointAllow {
            all: verb_list.is_empty() && actions.is_empty(),
            actions: resolved,
            verbs: verb_list,
            table,
            span,
        })
    }

    /// W0011 for each allow grant that goes `via` an endpoint whose policy
    /// block (without `from grants`) lets none, or only some, of its actions
    /// through: the endpoint policy must allow a request too.
    pub(super) fn via_reachability(&mut self) {
        let mut found: Vec<(Span, Span, String, Vec<String>, bool)> = Vec::new();
        // Endpoint index → the first grant that goes `via` it, for the
        // endpoints without a policy block.
        let mut untouched: std::collections::BTreeMap<usize, Span> = Default::default();
        for g in self
            .model
            .grants
            .iter()
            .filter(|g| g.effect == Effect::Allow)
        {
            for network in &g.via {
                let Network::Endpoint(id) = network else {
                    continue;
                };
                let Some((i, e)) = self
                    .model
                    .endpoints
                    .iter()
                    .enumerate()
                    .find(|(_, e)| &e.id == id)
                else {
                    continue;
                };
                if e.policy.is_none() {
                    untouched.entry(i).or_insert(g.span);
                }
                let Some(policy) = e.policy.as_ref().filter(|p| !p.from_grants) else {
                    continue;
                };
                let Some(principal) = self.model.principals.get(g.principal) else {
                    continue;
                };
                let named = policy.principal_arns.is_empty()
                    || policy.principal_arns.contains(&principal.arn);
                let account =
                    policy.accounts.is_empty() || policy.accounts.contains(&principal.account_id);
                let blocked: Vec<String> = g
                    .actions
                    .iter()
                    .filter(|a| !(named && account && passes(policy, g.table, a)))
                    .map(|a| a.name.clone())
                    .collect();
                if !blocked.is_empty() {
                    let never = blocked.len() == g.actions.len();
                    let span = policy.spans.first().copied().unwrap_or(e.span);
                    found.push((g.span, span, e.name.clone(), blocked, never));
                }
            }
        }
        for (i, grant) in untouched {
            let Some(e) = self.model.endpoints.get(i) else {
                continue;
            };
            self.diags.push(left_alone(&e.name, e.span, grant));
        }
        for (grant, block, endpoint, blocked, never) in found {
            self.diags
                .push(blocks_grant(grant, block, &endpoint, &blocked, never));
        }
    }
}

/// W0014: an endpoint a grant goes `via` has no policy block.
fn left_alone(name: &str, span: Span, grant: Span) -> Diagnostic {
    Diagnostic::new(Code::EndpointLeftAlone, span, format!("endpoint `{name}` has no policy block: dpol leaves its policy as deployed"))
            .label("no `{ … }` block")
            .secondary(grant, "a grant goes `via` it")
            .note("an endpoint's policy applies to every workload behind it; dpol writes one only when the endpoint's block asks for it")
            .help(format!("add `{{ from grants }}` to allow only what its `via` grants allow, or `{{ allow * }}` to state that `{name}` lets every DynamoDB request through"))
}

/// W0011: the endpoint's policy lets none (`never`), or only some, of a
/// grant's actions through; `blocked`: those it blocks.
fn blocks_grant(
    grant: Span,
    block: Span,
    endpoint: &str,
    blocked: &[String],
    never: bool,
) -> Diagnostic {
    let message = if never {
        format!(
            "this grant can never succeed: endpoint `{endpoint}`'s policy lets none of it through"
        )
    } else {
        format!(
            "endpoint `{endpoint}`'s policy blocks part of this grant: {}",
            blocked.join(", ")
        )
    };
    Diagnostic::new(Code::EndpointBlocksGrant, grant, message)
            .label("requests must come through the endpoint")
            .secondary(block, "the endpoint's policy")
            .note("a request through a VPC endpoint needs an Allow in the endpoint's policy too; the identity policy alone is not enough")
            .help(format!("allow it in the endpoint's block (`allow … TABLE`, or `from grants`), or drop `via {endpoint}`"))
}

/// True when a rule of the block allows action `a` on the grant's table
/// (`table`: `None` for a grant on every table).
fn passes(policy: &EndpointPolicy, table: Option<usize>, a: &Action) -> bool {
    policy.allows.iter().any(|rule| {
        let named = rule.actions.iter().any(|r| r.name == a.name);
        let resource = if a.resourceless() {
            // Granted on "*": a rule on every table, or one that names the
            // action (dpol writes account-level actions on "*").
            rule.table.is_none() || named
        } else {
            rule.table.is_none() || (table.is_some() && rule.table == table)
        };
        resource && (rule.all || named)
    })
}

fn rule_span(rule: &ast::EndpointRule) -> Span {
    match rule {
        ast::EndpointRule::Allow { span, .. }
        | ast::EndpointRule::OnlyPrincipal { span, .. }
        | ast::EndpointRule::OnlyAccount { span, .. }
        | ast::EndpointRule::OnlyOrg { span }
        | ast::EndpointRule::FromGrants { span } => *span,
    }
}

impl Checker<'_, '_, '_> {
    pub(super) fn endpoint(&mut self, endpoint: &ast::EndpointDecl, ctx: &Ctx) {
        self.valid(
            &endpoint.id,
            Code::BadEndpointId,
            "VPC endpoint id",
            values::endpoint_id,
        );
        let mut region = None;
        let mut vpc_id = None;
        if let Some(vpc) = &endpoint.vpc {
            let declare = format!("vpc {} = vpc-0123456789abcdef0", vpc.node);
            if let Some((_, i)) = self.lookup(vpc, &[Kind::Vpc], &declare) {
                region = self.vpc_regions.get(&vpc.node).and_then(|(_, r)| r.clone());
                vpc_id = self.program.vpcs.get(i).map(|(d, _)| d.id.node.clone());
            }
        }
        let region = region.or_else(|| {
            self.region_for(
                ctx,
                endpoint.span,
                &format!("endpoint `{}`", endpoint.name.node),
            )
        });
        self.model.endpoints.push(model::Endpoint {
            name: endpoint.name.node.clone(),
            id: endpoint.id.node.clone(),
            region: region.unwrap_or_default(),
            vpc: vpc_id,
            policy: None,
            span: endpoint.span,
        });
    }
}

/// E0408: `only org` in a program without `org`.
fn no_org(span: Span) -> Diagnostic {
    Diagnostic::new(Code::NoOrg, span, "`only org` needs the organization's id")
        .label("which organization?")
        .help("add `org o-a1b2c3d4e5` with your organization's id")
}
