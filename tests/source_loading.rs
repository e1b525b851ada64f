//! Reading sources: symbolic-link cycles, files that are not regular files,
//! a size limit, a byte-order mark, NUL bytes. Every case ends with a coded
//! diagnostic, never a hang, a panic or running out of memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod diff_common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use diff_common::{stderr_of, TempDir};

const PROGRAM: &str = "account prod = 111122223333\nregion us-east-1\ntable Books in prod\nuser alice in prod\nalice reads Books\n";

/// Runs dpol with `env`; a run still going after a minute is killed and the
/// test fails (a guard against a hang, not a timing assertion).
fn dpol_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!("dpol {args:?} hung; stderr: {}", stderr_of(&out));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn dpol(args: &[&str]) -> Output {
    dpol_env(args, &[])
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A failure with `code`, exit `exit`, no panic.
fn assert_refused(out: &Output, exit: i32, code: &str) -> String {
    let err = stderr_of(out);
    assert_eq!(out.status.code(), Some(exit), "{err}");
    assert!(
        err.contains(&format!("[{code}]")),
        "expected {code}:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// The bug: a directory symlink back to an ancestor was followed until the
/// path was too long, so one file was read dozens of times (duplicate
/// definitions everywhere) or the walk never ended.
#[cfg(unix)]
#[test]
fn a_directory_symlink_cycle_is_an_error_not_a_loop() {
    let dir = TempDir::new("cycle");
    dir.write("policies/a.dpol", PROGRAM);
    std::os::unix::fs::symlink("..", dir.0.join("policies/up")).unwrap();
    std::os::unix::fs::symlink(".", dir.0.join("policies/here")).unwrap();
    let out = dpol(&["check", path(&dir.0.join("policies"))]);
    let err = assert_refused(&out, 2, "E0112");
    assert!(!err.contains("E0202"), "{err}");
    assert!(err.contains("policies/here"), "{err}");
}

/// A symlink to a sibling directory is no cycle: its files are read.
#[cfg(unix)]
#[test]
fn a_directory_symlink_that_is_no_cycle_is_followed() {
    let dir = TempDir::new("alias");
    dir.write("shared/a.dpol", PROGRAM);
    dir.write("policies/b.dpol", "# nothing\n");
    std::os::unix::fs::symlink("../shared", dir.0.join("policies/shared")).unwrap();
    let out = dpol(&["check", path(&dir.0.join("policies"))]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}

/// The bug: a FIFO named `*.dpol` in a source directory blocked `dpol check`
/// forever (the open waits for a writer).
#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = TempDir::new("fifo");
    dir.write("a.dpol", PROGRAM);
    let fifo = dir.0.join("pipe.dpol");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let err = assert_refused(&dpol(&["check", path(&dir.0)]), 2, "E0110");
    assert!(err.contains("pipe.dpol") && err.contains("FIFO"), "{err}");
    assert_refused(&dpol(&["check", path(&fifo)]), 2, "E0110");
}

/// The bug: `dpol check /dev/zero` read until memory ran out.
#[cfg(unix)]
#[test]
fn a_device_is_refused() {
    let err = assert_refused(&dpol(&["check", "/dev/zero"]), 2, "E0110");
    assert!(err.contains("character device"), "{err}");
}

/// A socket named `*.dpol` (the read used to fail with an OS error).
#[cfg(unix)]
#[test]
fn a_socket_is_refused() {
    let dir = TempDir::new("socket");
    let socket = dir.0.join("sock.dpol");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let err = assert_refused(&dpol(&["check", path(&dir.0)]), 2, "E0110");
    assert!(err.contains("socket"), "{err}");
}

/// The bug: no limit, so any file was read whole into memory. The error says
/// what the limit is and how to raise it.
#[test]
fn files_over_the_size_limit_are_refused_with_the_way_out() {
    let dir = TempDir::new("size");
    let text = format!("{PROGRAM}{}", "# padding\n".repeat(300));
    dir.write("big.dpol", &text);
    let big = dir.0.join("big.dpol");
    let out = dpol_env(&["check", path(&big)], &[("DPOL_MAX_FILE_BYTES", "1000")]);
    let err = assert_refused(&out, 2, "E0111");
    assert!(err.contains("1000 bytes"), "{err}");
    assert!(err.contains("DPOL_MAX_FILE_BYTES"), "{err}");
    let raised = dpol_env(&["check", path(&big)], &[("DPOL_MAX_FILE_BYTES", "100000")]);
    assert_eq!(raised.status.code(), Some(0), "{}", stderr_of(&raised));
    let nonsense = dpol_env(&["check", path(&big)], &[("DPOL_MAX_FILE_BYTES", "lots")]);
    assert_refused(&nonsense, 2, "E0111");
}

/// The bug: a UTF-8 byte-order mark (as some Windows editors write) was a
/// syntax error at 1:1 with an invisible culprit. It is stripped.
#[test]
fn a_byte_order_mark_is_stripped() {
    let dir = TempDir::new("bom");
    dir.write("bom.dpol", &format!("\u{feff}{PROGRAM}"));
    let out = dpol(&["check", path(&dir.0.join("bom.dpol"))]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}

/// The bug: a NUL byte reached the terminal raw ("found `\0`" printed an
/// actual NUL), invisible in most terminals and logs.
#[test]
fn a_nul_byte_is_shown_as_backslash_zero() {
    let dir = TempDir::new("nul");
    let file = dir.0.join("nul.dpol");
    std::fs::write(&file, PROGRAM.replace("reads Books", "reads\0 Books")).unwrap();
    for format in ["human", "plain", "json"] {
        let out = dpol(&["check", "--error-format", format, path(&file)]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        let text = String::from_utf8_lossy(&all);
        assert!(
            !all.contains(&0),
            "a raw NUL in the {format} output: {text}"
        );
        assert!(!text.contains("\\u0000"), "{format}: {text}");
        assert!(
            text.contains("E0113") && text.contains(r"\0"),
            "{format}: {text}"
        );
        assert!(
            text.contains("nul.dpol:5:12") || text.contains("\"line\": 5"),
            "{format}: {text}"
        );
    }
}

/// The same checks hold for what `dpol diff` reads: a FIFO given as deployed
/// state blocked the diff forever; an oversized AWS CLI output was read whole.
#[cfg(unix)]
#[test]
fn deployed_inputs_are_checked_the_same_way() {
    let dir = TempDir::new("deployed-fifo");
    dir.write("a.dpol", PROGRAM);
    let fifo = dir.0.join("iam.json");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let program = dir.0.join("a.dpol");
    let out = dpol(&["diff", path(&program), "--against", path(&fifo)]);
    assert_refused(&out, 1, "E0110");
    let json_dir = TempDir::new("deployed-big");
    json_dir.write(
        "iam.json",
        &format!("{{\"UserDetailList\": [{}]}}", " ".repeat(5000)),
    );
    let out = dpol_env(
        &["diff", path(&program), "--against", path(&json_dir.0)],
        &[("DPOL_MAX_FILE_BYTES", "1000")],
    );
    assert_refused(&out, 1, "E0111");
}
