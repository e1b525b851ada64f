//! A short randomized smoke test: random bytes and token-level mutations of
//! the examples must never panic in `compile`, never produce an internal
//! error (E0999) or an invalid document (E0412), and every document must be
//! JSON. Deterministic (a hand-written xorshift PRNG with fixed seeds); a few
//! seconds in a debug build. `DPOL_SMOKE_ITERS=N` runs N cases per test
//! instead of the default. The long-running version is fuzz/ (AFL++).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers may fail loudly

use std::panic::{catch_unwind, AssertUnwindSafe};

use dpol::source::SourceMap;

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn iterations(default: usize) -> usize {
    std::env::var("DPOL_SMOKE_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Compiles `files` as one program; fails the test, with the input, on a
/// panic or a sign of a dpol bug.
fn compile_ok(files: &[(String, Vec<u8>)]) {
    let shown = || {
        files
            .iter()
            .map(|(name, bytes)| format!("--- {name}\n{}", String::from_utf8_lossy(bytes)))
            .collect::<String>()
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut sources = SourceMap::new();
        let mut diags = Vec::new();
        for (name, bytes) in files {
            dpol::load::add_bytes(&mut sources, &mut diags, name.clone(), None, bytes.clone());
        }
        if !diags.is_empty() {
            return (None, diags);
        }
        dpol::compile(&sources)
    }));
    let Ok((docs, diags)) = result else {
        panic!("compile panicked on:\n{}", shown());
    };
    for d in &diags {
        assert!(
            !matches!(d.code.as_str(), "E0999" | "E0412"),
            "{} {} on:\n{}",
            d.code.as_str(),
            d.message,
            shown()
        );
    }
    for doc in docs.iter().flatten() {
        assert!(
            serde_json::from_str::<serde_json::Value>(&doc.text).is_ok(),
            "document {} is not JSON, from:\n{}",
            doc.name,
            shown()
        );
    }
}

fn examples() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "dpol"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Words, runs of spaces, and single punctuation characters: the text is
/// exactly the concatenation of its tokens.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let class = |c: char| {
        if c.is_alphanumeric() || "_-.:/$@*".contains(c) {
            0
        } else if c == ' ' || c == '\t' {
            1
        } else {
            2
        }
    };
    for c in text.chars() {
        match out.last_mut() {
            Some(last) if class(c) != 2 && last.chars().last().map(class) == Some(class(c)) => {
                last.push(c)
            }
            _ => out.push(c.to_string()),
        }
    }
    out
}

const PRINTABLE: &[u8] = b" \n\t;,{}#\"*.$abcdefghijklmnopqrstuvwxyzAB0123456789";

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng::new(0x5EED);
    for _ in 0..iterations(300) {
        let len = rng.below(400);
        let alphabet = rng.below(3);
        let bytes: Vec<u8> = (0..len)
            .map(|_| match alphabet {
                // Anything.
                0 => rng.next() as u8,
                // Printable ASCII and newlines: gets past the UTF-8 check.
                1 => PRINTABLE[rng.below(PRINTABLE.len())],
                // Bytes that make up multi-byte UTF-8 and odd whitespace.
                _ => [0xC3, 0xA9, 0xE2, 0x80, 0xA8, 0x0B, 0x0C, b'\r', b'a', b' '][rng.below(10)],
            })
            .collect();
        compile_ok(&[("random.dpol".to_string(), bytes)]);
    }
}

#[test]
fn mutated_examples_never_panic() {
    let examples = examples();
    assert!(!examples.is_empty());
    let mut pool: Vec<String> = examples.iter().flat_map(|(_, t)| tokens(t)).collect();
    pool.extend(dpol::keywords().iter().map(|k| k.to_string()));
    pool.extend(
        [
            "\n",
            ";",
            ",",
            "{",
            "}",
            "#",
            "*",
            "..",
            "\"",
            "${",
            "}",
            "0",
            "-1",
            "999999999999999999999",
            "é",
            "\u{2028}",
            "\r\n",
            "arn:aws:iam::111122223333:role/X",
            "2020-01-01",
            "::/0",
        ]
        .map(String::from),
    );
    let mut rng = Rng::new(0xD901);
    for _ in 0..iterations(400) {
        // A mutated copy of one example, compiled together with the others
        // unmodified half of the time (the examples form one program).
        let target = rng.below(examples.len());
        let mut toks = tokens(&examples[target].1);
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(toks.len().max(1));
            match rng.below(7) {
                0 if !toks.is_empty() => {
                    toks.remove(at.min(toks.len() - 1));
                }
                1 => {
                    let t = pool[rng.below(pool.len())].clone();
                    toks.insert(at.min(toks.len()), t);
                }
                2 if !toks.is_empty() => {
                    let i = at.min(toks.len() - 1);
                    toks[i] = pool[rng.below(pool.len())].clone();
                }
                3 if toks.len() > 1 => {
                    let i = at.min(toks.len() - 2);
                    toks.swap(i, i + 1);
                }
                4 if !toks.is_empty() => {
                    let i = at.min(toks.len() - 1);
                    let t = toks[i].clone();
                    toks.insert(i, t);
                }
                5 => toks.truncate(at),
                _ => {
                    // A span of lines duplicated: duplicate declarations and grants.
                    let end = (at + 1 + rng.below(40)).min(toks.len());
                    let copy: Vec<String> = toks[at.min(end)..end].to_vec();
                    toks.extend(copy);
                }
            }
        }
        let mutated = toks.concat().into_bytes();
        let mut files = vec![(examples[target].0.clone(), mutated)];
        if rng.below(2) == 0 {
            files.extend(
                examples
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != target)
                    .map(|(_, (n, t))| (n.clone(), t.clone().into_bytes())),
            );
        }
        compile_ok(&files);
    }
}

#[test]
fn unmutated_examples_compile() {
    let files: Vec<(String, Vec<u8>)> = examples()
        .into_iter()
        .map(|(n, t)| (n, t.into_bytes()))
        .collect();
    let mut sources = SourceMap::new();
    for (name, bytes) in &files {
        sources.add(
            name.clone(),
            None,
            String::from_utf8(bytes.clone()).unwrap(),
        );
    }
    let (docs, diags) = dpol::compile(&sources);
    assert!(docs.is_some(), "{diags:?}");
}
