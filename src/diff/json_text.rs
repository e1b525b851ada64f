//! Parsing JSON text strictly: an object with the same key twice is an error
//! at the JSON path of the second (serde_json would keep the last one
//! silently), and a truncated text is told from one that is not JSON.
//! Nesting deeper than serde_json's recursion limit (128) is an error, not a
//! stack overflow.

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::json::JsonPath;
use crate::json::{InputProblem, Problem};

/// Parses `text` (`what` names it in the message: "the file", "the policy
/// text"), found at `at`. A leading byte-order mark is ignored.
pub(crate) fn parse_json(
    text: &str,
    at: &JsonPath,
    kind: InputProblem,
    what: &str,
) -> Result<Value, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let duplicate = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = StrictValue {
        at: *at,
        duplicate: &duplicate,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    parsed.map_err(|error| {
        if let Some(path) = duplicate.borrow_mut().take() {
            let (line, column) = (error.line(), error.column());
            return Problem::at_path(
                InputProblem::DuplicateKey,
                path,
                format!(
                    "{what} has this key twice in one object (line {line}, column {column}): \
                     which one AWS holds cannot be known"
                ),
            );
        }
        let how = if error.is_eof() {
            "is truncated JSON"
        } else {
            "is not JSON"
        };
        Problem::new(kind, at, format!("{what} {how}: {error}"))
    })
}

/// A JSON value at a path, refusing duplicate keys. The path of a duplicate
/// is left in `duplicate` (serde errors carry only text).
struct StrictValue<'p, 'a> {
    at: JsonPath<'a>,
    duplicate: &'p RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_, '_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let at = self.at.index(items.len());
            let seed = StrictValue {
                at,
                duplicate: self.duplicate,
            };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let at = self.at.key(&key);
            if object.contains_key(&key) {
                *self.duplicate.borrow_mut() = Some(at.to_string());
                return Err(A::Error::custom(format!("duplicate key `{key}`")));
            }
            let value = map.next_value_seed(StrictValue {
                at,
                duplicate: self.duplicate,
            })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::parse_json;
    use crate::json::InputProblem;
    use crate::json::JsonPath;

    fn parse(text: &str) -> Result<serde_json::Value, String> {
        parse_json(text, &JsonPath::ROOT, InputProblem::InvalidJson, "the file")
            .map_err(|p| format!("{p:?}"))
    }

    #[test]
    fn same_values_as_serde_json() {
        let text = r#"{"a": [1, -2, 3.5, true, null, "x\u00e9"], "b": {"c": {}}, "d": 18446744073709551615}"#;
        let expected: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(parse(text).unwrap(), expected);
    }

    #[test]
    fn duplicates_deep_nesting_and_trailing_text() {
        let error = parse(r#"{"a": [{"b": 1, "b": 2}]}"#).unwrap_err();
        assert!(
            error.contains("DuplicateKey") && error.contains("$.a[0].b"),
            "{error}"
        );
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&deep).unwrap_err().contains("recursion limit"));
        assert!(parse("{} {}").unwrap_err().contains("not JSON"));
        assert!(parse(r#"{"a": "#).unwrap_err().contains("truncated"));
    }
}
