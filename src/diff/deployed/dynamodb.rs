//! DynamoDB: `get-resource-policy`. The output does not name the table; its
//! ARN comes from a wrapper member `ResourceArn`
//! (`{"ResourceArn": "arn:…:table/Orders", "Policy": "…"}`) or from the file
//! name (`arn:aws:dynamodb:us-east-1:123456789012:table%2FOrders.json`).

use serde_json::{Map, Value};

use crate::diff::arn::Arn;
use crate::diff::document::policy_document;
use crate::diff::origin_hint::arn_in_file_name;
use crate::iam::resource_policy_name;
use crate::iam::DocKind;
use crate::iam::Document;
use crate::json::JsonPath;
use crate::json::{optional_str, required};
use crate::json::{InputProblem, Problem};

pub(super) fn read(top: &Map<String, Value>, origin: &str) -> Result<Document, Problem> {
    let root = JsonPath::ROOT;
    let arn_at = root.key("ResourceArn");
    let arn = match optional_str(top, "ResourceArn", &root)? {
        Some(arn) => arn.to_string(),
        None => arn_in_file_name(origin).ok_or_else(|| {
            Problem::new(
                InputProblem::UnresolvedAttachment,
                &root,
                "`get-resource-policy` output does not name the table: wrap it as \
                 {\"ResourceArn\": \"arn:…:table/NAME\", \"Policy\": …} or name the file after the ARN \
                 (`arn:aws:dynamodb:REGION:ACCOUNT:table%2FNAME.json`)",
            )
        })?,
    };
    let parsed = Arn::parse(&arn);
    let name = parsed
        .and_then(|p| {
            Some(resource_policy_name(
                p.account,
                p.region,
                p.dynamodb_table_name()?,
            ))
        })
        .ok_or_else(|| {
            Problem::new(
                InputProblem::InvalidValue,
                &arn_at,
                format!("`{arn}` is not a DynamoDB table ARN"),
            )
        })?;
    Ok(Document {
        kind: DocKind::Resource,
        name,
        attach: vec![arn],
        document: policy_document(required(top, "Policy", &root)?, &root.key("Policy"))?,
        origin: origin.to_string(),
        sources: Vec::new(),
    })
}
