//! Cross-validation and out-of-fold predictions on one fold loop with one rule.
//!
//! Rows are split into stratified (optionally grouped) folds; each fold's model trains on the
//! other folds and predicts the fold's rows. The rule for a label missing from a fold's
//! training rows (a label rarer than the folds): that fold's model cannot predict it, so its
//! rows there are scored as misses (probability 0 for the label), and the split reports the
//! label in [`FoldSplit::missing`] for the caller to warn about — or to refuse, as calibration
//! does. A fold whose training rows hold a single label cannot train at all: that is an error
//! saying which label is too rare.

use super::{Fold, Metrics, stratified_group_folds};
use crate::data::Table;
use crate::error::{Error, Result};
use crate::model::{DataInfo, ValidTrainParams};
use crate::progress::Progress;
use serde::Serialize;

/// Which rows must stay in one fold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grouping {
    /// Every row on its own.
    None,
    /// Rows sharing the value of this column (read into each record's `group`).
    Column(String),
    /// Rows sharing a text (one headline with several targets).
    Text,
}

/// How to split a table into folds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldPlan {
    /// Number of folds (at least 2).
    pub folds: usize,
    /// Seed of the fold assignment.
    pub seed: u64,
    /// Rows that must stay together.
    pub grouping: Grouping,
}

/// A label with no training rows in one fold: its rows in that fold are scored as misses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingLabel {
    /// The fold (0-based).
    pub fold: usize,
    /// The label's name.
    pub label: String,
    /// How many of the fold's test rows have the label.
    pub test_rows: usize,
}

/// One fold's held-out rows and what its model said of them.
#[derive(Debug, Clone, PartialEq)]
pub struct FoldPredictions {
    /// The rows (indices into the table's records).
    pub rows: Vec<usize>,
    /// Each row's label, an index into [`FoldSplit::labels`].
    pub truth: Vec<usize>,
    /// Each row's predicted label, an index into [`FoldSplit::labels`].
    pub pred: Vec<usize>,
    /// Each row's probability of every label of the table (0 for a label the fold's model
    /// never saw).
    pub probs: Vec<Vec<f64>>,
}

/// A table's folds, checked: every fold's training rows hold at least two labels.
#[derive(Debug, Clone, PartialEq)]
pub struct FoldSplit {
    /// The table's labels, sorted: what the predictions' `truth`, `pred` and the columns of
    /// `probs` index.
    pub labels: Vec<String>,
    /// Each row's label, an index into `labels`.
    pub label_index: Vec<usize>,
    /// The folds in order.
    pub folds: Vec<Fold>,
    /// Labels missing from some fold's training rows (see the module docs).
    pub missing: Vec<MissingLabel>,
}

impl FoldSplit {
    /// Splits `table` as `plan` says. Errors when there are fewer rows (or groups) than folds,
    /// a single label, or a fold whose training rows would hold a single label.
    pub fn new(table: &Table, plan: &FoldPlan) -> Result<FoldSplit> {
        let k = plan.folds;
        if k < 2 {
            return Err(Error::usage("--folds must be at least 2"));
        }
        let (names, labels) = table.label_indices();
        let groups: Option<Vec<String>> = match &plan.grouping {
            Grouping::None => None,
            Grouping::Column(_) => Some(
                table
                    .records
                    .iter()
                    .map(|r| r.group.clone().unwrap_or_default())
                    .collect(),
            ),
            Grouping::Text => Some(table.records.iter().map(|r| r.text.clone()).collect()),
        };
        let n_units = groups.as_ref().map_or(table.records.len(), |g| {
            let mut u = g.clone();
            u.sort();
            u.dedup();
            u.len()
        });
        if n_units < k {
            let unit = match &plan.grouping {
                Grouping::Column(g) => format!("{g} groups"),
                Grouping::Text => "distinct texts".to_string(),
                Grouping::None => "rows".to_string(),
            };
            return Err(Error::input(
                &table.path,
                None,
                if k > 2 {
                    format!("{n_units} {unit} but {k} folds: use fewer folds")
                } else {
                    format!("{n_units} {unit} but 2 folds, the fewest: cross-validation needs at least 2 {unit}")
                },
            ));
        }
        if names.len() < 2 {
            return Err(Error::input(
                &table.path,
                None,
                format!(
                    "every row has the label '{}': at least two labels are needed",
                    names.first().map_or("", String::as_str)
                ),
            ));
        }
        let folds = stratified_group_folds(&labels, groups.as_deref(), k, plan.seed);
        // A label whose rows all land in one test fold leaves that fold's training side without
        // it. With a single label left nothing can be trained: say which label is too rare.
        let mut missing = Vec::new();
        for (f, fold) in folds.iter().enumerate() {
            let mut in_train = vec![false; names.len()];
            for &i in &fold.train {
                if let Some(p) = labels.get(i).and_then(|&l| in_train.get_mut(l)) {
                    *p = true;
                }
            }
            if in_train.iter().filter(|&&p| p).count() < 2 {
                let absent = in_train.iter().position(|&p| !p).unwrap_or(0);
                return Err(Error::input(
                    &table.path,
                    None,
                    too_rare(plan, &names, &labels, groups.as_deref(), absent),
                ));
            }
            for (l, _) in in_train.iter().enumerate().filter(|(_, p)| !**p) {
                missing.push(MissingLabel {
                    fold: f,
                    label: names.get(l).cloned().unwrap_or_default(),
                    test_rows: fold.test.iter().filter(|&&i| labels.get(i) == Some(&l)).count(),
                });
            }
        }
        Ok(FoldSplit {
            labels: names,
            label_index: labels,
            folds,
            missing,
        })
    }

    /// The missing labels as one sentence for a warning or an error, if there are any.
    pub fn missing_message(&self) -> Option<String> {
        if self.missing.is_empty() {
            return None;
        }
        let k = self.folds.len();
        let what: Vec<String> = self
            .missing
            .iter()
            .map(|m| {
                let rows = m.test_rows;
                format!(
                    "label '{}' has no training rows in fold {} of {k} (its {rows} test {} there {} scored as {})",
                    m.label,
                    m.fold + 1,
                    if rows == 1 { "row" } else { "rows" },
                    if rows == 1 { "is" } else { "are" },
                    if rows == 1 { "a miss" } else { "misses" },
                )
            })
            .collect();
        Some(format!(
            "{}; a label is predictable wherever it is tested only when its rows fall in at least two folds",
            what.join("; ")
        ))
    }

    /// The fold loop: for each fold, trains a model with `params` on its training rows (`info`
    /// describes the data in their cards) and predicts its test rows. `progress` hears of each
    /// fold.
    pub fn predict(
        &self,
        table: &Table,
        params: &ValidTrainParams,
        info: &DataInfo,
        progress: &dyn Progress,
    ) -> Result<Vec<FoldPredictions>> {
        let names = &self.labels;
        progress.start(self.folds.len() as u64, "folds");
        let mut out = Vec::with_capacity(self.folds.len());
        for fold in &self.folds {
            let model = crate::train_table(&table.subset(&fold.train), params, info.clone())?;
            let test = table.subset(&fold.test);
            let matchers = crate::actor_matchers(&test, &info.aliases);
            let preds = model.predict_statements(&crate::statements(&test, &matchers));
            // Where each of the model's labels sits among the table's.
            let index: Vec<Option<usize>> = model.labels.iter().map(|l| names.iter().position(|n| n == l)).collect();
            let mut pred = Vec::with_capacity(preds.len());
            let mut probs = Vec::with_capacity(preds.len());
            for p in preds {
                let mut row = vec![0.0; names.len()];
                for (&at, &v) in index.iter().zip(&p.probs) {
                    if let Some(slot) = at.and_then(|i| row.get_mut(i)) {
                        *slot = v;
                    }
                }
                probs.push(row);
                // Out of range (never: the model's labels come from the table) it is a miss.
                pred.push(index.get(p.label).copied().flatten().unwrap_or(names.len()));
            }
            out.push(FoldPredictions {
                truth: fold
                    .test
                    .iter()
                    .filter_map(|&i| self.label_index.get(i).copied())
                    .collect(),
                rows: fold.test.clone(),
                pred,
                probs,
            });
            progress.advance(1);
        }
        progress.finish();
        Ok(out)
    }
}

/// Why a fold would train on a single label, and what to do about it.
fn too_rare(plan: &FoldPlan, names: &[String], labels: &[usize], groups: Option<&[String]>, missing: usize) -> String {
    let name = names.get(missing).map_or("", String::as_str);
    let rows = labels.iter().filter(|&&l| l == missing).count();
    let (held, advice) = match (groups, &plan.grouping) {
        (Some(g), Grouping::Column(col)) => {
            let mut keys: Vec<&str> = labels
                .iter()
                .zip(g)
                .filter(|(l, _)| **l == missing)
                .map(|(_, k)| k.as_str())
                .collect();
            keys.sort_unstable();
            keys.dedup();
            let n = keys.len();
            (
                format!(" in {n} {} of {col}", if n == 1 { "group" } else { "groups" }),
                format!(
                    "2 folds is the fewest: give label '{name}' rows in more {col} groups, or group by a column whose groups mix labels"
                ),
            )
        }
        _ => (
            String::new(),
            format!("2 folds is the fewest: add rows of label '{name}'"),
        ),
    };
    let advice = if plan.folds > 2 {
        "use fewer folds".to_string()
    } else {
        advice
    };
    format!(
        "label '{name}' has {rows} rows{held}: too few for {} folds (a training fold would hold a single label); {advice}",
        plan.folds
    )
}

/// A cross-validation report: mean ± sd over the folds, and each fold's metrics.
#[derive(Debug, Clone, Serialize)]
pub struct CvReport {
    /// Number of folds.
    pub folds: usize,
    /// Rows of the table.
    pub rows: usize,
    /// Mean and sd of the folds' accuracy.
    pub accuracy: (f64, f64),
    /// Mean and sd of the folds' macro-F1.
    pub macro_f1: (f64, f64),
    /// Mean and sd of the folds' expected calibration error.
    pub ece: (f64, f64),
    /// Label, mean and sd of its F1 over the folds whose test rows hold it, and how many those are.
    pub per_label_f1: Vec<(String, f64, f64, usize)>,
    /// Each fold's metrics over all of the table's labels.
    pub per_fold: Vec<Metrics>,
}

/// Mean and sample standard deviation (0 for fewer than two values).
pub(crate) fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len().max(1) as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var.sqrt())
}

/// Cross-validates a training setup on a labeled table (see the module docs for the rule on
/// rare labels; `split` holds the folds). Each fold is scored over all of the table's labels; each label's F1 is
/// averaged over the folds whose test rows hold it, as macro-F1 leaves out the labels absent
/// from a fold.
pub fn cross_validate(
    table: &Table,
    split: &FoldSplit,
    params: &ValidTrainParams,
    info: &DataInfo,
    progress: &dyn Progress,
) -> Result<CvReport> {
    let folds = split.predict(table, params, info, progress)?;
    let names = &split.labels;
    let per_fold: Vec<Metrics> = folds
        .iter()
        .map(|f| Metrics::compute(names, &f.truth, &f.pred, &f.probs, None))
        .collect();
    let collect = |f: &dyn Fn(&Metrics) -> f64| mean_sd(&per_fold.iter().map(f).collect::<Vec<_>>());
    let per_label_f1: Vec<(String, f64, f64, usize)> = names
        .iter()
        .map(|n| {
            let v: Vec<f64> = per_fold
                .iter()
                .filter_map(|m| {
                    m.per_label
                        .iter()
                        .find(|l| &l.label == n && l.support > 0)
                        .map(|l| l.f1)
                })
                .collect();
            let (m, s) = mean_sd(&v);
            (n.clone(), m, s, v.len())
        })
        .collect();
    Ok(CvReport {
        folds: split.folds.len(),
        rows: table.records.len(),
        accuracy: collect(&|m| m.accuracy),
        macro_f1: collect(&|m| m.macro_f1),
        ece: collect(&|m| m.ece),
        per_label_f1,
        per_fold,
    })
}

/// Predictions of rows by models that did not train on them, fold by fold.
#[derive(Debug, Clone, PartialEq)]
pub struct OutOfFold {
    /// The table's labels, sorted: what `truth` and the columns of `probs` index.
    pub labels: Vec<String>,
    /// Each row's label (rows in fold order).
    pub truth: Vec<usize>,
    /// Each row's probabilities.
    pub probs: Vec<Vec<f64>>,
    /// Labels missing from some fold's training rows (their rows there hold probability 0).
    pub missing: Vec<MissingLabel>,
}

/// Out-of-fold predictions on a labeled table: `k` models with `params`, each trained on the
/// other folds, predict the rows of theirs (stratified by label; rows sharing a text, such as one
/// headline with several targets, stay in one fold). The fold loop and its rule are
/// [`cross_validate`]'s.
pub fn out_of_fold(
    table: &Table,
    params: &ValidTrainParams,
    info: &DataInfo,
    k: usize,
    seed: u64,
) -> Result<OutOfFold> {
    let plan = FoldPlan {
        folds: k,
        seed,
        grouping: Grouping::Text,
    };
    let split = FoldSplit::new(table, &plan)?;
    let (mut truth, mut probs) = (Vec::new(), Vec::new());
    for f in split.predict(table, params, info, &crate::progress::NoProgress)? {
        truth.extend(f.truth);
        probs.extend(f.probs);
    }
    Ok(OutOfFold {
        labels: split.labels,
        truth,
        probs,
        missing: split.missing,
    })
}
