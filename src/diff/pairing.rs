//! Pairing two lists in passes, each pass with a coarser key: sort both
//! leftovers by the pass's key and merge them. Items with equal keys pair in
//! their order; what is left goes on to the next pass. O(n log n) a pass.

use std::cmp::Ordering;

/// The outcome of [`pair_in_passes`].
pub(crate) struct Pairing<'a, T> {
    /// `(pass, old, new)`: the index of the pass that paired them.
    pub(crate) pairs: Vec<(usize, &'a T, &'a T)>,
    pub(crate) only_old: Vec<&'a T>,
    pub(crate) only_new: Vec<&'a T>,
}

/// Pairs `old` and `new` items by the keys of `passes`, in order. Within each
/// list, items keep their relative order, so the result is deterministic.
pub(crate) fn pair_in_passes<'a, T, K: Ord>(
    old: &'a [T],
    new: &'a [T],
    passes: &[fn(&'a T) -> K],
) -> Pairing<'a, T> {
    let mut pairing = Pairing {
        pairs: Vec::new(),
        only_old: old.iter().collect(),
        only_new: new.iter().collect(),
    };
    for (pass, key) in passes.iter().enumerate() {
        let mut old_iter = keyed(&pairing.only_old, *key).into_iter().peekable();
        let mut new_iter = keyed(&pairing.only_new, *key).into_iter().peekable();
        pairing.only_old.clear();
        pairing.only_new.clear();
        loop {
            let order = match (old_iter.peek(), new_iter.peek()) {
                (Some((old_key, _)), Some((new_key, _))) => old_key.cmp(new_key),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => break,
            };
            match order {
                Ordering::Less => pairing
                    .only_old
                    .extend(old_iter.next().map(|(_, item)| item)),
                Ordering::Greater => pairing
                    .only_new
                    .extend(new_iter.next().map(|(_, item)| item)),
                Ordering::Equal => {
                    if let (Some((_, old_item)), Some((_, new_item))) =
                        (old_iter.next(), new_iter.next())
                    {
                        pairing.pairs.push((pass, old_item, new_item));
                    }
                }
            }
        }
    }
    pairing
}

/// `items` with their keys, stably sorted by key.
fn keyed<'a, T, K: Ord>(items: &[&'a T], key: fn(&'a T) -> K) -> Vec<(K, &'a T)> {
    let mut keyed: Vec<(K, &'a T)> = items.iter().map(|item| (key(item), *item)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed
}

#[cfg(test)]
mod tests {
    use super::pair_in_passes;

    #[test]
    fn pairs_by_finer_keys_first() {
        let old = [(1, 'a'), (2, 'b'), (3, 'c'), (3, 'd')];
        let new = [(2, 'x'), (1, 'a'), (3, 'd'), (4, 'e')];
        let pairing = pair_in_passes(
            &old,
            &new,
            &[
                |item: &(i32, char)| *item,
                |item: &(i32, char)| (item.0, ' '),
            ],
        );
        let pairs: Vec<_> = pairing
            .pairs
            .iter()
            .map(|(pass, o, n)| (*pass, **o, **n))
            .collect();
        assert_eq!(
            pairs,
            vec![
                (0, (1, 'a'), (1, 'a')),
                (0, (3, 'd'), (3, 'd')),
                (1, (2, 'b'), (2, 'x'))
            ]
        );
        assert_eq!(pairing.only_old, vec![&(3, 'c')]);
        assert_eq!(pairing.only_new, vec![&(4, 'e')]);
    }
}
