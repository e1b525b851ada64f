//! `dpol build`: compile and write the documents and their manifest.

use std::path::Path;
use std::process::ExitCode;

use super::{output, SourceArgs};
use crate::diag::{Code, Diagnostic};
use crate::emit::write;

pub fn run(args: &SourceArgs, out: &Path) -> ExitCode {
    let Some(compiled) = super::compile(args) else {
        return ExitCode::from(1);
    };
    let manifest = write::manifest(&compiled.sources, &compiled.documents);
    if let Err(e) = write::write(out, &manifest, &compiled.documents) {
        let d = Diagnostic::global(
            Code::ReadError,
            format!("cannot write `{}`: {e}", out.display()),
        );
        output::report(&compiled.sources, &[d], args.report, "wrote");
        return ExitCode::from(2);
    }
    eprintln!(
        "wrote {} documents to {}",
        compiled.documents.len(),
        out.display()
    );
    ExitCode::SUCCESS
}
