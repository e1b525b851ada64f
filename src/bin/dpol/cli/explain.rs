//! `dpol explain CODE`: the long explanation of a diagnostic code.

use std::process::ExitCode;

use dpol::diag::Code;

pub fn run(code: Option<&str>, list: bool) -> ExitCode {
    if list || code.is_none() {
        for c in Code::ALL {
            println!("{}  {}", c.as_str(), c.title());
        }
        return ExitCode::SUCCESS;
    }
    let text = code.unwrap_or_default();
    match Code::parse(text) {
        Some(c) => {
            print!("{}", c.explanation());
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "error: `{text}` is not a dpol diagnostic code; `dpol explain --list` lists them"
            );
            ExitCode::from(2)
        }
    }
}
