//! The hash → column index of a [`super::Vocabulary`].
//!
//! Training lays the columns out in hash order, so a column is the rank of its hash among the
//! sorted hashes and the index only has to find that rank: the top bits of a hash pick a bucket,
//! a short range of the sorted hashes, which is scanned. The bucket table is small (about one
//! `u32` per two features) and mostly stays in cache; a lookup then costs one read of the hashes
//! where a hash map costs two (its control bytes and its entries). Lookups come in batches
//! ([`Index::find_many`]), whose reads of the hashes are issued together before any is scanned,
//! so their cache misses overlap. A vocabulary out of hash order (built by hand) falls back to a
//! hash map.

use rustc_hash::FxHashMap;

/// The hash bits below the two top ones (which name the block).
const LOW_BITS: u64 = (1 << 62) - 1;
/// Most bucket bits of one part: 2^26 buckets is far past any vocabulary.
const MAX_BUCKET_BITS: u32 = 26;
/// Lookups resolved together in [`Index::find_many`].
const BATCH: usize = 32;

/// Finds the column of a feature hash.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Index {
    /// Columns in hash order: buckets over the sorted hashes.
    Sorted(Buckets),
    /// Columns in any order.
    Map(FxHashMap<u64, u32>),
}

/// Bucket tables over strictly increasing hashes, one part per value of the two top bits (the
/// blocks differ in size, so each gets as many buckets as it needs).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Buckets {
    /// Per part: where its bucket starts begin in `starts`, and the shift that turns a hash's
    /// low 62 bits into its bucket.
    parts: [(u32, u32); 4],
    /// Per part, `2^bits + 1` entries: bucket `j` of the part holds the hashes
    /// `starts[base + j]..starts[base + j + 1]`.
    starts: Vec<u32>,
}

impl Index {
    /// The index of `hashes` (column `i` holds `hashes[i]`). `None` when two columns share a
    /// hash (no index can tell them apart).
    pub(crate) fn new(hashes: &[u64]) -> Option<Index> {
        if hashes.windows(2).all(|w| w[0] < w[1]) && u32::try_from(hashes.len()).is_ok() {
            return Some(Index::Sorted(Buckets::new(hashes)));
        }
        let map: FxHashMap<u64, u32> = hashes.iter().enumerate().map(|(i, &h)| (h, i as u32)).collect();
        (map.len() == hashes.len()).then_some(Index::Map(map))
    }

    /// The column of `hash`; `hashes` are the ones the index was made from.
    #[inline]
    pub(crate) fn find(&self, hashes: &[u64], hash: u64) -> Option<u32> {
        match self {
            Index::Sorted(b) => {
                let (s, e) = b.range(hash);
                scan(hashes, s, e, hash)
            }
            Index::Map(m) => m.get(&hash).copied(),
        }
    }

    /// Calls `f(column)` for each of `batch`'s hashes that has a column, in order: the same
    /// calls as [`Self::find`] on each, with the reads of the hashes overlapped.
    pub(crate) fn find_many(&self, hashes: &[u64], batch: &[u64], f: &mut impl FnMut(u32)) {
        let Index::Sorted(b) = self else {
            for &h in batch {
                if let Some(c) = self.find(hashes, h) {
                    f(c);
                }
            }
            return;
        };
        for chunk in batch.chunks(BATCH) {
            let mut ranges = [(0usize, 0usize); BATCH];
            // First every bucket's range and a read of its first hash: independent loads, so
            // the processor has all of them in flight at once…
            let mut touch = 0u64;
            for (r, &h) in ranges.iter_mut().zip(chunk) {
                *r = b.range(h);
                touch ^= hashes.get(r.0).copied().unwrap_or(0);
            }
            std::hint::black_box(touch);
            // …then the scans, from cache.
            for (&(s, e), &h) in ranges.iter().zip(chunk) {
                if let Some(c) = scan(hashes, s, e, h) {
                    f(c);
                }
            }
        }
    }

    /// Number of indexed columns.
    #[cfg(test)]
    fn len(&self, hashes: &[u64]) -> usize {
        match self {
            Index::Sorted(_) => hashes.len(),
            Index::Map(m) => m.len(),
        }
    }
}

/// The column of `hash` among `hashes[s..e]` (sorted), if there.
#[inline]
fn scan(hashes: &[u64], s: usize, e: usize, hash: u64) -> Option<u32> {
    let bucket = hashes.get(s..e)?;
    for (i, &h) in bucket.iter().enumerate() {
        if h >= hash {
            return (h == hash).then_some((s + i) as u32);
        }
    }
    None
}

impl Buckets {
    fn new(hashes: &[u64]) -> Buckets {
        let mut parts = [(0u32, 62u32); 4];
        let mut starts: Vec<u32> = Vec::new();
        let mut lo = 0usize;
        for (top, part) in parts.iter_mut().enumerate() {
            let hi = lo
                + hashes
                    .get(lo..)
                    .map_or(0, |r| r.partition_point(|&h| (h >> 62) as usize <= top));
            let n = hi - lo;
            // About two hashes per bucket: the table stays near a u32 per two features.
            let bits = (usize::BITS - (n / 2).leading_zeros()).min(MAX_BUCKET_BITS);
            let shift = 62 - bits;
            *part = (starts.len() as u32, shift);
            let buckets = 1usize << bits;
            let mut at = lo;
            for j in 0..=buckets {
                while let Some(&h) = hashes.get(at)
                    && at < hi
                    && ((h & LOW_BITS) >> shift) < j as u64
                {
                    at += 1;
                }
                starts.push(at as u32);
            }
            lo = hi;
        }
        Buckets { parts, starts }
    }

    /// The range of the sorted hashes where `hash` would be.
    #[inline]
    fn range(&self, hash: u64) -> (usize, usize) {
        let (base, shift) = self.parts.get((hash >> 62) as usize).copied().unwrap_or((0, 62));
        let j = base as usize + ((hash & LOW_BITS) >> shift) as usize;
        match (self.starts.get(j), self.starts.get(j + 1)) {
            (Some(&s), Some(&e)) => (s as usize, e as usize),
            _ => (0, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hashes spread like feature hashes (block bits 0..=2) or anywhere, with clusters.
    fn hash_sets() -> impl Strategy<Value = Vec<u64>> {
        prop_oneof![
            proptest::collection::vec(any::<u64>(), 0..300),
            proptest::collection::vec((0u64..3, any::<u64>()).prop_map(|(b, h)| (h >> 2) | (b << 62)), 0..2000),
            proptest::collection::vec(0u64..64, 0..50),
            proptest::collection::vec(
                prop_oneof![Just(0u64), Just(u64::MAX), Just(1 << 62), Just((1 << 62) - 1)],
                0..6
            ),
        ]
    }

    proptest! {
        /// Sorted or not, the index gives each hash's column and nothing for other hashes, one
        /// at a time or in batches.
        #[test]
        fn index_finds_exactly_the_columns(mut hashes in hash_sets(), probes in proptest::collection::vec(any::<u64>(), 0..100), shuffle in any::<bool>()) {
            hashes.sort_unstable();
            hashes.dedup();
            if shuffle {
                hashes.reverse();
                let n = hashes.len();
                if n > 2 {
                    hashes.swap(0, n / 2);
                }
            }
            let index = Index::new(&hashes).ok_or_else(|| TestCaseError::fail("distinct hashes index"))?;
            prop_assert_eq!(matches!(index, Index::Sorted(_)), hashes.windows(2).all(|w| w[0] < w[1]));
            prop_assert_eq!(index.len(&hashes), hashes.len());
            let mut batch: Vec<u64> = Vec::new();
            let mut want: Vec<u32> = Vec::new();
            for (i, &h) in hashes.iter().enumerate() {
                prop_assert_eq!(index.find(&hashes, h), Some(i as u32));
                batch.push(h);
                want.push(i as u32);
            }
            for &p in &probes {
                let plain = hashes.iter().position(|&h| h == p).map(|i| i as u32);
                prop_assert_eq!(index.find(&hashes, p), plain);
                batch.push(p);
                want.extend(plain);
            }
            let mut got = Vec::new();
            index.find_many(&hashes, &batch, &mut |c| got.push(c));
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn repeated_hashes_have_no_index() {
        assert!(Index::new(&[3, 1, 3]).is_none());
        assert!(Index::new(&[]).is_some());
    }
}
