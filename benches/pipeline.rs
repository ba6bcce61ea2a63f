//! Criterion benches for each pipeline stage on the project's own corpus
//! (datasets/stance_es.csv): tokenize, featurize, fit, predict; and one long statement full of
//! actor mentions at three lengths, whose times must grow in step with the length (a quadratic
//! step once made a 0.9 MB statement take 12 s). Whole-process comparisons against scikit-learn
//! live in benches/peers/.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use postura::data::{LoadOptions, Table, load_table};
use postura::features::{FeatureConfig, Featurizer};
use postura::model::{DataInfo, TrainParams};
use postura::text::{TextConfig, analyze};
use std::hint::black_box;
use std::path::Path;

fn corpus() -> (Table, DataInfo) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/stance_es.csv");
    let opts = LoadOptions {
        label_required: true,
        ..LoadOptions::default()
    };
    let table = load_table(&path, &opts).expect("datasets/stance_es.csv loads");
    let info = DataInfo {
        path: path.display().to_string(),
        sha256: table.sha256.clone(),
        rows: table.records.len(),
        rows_per_label: Vec::new(),
        columns: opts.columns,
        label_map: opts.label_map,
        aliases: Vec::new(),
        constant_actor: None,
    };
    (table, info)
}

fn stages(c: &mut Criterion) {
    let (table, info) = corpus();
    let n = table.records.len() as u64;
    let matchers = postura::actor_matchers(&table, &[]);
    let statements = postura::statements(&table, &matchers);
    let bytes: u64 = table.records.iter().map(|r| r.text.len() as u64).sum();

    let mut g = c.benchmark_group("pipeline");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("tokenize", |b| {
        b.iter(|| {
            for s in &statements {
                black_box(analyze(s.text, &TextConfig::default(), s.actor));
            }
        })
    });
    g.throughput(Throughput::Elements(n));
    g.bench_function("featurize (fit_transform)", |b| {
        b.iter(|| {
            black_box(Featurizer::fit_transform(
                TextConfig::default(),
                FeatureConfig::default(),
                &statements,
            ))
        })
    });
    let params = TrainParams::default().check().expect("default settings are valid");
    g.bench_function("fit (featurize + L-BFGS)", |b| {
        b.iter(|| black_box(postura::train_table(&table, &params, info.clone()).expect("fit")))
    });
    let model = postura::train_table(&table, &params, info.clone()).expect("fit");
    g.bench_function("predict", |b| {
        b.iter(|| black_box(model.predict_statements(&statements)))
    });
    g.finish();
}

/// The default model on one statement of `n` short clauses, each naming the target, the source
/// and another actor: 2,000, 8,000 and 32,000 clauses should take about 1 : 4 : 16.
fn long_statement(c: &mut Criterion) {
    let model = postura::Model::default_model().expect("the default model loads");
    let target = postura::Target::new("Kast").source("Milei");
    let mut g = c.benchmark_group("long statement");
    g.sample_size(10);
    for n in [2_000usize, 8_000, 32_000] {
        let text = "Milei, que apoyó a Kast, «criticó» a Boric y ".repeat(n);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(format!("predict, {n} clauses"), |b| {
            b.iter(|| black_box(model.predict(&text, &target).expect("predict")))
        });
    }
    g.finish();
}

criterion_group!(benches, stages, long_statement);
criterion_main!(benches);
