//! Private tables: the SCP statements that deny DynamoDB outside the allowed
//! networks for the accounts and OUs in scope, and the table's own
//! resource-based policy with the same deny.

use super::policy::{add_condition, sid, Built, Conditions, Effect, Statement, Strings};
use crate::model::{Breakglass, Network, Perimeter, Table};

/// The DynamoDB actions a resource policy must leave open so that it can
/// still be managed (DynamoDB rejects a policy that would lock everyone out).
const POLICY_ACTIONS: [&str; 3] = [
    "dynamodb:DeleteResourcePolicy",
    "dynamodb:GetResourcePolicy",
    "dynamodb:PutResourcePolicy",
];

fn network_conditions(perimeter: &Perimeter) -> Conditions {
    let mut c = Conditions::new();
    let (vpcs, endpoints): (Vec<&Network>, Vec<&Network>) = perimeter
        .networks
        .iter()
        .partition(|n| matches!(n, Network::Vpc(_)));
    let ids = |list: Vec<&Network>| -> Vec<String> {
        list.into_iter()
            .map(|n| match n {
                Network::Vpc(id) | Network::Endpoint(id) => id.clone(),
            })
            .collect()
    };
    // Two keys under one negated operator are AND-ed: the request is denied
    // only when it matches none of the allowed networks.
    if !vpcs.is_empty() {
        add_condition(&mut c, "StringNotEquals", "aws:SourceVpc", ids(vpcs));
    }
    if !endpoints.is_empty() {
        add_condition(&mut c, "StringNotEquals", "aws:SourceVpce", ids(endpoints));
    }
    c
}

/// The SCP statement for one private table. Break-glass roles are exempt in
/// every account of the scope (`arn:aws:iam::*:role/NAME` unless pinned).
pub fn scp_statement(table: &Table, perimeter: &Perimeter, breakglass: &[Breakglass]) -> Built {
    let mut condition = network_conditions(perimeter);
    if !breakglass.is_empty() {
        let patterns = breakglass.iter().map(Breakglass::arn_pattern).collect();
        add_condition(&mut condition, "ArnNotLike", "aws:PrincipalArn", patterns);
    }
    let arn = table.arn();
    Built {
        statement: Statement::new(
            sid(&["Deny", &table.name, "Outside Network"]),
            Effect::Deny,
            vec!["dynamodb:*".into()],
            vec![arn.clone(), format!("{arn}/*")],
        )
        .when(condition),
        spans: vec![table.span, perimeter.span],
    }
}

/// The table's resource policy. Break-glass roles are exempt by exact ARN in
/// the table's account (or their pinned account). Without any, the deny
/// leaves the three resource-policy actions open so DynamoDB accepts it.
pub fn resource_statement(
    table: &Table,
    perimeter: &Perimeter,
    breakglass: &[Breakglass],
) -> Built {
    let mut condition = network_conditions(perimeter);
    let arn = table.arn();
    let (action, not_action) = if breakglass.is_empty() {
        let open = POLICY_ACTIONS.iter().map(|s| s.to_string()).collect();
        (None, Some(Strings::sorted(open)))
    } else {
        let exempt = breakglass
            .iter()
            .map(|b| {
                let account = b.account_id.as_deref().unwrap_or(&table.account_id);
                format!("arn:aws:iam::{account}:role/{}", b.name)
            })
            .collect();
        add_condition(&mut condition, "ArnNotEquals", "aws:PrincipalArn", exempt);
        (Some(Strings::one("dynamodb:*")), None)
    };
    let mut resources = vec![arn.clone()];
    resources.extend(
        table
            .indexes
            .iter()
            .map(|i| format!("{arn}/index/{}", i.name)),
    );
    Built {
        statement: Statement {
            sid: sid(&["Deny Outside Network"]),
            effect: Effect::Deny,
            principal: Some("*"),
            action,
            not_action,
            resource: Strings::sorted(resources),
            condition,
        },
        spans: vec![table.span, perimeter.span],
    }
}
