//! `dpol completions SHELL` and `dpol manpage [SUBCOMMAND]`: shell
//! completions and man pages generated from the command-line definition
//! itself, so they cannot drift from it.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

use super::Cli;

/// Writes the completion script for `shell` to standard output.
pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "dpol", &mut out);
    write_out(&out)
}

/// Writes a man page in roff to standard output: dpol(1), or
/// dpol-SUBCOMMAND(1), the page its SEE ALSO and SUBCOMMANDS sections name.
pub fn manpage(subcommand: Option<&str>) -> ExitCode {
    let command = Cli::command();
    let page = match subcommand {
        // clap's `help` subcommand is `dpol COMMAND --help`: dpol(1) does not
        // name a dpol-help(1) that no page is.
        None => command.disable_help_subcommand(true),
        Some(name) => match command.find_subcommand(name) {
            Some(sub) => sub
                .clone()
                .name(format!("dpol-{name}"))
                .version(env!("DPOL_VERSION")),
            None => {
                let names: Vec<&str> = command.get_subcommands().map(|s| s.get_name()).collect();
                eprintln!(
                    "error: `{name}` is not a dpol subcommand; the pages are dpol and dpol-{}",
                    names.join(", dpol-")
                );
                return ExitCode::from(2);
            }
        },
    };
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(page).render(&mut out) {
        return failed(&e);
    }
    write_out(&out)
}

fn write_out(bytes: &[u8]) -> ExitCode {
    match std::io::stdout().write_all(bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => failed(&e),
    }
}

fn failed(e: &std::io::Error) -> ExitCode {
    eprintln!("error[E0104]: cannot write to standard output: {e}");
    ExitCode::from(2)
}
