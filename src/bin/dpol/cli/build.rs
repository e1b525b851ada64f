//! `dpol build`: compile and write the documents and their manifest.

use std::path::Path;
use std::process::ExitCode;

use super::{output, SourceArgs};
use dpol::emit::write;

pub fn run(args: &SourceArgs, out: &Path) -> ExitCode {
    let mut compiled = match super::compile(args) {
        Ok(compiled) => compiled,
        Err(code) => return ExitCode::from(code),
    };
    let manifest =
        |out: &mut dyn std::io::Write| write::manifest(&compiled.sources, &compiled.documents, out);
    let files: Vec<(String, &str)> = compiled
        .documents
        .iter()
        .map(|d| (d.path(), d.text.as_str()))
        .collect();
    if let Err(d) = crate::out_dir::write(out, &manifest, &files) {
        compiled.diagnostics.push(d);
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
