//! The external tools some tests need, and what happens without them.
//!
//! The independent IAM evaluator (node and `npm ci --prefix tests/sim`) and
//! parliament (Python, `pip install -r tests/sim/requirements.txt`) are test
//! tools, not dependencies of dpol. Without one, a test that needs it skips
//! and says why on stderr (outside the test harness's capture, so a plain
//! `cargo test` shows it). With `DPOL_TEST_TOOLS=1`, as `ci/test-all.sh`
//! sets, a missing tool fails the test instead: CI never skips silently.

#![allow(dead_code)] // each test file uses the tools it needs

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

#[derive(Clone, Copy, Debug)]
pub enum Tool {
    /// node, and `@cloud-copilot/iam-simulate` and `iam-policy` under
    /// `tests/sim`.
    Evaluator,
    /// python3 with the `parliament` package.
    Parliament,
}

/// Why `tool` cannot run here, or `None` when it can.
fn missing(tool: Tool) -> Option<String> {
    let runs = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    match tool {
        Tool::Evaluator => {
            let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sim/node_modules");
            let installed = ["iam-simulate", "iam-policy"]
                .iter()
                .all(|m| modules.join("@cloud-copilot").join(m).is_dir());
            if !runs("node", &["--version"]) {
                Some("node is not on PATH".to_string())
            } else if !installed {
                Some("the IAM evaluator is not installed (npm ci --prefix tests/sim)".to_string())
            } else {
                None
            }
        }
        Tool::Parliament => (!runs("python3", &["-c", "import parliament"])).then(|| {
            "parliament is not installed (pip install -r tests/sim/requirements.txt)".to_string()
        }),
    }
}

/// True when `tool` can run. Otherwise prints why the test skips and returns
/// false, or panics when `DPOL_TEST_TOOLS=1`.
pub fn ready(tool: Tool, module: &str) -> bool {
    let Some(why) = missing(tool) else {
        return true;
    };
    // The test harness names each test's thread after the test.
    let thread = std::thread::current();
    let test = thread.name().filter(|n| *n != "main").unwrap_or(module);
    if std::env::var("DPOL_TEST_TOOLS").is_ok_and(|v| v == "1") {
        panic!("{test}: {why}; DPOL_TEST_TOOLS=1 requires every test tool");
    }
    let _ = writeln!(
        std::io::stderr(),
        "skipped {test}: {why}; `bash ci/test-all.sh` installs it (DPOL_TEST_TOOLS=1 makes this a failure)"
    );
    false
}

/// Returns from the test when `tool` cannot run (see [`ready`]).
macro_rules! require {
    ($tool:expr) => {
        if !$crate::tools::ready($tool, module_path!()) {
            return;
        }
    };
}
