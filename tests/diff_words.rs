//! The delta in dpol's words: each access change names the principal, the
//! table and the clause as the source writes them, with the `.dpol` line that
//! caused it; the IAM-level lines stay below. Terminal, Markdown and JSON
//! carry the same.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod diff_common;

use std::path::Path;

use diff_common::{dpol_in, git, stdout_of, TempDir};
use serde_json::{json, Value};

/// The examples in a repository, committed, then edited by `edit`.
fn examples_changed(label: &str, edit: &[(&str, &str, &str)]) -> TempDir {
    let dir = TempDir::new(label);
    git(&dir.0, &["init", "-q"]);
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for entry in std::fs::read_dir(examples).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "dpol") {
            std::fs::copy(&path, dir.0.join(path.file_name().unwrap())).unwrap();
        }
    }
    git(&dir.0, &["add", "-A"]);
    git(&dir.0, &["commit", "-q", "-m", "base"]);
    for (file, from, to) in edit {
        let path = dir.0.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
    dir
}

fn diff(dir: &Path, format: &str) -> (Option<i32>, String) {
    let out = dpol_in(dir, &["diff", ".", "--base", "HEAD", "--format", format]);
    (out.status.code(), stdout_of(&out))
}

/// The access changes of a JSON report: (direction, text, sources).
fn access(report: &Value) -> Vec<(String, String, Vec<String>)> {
    report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|doc| doc["access"].as_array().cloned().unwrap_or_default())
        .map(|change| {
            let sources = change["sources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| format!("{}:{}", s["file"].as_str().unwrap(), s["line"]))
                .collect();
            (
                change["direction"].as_str().unwrap().to_string(),
                change["text"].as_str().unwrap().to_string(),
                sources,
            )
        })
        .collect()
}

/// The bug: the delta spoke only IAM (`identity dpol-SalesApp: Allow
/// dynamodb:batchgetitem, … on arn:…:table/Sales: dynamodb:leadingkeys:
/// ap-south added (ForAllValues:StringEquals)`, once per statement), and
/// said nowhere which line of which file caused it.
#[test]
fn the_issue_example_in_every_format() {
    let dir = examples_changed(
        "words-sales",
        &[(
            "access-patterns.dpol",
            "SalesApp reads, updates Sales keys \"us-east\", \"eu-west\"",
            "SalesApp reads, updates Sales keys \"us-east\", \"eu-west\", \"ap-south\"",
        )],
    );
    let expected = "SalesApp gains keys \"ap-south\" on Sales (access-patterns.dpol:44)";
    let (code, terminal) = diff(&dir.0, "terminal");
    assert_eq!(code, Some(2), "{terminal}");
    assert!(
        terminal.contains(&format!("⚠ broadens  {expected}\n")),
        "{terminal}"
    );
    assert_eq!(
        terminal.matches(expected).count(),
        1,
        "said once:\n{terminal}"
    );
    let words_at = terminal.find("Access changes:").unwrap();
    let iam_at = terminal.find("IAM-level delta:").unwrap();
    assert!(words_at < iam_at, "{terminal}");
    assert!(terminal[iam_at..].contains("ap-south added (ForAllValues:StringEquals)"));

    let (_, markdown) = diff(&dir.0, "markdown");
    assert!(
        markdown.contains("| ⚠️ **broadens** | SalesApp gains keys \"ap-south\" on Sales | `access-patterns.dpol:44` |"),
        "{markdown}"
    );
    assert!(markdown.contains("**IAM-level delta**"), "{markdown}");

    let (_, text) = diff(&dir.0, "json");
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        access(&report),
        [(
            "broadens".to_string(),
            "SalesApp gains keys \"ap-south\" on Sales".to_string(),
            vec!["access-patterns.dpol:44".to_string()]
        )]
    );
    let sales = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "dpol-SalesApp")
        .unwrap();
    assert_eq!(
        sales["access"][0]["sources"],
        json!([{"file": "access-patterns.dpol", "line": 44}])
    );
}

/// A key range, an attribute, a dropped `via`, a new verb, and a deny taken
/// away (whose line is in the base, since the source no longer has it).
/// The access changes of a diff that broadens (exit 2), as JSON reports them.
fn broadening_changes(dir: &TempDir) -> Vec<(String, String, Vec<String>)> {
    let (code, text) = diff(&dir.0, "json");
    assert_eq!(code, Some(2), "{text}");
    access(&serde_json::from_str(&text).unwrap())
}

/// The access change whose text is `needle`.
fn find_change<'c>(
    changes: &'c [(String, String, Vec<String>)],
    needle: &str,
) -> &'c (String, String, Vec<String>) {
    changes
        .iter()
        .find(|(_, t, _)| t == needle)
        .unwrap_or_else(|| panic!("no {needle:?} in {changes:#?}"))
}

#[test]
fn ranges_attributes_networks_verbs_and_denies() {
    let dir = examples_changed(
        "words-more",
        &[
            (
                "product-catalog.dpol",
                "Bob reads ProductCatalog keys 200..300\n    attrs Title,",
                "Bob reads, updates ProductCatalog keys 200..400\n    attrs ISBN, Title,",
            ),
            (
                "private-table.dpol",
                "OrdersApp reads, writes Orders via prodvpc",
                "OrdersApp reads, writes Orders",
            ),
        ],
    );
    let changes = broadening_changes(&dir);
    let texts: Vec<&str> = changes.iter().map(|(_, t, _)| t.as_str()).collect();
    let find = |needle: &str| find_change(&changes, needle);
    let bob = find("Bob gains keys 300..400 on ProductCatalog");
    assert_eq!(bob.0, "broadens");
    assert_eq!(bob.2, ["product-catalog.dpol:37"]);
    assert_eq!(
        find("Bob gains attrs ISBN on ProductCatalog").2,
        ["product-catalog.dpol:37"]
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Bob gains updates") && t.ends_with("on ProductCatalog")),
        "{texts:#?}"
    );
    let orders = find("OrdersApp is no longer limited by `via prodvpc` on Orders");
    assert_eq!(orders.0, "broadens");
    assert_eq!(orders.2, ["private-table.dpol:41"]);
}

/// Item 1's repro in words: the deny that went away, with the line it had.
#[test]
fn a_removed_deny_names_its_line_at_the_base() {
    let dir = TempDir::new("words-deny");
    git(&dir.0, &["init", "-q"]);
    dir.write("decls.dpol", "account prod = 111122223333\nregion us-east-1\ntable Books in prod\nuser alice in prod\nalice manages Books\n");
    dir.write("dényrules.dpol", "alice cannot deletes Books\n");
    git(&dir.0, &["add", "-A"]);
    git(&dir.0, &["commit", "-q", "-m", "base"]);
    dir.write("dényrules.dpol", "# gone\n");
    let (code, text) = diff(&dir.0, "json");
    assert_eq!(code, Some(2), "{text}");
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        access(&report),
        [(
            "broadens".to_string(),
            "alice is no longer denied deletes on Books".to_string(),
            vec!["HEAD:dényrules.dpol:1".to_string()]
        )]
    );
}

/// Perimeter changes in the source's words: a network added to `private
/// to`, a break-glass role added (it passes every perimeter, and the
/// governance SCP now protects it), each with its layer.
#[test]
fn perimeter_changes_in_the_sources_words() {
    let dir = examples_changed(
        "words-perimeter",
        &[
            (
                "private-table.dpol",
                "vpc prodvpc = vpc-0abc1234def567890 in prod\n",
                "vpc prodvpc = vpc-0abc1234def567890 in prod\nvpc backupvpc = vpc-0abc1234def567891 in prod\n",
            ),
            (
                "private-table.dpol",
                "table Orders in prod private to prodvpc in production {",
                "table Orders in prod private to prodvpc, backupvpc in production {",
            ),
            (
                "private-table.dpol",
                "breakglass role Emergency in prod managed by SecurityAdmin\n",
                "breakglass role Emergency in prod managed by SecurityAdmin\nbreakglass role Oncall in prod managed by SecurityAdmin\n",
            ),
        ],
    );
    let changes = broadening_changes(&dir);
    let texts: Vec<&str> = changes.iter().map(|(_, t, _)| t.as_str()).collect();
    let find = |needle: &str| find_change(&changes, needle);
    for layer in ["SCP", "resource policy"] {
        let net = find(&format!(
            "Orders can now be reached through backupvpc (`private to`, {layer})"
        ));
        assert_eq!(net.0, "broadens");
        assert_eq!(net.2, ["private-table.dpol:26"]);
        assert_eq!(
            find(&format!(
                "Oncall now passes the perimeter of Orders ({layer})"
            ))
            .0,
            "broadens"
        );
    }
    assert_eq!(
        find("Oncall now passes the perimeter of every table (RCP)").0,
        "broadens"
    );
    assert_eq!(
        find("Oncall is now protected from IAM changes by the governance SCP").0,
        "narrows"
    );
    // No perimeter change is left in IAM's words.
    assert!(
        !texts
            .iter()
            .any(|t| t.contains("aws:principalarn") || t.contains("aws:sourcevpc")),
        "{texts:#?}"
    );
}

/// A grant across accounts writes an Allow naming the principal into the
/// table's resource policy. The delta said it in IAM's words only ("the
/// resource policy of Books on Books: statement added, when …"), naming
/// neither the principal nor the grant's line. It now names both, and the
/// verbs mean the part of their sets that works across accounts.
#[test]
fn a_grant_across_accounts_names_its_principal_in_the_table_policy() {
    let dir = TempDir::new("words-across");
    git(&dir.0, &["init", "-q"]);
    let head = "account prod = 111122223333\naccount partner = 444455556666\nregion us-east-1\ntable Books in prod { key id: number }\nrole Partner in partner\n";
    dir.write("p.dpol", &format!("{head}Partner reads Books keys 7\n"));
    git(&dir.0, &["add", "-A"]);
    git(&dir.0, &["commit", "-q", "-m", "base"]);
    dir.write(
        "p.dpol",
        &format!("{head}Partner reads, updates Books keys 7, 8\n"),
    );
    let changes = broadening_changes(&dir);
    let texts: Vec<&str> = changes.iter().map(|(_, t, _)| t.as_str()).collect();
    let find = |needle: &str| find_change(&changes, needle);
    let resource = "(across accounts, the table's resource policy)";
    assert_eq!(
        find(&format!("Partner gains keys 8 on Books {resource}")).2,
        ["p.dpol:6"]
    );
    assert_eq!(
        find(&format!("Partner gains updates on Books {resource}")).2,
        ["p.dpol:6"]
    );
    assert_eq!(find("Partner gains keys 8 on Books").2, ["p.dpol:6"]);
    assert!(
        !texts.iter().any(|t| t.contains("statement added")
            || t.contains("leadingkeys")
            || t.contains("the resource policy of")),
        "{texts:#?}"
    );
}
