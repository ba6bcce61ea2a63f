//! Training: hyperparameters (checked once, as linfa's ParamGuard does) and `fit`, which turns
//! labeled statements into a [`Model`].

use super::objective::{Loss, Objective};
use super::solver::{self, SolverConfig, SolverKind};
use super::{DataInfo, Model, ModelCard};
use crate::data::{Columns, LabelMap, Record, Table};
use crate::error::{Error, Result};
use crate::features::{FeatureConfig, Featurizer, Statement};
use crate::text::TextConfig;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
/// How rows are weighted in the loss.
pub enum ClassWeight {
    /// Every row counts the same.
    None,
    /// Rows are weighted by n / (labels × rows of their label), so rare labels count as much.
    Balanced,
}

/// Every setting of a training run, with its default in one place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainParams {
    /// Text settings.
    pub text: TextConfig,
    /// Feature settings.
    pub features: FeatureConfig,
    /// Inverse L2 strength: the objective is C × Σ loss + ½‖W‖² (alpha = 1 / C).
    pub c: f64,
    /// The loss the weights minimize.
    pub loss: Loss,
    /// How rows are weighted.
    pub class_weight: ClassWeight,
    /// Optimizer settings.
    pub solver: SolverConfig,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            text: TextConfig::default(),
            features: FeatureConfig::default(),
            c: Loss::default().default_c(),
            loss: Loss::default(),
            // Balanced: macro-F1 counts every label the same, and stance corpora are rarely
            // balanced (cic-es 5-fold CV 0.754 -> 0.759; headlines unchanged).
            class_weight: ClassWeight::Balanced,
            solver: SolverConfig::default(),
        }
    }
}

/// The values of C (and of alpha = 1/C) that training takes.
pub const C_RANGE: (f64, f64) = (1e-9, 1e9);

/// Parameters that passed [`TrainParams::check`]; only these can fit.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTrainParams(TrainParams);

impl TrainParams {
    /// Rejects settings that cannot work, before any work starts.
    pub fn check(self) -> Result<ValidTrainParams> {
        let f = &self.features;
        if !(self.c.is_finite() && self.c > 0.0) {
            return Err(Error::usage(format!("C must be a positive number (got {})", self.c)));
        }
        // Beyond these the solver meets numbers too small or too large for its arithmetic
        // (C = 1e-310 made the cost non-finite) and no useful model lies there.
        if !(C_RANGE.0..=C_RANGE.1).contains(&self.c) {
            return Err(Error::usage(format!(
                "C must be between {:e} and {:e} (got {:e}); alpha is 1/C",
                C_RANGE.0, C_RANGE.1, self.c
            )));
        }
        if f.word_ngrams.1 > 0 && f.word_ngrams.0 > f.word_ngrams.1 {
            return Err(Error::usage("word n-gram range: min is above max"));
        }
        if f.word_ngrams.1 > 3 {
            return Err(Error::usage("word n-grams go up to 3"));
        }
        if f.char_ngrams.1 > 0 && (f.char_ngrams.0 == 0 || f.char_ngrams.0 > f.char_ngrams.1) {
            return Err(Error::usage("char n-gram range must be MIN-MAX with 1 <= MIN <= MAX"));
        }
        if f.char_ngrams.1 > 8 {
            return Err(Error::usage("char n-grams go up to 8"));
        }
        if f.word_ngrams.1 == 0 && f.char_ngrams.1 == 0 && f.window == 0 {
            return Err(Error::usage(
                "no features left: word, char and window features are all off",
            ));
        }
        if self.solver.max_iter == 0 {
            return Err(Error::usage("--max-iter must be at least 1"));
        }
        Ok(ValidTrainParams(self))
    }
}

/// One labeled statement to train on: its text, its label and, when known, its target actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainRow {
    /// The statement.
    pub text: String,
    /// Its label (any name; the model's labels are the distinct names, sorted).
    pub label: String,
    /// The actor the label is toward, if the row has one.
    pub actor: Option<String>,
    /// Whose stance toward the actor the label is (a speaker named in the text), if not the
    /// statement's own; rows with a source make a source-aware model (label `none` included).
    pub source: Option<String>,
}

impl TrainRow {
    /// A row without an actor.
    pub fn new(text: impl Into<String>, label: impl Into<String>) -> Self {
        TrainRow {
            text: text.into(),
            label: label.into(),
            actor: None,
            source: None,
        }
    }

    /// Sets the row's target actor.
    pub fn actor(mut self, actor: impl Into<String>) -> Self {
        self.actor = Some(actor.into());
        self
    }

    /// Sets whose stance the row's label is.
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }
}

impl<T: Into<String>, L: Into<String>> From<(T, L)> for TrainRow {
    fn from((text, label): (T, L)) -> Self {
        TrainRow::new(text, label)
    }
}

impl<T: Into<String>, L: Into<String>, A: Into<String>> From<(T, L, Option<A>)> for TrainRow {
    fn from((text, label, actor): (T, L, Option<A>)) -> Self {
        TrainRow {
            actor: actor.map(Into::into),
            ..TrainRow::new(text, label)
        }
    }
}

impl TrainParams {
    /// Checks the settings and fits a model to `rows` (see [`TrainRow`]; pairs of text and label
    /// and triples with an optional actor convert). Rows with an empty text are skipped, as
    /// tables skip them; a row with an empty label is an error naming the row.
    ///
    /// ```
    /// use postura::{Target, TrainParams};
    /// let rows = [
    ///     ("Apoyo total a Ana Ruiz", "supportive"),
    ///     ("Ana Ruiz viajó a la capital", "neutral"),
    ///     ("Rechazo rotundo a Ana Ruiz", "distancing"),
    /// ];
    /// let model = TrainParams::default().fit_rows(rows)?;
    /// assert_eq!(model.labels(), ["distancing", "neutral", "supportive"]);
    /// let p = model.predict("Apoyo total", &Target::none())?;
    /// assert!(p.confidence() > 0.0);
    /// # Ok::<(), postura::Error>(())
    /// ```
    pub fn fit_rows<I, R>(self, rows: I) -> Result<Model>
    where
        I: IntoIterator<Item = R>,
        R: Into<TrainRow>,
    {
        self.fit_rows_with_aliases(rows, &[] as &[String])
    }

    /// Like [`Self::fit_rows`], with other names of the rows' actors (as `train --alias`): a
    /// mention of any of them counts as a mention of the row's actor, and the model records them
    /// for prediction.
    pub fn fit_rows_with_aliases<I, R, A>(self, rows: I, aliases: &A) -> Result<Model>
    where
        I: IntoIterator<Item = R>,
        R: Into<TrainRow>,
        A: crate::text::Aliases + ?Sized,
    {
        let params = self.check()?;
        let rows: Vec<TrainRow> = rows.into_iter().map(Into::into).collect();
        let aliases: Vec<String> = aliases.alias_list().into_iter().map(str::to_string).collect();
        params.fit_rows(&rows, &aliases)
    }
}

impl ValidTrainParams {
    /// Fits a model to `rows` with the actors' `aliases` (see [`TrainParams::fit_rows`]).
    pub fn fit_rows(&self, rows: &[TrainRow], aliases: &[String]) -> Result<Model> {
        const SOURCE: &str = "<rows>";
        let mut hash = Sha256::new();
        let mut records = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            if r.label.trim().is_empty() {
                return Err(Error::input(SOURCE, Some(i as u64 + 1), "empty label"));
            }
            if r.text.trim().is_empty() {
                continue;
            }
            // Unit and record separators keep fields apart in the content hash.
            let source = r.source.as_deref().unwrap_or("");
            for field in [
                r.text.as_str(),
                r.label.as_str(),
                r.actor.as_deref().unwrap_or(""),
                source,
            ] {
                hash.update(field.as_bytes());
                hash.update([0x1f]);
            }
            hash.update([0x1e]);
            records.push(Record {
                line: i as u64 + 1,
                text: r.text.clone(),
                actor: r.actor.clone(),
                source: r.source.clone(),
                label: Some(r.label.clone()),
                group: None,
                id: None,
            });
        }
        let sha256: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let table = Table {
            path: SOURCE.into(),
            records,
            sha256: sha256.clone(),
            skipped_empty: Vec::new(),
            duplicates: 0,
            first_duplicate: None,
            unread_actor_column: None,
        };
        let info = DataInfo {
            path: SOURCE.to_string(),
            sha256,
            rows: table.records.len(),
            rows_per_label: Vec::new(),
            columns: Columns::default(),
            label_map: LabelMap::default(),
            aliases: aliases.to_vec(),
            constant_actor: None,
        };
        self.fit_table(&table, info)
    }

    /// Fits a model to every row of a labeled table; `info` describes the data in the card.
    pub fn fit_table(&self, table: &Table, info: DataInfo) -> Result<Model> {
        crate::train_table(table, self, info)
    }

    /// The checked settings.
    pub fn params(&self) -> &TrainParams {
        &self.0
    }

    /// Fits a model to `statements` with their `labels` (one per statement).
    pub fn fit(&self, statements: &[Statement], labels: &[&str], mut data: DataInfo) -> Result<Model> {
        let p = &self.0;
        let started = std::time::Instant::now();
        if statements.len() != labels.len() {
            return Err(Error::Internal("statements and labels differ in number".into()));
        }
        // Rows from a file were checked with their line as they were read; these are rows
        // given by a program (the library's or the Python package's `train`).
        for (i, s) in statements.iter().enumerate() {
            if let Some(why) = crate::text::statement_too_long(s.text.len()) {
                return Err(Error::input(&data.path, None, format!("row {i}: {why}")));
            }
        }
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for l in labels {
            *counts.entry(l).or_default() += 1;
        }
        if counts.len() < 2 {
            let only = counts.keys().next().copied().unwrap_or("");
            return Err(Error::input(
                &data.path,
                None,
                format!("every training row has the label '{only}': at least two labels are needed"),
            ));
        }
        // A model answers for a source exactly when it has the label `none`
        // (`Model::is_source_aware`): rows with a source and that label go together, or the
        // model would be shaped by sources and then refuse them (or the reverse).
        let has_source = statements.iter().any(|s| s.source.is_some());
        match (has_source, counts.contains_key(super::NONE_LABEL)) {
            (true, false) => {
                return Err(Error::input(
                    &data.path,
                    None,
                    format!(
                        "rows have a source (whose stance the label is) but no row is labeled \
                         '{none}': a model answers for a source only when it learns '{none}' (the \
                         source holds no stance toward the actor there); add such rows, or train \
                         without sources",
                        none = super::NONE_LABEL
                    ),
                ));
            }
            (false, true) => {
                return Err(Error::input(
                    &data.path,
                    None,
                    format!(
                        "rows are labeled '{none}' (a source that holds no stance) but no row has a \
                         source: give those rows their source, or name the label otherwise",
                        none = super::NONE_LABEL
                    ),
                ));
            }
            _ => {}
        }
        let label_names: Vec<String> = counts.keys().map(|s| s.to_string()).collect();
        let y: Vec<u32> = labels
            .iter()
            .map(|l| label_names.iter().position(|n| n == l).unwrap_or(0) as u32)
            .collect();
        let k = label_names.len();
        let n = statements.len();
        let sample_weight: Vec<f64> = match p.class_weight {
            ClassWeight::None => vec![1.0; n],
            ClassWeight::Balanced => {
                let per: Vec<f64> = label_names
                    .iter()
                    .map(|l| n as f64 / (k as f64 * counts[l.as_str()] as f64))
                    .collect();
                y.iter().map(|&c| per[c as usize]).collect()
            }
        };
        let (mut featurizer, mut x) = Featurizer::fit_transform(p.text.clone(), p.features.clone(), statements);
        if featurizer.vocab.is_empty() {
            return Err(Error::input(
                &data.path,
                None,
                format!(
                    "no feature occurs in enough of the {n} rows (--min-df {}, --char-min-df {}): lower them",
                    p.features.min_df, p.features.char_min_df
                ),
            ));
        }
        if p.features.nb_scale {
            featurizer.fit_nb_scale(&mut x, &y, k);
        }
        let alpha = 1.0 / p.c;
        let sol = match p.solver.kind {
            SolverKind::Sparse => {
                let mut obj = Objective::new(x, &y, &sample_weight, k, alpha);
                obj.loss = p.loss;
                solver::minimize(&obj, &p.solver, None)?
            }
            SolverKind::Linfa => {
                let mut missing = Vec::new();
                if p.loss != Loss::Logistic {
                    missing.push("--loss logistic");
                }
                if p.class_weight != ClassWeight::None {
                    missing.push("--class-weight none");
                }
                if !missing.is_empty() {
                    return Err(Error::usage(format!(
                        "--solver linfa fits the unweighted logistic loss only: add {}",
                        missing.join(" ")
                    )));
                }
                let cells = x.n_rows().saturating_mul(x.n_cols);
                if cells > 200_000_000 {
                    return Err(Error::usage(format!(
                        "--solver linfa needs a dense {} × {} matrix ({:.1} GB); use the default sparse solver",
                        x.n_rows(),
                        x.n_cols,
                        cells as f64 * 8e-9
                    )));
                }
                solver::fit_linfa(&x, &y, k, alpha, &p.solver)?
            }
        };
        data.rows = n;
        data.rows_per_label = counts.iter().map(|(l, c)| (l.to_string(), *c)).collect();
        Ok(Model {
            featurizer,
            labels: label_names,
            weights: sol.theta.iter().map(|&v| v as f32).collect(),
            columns: Default::default(),
            card: ModelCard {
                postura_version: env!("CARGO_PKG_VERSION").to_string(),
                created_unix: created_unix(),
                params: p.clone(),
                data,
                solver_cost: sol.cost,
                solver_iterations: sol.iterations,
                train_seconds: if reproducible() {
                    0.0
                } else {
                    started.elapsed().as_secs_f64()
                },
                dev: None,
                autotune: None,
                refit: None,
                calibration: None,
            },
        })
    }
}

/// True when `SOURCE_DATE_EPOCH` asks for byte-identical model files: no clock readings are recorded.
fn reproducible() -> bool {
    std::env::var_os("SOURCE_DATE_EPOCH").is_some()
}

/// Now, or `SOURCE_DATE_EPOCH` when set (reproducible model files).
fn created_unix() -> u64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        })
}
