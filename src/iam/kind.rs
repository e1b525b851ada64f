//! The kinds of document dpol writes, their size limits and how AWS counts
//! toward them, and the names dpol gives documents that the diff readers
//! must give deployed ones too.

use serde::Serialize;

/// The five kinds of document dpol writes.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// An IAM customer managed policy attached to users, roles or groups.
    Identity,
    /// An Organizations service control policy.
    Scp,
    /// An Organizations resource control policy.
    Rcp,
    /// A VPC endpoint policy.
    VpcEndpoint,
    /// A DynamoDB table's resource-based policy.
    Resource,
    /// An EventBridge rule (pattern and targets).
    EventRule,
}

impl DocKind {
    /// Every kind, in declaration order.
    pub const ALL: [DocKind; 6] = [
        DocKind::Identity,
        DocKind::Scp,
        DocKind::Rcp,
        DocKind::VpcEndpoint,
        DocKind::Resource,
        DocKind::EventRule,
    ];

    /// The kind as serde and `manifest.json` spell it, and its folder in a build.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Identity => "identity",
            DocKind::Scp => "scp",
            DocKind::Rcp => "rcp",
            DocKind::VpcEndpoint => "vpc_endpoint",
            DocKind::Resource => "resource",
            DocKind::EventRule => "event_rule",
        }
    }

    /// The kind spelled `name` as [`DocKind::as_str`] spells it.
    pub fn from_name(name: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// The size limit and how AWS counts toward it.
    pub fn limit(self) -> Option<SizeLimit> {
        let (limit, whitespace, rule) = match self {
            DocKind::Identity => (
                6_144,
                false,
                "characters, whitespace not counted (customer managed policy)",
            ),
            DocKind::Scp => (
                10_240,
                true,
                "characters, every character counted (service control policy)",
            ),
            DocKind::Rcp => (
                5_120,
                true,
                "characters, every character counted (resource control policy)",
            ),
            DocKind::VpcEndpoint => (
                20_480,
                true,
                "characters including whitespace (VPC endpoint policy)",
            ),
            DocKind::Resource => (
                20_480,
                true,
                "bytes including whitespace (DynamoDB resource-based policy, 20 KB)",
            ),
            DocKind::EventRule => return None,
        };
        Some(SizeLimit {
            limit,
            whitespace,
            rule,
        })
    }

    /// Policies written compactly, because AWS counts their whitespace.
    pub(crate) fn compact(self) -> bool {
        self.limit().is_some_and(|l| l.whitespace)
    }
}

#[derive(Clone, Copy, Debug, Serialize)]
/// A kind's size limit and how AWS counts towards it.
pub struct SizeLimit {
    /// The limit: characters, or bytes for a table's resource policy (see `rule`).
    pub limit: usize,
    #[serde(skip)]
    /// Whether whitespace counts towards the limit (every kind but IAM identity policies).
    pub whitespace: bool,
    /// How AWS counts, in words, for messages and the manifest.
    pub rule: &'static str,
}

/// The name of a table's resource policy document: `ACCOUNT-REGION-TABLE`
/// (the diff engine names deployed ones the same way, to pair them).
pub fn resource_policy_name(account: &str, region: &str, table: &str) -> String {
    format!("{account}-{region}-{table}")
}

/// The name of the SCP that protects the perimeter roles from IAM changes.
pub const GOVERNANCE_SCP_NAME: &str = "dpol-perimeter-role-governance";
