//! Checks the committed parser (src/parser.c) and queries without the tree-sitter CLI:
//!
//! * every case of `test/corpus/*.txt` parses to its expected S-expression (the same
//!   file format `tree-sitter test` reads);
//! * the project's examples (`../../examples/*.dpol`) and the editor samples parse
//!   without ERROR or MISSING nodes;
//! * `queries/locals.scm`, `folds.scm` and `indents.scm` compile, and on the examples
//!   every declared name is a definition and every use of it a reference;
//! * tree-sitter accepts and rejects the programs of `test/agreement.txt` as pest
//!   does (the main crate's tests/editors.rs holds pest to the same verdicts);
//! * `queries/highlights.scm` compiles against the language (a query naming a node
//!   or field the grammar lacks fails), gives every token of those files exactly one
//!   highlight, and meets the assertions of `test/highlight/*.dpol`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tree_sitter::{Language, Node, Parser, Point, Query, QueryCursor, StreamingIterator, Tree};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn language() -> Language {
    tree_sitter_dpol::LANGUAGE.into()
}

fn parse(source: &str) -> Tree {
    let mut parser = Parser::new();
    parser
        .set_language(&language())
        .expect("language ABI is supported by this runtime");
    parser.parse(source, None).expect("parse returns a tree")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The files with the given extension in `dir`, sorted; none when `dir` does not exist.
fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

// ------------------------------------------------------------------ corpus

struct Case {
    file: String,
    line: usize,
    name: String,
    input: String,
    expected: String,
    error: bool,
    skip: bool,
}

fn is_rule(line: &str, c: char) -> bool {
    let t = line.trim_end();
    t.len() >= 3 && t.chars().all(|x| x == c)
}

/// Reads tree-sitter's corpus format: a `===` header around the test name (and
/// optional `:skip` / `:error` attribute lines), the input, a `---` line, then the
/// expected S-expression up to the next header.
fn read_corpus(path: &Path) -> Vec<Case> {
    let text = read(path);
    let lines: Vec<&str> = text.lines().collect();
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut cases = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !is_rule(lines[i], '=') {
            assert!(
                lines[i].trim().is_empty(),
                "{file}:{}: expected a `===` header line",
                i + 1
            );
            i += 1;
            continue;
        }
        let line = i + 1;
        i += 1;
        let mut name = Vec::new();
        let (mut error, mut skip) = (false, false);
        while i < lines.len() && !is_rule(lines[i], '=') {
            match lines[i].trim() {
                ":error" => error = true,
                ":skip" => skip = true,
                a if a.starts_with(':') => {}
                n => name.push(n),
            }
            i += 1;
        }
        i += 1; // closing ===
        let start = i;
        while i < lines.len() && !is_rule(lines[i], '-') {
            i += 1;
        }
        assert!(i < lines.len(), "{file}:{line}: test has no `---` divider");
        let mut input = lines[start..i].join("\n");
        // As the CLI does: the blank line before the divider is not part of the input.
        while input.ends_with('\n') {
            input.pop();
        }
        input.push('\n');
        if input.trim().is_empty() {
            input.clear();
        }
        i += 1;
        let start = i;
        while i < lines.len() && !is_rule(lines[i], '=') {
            i += 1;
        }
        let expected = lines[start..i].join("\n");
        cases.push(Case {
            file: file.clone(),
            line,
            name: name.join(" "),
            input,
            expected,
            error,
            skip,
        });
    }
    cases
}

/// One space between tokens, none inside parentheses: `(a (b) c: (d))`.
fn normalize_sexp(s: &str) -> String {
    let mut out = String::new();
    for token in s.split_whitespace() {
        if !out.is_empty() && !out.ends_with('(') && !token.starts_with(')') {
            out.push(' ');
        }
        out.push_str(token);
    }
    out
}

/// `name:` in `(grant name: (name))`.
fn is_field_label(token: &str) -> bool {
    token.ends_with(':') && !token.starts_with('(')
}

/// Drops `field: ` labels, for expected trees written without fields.
fn strip_fields(sexp: &str) -> String {
    let kept: Vec<&str> = sexp.split(' ').filter(|t| !is_field_label(t)).collect();
    kept.join(" ")
}

#[test]
fn corpus() {
    let files = files_in(&root().join("test/corpus"), "txt");
    assert!(!files.is_empty(), "no test/corpus/*.txt files");
    let mut failures = Vec::new();
    let mut passed = 0;
    for path in &files {
        for case in read_corpus(path) {
            if case.skip {
                continue;
            }
            let tree = parse(&case.input);
            let where_ = format!("{}:{} `{}`", case.file, case.line, case.name);
            if case.error {
                if tree.root_node().has_error() {
                    passed += 1;
                } else {
                    failures.push(format!(
                        "{where_}: expected a syntax error, got {}",
                        tree.root_node().to_sexp()
                    ));
                }
                continue;
            }
            let expected = normalize_sexp(&case.expected);
            let mut actual = normalize_sexp(&tree.root_node().to_sexp());
            if !expected.split(' ').any(is_field_label) {
                actual = strip_fields(&actual);
            }
            if actual == expected {
                passed += 1;
            } else {
                failures.push(format!(
                    "{where_}:\n  expected: {expected}\n  actual:   {actual}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(passed > 0, "no corpus case ran");
    println!("corpus: {passed} cases passed");
}

#[test]
fn corpus_reader_sees_fields_and_differences() {
    // The reader itself: a wrong expectation must not pass.
    let tree = parse("alice reads Orders\n");
    let actual = normalize_sexp(&tree.root_node().to_sexp());
    assert_eq!(
        actual,
        "(program (grant principal: (name) (verb_list (verb)) table: (name)))"
    );
    assert_eq!(
        strip_fields(&actual),
        "(program (grant (name) (verb_list (verb)) (name)))"
    );
    assert_ne!(
        strip_fields(&actual),
        normalize_sexp("(program (grant (name) (verb_list (verb))))")
    );
}

// ------------------------------------------------------------------ real files

/// Files that must parse cleanly: the project's examples and the editors' samples.
fn valid_files() -> Vec<PathBuf> {
    let mut files = files_in(&root().join("../../examples"), "dpol");
    files.extend(files_in(&root().join("../vscode/test/snap"), "dpol"));
    files.extend(files_in(&root().join("test/highlight"), "dpol"));
    files
}

fn error_nodes(node: Node, out: &mut Vec<String>) {
    if node.is_error() || node.is_missing() {
        let p = node.start_position();
        let what = if node.is_missing() {
            format!("MISSING {}", node.kind())
        } else {
            "ERROR".to_string()
        };
        out.push(format!("{}:{}: {what}", p.row + 1, p.column + 1));
        return;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if child.has_error() || child.is_missing() {
            error_nodes(child, out);
        }
    }
}

#[test]
fn examples_parse_without_errors() {
    let files = valid_files();
    let examples = files_in(&root().join("../../examples"), "dpol");
    if examples.is_empty() {
        println!("note: no examples/*.dpol found next to editors/");
    }
    let mut failures = Vec::new();
    for path in &files {
        let tree = parse(&read(path));
        let mut errors = Vec::new();
        error_nodes(tree.root_node(), &mut errors);
        for e in errors {
            failures.push(format!("{}:{e}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "syntax errors:\n{}",
        failures.join("\n")
    );
    println!(
        "parsed {} files ({} examples) without errors",
        files.len(),
        examples.len()
    );
}

// ------------------------------------------------------------------ highlights

fn highlights_query() -> Query {
    Query::new(&language(), tree_sitter_dpol::HIGHLIGHTS_QUERY)
        .unwrap_or_else(|e| panic!("queries/highlights.scm does not compile: {e}"))
}

#[test]
fn highlights_query_compiles() {
    let query = highlights_query();
    assert!(query.pattern_count() > 0);
    // And a query naming a node the grammar lacks is rejected, so the check above means something.
    assert!(Query::new(&language(), "(no_such_node) @x").is_err());
    assert!(Query::new(&language(), "\"no_such_keyword\" @x").is_err());
}

/// The capture names that apply to each node, keyed by node id, in pattern order.
fn captures_by_node(
    query: &Query,
    tree: &Tree,
    source: &str,
) -> BTreeMap<usize, Vec<(usize, String)>> {
    let names = query.capture_names();
    let mut cursor = QueryCursor::new();
    let mut by_node: BTreeMap<usize, Vec<(usize, String)>> = BTreeMap::new();
    let mut matches = cursor.matches(query, tree.root_node(), source.as_bytes());
    while let Some(m) = matches.next() {
        for c in m.captures() {
            by_node
                .entry(c.node.id())
                .or_default()
                .push((m.pattern_index, names[c.index as usize].to_string()));
        }
    }
    for v in by_node.values_mut() {
        v.sort();
    }
    by_node
}

fn leaves<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    if node.is_error() {
        return;
    }
    if node.child_count() == 0 {
        out.push(node);
        return;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        leaves(child, out);
    }
}

#[test]
fn every_token_has_exactly_one_highlight() {
    // Helix, Zed and the CLI let the first matching pattern win, Neovim the last one;
    // with one capture per token all of them show the same colours.
    let query = highlights_query();
    let mut failures = Vec::new();
    for path in valid_files() {
        let source = read(&path);
        let tree = parse(&source);
        let by_node = captures_by_node(&query, &tree, &source);
        let mut tokens = Vec::new();
        leaves(tree.root_node(), &mut tokens);
        for node in tokens {
            // a leaf inside a captured named leaf-like node (none in this grammar) is fine too
            let mut names: Vec<String> = by_node
                .get(&node.id())
                .map(|v| v.iter().map(|(_, n)| n.clone()).collect())
                .unwrap_or_default();
            names.dedup();
            let p = node.start_position();
            let text = node.utf8_text(source.as_bytes()).unwrap_or("?");
            match names.len() {
                1 => {}
                0 => failures.push(format!(
                    "{}:{}:{}: `{text}` ({}) has no highlight",
                    path.display(),
                    p.row + 1,
                    p.column + 1,
                    node.kind()
                )),
                _ => failures.push(format!(
                    "{}:{}:{}: `{text}` ({}) has several highlights: {names:?}",
                    path.display(),
                    p.row + 1,
                    p.column + 1,
                    node.kind()
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

struct Assertion {
    row: usize,
    column: usize,
    negative: bool,
    capture: String,
}

/// tree-sitter's highlight-test format: in a comment, `^` (one per column) or `<-`
/// (the comment's first column) then a capture name, `!name` to negate. Each applies
/// to the nearest line above that is not itself an assertion.
fn read_assertions(tree: &Tree, source: &str) -> Vec<Assertion> {
    let lines: Vec<&str> = source.lines().collect();
    let mut comments = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.kind() == "comment" {
            comments.push(node);
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    let mut by_row: BTreeMap<usize, Vec<Assertion>> = BTreeMap::new();
    for c in comments {
        let text = c.utf8_text(source.as_bytes()).unwrap_or("");
        let body = text.trim_start_matches('#');
        let trimmed = body.trim_start();
        let offset = c.start_position().column + (text.len() - trimmed.len());
        let (columns, rest): (Vec<usize>, &str) = if let Some(r) = trimmed.strip_prefix("<-") {
            (vec![c.start_position().column], r)
        } else if trimmed.starts_with('^') {
            let n = trimmed.chars().take_while(|&ch| ch == '^').count();
            ((offset..offset + n).collect(), &trimmed[n..])
        } else {
            continue;
        };
        let Some(word) = rest.split_whitespace().next() else {
            continue;
        };
        let (negative, capture) = match word.strip_prefix('!') {
            Some(w) => (true, w.to_string()),
            None => (false, word.to_string()),
        };
        let row = c.start_position().row;
        for column in columns {
            by_row.entry(row).or_default().push(Assertion {
                row,
                column,
                negative,
                capture: capture.clone(),
            });
        }
    }
    // Retarget each assertion to the nearest row above that holds no assertion.
    let mut out = Vec::new();
    for (row, list) in &by_row {
        let mut target = *row;
        while target > 0 && by_row.contains_key(&target) {
            target -= 1;
        }
        if by_row.contains_key(&target) || lines.get(target).is_none() {
            continue;
        }
        for a in list {
            out.push(Assertion {
                row: target,
                column: a.column,
                negative: a.negative,
                capture: a.capture.clone(),
            });
        }
    }
    out
}

/// The highlight at a position: the capture of the smallest captured node that
/// contains it (the first pattern, for one node).
fn highlight_at(query: &Query, tree: &Tree, source: &str, at: Point) -> Option<String> {
    let by_node = captures_by_node(query, tree, source);
    let mut node = tree.root_node().descendant_for_point_range(at, at)?;
    loop {
        if node.start_position() <= at && at < node.end_position() {
            if let Some(list) = by_node.get(&node.id()) {
                return list.first().map(|(_, n)| n.clone());
            }
        }
        node = node.parent()?;
    }
}

#[test]
fn highlight_assertions() {
    let query = highlights_query();
    let files = files_in(&root().join("test/highlight"), "dpol");
    assert!(!files.is_empty(), "no test/highlight/*.dpol files");
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in files {
        let source = read(&path);
        let tree = parse(&source);
        let assertions = read_assertions(&tree, &source);
        assert!(!assertions.is_empty(), "{}: no assertions", path.display());
        for a in assertions {
            let actual = highlight_at(&query, &tree, &source, Point::new(a.row, a.column));
            let ok = (actual.as_deref() == Some(a.capture.as_str())) != a.negative;
            checked += 1;
            if !ok {
                failures.push(format!(
                    "{}:{}:{}: expected {}{}, got {}",
                    path.display(),
                    a.row + 1,
                    a.column + 1,
                    if a.negative { "not " } else { "" },
                    a.capture,
                    actual.unwrap_or_else(|| "none".into())
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("highlight assertions: {checked} passed");
}

// ------------------------------------------------------------------ generated code

/// 64-bit FNV-1a, enough to notice an edit.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn parser_was_generated_from_this_grammar_js() {
    // CI has no tree-sitter CLI, so it cannot regenerate src/parser.c; regenerate.sh
    // records a hash of the grammar.js it generated from, and this test notices a
    // grammar.js edited without regenerating (line endings do not count).
    let grammar = read(&root().join("grammar.js")).replace("\r\n", "\n");
    let actual = format!("{:016x}", fnv1a64(grammar.as_bytes()));
    let record = root().join("src/grammar.js.fnv1a64");
    if std::env::var_os("DPOL_TS_RECORD_HASH").is_some() {
        fs::write(&record, format!("{actual}\n")).expect("write src/grammar.js.fnv1a64");
        return;
    }
    let recorded = read(&record);
    assert_eq!(
        recorded.trim(),
        actual,
        "grammar.js changed since src/parser.c was generated: run editors/tree-sitter-dpol/regenerate.sh \
         (needs the tree-sitter CLI, see editors/README.md) and commit src/"
    );
}

// ------------------------------------------------------------------ agreement with pest

#[test]
fn tree_sitter_agrees_with_pest_on_the_agreement_cases() {
    let text = read(&root().join("test/agreement.txt"));
    let mut cases = 0;
    let mut current: Option<(bool, String, String)> = None;
    for line in text.lines() {
        if let Some((accept, why, program)) = current.as_mut() {
            if line == "---" {
                let tree = parse(program);
                let accepted = !tree.root_node().has_error();
                assert_eq!(accepted, *accept, "tree-sitter on `{why}`:\n{program}{}", tree.root_node().to_sexp());
                cases += 1;
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
    assert!(cases >= 10, "{cases} cases");
}

// ------------------------------------------------------------------ locals, folds, indents

fn captures(query_file: &str, source: &str) -> Vec<(String, String)> {
    let query = Query::new(&language(), &read(&root().join("queries").join(query_file)))
        .unwrap_or_else(|e| panic!("{query_file} does not compile: {e}"));
    let tree = parse(source);
    let mut cursor = QueryCursor::new();
    let mut out = Vec::new();
    let mut matches = cursor.matches(&query, tree.root_node(), source.as_bytes());
    while let Some(m) = matches.next() {
        for c in m.captures() {
            let name = query.capture_names()[c.index as usize].to_string();
            let text = c.node.utf8_text(source.as_bytes()).unwrap_or("").to_string();
            out.push((name, text));
        }
    }
    out
}

#[test]
fn locals_define_every_declared_name_and_refer_to_its_uses() {
    let source = read(&root().join("../../examples/private-table.dpol"));
    let caps = captures("locals.scm", &source);
    let defined = |n: &str| caps.iter().any(|(c, t)| c.starts_with("local.definition") && t == n);
    let references = |n: &str| caps.iter().filter(|(c, t)| c == "local.reference" && t == n).count();
    for name in ["production", "prod", "prodvpc", "Orders", "Emergency", "Pipeline", "OrdersApp"] {
        assert!(defined(name), "{name} is not a definition");
    }
    // `Orders`: private to, grants, expectations and assertions name it.
    assert!(references("Orders") >= 10, "{}", references("Orders"));
    assert!(references("prodvpc") >= 5, "{}", references("prodvpc"));
    assert!(caps.iter().any(|(c, _)| c == "local.scope"));
}

#[test]
fn folds_and_indents_compile_and_capture_blocks() {
    let source = "table T {\n  key id: number\n}\nu reads T\n  keys 1\n";
    let folds = captures("folds.scm", source);
    assert!(folds.iter().any(|(c, t)| c == "fold" && t.starts_with('{')), "{folds:?}");
    assert!(folds.iter().any(|(c, t)| c == "fold" && t.starts_with("u reads")), "{folds:?}");
    let indents = captures("indents.scm", source);
    assert!(indents.iter().any(|(c, _)| c == "indent.begin"), "{indents:?}");
    assert!(indents.iter().any(|(c, t)| c == "indent.end" && t == "}"), "{indents:?}");
}

/// Neovim 0.9 and 0.10 load parsers of ABI 14 and older only.
#[test]
fn the_parser_is_abi_14() {
    assert_eq!(language().abi_version(), 14);
}
