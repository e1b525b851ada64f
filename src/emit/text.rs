//! How documents are written and measured. Identity policies are
//! pretty-printed (IAM does not count their whitespace); the other kinds are
//! compact, because AWS counts every character. A policy's text is assembled
//! from its statements' texts, each serialized once: the same bytes
//! `serde_json` writes for the whole `{"Version", "Statement"}` object (a
//! unit test compares them).

use serde::Serialize;

use crate::iam::DocKind;
use crate::iam::{Policy, Statement, VERSION};

/// IAM's count: every character but whitespace outside strings (dpol's text
/// has none inside strings that matter; counting them is the safe side).
pub fn measure(kind: DocKind, text: &str) -> usize {
    match kind.limit() {
        // ASCII text (the usual case): bytes are characters, and the ASCII
        // characters `char::is_whitespace` accepts are \t \n \v \f \r and space.
        Some(l) if !l.whitespace && text.is_ascii() => {
            text.len()
                - text
                    .bytes()
                    .filter(|b| matches!(b, b'\t'..=b'\r' | b' '))
                    .count()
        }
        Some(l) if !l.whitespace => text.chars().filter(|c| !c.is_whitespace()).count(),
        _ => text.len(),
    }
}

/// `value` in the kind's style, with a final newline.
pub fn render(kind: DocKind, value: &impl Serialize) -> String {
    let mut text = if kind.compact() {
        serde_json::to_string(value)
    } else {
        serde_json::to_string_pretty(value)
    }
    .unwrap_or_default();
    text.push('\n');
    text
}

/// Indentation of a statement inside a pretty policy: `Statement`'s items
/// are two levels deep.
const ITEM_INDENT: &str = "    ";

/// One statement's text as it appears inside a policy of `kind`. JSON
/// strings cannot hold a raw newline, so every newline of the pretty text is
/// structure, and indenting after each one nests the statement.
pub fn statement(kind: DocKind, statement: &Statement) -> String {
    if kind.compact() {
        serde_json::to_string(statement).unwrap_or_default()
    } else {
        serde_json::to_string_pretty(statement)
            .unwrap_or_default()
            .replace('\n', &format!("\n{ITEM_INDENT}"))
    }
}

/// The policy holding the statements whose texts (from [`statement`]) are
/// `statements`, exactly as [`render`] writes `{"Version": …, "Statement":
/// […]}`.
pub fn policy(kind: DocKind, statements: &[String]) -> String {
    if statements.is_empty() {
        return render(
            kind,
            &Policy {
                version: VERSION,
                statement: Vec::new(),
            },
        );
    }
    let (head, separator, tail) = if kind.compact() {
        (
            format!("{{\"Version\":\"{VERSION}\",\"Statement\":["),
            ",".to_string(),
            "]}\n",
        )
    } else {
        (
            format!("{{\n  \"Version\": \"{VERSION}\",\n  \"Statement\": [\n{ITEM_INDENT}"),
            format!(",\n{ITEM_INDENT}"),
            "\n  ]\n}\n",
        )
    };
    let body: usize = statements.iter().map(|s| s.len() + separator.len()).sum();
    let mut text = String::with_capacity(head.len() + body + tail.len());
    text.push_str(&head);
    for (i, s) in statements.iter().enumerate() {
        if i > 0 {
            text.push_str(&separator);
        }
        text.push_str(s);
    }
    text.push_str(tail);
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{add_condition, Conditions, Effect};

    fn statements() -> Vec<Statement> {
        let mut condition = Conditions::new();
        add_condition(
            &mut condition,
            "ForAllValues:StringEquals",
            "dynamodb:Attributes",
            vec!["Id".into(), "Title".into()],
        );
        let s = Statement::new(
            "ReadsOrders".into(),
            Effect::Allow,
            vec!["dynamodb:GetItem".into(), "dynamodb:Query".into()],
            vec!["arn:aws:dynamodb:us-east-1:111122223333:table/Orders".into()],
        )
        .when(condition);
        let t = Statement::new(
            "Describe".into(),
            Effect::Deny,
            vec!["dynamodb:DescribeTable".into()],
            vec!["*".into()],
        )
        .for_everyone();
        vec![s, t]
    }

    /// Assembling statement texts gives the bytes serializing the whole
    /// policy gives, in both styles, for one and for several statements.
    #[test]
    fn assembled_policies_equal_serialized_ones() {
        for kind in [DocKind::Identity, DocKind::Scp, DocKind::Resource] {
            for n in 0..=2 {
                let list: Vec<Statement> = statements().into_iter().take(n).collect();
                let texts: Vec<String> = list.iter().map(|s| statement(kind, s)).collect();
                let whole = render(
                    kind,
                    &Policy {
                        version: VERSION,
                        statement: list,
                    },
                );
                assert_eq!(policy(kind, &texts), whole, "{kind:?} with {n} statements");
            }
        }
    }
}
