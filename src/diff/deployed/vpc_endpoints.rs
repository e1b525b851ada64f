//! EC2: `describe-vpc-endpoints`. Endpoints in state `deleted` (which AWS
//! keeps listing for a while) and endpoints without a `PolicyDocument` are
//! left out.

use serde_json::{Map, Value};

use crate::diff::document::policy_document;
use crate::iam::DocKind;
use crate::iam::Document;
use crate::json::JsonPath;
use crate::json::Problem;
use crate::json::{as_array, as_object, optional_str, required, required_str};

pub(super) fn read(top: &Map<String, Value>, origin: &str) -> Result<Vec<Document>, Problem> {
    let root = JsonPath::ROOT;
    let endpoints_at = root.key("VpcEndpoints");
    let mut docs = Vec::new();
    for (i, endpoint) in as_array(required(top, "VpcEndpoints", &root)?, &endpoints_at)?
        .iter()
        .enumerate()
    {
        let endpoint_at = endpoints_at.index(i);
        let endpoint = as_object(endpoint, &endpoint_at)?;
        let deleted = optional_str(endpoint, "State", &endpoint_at)?
            .is_some_and(|state| state.eq_ignore_ascii_case("deleted"));
        let Some(policy) = endpoint.get("PolicyDocument").filter(|_| !deleted) else {
            continue;
        };
        let id = required_str(endpoint, "VpcEndpointId", &endpoint_at)?;
        docs.push(Document {
            kind: DocKind::VpcEndpoint,
            name: id.to_string(),
            attach: vec![id.to_string()],
            document: policy_document(policy, &endpoint_at.key("PolicyDocument"))?,
            origin: format!("{origin}: {endpoint_at}"),
            sources: Vec::new(),
        });
    }
    Ok(docs)
}
