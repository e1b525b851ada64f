//! The `dpol` command: parse arguments, dispatch, exit. The command's own
//! parts live in this crate: the clap types and each subcommand ([`cli`]),
//! writing a build to disk ([`out_dir`]), reading sources at a git
//! revision ([`revision`]) and the language server ([`lsp`]); the compiler is the `dpol` library.

mod cli;
mod lsp;
mod out_dir;
mod revision;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match cli::Cli::try_parse() {
        Ok(cli) => cli::run(cli),
        Err(e) => {
            let _ = e.print();
            if e.use_stderr() {
                let args: Vec<String> = std::env::args().collect();
                ExitCode::from(cli::usage_exit_code(&args))
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
