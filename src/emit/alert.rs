//! Alerts to EventBridge rules on the CloudTrail records of DynamoDB API calls.

use serde_json::{json, Value};

use super::text::render;
use super::{Compiled, Requirement};
use crate::catalog::Catalog;
use crate::iam::DocKind;
use crate::model::{Alert, Model};

/// The rules of every alert, in declaration order: one per region of its
/// table (CloudTrail delivers a replica's events in the replica's region,
/// so a global table gets a rule in each of its regions).
pub(crate) fn documents(model: &Model, catalog: &Catalog) -> Vec<Compiled> {
    let mut docs = Vec::new();
    for (i, a) in model.alerts.iter().enumerate() {
        let table = a.table.and_then(|t| model.tables.get(t));
        let base = format!(
            "dpol-alert-{}-{}",
            table.map_or("all-tables", |t| t.name.as_str()),
            i + 1
        );
        let regions: Vec<String> = match table {
            Some(t) => t.regions().map(str::to_string).collect(),
            None => vec![a.region.clone()],
        };
        for region in regions {
            let name = if region == a.region {
                base.clone()
            } else {
                format!("{base}-{region}")
            };
            let regional = Alert {
                region,
                ..a.clone()
            };
            let content = rule(model, catalog, &regional, &name);
            let text = render(DocKind::EventRule, &content);
            let requires = requirements(model, &regional, &name);
            docs.push(Compiled {
                kind: DocKind::EventRule,
                size: text.len(),
                name,
                attach: vec![format!("{}/{}", regional.account_id, regional.region)],
                text,
                folder: None,
                spans: vec![a.span],
                statement_spans: Default::default(),
                expires: Vec::new(),
                exceptions: Vec::new(),
                deploy: None,
                requires,
            });
        }
    }
    docs
}

/// The rule: `Name`, `EventPattern`, `State` and `Targets` (PutRule and
/// PutTargets input). Read-only events need
/// `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` to be delivered at all.
pub fn rule(model: &Model, catalog: &Catalog, alert: &Alert, name: &str) -> Value {
    let mut detail = json!({
        "eventSource": ["dynamodb.amazonaws.com"],
        "eventName": alert.actions,
    });
    if let Some(t) = alert.table.and_then(|t| model.tables.get(t)) {
        // Cross-account callers pass the table ARN as the table name.
        detail["requestParameters"] =
            json!({ "tableName": [t.name.clone(), t.arn_in(&alert.region)] });
    }
    let read_only = alert.actions.iter().any(|a| {
        catalog
            .dynamodb
            .action(a)
            .is_some_and(|x| !x.level_is("Write"))
    });
    let state = if read_only {
        "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
    } else {
        "ENABLED"
    };
    json!({
        "Name": name,
        "EventPattern": {
            "source": ["aws.dynamodb"],
            "detail-type": ["AWS API Call via CloudTrail"],
            "detail": detail,
        },
        "State": state,
        "Targets": [{ "Id": "dpol-alert-target", "Arn": alert.target }],
    })
}

/// What the alert's target must allow, in a policy dpol does not write
/// (EventBridge User Guide, "Using resource-based policies for Amazon
/// EventBridge", and "Sending and receiving events between AWS accounts"):
/// an SNS topic must let `events.amazonaws.com` publish (topic policies for
/// EventBridge take no Condition), an SQS queue and a Lambda function must
/// let it send or invoke for this rule only (`aws:SourceArn`), and an event
/// bus of another account must accept `events:PutEvents` from the rule's
/// account, which also needs a role for the target (`RoleArn`, required for
/// cross-account buses since 2023-03-02).
pub fn requirements(model: &Model, alert: &Alert, name: &str) -> Vec<Requirement> {
    let fields: Vec<&str> = alert.target.splitn(6, ':').collect();
    let (service, target_account) = match fields.as_slice() {
        [_, _, service, _, account, _] => (*service, *account),
        _ => return Vec::new(),
    };
    let partition = model.partition;
    let rule_arn = format!(
        "arn:{partition}:events:{}:{}:rule/{name}",
        alert.region, alert.account_id
    );
    let mut out = Vec::new();
    let service_statement = |action: &str, condition: Option<Value>| {
        let mut statement = json!({
            "Sid": "AllowDpolAlertRule",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": action,
            "Resource": alert.target,
        });
        if let Some(c) = condition {
            statement["Condition"] = c;
        }
        statement
    };
    match service {
        "sns" => out.push(Requirement {
            policy_of: format!("the topic policy of {}", alert.target),
            why: "EventBridge publishes to the topic as events.amazonaws.com",
            statement: service_statement("sns:Publish", None),
        }),
        "sqs" => out.push(Requirement {
            policy_of: format!("the queue policy of {}", alert.target),
            why: "EventBridge sends to the queue as events.amazonaws.com, for this rule only",
            statement: service_statement(
                "sqs:SendMessage",
                Some(json!({"ArnEquals": {"aws:SourceArn": rule_arn}})),
            ),
        }),
        "lambda" => out.push(Requirement {
            policy_of: format!(
                "the resource policy of {} (aws lambda add-permission)",
                alert.target
            ),
            why: "EventBridge invokes the function as events.amazonaws.com, for this rule only",
            statement: service_statement(
                "lambda:InvokeFunction",
                Some(json!({"ArnLike": {"AWS:SourceArn": rule_arn}})),
            ),
        }),
        "events" if target_account != alert.account_id => {
            out.push(Requirement {
                policy_of: format!("the event bus policy of {}", alert.target),
                why: "the bus is in another account: it must accept events from the rule's account",
                statement: json!({
                    "Sid": "AllowDpolAlertRule",
                    "Effect": "Allow",
                    "Principal": {"AWS": format!("arn:{partition}:iam::{}:root", alert.account_id)},
                    "Action": "events:PutEvents",
                    "Resource": alert.target,
                }),
            });
            out.push(Requirement {
                policy_of: format!("a role in {} for target dpol-alert-target (its RoleArn)", alert.account_id),
                why: "EventBridge needs a role to put events on a bus of another account; set it as the target's RoleArn",
                statement: json!({
                    "Effect": "Allow",
                    "Action": "events:PutEvents",
                    "Resource": alert.target,
                }),
            });
        }
        _ => {}
    }
    out
}
