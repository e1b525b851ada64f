//! The `dpol` command: parse arguments, dispatch, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match dpol::cli::Cli::try_parse() {
        Ok(cli) => dpol::cli::run(cli),
        Err(e) => {
            let _ = e.print();
            if e.use_stderr() {
                let args: Vec<String> = std::env::args().collect();
                ExitCode::from(dpol::cli::usage_exit_code(&args))
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
