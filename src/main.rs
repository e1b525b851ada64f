//! The `dpol` command: parse arguments, dispatch, exit.

use clap::Parser;

fn main() -> std::process::ExitCode {
    dpol::cli::run(dpol::cli::Cli::parse())
}
