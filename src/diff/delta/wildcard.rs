//! IAM wildcards (`*` any run, `?` one character) in actions, resources and
//! `…Like` condition values: whether one pattern already covers another item.
//! Matching keeps one backtrack point: O(len(pattern) × len(item)) at worst.

/// Whether everything `item` matches is matched by `pattern` too. `item` may
/// hold wildcards itself: a `*` of `pattern` takes them in, a `?` of `pattern`
/// takes a `?` but never a `*`, and a literal character only itself, so a
/// match proves that every expansion of `item` matches `pattern`.
pub(super) fn covers(pattern: &str, item: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let item: Vec<char> = item.chars().collect();
    let (mut p, mut i) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while i < item.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, i));
                p += 1;
            }
            Some('?') if item[i] != '*' => {
                p += 1;
                i += 1;
            }
            Some(&c) if c != '?' && c == item[i] => {
                p += 1;
                i += 1;
            }
            _ => match star {
                Some((star_p, star_i)) => {
                    p = star_p + 1;
                    i = star_i + 1;
                    star = Some((star_p, star_i + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// The items of a list that hold a wildcard, to test other items against.
pub(super) struct Wildcards<'a>(Vec<&'a str>);

impl<'a> Wildcards<'a> {
    pub(super) fn of(items: &[&'a str]) -> Wildcards<'a> {
        Wildcards(
            items
                .iter()
                .copied()
                .filter(|item| has_wildcard(item))
                .collect(),
        )
    }

    /// Whether a pattern other than `item` itself covers `item`.
    pub(super) fn cover(&self, item: &str) -> bool {
        self.0
            .iter()
            .any(|pattern| *pattern != item && covers(pattern, item))
    }
}

fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::{covers, Wildcards};

    #[test]
    fn literal_items() {
        assert!(covers("dynamodb:*", "dynamodb:getitem"));
        assert!(covers("dynamodb:get*", "dynamodb:getitem"));
        assert!(covers("dynamodb:get?tem", "dynamodb:getitem"));
        assert!(covers("*", "arn:aws:dynamodb:us-east-1:1:table/Orders"));
        assert!(covers(
            "arn:aws:dynamodb:*:*:table/Orders/*",
            "arn:aws:dynamodb:us-east-1:1:table/Orders/index/x"
        ));
        assert!(!covers("dynamodb:get*", "dynamodb:query"));
        assert!(!covers(
            "arn:aws:dynamodb:*:*:table/Orders/*",
            "arn:aws:dynamodb:us-east-1:1:table/Orders"
        ));
        assert!(!covers("a*b*c", "abx"));
    }

    #[test]
    fn pattern_items_need_a_prefix_pattern() {
        assert!(covers("dynamodb:*", "dynamodb:get*"));
        assert!(covers("*", "dynamodb:get*"));
        assert!(!covers("dynamodb:get?tem", "dynamodb:get*tem"));
        assert!(!covers("dynamodb:get*", "dynamodb:*"));
        assert!(covers(
            "arn:aws:iam::*:role/admin-*",
            "arn:aws:iam::*:role/admin-x"
        ));
        assert!(covers("a?c", "a?c"));
        assert!(!covers("a?c", "a*c"));
    }

    #[test]
    fn only_other_wildcards_cover() {
        assert!(Wildcards::of(&["dynamodb:*", "s3:getobject"]).cover("dynamodb:scan"));
        assert!(!Wildcards::of(&["dynamodb:scan"]).cover("dynamodb:scan"));
        assert!(!Wildcards::of(&["dynamodb:get*"]).cover("dynamodb:get*"));
    }
}
