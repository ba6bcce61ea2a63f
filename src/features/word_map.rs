//! Word → columns maps for the word caches of batch rows.
//!
//! A probe of a map keyed by the word itself reads the slot, follows the key's pointer to the
//! heap and compares the bytes. Here a slot holds the word's 64-bit hash and the range of
//! columns inline, with the word's place in one byte arena of the map: a probe reads one slot
//! and compares two integers, and only a slot whose hash matches has its word compared. Two
//! words of one hash are two entries, so a cached row is always the word's own (the same on
//! every path and whatever the thread met before).

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

/// One entry: the word's key, its range `start..end`, its bytes `bytes[at..at + len]`.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: u64,
    start: u32,
    end: u32,
    at: u32,
    len: u32,
}

/// An open-addressing map from words (probed by [`word_key`]) to ranges `start..end` of an
/// arena.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordMap {
    /// Key 0: an empty slot. Length a power of two (or zero), at most half full, so a probe
    /// always meets its word or an empty slot.
    slots: Vec<Slot>,
    /// The words' bytes, one after the other.
    bytes: Vec<u8>,
    /// Right shift that turns a mixed key into a slot (64 − log2 of the slot count).
    shift: u32,
    /// Words held.
    len: usize,
}

impl WordMap {
    /// An empty map with room for `n` words before it grows.
    pub(crate) fn with_capacity(n: usize) -> Self {
        let mut m = WordMap::default();
        m.resize((n * 2).next_power_of_two().max(MIN_SLOTS));
        m.bytes.reserve(n * 8);
        m
    }

    /// Number of words held.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The first slot to look at for `key` (the key's bits mixed, the top ones kept).
    #[inline]
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// True when `slot` holds `word`.
    #[inline]
    fn holds(&self, slot: &Slot, word: &str) -> bool {
        slot.len as usize == word.len()
            && self
                .bytes
                .get(slot.at as usize..slot.at as usize + slot.len as usize)
                .is_some_and(|b| b == word.as_bytes())
    }

    /// The range stored for `word`, whose key is `key` (from [`word_key`]).
    #[inline]
    pub(crate) fn get(&self, key: u64, word: &str) -> Option<(u32, u32)> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = self.home(key);
        loop {
            let slot = self.slots.get(i)?;
            if slot.key == 0 {
                return None;
            }
            if slot.key == key && self.holds(slot, word) {
                return Some((slot.start, slot.end));
            }
            i = (i + 1) & mask;
        }
    }

    /// Stores `start..end` for `word`, whose key is `key` (nonzero, as [`word_key`] makes; 0 is
    /// ignored), replacing what it held. A word that would not fit the byte arena's `u32`
    /// offsets is not stored (its rows are then made without the cache).
    pub(crate) fn insert(&mut self, key: u64, word: &str, start: u32, end: u32) {
        if key == 0 || self.bytes.len() + word.len() > u32::MAX as usize {
            return;
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.resize((self.slots.len() * 2).max(MIN_SLOTS));
        }
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = self.home(key);
        loop {
            let Some(&slot) = self.slots.get(i) else { return };
            if slot.key == key && self.holds(&slot, word) {
                if let Some(s) = self.slots.get_mut(i) {
                    s.start = start;
                    s.end = end;
                }
                return;
            }
            if slot.key == 0 {
                let at = self.bytes.len() as u32;
                self.bytes.extend_from_slice(word.as_bytes());
                if let Some(s) = self.slots.get_mut(i) {
                    *s = Slot {
                        key,
                        start,
                        end,
                        at,
                        len: word.len() as u32,
                    };
                    self.len += 1;
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// `n` slots (a power of two), the entries moved over (their bytes stay where they are).
    fn resize(&mut self, n: usize) {
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); n]);
        self.shift = 64 - n.trailing_zeros();
        let mask = n.wrapping_sub(1);
        for slot in old.into_iter().filter(|s| s.key != 0) {
            let mut i = self.home(slot.key);
            while let Some(s) = self.slots.get_mut(i) {
                if s.key == 0 {
                    *s = slot;
                    break;
                }
                i = (i + 1) & mask;
            }
        }
    }

    /// Empties the map, keeping its slots.
    pub(crate) fn clear(&mut self) {
        if self.len > 0 {
            self.slots.fill(Slot::default());
            self.bytes.clear();
            self.len = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// The key a test gives `w`: its real key, or one of three (so most words collide).
    fn key_of(w: &str, crowded: bool) -> u64 {
        if crowded {
            (w.len() as u64 % 3) * 2 + 1
        } else {
            word_key(w)
        }
    }

    proptest! {
        /// The map answers as a standard hash map of words given the same inserts (with real
        /// keys, or with keys most words share), before and after being emptied.
        #[test]
        fn word_map_equals_a_hash_map(
            ops in proptest::collection::vec(("[a-dñ]{0,6}", any::<u32>(), any::<u32>()), 0..400),
            probes in proptest::collection::vec("[a-dñ]{0,6}", 0..50),
            start in 0usize..100,
            crowded in any::<bool>(),
        ) {
            let mut map = WordMap::with_capacity(start);
            for round in 0..2 {
                let mut want: HashMap<&str, (u32, u32)> = HashMap::new();
                for (w, a, b) in ops.iter().skip(round * 7) {
                    map.insert(key_of(w, crowded), w, *a, *b);
                    want.insert(w.as_str(), (*a, *b));
                }
                prop_assert_eq!(map.len(), want.len());
                for (&w, &v) in &want {
                    prop_assert_eq!(map.get(key_of(w, crowded), w), Some(v));
                }
                for p in &probes {
                    prop_assert_eq!(map.get(key_of(p, crowded), p), want.get(p.as_str()).copied());
                }
                map.clear();
                prop_assert_eq!(map.len(), 0);
                for (w, _, _) in &ops {
                    prop_assert_eq!(map.get(key_of(w, crowded), w), None);
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

    /// Two words of one key (found by a reviewer's search): each keeps its own range.
    #[test]
    fn words_sharing_a_key_stay_apart() {
        let (a, b) = ("rsqoovdbggzcqe", "ljgiqgmopxtkef");
        assert_eq!(word_key(a), word_key(b));
        let mut map = WordMap::with_capacity(4);
        map.insert(word_key(a), a, 0, 3);
        assert_eq!(map.get(word_key(b), b), None);
        map.insert(word_key(b), b, 3, 5);
        assert_eq!(map.get(word_key(a), a), Some((0, 3)));
        assert_eq!(map.get(word_key(b), b), Some((3, 5)));
        assert_eq!(map.len(), 2);
    }
}
