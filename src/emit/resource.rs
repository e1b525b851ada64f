//! Private tables to DynamoDB resource policies: each replica of a table
//! whose perimeter is enforced by a resource policy gets one of its own.

use super::finish::single;
use super::{perimeter, Document};
use crate::diag::Diagnostics;
use crate::iam::{resource_policy_name, DocKind};
use crate::model::Model;

/// The resource policy of every replica of every table private by a
/// resource policy, in table order.
pub(crate) fn documents(model: &Model, diags: &mut Diagnostics) -> Vec<Document> {
    let mut docs = Vec::new();
    for table in &model.tables {
        let Some(p) = table.private.as_ref().filter(|p| p.layers.resource) else {
            continue;
        };
        for region in table.regions() {
            let (statements, exceptions) =
                perimeter::resource_statements(table, region, p, &model.perimeter_roles);
            let name = resource_policy_name(&table.account_id, region, &table.name);
            let attach = vec![table.arn_in(region)];
            let doc = single(DocKind::Resource, &name, statements, attach, diags);
            docs.extend(doc.map(|d| Document {
                exceptions,
                deploy: Some(perimeter::deploy(table, &model.perimeter_roles)),
                ..d
            }));
        }
    }
    docs
}
