//! `dpol why`: would AWS allow one request, and which statements decide?
//!
//! A [`Query`] names the request in the program's words (`alice GetItem
//! Books --keys 101`) or in AWS's (ARNs); [`Names`] resolves it against the
//! program into a [`Request`] and picks the documents AWS would evaluate
//! from a set of [`Document`]s — the compiled ones, or deployed ones read by
//! the diff readers — and [`crate::iam::eval`] evaluates their JSON.
//!
//! Which documents apply (each an assumption stated in `dpol why`'s help
//! and in the README):
//!
//! - identity: those attached to the caller (a role session: its role);
//! - SCPs: when the caller's account is a declared member account, the
//!   levels root, its OU (`account … in OU`) and the account, each with
//!   AWS's `FullAWSAccess` attached as Organizations attaches it by default
//!   (dpol's SCPs are deny lists); none for the management account, an
//!   account the program does not declare (outside the organization), or a
//!   service-linked role (Organizations User Guide, "SCP effects");
//! - RCPs: the same levels of the resource's account;
//! - the resource policy of the table the resource belongs to;
//! - the policy of the endpoint the request comes through (`--via`).
//!
//! The request carries the keys the query gives, the caller's
//! `aws:PrincipalArn` and `aws:PrincipalAccount`, and `aws:PrincipalOrgID`
//! when the caller's account is one the program declares in its `org`.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::catalog::Catalog;
use crate::diag::suggest::did_you_mean;
use crate::diag::{Code, Diagnostic};
use crate::iam::eval::{
    self, Context, Decider, Decision, Evaluation, Gap, Named, ParsedPolicy, PolicySet, Request,
};
use crate::iam::DocKind;
use crate::iam::{Document, SourceRef};
use crate::model::{Model, PerimeterRole};
use crate::vocab::PrincipalKind;

/// AWS's `FullAWSAccess` SCP, attached to every root, OU and account unless
/// detached.
const FULL_AWS_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// A request as `dpol why` is asked it.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// A declared principal's name, or an ARN (a session ARN too).
    pub principal: String,
    /// `GetItem`, `dynamodb:GetItem`, `kms:Decrypt`.
    pub action: String,
    /// A table's name, `TABLE/index/INDEX`, `TABLE/stream/LABEL`, an ARN, or `*`.
    pub resource: String,
    /// A declared endpoint or VPC name, or a `vpce-…`/`vpc-…` id.
    pub via: Option<String>,
    /// `aws:SourceIp`.
    pub from_ip: Option<String>,
    /// `dynamodb:LeadingKeys`.
    pub keys: Vec<String>,
    /// `dynamodb:Attributes`.
    pub attrs: Vec<String>,
    /// `dynamodb:Select`.
    pub select: Option<String>,
    /// `aws:CurrentTime` (ISO 8601).
    pub at: Option<String>,
    /// More context keys: `(key, values, multivalued)`.
    pub context: Vec<(String, Vec<String>, bool)>,
}

/// What the program declares that a query may name.
#[derive(Clone, Debug)]
pub struct Names {
    partition: String,
    /// The organization's id (`org o-…`).
    org: Option<String>,
    principals: Vec<(String, PrincipalKind, String)>,
    /// The perimeter roles (`breakglass role Emergency`).
    roles: Vec<PerimeterRole>,
    /// `(name, home region ARN)`.
    tables: Vec<(String, String)>,
    /// `(name, vpce id, vpc id)`.
    endpoints: Vec<(String, String, Option<String>)>,
    /// `(name, vpc id)`.
    vpcs: Vec<(String, String)>,
    /// `(id, ou id, management)`.
    accounts: Vec<(String, Option<String>, bool)>,
}

impl Names {
    /// The names of `model`.
    pub fn of(model: &Model) -> Names {
        Names {
            partition: model.partition.as_str().to_string(),
            org: model.org.clone(),
            principals: model
                .principals
                .iter()
                .map(|p| (p.name.clone(), p.kind, p.arn.clone()))
                .collect(),
            roles: model.perimeter_roles.clone(),
            tables: model
                .tables
                .iter()
                .map(|t| (t.name.clone(), t.arn()))
                .collect(),
            endpoints: model
                .endpoints
                .iter()
                .map(|e| (e.name.clone(), e.id.clone(), e.vpc.clone()))
                .collect(),
            vpcs: model
                .vpcs
                .iter()
                .map(|(id, name)| (name.clone(), id.clone()))
                .collect(),
            accounts: model
                .accounts
                .iter()
                .map(|a| (a.id.clone(), a.ou.clone(), a.management))
                .collect(),
        }
    }
}

/// One caller an assertion ranges over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The caller's ARN (a role's, or a user's).
    pub arn: String,
    /// Its dpol names (a declared role that is also a perimeter role has
    /// one ARN); empty for the callers the program does not declare.
    pub names: Vec<String>,
    /// The groups whose identity policies it has (a member of a group).
    pub groups: Vec<String>,
    /// What it stands for, for messages.
    pub what: String,
}

/// An account id no program declares by accident: the first of these the
/// program does not declare.
const OUTSIDER_ACCOUNTS: [&str; 3] = ["000011112222", "000022223333", "000033334444"];

impl Names {
    /// The callers of a request on a resource of `account`: every declared
    /// user and role, a member of each declared group, every perimeter role
    /// (in its account, or in `account`), and a role no one declared in
    /// `account`, in another declared member account and in an account
    /// outside the program.
    pub fn callers(&self, account: &str) -> Vec<Caller> {
        let mut out: Vec<Caller> = Vec::new();
        let mut add = |arn: String, name: Option<&str>, groups: Vec<String>, what: String| match out
            .iter_mut()
            .find(|c| c.arn == arn)
        {
            Some(c) => c.names.extend(name.map(str::to_string)),
            None => out.push(Caller {
                arn,
                names: name.map(str::to_string).into_iter().collect(),
                groups,
                what,
            }),
        };
        for (name, kind, arn) in &self.principals {
            if *kind == PrincipalKind::Group {
                let (head, group) = arn.split_once(":group/").unwrap_or((arn, name));
                let group = group.rsplit('/').next().unwrap_or(group);
                let member = format!("{head}:user/dpol-member-of-{group}");
                add(
                    member,
                    Some(name),
                    vec![arn.clone()],
                    format!("a member of group `{name}`"),
                );
            } else {
                add(arn.clone(), Some(name), Vec::new(), format!("`{name}`"));
            }
        }
        for role in &self.roles {
            let home = role.account_id.as_deref().unwrap_or(account);
            add(
                role.arn_in(home),
                Some(&role.name),
                Vec::new(),
                format!("`{}`", role.name),
            );
        }
        let partition = &self.partition;
        let anyone =
            |account: &str| format!("arn:{partition}:iam::{account}:role/dpol-any-principal");
        add(
            anyone(account),
            None,
            Vec::new(),
            format!("a role no one declared in account {account}"),
        );
        let other = self
            .accounts
            .iter()
            .find(|(id, _, management)| id != account && !*management);
        if let Some((id, ..)) = other {
            add(
                anyone(id),
                None,
                Vec::new(),
                format!("a role in account {id}, another account of the program"),
            );
        }
        let outsider = OUTSIDER_ACCOUNTS
            .into_iter()
            .find(|id| !self.accounts.iter().any(|(a, ..)| a == id));
        if let Some(id) = outsider {
            add(
                anyone(id),
                None,
                Vec::new(),
                format!("a role in account {id}, outside the program"),
            );
        }
        out
    }

    /// The declared endpoints `(id, vpc id)` and VPC ids.
    pub fn networks(&self) -> (Vec<(String, Option<String>)>, Vec<String>) {
        (
            self.endpoints
                .iter()
                .map(|(_, id, vpc)| (id.clone(), vpc.clone()))
                .collect(),
            self.vpcs.iter().map(|(_, id)| id.clone()).collect(),
        )
    }
}

/// One statement that decided, with where it is.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Shown {
    /// The document's origin: `compiled identity/111122223333/dpol-alice.json`.
    pub document: String,
    /// The document's kind.
    pub kind: DocKind,
    /// The document's name.
    pub name: String,
    /// Its position in the document's `Statement` list.
    pub index: usize,
    /// The statement's `Sid`, if it has one.
    pub sid: Option<String>,
    /// The statement, as JSON.
    pub statement: Value,
    /// The source lines of the statement (compiled documents), or of its
    /// document (a build's `sources`).
    pub sources: Vec<SourceRef>,
}

/// The answer to a query.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The request that was evaluated, as signed.
    pub request: Request,
    /// The decision and the statements that made it.
    pub evaluation: Evaluation,
    /// The deciding statements.
    pub statements: Vec<Shown>,
    /// For an implicit deny, which policy did not allow, in words.
    pub gap: Option<String>,
    /// The documents that were evaluated.
    pub applied: Applied,
}

/// The documents a request was evaluated against (see the module docs for
/// how they are chosen).
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Applied {
    /// The caller's identity policies.
    pub identity: Vec<String>,
    /// Each SCP level, root first.
    pub scps: Vec<Vec<String>>,
    /// Why these SCP levels (or none).
    pub scp_note: &'static str,
    /// Each RCP level of the resource's account, root first.
    pub rcps: Vec<Vec<String>>,
    /// The table's resource policy, if one applied.
    pub resource: Option<String>,
    /// The VPC endpoint's policy, if the request came through one.
    pub endpoint: Option<String>,
}

/// E0114: a request that names what the program does not declare.
fn bad(message: String) -> Diagnostic {
    Diagnostic::global(Code::BadRequest, message)
}

fn suggestion(wanted: &str, candidates: Vec<&str>) -> String {
    did_you_mean(wanted, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

/// The request `query` names.
pub fn request(names: &Names, catalog: &Catalog, query: &Query) -> Result<Request, Diagnostic> {
    let resource = resource(names, &query.resource)?;
    let principal = principal(names, &query.principal, &resource)?;
    let action = action(catalog, &query.action)?;
    let mut context = Context::default();
    if let Some(via) = &query.via {
        network(names, via, &mut context)?;
    }
    let single = |context: &mut Context, key: &str, value: &Option<String>| {
        if let Some(v) = value {
            context.insert(key, vec![v.clone()], false);
        }
    };
    single(&mut context, "aws:SourceIp", &query.from_ip);
    single(&mut context, "dynamodb:Select", &query.select);
    single(&mut context, "aws:CurrentTime", &query.at);
    if let Some(at) = &query.at {
        if eval::instant(at).is_none() {
            return Err(bad(format!(
                "`--at {at}` is not an ISO 8601 time such as 2026-12-01T12:00:00Z"
            )));
        }
    }
    if !query.keys.is_empty() {
        context.insert("dynamodb:LeadingKeys", query.keys.clone(), true);
    }
    if !query.attrs.is_empty() {
        context.insert("dynamodb:Attributes", query.attrs.clone(), true);
    }
    for (key, values, multi) in &query.context {
        context.insert(key, values.clone(), *multi);
    }
    // A caller of a declared account is in the organization.
    let caller_account = crate::iam::account_of(&principal);
    if let Some(org) = &names.org {
        let member = names.accounts.iter().any(|(id, ..)| id == caller_account);
        if member && !context.has("aws:PrincipalOrgID") {
            context.insert("aws:PrincipalOrgID", vec![org.clone()], false);
        }
    }
    Ok(Request::signed(&principal, &action, &resource, context))
}

/// The caller's ARN: as given, or of a declared principal or perimeter
/// role (a role not pinned to an account is the one in the resource's
/// account).
fn principal(names: &Names, wanted: &str, resource: &str) -> Result<String, Diagnostic> {
    if wanted.starts_with("arn:") {
        return Ok(wanted.to_string());
    }
    if let Some((_, kind, arn)) = names.principals.iter().find(|(n, ..)| n == wanted) {
        if *kind == PrincipalKind::Group {
            return Err(bad(format!(
                "`{wanted}` is a group: a group never makes a request; ask for one of its users"
            )));
        }
        return Ok(arn.clone());
    }
    if let Some(role) = names.roles.iter().find(|r| r.name == wanted) {
        let account = Some(crate::iam::account_of(resource)).filter(|a| !a.is_empty());
        return match (&role.account_id, account) {
            (Some(own), _) => Ok(role.arn_in(own)),
            (None, Some(account)) => Ok(role.arn_in(account)),
            (None, None) => Err(bad(format!(
                "role `{wanted}` is in every account of its perimeters: give its ARN to say which"
            ))),
        };
    }
    let candidates = names
        .principals
        .iter()
        .map(|(n, ..)| n.as_str())
        .chain(names.roles.iter().map(|r| r.name.as_str()))
        .collect();
    Err(bad(format!(
        "the program declares no principal `{wanted}`{}",
        suggestion(wanted, candidates)
    )))
}

fn action(catalog: &Catalog, wanted: &str) -> Result<String, Diagnostic> {
    let (service, name) = match wanted.split_once(':') {
        Some((prefix, name)) if prefix.eq_ignore_ascii_case("kms") => (&catalog.kms, name),
        Some((prefix, name)) if prefix.eq_ignore_ascii_case("dynamodb") => {
            (&catalog.dynamodb, name)
        }
        Some((prefix, _)) => {
            return Err(bad(format!(
                "`{wanted}`: dpol evaluates DynamoDB and KMS actions, not `{prefix}`"
            )))
        }
        None => (&catalog.dynamodb, wanted),
    };
    match service.action(name) {
        Some(a) => Ok(format!("{}:{}", service.prefix, a.name)),
        None => Err(bad(format!(
            "`{wanted}` is not a {} action{}",
            service.prefix,
            suggestion(name, service.names().collect())
        ))),
    }
}

fn resource(names: &Names, wanted: &str) -> Result<String, Diagnostic> {
    if wanted == "*" || wanted.starts_with("arn:") {
        return Ok(wanted.to_string());
    }
    let (table, rest) = match wanted.split_once('/') {
        Some((table, rest)) => (table, Some(rest)),
        None => (wanted, None),
    };
    let Some((_, arn)) = names.tables.iter().find(|(n, _)| n == table) else {
        let candidates = names.tables.iter().map(|(n, _)| n.as_str()).collect();
        return Err(bad(format!(
            "the program declares no table `{table}`{}",
            suggestion(table, candidates)
        )));
    };
    Ok(match rest {
        Some(rest) => format!("{arn}/{rest}"),
        None => arn.clone(),
    })
}

/// The network keys of `--via`: an endpoint sets `aws:SourceVpce` and its
/// VPC's `aws:SourceVpc`; a VPC sets `aws:SourceVpc`.
fn network(names: &Names, via: &str, context: &mut Context) -> Result<(), Diagnostic> {
    let endpoint = names
        .endpoints
        .iter()
        .find(|(name, id, _)| name == via || id == via);
    if let Some((_, id, vpc)) = endpoint {
        context.insert("aws:SourceVpce", vec![id.clone()], false);
        if let Some(vpc) = vpc {
            context.insert("aws:SourceVpc", vec![vpc.clone()], false);
        }
        return Ok(());
    }
    if let Some((_, id)) = names
        .vpcs
        .iter()
        .find(|(name, id)| name == via || id == via)
    {
        context.insert("aws:SourceVpc", vec![id.clone()], false);
        return Ok(());
    }
    if via.starts_with("vpce-") {
        context.insert("aws:SourceVpce", vec![via.to_string()], false);
        return Ok(());
    }
    if via.starts_with("vpc-") {
        context.insert("aws:SourceVpc", vec![via.to_string()], false);
        return Ok(());
    }
    let candidates = names
        .endpoints
        .iter()
        .map(|(n, ..)| n.as_str())
        .chain(names.vpcs.iter().map(|(n, _)| n.as_str()))
        .collect();
    Err(bad(format!(
        "`--via {via}` names no declared endpoint or VPC{}",
        suggestion(via, candidates)
    )))
}

/// Answers `request` from `docs`. `lines`: for compiled documents, the
/// source lines of each statement, parallel to `docs` (empty for deployed
/// ones, whose statements are shown with their document's lines).
pub fn answer(
    names: &Names,
    docs: &[Document],
    lines: &[Vec<Vec<SourceRef>>],
    request: Request,
) -> Result<Answer, Diagnostic> {
    Documents::new(docs, lines).answer(names, request)
}

/// A set of documents prepared for many requests: indexed by what they
/// attach to, each parsed the first time a request needs it.
pub struct Documents<'d> {
    docs: &'d [Document],
    lines: &'d [Vec<Vec<SourceRef>>],
    parsed: Vec<OnceCell<Result<ParsedPolicy, String>>>,
    /// [`target_key`] of each attachment → the documents, in order.
    by_target: HashMap<String, Vec<usize>>,
    /// Documents attached to an organization root (`r-…`).
    roots: Vec<usize>,
    /// `FullAWSAccess`, for each SCP level.
    full: ParsedPolicy,
}

impl<'d> Documents<'d> {
    /// `lines`: as for [`answer`].
    pub fn new(docs: &'d [Document], lines: &'d [Vec<Vec<SourceRef>>]) -> Documents<'d> {
        let mut by_target: HashMap<String, Vec<usize>> = HashMap::new();
        let mut roots = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            let mut keys: Vec<String> = d.attach.iter().map(|a| target_key(a)).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                by_target.entry(key).or_default().push(i);
            }
            if d.attach.iter().any(|a| a.starts_with("r-")) {
                roots.push(i);
            }
        }
        let full =
            ParsedPolicy::parse(&serde_json::from_str(FULL_AWS_ACCESS).unwrap_or(Value::Null))
                .unwrap_or_else(|_| ParsedPolicy::empty());
        Documents {
            docs,
            lines,
            parsed: docs.iter().map(|_| OnceCell::new()).collect(),
            by_target,
            roots,
            full,
        }
    }

    fn named(&self, i: usize) -> Result<Named<'_>, Diagnostic> {
        let doc = &self.docs[i];
        let parsed = self.parsed[i].get_or_init(|| match doc.kind {
            // An event rule is not a policy: it applies to nothing.
            DocKind::EventRule => Ok(ParsedPolicy::empty()),
            _ => ParsedPolicy::parse(&doc.document).map_err(|e| format!("{}: {e}", doc.origin)),
        });
        match parsed {
            Ok(policy) => Ok(Named {
                name: doc.origin.as_str(),
                policy,
            }),
            Err(e) => Err(unparsable(e.clone())),
        }
    }

    /// The `Action` elements of the `Allow` statements that may cover a
    /// request on `resource` by the caller with the identity documents of
    /// `targets`, read from the documents' text without evaluating them:
    /// those of its identity documents whose `Resource` may match (or that
    /// have `NotResource`). `None` when any action may be allowed (a
    /// statement with `NotAction`, or an `Allow` in the resource policy of
    /// the table). Empty: no context allows a request on `resource`, and no
    /// document had to be parsed. See [`Self::may_allow_action`].
    pub fn allowed_actions(&self, targets: &[String], resource: &str) -> Option<Vec<&Value>> {
        let resource_allows = table_of(resource).is_some_and(|table| {
            self.by_target
                .get(&target_key(&table))
                .into_iter()
                .flatten()
                .filter(|&&i| self.docs[i].kind == DocKind::Resource)
                .flat_map(|&i| statements_of(&self.docs[i].document))
                .any(|st| st.get("Effect").and_then(Value::as_str) == Some("Allow"))
        });
        if resource_allows {
            return None;
        }
        let mut out = Vec::new();
        let statements = targets
            .iter()
            .flat_map(|t| self.by_target.get(&target_key(t)).into_iter().flatten())
            .filter(|&&i| self.docs[i].kind == DocKind::Identity)
            .flat_map(|&i| statements_of(&self.docs[i].document));
        for st in statements {
            if st.get("Effect").and_then(Value::as_str) != Some("Allow")
                || !any_entry(st.get("Resource"), &|p| {
                    eval::resource_may_match(p, resource)
                })
            {
                continue;
            }
            out.push(st.get("Action")?);
        }
        Some(out)
    }

    /// Whether one of `actions` (from [`Self::allowed_actions`]) may match
    /// `action`.
    pub fn may_allow_action(actions: &Option<Vec<&Value>>, action: &str) -> bool {
        actions.as_ref().is_none_or(|list| {
            list.iter()
                .any(|a| any_entry(Some(a), &|p| eval::action_may_match(p, action)))
        })
    }

    /// Whether a document of `kind` is attached to `target`.
    pub fn attached(&self, kind: DocKind, target: &str) -> bool {
        self.by_target
            .get(&target_key(target))
            .into_iter()
            .flatten()
            .any(|&i| self.docs[i].kind == kind)
    }

    /// The documents of `kind` attached to `target`.
    fn of(&self, kind: DocKind, target: &str) -> Result<Vec<Named<'_>>, Diagnostic> {
        let candidates = self.by_target.get(&target_key(target));
        candidates
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| {
                let d = &self.docs[i];
                d.kind == kind && d.attach.iter().any(|a| same_principal(a, target))
            })
            .map(|i| self.named(i))
            .collect()
    }

    /// The SCP or RCP levels of a member account: the root, its OU, itself;
    /// each SCP level with `FullAWSAccess`.
    fn levels<'s>(
        &'s self,
        kind: DocKind,
        ou: Option<&str>,
        account: &str,
    ) -> Result<Vec<Vec<Named<'s>>>, Diagnostic> {
        let with_full = |mut level: Vec<Named<'s>>| -> Vec<Named<'s>> {
            if kind == DocKind::Scp {
                level.insert(
                    0,
                    Named {
                        name: "FullAWSAccess",
                        policy: &self.full,
                    },
                );
            }
            level
        };
        let root: Vec<Named<'s>> = self
            .roots
            .iter()
            .copied()
            .filter(|&i| self.docs[i].kind == kind)
            .map(|i| self.named(i))
            .collect::<Result<_, _>>()?;
        let mut out = vec![with_full(root)];
        if let Some(ou) = ou {
            out.push(with_full(self.of(kind, ou)?));
        }
        out.push(with_full(self.of(kind, account)?));
        Ok(out)
    }

    /// The documents that apply to `request` (see the module docs), for a
    /// caller that also has the identity policies attached to `also`.
    pub(crate) fn policy_set(
        &self,
        names: &Names,
        request: &Request,
        also: &[String],
    ) -> Result<PolicySet<'_>, Diagnostic> {
        let caller_account = request.principal_account();
        let resource_account = request.resource_account();
        let identity_arn = identity_arn(names, request);
        let service_linked = request.principal.contains(":role/aws-service-role/");
        let levels = |kind: DocKind, account: &str| match names
            .accounts
            .iter()
            .find(|(id, ..)| id == account)
        {
            Some((_, ou, management)) if !*management && !service_linked => {
                self.levels(kind, ou.as_deref(), account)
            }
            _ => Ok(Vec::new()),
        };
        let table = table_of(&request.resource);
        let vpce = request
            .context
            .get("aws:SourceVpce")
            .and_then(|v| v.values.first().cloned());
        let first =
            |kind: DocKind, target: Option<&str>| -> Result<Option<Named<'_>>, Diagnostic> {
                match target {
                    Some(t) => Ok(self.of(kind, t)?.into_iter().next()),
                    None => Ok(None),
                }
            };
        let mut identity = self.of(DocKind::Identity, &identity_arn)?;
        for group in also {
            identity.extend(self.of(DocKind::Identity, group)?);
        }
        Ok(PolicySet {
            identity,
            boundary: None,
            scps: levels(DocKind::Scp, caller_account)?,
            rcps: levels(DocKind::Rcp, resource_account)?,
            resource: first(DocKind::Resource, table.as_deref())?,
            endpoint: first(DocKind::VpcEndpoint, vpce.as_deref())?,
        })
    }

    /// Only the decision of `request` (see [`Self::answer_as`]).
    pub fn decide(
        &self,
        names: &Names,
        request: &Request,
        also: &[String],
    ) -> Result<Decision, Diagnostic> {
        let set = self.policy_set(names, request, also)?;
        Ok(eval::evaluate(request, &set).decision)
    }

    /// Answers `request` (see the module docs for which documents apply).
    pub fn answer(&self, names: &Names, request: Request) -> Result<Answer, Diagnostic> {
        self.answer_as(names, request, &[])
    }

    /// [`Self::answer`] for a caller that also has the identity policies
    /// attached to `also` (the groups it is a member of).
    pub fn answer_as(
        &self,
        names: &Names,
        request: Request,
        also: &[String],
    ) -> Result<Answer, Diagnostic> {
        let caller_account = request.principal_account().to_string();
        let service_linked = request.principal.contains(":role/aws-service-role/");
        let set = self.policy_set(names, &request, also)?;
        let evaluation = eval::evaluate(&request, &set);
        let statements = shown(self.docs, self.lines, &evaluation.deciding);
        let names_of = |policies: &[Named<'_>]| -> Vec<String> {
            policies.iter().map(|p| p.name.to_string()).collect()
        };
        let member = |account: &str| {
            names
                .accounts
                .iter()
                .find(|(id, ..)| id == account)
                .map(|(_, _, management)| *management)
        };
        let scp_note = match member(&caller_account) {
            _ if service_linked => "none: a service-linked role",
            Some(true) => "none: the management account",
            None => "none: an account the program does not declare (outside the organization)",
            Some(false) => "root, OU and account, each with FullAWSAccess",
        };
        let applied = Applied {
            identity: names_of(&set.identity),
            scps: set.scps.iter().map(|l| names_of(l)).collect(),
            scp_note,
            rcps: set.rcps.iter().map(|l| names_of(l)).collect(),
            resource: set.resource.map(|r| r.name.to_string()),
            endpoint: set.endpoint.map(|e| e.name.to_string()),
        };
        let levels = set.scps.len();
        let gap = evaluation
            .gap
            .map(|gap| gap_text(gap, levels, &caller_account));
        Ok(Answer {
            request,
            evaluation,
            statements,
            gap,
            applied,
        })
    }
}

/// The key under which an attachment is indexed: itself, or for a role ARN
/// its ARN without the path (a role ARN with a path names the role of the
/// same name, see [`same_principal`]).
fn target_key(attach: &str) -> String {
    match attach.split_once(":role/") {
        Some((head, role)) => {
            format!("{head}:role/{}", role.rsplit('/').next().unwrap_or(role))
        }
        None => attach.to_string(),
    }
}

/// What a set of requests can touch: documents attached elsewhere cannot
/// take part, so they need not be read.
#[derive(Default)]
pub struct Reach {
    targets: HashSet<String>,
}

impl Reach {
    /// The identities, tables and endpoints of `requests`.
    pub fn of<'r>(names: &Names, requests: impl IntoIterator<Item = &'r Request>) -> Reach {
        let mut targets = HashSet::new();
        for request in requests {
            targets.insert(target_key(&identity_arn(names, request)));
            if let Some(table) = table_of(&request.resource) {
                targets.insert(table);
            }
            if let Some(id) = request
                .context
                .get("aws:SourceVpce")
                .and_then(|v| v.values.first())
            {
                targets.insert(id.clone());
            }
        }
        Reach { targets }
    }

    /// Also the documents attached to `target` (an ARN, a table ARN, a
    /// vpce id).
    pub fn insert(&mut self, target: &str) {
        self.targets.insert(target_key(target));
    }

    /// Whether a document of `kind` attached to `attach` can take part in
    /// one of the requests ([`Documents::answer`] then picks exactly):
    /// another principal's identity policy, another table's resource
    /// policy, another endpoint's policy and event rules cannot.
    pub fn may_apply(&self, kind: DocKind, attach: &[String]) -> bool {
        match kind {
            DocKind::EventRule => false,
            DocKind::Scp | DocKind::Rcp => true,
            DocKind::Identity | DocKind::Resource | DocKind::VpcEndpoint => {
                attach.iter().any(|a| self.targets.contains(&target_key(a)))
            }
        }
    }
}

/// The identity whose policies govern the request: the caller, or a
/// session's role.
fn identity_arn(names: &Names, request: &Request) -> String {
    match request.session_role() {
        Some((account, role)) => format!("arn:{}:iam::{account}:role/{role}", names.partition),
        None => request.principal.clone(),
    }
}

/// The deciding statements with their documents and source lines (see
/// [`answer`] for `lines`).
fn shown(docs: &[Document], lines: &[Vec<Vec<SourceRef>>], deciding: &[Decider]) -> Vec<Shown> {
    deciding
        .iter()
        .filter_map(|d| {
            let at = docs.iter().position(|doc| doc.origin == d.policy)?;
            let doc = &docs[at];
            let sources = lines
                .get(at)
                .and_then(|statements| statements.get(d.index))
                .filter(|own| !own.is_empty())
                .unwrap_or(&doc.sources)
                .clone();
            Some(Shown {
                document: doc.origin.clone(),
                kind: doc.kind,
                name: doc.name.clone(),
                index: d.index,
                sid: d.sid.clone(),
                statement: nth_statement(&doc.document, d.index),
                sources,
            })
        })
        .collect()
}

/// Which policy did not allow, in words; `levels`: how many SCP levels the
/// caller's account has.
fn gap_text(gap: Gap, levels: usize, account: &str) -> String {
    match gap {
        Gap::Scp(level) => {
            let target = match level {
                0 => "the root".to_string(),
                l if l + 1 == levels => format!("account {account}"),
                _ => "the account's OU".to_string(),
            };
            format!("no SCP attached to {target} allows it")
        }
        Gap::Endpoint => "the endpoint's policy does not allow it".to_string(),
        Gap::Identity => {
            "no identity policy of the caller allows it (nor the resource policy)".to_string()
        }
        Gap::Resource => {
            "the resource is in another account and its resource policy does not allow the caller"
                .to_string()
        }
        Gap::Boundary => "the permissions boundary does not allow it".to_string(),
    }
}

/// Whether an attachment target names `target` (a role ARN with a path
/// names the role of the same name).
fn same_principal(attach: &str, target: &str) -> bool {
    if attach == target {
        return true;
    }
    match (attach.split_once(":role/"), target.split_once(":role/")) {
        (Some((a_head, a_role)), Some((t_head, t_role))) => {
            a_head == t_head && a_role.rsplit('/').next() == t_role.rsplit('/').next()
        }
        _ => false,
    }
}

/// `arn:…:table/T` for any ARN under a table (`…/index/I`, `…/stream/S`).
fn table_of(resource: &str) -> Option<String> {
    crate::iam::table_of(resource).map(|(table, _)| table)
}

/// Whether one entry of a policy element (a string or a list) `matches`;
/// absent (its `Not…` form) or unreadable: it may.
fn any_entry(element: Option<&Value>, matches: &dyn Fn(&str) -> bool) -> bool {
    match element {
        Some(Value::String(p)) => matches(p),
        Some(Value::Array(ps)) => ps.iter().any(|p| p.as_str().is_none_or(matches)),
        _ => true,
    }
}

/// The statements of a policy document (one or a list).
fn statements_of(document: &Value) -> impl Iterator<Item = &Value> {
    let list: &[Value] = match &document["Statement"] {
        Value::Array(items) => items,
        one => std::slice::from_ref(one),
    };
    list.iter()
}

fn nth_statement(document: &Value, index: usize) -> Value {
    match &document["Statement"] {
        Value::Array(items) => items.get(index).cloned().unwrap_or(Value::Null),
        one if index == 0 => one.clone(),
        _ => Value::Null,
    }
}

impl Answer {
    /// `ALLOWED` or `DENIED`, and how.
    pub fn verdict(&self) -> &'static str {
        match self.evaluation.decision {
            Decision::Allowed => "ALLOWED",
            Decision::ExplicitlyDenied => "DENIED (explicitly)",
            Decision::ImplicitlyDenied => "DENIED (implicitly)",
        }
    }
}

/// E0105: a document that is not a policy dpol can read (`why`: its origin
/// and the parse error).
fn unparsable(why: String) -> Diagnostic {
    Diagnostic::global(Code::DeployedUnreadable, why)
}

/// `format_version` of `dpol why --format json`: bumped when the shape
/// changes incompatibly.
pub const JSON_FORMAT_VERSION: u64 = 1;

/// `dpol why --format json`: the answer for tools (its schema is
/// `docs/schemas/why.schema.json`).
#[derive(serde::Serialize, schemars::JsonSchema)]
#[schemars(title = "dpol why answer")]
pub struct JsonAnswer<'a> {
    /// The format of this document (1): bumped when its shape changes
    /// incompatibly.
    #[schemars(extend("const" = 1))]
    pub format_version: u64,
    /// AWS's answer.
    pub decision: crate::iam::eval::Decision,
    /// For an implicit deny, which policy did not allow, in words.
    pub gap: Option<&'a str>,
    /// The request that was evaluated, as signed.
    pub request: JsonRequest<'a>,
    /// The deciding statements.
    pub statements: &'a [Shown],
    /// The documents that were evaluated.
    pub evaluated: &'a Applied,
}

/// The evaluated request in [`JsonAnswer`].
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct JsonRequest<'a> {
    /// The caller's ARN (or an AWS service principal).
    pub principal: &'a str,
    /// `dynamodb:GetItem`.
    pub action: &'a str,
    /// The resource ARN, or `*`.
    pub resource: &'a str,
    /// Each condition key of the request and its value: a string, or a list
    /// for a multivalued key.
    pub context: std::collections::BTreeMap<&'a str, JsonContextValue<'a>>,
}

/// A condition key's value in [`JsonRequest`].
#[derive(serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum JsonContextValue<'a> {
    /// A single-valued key (`null` when it has no value).
    One(Option<&'a str>),
    /// A multivalued key.
    Many(&'a [String]),
}

impl Answer {
    /// The answer as `dpol why --format json` writes it.
    pub fn json(&self) -> JsonAnswer<'_> {
        let r = &self.request;
        JsonAnswer {
            format_version: JSON_FORMAT_VERSION,
            decision: self.evaluation.decision,
            gap: self.gap.as_deref(),
            request: JsonRequest {
                principal: &r.principal,
                action: &r.action,
                resource: &r.resource,
                context: r
                    .context
                    .iter()
                    .map(|(key, v)| {
                        let value = if v.multi {
                            JsonContextValue::Many(&v.values)
                        } else {
                            JsonContextValue::One(v.values.first().map(String::as_str))
                        };
                        (key, value)
                    })
                    .collect(),
            },
            statements: &self.statements,
            evaluated: &self.applied,
        }
    }
}
