//! Wildcard patterns (`*` any run of characters, none included; `?` exactly
//! one) and policy variables (`${aws:username}`), as the `Action`,
//! `Resource` and `Principal` elements and the `…Like` and `Arn…` condition
//! operators use them.
//!
//! Sources (IAM User Guide): "IAM JSON policy elements: Action" (names are
//! case-insensitive, wildcards anywhere); "…: Resource" and "Amazon Resource
//! Names" (ARNs compared segment by segment; wildcards do not span the `:`
//! between the first five segments, and match across `/` and `:` in the
//! resource segment); "IAM policy elements: Variables and tags" (`${key}`,
//! `${key, 'default'}`, the literal `${*}`, `${?}`, `${$}`; a variable whose
//! key is absent or multivalued is not replaced and the value then matches
//! nothing; variables only in policies of version 2012-10-17).

use super::request::Context;

/// One element of a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `*`: any run of characters.
    Any,
    /// `?`: exactly one character.
    One,
}

/// A pattern with its variables replaced, or `None` when one could not be
/// (its key absent or multivalued: the value matches nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pattern(Vec<Token>);

/// How the text of a policy value is read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reading<'c> {
    /// `*` and `?` are wildcards (else every character is literal).
    pub(crate) wildcards: bool,
    /// `${…}` is a variable, replaced from this context (policy version
    /// 2012-10-17); `None` reads it literally.
    pub(crate) variables: Option<&'c Context>,
}

impl Pattern {
    /// The pattern `text` reads as; `None` when a variable cannot be
    /// replaced.
    pub(crate) fn read(text: &str, how: Reading<'_>) -> Option<Pattern> {
        let mut tokens = Vec::with_capacity(text.len());
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if let (Some(context), true) = (how.variables, rest.starts_with("${")) {
                if let Some(end) = rest.find('}') {
                    let inner = &rest[2..end];
                    tokens.extend(variable(inner, context)?.chars().map(Token::Char));
                    rest = &rest[end + 1..];
                    continue;
                }
            }
            tokens.push(match c {
                '*' if how.wildcards => Token::Any,
                '?' if how.wildcards => Token::One,
                c => Token::Char(c),
            });
            rest = &rest[c.len_utf8()..];
        }
        Some(Pattern(tokens))
    }

    /// Whether `text` matches, comparing characters with or without case.
    /// Greedy with one backtrack point: time linear in the product of the
    /// lengths at worst, no recursion.
    pub(crate) fn matches(&self, text: &str, ignore_case: bool) -> bool {
        let same = |a: char, b: char| {
            if ignore_case {
                a.to_lowercase().eq(b.to_lowercase())
            } else {
                a == b
            }
        };
        let text: Vec<char> = text.chars().collect();
        let p = &self.0;
        let (mut i, mut j) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while j < text.len() {
            match p.get(i) {
                Some(Token::Any) => {
                    star = Some((i, j));
                    i += 1;
                }
                Some(Token::One) => {
                    i += 1;
                    j += 1;
                }
                Some(Token::Char(c)) if same(*c, text[j]) => {
                    i += 1;
                    j += 1;
                }
                _ => match star {
                    Some((si, sj)) => {
                        i = si + 1;
                        j = sj + 1;
                        star = Some((si, sj + 1));
                    }
                    None => return false,
                },
            }
        }
        p[i..].iter().all(|t| *t == Token::Any)
    }
}

/// The value of the variable `${inner}`: a literal `*`, `?` or `$`, or the
/// single value of a context key, or the default after the comma.
fn variable(inner: &str, context: &Context) -> Option<String> {
    match inner.trim() {
        "*" => return Some("*".into()),
        "?" => return Some("?".into()),
        "$" => return Some("$".into()),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let quoted = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''));
            (key.trim(), quoted)
        }
        None => (inner.trim(), None),
    };
    match context.get(key) {
        Some(value) if !value.multi && value.values.len() == 1 => value.values.first().cloned(),
        Some(_) => None,
        None => default.map(str::to_string),
    }
}

/// Whether the ARN `text` matches the ARN pattern `pattern` segment by
/// segment: `arn`, partition, service, region and account each as a
/// pattern of its own, the resource (everything after the fifth `:`) as
/// one. The pattern `*` alone matches anything, ARN or not; a pattern and
/// a text that are both not ARNs are compared as a whole; an ARN and a
/// non-ARN never match (the safer reading: a wildcard never makes up for
/// a missing segment).
pub(crate) fn arn_matches(pattern: &str, text: &str, how: Reading<'_>) -> bool {
    if pattern == "*" && how.wildcards {
        return true;
    }
    match (pattern_segments(pattern), segments(text)) {
        (Some(p), Some(t)) => p
            .iter()
            .zip(t.iter())
            .all(|(p, t)| Pattern::read(p, how).is_some_and(|p| p.matches(t, false))),
        (None, None) => Pattern::read(pattern, how).is_some_and(|p| p.matches(text, false)),
        _ => false,
    }
}

/// The six segments of an ARN: `arn`, partition, service, region, account,
/// resource; `None` when `text` has fewer than five `:`.
fn segments(text: &str) -> Option<[&str; 6]> {
    let mut parts = text.splitn(6, ':');
    let mut out = [""; 6];
    for slot in &mut out {
        *slot = parts.next()?;
    }
    Some(out)
}

/// [`segments`] of a pattern, where a `:` inside a variable
/// (`${aws:username}`) does not separate segments.
fn pattern_segments(pattern: &str) -> Option<[&str; 6]> {
    let mut out = [""; 6];
    let mut start = 0;
    let mut slot = 0;
    let mut depth = false;
    for (i, c) in pattern.char_indices() {
        match c {
            '$' if pattern[i..].starts_with("${") => depth = true,
            '}' => depth = false,
            ':' if !depth && slot < 5 => {
                out[slot] = &pattern[start..i];
                slot += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    if slot < 5 {
        return None;
    }
    out[5] = &pattern[start..];
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Pattern {
        Pattern::read(
            text,
            Reading {
                wildcards: true,
                variables: None,
            },
        )
        .unwrap()
    }

    #[test]
    fn wildcards_match_runs_and_single_characters() {
        assert!(plain("dynamodb:Get*").matches("dynamodb:GetItem", false));
        assert!(plain("dynamodb:*Item").matches("dynamodb:BatchGetItem", false));
        assert!(plain("a*b*c").matches("abc", false));
        assert!(plain("a*b*c").matches("aXbYbZc", false));
        assert!(!plain("a*b*c").matches("aXbYbZ", false));
        assert!(plain("Get?tem").matches("GetItem", false));
        assert!(!plain("Get?tem").matches("Getitem2", false));
        assert!(plain("DYNAMODB:getitem").matches("dynamodb:GetItem", true));
        assert!(!plain("DYNAMODB:getitem").matches("dynamodb:GetItem", false));
        assert!(plain("*").matches("", false));
        assert!(!plain("?").matches("", false));
    }

    #[test]
    fn arns_compare_segment_by_segment() {
        let how = Reading {
            wildcards: true,
            variables: None,
        };
        let table = "arn:aws:dynamodb:us-east-1:111122223333:table/Orders";
        assert!(arn_matches("arn:aws:dynamodb:*:*:table/Orders", table, how));
        assert!(arn_matches("arn:aws:dynamodb:*:*:table/*", table, how));
        assert!(arn_matches(
            "arn:aws:dynamodb:*:*:table/*",
            "arn:aws:dynamodb:us-east-1:111122223333:table/Orders/index/ByDate",
            how
        ));
        // A wildcard does not span the `:` between the region and the account.
        assert!(!arn_matches(
            "arn:aws:dynamodb:us-*:table/Orders",
            table,
            how
        ));
        assert!(!arn_matches("arn:aws:dynamodb:*:*:table/Order", table, how));
        assert!(arn_matches("*", "not an arn", how));
        let mut context = Context::default();
        context.insert("aws:username", vec!["alice".into()], false);
        let with = Reading {
            wildcards: true,
            variables: Some(&context),
        };
        assert!(arn_matches(
            "arn:aws:dynamodb:*:*:table/${aws:username}-*",
            "arn:aws:dynamodb:us-east-1:111122223333:table/alice-notes",
            with
        ));
    }

    #[test]
    fn variables_are_replaced_from_single_values_only() {
        let mut context = Context::default();
        context.insert("aws:username", vec!["alice".into()], false);
        context.insert("aws:TagKeys", vec!["a".into()], true);
        let how = Reading {
            wildcards: true,
            variables: Some(&context),
        };
        assert!(Pattern::read("home/${aws:username}/*", how)
            .unwrap()
            .matches("home/alice/x", false));
        assert_eq!(Pattern::read("${aws:TagKeys}", how), None);
        assert_eq!(Pattern::read("${aws:userid}", how), None);
        assert!(Pattern::read("${aws:userid, 'nobody'}", how)
            .unwrap()
            .matches("nobody", false));
        // `${*}` is a literal star.
        let star = Pattern::read("a${*}", how).unwrap();
        assert!(star.matches("a*", false));
        assert!(!star.matches("ab", false));
    }
}
