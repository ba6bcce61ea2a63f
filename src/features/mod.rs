//! Features, the second stage: tokens → hashed n-gram counts → vocabulary → sublinear TF-IDF,
//! L2-normalized per block → sparse rows.

pub mod extract;
mod index;
pub mod roles;
pub mod sparse;
mod word_map;

pub use extract::{Block, Extractor, N_BLOCKS};

use extract::{Sink, WORD_BATCH, char_ngrams};
pub use sparse::CsrMatrix;
use word_map::{WordMap, word_key};

use crate::text::{ActorMatcher, ActorSet, Mentions, TextConfig, Token, analyze_mentions, analyze_mentions_into};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// Which features a statement yields and how they are weighted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// Word n-gram range (min, max); max 0 turns word features off.
    pub word_ngrams: (u8, u8),
    /// Character n-gram range inside words (min, max); max 0 turns them off.
    pub char_ngrams: (u8, u8),
    /// Spanish Snowball stemming of words before word n-grams.
    pub stem: bool,
    /// Words within this many tokens of an actor mention yield side-tagged features (0 = off).
    pub window: u8,
    /// Keep features seen in at least this many statements.
    pub min_df: u32,
    /// Keep character n-grams seen in at least this many statements (rare ones are many and
    /// mostly noise: this bounds the vocabulary, memory and training time).
    pub char_min_df: u32,
    /// Character n-grams of whitespace-separated chunks (punctuation, handles and hashtags
    /// included, as scikit-learn's char_wb) instead of word tokens.
    pub char_chunks: bool,
    /// Keep at most this many features, the most frequent (0 = no limit).
    pub max_features: u32,
    /// Term frequency as 1 + ln(count) instead of count.
    pub sublinear_tf: bool,
    /// Scale each feature by how unevenly it spreads over the labels (the spread of its
    /// per-label log-count ratios, as in NB-SVM); learned with the weights, stored in the IDF.
    pub nb_scale: bool,
    /// With a target actor: the words of its names as features, alone and paired with each
    /// word of the statement (per-actor priors and word readings).
    pub actor_pairs: bool,
    /// Role features: how each mention of the target (and source) stands in its sentence —
    /// subject of a speech or evaluation verb, object after "a / contra / de", inside a quote —
    /// and which evaluative words of the project's lexicon govern it from how far, with another
    /// actor in between or not.
    pub roles: bool,
    /// Known actors (each a name and its aliases): their mentions become `_other_` when they
    /// are neither the target nor the source.
    pub known_actors: Vec<Vec<String>>,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            word_ngrams: (1, 2),
            char_ngrams: (2, 5),
            stem: false,
            window: 5,
            min_df: 1,
            char_min_df: 2,
            char_chunks: false,
            max_features: 0,
            sublinear_tf: true,
            nb_scale: false,
            actor_pairs: true,
            roles: true,
            known_actors: Vec::new(),
        }
    }
}

/// Parses an n-gram range as flags and settings write it: "MIN-MAX", "N", or "0"/"none" for
/// off; `name` is the setting as the caller spells it (`--word-ngrams`, `word_ngrams`).
pub fn parse_range(name: &str, s: &str) -> crate::Result<(u8, u8)> {
    let s = s.trim();
    if s == "0" || s.eq_ignore_ascii_case("none") {
        return Ok((0, 0));
    }
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    match (a.trim().parse::<u8>(), b.trim().parse::<u8>()) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        _ => Err(crate::Error::usage(format!(
            "{name} takes MIN-MAX (like 2-5) or 0 (got '{s}')"
        ))),
    }
}

/// An n-gram range as flags write it: "2-5", or "off" when its max is 0.
pub fn describe_range(r: (u8, u8)) -> String {
    if r.1 == 0 {
        "off".to_string()
    } else {
        format!("{}-{}", r.0, r.1)
    }
}

/// One statement to featurize: its text and, when known, its target actor and the source whose
/// stance toward the target is asked about.
#[derive(Clone, Copy)]
pub struct Statement<'a> {
    /// The statement.
    pub text: &'a str,
    /// Its target actor, when known.
    pub actor: Option<&'a ActorMatcher>,
    /// Whose stance toward the target is asked about, when not the statement's own.
    pub source: Option<&'a ActorMatcher>,
}

impl<'a> Statement<'a> {
    /// A statement read toward `actor` (or toward no one), with no source.
    pub fn new(text: &'a str, actor: Option<&'a ActorMatcher>) -> Self {
        Statement {
            text,
            actor,
            source: None,
        }
    }

    /// The same statement asking how `source` stands toward the target.
    pub fn with_source(self, source: Option<&'a ActorMatcher>) -> Self {
        Statement { source, ..self }
    }
}

/// The learned feature space: which hashed features exist, their names and IDF.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vocabulary {
    /// Each feature's hash, in column order.
    pub hashes: Vec<u64>,
    /// Each feature's readable name.
    pub names: Vec<String>,
    /// Each feature's inverse document frequency (and NB scale).
    pub idf: Vec<f32>,
    /// Hash → column (`None` when two columns share a hash: an unusable vocabulary).
    #[serde(skip)]
    index: Option<index::Index>,
    /// True when the hashes strictly increase (columns in hash order, as training lays them out).
    #[serde(skip)]
    hash_ordered: bool,
    /// In hash order, each block's columns are a range: where the char and target blocks start.
    #[serde(skip)]
    block_starts: [u32; 2],
}

impl Vocabulary {
    /// A vocabulary from its tables (one entry per feature in each).
    pub fn new(hashes: Vec<u64>, names: Vec<String>, idf: Vec<f32>) -> Self {
        let mut v = Vocabulary {
            hashes,
            names,
            idf,
            index: None,
            hash_ordered: false,
            block_starts: [0; 2],
        };
        v.rebuild_index();
        v
    }

    /// Rebuilds the hash → column map (after loading from a file).
    pub(crate) fn rebuild_index(&mut self) {
        self.index = index::Index::new(&self.hashes);
        self.hash_ordered = matches!(self.index, Some(index::Index::Sorted(_)));
        let start = |b: Block| self.hashes.partition_point(|&h| Block::of(h) < b) as u32;
        self.block_starts = [start(Block::Char), start(Block::Target)];
    }

    /// The block of a column (of a column past the end: the word block).
    fn block_of(&self, col: u32) -> Block {
        if self.hash_ordered {
            let [char_start, target_start] = self.block_starts;
            if col < char_start {
                Block::Word
            } else if col < target_start {
                Block::Char
            } else {
                Block::Target
            }
        } else {
            self.hashes.get(col as usize).map_or(Block::Word, |&h| Block::of(h))
        }
    }

    /// In hash order, where each block's stretch of `runs` (columns in increasing order) ends:
    /// the word block is `runs[..e0]`, the char block `runs[e0..e1]`, the target block
    /// `runs[e1..e2]`. `None` out of hash order, where blocks interleave.
    fn block_ends_of<T>(&self, runs: &[(u32, T)]) -> Option<[usize; N_BLOCKS]> {
        let [char_start, target_start] = self.block_starts;
        self.hash_ordered.then(|| {
            [
                runs.partition_point(|r| r.0 < char_start),
                runs.partition_point(|r| r.0 < target_start),
                runs.len(),
            ]
        })
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// True when no feature was kept.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The column of a feature hash, if the feature was kept.
    pub fn column(&self, hash: u64) -> Option<u32> {
        self.index.as_ref()?.find(&self.hashes, hash)
    }

    /// Calls `f(column)` for each hash of `batch` that is a kept feature, in order (the columns
    /// [`Self::column`] gives, with the memory reads of the batch overlapped).
    pub(crate) fn columns_of_batch(&self, batch: &[u64], f: &mut impl FnMut(u32)) {
        if let Some(index) = &self.index {
            index.find_many(&self.hashes, batch, f);
        }
    }

    /// True when the columns follow hash order (as training lays them out).
    pub(crate) fn is_hash_ordered(&self) -> bool {
        self.hash_ordered
    }

    /// The check a loaded file must pass: every table has one entry per feature.
    pub(crate) fn is_consistent(&self) -> bool {
        self.names.len() == self.hashes.len() && self.idf.len() == self.hashes.len() && self.index.is_some()
    }
}

/// Text and feature configuration plus the fitted vocabulary: everything that turns a
/// statement into a feature row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Featurizer {
    /// Text settings.
    pub text: TextConfig,
    /// Feature settings.
    pub features: FeatureConfig,
    /// The learned features.
    pub vocab: Vocabulary,
    /// The known actors of `features`, compiled (rebuilt after loading).
    #[serde(skip)]
    others: ActorSet,
    /// The character n-gram columns of the vocabulary's own words, made on first use.
    #[serde(skip)]
    words: ModelWords,
}

/// The vocabulary columns of the character n-grams of every word the vocabulary holds as a
/// unigram: a function of the model alone (not of the texts a process has seen), made once on
/// first use, so a word of the model costs one probe in any batch. Rows are the same with or
/// without it.
pub(crate) type ModelWords = crate::derived::Derived<WordTable>;

/// Words and their columns, `arena[a..b]` in the order the n-grams come.
pub(crate) struct WordTable {
    grams: (usize, usize),
    words: WordMap,
    arena: Vec<u32>,
}

impl WordTable {
    /// The columns of the n-grams (`min..=max` chars) of `word` (whose key is `key`), if the
    /// table holds them.
    #[inline]
    fn get(&self, key: u64, word: &str, min: usize, max: usize) -> Option<&[u32]> {
        if self.grams != (min, max) {
            return None;
        }
        let (a, b) = self.words.get(key, word)?;
        self.arena.get(a as usize..b as usize)
    }
}

/// Hashed feature counts of one statement, sorted by hash.
type Counts = Vec<(u64, u32)>;

fn count_features(st: &Statement, text: &TextConfig, others: &ActorSet, ex: &Extractor) -> Counts {
    let tokens = analyze_statement(st, text, others);
    let mut hashes = Vec::with_capacity(tokens.len() * 16);
    ex.extract(&tokens, st.actor, &mut |h, _| hashes.push(h));
    counts_of(hashes)
}

fn analyze_statement(st: &Statement, text: &TextConfig, others: &ActorSet) -> Vec<crate::text::Token> {
    analyze_mentions(st.text, text, &mentions_of(st, others))
}

fn mentions_of<'a>(st: &Statement<'a>, others: &'a ActorSet) -> Mentions<'a> {
    Mentions {
        actor: st.actor,
        source: st.source,
        others: (!others.is_empty()).then_some(others),
    }
}

/// Readable feature names, filled while featurizing: the first thread to meet a column names
/// it (set-once cells, so no lock). A bitset of the named columns, small enough to stay in
/// cache, answers "named yet?" for every occurrence; the cells themselves are touched once.
struct Names {
    cells: Vec<OnceLock<String>>,
    named: Vec<AtomicU64>,
}

impl Names {
    fn new(d: usize) -> Self {
        Names {
            cells: (0..d).map(|_| OnceLock::new()).collect(),
            named: (0..d.div_ceil(64)).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    fn offer(&self, col: u32, name: &dyn Fn() -> String) {
        let (word, bit) = (col as usize / 64, 1u64 << (col % 64));
        let Some(flags) = self.named.get(word) else { return };
        if flags.load(Ordering::Relaxed) & bit == 0 {
            if let Some(cell) = self.cells.get(col as usize) {
                let _ = cell.set(name());
            }
            flags.fetch_or(bit, Ordering::Relaxed);
        }
    }

    fn into_names(self) -> Vec<String> {
        self.cells
            .into_iter()
            .map(|c| c.into_inner().unwrap_or_default())
            .collect()
    }
}

/// Words (or chunks) longer than this many bytes skip the word cache: they are rare.
const CACHED_WORD_BYTES: usize = 48;
/// The word cache is emptied when it holds this many words…
const CACHE_WORDS: usize = 1 << 15;
/// …or this many column entries: memory stays bounded on any input.
const CACHE_COLUMNS: usize = 1 << 21;
/// Words the cache has room for from the start.
const CACHE_START_WORDS: usize = 1 << 12;

/// Occurrences per column of one row, in bitsets small enough to stay in cache (a bit per
/// column counted, a bit per column counted twice or more, and a bit per 64-column word
/// counted), with the counts of the columns counted twice or more in a small hash table; the
/// row's columns come out in order without sorting them.
#[derive(Default)]
pub(crate) struct ColumnCounts {
    d: usize,
    seen: Vec<u64>,
    twice: Vec<u64>,
    words: Vec<u64>,
    /// Occurrences of the columns with a `twice` bit.
    many: RepeatCounts,
}

impl ColumnCounts {
    /// Ready for `d` columns, all at zero.
    fn reset(&mut self, d: usize) {
        self.d = d;
        self.seen = vec![0; d.div_ceil(64)];
        self.twice = vec![0; d.div_ceil(64)];
        self.words = vec![0; d.div_ceil(64 * 64)];
        self.many = RepeatCounts::default();
    }

    /// Counts one occurrence of `col`.
    #[inline]
    fn add(&mut self, col: u32) {
        if col as usize >= self.d {
            return;
        }
        let w = col as usize / 64;
        let bit = 1u64 << (col % 64);
        let (Some(seen), Some(twice)) = (self.seen.get_mut(w), self.twice.get_mut(w)) else {
            return;
        };
        if *seen & bit == 0 {
            *seen |= bit;
            if let Some(s) = self.words.get_mut(w / 64) {
                *s |= 1 << (w % 64);
            }
        } else if *twice & bit == 0 {
            *twice |= bit;
            self.many.insert(col, 2);
        } else {
            self.many.increment(col);
        }
    }

    /// Calls `f(column, count)` for every counted column in increasing order, and sets them
    /// back to zero.
    fn drain(&mut self, mut f: impl FnMut(u32, u32)) {
        let ColumnCounts {
            seen,
            twice,
            words,
            many,
            ..
        } = self;
        for (si, s) in words.iter_mut().enumerate() {
            let mut s = std::mem::take(s);
            while s != 0 {
                let w = si * 64 + s.trailing_zeros() as usize;
                s &= s - 1;
                let mut b = seen.get_mut(w).map_or(0, std::mem::take);
                let t = twice.get_mut(w).map_or(0, std::mem::take);
                while b != 0 {
                    let bit = b & b.wrapping_neg();
                    b &= b - 1;
                    let col = (w * 64) as u32 + bit.trailing_zeros();
                    let n = if t & bit == 0 { 1 } else { many.get(col) };
                    f(col, n);
                }
            }
        }
        many.clear();
    }
}

/// Counts of a row's columns that occur more than once: an open-addressing table keyed by
/// column, small (a few hundred entries for a long statement) so it stays in the first-level
/// cache where a per-column array would not.
#[derive(Default)]
struct RepeatCounts {
    /// (column + 1, count); column 0 marks an empty slot. Length a power of two (or zero).
    slots: Vec<(u32, u32)>,
    /// Occupied slots.
    used: Vec<u32>,
}

impl RepeatCounts {
    /// The slot of `col`: where it is, or the empty one where it goes.
    #[inline]
    fn slot(&self, col: u32) -> usize {
        let mask = self.slots.len().wrapping_sub(1);
        let key = col.wrapping_add(1);
        let mut i = (col.wrapping_mul(0x9E37_79B9) >> 7) as usize & mask;
        while let Some(&(k, _)) = self.slots.get(i) {
            if k == key || k == 0 {
                break;
            }
            i = (i + 1) & mask;
        }
        i
    }

    /// Sets the count of `col` (not in the table yet).
    fn insert(&mut self, col: u32, n: u32) {
        if (self.used.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let i = self.slot(col);
        if let Some(s) = self.slots.get_mut(i) {
            *s = (col.wrapping_add(1), n);
            self.used.push(i as u32);
        }
    }

    /// Adds one to the count of `col` (in the table).
    #[inline]
    fn increment(&mut self, col: u32) {
        let i = self.slot(col);
        if let Some((_, n)) = self.slots.get_mut(i) {
            *n = n.saturating_add(1);
        }
    }

    /// The count of `col` (at least 2: it is only asked for columns counted twice).
    #[inline]
    fn get(&self, col: u32) -> u32 {
        self.slots
            .get(self.slot(col))
            .filter(|&&(k, _)| k == col.wrapping_add(1))
            .map_or(2, |&(_, n)| n)
    }

    /// Twice as many slots, the entries moved over.
    fn grow(&mut self) {
        let old: Vec<(u32, u32)> = self
            .used
            .iter()
            .filter_map(|&i| self.slots.get(i as usize).copied())
            .collect();
        self.slots = vec![(0, 0); (self.slots.len() * 2).max(256)];
        self.used.clear();
        for (k, n) in old {
            let i = self.slot(k.wrapping_sub(1));
            if let Some(s) = self.slots.get_mut(i) {
                *s = (k, n);
                self.used.push(i as u32);
            }
        }
    }

    /// Empties the table (only the slots in use are touched).
    fn clear(&mut self) {
        for &i in &self.used {
            if let Some(s) = self.slots.get_mut(i as usize) {
                *s = (0, 0);
            }
        }
        self.used.clear();
    }
}

/// A thread's scratch for building rows in one vocabulary's columns: the counts of a row, and a
/// word cache — the vocabulary columns of each word's character n-grams, a pure function of the
/// word, the n-gram range and the vocabulary, so frequent words cost one probe instead of ~20
/// hashes and lookups. The rows are the same with or without it, whatever words a thread met
/// before.
pub(crate) struct RowScratch {
    counts: ColumnCounts,
    /// How many times the word cache was emptied (so a range read before may be stale).
    clears: u64,
    /// The n-gram range the cached columns were made with.
    grams: (usize, usize),
    /// Word → its columns, `arena[a..b]`, in the order the n-grams come.
    words: WordMap,
    arena: Vec<u32>,
    max_words: usize,
    max_columns: usize,
    /// Feature hashes waiting to be looked up together (see [`Vocabulary::columns_of_batch`]).
    pending: Vec<u64>,
    /// The character n-gram hashes of the word being cached.
    gram_hashes: Vec<u64>,
    /// A row's columns and their counts, in column order.
    runs: Vec<(u32, u32)>,
    /// The statement's normalized text and tokens (their memory reused).
    normalized: String,
    tokens: Vec<Token>,
}

/// Feature hashes a [`RowSink`] gathers before looking them up together.
const PENDING: usize = 64;

impl Default for RowScratch {
    fn default() -> Self {
        RowScratch {
            counts: ColumnCounts::default(),
            clears: 0,
            grams: (0, 0),
            words: WordMap::default(),
            arena: Vec::new(),
            max_words: CACHE_WORDS,
            max_columns: CACHE_COLUMNS,
            pending: Vec::new(),
            gram_hashes: Vec::new(),
            runs: Vec::new(),
            normalized: String::new(),
            tokens: Vec::new(),
        }
    }
}

/// Counts the kept features of a statement into a [`RowScratch`], offering names when asked.
struct RowSink<'a> {
    vocab: &'a Vocabulary,
    s: &'a mut RowScratch,
    names: Option<&'a Names>,
    /// The model's own words, when rows are not naming columns.
    table: Option<&'a WordTable>,
}

impl RowSink<'_> {
    /// Counts the columns of the features gathered so far. Counts do not depend on the order in
    /// which columns come, so gathering changes nothing in the row.
    fn flush(&mut self) {
        let RowScratch { counts, pending, .. } = &mut *self.s;
        self.vocab.columns_of_batch(pending, &mut |c| counts.add(c));
        pending.clear();
    }
}

impl Sink for RowSink<'_> {
    fn feature(&mut self, hash: u64, name: &dyn Fn() -> String) {
        if let Some(n) = self.names {
            if let Some(c) = self.vocab.column(hash) {
                self.s.counts.add(c);
                n.offer(c, name);
            }
            return;
        }
        self.s.pending.push(hash);
        if self.s.pending.len() >= PENDING {
            self.flush();
        }
    }

    fn word(&mut self, word: &str, min: usize, max: usize) {
        let (vocab, names, table) = (self.vocab, self.names, self.table);
        let RowScratch {
            counts,
            grams,
            words,
            arena,
            max_words,
            max_columns,
            gram_hashes,
            clears,
            ..
        } = &mut *self.s;
        if word.len() > CACHED_WORD_BYTES {
            char_ngrams(word, min, max, &mut |h, name| {
                if let Some(c) = vocab.column(h) {
                    counts.add(c);
                    if let Some(n) = names {
                        n.offer(c, name);
                    }
                }
            });
            return;
        }
        let key = word_key(word);
        // The words this thread met (a few thousand: a small table that stays in cache), then
        // the model's own words (a large table, whose columns are copied here), then the rest.
        if *grams == (min, max)
            && let Some((a, b)) = words.get(key, word)
        {
            for &c in arena.get(a as usize..b as usize).unwrap_or(&[]) {
                counts.add(c);
            }
            return;
        }
        if *grams != (min, max) || words.len() >= *max_words || arena.len() >= *max_columns {
            words.clear();
            arena.clear();
            *grams = (min, max);
            *clears += 1;
        }
        if arena.capacity() == 0 {
            // A batch meets thousands of words: no growing step by step.
            *words = WordMap::with_capacity(CACHE_START_WORDS.min(*max_words));
            arena.reserve(CACHE_START_WORDS.min(*max_words) * 16);
        }
        let start = arena.len();
        if let Some(cols) = table.and_then(|t| t.get(key, word, min, max)) {
            arena.extend_from_slice(cols);
        } else if let Some(names) = names {
            char_ngrams(word, min, max, &mut |h, name| {
                if let Some(c) = vocab.column(h) {
                    arena.push(c);
                    names.offer(c, name);
                }
            });
        } else {
            // All the word's n-grams first, then their columns together (in the same order).
            gram_hashes.clear();
            char_ngrams(word, min, max, &mut |h, _| gram_hashes.push(h));
            vocab.columns_of_batch(gram_hashes, &mut |c| arena.push(c));
        }
        for &c in arena.get(start..).unwrap_or(&[]) {
            counts.add(c);
        }
        words.insert(key, word, start as u32, arena.len() as u32);
    }

    /// The words' cached columns looked up together — every probe of the cache, then a read
    /// of each found range, then the counts — so the memory reads of a batch overlap; the words
    /// the cache lacks go through [`Self::word`], in order. The counts are those of
    /// [`Self::word`] on each word.
    fn words(&mut self, ws: &[&str], min: usize, max: usize) {
        if self.names.is_some() || self.s.grams != (min, max) || ws.len() > WORD_BATCH {
            for w in ws {
                self.word(w, min, max);
            }
            return;
        }
        let mut found = [None; WORD_BATCH];
        for (f, w) in found.iter_mut().zip(ws) {
            if w.len() <= CACHED_WORD_BYTES {
                *f = self.s.words.get(word_key(w), w);
            }
        }
        let arena = &self.s.arena;
        let touch = found
            .iter()
            .flatten()
            .fold(0u32, |t, &(a, _)| t ^ arena.get(a as usize).copied().unwrap_or(0));
        std::hint::black_box(touch);
        let clears = self.s.clears;
        for (f, w) in found.iter().zip(ws) {
            match f {
                // A range read before the cache was emptied is stale: look the word up again.
                Some((a, b)) if self.s.clears == clears => {
                    let RowScratch { counts, arena, .. } = &mut *self.s;
                    for &c in arena.get(*a as usize..*b as usize).unwrap_or(&[]) {
                        counts.add(c);
                    }
                }
                _ => self.word(w, min, max),
            }
        }
    }
}

/// One extractor per thread of the rayon pool for a whole batch, so a thread's word cache stays
/// warm across the batch's jobs (rayon's `map_init` starts one per job). Rows never depend on
/// which extractor a statement meets.
pub(crate) struct ThreadExtractors<'f> {
    featurizer: &'f Featurizer,
    slots: Vec<Mutex<Extractor<'f>>>,
}

impl<'f> ThreadExtractors<'f> {
    /// Empty extractors (their scratch is made on first use) for the current pool's threads.
    pub(crate) fn new(featurizer: &'f Featurizer) -> Self {
        ThreadExtractors {
            featurizer,
            slots: (0..rayon::current_num_threads().max(1))
                .map(|_| Mutex::new(featurizer.extractor()))
                .collect(),
        }
    }

    /// Runs `f` with the calling thread's extractor (a fresh one if it is busy).
    pub(crate) fn with<R>(&self, f: impl FnOnce(&Extractor) -> R) -> R {
        let i = rayon::current_thread_index().unwrap_or(0);
        if let Some(slot) = self.slots.get(i % self.slots.len().max(1))
            && let Ok(ex) = slot.try_lock()
        {
            return f(&ex);
        }
        f(&self.featurizer.extractor())
    }
}

/// Statements featurized together in one parallel batch: bounds memory on large inputs.
const BATCH: usize = 2048;

/// The document-frequency table is split in 2^SHARD_BITS parts by the top bits of the hash.
const SHARD_BITS: u32 = 4;

/// The fewest statements a parallel job takes: each job starts a scratch and word cache, and
/// tiny splits would start cold ones over and over. (Rows never depend on the split.)
pub(crate) const MIN_SPLIT: usize = 64;

/// Occurrence counts of each hash, sorted by hash.
fn counts_of(mut hashes: Vec<u64>) -> Counts {
    hashes.sort_unstable();
    let mut counts: Counts = Vec::with_capacity(hashes.len());
    for h in hashes {
        match counts.last_mut() {
            Some((last, c)) if *last == h => *c += 1,
            _ => counts.push((h, 1)),
        }
    }
    counts
}

fn count_all(statements: &[Statement], text: &TextConfig, features: &FeatureConfig, others: &ActorSet) -> Vec<Counts> {
    statements
        .par_iter()
        .map_init(
            || Extractor::new(features),
            |ex, st| count_features(st, text, others, ex),
        )
        .collect()
}

impl Featurizer {
    /// Learns the vocabulary and IDF from `statements` and returns their feature matrix.
    pub fn fit_transform(
        text: TextConfig,
        features: FeatureConfig,
        statements: &[Statement],
    ) -> (Featurizer, CsrMatrix) {
        let n = statements.len();
        let others = ActorSet::new(&features.known_actors);
        // Pass 1, in bounded batches: document frequency and total count per feature. Only the
        // frequency table outlives a batch, so memory does not grow with per-row counts. The
        // table is split by the top bits of the hash, one part per parallel job: each job reads
        // its range of every statement's sorted counts.
        let mut shards: Vec<FxHashMap<u64, (u32, u64)>> =
            (0..1usize << SHARD_BITS).map(|_| FxHashMap::default()).collect();
        for batch in statements.chunks(BATCH) {
            let docs = count_all(batch, &text, &features, &others);
            shards.par_iter_mut().enumerate().for_each(|(s, df)| {
                let s = s as u64;
                for doc in &docs {
                    let lo = doc.partition_point(|&(h, _)| h >> (64 - SHARD_BITS) < s);
                    let hi = doc.partition_point(|&(h, _)| h >> (64 - SHARD_BITS) <= s);
                    for &(h, c) in doc.get(lo..hi).unwrap_or(&[]) {
                        let e = df.entry(h).or_insert((0, 0));
                        e.0 += 1;
                        e.1 += u64::from(c);
                    }
                }
            });
        }
        // Each part's kept features in hash order; the parts follow the top bits, so together
        // they are in hash order: columns independent of thread scheduling and hash-map iteration.
        let parts: Vec<Vec<(u64, u32, u64)>> = shards
            .into_par_iter()
            .map(|df| {
                let mut part: Vec<(u64, u32, u64)> = df
                    .into_iter()
                    .filter(|&(h, (d, _))| {
                        let min = if Block::of(h) == Block::Char {
                            features.char_min_df
                        } else {
                            features.min_df
                        };
                        d >= min.max(1)
                    })
                    .map(|(h, (d, t))| (h, d, t))
                    .collect();
                part.sort_unstable_by_key(|k| k.0);
                part
            })
            .collect();
        let mut kept: Vec<(u64, u32, u64)> = parts.concat();
        if features.max_features > 0 && kept.len() > features.max_features as usize {
            kept.par_sort_unstable_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
            kept.truncate(features.max_features as usize);
            kept.par_sort_unstable_by_key(|k| k.0);
        }
        let hashes: Vec<u64> = kept.iter().map(|k| k.0).collect();
        let idf: Vec<f32> = kept
            .iter()
            .map(|&(_, d, _)| (((1 + n) as f64 / (1 + d) as f64).ln() + 1.0) as f32)
            .collect();
        drop(kept);
        let d = hashes.len();
        let mut featurizer = Featurizer {
            text,
            features,
            vocab: Vocabulary::new(hashes, vec![String::new(); d], idf),
            others,
            words: ModelWords::default(),
        };
        // Pass 2: featurize again, weigh the rows, and record each kept feature's readable name
        // the first time it is seen (set-once cells, so threads need no lock).
        let names = Names::new(d);
        let mut matrix = CsrMatrix::new(d);
        for batch in statements.chunks(BATCH) {
            let extractors = ThreadExtractors::new(&featurizer);
            let rows: Vec<Vec<(u32, f32)>> = batch
                .par_iter()
                .with_min_len(MIN_SPLIT)
                .map(|st| extractors.with(|ex| featurizer.row_of(st, ex, Some(&names))))
                .collect();
            for row in rows {
                matrix.push_row(&row);
            }
        }
        featurizer.vocab.names = names.into_names();
        (featurizer, matrix)
    }

    /// NB-SVM-style supervised scaling: each column is multiplied by the spread (max − min over
    /// labels) of its smoothed log share of each label's feature mass, folded into the IDF so
    /// prediction is unchanged; the rows of `x` are rescaled and re-normalized per block.
    pub(crate) fn fit_nb_scale(&mut self, x: &mut CsrMatrix, y: &[u32], n_labels: usize) {
        let d = self.vocab.len();
        let mut mass = vec![vec![1.0f64; d]; n_labels]; // add-one smoothing
        for (i, &label) in y.iter().enumerate() {
            let (idx, val) = x.row(i);
            if let Some(m) = mass.get_mut(label as usize) {
                for (&c, &v) in idx.iter().zip(val) {
                    if let Some(cell) = m.get_mut(c as usize) {
                        *cell += f64::from(v);
                    }
                }
            }
        }
        let totals: Vec<f64> = mass.iter().map(|m| m.iter().sum()).collect();
        let scale: Vec<f32> = (0..d)
            .map(|j| {
                let logs = mass.iter().zip(&totals).map(|(m, t)| (m[j] / t).ln());
                let (lo, hi) = logs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
                (hi - lo) as f32
            })
            .collect();
        for (idf, s) in self.vocab.idf.iter_mut().zip(&scale) {
            *idf *= s;
        }
        let blocks: Vec<Block> = self.vocab.hashes.iter().map(|&h| Block::of(h)).collect();
        for i in 0..x.n_rows() {
            let (a, b) = (x.indptr[i], x.indptr[i + 1]);
            let mut norms = [0f64; N_BLOCKS];
            for k in a..b {
                let c = x.indices[k] as usize;
                x.values[k] *= scale[c];
                norms[blocks[c] as usize] += f64::from(x.values[k]).powi(2);
            }
            for k in a..b {
                let n = norms[blocks[x.indices[k] as usize] as usize].sqrt();
                x.values[k] = if n > 0.0 {
                    (f64::from(x.values[k]) / n) as f32
                } else {
                    0.0
                };
            }
        }
    }

    /// The feature matrix of `statements` in the learned space.
    #[cfg(test)]
    pub(crate) fn transform(&self, statements: &[Statement]) -> CsrMatrix {
        let rows: Vec<Vec<(u32, f32)>> = statements
            .par_iter()
            .map_init(|| self.extractor(), |ex, st| self.transform_one(st, ex))
            .collect();
        CsrMatrix::from_rows(self.vocab.len(), rows)
    }

    /// The feature row of one statement.
    pub fn transform_one(&self, st: &Statement, ex: &Extractor) -> Vec<(u32, f32)> {
        self.row_of(st, ex, None)
    }

    /// The row of `st`, through the extractor's scratch and word cache when the extractor is
    /// this featurizer's ([`Self::extractor`]), else by sorting its hashes or columns; with
    /// `names`, each column's cell that is still empty gets the feature's readable name.
    fn row_of(&self, st: &Statement, ex: &Extractor, names: Option<&Names>) -> Vec<(u32, f32)> {
        if ex.vocab.is_some_and(|v| std::ptr::eq(v, &self.vocab))
            && let Ok(mut s) = ex.scratch.try_borrow_mut()
        {
            return self.row_in_scratch(st, ex, &mut s, names);
        }
        if names.is_some() {
            return self.weigh_columns(self.columns_of(st, ex, names));
        }
        self.row_by_hashes(st, ex)
    }

    /// The row of `st` counted per column in `s` (see [`RowScratch`]).
    fn row_in_scratch(
        &self,
        st: &Statement,
        ex: &Extractor,
        s: &mut RowScratch,
        names: Option<&Names>,
    ) -> Vec<(u32, f32)> {
        let idf = &self.vocab.idf;
        let mut row = Vec::new();
        self.weigh_in_scratch(st, ex, s, names, |col| idf.get(col).copied(), &mut row);
        row
    }

    /// The row of `st` into `row` (emptied first), as [`Self::transform_one`] gives it, with
    /// each column's IDF read through `idf` (which gives the vocabulary's IDF of the column: a
    /// table that keeps it beside other per-column data saves a memory read). `None` when the
    /// extractor is not this featurizer's or is busy; `row` is then left empty.
    pub(crate) fn row_with_idf(
        &self,
        st: &Statement,
        ex: &Extractor,
        idf: impl Fn(usize) -> Option<f32>,
        row: &mut Vec<(u32, f32)>,
    ) -> Option<()> {
        row.clear();
        if !ex.vocab.is_some_and(|v| std::ptr::eq(v, &self.vocab)) {
            return None;
        }
        let mut s = ex.scratch.try_borrow_mut().ok()?;
        self.weigh_in_scratch(st, ex, &mut s, None, idf, row);
        Some(())
    }

    /// Counts the columns of `st` in `s`, then weighs them into `row` (see [`RowScratch`]).
    fn weigh_in_scratch(
        &self,
        st: &Statement,
        ex: &Extractor,
        s: &mut RowScratch,
        names: Option<&Names>,
        idf: impl Fn(usize) -> Option<f32>,
        row: &mut Vec<(u32, f32)>,
    ) {
        if s.counts.d != self.vocab.len() {
            s.counts.reset(self.vocab.len());
        }
        let mut tokens = std::mem::take(&mut s.tokens);
        analyze_mentions_into(
            st.text,
            &self.text,
            &mentions_of(st, &self.others),
            &mut s.normalized,
            &mut tokens,
        );
        let mut sink = RowSink {
            vocab: &self.vocab,
            s: &mut *s,
            names,
            table: if names.is_none() { self.words.0.get() } else { None },
        };
        ex.extract_into(&tokens, st.actor, &mut sink);
        sink.flush();
        s.tokens = tokens;
        // The row's columns in increasing order with their counts, then a read of each one's
        // IDF (independent loads, all in flight at once), then the weights as `weigh_runs`.
        let mut runs = std::mem::take(&mut s.runs);
        runs.clear();
        s.counts.drain(|col, c| runs.push((col, c)));
        let touch = runs
            .iter()
            .fold(0u32, |t, &(col, _)| t ^ idf(col as usize).map_or(0, f32::to_bits));
        std::hint::black_box(touch);
        row.reserve(runs.len());
        if let Some(ends) = self.vocab.block_ends_of(&runs) {
            // Columns in hash order: each block is one stretch of the row, its sum of squares
            // kept in a register and added in the same order as below, so the same norm.
            let mut start = 0;
            for end in ends {
                let mut norm = 0f64;
                for &(col, c) in runs.get(start..end).unwrap_or(&[]) {
                    let w = self.tf(c as usize) * idf(col as usize).unwrap_or(1.0);
                    norm += f64::from(w) * f64::from(w);
                    row.push((col, w));
                }
                let n = norm.sqrt();
                for (_, w) in row.get_mut(start..end).unwrap_or(&mut []) {
                    *w = if n > 0.0 { (f64::from(*w) / n) as f32 } else { 0.0 };
                }
                start = end;
            }
            s.runs = runs;
            return;
        }
        let mut norms = [0f64; N_BLOCKS];
        for &(col, c) in &runs {
            let w = self.tf(c as usize) * idf(col as usize).unwrap_or(1.0);
            norms[self.vocab.block_of(col) as usize] += f64::from(w) * f64::from(w);
            row.push((col, w));
        }
        s.runs = runs;
        let roots = norms.map(f64::sqrt);
        for (col, w) in row.iter_mut() {
            let n = roots[self.vocab.block_of(*col) as usize];
            *w = if n > 0.0 { (f64::from(*w) / n) as f32 } else { 0.0 };
        }
    }

    /// The term frequency of a feature that occurs `c` times.
    fn tf(&self, c: usize) -> f32 {
        if self.features.sublinear_tf {
            // ln 1 = 0 exactly: most features occur once, and skip the logarithm.
            if c == 1 { 1.0 } else { 1.0 + (c as f32).ln() }
        } else {
            c as f32
        }
    }

    /// The row of `st` from its sorted hashes (columns in hash order), else its sorted columns.
    fn row_by_hashes(&self, st: &Statement, ex: &Extractor) -> Vec<(u32, f32)> {
        if !self.vocab.is_hash_ordered() {
            return self.weigh_columns(self.columns_of(st, ex, None));
        }
        // Columns follow hash order: the statement's hashes, sorted, give its columns in order,
        // each distinct hash looked up once and its block read off the hash.
        let tokens = analyze_statement(st, &self.text, &self.others);
        let mut hashes = Vec::with_capacity(tokens.len() * 16);
        ex.extract(&tokens, st.actor, &mut |h, _| hashes.push(h));
        hashes.sort_unstable();
        let mut distinct: Vec<u64> = Vec::with_capacity(hashes.len());
        let mut counts: Vec<usize> = Vec::with_capacity(hashes.len());
        for run in hashes.chunk_by(|a, b| a == b) {
            if let Some(&h) = run.first() {
                distinct.push(h);
                counts.push(run.len());
            }
        }
        let runs: Vec<(u32, usize, Block)> = distinct
            .iter()
            .zip(&counts)
            .filter_map(|(&h, &c)| Some((self.vocab.column(h)?, c, Block::of(h))))
            .collect();
        self.weigh_runs(&runs)
    }

    /// Compiles what is not stored in the model file (after loading).
    pub(crate) fn rebuild(&mut self) {
        self.vocab.rebuild_index();
        self.others = ActorSet::new(&self.features.known_actors);
        self.words = ModelWords::default();
    }

    /// Whether the word table ([`Self::word_table`]) is made.
    #[cfg(test)]
    pub(crate) fn words_made(&self) -> bool {
        self.words.0.get().is_some()
    }

    /// The character n-gram columns of the vocabulary's words (see [`ModelWords`]), made in
    /// parallel on first use; `None` when the featurizer makes no character n-grams of words.
    pub(crate) fn word_table(&self) -> Option<&WordTable> {
        let (min, max) = (
            self.features.char_ngrams.0.max(1) as usize,
            self.features.char_ngrams.1 as usize,
        );
        if max == 0 || self.vocab.names.len() != self.vocab.len() {
            return None;
        }
        Some(self.words.0.get_or_init(|| {
            // The unigrams of words, hashtags and handles, as the extractor names them.
            let words: Vec<&str> = self
                .vocab
                .names
                .iter()
                .filter_map(|n| n.strip_prefix("w:"))
                .filter(|w| !w.is_empty() && w.len() <= CACHED_WORD_BYTES && !w.contains(' '))
                .collect();
            let lists: Vec<Vec<u32>> = words
                .par_iter()
                .with_min_len(256)
                .map(|w| {
                    let mut hashes = Vec::with_capacity(4 * w.len() + 4);
                    char_ngrams(w, min, max, &mut |h, _| hashes.push(h));
                    let mut cols = Vec::with_capacity(hashes.len());
                    self.vocab.columns_of_batch(&hashes, &mut |c| cols.push(c));
                    cols
                })
                .collect();
            let mut table = WordTable {
                grams: (min, max),
                words: WordMap::with_capacity(words.len()),
                arena: Vec::with_capacity(lists.iter().map(Vec::len).sum()),
            };
            for (w, cols) in words.into_iter().zip(lists) {
                if table.arena.len() + cols.len() > u32::MAX as usize {
                    break;
                }
                let a = table.arena.len() as u32;
                table.arena.extend_from_slice(&cols);
                table.words.insert(word_key(w), w, a, table.arena.len() as u32);
            }
            table
        }))
    }

    /// How many known actors the featurizer carries.
    pub fn known_actors(&self) -> usize {
        self.others.len()
    }

    /// A reusable extractor of this featurizer's features (one per thread): its rows of this
    /// featurizer go through a per-thread word cache.
    pub fn extractor(&self) -> Extractor<'_> {
        Extractor::for_vocab(&self.features, &self.vocab)
    }

    /// The vocabulary column of every feature occurrence of `st` (features outside the
    /// vocabulary dropped), one hash lookup per occurrence; with `names`, each column's cell that
    /// is still empty gets the feature's readable name.
    fn columns_of(&self, st: &Statement, ex: &Extractor, names: Option<&Names>) -> Vec<u32> {
        let tokens = analyze_statement(st, &self.text, &self.others);
        let mut cols = Vec::with_capacity(tokens.len() * 16);
        ex.extract(&tokens, st.actor, &mut |h, name| {
            if let Some(c) = self.vocab.column(h) {
                cols.push(c);
                if let Some(n) = names {
                    n.offer(c, name);
                }
            }
        });
        cols
    }

    /// Counts the occurrences of each column, then sublinear TF × IDF and L2 normalization
    /// within each block. Columns follow hash order, so the row is summed in the same order
    /// whichever way it was built.
    fn weigh_columns(&self, mut cols: Vec<u32>) -> Vec<(u32, f32)> {
        cols.sort_unstable();
        let runs: Vec<(u32, usize, Block)> = cols
            .chunk_by(|a, b| a == b)
            .filter_map(|run| {
                let &col = run.first()?;
                let block = self
                    .vocab
                    .hashes
                    .get(col as usize)
                    .map_or(Block::Word, |&h| Block::of(h));
                Some((col, run.len(), block))
            })
            .collect();
        self.weigh_runs(&runs)
    }

    /// Sublinear TF × IDF and L2 normalization within each block of a row given as runs
    /// (column, occurrences, block) in column order.
    fn weigh_runs(&self, runs: &[(u32, usize, Block)]) -> Vec<(u32, f32)> {
        let mut row: Vec<(u32, f32)> = Vec::with_capacity(runs.len());
        let mut norms = [0f64; N_BLOCKS];
        for &(col, c, block) in runs {
            let w = self.tf(c) * self.vocab.idf.get(col as usize).copied().unwrap_or(1.0);
            norms[block as usize] += f64::from(w) * f64::from(w);
            row.push((col, w));
        }
        for ((_, w), &(_, _, b)) in row.iter_mut().zip(runs) {
            let n = norms[b as usize].sqrt();
            *w = if n > 0.0 { (f64::from(*w) / n) as f32 } else { 0.0 };
        }
        row
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(text: &str) -> Statement<'_> {
        Statement::new(text, None)
    }

    #[test]
    fn fit_transform_rows_are_normalized_per_block() {
        let docs = [
            st("apoyo total al plan"),
            st("rechazo total al plan"),
            st("apoyo al plan"),
        ];
        let (f, m) = Featurizer::fit_transform(
            TextConfig::default(),
            FeatureConfig {
                min_df: 2,
                ..FeatureConfig::default()
            },
            &docs,
        );
        assert_eq!(m.n_rows(), 3);
        assert!(f.vocab.is_consistent());
        assert!(f.vocab.names.iter().all(|n| !n.is_empty()));
        for i in 0..3 {
            let (idx, val) = m.row(i);
            assert!(idx.windows(2).all(|w| w[0] < w[1]));
            let mut norms = [0f64; N_BLOCKS];
            for (&c, &v) in idx.iter().zip(val) {
                norms[Block::of(f.vocab.hashes[c as usize]) as usize] += f64::from(v * v);
            }
            for n in norms {
                assert!(n == 0.0 || (n - 1.0).abs() < 1e-5, "{n}");
            }
        }
        // min_df = 2: "rechazo" occurs once and is dropped.
        assert!(!f.vocab.names.contains(&"w:rechazo".to_string()));
        assert!(f.vocab.names.contains(&"w:apoyo".to_string()));
        // Transform of the same statements gives the same matrix.
        assert_eq!(f.transform(&docs), m);
    }

    proptest::proptest! {
        /// The row of a statement built from its sorted hashes (vocabulary in hash order) is
        /// the row built by looking up and sorting every column, bit for bit; the training
        /// matrix holds the same rows.
        #[test]
        fn hash_ordered_rows_equal_the_general_path(
            texts in proptest::collection::vec("\\PC{0,60}|[a-zñáé ,.!¿?«»]{0,80}", 1..6),
            probe in "\\PC{0,60}|[a-zñáé ,.!¿?«»]{0,80}",
            sublinear in proptest::bool::ANY,
        ) {
            let docs: Vec<Statement> = texts.iter().map(|t| st(t)).collect();
            let cfg = FeatureConfig { char_min_df: 1, sublinear_tf: sublinear, ..FeatureConfig::default() };
            let (f, m) = Featurizer::fit_transform(TextConfig::default(), cfg, &docs);
            proptest::prop_assert!(f.vocab.is_hash_ordered());
            let ex = f.extractor();
            for (i, d) in docs.iter().chain([st(&probe)].iter()).enumerate() {
                let fast = f.transform_one(d, &ex);
                let general = f.weigh_columns(f.columns_of(d, &ex, None));
                let bits = |r: &[(u32, f32)]| r.iter().map(|&(c, v)| (c, v.to_bits())).collect::<Vec<_>>();
                proptest::prop_assert_eq!(bits(&fast), bits(&general));
                if i < docs.len() {
                    let (idx, val) = m.row(i);
                    let stored: Vec<(u32, f32)> = idx.iter().copied().zip(val.iter().copied()).collect();
                    proptest::prop_assert_eq!(bits(&fast), bits(&stored));
                }
            }
        }
    }

    fn bits(r: &[(u32, f32)]) -> Vec<(u32, u32)> {
        r.iter().map(|&(c, v)| (c, v.to_bits())).collect()
    }

    proptest::proptest! {
        /// Rows through the featurizer's extractor (per-column counts and the word cache, warm
        /// from earlier statements, or emptied every few words) equal the rows of a plain
        /// extractor (sorted hashes), bit for bit: random Unicode, repeated words, long words,
        /// chunk mode and stemming.
        #[test]
        fn word_cache_rows_equal_plain_rows(
            texts in proptest::collection::vec("\\PC{0,60}|((hola|apoyo|de|la|ñandú|[a-zé]{1,4}) ){0,90}|[a-zñ]{40,70}( [a-z]{1,3}){0,5}", 1..6),
            probes in proptest::collection::vec("\\PC{0,60}|((hola|apoyo|de|la|ñandú|[a-zé]{1,4}) ){0,90}|[a-zñ]{40,70}( [a-z]{1,3}){0,5}", 1..8),
            chunks in proptest::bool::ANY,
            stem in proptest::bool::ANY,
            limit in 1usize..4,
        ) {
            let docs: Vec<Statement> = texts.iter().map(|t| st(t)).collect();
            let cfg = FeatureConfig { char_min_df: 1, char_chunks: chunks, stem, ..FeatureConfig::default() };
            let (f, m) = Featurizer::fit_transform(TextConfig::default(), cfg, &docs);
            let plain = Extractor::new(&f.features);
            let warm = f.extractor();
            // The model's own words are in its table (so the rows below go through it).
            let table = f.word_table().ok_or_else(|| proptest::test_runner::TestCaseError::fail("no word table"))?;
            for d in &docs {
                for t in analyze_statement(d, &f.text, &f.others) {
                    if !chunks && !stem && t.kind == crate::text::TokenKind::Word && t.text.len() <= CACHED_WORD_BYTES {
                        proptest::prop_assert!(table.get(word_key(&t.text), &t.text, 2, 5).is_some(), "{}", t.text);
                    }
                }
            }
            let small = f.extractor();
            {
                let mut s = small.scratch.borrow_mut();
                s.max_words = limit;
                s.max_columns = limit * 8;
            }
            for (i, d) in docs.iter().chain(probes.iter().map(|p| st(p)).collect::<Vec<_>>().iter()).enumerate() {
                let want = bits(&f.transform_one(d, &plain));
                proptest::prop_assert_eq!(bits(&f.transform_one(d, &warm)), want.clone());
                proptest::prop_assert_eq!(bits(&f.transform_one(d, &small)), want.clone());
                // Twice in a row: the cache now holds every word of the statement.
                proptest::prop_assert_eq!(bits(&f.transform_one(d, &warm)), want.clone());
                if i < docs.len() {
                    let (idx, val) = m.row(i);
                    let stored: Vec<(u32, f32)> = idx.iter().copied().zip(val.iter().copied()).collect();
                    proptest::prop_assert_eq!(bits(&stored), want);
                }
            }
        }

        /// The vocabulary (from the document-frequency table split by hash bits, merged in
        /// parallel) is the one a single table of every statement's distinct hashes gives.
        #[test]
        fn split_frequency_table_gives_the_plain_vocabulary(
            texts in proptest::collection::vec("\\PC{0,40}|((hola|apoyo|de|la|[a-zé]{1,4}) ){0,20}", 1..12),
            min_df in 1u32..3,
            char_min_df in 1u32..3,
            max_features in proptest::prop_oneof![proptest::strategy::Just(0u32), 1u32..200],
        ) {
            let docs: Vec<Statement> = texts.iter().map(|t| st(t)).collect();
            let cfg = FeatureConfig { min_df, char_min_df, max_features, ..FeatureConfig::default() };
            let (f, _) = Featurizer::fit_transform(TextConfig::default(), cfg.clone(), &docs);
            let ex = Extractor::new(&cfg);
            let mut df: std::collections::BTreeMap<u64, (u32, u64)> = std::collections::BTreeMap::new();
            for d in &docs {
                let tokens = analyze_statement(d, &TextConfig::default(), &ActorSet::new(&[]));
                let mut hs = Vec::new();
                ex.extract(&tokens, None, &mut |h, _| hs.push(h));
                hs.sort_unstable();
                for run in hs.chunk_by(|a, b| a == b) {
                    let e = df.entry(run[0]).or_insert((0, 0));
                    e.0 += 1;
                    e.1 += run.len() as u64;
                }
            }
            let mut kept: Vec<(u64, u32, u64)> = df
                .into_iter()
                .filter(|&(h, (d, _))| d >= if Block::of(h) == Block::Char { char_min_df } else { min_df })
                .map(|(h, (d, t))| (h, d, t))
                .collect();
            if max_features > 0 && kept.len() > max_features as usize {
                kept.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
                kept.truncate(max_features as usize);
                kept.sort_by_key(|k| k.0);
            }
            let n = docs.len();
            let idf: Vec<u32> = kept.iter().map(|&(_, d, _)| ((((1 + n) as f64 / (1 + d) as f64).ln() + 1.0) as f32).to_bits()).collect();
            proptest::prop_assert_eq!(&f.vocab.hashes, &kept.iter().map(|k| k.0).collect::<Vec<_>>());
            proptest::prop_assert_eq!(f.vocab.idf.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), idf);
        }

        /// Per-column counts give what sorting the columns and counting the runs gives.
        #[test]
        fn column_counts_equal_sorted_runs(cols in proptest::collection::vec(0u32..300, 0..400), repeat in 1usize..6) {
            let mut counts = ColumnCounts::default();
            counts.reset(300);
            let mut want: Vec<u32> = Vec::new();
            for _ in 0..2 {
                for &c in &cols {
                    for _ in 0..(c as usize % repeat + 1) {
                        counts.add(c);
                        want.push(c);
                    }
                }
                // Out of range: ignored.
                counts.add(300);
                counts.add(u32::MAX);
                want.sort_unstable();
                let runs: Vec<(u32, u32)> = want.chunk_by(|a, b| a == b).map(|r| (r[0], r.len() as u32)).collect();
                let mut got = Vec::new();
                counts.drain(|c, n| got.push((c, n)));
                proptest::prop_assert_eq!(got, runs);
                want.clear();
            }
        }
    }

    #[test]
    fn vocabularies_out_of_hash_order_still_transform() {
        let (f, _) = Featurizer::fit_transform(
            TextConfig::default(),
            FeatureConfig::default(),
            &[st("apoyo total"), st("apoyo")],
        );
        let mut g = f.clone();
        // Reverse the columns: the same features, no longer in hash order.
        g.vocab = Vocabulary::new(
            f.vocab.hashes.iter().rev().copied().collect(),
            f.vocab.names.iter().rev().cloned().collect(),
            f.vocab.idf.iter().rev().copied().collect(),
        );
        assert!(f.vocab.is_hash_ordered() && !g.vocab.is_hash_ordered());
        let d = f.vocab.len() as u32;
        let row_f = f.transform_one(&st("apoyo total"), &f.extractor());
        let mut row_g: Vec<(u32, f32)> = g
            .transform_one(&st("apoyo total"), &g.extractor())
            .into_iter()
            .map(|(c, v)| (d - 1 - c, v))
            .collect();
        row_g.sort_by_key(|&(c, _)| c);
        assert!(!row_f.is_empty());
        assert_eq!(row_f.len(), row_g.len());
        for ((cf, vf), (cg, vg)) in row_f.iter().zip(&row_g) {
            assert_eq!(cf, cg);
            assert!((vf - vg).abs() < 1e-6, "{vf} vs {vg}");
        }
    }

    #[test]
    fn max_features_keeps_the_most_frequent() {
        let docs = [st("a a a b b"), st("a b c"), st("c d a")];
        let cfg = FeatureConfig {
            char_ngrams: (0, 0),
            word_ngrams: (1, 1),
            min_df: 1,
            max_features: 2,
            window: 0,
            ..FeatureConfig::default()
        };
        let (f, _) = Featurizer::fit_transform(TextConfig::default(), cfg, &docs);
        let mut names = f.vocab.names.clone();
        names.sort();
        assert_eq!(names, vec!["w:a", "w:b"]);
    }

    #[test]
    fn unknown_features_are_ignored_at_transform() {
        let cfg = FeatureConfig {
            window: 0,
            ..FeatureConfig::default()
        };
        let (f, _) = Featurizer::fit_transform(TextConfig::default(), cfg, &[st("hola hola"), st("hola")]);
        let m = f.transform(&[st("zzz qqq")]);
        assert_eq!(m.row(0).0.len(), 0);
    }
}
