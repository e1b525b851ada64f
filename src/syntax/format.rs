//! `dpol fmt`: a file's canonical layout, from its parse tree.
//!
//! The layout is decided by the tokens, the comments and the line breaks the
//! language gives a meaning to:
//!
//! - one statement per line (`;` between statements becomes a newline); one
//!   space between words, none before `,` and `:`, none around `..`, one
//!   around `=`;
//! - a line break the author wrote where the language allows one (after a
//!   list's comma, before a grant's or an expectation's clause) is kept, and
//!   a continuation line is aligned: a list's continuation under the list's
//!   first item, a clause under the statement's second word (a grant's verb,
//!   an expectation's principal). Where a line would pass [`WIDTH`]
//!   columns, a break is added at the last place allowed before that column;
//! - a block (`{ … }`) stays on one line, `{ key id: number; attrs A }`, when
//!   it was written on one line and fits in [`WIDTH`]; otherwise it has one
//!   item per line, indented by two spaces, and `}` on a line of its own;
//! - comments stay where they were: a comment at the end of a line stays at
//!   the end of that line (after two spaces), a comment on a line of its own
//!   stays on a line of its own, indented as what follows it;
//! - blank lines between statements are kept, several as one; none at the
//!   start or end of a file or a block, none inside a statement;
//! - lines end in `\n`, with no trailing white space, and the file with one `\n`.
//!
//! The result parses to the same tree (only white space, line breaks and
//! statement separators change), and formatting it again changes nothing:
//! both are tested over every example, UI case and generated program.

use super::tree::Pair;

use super::parser::Rule;
use crate::diag::Diagnostic;
use crate::source::{FileId, Span};

/// The column a line is kept within, where a break is allowed.
pub const WIDTH: usize = 100;

/// The indentation of a block's items.
const BLOCK_INDENT: usize = 2;

/// The rules whose children, after this many keywords, are a
/// comma-separated list that may continue on the next line after a comma.
const LIST_RULES: [(Rule, usize); 10] = [
    (Rule::name_list, 0),
    (Rule::attr_list, 0),
    (Rule::verb_list, 0),
    (Rule::action_list, 0),
    (Rule::expect_actions, 0),
    (Rule::key_values, 0),
    (Rule::kms_keys, 0),
    (Rule::replicas_item, 1),
    (Rule::layers_clause, 2),
    (Rule::ip_clause, 2),
];

/// The clauses that may start a continuation line of a grant or an expectation.
const CLAUSE_RULES: [Rule; 11] = [
    Rule::keys_clause,
    Rule::attrs_clause,
    Rule::except_clause,
    Rule::index_clause,
    Rule::via_clause,
    Rule::ip_clause,
    Rule::from_clause,
    Rule::until_clause,
    Rule::mfa_clause,
    Rule::outside_clause,
    Rule::at_clause,
];

/// `text` in its canonical layout, or the syntax error that stops it (the
/// same error `dpol check` reports). A large file is formatted in pieces on
/// separate threads, cut where the parser cuts it (see [`super::pieces`]):
/// each piece starts with a statement at the start of a line, so the pieces'
/// layouts joined are the file's, but for a blank line at a cut, which is
/// put back. When a piece fails, the whole file is formatted again in one
/// piece, for its one syntax error.
pub fn format(file: FileId, text: &str) -> Result<String, Box<Diagnostic>> {
    let pieces = super::pieces::pieces(text, crate::parallel::threads());
    if pieces.len() < 2 {
        return format_piece(file, text);
    }
    let formatted = crate::parallel::each(&pieces, |&(start, end)| {
        format_piece(file, text.get(start..end).unwrap_or(""))
    });
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, piece) in formatted.into_iter().enumerate() {
        let Ok(piece) = piece else {
            return format_piece(file, text);
        };
        out.push_str(&piece);
        let source = pieces
            .get(i)
            .and_then(|&(s, e)| text.get(s..e))
            .unwrap_or("");
        if i + 1 < pieces.len() && ends_with_blank_line(source) {
            out.push('\n');
        }
    }
    Ok(out)
}

/// Whether `text` ends with an empty line (spaces and tabs aside).
fn ends_with_blank_line(text: &str) -> bool {
    let content = text.trim_end_matches([' ', '\t', '\n', '\r']).len();
    let tail = text.get(content..).unwrap_or("");
    // `\r\n`, `\n` and `\r` each end a line.
    tail.replace("\r\n", "\n").matches(['\n', '\r']).count() >= 2
}

/// [`format`] in one piece.
fn format_piece(file: FileId, text: &str) -> Result<String, Box<Diagnostic>> {
    let tree = super::tree::parse(text)
        .map_err(|e| Box::new(super::names::syntax_error(file, text, &e)))?;
    let program = tree
        .pairs()
        .next()
        .ok_or_else(|| Box::new(internal(file, 0, "empty parse")))?;
    let statements: Vec<Pair<'_>> = program
        .into_inner()
        .filter(|p| p.as_rule() != Rule::EOI)
        .collect();
    let mut f = Formatter {
        text,
        file,
        out: String::with_capacity(text.len() + text.len() / 8),
        line_open: false,
        col: 0,
    };
    f.sequence(&statements, 0, text.len(), 0)
        .map_err(Box::new)?;
    f.close_line();
    Ok(f.out)
}

/// What separates two tokens of a statement.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Comma,
    Colon,
    Equals,
    DotDot,
}

/// Where a line may break before a token: never, or in a list or before a
/// clause, aligned under the token at this index.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Break {
    No,
    At(usize),
}

/// One token of a statement, with what the source had between it and the
/// token before: a line break, and comments (`comments` indexes
/// [`Statement::comments`]).
#[derive(Clone, Copy)]
struct Tok<'t> {
    text: &'t str,
    kind: Kind,
    brk: Break,
    newline: bool,
    comments: (usize, usize),
}

/// A comment, and whether it ends the line of the token before it (else it
/// is on a line of its own).
type Comment<'t> = (&'t str, bool);

/// A statement's tokens (its block aside) and their comments.
struct Statement<'t> {
    toks: Vec<Tok<'t>>,
    comments: Vec<Comment<'t>>,
}

/// What lies between two tokens, besides spaces and tabs.
enum Gap<'t> {
    Newline,
    Comment(&'t str),
    Punct(Kind),
    Semicolon,
}

struct Formatter<'t> {
    text: &'t str,
    file: FileId,
    out: String,
    /// Whether the last line written is not yet ended (a comment may follow).
    line_open: bool,
    /// The column the open line has reached.
    col: usize,
}

impl<'t> Formatter<'t> {
    /// Statements (of a file or a block) between `from` and `to`, each on its
    /// own line at `indent`, with the comments and blank lines around them.
    fn sequence(
        &mut self,
        items: &[Pair<'t>],
        from: usize,
        to: usize,
        indent: usize,
    ) -> Result<(), Diagnostic> {
        let mut at = from;
        let mut started = false;
        for item in items {
            let span = item.as_span();
            self.gap(at, span.start(), indent, &mut started, true)?;
            at = self.statement(*item, indent)?;
            started = true;
        }
        self.gap(at, to, indent, &mut started, false)
    }

    /// The gap between two statements of a sequence (or after its last,
    /// `before_statement` false): the comment that ends the line before,
    /// comments on lines of their own, and one blank line where the source
    /// has one or more, though not before the sequence's first line
    /// (`started`: a line of this sequence has been written) nor after its last.
    fn gap(
        &mut self,
        from: usize,
        to: usize,
        indent: usize,
        started: &mut bool,
        before_statement: bool,
    ) -> Result<(), Diagnostic> {
        let mut events = Vec::new();
        let mut bad = None;
        scan(self.text, from, to, |at, gap| match gap {
            Gap::Punct(_) => bad = bad.or(Some(at)),
            gap => events.push(gap),
        })
        .map_err(|at| internal(self.file, at, "unexpected text between statements"))?;
        if let Some(at) = bad {
            return Err(internal(self.file, at, "punctuation between statements"));
        }
        let mut newlines = 0;
        for event in events {
            match event {
                Gap::Newline => newlines += 1,
                Gap::Semicolon | Gap::Punct(_) => {}
                Gap::Comment(comment) => {
                    if newlines == 0 && self.line_open {
                        self.trailing(comment);
                    } else {
                        self.fresh_line(indent, *started && newlines >= 2);
                        self.out.push_str(comment);
                        self.line_open = true;
                        *started = true;
                    }
                    newlines = 0;
                }
            }
        }
        if before_statement {
            self.close_line();
            if *started && newlines >= 2 {
                self.out.push('\n');
            }
        }
        Ok(())
    }

    /// Ends the open line, and starts one at `indent` (after a blank line).
    fn fresh_line(&mut self, indent: usize, blank: bool) {
        self.close_line();
        if blank {
            self.out.push('\n');
        }
        self.pad(indent);
    }

    fn close_line(&mut self) {
        if self.line_open {
            self.out.push('\n');
            self.line_open = false;
        }
        self.col = 0;
    }

    fn pad(&mut self, indent: usize) {
        self.out.extend(std::iter::repeat_n(' ', indent));
        self.col = indent;
    }

    /// A comment at the end of the open line.
    fn trailing(&mut self, comment: &str) {
        self.out.push_str("  ");
        self.out.push_str(comment);
    }

    fn push(&mut self, text: &str) {
        self.out.push_str(text);
        self.col += width(text);
        self.line_open = true;
    }

    /// One statement at `indent` on a fresh line, with its block; returns
    /// where the statement ends in the source (a pair's own span may take in
    /// the spaces and comments after it).
    fn statement(&mut self, pair: Pair<'t>, indent: usize) -> Result<usize, Diagnostic> {
        let mut leaves = Vec::new();
        let mut block = None;
        let start = pair.as_span().start();
        collect(pair, &mut leaves, &mut block);
        let statement = self.tokens(&leaves)?;
        self.pad(indent);
        self.line(&statement)?;
        match block {
            Some(block) => {
                let end = block.as_span().end();
                self.block(block, indent)?;
                Ok(end)
            }
            None => Ok(leaves.last().map_or(start, |leaf| leaf.end)),
        }
    }

    /// The statement's leaves, with the punctuation, line breaks and
    /// comments the source has between them.
    fn tokens(&self, leaves: &[Leaf<'t>]) -> Result<Statement<'t>, Diagnostic> {
        let mut toks = Vec::with_capacity(leaves.len() * 2);
        let mut comments = Vec::new();
        let mut prev_end = None;
        for leaf in leaves {
            let mut newline = false;
            let first = comments.len();
            if let Some(end) = prev_end {
                let mut wrong = None;
                scan(self.text, end, leaf.start, |at, gap| match gap {
                    Gap::Punct(kind) if !newline && comments.len() == first => toks.push(Tok {
                        text: punct_text(kind),
                        kind,
                        brk: Break::No,
                        newline: false,
                        comments: (0, 0),
                    }),
                    Gap::Newline => newline = true,
                    Gap::Comment(c) => comments.push((c, !newline)),
                    Gap::Punct(_) | Gap::Semicolon => wrong = wrong.or(Some(at)),
                })
                .map_err(|at| internal(self.file, at, "unexpected text inside a statement"))?;
                if let Some(at) = wrong {
                    return Err(internal(self.file, at, "a separator after a line break"));
                }
            }
            if (newline || comments.len() > first) && leaf.brk == Break::No {
                return Err(internal(
                    self.file,
                    leaf.start,
                    "a line break where the grammar allows none",
                ));
            }
            toks.push(Tok {
                text: leaf.text,
                kind: Kind::Word,
                brk: leaf.brk,
                newline,
                comments: (first, comments.len()),
            });
            prev_end = Some(leaf.end);
        }
        // Breaks name their anchor by leaf; make them name it by token.
        let mut index_of_leaf = Vec::with_capacity(leaves.len());
        for (i, tok) in toks.iter().enumerate() {
            if tok.kind == Kind::Word {
                index_of_leaf.push(i);
            }
        }
        for tok in &mut toks {
            if let Break::At(leaf) = tok.brk {
                tok.brk = Break::At(index_of_leaf.get(leaf).copied().unwrap_or(0));
            }
        }
        Ok(Statement { toks, comments })
    }

    /// A statement's tokens from the current column: breaks kept where the
    /// source has them, added where a line would pass [`WIDTH`].
    fn line(&mut self, statement: &Statement<'t>) -> Result<(), Diagnostic> {
        let toks = &statement.toks;
        let mut cols = Vec::with_capacity(toks.len());
        let mut prev = Kind::Word;
        for (i, tok) in toks.iter().enumerate() {
            let space = if i == 0 { "" } else { spacing(prev, tok.kind) };
            if let Break::At(anchor) = tok.brk {
                let indent = cols.get(anchor).copied().unwrap_or(self.col);
                let (first, last) = tok.comments;
                let forced = tok.newline || last > first;
                let overflow =
                    self.col > indent && self.col + space.len() + segment_width(toks, i) > WIDTH;
                if forced || overflow {
                    for &(comment, ends_line) in statement.comments.get(first..last).unwrap_or(&[])
                    {
                        if ends_line {
                            self.trailing(comment);
                        } else {
                            self.fresh_line(indent, false);
                            self.out.push_str(comment);
                            self.line_open = true;
                        }
                    }
                    self.close_line();
                    self.pad(indent);
                    cols.push(self.col);
                    self.push(tok.text);
                    prev = tok.kind;
                    continue;
                }
            }
            self.push(space);
            cols.push(self.col);
            self.push(tok.text);
            prev = tok.kind;
        }
        Ok(())
    }

    /// A block after its statement's tokens: on the line, when it was
    /// written on one and fits; else one item per line.
    fn block(&mut self, block: Pair<'t>, indent: usize) -> Result<(), Diagnostic> {
        let span = block.as_span();
        let items: Vec<Pair<'t>> = block.into_inner().collect();
        let source = self.text.get(span.start()..span.end()).unwrap_or("");
        if !source.contains(['\n', '\r']) {
            let mut flat = String::from(if items.is_empty() { "{" } else { "{ " });
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    flat.push_str("; ");
                }
                let mut leaves = Vec::new();
                let mut inner = None;
                collect(*item, &mut leaves, &mut inner);
                let statement = self.tokens(&leaves)?;
                let mut prev = Kind::Word;
                for (j, tok) in statement.toks.iter().enumerate() {
                    if j > 0 {
                        flat.push_str(spacing(prev, tok.kind));
                    }
                    flat.push_str(tok.text);
                    prev = tok.kind;
                }
            }
            flat.push_str(if items.is_empty() { "}" } else { " }" });
            if self.col + 1 + width(&flat) <= WIDTH {
                self.push(" ");
                self.push(&flat);
                return Ok(());
            }
        }
        self.push(" {");
        // The items lie between `{` and `}`, one byte each.
        let inner = (span.start() + 1, span.end().saturating_sub(1));
        self.sequence(&items, inner.0, inner.1, indent + BLOCK_INDENT)?;
        self.close_line();
        self.pad(indent);
        self.push("}");
        Ok(())
    }
}

/// One leaf of the tree: a token's text and place, and where a line may
/// break before it (aligned under the leaf at the index in `Break::At`).
struct Leaf<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    brk: Break,
}

/// The leaves of `pair` in order, and its block (a block is laid out on its
/// own, after the statement's other tokens).
fn collect<'t>(pair: Pair<'t>, out: &mut Vec<Leaf<'t>>, block: &mut Option<Pair<'t>>) {
    let rule = pair.as_rule();
    if matches!(rule, Rule::table_block | Rule::endpoint_block) {
        *block = Some(pair);
        return;
    }
    let leaf = matches!(rule, Rule::string | Rule::prefix) || pair.into_inner().next().is_none();
    if leaf {
        let span = pair.as_span();
        out.push(Leaf {
            text: pair.as_str(),
            start: span.start(),
            end: span.end(),
            brk: Break::No,
        });
        return;
    }
    if let Some(&(_, keywords)) = LIST_RULES.iter().find(|(r, _)| *r == rule) {
        let mut anchor = None;
        for (i, child) in pair.into_inner().enumerate() {
            let at = out.len();
            collect(child, out, block);
            if i < keywords {
                continue;
            }
            match anchor {
                None => anchor = Some(at),
                Some(first) => set_break(out, at, first),
            }
        }
        return;
    }
    let clauses = matches!(rule, Rule::grant | Rule::expect_decl);
    for child in pair.into_inner() {
        let at = out.len();
        let clause = clauses && CLAUSE_RULES.contains(&child.as_rule());
        collect(child, out, block);
        if clause {
            set_break(out, at, 1);
        }
    }
}

fn set_break(leaves: &mut [Leaf<'_>], at: usize, anchor: usize) {
    if let Some(leaf) = leaves.get_mut(at) {
        leaf.brk = Break::At(anchor);
    }
}

/// Scans `text[from..to]`, which holds no token, calling `each` with the
/// offset and kind of every line break, comment and punctuation mark;
/// `Err` with the offset of anything else.
fn scan<'t>(
    text: &'t str,
    from: usize,
    to: usize,
    mut each: impl FnMut(usize, Gap<'t>),
) -> Result<(), usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < to {
        let b = bytes.get(i).copied().unwrap_or(0);
        match b {
            b' ' | b'\t' => i += 1,
            b'\n' => {
                each(i, Gap::Newline);
                i += 1;
            }
            b'\r' => {
                each(i, Gap::Newline);
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            }
            b'#' => {
                let end = bytes
                    .get(i..to)
                    .and_then(|rest| rest.iter().position(|&c| c == b'\n' || c == b'\r'))
                    .map_or(to, |n| i + n);
                each(i, Gap::Comment(text.get(i..end).unwrap_or("#").trim_end()));
                i = end;
            }
            b',' | b'=' | b':' => {
                let kind = match b {
                    b',' => Kind::Comma,
                    b'=' => Kind::Equals,
                    _ => Kind::Colon,
                };
                each(i, Gap::Punct(kind));
                i += 1;
            }
            b'.' if bytes.get(i + 1) == Some(&b'.') => {
                each(i, Gap::Punct(Kind::DotDot));
                i += 2;
            }
            b';' => {
                each(i, Gap::Semicolon);
                i += 1;
            }
            _ => return Err(i),
        }
    }
    Ok(())
}

fn punct_text(kind: Kind) -> &'static str {
    match kind {
        Kind::Word => "",
        Kind::Comma => ",",
        Kind::Colon => ":",
        Kind::Equals => "=",
        Kind::DotDot => "..",
    }
}

/// The space between a token of kind `prev` and one of kind `next`.
fn spacing(prev: Kind, next: Kind) -> &'static str {
    match (prev, next) {
        (_, Kind::Comma | Kind::Colon | Kind::DotDot) | (Kind::DotDot, _) => "",
        _ => " ",
    }
}

/// The width of the tokens from `toks[at]` up to the next place a line may
/// break (or the end).
fn segment_width(toks: &[Tok<'_>], at: usize) -> usize {
    let mut total = 0;
    let mut prev = Kind::Word;
    for (i, tok) in toks.iter().enumerate().skip(at) {
        if i > at {
            if tok.brk != Break::No {
                break;
            }
            total += spacing(prev, tok.kind).len();
        }
        total += width(tok.text);
        prev = tok.kind;
    }
    total
}

/// Columns a text takes: one per character.
fn width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// E0999: the formatter met a tree or a gap the grammar should not produce.
fn internal(file: FileId, at: usize, what: &str) -> Diagnostic {
    Diagnostic::new(
        crate::diag::Code::Internal,
        Span::new(file, at, at),
        format!("internal error while formatting: {what}"),
    )
    .help("this is a bug in dpol; please report it with the input that caused it")
}

#[cfg(test)]
mod tests {
    use super::super::corpus::{corpus, respaced};
    use super::super::parser::DpolParser;
    use super::*;
    use pest::Parser as _;

    fn fmt(text: &str) -> String {
        match format(FileId(0), text) {
            Ok(out) => out,
            Err(d) => panic!("{}: {text:?}", d.message),
        }
    }

    #[test]
    fn one_statement_per_line_and_canonical_spacing() {
        assert_eq!(
            fmt("table Orders private to vpc-x; breakglass role Emergency; alice reads keys 100 .. 200 attrs Title,Price"),
            "table Orders private to vpc-x\nbreakglass role Emergency\nalice reads keys 100..200 attrs Title, Price\n"
        );
        assert_eq!(
            fmt("account   prod=111122223333\tin  ou1\r\nregion us-east-1"),
            "account prod = 111122223333 in ou1\nregion us-east-1\n"
        );
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("\n\n  \n"), "");
    }

    #[test]
    fn blank_lines_collapse_and_none_at_the_edges() {
        assert_eq!(
            fmt("\n\nregion a\n\n\n\nregion b\nregion c\n\n"),
            "region a\n\nregion b\nregion c\n"
        );
    }

    #[test]
    fn comments_stay_where_they_were() {
        let text = "# head\n\n# about a\nregion a   # trailing   \n  # own line\nregion b; region c # after c\n# tail\n";
        assert_eq!(
            fmt(text),
            "# head\n\n# about a\nregion a  # trailing\n# own line\nregion b\nregion c  # after c\n# tail\n"
        );
    }

    #[test]
    fn blocks_stay_on_one_line_when_written_so_and_fit() {
        assert_eq!(
            fmt("table T in p {key id:number;attrs A,B}"),
            "table T in p { key id: number; attrs A, B }\n"
        );
        assert_eq!(fmt("table T {}"), "table T {}\n");
        assert_eq!(
            fmt("table T {\nkey id: number\n\n\n  attrs A # a\n\n}"),
            "table T {\n  key id: number\n\n  attrs A  # a\n}\n"
        );
        assert_eq!(
            fmt("endpoint e = vpce-1 { # why\n allow T; only org\n # end\n}"),
            "endpoint e = vpce-1 {  # why\n  allow T\n  only org\n  # end\n}\n"
        );
        let long = format!(
            "table T {{ key id: number; attrs {} }}",
            (0..30)
                .map(|i| format!("A{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let out = fmt(&long);
        assert!(
            out.starts_with("table T {\n  key id: number\n  attrs A0, A1,"),
            "{out}"
        );
        assert!(out.lines().all(|l| l.len() <= WIDTH), "{out}");
    }

    #[test]
    fn continuation_lines_align() {
        // A clause under the grant's verb, a list under its first item.
        assert_eq!(
            fmt("Alice reads, updates T keys 100..200\n attrs Title,\n ISBN, Authors\n    from ip 1.2.3.4"),
            "Alice reads, updates T keys 100..200\n      attrs Title,\n            ISBN, Authors\n      from ip 1.2.3.4\n"
        );
        assert_eq!(
            fmt("expect Bob can read T keys 1\nattrs A"),
            "expect Bob can read T keys 1\n       attrs A\n"
        );
        // A comment at the end of a continued line stays there.
        assert_eq!(
            fmt("a reads T # why\n keys 1, # one\n\n # more\n 2"),
            "a reads T  # why\n  keys 1,  # one\n       # more\n       2\n"
        );
    }

    #[test]
    fn long_lines_break_where_allowed() {
        let attrs: Vec<String> = (0..40).map(|i| format!("Attribute{i}")).collect();
        let text = format!(
            "someone reads Table keys 1 attrs {} via gw",
            attrs.join(", ")
        );
        let out = fmt(&text);
        for line in out.lines() {
            assert!(line.len() <= WIDTH, "{line}");
        }
        // The list continues under its first item.
        assert!(
            out.contains(",\n                                 Attribute"),
            "{out}"
        );
        assert_eq!(fmt(&out), out);
        // A word longer than the line is left whole.
        let arn = format!("arn:aws:sns:us-east-1:111122223333:{}", "x".repeat(120));
        let alert = format!("alert on DeleteTable for T to {arn}");
        assert_eq!(fmt(&alert), format!("{alert}\n"));
    }

    #[test]
    fn syntax_errors_are_reported_not_formatted() {
        let err = format(FileId(0), "alice raeds Orders")
            .err()
            .map(|d| d.code);
        assert_eq!(err, Some(crate::diag::Code::SyntaxError));
    }

    /// The tree of `text` without places: each pair's rule, its text when a
    /// leaf, and its number of children, in order.
    fn tree(text: &str) -> Option<Vec<(Rule, Option<String>, usize)>> {
        let pairs = DpolParser::parse(Rule::program, text).ok()?;
        Some(
            pairs
                .flatten()
                .map(|p| {
                    let children = p.clone().into_inner().count();
                    let leaf = children == 0 || matches!(p.as_rule(), Rule::string | Rule::prefix);
                    (p.as_rule(), leaf.then(|| p.as_str().to_string()), children)
                })
                .collect(),
        )
    }

    #[test]
    fn the_tree_is_kept_and_a_second_format_changes_nothing() {
        let mut formatted = 0;
        for (name, text) in corpus() {
            let Some(before) = tree(&text) else { continue };
            let out = fmt(&text);
            assert_eq!(
                tree(&out).as_ref(),
                Some(&before),
                "{name}: the tree changed:\n{out}"
            );
            assert_eq!(fmt(&out), out, "{name}: not idempotent");
            for line in out.lines() {
                assert!(
                    !line.ends_with([' ', '\t']),
                    "{name}: trailing space in {line:?}"
                );
            }
            formatted += 1;
        }
        assert!(formatted > 60, "only {formatted} programs parsed");
    }

    #[test]
    fn the_layout_does_not_depend_on_spaces() {
        for (i, (name, text)) in corpus().into_iter().enumerate() {
            if tree(&text).is_none() {
                continue;
            }
            let canonical = fmt(&text);
            let messy = respaced(&canonical, i as u64 + 1);
            assert_eq!(fmt(&messy), canonical, "{name}: respaced:\n{messy}");
        }
    }

    #[test]
    fn list_rules_name_their_keywords() {
        // The keywords each list rule starts with (LIST_RULES) are keywords.
        let text = "table T { key id: number; replicas a, b }\ntable * private to v enforced by scp, rcp\na reads T from ip 1.2.3.4, 5.6.7.8\n";
        let pairs = DpolParser::parse(Rule::program, text).unwrap();
        let mut seen = 0;
        for pair in pairs.flatten() {
            if let Some(&(_, keywords)) = LIST_RULES.iter().find(|(r, _)| *r == pair.as_rule()) {
                let children: Vec<_> = pair.into_inner().collect();
                for (i, child) in children.iter().enumerate() {
                    let is_kw = format!("{:?}", child.as_rule()).starts_with("kw_");
                    assert_eq!(is_kw, i < keywords, "{:?}", child.as_rule());
                }
                seen += usize::from(keywords > 0);
            }
        }
        assert_eq!(seen, 3);
    }

    #[test]
    fn a_large_file_formats_in_pieces_as_in_one() {
        // Blank lines, comments and one-line statements at every place a cut
        // can fall.
        let mut text = String::from(
            "account prod = 111122223333\nregion us-east-1\ntable T in prod { key id: number }\n",
        );
        for i in 0..40_000 {
            match i % 4 {
                0 => text.push_str(&format!("user u{i} in prod\n\n\n")),
                1 => text.push_str(&format!(
                    "# about u{}\n\nu{} reads T keys {i}  # {i}\n",
                    i - 1,
                    i - 1
                )),
                2 => text.push_str(&format!(
                    "u{} reads T;u{} writes T\n  via gw\n",
                    i - 2,
                    i - 2
                )),
                _ => text.push_str("\n# alone\n\n"),
            }
        }
        assert!(super::super::pieces::pieces(&text, 2).len() > 1);
        let whole = format_piece(FileId(0), &text).map_err(|d| d.message);
        assert!(whole.is_ok());
        assert_eq!(format(FileId(0), &text).map_err(|d| d.message), whole);
    }
}
