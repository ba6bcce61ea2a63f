//! The embedded default model is what `models/build.sh` makes from `datasets/stance_es.csv`:
//! retraining with the settings recorded in its card reproduces it, so it never drifts from
//! its data.

use postura::data::{LoadOptions, load_table};
use postura::model::DataInfo;
use std::path::Path;

#[test]
fn default_model_is_embedded_and_retrains_identically() {
    let shipped = postura::default_model().expect("the default model is embedded");
    assert_eq!(shipped.labels(), vec!["distancing", "neutral", "none", "supportive"]);
    assert!(shipped.is_source_aware(), "the default model answers for sources");
    let card = &shipped.card();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let opts = LoadOptions {
        columns: card.data().columns.clone(),
        label_map: card.data().label_map.clone(),
        label_required: true,
        ..LoadOptions::default()
    };
    let table = load_table(&root.join(&card.data().path), &opts).expect("datasets/stance_es.csv");
    assert_eq!(
        table.sha256,
        card.data().sha256,
        "datasets/stance_es.csv changed since the default model was built: run models/build.sh"
    );
    let params = card.params().clone().check().expect("recorded settings are valid");
    let info = DataInfo {
        rows_per_label: Vec::new(),
        ..card.data().clone()
    };
    let retrained = postura::train_table(&table, &params, info).expect("retraining");
    assert_eq!(
        retrained.featurizer(),
        shipped.featurizer(),
        "vocabulary or settings drifted"
    );
    assert_eq!(
        retrained.weights(),
        shipped.weights(),
        "weights drifted: run models/build.sh"
    );
    assert_eq!(retrained.card().data().rows_per_label, card.data().rows_per_label);
}

#[test]
fn default_model_reads_the_example_sentences_sensibly() {
    let model = postura::default_model().expect("the default model is embedded");
    let kast = postura::ActorMatcher::new("Kast", &[] as &[&str]);
    let cases = [
        ("Milei celebró el aplastante triunfo de Kast", "supportive"),
        (
            "El Gobierno decidió no otorgar apoyo institucional a Kast",
            "distancing",
        ),
    ];
    for (text, want) in cases {
        let p = &model.predict_statements(&[postura::Statement::new(text, Some(&kast))])[0];
        let sum: f64 = p.probs.iter().sum();
        assert!((sum - 1.0).abs() < 1e-9);
        assert_eq!(model.labels()[p.label], want, "{text}");
    }
}

/// `inspect` says whether a model is source-aware and how many known actors it carries.
#[test]
fn inspect_shows_source_awareness_and_known_actors() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_postura"))
        .args(["inspect", "-f", "json", "--top", "1"])
        .output()
        .expect("runs postura inspect");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["source_aware"], true);
    assert_eq!(v["known_actors"], 86);
}
