//! Structured fixes: every "did you mean" carries an edit, in
//! `--error-format json` (`fixes`) and SARIF (`fixes`), and applying the
//! edits gives a program that checks clean.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use std::process::Command;

use serde_json::Value;

const PROGRAM: &str = "account prod = 111122223333
region us-east-1
table Books in prod { key Id: number; attrs Title, Price }
user alice in prod
alice reads Boks
alice reads Books attrs Titel
alice can GetItm on Books
alise reads Books
alice scans Boks
alise writes Books
";

fn check(text: &str, format: &str) -> (Option<i32>, Value) {
    let dir = tempfile::Builder::new()
        .prefix("dpol-fixes-")
        .tempdir()
        .unwrap();
    let file = dir.path().join("fix.dpol");
    std::fs::write(&file, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(["check", "--error-format", format])
        .arg(&file)
        .output()
        .unwrap();
    (o.status.code(), serde_json::from_slice(&o.stdout).unwrap())
}

#[test]
fn applying_the_json_fixes_gives_a_clean_program() {
    let (code, report) = check(PROGRAM, "json");
    assert_eq!(code, Some(1));
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    // `Boks` and `alise` are used twice each: one diagnostic, a fix per use.
    assert_eq!(diagnostics.len(), 4, "{report}");
    for d in diagnostics {
        let fixes = d["fixes"].as_array().unwrap();
        let uses = d["labels"].as_array().unwrap().len();
        assert_eq!(fixes.len(), uses, "one fix per use: {d}");
        for f in fixes {
            edits.push((
                f["start_offset"].as_u64().unwrap() as usize,
                f["end_offset"].as_u64().unwrap() as usize,
                f["replacement"].as_str().unwrap().to_string(),
            ));
        }
    }
    assert_eq!(edits.len(), 6);
    edits.sort();
    let mut fixed = PROGRAM.to_string();
    for (start, end, replacement) in edits.iter().rev() {
        fixed.replace_range(*start..*end, replacement);
    }
    assert!(fixed.contains("alice can GetItem on Books"), "{fixed}");
    let (code, report) = check(&fixed, "json");
    assert_eq!(code, Some(0), "{report}");
}

#[test]
fn sarif_carries_the_same_fixes() {
    let (_, log) = check(PROGRAM, "sarif");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let first = &results[0]["fixes"][0];
    assert_eq!(first["description"]["text"], "replace with `Books`");
    let change = &first["artifactChanges"][0];
    assert_eq!(
        change["replacements"][0]["insertedContent"]["text"],
        "Books"
    );
    assert_eq!(
        change["replacements"][0]["deletedRegion"],
        serde_json::json!({"startLine": 5, "startColumn": 13, "endLine": 5, "endColumn": 17})
    );
    // A fix per use: the first result's second use is line 9.
    let fixes: Vec<usize> = results
        .iter()
        .map(|r| r["fixes"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(fixes, [2, 1, 1, 2], "{results:?}");
    assert_eq!(
        results[0]["fixes"][1]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
            ["startLine"],
        9
    );
}

/// Misspelt verbs and key types are syntax errors (one per file, the first),
/// each with a did-you-mean and its edit; a misspelt verb after `expect …
/// can` reads as an unknown action (E0207), whose fix is the verb. Applying
/// the edit of each error in turn gives a clean program.
#[test]
fn misspelt_verbs_and_key_types_are_fixed_one_error_at_a_time() {
    let mut text = "account prod = 111122223333
region us-east-1
table Books in prod { key Id: nubmer }
user alice in prod
alice raeds, wirtes Books
expect alice can raed Books
"
    .to_string();
    let mut replaced = Vec::new();
    loop {
        let (code, report) = check(&text, "json");
        let diagnostics = report["diagnostics"].as_array().unwrap();
        if code == Some(0) {
            break;
        }
        assert_eq!(diagnostics.len(), 1, "{report}");
        let d = &diagnostics[0];
        // Syntax errors (E0101) first, then the expectation's unknown action.
        assert!(d["code"] == "E0101" || d["code"] == "E0207", "{d}");
        let fix = &d["fixes"][0];
        let (start, end) = (
            fix["start_offset"].as_u64().unwrap() as usize,
            fix["end_offset"].as_u64().unwrap() as usize,
        );
        let replacement = fix["replacement"].as_str().unwrap();
        replaced.push(format!("{} -> {replacement}", &text[start..end]));
        text.replace_range(start..end, replacement);
        assert!(replaced.len() <= 4, "{replaced:?}");
    }
    assert_eq!(
        replaced,
        [
            "nubmer -> number",
            "raeds -> reads",
            "wirtes -> writes",
            "raed -> read"
        ],
        "{text}"
    );
}
