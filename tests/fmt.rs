//! `dpol fmt`: files rewritten in place (only when their layout changes,
//! only when they parse, atomically, through symbolic links, keeping their
//! permissions), `--check` with a diff and exit 1, standard input to
//! standard output, and the build of a formatted program: the same policy
//! documents, byte for byte. The layout itself, its idempotence and the
//! unchanged syntax tree over every example, UI case and generated program
//! are tested in `src/syntax/format.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn dpol(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DPOL_TODAY", "2026-11-23")
        .output()
        .unwrap()
}

fn dpol_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // dpol may refuse the command before it reads its input.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("dpol-fmt-{name}-"))
        .tempdir()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `line` cut before its comment (a `#` outside a string).
fn split_comment(line: &str) -> (&str, &str) {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => return line.split_at(i),
            _ => {}
        }
    }
    (line, "")
}

/// `text` laid out badly, but meaning the same: one-line declarations
/// joined with `;`, odd spaces, no space after commas, more blank lines,
/// `\r\n`, spaces at line ends.
fn messy(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let joinable = |l: &str| (l.starts_with("role ") || l.starts_with("user ")) && !l.contains('#');
    let mut out = String::from("\n\n");
    for (i, line) in lines.iter().enumerate() {
        let (code, comment) = split_comment(line);
        let code = code
            .replace(", ", ",")
            .replace(" = ", "=")
            .replace(": ", " :  ");
        if line.is_empty() {
            out.push_str("\n\n");
        }
        if joinable(line) && lines.get(i + 1).is_some_and(|next| joinable(next)) {
            out.push_str(&code);
            out.push_str(" ; ");
            continue;
        }
        out.push('\t');
        out.push_str(&code);
        out.push_str(comment);
        out.push_str("   \r\n");
    }
    out
}

/// Every file of a build but the manifest, by name.
fn documents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != "manifest.json") {
                files.push((
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    files.sort();
    files
}

/// The manifest without its source places (lines and columns, which follow
/// the layout; file paths, which differ between the two builds).
fn manifest_without_places(dir: &Path) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.retain(|k, _| !k.contains("line") && !k.contains("column") && k != "file");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    strip(&mut v);
    v
}

fn build(src: &Path, out_dir: &Path) {
    let o = dpol(&["build", path(src), "-o", path(out_dir)]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

#[test]
fn the_examples_are_formatted() {
    let o = dpol(&["fmt", "--check", "examples"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(o.stdout.is_empty(), "{}", out(&o));
    assert_eq!(
        err(&o).trim(),
        "checked the layout of 4 files, 0 not formatted: no problems"
    );
}

/// A messy copy of a program: `--check` shows diffs and exits 1 without
/// writing; `fmt` writes the canonical layout; the build gives the same
/// documents as the original's, byte for byte.
fn round_trip(name: &str, files: &[(String, String)], canonical: bool) {
    let dir = scratch(name);
    let original = dir.path().join("original");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&original).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    for (file, text) in files {
        std::fs::write(original.join(file), text).unwrap();
        std::fs::write(work.join(file), messy(text)).unwrap();
    }
    let before: Vec<_> = files
        .iter()
        .map(|(f, _)| std::fs::read(work.join(f)).unwrap())
        .collect();
    let o = dpol(&["fmt", "--check", path(&work)]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(
        out(&o).contains("+++ ") && out(&o).contains("(formatted)"),
        "{}",
        out(&o)
    );
    let after: Vec<_> = files
        .iter()
        .map(|(f, _)| std::fs::read(work.join(f)).unwrap())
        .collect();
    assert_eq!(before, after, "--check wrote");

    let o = dpol(&["fmt", path(&work)]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains(&format!("{n} reformatted", n = files.len())),
        "{}",
        err(&o)
    );
    let o = dpol(&["fmt", "--check", path(&work)]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    if canonical {
        for (file, text) in files {
            assert_eq!(
                &std::fs::read_to_string(work.join(file)).unwrap(),
                text,
                "{file}"
            );
        }
    }
    let (a, b) = (dir.path().join("out-a"), dir.path().join("out-b"));
    build(&original, &a);
    build(&work, &b);
    let docs = documents(&a);
    assert!(docs.len() > 3, "{docs:?}");
    assert!(docs == documents(&b), "the documents differ");
    assert!(
        manifest_without_places(&a) == manifest_without_places(&b),
        "the manifests differ beyond their source places"
    );
}

#[test]
fn a_messy_copy_of_the_examples_formats_back_and_builds_the_same_documents() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "dpol"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    round_trip("examples", &files, true);
}

#[test]
fn a_messy_generated_program_builds_the_same_documents_once_formatted() {
    let text = dpol_gen::program_with(7, 2000, None, None, 20, 3);
    round_trip("generated", &[("gen.dpol".to_string(), text)], false);
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_left_alone() {
    let dir = scratch("syntax");
    let bad = dir.path().join("bad.dpol");
    let good = dir.path().join("good.dpol");
    std::fs::write(&bad, "region  us-east-1;alice raeds Orders\n").unwrap();
    std::fs::write(&good, "region us-east-1 ;region eu-west-1").unwrap();
    let o = dpol(&["fmt", path(dir.path())]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("error[E0101]"), "{}", err(&o));
    assert!(err(&o).contains("did you mean `reads`?"), "{}", err(&o));
    assert_eq!(
        std::fs::read_to_string(&bad).unwrap(),
        "region  us-east-1;alice raeds Orders\n"
    );
    // The other file is formatted all the same.
    assert_eq!(
        std::fs::read_to_string(&good).unwrap(),
        "region us-east-1\nregion eu-west-1\n"
    );
    // Machine-readable diagnostics go to standard error: stdout is fmt's.
    let o = dpol(&["fmt", "--error-format", "json", path(&bad)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "{}", out(&o));
    assert!(err(&o).contains("\"code\": \"E0101\""), "{}", err(&o));
}

#[test]
fn a_file_that_is_not_text_is_reported_and_left_alone() {
    let dir = scratch("binary");
    let file = dir.path().join("bin.dpol");
    std::fs::write(&file, b"region a;\xff\xfe region b").unwrap();
    let o = dpol(&["fmt", path(&file)]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("error[E0102]"), "{}", err(&o));
    assert_eq!(std::fs::read(&file).unwrap(), b"region a;\xff\xfe region b");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_stays_a_link_and_permissions_stay() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch("link");
    let target = dir.path().join("real.dpol");
    std::fs::write(&target, "region a;region b").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link.dpol");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let o = dpol(&["fmt", path(&link)]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "region a\nregion b\n"
    );
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn an_unchanged_file_is_not_written() {
    let dir = scratch("unchanged");
    let file = dir.path().join("ok.dpol");
    std::fs::write(&file, "region a\n").unwrap();
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let o = dpol(&["fmt", path(&file)]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("0 reformatted"), "{}", err(&o));
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), old);
}

#[test]
fn standard_input_is_formatted_to_standard_output() {
    let o = dpol_stdin(&["fmt", "-"], b"region a;region b # why");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "region a\nregion b  # why\n");
    assert!(o.stderr.is_empty(), "{}", err(&o));

    let o = dpol_stdin(
        &["fmt", "--check", "--stdin-filename", "x/y.dpol"],
        b"region a;region b",
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(
        out(&o).starts_with("--- x/y.dpol\n+++ x/y.dpol (formatted)\n"),
        "{}",
        out(&o)
    );

    let o = dpol_stdin(&["fmt", "--check", "--stdin"], b"region a\n");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(o.stdout.is_empty());

    let o = dpol_stdin(
        &["fmt", "--stdin-filename", "buffer.dpol"],
        b"alice raeds T\n",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "{}", out(&o));
    assert!(err(&o).contains("buffer.dpol:1:7"), "{}", err(&o));

    let o = dpol_stdin(&["fmt", "-", "examples"], b"region a\n");
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}
