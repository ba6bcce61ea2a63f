//! Behavioural tests of the stance model, CheckList style (Ribeiro et al., ACL 2020; issue 15):
//! templates written for this suite (`checklist/templates.rs`) are expanded into cases
//! (`checklist/suite.rs`), labeled by the `postura` binary through `predict --input`, and
//! scored as pass rates:
//! - INV (invariance): the pair keeps its label;
//! - DIR (directional): a probability moves the right way between the pair, or one label's
//!   probability beats another's;
//! - MFT (minimum functionality) and ROLE: the case gets the expected label.
//!
//! Runs against any model: `POSTURA_CHECKLIST_MODEL=path` (else the embedded default model;
//! relative paths here and below are relative to the package root, where cargo runs tests).
//! `POSTURA_CHECKLIST_JSON=path` writes the per-test and per-group rates (with a few failing
//! cases per test); `POSTURA_CHECKLIST_CASES=path` writes every case with its prediction.
//! The table prints with `--nocapture` (or `benches/checklist.sh [MODEL]`). Each group's pooled
//! pass rate must reach its threshold in [`THRESHOLDS`]: set a little below what the default
//! model scores, they guard against regressions.

mod common;
#[path = "checklist/suite.rs"]
mod suite;
#[path = "checklist/templates.rs"]
mod templates;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use suite::{Check, Suite};

/// Minimum pooled pass rate of each group; every group of the suite must be listed. Set at the
/// embedded default model's rate minus 0.03, rounded down to a multiple of 0.05 (its rate and
/// count in the comment); raise them when a better model lands.
const THRESHOLDS: &[(&str, f64)] = &[
    ("ALL", 0.85),                                                   // 0.903 (1396/1546)
    ("INV", 0.90),                                                   // 0.959 (654/682)
    ("INV actor swapped", 0.90),                                     // 0.962 (127/132)
    ("INV concession against the main clause", 0.90),                // 0.969 (186/192)
    ("INV clause + en declaraciones a la prensa", 0.90),             // 0.938 (45/48)
    ("INV clause + este martes", 0.75),                              // 0.808 (42/52)
    ("INV clause + según fuentes oficiales", 0.90),                  // 0.939 (62/66)
    ("INV quotes removed", 0.95),                                    // 1.000 (64/64)
    ("INV quotes «» → \"\"", 0.95),                                  // 1.000 (64/64)
    ("INV quotes «» → “”", 0.95),                                    // 1.000 (64/64)
    ("DIR", 0.95),                                                   // 1.000 (256/256)
    ("DIR dejó de → nunca dejó de raises P(supportive)", 0.95),      // 1.000 (24/24)
    ("DIR descartó → no descartó raises P(supportive)", 0.95),       // 1.000 (32/32)
    ("DIR negated criticism lowers P(distancing)", 0.95),            // 1.000 (48/48)
    ("DIR negated support lowers P(supportive)", 0.95),              // 1.000 (48/48)
    ("DIR negated support raises P(distancing)", 0.95),              // 1.000 (48/48)
    ("DIR no descartó apoyar: P(supportive) > P(distancing)", 0.95), // 1.000 (32/32)
    ("DIR volvió a → dejó de lowers P(supportive)", 0.95),           // 1.000 (24/24)
    ("MFT", 0.75),                                                   // 0.797 (421/528)
    ("MFT / adjacent", 0.85),                                        // 0.917 (121/132)
    ("MFT / apposition", 0.70),                                      // 0.742 (98/132)
    ("MFT / fronted object", 0.70),                                  // 0.758 (100/132)
    ("MFT / relative clause", 0.70),                                 // 0.773 (102/132)
    ("MFT accusation (distancing)", 0.80),                           // 0.833 (40/48)
    ("MFT agenda (neutral)", 0.75),                                  // 0.812 (39/48)
    ("MFT alliance (supportive)", 0.65),                             // 0.688 (33/48)
    ("MFT breaking ties (distancing)", 0.75),                        // 0.792 (38/48)
    ("MFT criticism (distancing)", 0.70),                            // 0.750 (36/48)
    ("MFT endorsement (supportive)", 0.75),                          // 0.792 (38/48)
    ("MFT meetings (neutral)", 0.75),                                // 0.792 (38/48)
    ("MFT praise (supportive)", 0.90),                               // 0.938 (45/48)
    ("MFT refusal (distancing)", 0.80),                              // 0.833 (40/48)
    ("MFT results (neutral)", 0.75),                                 // 0.792 (38/48)
    ("MFT thanks (supportive)", 0.70),                               // 0.750 (36/48)
    ("ROLE", 0.75),                                                  // 0.812 (65/80)
    ("ROLE speaker accuses", 0.95),                                  // 1.000 (16/16)
    ("ROLE speaker criticizes", 0.70),                               // 0.750 (12/16)
    ("ROLE speaker endorses", 0.70),                                 // 0.750 (12/16)
    ("ROLE speaker praises", 0.50),                                  // 0.562 (9/16)
    ("ROLE speaker thanks", 0.95),                                   // 1.000 (16/16)
];

/// One prediction: the label and the probability of each label.
struct Pred {
    label: String,
    probs: HashMap<String, f64>,
}

impl Pred {
    fn p(&self, label: &str) -> f64 {
        *self
            .probs
            .get(label)
            .unwrap_or_else(|| panic!("the model has no label {label:?}"))
    }
}

/// Labels the cases with the binary: `predict --input CASES.csv … --format jsonl [-m MODEL]`.
fn predict(suite: &Suite, dir: &Path, model: Option<&str>) -> Vec<Pred> {
    let input = dir.join("cases.csv");
    let mut w = csv::Writer::from_path(&input).expect("cases.csv");
    w.write_record(["text", "actor"]).expect("header");
    for c in &suite.cases {
        w.write_record([&c.text, &c.actor]).expect("row");
    }
    w.flush().expect("cases.csv written");
    let input = input.to_string_lossy().into_owned();
    let mut args = vec![
        "predict",
        "--input",
        &input,
        "--text-col",
        "text",
        "--actor-col",
        "actor",
        "--format",
        "jsonl",
    ];
    if let Some(m) = model {
        args.extend(["-m", m]);
    }
    let run = common::run(None, &args, None, &[]);
    assert_eq!(run.code, Some(0), "postura predict failed: {}", run.stderr);
    let rows = run.json();
    assert_eq!(rows.len(), suite.cases.len(), "one prediction per case");
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            // Line 1 is the header, so case i is on line i + 2.
            assert_eq!(row["line"].as_u64(), Some(i as u64 + 2), "{row}");
            assert_eq!(row["actor"].as_str(), Some(suite.cases[i].actor.as_str()));
            assert_eq!(row["mentioned"].as_bool(), Some(true), "actor not found: {row}");
            let probs = row["probabilities"]
                .as_object()
                .unwrap_or_else(|| panic!("no probabilities: {row}"))
                .iter()
                .map(|(k, v)| (k.clone(), v.as_f64().unwrap_or(f64::NAN)))
                .collect();
            Pred {
                label: row["label"].as_str().unwrap_or_default().to_string(),
                probs,
            }
        })
        .collect()
}

/// Whether a check passes, and a line that says what the model did.
fn score(check: &Check, suite: &Suite, preds: &[Pred]) -> (bool, String) {
    let show = |i: usize| format!("{:?} → {}", suite.cases[i].text, preds[i].label);
    match *check {
        Check::Label { case, want } => (preds[case].label == want, format!("{} (want {want})", show(case))),
        Check::Same { a, b } => (preds[a].label == preds[b].label, format!("{} | {}", show(a), show(b))),
        Check::Moves { a, b, label, up } => {
            let (pa, pb) = (preds[a].p(label), preds[b].p(label));
            let pass = if up { pb > pa } else { pb < pa };
            let way = if up { "up" } else { "down" };
            (
                pass,
                format!("{} | {}: P({label}) {pa:.3} → {pb:.3} (want {way})", show(a), show(b)),
            )
        }
        Check::Leans { case, label, over } => {
            let (pl, po) = (preds[case].p(label), preds[case].p(over));
            (
                pl > po,
                format!("{}: P({label}) {pl:.3}, P({over}) {po:.3}", show(case)),
            )
        }
    }
}

struct Rate {
    n: usize,
    passed: usize,
}

impl Rate {
    fn rate(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.passed as f64 / self.n as f64
        }
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) {
    let tmp = path.with_extension("tmp-checklist");
    std::fs::write(&tmp, bytes).unwrap_or_else(|e| panic!("{}: {e}", tmp.display()));
    std::fs::rename(&tmp, path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn env_path(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn build_suite() -> Suite {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Suite::build(&suite::load_actors(&root.join("datasets/actors.csv")))
}

/// The suite itself, without a model: the same cases every time, every slot filled, the actor
/// written in its text, every pair two different cases, no tiny test, the counts documented
/// in benches/README.md.
#[test]
fn suite_is_deterministic_and_well_formed() {
    let suite = build_suite();
    let again = build_suite();
    assert!(
        suite
            .cases
            .iter()
            .zip(&again.cases)
            .all(|(a, b)| a.text == b.text && a.actor == b.actor),
        "two builds differ"
    );
    for c in &suite.cases {
        assert!(c.text.contains(&c.actor), "{:?} not in {:?}", c.actor, c.text);
    }
    let per_kind = |kind: &str| -> (usize, usize) {
        let tests: Vec<_> = suite.tests.iter().filter(|t| t.kind == kind).collect();
        (tests.len(), tests.iter().map(|t| t.checks.len()).sum())
    };
    assert_eq!(per_kind("INV"), (8, 682));
    assert_eq!(per_kind("DIR"), (7, 256));
    assert_eq!(per_kind("MFT"), (44, 528));
    assert_eq!(per_kind("ROLE"), (5, 80));
    assert_eq!(suite.cases.len(), 1972);
    assert!(
        suite
            .tests
            .iter()
            .filter(|t| t.kind == "MFT")
            .all(|t| t.checks.len() == 12),
        "every MFT form x distance has 3 templates x 4 casts"
    );
    for c in &suite.cases {
        assert!(!c.text.contains(['{', '}']), "unfilled slot: {}", c.text);
    }
    for t in &suite.tests {
        assert!(t.checks.len() >= 12, "{}: only {} checks", t.name, t.checks.len());
        for check in &t.checks {
            if let Check::Same { a, b } | Check::Moves { a, b, .. } = *check {
                assert_ne!(a, b, "{}: a pair of one case: {}", t.name, suite.cases[a].text);
            }
        }
    }
}

#[test]
fn checklist_pass_rates() {
    let suite = build_suite();
    // cargo runs tests in the package root, so a relative path is relative to it.
    let model = env_path("POSTURA_CHECKLIST_MODEL").map(|m| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        root.join(m).to_string_lossy().into_owned()
    });
    let dir = tempfile::tempdir().expect("temporary directory");
    let preds = predict(&suite, dir.path(), model.as_deref());

    // Per test, then pooled per group.
    let mut tests = Vec::new();
    let mut groups: BTreeMap<&str, Rate> = BTreeMap::new();
    let mut overall = Rate { n: 0, passed: 0 };
    for t in &suite.tests {
        let scored: Vec<(bool, String)> = t.checks.iter().map(|c| score(c, &suite, &preds)).collect();
        let rate = Rate {
            n: scored.len(),
            passed: scored.iter().filter(|(ok, _)| *ok).count(),
        };
        for g in &t.groups {
            let e = groups.entry(g.as_str()).or_insert(Rate { n: 0, passed: 0 });
            e.n += rate.n;
            e.passed += rate.passed;
        }
        overall.n += rate.n;
        overall.passed += rate.passed;
        let failures: Vec<String> = scored
            .into_iter()
            .filter(|(ok, _)| !ok)
            .map(|(_, s)| s)
            .take(5)
            .collect();
        tests.push((t, rate, failures));
    }
    let thresholds: HashMap<&str, f64> = THRESHOLDS.iter().copied().collect();

    let model_name = model.clone().unwrap_or_else(|| "default (embedded)".to_string());
    println!(
        "\nCheckList: model {model_name}; {} cases, {} checks in {} tests",
        suite.cases.len(),
        overall.n,
        suite.tests.len()
    );
    println!("\n| test | kind | n | pass rate |\n|---|---|---|---|");
    for (t, r, _) in &tests {
        println!("| {} | {} | {} | {:.3} |", t.name, t.kind, r.n, r.rate());
    }
    println!("\n| group | n | pass rate | threshold |\n|---|---|---|---|");
    let mut below = Vec::new();
    for (g, r) in &groups {
        let min = thresholds.get(g).copied();
        let mark = match min {
            Some(m) if r.rate() + 1e-9 < m => {
                below.push(format!("{g}: {:.3} < {m:.2}", r.rate()));
                " ✗"
            }
            Some(_) => "",
            None => {
                below.push(format!("{g}: no threshold in THRESHOLDS"));
                " ?"
            }
        };
        let min = min.map_or("-".to_string(), |m| format!("{m:.2}"));
        println!("| {g} | {} | {:.3} | {min}{mark} |", r.n, r.rate());
    }

    for (g, _) in THRESHOLDS {
        if !groups.contains_key(g) {
            below.push(format!("{g}: in THRESHOLDS but not a group of the suite"));
        }
    }

    if let Some(path) = env_path("POSTURA_CHECKLIST_JSON") {
        let json = serde_json::json!({
            "model": model_name,
            "cases": suite.cases.len(),
            "checks": overall.n,
            "overall": overall.rate(),
            "tests": tests.iter().map(|(t, r, f)| serde_json::json!({
                "name": t.name, "kind": t.kind, "n": r.n, "passed": r.passed,
                "rate": r.rate(), "groups": t.groups, "failures": f,
            })).collect::<Vec<_>>(),
            "groups": groups.iter().map(|(g, r)| serde_json::json!({
                "name": g, "n": r.n, "passed": r.passed, "rate": r.rate(),
                "threshold": thresholds.get(g),
            })).collect::<Vec<_>>(),
        });
        let text = serde_json::to_string_pretty(&json).expect("JSON");
        write_atomic(Path::new(&path), format!("{text}\n").as_bytes());
        println!("\nwrote {path}");
    }
    if let Some(path) = env_path("POSTURA_CHECKLIST_CASES") {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["text", "actor", "label", "distancing", "neutral", "supportive"])
            .expect("header");
        for (c, p) in suite.cases.iter().zip(&preds) {
            let f = |l: &str| p.probs.get(l).map_or(String::new(), |v| format!("{v:.4}"));
            w.write_record([
                c.text.clone(),
                c.actor.clone(),
                p.label.clone(),
                f("distancing"),
                f("neutral"),
                f("supportive"),
            ])
            .expect("row");
        }
        write_atomic(Path::new(&path), &w.into_inner().expect("CSV"));
        println!("wrote {path}");
    }

    assert!(
        suite.cases.len() >= 300,
        "the suite shrank to {} cases",
        suite.cases.len()
    );
    assert!(below.is_empty(), "groups below their thresholds:\n{}", below.join("\n"));
}
