//! JSON paths such as `$.Policies[2].PolicyVersionList[0].Document`, for
//! error messages. A path is a chain of borrowed steps on the stack, so
//! walking a document costs nothing until an error renders it.
//!
//! A path through a field that holds JSON text (an SCP's `Policy.Content`)
//! goes on into the parsed text: `$.Policy.Content.Statement[0].NotPrincipal`.

use std::fmt;

/// A position in a JSON value: the root, or a parent and one step.
#[derive(Clone, Copy, Debug)]
pub(crate) struct JsonPath<'a> {
    parent: Option<&'a JsonPath<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl JsonPath<'static> {
    /// `$`, the whole value.
    pub(crate) const ROOT: JsonPath<'static> = JsonPath {
        parent: None,
        step: Step::Root,
    };
}

impl<'a> JsonPath<'a> {
    /// The member `key` of the object at this path.
    pub(crate) fn key<'b>(&'b self, key: &'b str) -> JsonPath<'b> {
        JsonPath {
            parent: Some(self),
            step: Step::Key(key),
        }
    }

    /// The element `index` of the list at this path.
    pub(crate) fn index<'b>(&'b self, index: usize) -> JsonPath<'b> {
        JsonPath {
            parent: Some(self),
            step: Step::Index(index),
        }
    }
}

impl fmt::Display for JsonPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.step {
            Step::Root => f.write_str("$"),
            Step::Index(index) => write!(f, "[{index}]"),
            Step::Key(key) if is_plain(key) => write!(f, ".{key}"),
            Step::Key(key) => write!(f, "[{}]", serde_json::Value::from(key)),
        }
    }
}

/// Whether `key` can follow a dot unquoted.
fn is_plain(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::JsonPath;

    #[test]
    fn renders_keys_indexes_and_quoted_keys() {
        let policies = JsonPath::ROOT.key("Policies");
        let second = policies.index(2);
        let versions = second.key("PolicyVersionList");
        let first = versions.index(0);
        assert_eq!(
            first.key("Document").to_string(),
            "$.Policies[2].PolicyVersionList[0].Document"
        );
        let op = JsonPath::ROOT.key("StringEquals");
        assert_eq!(
            op.key("aws:Source\"Vpc").to_string(),
            r#"$.StringEquals["aws:Source\"Vpc"]"#
        );
        assert_eq!(JsonPath::ROOT.to_string(), "$");
    }
}
