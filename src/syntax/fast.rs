//! The fast recognizer: generated from `grammar/dpol.pest` at build time
//! (`grammar/fast_parser.rs` says how), it gives exactly pest's tokens for a
//! text that parses, several times faster, and nothing for one that does not
//! (pest then parses it again for its error). This file holds what the
//! generated rules call: pest's `ParserState` operations without the record
//! of attempts that only pest's error messages need.

use super::parser::Rule;
use super::tree::Node;

/// The tokens of `text` as pest gives them for `program`, or `None` when it
/// does not parse.
pub fn parse(text: &str) -> Option<Vec<Node>> {
    let mut state = State {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        toks: Vec::with_capacity(text.len() / 4),
        atomicity: Atomicity::NonAtomic,
        lookahead: 0,
    };
    r_program(&mut state).then_some(state.toks)
}

/// pest's `Atomicity`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Atomicity {
    Atomic,
    CompoundAtomic,
    NonAtomic,
}

/// pest's `ParserState`, reduced to what a successful parse needs.
struct State<'i> {
    text: &'i str,
    bytes: &'i [u8],
    pos: usize,
    /// pest's queue: one token per pair, in preorder.
    toks: Vec<Node>,
    atomicity: Atomicity,
    /// How many lookaheads are open: no tokens are made inside one.
    lookahead: u32,
}

impl State<'_> {
    /// `ParserState::rule`: a token for the rule when tokens are being made
    /// (outside atomic rules and lookaheads), removed with what it holds
    /// when the rule fails.
    #[inline(always)]
    fn rule(&mut self, rule: Rule, f: impl FnOnce(&mut Self) -> bool) -> bool {
        let tokens = self.lookahead == 0 && self.atomicity != Atomicity::Atomic;
        let index = self.toks.len();
        if tokens {
            self.toks.push(Node {
                rule,
                start: self.pos,
                end: self.pos,
                next: index + 1,
            });
        }
        let ok = f(self);
        if tokens {
            if ok {
                let next = self.toks.len();
                if let Some(tok) = self.toks.get_mut(index) {
                    tok.end = self.pos;
                    tok.next = next;
                }
            } else {
                self.toks.truncate(index);
            }
        }
        ok
    }

    /// `ParserState::atomic`.
    #[inline(always)]
    fn atomic(&mut self, atomicity: Atomicity, f: impl FnOnce(&mut Self) -> bool) -> bool {
        let outer = std::mem::replace(&mut self.atomicity, atomicity);
        let ok = f(self);
        self.atomicity = outer;
        ok
    }

    /// `ParserState::sequence`: on failure, back to where it started.
    #[inline(always)]
    fn sequence(&mut self, f: impl FnOnce(&mut Self) -> bool) -> bool {
        let (pos, len) = (self.pos, self.toks.len());
        let ok = f(self);
        if !ok {
            self.pos = pos;
            self.toks.truncate(len);
        }
        ok
    }

    /// `ParserState::lookahead`: `&e` when `positive`, else `!e`; never moves.
    #[inline(always)]
    fn ahead(&mut self, positive: bool, f: impl FnOnce(&mut Self) -> bool) -> bool {
        let pos = self.pos;
        self.lookahead += 1;
        let ok = f(self);
        self.lookahead -= 1;
        self.pos = pos;
        ok == positive
    }

    /// `ParserState::optional`.
    #[inline(always)]
    fn optional(&mut self, f: impl FnOnce(&mut Self) -> bool) -> bool {
        f(self);
        true
    }

    /// `ParserState::repeat`: `e*` in an atomic rule.
    #[inline(always)]
    fn repeat(&mut self, mut f: impl FnMut(&mut Self) -> bool) -> bool {
        while f(self) {}
        true
    }

    /// `e*` in a non-atomic rule, as pest generates it:
    /// `sequence(optional(e ~ repeat(sequence(skip ~ e))))`.
    #[inline(always)]
    fn repeat_skipping(&mut self, mut f: impl FnMut(&mut Self) -> bool) -> bool {
        if f(self) {
            loop {
                let (pos, len) = (self.pos, self.toks.len());
                skip(self);
                if !f(self) {
                    self.pos = pos;
                    self.toks.truncate(len);
                    break;
                }
            }
        }
        true
    }

    /// `ParserState::match_string`.
    #[inline(always)]
    fn string(&mut self, literal: &str) -> bool {
        let matched = self
            .bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(literal.as_bytes()));
        if matched {
            self.pos += literal.len();
        }
        matched
    }

    /// `ParserState::match_range`: one character in `start..=end`.
    #[inline(always)]
    fn range(&mut self, start: char, end: char) -> bool {
        if end.is_ascii() {
            // A character outside ASCII starts with a byte above every
            // ASCII bound, so one byte decides.
            match self.bytes.get(self.pos) {
                Some(&b) if start as u32 <= b as u32 && b as u32 <= end as u32 => {
                    self.pos += 1;
                    true
                }
                _ => false,
            }
        } else {
            self.char_by(|c| start <= c && c <= end)
        }
    }

    /// `ParserState::match_char_by`.
    #[inline(always)]
    fn char_by(&mut self, f: impl FnOnce(char) -> bool) -> bool {
        match self
            .text
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
        {
            Some(c) if f(c) => {
                self.pos += c.len_utf8();
                true
            }
            _ => false,
        }
    }

    /// `ANY`: one character.
    #[inline(always)]
    fn any(&mut self) -> bool {
        self.char_by(|_| true)
    }

    /// `ParserState::skip_until`: to the first of `strings` (at a character
    /// boundary), or to the end; always succeeds.
    #[allow(dead_code)] // dpol's grammar has no `(!"x" ~ ANY)*` today
    fn skip_until(&mut self, strings: &[&str]) -> bool {
        let found = (self.pos..self.bytes.len()).find(|&at| {
            self.text.is_char_boundary(at)
                && strings.iter().any(|s| {
                    self.bytes
                        .get(at..)
                        .is_some_and(|r| r.starts_with(s.as_bytes()))
                })
        });
        self.pos = found.unwrap_or(self.bytes.len());
        true
    }
}

/// The rules, one function each (and `skip`), generated by build.rs.
#[allow(unused_parens, dead_code)]
mod generated {
    use super::{Atomicity, Rule, State};

    include!(concat!(env!("OUT_DIR"), "/fast_parser.rs"));
}

use generated::{r_program, skip};
