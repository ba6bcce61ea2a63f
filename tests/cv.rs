//! `postura cv` end to end: every row is scored once, labels too rare for the folds count as
//! misses with one warning, per-label F1 is averaged like macro-F1, and the messages for folds
//! that cannot be trained say what to do.

mod common;

use common::{Run, STANCE_HEADER, stance_rows};
use serde_json::Value;
use std::path::Path;

fn cv(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["cv"];
    all.extend_from_slice(args);
    common::run(Some(dir), &all, None, &[])
}

/// The `warning:` lines of a run.
fn warnings(run: &Run) -> Vec<&str> {
    run.stderr.lines().filter(|l| l.starts_with("warning:")).collect()
}

/// Ten distancing and ten neutral statements about Ana Ferrer, and one supportive.
fn rare_csv() -> String {
    let distancing = [
        "La oposición acusa a Ana Ferrer de ocultar las cuentas",
        "El sindicato rechaza de plano el plan de Ana Ferrer",
        "Los vecinos abuchearon a Ana Ferrer a la salida del pleno",
        "El partido retira su confianza a Ana Ferrer",
        "La fiscalía abre una investigación sobre Ana Ferrer",
        "El senador tacha de irresponsable a Ana Ferrer",
        "Los gremios repudian los recortes de Ana Ferrer",
        "La diputada denuncia las mentiras de Ana Ferrer",
        "El alcalde rompe su pacto con Ana Ferrer",
        "La prensa critica la soberbia de Ana Ferrer",
    ];
    let neutral = [
        "Ana Ferrer viaja a Bruselas el martes",
        "Ana Ferrer se reunió con los rectores",
        "La agenda de Ana Ferrer incluye tres visitas",
        "Ana Ferrer presentó el calendario de obras",
        "Ana Ferrer habló por la mañana en la radio",
        "La comitiva de Ana Ferrer llegó al puerto",
        "Ana Ferrer recorrerá dos hospitales del norte",
        "Se publicó el horario del acto de Ana Ferrer",
        "Ana Ferrer firmó el convenio con la universidad",
        "Ana Ferrer asistirá al debate del jueves",
    ];
    let mut s = String::from("text,actor,label\n");
    for t in distancing {
        s.push_str(&format!("{t},Ana Ferrer,distancing\n"));
    }
    for t in neutral {
        s.push_str(&format!("{t},Ana Ferrer,neutral\n"));
    }
    s.push_str("El gremio docente respalda con entusiasmo a Ana Ferrer,Ana Ferrer,supportive\n");
    s
}

fn f64_of(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// The per-label metrics of `label` in one fold's JSON.
fn label_in<'a>(fold: &'a Value, label: &str) -> &'a Value {
    fold["per_label"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["label"] == label))
        .unwrap_or_else(|| panic!("no {label} in {fold}"))
}

#[test]
fn a_label_rarer_than_the_folds_is_scored_as_misses_with_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rare.csv"), rare_csv()).unwrap();
    let run = cv(dir.path(), &["-d", "rare.csv", "--folds", "5", "-f", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let summary: Value = serde_json::from_str(&run.stdout).expect("stdout is one JSON document");
    let folds = summary["per_fold"].as_array().unwrap();
    let scored: u64 = folds.iter().map(|f| f["rows"].as_u64().unwrap()).sum();
    assert_eq!(scored, 21, "every row is scored once");
    // The fold holding the supportive row scores it, against a model that never saw the label.
    let holding: Vec<usize> = (0..folds.len())
        .filter(|&i| label_in(&folds[i], "supportive")["support"] == 1)
        .collect();
    assert_eq!(holding.len(), 1, "{holding:?}");
    let fold = &folds[holding[0]];
    let supportive = label_in(fold, "supportive");
    assert_eq!(f64_of(&supportive["recall"]), 0.0);
    assert_eq!(f64_of(&supportive["f1"]), 0.0);
    assert!(f64_of(&fold["macro_f1"]) <= 2.0 / 3.0 + 1e-12, "{fold}");
    assert!(f64_of(&fold["accuracy"]) < 1.0, "{fold}");
    // Its F1 mean counts only that fold: one fold, F1 0.
    let per_label = summary["per_label_f1"].as_array().unwrap();
    let row = per_label.iter().find(|r| r[0] == "supportive").unwrap();
    assert_eq!((f64_of(&row[1]), row[3].as_u64()), (0.0, Some(1)), "{row}");
    // One warning on stderr names the label and the fold.
    let w = warnings(&run);
    assert_eq!(w.len(), 1, "{}", run.stderr);
    let expected = format!(
        "warning: rare.csv: label 'supportive' has no training rows in fold {} of 5 (its 1 test row there is scored as a miss)",
        holding[0] + 1
    );
    assert!(w[0].starts_with(&expected), "{}", w[0]);
    // The text report says in how many folds the label was scored.
    let run = cv(dir.path(), &["-d", "rare.csv", "--folds", "5"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("(in 1 of 5 folds)"), "{}", run.stdout);
    // --strict turns the warning into an error.
    let run = cv(dir.path(), &["-d", "rare.csv", "--folds", "5", "--strict"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error: rare.csv: --strict: label 'supportive' has no training rows"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn per_label_f1_is_averaged_over_the_folds_holding_the_label() {
    // One row per fold: each fold holds one label, and leaving a label out of the folds where it
    // is absent makes each label's mean its leave-one-out recall, and their weighted mean the
    // accuracy (and macro-F1, which is 1 or 0 per fold).
    let dir = tempfile::tempdir().unwrap();
    let data = format!("{STANCE_HEADER}{}", stance_rows(&[""]));
    std::fs::write(dir.path().join("loo.csv"), data).unwrap();
    let run = cv(dir.path(), &["-d", "loo.csv", "--folds", "30", "-f", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let summary: Value = serde_json::from_str(&run.stdout).unwrap();
    let folds = summary["per_fold"].as_array().unwrap();
    assert_eq!(folds.len(), 30);
    let accuracy = f64_of(&summary["accuracy"][0]);
    assert!((accuracy - f64_of(&summary["macro_f1"][0])).abs() < 1e-12);
    let mut weighted = 0.0;
    for row in summary["per_label_f1"].as_array().unwrap() {
        let label = row[0].as_str().unwrap();
        assert_eq!(row[3].as_u64(), Some(10), "{row}");
        let hits = folds
            .iter()
            .filter(|f| label_in(f, label)["support"] == 1 && f64_of(&f["accuracy"]) == 1.0)
            .count();
        assert!(
            (f64_of(&row[1]) - hits as f64 / 10.0).abs() < 1e-12,
            "{row}: {hits} hits"
        );
        weighted += f64_of(&row[1]) * 10.0 / 30.0;
    }
    assert!((weighted - accuracy).abs() < 1e-12, "{weighted} vs {accuracy}");
}

#[test]
fn two_folds_that_cannot_be_trained_say_what_to_do_instead() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rare.csv"), rare_csv()).unwrap();
    // Grouped by the label itself, some fold trains on a single label, even with 2 folds.
    let run = cv(dir.path(), &["-d", "rare.csv", "--group-col", "label", "--folds", "2"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(!run.stderr.contains("use fewer folds"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "too few for 2 folds (a training fold would hold a single label); 2 folds is the fewest: give label '"
        ) && run
            .stderr
            .contains("rows in more label groups, or group by a column whose groups mix labels"),
        "{}",
        run.stderr
    );
    // More folds than that: fewer folds is the advice.
    std::fs::write(
        dir.path().join("b.csv"),
        "text,label\nhoy llueve,a\nmañana sale el sol,a\nel viernes nieva,a\nel lunes hay niebla,a\nel martes graniza,b\n",
    )
    .unwrap();
    let run = cv(dir.path(), &["-d", "b.csv", "--folds", "3"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("label 'b' has 1 rows: too few for 3 folds"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("; use fewer folds"), "{}", run.stderr);
    let run = cv(dir.path(), &["-d", "b.csv", "--folds", "2"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("label 'b' has 1 rows: too few for 2 folds (a training fold would hold a single label); 2 folds is the fewest: add rows of label 'b'"),
        "{}",
        run.stderr
    );
    // One group only: two folds cannot be made at all.
    let run = cv(dir.path(), &["-d", "rare.csv", "--group-col", "actor", "--folds", "2"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "rare.csv: 1 actor groups but 2 folds, the fewest: cross-validation needs at least 2 actor groups"
        ),
        "{}",
        run.stderr
    );
}
