//! Alerts to EventBridge rules on the CloudTrail records of DynamoDB API calls.

use serde_json::{json, Value};

use crate::catalog::Catalog;
use crate::model::{Alert, Model};

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
        detail["requestParameters"] = json!({ "tableName": [t.name.clone(), t.arn()] });
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
