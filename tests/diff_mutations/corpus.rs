//! Realistic documents: what was applied to moto, and documents like those
//! dpol compiles.

use serde_json::{json, Value};

use crate::diff_common::fixture_json;

const TABLE: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders";

pub fn corpus() -> Vec<(String, Value)> {
    let mut docs: Vec<(String, Value)> = [
        "group-inline.json",
        "managed.json",
        "managed-v2.json",
        "role-inline.json",
        "scp.json",
        "table-rbp.json",
        "user-inline.json",
        "vpce.json",
    ]
    .iter()
    .map(|name| (name.to_string(), fixture_json(&format!("inputs/{name}"))))
    .collect();
    docs.extend(
        written()
            .into_iter()
            .map(|(name, doc)| (name.to_string(), doc)),
    );
    docs
}

fn written() -> Vec<(&'static str, Value)> {
    vec![
        (
            "fine-grained attributes",
            json!({"Version": "2012-10-17", "Statement": [{
                "Sid": "ReadOwnItems",
                "Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem"],
                "Resource": [TABLE, format!("{TABLE}/index/ByBrand")],
                "Condition": {
                    "ForAllValues:StringEquals": {
                        "dynamodb:LeadingKeys": ["${aws:PrincipalTag/tenant}"],
                        "dynamodb:Attributes": ["pk", "sk", "Price", "Stock"]
                    },
                    "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
                    "Null": {"dynamodb:LeadingKeys": "false", "dynamodb:Attributes": "false"}
                }
            }, {
                "Sid": "UpdateOwnItems",
                "Effect": "Allow",
                "Action": "dynamodb:UpdateItem",
                "Resource": TABLE,
                "Condition": {
                    "ForAllValues:StringEquals": {"dynamodb:Attributes": ["pk", "sk", "Stock"]},
                    "StringEquals": {"dynamodb:ReturnValues": ["NONE", "UPDATED_OLD", "UPDATED_NEW"]}
                }
            }]}),
        ),
        (
            "numeric key range",
            json!({"Version": "2012-10-17", "Statement": [{
                "Sid": "Shards100To199",
                "Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                "Resource": TABLE,
                "Condition": {
                    "ForAllValues:NumericGreaterThanEquals": {"dynamodb:LeadingKeys": "100"},
                    "ForAllValues:NumericLessThan": {"dynamodb:LeadingKeys": 200},
                    "Null": {"dynamodb:LeadingKeys": "false"}
                }
            }]}),
        ),
        (
            "scp vpc and break-glass",
            json!({"Version": "2012-10-17", "Statement": [{
                "Sid": "DenyOutsideVpcs",
                "Effect": "Deny",
                "Action": "dynamodb:*",
                "Resource": "*",
                "Condition": {
                    "StringNotEquals": {"aws:SourceVpc": ["vpc-0abc1234", "vpc-0def5678"]},
                    "ArnNotLike": {"aws:PrincipalArn": [
                        "arn:aws:iam::*:role/dpol-breakglass",
                        "arn:aws:iam::*:role/OrganizationAccountAccessRole"
                    ]},
                    "BoolIfExists": {"aws:ViaAWSService": false}
                }
            }, {
                "Sid": "DenyAllButDynamo",
                "Effect": "Deny",
                "NotAction": ["dynamodb:*", "kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:RequestedRegion": ["eu-west-1"]}}
            }]}),
        ),
        (
            "endpoint policy",
            json!({"Version": "2012-10-17", "Statement": [{
                "Sid": "OrdersOnly",
                "Effect": "Allow",
                "Principal": "*",
                "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                "Resource": [TABLE, format!("{TABLE}/index/*")],
                "Condition": {"StringEquals": {"aws:PrincipalAccount": ["123456789012", "210987654321"]}}
            }, {
                "Sid": "DenyOtherOrgs",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "dynamodb:*",
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-sw4jygewlf"}}
            }]}),
        ),
        (
            "table policy for two roles",
            json!({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow",
                "Principal": {"AWS": [
                    "arn:aws:iam::123456789012:role/orders-writer",
                    "arn:aws:iam::123456789012:role/orders-reader"
                ]},
                "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                "Resource": TABLE,
                "Condition": {"IpAddress": {"aws:VpcSourceIp": ["10.0.0.0/16", "10.1.0.0/16"]}}
            }]}),
        ),
    ]
}
