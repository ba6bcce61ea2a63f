//! Normalization: Unicode NFC, case folding, optional accent folding, invisible marks removed,
//! elongations squeezed. Works char by char in one pass.

use super::TextConfig;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Normalizes `text` for tokenization. NFC and NFD input give the same output.
pub fn normalize(text: &str, cfg: &TextConfig) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, cfg, &mut out);
    out
}

/// [`normalize`] into `out` (emptied first; its memory is reused).
pub(crate) fn normalize_into(text: &str, cfg: &TextConfig, out: &mut String) {
    out.clear();
    // Text already in NFC (the quick check says so for nearly every text) is read as is:
    // composing it again would give the same chars.
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        normalize_chars(text.chars(), cfg, out);
    } else {
        normalize_chars(text.nfc(), cfg, out);
    }
}

/// [`normalize`] of chars already in NFC, appended to `out`.
fn normalize_chars(chars: impl Iterator<Item = char>, cfg: &TextConfig, out: &mut String) {
    let mut runs = Runs {
        last: None,
        run: 0,
        squeeze: cfg.squeeze_elongations,
    };
    for c in chars {
        if c.is_ascii() {
            // The same steps as below, as they work out for ASCII.
            let lc = if c.is_ascii_control() {
                ' '
            } else {
                c.to_ascii_lowercase()
            };
            runs.push(out, lc);
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        let c = if c.is_control() { ' ' } else { c };
        for lc in c.to_lowercase() {
            runs.push(out, if cfg.accent_fold { fold_accent(lc) } else { lc });
        }
    }
}

/// Runs of a repeated char while normalizing.
struct Runs {
    last: Option<char>,
    run: usize,
    squeeze: bool,
}

impl Runs {
    /// Appends `lc`, keeping at most two of a repeated letter while reading; a run that reaches
    /// three is squeezed to one ("graaande" → "grande", but "leer", "perro" stay).
    fn push(&mut self, out: &mut String, lc: char) {
        if Some(lc) == self.last {
            self.run += 1;
        } else {
            self.run = 1;
            self.last = Some(lc);
        }
        if self.squeeze && lc.is_alphabetic() && self.run >= 3 {
            if self.run == 3 {
                out.pop();
            }
            return;
        }
        out.push(lc);
    }
}

/// Zero-width and bidirectional control marks carry no meaning for classification.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{00AD}'
    )
}

/// Folds the accented vowels of Spanish (and their neighbours in Catalan, Portuguese, French)
/// to the bare vowel. `ñ` is a letter of its own in Spanish and stays.
pub fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
        'é' | 'è' | 'ë' | 'ê' => 'e',
        'í' | 'ì' | 'ï' | 'î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
        'ú' | 'ù' | 'ü' | 'û' => 'u',
        'ç' => 'c',
        other => other,
    }
}

/// Lowercase and accent-fold a string, without invisible marks: the key used to compare actor
/// names (a right-to-left mark around a name must not hide the mention, as in [`normalize`]).
pub fn fold_key(s: &str) -> String {
    s.nfc()
        .filter(|&c| !is_invisible(c))
        .flat_map(char::to_lowercase)
        .map(fold_accent)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> TextConfig {
        TextConfig::default()
    }

    proptest::proptest! {
        /// The NFC quick check only skips work: the result is what composing every text gives.
        #[test]
        fn quick_check_path_equals_composing(text in "\\PC{0,40}", nfd in proptest::bool::ANY, fold in proptest::bool::ANY) {
            let text: String = if nfd { text.nfd().collect() } else { text };
            let cfg = TextConfig { accent_fold: fold, ..cfg() };
            // Composing every text, as normalize always did.
            let mut want = String::new();
            normalize_chars(text.nfc(), &cfg, &mut want);
            proptest::prop_assert_eq!(normalize(&text, &cfg), want.clone());
            // Into a string that held another text: the same.
            let mut reused = String::from("ÁÉ  previo ");
            normalize_into(&text, &cfg, &mut reused);
            proptest::prop_assert_eq!(reused, want);
        }
    }

    /// [`normalize_chars`] without its ASCII shortcut: every char through the general steps.
    fn general_steps(text: &str, cfg: &TextConfig) -> String {
        let mut out = String::new();
        let (mut last, mut run) = (None, 0usize);
        for c in text.nfc() {
            if is_invisible(c) {
                continue;
            }
            let c = if c.is_control() { ' ' } else { c };
            for lc in c.to_lowercase() {
                let lc = if cfg.accent_fold { fold_accent(lc) } else { lc };
                if Some(lc) == last {
                    run += 1;
                } else {
                    run = 1;
                    last = Some(lc);
                }
                if cfg.squeeze_elongations && lc.is_alphabetic() && run >= 3 {
                    if run == 3 {
                        out.pop();
                    }
                    continue;
                }
                out.push(lc);
            }
        }
        out
    }

    proptest::proptest! {
        /// The ASCII shortcut gives what the general steps give: controls, case, elongations
        /// (also where an ASCII run meets a non-ASCII char), any Unicode around.
        #[test]
        fn ascii_shortcut_equals_general_steps(
            text in "[a-zA-Z\\x00-\\x1f\\x7f !.,ÁáÑñ\u{200B}\u{0301}]{0,40}|\\PC{0,30}|[aAáÁ]{0,12}",
            fold in proptest::bool::ANY,
            squeeze in proptest::bool::ANY,
        ) {
            let cfg = TextConfig { accent_fold: fold, squeeze_elongations: squeeze, ..cfg() };
            proptest::prop_assert_eq!(normalize(&text, &cfg), general_steps(&text, &cfg));
        }
    }

    #[test]
    fn folds_case_and_accents_but_keeps_enie() {
        assert_eq!(
            normalize("Fernández ÑANDÚ Pingüino", &cfg()),
            "fernandez ñandu pinguino"
        );
        let keep = TextConfig {
            accent_fold: false,
            ..cfg()
        };
        assert_eq!(normalize("Fernández", &keep), "fernández");
    }

    #[test]
    fn nfd_and_nfc_agree() {
        let nfc = "Corazón y acción";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(normalize(nfc, &cfg()), normalize(&nfd, &cfg()));
        let keep = TextConfig {
            accent_fold: false,
            ..cfg()
        };
        assert_eq!(normalize(nfc, &keep), normalize(&nfd, &keep));
    }

    #[test]
    fn squeezes_elongations_only_from_three() {
        assert_eq!(normalize("graaaande", &cfg()), "grande");
        assert_eq!(normalize("siiiii", &cfg()), "si");
        assert_eq!(normalize("leer perro", &cfg()), "leer perro");
        assert_eq!(normalize("!!!", &cfg()), "!!!");
    }

    #[test]
    fn drops_invisible_marks_and_controls() {
        assert_eq!(normalize("a\u{200F}b\u{FEFF}c\td", &cfg()), "abc d");
        // Emoji variation selectors: "🎗️" and "🎗" are one symbol.
        assert_eq!(normalize("🎗\u{FE0F} lazo", &cfg()), "🎗 lazo");
    }

    #[test]
    fn fold_key_compares_names() {
        assert_eq!(fold_key("Núñez FEIJÓO"), "nuñez feijoo");
        assert_eq!(fold_key("\u{200F}Nu\u{301}n\u{303}ez\u{200E}"), "nuñez");
    }
}
