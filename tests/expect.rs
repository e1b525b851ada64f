//! `dpol test` and `expect` lines: the examples' expectations pass, each
//! kind of seed claim fails when the program stops meeting it, failures name
//! the deciding statements and a runnable `dpol why`, the CI formats, coverage,
//! deployed documents, and expectations that are not one request.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod golden_file;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn dpol(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(args)
        .env("DPOL_TODAY", "2026-12-01")
        .current_dir(root())
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A scratch directory (removed when dropped); derefs to its path.
struct Scratch(tempfile::TempDir);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}

/// A scratch directory holding copies of the examples (or nothing).
fn scratch(name: &str, with_examples: bool) -> Scratch {
    let dir = tempfile::Builder::new()
        .prefix(&format!("dpol-expect-{name}-"))
        .tempdir()
        .unwrap();
    if with_examples {
        for entry in std::fs::read_dir(root().join("examples")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "dpol") {
                std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    Scratch(dir)
}

/// Replaces `from` (which must occur) by `to` in `file`.
fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
}

fn expect_lines() -> usize {
    std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "dpol"))
        .map(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .filter(|l| l.starts_with("expect ") || l.starts_with("assert "))
                .count()
        })
        .sum()
}

#[test]
fn every_expectation_of_the_examples_passes() {
    let o = dpol(&["test", "examples"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", err(&o));
    let n = expect_lines();
    assert!(n >= 30, "the examples have {n} expectations and assertions");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("ok ")).count(),
        n,
        "{text}"
    );
    assert!(text.ends_with(&format!("{n} passed, 0 failed\n")), "{text}");
}

/// Each seed claim the examples state fails, with E0421 at its line, once
/// the program no longer meets it: the expectations are not vacuous.
#[test]
fn a_program_that_breaks_a_seed_claim_fails_its_expectation() {
    let cases: [(&str, &str, &str, &str); 5] = [
        // Seed 003: Alice's range must not reach key 99.
        (
            "product-catalog.dpol",
            "Alice reads, updates ProductCatalog keys 100..200",
            "Alice reads, updates ProductCatalog keys 99..200",
            "expect Alice cannot read ProductCatalog keys 99 attrs Id, Title",
        ),
        // Seed 003: Bob from the corporate network only.
        (
            "product-catalog.dpol",
            "    from ip 203.0.113.0/24\nBob can",
            "\nBob can",
            "expect Bob cannot read ProductCatalog keys 201 attrs Id, Title, Brand from ip 198.51.100.7",
        ),
        // Seed 000: the break-glass role passes the perimeter.
        (
            "private-table.dpol",
            "breakglass role Emergency in prod managed by SecurityAdmin",
            "",
            "expect Emergency can DeleteTable, GetItem on Orders outside",
        ),
        // Seed 000: nobody else does.
        (
            "private-table.dpol",
            "table Orders in prod private to prodvpc in production {",
            "table Orders in prod {",
            "expect OrdersAdmin cannot DeleteTable, GetItem on Orders outside",
        ),
        // Seed 002: the read-only endpoint lets no read through.
        (
            "endpoint-policies.dpol",
            "allow can DescribeTable, ListTables on *",
            "allow *",
            "expect Reader cannot read StockTable keys \"sku-1\" via readonly",
        ),
    ];
    for (i, (file, from, to, line)) in cases.iter().enumerate() {
        let dir = scratch(&format!("break-{i}"), true);
        edit(&dir.join(file), from, to);
        let o = dpol(&["test", dir.to_str().unwrap()]);
        let (text, errors) = (out(&o), err(&o));
        assert_eq!(
            o.status.code(),
            Some(1),
            "{file}: {from} → {to}\n{text}{errors}"
        );
        let listed = text
            .lines()
            .find(|l| l.ends_with(&format!("{line}  ({})", requests_of(l))))
            .unwrap_or_else(|| panic!("{line} is not listed:\n{text}"));
        assert!(listed.starts_with("FAIL "), "{listed}\n{text}");
        assert_eq!(
            text.lines()
                .filter(|l| l.starts_with("FAIL ") && l.contains("  expect "))
                .count(),
            1,
            "only `{line}` fails:\n{text}"
        );
        assert!(errors.contains("error[E0421]"), "{errors}");
        let failed = text.lines().filter(|l| l.starts_with("FAIL ")).count();
        assert!(
            text.contains(&format!(" passed, {failed} failed")),
            "{text}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// The `(N requests)` suffix of a listing line.
fn requests_of(line: &str) -> String {
    line.rsplit_once('(')
        .map(|(_, r)| r.trim_end_matches(')').to_string())
        .unwrap_or_default()
}

/// A failure names the request, the decision, the deciding statements with
/// their lines, and a `dpol why` command that reproduces it.
#[test]
fn a_failure_shows_the_deciding_statement_and_a_runnable_why() {
    let dir = scratch("failure", false);
    let file = dir.join("books.dpol");
    std::fs::write(
        &file,
        "account prod = 111122223333
region us-east-1
table Books in prod { key Id: number }
user alice in prod
alice reads Books keys 100..200
alice cannot delete Books
expect alice can read Books keys 99
expect alice can DeleteItem on Books keys 150
expect alice can GetItem on Books keys 150
",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let o = dpol(&["test", path, "--color", "never"]);
    let (text, errors) = (out(&o), err(&o));
    assert_eq!(o.status.code(), Some(1), "{text}{errors}");
    assert!(text.ends_with("1 passed, 2 failed\n"), "{text}");
    assert!(
        errors.contains("expected allowed: alice dynamodb:GetItem on arn:aws:dynamodb:us-east-1:111122223333:table/Books"),
        "{errors}"
    );
    assert!(errors.contains("denied (implicitly)"), "{errors}");
    // The explicit deny: the statement and the line it came from.
    assert!(errors.contains("denied (explicitly)"), "{errors}");
    assert!(
        errors.contains("decided by statement") && errors.contains("books.dpol:6"),
        "{errors}"
    );
    // The suggested command gives the same answer.
    let command = errors
        .lines()
        .find_map(|l| l.split_once("see the whole evaluation: dpol why "))
        .map(|(_, rest)| rest.to_string())
        .unwrap_or_else(|| panic!("no why command: {errors}"));
    let args: Vec<&str> = command.split(' ').collect();
    let mut why = vec!["why"];
    why.extend(&args);
    let w = dpol(&why);
    assert_eq!(
        w.status.code(),
        Some(1),
        "{command}: {}{}",
        out(&w),
        err(&w)
    );
    assert!(out(&w).contains("DENIED"), "{}", out(&w));
}

#[test]
fn ci_formats_carry_the_failures() {
    let dir = scratch("formats", false);
    let file = dir.join("books.dpol");
    std::fs::write(
        &file,
        "account prod = 111122223333
region us-east-1
table Books in prod { key Id: number }
user alice in prod
alice reads Books keys 100..200
expect alice can read Books keys 99
",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let o = dpol(&["test", path, "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let json: Value = serde_json::from_str(&out(&o)).unwrap_or_else(|e| panic!("{e}: {}", out(&o)));
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.is_empty() && codes.iter().all(|c| *c == "E0421"),
        "{json}"
    );
    assert!(err(&o).contains("0 passed, 1 failed"), "{}", err(&o));

    let o = dpol(&["test", path, "--error-format", "github"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("::error file="), "{}", out(&o));
    assert!(out(&o).contains("E0421"), "{}", out(&o));

    let o = dpol(&["test", path, "--error-format", "sarif"]);
    assert_eq!(o.status.code(), Some(1));
    let sarif: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "E0421", "{sarif}");
}

#[test]
fn coverage_lists_the_grants_no_expectation_exercised() {
    let dir = scratch("coverage", false);
    let file = dir.join("books.dpol");
    std::fs::write(
        &file,
        "account prod = 111122223333
region us-east-1
table Books in prod { key Id: number }
user alice in prod
user bob in prod
alice reads Books
bob writes Books
expect alice can GetItem on Books
",
    )
    .unwrap();
    let o = dpol(&["test", file.to_str().unwrap(), "--coverage"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", err(&o));
    assert!(text.contains("coverage: 1 of 2 grants exercised"), "{text}");
    assert!(
        text.contains("not exercised: ") && text.contains("books.dpol:7  bob writes Books"),
        "{text}"
    );
    assert!(!text.contains("alice reads Books\n"), "{text}");
}

/// `--against` evaluates deployed documents: a build of the examples meets
/// the examples' expectations; a build of a wider program does not.
#[test]
fn expectations_run_against_deployed_documents() {
    let built_dir = scratch("built", false);
    let built = built_dir.join("out");
    let o = dpol(&["build", "examples", "-o", built.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = dpol(&["test", "examples", "--against", built.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));

    let dir = scratch("wider", true);
    edit(
        &dir.join("product-catalog.dpol"),
        "Alice reads, updates ProductCatalog keys 100..200",
        "Alice reads, updates ProductCatalog keys 0..200",
    );
    let wide_dir = scratch("wide-built", false);
    let wide = wide_dir.join("out");
    let o = dpol(&["build", dir.to_str().unwrap(), "-o", wide.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = dpol(&["test", "examples", "--against", wide.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("FAIL examples/product-catalog.dpol:55"),
        "{}",
        out(&o)
    );
}

/// `dpol build` ignores expectations: the same documents with and without.
#[test]
fn the_build_ignores_expectations() {
    let with = scratch("with", true);
    let without = scratch("without", true);
    for entry in std::fs::read_dir(&without).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let kept: String = text
            .lines()
            .filter(|l| !l.starts_with("expect "))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&path, kept).unwrap();
    }
    let read = |dir: &Path| {
        let out = dir.join("out");
        let o = dpol(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        let mut files = Vec::new();
        let mut stack = vec![out.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.file_name().is_some_and(|n| n != "manifest.json") {
                    files.push((
                        p.strip_prefix(&out).unwrap().to_path_buf(),
                        std::fs::read(&p).unwrap(),
                    ));
                }
            }
        }
        files.sort();
        files
    };
    let (a, b) = (read(&with), read(&without));
    assert!(!a.is_empty());
    assert!(a == b, "expectations changed the documents");
}

/// Each of `cases` (a last line, its code, part of its message) appended to
/// `head` is refused by `dpol check` with that code at line `line`; the
/// scratch directory holding the cases.
fn refused_at(name: &str, head: &str, cases: &[(&str, &str, &str)], line: usize) -> Scratch {
    let dir = scratch(name, false);
    for (i, (text, code, message)) in cases.iter().enumerate() {
        let file = dir.join(format!("case{i}.dpol"));
        std::fs::write(&file, format!("{head}{text}\n")).unwrap();
        let o = dpol(&["check", file.to_str().unwrap(), "--error-format", "json"]);
        assert_eq!(o.status.code(), Some(1), "{text}: {}", out(&o));
        let json: Value = serde_json::from_str(&out(&o)).unwrap();
        let d = &json["diagnostics"][0];
        assert_eq!(d["code"], *code, "{text}: {json}");
        assert!(
            d["message"].as_str().unwrap().contains(message),
            "{text}: {json}"
        );
        assert_eq!(d["line"], line, "{text}: {json}");
    }
    dir
}

/// Expectations are checked like everything else: codes, spans, fixes.
#[test]
fn an_expectation_that_is_not_one_request_is_refused() {
    let head = "account prod = 111122223333
region us-east-1
table Books in prod { key Id: number; attrs Title, Price }
table Plain in prod { key Id: number }
user alice in prod
group readers in prod
vpc corp = vpc-0abc1234def567890 in prod
alice reads Books
";
    let cases: [(&str, &str, &str); 10] = [
        (
            "expect alice can read Books keys 100..200",
            "E0420",
            "a key range is not one request",
        ),
        (
            "expect alice can read Books keys \"a\"*",
            "E0420",
            "not patterns",
        ),
        (
            "expect readers can read Books",
            "E0420",
            "a group never makes a request",
        ),
        (
            "expect alice can read Books via corp outside",
            "E0420",
            "`outside` and `via` in one request",
        ),
        (
            "expect alice can read Books from ip 203.0.113.0/24",
            "E0307",
            "is not one IP address",
        ),
        (
            "expect alice can kms:Decrypt on Plain",
            "E0420",
            "has no customer managed key",
        ),
        (
            "expect alice can GetItme on Books",
            "E0207",
            "unknown dynamodb action `GetItme`",
        ),
        (
            "expect alice can read Books attrs Titel",
            "E0208",
            "declares no attribute `Titel`",
        ),
        ("expect alise can read Books", "E0201", "alise"),
        (
            "expect alice can read Books at 2026-13-01",
            "E0308",
            "malformed time",
        ),
    ];
    let dir = refused_at("refused", head, &cases, 9);
    // A did-you-mean carries its fix.
    let o = dpol(&[
        "check",
        dir.join("case6.dpol").to_str().unwrap(),
        "--error-format",
        "json",
    ]);
    let json: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(
        json["diagnostics"][0]["fixes"][0]["replacement"], "GetItem",
        "{json}"
    );
}

/// Runs `dpol test` on one program in `dir` and returns (exit code,
/// stdout, stderr). The program stays in `dir` for the `dpol why` its
/// failures print.
fn test_one(dir: &Path, text: &str) -> (Option<i32>, String, String) {
    let file = dir.join("p.dpol");
    std::fs::write(&file, text).unwrap();
    let o = dpol(&["test", file.to_str().unwrap(), "--color", "never"]);
    (o.status.code(), out(&o), err(&o))
}

/// The `dpol why` command a failure suggests, run: its exit code and output.
fn run_why(errors: &str) -> (Option<i32>, String) {
    let command = errors
        .lines()
        .find_map(|l| l.split_once("see the evaluation: dpol why "))
        .map(|(_, rest)| rest.to_string())
        .unwrap_or_else(|| panic!("no why command: {errors}"));
    let mut why = vec!["why"];
    why.extend(command.split(' '));
    let w = dpol(&why);
    (w.status.code(), out(&w))
}

/// Each assertion of the examples fails, with E0422 and a counterexample
/// whose `dpol why` is ALLOWED, once the program stops meeting it.
#[test]
fn a_program_that_breaks_an_assertion_gets_a_counterexample() {
    let cases: [(&str, &str, &str, &str); 4] = [
        // The perimeter exempts Emergency and Pipeline: the line must say so.
        (
            "assert Orders only via prodvpc except Emergency, Pipeline",
            "assert Orders only via prodvpc except Pipeline",
            "assert Orders only via prodvpc except Pipeline",
            "`Emergency` is allowed",
        ),
        // No perimeter: everyone with a grant reaches Orders from anywhere.
        (
            "table Orders in prod private to prodvpc in production {",
            "table Orders in prod {",
            "assert Orders only via prodvpc except Emergency, Pipeline",
            "not through vpc-0abc1234def567890",
        ),
        // A new reader of Orders.
        (
            "role OrdersApp in prod",
            "role OrdersApp in prod\nrole Reporting in prod\nReporting reads Orders via prodvpc",
            "assert only Emergency, OrdersAdmin, OrdersApp can read Orders",
            "`Reporting` is allowed",
        ),
        // A second deployer changes the resource policy.
        (
            "Pipeline can GetResourcePolicy, PutResourcePolicy on Orders",
            "Pipeline can GetResourcePolicy, PutResourcePolicy on Orders\nOrdersAdmin can PutResourcePolicy on Orders",
            "assert only Pipeline can PutResourcePolicy on Orders",
            "`OrdersAdmin` is allowed dynamodb:PutResourcePolicy",
        ),
    ];
    for (i, (from, to, line, message)) in cases.iter().enumerate() {
        let dir = scratch(&format!("assert-{i}"), true);
        let file = dir.join("private-table.dpol");
        edit(&file, from, to);
        let o = dpol(&["test", file.to_str().unwrap(), "--color", "never"]);
        let (text, errors) = (out(&o), err(&o));
        assert_eq!(o.status.code(), Some(1), "{from} → {to}\n{text}{errors}");
        let failed: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("FAIL ") && l.contains("  assert "))
            .collect();
        assert_eq!(failed.len(), 1, "only `{line}` fails:\n{text}");
        assert!(failed[0].contains(line), "{text}");
        assert!(errors.contains("error[E0422]"), "{errors}");
        assert!(errors.contains(message), "{message}: {errors}");
        assert!(errors.contains("allowed by statement"), "{errors}");
        let (code, why) = run_why(&errors);
        assert_eq!(code, Some(0), "{why}");
        assert!(why.contains("ALLOWED"), "{why}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// The universe reaches the edges the program's constants create: a grant
/// that starts later, one from an address block, a key range and a group
/// are each found, though no request at the run's time, from outside or
/// without keys is allowed.
#[test]
fn assertions_probe_times_addresses_keys_and_groups() {
    let head = "account prod = 111122223333
region us-east-1
table Books in prod { key Id: number; attrs Title, Price }
user alice in prod
";
    let cases: [(&str, &str); 6] = [
        // A grant on every table: its statements name no table.
        ("role Ops in prod\nOps reads *", "`Ops` is allowed"),
        (
            "alice reads Books from 2027-01-01",
            "at 2027-01-01T00:00:00Z",
        ),
        (
            "alice reads Books from ip 203.0.113.0/24",
            "--from-ip 203.0.113.",
        ),
        ("alice reads Books keys 100..200", "--keys 100"),
        ("alice reads Books attrs Title", "--attrs"),
        (
            "group staff in prod\nstaff reads Books",
            "dpol-member-of-staff",
        ),
    ];
    for (i, (grant, shown)) in cases.iter().enumerate() {
        let program = format!("{head}{grant}\nassert nobody can read Books\n");
        let dir = scratch(&format!("probe-{i}"), false);
        let (code, text, errors) = test_one(&dir, &program);
        assert_eq!(code, Some(1), "{grant}\n{text}{errors}");
        assert!(
            errors.contains("error[E0422]") && errors.contains("but nobody may"),
            "{errors}"
        );
        assert!(errors.contains(shown), "{grant}: {shown} not in\n{errors}");
        let (code, why) = run_why(&errors);
        // A group member's `why` does not know the membership (noted).
        if grant.contains("group") {
            assert!(
                errors.contains("stands for any member of the group"),
                "{errors}"
            );
        } else {
            assert_eq!(code, Some(0), "{grant}: {why}");
        }
    }
    // An expired grant allows nothing: the assertion holds.
    let (code, text, errors) = test_one(
        &scratch("probe-expired", false),
        &format!("{head}alice reads Books until 2026-01-01\nassert nobody can read Books\n"),
    );
    assert_eq!(code, Some(0), "{text}{errors}");
    assert!(text.ends_with("1 passed, 0 failed\n"), "{text}");
}

/// Assertions are checked like every other line.
#[test]
fn an_assertion_with_unknown_names_is_refused() {
    let head = "account prod = 111122223333
region us-east-1
vpc corp = vpc-0abc1234def567890 in prod
table Books in prod { key Id: number }
user alice in prod
alice reads Books
";
    let cases: [(&str, &str, &str); 5] = [
        ("assert only alise can read Books", "E0201", "alise"),
        ("assert nobody can read Boks", "E0201", "Boks"),
        ("assert Books only via crop", "E0201", "crop"),
        ("assert Books only via corp except alise", "E0201", "alise"),
        (
            "assert nobody can kms:Decrypt on Books",
            "E0420",
            "assertions range over DynamoDB actions",
        ),
    ];
    refused_at("assert-refused", head, &cases, 7);
}

/// `assert P can only X on T keys K`: an action beyond X, or a key outside
/// K, is a counterexample (seed 003: Alice reaches only the books).
#[test]
fn can_only_finds_actions_and_keys_beyond_it() {
    let cases: [(&str, &str, &str); 3] = [
        (
            "Alice reads, updates ProductCatalog keys 100..200",
            "Alice reads, updates ProductCatalog keys 100..201",
            "with key 200, outside the keys the assertion allows it",
        ),
        (
            "Alice reads, updates ProductCatalog keys 100..200",
            "Alice describes ProductCatalog\nAlice reads, updates ProductCatalog keys 100..200",
            "an action the assertion does not allow it",
        ),
        (
            "Alice reads, updates ProductCatalog keys 100..200",
            "Alice reads ProductCatalog\nAlice reads, updates ProductCatalog keys 100..200",
            "with no key, so on every key",
        ),
    ];
    for (i, (from, to, message)) in cases.iter().enumerate() {
        let dir = scratch(&format!("can-only-{i}"), true);
        let file = dir.join("product-catalog.dpol");
        edit(&file, from, to);
        let o = dpol(&["test", file.to_str().unwrap(), "--color", "never"]);
        let (text, errors) = (out(&o), err(&o));
        assert_eq!(o.status.code(), Some(1), "{to}\n{text}{errors}");
        assert!(
            text.lines()
                .any(|l| l.starts_with("FAIL ") && l.contains("assert Alice can only")),
            "{text}"
        );
        assert!(
            errors.contains("error[E0422]") && errors.contains(message),
            "{message}\n{errors}"
        );
        let (code, why) = run_why(&errors);
        assert_eq!(code, Some(0), "{why}");
        let _ = std::fs::remove_dir_all(&dir);
    }
    // Keys on `*`, and policy variables, are refused.
    let head = "account prod = 111122223333
region us-east-1
table Books in prod { key Id: string }
user alice in prod
alice reads Books
";
    for (line, message) in [
        (
            "assert alice can only read * keys \"a\"",
            "`keys` need one table",
        ),
        (
            "assert alice can only read Books keys ${aws:username}",
            "not policy variables",
        ),
    ] {
        let dir = scratch("can-only-refused", false);
        let (code, text, errors) = test_one(&dir, &format!("{head}{line}\n"));
        assert_eq!(code, Some(2), "{line}\n{text}{errors}");
        assert!(
            errors.contains("E0420") && errors.contains(message),
            "{line}\n{errors}"
        );
    }
}

/// Compares `actual` with the golden file `name` (`DPOL_BLESS=1` rewrites
/// it; review the diff before committing).
fn golden(name: &str, actual: &str) {
    if let Err(diff) = golden_file::compare(&root().join("tests/golden").join(name), actual) {
        panic!("{name} differs (bless with DPOL_BLESS=1 cargo test --test expect, then review):\n{diff}");
    }
}

/// The listing of the examples, and the rendered failures of a program that
/// breaks an expectation and assertions, are golden.
#[test]
fn the_listing_and_the_failures_are_golden() {
    let o = dpol(&["test", "examples", "--color", "never"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    golden("test-examples.out", &out(&o));
    let o = dpol(&[
        "test",
        "tests/golden/test-failures.dpol",
        "--color",
        "never",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    golden("test-failures.out", &format!("{}{}", out(&o), err(&o)));
}
