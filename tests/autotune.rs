//! Autotune end to end on generated data: a trial that is clearly better than the base settings
//! on both halves of dev replaces them.

mod common;

use postura::TrainParams;
use postura::autotune::autotune;
use postura::data::table::parse_table;
use postura::data::{LoadOptions, Table};
use postura::model::DataInfo;
use std::path::Path;
use std::time::Duration;

fn table(name: &str, tails: &[&str]) -> Table {
    let csv = format!("{}{}", common::STANCE_HEADER, common::stance_rows(tails));
    let opts = LoadOptions {
        label_required: true,
        ..LoadOptions::default()
    };
    parse_table(Path::new(name), csv.as_bytes(), &opts).unwrap()
}

fn info(t: &Table) -> DataInfo {
    DataInfo {
        path: t.path.display().to_string(),
        sha256: t.sha256.clone(),
        rows: t.records.len(),
        rows_per_label: Vec::new(),
        columns: Default::default(),
        label_map: Default::default(),
        aliases: Vec::new(),
        constant_actor: None,
    }
}

#[test]
fn a_clearly_better_trial_replaces_the_base_settings() {
    let train = table("train.csv", &["", " este lunes", " en la plaza", " ante la prensa"]);
    let dev = table("dev.csv", &[" en el puerto", " tras el debate"]);
    // Base settings that keep only features found in at least 100 of the 120 statements (the
    // target's name, in every row) and no character n-grams: the base model can only guess,
    // every trial (min-df <= 3) does better.
    let mut base = TrainParams::default();
    base.features.min_df = 100;
    base.features.char_ngrams = (0, 0);
    let (model, trials) = autotune(
        &train,
        &dev,
        &base,
        &info(&train),
        Duration::from_millis(1500),
        1,
        |_| {},
    )
    .unwrap();
    assert!(trials.len() >= 2, "{trials:?}");
    let record = model.card().autotune().unwrap_or("");
    assert!(record.contains("; chose "), "{record}");
    assert!(model.card().params().features.min_df <= 3, "{record}");
    let dev_f1 = model.card().dev().map_or(0.0, |d| d.macro_f1);
    assert!(
        dev_f1 > trials[0].macro_f1 + 0.3,
        "{dev_f1} vs base {}",
        trials[0].macro_f1
    );
}
