//! Text to [`ast::File`]. pest is confined to this module.

mod lower;
mod names;
mod parser;

use pest::Parser as _;

use crate::ast;
use crate::diag::Diagnostic;
use crate::source::FileId;

/// Parses one file. pest does not recover, so a file yields at most one error.
pub fn parse(file: FileId, text: &str) -> Result<ast::File, Box<Diagnostic>> {
    let pairs = parser::DpolParser::parse(parser::Rule::program, text)
        .map_err(|e| Box::new(names::syntax_error(file, text, &e)))?;
    lower::lower(file, pairs).map_err(Box::new)
}

/// Every keyword of the language, as written (for `dpol keywords` and tests).
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

    #[test]
    fn keywords_come_from_the_grammar() {
        let keywords = keywords();
        assert!(keywords.contains(&"breakglass"));
        assert!(keywords.contains(&"reads"));
        assert!(keywords.len() > 50);
    }
}
