//! Which DynamoDB table an ARN is, or is under: the one reading of
//! `arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME[/…]` that `why`, `emit`
//! and `diff` share; and the account any ARN is in.

/// The account field of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:…`);
/// empty for `*`, a global resource without one, or text that is no ARN.
pub fn account_of(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or_default()
}

/// The table's ARN (`arn:…:table/NAME`, partition, region and account kept)
/// and what follows the name (`index/I`, `stream/S`; empty for the table),
/// for a DynamoDB table or anything below it.
pub fn table_of(resource: &str) -> Option<(String, &str)> {
    let (head, path) = resource.split_once(":table/")?;
    if head.split(':').nth(2) != Some("dynamodb") {
        return None;
    }
    let (name, rest) = path.split_once('/').unwrap_or((path, ""));
    (!name.is_empty()).then(|| (format!("{head}:table/{name}"), rest))
}

#[cfg(test)]
mod tests {
    use super::{account_of, table_of};

    #[test]
    fn the_account_of_an_arn() {
        assert_eq!(
            account_of("arn:aws:iam::111122223333:role/R"),
            "111122223333"
        );
        assert_eq!(account_of("arn:aws:s3:::bucket"), "");
        assert_eq!(account_of("*"), "");
    }

    #[test]
    fn tables_and_what_is_under_them() {
        let t = "arn:aws-cn:dynamodb:cn-north-1:111122223333:table/Books";
        assert_eq!(table_of(t), Some((t.to_string(), "")));
        assert_eq!(
            table_of(&format!("{t}/index/ByAuthor")),
            Some((t.to_string(), "index/ByAuthor"))
        );
        assert_eq!(table_of("*"), None);
        assert_eq!(
            table_of("arn:aws:dynamodb:us-east-1:111122223333:table/"),
            None
        );
        assert_eq!(table_of("arn:aws:s3:::bucket:table/x"), None);
    }
}
