//! Fuzz target (c): arbitrary bytes as AWS CLI output for `dpol diff
//! --against`: the deployed-state readers (shapes, duplicate keys, deep
//! nesting, wrong types, embedded and percent-encoded policy text, joins).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        dpol_fuzz::run_deployed(data);
    });
}
