//! `postura inspect`: the model card.

use super::args::{load_model, model_label};
use super::eval::ReportFormat;
use super::output::{Out, json_pretty};
use clap::Args;
use postura::Result;
use postura::data::date::Date;
use serde::Serialize;
use std::path::PathBuf;

const EXAMPLES: &str = "Examples:
  postura inspect                        # the embedded default model's card
  postura inspect my.postura --top 30
  postura inspect my.postura --format json > card.json";

/// Show a model's card: configuration, labels, size, training data and top features.
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct InspectCmd {
    /// Model file [default: the embedded default model]
    #[arg(value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Top features to list per label
    #[arg(long, default_value_t = 15, value_name = "N")]
    pub top: usize,
    /// Report format
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Serialize)]
struct Card<'a> {
    model: String,
    /// The card's creation time as an ISO date (UTC).
    created: String,
    file_bytes: Option<u64>,
    labels: &'a [String],
    /// Trained on rows with a source: answers how a source stands toward a target (and `none`).
    source_aware: bool,
    /// How many known actors the model carries (their mentions become `_other_`).
    known_actors: usize,
    features: usize,
    card: &'a postura::model::ModelCard,
    top_features: Vec<(String, Vec<(String, f64)>)>,
}

/// Entry point of `postura inspect`.
pub fn run(cmd: InspectCmd) -> Result<i32> {
    let model = load_model(cmd.model.as_deref())?;
    let file_bytes = match &cmd.model {
        Some(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        None => Some(postura::DEFAULT_MODEL.len() as u64),
    };
    let top: Vec<(String, Vec<(String, f64)>)> = model
        .labels()
        .iter()
        .cloned()
        .zip(model.top_features(cmd.top))
        .collect();
    let card = Card {
        model: model_label(cmd.model.as_ref()),
        created: Date::from_unix(model.card().created_unix()).to_string(),
        file_bytes,
        labels: model.labels(),
        source_aware: model.is_source_aware(),
        known_actors: model.featurizer().known_actors(),
        features: model.n_features(),
        card: model.card(),
        top_features: top,
    };
    let mut out = Out::new();
    match cmd.format {
        ReportFormat::Json => out.line(&json_pretty(&card)?)?,
        ReportFormat::Text => {
            let c = &model.card();
            let p = &c.params();
            let f = &p.features;
            let range = postura::features::describe_range;
            out.line(&format!("model        {}", card.model))?;
            out.line(&format!(
                "size         {} bytes, {} features × {} labels",
                file_bytes.unwrap_or(0),
                card.features,
                model.n_labels()
            ))?;
            out.line(&format!("labels       {}", model.labels().join(", ")))?;
            out.line(&format!(
                "roles        source-aware {} (--source answers, none when the source holds no stance), {} known actors as _other_, role features {}, capitalized names as others {}, quote marks {}",
                if card.source_aware { "yes" } else { "no" },
                card.known_actors,
                onoff(f.roles),
                onoff(p.text.caps_others),
                if p.text.drop_quotes { "dropped" } else { "read" }
            ))?;
            out.line(&format!(
                "postura      {}, created {} (UTC)",
                c.postura_version(),
                card.created
            ))?;
            out.line(&format!(
                "text         accent folding {}, elongation squeeze {}, negation scope {}",
                onoff(p.text.accent_fold),
                onoff(p.text.squeeze_elongations),
                onoff(p.text.negation)
            ))?;
            out.line(&format!(
                "features     word n-grams {}, char n-grams {}, stemming {}, actor window {}, actor pairs {}, min-df {} (char {}), max-features {}, sublinear tf {}, char chunks {}, NB scaling {}",
                range(f.word_ngrams),
                range(f.char_ngrams),
                onoff(f.stem),
                f.window,
                onoff(f.actor_pairs),
                f.min_df,
                f.char_min_df,
                if f.max_features == 0 { "all".to_string() } else { f.max_features.to_string() },
                onoff(f.sublinear_tf),
                onoff(f.char_chunks),
                onoff(f.nb_scale)
            ))?;
            out.line(&format!(
                "solver       {:?}, {:?} loss, C {} (alpha {:.4}), class weight {:?}, {} iterations, cost {:.4}, {:.2}s",
                p.solver.kind,
                p.loss,
                p.c,
                1.0 / p.c,
                p.class_weight,
                c.solver_iterations(),
                c.solver_cost(),
                c.train_seconds()
            ))?;
            let refit = c.refit().map_or(String::new(), |r| {
                format!(" + {} (sha256 {}, refit)", r.path, r.sha256.get(..16).unwrap_or(""))
            });
            out.line(&format!(
                "data         {} (sha256 {}){refit}: {} rows",
                c.data().path,
                c.data().sha256.get(..16).unwrap_or(""),
                c.data().rows,
            ))?;
            out.line(&format!(
                "rows/label   {}",
                c.data()
                    .rows_per_label
                    .iter()
                    .map(|(l, n)| format!("{l} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))?;
            out.line(&format!(
                "columns      text '{}', actor '{}', label '{}'{}{}",
                c.data().columns.text,
                c.data().columns.actor,
                c.data().columns.label,
                c.data()
                    .constant_actor
                    .as_ref()
                    .map_or(String::new(), |a| format!(", constant actor '{a}'")),
                if c.data().label_map.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", label map {}",
                        c.data()
                            .label_map
                            .0
                            .iter()
                            .map(|(a, b)| format!("{a}={b}"))
                            .collect::<Vec<_>>()
                            .join(",")
                    )
                }
            ))?;
            match c.dev() {
                Some(d) => out.line(&format!(
                    "dev          {} ({} rows): accuracy {:.4}, macro-F1 {:.4}",
                    d.path, d.rows, d.accuracy, d.macro_f1
                ))?,
                None => out.line(
                    "dev          no held-out score in the card (train --dev FILE records one; \
                     postura eval scores any labeled file)",
                )?,
            }
            if let Some(a) = &c.autotune() {
                out.line(&format!("autotune     {a}"))?;
            }
            if let Some(k) = &c.calibration() {
                out.line(&format!(
                    "calibration  temperature {:.3} fitted on {} ({} rows): ECE {:.4} -> {:.4} there",
                    k.temperature, k.path, k.rows, k.ece_before, k.ece_after
                ))?;
            }
            if let Some(r) = &c.refit() {
                out.line(&format!(
                    "refit        trained again after scoring, with the {} rows of {} added: the dev score is the model's before the refit",
                    r.rows, r.path
                ))?;
            }
            for (label, feats) in &card.top_features {
                out.line(&format!("\ntop features for {label}:"))?;
                for (name, w) in feats {
                    out.line(&format!("  {w:+8.3}  {name}"))?;
                }
            }
        }
    }
    out.flush()?;
    Ok(0)
}

fn onoff(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}
