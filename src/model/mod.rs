//! The model, the third stage: multinomial logistic regression over the features — its
//! hyperparameters, the objective and solver, the fitted model, and the model file.

pub mod file;
pub mod lbfgs;
pub mod objective;
pub mod predict;
pub mod solver;
pub mod trainer;

pub use objective::Loss;
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
    pub featurizer: Featurizer,
    pub labels: Vec<String>,
    /// (features + 1) × labels, row-major; the last row holds the intercepts.
    pub weights: Vec<f32>,
    pub card: ModelCard,
}

/// What a model knows about how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    pub postura_version: String,
    /// Seconds since the Unix epoch (`SOURCE_DATE_EPOCH` pins it for reproducible files).
    pub created_unix: u64,
    pub params: TrainParams,
    pub data: DataInfo,
    pub solver_cost: f64,
    pub solver_iterations: u64,
    pub train_seconds: f64,
    pub dev: Option<DevScore>,
    /// Autotune's record of the settings it chose, if it ran.
    pub autotune: Option<String>,
    /// The dev rows added to the training data after the dev score was measured
    /// (`train --refit`): `data` then counts them, and `dev` describes the model before the refit.
    pub refit: Option<Refit>,
    /// A temperature fitted on held-out predictions (`train --calibrate`); it replaces the
    /// loss's own temperature when the probabilities are computed.
    pub calibration: Option<Calibration>,
}

/// Temperature scaling fitted on held-out predictions — the --dev rows, or out-of-fold
/// predictions of the training rows (`path` then says so): the temperature that minimizes their
/// negative log-likelihood, and their calibration error before and after (after: on the rows it
/// was fitted on).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub temperature: f64,
    pub path: String,
    pub rows: usize,
    pub ece_before: f64,
    pub ece_after: f64,
}

/// A file whose rows joined the training data after scoring (`train --refit`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refit {
    pub path: String,
    pub sha256: String,
    pub rows: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataInfo {
    pub path: String,
    pub sha256: String,
    pub rows: usize,
    pub rows_per_label: Vec<(String, usize)>,
    pub columns: Columns,
    pub label_map: LabelMap,
    pub aliases: Vec<String>,
    pub constant_actor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DevScore {
    pub path: String,
    pub rows: usize,
    pub accuracy: f64,
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
    pub label: usize,
    pub probs: Vec<f64>,
}

/// One feature's part in a decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub feature: String,
    pub value: f64,
    /// Contribution to each label's score (feature value × weight).
    pub per_label: Vec<f64>,
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

    pub fn probabilities(&self, row: &[(u32, f32)]) -> Vec<f64> {
        let k = self.n_labels();
        let d = self.n_features();
        let mut z: Vec<f64> = self
            .weights
            .get(d * k..(d + 1) * k)
            .map_or(vec![0.0; k], |b| b.iter().map(|&v| f64::from(v)).collect());
        for &(c, v) in row {
            let base = c as usize * k;
            if let Some(w) = self.weights.get(base..base + k) {
                for (zc, &wc) in z.iter_mut().zip(w) {
                    *zc += f64::from(v) * f64::from(wc);
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
        statements
            .par_iter()
            .map_init(|| self.featurizer.extractor(), |ex, st| self.predict_with(st, ex))
            .collect()
    }

    /// Predicts one statement with a reusable extractor.
    pub fn predict_with(&self, st: &Statement, ex: &Extractor) -> Prediction {
        let row = self.featurizer.transform_one(st, ex);
        let probs = self.probabilities(&row);
        Prediction {
            label: argmax(&probs),
            probs,
        }
    }

    /// The `n` features that moved the decision most toward the predicted label, relative to
    /// the other labels' mean, largest first.
    pub fn explain_statement(&self, st: &Statement, n: usize) -> (Prediction, Vec<Contribution>) {
        let ex = self.featurizer.extractor();
        let row = self.featurizer.transform_one(st, &ex);
        let probs = self.probabilities(&row);
        let label = argmax(&probs);
        let k = self.n_labels();
        let mut contribs: Vec<(f64, Contribution)> = row
            .iter()
            .filter_map(|&(c, v)| {
                let w = self.weights.get(c as usize * k..(c as usize + 1) * k)?;
                let per_label: Vec<f64> = w.iter().map(|&wc| f64::from(v) * f64::from(wc)).collect();
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
        (
            Prediction { label, probs },
            contribs.into_iter().map(|(_, c)| c).collect(),
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
