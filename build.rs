//! Build script: the git revision for `dpol --version`, when dpol is built
//! from a git checkout of its own repository (`.git` next to `Cargo.toml`).
//! Anywhere else (a crate download, a source tarball, no `git`) the version
//! is the package version alone.

use std::path::Path;
use std::process::Command;

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_string());
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let git = Path::new(&dir).join(".git");
    let revision = if git.exists() {
        watch(&git);
        revision(&dir)
    } else {
        None
    };
    let full = match revision {
        Some(rev) => format!("{version} (git {rev})"),
        None => version,
    };
    println!("cargo:rustc-env=DPOL_VERSION={full}");
    println!("cargo:rerun-if-changed=build.rs");
}

/// Reruns this script when HEAD moves: HEAD itself, the branch it names,
/// and the packed refs. Only files that exist are named (cargo reruns a
/// script on every build for a missing one).
fn watch(git: &Path) {
    let head = git.join("HEAD");
    let mut files = vec![head.clone(), git.join("packed-refs")];
    if let Ok(text) = std::fs::read_to_string(&head) {
        if let Some(branch) = text.trim().strip_prefix("ref: ") {
            files.push(git.join(branch));
        }
    }
    for file in files.iter().filter(|f| f.is_file()) {
        println!("cargo:rerun-if-changed={}", file.display());
    }
}

/// The abbreviated commit of HEAD, if `git` can tell.
fn revision(dir: &str) -> Option<String> {
    let out = Command::new("git")
        .args(["-C", dir, "rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let rev = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!rev.is_empty() && rev.chars().all(|c| c.is_ascii_hexdigit())).then_some(rev)
}
