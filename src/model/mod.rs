//! The model, the third stage: multinomial logistic regression over the features — its
//! hyperparameters, the objective and solver, the fitted model, and the model file.

pub mod file;
pub(crate) mod lbfgs;
#[doc(hidden)]
pub mod objective;
pub mod overrides;
pub mod predict;
pub mod solver;
pub mod trainer;

pub use objective::Loss;
pub use overrides::{Named, Preset, TrainOverrides};
pub use predict::{StancePrediction, Target};
pub use solver::{SolverConfig, SolverKind};
pub use trainer::{ClassWeight, TrainParams, TrainRow, ValidTrainParams};

use crate::data::{Columns, LabelMap};
use crate::error::Result;
use crate::features::{Extractor, Featurizer, Statement};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A fitted stance model: the featurizer, the labels and the weights. Only training makes one
/// (or loading a file that training wrote).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub(crate) featurizer: Featurizer,
    pub(crate) labels: Vec<String>,
    /// (features + 1) × labels, row-major; the last row holds the intercepts.
    pub(crate) weights: Vec<f32>,
    pub(crate) card: ModelCard,
    /// Each column's IDF and weights side by side, for batch prediction (made on first use).
    #[serde(skip)]
    pub(crate) columns: predict::ColumnTable,
}

/// What a model knows about how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    pub(crate) postura_version: String,
    /// Seconds since the Unix epoch (`SOURCE_DATE_EPOCH` pins it for reproducible files).
    pub(crate) created_unix: u64,
    pub(crate) params: TrainParams,
    pub(crate) data: DataInfo,
    pub(crate) solver_cost: f64,
    pub(crate) solver_iterations: u64,
    pub(crate) train_seconds: f64,
    pub(crate) dev: Option<DevScore>,
    /// Autotune's record of the settings it chose, if it ran.
    pub(crate) autotune: Option<String>,
    /// The dev rows added to the training data after the dev score was measured
    /// (`train --refit`): `data` then counts them, and `dev` describes the model before the refit.
    pub(crate) refit: Option<Refit>,
    /// A temperature fitted on held-out predictions (`train --calibrate`); it replaces the
    /// loss's own temperature when the probabilities are computed.
    pub(crate) calibration: Option<Calibration>,
}

impl ModelCard {
    /// The card with its clock readings (creation time, training time) zeroed: two trainings of
    /// the same data with the same settings have equal ones.
    pub fn without_clock(&self) -> ModelCard {
        ModelCard {
            created_unix: 0,
            train_seconds: 0.0,
            ..self.clone()
        }
    }

    /// The postura version that trained the model.
    pub fn postura_version(&self) -> &str {
        &self.postura_version
    }

    /// When the model was trained, in seconds since the Unix epoch.
    pub fn created_unix(&self) -> u64 {
        self.created_unix
    }

    /// The training settings.
    pub fn params(&self) -> &TrainParams {
        &self.params
    }

    /// The training data: where it came from, its rows, columns, label map, actor and aliases.
    pub fn data(&self) -> &DataInfo {
        &self.data
    }

    /// The solver's final objective value.
    pub fn solver_cost(&self) -> f64 {
        self.solver_cost
    }

    /// The solver's iterations.
    pub fn solver_iterations(&self) -> u64 {
        self.solver_iterations
    }

    /// Training time in seconds (0 when `SOURCE_DATE_EPOCH` asks for reproducible files).
    pub fn train_seconds(&self) -> f64 {
        self.train_seconds
    }

    /// The score on the dev rows, if any were given.
    pub fn dev(&self) -> Option<&DevScore> {
        self.dev.as_ref()
    }

    /// Autotune's record of the settings it chose, if it ran.
    pub fn autotune(&self) -> Option<&str> {
        self.autotune.as_deref()
    }

    /// The dev rows added to the training data after scoring, if any.
    pub fn refit(&self) -> Option<&Refit> {
        self.refit.as_ref()
    }

    /// The fitted temperature, if the model was calibrated.
    pub fn calibration(&self) -> Option<&Calibration> {
        self.calibration.as_ref()
    }
}

/// Temperature scaling fitted on held-out predictions — the --dev rows, or out-of-fold
/// predictions of the training rows (`path` then says so): the temperature that minimizes their
/// negative log-likelihood, and their calibration error before and after (after: on the rows it
/// was fitted on).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// The temperature the scores are divided by.
    pub temperature: f64,
    /// Where the held-out rows came from.
    pub path: String,
    /// How many rows it was fitted on.
    pub rows: usize,
    /// Expected calibration error before.
    pub ece_before: f64,
    /// Expected calibration error after (on the rows it was fitted on).
    pub ece_after: f64,
}

/// A file whose rows joined the training data after scoring (`train --refit`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refit {
    /// The file.
    pub path: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Its rows.
    pub rows: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// What a model records of its training data.
pub struct DataInfo {
    /// Where it came from (a path, or `<rows>`).
    pub path: String,
    /// SHA-256 of its content.
    pub sha256: String,
    /// Rows trained on.
    pub rows: usize,
    /// Rows of each label.
    pub rows_per_label: Vec<(String, usize)>,
    /// The columns read.
    pub columns: Columns,
    /// The label map applied.
    pub label_map: LabelMap,
    /// Other names of the actors (`--alias`).
    pub aliases: Vec<String>,
    /// The one actor of every row (`train --actor`), if given.
    pub constant_actor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// A model's score on dev rows, recorded in its card.
pub struct DevScore {
    /// The dev file.
    pub path: String,
    /// Its rows.
    pub rows: usize,
    /// Accuracy on them.
    pub accuracy: f64,
    /// Macro-F1 on them.
    pub macro_f1: f64,
}

impl DevScore {
    /// The card's record of metrics measured on the dev file at `path`.
    pub fn new(path: &std::path::Path, m: &crate::eval::Metrics) -> Self {
        DevScore {
            path: path.display().to_string(),
            rows: m.rows,
            accuracy: m.accuracy,
            macro_f1: m.macro_f1,
        }
    }
}

/// The label and probability of each label for one statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Index of the predicted label in the model's labels.
    pub label: usize,
    /// Probability of each label, in the model's order.
    pub probs: Vec<f64>,
}

/// One feature's part in a decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// The feature's readable name.
    pub feature: String,
    /// Its value in the statement's row.
    pub value: f64,
    /// Contribution to each label's score (feature value × weight).
    pub per_label: Vec<f64>,
}

/// A label's score taken apart (see [`Model::explain_with`]): for each label, in the model's
/// order, `bias + Σ features + rest = score`. Scores are before the temperature, which divides
/// them all alike and so never changes which label wins.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The intercept of each label.
    pub bias: Vec<f64>,
    /// The features that pushed the decision most, strongest first.
    pub features: Vec<Contribution>,
    /// Every other feature of the statement, summed, per label.
    pub rest: Vec<f64>,
    /// Each label's score.
    pub scores: Vec<f64>,
}

impl Model {
    /// Loads a model file (written by [`Self::save`] or `postura train`).
    pub fn load(path: impl AsRef<Path>) -> Result<Model> {
        file::load(path.as_ref())
    }

    /// Reads a model from the bytes of a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        file::from_bytes(Path::new("<model bytes>"), bytes)
    }

    /// The model as the bytes of a model file.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        file::to_bytes(self)
    }

    /// Saves the model atomically: a failed write leaves any previous file at `path` intact.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        file::save(self, path.as_ref())
    }

    /// The default model, trained from `datasets/stance_es.csv` and embedded in the crate.
    pub fn default_model() -> Result<Model> {
        crate::default_model()
    }

    /// The label names, sorted; probabilities come in this order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// How the model was made: settings, data, scores.
    pub fn card(&self) -> &ModelCard {
        &self.card
    }

    /// The featurizer: text and feature settings and the vocabulary.
    pub fn featurizer(&self) -> &Featurizer {
        &self.featurizer
    }

    /// The weights, (features + 1) × labels, row-major; the last row holds the intercepts.
    pub fn weights(&self) -> &[f32] {
        &self.weights
    }

    /// Number of features (columns of the vocabulary).
    pub fn n_features(&self) -> usize {
        self.featurizer.vocab.len()
    }

    /// Number of labels.
    pub fn n_labels(&self) -> usize {
        self.labels.len()
    }

    /// Probabilities for one feature row (softmax of the scores).
    /// What the scores are divided by before the softmax: the fitted calibration's, else the
    /// loss's own.
    pub fn temperature(&self) -> f64 {
        self.card
            .calibration
            .as_ref()
            .map_or(self.card.params.loss.temperature(), |c| c.temperature)
    }

    /// Probabilities for one feature row (softmax of the scores over the temperature).
    pub fn probabilities(&self, row: &[(u32, f32)]) -> Vec<f64> {
        let k = self.n_labels();
        let d = self.n_features();
        let mut z: Vec<f64> = self
            .weights
            .get(d * k..(d + 1) * k)
            .map_or(vec![0.0; k], |b| b.iter().map(|&v| f64::from(v)).collect());
        // A read of each feature's weights first: independent loads, all in flight at once.
        let touch = row.iter().fold(0u32, |t, &(c, _)| {
            t ^ self.weights.get(c as usize * k).map_or(0, |v| v.to_bits())
        });
        std::hint::black_box(touch);
        match k {
            2 => add_row::<2>(&mut z, row, &self.weights),
            3 => add_row::<3>(&mut z, row, &self.weights),
            4 => add_row::<4>(&mut z, row, &self.weights),
            5 => add_row::<5>(&mut z, row, &self.weights),
            _ => {
                for &(c, v) in row {
                    let base = c as usize * k;
                    if let Some(w) = self.weights.get(base..base + k) {
                        for (zc, &wc) in z.iter_mut().zip(w) {
                            *zc += f64::from(v) * f64::from(wc);
                        }
                    }
                }
            }
        }
        let t = self.temperature();
        if t != 1.0 {
            z.iter_mut().for_each(|v| *v /= t);
        }
        softmax(&mut z);
        z
    }

    /// Predicts every statement (in parallel; output in input order), labels by index.
    pub fn predict_statements(&self, statements: &[Statement]) -> Vec<Prediction> {
        let extractors = crate::features::ThreadExtractors::new(&self.featurizer);
        statements
            .par_iter()
            .with_min_len(crate::features::MIN_SPLIT)
            .map(|st| extractors.with(|ex| self.predict_with(st, ex)))
            .collect()
    }

    /// Predicts one statement with a reusable extractor.
    pub fn predict_with(&self, st: &Statement, ex: &Extractor) -> Prediction {
        let none = self.label_index(NONE_LABEL);
        if let (Some(source), Some(n)) = (st.source, none)
            && (!source.mentioned_in(st.text) || st.actor.is_some_and(|a| a.shares_a_name_with(source)))
        {
            // A statement that does not name the source holds no stance of the source's, and a
            // source holds none toward itself.
            let mut probs = vec![0.0; self.n_labels()];
            if let Some(p) = probs.get_mut(n) {
                *p = 1.0;
            }
            return Prediction { label: n, probs };
        }
        let row = self.featurizer.transform_one(st, ex);
        let mut probs = self.probabilities(&row);
        if st.source.is_none()
            && let Some(n) = none
        {
            // Without a source the question is the statement's own stance: `none` is not an answer.
            without_label(&mut probs, n);
        }
        Prediction {
            label: argmax(&probs),
            probs,
        }
    }

    /// True when the model was trained on rows with a source: it can answer how a source
    /// stands toward the target, and `none` when the source holds no stance there.
    pub fn is_source_aware(&self) -> bool {
        self.label_index(NONE_LABEL).is_some()
    }

    /// The `n` features that moved the decision most toward the predicted label, relative to
    /// the other labels' mean, largest first.
    pub fn explain_statement(&self, st: &Statement, n: usize) -> (Prediction, Vec<Contribution>) {
        let (p, e) = self.explain_with(st, &self.featurizer.extractor(), n);
        (p, e.features)
    }

    /// Why a statement got its label: each label's score split into the intercept, the `n`
    /// features that pushed the decision most (by their weight for the label over the mean of
    /// the others) and all the other features together. The three add up to the score, and the
    /// label is the one with the highest score.
    pub fn explain_with(&self, st: &Statement, ex: &Extractor, n: usize) -> (Prediction, Explanation) {
        let row = self.featurizer.transform_one(st, ex);
        let probs = self.probabilities(&row);
        let label = argmax(&probs);
        let k = self.n_labels();
        let d = self.n_features();
        let bias: Vec<f64> = self
            .weights
            .get(d * k..(d + 1) * k)
            .map_or(vec![0.0; k], |b| b.iter().map(|&v| f64::from(v)).collect());
        let mut scores = bias.clone();
        let mut contribs: Vec<(f64, Contribution)> = row
            .iter()
            .filter_map(|&(c, v)| {
                let w = self.weights.get(c as usize * k..(c as usize + 1) * k)?;
                let per_label: Vec<f64> = w.iter().map(|&wc| f64::from(v) * f64::from(wc)).collect();
                for (s, x) in scores.iter_mut().zip(&per_label) {
                    *s += x;
                }
                let own = per_label.get(label).copied().unwrap_or(0.0);
                let others = if k > 1 {
                    (per_label.iter().sum::<f64>() - own) / (k - 1) as f64
                } else {
                    0.0
                };
                let name = self.featurizer.vocab.names.get(c as usize).cloned().unwrap_or_default();
                Some((
                    own - others,
                    Contribution {
                        feature: name,
                        value: f64::from(v),
                        per_label,
                    },
                ))
            })
            .collect();
        contribs.sort_by(|a, b| {
            b.0.abs()
                .total_cmp(&a.0.abs())
                .then_with(|| a.1.feature.cmp(&b.1.feature))
        });
        contribs.truncate(n);
        let features: Vec<Contribution> = contribs.into_iter().map(|(_, c)| c).collect();
        let mut rest: Vec<f64> = scores.iter().zip(&bias).map(|(s, b)| s - b).collect();
        for c in &features {
            for (r, x) in rest.iter_mut().zip(&c.per_label) {
                *r -= x;
            }
        }
        (
            Prediction { label, probs },
            Explanation {
                bias,
                features,
                rest,
                scores,
            },
        )
    }

    /// The `n` features with the largest weight for each label (relative to the other labels).
    pub fn top_features(&self, n: usize) -> Vec<Vec<(String, f64)>> {
        let k = self.n_labels();
        (0..k)
            .map(|label| {
                let mut scored: Vec<(f64, usize)> = (0..self.n_features())
                    .map(|j| {
                        let w = &self.weights[j * k..(j + 1) * k];
                        let own = f64::from(w[label]);
                        let others = if k > 1 {
                            (w.iter().map(|&x| f64::from(x)).sum::<f64>() - own) / (k - 1) as f64
                        } else {
                            0.0
                        };
                        (own - others, j)
                    })
                    .collect();
                scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                scored
                    .into_iter()
                    .take(n)
                    .map(|(s, j)| (self.featurizer.vocab.names.get(j).cloned().unwrap_or_default(), s))
                    .collect()
            })
            .collect()
    }

    /// Index of a label name.
    pub fn label_index(&self, name: &str) -> Option<usize> {
        self.labels.iter().position(|l| l == name)
    }
}

/// The label of a source that holds no stance toward the target in a statement.
pub const NONE_LABEL: &str = "none";

/// Adds each feature's value times its weights to the scores `z` of `K` labels (weights row-major,
/// `K` per feature), in row order: the sums of the general loop, with the label loop unrolled.
fn add_row<const K: usize>(z: &mut [f64], row: &[(u32, f32)], weights: &[f32]) {
    let Ok(z) = <&mut [f64; K]>::try_from(z) else { return };
    let mut acc = *z;
    for &(c, v) in row {
        let base = c as usize * K;
        if let Some(w) = weights.get(base..base + K).and_then(|w| <&[f32; K]>::try_from(w).ok()) {
            let v = f64::from(v);
            for (a, &wj) in acc.iter_mut().zip(w) {
                *a += v * f64::from(wj);
            }
        }
    }
    *z = acc;
}

/// Removes label `n`'s probability and renormalizes the rest.
fn without_label(probs: &mut [f64], n: usize) {
    let Some(p) = probs.get_mut(n) else { return };
    *p = 0.0;
    let sum: f64 = probs.iter().sum();
    if sum > 0.0 {
        probs.iter_mut().for_each(|v| *v /= sum);
    }
}

/// Softmax in place (uniform when the scores are not finite).
pub fn softmax(z: &mut [f64]) {
    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in z.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    if sum > 0.0 && sum.is_finite() {
        for v in z.iter_mut() {
            *v /= sum;
        }
    } else {
        let u = 1.0 / z.len().max(1) as f64;
        z.iter_mut().for_each(|v| *v = u);
    }
}

/// Index of the largest value; the first on ties.
pub fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scores of the general loop over labels.
    fn general(z: &mut [f64], row: &[(u32, f32)], weights: &[f32]) {
        let k = z.len();
        for &(c, v) in row {
            let base = c as usize * k;
            if let Some(w) = weights.get(base..base + k) {
                for (zc, &wc) in z.iter_mut().zip(w) {
                    *zc += f64::from(v) * f64::from(wc);
                }
            }
        }
    }

    proptest::proptest! {
        /// The unrolled scores of 2–5 labels are the general loop's, bit for bit (columns past
        /// the weights skipped alike).
        #[test]
        fn unrolled_scores_equal_the_general_loop(
            k in 2usize..6,
            d in 1usize..40,
            seed in proptest::collection::vec(-3.0f32..3.0, 240),
            row in proptest::collection::vec((0u32..45, -2.0f32..2.0), 0..60),
            bias in proptest::collection::vec(-1.0f64..1.0, 5),
        ) {
            let weights: Vec<f32> = seed.iter().cycle().take(d * k).copied().collect();
            let mut want: Vec<f64> = bias[..k].to_vec();
            general(&mut want, &row, &weights);
            let mut got: Vec<f64> = bias[..k].to_vec();
            match k {
                2 => add_row::<2>(&mut got, &row, &weights),
                3 => add_row::<3>(&mut got, &row, &weights),
                4 => add_row::<4>(&mut got, &row, &weights),
                _ => add_row::<5>(&mut got, &row, &weights),
            }
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            proptest::prop_assert_eq!(bits(&got), bits(&want));
        }
    }
}
