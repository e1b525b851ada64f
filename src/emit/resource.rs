//! DynamoDB table resource policies: each replica of a table gets one of its
//! own when its perimeter is enforced by a resource policy (the perimeter's
//! denies) or when principals of other accounts are granted access to it
//! (an `Allow` for each, see [`super::cross_account`]), or both.

use super::finish::single;
use super::identity::TableAllows;
use super::{perimeter, Compiled};
use crate::diag::Diagnostics;
use crate::iam::{resource_policy_name, DocKind};
use crate::model::Model;

/// The resource policy of every replica of every table that needs one, in
/// table order: the perimeter's denies first, then the other accounts'
/// allows (`allows`, by the table's ARN in the replica's region).
pub(crate) fn documents(
    model: &Model,
    allows: &TableAllows,
    diags: &mut Diagnostics,
) -> Vec<Compiled> {
    let mut docs = Vec::new();
    for table in &model.tables {
        let private = table.private.as_ref().filter(|p| p.layers.resource);
        for region in table.regions() {
            let attach = table.arn_in(region);
            let across = allows.get(&attach);
            if private.is_none() && across.is_none() {
                continue;
            }
            let (mut statements, exceptions) = match private {
                Some(p) => perimeter::resource_statements(table, region, p, &model.perimeter_roles),
                None => (Vec::new(), Vec::new()),
            };
            statements.extend(across.into_iter().flatten().cloned());
            let name = resource_policy_name(&table.account_id, region, &table.name);
            let doc = single(DocKind::Resource, &name, statements, vec![attach], diags);
            docs.extend(doc.map(|d| Compiled {
                exceptions,
                deploy: private.map(|_| perimeter::deploy(table, &model.perimeter_roles)),
                ..d
            }));
        }
    }
    docs
}
