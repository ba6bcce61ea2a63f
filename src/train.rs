//! The training workflow as `postura train` runs it, step by step: fit on a table, score on
//! held-out rows, calibrate the probabilities, refit with the held-out rows.

use crate::data::Table;
use crate::error::{Error, Result};
use crate::eval::{Metrics, metrics};
use crate::model::{Calibration, DevScore, Model, Refit, argmax};

/// Fewest dev rows autotune and calibration accept: autotune ranks on one half and confirms on
/// the other, and a temperature fitted on a handful of rows fits those rows only.
pub const MIN_TUNING_ROWS: usize = 20;

/// Folds of calibration without dev rows.
pub const CALIBRATION_FOLDS: usize = 5;

/// Scores `model` on the labeled `dev` rows (with the aliases it was trained with) and records
/// the score in its card.
pub fn score_on_dev(model: &mut Model, dev: &Table) -> Result<Metrics> {
    let aliases = model.card.data.aliases.clone();
    let m = crate::evaluate_table(model, dev, &aliases, None)?;
    model.card.dev = Some(DevScore::new(&dev.path, &m));
    Ok(m)
}

/// Most folds of calibration grouped by a column: one fold per group up to this many.
pub const MAX_GROUP_FOLDS: usize = 10;

/// The rows a temperature is fitted on (see [`calibrate`]).
#[derive(Debug, Clone, Copy)]
pub enum CalibrationRows<'a> {
    /// Labeled rows the model has not seen.
    Dev(&'a Table),
    /// [`CALIBRATION_FOLDS`]-fold out-of-fold predictions of the training rows (rows sharing a
    /// text stay in one fold).
    OutOfFold,
    /// Out-of-fold predictions where each value of the training table's group column (for
    /// example the writing pass or the writer) is held out of its own fold's training rows:
    /// one fold per value, up to [`MAX_GROUP_FOLDS`]. The temperature then matches how the
    /// model reads text by writers it has not seen. The table must be read with that group
    /// column, named here for messages and the card.
    HeldOutGroups(&'a str),
}

impl<'a> CalibrationRows<'a> {
    /// The rows `postura train` calibrates on: held-out groups of `by` when given, else the dev
    /// rows when there are any, else out-of-fold predictions of the training rows.
    pub fn choose(by: Option<&'a str>, dev: Option<&'a Table>) -> Self {
        match (by, dev) {
            (Some(column), _) => CalibrationRows::HeldOutGroups(column),
            (None, Some(dev)) => CalibrationRows::Dev(dev),
            (None, None) => CalibrationRows::OutOfFold,
        }
    }

    /// Whether these are dev rows (which then need at least [`MIN_TUNING_ROWS`]).
    pub fn is_dev(&self) -> bool {
        matches!(self, CalibrationRows::Dev(_))
    }
}

/// Fits the temperature of `model`'s probabilities (temperature scaling: labels and accuracy do
/// not change) on the rows `on` names and records it in the card. Out of fold, every label must
/// be in every fold's training rows: a temperature cannot be fitted on rows whose label had
/// probability 0.
pub fn calibrate<'m>(model: &'m mut Model, train: &Table, on: CalibrationRows) -> Result<&'m Calibration> {
    let (truth, probs, source) = match on {
        CalibrationRows::Dev(dev) => {
            let (truth, preds) = crate::predict_labeled(model, dev, &model.card.data.aliases)?;
            let probs: Vec<Vec<f64>> = preds.into_iter().map(|p| p.probs).collect();
            (truth, probs, dev.path.display().to_string())
        }
        CalibrationRows::OutOfFold | CalibrationRows::HeldOutGroups(_) => {
            let params = model.card.params.clone().check()?;
            let plan = calibration_plan(train, on)?;
            let split = crate::eval::FoldSplit::new(train, &plan)?;
            if let Some(m) = split.missing.first() {
                let fix = match on {
                    CalibrationRows::HeldOutGroups(column) => {
                        format!(": every label needs rows in at least two values of {column}")
                    }
                    _ => String::new(),
                };
                return Err(Error::input(
                    &train.path,
                    None,
                    format!(
                        "label '{}' has too few rows to split into {} folds{fix}",
                        m.label, plan.folds
                    ),
                ));
            }
            let folds = split.predict(train, &params, &model.card.data, &crate::progress::NoProgress)?;
            if split.labels != model.labels {
                return Err(Error::Internal("out-of-fold labels differ from the model's".into()));
            }
            let source = match &plan.grouping {
                crate::eval::Grouping::Column(c) => format!(
                    "{} ({}-fold out-of-fold, each {c} held out)",
                    train.path.display(),
                    plan.folds
                ),
                _ => format!("{} ({}-fold out-of-fold)", train.path.display(), plan.folds),
            };
            let (mut truth, mut probs) = (Vec::new(), Vec::new());
            for f in folds {
                truth.extend(f.truth);
                probs.extend(f.probs);
            }
            (truth, probs, source)
        }
    };
    let pred: Vec<usize> = probs.iter().map(|p| argmax(p)).collect();
    let scale = metrics::fit_temperature_scale(&truth, &probs);
    let before = metrics::expected_calibration_error(&truth, &pred, &probs);
    let after = metrics::expected_calibration_error(&truth, &pred, &metrics::rescale_probabilities(&probs, scale));
    let c = Calibration {
        temperature: model.temperature() / scale,
        path: source,
        rows: truth.len(),
        ece_before: before,
        ece_after: after,
    };
    Ok(model.card.calibration.insert(c))
}

/// The folds of out-of-fold calibration.
fn calibration_plan(train: &Table, on: CalibrationRows) -> Result<crate::eval::FoldPlan> {
    let CalibrationRows::HeldOutGroups(column) = on else {
        return Ok(crate::eval::FoldPlan {
            folds: CALIBRATION_FOLDS,
            seed: 42,
            grouping: crate::eval::Grouping::Text,
        });
    };
    let mut groups: Vec<&str> = Vec::new();
    for r in &train.records {
        match r.group.as_deref() {
            Some(g) => groups.push(g),
            None => {
                return Err(Error::Internal(format!(
                    "calibration by held-out groups needs {} read with its group column",
                    train.path.display()
                )));
            }
        }
    }
    groups.sort_unstable();
    groups.dedup();
    if groups.len() < 2 {
        return Err(Error::input(
            &train.path,
            None,
            format!(
                "column {column} has {} value: calibrating on held-out groups needs at least two",
                groups.len()
            ),
        ));
    }
    Ok(crate::eval::FoldPlan {
        folds: groups.len().min(MAX_GROUP_FOLDS),
        seed: 42,
        grouping: crate::eval::Grouping::Column(column.to_string()),
    })
}

/// Trains `scored`'s settings again on the `train` rows and the `dev` rows together. The new
/// model keeps `scored`'s dev score, autotune record and calibration, and its card names the
/// dev file.
pub fn refit(scored: Model, train: &Table, dev: Table) -> Result<Model> {
    let params = scored.card.params.clone().check()?;
    let refit = Refit {
        path: dev.path.display().to_string(),
        sha256: dev.sha256.clone(),
        rows: dev.records.len(),
    };
    let mut both = train.clone();
    both.records.extend(dev.records);
    let mut model = crate::train_table(&both, &params, scored.card.data.clone())?;
    model.card.dev = scored.card.dev;
    model.card.autotune = scored.card.autotune;
    model.card.calibration = scored.card.calibration;
    model.card.refit = Some(refit);
    Ok(model)
}
