//! The one golden-file mechanism of the integration tests: compare output
//! with a reviewed file; `DPOL_BLESS=1` rewrites the file instead, and the
//! change is then reviewed in `git diff` before it is committed.

use std::path::Path;

/// Whether this run rewrites golden files (`DPOL_BLESS=1`).
pub fn blessing() -> bool {
    std::env::var_os("DPOL_BLESS").is_some()
}

/// `Ok` when `actual` is the golden file's text (or the run blesses, and the
/// file is rewritten); else a unified diff, expected against actual.
pub fn compare(path: &Path, actual: &str) -> Result<(), String> {
    if blessing() {
        return std::fs::write(path, actual).map_err(|e| format!("{}: {e}", path.display()));
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected == actual {
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string();
    Err(format!("{}:\n{diff}", path.display()))
}
