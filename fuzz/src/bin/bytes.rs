//! Fuzz target (a): arbitrary bytes, read like a file by `dpol::load`
//! (invalid UTF-8 becomes E0102), then compiled and every diagnostic rendered.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        dpol_fuzz::run_bytes(data);
    });
}
