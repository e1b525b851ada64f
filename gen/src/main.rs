//! `dpol-gen`: writes a generated dpol program on stdout (see the library,
//! `dpol_gen`, for what it contains).

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;
use dpol_gen::{program_with, shape, Shape};

#[derive(Parser, Debug)]
#[command(
    name = "dpol-gen",
    about = "Generate a large, valid dpol program (deterministic)"
)]
struct Args {
    /// Number of grants.
    #[arg(long)]
    grants: usize,
    /// PRNG seed: the same seed and sizes give the same program.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of tables (default: grants / 100, at least 4).
    #[arg(long)]
    tables: Option<usize>,
    /// Number of principals (default: grants / 10, at least 3).
    #[arg(long)]
    principals: Option<usize>,
    /// A pathological shape instead of an organization.
    #[arg(long, value_enum)]
    shape: Option<Shape>,
    /// Also write this many `expect` lines (for `dpol test` benchmarks):
    /// random requests of the program's principals on its tables, whose
    /// outcomes nobody chose. The program above them is the same bytes.
    #[arg(long, default_value_t = 0)]
    expects: usize,
    /// Also write this many `assert` lines (`only … can`, `nobody can`,
    /// `only via`) on random tables; whether they hold nobody chose.
    #[arg(long, default_value_t = 0)]
    asserts: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let text = match args.shape {
        Some(s) => shape(s, args.grants),
        None => program_with(
            args.seed,
            args.grants,
            args.tables,
            args.principals,
            args.expects,
            args.asserts,
        ),
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dpol-gen: cannot write: {e}");
            ExitCode::from(2)
        }
    }
}
