//! One small sort for the whole crate.
//!
//! The standard library's sorts are fast but large, and every call site with its
//! own comparator instantiates one again (they were a fifth of the wasm). Inputs
//! here are a webhook's fields: insertion sort for the usual handful, heapsort
//! (O(n log n), no recursion) for a hostile body with thousands of pairs.

use core::cmp::Ordering;

/// Sorts `v` by `cmp` (not stable).
pub fn sort_by<T>(v: &mut [T], cmp: &dyn Fn(&T, &T) -> Ordering) {
    if v.len() <= 16 {
        insertion(v, cmp);
    } else {
        heap(v, cmp);
    }
}

fn less<T>(v: &[T], a: usize, b: usize, cmp: &dyn Fn(&T, &T) -> Ordering) -> bool {
    match (v.get(a), v.get(b)) {
        (Some(x), Some(y)) => cmp(x, y) == Ordering::Less,
        _ => false,
    }
}

fn insertion<T>(v: &mut [T], cmp: &dyn Fn(&T, &T) -> Ordering) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && less(v, j, j - 1, cmp) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn heap<T>(v: &mut [T], cmp: &dyn Fn(&T, &T) -> Ordering) {
    let sift = |v: &mut [T], mut node: usize, end: usize| loop {
        let mut child = 2 * node + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(v, child, child + 1, cmp) {
            child += 1;
        }
        if !less(v, node, child, cmp) {
            break;
        }
        v.swap(node, child);
        node = child;
    };
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift(v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

/// Sorts `(key, value)` pairs by the UTF-8 bytes of the key.
pub fn by_key_bytes(pairs: &mut [(&str, &str)]) {
    if pairs.len() > 16 {
        return sort_by(pairs, &|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    }
    // The usual webhook: insertion sort with the comparison inlined (this is on the
    // hot path of every verification).
    for i in 1..pairs.len() {
        let mut j = i;
        while j > 0 {
            match (pairs.get(j - 1), pairs.get(j)) {
                (Some(a), Some(b)) if a.0.as_bytes() > b.0.as_bytes() => pairs.swap(j - 1, j),
                _ => break,
            }
            j -= 1;
        }
    }
}

/// The first key that appears twice in pairs already sorted by key.
pub fn first_adjacent_duplicate<'a>(sorted_keys: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut prev: Option<&str> = None;
    for k in sorted_keys {
        if prev == Some(k) {
            return Some(k);
        }
        prev = Some(k);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_like_std(mut v in proptest::collection::vec(any::<u16>(), 0..200)) {
            let mut expected = v.clone();
            expected.sort_unstable();
            sort_by(&mut v, &|a, b| a.cmp(b));
            prop_assert_eq!(v, expected);
        }
    }

    #[test]
    fn sorts_keys_by_utf8_bytes() {
        // UTF-16 order would put the emoji (a surrogate pair) before U+FF61.
        let mut pairs = vec![
            ("\u{1F600}", "1"),
            ("\u{FF61}", "2"),
            ("B", "3"),
            ("a", "4"),
        ];
        by_key_bytes(&mut pairs);
        let keys: Vec<&str> = pairs.iter().map(|p| p.0).collect();
        assert_eq!(keys, ["B", "a", "\u{FF61}", "\u{1F600}"]);
        assert_eq!(
            first_adjacent_duplicate(["a", "b", "b"].into_iter()),
            Some("b")
        );
        assert_eq!(first_adjacent_duplicate(["a", "b"].into_iter()), None);
    }
}
