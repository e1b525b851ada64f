//! The parse tree of one text: pest's pairs, as a flat list of nodes in
//! preorder, with the part of pest's `Pair`/`Pairs` interface that lowering
//! and formatting use. It comes from the fast recognizer ([`super::fast`])
//! or, when that does not accept the text, from pest itself, whose error
//! then is the text's. The two agree on every text (both reject it, or both
//! give this tree): [`agree`], held by the tests over every corpus and by
//! the fuzz targets on every input.

use pest::Parser as _;

use super::parser::{DpolParser, Rule};

/// One pair: its rule, its byte range, and the index just past the nodes
/// it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    pub rule: Rule,
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

/// A text's parse tree.
pub struct Tree<'t> {
    text: &'t str,
    nodes: Vec<Node>,
}

/// Parses `text` as a `program`.
pub fn parse(text: &str) -> Result<Tree<'_>, pest::error::Error<Rule>> {
    let nodes = match super::fast::parse(text) {
        Some(nodes) => nodes,
        None => from_pest(DpolParser::parse(Rule::program, text)?),
    };
    Ok(Tree { text, nodes })
}

/// Whether the fast recognizer and pest agree on `text`: both reject it, or
/// both accept it with the same tree (for the tests and the fuzz targets).
pub fn agree(text: &str) -> bool {
    super::fast::parse(text) == DpolParser::parse(Rule::program, text).ok().map(from_pest)
}

fn from_pest(pairs: pest::iterators::Pairs<'_, Rule>) -> Vec<Node> {
    let mut nodes = Vec::new();
    let mut open = Vec::new();
    for token in pairs.tokens() {
        match token {
            pest::Token::Start { rule, pos } => {
                open.push(nodes.len());
                nodes.push(Node {
                    rule,
                    start: pos.pos(),
                    end: pos.pos(),
                    next: 0,
                });
            }
            pest::Token::End { pos, .. } => {
                let next = nodes.len();
                if let Some(node) = open.pop().and_then(|i| nodes.get_mut(i)) {
                    node.end = pos.pos();
                    node.next = next;
                }
            }
        }
    }
    nodes
}

impl<'t> Tree<'t> {
    /// The top-level pairs (for a `program`, the one `program` pair).
    pub fn pairs(&self) -> Pairs<'_> {
        Pairs {
            text: self.text,
            nodes: &self.nodes,
            at: 0,
            end: self.nodes.len(),
        }
    }
}

/// One pair of a [`Tree`].
#[derive(Clone, Copy, Debug)]
pub struct Pair<'a> {
    text: &'a str,
    nodes: &'a [Node],
    at: usize,
}

/// The byte range of a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    start: usize,
    end: usize,
}

impl Span {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }
}

impl<'a> Pair<'a> {
    fn node(&self) -> Node {
        self.nodes.get(self.at).copied().unwrap_or(Node {
            rule: Rule::EOI,
            start: 0,
            end: 0,
            next: self.at + 1,
        })
    }

    pub fn as_rule(&self) -> Rule {
        self.node().rule
    }

    pub fn as_span(&self) -> Span {
        let node = self.node();
        Span {
            start: node.start,
            end: node.end,
        }
    }

    pub fn as_str(&self) -> &'a str {
        let node = self.node();
        self.text.get(node.start..node.end).unwrap_or("")
    }

    /// The pairs this pair holds.
    pub fn into_inner(self) -> Pairs<'a> {
        Pairs {
            text: self.text,
            nodes: self.nodes,
            at: self.at + 1,
            end: self.node().next,
        }
    }
}

/// Sibling pairs, in order.
#[derive(Clone, Debug)]
pub struct Pairs<'a> {
    text: &'a str,
    nodes: &'a [Node],
    at: usize,
    end: usize,
}

impl<'a> Pairs<'a> {
    /// The next pair, left in place.
    pub fn peek(&self) -> Option<Pair<'a>> {
        (self.at < self.end).then_some(Pair {
            text: self.text,
            nodes: self.nodes,
            at: self.at,
        })
    }
}

impl<'a> Iterator for Pairs<'a> {
    type Item = Pair<'a>;

    fn next(&mut self) -> Option<Pair<'a>> {
        let pair = self.peek()?;
        self.at = pair.node().next.max(self.at + 1);
        Some(pair)
    }
}

#[cfg(test)]
mod tests {
    use super::super::corpus::{corpus, respaced};
    use super::*;

    fn check(name: &str, text: &str) {
        assert!(
            agree(text),
            "{name}: the fast recognizer and pest disagree on {text:?}"
        );
    }

    #[test]
    fn the_fast_recognizer_gives_pests_tree() {
        let mut parsed = 0;
        for (i, (name, text)) in corpus().into_iter().enumerate() {
            check(&name, &text);
            check(&name, &respaced(&text, i as u64 + 7));
            parsed += usize::from(super::super::fast::parse(&text).is_some());
        }
        assert!(parsed > 60, "only {parsed} programs parsed");
    }

    #[test]
    fn and_rejects_what_pest_rejects() {
        // Every example and UI case cut short, and with a character dropped,
        // doubled or replaced at many places: most do not parse.
        let mut rejected = 0;
        for (name, text) in corpus().into_iter().filter(|(n, _)| !n.starts_with("gen")) {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            for (k, &(at, c)) in chars.iter().enumerate().step_by(3) {
                let next = at + c.len_utf8();
                let (head, tail) = (&text[..at], &text[next..]);
                let variants = [
                    head.to_string(),
                    format!("{head}{tail}"),
                    format!("{head}{c}{c}{tail}"),
                    format!(
                        "{head}{}{tail}",
                        ["\n", ",", " ", "#", "\"", "*", "{", "é"][k % 8]
                    ),
                ];
                for variant in variants {
                    check(&name, &variant);
                    rejected += usize::from(super::super::fast::parse(&variant).is_none());
                }
            }
        }
        assert!(rejected > 1000, "only {rejected} variants rejected");
    }

    #[test]
    fn every_construct_of_the_runtime() {
        // Unicode (a character, not a byte, for `ANY`; White_Space inside
        // ARNs), CRLF, comments everywhere, the start and end of input.
        for text in [
            "",
            "\r\n\r",
            "# only a comment",
            "user u = arn:aws:iam::1:user/é\u{00a0}x",
            "user u = arn:aws:iam::1:user/é\u{2003}",
            "alert on DeleteTable to arn:aws:sns:é:1:t # ü\r\n",
            "a reads T keys \"é\\\"\"*, ${aws:username}\r\n  attrs \"x y\", z",
            "\u{feff}user u",
            "table T { key id: number\r\n # c\n ; attrs a,\n b }",
        ] {
            check("construct", text);
        }
    }
}
