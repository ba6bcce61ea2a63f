//! Batch labeling throughput: sentences labeled per second by `postura::label` with the default
//! model on generated articles (split, find mentions, classify, summarize; and with JSON-lines
//! output). Target: at least 1,000,000 sentences per minute on 2 cores.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use postura::Model;
use postura::data::articles::{ActorSpec, Article, ArticleItem};
use postura::label::{BatchLimits, LabelOptions, LabelWriter, Labeler, Outcome, OutputFormat, Per};
use std::hint::black_box;

/// The embedded default model, or (in a build without one) a model trained on the corpus.
fn model() -> Model {
    match postura::default_model() {
        Ok(m) => return m,
        Err(e) => eprintln!("no usable default model ({e}); training one on datasets/stance_es.csv"),
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/stance_es.csv");
    let opts = postura::data::LoadOptions {
        label_required: true,
        ..Default::default()
    };
    let table = postura::data::load_table(&path, &opts).expect("datasets/stance_es.csv loads");
    let info = postura::model::DataInfo {
        path: path.display().to_string(),
        sha256: table.sha256.clone(),
        rows: table.records.len(),
        rows_per_label: Vec::new(),
        columns: opts.columns.clone(),
        label_map: opts.label_map.clone(),
        aliases: Vec::new(),
        constant_actor: None,
    };
    let params = postura::TrainParams::default()
        .check()
        .expect("default parameters are valid");
    postura::train_table(&table, &params, info).expect("the corpus trains")
}

/// Invented sentence parts, combined at random into news-like sentences.
const SUBJECTS: &[&str] = &[
    "El gobernador de la provincia",
    "La bancada oficialista",
    "Un grupo de alcaldes",
    "La central sindical",
    "El ministro de Economía",
    "Los dirigentes del partido",
];
const VERBS: &[&str] = &[
    "respaldó con firmeza a",
    "criticó con dureza a",
    "se reunió el martes con",
    "tomó distancia de",
    "elogió la gestión de",
    "pidió explicaciones a",
    "recibió en su despacho a",
];
const TAILS: &[&str] = &[
    "tras la votación del presupuesto.",
    "en una rueda de prensa en la capital.",
    "por su postura sobre las pensiones.",
    "antes del debate de este jueves, según fuentes del sector.",
    "y anunció nuevas reuniones para la próxima semana.",
];
const FILLERS: &[&str] = &[
    "La sesión se extendió hasta pasada la medianoche.",
    "El índice de precios subió un 3,4 % en octubre.",
    "Más de 1.200 personas asistieron al acto en la plaza central.",
];

/// Deterministic articles: about 20 sentences each, 80 % of them mentioning the actor.
fn articles(n: usize) -> Vec<Article> {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |m: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % m
    };
    let names = [
        "José Antonio Kast",
        "Kast",
        "el dirigente republicano",
        "@joseantoniokast",
    ];
    (0..n)
        .map(|i| {
            let mut text = String::new();
            for _ in 0..20 {
                if next(5) == 0 {
                    text.push_str(FILLERS[next(FILLERS.len())]);
                } else {
                    text.push_str(&format!(
                        "{} {} {} {}",
                        SUBJECTS[next(SUBJECTS.len())],
                        VERBS[next(VERBS.len())],
                        names[next(names.len())],
                        TAILS[next(TAILS.len())]
                    ));
                }
                text.push(if next(6) == 0 { '\n' } else { ' ' });
            }
            Article {
                id: format!("gen/{i:05}.txt"),
                text,
            }
        })
        .collect()
}

fn items(articles: &[Article]) -> Vec<ArticleItem> {
    articles.iter().cloned().map(Ok).collect()
}

fn bench_label(c: &mut Criterion) {
    let model = model();
    let actor = ActorSpec {
        name: "José Antonio Kast".into(),
        aliases: ["Kast", "el dirigente republicano", "@joseantoniokast"]
            .map(String::from)
            .to_vec(),
    };
    let labeler = Labeler::new(&model, &[actor], LabelOptions::default()).expect("a usable actor");
    let input = articles(400);
    // How many sentences one pass labels: the throughput unit.
    let labeled = labeler
        .run(items(&input), BatchLimits::default(), |_, _| Ok(()))
        .expect("labeling runs")
        .labeled;
    let mut group = c.benchmark_group("label");
    group.sample_size(10);
    group.throughput(Throughput::Elements(labeled));
    group.bench_function("sentences", |b| {
        b.iter(|| {
            let mut n = 0usize;
            labeler
                .run(items(&input), BatchLimits::default(), |outcomes, _| {
                    n += outcomes.len();
                    Ok(())
                })
                .expect("labeling runs");
            black_box(n)
        })
    });
    group.bench_function("sentences_to_jsonl", |b| {
        b.iter(|| {
            let names = vec![labeler.actors()[0].name().to_string()];
            let mut w = LabelWriter::new(
                std::io::sink(),
                "<sink>",
                OutputFormat::Jsonl,
                Per::Sentence,
                model.labels(),
                &names,
            );
            labeler
                .run(items(&input), BatchLimits::default(), |outcomes, _| {
                    for o in outcomes {
                        if let Outcome::Labeled(l) = o {
                            w.write(l)?;
                        }
                    }
                    Ok(())
                })
                .expect("labeling runs");
            w.finish().expect("sink accepts everything");
        })
    });
    group.finish();
}

criterion_group!(benches, bench_label);
criterion_main!(benches);
