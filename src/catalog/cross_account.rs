//! Which DynamoDB actions a principal of another account can use, and
//! through which resource-based policy. DynamoDB Developer Guide, "DynamoDB
//! API operations supported by resource-based policies"
//! (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-iam-actions.html>):
//! only the operations marked "Cross-account support: Yes" work across
//! accounts; the others (PartiQL, backups, point-in-time recovery, exports,
//! imports, Kinesis streaming, time to live, resource policies, replica
//! auto scaling, Contributor Insights, the legacy global-table API) do not,
//! whatever the policies say.

/// The operations a table's resource policy can open to another account
/// (it covers the table and its indexes), as IAM actions, sorted.
/// `TransactGetItems` and `TransactWriteItems` have no IAM action of their
/// own: they are authorized as the item actions they contain, and a
/// condition check inside `TransactWriteItems` as `ConditionCheckItem`
/// (Developer Guide, "Using IAM with DynamoDB transactions"), which
/// therefore works across accounts too.
pub const TABLE_ACTIONS: [&str; 15] = [
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DeleteTable",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:ListTagsOfResource",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:TagResource",
    "dynamodb:UntagResource",
    "dynamodb:UpdateItem",
    "dynamodb:UpdateTable",
];

/// The operations a stream's own resource policy can open to another
/// account, sorted. A stream's policy is attached to the stream (whose ARN
/// carries a label dpol does not know), so dpol lists it in the manifest
/// rather than writing it.
pub const STREAM_ACTIONS: [&str; 3] = [
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
];

/// Whether `action` (`dynamodb:GetItem`) works across accounts on a table
/// or one of its indexes.
pub fn on_tables(action: &str) -> bool {
    TABLE_ACTIONS.binary_search(&action).is_ok()
}

/// Whether `action` works across accounts on a table's stream.
pub fn on_streams(action: &str) -> bool {
    STREAM_ACTIONS.binary_search(&action).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_sorted_and_in_the_catalogue() {
        let catalog = crate::catalog::catalog().unwrap();
        for list in [&TABLE_ACTIONS[..], &STREAM_ACTIONS[..]] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            for action in list {
                let name = action.strip_prefix("dynamodb:").unwrap();
                assert!(catalog.dynamodb.action(name).is_some(), "{action}");
            }
        }
        assert!(on_tables("dynamodb:Query"));
        assert!(!on_tables("dynamodb:ExportTableToPointInTime"));
        assert!(!on_tables("dynamodb:GetRecords"));
        assert!(on_streams("dynamodb:GetRecords"));
    }
}
