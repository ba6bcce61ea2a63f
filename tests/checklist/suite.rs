//! Expands the templates of `templates.rs` into test cases (text + actor) and the checks that
//! score them. Deterministic: the actors of each case follow from the template's position in
//! the suite and the repetition number, never from a random draw.

use super::templates::{
    AGENTS, CLAUSES, CONCEDE_TO_REFUSAL, CONCEDE_TO_SUPPORT, FORMS, NEGATED_CRITICISM, NEGATED_SUPPORT, NOT_RULED_OUT,
    PEOPLE, POSITIONS, Person, QUOTED, ROLES, STOPPED_SUPPORT,
};
use std::collections::HashMap;
use std::path::Path;

/// How many actor assignments each MFT, ROLE, quote and DIR template gets.
const REPS: usize = 4;

/// A target actor: the canonical name of `datasets/actors.csv` and the short alias it lists.
pub struct Actor {
    pub name: String,
    pub short: String,
    pub fem: bool,
    pub desc: &'static str,
}

impl Actor {
    fn words(&self) -> Vec<String> {
        self.name
            .split_whitespace()
            .chain(self.short.split_whitespace())
            .map(str::to_lowercase)
            .collect()
    }

    fn shares_words(&self, other: &Actor) -> bool {
        let mine = self.words();
        other.words().iter().any(|w| mine.contains(w))
    }
}

/// The people of [`PEOPLE`] with their short alias from `actors.csv` (the first alias that is
/// a name: capitalized, no @handle or #tag). Panics when a person is missing from the file.
pub fn load_actors(csv_path: &Path) -> Vec<Actor> {
    let mut reader = csv::Reader::from_path(csv_path).unwrap_or_else(|e| panic!("{}: {e}", csv_path.display()));
    let mut aliases: HashMap<String, Vec<String>> = HashMap::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.unwrap_or_else(|e| panic!("{}:{}: {e}", csv_path.display(), i + 2));
        let name = row.get(0).unwrap_or_default().to_string();
        let list = row
            .get(1)
            .unwrap_or_default()
            .split('|')
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        aliases.insert(name, list);
    }
    PEOPLE
        .iter()
        .map(|p: &Person| {
            let list = aliases
                .get(p.name)
                .unwrap_or_else(|| panic!("{} is not in {}", p.name, csv_path.display()));
            let short = list
                .iter()
                .find(|a| {
                    a.chars().next().is_some_and(char::is_uppercase) && !a.contains(['@', '#']) && a.as_str() != p.name
                })
                .cloned()
                .unwrap_or_else(|| p.name.to_string());
            Actor {
                name: p.name.to_string(),
                short,
                fem: p.fem,
                desc: p.desc,
            }
        })
        .collect()
}

/// One statement to label: its text and the actor as written in it.
pub struct Case {
    pub text: String,
    pub actor: String,
}

/// What one check asks of the model's predictions.
pub enum Check {
    /// MFT / ROLE: the case gets this label.
    Label { case: usize, want: &'static str },
    /// INV: both cases get the same label.
    Same { a: usize, b: usize },
    /// DIR: P(label) goes up (or down) from `a` to `b`.
    Moves {
        a: usize,
        b: usize,
        label: &'static str,
        up: bool,
    },
    /// DIR: P(label) > P(over) on the case.
    Leans {
        case: usize,
        label: &'static str,
        over: &'static str,
    },
}

/// A named test: its checks, and the groups whose pooled pass rate it counts toward.
pub struct Test {
    pub kind: &'static str,
    pub name: String,
    pub groups: Vec<String>,
    pub checks: Vec<Check>,
}

pub struct Suite {
    pub cases: Vec<Case>,
    pub tests: Vec<Test>,
    index: HashMap<(String, String), usize>,
}

/// A change of a quoted sentence for the quote-mark tests.
type Change = fn(&str) -> String;

/// Who fills the slots of one rendering.
#[derive(Clone, Copy)]
struct Cast<'a> {
    target: &'a Actor,
    full: bool,
    subject: Subject<'a>,
}

#[derive(Clone, Copy)]
enum Subject<'a> {
    Person(&'a Actor),
    Agent(&'static str),
}

impl Cast<'_> {
    fn surface(&self) -> &str {
        if self.full {
            &self.target.name
        } else {
            &self.target.short
        }
    }
}

/// Fills the slots, contracts "de el" / "a el" and capitalizes the first letter.
fn render(template: &str, cast: &Cast, neg: &str) -> String {
    let subject = match cast.subject {
        Subject::Person(a) => a.short.as_str(),
        Subject::Agent(s) => s,
    };
    let t = cast.target;
    let s = template
        .replace("{T}", cast.surface())
        .replace("{D}", t.desc)
        .replace("{S}", subject)
        .replace("{O}", subject)
        .replace("{lo}", if t.fem { "la" } else { "lo" })
        .replace("{o}", if t.fem { "a" } else { "o" })
        .replace("{NEG}", neg);
    let s = s.replace(" de el ", " del ").replace(" a el ", " al ");
    capitalize(&s)
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "El sindicato…" → "el sindicato…" after a prefix; names keep their capital.
fn lower_first_function_word(s: &str) -> String {
    let first = s.split_whitespace().next().unwrap_or_default();
    if ["El", "La", "Los", "Las", "A", "Con", "En"].contains(&first) {
        let mut chars = s.chars();
        match chars.next() {
            Some(c) => c.to_lowercase().chain(chars).collect(),
            None => String::new(),
        }
    } else {
        s.to_string()
    }
}

impl Suite {
    /// Builds every case and check from the templates, for the actors of `actors`.
    pub fn build(actors: &[Actor]) -> Suite {
        let mut b = Builder {
            actors,
            seed: 0,
            suite: Suite {
                cases: Vec::new(),
                tests: Vec::new(),
                index: HashMap::new(),
            },
        };
        b.mft();
        b.roles();
        b.quotes();
        b.swaps_and_clauses();
        b.negations();
        b.stopped();
        b.concessions();
        b.suite
    }

    fn case(&mut self, text: String, actor: &str) -> usize {
        let key = (text, actor.to_string());
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.cases.len();
        self.cases.push(Case {
            text: key.0.clone(),
            actor: key.1.clone(),
        });
        self.index.insert(key, i);
        i
    }

    fn test(&mut self, kind: &'static str, name: &str, groups: &[&str]) -> usize {
        if let Some(i) = self.tests.iter().position(|t| t.name == name) {
            return i;
        }
        self.tests.push(Test {
            kind,
            name: name.to_string(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
            checks: Vec::new(),
        });
        self.tests.len() - 1
    }
}

struct Builder<'a> {
    actors: &'a [Actor],
    /// Counts templates, so each one gets its own actors.
    seed: usize,
    suite: Suite,
}

impl<'a> Builder<'a> {
    /// The actors of repetition `r` of the current template: the target cycles through the
    /// list, the subject alternates between another actor (sharing no word with the target)
    /// and a generic agent, and the target is written in full one time in three.
    fn cast(&self, r: usize, person_subject: bool) -> Cast<'a> {
        let n = self.actors.len();
        let g = self.seed;
        let ti = (g * 7 + r * 5) % n;
        let target = &self.actors[ti];
        let subject = if person_subject || (g + r).is_multiple_of(2) {
            let mut si = (ti + 1 + (g * 5 + r * 3) % (n - 1)) % n;
            while si == ti || self.actors[si].shares_words(target) {
                si = (si + 1) % n;
            }
            Subject::Person(&self.actors[si])
        } else {
            Subject::Agent(AGENTS[(g * 3 + r) % AGENTS.len()])
        };
        Cast {
            target,
            full: (g + r).is_multiple_of(3),
            subject,
        }
    }

    /// Another actor of the same gender for the swap test, sharing no word with the cast.
    fn swap(&self, cast: &Cast<'a>) -> Cast<'a> {
        let n = self.actors.len();
        let start = self
            .actors
            .iter()
            .position(|a| std::ptr::eq(a, cast.target))
            .unwrap_or(0);
        let other = (1..n)
            .map(|k| &self.actors[(start + k) % n])
            .find(|a| {
                a.fem == cast.target.fem
                    && !a.shares_words(cast.target)
                    && match cast.subject {
                        Subject::Person(s) => !a.shares_words(s),
                        Subject::Agent(_) => true,
                    }
            })
            .unwrap_or(cast.target);
        Cast { target: other, ..*cast }
    }

    fn add_case(&mut self, template: &str, cast: &Cast, neg: &str) -> usize {
        let text = render(template, cast, neg);
        self.suite.case(text, cast.surface())
    }

    fn push(&mut self, test: usize, check: Check) {
        self.suite.tests[test].checks.push(check);
    }

    /// MFT: each label's basic forms at each distance from the name.
    fn mft(&mut self) {
        for form in FORMS {
            for (p, position) in POSITIONS.iter().enumerate() {
                let name = format!("MFT {} / {position}", form.name);
                let by_form = format!("MFT {} ({})", form.name, form.label);
                let by_position = format!("MFT / {position}");
                let t = self.suite.test("MFT", &name, &[&by_form, &by_position, "MFT", "ALL"]);
                for template in form.at(p) {
                    for r in 0..REPS {
                        let cast = self.cast(r, false);
                        let case = self.add_case(template, &cast, "");
                        self.push(t, Check::Label { case, want: form.label });
                    }
                    self.seed += 1;
                }
            }
        }
    }

    /// ROLE: the actor who accuses, praises, thanks… someone else is neutral toward itself.
    fn roles(&mut self) {
        for role in ROLES {
            let name = format!("ROLE {}", role.name);
            let t = self.suite.test("ROLE", &name, &[&name, "ROLE", "ALL"]);
            for template in role.templates {
                for r in 0..REPS {
                    let cast = self.cast(r, true);
                    let case = self.add_case(template, &cast, "");
                    self.push(t, Check::Label { case, want: "neutral" });
                }
                self.seed += 1;
            }
        }
    }

    /// INV: quote marks removed, «» changed to “” and to "".
    fn quotes(&mut self) {
        let variants: [(&str, Change); 3] = [
            ("INV quotes removed", |s| s.replace(['«', '»'], "")),
            ("INV quotes «» → “”", |s| s.replace('«', "“").replace('»', "”")),
            ("INV quotes «» → \"\"", |s| s.replace(['«', '»'], "\"")),
        ];
        let tests: Vec<usize> = variants
            .iter()
            .map(|(name, _)| self.suite.test("INV", name, &[name, "INV", "ALL"]))
            .collect();
        for template in QUOTED {
            for r in 0..REPS {
                // Quotes are attributed to people.
                let cast = self.cast(r, true);
                let a = self.add_case(template, &cast, "");
                let text = self.suite.cases[a].text.clone();
                for ((_, change), &t) in variants.iter().zip(&tests) {
                    let b = self.suite.case(change(&text), cast.surface());
                    self.push(t, Check::Same { a, b });
                }
            }
            self.seed += 1;
        }
    }

    /// INV: the target swapped for another actor; a neutral clause added. On the MFT templates,
    /// with other actors than the MFT cases themselves (repetitions past [`REPS`]).
    fn swaps_and_clauses(&mut self) {
        let swap = self
            .suite
            .test("INV", "INV actor swapped", &["INV actor swapped", "INV", "ALL"]);
        let clause_tests: Vec<usize> = CLAUSES
            .iter()
            .map(|(name, _, _)| {
                let name = format!("INV clause + {name}");
                self.suite.test("INV", &name, &[&name, "INV", "ALL"])
            })
            .collect();
        let mut k: usize = 0;
        for form in FORMS {
            for p in 0..POSITIONS.len() {
                for template in form.at(p) {
                    let cast = self.cast(REPS, false);
                    let a = self.add_case(template, &cast, "");
                    let other = self.swap(&cast);
                    let b = self.add_case(template, &other, "");
                    self.push(swap, Check::Same { a, b });
                    if k.is_multiple_of(2) {
                        let cast = self.cast(REPS + 1, false);
                        let a = self.add_case(template, &cast, "");
                        let text = self.suite.cases[a].text.clone();
                        let speech = form.label != "neutral";
                        for (&(_, prefix, suffix), &t) in CLAUSES.iter().zip(&clause_tests) {
                            // "en declaraciones a la prensa" only where someone speaks; "este
                            // martes" only where no other day is named.
                            if (suffix.contains("declaraciones") && !speech)
                                || (prefix.contains("martes") && names_a_day(template))
                            {
                                continue;
                            }
                            let body = text.strip_suffix('.').unwrap_or(&text);
                            let changed = if prefix.is_empty() {
                                format!("{body}{suffix}.")
                            } else {
                                format!("{prefix}{}.", lower_first_function_word(body))
                            };
                            let b = self.suite.case(changed, cast.surface());
                            self.push(t, Check::Same { a, b });
                        }
                    }
                    k += 1;
                    self.seed += 1;
                }
            }
        }
    }

    /// INV: a concessive clause that goes against the main clause keeps the label (the main
    /// clause wins): refusals of support conceding closeness, support conceding differences;
    /// the clause after the main clause and, fronted, before it.
    fn concessions(&mut self) {
        let name = "INV concession against the main clause";
        let t = self.suite.test("INV", name, &[name, "INV", "ALL"]);
        for template in NEGATED_SUPPORT {
            for r in 0..REPS {
                let cast = self.cast(r, false);
                for (neg, clauses) in [("", CONCEDE_TO_SUPPORT), ("no ", CONCEDE_TO_REFUSAL)] {
                    let a = self.add_case(template, &cast, neg);
                    let text = self.suite.cases[a].text.clone();
                    let body = text.strip_suffix('.').unwrap_or(&text);
                    let clause = clauses[(r + self.seed) % clauses.len()];
                    let after = self.suite.case(format!("{body}{clause}."), cast.surface());
                    self.push(t, Check::Same { a, b: after });
                    // ", pese a …" → "Pese a …, " before the main clause.
                    let inner = clause.trim_start_matches(", ");
                    let mut chars = inner.chars();
                    let fronted: String = match chars.next() {
                        Some(c) => c.to_uppercase().chain(chars).collect(),
                        None => continue,
                    };
                    let before = format!("{fronted}, {}.", lower_first_function_word(body));
                    let before = self.suite.case(before, cast.surface());
                    self.push(t, Check::Same { a, b: before });
                }
            }
            self.seed += 1;
        }
    }

    /// DIR: negated support and criticism, and "no descartó apoyar".
    fn negations(&mut self) {
        let sup_down = self.dir("DIR negated support lowers P(supportive)");
        let dist_up = self.dir("DIR negated support raises P(distancing)");
        for template in NEGATED_SUPPORT {
            for r in 0..REPS {
                let cast = self.cast(r, false);
                let a = self.add_case(template, &cast, "");
                let b = self.add_case(template, &cast, "no ");
                self.push(sup_down, moves(a, b, "supportive", false));
                self.push(dist_up, moves(a, b, "distancing", true));
            }
            self.seed += 1;
        }
        let dist_down = self.dir("DIR negated criticism lowers P(distancing)");
        for template in NEGATED_CRITICISM {
            for r in 0..REPS {
                let cast = self.cast(r, false);
                let a = self.add_case(template, &cast, "");
                let b = self.add_case(template, &cast, "no ");
                self.push(dist_down, moves(a, b, "distancing", false));
            }
            self.seed += 1;
        }
        let leans = self.dir("DIR no descartó apoyar: P(supportive) > P(distancing)");
        let rises = self.dir("DIR descartó → no descartó raises P(supportive)");
        for template in NOT_RULED_OUT {
            for r in 0..REPS {
                let cast = self.cast(r, false);
                let a = self.add_case(template, &cast, "");
                let b = self.add_case(template, &cast, "no ");
                self.push(
                    leans,
                    Check::Leans {
                        case: b,
                        label: "supportive",
                        over: "distancing",
                    },
                );
                self.push(rises, moves(a, b, "supportive", true));
            }
            self.seed += 1;
        }
    }

    /// DIR: "dejó de apoyar" withdraws support; "nunca dejó de apoyar" keeps it.
    fn stopped(&mut self) {
        let falls = self.dir("DIR volvió a → dejó de lowers P(supportive)");
        let rises = self.dir("DIR dejó de → nunca dejó de raises P(supportive)");
        for template in STOPPED_SUPPORT {
            for r in 0..REPS {
                let cast = self.cast(r, false);
                let again = self.add_case(template, &cast, "volvió a ");
                let stopped = self.add_case(template, &cast, "dejó de ");
                let never = self.add_case(template, &cast, "nunca dejó de ");
                self.push(falls, moves(again, stopped, "supportive", false));
                self.push(rises, moves(stopped, never, "supportive", true));
            }
            self.seed += 1;
        }
    }

    fn dir(&mut self, name: &str) -> usize {
        self.suite.test("DIR", name, &[name, "DIR", "ALL"])
    }
}

fn names_a_day(template: &str) -> bool {
    ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
        .iter()
        .any(|d| template.contains(d))
}

fn moves(a: usize, b: usize, label: &'static str, up: bool) -> Check {
    Check::Moves { a, b, label, up }
}
