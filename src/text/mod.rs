//! Text analysis, the first stage of the pipeline: normalize → tokenize → negation scope → actor mentions.
//! Sentence splitting and HTML stripping for whole articles live here too.

pub mod actor;
pub(crate) mod html;
pub mod normalize;
pub mod sentences;
pub mod tokenize;

pub use actor::{ActorMatcher, ActorSet, Aliases, has_word};
pub use normalize::normalize;
pub use tokenize::{Token, TokenKind, tokenize};

use serde::{Deserialize, Serialize};

/// The longest statement postura reads, in bytes (4 MiB). A statement is a sentence, headline,
/// post or paragraph; its analysis takes some 30 times its size in memory, so a field of
/// hundreds of megabytes would exhaust memory instead of being refused. Articles go to
/// `postura label`, which reads them sentence by sentence.
pub const MAX_STATEMENT_BYTES: usize = 4 << 20;

/// Why a statement of `len` bytes is refused, if it is (see [`MAX_STATEMENT_BYTES`]).
pub fn statement_too_long(len: usize) -> Option<String> {
    (len > MAX_STATEMENT_BYTES).then(|| {
        format!(
            "a statement of {:.1} MB: postura reads statements (a sentence, headline, post or \
             paragraph) of up to {} MB; split the text, or give articles to `postura label`, which \
             reads them sentence by sentence",
            len as f64 / 1e6,
            MAX_STATEMENT_BYTES >> 20
        )
    })
}

/// How raw text becomes tokens. Stored in the model so prediction analyzes text exactly as training did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextConfig {
    /// Fold Spanish accents (á → a, ü → u; ñ stays): "Fernández" and "Fernandez" become one word.
    pub accent_fold: bool,
    /// Squeeze letters repeated three or more times ("graaande" → "grande").
    pub squeeze_elongations: bool,
    /// Mark the words after a negator (no, nunca, sin, descartó, …) up to the next punctuation,
    /// and those of a concessive clause (aunque, pese a, …): see `tokenize::mark_negation`.
    pub negation: bool,
    /// Drop quotation marks after noting which words they enclose: whether a sentence quotes
    /// its speaker with «», “” or none is the writer's style, not a stance.
    pub drop_quotes: bool,
    /// With a target: a run of capitalized words that is not a known actor, the target or the
    /// source (a name the actor list lacks) becomes `_other_` too.
    pub caps_others: bool,
}

impl Default for TextConfig {
    fn default() -> Self {
        TextConfig {
            accent_fold: true,
            squeeze_elongations: true,
            negation: true,
            drop_quotes: true,
            caps_others: false,
        }
    }
}

/// Who a statement is read toward: the target actor, the source whose stance is asked about,
/// and the other known actors.
#[derive(Clone, Copy, Default)]
pub struct Mentions<'a> {
    /// The target actor, whose mentions become the actor placeholder.
    pub actor: Option<&'a ActorMatcher>,
    /// The source, whose mentions become the source placeholder.
    pub source: Option<&'a ActorMatcher>,
    /// Other known actors, whose mentions become the other-actor placeholder.
    pub others: Option<&'a ActorSet>,
}

/// Tokens of one statement, with every mention of the actor (if any) turned into one placeholder.
pub fn analyze(text: &str, cfg: &TextConfig, actor: Option<&ActorMatcher>) -> Vec<Token> {
    analyze_mentions(
        text,
        cfg,
        &Mentions {
            actor,
            ..Mentions::default()
        },
    )
}

/// Tokens of one statement with the target's mentions as `_actor_`, the source's as `_source_`
/// and any other known actor's as `_other_` (in that order of precedence).
pub(crate) fn analyze_mentions(text: &str, cfg: &TextConfig, m: &Mentions) -> Vec<Token> {
    let mut tokens = Vec::new();
    analyze_mentions_into(text, cfg, m, &mut String::new(), &mut tokens);
    tokens
}

/// [`analyze_mentions`] into `tokens`, with `normalized` as scratch: both keep their memory
/// from one statement to the next (the tokens are the same whatever they held before).
pub(crate) fn analyze_mentions_into(
    text: &str,
    cfg: &TextConfig,
    m: &Mentions,
    normalized: &mut String,
    tokens: &mut Vec<Token>,
) {
    normalize::normalize_into(text, cfg, normalized);
    tokenize::tokenize_into(normalized, tokens);
    if cfg.caps_others && m.actor.is_some() {
        use unicode_normalization::UnicodeNormalization;
        let raw: String = text.nfc().collect();
        tokenize::mark_capitalized(tokens, &raw);
    }
    tokenize::mark_quotes(tokens);
    if cfg.drop_quotes {
        // A dropped mark that opened a whitespace chunk hands the chunk start to what follows.
        let mut carry = false;
        for t in tokens.iter_mut() {
            if t.is_quote() {
                carry |= t.starts_chunk;
            } else if carry {
                t.starts_chunk = true;
                carry = false;
            }
        }
        tokens.retain(|t| !t.is_quote());
    }
    if let Some(matcher) = m.actor {
        *tokens = matcher.replace_mentions(std::mem::take(tokens));
    }
    if let Some(matcher) = m.source {
        *tokens = matcher.replace_mentions_as(std::mem::take(tokens), TokenKind::Source);
    }
    if let Some(set) = m.others {
        let roles: Vec<(&ActorMatcher, TokenKind)> = m
            .actor
            .map(|a| (a, TokenKind::Actor))
            .into_iter()
            .chain(m.source.map(|s| (s, TokenKind::Source)))
            .collect();
        *tokens = set.replace_known(std::mem::take(tokens), &roles);
    }
    if cfg.caps_others && m.actor.is_some() {
        *tokens = capitalized_as_others(std::mem::take(tokens));
    }
    if cfg.negation {
        tokenize::mark_negation(tokens);
    }
}

/// Each run of capitalized words (joined by "de", "del", "la" between two of them) that is not
/// already a mention becomes one `_other_`.
fn capitalized_as_others(tokens: Vec<Token>) -> Vec<Token> {
    const JOINERS: &[&str] = &["de", "del", "la", "las", "los", "y"];
    let n = tokens.len();
    let caps = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|t| t.capitalized && t.kind == TokenKind::Word)
    };
    let mut spans = Vec::new();
    let mut i = 0;
    while i < n {
        if !caps(i) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        loop {
            if caps(j) {
                j += 1;
            } else if tokens.get(j).is_some_and(|t| JOINERS.contains(&t.text.as_str())) && caps(j + 1) {
                j += 2;
            } else {
                break;
            }
        }
        spans.push((i, j - i));
        i = j;
    }
    actor::replace_spans(tokens, &spans, TokenKind::Other)
}

/// At most `n` chars on one line, the end replaced by "…" when longer.
pub fn shorten(s: &str, n: usize) -> String {
    let s = s.replace(['\n', '\r', '\t'], " ");
    if s.chars().count() <= n {
        s
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// At most `n` chars, the start replaced by "…" when longer (the end of a path says most).
/// A path (or id) in at most `n` chars for a table: whole when it fits, else "…/" and the
/// longest tail of whole path components that fits, so the file name stays readable; a file
/// name longer than `n` keeps its end.
pub fn shorten_path(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let fits = s
        .match_indices('/')
        .map(|(i, _)| &s[i..])
        .find(|tail| tail.chars().count() < n);
    match fits {
        Some(tail) if tail.len() > 1 => format!("…{tail}"),
        _ => shorten_start(s, n),
    }
}

/// At most `n` chars, the start replaced by "…" when longer (the end of a path says most).
pub fn shorten_start(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        s.to_string()
    } else {
        let mut out = String::from("…");
        out.extend(s.chars().skip(count + 1 - n));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Analysis into buffers that held earlier statements gives the tokens of a fresh
        /// analysis: with and without a target and a source, quotes dropped or kept.
        #[test]
        fn reused_buffers_give_fresh_tokens(
            texts in proptest::collection::vec("\\PC{0,50}|((Kast|Milei|no|«sí»|apoyo|@kast|#kast|de|la|[a-zé]{1,5})[,.!?]? ){0,15}", 1..8),
            with_actor in proptest::bool::ANY,
            with_source in proptest::bool::ANY,
            drop_quotes in proptest::bool::ANY,
        ) {
            let kast = ActorMatcher::new("Kast", &["@kast"]);
            let milei = ActorMatcher::new("Milei", &[] as &[&str]);
            let cfg = TextConfig { drop_quotes, ..TextConfig::default() };
            let m = Mentions {
                actor: with_actor.then_some(&kast),
                source: with_source.then_some(&milei),
                others: None,
            };
            let (mut normalized, mut tokens) = (String::new(), Vec::new());
            for t in &texts {
                analyze_mentions_into(t, &cfg, &m, &mut normalized, &mut tokens);
                proptest::prop_assert_eq!(&tokens, &analyze_mentions(t, &cfg, &m));
            }
        }
    }
}
