//! Benchmarks of each stage of dpol and of the whole pipeline, on programs
//! from `dpol-gen` at 1k, 10k and 100k grants.
//!
//! `cargo bench --bench pipeline` runs them all; `cargo bench --bench pipeline
//! -- parse` only the parse stage; `DPOL_BENCH_MAX=10000` skips 100k. Each
//! reports time and throughput: MB/s of source for parse, format, check and compile,
//! documents/s for emit and compile. See BENCHMARKS.md.

use divan::counter::{BytesCount, ItemsCount};
use divan::Bencher;
use std::sync::OnceLock;

use dpol::diag::Diagnostics;
use dpol::source::SourceMap;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const SEED: u64 = 1;

fn main() {
    divan::main();
}

/// The sizes to run: those up to `DPOL_BENCH_MAX` (default: all). Only
/// these are registered, so a smaller run prints no empty rows.
fn sizes() -> Vec<usize> {
    let max = std::env::var("DPOL_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(usize::MAX);
    SIZES.into_iter().filter(|&s| s <= max).collect()
}

/// The generated source of each size, made once per process.
fn source(grants: usize) -> &'static str {
    static CACHE: [OnceLock<String>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = SIZES.iter().position(|&s| s == grants).unwrap_or(0);
    CACHE[slot].get_or_init(|| dpol_gen::program(SEED, grants, None, None))
}

fn sources(grants: usize) -> SourceMap {
    let mut map = SourceMap::new();
    map.add(
        format!("gen-{grants}.dpol"),
        None,
        source(grants).to_string(),
    );
    map
}

/// pest and lowering to the AST.
#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1)]
fn parse(bencher: Bencher, grants: usize) {
    let map = sources(grants);
    bencher
        .counter(BytesCount::of_str(source(grants)))
        .bench(|| dpol::stages::parse(divan::black_box(&map)).is_ok());
}

/// `dpol fmt`: the canonical layout of the source (pest, then the layout).
#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1)]
fn format(bencher: Bencher, grants: usize) {
    bencher
        .counter(BytesCount::of_str(source(grants)))
        .bench(|| dpol::format(dpol::source::FileId(0), divan::black_box(source(grants))).is_ok());
}

/// Names, values, semantics and lints, from the AST to the model.
#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1)]
fn check(bencher: Bencher, grants: usize) {
    let Ok(parsed) = dpol::stages::parse(&sources(grants)) else {
        eprintln!("gen-{grants}: parse error");
        return;
    };
    bencher
        .counter(BytesCount::of_str(source(grants)))
        .bench(|| {
            let mut diags = Diagnostics::new();
            dpol::stages::check(divan::black_box(&parsed), &mut diags)
        });
}

/// The model to validated documents.
#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1)]
fn emit(bencher: Bencher, grants: usize) {
    let Some(model) = dpol::check_program(&sources(grants)).model else {
        eprintln!("gen-{grants}: check errors");
        return;
    };
    let Ok(catalog) = dpol::catalog::catalog() else {
        return;
    };
    let mut probe = Diagnostics::new();
    let documents = dpol::emit::emit(&model, catalog, &mut probe).map_or(0, |d| d.len());
    bencher.counter(ItemsCount::new(documents)).bench(|| {
        let mut diags = Diagnostics::new();
        dpol::emit::emit(divan::black_box(&model), catalog, &mut diags)
    });
}

/// `dpol::compile`: parse, check and emit (no file output).
#[divan::bench(args = sizes(), sample_count = 10, sample_size = 1)]
fn compile(bencher: Bencher, grants: usize) {
    let map = sources(grants);
    let documents = dpol::compile(&map).0.map_or(0, |d| d.len());
    bencher
        .counter(BytesCount::of_str(source(grants)))
        .counter(ItemsCount::new(documents))
        .bench(|| dpol::compile(divan::black_box(&map)));
}
