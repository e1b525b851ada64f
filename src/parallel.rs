//! Data parallelism on scoped threads, with results in input order so that
//! output never depends on scheduling. Used where a stage is a map over
//! independent items: parsing pieces of files, building and validating
//! documents.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Threads to use: one per available core, at most 8.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// Below this many items, one thread does the work: spawning costs more.
const MIN_ITEMS: usize = 512;

/// `f` over contiguous chunks of `items`, one chunk per thread; the results
/// come back in chunk order. For many small items of similar cost. A panic
/// in `f` is re-raised here.
pub fn chunks<T: Sync, R: Send>(items: &[T], f: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let threads = threads();
    if threads < 2 || items.len() < MIN_ITEMS {
        return vec![f(items)];
    }
    let size = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(size)
            .map(|chunk| scope.spawn(move || f(chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// `f` over each item, the threads taking the next item as they finish one
/// (for few items of uneven cost); the results come back in item order.
pub fn each<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads().min(items.len());
    if threads < 2 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(items.len()));
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(i) else { break };
        let r = f(item);
        // A poisoned lock means another worker panicked: its panic is
        // re-raised by `scope`, so this result no longer matters.
        if let Ok(mut results) = results.lock() {
            results.push((i, r));
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(work);
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|&(i, _)| i);
    results.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order() {
        let items: Vec<usize> = (0..5_000).collect();
        let squares = each(&items, |&i| i * i);
        assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        let sums: Vec<usize> = chunks(&items, |c| c.iter().sum::<usize>());
        assert_eq!(sums.iter().sum::<usize>(), items.iter().sum::<usize>());
        let firsts: Vec<usize> = chunks(&items, |c| c[0]);
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
    }
}
