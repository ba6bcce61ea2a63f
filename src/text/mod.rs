//! Text analysis, the first stage of the pipeline: normalize → tokenize → negation scope → actor mentions.
//! Sentence splitting and HTML stripping for whole articles live here too.

pub mod actor;
pub mod html;
pub mod normalize;
pub mod sentences;
pub mod tokenize;

pub use actor::{ActorMatcher, Aliases};
pub use normalize::normalize;
pub use tokenize::{Token, TokenKind, tokenize};

use serde::{Deserialize, Serialize};

/// How raw text becomes tokens. Stored in the model so prediction analyzes text exactly as training did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextConfig {
    /// Fold Spanish accents (á → a, ü → u; ñ stays): "Fernández" and "Fernandez" become one word.
    pub accent_fold: bool,
    /// Squeeze letters repeated three or more times ("graaande" → "grande").
    pub squeeze_elongations: bool,
    /// Mark the words after a negator (no, nunca, sin, …) up to the next punctuation.
    pub negation: bool,
}

impl Default for TextConfig {
    fn default() -> Self {
        TextConfig {
            accent_fold: true,
            squeeze_elongations: true,
            negation: true,
        }
    }
}

/// Tokens of one statement, with every mention of the actor (if any) turned into one placeholder.
pub fn analyze(text: &str, cfg: &TextConfig, actor: Option<&ActorMatcher>) -> Vec<Token> {
    let normalized = normalize(text, cfg);
    let mut tokens = tokenize(&normalized);
    if let Some(matcher) = actor {
        tokens = matcher.replace_mentions(tokens);
    }
    if cfg.negation {
        tokenize::mark_negation(&mut tokens);
    }
    tokens
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
