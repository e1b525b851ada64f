//! What a file name tells when the CLI output does not: some AWS commands
//! leave out the very thing that was asked for (`get-resource-policy` omits
//! the table ARN, `list-targets-for-policy` the policy id,
//! `get-policy-version` the policy ARN). The convention:
//!
//! - an ARN is spelled in the file name from `arn:` to the end of the name
//!   (before `.json`), percent-encoded where a file name cannot hold a
//!   character: `arn:aws:dynamodb:us-east-1:123456789012:table%2FOrders.json`;
//! - an Organizations policy id appears as a word of the file name:
//!   `list-targets-for-policy-p-48vl2fl5.json`.

use std::path::Path;

use super::percent_decode::percent_decode;

/// The file name of `origin` without directories and a `.json` ending,
/// percent-decoded when that is possible.
pub(crate) fn file_stem(origin: &str) -> String {
    let name = Path::new(origin)
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or(origin);
    let stem = name.strip_suffix(".json").unwrap_or(name);
    percent_decode(stem).unwrap_or_else(|| stem.to_string())
}

/// The ARN spelled in the file name of `origin`, if any.
pub(crate) fn arn_in_file_name(origin: &str) -> Option<String> {
    let stem = file_stem(origin);
    stem.find("arn:").map(|start| stem[start..].to_string())
}

/// The Organizations policy ids (`p-` and letters and digits, starting a word)
/// in the file name of `origin`.
pub(crate) fn policy_ids_in_file_name(origin: &str) -> Vec<String> {
    let stem = file_stem(origin);
    let mut ids = Vec::new();
    let mut word_start = true;
    for (at, c) in stem.char_indices() {
        if word_start && stem[at..].starts_with("p-") {
            let id_len = 2 + stem[at + 2..]
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(stem.len() - at - 2);
            if id_len > 2 {
                ids.push(stem[at..at + id_len].to_string());
            }
        }
        word_start = !c.is_ascii_alphanumeric();
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::{arn_in_file_name, file_stem, policy_ids_in_file_name};

    #[test]
    fn reads_arns_and_policy_ids_from_file_names() {
        assert_eq!(file_stem("out/deployed/iam.json"), "iam");
        assert_eq!(
            arn_in_file_name("rbp/arn:aws:dynamodb:us-east-1:123456789012:table%2FOrders.json")
                .as_deref(),
            Some("arn:aws:dynamodb:us-east-1:123456789012:table/Orders")
        );
        assert_eq!(
            arn_in_file_name("rbp-arn%3Aaws%3Adynamodb%3Aus-east-1%3A1%3Atable%2FA.json")
                .as_deref(),
            Some("arn:aws:dynamodb:us-east-1:1:table/A")
        );
        assert_eq!(arn_in_file_name("dynamodb-get-resource-policy.json"), None);
        assert_eq!(
            policy_ids_in_file_name("x/targets-p-48vl2fl5.json"),
            vec!["p-48vl2fl5".to_string()]
        );
        assert_eq!(
            policy_ids_in_file_name("p-FullAWSAccess_p-1"),
            vec!["p-FullAWSAccess".to_string(), "p-1".to_string()]
        );
        assert!(
            policy_ids_in_file_name("organizations-list-targets-for-group-policy.json").is_empty()
        );
        assert!(policy_ids_in_file_name("p-.json").is_empty());
    }
}
