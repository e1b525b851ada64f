//! Organizations: `describe-policy` joined with `list-targets-for-policy`,
//! for service control policies and resource control policies (the
//! policy's `Type` says which).
//!
//! A targets list does not say which policy it belongs to. It is joined by
//! the policy id of a wrapper member `PolicyId`
//! (`{"PolicyId": "p-…", "Targets": […]}`), else by a policy id in its file
//! name (`targets-p-48vl2fl5.json`), else, when the set holds exactly one
//! policy and one targets list, to that policy. AWS-managed SCPs
//! (`p-FullAWSAccess`) are read like the others; their names do not start
//! with `dpol-`, so the comparison lists them as unmanaged.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diag::Diagnostic;
use crate::diff::document::policy_document;
use crate::diff::origin_hint::policy_ids_in_file_name;
use crate::iam::DocKind;
use crate::iam::Document;
use crate::json::JsonPath;
use crate::json::{as_array, as_object, optional_str, required, required_str};
use crate::json::{InputProblem, Problem};

/// The SCPs and targets lists of one set of files, until they are joined.
#[derive(Default)]
pub(super) struct ScpSet<'a> {
    /// Policy id → SCP (with no targets yet).
    policies: BTreeMap<String, Document>,
    targets: Vec<Targets<'a>>,
}

struct Targets<'a> {
    origin: &'a str,
    policy_id: Option<String>,
    target_ids: Vec<String>,
}

impl<'a> ScpSet<'a> {
    /// Adds a `describe-policy` output.
    pub(super) fn add_policy(
        &mut self,
        top: &Map<String, Value>,
        origin: &str,
    ) -> Result<(), Problem> {
        let policy_at = JsonPath::ROOT.key("Policy");
        let policy = as_object(required(top, "Policy", &JsonPath::ROOT)?, &policy_at)?;
        let summary_at = policy_at.key("PolicySummary");
        let summary = as_object(required(policy, "PolicySummary", &policy_at)?, &summary_at)?;
        let kind = match optional_str(summary, "Type", &summary_at)? {
            None | Some("SERVICE_CONTROL_POLICY") => DocKind::Scp,
            Some("RESOURCE_CONTROL_POLICY") => DocKind::Rcp,
            Some(other) => {
                return Err(Problem::new(
                    InputProblem::InvalidValue,
                    &summary_at.key("Type"),
                    format!(
                        "only service and resource control policies are compared, not `{other}`"
                    ),
                ))
            }
        };
        let id = required_str(summary, "Id", &summary_at)?;
        let doc = Document {
            kind,
            name: required_str(summary, "Name", &summary_at)?.to_string(),
            attach: Vec::new(),
            document: policy_document(
                required(policy, "Content", &policy_at)?,
                &policy_at.key("Content"),
            )?,
            origin: origin.to_string(),
            sources: Vec::new(),
        };
        self.policies.insert(id.to_string(), doc);
        Ok(())
    }

    /// Adds a `list-targets-for-policy` output.
    pub(super) fn add_targets(
        &mut self,
        top: &Map<String, Value>,
        origin: &'a str,
    ) -> Result<(), Problem> {
        let root = JsonPath::ROOT;
        let targets_at = root.key("Targets");
        let target_ids = as_array(required(top, "Targets", &root)?, &targets_at)?
            .iter()
            .enumerate()
            .map(|(i, target)| {
                let target_at = targets_at.index(i);
                required_str(as_object(target, &target_at)?, "TargetId", &target_at)
                    .map(str::to_string)
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.targets.push(Targets {
            origin,
            policy_id: optional_str(top, "PolicyId", &root)?.map(str::to_string),
            target_ids,
        });
        Ok(())
    }

    /// The SCPs with their targets, sorted.
    pub(super) fn join(mut self) -> Result<Vec<Document>, Diagnostic> {
        let only_pair = self.policies.len() == 1 && self.targets.len() == 1;
        for targets in self.targets {
            let policy_id = targets
                .policy_id
                .or_else(|| {
                    policy_ids_in_file_name(targets.origin)
                        .into_iter()
                        .find(|id| self.policies.contains_key(id))
                })
                .or_else(|| self.policies.keys().next().filter(|_| only_pair).cloned());
            let policy = policy_id.as_ref().and_then(|id| self.policies.get_mut(id));
            let Some(policy) = policy else {
                return Err(unjoined(policy_id.as_deref()).in_file(targets.origin));
            };
            policy.attach.extend(targets.target_ids);
        }
        Ok(self
            .policies
            .into_values()
            .map(|mut policy| {
                policy.attach.sort();
                policy.attach.dedup();
                policy
            })
            .collect())
    }
}

fn unjoined(policy_id: Option<&str>) -> Problem {
    let at = JsonPath::ROOT.key("Targets");
    let message = match policy_id {
        Some(id) => format!("these targets belong to policy `{id}`, but no `describe-policy` output for it was given"),
        None => "cannot tell which policy these targets belong to: name the file after the policy id \
                 (`targets-p-48vl2fl5.json`) or wrap it as {\"PolicyId\": \"p-…\", \"Targets\": […]}"
            .to_string(),
    };
    Problem::new(InputProblem::UnresolvedAttachment, &at, message)
}
