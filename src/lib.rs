//! postura: how Spanish statements stand toward a named actor — supportive, neutral or distancing.
//!
//! The pipeline runs one way: [`text`] (normalize, tokenize, negation, actor mentions) →
//! [`features`] (n-grams, vocabulary, TF-IDF, sparse rows) → [`model`] (multinomial logistic
//! regression, its solver and file) → [`eval`] (metrics, cross-validation) and [`label`]
//! (batch labeling of articles). [`data`] reads tables and articles.
//!
//! Load a model, say whom a statement is about, and read its stance:
//!
//! ```
//! use postura::{Model, Target};
//!
//! let model = Model::default_model()?;
//! let kast = Target::new("Kast").alias("José Antonio Kast");
//! let p = model.predict("Milei celebró el aplastante triunfo de Kast", &kast)?;
//! println!("{} ({:.2})", p.label(), p.confidence());
//! for (label, prob) in p.probabilities() {
//!     println!("  {label}: {prob:.3}");
//! }
//! assert!(model.labels().iter().any(|l| l == p.label()));
//!
//! // Many texts at once, in parallel: one target for all, or one per text.
//! let texts = ["Kast presentó su programa", "Duras críticas a Kast"];
//! let batch = model.predict_batch(&texts, &[kast])?;
//! assert_eq!(batch.len(), 2);
//! # Ok::<(), postura::Error>(())
//! ```
//!
//! Train from rows of text, label and (optionally) actor with [`TrainParams::fit_rows`], save
//! with [`Model::save`] and load again with [`Model::load`].

#![warn(missing_docs)]

pub mod autotune;
pub mod data;
mod derived;
pub mod error;
pub mod eval;
pub mod features;
pub mod label;
pub mod model;
pub mod progress;
pub mod text;
pub mod train;

pub use error::{Error, Result};
pub use eval::{OutOfFold, cross_validate, out_of_fold};
pub use features::Statement;
pub use model::{Model, Prediction, StancePrediction, Target, TrainOverrides, TrainParams, TrainRow};
pub use text::ActorMatcher;

use data::Table;
use model::DataInfo;
use std::collections::HashMap;

/// The default model, trained from `datasets/stance_es.csv` and shipped inside the binary.
pub const DEFAULT_MODEL: &[u8] = include_bytes!("../models/default.postura");

/// Loads the embedded default model.
pub fn default_model() -> Result<Model> {
    if DEFAULT_MODEL.is_empty() {
        return Err(Error::usage("this build embeds no default model; pass --model FILE"));
    }
    model::file::from_bytes(std::path::Path::new("<embedded default model>"), DEFAULT_MODEL)
}

/// The matchers of a table's actors (each knowing the shared aliases) and of its sources.
#[derive(Debug, Clone, Default)]
pub struct Matchers {
    /// Matchers of the table's actors, by name.
    pub actors: HashMap<String, ActorMatcher>,
    /// Matchers of the table's sources, by name.
    pub sources: HashMap<String, ActorMatcher>,
}

/// One matcher per distinct actor name of a table, each knowing the shared aliases, and one per
/// distinct source name.
pub fn actor_matchers(table: &Table, aliases: &[String]) -> Matchers {
    let mut out = Matchers::default();
    for r in &table.records {
        if let Some(a) = &r.actor
            && !out.actors.contains_key(a)
        {
            out.actors.insert(a.clone(), ActorMatcher::new(a, aliases));
        }
        if let Some(s) = &r.source
            && !out.sources.contains_key(s)
        {
            out.sources.insert(s.clone(), ActorMatcher::new(s, &[] as &[&str]));
        }
    }
    out
}

/// The statements of a table, borrowing the matchers.
pub fn statements<'a>(table: &'a Table, matchers: &'a Matchers) -> Vec<Statement<'a>> {
    table
        .records
        .iter()
        .map(|r| {
            Statement::new(&r.text, r.actor.as_ref().and_then(|a| matchers.actors.get(a)))
                .with_source(r.source.as_ref().and_then(|s| matchers.sources.get(s)))
        })
        .collect()
}

/// One matcher per distinct source name, for a model that can answer for a source. A source
/// given to a model trained without sources is an error: it would answer the statement's own
/// stance as if it were the source's.
pub fn source_matchers<'s>(
    model: &Model,
    names: impl IntoIterator<Item = &'s str>,
) -> Result<HashMap<String, ActorMatcher>> {
    let mut out = HashMap::new();
    for name in names {
        if !model.is_source_aware() {
            return Err(Error::usage(format!(
                "source '{name}' given, but this model was trained without sources and cannot say how one \
                 actor stands toward another; train with a source column (datasets/stance_es.csv has one)"
            )));
        }
        if !out.contains_key(name) {
            let m = ActorMatcher::new(name, &[] as &[&str]);
            if !m.is_usable() {
                return Err(Error::usage(format!(
                    "source '{name}' has no word (a letter or digit) to look for"
                )));
            }
            out.insert(name.to_string(), m);
        }
    }
    Ok(out)
}

/// Trains a model on every row of a labeled table.
pub fn train_table(table: &Table, params: &model::ValidTrainParams, info: DataInfo) -> Result<Model> {
    let matchers = actor_matchers(table, &info.aliases);
    let sts = statements(table, &matchers);
    let labels: Vec<&str> = table.records.iter().map(|r| r.label.as_deref().unwrap_or("")).collect();
    params.fit(&sts, &labels, info)
}

/// The label index of every row of a labeled table (in the model's labels) and the model's
/// predictions for the rows. Every row's label must be one of the model's labels.
pub fn predict_labeled(model: &Model, table: &Table, aliases: &[String]) -> Result<(Vec<usize>, Vec<Prediction>)> {
    let mut truth = Vec::with_capacity(table.records.len());
    for r in &table.records {
        let label = r.label.as_deref().unwrap_or("");
        let idx = model.label_index(label).ok_or_else(|| {
            let hint = data::table::suggest(label, model.labels.iter().map(String::as_str), 2)
                .map_or(String::new(), |l| format!("; did you mean '{l}'?"));
            Error::input(
                &table.path,
                Some(r.line),
                format!(
                    "label '{label}' is not one of the model's labels ({}); use --label-map{hint}",
                    model.labels.join(", ")
                ),
            )
        })?;
        truth.push(idx);
    }
    let matchers = actor_matchers(table, aliases);
    Ok((truth, model.predict_statements(&statements(table, &matchers))))
}

/// Predicts every row of a labeled table and scores the predictions. Every row's label must be
/// one of the model's labels.
pub fn evaluate_table(
    model: &Model,
    table: &Table,
    aliases: &[String],
    min_confidence: Option<f64>,
) -> Result<eval::Metrics> {
    evaluate_rows(model, table, aliases, min_confidence).map(|(m, _)| m)
}

/// Like [`evaluate_table`], and the prediction of every row too (for `eval --predictions`).
pub fn evaluate_rows(
    model: &Model,
    table: &Table,
    aliases: &[String],
    min_confidence: Option<f64>,
) -> Result<(eval::Metrics, Vec<Prediction>)> {
    let (truth, preds) = predict_labeled(model, table, aliases)?;
    let pred: Vec<usize> = preds.iter().map(|p| p.label).collect();
    let probs: Vec<Vec<f64>> = preds.iter().map(|p| p.probs.clone()).collect();
    let m = eval::Metrics::compute(&model.labels, &truth, &pred, &probs, min_confidence);
    Ok((m, preds))
}
