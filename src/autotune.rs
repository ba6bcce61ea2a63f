//! Autotune: search training settings on a held-out dev set (as fastText's autotune does),
//! keep the best, and record the search in the model card.

use crate::data::Table;
use crate::eval::cv::SplitMix64;
use crate::model::{ClassWeight, DataInfo, DevScore, Loss, TrainParams};
use crate::{Model, Result, evaluate_table, train_table};
use serde::Serialize;
use std::time::{Duration, Instant};

/// One tried setting and its dev score.
#[derive(Debug, Clone, Serialize)]
pub struct Trial {
    pub settings: String,
    pub macro_f1: f64,
    pub accuracy: f64,
    pub seconds: f64,
}

/// A short description of the settings autotune varies.
pub fn describe(p: &TrainParams) -> String {
    let f = &p.features;
    let range = crate::features::describe_range;
    format!(
        "C={} loss={:?} class-weight={:?} word={} char={} min-df={} char-min-df={} window={} stem={} negation={} nb-scale={} char-chunks={} actor-pairs={}",
        p.c,
        p.loss,
        p.class_weight,
        range(f.word_ngrams),
        range(f.char_ngrams),
        f.min_df,
        f.char_min_df,
        f.window,
        f.stem,
        p.text.negation,
        f.nb_scale,
        f.char_chunks,
        f.actor_pairs
    )
}

/// A random neighbour of the search space, seeded.
fn sample(base: &TrainParams, rng: &mut SplitMix64) -> TrainParams {
    let mut p = base.clone();
    let mut pick = |n: u64| (rng.next_u64() % n) as usize;
    p.c = [1.0, 3.0, 10.0, 30.0, 100.0][pick(5)];
    // Hinge (LinearSVC's loss) wants a smaller C than logistic.
    (p.loss, p.c) = match pick(4) {
        0 => (Loss::Hinge, [0.1, 0.3, 1.0][pick(3)]),
        _ => (Loss::Logistic, p.c),
    };
    p.class_weight = [ClassWeight::None, ClassWeight::Balanced][pick(2)];
    p.features.word_ngrams = [(1, 1), (1, 2), (1, 3)][pick(3)];
    p.features.char_ngrams = [(0, 0), (2, 4), (2, 5), (1, 5), (3, 6)][pick(5)];
    p.features.min_df = [1, 2, 3][pick(3)];
    p.features.char_min_df = [1, 2, 3][pick(3)];
    p.features.window = [0, 2, 3, 5][pick(4)];
    p.features.stem = pick(2) == 1;
    p.text.negation = pick(2) == 1;
    p.features.nb_scale = pick(4) == 0;
    p.features.char_chunks = pick(2) == 1;
    p.features.actor_pairs = pick(4) != 0;
    p
}

/// Trains with `base` first, then random settings until `budget` runs out (at least `min_trials`),
/// scoring each on `dev`. Returns the best model (by dev macro-F1) and every trial.
pub fn autotune(
    train: &Table,
    dev: &Table,
    base: &TrainParams,
    info: &DataInfo,
    budget: Duration,
    seed: u64,
    mut on_trial: impl FnMut(&Trial),
) -> Result<(Model, Vec<Trial>)> {
    let started = Instant::now();
    let mut rng = SplitMix64(seed);
    let mut trials = Vec::new();
    let mut best: Option<(f64, Model)> = None;
    let mut candidate = base.clone();
    loop {
        let t0 = Instant::now();
        let params = candidate.clone().check()?;
        let model = train_table(train, &params, info.clone())?;
        let m = evaluate_table(&model, dev, &info.aliases, None)?;
        let trial = Trial {
            settings: describe(&candidate),
            macro_f1: m.macro_f1,
            accuracy: m.accuracy,
            seconds: t0.elapsed().as_secs_f64(),
        };
        on_trial(&trial);
        trials.push(trial);
        if best.as_ref().is_none_or(|(f, _)| m.macro_f1 > *f) {
            let mut model = model;
            model.card.dev = Some(DevScore {
                path: dev.path.display().to_string(),
                rows: m.rows,
                accuracy: m.accuracy,
                macro_f1: m.macro_f1,
            });
            best = Some((m.macro_f1, model));
        }
        // Stop when the next trial would likely overrun the budget.
        let mean = started.elapsed().as_secs_f64() / trials.len() as f64;
        if started.elapsed().as_secs_f64() + mean > budget.as_secs_f64() {
            break;
        }
        candidate = sample(base, &mut rng);
    }
    let (_, mut model) = best.ok_or_else(|| crate::Error::Internal("autotune ran no trial".into()))?;
    model.card.autotune = Some(format!(
        "{} trials in {:.0}s on {}; chose {}",
        trials.len(),
        started.elapsed().as_secs_f64(),
        dev.path.display(),
        describe(&model.card.params)
    ));
    Ok((model, trials))
}
