//! Private tables: the deny statements of their network perimeter, in SCPs
//! (the principals of the accounts in scope) and in each table's own
//! resource-based policy (every principal), with the exceptions AWS's
//! data-perimeter guidance keeps so that AWS itself keeps working.
//!
//! The statements follow `aws-samples/data-perimeter-policy-examples`
//! (commit 8e0d3c5): `service_control_policies/network_perimeter_sourcevpc_scp.json`
//! for the SCP (`StringNotEqualsIfExists aws:SourceVpc`, `BoolIfExists
//! aws:ViaAWSService false`), and for the resource policy the network
//! statement of `resource_control_policies/network_perimeter_sourcevpc_rcp.json`
//! (`BoolIfExists aws:PrincipalIsAWSService false`) with the service-linked-role
//! exception of `resource_control_policies/service_specific_controls/sns_topic_policy.json`
//! (`ArnNotLikeIfExists aws:PrincipalArn arn:aws:iam::ACCOUNT:role/aws-service-role/*`):
//! SCPs never apply to service-linked roles, resource policies do. One
//! statement holds all exceptions, AND-ed: the deny fires only when none of
//! them holds. Unlike the samples, dpol's perimeter applies to every
//! principal, not only to those tagged `dp:include:network`.

use serde::Serialize;

use super::sid::{sid, Built};
use crate::iam::{add_condition, Conditions, Effect, Statement, Strings};
use crate::model::{Network, Perimeter, PerimeterRole, Table};
use crate::vocab::RoleUse;

/// An exception in a perimeter's deny: the condition that lets a request
/// through, and what breaks without it. The manifest lists those of each
/// document.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Exception {
    /// A stable name for the exception in the manifest: `via-aws-service`.
    pub id: &'static str,
    /// The condition that lets the request through, as IAM writes it.
    pub condition: &'static str,
    /// What stops working without the exception.
    pub breaks_without: &'static str,
}

/// Requests AWS services make with the caller's credentials (forward access sessions).
pub const VIA_AWS_SERVICE: Exception = Exception {
    id: "via-aws-service",
    condition: "BoolIfExists aws:ViaAWSService false",
    breaks_without: "requests an AWS service makes with the caller's credentials (forward access sessions): CloudFormation stacks, AWS Backup on your behalf, the console's calls through other services",
};

/// Requests signed by AWS service principals (`replication.dynamodb.amazonaws.com`).
pub const AWS_SERVICE_PRINCIPALS: Exception = Exception {
    id: "aws-service-principals",
    condition: "BoolIfExists aws:PrincipalIsAWSService false",
    breaks_without: "requests signed by AWS service principals, such as replication.dynamodb.amazonaws.com for multi-account global tables",
};

/// Service-linked roles: DynamoDB replication and Application Auto Scaling.
pub const SERVICE_LINKED_ROLES: Exception = Exception {
    id: "service-linked-roles",
    condition: "ArnNotLikeIfExists aws:PrincipalArn arn:PARTITION:iam::ACCOUNT:role/aws-service-role/*",
    breaks_without: "DynamoDB's replication role (AWSServiceRoleForDynamoDBReplication: a global-table replica denied it for 20 hours is converted to a single-Region table for good) and Application Auto Scaling's role (AWSServiceRoleForApplicationAutoScaling_DynamoDBTable); SCPs never apply to service-linked roles, so only resource policies need this",
};

/// The program's break-glass roles.
pub const BREAKGLASS: Exception = Exception {
    id: "breakglass",
    condition: "ArnNotLikeIfExists aws:PrincipalArn (the break-glass roles)",
    breaks_without: "emergency access from outside the networks, and changing the table's resource policy from outside",
};

/// The program's exempt roles.
pub const EXEMPT_ROLES: Exception = Exception {
    id: "exempt-roles",
    condition: "ArnNotLikeIfExists aws:PrincipalArn (the exempt roles)",
    breaks_without: "AWS services that reach the table with a role of yours from AWS's network, such as a DAX cluster's role",
};

/// The program's deployer roles, on the resource-policy actions only.
pub const DEPLOYERS: Exception = Exception {
    id: "deployers",
    condition: "ArnNotLikeIfExists aws:PrincipalArn (the deployer roles), on PutResourcePolicy and DeleteResourcePolicy only",
    breaks_without: "updating the table's resource policy from a pipeline outside the networks: after the first deploy it is locked out",
};

/// The actions that change a resource policy. Outside the networks only
/// break-glass and deployer roles may call them, and DynamoDB rejects a
/// policy that would lock out the caller, so without such a role they stay
/// open (with GetResourcePolicy).
const POLICY_CHANGES: [&str; 2] = [
    "dynamodb:DeleteResourcePolicy",
    "dynamodb:PutResourcePolicy",
];
const POLICY_ACTIONS: [&str; 3] = [
    "dynamodb:DeleteResourcePolicy",
    "dynamodb:GetResourcePolicy",
    "dynamodb:PutResourcePolicy",
];

/// How to deploy a table's resource policy without locking anyone out, as
/// the manifest states it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Deploy {
    /// The order of the steps, first to last.
    pub order: [&'static str; 3],
    /// DynamoDB blocks further updates of a resource policy for 15 seconds
    /// after a successful update (Developer Guide, "Resource-based policy
    /// considerations").
    pub update_gap_seconds: u32,
    /// Who can still change the policy from outside the networks (break-glass
    /// and deployer roles); empty: anyone whose IAM policies allow it.
    pub policy_changes_by: Vec<String>,
    /// When to pass `--confirm-remove-self-resource-access`: DynamoDB rejects a policy that would stop its caller from changing it later.
    pub confirm_remove_self_resource_access: &'static str,
}

/// The deployment notes of a table's resource policy.
pub fn deploy(table: &Table, roles: &[PerimeterRole]) -> Deploy {
    let mut by: Vec<String> = roles
        .iter()
        .filter(|r| matches!(r.role_use, RoleUse::Breakglass | RoleUse::Deployer))
        .map(|r| r.arn_in(&table.account_id))
        .collect();
    by.sort();
    by.dedup();
    Deploy {
        order: [
            "create the break-glass, exempt and deployer roles",
            "put this resource policy (aws dynamodb put-resource-policy) as a principal listed in policy_changes_by, or from inside the networks",
            "attach the SCPs (and RCPs) of the perimeter",
        ],
        update_gap_seconds: 15,
        policy_changes_by: by,
        confirm_remove_self_resource_access: "DynamoDB rejects a policy that would stop its caller from changing it later; deploy from a principal in policy_changes_by or from inside the networks, and pass --confirm-remove-self-resource-access only if the caller is meant to lose that right",
    }
}

/// Which of the perimeter's layers a deny is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// An SCP: the principals of the accounts in scope. SCPs never apply to
    /// service-linked roles or service principals.
    Scp,
    /// An RCP: every principal reaching the resources of the accounts in
    /// scope, but service-linked roles (RCPs never apply to them). No
    /// `NotAction`, `Principal` `"*"` (Organizations User Guide, "RCP syntax").
    Rcp,
    /// The table's resource-based policy: every principal, service-linked
    /// roles included.
    Resource,
}

/// What a perimeter covers.
#[derive(Clone, Copy, Debug)]
pub enum Covers<'a> {
    /// One table and everything under it, in each of its regions.
    Table(&'a Table),
    /// One table, or one replica of a global table, in one region: what its
    /// own resource policy covers.
    InRegion(&'a Table, &'a str),
    /// Every table of the scope's accounts (`table *`): `"Resource": "*"`.
    All,
}

impl Covers<'_> {
    fn resources(self) -> Vec<String> {
        match self {
            Covers::Table(t) => {
                // The legacy (2017.11.29) global table of the same name:
                // DescribeGlobalTable and DescribeGlobalTableSettings name
                // only this ARN, so without it they stay open outside the
                // networks. A table's own resource policy cannot name it.
                let mut arns = table_resources(t);
                arns.push(t.global_table_arn());
                arns
            }
            Covers::InRegion(t, region) => {
                let arn = t.arn_in(region);
                vec![arn.clone(), format!("{arn}/*")]
            }
            Covers::All => vec!["*".into()],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Covers::Table(_) | Covers::InRegion(..) => "",
            Covers::All => "All Tables",
        }
    }
}

/// `StringNotEqualsIfExists` on the networks: two keys under one negated
/// operator are AND-ed, so a request is denied only when it comes through
/// none of them; an absent key (a request from outside any endpoint) is
/// denied.
fn network_conditions(perimeter: &Perimeter, c: &mut Conditions) {
    let (mut vpcs, mut endpoints) = (Vec::new(), Vec::new());
    for n in &perimeter.networks {
        match n {
            Network::Vpc(id) => vpcs.push(id.clone()),
            Network::Endpoint(id) => endpoints.push(id.clone()),
        }
    }
    if !vpcs.is_empty() {
        add_condition(c, "StringNotEqualsIfExists", "aws:SourceVpc", vpcs);
    }
    if !endpoints.is_empty() {
        add_condition(c, "StringNotEqualsIfExists", "aws:SourceVpce", endpoints);
    }
}

/// The conditions of a deny and the exceptions they make.
pub struct Exceptions {
    /// The deny's conditions, exceptions included.
    pub conditions: Conditions,
    /// The exceptions those conditions make, for the manifest.
    pub listed: Vec<&'static Exception>,
}

/// The exceptions of the deny of everything (but policy changes, when
/// deployers exist) outside the networks.
pub fn exceptions(
    layer: Layer,
    covers: Covers<'_>,
    perimeter: &Perimeter,
    roles: &[PerimeterRole],
) -> Exceptions {
    let mut c = Conditions::new();
    let mut listed = Vec::new();
    network_conditions(perimeter, &mut c);
    let mut arns = Vec::new();
    if !perimeter.strict {
        add_condition(
            &mut c,
            "BoolIfExists",
            "aws:ViaAWSService",
            vec!["false".into()],
        );
        listed.push(&VIA_AWS_SERVICE);
        if layer != Layer::Scp {
            add_condition(
                &mut c,
                "BoolIfExists",
                "aws:PrincipalIsAWSService",
                vec!["false".into()],
            );
            listed.push(&AWS_SERVICE_PRINCIPALS);
        }
        if let (Layer::Resource, Covers::Table(table) | Covers::InRegion(table, _)) =
            (layer, covers)
        {
            arns.push(format!(
                "arn:{}:iam::{}:role/aws-service-role/*",
                table.partition(),
                table.account_id
            ));
            listed.push(&SERVICE_LINKED_ROLES);
        }
    }
    for (use_, exception) in [
        (RoleUse::Breakglass, &BREAKGLASS),
        (RoleUse::Exempt, &EXEMPT_ROLES),
    ] {
        let before = arns.len();
        arns.extend(role_arns(layer, covers, roles, use_));
        if arns.len() > before {
            listed.push(exception);
        }
    }
    if !arns.is_empty() {
        add_condition(&mut c, "ArnNotLikeIfExists", "aws:PrincipalArn", arns);
    }
    Exceptions {
        conditions: c,
        listed,
    }
}

/// The ARNs of `use_` roles in a layer: in the table's resource policy, in
/// the table's account; in an SCP or RCP, a role not pinned to an account
/// is exempt in every account of the scope (`iam::*:`).
fn role_arns(
    layer: Layer,
    covers: Covers<'_>,
    roles: &[PerimeterRole],
    use_: RoleUse,
) -> Vec<String> {
    roles
        .iter()
        .filter(|r| r.role_use == use_)
        .map(|r| match (layer, covers) {
            (Layer::Resource, Covers::Table(t) | Covers::InRegion(t, _)) => r.arn_in(&t.account_id),
            _ => r.arn_pattern(),
        })
        .collect()
}

/// The exceptions of the separate deny of policy changes, written when
/// deployer roles exist (not in RCPs, which cannot single out actions:
/// W0012): break-glass and deployer roles only (no AWS-service exceptions:
/// a policy change made through CloudFormation is still the caller's).
fn policy_change_exceptions(
    layer: Layer,
    covers: Covers<'_>,
    perimeter: &Perimeter,
    roles: &[PerimeterRole],
) -> Option<Conditions> {
    let deployers = role_arns(layer, covers, roles, RoleUse::Deployer);
    if deployers.is_empty() || layer == Layer::Rcp {
        return None;
    }
    let mut arns = role_arns(layer, covers, roles, RoleUse::Breakglass);
    arns.extend(deployers);
    let mut c = Conditions::new();
    network_conditions(perimeter, &mut c);
    add_condition(&mut c, "ArnNotLikeIfExists", "aws:PrincipalArn", arns);
    Some(c)
}

/// The table and everything under it, in each of its regions: indexes
/// (declared or not, created later too), streams, backups, exports.
pub fn table_resources(table: &Table) -> Vec<String> {
    table
        .arns()
        .into_iter()
        .flat_map(|arn| [format!("{arn}/*"), arn])
        .collect()
}

/// Which deny of a perimeter a statement is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Deny {
    /// Everything (but policy changes, when deployers exist) outside the networks.
    OutsideNetwork,
    /// Policy changes outside the networks, but by break-glass and deployer roles.
    PolicyChanges,
}

impl Deny {
    fn words(self) -> &'static str {
        match self {
            Deny::OutsideNetwork => "Outside Network",
            Deny::PolicyChanges => "Policy Changes Outside Network",
        }
    }
}

/// The perimeter's denies in one layer, without Sids: the deny of
/// everything outside the networks, and, when deployer roles exist, a
/// separate deny of policy changes from which they are exempt. Without
/// deployer or break-glass roles, the resource policy leaves the policy
/// actions open: DynamoDB rejects a policy that would lock out its caller.
fn denies(
    layer: Layer,
    covers: Covers<'_>,
    perimeter: &Perimeter,
    roles: &[PerimeterRole],
) -> (Vec<(Deny, Statement)>, Vec<&'static Exception>) {
    let exceptions = exceptions(layer, covers, perimeter, roles);
    let for_layer = |s: Statement| match layer {
        Layer::Scp => s,
        Layer::Rcp | Layer::Resource => s.for_everyone(),
    };
    let policy_changes = policy_change_exceptions(layer, covers, perimeter, roles);
    let breakglass = roles.iter().any(|r| r.role_use == RoleUse::Breakglass);
    let open: &[&str] = match (&policy_changes, layer) {
        (Some(_), _) => &POLICY_CHANGES,
        // SCPs and RCPs deny policy changes too: DynamoDB checks lockouts
        // against the resource policy only.
        (None, Layer::Scp | Layer::Rcp) => &[],
        (None, Layer::Resource) if breakglass => &[],
        (None, Layer::Resource) => &POLICY_ACTIONS,
    };
    let mut main = Statement::new(
        String::new(),
        Effect::Deny,
        vec!["dynamodb:*".into()],
        covers.resources(),
    );
    if !open.is_empty() {
        main.action = None;
        main.not_action = Some(Strings::sorted(
            open.iter().map(|s| s.to_string()).collect(),
        ));
    }
    let mut out = vec![(
        Deny::OutsideNetwork,
        for_layer(main.when(exceptions.conditions)),
    )];
    let mut listed = exceptions.listed;
    if let Some(conditions) = policy_changes {
        listed.push(&DEPLOYERS);
        let changes = Statement::new(
            String::new(),
            Effect::Deny,
            POLICY_CHANGES.iter().map(|s| s.to_string()).collect(),
            covers.resources(),
        );
        out.push((Deny::PolicyChanges, for_layer(changes.when(conditions))));
    }
    (out, listed)
}

/// The statements of the resource policy of a table (or of its replica) in
/// `region`, and their exceptions.
pub fn resource_statements(
    table: &Table,
    region: &str,
    perimeter: &Perimeter,
    roles: &[PerimeterRole],
) -> (Vec<Built>, Vec<&'static Exception>) {
    let covers = Covers::InRegion(table, region);
    let (denies, listed) = denies(Layer::Resource, covers, perimeter, roles);
    let built = denies
        .into_iter()
        .map(|(deny, mut statement)| {
            statement.sid = sid(&["Deny", deny.words()]);
            Built {
                statement,
                spans: vec![table.span, perimeter.span],
            }
        })
        .collect();
    (built, listed)
}

/// The SCP or RCP statements of the perimeters of one scope, and their
/// exceptions. Perimeters whose denies have the same conditions share one
/// statement, their ARNs in one `Resource` list: an SCP or RCP is small
/// and each target holds few of them.
pub fn organization_statements(
    layer: Layer,
    perimeters: &[(Covers<'_>, &Perimeter)],
    roles: &[PerimeterRole],
) -> (Vec<Built>, Vec<&'static Exception>) {
    type Key = (Deny, Option<Strings>, Option<Strings>, String);
    type Group = (Statement, Vec<String>, Vec<crate::source::Span>);
    let mut groups: std::collections::BTreeMap<Key, Group> = std::collections::BTreeMap::new();
    let mut listed: Vec<&'static Exception> = Vec::new();
    for (covers, perimeter) in perimeters {
        let (denies, exceptions) = denies(layer, *covers, perimeter, roles);
        for e in exceptions {
            if !listed.iter().any(|l| l.id == e.id) {
                listed.push(e);
            }
        }
        let (name, span) = match covers {
            Covers::Table(t) | Covers::InRegion(t, _) => (t.name.clone(), Some(t.span)),
            Covers::All => (covers.name().to_string(), None),
        };
        for (deny, statement) in denies {
            let key = (
                deny,
                statement.action.clone(),
                statement.not_action.clone(),
                serde_json::to_string(&statement.condition).unwrap_or_default(),
            );
            let entry = groups
                .entry(key)
                .or_insert_with(|| (statement.clone(), Vec::new(), Vec::new()));
            entry.1.push(name.clone());
            entry.2.extend(span.into_iter().chain([perimeter.span]));
            let mut resources = std::mem::take(&mut entry.0.resource.0);
            resources.extend(statement.resource.0);
            // `*` covers every table already.
            if resources.iter().any(|r| r == "*") {
                resources = vec!["*".into()];
            }
            entry.0.resource = Strings::sorted(resources);
        }
    }
    let built = groups
        .into_iter()
        .map(|((deny, ..), (mut statement, names, spans))| {
            let who = match names.as_slice() {
                [one] => one.as_str(),
                _ => "Tables",
            };
            statement.sid = sid(&["Deny", who, deny.words()]);
            Built { statement, spans }
        })
        .collect();
    (built, listed)
}
