//! `dpol build`: compile and write the documents and their manifest.

use std::path::Path;
use std::process::ExitCode;

use super::{output, SourceArgs};
use crate::diag::{Code, Diagnostic};
use crate::emit::write;

pub fn run(args: &SourceArgs, out: &Path) -> ExitCode {
    let mut compiled = match super::compile(args) {
        Ok(compiled) => compiled,
        Err(code) => return ExitCode::from(code),
    };
    let manifest = write::manifest(&compiled.sources, &compiled.documents);
    if let Err(e) = write::write(out, &manifest, &compiled.documents) {
        compiled.diagnostics.push(Diagnostic::global(
            Code::ReadError,
            format!("cannot write `{}`: {e}", out.display()),
        ));
        output::report(
            &compiled.sources,
            &compiled.diagnostics,
            args.report,
            "compiled",
        );
        return ExitCode::from(2);
    }
    output::report(
        &compiled.sources,
        &compiled.diagnostics,
        args.report,
        "compiled",
    );
    eprintln!(
        "wrote {} documents to {}",
        compiled.documents.len(),
        out.display()
    );
    ExitCode::SUCCESS
}
