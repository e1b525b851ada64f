//! The editor grammars in `editors/` know every keyword of the language.
//!
//! Reads each `kw_NAME = @{ "literal" ~ !ident_char }` rule of `grammar/dpol.pest`
//! and fails, naming the file and the keyword, when one is missing from
//!
//! * `editors/vscode/syntaxes/dpol.tmLanguage.json`: a whole word in a `match`,
//!   `begin`, `end` or `while` regex (not in a scope name or comment);
//! * `editors/vim/syntax/dpol.vim`: a word of a `syntax keyword` line;
//! * `editors/tree-sitter-dpol/grammar.js`: a quoted string outside comments;
//! * `editors/tree-sitter-dpol/queries/highlights.scm`: a quoted string outside comments.
//!
//! It also holds pest to the accept/reject verdicts of
//! `editors/tree-sitter-dpol/test/agreement.txt`, which the tree-sitter crate's
//! tests hold tree-sitter to: the two grammars agree on comments and line
//! breaks around continuation lines.
//!
//! `DPOL_EDITORS_GRAMMAR=path/to/copy.pest cargo test --test editors` checks the
//! editors against another copy of the grammar (e.g. one with a new keyword).

#![allow(clippy::unwrap_used, clippy::panic)] // test helpers may fail loudly

use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The keyword rules of a pest grammar: `(rule name, literal)`, in file order.
/// A `kw_` rule that is not of the form `kw_x = @{ "x" ~ !ident_char }` is an error,
/// so a change of form cannot silently drop keywords from the check.
fn pest_keywords(pest: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (i, line) in pest.lines().enumerate() {
        let line = line.trim();
        // a rule definition `kw_x =`, not a reference such as `kw_reads | kw_read`
        let ident_len = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(line.len());
        if !line.starts_with("kw_") || !line[ident_len..].trim_start().starts_with('=') {
            continue;
        }
        let bad = || {
            format!(
                "grammar line {}: `{line}` is not `kw_x = @{{ \"x\" ~ !ident_char }}`",
                i + 1
            )
        };
        let (name, body) = line.split_once('=').ok_or_else(bad)?;
        let body = body.trim().strip_prefix("@{").ok_or_else(bad)?;
        let body = body.trim().strip_prefix('"').ok_or_else(bad)?;
        let (literal, rest) = body.split_once('"').ok_or_else(bad)?;
        if !rest.contains("!ident_char") || literal.is_empty() {
            return Err(bad());
        }
        out.push((name.trim().to_string(), literal.to_string()));
    }
    if out.is_empty() {
        return Err("no kw_* rules found in the grammar".to_string());
    }
    Ok(out)
}

/// pest's `ident_char`: a keyword is a whole word only between other characters.
fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

/// `word` occurs in `text` with no identifier character right before or after it.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
    })
}

/// The decoded values of the `"match"`, `"begin"`, `"end"` and `"while"` strings of
/// a `TextMate` grammar in JSON (a small scanner: std has no JSON parser).
fn textmate_regexes(json: &str) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["\"match\"", "\"begin\"", "\"end\"", "\"while\""] {
        for (i, _) in json.match_indices(key) {
            let rest = json[i + key.len()..].trim_start();
            let Some(rest) = rest.strip_prefix(':') else {
                continue;
            };
            let Some(rest) = rest.trim_start().strip_prefix('"') else {
                continue;
            };
            let mut value = String::new();
            let mut chars = rest.chars();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => match chars.next() {
                        Some('n') => value.push('\n'),
                        Some('t') => value.push('\t'),
                        Some(other) => value.push(other),
                        None => break,
                    },
                    c => value.push(c),
                }
            }
            out.push(value);
        }
    }
    out
}

/// The words of the `syntax keyword` lines of a Vim syntax file, options left out.
fn vim_keywords(vim: &str) -> Vec<String> {
    const OPTIONS: &[&str] = &[
        "contained",
        "transparent",
        "skipwhite",
        "skipnl",
        "skipempty",
        "display",
        "fold",
        "conceal",
        "oneline",
        "keepend",
        "extend",
        "excludenl",
    ];
    let mut out = Vec::new();
    for line in vim.lines() {
        let mut words = line.split_whitespace();
        let (Some(cmd), Some(sub)) = (words.next(), words.next()) else {
            continue;
        };
        if !matches!(cmd, "syn" | "synt" | "synta" | "syntax")
            || !"keyword".starts_with(sub)
            || sub.len() < 2
        {
            continue;
        }
        let _group = words.next();
        out.extend(
            words
                .filter(|w| !w.contains('=') && !OPTIONS.contains(w))
                .map(String::from),
        );
    }
    out
}

/// The code of a file without its line comments (`//` in JavaScript, `;` in queries),
/// leaving comment markers inside quoted strings alone.
fn strip_line_comments(text: &str, marker: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut quote: Option<char> = None;
        let mut escaped = false;
        let mut end = line.len();
        for (i, c) in line.char_indices() {
            if let Some(q) = quote {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            } else if c == '"' || c == '\'' || (c == '`' && marker == "//") {
                quote = Some(c);
            } else if line[i..].starts_with(marker) {
                end = i;
                break;
            }
        }
        out.push_str(&line[..end]);
        out.push('\n');
    }
    out
}

fn has_quoted(code: &str, word: &str) -> bool {
    code.contains(&format!("\"{word}\"")) || code.contains(&format!("'{word}'"))
}

/// Every missing keyword, as `file: keyword (rule)` lines.
fn missing_keywords(pest: &str, root: &Path) -> Result<Vec<String>, String> {
    let keywords = pest_keywords(pest)?;
    let tm_path = "editors/vscode/syntaxes/dpol.tmLanguage.json";
    let vim_path = "editors/vim/syntax/dpol.vim";
    let js_path = "editors/tree-sitter-dpol/grammar.js";
    let scm_path = "editors/tree-sitter-dpol/queries/highlights.scm";

    let regexes = textmate_regexes(&read(&root.join(tm_path))?);
    if regexes.is_empty() {
        return Err(format!("{tm_path}: no match/begin/end regexes found"));
    }
    let vim = vim_keywords(&read(&root.join(vim_path))?);
    let js = strip_line_comments(&read(&root.join(js_path))?, "//");
    let scm = strip_line_comments(&read(&root.join(scm_path))?, ";");

    let mut missing = Vec::new();
    for (rule, kw) in &keywords {
        if !regexes.iter().any(|r| has_word(r, kw)) {
            missing.push(format!(
                "{tm_path}: keyword `{kw}` ({rule}) is in no match/begin/end regex"
            ));
        }
        if !vim.iter().any(|w| w == kw) {
            missing.push(format!(
                "{vim_path}: keyword `{kw}` ({rule}) is on no `syntax keyword` line"
            ));
        }
        if !has_quoted(&js, kw) {
            missing.push(format!(
                "{js_path}: keyword `{kw}` ({rule}) is not a string literal"
            ));
        }
        if !has_quoted(&scm, kw) {
            missing.push(format!(
                "{scm_path}: keyword `{kw}` ({rule}) is not highlighted (no \"{kw}\")"
            ));
        }
    }
    Ok(missing)
}

#[test]
fn editors_know_every_keyword() {
    let grammar = std::env::var_os("DPOL_EDITORS_GRAMMAR")
        .map_or_else(|| repo().join("grammar/dpol.pest"), PathBuf::from);
    let pest = read(&grammar).unwrap();
    let count = pest_keywords(&pest).unwrap().len();
    assert!(
        count >= 10,
        "only {count} keywords found in {}",
        grammar.display()
    );
    let missing = missing_keywords(&pest, &repo()).unwrap();
    assert!(
        missing.is_empty(),
        "{} keyword(s) of {} are missing from the editor grammars \
         (add them, see editors/README.md):\n{}",
        missing.len(),
        grammar.display(),
        missing.join("\n")
    );
}

#[test]
fn a_new_keyword_is_reported() {
    // The check itself: a keyword no editor knows must be reported for all four files.
    let mut pest = read(&repo().join("grammar/dpol.pest")).unwrap();
    pest.push_str("\nkw_frobnicate = @{ \"frobnicate\" ~ !ident_char }\n");
    let missing = missing_keywords(&pest, &repo()).unwrap();
    let about_new: Vec<&String> = missing
        .iter()
        .filter(|m| m.contains("`frobnicate`"))
        .collect();
    assert_eq!(about_new.len(), 4, "{missing:#?}");
    for file in [
        "dpol.tmLanguage.json",
        "dpol.vim",
        "grammar.js",
        "highlights.scm",
    ] {
        assert!(
            about_new.iter().any(|m| m.contains(file)),
            "{file} not reported: {missing:#?}"
        );
    }
}

#[test]
fn keyword_matching_respects_word_boundaries() {
    assert!(has_word("(?:reads|read)(?!x)", "read"));
    assert!(!has_word("readers|reads", "read"));
    assert!(!has_word("ou-[a-z0-9]+", "ou"));
    assert!(!has_word("vpce-[0-9a-f]+", "vpc"));
    assert!(!has_quoted(
        &strip_line_comments("// 'reads' in a comment\nx", "//"),
        "reads"
    ));
    assert!(has_quoted(
        &strip_line_comments("choice('reads', 'read') // x", "//"),
        "read"
    ));
    assert!(!has_quoted(
        &strip_line_comments("; \"reads\" in a comment", ";"),
        "reads"
    ));
    assert_eq!(
        vim_keywords(
            "syn keyword dpolVerb contained reads nextgroup=x skipwhite\n\" syn keyword x read"
        ),
        vec!["reads".to_string()]
    );
    assert!(
        pest_keywords("kw_x = @{ \"x\" }").is_err(),
        "a kw_ rule without !ident_char is an error"
    );
    assert!(
        pest_keywords("verb = { kw_a | kw_b }\nkw_a = @{ \"a\" ~ !ident_char }")
            .is_ok_and(|k| k.len() == 1)
    );
}

/// The cases of `editors/tree-sitter-dpol/test/agreement.txt`: (accepted?, why, program).
fn agreement_cases() -> Vec<(bool, String, String)> {
    let path = repo().join("editors/tree-sitter-dpol/test/agreement.txt");
    let text = read(&path).unwrap();
    let mut cases = Vec::new();
    let mut current: Option<(bool, String, String)> = None;
    for line in text.lines() {
        if let Some((accept, why, program)) = current.as_mut() {
            if line == "---" {
                cases.push((*accept, why.clone(), program.clone()));
                current = None;
            } else {
                program.push_str(line);
                program.push('\n');
            }
            continue;
        }
        if let Some(why) = line.strip_prefix("accept: ") {
            current = Some((true, why.to_string(), String::new()));
        } else if let Some(why) = line.strip_prefix("reject: ") {
            current = Some((false, why.to_string(), String::new()));
        }
    }
    assert!(current.is_none(), "the last case has no `---`");
    cases
}

/// pest's verdicts on the programs tree-sitter's tests hold it to (the
/// grammars agree on comments and line breaks around continuation lines).
#[test]
fn pest_agrees_with_the_tree_sitter_agreement_cases() {
    let cases = agreement_cases();
    assert!(cases.len() >= 10, "{}", cases.len());
    for (accept, why, program) in cases {
        let parsed = dpol::format(dpol::source::FileId(0), &program);
        if let Err(d) = &parsed {
            assert_eq!(d.code.as_str(), "E0101", "{why}: {}", d.message);
        }
        assert_eq!(parsed.is_ok(), accept, "pest on `{why}`:\n{program}");
    }
}
