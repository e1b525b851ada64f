//! Where a large file may be cut so that its pieces parse on separate
//! threads.
//!
//! A cut is made just after a newline, before a line that starts a statement
//! at column 0. The pieces are then parsed on their own; when every piece
//! parses, the file's statements are the pieces' statements in order, with
//! byte offsets shifted by each piece's start. This holds because nothing in
//! the grammar continues past a newline except
//!
//! - a list after a trailing `,` (the piece before the cut would end in `,`
//!   and fail to parse),
//! - a grant clause on the next line (the piece after the cut would start
//!   with `keys`, `via`, …: reserved words, which no statement starts with),
//! - a `{ … }` block (one piece would hold an unclosed `{` or a stray `}`),
//!
//! and every lookahead at the end of a piece sees the same newline it sees in
//! the whole file. So a wrong cut can only make a piece fail, and when any
//! piece fails the whole file is parsed again in one piece, which also gives
//! the one syntax error pest reports for it. The cut rules below only avoid
//! that wasted work.

/// Files smaller than this are parsed in one piece: a thread costs more.
const MIN_PIECE: usize = 256 * 1024;

/// The words that start a grant's or an expectation's clause on a
/// continuation line.
pub const CLAUSE_WORDS: [&str; 10] = [
    "keys", "attrs", "except", "index", "via", "from", "until", "with", "outside", "at",
];

/// The byte ranges of `text`'s pieces: at most `most`, each at least
/// [`MIN_PIECE`] long except the last, together the whole text.
pub fn pieces(text: &str, most: usize) -> Vec<(usize, usize)> {
    let wanted = (text.len() / MIN_PIECE).clamp(1, most.max(1));
    let mut starts = vec![0];
    for i in 1..wanted {
        let from = text.len() / wanted * i;
        match next_cut(
            text.as_bytes(),
            from.max(starts.last().copied().unwrap_or(0) + 1),
        ) {
            Some(cut) if cut < text.len() => starts.push(cut),
            _ => break,
        }
    }
    let mut ranges: Vec<(usize, usize)> = starts.windows(2).map(|w| (w[0], w[1])).collect();
    ranges.push((starts.last().copied().unwrap_or(0), text.len()));
    ranges
}

/// The byte ranges of `text` cut at every place a cut may fall: most often
/// one statement each (a statement with its continuation lines and block).
pub fn statements(text: &str) -> Vec<(usize, usize)> {
    let mut starts = vec![0];
    while let Some(cut) = next_cut(text.as_bytes(), starts.last().copied().unwrap_or(0) + 1) {
        if cut >= text.len() {
            break;
        }
        starts.push(cut);
    }
    let mut ranges: Vec<(usize, usize)> = starts.windows(2).map(|w| (w[0], w[1])).collect();
    ranges.push((starts.last().copied().unwrap_or(0), text.len()));
    ranges
}

/// The first cut at or after `from`.
fn next_cut(text: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while at < text.len() {
        let newline = at + text.get(at..)?.iter().position(|&b| b == b'\n')?;
        let cut = newline + 1;
        if starts_statement(text, cut) && !continues(text, newline) {
            return Some(cut);
        }
        at = cut;
    }
    None
}

/// The line at `at` starts, in column 0, with a word that is not a clause's.
fn starts_statement(text: &[u8], at: usize) -> bool {
    let rest = text.get(at..).unwrap_or_default();
    let word_len = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))
        .unwrap_or(rest.len());
    let word = rest.get(..word_len).unwrap_or_default();
    rest.first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && !CLAUSE_WORDS.iter().any(|w| w.as_bytes() == word)
}

/// The line ending at `newline` ends (before spaces and `\r`) with a comma
/// or an opening brace: the next line continues it.
fn continues(text: &[u8], newline: usize) -> bool {
    text.get(..newline)
        .unwrap_or_default()
        .iter()
        .rev()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r'))
        .is_some_and(|b| matches!(b, b',' | b'{'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_files_are_one_piece() {
        assert_eq!(pieces("alice reads Orders\n", 4), [(0, 19)]);
    }

    #[test]
    fn cuts_fall_before_statements_only() {
        let mut text = String::new();
        while text.len() < 3 * MIN_PIECE {
            text.push_str(
                "alice reads Orders,\n  Sales\n    keys 1..2\nwith\n  {\n}\nbob writes T\n",
            );
        }
        let ranges = pieces(&text, 3);
        assert_eq!(ranges.len(), 3);
        assert_eq!(ranges.first().map(|r| r.0), Some(0));
        assert_eq!(ranges.last().map(|r| r.1), Some(text.len()));
        for w in ranges.windows(2) {
            assert_eq!(w[0].1, w[1].0);
            let piece = &text[w[1].0..];
            assert!(
                piece.starts_with("alice ") || piece.starts_with("bob "),
                "{:?}",
                &piece[..20]
            );
        }
    }
}
