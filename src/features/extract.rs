//! Feature extraction from tokens: word n-grams, character n-grams inside words, and
//! target features (words around the actor placeholder, tagged by side). Each feature is a
//! 64-bit hash whose top bits name its block; the readable name is built only on demand.

use super::{FeatureConfig, RowScratch, Vocabulary, roles};
use crate::text::ActorMatcher;
use crate::text::tokenize::{ACTOR_TOKEN, Token, TokenKind};
use rust_stemmers::{Algorithm, Stemmer};
use std::borrow::Cow;
use std::cell::RefCell;
use std::hash::Hasher;

/// Feature blocks are L2-normalized separately, as a union of vectorizers would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Block {
    /// Word n-grams.
    Word = 0,
    /// Character n-grams.
    Char = 1,
    /// Target features: words near a mention, the target's name words and their pairs.
    Target = 2,
}

/// Number of feature blocks.
pub const N_BLOCKS: usize = 3;
const BLOCK_SHIFT: u32 = 62;

impl Block {
    /// The block a feature hash belongs to.
    pub fn of(hash: u64) -> Block {
        match hash >> BLOCK_SHIFT {
            0 => Block::Word,
            1 => Block::Char,
            _ => Block::Target,
        }
    }
}

/// Namespaces keep a unigram "a b" apart from the bigram (a, b) and so on.
#[derive(Clone, Copy)]
enum Ns {
    Unigram = 1,
    Bigram = 2,
    Trigram = 3,
    Char = 4,
    Left = 5,
    Right = 6,
    NoMention = 7,
    Identity = 8,
    Pair = 9,
    SourceLeft = 10,
    SourceRight = 11,
    Role = 12,
}

fn finish(h: rustc_hash::FxHasher, block: Block) -> u64 {
    (h.finish() >> 2) | ((block as u64) << BLOCK_SHIFT)
}

fn hash_parts(ns: Ns, parts: &[&str], block: Block) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write_u8(ns as u8);
    for p in parts {
        h.write(p.as_bytes());
        h.write_u8(0xFF);
    }
    finish(h, block)
}

/// Where [`Extractor::extract_into`] sends features.
pub(crate) trait Sink {
    /// One feature occurrence: its hash, and its readable name on demand.
    fn feature(&mut self, hash: u64, name: &dyn Fn() -> String);

    /// The character n-grams of one word (or chunk), `min..=max` chars long, in order.
    fn word(&mut self, word: &str, min: usize, max: usize) {
        char_ngrams(word, min, max, &mut |h, name| self.feature(h, name));
    }

    /// [`Self::word`] on each of `words` in turn (a sink may look them up together first).
    fn words(&mut self, words: &[&str], min: usize, max: usize) {
        for w in words {
            self.word(w, min, max);
        }
    }
}

/// Words handed to [`Sink::words`] together.
pub(crate) const WORD_BATCH: usize = 32;

/// A closure as a sink.
struct FnSink<'a>(&'a mut dyn FnMut(u64, &dyn Fn() -> String));

impl Sink for FnSink<'_> {
    fn feature(&mut self, hash: u64, name: &dyn Fn() -> String) {
        (self.0)(hash, name);
    }
}

/// The extractor's per-thread state: the stemmer is built once.
pub struct Extractor<'c> {
    cfg: &'c FeatureConfig,
    stemmer: Option<Stemmer>,
    /// The vocabulary of the featurizer that made the extractor ([`super::Featurizer::extractor`]):
    /// rows of that featurizer then go through `scratch` and its word cache. Borrowed, so it
    /// cannot change while the extractor lives.
    pub(crate) vocab: Option<&'c Vocabulary>,
    /// Per-thread scratch for rows in `vocab`'s columns.
    pub(crate) scratch: RefCell<RowScratch>,
}

impl<'c> Extractor<'c> {
    /// An extractor for `cfg`.
    pub fn new(cfg: &'c FeatureConfig) -> Self {
        Extractor {
            cfg,
            stemmer: cfg.stem.then(|| Stemmer::create(Algorithm::Spanish)),
            vocab: None,
            scratch: RefCell::new(RowScratch::default()),
        }
    }

    /// An extractor for `cfg` whose rows in `vocab`'s columns may use a word cache.
    pub(crate) fn for_vocab(cfg: &'c FeatureConfig, vocab: &'c Vocabulary) -> Self {
        Extractor {
            vocab: Some(vocab),
            ..Extractor::new(cfg)
        }
    }

    /// The word form a token contributes to word features (stemmed when asked).
    fn word_form<'t>(&self, t: &'t Token) -> Cow<'t, str> {
        match (&self.stemmer, t.kind) {
            (Some(s), TokenKind::Word) => s.stem(&t.text),
            _ => Cow::Borrowed(t.text.as_str()),
        }
    }

    /// Calls `emit(hash, name)` for every feature occurrence of the statement; `name` builds the
    /// readable feature name and is only called when the caller needs it.
    pub fn extract(
        &self,
        tokens: &[Token],
        actor: Option<&ActorMatcher>,
        emit: &mut dyn FnMut(u64, &dyn Fn() -> String),
    ) {
        self.extract_into(tokens, actor, &mut FnSink(emit));
    }

    /// [`Self::extract`] into a [`Sink`], which may serve a word's character n-grams from a
    /// cache: the features and their order are the same.
    pub(crate) fn extract_into<S: Sink>(&self, tokens: &[Token], actor: Option<&ActorMatcher>, sink: &mut S) {
        let cfg = self.cfg;
        let (wmin, wmax) = (cfg.word_ngrams.0.max(1) as usize, cfg.word_ngrams.1 as usize);
        let forms: Vec<Cow<str>> = tokens.iter().map(|t| self.word_form(t)).collect();
        // Negation scope adds a marked unigram ("~apoyo") beside the plain one, and marks the
        // words near a mention: "no otorgará apoyo" and "otorgará apoyo" differ in features
        // while the plain words still pool what they share.
        let marked: Vec<Cow<str>> = tokens
            .iter()
            .zip(&forms)
            .map(|(t, f)| {
                if t.negated {
                    Cow::Owned(format!("~{f}"))
                } else {
                    Cow::Borrowed(f.as_ref())
                }
            })
            .collect();
        for (t, m) in tokens.iter().zip(&marked) {
            if t.negated && wmin <= 1 && wmax >= 1 {
                let m = m.as_ref();
                sink.feature(hash_parts(Ns::Unigram, &[m], Block::Word), &|| format!("w:{m}"));
            }
        }
        let (wmin, wmax) = (cfg.word_ngrams.0.max(1) as usize, cfg.word_ngrams.1 as usize);
        // Word n-grams. Punctuation counts as a unigram ("!", "«") but breaks longer n-grams.
        for i in 0..tokens.len() {
            for n in wmin..=wmax {
                let Some(span) = tokens.get(i..i + n) else { break };
                if n > 1 && span.iter().any(|t| !t.is_wordlike()) {
                    break;
                }
                // At most three parts (n-grams above trigrams share the trigram namespace).
                let mut buf = [""; 3];
                let owned: Vec<&str>;
                let parts: &[&str] = match forms.get(i..i + n) {
                    Some(f) if n <= 3 => {
                        for (slot, c) in buf.iter_mut().zip(f) {
                            *slot = c.as_ref();
                        }
                        &buf[..n]
                    }
                    Some(f) => {
                        owned = f.iter().map(|c| c.as_ref()).collect();
                        &owned
                    }
                    None => break,
                };
                let ns = match n {
                    1 => Ns::Unigram,
                    2 => Ns::Bigram,
                    _ => Ns::Trigram,
                };
                sink.feature(hash_parts(ns, parts, Block::Word), &|| format!("w:{}", parts.join(" ")));
            }
        }
        // Character n-grams, padded with boundary marks: inside words, hashtags and handles
        // ("@ciudadanoscs" shares "@ciu" and "danos" with its kin), or (chunk mode, like
        // scikit-learn's char_wb) inside whitespace-separated chunks, punctuation and handles
        // included.
        let (cmin, cmax) = (cfg.char_ngrams.0.max(1) as usize, cfg.char_ngrams.1 as usize);
        if cmax > 0 {
            if cfg.char_chunks {
                let mut chunk = String::new();
                for t in tokens {
                    if t.starts_chunk && !chunk.is_empty() {
                        sink.word(&chunk, cmin, cmax);
                        chunk.clear();
                    }
                    chunk.push_str(&t.text);
                }
                if !chunk.is_empty() {
                    sink.word(&chunk, cmin, cmax);
                }
            } else {
                let mut batch = [""; WORD_BATCH];
                let mut n = 0;
                for t in tokens {
                    if matches!(t.kind, TokenKind::Word | TokenKind::Hashtag | TokenKind::Handle)
                        && let Some(slot) = batch.get_mut(n)
                    {
                        *slot = t.text.as_str();
                        n += 1;
                        if n == WORD_BATCH {
                            sink.words(&batch, cmin, cmax);
                            n = 0;
                        }
                    }
                }
                sink.words(batch.get(..n).unwrap_or(&[]), cmin, cmax);
            }
        }
        // Who the statement is about: the words of the target's names ("t:=macri"), alone and
        // paired with every word of the statement ("t:=macri&crisis"), so the model learns each
        // known actor's prior and how words read for that actor in particular.
        if cfg.actor_pairs
            && let Some(a) = actor
        {
            for w in a.name_words().iter().map(String::as_str) {
                sink.feature(hash_parts(Ns::Identity, &[w], Block::Target), &|| format!("t:={w}"));
                for (t, f) in tokens.iter().zip(&marked) {
                    if t.is_wordlike() {
                        let f = f.as_ref();
                        sink.feature(hash_parts(Ns::Pair, &[w, f], Block::Target), &|| format!("t:={w}&{f}"));
                    }
                }
            }
        }
        // Target features: words near each mention, tagged by side.
        if cfg.window > 0 {
            let w = cfg.window as usize;
            let mut mentioned = false;
            for (p, t) in tokens.iter().enumerate() {
                if t.kind != TokenKind::Actor {
                    continue;
                }
                mentioned = true;
                let lo = p.saturating_sub(w);
                let hi = (p + w + 1).min(tokens.len());
                for (j, (n, f)) in tokens.iter().zip(&marked).enumerate().take(hi).skip(lo) {
                    if j == p || n.kind == TokenKind::Actor {
                        continue;
                    }
                    let f = f.as_ref();
                    let (ns, tag) = if j < p { (Ns::Left, "<") } else { (Ns::Right, ">") };
                    sink.feature(hash_parts(ns, &[f], Block::Target), &|| format!("t:{f}{tag}"));
                }
            }
            if !mentioned {
                sink.feature(hash_parts(Ns::NoMention, &[ACTOR_TOKEN], Block::Target), &|| {
                    "t:(no mention)".to_string()
                });
            }
            // The same around the source, in a namespace of its own.
            for (p, t) in tokens.iter().enumerate() {
                if t.kind != TokenKind::Source {
                    continue;
                }
                let lo = p.saturating_sub(w);
                let hi = (p + w + 1).min(tokens.len());
                for (j, (n, f)) in tokens.iter().zip(&marked).enumerate().take(hi).skip(lo) {
                    if j == p || n.kind == TokenKind::Source {
                        continue;
                    }
                    let f = f.as_ref();
                    let (ns, tag) = if j < p {
                        (Ns::SourceLeft, "<")
                    } else {
                        (Ns::SourceRight, ">")
                    };
                    sink.feature(hash_parts(ns, &[f], Block::Target), &|| format!("s:{f}{tag}"));
                }
            }
        }
        // Roles of the target's and the source's mentions, and how they relate.
        if cfg.roles {
            let mut role = |name: String| {
                sink.feature(hash_parts(Ns::Role, &[name.as_str()], Block::Target), &|| name.clone());
            };
            roles::role_features(tokens, TokenKind::Actor, "t", &mut role);
            roles::role_features(tokens, TokenKind::Source, "s", &mut role);
            roles::relation_features(tokens, &mut role);
        }
    }
}

/// Character n-grams of `word` padded as `<word>`, for n in `min..=max`.
pub(crate) fn char_ngrams<F>(word: &str, min: usize, max: usize, emit: &mut F)
where
    F: FnMut(u64, &dyn Fn() -> String) + ?Sized,
{
    if word.is_ascii() {
        return ascii_char_ngrams(word, min, max, emit);
    }
    // Byte offset of each char, plus the end: chars are word[b[i]..b[i+1]].
    // On the stack for words of up to 63 bytes (nearly all of them).
    let mut stack = [0usize; 64];
    let heap: Vec<usize>;
    let offsets = word.char_indices().map(|(i, _)| i).chain(std::iter::once(word.len()));
    let b: &[usize] = if word.len() < stack.len() {
        let mut m = 0;
        for (slot, i) in stack.iter_mut().zip(offsets) {
            *slot = i;
            m += 1;
        }
        &stack[..m]
    } else {
        heap = offsets.collect();
        &heap
    };
    let m = b.len() - 1; // number of chars
    // Virtual positions: 0 = '<', 1..=m the chars, m+1 = '>'.
    let total = m + 2;
    for n in min..=max {
        if n > total {
            break;
        }
        for s in 0..=(total - n) {
            let e = s + n - 1; // last virtual position, inclusive
            let bos = s == 0;
            let eos = e == m + 1;
            let first = s.max(1) - 1;
            let last = e.min(m); // exclusive char index
            let slice = if first < last {
                word.get(b[first]..b[last]).unwrap_or("")
            } else {
                ""
            };
            if slice.is_empty() {
                continue; // just "<>"
            }
            let name = || format!("c:{}{slice}{}", if bos { "<" } else { "" }, if eos { ">" } else { "" });
            emit(char_gram_hash(bos, slice.as_bytes(), eos), &name);
        }
    }
}

/// The hash of a character n-gram: its chars, after `<` when it starts the word and before `>`
/// when it ends it.
#[inline]
fn char_gram_hash(bos: bool, inner: &[u8], eos: bool) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write_u8(Ns::Char as u8);
    if bos {
        h.write_u8(b'<');
    }
    h.write(inner);
    if eos {
        h.write_u8(b'>');
    }
    finish(h, Block::Char)
}

/// [`char_ngrams`] of an ASCII word, where chars are bytes: the same n-grams in the same order.
fn ascii_char_ngrams<F>(word: &str, min: usize, max: usize, emit: &mut F)
where
    F: FnMut(u64, &dyn Fn() -> String) + ?Sized,
{
    let bytes = word.as_bytes();
    let m = bytes.len();
    let total = m + 2;
    for n in min..=max {
        if n > total {
            break;
        }
        for s in 0..=(total - n) {
            let e = s + n - 1;
            let (bos, eos) = (s == 0, e == m + 1);
            let (first, last) = (s.max(1) - 1, e.min(m));
            let Some(inner) = bytes.get(first..last).filter(|b| !b.is_empty()) else {
                continue; // just "<>"
            };
            let name = || {
                let slice = word.get(first..last).unwrap_or("");
                format!("c:{}{slice}{}", if bos { "<" } else { "" }, if eos { ">" } else { "" })
            };
            emit(char_gram_hash(bos, inner, eos), &name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{ActorMatcher, TextConfig, analyze};

    fn names(text: &str, cfg: &FeatureConfig, actor: Option<&ActorMatcher>) -> Vec<String> {
        let tokens = analyze(text, &TextConfig::default(), actor);
        let mut out = Vec::new();
        Extractor::new(cfg).extract(&tokens, actor, &mut |_, name| out.push(name()));
        out
    }

    fn words_only() -> FeatureConfig {
        FeatureConfig {
            char_ngrams: (0, 0),
            window: 0,
            stem: false,
            actor_pairs: false,
            ..FeatureConfig::default()
        }
    }

    #[test]
    fn word_unigrams_and_bigrams_with_negation() {
        let f = names("No otorgará apoyo", &words_only(), None);
        assert_eq!(
            f,
            vec![
                // The negation scope's marked unigrams, then the plain n-grams.
                "w:~otorgara",
                "w:~apoyo",
                "w:no",
                "w:no otorgara",
                "w:otorgara",
                "w:otorgara apoyo",
                "w:apoyo"
            ]
        );
        let g = names("Otorgará apoyo", &words_only(), None);
        assert_eq!(g, vec!["w:otorgara", "w:otorgara apoyo", "w:apoyo"]);
        // Negated and plain statements share the plain words but differ in the marked ones.
        assert!(g.iter().all(|x| f.contains(x)));
        assert!(!g.iter().any(|x| x.contains('~')));
    }

    #[test]
    fn char_ngrams_are_padded_and_bounded() {
        let cfg = FeatureConfig {
            word_ngrams: (1, 0),
            char_ngrams: (2, 3),
            window: 0,
            ..FeatureConfig::default()
        };
        let f = names("sí", &cfg, None);
        assert_eq!(f, vec!["c:<s", "c:si", "c:i>", "c:<si", "c:si>"]);
        assert!(names("ñandú", &cfg, None).contains(&"c:<ña".to_string()));
    }

    /// Character n-grams the plain way: pad the chars, take every window, hash its text.
    fn reference_char_ngrams(word: &str, min: usize, max: usize) -> Vec<(u64, String)> {
        let chars: Vec<char> = word.chars().collect();
        let m = chars.len();
        let mut out = Vec::new();
        for n in min..=max {
            for s in 0..(m + 2).saturating_sub(n - 1) {
                let e = s + n - 1;
                let (bos, eos) = (s == 0, e == m + 1);
                let inner: String = chars[s.max(1) - 1..e.min(m)].iter().collect();
                if inner.is_empty() {
                    continue;
                }
                let mut h = rustc_hash::FxHasher::default();
                h.write_u8(Ns::Char as u8);
                if bos {
                    h.write_u8(b'<');
                }
                h.write(inner.as_bytes());
                if eos {
                    h.write_u8(b'>');
                }
                let name = format!("c:{}{inner}{}", if bos { "<" } else { "" }, if eos { ">" } else { "" });
                out.push((finish(h, Block::Char), name));
            }
        }
        out
    }

    proptest::proptest! {
        /// Character n-grams of any word, short (offsets on the stack) or long (on the heap),
        /// are the plain windows of its padded chars.
        #[test]
        fn char_ngrams_equal_plain_windows(word in "\\PC{1,12}|\\PC{60,90}|[a-z0-9@#_]{1,12}|[ -~]{1,80}", min in 1usize..4, extra in 0usize..4) {
            let max = min + extra;
            let mut got = Vec::new();
            char_ngrams(&word, min, max, &mut |h, name| got.push((h, name())));
            proptest::prop_assert_eq!(got, reference_char_ngrams(&word, min, max));
        }
    }

    #[test]
    fn char_chunks_span_punctuation_and_handles() {
        let cfg = FeatureConfig {
            word_ngrams: (1, 0),
            char_ngrams: (3, 3),
            char_chunks: true,
            window: 0,
            ..FeatureConfig::default()
        };
        let f = names("sí: @ab", &cfg, None);
        assert_eq!(f, vec!["c:<si", "c:si:", "c:i:>", "c:<@a", "c:@ab", "c:ab>"]);
    }

    #[test]
    fn target_window_features_tag_the_side() {
        let cfg = FeatureConfig {
            window: 2,
            ..words_only()
        };
        let kast = ActorMatcher::new("Kast", &[] as &[&str]);
        let f = names("Milei celebró el triunfo de Kast hoy", &cfg, Some(&kast));
        assert!(f.contains(&"t:triunfo<".to_string()));
        assert!(f.contains(&"t:de<".to_string()));
        assert!(f.contains(&"t:hoy>".to_string()));
        assert!(!f.contains(&"t:el<".to_string()));
        assert!(f.contains(&"w:de _actor_".to_string()));
        let g = names("Milei celebró", &cfg, Some(&kast));
        assert!(g.contains(&"t:(no mention)".to_string()));
    }

    #[test]
    fn actor_pairs_name_the_target_and_pair_its_words() {
        let cfg = FeatureConfig {
            actor_pairs: true,
            ..words_only()
        };
        let macri = ActorMatcher::new("Mauricio Macri", &["Macri"]);
        let f = names("Macri no logra frenar la crisis", &cfg, Some(&macri));
        for want in ["t:=macri", "t:=mauricio", "t:=macri&~crisis", "t:=mauricio&no"] {
            assert!(f.contains(&want.to_string()), "{want} missing from {f:?}");
        }
        // Punctuation is not paired; without a target there is nothing to pair.
        let g = names("crisis, otra vez", &cfg, Some(&macri));
        assert!(!g.iter().any(|n| n == "t:=macri&,"));
        let h = names("Macri no logra frenar la crisis", &cfg, None);
        assert!(!h.iter().any(|n| n.starts_with("t:=")));
    }

    #[test]
    fn handles_yield_character_ngrams() {
        let cfg = FeatureConfig {
            word_ngrams: (0, 0),
            char_ngrams: (3, 3),
            window: 0,
            ..FeatureConfig::default()
        };
        let f = names("gracias @ciudadanos", &cfg, None);
        assert!(f.contains(&"c:<@c".to_string()), "{f:?}");
    }

    #[test]
    fn hashes_are_stable_and_blocked() {
        let cfg = FeatureConfig::default();
        let tokens = analyze("apoyo total", &TextConfig::default(), None);
        let mut a = Vec::new();
        let mut b = Vec::new();
        Extractor::new(&cfg).extract(&tokens, None, &mut |h, _| a.push(h));
        Extractor::new(&cfg).extract(&tokens, None, &mut |h, _| b.push(h));
        assert_eq!(a, b);
        assert!(a.iter().any(|&h| Block::of(h) == Block::Char));
        assert!(a.iter().any(|&h| Block::of(h) == Block::Word));
    }
}
