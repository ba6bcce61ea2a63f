//! `train --refit`: after scoring on --dev, the final model is trained on the training rows and
//! the dev rows together, and its card says so while keeping the score from before the refit.

mod common;

use common::run;
use postura::model::file;
use std::path::Path;

use common::{STANCE_HEADER as HEADER, stance_rows as rows};
const TRAIN_TAILS: &[&str] = &["", " este lunes", " en la plaza", " tras el debate", " ante la prensa"];
const DEV_TAILS: &[&str] = &[" en el puerto", " durante la campaña"];

fn write_files(dir: &Path) -> (usize, usize) {
    let (train, dev) = (rows(TRAIN_TAILS), rows(DEV_TAILS));
    std::fs::write(dir.join("train.csv"), format!("{HEADER}{train}")).unwrap();
    std::fs::write(dir.join("dev.csv"), format!("{HEADER}{dev}")).unwrap();
    std::fs::write(dir.join("both.csv"), format!("{HEADER}{train}{dev}")).unwrap();
    (train.lines().count(), dev.lines().count())
}

/// `train --data train.csv --dev dev.csv EXTRA -o OUT`.
fn train_dev(dir: &Path, extra: &[&str], out: &str) {
    train(
        dir,
        &[&["--data", "train.csv", "--dev", "dev.csv"], extra, &["-o", out]].concat(),
    );
}

fn train(dir: &Path, args: &[&str]) {
    let r = run(Some(dir), &[&["train", "-q"], args].concat(), None, &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

#[test]
fn refit_trains_on_train_and_dev_and_keeps_the_earlier_dev_score() {
    let dir = tempfile::tempdir().unwrap();
    let (n_train, n_dev) = write_files(dir.path());
    train_dev(dir.path(), &[], "scored.postura");
    train_dev(dir.path(), &["--refit"], "refit.postura");
    train(dir.path(), &["--data", "both.csv", "-o", "both.postura"]);
    let scored = file::load(&dir.path().join("scored.postura")).unwrap();
    let refit = file::load(&dir.path().join("refit.postura")).unwrap();
    let both = file::load(&dir.path().join("both.postura")).unwrap();

    // The card: the dev file is named, the rows are counted, the dev score is the one measured
    // before the refit.
    let r = refit.card().refit().expect("the card records the refit");
    assert_eq!((r.path.as_str(), r.rows), ("dev.csv", n_dev));
    assert_eq!(r.sha256.len(), 64);
    assert_eq!(refit.card().data().rows, n_train + n_dev);
    assert_eq!(scored.card().data().rows, n_train);
    assert!(scored.card().refit().is_none());
    assert_eq!(refit.card().dev(), scored.card().dev());
    assert!(refit.card().dev().is_some());

    // The weights: the same as training on one file holding both.
    assert_eq!(refit.featurizer(), both.featurizer());
    let bits = |w: &[f32]| w.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert!(
        bits(refit.weights()) == bits(both.weights()),
        "refit weights differ from training on both files"
    );
    assert_ne!(
        refit.featurizer(),
        scored.featurizer(),
        "the dev rows' words joined the vocabulary"
    );

    // `inspect` tells.
    let out = run(Some(dir.path()), &["inspect", "refit.postura", "--top", "0"], None, &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("dev.csv (sha256"), "{}", out.stdout);
    assert!(out.stdout.contains("before the refit"), "{}", out.stdout);
}

#[test]
fn refit_after_autotune_keeps_the_search_record() {
    let dir = tempfile::tempdir().unwrap();
    let (n_train, n_dev) = write_files(dir.path());
    train_dev(dir.path(), &["--autotune", "--budget", "1", "--refit"], "m.postura");
    let m = file::load(&dir.path().join("m.postura")).unwrap();
    assert!(m.card().autotune().is_some_and(|a| a.contains("trials in")));
    assert_eq!(m.card().data().rows, n_train + n_dev);
    assert_eq!(m.card().refit().map(|r| r.rows), Some(n_dev));
}

#[test]
fn refit_without_dev_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path());
    let r = run(
        Some(dir.path()),
        &["train", "--data", "train.csv", "--refit", "-o", "m.postura"],
        None,
        &[],
    );
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("--dev"), "{}", r.stderr);
    assert!(!dir.path().join("m.postura").exists());
}

#[test]
fn calibrate_fits_a_temperature_on_dev_that_keeps_labels_and_survives_the_refit() {
    let dir = tempfile::tempdir().unwrap();
    let (_, n_dev) = write_files(dir.path());
    train(dir.path(), &["--data", "train.csv", "-o", "plain.postura"]);
    train_dev(dir.path(), &["--calibrate"], "cal.postura");
    train_dev(dir.path(), &["--calibrate", "--refit"], "calrefit.postura");
    let plain = file::load(&dir.path().join("plain.postura")).unwrap();
    let cal = file::load(&dir.path().join("cal.postura")).unwrap();
    let c = cal.card().calibration().expect("the card records the calibration");
    assert_eq!((c.path.as_str(), c.rows), ("dev.csv", n_dev));
    assert!(c.temperature.is_finite() && c.temperature > 0.0, "{c:?}");
    assert!(c.ece_after <= c.ece_before + 1e-9, "{c:?}");
    assert_eq!(cal.temperature(), c.temperature);
    assert_eq!(plain.weights(), cal.weights(), "calibration leaves the weights alone");
    let refit = file::load(&dir.path().join("calrefit.postura")).unwrap();
    assert_eq!(refit.card().calibration(), Some(c));

    // The probabilities are the plain model's at the new temperature; the labels do not change.
    let predict = |m: &str| {
        run(
            Some(dir.path()),
            &[
                "predict",
                "-m",
                m,
                "--actor",
                "Marta Ruiz",
                "-f",
                "jsonl",
                "Los vecinos critican a Marta Ruiz",
            ],
            None,
            &[],
        )
        .json()
    };
    let (p, q) = (predict("plain.postura"), predict("cal.postura"));
    assert_eq!(p[0]["label"], q[0]["label"]);
    let probs = |v: &serde_json::Value| -> Vec<f64> {
        let mut labels: Vec<(String, f64)> = v["probabilities"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, x)| (k.clone(), x.as_f64().unwrap()))
            .collect();
        labels.sort_by(|a, b| a.0.cmp(&b.0));
        labels.into_iter().map(|(_, x)| x).collect()
    };
    let expected = postura::eval::metrics::rescale_probabilities(&[probs(&p[0])], 1.0 / c.temperature);
    for (a, b) in probs(&q[0]).iter().zip(&expected[0]) {
        assert!((a - b).abs() < 1e-6, "{:?} vs {:?}", probs(&q[0]), expected[0]);
    }
}

#[test]
fn calibrate_without_dev_fits_on_out_of_fold_predictions_of_the_training_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (n_train, _) = write_files(dir.path());
    train(dir.path(), &["--data", "train.csv", "-o", "plain.postura"]);
    train(dir.path(), &["--data", "train.csv", "--calibrate", "-o", "cal.postura"]);
    let plain = file::load(&dir.path().join("plain.postura")).unwrap();
    let cal = file::load(&dir.path().join("cal.postura")).unwrap();
    assert_eq!(plain.weights(), cal.weights(), "calibration leaves the weights alone");
    let c = cal.card().calibration().expect("the card records the calibration");
    assert_eq!((c.path.as_str(), c.rows), ("train.csv (5-fold out-of-fold)", n_train));
    // The temperature is the one fitted on the training rows' out-of-fold probabilities.
    let opts = postura::data::LoadOptions {
        label_required: true,
        ..Default::default()
    };
    let table = postura::data::load_table(&dir.path().join("train.csv"), &opts).unwrap();
    let params = plain.card().params().clone().check().unwrap();
    let oof = postura::out_of_fold(&table, &params, plain.card().data(), 5, 42).unwrap();
    assert_eq!(oof.labels, plain.labels());
    assert_eq!(oof.truth.len(), n_train);
    let scale = postura::eval::metrics::fit_temperature_scale(&oof.truth, &oof.probs);
    assert!((c.temperature - 1.0 / scale).abs() < 1e-12, "{c:?} vs 1/{scale}");
    assert!(c.ece_after <= c.ece_before + 1e-9, "{c:?}");
}

#[test]
fn calibrate_by_holds_each_value_of_the_column_out_of_its_own_fold() {
    let dir = tempfile::tempdir().unwrap();
    // The writer of a row is its tail: five writers, one fold each.
    let mut csv = String::from("text,actor,label,writer\n");
    for (w, tail) in TRAIN_TAILS.iter().enumerate() {
        for line in rows(&[tail]).lines() {
            csv.push_str(&format!("{line},w{w}\n"));
        }
    }
    std::fs::write(dir.path().join("w.csv"), &csv).unwrap();
    train(dir.path(), &["--data", "w.csv", "-o", "plain.postura"]);
    train(
        dir.path(),
        &["--data", "w.csv", "--calibrate-by", "writer", "-o", "cal.postura"],
    );
    let plain = file::load(&dir.path().join("plain.postura")).unwrap();
    let cal = file::load(&dir.path().join("cal.postura")).unwrap();
    assert_eq!(plain.weights(), cal.weights(), "calibration leaves the weights alone");
    let c = cal.card().calibration().expect("the card records the calibration");
    assert_eq!(c.path, "w.csv (5-fold out-of-fold, each writer held out)");
    assert_eq!(c.rows, csv.lines().count() - 1);

    // The temperature is the one fitted on predictions of folds that each hold one writer.
    let mut opts = postura::data::LoadOptions {
        label_required: true,
        ..Default::default()
    };
    opts.columns.group = Some("writer".into());
    let table = postura::data::load_table(&dir.path().join("w.csv"), &opts).unwrap();
    let plan = postura::eval::FoldPlan {
        folds: 5,
        seed: 42,
        grouping: postura::eval::Grouping::Column("writer".into()),
    };
    let split = postura::eval::FoldSplit::new(&table, &plan).unwrap();
    for fold in &split.folds {
        let writers: std::collections::BTreeSet<_> =
            fold.test.iter().map(|&i| table.records[i].group.clone()).collect();
        assert_eq!(writers.len(), 1, "one writer per fold: {writers:?}");
    }
    let params = plain.card().params().clone().check().unwrap();
    let folds = split
        .predict(&table, &params, plain.card().data(), &postura::progress::NoProgress)
        .unwrap();
    let truth: Vec<usize> = folds.iter().flat_map(|f| f.truth.clone()).collect();
    let probs: Vec<Vec<f64>> = folds.iter().flat_map(|f| f.probs.clone()).collect();
    let scale = postura::eval::metrics::fit_temperature_scale(&truth, &probs);
    assert!((c.temperature - 1.0 / scale).abs() < 1e-12, "{c:?} vs 1/{scale}");

    // One writer is not enough to hold anyone out.
    let one: String = csv
        .lines()
        .filter(|l| !l.ends_with(",w1") && !l.ends_with(",w2") && !l.ends_with(",w3") && !l.ends_with(",w4"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("one.csv"), one).unwrap();
    let r = run(
        Some(dir.path()),
        &[
            "train",
            "-q",
            "--data",
            "one.csv",
            "--calibrate-by",
            "writer",
            "-o",
            "x.postura",
        ],
        None,
        &[],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("one.csv: column writer has 1 value: calibrating on held-out groups needs at least two"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("x.postura").exists());
}

#[test]
fn calibrate_by_refuses_blank_groups_and_names_a_near_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("text,actor,label,writer\n");
    for (i, line) in rows(TRAIN_TAILS).lines().enumerate() {
        let writer = if i == 1 { " ".to_string() } else { format!("w{}", i % 3) };
        csv.push_str(&format!("{line},{writer}\n"));
    }
    std::fs::write(dir.path().join("w.csv"), &csv).unwrap();
    let train = |by: &str| {
        run(
            Some(dir.path()),
            &[
                "train",
                "-q",
                "--data",
                "w.csv",
                "--calibrate-by",
                by,
                "-o",
                "x.postura",
            ],
            None,
            &[],
        )
    };
    let r = train("writer");
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("w.csv:3: empty value in the group column 'writer'"),
        "{}",
        r.stderr
    );
    let r = train("wrter");
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean writer?"), "{}", r.stderr);
    assert!(!r.stderr.contains("--group-col"), "{}", r.stderr);
    assert!(!dir.path().join("x.postura").exists());
}
