//! Role features: how a mention of the target (or the source) stands in its sentence, and
//! which evaluative words govern it. A bag of words cannot tell "_other_ acusó a _actor_" from
//! "_actor_ acusó a _other_" by its words; these features name the mention's role (subject of a
//! speech or evaluation verb, object after a preposition, the speaker of a quote, inside a
//! quote) and tie each evaluative word of the project's lexicon to the mention it sits near —
//! on which side, how far, with another actor in between or not — so "celebró el triunfo del
//! líder del Partido Republicano chileno, José Antonio Kast" reaches the name across the
//! apposition, and a fronted object ("A Kast, con quien…, Petro le dio su apoyo") reads its main
//! clause as in the usual order.

use crate::text::tokenize::{Token, TokenKind};

/// A lexicon word's class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lex {
    /// Backing, praise, alliance, a win: "respaldó", "celebró", "elogio", "triunfo".
    Pos,
    /// Criticism, rejection, a break, a loss: "acusó", "rechazo", "derrota", "escándalo".
    Neg,
    /// Speech and its kin, which make the speaker a holder and not a target: "dijo", "afirmó".
    Speech,
}

impl Lex {
    fn tag(self) -> &'static str {
        match self {
            Lex::Pos => "+",
            Lex::Neg => "-",
            Lex::Speech => "s",
        }
    }
}

// The lexicon, written for postura: prefixes of accent-folded, lower-cased words. A prefix
// stands for a verb's or noun's family ("respald" → respaldó, respaldo, respaldará).
const POSITIVE: &[&str] = &[
    "apoy",
    "respald",
    "celebr",
    "felicit",
    "elogi",
    "agradec",
    "aplaud",
    "defendi",
    "defiend",
    "defend",
    "aval",
    "destac",
    "valor",
    "reivindic",
    "acompañ",
    "alab",
    "halag",
    "ovacion",
    "vitore",
    "alianz",
    "aliad",
    "socio",
    "amig",
    "admir",
    "confianza",
    "adhesion",
    "adhier",
    "endos",
    "ratific",
    "reafirm",
    "triunf",
    "victori",
    "gano",
    "ganó",
    "gana",
    "ganador",
    "exito",
    "logro",
    "logr",
    "record",
    "premi",
    "bienvenid",
    "gracias",
    "orgull",
    "estadista",
    "fortalec",
    "impuls",
    "aprob",
    "respeto",
    "reconocimiento",
    "lealtad",
    "encomi",
    "exalt",
    "ensalz",
    "beneplacito",
    "enhorabuena",
    "acierto",
    "brillante",
    "ejemplar",
    "aclam",
    "multitudinari",
    "hermand",
    "cercan",
    "coincid",
];
const NEGATIVE: &[&str] = &[
    "acus",
    "critic",
    "cuestion",
    "denunci",
    "rechaz",
    "repudi",
    "conden",
    "atac",
    "arremet",
    "embist",
    "romp",
    "ruptur",
    "distanc",
    "desmarc",
    "abuche",
    "derrot",
    "escandal",
    "investig",
    "imput",
    "procesad",
    "querell",
    "demand",
    "fracas",
    "crisis",
    "caida",
    "cayo",
    "desplom",
    "desaprob",
    "reprob",
    "reproch",
    "censur",
    "descalific",
    "insult",
    "burl",
    "ironiz",
    "tild",
    "fustig",
    "responsabiliz",
    "culp",
    "amenaz",
    "desconoc",
    "evit",
    "niega",
    "negaron",
    "negarse",
    "negativa",
    "retir",
    "abandon",
    "traicion",
    "mient",
    "mentir",
    "corrup",
    "peligro",
    "fraude",
    "autoritar",
    "dictad",
    "peor",
    "polemic",
    "tension",
    "enfrent",
    "choque",
    "cruce",
    "embate",
    "recrimin",
    "lament",
    "desastre",
    "vergüenza",
    "verguenza",
    "ruina",
    "hundi",
    "hunde",
    "castig",
    "sancion",
    "renunci",
    "revés",
    "reves",
    "golpe",
    "contra",
    "oposicion",
    "oponen",
    "opuso",
    "expuls",
    "ilegitim",
    "fraudul",
    "abuso",
    "desprecio",
    "hostil",
    "agravi",
    "ofens",
    "mentira",
    "incapa",
    "inepto",
    "fracaso",
];
const SPEECH: &[&str] = &[
    "dij", "dice", "decir", "afirm", "asegur", "declar", "sostuv", "sostien", "sostiene", "señal", "advirt",
    "advierte", "respond", "replic", "explic", "anunci", "indico", "expres", "manifest", "opin", "consider", "insist",
    "recalc", "subray", "remarc", "agreg", "añad", "admit", "reconoc", "pidi", "pide", "reclam", "exig", "escrib",
    "tuit", "sentenci", "comunic", "aclar", "prometi", "promet", "sugir", "plante", "propus", "propon", "advert",
    "calific", "definio", "describ", "pregunt", "cuestion", "habl", "comento", "coment",
];

/// Whole words of the lexicon too short or too ambiguous as prefixes.
const EXACT_NEGATIVE: &[&str] = &["nego", "duro", "dura", "duras", "duros", "mal", "malo", "mala"];

/// Words that make the next mention an object or complement ("a _actor_", "contra el _actor_").
const PREPOSITIONS: &[&str] = &[
    "a", "al", "contra", "de", "del", "con", "sobre", "hacia", "para", "ante", "por", "entre", "sin", "tras",
];
/// Words skipped between a preposition and the mention ("contra el _actor_").
const DETERMINERS: &[&str] = &["el", "la", "los", "las", "lo", "un", "una", "su", "sus", "le", "les"];

/// The lexicon class of a token, if any (a speech prefix wins over an evaluative one only when
/// no evaluative prefix matches).
pub fn lex_class(t: &Token) -> Option<Lex> {
    if t.kind != TokenKind::Word {
        return None;
    }
    let w = t.text.as_str();
    let has = |list: &[&str]| list.iter().any(|p| w.starts_with(p) && (w.len() > 2 || w == *p));
    if w.len() < 3 {
        return None;
    }
    if has(NEGATIVE) || EXACT_NEGATIVE.contains(&w) {
        Some(Lex::Neg)
    } else if has(POSITIVE) {
        Some(Lex::Pos)
    } else if has(SPEECH) {
        Some(Lex::Speech)
    } else {
        None
    }
}

/// A mention's role in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// After a preposition: "a _actor_", "contra el _actor_", "el triunfo de _actor_".
    Object,
    /// The one who speaks: "dijo _actor_", "según _actor_", "_actor_: …" at the start.
    Speaker,
    /// Followed by a speech or evaluation verb (an apposition between commas skipped).
    Subject,
    /// None of the above.
    Mention,
}

impl Role {
    /// The role's short tag in feature names.
    pub fn tag(self) -> &'static str {
        match self {
            Role::Object => "obj",
            Role::Speaker => "spk",
            Role::Subject => "subj",
            Role::Mention => "men",
        }
    }
}

fn is_boundary(t: &Token) -> bool {
    t.kind == TokenKind::Punct && matches!(t.text.as_str(), "." | ";" | "!" | "?" | "¿" | "¡" | "…")
}

/// Verbs by which a subject gets what follows rather than holds it ("recibió el respaldo",
/// "obtuvo el apoyo", "sumó el aval", "sufrió una derrota"), as prefixes and, for "sumar", whole
/// forms ("sumamente" is no verb); and by which it loses it ("perdió el apoyo", "quedó sin el
/// respaldo").
const GAINING: &[&str] = &["recib", "obtuv", "obtien", "obten", "cosech", "consigu", "sufr"];
const GAINING_WORDS: &[&str] = &["sumo", "suma", "suman", "sumaron", "sumaba", "sumaban", "sumara"];
const LOSING: &[&str] = &["perd", "pierd"];
/// Copulas: what follows says what the mention (or the phrase it closes: "el triunfo de
/// _actor_ es una mala noticia") is.
const COPULAS: &[&str] = &[
    "es", "fue", "era", "sera", "seria", "son", "fueron", "eran", "seran", "resulta", "resulto", "parece", "parecia",
];

/// Conjunctions that open another clause: a reading of the mention's own clause stops there.
const CONJUNCTIONS: &[&str] = &["y", "e", "pero", "mientras", "aunque"];

/// How a lexicon word after the mention relates to it, read from the words between (`span`),
/// when they stay in one clause: "pred" when they start with a copula ("_actor_ es un aliado",
/// "el triunfo de _actor_ es una mala noticia"); "gain" or "lost" when they start with a
/// gaining or losing verb ("_actor_ recibió ayer el respaldo de …", "_actor_ no perdió el apoyo
/// de …", "_actor_ quedó sin el respaldo de …"), but not when the verb gives rather than gets
/// ("sumó su apoyo a …", "recibió con beneplácito …", "recibió a la prensa"). `None` otherwise.
fn clause_mark(span: &[Token]) -> Option<&'static str> {
    let mut words = span
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .skip_while(|t| t.text == "no");
    let verb = words.next()?.text.as_str();
    let next = words.next().map_or("", |t| t.text.as_str());
    let kind = if COPULAS.contains(&verb) {
        "pred"
    } else if LOSING.iter().any(|p| verb.starts_with(p)) || (verb.starts_with("qued") && next == "sin") {
        "lost"
    } else if GAINING.iter().any(|p| verb.starts_with(p)) || GAINING_WORDS.contains(&verb) {
        "gain"
    } else {
        return None;
    };
    let gives = kind != "pred" && ["su", "sus", "con", "a", "al"].contains(&next);
    let breaks = span
        .iter()
        .any(|t| t.is_mention() || t.text == "," || t.text == ";" || ends_clause(t));
    (!gives && !breaks).then_some(kind)
}

/// A conjunction or a "que" that opens another clause after the mention.
fn ends_clause(t: &Token) -> bool {
    let w = word(t);
    w == "que" || CONJUNCTIONS.contains(&w)
}

fn word(t: &Token) -> &str {
    if t.kind == TokenKind::Word { t.text.as_str() } else { "" }
}

/// The role of the mention at `p`.
pub fn role_of(tokens: &[Token], p: usize) -> Role {
    // Backward: skip determiners, then look for a preposition or a speech verb.
    let mut i = p;
    while i > 0 && tokens.get(i - 1).is_some_and(|t| DETERMINERS.contains(&word(t))) {
        i -= 1;
    }
    if let Some(prev) = i.checked_sub(1).and_then(|j| tokens.get(j)) {
        let w = word(prev);
        if w == "segun" {
            return Role::Speaker;
        }
        if PREPOSITIONS.contains(&w) {
            return Role::Object;
        }
        if lex_class(prev) == Some(Lex::Speech) {
            return Role::Speaker;
        }
    }
    // Headline form "_actor_: …" near the start.
    if p <= 2
        && tokens
            .get(p + 1)
            .is_some_and(|t| t.kind == TokenKind::Punct && t.text == ":")
    {
        return Role::Speaker;
    }
    // Forward: a verb of the lexicon within a few tokens, skipping one apposition ", …,".
    let mut j = p + 1;
    let mut seen = 0;
    let mut skipped_apposition = false;
    while let Some(t) = tokens.get(j) {
        if t.is_mention() || is_boundary(t) {
            break;
        }
        if t.kind == TokenKind::Punct && t.text == "," {
            if skipped_apposition || seen > 0 {
                break;
            }
            // Jump to the closing comma of an apposition or relative clause ("X, que …, dijo"),
            // at most 20 tokens on.
            let close = (j + 1..(j + 21).min(tokens.len())).find(|&k| tokens.get(k).is_some_and(|t| t.text == ","));
            match close {
                Some(k) => {
                    skipped_apposition = true;
                    j = k + 1;
                    continue;
                }
                None => break,
            }
        }
        if t.is_wordlike() {
            if lex_class(t).is_some() {
                return Role::Subject;
            }
            seen += 1;
            if seen >= 3 {
                break;
            }
        }
        j += 1;
    }
    Role::Mention
}

/// How far the lexicon reaches from a mention, in tokens, within its sentence.
const REACH: usize = 12;

/// Calls `emit(name)` for each role feature of the mentions of `kind` ("t" for the target,
/// "s" for the source).
pub fn role_features(tokens: &[Token], kind: TokenKind, tag: &str, emit: &mut dyn FnMut(String)) {
    // Whether another actor (a mention of another kind) is in the text: the same for every
    // mention of `kind`, so read once (once per mention made long texts quadratic).
    let with_other = tokens.iter().any(|t| t.is_mention() && t.kind != kind);
    let mut first = true;
    for (p, t) in tokens.iter().enumerate() {
        if t.kind != kind {
            continue;
        }
        let bridge = relative_bridge(tokens, p);
        // "rechazó el plan que presentó _actor_" reads as "rechazó el plan de _actor_".
        let role = match bridge {
            Some(Bridge::Antecedent { .. }) => Role::Object,
            _ => role_of(tokens, p),
        };
        let r = role.tag();
        emit(format!("r:{tag}:{r}"));
        if with_other {
            emit(format!("r:{tag}:{r}&o"));
        }
        // With another actor in the sentence, the words read through the first mention's role:
        // "celebró" with the target as the subject praises someone else.
        if first && with_other && matches!(role, Role::Subject | Role::Speaker) {
            for w in tokens.iter().filter(|w| w.kind == TokenKind::Word) {
                let neg = if w.negated { "~" } else { "" };
                emit(format!("rp:{tag}:hold&{neg}{}", w.text));
            }
        }
        first = false;
        if let Some(main) = fronted_main_clause(tokens, p) {
            // "A _actor_, con quien …, _other_ le ofreció su apoyo": read the main clause's
            // lexicon words as in the usual order ("_other_ le ofreció su apoyo a _actor_"),
            // the relative clause between the commas left out; after an evaluative word the
            // reading stops at a conjunction or another actor ("… y luego criticó a _other_").
            let mut seen = false;
            for w in tokens.get(main).unwrap_or(&[]) {
                if seen && (w.is_mention() || CONJUNCTIONS.contains(&word(w))) {
                    break;
                }
                let Some(class) = lex_class(w) else { continue };
                seen = true;
                let c = class.tag();
                let neg = if w.negated { "~" } else { "" };
                emit(format!("g:{tag}:{neg}{c}<"));
                emit(format!("g:{tag}:{neg}{c}<n@{r}"));
                if class != Lex::Speech {
                    emit(format!("g:{tag}:{neg}{}<", w.text));
                }
            }
            continue;
        }
        // Lexicon words around the mention, within its sentence. A relative clause bridged
        // (see [`relative_bridge`]) counts as absent when measuring how far a word is and
        // whether another actor stands between.
        let lo = (0..p)
            .rev()
            .take(REACH)
            .take_while(|&i| tokens.get(i).is_some_and(|t| !is_boundary(t)))
            .last()
            .unwrap_or(p);
        let reach_after = match bridge {
            Some(Bridge::Clause { close }) => close + 1 - p + REACH,
            _ => REACH,
        };
        let hi = (p + 1..tokens.len())
            .take(reach_after)
            .take_while(|&i| tokens.get(i).is_some_and(|t| !is_boundary(t)))
            .last()
            .map_or(p, |i| i + 1);
        for j in lo..hi.max(lo) {
            let Some(w) = tokens.get(j) else { continue };
            let Some(class) = lex_class(w) else { continue };
            if matches!(bridge, Some(Bridge::Antecedent { rel, end, .. }) if rel < j && j < end && j != p) {
                continue;
            }
            let side = if j < p { "<" } else { ">" };
            // The span read between the word and the mention, and its length.
            let (span, dist) = match bridge {
                Some(Bridge::Clause { close }) if j > close => (close + 1..j, j - close),
                Some(Bridge::Antecedent { rel, gov, .. }) if j == gov => (gov + 1..rel, rel - gov + 1),
                _ if j < p => (j + 1..p, p - j),
                _ => (p + 1..j, j - p),
            };
            let span = tokens.get(span).unwrap_or(&[]);
            let between = span.iter().any(Token::is_mention);
            let c = class.tag();
            let neg = if w.negated { "~" } else { "" };
            let o = if between { "|o" } else { "" };
            let near = if dist <= 3 { "n" } else { "f" };
            emit(format!("g:{tag}:{neg}{c}{side}{o}"));
            // "_actor_ recibió el respaldo de …": support gained (or lost), not held; "_actor_ es
            // un aliado": said of the mention.
            let held = if j > p { clause_mark(span).unwrap_or(r) } else { r };
            emit(format!("g:{tag}:{neg}{c}{side}{near}{o}@{held}"));
            if class != Lex::Speech {
                emit(format!("g:{tag}:{neg}{}{side}{o}", w.text));
            }
        }
    }
}

/// How a relative clause next to a mention is read past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bridge {
    /// "_actor_, que …, recibió el respaldo de …": the clause between the commas ends at
    /// `close` (the closing comma); the main clause after it reads as if it followed the name.
    Clause { close: usize },
    /// "rechazó el plan que presentó _actor_": the mention sits in a clause opened at `rel`
    /// about a noun that the evaluative word at `gov` governs; that word reads as in "rechazó
    /// el plan de _actor_".
    Antecedent { rel: usize, gov: usize, end: usize },
}

/// The most tokens between a relative word and the mention inside its clause ("que le envió
/// _actor_" … "que había negociado con _actor_").
const RELATIVE_SPAN: usize = 5;

/// The relative clause to read past at the mention `p`, if any.
fn relative_bridge(tokens: &[Token], p: usize) -> Option<Bridge> {
    // After the name: ", que …," closing within 20 tokens and its sentence, a word after it.
    if tokens.get(p + 1).is_some_and(|t| t.text == ",") && opens_relative(tokens, p + 2) {
        let close = (p + 2..(p + 22).min(tokens.len()))
            .take_while(|&k| tokens.get(k).is_some_and(|t| !is_boundary(t)))
            .find(|&k| tokens.get(k).is_some_and(|t| t.text == ","));
        if let Some(close) = close
            && tokens
                .get(close + 1)
                .is_some_and(|t| t.is_wordlike() && !t.is_mention())
        {
            return Some(Bridge::Clause { close });
        }
    }
    // Before the name: LEX DET w [w] que … _actor_, with no punctuation, actor or negative
    // word in the clause and nothing evaluative between the governing word and the relative.
    let plain = |k: usize| {
        tokens
            .get(k)
            .is_some_and(|t| t.is_wordlike() && !t.is_mention() && lex_class(t).is_none())
    };
    let rel = (p.saturating_sub(RELATIVE_SPAN + 1)..p)
        .rev()
        .find(|&k| tokens.get(k).is_some_and(|t| RELATIVES.contains(&word(t))))?;
    // The whole clause: from the relative to the next punctuation or mention after `p`.
    let end = (p + 1..(p + 1 + RELATIVE_SPAN).min(tokens.len()))
        .find(|&k| tokens.get(k).is_some_and(|t| !t.is_wordlike() || t.is_mention()))
        .unwrap_or((p + 1 + RELATIVE_SPAN).min(tokens.len()));
    // Denial words inside the clause (a "no" of the main clause before it does not count).
    let denies = |t: &Token| ["no", "nunca", "jamas", "tampoco"].contains(&word(t));
    let clause_ok = (rel + 1..p).all(|k| tokens.get(k).is_some_and(|t| t.is_wordlike() && !t.is_mention()))
        && (rel + 1..end).filter(|&k| k != p).all(|k| {
            tokens
                .get(k)
                .is_some_and(|t| lex_class(t) != Some(Lex::Neg) && !denies(t))
        });
    // Comparatives ("más que _actor_", "la misma … que") and complement clauses after a time
    // or abstract noun ("el lunes que", "la idea de que") are not relatives about a noun.
    const NOT_ANTECEDENT: &[&str] = &[
        "mas",
        "menos",
        "mejor",
        "igual",
        "mismo",
        "misma",
        "mismos",
        "mismas",
        "tanto",
        "tanta",
        "antes",
        "despues",
        "otro",
        "otra",
        "de",
        "en",
        "lunes",
        "martes",
        "miercoles",
        "jueves",
        "viernes",
        "sabado",
        "domingo",
        "dia",
        "semana",
        "mes",
        "ano",
        "momento",
        "vez",
        "hecho",
        "idea",
    ];
    let stop = (rel.saturating_sub(3)..rel).any(|k| tokens.get(k).is_some_and(|t| NOT_ANTECEDENT.contains(&word(t))));
    if !clause_ok || stop {
        return None;
    }
    // The noun phrase before the relative: a determiner and one or two plain words.
    for len in 2..=3 {
        let Some(det) = rel.checked_sub(len) else { break };
        let is_det = tokens
            .get(det)
            .is_some_and(|t| ["el", "la", "los", "las", "un", "una", "su", "sus"].contains(&word(t)));
        if !is_det || !(det + 1..rel).all(plain) {
            continue;
        }
        let gov = det.checked_sub(1)?;
        return tokens
            .get(gov)
            .and_then(lex_class)
            .filter(|c| *c != Lex::Speech)
            .map(|_| Bridge::Antecedent { rel, gov, end });
    }
    None
}

/// The most tokens of a short opening before a fronted object ("Este martes, a _actor_, …").
const FRONT_OPENING: usize = 5;

/// Words that open a clause about the fronted mention: "que …", "quien …", "cuyo …", and after
/// a preposition ("con quien …", "a la que …").
const RELATIVES: &[&str] = &[
    "que", "quien", "quienes", "cuyo", "cuya", "cuyos", "cuyas", "cual", "cuales",
];

/// True when a relative clause starts at token `i`.
fn opens_relative(tokens: &[Token], i: usize) -> bool {
    let w = |k: usize| tokens.get(k).map_or("", word);
    RELATIVES.contains(&w(i))
        || (PREPOSITIONS.contains(&w(i))
            && (RELATIVES.contains(&w(i + 1))
                || (["el", "la", "los", "las"].contains(&w(i + 1)) && RELATIVES.contains(&w(i + 2)))))
}

/// The main clause after a fronted object: the mention at `p` opens its sentence as "A
/// _actor_," (after a short opening and its comma, or not), and a relative clause between
/// commas may follow ("con quien …,"; at most 20 tokens). Returns the range of the clause that
/// comes next, up to its comma or the sentence's end and at most [`REACH`] tokens. `None` for
/// any other mention, and when the relative clause does not close within its sentence.
fn fronted_main_clause(tokens: &[Token], p: usize) -> Option<std::ops::Range<usize>> {
    let a = p.checked_sub(1)?;
    if word(tokens.get(a)?) != "a" || tokens.get(p + 1)?.text != "," {
        return None;
    }
    let starts = |i: usize| i == 0 || tokens.get(i - 1).is_some_and(is_boundary);
    let opens = starts(a)
        || (tokens.get(a.checked_sub(1)?).is_some_and(|t| t.text == ",")
            && (a.saturating_sub(1 + FRONT_OPENING)..a - 1).any(|i| {
                starts(i)
                    && tokens
                        .get(i..a - 1)
                        .is_some_and(|s| !s.is_empty() && s.iter().all(|t| t.is_wordlike() && !t.is_mention()))
            }));
    if !opens {
        return None;
    }
    let end = (p + 2..tokens.len())
        .find(|&k| tokens.get(k).is_some_and(is_boundary))
        .unwrap_or(tokens.len());
    let comma = |k: &usize| tokens.get(*k).is_some_and(|t| t.text == ",");
    let start = if opens_relative(tokens, p + 2) {
        (p + 2..(p + 22).min(end)).find(comma)? + 1
    } else {
        p + 2
    };
    let stop = (start..end).find(comma).unwrap_or(end).min(start + REACH);
    (start < stop).then_some(start..stop)
}

/// Features of how the source and the target stand to each other: which comes first, what
/// kind of lexicon word lies between them, the source's role against the order.
pub fn relation_features(tokens: &[Token], emit: &mut dyn FnMut(String)) {
    let first = |k: TokenKind| tokens.iter().position(|t| t.kind == k);
    let (Some(s), Some(a)) = (first(TokenKind::Source), first(TokenKind::Actor)) else {
        return;
    };
    let order = if s < a { "s<t" } else { "t<s" };
    emit(format!("rel:{order}"));
    let (lo, hi) = if s < a { (s, a) } else { (a, s) };
    let between = tokens.get(lo + 1..hi).unwrap_or(&[]);
    if between.iter().any(is_boundary) {
        emit("rel:apart".to_string());
    }
    // A negated lexicon word counts apart: "Milei no respaldó a Kast" is not a backing.
    for class in [Lex::Pos, Lex::Neg, Lex::Speech] {
        for negated in [false, true] {
            if between
                .iter()
                .any(|t| lex_class(t) == Some(class) && t.negated == negated)
            {
                let neg = if negated { "~" } else { "" };
                emit(format!("rel:{order}:{neg}{}", class.tag()));
            }
        }
    }
    emit(format!(
        "rel:{order}:{}:{}",
        role_of(tokens, s).tag(),
        role_of(tokens, a).tag()
    ));
    if between.iter().any(|t| t.kind == TokenKind::Other) {
        emit(format!("rel:{order}:o"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{ActorMatcher, ActorSet, Mentions, TextConfig, analyze_mentions};

    fn tokens(text: &str, actor: &str, other: &str) -> Vec<Token> {
        let a = ActorMatcher::new(actor, &[] as &[&str]);
        let o = ActorSet::new(&[vec![other.to_string()]]);
        analyze_mentions(
            text,
            &TextConfig::default(),
            &Mentions {
                actor: Some(&a),
                source: None,
                others: Some(&o),
            },
        )
    }

    fn roles(text: &str, actor: &str, other: &str) -> Role {
        let t = tokens(text, actor, other);
        let p = t.iter().position(|t| t.kind == TokenKind::Actor).unwrap_or(0);
        role_of(&t, p)
    }

    /// The role features of "Kast" as the target, with "Petro" a known other actor.
    fn feats(text: &str) -> Vec<String> {
        let t = tokens(text, "Kast", "Petro");
        let mut names = Vec::new();
        role_features(&t, TokenKind::Actor, "t", &mut |n| names.push(n));
        names
    }

    fn relations(text: &str, source: &str, target: &str) -> Vec<String> {
        let (s, a) = (
            ActorMatcher::new(source, &[] as &[&str]),
            ActorMatcher::new(target, &[] as &[&str]),
        );
        let t = analyze_mentions(
            text,
            &TextConfig::default(),
            &Mentions {
                actor: Some(&a),
                source: Some(&s),
                others: None,
            },
        );
        let mut out = Vec::new();
        relation_features(&t, &mut |f| out.push(f));
        out
    }

    #[test]
    fn negated_words_between_source_and_target_count_apart() {
        let backed = relations("Milei respaldó a Kast", "Milei", "Kast");
        assert!(backed.contains(&"rel:s<t:+".to_string()), "{backed:?}");
        let refused = relations("Milei no respaldó a Kast", "Milei", "Kast");
        assert!(refused.contains(&"rel:s<t:~+".to_string()), "{refused:?}");
        assert!(!refused.contains(&"rel:s<t:+".to_string()), "{refused:?}");
        let avoided = relations("Milei evitó respaldar a Kast", "Milei", "Kast");
        assert!(avoided.contains(&"rel:s<t:-".to_string()), "{avoided:?}");
        assert!(avoided.contains(&"rel:s<t:~+".to_string()), "{avoided:?}");
    }

    #[test]
    fn speaker_and_object_differ() {
        assert_eq!(
            roles("Feijóo acusó a Sánchez de mentir", "Feijóo", "Sánchez"),
            Role::Subject
        );
        assert_eq!(
            roles("Feijóo acusó a Sánchez de mentir", "Sánchez", "Feijóo"),
            Role::Object
        );
        assert_eq!(roles("«Es un aliado», dijo Milei", "Milei", "Kast"), Role::Speaker);
        assert_eq!(roles("Kaiser: «Votaré por Kast»", "Kaiser", "Kast"), Role::Speaker);
        assert_eq!(
            roles("Milei, presidente de la Nación, elogió a Kast", "Milei", "Kast"),
            Role::Subject
        );
    }

    #[test]
    fn lexicon_reaches_across_an_apposition() {
        let t = tokens(
            "Milei celebró el triunfo del líder republicano chileno, José Antonio Kast, quien ganó",
            "José Antonio Kast",
            "Milei",
        );
        let mut names = Vec::new();
        role_features(&t, TokenKind::Actor, "t", &mut |n| names.push(n));
        assert!(
            names.iter().any(|n| n == "g:t:celebro<|o" || n == "g:t:celebro<"),
            "{names:?}"
        );
        assert!(names.iter().any(|n| n == "g:t:+<"), "{names:?}");
    }

    #[test]
    fn a_fronted_object_reads_its_main_clause_in_the_usual_order() {
        let fronted = feats("A Kast, con quien se reunió ayer, Petro le dio su apoyo público.");
        let usual = feats("Petro le dio su apoyo público a Kast.");
        for f in ["g:t:+<", "g:t:+<n@obj", "g:t:apoyo<"] {
            assert!(fronted.iter().any(|n| n == f), "{f} not in {fronted:?}");
            assert!(usual.iter().any(|n| n == f), "{f} not in {usual:?}");
        }
        // The clause between the commas is left out: "reunio" governs nothing here.
        assert!(fronted.iter().all(|n| !n.contains("reunio")), "{fronted:?}");
        // After a short opening and its comma too; not in the middle of a sentence.
        let opened = feats("Este martes, a Kast, con quien se reunió ayer, Petro le dio su apoyo.");
        assert!(opened.iter().any(|n| n == "g:t:+<n@obj"), "{opened:?}");
        let main = |text: &str| {
            let t = tokens(text, "Kast", "Petro");
            let p = t.iter().position(|t| t.kind == TokenKind::Actor).unwrap_or_default();
            fronted_main_clause(&t, p).map(|r| {
                let words: Vec<&str> = t.get(r).unwrap_or(&[]).iter().map(|t| t.text.as_str()).collect();
                words.join(" ")
            })
        };
        assert_eq!(
            main("Petro escribió una carta a Kast, con quien habló, y firmó el apoyo."),
            None
        );
        // Without a relative clause the main clause starts right after the comma and ends at
        // the next one.
        let plain = main("A Kast, Petro le dio su apoyo, pero Boric lo criticó.").unwrap_or_default();
        assert!(
            plain.ends_with("le dio su apoyo") && !plain.contains("critico"),
            "{plain}"
        );
        // A relative clause that never closes: nothing to read.
        assert_eq!(main("A Kast, con quien se reunió ayer."), None);
        let rel = main("A Kast, a la que conoce bien, Petro le dio su apoyo.").unwrap_or_default();
        assert!(rel.ends_with("le dio su apoyo") && !rel.contains("conoce"), "{rel}");
        // The reading stops at an actor named after an evaluative word.
        let later = feats("A Kast, con quien habló, la ministra le dio su apoyo y luego criticó a Petro.");
        assert!(later.iter().all(|n| !n.contains("critico")), "{later:?}");
    }

    #[test]
    fn a_relative_clause_next_to_the_name_is_read_past() {
        let bridge = |text: &str| {
            let t = tokens(text, "Kast", "Petro");
            let p = t.iter().position(|t| t.kind == TokenKind::Actor).unwrap_or_default();
            relative_bridge(&t, p)
        };
        // After the name: the main clause reads as if it followed the name.
        let after = "Kast, que inició el lunes una larga gira por el sur del país, recibió el respaldo de Petro.";
        assert!(matches!(bridge(after), Some(Bridge::Clause { .. })));
        let plain = feats("Kast recibió el respaldo de Petro.");
        for f in ["g:t:+>n@gain", "g:t:respaldo>"] {
            assert!(plain.iter().any(|n| n == f), "{f} not in {plain:?}");
            assert!(feats(after).iter().any(|n| n == f), "{f} not in {:?}", feats(after));
        }
        // Before the name: the governing word reads as in "rechazó el plan económico de Kast".
        let before = "Petro rechazó el plan económico que presentó Kast ante el Congreso.";
        assert!(matches!(bridge(before), Some(Bridge::Antecedent { .. })));
        let usual = feats("Petro rechazó el plan económico de Kast ante el Congreso.");
        let got = feats(before);
        for f in ["r:t:obj", "g:t:-<f@obj", "g:t:rechazo<"] {
            assert!(got.iter().any(|n| n == f), "{f} not in {got:?}");
            assert!(usual.iter().any(|n| n == f), "{f} not in {usual:?}");
        }
        // Not a relative about a noun ("dijo que"), not across punctuation, not when the
        // clause itself is negative ("el plan que criticó Kast"), not an unclosed clause.
        assert_eq!(bridge("Petro rechazó que Kast gane."), None);
        assert_eq!(bridge("Petro rechazó el plan, que presentó Kast."), None);
        assert_eq!(bridge("Petro rechazó el plan que criticó Kast."), None);
        assert_eq!(bridge("Kast, que inició el lunes una gira."), None);
        // Nor a clause that opposes or denies in either order, a comparative, or a complement
        // after a time or abstract noun.
        for text in [
            "Petro celebró la ley que Kast rechazó.",
            "Petro elogió la reforma que no apoyó Kast.",
            "Petro critica la reforma más que Kast.",
            "Petro rechaza la misma reforma que Kast.",
            "Petro celebró el lunes que Kast perdiera.",
            "Petro celebró la idea de que Kast se vaya.",
        ] {
            assert_eq!(bridge(text), None, "{text}");
        }
        // A "no" of the main clause does not stop the reading.
        assert!(matches!(
            bridge("Petro no rechazó el plan que presentó Kast."),
            Some(Bridge::Antecedent { .. })
        ));
        // The clause's own words, before or after the name, are not re-read as governing it.
        let after = feats("Petro rechazó el plan que Kast respaldó.");
        assert!(after.iter().all(|n| !n.starts_with("g:t:+")), "{after:?}");
        // The clause's own words keep their reading: "respaldó Kast" is not support received.
        let own = feats("Petro rechazó el plan que respaldó Kast.");
        assert!(own.iter().any(|n| n == "g:t:-<f@obj"), "{own:?}");
        assert!(own.iter().all(|n| !n.starts_with("g:t:+")), "{own:?}");
        assert!(matches!(
            bridge("Petro elogió el plan que presentó Kast."),
            Some(Bridge::Antecedent { .. })
        ));
    }

    #[test]
    fn support_received_reads_apart_from_support_held() {
        let has = |text: &str, f: &str| feats(text).iter().any(|n| n == f);
        let marked = |text: &str| feats(text).iter().any(|n| n.ends_with("@gain") || n.ends_with("@lost"));
        assert!(has("Kast recibió el respaldo de Petro.", "g:t:+>n@gain"));
        assert!(!has("Kast recibió el respaldo de Petro.", "g:t:+>n@subj"));
        assert!(has("Kast respaldó a Petro.", "g:t:+>n@subj"));
        // Also past an adverb or a "no", whatever role the mention was given.
        assert!(has("Kast recibió ayer el respaldo de Petro.", "g:t:+>f@gain"));
        assert!(has("Kast perdió el apoyo de Petro.", "g:t:+>n@lost"));
        let lost = feats("Kast quedó sin el respaldo de Petro.");
        assert!(
            lost.iter().any(|n| n.starts_with("g:t:") && n.ends_with("@lost")),
            "{lost:?}"
        );
        // Giving is not getting; another clause is not the subject's.
        for text in [
            "Kast sumó su apoyo a Petro.",
            "Kast recibió con beneplácito el triunfo de Petro.",
            "Kast fue sumamente crítico con Petro.",
            "Kast, tras recibir a la prensa, criticó a Petro.",
            "Kast quedó en segundo lugar y criticó a Petro.",
        ] {
            assert!(!marked(text), "{text}: {:?}", feats(text));
        }
        let later = feats("Kast recibió el apoyo de Petro y criticó a Boric.");
        assert!(
            later.iter().all(|n| !(n.starts_with("g:t:-") && n.ends_with("@gain"))),
            "{later:?}"
        );
        // A copula: what follows says what the mention, or the phrase it closes, is.
        assert!(has("El triunfo de Kast es una mala noticia.", "g:t:->n@pred"));
        assert!(has("Kast es un aliado de Petro.", "g:t:+>n@pred"));
        // Only after the mention: "Petro sumó el respaldo a Kast" is not Kast's.
        assert!(!marked("Petro sumó el respaldo a Kast."));
    }

    #[test]
    fn quotes_are_not_features_but_quoted_mentions_are_marked() {
        let a = tokens("Kaiser: «Votaré por Kast»", "Kast", "Kaiser");
        let b = tokens("Kaiser: Votaré por Kast", "Kast", "Kaiser");
        assert!(a.iter().all(|t| !t.is_quote()));
        assert_eq!(a.len(), b.len());
        assert!(a.iter().any(|t| t.kind == TokenKind::Actor && t.quoted));
    }
}
