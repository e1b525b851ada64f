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
    for candidate in candidates {
        if candidate.eq_ignore_ascii_case(wanted) {
            return Some(candidate);
        }
        let score = strsim::normalized_damerau_levenshtein(
            &wanted.to_ascii_lowercase(),
            &candidate.to_ascii_lowercase(),
        );
        if score >= FLOOR && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
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
}
