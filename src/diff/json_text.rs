//! Parsing JSON text, telling a truncated text from one that is not JSON.

use serde_json::Value;

use super::error::{ErrorKind, Problem};
use super::json_path::JsonPath;

/// Parses `text` (`what` names it in the message: "the file", "the policy
/// text"). A leading byte-order mark is ignored.
pub(crate) fn parse_json(
    text: &str,
    at: &JsonPath,
    kind: ErrorKind,
    what: &str,
) -> Result<Value, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|error| {
        let how = if error.is_eof() {
            "is truncated JSON"
        } else {
            "is not JSON"
        };
        Problem::new(kind, at, format!("{what} {how}: {error}"))
    })
}
