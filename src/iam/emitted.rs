//! What dpol's own documents must be, per policy type, checked on every
//! document before anything is written: the policy grammar every reader
//! checks ([`super::grammar`]), then the rules of the document's kind and the
//! stricter subset dpol writes (one version, Sids, known actions). A failure
//! here is a bug in dpol (E0412), never the user's fault.

use std::collections::BTreeSet;

use serde_json::Value;

use super::grammar::validate_policy;
use super::DocKind;
use crate::catalog::Catalog;
use crate::json::JsonPath;

fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn known_action(catalog: &Catalog, action: &str) -> bool {
    match action.split_once(':') {
        Some(("dynamodb", "*")) => true,
        Some(("dynamodb", name)) => catalog.dynamodb.action(name).is_some(),
        Some(("kms", name)) => catalog.kms.action(name).is_some(),
        Some(("iam", name)) => catalog.iam.action(name).is_some(),
        _ => false,
    }
}

/// `{"AWS": "arn:PARTITION:iam::ACCOUNT:user/…"}` or `…:role/…`, with no
/// wildcard.
fn names_one_iam_principal(principal: &Value) -> bool {
    let Some(arn) = principal.get("AWS").and_then(Value::as_str) else {
        return false;
    };
    let fields: Vec<&str> = arn.splitn(6, ':').collect();
    principal.as_object().is_some_and(|o| o.len() == 1)
        && !arn.contains(['*', '?'])
        && matches!(fields.as_slice(), ["arn", _, "iam", "", account, resource]
            if account.len() == 12
                && (resource.starts_with("user/") || resource.starts_with("role/")))
}

/// The problems of one policy document; empty when valid.
pub(crate) fn problems(kind: DocKind, doc: &Value, text: &str, catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    if let Err(problem) = validate_policy(doc, &JsonPath::ROOT) {
        problems.push(format!("{}: {}", problem.json_path, problem.message));
    }
    if !text.is_ascii() {
        problems.push("the document contains non-ASCII characters".to_string());
    }
    if doc.get("Version").and_then(Value::as_str) != Some(super::VERSION) {
        problems.push("`Version` must be 2012-10-17".to_string());
    }
    let none = Vec::new();
    let statements = doc
        .get("Statement")
        .and_then(Value::as_array)
        .unwrap_or(&none);
    if statements.is_empty() {
        problems.push("`Statement` must be a non-empty list".to_string());
    }
    let mut sids = BTreeSet::new();
    for (i, s) in statements.iter().enumerate() {
        let mut bad = |what: String| problems.push(format!("statement {i}: {what}"));
        let sid = s.get("Sid").and_then(Value::as_str).unwrap_or("");
        if sid.is_empty() || !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
            bad(format!("Sid `{sid}` must be letters and digits"));
        }
        if !sids.insert(sid.to_string()) {
            bad(format!("Sid `{sid}` is not unique"));
        }
        // The grammar has checked `Effect`, and that there is exactly one
        // of `Action` and `NotAction`.
        let effect = s.get("Effect").and_then(Value::as_str);
        let actions = strings(s.get("Action").or_else(|| s.get("NotAction")));
        if actions.is_empty() {
            bad("`Action` or `NotAction` must not be empty".to_string());
        }
        for a in actions.iter().filter(|a| !known_action(catalog, a)) {
            bad(format!("unknown action `{a}`"));
        }
        if strings(s.get("Resource")).is_empty() {
            bad("`Resource` must not be empty".to_string());
        }
        kind_rules(kind, s, effect, &actions, &mut bad);
    }
    problems
}

/// The rules of one statement that depend on the document's kind: who may
/// be its `Principal`, which effects and elements it may have.
fn kind_rules(
    kind: DocKind,
    s: &Value,
    effect: Option<&str>,
    actions: &[&str],
    bad: &mut impl FnMut(String),
) {
    let principal = s.get("Principal");
    match kind {
        DocKind::Identity | DocKind::Scp if principal.is_some() => {
            bad("`Principal` is not allowed in this policy type".to_string());
        }
        // A table's resource policy allows only named principals of
        // other accounts (grants across accounts); `"*"` there would be
        // public access.
        DocKind::Resource
            if effect == Some("Allow") && !principal.is_some_and(names_one_iam_principal) =>
        {
            bad("an `Allow` in a resource policy must name one IAM user or role ARN".to_string());
        }
        DocKind::Resource if effect == Some("Allow") => {}
        DocKind::VpcEndpoint | DocKind::Resource | DocKind::Rcp
            if principal.and_then(Value::as_str) != Some("*") =>
        {
            bad("`Principal` must be \"*\"".to_string());
        }
        _ => {}
    }
    if kind == DocKind::Scp && effect == Some("Allow") {
        bad("dpol emits only Deny statements in SCPs (the pre-2025 SCP subset)".to_string());
    }
    // Organizations User Guide, "RCP syntax": customer RCPs are Deny
    // only, have no NotAction, and name a service in every action.
    if kind == DocKind::Rcp {
        if effect != Some("Deny") {
            bad("RCP statements must be Deny".to_string());
        }
        if s.get("NotAction").is_some() {
            bad("RCPs do not support `NotAction`".to_string());
        }
        if actions.contains(&"*") {
            bad("an RCP's `Action` must name a service (not `*`)".to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rejects_what_aws_rejects() {
        let catalog = crate::catalog::catalog().unwrap();
        let doc = json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "A-1", "Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItm", "Resource": "*",
             "Condition": {"NumericGreaterThanOrEqualTo": {"dynamodb:LeadingKeys": "1"}}}]});
        let text = doc.to_string();
        let found = problems(DocKind::Identity, &doc, &text, catalog);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(problems(
            DocKind::Resource,
            &json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "A", "Effect": "Deny", "Action": "dynamodb:*", "Resource": "*"}]}),
            "{}",
            catalog
        )
        .iter()
        .any(|p| p.contains("Principal")));
        assert!(found[0].contains("unknown condition operator"), "{found:?}");
        let allow = |principal: Value| {
            let doc = json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "A", "Effect": "Allow", "Principal": principal, "Action": "dynamodb:GetItem",
                 "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/T"}]});
            problems(DocKind::Resource, &doc, &doc.to_string(), catalog)
        };
        assert!(allow(json!({"AWS": "arn:aws:iam::444455556666:role/R"})).is_empty());
        for wrong in [
            json!("*"),
            json!({"AWS": "*"}),
            json!({"AWS": "arn:aws:iam::444455556666:root"}),
            json!({"AWS": "arn:aws:iam::444455556666:group/G"}),
            json!({"AWS": "arn:aws:iam::444455556666:role/R*"}),
        ] {
            assert!(!allow(wrong.clone()).is_empty(), "{wrong}");
        }
    }
}
