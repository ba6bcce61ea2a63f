//! Properties that must hold for any input: text analysis and featurization never panic,
//! probabilities are finite and sum to 1, NFC and NFD spellings featurize alike, a saved and
//! reloaded model predicts bit for bit like the original, and the table loader and sentence
//! splitter survive any bytes. Case counts stay modest so the default suite stays fast.

use postura::data::{Columns, LabelMap, LoadOptions, table::parse_table};
use postura::features::Statement;
use postura::model::{DataInfo, file};
use postura::text::sentences::split_sentences;
use postura::text::{ActorMatcher, TextConfig, analyze, normalize, tokenize};
use postura::{Model, TrainParams};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

const ACTOR: &str = "Marta Ruiz";

const ROWS: &[(&str, &str)] = &[
    ("El sindicato respalda con fuerza a Marta Ruiz", "supportive"),
    ("La alianza celebró el triunfo de Marta Ruiz", "supportive"),
    ("Los vecinos aplauden la propuesta de Marta Ruiz", "supportive"),
    ("El gremio apoya sin reservas a Marta Ruiz", "supportive"),
    ("La diputada elogió el plan de Marta Ruiz", "supportive"),
    ("Miles salieron a defender a Marta Ruiz", "supportive"),
    ("El partido confirma su respaldo a Marta Ruiz", "supportive"),
    ("Los jóvenes agradecen el compromiso de Marta Ruiz", "supportive"),
    ("Marta Ruiz viajará a la capital el lunes", "neutral"),
    ("Marta Ruiz se reunió con los alcaldes", "neutral"),
    ("La agenda de Marta Ruiz incluye dos actos", "neutral"),
    ("Marta Ruiz presentó su lista de candidatos", "neutral"),
    ("Marta Ruiz habló con la radio esta mañana", "neutral"),
    ("La comitiva de Marta Ruiz llegó al puerto", "neutral"),
    ("Marta Ruiz visitará tres barrios del sur", "neutral"),
    ("Marta Ruiz participará en el debate del jueves", "neutral"),
    ("La oposición criticó con dureza a Marta Ruiz", "distancing"),
    ("El sindicato rechaza el plan de Marta Ruiz", "distancing"),
    ("El partido no dará su apoyo a Marta Ruiz", "distancing"),
    ("Los vecinos abuchearon a Marta Ruiz en el acto", "distancing"),
    ("La fiscalía investiga los gastos de Marta Ruiz", "distancing"),
    ("El senador acusó a Marta Ruiz de mentir", "distancing"),
    ("El gobierno se distancia de Marta Ruiz", "distancing"),
    ("Los gremios repudian la propuesta de Marta Ruiz", "distancing"),
];

fn matcher() -> &'static ActorMatcher {
    static M: OnceLock<ActorMatcher> = OnceLock::new();
    M.get_or_init(|| ActorMatcher::new(ACTOR, &["Ruiz"]))
}

/// A small model trained once, through the library, with the default settings.
fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| {
        let statements: Vec<Statement> = ROWS
            .iter()
            .map(|(text, _)| Statement::new(text, Some(matcher())))
            .collect();
        let labels: Vec<&str> = ROWS.iter().map(|r| r.1).collect();
        let info = DataInfo {
            path: "properties".into(),
            sha256: String::new(),
            rows: ROWS.len(),
            rows_per_label: Vec::new(),
            columns: Columns::default(),
            label_map: LabelMap::default(),
            aliases: vec!["Ruiz".into()],
            constant_actor: Some(ACTOR.into()),
        };
        TrainParams::default()
            .check()
            .unwrap()
            .fit(&statements, &labels, info)
            .unwrap()
    })
}

/// The same model after a trip through the file format.
fn reloaded() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| {
        let bytes = file::to_bytes(model()).unwrap();
        file::from_bytes(Path::new("mem"), &bytes).unwrap()
    })
}

/// Pieces that stress normalization and tokenization: accents precomposed and combining,
/// case mappings that change length, invisible and bidirectional marks, emoji with modifiers,
/// class-token prefixes, negators, punctuation, controls, other scripts.
const PIECES: &[&str] = &[
    "a",
    "á",
    "a\u{301}",
    "e\u{301}\u{302}",
    "ñ",
    "n\u{303}",
    "ü",
    "u\u{308}",
    "Ç",
    "İ",
    "ẞ",
    "ß",
    "Σ",
    "ς",
    "ǅ",
    "ﬁ",
    "ᾈ",
    "\u{301}",
    "\u{303}\u{301}",
    "Marta",
    "Ruiz",
    "MARTA",
    "ruíz",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "\u{0}",
    "\u{7}",
    "\u{85}",
    "\u{A0}",
    "\u{200B}",
    "\u{200E}",
    "\u{200F}",
    "\u{202B}",
    "\u{202C}",
    "\u{2066}",
    "\u{FEFF}",
    "\u{AD}",
    "🙂",
    "👍🏽",
    "👨‍👩‍👧",
    "🇨🇱",
    "#",
    "@",
    "#apoyo",
    "@marta_ruiz",
    "http://x.cl/a",
    "www.",
    "no",
    "nunca",
    "pero",
    "sin",
    ".",
    "...",
    "…",
    ",",
    ";",
    "¿",
    "?",
    "¡",
    "!",
    "«",
    "»",
    "\"",
    "'",
    "’",
    "(",
    ")",
    "—",
    "-",
    "_",
    "/",
    "3,5",
    "1.200",
    "%",
    "٣",
    "مرحبا",
    "שלום",
    "Марта",
    "市長",
    "ก่",
    "\u{FFFD}",
    "\u{10FFFF}",
    "aaaaaa",
];

fn tricky() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

/// Arbitrary strings, and strings built from the tricky pieces.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), tricky()]
}

fn configs() -> [TextConfig; 3] {
    [
        TextConfig::default(),
        TextConfig {
            accent_fold: false,
            squeeze_elongations: false,
            negation: false,
            drop_quotes: false,
        },
        TextConfig {
            accent_fold: true,
            squeeze_elongations: true,
            negation: false,
            drop_quotes: true,
        },
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn tokenization_never_panics(s in text()) {
        for cfg in configs() {
            let normalized = normalize(&s, &cfg);
            let tokens = tokenize(&normalized);
            prop_assert!(tokens.iter().all(|t| !t.text.is_empty()));
            let _ = analyze(&s, &cfg, None);
            let _ = analyze(&s, &cfg, Some(matcher()));
        }
        // Raw, unnormalized text straight into the tokenizer, and any text as an actor name.
        let _ = tokenize(&s);
        let m = ActorMatcher::new(&s, &[s.as_str(), "Ruiz"]);
        let _ = m.mentioned_in(&s);
        let _ = analyze(&s, &TextConfig::default(), Some(&m));
    }

    #[test]
    fn featurization_never_panics_and_probabilities_sum_to_one(s in text()) {
        let model = model();
        for actor in [None, Some(matcher())] {
            let st = Statement::new(&s, actor);
            let ex = model.featurizer().extractor();
            let row = model.featurizer().transform_one(&st, &ex);
            prop_assert!(row.windows(2).all(|w| w[0].0 < w[1].0), "columns sorted and distinct");
            prop_assert!(row.iter().all(|&(c, v)| (c as usize) < model.n_features() && v.is_finite()));
            let p = model.predict_with(&st, &ex);
            prop_assert_eq!(p.probs.len(), model.n_labels());
            prop_assert!(p.probs.iter().all(|x| x.is_finite() && (0.0..=1.0).contains(x)), "{:?}", p.probs);
            let sum: f64 = p.probs.iter().sum();
            prop_assert!((sum - 1.0).abs() < 1e-9, "sum {}", sum);
            prop_assert!(p.label < model.n_labels());
            let (explained, contributions) = model.explain_statement(&st, 5);
            prop_assert_eq!(explained, p);
            prop_assert!(contributions.len() <= 5);
        }
    }

    #[test]
    fn nfc_and_nfd_give_the_same_features(s in text()) {
        let nfc: String = s.nfc().collect();
        let nfd: String = s.nfd().collect();
        for cfg in configs() {
            prop_assert_eq!(normalize(&nfc, &cfg), normalize(&nfd, &cfg));
        }
        let f = &model().featurizer();
        let ex = f.extractor();
        for actor in [None, Some(matcher())] {
            let a = f.transform_one(&Statement::new(&nfc, actor), &ex);
            let b = f.transform_one(&Statement::new(&nfd, actor), &ex);
            prop_assert_eq!(a, b);
        }
        prop_assert_eq!(matcher().mentioned_in(&nfc), matcher().mentioned_in(&nfd));
    }

    #[test]
    fn a_saved_and_loaded_model_predicts_identically(s in text()) {
        let (a, b) = (model(), reloaded());
        for actor in [None, Some(matcher())] {
            let st = Statement::new(&s, actor);
            let pa = a.predict_with(&st, &a.featurizer().extractor());
            let pb = b.predict_with(&st, &b.featurizer().extractor());
            prop_assert_eq!(pa.label, pb.label);
            let bits = |p: &[f64]| p.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&pa.probs), bits(&pb.probs));
        }
    }
}

/// Bytes that look like CSV: delimiters, quotes, line ends, NUL, invalid UTF-8, words.
fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop::sample::select(vec![
        &b"text"[..],
        b"label",
        b"actor",
        b",",
        b"\t",
        b"\"",
        b"\"\"",
        b"\n",
        b"\r\n",
        b"\r",
        b" ",
        b"\0",
        b"\xFF",
        b"\xC3",
        b"\xEF\xBB\xBF",
        b"hola",
        b"Marta Ruiz",
        "ñ".as_bytes(),
        b"x",
        b"y",
    ]);
    let header = prop::sample::select(vec![&b"text,label\n"[..], b"text,actor,label\n", b"text\tlabel\n", b""]);
    (header, prop::collection::vec(piece, 0..60)).prop_map(|(h, v)| {
        let mut out = h.to_vec();
        for p in v {
            out.extend_from_slice(p);
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_table_loader_survives_any_bytes(bytes in prop_oneof![csvish(), any::<Vec<u8>>()], tsv in any::<bool>(), lossy in any::<bool>()) {
        let name = if tsv { "p.tsv" } else { "p.csv" };
        let opts = LoadOptions { label_required: true, lossy, ..LoadOptions::default() };
        match parse_table(Path::new(name), &bytes, &opts) {
            Ok(t) => {
                prop_assert!(!t.records.is_empty());
                prop_assert!(t.records.iter().all(|r| !r.text.trim().is_empty() && r.line >= 2));
                prop_assert!(t.records.windows(2).all(|w| w[0].line < w[1].line));
                prop_assert!(t.records.iter().all(|r| r.label.as_deref().is_some_and(|l| !l.is_empty())));
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.starts_with(name), "{}", msg);
                prop_assert_eq!(e.exit_code(), 2);
            }
        }
    }

    #[test]
    fn sentence_spans_are_ordered_trimmed_and_on_char_boundaries(s in text()) {
        let spans = split_sentences(&s);
        let mut end = 0;
        for sp in &spans {
            prop_assert!(sp.start >= end && sp.start < sp.end && sp.end <= s.len());
            prop_assert!(s.is_char_boundary(sp.start) && s.is_char_boundary(sp.end));
            let piece = &s[sp.start..sp.end];
            prop_assert_eq!(piece, piece.trim());
            end = sp.end;
        }
    }
}

#[test]
fn the_trained_model_round_trips_exactly() {
    assert_eq!(model(), reloaded());
}
