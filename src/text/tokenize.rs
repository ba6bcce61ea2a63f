//! Pre-tokenization and tokenization of normalized text: URLs, @handles, #hashtags and numbers
//! become class tokens, words follow Unicode word boundaries, punctuation is kept as scope marks.

use unicode_segmentation::UnicodeSegmentation;

/// What a token is; decides which features it yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A word (letters, digits, inner apostrophes).
    Word,
    /// A number, shown as the class token `_num_`.
    Number,
    /// A web address, shown as `_url_`.
    Url,
    /// A social-media handle, kept as `@name`.
    Handle,
    /// A hashtag, kept without `#`; it also yields the class token `_tag_`.
    Hashtag,
    /// Punctuation that ends a negation scope (. , ; : ! ? ¿ ¡ quotes, brackets).
    Punct,
    /// Emoji and other symbols.
    Symbol,
    /// The placeholder for a mention of the target actor.
    Actor,
    /// The placeholder for a mention of the source: the actor whose stance is asked about.
    Source,
    /// The placeholder for a mention of any other known actor.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// One token: its text and kind.
pub struct Token {
    /// The token's text.
    pub text: String,
    /// What kind of token it is.
    pub kind: TokenKind,
    /// Inside the scope of a negator ("no otorgará apoyo": otorgará and apoyo are negated) or
    /// of a concessive clause ("pese a la cercanía": la and cercanía), whose polarity is reversed.
    pub negated: bool,
    /// Whitespace precedes the token: tokens between two such starts came from one
    /// whitespace-separated chunk ("@user:", "«exitoso»").
    pub starts_chunk: bool,
    /// Inside quotation marks («…», “…”, "…").
    pub quoted: bool,
    /// Written with a capital letter where a sentence does not start (see
    /// [`mark_capitalized`]): a likely name.
    pub capitalized: bool,
}

impl Token {
    /// A token of `kind` with `text`.
    pub fn new(text: impl Into<String>, kind: TokenKind) -> Self {
        Token {
            text: text.into(),
            kind,
            negated: false,
            starts_chunk: false,
            quoted: false,
            capitalized: false,
        }
    }

    /// Tokens that carry words: the ones n-gram features are made of.
    pub(crate) fn is_wordlike(&self) -> bool {
        !matches!(self.kind, TokenKind::Punct)
    }

    /// A placeholder for an actor mention (target, source or other).
    pub(crate) fn is_mention(&self) -> bool {
        matches!(self.kind, TokenKind::Actor | TokenKind::Source | TokenKind::Other)
    }

    /// A quotation mark.
    pub(crate) fn is_quote(&self) -> bool {
        self.kind == TokenKind::Punct && is_quote_mark(&self.text)
    }
}

fn is_quote_mark(s: &str) -> bool {
    matches!(s, "\"" | "“" | "”" | "«" | "»" | "'" | "‘" | "’" | "„" | "‹" | "›")
}

/// Marks the words of `tokens` (from normalized text) that `raw` (the same text before
/// lower-casing) writes with a capital letter where no sentence or quotation starts. Nothing is
/// marked when the two tokenizations do not line up token for token.
pub fn mark_capitalized(tokens: &mut [Token], raw: &str) {
    let raw_tokens = tokenize(raw);
    if raw_tokens.len() != tokens.len() {
        return;
    }
    let mut starts = true;
    for (t, r) in tokens.iter_mut().zip(&raw_tokens) {
        if t.kind == TokenKind::Word {
            t.capitalized = !starts && r.text.chars().next().is_some_and(char::is_uppercase);
        }
        starts = t.kind == TokenKind::Punct
            && matches!(
                t.text.as_str(),
                "." | "!" | "?" | ":" | ";" | "«" | "“" | "\"" | "'" | "‘" | "(" | "—" | "–" | "¿" | "¡" | "…"
            );
    }
}

/// Marks the tokens inside quotation marks. Opening and closing marks pair by kind; a straight
/// quote opens when no straight quote is open and closes otherwise. An unclosed quote runs to
/// the end of the statement.
pub(crate) fn mark_quotes(tokens: &mut [Token]) {
    let mut open: Option<&'static str> = None;
    for t in tokens.iter_mut() {
        if t.kind != TokenKind::Punct {
            t.quoted = open.is_some();
            continue;
        }
        let closing = match t.text.as_str() {
            "«" | "“" | "‘" | "„" | "‹" if open.is_none() => {
                open = Some(match t.text.as_str() {
                    "«" => "»",
                    "“" | "„" => "”",
                    "‹" => "›",
                    _ => "’",
                });
                false
            }
            "\"" | "'" if open.is_none() => {
                open = Some(if t.text == "'" { "'" } else { "\"" });
                false
            }
            other => open == Some(closing_of(other)),
        };
        if closing {
            open = None;
        }
        t.quoted = open.is_some();
    }
}

fn closing_of(s: &str) -> &'static str {
    match s {
        "»" => "»",
        "”" => "”",
        "’" => "’",
        "›" => "›",
        "'" => "'",
        "\"" => "\"",
        _ => "",
    }
}

/// The placeholder a URL becomes.
pub const URL_TOKEN: &str = "_url_";
/// The placeholder a number becomes.
pub const NUM_TOKEN: &str = "_num_";
/// The placeholder an actor mention becomes.
pub const ACTOR_TOKEN: &str = "_actor_";
/// The placeholder a source mention becomes.
pub const SOURCE_TOKEN: &str = "_source_";
/// The placeholder a mention of another known actor becomes.
pub const OTHER_TOKEN: &str = "_other_";

/// Splits normalized text into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    tokenize_into(text, &mut tokens);
    tokens
}

/// [`tokenize`] into `tokens`, whose tokens (and their strings' memory) are reused: the
/// result is the tokens `tokenize` gives, whatever `tokens` held.
pub(crate) fn tokenize_into(text: &str, tokens: &mut Vec<Token>) {
    let mut out = Tokens { tokens, n: 0 };
    for chunk in text.split_whitespace() {
        let first = out.n;
        tokenize_chunk(chunk, &mut out, true);
        if first < out.n
            && let Some(t) = out.tokens.get_mut(first)
        {
            t.starts_chunk = true;
        }
    }
    let n = out.n;
    tokens.truncate(n);
}

/// Tokens written over the ones a vector holds (their strings keep their memory), then pushed.
struct Tokens<'v> {
    tokens: &'v mut Vec<Token>,
    /// Tokens written so far.
    n: usize,
}

impl Tokens<'_> {
    /// Appends a token of `kind` whose text is `parts` joined.
    fn push(&mut self, parts: &[&str], kind: TokenKind) {
        match self.tokens.get_mut(self.n) {
            Some(t) => {
                let mut text = std::mem::take(&mut t.text);
                text.clear();
                for p in parts {
                    text.push_str(p);
                }
                *t = Token::new(text, kind);
            }
            None => {
                // Room for a longer word when the token is reused for the next statement.
                let len: usize = parts.iter().map(|p| p.len()).sum();
                let mut text = String::with_capacity(len.max(16));
                for p in parts {
                    text.push_str(p);
                }
                self.tokens.push(Token::new(text, kind));
            }
        }
        self.n += 1;
    }
}

/// The tokens of one whitespace-separated chunk. `fast`: a chunk of plain words and
/// punctuation (see [`simple_segments`]) skips the Unicode word-boundary tables (the same tokens).
fn tokenize_chunk(chunk: &str, out: &mut Tokens, fast: bool) {
    let lower_starts =
        |p: &str| chunk.len() >= p.len() && chunk.is_char_boundary(p.len()) && chunk[..p.len()].eq_ignore_ascii_case(p);
    if lower_starts("http://") || lower_starts("https://") || lower_starts("www.") {
        out.push(&[URL_TOKEN], TokenKind::Url);
        return;
    }
    let mut rest = chunk;
    if let Some(tail) = chunk.strip_prefix('@').or_else(|| chunk.strip_prefix('#')) {
        let end = tail
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
            .map_or(tail.len(), |(i, _)| i);
        if end > 0 {
            let name = &tail[..end];
            if chunk.starts_with('@') {
                out.push(&["@", name], TokenKind::Handle);
            } else {
                out.push(&[name], TokenKind::Hashtag);
            }
            rest = &tail[end..];
        }
    }
    if fast && simple_segments(rest, &mut |word| push_segment(word, out)) {
        return;
    }
    for word in rest.split_word_bounds() {
        push_segment(word, out);
    }
}

/// A letter or digit that Unicode word segmentation never separates from a neighbouring one
/// (ASCII letters and digits, the letters of Latin-1: ALetter and Numeric).
fn is_simple_letter(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{FF}')
}

/// Punctuation that forms a segment of its own when no letter or digit follows it (word
/// segmentation joins `a.b`, `a'b`, `3,5` — a mark between two letters or digits — but nothing
/// else: rules WB6-7 and WB11-12).
fn is_simple_mark(c: char) -> bool {
    (c.is_ascii_punctuation() && c != '_')
        || matches!(c, '¿' | '¡' | '«' | '»' | '…' | '“' | '”' | '‘' | '’' | '—' | '–')
}

/// When `text` is marks, then letters and digits, then marks (any part possibly empty, not all),
/// calls `f` with its word-boundary segments — each mark alone, the letters and digits as one —
/// and returns true; otherwise calls nothing and returns false.
fn simple_segments<'t>(text: &'t str, f: &mut impl FnMut(&'t str)) -> bool {
    let lead = text.find(|c: char| !is_simple_mark(c)).unwrap_or(text.len());
    let (marks, rest) = text.split_at(lead);
    let core = rest.find(|c: char| !is_simple_letter(c)).unwrap_or(rest.len());
    let (word, trail) = rest.split_at(core);
    if !trail.chars().all(is_simple_mark) {
        return false;
    }
    each_mark(marks, f);
    if !word.is_empty() {
        f(word);
    }
    each_mark(trail, f);
    true
}

/// Calls `f` with each char of `marks`, as a string.
fn each_mark<'t>(marks: &'t str, f: &mut impl FnMut(&'t str)) {
    let mut at = 0;
    for c in marks.chars() {
        let end = at + c.len_utf8();
        if let Some(s) = marks.get(at..end) {
            f(s);
        }
        at = end;
    }
}

/// The tokens of one word-boundary segment.
fn push_segment(word: &str, out: &mut Tokens) {
    {
        if word.chars().any(char::is_alphanumeric) {
            if word
                .chars()
                .all(|c| c.is_numeric() || matches!(c, '.' | ',' | '%' | '\''))
            {
                out.push(&[NUM_TOKEN], TokenKind::Number);
            } else {
                out.push(&[word], TokenKind::Word);
            }
        } else {
            // One token per grapheme, so a flag (two regional indicators) or an emoji with a
            // skin tone stays one symbol.
            for g in word.graphemes(true) {
                let mut chars = g.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if is_scope_punct(c) => out.push(&[g], TokenKind::Punct),
                    (Some(c), None) if c.is_whitespace() || matches!(c, '-' | '_' | '/' | '\\' | '*' | '|') => {}
                    (Some(_), _) => out.push(&[g], TokenKind::Symbol),
                    (None, _) => {}
                }
            }
        }
    }
}

fn is_scope_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '¿'
            | '¡'
            | '"'
            | '“'
            | '”'
            | '«'
            | '»'
            | '\''
            | '‘'
            | '’'
            | '('
            | ')'
            | '['
            | ']'
            | '…'
            | '—'
            | '–'
    )
}

/// Spanish negators: a negation scope opens after each.
const NEGATORS: &[&str] = &[
    "no", "nunca", "jamas", "jamás", "ni", "tampoco", "sin", "nadie", "nada", "ningun", "ningún", "ninguno", "ninguna",
];
/// Words that close a negation scope as punctuation does ("no lo apoya, pero …"); "aunque"
/// closes one too, as the opener of a concessive clause (see [`mark_negation`]).
const SCOPE_BREAKERS: &[&str] = &["pero", "sino", "mientras", "porque"];

/// Verbs of refusal that negate what follows them ("descartó apoyar", "evitó felicitar", "se negó
/// a recibir"), as prefixes of lower-cased words, accent-folded or not. Right after a negator they
/// cancel it: "no descartó apoyar" leaves "apoyar" unmarked.
const REFUSAL_PREFIXES: &[&str] = &["descart", "evit", "rehus", "rehús"];
/// Words the prefixes catch that are not refusals ("evitable"; "inevitable" does not match).
const NOT_REFUSAL_PREFIXES: &[&str] = &["evitabl"];
/// Whole words of refusal too short or ambiguous as prefixes ("negó", not "negocio").
const REFUSAL_WORDS: &[&str] = &[
    "nego",
    "negó",
    "negaron",
    "niega",
    "niegan",
    "niego",
    "niegue",
    "nieguen",
    "negar",
    "negarse",
    "negandose",
    "negándose",
    "negara",
    "negará",
    "negaba",
    "negaban",
    "negado",
];
/// Clitics that may stand between a negator and the verb it negates ("no se negó").
const CLITICS: &[&str] = &["se", "lo", "la", "le", "los", "las", "les", "me", "te", "nos"];

/// "dejar de" (to stop doing) negates what follows as a refusal does: "dejó de apoyar a X";
/// "nunca dejó de apoyar a X" is a double negation. The forms of "dejar", accent-folded or not.
const STOP_VERBS: &[&str] = &[
    "dejo", "dejó", "deja", "dejan", "dejaron", "dejara", "dejará", "dejaran", "dejarán", "dejar", "dejaba", "dejaban",
    "dejado", "dejaria", "dejaría", "dejen", "deje",
];

/// Whether the word at `i` opens a refusal's scope: a verb of refusal, or "dejar" before "de".
fn refuses_at(tokens: &[Token], i: usize) -> bool {
    match word_at(tokens, i) {
        Some(w) if STOP_VERBS.contains(&w) => word_at(tokens, i + 1) == Some("de"),
        Some(w) => is_refusal(w),
        None => false,
    }
}

fn is_refusal(word: &str) -> bool {
    REFUSAL_WORDS.contains(&word)
        || (REFUSAL_PREFIXES.iter().any(|p| word.starts_with(p))
            && !NOT_REFUSAL_PREFIXES.iter().any(|p| word.starts_with(p)))
}

/// The most words a concessive clause reads reversed when no punctuation closes it first.
const MAX_CONCESSION: usize = 8;

/// The lower-cased word of a token, if it is a word.
fn word_at(tokens: &[Token], i: usize) -> Option<&str> {
    tokens
        .get(i)
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.text.as_str())
}

/// Whether the token at `i` opens a concessive clause: "aunque"; "pese a" (not "le pese a quien
/// le pese"); "a pesar de"; "si bien" at the start of a clause (not a folded "sí bien").
fn opens_concession(tokens: &[Token], i: usize) -> bool {
    let prev = i.checked_sub(1).and_then(|j| word_at(tokens, j));
    let next = word_at(tokens, i + 1);
    match word_at(tokens, i) {
        Some("aunque") => true,
        Some("pese") => next == Some("a") && !prev.is_some_and(|p| CLITICS.contains(&p)),
        Some("pesar") => prev == Some("a") && next == Some("de"),
        Some("bien") => {
            prev == Some("si")
                && i.checked_sub(2)
                    .and_then(|j| tokens.get(j))
                    .is_none_or(|t| t.kind == TokenKind::Punct)
        }
        _ => false,
    }
}

/// Marks the tokens whose polarity is reversed: those in the scope of a negator, up to
/// punctuation or a contrastive conjunction, and those of a concessive clause. A verb of refusal
/// opens a negation scope too; right after a negator (clitics aside) it closes the negator's
/// scope instead (a double negation). Further on in a scope it only keeps the scope open: in
/// "evitó responder y descartó apoyar a X", "apoyar" stays negated.
///
/// A concessive clause ("aunque comparte su visión", "pese a la cercanía ideológica") concedes
/// what the main clause goes against (datasets/README.md: "the main clause wins"), so its words
/// read reversed: "cercanía" in "no apoyará a X, pese a la cercanía" leans the way the refusal
/// does. The clause ends at punctuation, a contrastive conjunction, a negator or refusal (which
/// opens its own scope), a mention of an actor (the main clause's subject or object, left
/// unmarked) or after [`MAX_CONCESSION`] words, so a clause without its comma does not reverse
/// the main clause.
pub(crate) fn mark_negation(tokens: &mut [Token]) {
    let mut in_scope = false;
    // Words left in the concessive clause being read (0: none).
    let mut conceded: usize = 0;
    // A negator was the last word, clitics aside.
    let mut after_negator = false;
    for i in 0..tokens.len() {
        let opens = opens_concession(tokens, i);
        let refuses = refuses_at(tokens, i);
        let Some(t) = tokens.get_mut(i) else { break };
        let word = t.text.as_str();
        match t.kind {
            TokenKind::Punct => {
                in_scope = false;
                conceded = 0;
                after_negator = false;
            }
            TokenKind::Word if opens => {
                // The concession closes a negation scope, as "pero" does.
                in_scope = false;
                conceded = MAX_CONCESSION;
                after_negator = false;
            }
            TokenKind::Word if NEGATORS.contains(&word) => {
                in_scope = true;
                conceded = 0;
                after_negator = true;
            }
            TokenKind::Word if SCOPE_BREAKERS.contains(&word) => {
                in_scope = false;
                conceded = 0;
                after_negator = false;
            }
            TokenKind::Word if refuses => {
                conceded = 0;
                t.negated = in_scope;
                in_scope = !after_negator;
                after_negator = false;
            }
            TokenKind::Word if after_negator && CLITICS.contains(&word) => t.negated = in_scope,
            TokenKind::Actor | TokenKind::Source | TokenKind::Other => {
                conceded = 0;
                t.negated = in_scope;
                after_negator = false;
            }
            _ => {
                t.negated = in_scope || conceded > 0;
                conceded = conceded.saturating_sub(1);
                after_negator = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{TextConfig, analyze};

    fn texts(tokens: &[Token]) -> Vec<String> {
        tokens
            .iter()
            .map(|t| {
                if t.negated {
                    format!("~{}", t.text)
                } else {
                    t.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn class_tokens_for_urls_numbers_handles_hashtags() {
        let t = tokenize("@pedro_sanchez dijo: 3,5% https://t.co/x #Independencia ya");
        assert_eq!(
            texts(&t),
            vec![
                "@pedro_sanchez",
                "dijo",
                ":",
                "_num_",
                "%",
                "_url_",
                "Independencia",
                "ya"
            ]
        );
        assert_eq!(t[6].kind, TokenKind::Hashtag);
        assert_eq!(t[0].kind, TokenKind::Handle);
    }

    #[test]
    fn keeps_spanish_letters_and_splits_inverted_marks() {
        let t = tokenize("¿niño pingüino? ¡año!");
        assert_eq!(texts(&t), vec!["¿", "niño", "pingüino", "?", "¡", "año", "!"]);
    }

    #[test]
    fn flags_and_modified_emoji_stay_one_symbol() {
        // 🇪🇸 is two regional indicators; 👍🏽 a thumb with a skin tone; "!!" two marks.
        let t = tokenize("viva 🇪🇸👍🏽!!");
        assert_eq!(texts(&t), vec!["viva", "🇪🇸", "👍🏽", "!", "!"]);
        assert_eq!(t[1].kind, TokenKind::Symbol);
        assert_eq!(t[3].kind, TokenKind::Punct);
    }

    #[test]
    fn tokens_remember_where_whitespace_chunks_start() {
        let t = tokenize("dijo: «no» @ana");
        let starts: Vec<bool> = t.iter().map(|t| t.starts_chunk).collect();
        assert_eq!(texts(&t), vec!["dijo", ":", "«", "no", "»", "@ana"]);
        assert_eq!(starts, vec![true, false, true, false, false, true]);
    }

    #[test]
    fn quotes_are_separate_tokens() {
        let t = tokenize("el «exitoso» plan “brillante”");
        assert_eq!(
            texts(&t),
            vec!["el", "«", "exitoso", "»", "plan", "“", "brillante", "”"]
        );
    }

    #[test]
    fn negation_scope_runs_to_punctuation_or_contrast() {
        let t = analyze("No otorgará apoyo a Kast, pero dialogará", &TextConfig::default(), None);
        assert_eq!(
            texts(&t),
            vec!["no", "~otorgara", "~apoyo", "~a", "~kast", ",", "pero", "dialogara"]
        );
        let t = analyze("otorgará apoyo sin condiciones. Bien", &TextConfig::default(), None);
        assert_eq!(texts(&t), vec!["otorgara", "apoyo", "sin", "~condiciones", ".", "bien"]);
    }

    #[test]
    fn a_concessive_clause_reads_reversed_to_punctuation() {
        let cfg = TextConfig::default();
        let t = analyze("No apoyará a Kast pese a la cercanía. Bien", &cfg, None);
        assert_eq!(
            texts(&t),
            vec![
                "no",
                "~apoyara",
                "~a",
                "~kast",
                "pese",
                "~a",
                "~la",
                "~cercania",
                ".",
                "bien"
            ]
        );
        let t = analyze("Aunque comparte su visión, no lo apoyará", &cfg, None);
        assert_eq!(
            texts(&t),
            vec!["aunque", "~comparte", "~su", "~vision", ",", "no", "~lo", "~apoyara"]
        );
        // A negator ends the concession and opens its own scope; "si bien" opens one.
        let t = analyze("A pesar de que no lo comparte", &cfg, None);
        assert_eq!(texts(&t), vec!["a", "pesar", "~de", "~que", "no", "~lo", "~comparte"]);
        let t = analyze("Si bien lo critica, sí", &cfg, None);
        assert_eq!(texts(&t), vec!["si", "bien", "~lo", "~critica", ",", "si"]);
    }

    #[test]
    fn a_concession_without_its_comma_leaves_the_main_clause() {
        let cfg = TextConfig::default();
        // The main clause's negation is its own, not reversed back.
        let t = analyze("Pese a la cercanía Milei no respaldará a Kast", &cfg, None);
        assert_eq!(
            texts(&t),
            vec![
                "pese",
                "~a",
                "~la",
                "~cercania",
                "~milei",
                "no",
                "~respaldara",
                "~a",
                "~kast"
            ]
        );
        // A mention ends it, and is left unmarked.
        let kast = crate::text::ActorMatcher::new("Kast", &[] as &[&str]);
        let t = analyze("Aunque hubo tensiones Kast ganó el apoyo", &cfg, Some(&kast));
        let marked: Vec<bool> = t.iter().map(|t| t.negated).collect();
        assert_eq!(marked, vec![false, true, true, false, false, false, false]);
        // At most MAX_CONCESSION words.
        let t = analyze("Aunque uno dos tres cuatro cinco seis siete ocho nueve", &cfg, None);
        assert_eq!(t.iter().filter(|t| t.negated).count(), MAX_CONCESSION);
        assert!(!t.last().is_some_and(|t| t.negated));
    }

    #[test]
    fn words_like_openers_open_nothing() {
        let cfg = TextConfig::default();
        for text in [
            "Lo hizo bien a su pesar",
            "Le pese a quien le pese Milei apoya a Kast",
            "Milei dijo que sí bien convencido de apoyar a Kast",
            "Pese",
        ] {
            let t = analyze(text, &cfg, None);
            assert!(t.iter().all(|t| !t.negated), "{text}: {:?}", texts(&t));
        }
    }

    #[test]
    fn refusal_verbs_negate_what_follows_and_cancel_a_negation() {
        let t = analyze("Evitó felicitar a Kast y viajó", &TextConfig::default(), None);
        assert_eq!(texts(&t), vec!["evito", "~felicitar", "~a", "~kast", "~y", "~viajo"]);
        let t = analyze("No descartó apoyar a Kast", &TextConfig::default(), None);
        assert_eq!(texts(&t), vec!["no", "~descarto", "apoyar", "a", "kast"]);
        let t = analyze("Se negó a recibirlo, pero negoció", &TextConfig::default(), None);
        assert_eq!(
            texts(&t),
            vec!["se", "nego", "~a", "~recibirlo", ",", "pero", "negocio"]
        );
        let t = analyze("No se negó a recibirlo", &TextConfig::default(), None);
        assert_eq!(texts(&t), vec!["no", "~se", "~nego", "a", "recibirlo"]);
        // A second refusal inside a refusal's scope keeps it: no double negation.
        let t = analyze("Evitó responder y descartó apoyar a Kast", &TextConfig::default(), None);
        assert_eq!(
            texts(&t),
            vec!["evito", "~responder", "~y", "~descarto", "~apoyar", "~a", "~kast"]
        );
        // Nor a refusal further on in a negator's scope.
        let t = analyze("No viajó y evitó felicitar a Kast", &TextConfig::default(), None);
        assert_eq!(
            texts(&t),
            vec!["no", "~viajo", "~y", "~evito", "~felicitar", "~a", "~kast"]
        );
        let t = analyze("Un choque evitable con Kast", &TextConfig::default(), None);
        assert!(t.iter().all(|t| !t.negated), "{:?}", texts(&t));
    }

    #[test]
    fn dejar_de_stops_what_follows() {
        let t = analyze("Dejó de apoyar a Kast", &TextConfig::default(), None);
        assert_eq!(texts(&t), vec!["dejo", "~de", "~apoyar", "~a", "~kast"]);
        // "nunca dejó de apoyar": a double negation.
        let t = analyze("Nunca dejó de apoyar a Kast", &TextConfig::default(), None);
        assert_eq!(texts(&t), vec!["nunca", "~dejo", "de", "apoyar", "a", "kast"]);
        // "dejar" without "de" is no refusal.
        for text in ["Dejó la banca a Kast", "Kast dejó en claro su apoyo", "Dejó de"] {
            let t = analyze(text, &TextConfig::default(), None);
            assert!(
                t.iter().all(|t| !t.negated || t.text == "de"),
                "{text}: {:?}",
                texts(&t)
            );
        }
    }

    #[test]
    fn empty_and_symbol_only_inputs() {
        assert!(tokenize("").is_empty());
        assert!(tokenize("   \n ").is_empty());
        let t = tokenize("🙂🙂 ...");
        assert!(t.iter().all(|t| matches!(t.kind, TokenKind::Symbol | TokenKind::Punct)));
        assert_eq!(tokenize("@").len(), 1);
        assert_eq!(tokenize("#").len(), 1);
    }

    proptest::proptest! {
        /// Chunks of plain words and marks, tokenized without the word-boundary tables, give the
        /// tokens the tables give: letters of every kind, digits with separators, every mark,
        /// apostrophes and dots inside words, combining accents, emoji, handles and hashtags.
        #[test]
        fn simple_chunks_tokenize_as_word_boundaries_say(
            chunks in proptest::collection::vec("[a-zA-Z0-9ñÑáéíóúüÁÉçÿÀ×÷ªºµ_.,;:!?¿¡«»'\"’‘“”…—–()\\[\\]{}#@$%&*+/<=>\\\\^`|~\u{301}\u{200d}😀🇦·ー]{0,10}|[a-zñé]{1,8}[.,:;!?»”)]{0,3}|[¿¡«“(]{0,2}[a-zñé0-9]{1,8}|[0-9]{1,3}[.,'][0-9]{1,3}|[a-z]{1,4}['’.:][a-z]{1,4}|[_.,'’:;!?¿¡«»\"·\u{301}]{0,3}[a-zñ0-9ÀÿªºµÁ×_]{0,5}[_.,'’:;!?»”\"·\u{301}a-z0-9]{0,3}", 1..8),
        ) {
            for chunk in &chunks {
                let (mut fast, mut plain) = (Vec::new(), Vec::new());
                tokenize_chunk(chunk, &mut Tokens { tokens: &mut fast, n: 0 }, true);
                tokenize_chunk(chunk, &mut Tokens { tokens: &mut plain, n: 0 }, false);
                proptest::prop_assert_eq!(fast, plain, "{:?}", chunk);
            }
        }
    }
}
