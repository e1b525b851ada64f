//! Which DynamoDB table an ARN is, or is under: the one reading of
//! `arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME[/…]` that `why`, `emit`
//! and `diff` share.

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
    use super::table_of;

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
