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

/// Macro-F1 over the labels in the gold (the library's metric, as `eval` reports it).
fn macro_f1(gold: &[String], pred: &[String]) -> f64 {
    let labels = ["supportive", "neutral", "distancing", "none"];
    let index = |l: &String| labels.iter().position(|x| x == l).unwrap_or(labels.len());
    let (g, p): (Vec<usize>, Vec<usize>) = gold.iter().zip(pred).map(|(g, p)| (index(g), index(p))).unzip();
    postura::eval::metrics::macro_f1(&g, &p, labels.len() + 1)
}

fn read_rows(name: &str) -> Vec<std::collections::HashMap<String, String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets").join(name);
    let mut rdr = csv::Reader::from_path(&path).expect("a dataset of the repository");
    rdr.deserialize().map(|r| r.expect("a well-formed row")).collect()
}

/// Transfer guard: the default model on sentences by writers who never read its training rows
/// (never trained on; `benches/transfer.py` prints the same numbers). Each floor is the shipped
/// model's score minus about 0.03, so a change that loses transfer fails here, not only in a
/// benchmark nobody ran.
#[test]
fn default_model_transfers_to_other_writers() {
    let model = postura::default_model().expect("the default model is embedded");
    let field = |r: &std::collections::HashMap<String, String>, k: &str| r.get(k).cloned().unwrap_or_default();
    // The other-writer dev set: stance toward the target (150 rows), and the label kept when
    // the quote marks are removed (rows without a source).
    let dev = read_rows("dev_news.csv");
    let targets: Vec<_> = dev.iter().filter(|r| field(r, "kind") == "target").collect();
    let predict =
        |text: &str, target: &postura::Target| model.predict(text, target).expect("a prediction").label().to_string();
    let gold: Vec<String> = targets.iter().map(|r| field(r, "label")).collect();
    let pred: Vec<String> = targets
        .iter()
        .map(|r| predict(&field(r, "text"), &postura::Target::new(field(r, "target"))))
        .collect();
    let dev_f1 = macro_f1(&gold, &pred);
    let quotes = |c: char| "\"“”«»‘’'".contains(c);
    let quoted: Vec<_> = dev
        .iter()
        .filter(|r| field(r, "source").is_empty() && field(r, "text").contains(quotes))
        .collect();
    let kept = quoted
        .iter()
        .filter(|r| {
            let target = postura::Target::new(field(r, "target"));
            let text = field(r, "text");
            predict(&text, &target) == predict(&text.replace(quotes, ""), &target)
        })
        .count() as f64
        / quoted.len().max(1) as f64;
    // The fresh writers' sets, pooled (160 rows: one set alone moves by a few sentences): the
    // fourth writer's news-body sentences and the sixth writer's Kast-scenario ones; one actor
    // with its aliases per row.
    let fresh: Vec<_> = ["seed_sentences_3.csv", "seed_sentences_5.csv"]
        .iter()
        .flat_map(|name| read_rows(name))
        .collect();
    let gold_fresh: Vec<String> = fresh.iter().map(|r| field(r, "label")).collect();
    let pred_fresh: Vec<String> = fresh
        .iter()
        .map(|r| {
            let target = postura::Target::new(field(r, "actor")).aliases(
                field(r, "aliases")
                    .split('|')
                    .filter(|a| !a.is_empty())
                    .map(String::from),
            );
            predict(&field(r, "text"), &target)
        })
        .collect();
    let fresh_f1 = macro_f1(&gold_fresh, &pred_fresh);
    println!(
        "dev target macro-F1 {dev_f1:.3} ({} rows), quote marks removed {kept:.3} ({} rows), \
         seed_sentences_3 and _5 macro-F1 {fresh_f1:.3} ({} rows)",
        targets.len(),
        quoted.len(),
        fresh.len()
    );
    assert_eq!(targets.len(), 150);
    assert!(dev_f1 >= 0.87, "dev_news target macro-F1 {dev_f1:.3} < 0.87");
    assert!(kept >= 0.97, "quote marks removed, same label {kept:.3} < 0.97");
    assert_eq!(fresh.len(), 160);
    assert!(
        fresh_f1 >= 0.75,
        "seed_sentences_3 and _5 macro-F1 {fresh_f1:.3} < 0.75"
    );
}
