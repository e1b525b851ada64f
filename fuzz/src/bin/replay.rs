//! Replays inputs without AFL (for triage): `replay bytes FILE…`,
//! `replay grammar FILE…` or `replay deployed FILE…` runs the target's body
//! on each file and prints the program the grammar target built, so that a
//! crash can be minimized by hand.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(target) = args.next() else {
        eprintln!("usage: replay bytes|grammar|deployed FILE...");
        return ExitCode::from(2);
    };
    for path in args {
        let Ok(data) = std::fs::read(&path) else {
            eprintln!("cannot read {path}");
            return ExitCode::from(2);
        };
        eprintln!("replay {target} {path}");
        match target.as_str() {
            "bytes" => dpol_fuzz::run_bytes(&data),
            "deployed" => dpol_fuzz::run_deployed(&data),
            "grammar" => {
                let program = dpol_fuzz::program(&data);
                println!("{program}");
                dpol_fuzz::run_text(&program);
            }
            _ => {
                eprintln!("unknown target {target}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
