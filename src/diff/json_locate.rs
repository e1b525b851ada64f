//! Where a JSON path (`$.Policies[2].PolicyVersionList[0].Document`, as
//! [`crate::json::JsonPath`] renders it) is in the text it was read
//! from, so that a reader's error can point at the line and column. One pass
//! over the text, no tree; a path that goes on into JSON text held in a
//! string (`$.Policy.Content.Statement[0]`) stops at that string. The first
//! of duplicate keys is the one found.

use std::ops::Range;

/// One step of a path.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The byte range of the value at `path` in `text`, or of the deepest value
/// on the way there; `None` if `text` is not JSON that far or `path` is not
/// a path.
pub(crate) fn locate(text: &str, path: &str) -> Option<Range<usize>> {
    let steps = parse_path(path)?;
    let bytes = text.as_bytes();
    let mut at = skip_space(bytes, 0);
    for step in &steps {
        let inner = match (bytes.get(at)?, step) {
            (b'{', Step::Key(key)) => member(bytes, at, key),
            (b'[', Step::Index(index)) => element(bytes, at, *index),
            // A string holding JSON text, or a step that does not fit: stop here.
            _ => None,
        };
        match inner {
            Some(start) => at = start,
            None => break,
        }
    }
    let end = value_end(bytes, at)?;
    Some(at..end)
}

/// `$.a[2]["b c"]` → [Key(a), Index(2), Key("b c")].
fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut rest = path.strip_prefix('$')?;
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            steps.push(Step::Key(after[..end].to_string()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("[\"") {
            let close = string_end(after.as_bytes(), 0)?;
            let literal = rest.get(1..close + 3)?;
            steps.push(Step::Key(serde_json::from_str(literal).ok()?));
            rest = after.get(close + 1..)?.strip_prefix(']')?;
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            steps.push(Step::Index(after[..end].parse().ok()?));
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(steps)
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

/// The offset just after the closing quote of the string whose body starts
/// at `at` (just after its opening quote), minus one: the index of that
/// quote.
fn string_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(&b) = bytes.get(at) {
        match b {
            b'\\' => at += 2,
            b'"' => return Some(at),
            _ => at += 1,
        }
    }
    None
}

/// The end of the value starting at `at` (after leading whitespace).
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => string_end(bytes, at + 1).map(|quote| quote + 1),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            while let Some(&b) = bytes.get(i) {
                match b {
                    b'"' => i = string_end(bytes, i + 1)?,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => {
            let len = bytes[at..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace())
                .unwrap_or(bytes.len() - at);
            Some(at + len)
        }
    }
}

/// The start of the value of member `key` of the object at `at`.
fn member(bytes: &[u8], at: usize, key: &str) -> Option<usize> {
    let mut i = skip_space(bytes, at + 1);
    loop {
        match bytes.get(i)? {
            b'}' => return None,
            b'"' => {
                let quote = string_end(bytes, i + 1)?;
                let name: String = std::str::from_utf8(&bytes[i..=quote])
                    .ok()
                    .and_then(|literal| serde_json::from_str(literal).ok())?;
                let colon = skip_space(bytes, quote + 1);
                if bytes.get(colon) != Some(&b':') {
                    return None;
                }
                let value = skip_space(bytes, colon + 1);
                if name == key {
                    return Some(value);
                }
                i = skip_space(bytes, value_end(bytes, value)?);
                if bytes.get(i) == Some(&b',') {
                    i = skip_space(bytes, i + 1);
                }
            }
            _ => return None,
        }
    }
}

/// The start of element `index` of the list at `at`.
fn element(bytes: &[u8], at: usize, index: usize) -> Option<usize> {
    let mut i = skip_space(bytes, at + 1);
    for _ in 0..index {
        if bytes.get(i)? == &b']' {
            return None;
        }
        i = skip_space(bytes, value_end(bytes, i)?);
        if bytes.get(i) != Some(&b',') {
            return None;
        }
        i = skip_space(bytes, i + 1);
    }
    (bytes.get(i)? != &b']').then_some(i)
}

#[cfg(test)]
mod tests {
    use super::{locate, parse_path, Step};

    #[test]
    fn paths_parse_back() {
        assert_eq!(
            parse_path(r#"$.a[2]["aws:Source\"Vpc"].b_1"#).unwrap(),
            [
                Step::Key("a".into()),
                Step::Index(2),
                Step::Key("aws:Source\"Vpc".into()),
                Step::Key("b_1".into())
            ]
        );
        assert_eq!(parse_path("$").unwrap(), []);
        assert!(parse_path("a.b").is_none());
    }

    #[test]
    fn values_are_found_where_they_are() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\\\"]\"}, {\"c\": [true, null]}],\n  \"d\": \"{\\\"e\\\": 1}\"\n}";
        let at = |path: &str| locate(text, path).map(|r| &text[r]);
        assert_eq!(at("$.a[2].c[1]"), Some("null"));
        assert_eq!(at("$.a[1].b"), Some("\"x\\\"]\""));
        assert_eq!(at("$.a[0]"), Some("1"));
        // Into the JSON text of a string: the string itself.
        assert_eq!(at("$.d.e"), Some("\"{\\\"e\\\": 1}\""));
        // Past the end of a list: the list.
        assert!(at("$.a[7]").unwrap().starts_with("[1,"));
        assert_eq!(locate("{", "$.a"), None);
    }
}
