//! The parts of an ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.

/// A borrowed, split ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Arn<'a> {
    pub(crate) service: &'a str,
    pub(crate) region: &'a str,
    pub(crate) account: &'a str,
    pub(crate) resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Splits `text`; `None` when it is not `arn:` and five more fields.
    pub(crate) fn parse(text: &'a str) -> Option<Arn<'a>> {
        let mut parts = text.splitn(6, ':');
        let (
            Some("arn"),
            Some(_partition),
            Some(service),
            Some(region),
            Some(account),
            Some(resource),
        ) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        )
        else {
            return None;
        };
        Some(Arn {
            service,
            region,
            account,
            resource,
        })
    }

    /// The name of an IAM managed policy (`policy/path/NAME`).
    pub(crate) fn iam_policy_name(&self) -> Option<&'a str> {
        if self.service != "iam" {
            return None;
        }
        let path_and_name = self.resource.strip_prefix("policy/")?;
        path_and_name
            .rsplit('/')
            .next()
            .filter(|name| !name.is_empty())
    }

    /// Whether this is an AWS-managed IAM policy (`arn:aws:iam::aws:policy/…`).
    pub(crate) fn is_aws_managed_policy(&self) -> bool {
        self.service == "iam" && self.account == "aws"
    }

    /// The table name of a DynamoDB table ARN (`table/NAME`, or a stream or
    /// index below it).
    pub(crate) fn dynamodb_table_name(&self) -> Option<&'a str> {
        if self.service != "dynamodb" {
            return None;
        }
        let below_table = self.resource.strip_prefix("table/")?;
        below_table
            .split('/')
            .next()
            .filter(|name| !name.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::Arn;

    #[test]
    fn splits_and_names() {
        let policy = Arn::parse("arn:aws:iam::123456789012:policy/team/dpol-orders-write").unwrap();
        assert_eq!(policy.iam_policy_name(), Some("dpol-orders-write"));
        assert!(!policy.is_aws_managed_policy());
        let managed = Arn::parse("arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap();
        assert!(managed.is_aws_managed_policy());
        let table =
            Arn::parse("arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024").unwrap();
        assert_eq!(table.dynamodb_table_name(), Some("Orders"));
        assert_eq!(table.iam_policy_name(), None);
        assert_eq!(Arn::parse("arn:aws:dynamodb:us-east-1"), None);
        assert_eq!(Arn::parse("vpce-1"), None);
        let no_name = Arn::parse("arn:aws:dynamodb:us-east-1:1:table/").unwrap();
        assert_eq!(no_name.dynamodb_table_name(), None);
    }
}
