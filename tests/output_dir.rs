//! `dpol build -o OUT`: what may be replaced, and how. OUT is replaced only
//! when it is dpol's own output (a dpol manifest and nothing it does not
//! list), by an atomic exchange with no moment at which OUT is missing; an
//! interrupted build leaves nothing that the next build does not remove; a
//! symbolic link OUT is built into its target.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

mod diff_common;

#[path = "diff_mutations/xorshift.rs"]
#[allow(dead_code)] // only `next` is used here
mod xorshift;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diff_common::{stderr_of, TempDir};
use xorshift::XorShift;

const PROGRAM: &str = "account prod = 111122223333\nregion us-east-1\ntable Books in prod\nuser alice in prod\nalice reads Books\n";

fn dpol(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(args)
        .env("DPOL_TODAY", "2026-11-23")
        .output()
        .unwrap()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn build(program: &Path, out: &Path) -> Output {
    dpol(&["build", s(program), "-o", s(out)])
}

fn assert_built(program: &Path, out: &Path) {
    let o = build(program, out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
}

fn assert_refused(o: &Output, code: &str) -> String {
    let err = stderr_of(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("[{code}]")),
        "expected {code}:\n{err}"
    );
    err
}

/// Every file below `root` (no links followed) with its bytes; links and
/// other entries as a marker.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let kind = std::fs::symlink_metadata(&path).unwrap().file_type();
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                files.insert(relative, std::fs::read(&path).unwrap());
            } else {
                files.insert(relative, b"<not a file>".to_vec());
            }
        }
    }
    files
}

/// The dpol names next to `out`: staging and old directories.
fn litter(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.dpol-")))
        .collect()
}

/// The bug: any directory holding a file named `manifest.json` counted as
/// dpol output and was replaced, so `-o webapp` deleted a web app (its
/// `manifest.json` is a web manifest) with everything in it.
#[test]
fn a_directory_with_someone_elses_manifest_is_never_replaced() {
    let dir = TempDir::new("out-webapp");
    dir.write("p.dpol", PROGRAM);
    dir.write("webapp/manifest.json", r#"{"name": "My app", "icons": []}"#);
    dir.write("webapp/src/index.js", "console.log('keep me');\n");
    let webapp = dir.0.join("webapp");
    let before = tree(&webapp);
    let err = assert_refused(&build(&dir.0.join("p.dpol"), &webapp), "E0109");
    assert!(err.contains("manifest.json"), "{err}");
    assert_eq!(tree(&webapp), before);
    assert!(litter(&webapp).is_empty(), "{:?}", litter(&webapp));

    // A dpol manifest does not make other files dpol's.
    let out = dir.0.join("out");
    assert_built(&dir.0.join("p.dpol"), &out);
    dir.write("out/notes.txt", "mine");
    dir.write("out/identity/extra.json", "{}");
    let before = tree(&out);
    let err = assert_refused(&build(&dir.0.join("p.dpol"), &out), "E0109");
    assert!(err.contains("notes.txt"), "{err}");
    assert_eq!(tree(&out), before);

    // The way out the message names: remove them, and the build replaces OUT.
    std::fs::remove_file(out.join("notes.txt")).unwrap();
    std::fs::remove_file(out.join("identity/extra.json")).unwrap();
    assert_built(&dir.0.join("p.dpol"), &out);
}

/// A manifest that is not dpol's shape (no generator, wrong version, not
/// JSON) and a file where OUT should be are refused too; an empty directory
/// and a missing OUT are built into.
#[test]
fn only_a_dpol_manifest_makes_a_directory_dpol_output() {
    let dir = TempDir::new("out-shapes");
    dir.write("p.dpol", PROGRAM);
    let program = dir.0.join("p.dpol");
    for (label, manifest) in [
        ("no-generator", r#"{"version": 1, "documents": []}"#),
        (
            "version",
            r#"{"version": 7, "generator": "dpol 9", "documents": []}"#,
        ),
        (
            "other-tool",
            r#"{"version": 1, "generator": "webpack", "documents": []}"#,
        ),
        ("not-json", "{"),
    ] {
        dir.write(&format!("{label}/manifest.json"), manifest);
        assert_refused(&build(&program, &dir.0.join(label)), "E0109");
        assert!(dir.0.join(label).join("manifest.json").exists());
    }
    dir.write("file", "not a directory");
    assert_refused(&build(&program, &dir.0.join("file")), "E0109");
    std::fs::create_dir(dir.0.join("empty")).unwrap();
    assert_built(&program, &dir.0.join("empty"));
    assert_built(&program, &dir.0.join("new/nested/out"));
}

/// The bug: OUT was renamed away and the new build renamed into place, so
/// between the two renames OUT did not exist. A watcher that stats OUT while
/// builds replace it must never find it missing.
#[test]
fn out_never_disappears_while_it_is_replaced() {
    let dir = TempDir::new("out-window");
    dir.write("a.dpol", PROGRAM);
    dir.write("b.dpol", &PROGRAM.replace("reads", "updates"));
    let out = dir.0.join("out");
    assert_built(&dir.0.join("a.dpol"), &out);
    let done = Arc::new(AtomicBool::new(false));
    let missing = Arc::new(AtomicUsize::new(0));
    let watcher = {
        let (done, missing, manifest) = (done.clone(), missing.clone(), out.join("manifest.json"));
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if std::fs::symlink_metadata(&manifest).is_err() {
                    missing.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };
    for i in 0..60 {
        let program = if i % 2 == 0 { "b.dpol" } else { "a.dpol" };
        assert_built(&dir.0.join(program), &out);
    }
    done.store(true, Ordering::Relaxed);
    watcher.join().unwrap();
    assert_eq!(missing.load(Ordering::Relaxed), 0, "OUT was missing");
}

/// The bug: `-o link` replaced the symbolic link with a directory, and the
/// link's target kept the old build. The build now goes into the target
/// (README: "`-o` through a symbolic link").
#[cfg(unix)]
#[test]
fn a_symlinked_out_is_built_into_its_target() {
    let dir = TempDir::new("out-link");
    dir.write("a.dpol", PROGRAM);
    dir.write("b.dpol", &PROGRAM.replace("reads", "updates"));
    let real = dir.0.join("builds/real");
    assert_built(&dir.0.join("a.dpol"), &real);
    let link = dir.0.join("out");
    std::os::unix::fs::symlink("builds/real", &link).unwrap();
    assert_built(&dir.0.join("b.dpol"), &link);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let written =
        std::fs::read_to_string(real.join("identity/111122223333/dpol-alice.json")).unwrap();
    assert!(written.contains("UpdateItem"), "{written}");
    assert!(litter(&link).is_empty() && litter(&real).is_empty());

    // A link to nowhere, or to something that is not dpol's, is refused.
    std::os::unix::fs::symlink("builds/none", dir.0.join("dangling")).unwrap();
    let o = build(&dir.0.join("a.dpol"), &dir.0.join("dangling"));
    assert_eq!(o.status.code(), Some(2), "{}", stderr_of(&o));
    assert!(!dir.0.join("builds/none").exists());
    dir.write("mine/keep.txt", "keep");
    std::os::unix::fs::symlink("mine", dir.0.join("to-mine")).unwrap();
    assert_refused(
        &build(&dir.0.join("a.dpol"), &dir.0.join("to-mine")),
        "E0109",
    );
    assert!(dir.0.join("mine/keep.txt").exists());
}

/// Staging directories of processes that are gone are removed by the next
/// build; those of a live process, and look-alikes that are not
/// directories, are left alone.
#[test]
fn stale_staging_directories_of_dead_processes_are_removed() {
    let dir = TempDir::new("out-stale");
    dir.write("p.dpol", PROGRAM);
    let out = dir.0.join("out");
    // A process that has exited: its pid is free (or reused, with another start time).
    let mut gone = Command::new("true").spawn().unwrap();
    let gone_pid = gone.id();
    gone.wait().unwrap();
    for what in ["tmp", "old"] {
        dir.write(
            &format!(".out.dpol-{what}-{gone_pid}-1/identity/x.json"),
            "{}",
        );
    }
    // This test's own process is alive.
    let alive = format!(".out.dpol-tmp-{}-{}", std::process::id(), own_start_time());
    dir.write(&format!("{alive}/x.json"), "{}");
    dir.write(".out.dpol-tmp-notanumber/x.json", "{}");
    dir.write(".out.dpol-tmp-1-1", "a file, not a directory");
    assert_built(&dir.0.join("p.dpol"), &out);
    let mut left = litter(&out);
    left.sort();
    let mut expected = vec![
        alive,
        ".out.dpol-tmp-1-1".to_string(),
        ".out.dpol-tmp-notanumber".to_string(),
    ];
    expected.sort();
    assert_eq!(left, expected);
}

/// The start time the output writer records for this process (field 22 of
/// `/proc/self/stat` on Linux, 0 elsewhere).
fn own_start_time() -> u64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            let after = stat.rsplit_once(')')?.1.to_string();
            after.split_whitespace().nth(19)?.parse().ok()
        })
        .unwrap_or(0)
}

/// Where a killed build may have been: a test helper that starts `dpol
/// build`, waits until its staging directory appears, lets it run a random
/// part of the time a whole write takes, and sends SIGKILL. Nothing is
/// asserted about time; the time only spreads the kills over the write.
struct Killer {
    rng: XorShift,
    write_time: Duration,
}

impl Killer {
    /// Measures how long the write takes (staging directory seen → exit).
    fn calibrate(program: &Path, out: &Path, seed: u64) -> Killer {
        let mut child = spawn_build(program, out);
        let seen = wait_for_staging(out, &mut child);
        let status = child.wait().unwrap();
        assert!(status.success());
        Killer {
            rng: XorShift::new(seed),
            write_time: seen.map_or(Duration::from_millis(50), |t| t.elapsed()),
        }
    }

    /// Builds `program` into `out` and kills it at a random point of its
    /// write; true if it was killed before it finished.
    fn kill_once(&mut self, program: &Path, out: &Path) -> bool {
        let mut child = spawn_build(program, out);
        wait_for_staging(out, &mut child);
        let nanos = self.write_time.as_nanos() as u64 * 2;
        let pause = Duration::from_nanos(self.rng.next() % nanos.max(1));
        std::thread::sleep(pause);
        let killed = child.try_wait().unwrap().is_none();
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        killed
    }
}

fn spawn_build(program: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_dpol"))
        .args(["build", s(program), "-o", s(out)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Polls until a staging directory of `out` exists or `child` exits; when
/// the directory was seen, the moment it was.
fn wait_for_staging(out: &Path, child: &mut std::process::Child) -> Option<Instant> {
    loop {
        if litter(out).iter().any(|n| n.contains("dpol-tmp")) {
            return Some(Instant::now());
        }
        if child.try_wait().unwrap().is_some() {
            return None;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// The bug: 31 of 60 SIGKILLs during a large build left `.OUT.dpol-tmp-PID`
/// or `.OUT.dpol-old-PID` directories that nothing removed. After every
/// kill OUT is one complete build (the old or the new, never a mix or
/// nothing), and the next build removes whatever the killed ones left.
#[test]
fn sigkill_at_random_points_never_loses_out_and_leaves_no_litter() {
    let dir = TempDir::new("out-kill");
    let text = dpol_gen::program(1, 3000, None, Some(600));
    let a = dir.0.join("a.dpol");
    std::fs::write(&a, &text).unwrap();
    let b = dir.0.join("b.dpol");
    std::fs::write(&b, text.replacen(" reads ", " updates ", 1)).unwrap();
    let (ref_a, ref_b) = (dir.0.join("ref-a"), dir.0.join("ref-b"));
    assert_built(&a, &ref_a);
    assert_built(&b, &ref_b);
    let (tree_a, tree_b) = (tree(&ref_a), tree(&ref_b));
    assert_ne!(tree_a, tree_b);

    let out = dir.0.join("out");
    assert_built(&a, &out);
    let mut killer = Killer::calibrate(&b, &out, 13);
    let (mut killed, mut littered, mut replaced) = (0, 0, 0);
    for i in 0..24 {
        let program = if i % 2 == 0 { &a } else { &b };
        if killer.kill_once(program, &out) {
            killed += 1;
        }
        if !litter(&out).is_empty() {
            littered += 1;
        }
        let now = tree(&out);
        assert!(
            now == tree_a || now == tree_b,
            "after kill {i}, OUT is neither build ({} files)",
            now.len()
        );
        if now == *(if i % 2 == 0 { &tree_a } else { &tree_b }) {
            replaced += 1;
        }
    }
    assert_built(&a, &out);
    assert_eq!(tree(&out), tree_a);
    assert!(litter(&out).is_empty(), "left behind: {:?}", litter(&out));
    eprintln!(
        "{killed} of 24 builds killed before they finished, {littered} left litter, \
         {replaced} had replaced OUT"
    );
}
