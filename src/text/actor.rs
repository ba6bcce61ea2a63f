//! Actor mentions: the actor's name and aliases, matched as whole tokens (case- and
//! accent-insensitive), each mention replaced by one placeholder token.

use super::normalize::fold_key;
use super::tokenize::{ACTOR_TOKEN, OTHER_TOKEN, SOURCE_TOKEN, Token, TokenKind, tokenize};

/// Other names of an actor, as [`ActorMatcher::new`] takes them: a slice, array or `Vec` of
/// `&str` or `String` (an empty array literal `&[]` needs no annotation).
pub trait Aliases {
    /// The names, in order.
    fn alias_list(&self) -> Vec<&str>;
}

impl<S: AsRef<str>> Aliases for [S] {
    fn alias_list(&self) -> Vec<&str> {
        self.iter().map(AsRef::as_ref).collect()
    }
}

impl<S: AsRef<str>> Aliases for Vec<S> {
    fn alias_list(&self) -> Vec<&str> {
        self.iter().map(AsRef::as_ref).collect()
    }
}

/// Arrays of `&str` only, so that `&[]` infers its element type.
impl<const N: usize> Aliases for [&str; N] {
    fn alias_list(&self) -> Vec<&str> {
        self.to_vec()
    }
}

/// Finds the mentions of one actor. Built once per actor, used for any number of statements.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorMatcher {
    name: String,
    /// Each name as a sequence of folded token texts, longest first.
    patterns: Vec<Vec<String>>,
    /// The distinct words of all names, sorted (see [`Self::name_words`]).
    words: Vec<String>,
}

impl ActorMatcher {
    /// A matcher for `name` and its `aliases` (full names, surnames, @handles, party names…):
    /// a slice or `Vec` of `&str` or `String`, or `&[]` for none. Names with no word in them are
    /// ignored.
    ///
    /// ```
    /// use postura::ActorMatcher;
    /// let kast = ActorMatcher::new("José Antonio Kast", &["Kast"]);
    /// assert!(kast.mentioned_in("Habló kast en Temuco"));
    /// assert!(ActorMatcher::new("Kast", &[]).mentioned_in("Kast ganó"));
    /// ```
    pub fn new<A: Aliases + ?Sized>(name: &str, aliases: &A) -> Self {
        let mut patterns: Vec<Vec<String>> = std::iter::once(name)
            .chain(aliases.alias_list())
            .map(|n| {
                tokenize(&fold_key(n))
                    .into_iter()
                    .filter(|t| t.kind != TokenKind::Punct || t.text != ".")
                    .map(|t| t.text)
                    .collect::<Vec<_>>()
            })
            .filter(|p| p.iter().any(|w| has_word(w)))
            .collect();
        // Longest first so "José Antonio Kast" wins over "Kast"; ties in a fixed order.
        patterns.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        patterns.dedup();
        let mut words: Vec<String> = patterns.iter().flatten().cloned().collect();
        words.sort_unstable();
        words.dedup();
        ActorMatcher {
            name: name.to_string(),
            patterns,
            words,
        }
    }

    /// The actor's name as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The distinct words of the actor's names (folded), in a stable order: "Mauricio Macri"
    /// and "Macri" share `macri`, so what is learned of one name carries to the other.
    pub fn name_words(&self) -> &[String] {
        &self.words
    }

    /// True when the matcher has at least one usable name.
    pub fn is_usable(&self) -> bool {
        !self.patterns.is_empty()
    }

    /// Where each mention starts and how many tokens it spans.
    pub fn find(&self, tokens: &[Token]) -> Vec<(usize, usize)> {
        let keys: Vec<String> = tokens.iter().map(|t| fold_key(&t.text)).collect();
        let mut found = Vec::new();
        let mut i = 0;
        while i < keys.len() {
            let hit = self.patterns.iter().find(|p| {
                keys.get(i..i + p.len())
                    .is_some_and(|window| window.iter().zip(p.iter()).all(|(k, w)| k == w))
            });
            match hit {
                Some(p) => {
                    found.push((i, p.len()));
                    i += p.len();
                }
                None => i += 1,
            }
        }
        found
    }

    /// The tokens with every mention replaced by the actor placeholder.
    pub(crate) fn replace_mentions(&self, tokens: Vec<Token>) -> Vec<Token> {
        self.replace_mentions_as(tokens, TokenKind::Actor)
    }

    /// The tokens with every mention replaced by the placeholder of `kind` (target, source or
    /// other actor). Placeholders already in `tokens` are never part of a mention.
    pub(crate) fn replace_mentions_as(&self, tokens: Vec<Token>, kind: TokenKind) -> Vec<Token> {
        let found = self.find(&tokens);
        replace_spans(tokens, &found, kind)
    }

    /// True when one of this actor's names is also one of `other`'s (after folding).
    pub fn shares_a_name_with(&self, other: &ActorMatcher) -> bool {
        self.patterns.iter().any(|p| other.patterns.contains(p))
    }

    /// True when one of the names occurs in `keys`, tokens already folded (see [`fold_key`]):
    /// for many actors over one text, the text is folded once.
    pub fn occurs_in_keys(&self, keys: &[String]) -> bool {
        (0..keys.len()).any(|i| {
            self.patterns.iter().any(|p| {
                keys.get(i..i + p.len())
                    .is_some_and(|w| w.iter().zip(p.iter()).all(|(k, x)| k == x))
            })
        })
    }

    /// True when `text` mentions the actor (used to pick sentences in articles).
    pub fn mentioned_in(&self, text: &str) -> bool {
        !self.find(&tokenize(&fold_key(text))).is_empty()
    }
}

/// The tokens with each span (start, length) replaced by one placeholder of `kind`; spans are
/// sorted and disjoint.
pub(crate) fn replace_spans(tokens: Vec<Token>, spans: &[(usize, usize)], kind: TokenKind) -> Vec<Token> {
    replace_spans_each(tokens, spans.iter().map(|&(start, len)| (start, len, kind)))
}

/// The tokens with each span (start, length, kind) replaced by one placeholder of its kind, in
/// one pass (linear in the tokens whatever the number of spans); spans are sorted and disjoint.
fn replace_spans_each(tokens: Vec<Token>, spans: impl Iterator<Item = (usize, usize, TokenKind)>) -> Vec<Token> {
    let mut next = spans.peekable();
    if next.peek().is_none() {
        return tokens;
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut skip_until = 0;
    for (i, t) in tokens.into_iter().enumerate() {
        if i < skip_until {
            continue;
        }
        if let Some(&(start, len, kind)) = next.peek()
            && start == i
        {
            let text = match kind {
                TokenKind::Source => SOURCE_TOKEN,
                TokenKind::Other => OTHER_TOKEN,
                _ => ACTOR_TOKEN,
            };
            let mut placeholder = Token::new(text, kind);
            placeholder.starts_chunk = t.starts_chunk;
            placeholder.quoted = t.quoted;
            out.push(placeholder);
            skip_until = i + len;
            next.next();
            continue;
        }
        out.push(t);
    }
    out
}

/// True when `name` has something to look for: a letter or a digit. An empty or blank name
/// matches nothing, and punctuation alone ("(", "?", "...") would match every bracket or
/// question mark in the text, so neither is a name.
pub fn has_word(name: &str) -> bool {
    name.chars().any(char::is_alphanumeric)
}

/// A name written as a proper name: capitalized, or an @handle ("Milei", "@JMilei"), not a role
/// phrase such as "el presidente".
pub fn is_proper_name(name: &str) -> bool {
    name.starts_with('@') || name.chars().next().is_some_and(char::is_uppercase)
}

/// A matcher of the proper names among `names` (see [`is_proper_name`]); unusable when there
/// is none.
pub fn proper_names<'n>(names: impl Iterator<Item = &'n String>) -> ActorMatcher {
    let own: Vec<&String> = names.filter(|n| is_proper_name(n)).collect();
    let (first, rest) = own.split_first().map_or(("", &[][..]), |(f, r)| (f.as_str(), r));
    ActorMatcher::new(first, rest)
}

/// The known actors of a model or a run (an actor list such as `datasets/actors.csv`). In a
/// statement, the mentions of a known actor that shares a name with the target or the source
/// become that placeholder too ("José Antonio Kast" when the target is "Kast"; proper names
/// and @handles only, not role phrases such as "el presidente"), and the mentions of every
/// other known actor become `_other_`: "_other_ acusó a _actor_" and "_actor_ acusó a _other_"
/// are different statements.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActorSet {
    /// Each actor: all its names, and its proper names (capitalized or @handles) alone.
    actors: Vec<(ActorMatcher, ActorMatcher)>,
    /// The first word of every name → (actor, proper name?, pattern): a token that starts no
    /// name is passed over with one lookup.
    first: rustc_hash::FxHashMap<String, Vec<(usize, bool, usize)>>,
}

impl ActorSet {
    /// One entry per actor: its name and aliases.
    pub fn new(actors: &[Vec<String>]) -> Self {
        let actors: Vec<(ActorMatcher, ActorMatcher)> = actors
            .iter()
            .filter_map(|names| {
                let (name, aliases) = names.split_first()?;
                let all = ActorMatcher::new(name, aliases);
                all.is_usable().then(|| (all, proper_names(names.iter())))
            })
            .collect();
        let mut first: rustc_hash::FxHashMap<String, Vec<(usize, bool, usize)>> = Default::default();
        for (e, (all, proper)) in actors.iter().enumerate() {
            for (is_proper, m) in [(false, all), (true, proper)] {
                for (pi, p) in m.patterns.iter().enumerate() {
                    if let Some(w) = p.first() {
                        first.entry(w.clone()).or_default().push((e, is_proper, pi));
                    }
                }
            }
        }
        ActorSet { actors, first }
    }

    /// Number of actors.
    pub fn len(&self) -> usize {
        self.actors.len()
    }

    /// True when there are no actors.
    pub fn is_empty(&self) -> bool {
        self.actors.is_empty()
    }

    /// The tokens with the mentions of known actors replaced: an actor that shares a name with
    /// one of `roles` (the target's matcher with `Actor`, the source's with `Source`) by that
    /// role's placeholder (its proper names only), any other by `_other_`; longest mention
    /// first at each position. Placeholders already in `tokens` are left as they are.
    pub(crate) fn replace_known(&self, tokens: Vec<Token>, roles: &[(&ActorMatcher, TokenKind)]) -> Vec<Token> {
        if self.actors.is_empty() {
            return tokens;
        }
        let keys: Vec<String> = tokens
            .iter()
            .map(|t| {
                if t.is_mention() {
                    String::new()
                } else {
                    fold_key(&t.text)
                }
            })
            .collect();
        // Per actor: the placeholder its mentions become, and whether only its proper names
        // count (an actor that is the target or the source).
        let kinds: Vec<(TokenKind, bool)> = self
            .actors
            .iter()
            .map(|(all, _)| match roles.iter().find(|(m, _)| m.shares_a_name_with(all)) {
                Some(&(_, kind)) => (kind, true),
                None => (TokenKind::Other, false),
            })
            .collect();
        let mut spans: Vec<(usize, usize, TokenKind)> = Vec::new();
        let mut i = 0;
        while i < keys.len() {
            let mut best = (0, TokenKind::Other);
            let candidates = keys.get(i).and_then(|k| self.first.get(k));
            for &(e, is_proper, pi) in candidates.into_iter().flatten() {
                let (Some(&(kind, proper_only)), Some((all, proper))) = (kinds.get(e), self.actors.get(e)) else {
                    continue;
                };
                if is_proper != proper_only {
                    continue;
                }
                let m = if is_proper { proper } else { all };
                let Some(p) = m.patterns.get(pi) else { continue };
                if p.len() > best.0
                    && keys
                        .get(i..i + p.len())
                        .is_some_and(|w| w.iter().zip(p.iter()).all(|(k, x)| k == x))
                {
                    best = (p.len(), kind);
                }
            }
            if best.0 > 0 {
                spans.push((i, best.0, best.1));
                i += best.0;
            } else {
                i += 1;
            }
        }
        replace_spans_each(tokens, spans.into_iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{TextConfig, analyze};

    fn words(text: &str, m: &ActorMatcher) -> Vec<String> {
        analyze(text, &TextConfig::default(), Some(m))
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn matches_case_and_accent_insensitively() {
        let m = ActorMatcher::new("José Antonio Kast", &["Kast", "@joseantoniokast"]);
        assert_eq!(words("JOSE ANTONIO KAST ganó", &m), vec!["_actor_", "gano"]);
        assert_eq!(
            words("apoyo a kast y a @JoseAntonioKast", &m),
            vec!["apoyo", "a", "_actor_", "y", "a", "_actor_"]
        );
    }

    #[test]
    fn whole_words_only() {
        let m = ActorMatcher::new("Kast", &[] as &[&str]);
        assert!(!m.mentioned_in("los kastelanos y Kastro"));
        assert!(m.mentioned_in("Habló Kast."));
        let m = ActorMatcher::new("PP", &[] as &[&str]);
        assert!(!m.mentioned_in("la app del PPK"));
        assert!(m.mentioned_in("El PP votó"));
    }

    #[test]
    fn abbreviated_names_match_with_or_without_period() {
        let m = ActorMatcher::new("Alberto F.", &[] as &[&str]);
        assert!(m.mentioned_in("Alberto F. habló"));
        assert!(m.mentioned_in("alberto f habló"));
    }

    #[test]
    fn empty_names_are_not_usable() {
        assert!(!ActorMatcher::new("", &["..."]).is_usable());
        assert!(ActorMatcher::new("", &["Lula"]).is_usable());
    }
}
