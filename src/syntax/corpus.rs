//! Test corpora of the syntax module: every program the tests have, and
//! copies of them with their spaces changed.

/// Every program of the corpus: the examples, the UI cases, generated
/// programs of each kind and shape.
pub fn corpus() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["examples", "tests/ui/pass", "tests/ui/fail"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "dpol"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string(), text));
        }
    }
    for seed in 1..=4 {
        out.push((
            format!("gen seed {seed}"),
            dpol_gen::program_with(seed, 400, None, None, 30, 5),
        ));
    }
    for shape in [
        dpol_gen::Shape::Duplicates,
        dpol_gen::Shape::OnePrincipal,
        dpol_gen::Shape::OneTable,
        dpol_gen::Shape::BigKeySet,
        dpol_gen::Shape::DeepContinuation,
    ] {
        out.push((format!("{shape:?}"), dpol_gen::shape(shape, 300)));
    }
    out
}

/// `text` with its spaces changed (outside strings and comments): runs of
/// spaces and tabs, none after some commas, `\r\n` line ends, spaces at
/// line ends.
pub fn respaced(text: &str, seed: u64) -> String {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = String::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '#' && !in_string {
                out.push(c);
                out.extend(chars.by_ref());
                break;
            }
            if c == '"' {
                in_string = !in_string;
            }
            if c == '\\' && in_string {
                out.push(c);
                out.extend(chars.next());
                continue;
            }
            if c == ' ' && !in_string {
                for _ in 0..=next() % 3 {
                    out.push(if next() % 4 == 0 { '\t' } else { ' ' });
                }
                continue;
            }
            out.push(c);
            if c == ',' && !in_string && chars.peek() == Some(&' ') && next() % 2 == 0 {
                chars.next();
            }
        }
        if next() % 5 == 0 {
            out.push_str(" \t");
        }
        out.push_str(if next() % 3 == 0 { "\r\n" } else { "\n" });
    }
    out
}
