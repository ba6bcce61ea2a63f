//! The training loss: logistic by default, squared hinge on request, each with its own default
//! C; a hinge model's probabilities are a softmax of its margins at a fixed temperature.

mod common;

use common::run;
use postura::model::objective::HINGE_TEMPERATURE;
use postura::model::{Loss, file, softmax};
use postura::{ActorMatcher, Statement};
use std::path::Path;

fn corpus() -> String {
    let tails = ["", " este lunes", " en la plaza", " ante la prensa"];
    format!("{}{}", common::STANCE_HEADER, common::stance_rows(&tails))
}

/// Trains with `flags` and returns (loss, C) from the model card.
fn trained(dir: &Path, name: &str, flags: &[&str]) -> (Loss, f64) {
    let r = run(
        Some(dir),
        &[&["train", "-q", "--data", "data.csv", "-o", name], flags].concat(),
        None,
        &[],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let m = file::load(&dir.join(name)).unwrap();
    (m.card().params().loss, m.card().params().c)
}

#[test]
fn each_loss_brings_its_default_c_unless_c_or_alpha_is_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data.csv"), corpus()).unwrap();
    let d = dir.path();
    assert_eq!(trained(d, "a.postura", &[]), (Loss::Logistic, 10.0));
    assert_eq!(trained(d, "f.postura", &["--loss", "hinge"]), (Loss::Hinge, 0.3));
    assert_eq!(trained(d, "b.postura", &["--loss", "logistic"]), (Loss::Logistic, 10.0));
    assert_eq!(
        trained(d, "c.postura", &["--loss", "logistic", "--c", "2"]),
        (Loss::Logistic, 2.0)
    );
    assert_eq!(
        trained(d, "d.postura", &["--c", "2", "--loss", "hinge"]),
        (Loss::Hinge, 2.0)
    );
    assert_eq!(
        trained(d, "e.postura", &["--alpha", "4", "--loss", "logistic"]),
        (Loss::Logistic, 0.25)
    );
}

#[test]
fn linfa_asks_for_the_unweighted_logistic_loss() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data.csv"), corpus()).unwrap();
    let linfa = |extra: &[&str]| {
        let base = [
            "train",
            "-q",
            "--data",
            "data.csv",
            "-o",
            "m.postura",
            "--solver",
            "linfa",
        ];
        run(Some(dir.path()), &[&base[..], extra].concat(), None, &[])
    };
    let r = linfa(&["--loss", "hinge"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("--loss logistic --class-weight none"), "{}", r.stderr);
    let ok = linfa(&["--loss", "logistic", "--class-weight", "none"]);
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
}

#[test]
fn hinge_probabilities_are_the_softmax_of_the_margins_at_the_temperature() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data.csv"), corpus()).unwrap();
    trained(dir.path(), "h.postura", &["--loss", "hinge"]);
    let model = file::load(&dir.path().join("h.postura")).unwrap();
    assert_eq!(model.card().params().loss.temperature(), HINGE_TEMPERATURE);
    let actor = ActorMatcher::new("Marta Ruiz", &[] as &[String]);
    let st = Statement::new("La alianza critica con dureza a Marta Ruiz en el puerto", Some(&actor));
    let ex = model.featurizer().extractor();
    let row = model.featurizer().transform_one(&st, &ex);
    let (k, d) = (model.n_labels(), model.n_features());
    // The margins by hand: intercepts plus the row's weighted features.
    let mut z: Vec<f64> = model.weights()[d * k..(d + 1) * k]
        .iter()
        .map(|&v| f64::from(v))
        .collect();
    for &(c, v) in &row {
        for (zc, &w) in z.iter_mut().zip(&model.weights()[c as usize * k..(c as usize + 1) * k]) {
            *zc += f64::from(v) * f64::from(w);
        }
    }
    let mut at_t: Vec<f64> = z.iter().map(|v| v / HINGE_TEMPERATURE).collect();
    softmax(&mut at_t);
    let mut at_one = z.clone();
    softmax(&mut at_one);
    let probs = model.probabilities(&row);
    for (p, q) in probs.iter().zip(&at_t) {
        assert!((p - q).abs() < 1e-12, "{probs:?} vs {at_t:?}");
    }
    let top = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    assert!(
        top(&probs) > top(&at_one),
        "the temperature sharpens: {probs:?} vs {at_one:?}"
    );
    assert_eq!(model.labels()[model.predict_statements(&[st])[0].label], "distancing");
}
