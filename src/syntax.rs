//! Text to [`ast::File`]. pest is confined to this module.

#[cfg(test)]
mod corpus;
mod fast;
mod format;
mod lower;
mod names;
mod parser;
mod pieces;
mod tree;

pub use format::format;

use crate::ast;
use crate::diag::Diagnostic;
use crate::source::FileId;

/// Parses one file. pest does not recover, so a file yields at most one error.
#[cfg(test)]
pub(crate) fn parse(file: FileId, text: &str) -> Result<ast::File, Box<Diagnostic>> {
    parse_files(&[(file, text)])
        .pop()
        .unwrap_or_else(|| Ok(ast::File { items: Vec::new() }))
}

/// Parses files, in parallel: large files in pieces (see [`pieces`]), small
/// ones whole. The results are in the order of `files`, and are exactly
/// what parsing each file on its own gives.
pub fn parse_files(files: &[(FileId, &str)]) -> Vec<Result<ast::File, Box<Diagnostic>>> {
    let threads = crate::parallel::threads();
    // (index in `files`, piece start, piece end)
    let jobs: Vec<(usize, usize, usize)> = files
        .iter()
        .enumerate()
        .flat_map(|(i, (_, text))| {
            pieces::pieces(text, threads)
                .into_iter()
                .map(move |(start, end)| (i, start, end))
        })
        .collect();
    let mut parsed = crate::parallel::each(&jobs, |&(i, start, end)| {
        let (file, text) = files.get(i).copied().unwrap_or((FileId(0), ""));
        (
            i,
            parse_piece(file, text.get(start..end).unwrap_or(""), start),
        )
    })
    .into_iter()
    .peekable();
    let mut out = Vec::with_capacity(files.len());
    for (i, &(file, text)) in files.iter().enumerate() {
        let mut items = Vec::new();
        let mut failed = None;
        let mut count = 0;
        while let Some((_, piece)) = parsed.next_if(|(j, _)| *j == i) {
            count += 1;
            match piece {
                Ok(f) => items.extend(f.items),
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        out.push(match failed {
            None => Ok(ast::File { items }),
            // One piece: its error is the file's.
            Some(e) if count == 1 => Err(e),
            // A piece failed: the whole file again, for pest's one error
            // (or its statements, when a cut was wrong).
            Some(_) => parse_piece(file, text, 0),
        });
    }
    out
}

/// Parses `text`, and when it does not parse, each of its statements (as
/// [`pieces::statements`] cuts them) on its own, keeping those that parse:
/// a file being edited, with a broken line, still declares what its other
/// lines declare (for the language server's outline).
pub fn parse_tolerant(file: FileId, text: &str) -> ast::File {
    if let Ok(parsed) = parse_piece(file, text, 0) {
        return parsed;
    }
    let mut items = Vec::new();
    for (start, end) in pieces::statements(text) {
        if let Ok(piece) = parse_piece(file, text.get(start..end).unwrap_or(""), start) {
            items.extend(piece.items);
        }
    }
    ast::File { items }
}

/// Parses `text`, which starts at byte `offset` of `file`.
fn parse_piece(file: FileId, text: &str, offset: usize) -> Result<ast::File, Box<Diagnostic>> {
    let tree = tree::parse(text).map_err(|e| Box::new(names::syntax_error(file, text, &e)))?;
    lower::lower(file, offset, tree.pairs()).map_err(Box::new)
}

pub use names::STATEMENT_KEYWORDS;
pub use pieces::CLAUSE_WORDS;
pub use tree::agree as parsers_agree;

/// Every keyword of the language, as written.
pub fn keywords() -> Vec<&'static str> {
    names::keywords()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> usize {
        match parse(FileId(0), text) {
            Ok(file) => file.items.len(),
            Err(d) => panic!("{}", d.message),
        }
    }

    fn error(text: &str) -> String {
        match parse(FileId(0), text) {
            Ok(_) => panic!("parsed"),
            Err(d) => d.message,
        }
    }

    #[test]
    fn statement_and_clause_words_are_keywords() {
        let all = keywords();
        for word in STATEMENT_KEYWORDS.iter().chain(CLAUSE_WORDS.iter()) {
            assert!(all.contains(word), "{word}");
        }
    }

    #[test]
    fn one_liner_parses_as_three_statements() {
        let text = "table Orders private to vpc-x; breakglass role Emergency; alice reads keys 100..200 attrs Title,Price";
        assert_eq!(items(text), 3);
        let file = parse(FileId(0), text).unwrap();
        let ast::Item::Grant(grant) = &file.items[2] else {
            panic!("not a grant")
        };
        assert!(grant.table.is_none());
        assert_eq!(grant.clauses.len(), 2);
    }

    #[test]
    fn lists_continue_after_commas_and_comments_are_skipped() {
        let text = "table T { key id: number # the key\n  attrs A,\n    B # more\n}\n\nalice reads, writes T keys \"a\", \"b#\"* via gw\n";
        assert_eq!(items(text), 2);
    }

    #[test]
    fn a_clause_after_a_blank_line_does_not_attach_to_the_grant() {
        assert_eq!(items("alice reads Orders\n  keys 1..2\n  with mfa\n"), 1);
        assert!(parse(FileId(0), "alice reads Orders\n\n  with mfa\n").is_err());
    }

    #[test]
    fn errors_speak_the_users_language() {
        let message = error("alice raeds Orders");
        assert!(message.contains("a verb such as `reads`"), "{message}");
        assert!(message.contains("found `raeds`"), "{message}");
        let message = error("table Orders {");
        assert!(message.contains("end of input"), "{message}");
        assert!(!message.contains("kw_"), "{message}");
    }

    #[test]
    fn the_keyword_lookahead_rejects_exactly_the_keywords() {
        let words = keywords();
        for word in &words {
            let text = format!("{word} reads Orders");
            assert!(parse(FileId(0), &text).is_err(), "`{word}` used as a name");
            assert_eq!(
                items(&format!("{word}x reads Orders")),
                1,
                "`{word}x` is a name"
            );
            for end in 1..word.len() {
                let prefix = &word[..end];
                if !words.contains(&prefix) {
                    assert_eq!(
                        items(&format!("{prefix} reads Orders")),
                        1,
                        "`{prefix}` is a name"
                    );
                }
            }
        }
    }

    /// A program large enough to be parsed in pieces: every example,
    /// repeated (the statements need not make sense together).
    fn large_program() -> String {
        let examples: String = [
            "access-patterns",
            "endpoint-policies",
            "private-table",
            "product-catalog",
        ]
        .iter()
        .map(|name| {
            std::fs::read_to_string(format!(
                "{}/examples/{name}.dpol",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
        })
        .collect();
        examples.repeat(1 + 1_200_000 / examples.len())
    }

    #[test]
    fn a_file_in_pieces_parses_as_it_does_whole() {
        let text = large_program();
        let pieces = pieces::pieces(&text, 4);
        assert!(pieces.len() > 1, "{pieces:?}");
        // Every cut is a good one (no fallback to parsing the file whole).
        for &(start, end) in &pieces {
            assert!(parse_piece(FileId(3), &text[start..end], start).is_ok());
        }
        let whole = parse_piece(FileId(3), &text, 0).unwrap();
        let parsed = parse_files(&[(FileId(3), &text)]).pop().unwrap().unwrap();
        assert_eq!(format!("{:?}", parsed.items), format!("{:?}", whole.items));
    }

    #[test]
    fn a_syntax_error_in_a_later_piece_is_the_one_pest_reports_for_the_file() {
        let mut text = large_program();
        text.push_str("alice raeds Orders\nbob reads Orders\n");
        let whole = *parse_piece(FileId(0), &text, 0).unwrap_err();
        let parsed = *parse(FileId(0), &text).unwrap_err();
        assert_eq!(parsed.message, whole.message);
        assert_eq!(
            format!("{:?}", parsed.labels),
            format!("{:?}", whole.labels)
        );
        assert!(parsed.message.contains("raeds"), "{}", parsed.message);
    }

    #[test]
    fn keywords_come_from_the_grammar() {
        let keywords = keywords();
        assert!(keywords.contains(&"breakglass"));
        assert!(keywords.contains(&"reads"));
        assert!(keywords.len() > 50);
    }
}
