//! Build script: the fast recognizer generated from `grammar/dpol.pest`
//! (`grammar/fast_parser.rs`), and the git revision for `dpol --version`,
//! when dpol is built from a git checkout of its own repository (`.git` next
//! to `Cargo.toml`). Anywhere else (a crate download, a source tarball, no
//! `git`) the version is the package version alone.

#[path = "grammar/fast_parser.rs"]
mod fast_parser;

use std::path::Path;
use std::process::Command;

fn main() {
    generate_parser();
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

/// Writes `$OUT_DIR/fast_parser.rs`; a grammar it cannot translate fails
/// the build with the reason.
fn generate_parser() {
    println!("cargo:rerun-if-changed=grammar/dpol.pest");
    println!("cargo:rerun-if-changed=grammar/fast_parser.rs");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".to_string());
    let generated = std::fs::read_to_string("grammar/dpol.pest")
        .map_err(|e| format!("grammar/dpol.pest: {e}"))
        .and_then(|grammar| fast_parser::generate(&grammar))
        .and_then(|code| {
            std::fs::write(Path::new(&out).join("fast_parser.rs"), code)
                .map_err(|e| format!("{out}/fast_parser.rs: {e}"))
        });
    if let Err(reason) = generated {
        eprintln!("error: cannot generate the fast parser: {reason}");
        std::process::exit(1);
    }
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
