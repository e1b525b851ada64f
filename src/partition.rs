//! AWS partitions: which ARN partition a region belongs to.
//!
//! An ARN's second field is its partition: `aws` for the commercial regions,
//! `aws-cn` for China (`cn-north-1`, `cn-northwest-1`), `aws-us-gov` for
//! GovCloud (`us-gov-west-1`, `us-gov-east-1`). Region prefixes follow the
//! AWS SDKs' partition data (`partitions.json`: `regionRegex` of each
//! partition). An AWS Organization lives in one partition, so one dpol
//! program does too (E0415 otherwise).
//!
//! `kms:ViaService` is `dynamodb.REGION.amazonaws.com` in every partition
//! (KMS Developer Guide, "kms:ViaService"), so no DNS suffix is needed here.

use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Partition {
    #[default]
    Aws,
    China,
    GovCloud,
    Iso,
    IsoB,
    Eusc,
}

impl Partition {
    /// The partition of a (well-formed) region name.
    pub fn of_region(region: &str) -> Partition {
        if region.starts_with("cn-") {
            Partition::China
        } else if region.starts_with("us-gov-") {
            Partition::GovCloud
        } else if region.starts_with("us-isob-") {
            Partition::IsoB
        } else if region.starts_with("us-iso-") {
            Partition::Iso
        } else if region.starts_with("eusc-") {
            Partition::Eusc
        } else {
            Partition::Aws
        }
    }

    /// The partition named in an ARN (`aws-cn`), if it is one.
    pub fn from_arn_field(name: &str) -> Option<Partition> {
        [
            Partition::Aws,
            Partition::China,
            Partition::GovCloud,
            Partition::Iso,
            Partition::IsoB,
            Partition::Eusc,
        ]
        .into_iter()
        .find(|p| p.as_str() == name)
    }

    /// The ARN field: `aws`, `aws-cn`, `aws-us-gov`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::China => "aws-cn",
            Partition::GovCloud => "aws-us-gov",
            Partition::Iso => "aws-iso",
            Partition::IsoB => "aws-iso-b",
            Partition::Eusc => "aws-eusc",
        }
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_map_to_partitions() {
        assert_eq!(Partition::of_region("us-east-1"), Partition::Aws);
        assert_eq!(Partition::of_region("eu-central-2"), Partition::Aws);
        assert_eq!(Partition::of_region("cn-north-1"), Partition::China);
        assert_eq!(Partition::of_region("cn-northwest-1"), Partition::China);
        assert_eq!(Partition::of_region("us-gov-west-1"), Partition::GovCloud);
        assert_eq!(Partition::of_region("us-iso-east-1"), Partition::Iso);
        assert_eq!(Partition::of_region("us-isob-east-1"), Partition::IsoB);
        assert_eq!(Partition::China.as_str(), "aws-cn");
        assert_eq!(
            Partition::from_arn_field("aws-us-gov"),
            Some(Partition::GovCloud)
        );
        assert_eq!(Partition::from_arn_field("aws-moon"), None);
    }
}
