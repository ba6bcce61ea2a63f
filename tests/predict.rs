//! `postura predict` end to end: what it reads from an input file (texts and actors, never
//! labels), how its output rows line up with the input lines, which actor it reads a statement
//! toward, and the flag combinations it refuses.

mod common;

use common::{Run, STANCE_HEADER, stance_rows};
use serde_json::Value;
use std::path::Path;

/// A temporary directory with `m.postura`, trained on generated statements toward Marta Ruiz
/// with `extra` training flags.
fn with_model(extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = format!("{STANCE_HEADER}{}", stance_rows(&["", " en el pleno"]));
    std::fs::write(dir.path().join("train.csv"), data).unwrap();
    let mut args = vec!["train", "--data", "train.csv", "-o", "m.postura", "-q"];
    args.extend_from_slice(extra);
    let run = common::run(Some(dir.path()), &args, None, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    dir
}

fn postura(dir: &Path, args: &[&str]) -> Run {
    common::run(Some(dir), args, None, &[])
}

#[track_caller]
fn assert_ok(run: &Run) {
    assert_eq!(run.code, Some(0), "stderr:\n{}", run.stderr);
}

/// The texts of JSON lines, in order.
fn texts(rows: &[Value]) -> Vec<&str> {
    rows.iter().map(|r| r["text"].as_str().unwrap_or("")).collect()
}

#[test]
fn input_labels_are_not_read_by_predict_but_are_by_eval() {
    let dir = with_model(&[]);
    std::fs::write(
        dir.path().join("in.csv"),
        "text,actor,label\n\
         La alianza respalda a Marta Ruiz,Marta Ruiz,supportive\n\
         Los vecinos se reunieron con Marta Ruiz,Marta Ruiz,\n\
         El gremio critica con dureza a Marta Ruiz,Marta Ruiz,QUIZÁS\n",
    )
    .unwrap();
    let run = postura(
        dir.path(),
        &["predict", "-m", "m.postura", "--input", "in.csv", "-f", "jsonl"],
    );
    assert_ok(&run);
    assert_eq!(
        texts(&run.json()),
        vec![
            "La alianza respalda a Marta Ruiz",
            "Los vecinos se reunieron con Marta Ruiz",
            "El gremio critica con dureza a Marta Ruiz"
        ]
    );
    let run = postura(dir.path(), &["eval", "-m", "m.postura", "--data", "in.csv"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("error: in.csv:3: empty label"), "{}", run.stderr);
}

#[test]
fn rows_from_a_file_carry_their_line_and_empty_texts_are_reported_by_line() {
    let dir = tempfile::tempdir().unwrap();
    // Line 3 has no text; the quoted text of the third row spans lines 4 and 5.
    std::fs::write(
        dir.path().join("in.csv"),
        "text,actor\n\
         La diputada elogia la gestión de Marta Ruiz,Marta Ruiz\n\
         ,Marta Ruiz\n\
         \"El gremio no apoyará\n a Marta Ruiz\",Marta Ruiz\n\
         Los vecinos entrevistaron a Marta Ruiz,Marta Ruiz\n",
    )
    .unwrap();
    let run = postura(dir.path(), &["predict", "--input", "in.csv", "-f", "jsonl"]);
    assert_ok(&run);
    let rows = run.json();
    let lines: Vec<Option<u64>> = rows.iter().map(|r| r["line"].as_u64()).collect();
    assert_eq!(lines, vec![Some(2), Some(4), Some(6)]);
    assert_eq!(texts(&rows)[2], "Los vecinos entrevistaron a Marta Ruiz");
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        vec!["warning: in.csv:3: empty text: row skipped, no prediction"]
    );
    // CSV and table output lead with the line.
    let run = postura(dir.path(), &["predict", "--input", "in.csv", "-f", "csv"]);
    assert_ok(&run);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    assert_eq!(reader.headers().unwrap().get(0), Some("line"));
    let firsts: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(firsts, vec!["2", "4", "6"], "{}", run.stdout);
    let run = postura(dir.path(), &["predict", "--input", "in.csv", "-f", "table"]);
    assert_ok(&run);
    assert!(run.stdout.starts_with("line  label"), "{}", run.stdout);
    // --strict makes the skipped row an error.
    let run = postura(dir.path(), &["predict", "--input", "in.csv", "--strict"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("in.csv: --strict: 1 row with empty text skipped (line 3)"),
        "{}",
        run.stderr
    );
    // Statements given as arguments have no line; stdin lines keep theirs past blank lines.
    let run = postura(dir.path(), &["predict", "-f", "jsonl", "Marta Ruiz visitó el puerto"]);
    assert_ok(&run);
    assert!(run.json()[0].get("line").is_none(), "{}", run.stdout);
    let stdin = "Marta Ruiz visitó el puerto\n\n  \nEl gremio critica a Marta Ruiz\n";
    let run = common::run(
        Some(dir.path()),
        &["predict", "-f", "jsonl", "--actor", "Marta Ruiz"],
        Some(stdin.as_bytes()),
        &[],
    );
    assert_ok(&run);
    let lines: Vec<Option<u64>> = run.json().iter().map(|r| r["line"].as_u64()).collect();
    assert_eq!(lines, vec![Some(1), Some(4)], "{}", run.stdout);
}

/// The one JSON row of `predict -m m.postura -f jsonl ARGS…`.
fn predict_one(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["predict", "-m", "m.postura", "-f", "jsonl"];
    all.extend_from_slice(args);
    let run = postura(dir, &all);
    assert_ok(&run);
    let mut rows = run.json();
    assert_eq!(rows.len(), 1, "{}", run.stdout);
    rows.remove(0)
}

#[test]
fn a_model_trained_toward_one_actor_reads_statements_toward_it_with_its_aliases() {
    let dir = with_model(&["--actor", "Marta Ruiz", "--alias", "la alcaldesa"]);
    let d = dir.path();
    let text = "La alcaldesa inauguró el mercado del barrio";
    let row = predict_one(d, &[text]);
    assert_eq!(
        (row["actor"].as_str(), row["mentioned"].as_bool()),
        (Some("Marta Ruiz"), Some(true))
    );
    // The same on stdin and from a file with no actor column.
    let run = common::run(
        Some(d),
        &["predict", "-m", "m.postura"],
        Some(format!("{text}\n").as_bytes()),
        &[],
    );
    assert_ok(&run);
    assert_eq!(run.json()[0]["actor"], "Marta Ruiz");
    assert_eq!(run.json()[0]["mentioned"], true);
    std::fs::write(d.join("in.csv"), format!("text\n{text}\n")).unwrap();
    let row = predict_one(d, &["--input", "in.csv"]);
    assert_eq!(
        (row["actor"].as_str(), row["mentioned"].as_bool()),
        (Some("Marta Ruiz"), Some(true))
    );
    // Naming the model's actor (case and accents aside) keeps its aliases; another actor does
    // not get them.
    let row = predict_one(d, &["--actor", "Marta Ruiz", text]);
    assert_eq!(row["mentioned"], true);
    let row = predict_one(d, &["--actor", "MARTA RUÍZ", text]);
    assert_eq!(row["mentioned"], true);
    // As in training and eval, the model's actor wins over a file's actor column unless
    // --actor-col names it.
    std::fs::write(
        d.join("other.csv"),
        "text,actor
Pedro Gil visitó el mercado,Pedro Gil
",
    )
    .unwrap();
    let row = predict_one(d, &["--input", "other.csv"]);
    assert_eq!(row["actor"], "Marta Ruiz");
    let row = predict_one(d, &["--input", "other.csv", "--actor-col", "actor"]);
    assert_eq!(
        (row["actor"].as_str(), row["mentioned"].as_bool()),
        (Some("Pedro Gil"), Some(true))
    );
    let row = predict_one(d, &["--actor", "Pedro Gil", text]);
    assert_eq!(
        (row["actor"].as_str(), row["mentioned"].as_bool()),
        (Some("Pedro Gil"), Some(false))
    );
    // --alias replaces the model's aliases.
    let row = predict_one(d, &["--alias", "la regidora", text]);
    assert_eq!(
        (row["actor"].as_str(), row["mentioned"].as_bool()),
        (Some("Marta Ruiz"), Some(false))
    );
    let row = predict_one(d, &["--alias", "la regidora", "La regidora inauguró el mercado"]);
    assert_eq!(row["mentioned"], true);
    // A model trained with an actor column has no actor to fall back on.
    let dir = with_model(&[]);
    let row = predict_one(dir.path(), &[text]);
    assert_eq!((row["actor"].as_str(), row["mentioned"].as_bool()), (None, Some(false)));
}

#[test]
fn a_blank_actor_is_refused_as_label_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nota.txt"), "Marta Ruiz visitó el hospital.\n").unwrap();
    for actor in ["", "   "] {
        let expected = format!("error: actor '{actor}' has no word (a letter or digit) to look for\n");
        let run = postura(
            dir.path(),
            &["predict", "--actor", actor, "Marta Ruiz visitó el hospital"],
        );
        assert_eq!((run.code, run.stderr.as_str()), (Some(2), expected.as_str()));
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        let run = postura(dir.path(), &["label", "--actor", actor, "nota.txt"]);
        assert_eq!((run.code, run.stderr.as_str()), (Some(2), expected.as_str()));
    }
}

#[test]
fn explain_is_refused_with_csv_output_and_given_with_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let text = "El gremio critica con dureza a Marta Ruiz";
    let run = postura(
        dir.path(),
        &["predict", "--actor", "Marta Ruiz", "--explain", "3", "-f", "csv", text],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: --explain does not fit -f csv") && run.stderr.contains("use -f jsonl"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let run = postura(
        dir.path(),
        &[
            "predict",
            "--actor",
            "Marta Ruiz",
            "--explain",
            "3",
            "-f",
            "jsonl",
            text,
        ],
    );
    assert_ok(&run);
    let row = &run.json()[0];
    let e = &row["explain"];
    assert_eq!(e["features"].as_array().map(Vec::len), Some(3), "{}", run.stdout);
    // intercept + the features shown + the rest = each label's score, and the label has the top score.
    let labels = ["distancing", "neutral", "supportive"];
    let score = |l: &str| e["score"][l].as_f64().unwrap();
    for l in labels {
        let shown: f64 = e["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["contribution"][l].as_f64().unwrap())
            .sum();
        let sum = e["intercept"][l].as_f64().unwrap() + shown + e["rest"][l].as_f64().unwrap();
        assert!((sum - score(l)).abs() < 1e-3, "{l}: {sum} vs {}", score(l));
    }
    let best = labels.iter().max_by(|a, b| score(a).total_cmp(&score(b))).unwrap();
    assert_eq!(row["label"], *best);
}

/// `predict --source`: the default model answers how the source stands toward the target, and
/// `none` when the source is not named or is the target itself (each with a warning).
#[test]
fn source_to_target_and_none() {
    let ask = |source: &str, text: &str| {
        let r = common::run(
            None,
            &["predict", "--actor", "Kast", "--source", source, "-f", "jsonl", text],
            None,
            &[],
        );
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        (r.json()[0]["label"].as_str().unwrap_or_default().to_string(), r.stderr)
    };
    assert_eq!(ask("Milei", "Milei celebró el triunfo de Kast").0, "supportive");
    assert_eq!(ask("Milei", "Kast celebró el triunfo de Milei").0, "none");
    let (label, warning) = ask("Boric", "Milei celebró el triunfo de Kast");
    assert_eq!(label, "none");
    assert!(warning.contains("appears in none"), "{warning}");
    let (label, warning) = ask("Kast", "Kast celebró el triunfo");
    assert_eq!(label, "none");
    assert!(warning.contains("also the target"), "{warning}");
}
