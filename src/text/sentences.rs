//! Spanish news sentence splitting: owns turning an article's plain text into sentence byte spans.
//!
//! The splitter is a single left-to-right pass over the characters of the text (linear time,
//! std only). It knows about Spanish news conventions:
//!
//! * terminators `.` `!` `?` `…` and `...` (plus `؟` and CJK full-width forms); the inverted marks
//!   `¿` and `¡` only open a sentence, they never end one;
//! * abbreviations that do not end a sentence (`Sr.`, `Dra.`, `núm.`, `EE. UU.`, `a.C.`, `S.A.`,
//!   single initials such as `J. A. Kast`, …); `etc.` ends a sentence unless lowercase follows;
//! * decimals and thousands (`3,5`, `1.200`): a period only ends a sentence when whitespace (or an
//!   opening `¿`/`¡`) follows it;
//! * quotes and brackets: closing `»`, `”`, `"`, `'`, `)`… right after a terminator stay with the
//!   sentence, and a quote that continues the sentence (`«¿Vienes?», preguntó`) does not split;
//! * a terminator followed by lowercase (or by a dialogue dash and lowercase) does not split;
//! * line breaks: a blank line always ends a sentence; a single line break ends one when the line
//!   has no terminator and the next line starts like a headline or list item;
//! * URLs, e-mail addresses and `@handles` are never split inside.

/// A sentence as a byte range of the article (start inclusive, end exclusive), trimmed of surrounding whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSpan {
    /// Start byte of the sentence.
    pub start: usize,
    /// End byte of the sentence.
    pub end: usize,
}

/// Splits `text` into sentences. Never panics on any input (all slicing on char boundaries), is linear time, returns spans in order, non-overlapping, non-empty, each `&text[start..end]` trimmed.
pub fn split_sentences(text: &str) -> Vec<SentenceSpan> {
    let mut splitter = Splitter {
        text,
        chars: text.char_indices().collect(),
        spans: Vec::new(),
        start: 0,
    };
    splitter.run();
    splitter.spans
}

/// Abbreviations whose final period never ends a sentence, folded (lowercase, no accents).
/// `etc` is deliberately absent: it ends a sentence unless lowercase follows, which is the
/// general rule for any period.
const ABBREVIATIONS: &[&str] = &[
    "sr", "sra", "srta", "sres", "sras", "srs", "dr", "dra", "drs", "dres", "lic", "lica", "ing", "prof", "profa",
    "gral", "cnel", "tte", "sgto", "mons", "excmo", "excma", "ilmo", "ilma", "av", "avda", "sto", "sta", "num", "nums",
    "nº", "nro", "nros", "pag", "pags", "pp", "ej", "ee", "uu", "ud", "uds", "vd", "vds", "aprox", "tel", "tels",
    "dpto", "depto", "dto", "art", "arts", "inc", "vs", "cia", "ltda", "fig", "vol", "jr",
];

/// Longest word (in chars) looked at when deciding whether a period closes an abbreviation.
/// Bounds the backward scan so the whole pass stays linear.
const MAX_ABBREVIATION_CHARS: usize = 32;

/// What the current line ended with so far, for the single-newline rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LineEnd {
    /// Nothing since the last sentence cut.
    Nothing,
    /// Ordinary text (letters, digits, closing quotes, colons…).
    Text,
    /// A comma: the line obviously continues.
    Comma,
    /// A terminator that was judged not to end the sentence (e.g. `Sr.`).
    Terminator,
}

struct Splitter<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
    spans: Vec<SentenceSpan>,
    /// Byte offset where the current (not yet emitted) sentence starts.
    start: usize,
}

impl Splitter<'_> {
    fn ch(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    /// Byte offset of char `i`, or the text length past the end.
    fn byte(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |&(b, _)| b)
    }

    fn is(&self, i: usize, f: impl Fn(char) -> bool) -> bool {
        self.ch(i).is_some_and(f)
    }

    fn run(&mut self) {
        let n = self.chars.len();
        let mut i = 0;
        let mut line_end = LineEnd::Nothing;
        // Char index right after the last URL/e-mail/handle skipped, if any.
        let mut url_end = None;
        while i < n {
            let Some(c) = self.ch(i) else { break };
            if c.is_whitespace() {
                let (k, newlines) = self.skip_whitespace(i);
                let cut = newlines >= 2 || (newlines == 1 && line_end == LineEnd::Text && self.starts_line_item(k));
                if cut {
                    self.cut(self.byte(i));
                    line_end = LineEnd::Nothing;
                }
                i = k;
                continue;
            }
            if (i == 0 || self.is(i - 1, char::is_whitespace))
                && let Some(end) = self.url_core_end(i)
            {
                i = end;
                url_end = Some(end);
                line_end = LineEnd::Text;
                continue;
            }
            if is_terminator(c) {
                let (j, split) = self.terminator(i, url_end == Some(i));
                if split {
                    self.cut(self.byte(j));
                    line_end = LineEnd::Nothing;
                } else {
                    line_end = LineEnd::Terminator;
                }
                i = j;
                continue;
            }
            if !is_invisible(c) {
                line_end = if c == ',' { LineEnd::Comma } else { LineEnd::Text };
            }
            i += 1;
        }
        self.cut(self.text.len());
    }

    /// Emits the sentence from `self.start` to byte `end` (trimmed, skipped if blank).
    fn cut(&mut self, end: usize) {
        if end <= self.start {
            return;
        }
        if let Some(s) = self.text.get(self.start..end) {
            let lead = s.len() - s.trim_start().len();
            let trimmed = s.trim();
            if !trimmed.is_empty() {
                let start = self.start + lead;
                self.spans.push(SentenceSpan {
                    start,
                    end: start + trimmed.len(),
                });
            }
        }
        self.start = end;
    }

    /// Skips a whitespace run starting at `i`; returns the index after it and how many line
    /// breaks it holds (CRLF counts once, a paragraph separator or form feed counts twice).
    fn skip_whitespace(&self, i: usize) -> (usize, usize) {
        let mut k = i;
        let mut newlines = 0usize;
        while let Some(c) = self.ch(k) {
            if !c.is_whitespace() {
                break;
            }
            newlines += match c {
                '\n' | '\u{0B}' | '\u{85}' | '\u{2028}' => 1,
                '\r' => usize::from(self.ch(k + 1) != Some('\n')),
                '\u{0C}' | '\u{2029}' => 2,
                _ => 0,
            };
            k += 1;
        }
        (k, newlines)
    }

    /// Whether the line starting at `k` looks like a new sentence on its own line: headline,
    /// list item, quote or dialogue.
    fn starts_line_item(&self, k: usize) -> bool {
        let mut k = k;
        while self.is(k, is_invisible) {
            k += 1;
        }
        self.is(k, |c| {
            (c.is_alphabetic() && !c.is_lowercase()) || c.is_numeric() || is_opening(c) || is_dash(c) || is_bullet(c)
        })
    }

    /// If the whitespace-delimited token starting at `i` is a URL, e-mail address or `@handle`,
    /// returns the char index right after its core (leading openers and trailing punctuation
    /// such as a final period or closing parenthesis are not part of the core).
    fn url_core_end(&self, i: usize) -> Option<usize> {
        let mut t = i;
        while self.is(t, |c| !c.is_whitespace()) {
            t += 1;
        }
        let mut a = i;
        while a < t && self.is(a, |c| is_opening(c) || is_invisible(c)) {
            a += 1;
        }
        let mut b = t;
        while b > a && self.is(b - 1, is_trailing_punctuation) {
            b -= 1;
        }
        if b <= a {
            return None;
        }
        let core = self.text.get(self.byte(a)..self.byte(b))?;
        looks_like_url(core).then_some(b)
    }

    /// Handles the terminator run starting at `i`. Returns the index after the run and any
    /// closing quotes/brackets attached to it, and whether the sentence ends there.
    fn terminator(&self, i: usize, after_url: bool) -> (usize, bool) {
        let mut j = i;
        let mut dots = 0usize;
        let mut ellipsis = false;
        let mut marks = false;
        while let Some(c) = self.ch(j) {
            match c {
                '.' => dots += 1,
                '…' => ellipsis = true,
                c if is_terminator(c) => marks = true,
                _ => break,
            }
            j += 1;
        }
        ellipsis |= dots >= 2;
        let single_period = dots == 1 && !ellipsis && !marks;
        while self.is(j, |c| is_closer(c) || is_terminator(c) || is_invisible(c)) {
            j += 1;
        }

        let k = match self.ch(j) {
            None => return (j, false),
            Some(c) if c.is_whitespace() => {
                let mut k = j;
                while self.is(k, |c| c.is_whitespace() || is_invisible(c)) {
                    k += 1;
                }
                k
            }
            // "¿Qué?¡Nada!": an inverted mark opens a new sentence even without a space.
            Some('¿' | '¡') => j,
            // "3.5", "EE.UU", "t.co/x", "«¿Vienes?», preguntó": no break without a space.
            Some(_) => return (j, false),
        };
        let Some(next) = self.ch(k) else {
            return (j, false);
        };
        if !self.starts_sentence(next, k) {
            return (j, false);
        }
        // "(...)" or "[...]" marks an elision inside a quotation.
        if ellipsis && i > 0 && self.is(i - 1, |c| c == '(' || c == '[') {
            return (j, false);
        }
        if single_period && !after_url && self.is_abbreviation(i) {
            return (j, false);
        }
        (j, true)
    }

    /// Whether `next` (at index `k`, after a terminator and whitespace) can start a sentence.
    fn starts_sentence(&self, next: char, k: usize) -> bool {
        if next.is_lowercase() {
            return false;
        }
        if matches!(next, ',' | ';' | ':' | ')' | ']' | '}' | '»' | '”' | '’' | '›') {
            return false;
        }
        if is_dash(next) {
            // Dialogue: "—¿Vienes? —preguntó Ana." continues after the dash.
            let mut m = k + 1;
            let mut spaces = 0;
            while spaces < 2 && self.is(m, |c| c == ' ') {
                m += 1;
                spaces += 1;
            }
            if self.is(m, char::is_lowercase) {
                return false;
            }
        }
        true
    }

    /// Whether the period at char index `i` closes an abbreviation or an initial.
    fn is_abbreviation(&self, i: usize) -> bool {
        let mut s = i;
        let mut count = 0;
        while s > 0 && self.is(s - 1, is_word_char) {
            s -= 1;
            count += 1;
            if count > MAX_ABBREVIATION_CHARS {
                return false;
            }
        }
        let Some(word) = self.text.get(self.byte(s)..self.byte(i)) else {
            return false;
        };
        let folded = fold(word.trim_start_matches('.'));
        if folded.is_empty() {
            return false;
        }
        if ABBREVIATIONS.contains(&folded.as_str()) {
            return true;
        }
        let mut letters = folded.chars();
        // Single letter: an initial ("J. A. Kast") or "p. ej.", "a. m.".
        if letters.next().is_some_and(char::is_alphabetic) && letters.next().is_none() {
            return true;
        }
        // Dotted abbreviations: "EE.UU", "a.C", "S.A", "U.S.A", "p.ej".
        folded.contains('.')
            && folded.split('.').all(|segment| {
                !segment.is_empty() && segment.chars().count() <= 3 && segment.chars().all(char::is_alphabetic)
            })
    }
}

/// Lowercases and strips accents and combining marks, so "Núm", "NÚM" and NFD "Nu\u{301}m"
/// all become "num".
fn fold(word: &str) -> String {
    word.chars()
        .filter(|&c| !is_combining(c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            c => c,
        })
        .collect()
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

fn looks_like_url(core: &str) -> bool {
    if ["http://", "https://", "ftp://", "www."]
        .iter()
        .any(|p| starts_with_ignore_case(core, p))
        || core.contains("://")
    {
        return true;
    }
    if let Some(handle) = core.strip_prefix('@') {
        return handle.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_');
    }
    core.split_once('@')
        .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.') && !domain.starts_with('.'))
}

fn is_terminator(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉' | '؟' | '。' | '！' | '？'
    )
}

/// Closing quotes and brackets that stay with the sentence after a terminator.
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}' | '」' | '』')
}

/// Opening quotes, brackets and inverted marks.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '«' | '‹' | '„' | '(' | '[' | '{' | '¿' | '¡' | '「' | '『'
    )
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‒' | '–' | '—' | '―')
}

fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '•' | '·' | '*' | '▪' | '■' | '●' | '○' | '◦' | '‣' | '►' | '▶' | '→' | '✓' | '✔'
    )
}

/// Zero-width and bidirectional format characters (RLM, LRM, ZWSP, BOM, isolates…): they
/// belong to whatever they touch and never decide a boundary.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{061C}'
    )
}

fn is_combining(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Characters of a word that may end in an abbreviation period ("EE.UU", "nº", NFD accents).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '.' || is_combining(c)
}

/// Punctuation that may trail a URL in running text without being part of it.
fn is_trailing_punctuation(c: char) -> bool {
    matches!(c, ',' | ';' | ':') || is_terminator(c) || is_closer(c) || is_invisible(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits and checks every invariant, returning the sentences as strings.
    fn sents(text: &str) -> Vec<&str> {
        let spans = split_sentences(text);
        check_invariants(text, &spans);
        spans
            .iter()
            .map(|s| text.get(s.start..s.end).unwrap_or("<bad span>"))
            .collect()
    }

    fn check_invariants(text: &str, spans: &[SentenceSpan]) {
        let mut prev_end = 0;
        for span in spans {
            assert!(span.start < span.end, "empty span {span:?} in {text:?}");
            assert!(span.start >= prev_end, "overlap/out of order in {text:?}");
            assert!(text.is_char_boundary(span.start), "start not on boundary");
            assert!(text.is_char_boundary(span.end), "end not on boundary");
            let sentence = text.get(span.start..span.end).unwrap_or("");
            assert_eq!(sentence, sentence.trim(), "untrimmed span in {text:?}");
            assert!(!sentence.is_empty());
            // Nothing but whitespace is ever left out of a sentence.
            let gap = text.get(prev_end..span.start).unwrap_or("x");
            assert!(gap.trim().is_empty(), "lost text {gap:?} in {text:?}");
            prev_end = span.end;
        }
        let tail = text.get(prev_end..).unwrap_or("x");
        assert!(tail.trim().is_empty(), "lost tail {tail:?} in {text:?}");
    }

    #[test]
    fn empty_and_whitespace_only() {
        assert!(sents("").is_empty());
        assert!(sents(" \n\t \r\n \u{a0}\u{2029} ").is_empty());
    }

    #[test]
    fn plain_sentences() {
        assert_eq!(
            sents("El Gobierno anunció el plan. La oposición lo rechazó. Habrá debate."),
            [
                "El Gobierno anunció el plan.",
                "La oposición lo rechazó.",
                "Habrá debate."
            ]
        );
        assert_eq!(sents("  Sin punto final  "), ["Sin punto final"]);
    }

    #[test]
    fn inverted_marks_open_and_never_close() {
        assert_eq!(
            sents("¿Vendrá mañana? ¡Claro que sí! Lo confirmó el ministro."),
            ["¿Vendrá mañana?", "¡Claro que sí!", "Lo confirmó el ministro."]
        );
        assert_eq!(
            sents("Me pregunto ¿quién ganará? dijo Juan. Ella gritó ¡basta! y se fue."),
            ["Me pregunto ¿quién ganará? dijo Juan.", "Ella gritó ¡basta! y se fue."]
        );
        assert_eq!(sents("¿Qué?¡Nada!"), ["¿Qué?", "¡Nada!"]);
        assert_eq!(sents("¡¿En serio?! Sí."), ["¡¿En serio?!", "Sí."]);
    }

    #[test]
    fn ellipsis() {
        assert_eq!(sents("Esperó... Nadie llegó."), ["Esperó...", "Nadie llegó."]);
        assert_eq!(sents("Esperó… Nadie llegó."), ["Esperó…", "Nadie llegó."]);
        assert_eq!(
            sents("Esperó... y luego se fue. Esperó… y nada."),
            ["Esperó... y luego se fue.", "Esperó… y nada."]
        );
        assert_eq!(
            sents("Dijo que (...) Era tarde. Fin."),
            ["Dijo que (...) Era tarde.", "Fin."]
        );
    }

    #[test]
    fn titles_and_listed_abbreviations() {
        assert_eq!(
            sents("El Sr. Pérez y la Dra. Gómez llegaron. El Prof. Ruiz no."),
            ["El Sr. Pérez y la Dra. Gómez llegaron.", "El Prof. Ruiz no."]
        );
        let abbreviations = [
            "Sr.", "Sra.", "Srta.", "Dr.", "Dra.", "Lic.", "Ing.", "Prof.", "Gral.", "Cnel.", "Av.", "Avda.", "Sto.",
            "Sta.", "núm.", "Núm.", "nº.", "pág.", "p. ej.", "EE.UU.", "EE. UU.", "a.C.", "d.C.", "S.A.", "S.L.",
            "Ud.", "Uds.", "Vd.", "aprox.", "tel.", "dpto.", "art.", "inc.", "Inc.", "vs.", "sr.", "dr.", "SR.",
        ];
        for abbreviation in abbreviations {
            let text = format!("Lo dijo {abbreviation} Martínez en 2024. Nadie más.");
            let got = sents(&text);
            let first = format!("Lo dijo {abbreviation} Martínez en 2024.");
            assert_eq!(got, [first.as_str(), "Nadie más."], "{abbreviation}");
        }
    }

    #[test]
    fn etc_only_continues_before_lowercase() {
        assert_eq!(
            sents("Compró pan, leche, etc. y se fue."),
            ["Compró pan, leche, etc. y se fue."]
        );
        assert_eq!(
            sents("Compró pan, leche, etc. Luego se fue."),
            ["Compró pan, leche, etc.", "Luego se fue."]
        );
    }

    #[test]
    fn initials() {
        assert_eq!(
            sents("El candidato J. A. Kast habló hoy. Nadie respondió."),
            ["El candidato J. A. Kast habló hoy.", "Nadie respondió."]
        );
        assert_eq!(
            sents("Lo firmó J.A. Kast. Luego habló."),
            ["Lo firmó J.A. Kast.", "Luego habló."]
        );
    }

    #[test]
    fn dotted_abbreviations_in_context() {
        assert_eq!(
            sents("Nació en el 300 a.C. en Roma. Murió en el 20 d.C. Tras eso, nada."),
            ["Nació en el 300 a.C. en Roma.", "Murió en el 20 d.C. Tras eso, nada."]
        );
        assert_eq!(
            sents("Viajó a EE. UU. Mañana vuelve."),
            ["Viajó a EE. UU. Mañana vuelve."]
        );
        assert_eq!(
            sents("Telefónica S.A. Informó ganancias. Ver pág. 12 y núm. 3."),
            ["Telefónica S.A. Informó ganancias.", "Ver pág. 12 y núm. 3."]
        );
    }

    #[test]
    fn decimals_and_thousands() {
        assert_eq!(
            sents(
                "El PIB creció 3,5% y la deuda 2.5 puntos. Se invirtieron 1.200 millones, \
                 o 10.000 por persona. Ganó en 2020. Luego perdió."
            ),
            [
                "El PIB creció 3,5% y la deuda 2.5 puntos.",
                "Se invirtieron 1.200 millones, o 10.000 por persona.",
                "Ganó en 2020.",
                "Luego perdió."
            ]
        );
    }

    #[test]
    fn terminator_inside_closing_quote_splits_after_the_quote() {
        assert_eq!(
            sents("Kast dijo: «Vamos a ganar.» Luego se fue."),
            ["Kast dijo: «Vamos a ganar.»", "Luego se fue."]
        );
        assert_eq!(
            sents("Kast dijo: “Vamos a ganar.” Luego se fue."),
            ["Kast dijo: “Vamos a ganar.”", "Luego se fue."]
        );
        assert_eq!(
            sents("Kast dijo: \"Vamos a ganar!\" Luego se fue."),
            ["Kast dijo: \"Vamos a ganar!\"", "Luego se fue."]
        );
        assert_eq!(
            sents("Kast dijo: 'Vamos a ganar.' Luego se fue."),
            ["Kast dijo: 'Vamos a ganar.'", "Luego se fue."]
        );
        // RAE style: the period goes after the closing quote.
        assert_eq!(
            sents("Dijo «vamos a ganar». Luego calló."),
            ["Dijo «vamos a ganar».", "Luego calló."]
        );
    }

    #[test]
    fn quote_continuing_the_sentence_does_not_split() {
        assert_eq!(
            sents("«¿Vienes?», preguntó Ana. Sí."),
            ["«¿Vienes?», preguntó Ana.", "Sí."]
        );
        assert_eq!(
            sents("«¡Vamos!» gritó la multitud. Todos aplaudieron."),
            ["«¡Vamos!» gritó la multitud.", "Todos aplaudieron."]
        );
        assert_eq!(sents("Dijo \"hola.\" y se fue."), ["Dijo \"hola.\" y se fue."]);
    }

    #[test]
    fn dialogue_dash() {
        assert_eq!(
            sents("—¿Vienes? —preguntó Ana. —Sí. —¡Vamos! — gritó él."),
            ["—¿Vienes? —preguntó Ana.", "—Sí.", "—¡Vamos! — gritó él."]
        );
    }

    #[test]
    fn closing_brackets_stay_with_the_sentence() {
        assert_eq!(
            sents("(Esto es así.) Luego seguimos. [Nota: fin.] Otra."),
            ["(Esto es así.)", "Luego seguimos.", "[Nota: fin.]", "Otra."]
        );
    }

    #[test]
    fn blank_line_always_ends_a_sentence() {
        assert_eq!(
            sents("Kast gana la primera vuelta\n\nEl candidato habló anoche."),
            ["Kast gana la primera vuelta", "El candidato habló anoche."]
        );
        assert_eq!(
            sents("Lo atendió el Sr.\n\nnueva sección"),
            ["Lo atendió el Sr.", "nueva sección"]
        );
        assert_eq!(sents("Uno sin punto\n \t \nDos"), ["Uno sin punto", "Dos"]);
    }

    #[test]
    fn single_newline_headlines_and_lists() {
        assert_eq!(
            sents("Kast gana la elección\nEl candidato habló."),
            ["Kast gana la elección", "El candidato habló."]
        );
        assert_eq!(
            sents("Puntos clave:\n- Uno\n• Dos\n«Tres»\n4 cuatro"),
            ["Puntos clave:", "- Uno", "• Dos", "«Tres»", "4 cuatro"]
        );
        // Hard-wrapped text does not split.
        assert_eq!(
            sents("El presidente dijo que\nla economía crece."),
            ["El presidente dijo que\nla economía crece."]
        );
        assert_eq!(sents("Madrid,\nEspaña y Chile."), ["Madrid,\nEspaña y Chile."]);
        assert_eq!(sents("Habló el Dr.\nPérez hoy."), ["Habló el Dr.\nPérez hoy."]);
    }

    #[test]
    fn crlf_line_endings() {
        let text = "Titular sin punto\r\n\r\nCuerpo uno. Cuerpo dos.\r\nOtra línea\r\n";
        assert_eq!(
            sents(text),
            ["Titular sin punto", "Cuerpo uno.", "Cuerpo dos.", "Otra línea"]
        );
        assert_eq!(sents("Línea\r\nSegunda"), ["Línea", "Segunda"]);
    }

    #[test]
    fn urls_emails_and_handles_are_not_split() {
        let text = "Lee https://t.co/abc.def y www.ejemplo.com.ar/nota.html. Escribe a \
                    juan.perez@correo.com.ar hoy! Sigue a @juan.perez ya. Fin.";
        assert_eq!(
            sents(text),
            [
                "Lee https://t.co/abc.def y www.ejemplo.com.ar/nota.html.",
                "Escribe a juan.perez@correo.com.ar hoy!",
                "Sigue a @juan.perez ya.",
                "Fin."
            ]
        );
        // A URL ending in a short dotted segment still ends the sentence.
        assert_eq!(
            sents("Más en https://t.co/ab.cd. Gracias. (ver https://x.com/a?b=1!) Otra."),
            [
                "Más en https://t.co/ab.cd.",
                "Gracias.",
                "(ver https://x.com/a?b=1!)",
                "Otra."
            ]
        );
        assert_eq!(
            sents("Sigue a @Juan. Escribe a x@ab.cd. Hola."),
            ["Sigue a @Juan.", "Escribe a x@ab.cd.", "Hola."]
        );
    }

    #[test]
    fn only_punctuation() {
        assert_eq!(sents("..."), ["..."]);
        assert_eq!(sents("?!... ... !!!"), ["?!...", "...", "!!!"]);
        assert_eq!(sents("¿¡"), ["¿¡"]);
        assert_eq!(sents(". . ."), [".", ".", "."]);
        assert_eq!(sents("«»()—"), ["«»()—"]);
    }

    #[test]
    fn emoji() {
        assert_eq!(
            sents("¡Ganamos! 🎉🎉 Gracias a todos. 👨‍👩‍👧"),
            ["¡Ganamos!", "🎉🎉 Gracias a todos.", "👨‍👩‍👧"]
        );
        assert_eq!(sents("🙂"), ["🙂"]);
    }

    #[test]
    fn mixed_scripts_with_rtl_marks() {
        let text = "مرحبا بالعالم.\u{200F} שלום עולם.\u{200F} Hola mundo. 你好。再见。";
        assert_eq!(
            sents(text),
            [
                "مرحبا بالعالم.\u{200F}",
                "שלום עולם.\u{200F}",
                "Hola mundo.",
                "你好。再见。"
            ]
        );
        assert_eq!(
            sents("هل أنت هنا؟ نعم. \u{200F}שלום."),
            ["هل أنت هنا؟", "نعم.", "\u{200F}שלום."]
        );
    }

    #[test]
    fn combining_accents_nfd() {
        let text = "El Sr. Pe\u{301}rez llego\u{301}. Nu\u{301}m. 5 esta\u{301} aqui\u{301}. \
                    E\u{301}l volvio\u{301}.";
        assert_eq!(
            sents(text),
            [
                "El Sr. Pe\u{301}rez llego\u{301}.",
                "Nu\u{301}m. 5 esta\u{301} aqui\u{301}.",
                "E\u{301}l volvio\u{301}."
            ]
        );
    }

    #[test]
    fn ends_in_a_lone_abbreviation() {
        assert_eq!(sents("Lo atendió el Dr."), ["Lo atendió el Dr."]);
        assert_eq!(sents("Dr."), ["Dr."]);
        assert_eq!(sents("Viajó a EE.UU."), ["Viajó a EE.UU."]);
        assert_eq!(sents("Sr. "), ["Sr."]);
    }

    #[test]
    fn spans_are_byte_ranges_of_the_input() {
        let text = "  Hola. ¿Qué tal?  ";
        assert_eq!(
            split_sentences(text),
            [SentenceSpan { start: 2, end: 7 }, SentenceSpan { start: 8, end: 19 }]
        );
    }

    #[test]
    fn one_megabyte_word_is_one_sentence() {
        let text = "a".repeat(1 << 20);
        let spans = split_sentences(&text);
        assert_eq!(
            spans,
            [SentenceSpan {
                start: 0,
                end: text.len()
            }]
        );
    }

    #[test]
    fn pathological_inputs_keep_the_invariants() {
        let inputs = [
            ".".repeat(1 << 20),
            "A. ".repeat(300_000),
            "a.".repeat(500_000),
            "Sr. ".repeat(250_000),
            "https://a.b/".repeat(80_000),
            "x@y.z".repeat(200_000),
            "«".repeat(1 << 19),
            "\n".repeat(1 << 20),
            "é\u{301}".repeat(300_000),
            "ab ".repeat(300_000),
        ];
        for text in &inputs {
            // Megabyte inputs: a quadratic scan would make this test crawl; speed itself is
            // measured by the benches, not asserted here.
            let spans = split_sentences(text);
            check_invariants(text, &spans);
        }
    }

    /// Deterministic pseudo-random strings from tricky pieces, checked for every invariant.
    #[test]
    fn generated_strings_keep_the_invariants() {
        const PIECES: &[&str] = &[
            ".",
            "!",
            "?",
            "…",
            "...",
            "¿",
            "¡",
            "«",
            "»",
            "“",
            "”",
            "\"",
            "'",
            "(",
            ")",
            "[",
            "]",
            " ",
            " ",
            "\n",
            "\n\n",
            "\r\n",
            "\r",
            "\t",
            "\u{a0}",
            "\u{2029}",
            "Sr",
            "sr",
            "EE.UU.",
            "etc",
            "a",
            "A",
            "J",
            "é",
            "e\u{301}",
            "ñ",
            "Ñ",
            "3",
            ",",
            ":",
            "-",
            "—",
            "•",
            "https://t.co/x.y",
            "@user",
            "www.a.b",
            "x@y.z",
            "😀",
            "👨‍👩‍👧",
            "\u{200F}",
            "\u{200B}",
            "\u{FEFF}",
            "مرحبا",
            "؟",
            "שלום",
            "日本",
            "。",
            "Hola",
            "mundo",
            "1.200",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for _ in 0..5_000 {
            let len = next() % 40;
            let mut text = String::new();
            for _ in 0..len {
                let piece = PIECES.get(next() % PIECES.len()).copied().unwrap_or("");
                text.push_str(piece);
            }
            let spans = split_sentences(&text);
            check_invariants(&text, &spans);
        }
    }
}
