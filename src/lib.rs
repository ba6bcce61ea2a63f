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
//! let p = model.predict("Milei celebró el aplastante triunfo de Kast", &kast);
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

pub mod autotune;
pub mod data;
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
pub use model::{Model, Prediction, StancePrediction, Target, TrainParams, TrainRow};
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

/// One matcher per distinct actor name of a table, each knowing the shared aliases.
pub fn actor_matchers(table: &Table, aliases: &[String]) -> HashMap<String, ActorMatcher> {
    let mut out = HashMap::new();
    for r in &table.records {
        if let Some(a) = &r.actor
            && !out.contains_key(a)
        {
            out.insert(a.clone(), ActorMatcher::new(a, aliases));
        }
    }
    out
}

/// The statements of a table, borrowing the matchers.
pub fn statements<'a>(table: &'a Table, matchers: &'a HashMap<String, ActorMatcher>) -> Vec<Statement<'a>> {
    table
        .records
        .iter()
        .map(|r| Statement {
            text: &r.text,
            actor: r.actor.as_ref().and_then(|a| matchers.get(a)),
        })
        .collect()
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
            Error::input(
                &table.path,
                Some(r.line),
                format!(
                    "label '{label}' is not one of the model's labels ({}); use --label-map",
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
    let (truth, preds) = predict_labeled(model, table, aliases)?;
    let pred: Vec<usize> = preds.iter().map(|p| p.label).collect();
    let probs: Vec<Vec<f64>> = preds.into_iter().map(|p| p.probs).collect();
    Ok(eval::Metrics::compute(
        &model.labels,
        &truth,
        &pred,
        &probs,
        min_confidence,
    ))
}
