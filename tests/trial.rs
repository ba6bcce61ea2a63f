//! What a new user's trial of postura found (issue 17), end to end: each finding as the user
//! would expect it — warnings where a run would otherwise mislead, per-row predictions for
//! error analysis, ids carried through, several actors, readable dates, per-command help,
//! the default preset, and generated completions and man page.

mod common;

use common::{Run, STANCE_HEADER, stance_rows};
use std::path::Path;

fn postura(dir: &Path, args: &[&str]) -> Run {
    common::run(Some(dir), args, None, &[])
}

/// A directory with `train.csv` (generated rows toward Marta Ruiz) and `m.postura` trained on it.
fn with_model() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = format!("{STANCE_HEADER}{}", stance_rows(&["", " en el pleno"]));
    std::fs::write(dir.path().join("train.csv"), data).unwrap();
    let run = postura(dir.path(), &["train", "--data", "train.csv", "-o", "m.postura", "-q"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    dir
}

#[test]
fn a_target_column_that_is_not_read_is_not_silent() {
    let dir = tempfile::tempdir().unwrap();
    let rows = stance_rows(&[""]).replace(",Marta Ruiz,", ",Marta Ruiz,x,");
    std::fs::write(dir.path().join("t.csv"), format!("text,target,other,label\n{rows}")).unwrap();
    let run = postura(dir.path(), &["train", "--data", "t.csv", "-o", "m.postura", "-q"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("column 'target' looks like the target actor's but is not read")
            && run.stderr.contains("pass --actor-col target"),
        "{}",
        run.stderr
    );
    let run = postura(
        dir.path(),
        &["train", "--data", "t.csv", "-o", "m.postura", "-q", "--strict"],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    // Named, it is read and nothing is said.
    let run = postura(
        dir.path(),
        &[
            "train",
            "--data",
            "t.csv",
            "-o",
            "m.postura",
            "-q",
            "--actor-col",
            "target",
        ],
    );
    assert_eq!((run.code, run.stderr.as_str()), (Some(0), ""));
}

#[test]
fn predict_warns_about_statements_toward_no_actor_or_not_naming_it() {
    let dir = with_model();
    let run = postura(
        dir.path(),
        &["predict", "-m", "m.postura", "-f", "jsonl", "La reunión terminó tarde"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("warning: 1 statement classified toward no actor"),
        "{}",
        run.stderr
    );
    let run = postura(
        dir.path(),
        &[
            "predict",
            "-m",
            "m.postura",
            "-f",
            "jsonl",
            "--actor",
            "Marta Ruiz",
            "La reunión terminó tarde",
        ],
    );
    assert!(
        run.stderr.contains("1 statement does not name Marta Ruiz"),
        "{}",
        run.stderr
    );
    let run = postura(
        dir.path(),
        &[
            "predict",
            "-m",
            "m.postura",
            "-f",
            "jsonl",
            "--actor",
            "Marta Ruiz",
            "El gremio respalda a Marta Ruiz",
        ],
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn predict_takes_several_actors_and_carries_an_id_column() {
    let dir = with_model();
    let run = postura(
        dir.path(),
        &[
            "predict",
            "-m",
            "m.postura",
            "-f",
            "jsonl",
            "--actor",
            "Marta Ruiz",
            "--actor",
            "Pedro Gil",
            "Marta Ruiz respalda a Pedro Gil",
            "Hola",
        ],
    );
    let rows = run.json();
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["text"].as_str().unwrap(), r["actor"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("Marta Ruiz respalda a Pedro Gil", "Marta Ruiz"),
            ("Marta Ruiz respalda a Pedro Gil", "Pedro Gil"),
            ("Hola", "Marta Ruiz"),
            ("Hola", "Pedro Gil")
        ]
    );
    std::fs::write(
        dir.path().join("in.csv"),
        "url,text\nhttps://a.example/1,El gremio respalda a Marta Ruiz\nhttps://a.example/2,Marta Ruiz viajó\n",
    )
    .unwrap();
    let run = postura(
        dir.path(),
        &[
            "predict",
            "-m",
            "m.postura",
            "-i",
            "in.csv",
            "--id-col",
            "url",
            "--actor",
            "Marta Ruiz",
            "-f",
            "jsonl",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let rows = run.json();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["https://a.example/1", "https://a.example/2"]);
    let run = postura(
        dir.path(),
        &[
            "predict",
            "-m",
            "m.postura",
            "-i",
            "in.csv",
            "--id-col",
            "url",
            "--actor",
            "Marta Ruiz",
            "-f",
            "csv",
        ],
    );
    assert!(run.stdout.starts_with("line,id,text,actor,label,"), "{}", run.stdout);
    let run = postura(
        dir.path(),
        &[
            "predict",
            "-m",
            "m.postura",
            "-i",
            "in.csv",
            "--id-col",
            "uri",
            "--actor",
            "Marta Ruiz",
        ],
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("in.csv:1: no id column 'uri'") && run.stderr.contains("did you mean --id-col url?"),
        "{}",
        run.stderr
    );
    // train, eval and cv read one actor per file.
    let run = postura(
        dir.path(),
        &[
            "train",
            "--data",
            "train.csv",
            "-o",
            "x.postura",
            "--actor",
            "A",
            "--actor",
            "B",
        ],
    );
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.starts_with("error: one --actor per file"), "{}", run.stderr);
}

#[test]
fn eval_and_cv_write_per_row_predictions() {
    let dir = with_model();
    let run = postura(
        dir.path(),
        &[
            "eval",
            "-m",
            "m.postura",
            "--data",
            "train.csv",
            "--predictions",
            "p.csv",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let csv = std::fs::read_to_string(dir.path().join("p.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("line,text,actor,label,predicted,correct,confidence,p_distancing,p_neutral,p_supportive")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 60);
    assert!(
        rows[0].starts_with("2,El sindicato respalda a Marta Ruiz,Marta Ruiz,supportive,"),
        "{}",
        rows[0]
    );
    let run = postura(
        dir.path(),
        &["cv", "--data", "train.csv", "--folds", "3", "--predictions", "oof.csv"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let csv = std::fs::read_to_string(dir.path().join("oof.csv")).unwrap();
    assert!(
        csv.starts_with("line,fold,text,actor,label,predicted,correct,confidence,"),
        "{csv}"
    );
    let folds: std::collections::BTreeSet<&str> = csv.lines().skip(1).map(|l| l.split(',').nth(1).unwrap()).collect();
    assert_eq!(folds.into_iter().collect::<Vec<_>>(), ["1", "2", "3"]);
    assert_eq!(csv.lines().count(), 61);
    let run = postura(
        dir.path(),
        &["cv", "--data", "train.csv", "--predictions", "no/such/dir/p.csv"],
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("the directory no/such/dir does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn label_map_slips_get_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("h.csv"),
        "text,actor,label\nKast gana,Kast,POS\nKast pierde,Kast,NEG\n",
    )
    .unwrap();
    let run = postura(
        dir.path(),
        &[
            "train",
            "--data",
            "h.csv",
            "-o",
            "m.postura",
            "--label-map",
            "POS=suportive,NEG=distancing",
        ],
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .contains("'suportive' is not one of postura's labels; did you mean 'supportive'?"),
        "{}",
        run.stderr
    );
    let run = postura(
        dir.path(),
        &[
            "train",
            "--data",
            "h.csv",
            "-o",
            "m.postura",
            "--label-map",
            "PSO=supportive,NEG=distancing",
        ],
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("h.csv:2: label 'POS' is not covered")
            && run.stderr.contains("'PSO' in the map a slip for 'POS'?"),
        "{}",
        run.stderr
    );
}

#[test]
fn help_is_per_command_and_says_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let predict = postura(dir.path(), &["predict", "--help"]).stdout;
    for absent in ["--label-col", "--label-map"] {
        assert!(!predict.contains(absent), "predict --help lists {absent}");
    }
    let train = postura(dir.path(), &["train", "--help"]).stdout;
    assert!(train.contains("--label-map") && train.contains("--preset"), "{train}");
    assert!(
        train.contains("Spanish Snowball stemmer [default: off; on in --preset default]"),
        "{train}"
    );
    let label = postura(dir.path(), &["label", "--help"]).stdout;
    assert!(
        label.contains("confidence = (sum of p(stance) + 1/3) / (n + 1)"),
        "{label}"
    );
}

#[test]
fn every_command_teaches_by_example_with_flags_it_has() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["train", "predict", "eval", "cv", "inspect", "label"] {
        let help = postura(dir.path(), &[cmd, "--help"]).stdout;
        let (options, examples) = help
            .split_once("Examples:")
            .unwrap_or_else(|| panic!("{cmd} --help has no examples:\n{help}"));
        let mut shown = 0;
        for line in examples.lines().filter(|l| l.contains(&format!("postura {cmd}"))) {
            shown += 1;
            // Flags of the example (before any comment), each one the command lists.
            let code = line.split("  #").next().unwrap_or(line);
            for flag in code.split_whitespace().filter(|w| w.starts_with("--")) {
                let flag = flag.split('=').next().unwrap_or(flag);
                assert!(
                    options.contains(flag),
                    "{cmd} --help: example flag {flag} is not an option"
                );
            }
        }
        assert!(shown >= 2, "{cmd} --help shows {shown} examples");
    }
}

#[test]
fn inspect_shows_dates_as_dates() {
    let dir = tempfile::tempdir().unwrap();
    let run = postura(dir.path(), &["inspect", "--top", "1"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let line = run.stdout.lines().find(|l| l.starts_with("postura ")).unwrap_or("");
    assert!(line.ends_with("created 2026-01-01 (UTC)"), "{line}");
    assert!(!run.stdout.contains("unix time"));
    assert!(
        run.stdout.contains("\ndev          no held-out score in the card"),
        "{}",
        run.stdout
    );
    let run = postura(dir.path(), &["inspect", "-f", "json", "--top", "1"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["created"], "2026-01-01");
}

#[test]
fn completions_and_man_page_come_from_the_flags() {
    let dir = tempfile::tempdir().unwrap();
    for (what, needle) in [
        ("complete-bash", "--min-confidence"),
        ("complete-zsh", "--min-confidence"),
        ("complete-fish", "min-confidence"),
        ("man", "min\\-confidence"),
    ] {
        let run = postura(dir.path(), &["generate", what]);
        assert_eq!(run.code, Some(0), "{what}: {}", run.stderr);
        assert!(run.stdout.contains(needle) && run.stdout.contains("label"), "{what}");
    }
    let man = postura(dir.path(), &["generate", "man"]).stdout;
    assert!(man.starts_with(".ie") && man.contains(".TH postura 1"));
    assert!(man.contains(".SH \"POSTURA LABEL\""));
    let run = postura(dir.path(), &["generate", "complete-tcsh"]);
    assert_eq!(run.code, Some(2));
}

/// The default model knows `none` (a source holding no stance), which a file without sources
/// never has nor gets: `eval`'s tables leave its zeros out and name it once.
#[test]
fn eval_leaves_out_a_label_neither_in_the_data_nor_predicted() {
    let dir = with_model();
    let run = postura(dir.path(), &["eval", "--data", "train.csv"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let table = run.stdout.split("confusion").next().unwrap_or_default();
    assert!(
        table.contains("\nsupportive ") && !table.contains("\nnone "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("(not in the data and never predicted: none)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("  none"), "{}", run.stdout);
}
