//! Word → columns maps for the word caches of batch rows, keyed by a 64-bit hash of the word.
//!
//! A probe of a map keyed by the word itself reads the slot, follows the key's pointer to the
//! heap and compares the bytes; here the key is the hash, stored inline beside the range of
//! columns it maps to, so a probe reads one slot (one cache line) and compares two integers.
//! Two different words of one hash would share their columns: like the feature hashes (64-bit,
//! trusted not to collide, see `extract`), the word hashes are trusted not to.

use rustc_hash::FxHasher;
use std::hash::Hasher;

/// The key of `word` in a [`WordMap`]: its 64-bit hash, never 0 (0 marks an empty slot; the
/// lowest bit is set, so the key has 63 bits of the hash).
#[inline]
pub(crate) fn word_key(word: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(word.as_bytes());
    h.finish() | 1
}

/// Slots a non-empty map starts with.
const MIN_SLOTS: usize = 16;

/// An open-addressing map from word keys ([`word_key`]) to ranges `start..end` of an arena.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordMap {
    /// (key, start, end); key 0: an empty slot. Length a power of two (or zero), at most half
    /// full, so a probe always meets its key or an empty slot.
    slots: Vec<(u64, u32, u32)>,
    /// Right shift that turns a mixed key into a slot (64 − log2 of the slot count).
    shift: u32,
    /// Keys held.
    len: usize,
}

impl WordMap {
    /// An empty map with room for `n` keys before it grows.
    pub(crate) fn with_capacity(n: usize) -> Self {
        let mut m = WordMap::default();
        m.resize((n * 2).next_power_of_two().max(MIN_SLOTS));
        m
    }

    /// Number of keys held.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The first slot to look at for `key` (the key's bits mixed, the top ones kept).
    #[inline]
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The range stored for `key`.
    #[inline]
    pub(crate) fn get(&self, key: u64) -> Option<(u32, u32)> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = self.home(key);
        loop {
            let &(k, a, b) = self.slots.get(i)?;
            if k == 0 {
                return None;
            }
            if k == key {
                return Some((a, b));
            }
            i = (i + 1) & mask;
        }
    }

    /// Stores `start..end` for `key` (a nonzero key, as [`word_key`] makes; 0 is ignored),
    /// replacing what it held.
    pub(crate) fn insert(&mut self, key: u64, start: u32, end: u32) {
        if key == 0 {
            return;
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.resize((self.slots.len() * 2).max(MIN_SLOTS));
        }
        if self.put(key, start, end) {
            self.len += 1;
        }
    }

    /// Writes the entry into its slot; true when the key is new.
    fn put(&mut self, key: u64, start: u32, end: u32) -> bool {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = self.home(key);
        while let Some(slot) = self.slots.get_mut(i) {
            if slot.0 == key || slot.0 == 0 {
                let new = slot.0 == 0;
                *slot = (key, start, end);
                return new;
            }
            i = (i + 1) & mask;
        }
        false
    }

    /// `n` slots (a power of two), the entries moved over.
    fn resize(&mut self, n: usize) {
        let old = std::mem::replace(&mut self.slots, vec![(0, 0, 0); n]);
        self.shift = 64 - n.trailing_zeros();
        for (k, a, b) in old {
            if k != 0 {
                self.put(k, a, b);
            }
        }
    }

    /// Empties the map, keeping its slots.
    pub(crate) fn clear(&mut self) {
        if self.len > 0 {
            self.slots.fill((0, 0, 0));
            self.len = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// The map answers as a standard hash map given the same inserts (keys spread like
        /// word keys, or crowded into few home slots), before and after being emptied.
        #[test]
        fn word_map_equals_a_hash_map(
            ops in proptest::collection::vec((prop_oneof![any::<u64>(), 0u64..40, (0u64..8).prop_map(|k| k << 60)], any::<u32>(), any::<u32>()), 0..600),
            probes in proptest::collection::vec(any::<u64>(), 0..50),
            start in 0usize..100,
        ) {
            let mut map = WordMap::with_capacity(start);
            for round in 0..2 {
                let mut want: HashMap<u64, (u32, u32)> = HashMap::new();
                for &(k, a, b) in ops.iter().skip(round * 7) {
                    map.insert(k, a, b);
                    if k != 0 {
                        want.insert(k, (a, b));
                    }
                }
                prop_assert_eq!(map.len(), want.len());
                for (&k, &v) in &want {
                    prop_assert_eq!(map.get(k), Some(v));
                }
                for &p in &probes {
                    prop_assert_eq!(map.get(p), want.get(&p).copied());
                }
                prop_assert_eq!(map.get(0), None);
                map.clear();
                prop_assert_eq!(map.len(), 0);
                for &(k, _, _) in &ops {
                    prop_assert_eq!(map.get(k), None);
                }
            }
        }
    }

    #[test]
    fn word_keys_are_nonzero_and_tell_words_apart() {
        let words = ["", "a", "b", "ab", "ba", "apoyo", "apoyó", "rechazo", "hola mundo"];
        let keys: Vec<u64> = words.iter().map(|w| word_key(w)).collect();
        assert!(keys.iter().all(|&k| k != 0));
        let mut distinct = keys.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), keys.len());
        assert_eq!(word_key("apoyo"), keys[5]);
    }
}
