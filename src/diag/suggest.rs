//! "Did you mean": the closest candidate above a similarity floor.

/// Below this normalized Damerau–Levenshtein similarity, nothing is suggested.
const FLOOR: f64 = 0.6;

/// An exact case-insensitive match first; otherwise the most similar candidate
/// at or above the floor (ties broken by candidate order, so results are stable).
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &'a str)> = None;
    let wanted_lower = wanted.to_ascii_lowercase();
    let wanted_len = wanted_lower.chars().count();
    let wanted_bag = bag(&wanted_lower);
    for candidate in candidates {
        if candidate.eq_ignore_ascii_case(wanted) {
            return Some(candidate);
        }
        if below_floor(wanted_len, &wanted_bag, candidate) {
            continue;
        }
        let score =
            strsim::normalized_damerau_levenshtein(&wanted_lower, &candidate.to_ascii_lowercase());
        if score >= FLOOR && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Character counts (ASCII letters lowercased), folded into 64 buckets.
type Bag = [u32; 64];

fn bag(s: &str) -> Bag {
    let mut b = [0u32; 64];
    for c in s.chars().map(|c| c.to_ascii_lowercase()) {
        let slot = &mut b[(c as usize) % 64];
        *slot = slot.saturating_add(1);
    }
    b
}

/// True when `candidate` (compared in ASCII lowercase, which keeps its
/// length) cannot reach the floor, decided without computing
/// the edit distance (which costs the product of the lengths, and a lookup
/// compares one name with every declared one). Every edit inserts, deletes,
/// substitutes or swaps characters, so it changes the character multiset by
/// at most one removal and one addition: the distance is at least the larger
/// side of the multisets' difference, and the similarity at most
/// `1 - that / max_len`. Folding characters into buckets only lowers the
/// bound, so it stays a bound. Candidates skipped here score below the floor
/// anyway: the result is the one the full comparison gives.
fn below_floor(wanted_len: usize, wanted_bag: &Bag, candidate: &str) -> bool {
    let len = candidate.chars().count();
    let max = wanted_len.max(len);
    if max == 0 {
        return false;
    }
    // The similarity strsim would compute for `distance`: monotonic, so a
    // lower bound on the distance gives an upper bound on the score.
    let below = |distance: usize| 1.0 - (distance as f64) / (max as f64) < FLOOR;
    if below(wanted_len.abs_diff(len)) {
        return true;
    }
    let theirs = bag(candidate);
    let (mut missing, mut extra) = (0usize, 0usize);
    for (w, c) in wanted_bag.iter().zip(theirs.iter()) {
        missing += w.saturating_sub(*c) as usize;
        extra += c.saturating_sub(*w) as usize;
    }
    below(missing.max(extra))
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        let names = ["Orders", "Payroll", "ProductCatalog"];
        assert_eq!(did_you_mean("Ordres", names), Some("Orders"));
        assert_eq!(did_you_mean("orders", names), Some("Orders"));
        assert_eq!(did_you_mean("Zebra", names), None);
    }

    /// The pruning is exact: the same answers as comparing every candidate.
    #[test]
    fn pruning_changes_no_answer() {
        fn naive<'a>(wanted: &str, candidates: &[&'a str]) -> Option<&'a str> {
            let mut best: Option<(f64, &'a str)> = None;
            for &c in candidates {
                if c.eq_ignore_ascii_case(wanted) {
                    return Some(c);
                }
                let score = strsim::normalized_damerau_levenshtein(
                    &wanted.to_ascii_lowercase(),
                    &c.to_ascii_lowercase(),
                );
                if score >= super::FLOOR && best.is_none_or(|(s, _)| score > s) {
                    best = Some((score, c));
                }
            }
            best.map(|(_, c)| c)
        }
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut word = |n: usize| -> String {
            (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    ['a', 'b', 'c', 'A', 'B', '1', '-', 'é', 'ß'][(x % 9) as usize]
                })
                .collect()
        };
        let names: Vec<String> = (0..300).map(|i| word(i % 9)).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        for i in 0..300 {
            let wanted = word(i % 11);
            assert_eq!(
                did_you_mean(&wanted, refs.iter().copied()),
                naive(&wanted, &refs),
                "{wanted}"
            );
        }
    }
}
