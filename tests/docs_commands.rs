//! The commands the documentation shows run, so the docs cannot drift from
//! the tool: every `dpol …` line of a `sh`/`bash`/`console` block in
//! README.md, grammar/README.md and docs/*.md runs, in document order, in
//! one scratch directory holding a copy of `examples/` (and of it as
//! `policies/`, the directory name docs/ci.md uses) with the repository's
//! `tests/` beside it. `cargo run --release --` stands for `dpol`. A command
//! passes when it is accepted (no usage error) and reports no error
//! diagnostic (no `error[E…]`, no E-code in JSON): exit 1 (denied) and 2
//! (a diff with changes) are answers, not failures. Lines that follow a
//! command in the same block, other than `...`, are output the command must
//! print. Other commands of those blocks (`cargo install`, the AWS CLI, the
//! test script) are listed in `NOT_RUN` with the reason; a new one fails
//! until it is run or listed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use std::path::{Path, PathBuf};
use std::process::Command;

/// Commands shown but not run here, by how they begin, and why.
const NOT_RUN: &[(&str, &str)] = &[
    (
        "bash ci/test-all.sh",
        "it is the test command that runs this test",
    ),
    (
        "cargo install",
        "installing is what CI's build of the binary already proves",
    ),
    (
        "aws ",
        "needs AWS credentials; ci/test-diff-roundtrip.sh runs these against moto",
    ),
    ("for ", "a loop over AWS CLI calls (see `aws `)"),
    ("done", "the end of that loop"),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One shown command: where, the command line, and the output lines shown.
struct Shown {
    place: String,
    command: String,
    output: Vec<String>,
}

fn shown_commands() -> (Vec<Shown>, Vec<String>) {
    let mut docs = vec!["README.md".to_string(), "grammar/README.md".to_string()];
    let mut more: Vec<String> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| format!("docs/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    more.sort();
    docs.extend(more);
    let mut commands: Vec<Shown> = Vec::new();
    let mut unknown = Vec::new();
    for doc in &docs {
        let text = std::fs::read_to_string(root().join(doc)).unwrap();
        let mut shell = None::<bool>;
        let mut in_command = false;
        for (n, line) in text.lines().enumerate() {
            let place = format!("{doc}:{}", n + 1);
            if let Some(info) = line.trim_start().strip_prefix("```") {
                shell = match shell {
                    None => Some(matches!(info.trim(), "sh" | "bash" | "console" | "shell")),
                    Some(_) => None,
                };
                in_command = false;
                continue;
            }
            if shell != Some(true) {
                continue;
            }
            let line = line.trim_start_matches("$ ");
            let command = line.split("  #").next().unwrap_or(line).trim_end();
            let dpol = command
                .strip_prefix("cargo run --release -- ")
                .map(|rest| format!("dpol {rest}"))
                .or_else(|| command.starts_with("dpol ").then(|| command.to_string()));
            if let Some(command) = dpol {
                commands.push(Shown {
                    place,
                    command,
                    output: Vec::new(),
                });
                in_command = true;
            } else if line.trim_start().starts_with('#')
                || line.trim().is_empty()
                || NOT_RUN
                    .iter()
                    .any(|(prefix, _)| line.trim_start().starts_with(prefix))
            {
                in_command = false;
            } else if in_command {
                if line.trim() != "..." {
                    commands
                        .last_mut()
                        .unwrap()
                        .output
                        .push(line.trim().to_string());
                }
            } else {
                unknown.push(format!("{place}: {line}"));
            }
        }
    }
    (commands, unknown)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn every_command_the_docs_show_runs() {
    let (commands, unknown) = shown_commands();
    assert!(
        unknown.is_empty(),
        "shell lines the docs show that this test neither runs nor lists in NOT_RUN:\n{}",
        unknown.join("\n")
    );
    assert!(
        commands.len() >= 10,
        "only {} commands found",
        commands.len()
    );
    let scratch = tempfile::tempdir().unwrap();
    copy_dir(&root().join("examples"), &scratch.path().join("examples"));
    copy_dir(&root().join("examples"), &scratch.path().join("policies"));
    std::os::unix::fs::symlink(root().join("tests"), scratch.path().join("tests")).unwrap();
    let bin = scratch.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_dpol"), bin.join("dpol")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut failures = Vec::new();
    for shown in &commands {
        let out = Command::new("sh")
            .arg("-c")
            .arg(&shown.command)
            .current_dir(scratch.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let all = format!("{stdout}{stderr}");
        let code = out.status.code().unwrap_or(-1);
        let usage = stderr.contains("Usage:") || !(0..=2).contains(&code);
        let errors = all.contains("error[E") || all.contains("\"severity\": \"error\"");
        let missing: Vec<&String> = shown
            .output
            .iter()
            .filter(|line| !all.contains(line.as_str()))
            .collect();
        if usage || errors || !missing.is_empty() {
            failures.push(format!(
                "{}: `{}` (exit {code}){}\n{all}",
                shown.place,
                shown.command,
                if missing.is_empty() {
                    String::new()
                } else {
                    format!("; the docs show output it did not print: {missing:?}")
                }
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for (prefix, why) in NOT_RUN {
        println!("not run: `{prefix}…`: {why}");
    }
}
