//! The `dpol` binary: exit codes, output formats, atomic and deterministic
//! builds, and bad input that must never panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use std::path::Path;
use std::process::{Command, Output};

fn dpol(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DPOL_TODAY", "2026-11-23")
        .output()
        .unwrap()
}

/// A scratch directory, removed when the returned guard is dropped.
fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("dpol-{name}-"))
        .tempdir()
        .unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A failing run: exit 1, a coded diagnostic, and no panic.
fn assert_diagnosed(o: &Output, code: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("[{code}]")),
        "expected {code}:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn examples_check_clean_with_only_a_summary() {
    let o = dpol(&["check", "examples"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o).trim(), "checked 4 files: no problems");
    assert!(o.stdout.is_empty());
}

#[test]
fn misspelt_table_suggests_the_right_name_with_a_span() {
    let o = dpol(&["check", "tests/ui/fail/misspelt-table.dpol"]);
    assert_diagnosed(&o, "E0201");
    let err = stderr(&o);
    assert!(err.contains("did you mean `Orders`?"), "{err}");
    assert!(err.contains("misspelt-table.dpol:5:13"), "{err}");
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let dir_guard = scratch("warn");
    let dir = dir_guard.path();
    let file = write(dir, "w.dpol", b"account a = 111122223333\nregion us-east-1\ntable Orders\nuser u\nu reads Orders attrs Title\n");
    assert_eq!(dpol(&["check", &file]).status.code(), Some(0));
    assert_eq!(
        dpol(&["check", "--deny-warnings", &file]).status.code(),
        Some(1)
    );
}

#[test]
fn json_diagnostics_follow_the_documented_schema() {
    let o = dpol(&[
        "check",
        "--error-format",
        "json",
        "tests/ui/fail/misspelt-table.dpol",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["format_version"], 2);
    let first = &report["diagnostics"][0];
    for field in [
        "code", "severity", "message", "file", "line", "column", "end", "labels", "notes", "help",
    ] {
        assert!(first.get(field).is_some(), "missing {field} in {first}");
    }
    assert_eq!(first["code"], "E0201");
    assert_eq!(first["line"], 5);
    assert_eq!(first["end"]["column"], 19);
    assert_eq!(report["errors"], 2);
}

#[test]
fn explain_knows_every_code_and_rejects_others() {
    for code in dpol::diag::Code::ALL {
        let o = dpol(&["explain", code.as_str()]);
        assert_eq!(o.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&o.stdout).starts_with(&format!("# {}", code.as_str())));
    }
    assert_eq!(dpol(&["explain", "E9999"]).status.code(), Some(2));
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(dpol(&["check"]).status.code(), Some(2));
    assert_eq!(dpol(&["frobnicate"]).status.code(), Some(2));
    let o = dpol(&["check", "no/such/file.dpol"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("[E0104]"), "{}", stderr(&o));
}

#[test]
fn bad_input_gets_a_diagnostic_never_a_panic() {
    let dir_guard = scratch("bad");
    let dir = dir_guard.path();
    let empty = write(dir, "empty.dpol", b"");
    assert_diagnosed(&dpol(&["check", &empty]), "E0103");
    let comments = write(dir, "comments.dpol", b"# nothing here\n\n");
    assert_diagnosed(&dpol(&["check", &comments]), "E0103");
    let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let binary = write(dir, "binary.dpol", &binary);
    assert_diagnosed(&dpol(&["check", &binary]), "E0102");
    let nul = write(dir, "nul.dpol", b"table \0\0\0 Orders\n");
    assert_diagnosed(&dpol(&["check", &nul]), "E0113");
    let latin1 = write(dir, "latin1.dpol", b"table Caf\xe9\n");
    assert_diagnosed(&dpol(&["check", &latin1]), "E0102");
    let nested = write(
        dir,
        "nested.dpol",
        "table Orders { ".repeat(10_000).as_bytes(),
    );
    assert_diagnosed(&dpol(&["check", &nested]), "E0101");
    let braces = write(dir, "braces.dpol", "{".repeat(10_000).as_bytes());
    assert_diagnosed(&dpol(&["check", &braces]), "E0101");
    let repeated = write(
        dir,
        "repeated.dpol",
        "table Orders\n".repeat(10_000).as_bytes(),
    );
    assert_diagnosed(&dpol(&["check", &repeated]), "E0202");
    let long_line = write(dir, "long.dpol", "x".repeat(1_000_000).as_bytes());
    assert_diagnosed(&dpol(&["check", &long_line]), "E0101");
}

#[test]
fn a_ten_megabyte_program_is_checked_to_its_last_line() {
    let dir_guard = scratch("big");
    let dir = dir_guard.path();
    let mut text = String::from(
        "account prod = 111122223333\nregion us-east-1\ntable Orders in prod { key id: number }\n",
    );
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "user u{i} in prod\nu{i} reads Orders keys {i}..{}\n",
            i + 1
        ));
        i += 1;
    }
    text.push_str("stranger reads Orders\n");
    let file = write(dir, "big.dpol", text.as_bytes());
    let o = dpol(&["check", "--error-format", "plain", &file]);
    assert_diagnosed(&o, "E0201");
    assert!(
        stderr(&o).contains("unknown principal `stranger`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn builds_are_deterministic_and_atomic() {
    let dir_guard = scratch("build");
    let dir = dir_guard.path();
    let a = dir.join("a");
    let b = dir.join("b");
    for out in [&a, &b] {
        let o = dpol(&["build", "examples", "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let listing = |root: &Path| {
        let mut files = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    files.push((
                        p.strip_prefix(root).unwrap().to_path_buf(),
                        std::fs::read(&p).unwrap(),
                    ));
                }
            }
        }
        files.sort();
        files
    };
    let first = listing(&a);
    assert!(first.iter().any(|(p, _)| p == Path::new("manifest.json")));
    assert_eq!(first, listing(&b), "two builds differ");

    // A failing build leaves the previous output untouched and no staging directory behind.
    let bad = write(dir, "bad.dpol", b"alice reads Nowhere\n");
    let o = dpol(&["build", &bad, "-o", a.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(first, listing(&a));
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("dpol-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // dpol never replaces a directory it did not write.
    let precious = dir.join("precious");
    std::fs::create_dir_all(&precious).unwrap();
    write(&precious, "keep.txt", b"keep");
    let o = dpol(&["build", "examples", "-o", precious.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(precious.join("keep.txt").exists());
}

#[test]
fn manifest_lists_kind_attachment_sources_and_size() {
    let dir_guard = scratch("manifest");
    let dir = dir_guard.path();
    let out = dir.join("out");
    assert_eq!(
        dpol(&["build", "examples", "-o", out.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let docs = manifest["documents"].as_array().unwrap();
    let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    for kind in ["identity", "scp", "vpc_endpoint", "resource", "event_rule"] {
        assert!(kinds.contains(&kind), "no {kind} document");
    }
    for d in docs {
        assert!(out.join(d["path"].as_str().unwrap()).exists());
        assert!(!d["attach"].as_array().unwrap().is_empty());
        assert!(!d["sources"].as_array().unwrap().is_empty());
        if let Some(limit) = d["size"]["limit"].as_u64() {
            assert!(d["size"]["count"].as_u64().unwrap() <= limit);
        }
    }
}

#[test]
fn diff_exit_codes_follow_detailed_exitcode() {
    let dir_guard = scratch("diff");
    let dir = dir_guard.path();
    let out = dir.join("out");
    assert_eq!(
        dpol(&["build", "examples", "-o", out.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let same = dpol(&["diff", "examples", "--against", out.to_str().unwrap()]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert!(String::from_utf8_lossy(&same.stdout).contains("unchanged"));

    // One grant widened: exactly one document changes, and the change broadens access.
    let program = dir.join("program");
    std::fs::create_dir_all(&program).unwrap();
    for entry in
        std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
            .unwrap()
    {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "dpol") {
            let text = std::fs::read_to_string(&path)
                .unwrap()
                .replace("keys 200..300", "keys 200..400");
            std::fs::write(program.join(path.file_name().unwrap()), text).unwrap();
        }
    }
    let diff_program = |format: &[&str]| {
        let mut args = vec![
            "diff",
            program.to_str().unwrap(),
            "--against",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(format);
        dpol(&args)
    };
    let changed = diff_program(&["--format", "json"]);
    assert_eq!(changed.status.code(), Some(2), "{}", stderr(&changed));
    let report: serde_json::Value = serde_json::from_slice(&changed.stdout).unwrap();
    let text = report.to_string();
    assert!(text.contains("dpol-Bob"), "{text}");
    let markdown = diff_program(&["--format", "markdown"]);
    assert!(String::from_utf8_lossy(&markdown.stdout).starts_with("<!-- dpol-diff -->"));

    // The report owns stdout: JSON diagnostics go to stderr, so stdout is
    // one JSON document.
    let both = diff_program(&["--format", "json", "--error-format", "json"]);
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));
    let report: serde_json::Value = serde_json::from_slice(&both.stdout).unwrap();
    assert!(report.to_string().contains("dpol-Bob"));
    let diagnostics: serde_json::Value = serde_json::from_slice(&both.stderr).unwrap();
    assert!(diagnostics["diagnostics"].is_array(), "{diagnostics}");

    // Usage errors are 1 for diff, so that 2 always means "changes".
    assert_eq!(dpol(&["diff", "examples"]).status.code(), Some(1));
}

#[test]
fn diff_reports_bad_deployed_input() {
    let dir_guard = scratch("diff-bad");
    let dir = dir_guard.path();
    let truncated = write(
        dir,
        "iam.json",
        br#"{"UserDetailList": [{"UserName": "alice", "#,
    );
    let o = dpol(&["diff", "examples", "--against", &truncated]);
    assert_diagnosed(&o, "E0105");
    assert!(stderr(&o).contains("iam.json"), "{}", stderr(&o));
    let not_principal = write(
        dir,
        "rbp-arn:aws:dynamodb:us-east-1:111122223333:table%2FOrders.json",
        br#"{"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"x\"},\"Action\":\"dynamodb:*\",\"Resource\":\"*\"}]}", "RevisionId": "1"}"#,
    );
    let o = dpol(&["diff", "examples", "--against", &not_principal]);
    assert_diagnosed(&o, "E0105");
    assert!(stderr(&o).contains("NotPrincipal"), "{}", stderr(&o));
}

/// `dpol --version` names the commit it was built from when built from a
/// checkout of this repository (issue 19), and the package version alone
/// otherwise.
#[test]
fn version_names_the_git_revision_of_a_checkout() {
    let o = dpol(&["--version"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let printed = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let package = env!("CARGO_PKG_VERSION");
    let root = env!("CARGO_MANIFEST_DIR");
    let head = std::process::Command::new("git")
        .args(["-C", root, "rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success() && Path::new(root).join(".git").exists())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        Some(rev) => assert_eq!(printed, format!("dpol {package} (git {rev})")),
        None => assert_eq!(printed, format!("dpol {package}")),
    }
}

/// `--color auto` follows the colour conventions (no-color.org, and
/// `CLICOLOR_FORCE` for pipes), in diagnostics and in `dpol diff`'s report;
/// `--color always|never` overrides them.
#[test]
fn colour_follows_no_color_and_clicolor_force() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dpol"));
        command
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR");
        for (key, value) in env {
            command.env(key, value);
        }
        let out = command.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    };
    let coloured = |text: &str| text.contains("\x1b[");
    let check = ["check", "tests/ui/fail/misspelt-table.dpol"];
    // Not a terminal: no colour, unless forced.
    assert!(!coloured(&run(&check, &[])));
    assert!(coloured(&run(&check, &[("CLICOLOR_FORCE", "1")])));
    assert!(!coloured(&run(
        &check,
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    )));
    let always = [
        "check",
        "--color",
        "always",
        "tests/ui/fail/misspelt-table.dpol",
    ];
    assert!(coloured(&run(&always, &[("NO_COLOR", "1")])));
    let never = [
        "check",
        "--color",
        "never",
        "tests/ui/fail/misspelt-table.dpol",
    ];
    assert!(!coloured(&run(&never, &[("CLICOLOR_FORCE", "1")])));

    // The diff report: a change, so there is something to colour.
    let dir = scratch("colour");
    let base = dir.path().join("base");
    let built = run(
        &[
            "build",
            "tests/transcripts/review/before",
            "-o",
            base.to_str().unwrap(),
        ],
        &[],
    );
    assert!(base.join("manifest.json").is_file(), "{built}");
    let diff = [
        "diff",
        "tests/transcripts/review/after",
        "--against",
        base.to_str().unwrap(),
    ];
    assert!(!coloured(&run(&diff, &[])));
    assert!(coloured(&run(&diff, &[("CLICOLOR_FORCE", "1")])));
    assert!(!coloured(&run(
        &diff,
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    )));
}

/// Shell completions and man pages come from the command-line definition:
/// every shell's script is generated (bash's parses), and every page is
/// valid roff that names its command (groff finds nothing to warn about,
/// where groff is installed, as `man -l` reads it: through preconv).
#[test]
fn completions_and_man_pages_are_generated() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = dpol(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(
            script.contains("completions") && script.contains("manpage"),
            "{shell}"
        );
        assert!(script.contains("error-format"), "{shell}: {script}");
    }
    let bash = dpol(&["completions", "bash"]).stdout;
    let dir = scratch("completions");
    let script = write(dir.path(), "dpol.bash", &bash);
    let parsed = Command::new("bash").args(["-n", &script]).output().unwrap();
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    assert_eq!(dpol(&["completions", "tcsh"]).status.code(), Some(2));

    let groff = Command::new("groff").arg("--version").output().is_ok()
        && Command::new("preconv").arg("--version").output().is_ok();
    if !groff {
        println!("groff or preconv not installed: man pages generated but not rendered");
    }
    // dpol(1), and every dpol-NAME(1) it names.
    let top = String::from_utf8(dpol(&["manpage"]).stdout).unwrap();
    let named: Vec<String> = top
        .split("dpol\\-")
        .skip(1)
        .filter_map(|rest| rest.split_once("(1)").map(|(name, _)| name.to_string()))
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    for wanted in [
        "check",
        "build",
        "diff",
        "why",
        "test",
        "fmt",
        "lsp",
        "explain",
        "completions",
    ] {
        assert!(
            named.iter().any(|n| n == wanted),
            "dpol(1) does not name dpol-{wanted}(1): {named:?}"
        );
    }
    assert!(!named.iter().any(|n| n == "help"), "{named:?}");
    let pages: Vec<&str> = std::iter::once("")
        .chain(named.iter().map(String::as_str))
        .collect();
    for page in pages {
        let args: Vec<&str> = ["manpage", page]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let out = dpol(&args);
        assert_eq!(out.status.code(), Some(0), "{page}");
        let roff = String::from_utf8(out.stdout).unwrap();
        let title = if page.is_empty() {
            ".TH dpol 1".to_string()
        } else {
            format!(".TH dpol-{page} 1")
        };
        assert!(roff.contains(&title), "{page}: {roff}");
        if groff {
            let file = write(dir.path(), "page.1", roff.as_bytes());
            let shell = format!("preconv {file} | groff -man -z -ww");
            let rendered = Command::new("sh").args(["-c", &shell]).output().unwrap();
            assert!(rendered.status.success(), "{page}");
            assert_eq!(String::from_utf8_lossy(&rendered.stderr), "", "{page}");
        }
    }
    let unknown = dpol(&["manpage", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("dpol-check"));
}

/// Runs dpol with `stdin` as standard input.
fn dpol_stdin(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A process may exit without reading its input (a refused command): the
    // write then fails with a broken pipe, and the exit status tells.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

/// The one diagnostic of a `--error-format json` run that exited 1.
fn only_diagnostic(out: &Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{report}");
    diagnostics[0].clone()
}

#[test]
fn a_buffer_on_stdin_is_checked_with_the_rest_of_its_program() {
    let dir = scratch("stdin");
    write(
        dir.path(),
        "accounts.dpol",
        b"account prod = 111122223333\nregion us-east-1\n",
    );
    let grants = write(dir.path(), "grants.dpol", b"table Orders in prod\n");
    let buffer = "table Orders in prod\nuser alice in prod\nalice reads Ordrs\n";
    // Alone, the file lacks its account and region.
    let alone = dpol_stdin(&["check", "--error-format", "json", "-"], buffer);
    let alone = String::from_utf8(alone.stdout).unwrap();
    assert!(
        alone.contains("E0206") && alone.contains("\"file\": \"<stdin>\""),
        "{alone}"
    );
    // Named, it is checked with its directory, and its unsaved text (not
    // the file on disk) is what is checked.
    let out = dpol_stdin(
        &[
            "check",
            "--error-format",
            "json",
            "--stdin-filename",
            &grants,
        ],
        buffer,
    );
    let diagnostic = only_diagnostic(&out);
    assert_eq!(diagnostic["code"], "E0201");
    assert_eq!(diagnostic["file"], grants.as_str());
    assert_eq!(diagnostic["line"], 3);
    // Fixed, the program is clean: two files, the buffer read once.
    let out = dpol_stdin(
        &["check", "--stdin-filename", &grants, "-"],
        &buffer.replace("Ordrs", "Orders"),
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("checked 2 files: no problems"), "{stderr}");
    // A new file, not yet on disk, joins its directory's program too.
    let new = dir.path().join("new.dpol").display().to_string();
    let out = dpol_stdin(&["check", "--stdin-filename", &new], "user bob in prod\n");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("checked 3 files: no problems"), "{stderr}");
}

#[test]
fn one_file_with_its_directory_is_checked_as_its_program() {
    let dir = scratch("with-directory");
    write(
        dir.path(),
        "accounts.dpol",
        b"account prod = 111122223333\nregion us-east-1\n",
    );
    std::fs::create_dir(dir.path().join("tables")).unwrap();
    write(
        &dir.path().join("tables"),
        "orders.dpol",
        b"table Orders in prod\n",
    );
    let grants = write(
        dir.path(),
        "grants.dpol",
        b"user alice in prod\nalice reads Orders\n",
    );
    // Alone, the file lacks its account, region and table.
    let alone = dpol(&["check", "--error-format", "json", &grants]);
    assert_eq!(alone.status.code(), Some(1));
    let alone = String::from_utf8(alone.stdout).unwrap();
    assert!(alone.contains("E0201"), "{alone}");
    // With its directory (and below), the program is whole; the file named
    // and found again is read once.
    let out = dpol(&["check", "--with-directory", &grants]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("checked 3 files: no problems"), "{stderr}");
    // Its error is still its own, with its name.
    std::fs::write(&grants, "user alice in prod\nalice reads Ordrs\n").unwrap();
    let out = dpol(&[
        "check",
        "--with-directory",
        "--error-format",
        "json",
        &grants,
    ]);
    let diagnostic = only_diagnostic(&out);
    assert_eq!(diagnostic["code"], "E0201");
    assert_eq!(diagnostic["file"], grants.as_str());
}

#[test]
fn sources_and_a_deployed_input_cannot_both_be_stdin() {
    let out = dpol_stdin(&["diff", "-", "--against", "-"], "table T\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("E0104"));
}
