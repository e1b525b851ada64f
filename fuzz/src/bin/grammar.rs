//! Fuzz target (b): structure-aware. The input bytes choose grammar fragments
//! (declarations, grants, clauses, separators) from small name pools, so
//! that most programs parse and many check, reaching the checker and the
//! emitter far more often than raw bytes do.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let program = dpol_fuzz::program(data);
        dpol_fuzz::run_text(&program);
    });
}
