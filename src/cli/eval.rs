//! `postura eval`: score a model on a labeled file.

use super::args::{LabelArgs, TableArgs, load_model, model_label};
use super::output::{Out, json_pretty, metrics_report};
use clap::{Args, ValueEnum};
use postura::data::load_table;
use postura::eval::predictions::{RowPrediction, write_csv};
use postura::{Error, Result};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

const EXAMPLES: &str = "Examples:
  postura eval --data datasets/dev_news.csv --actor-col target   # the embedded default model
  postura eval -m my.postura --data dev.csv --predictions errors.csv
  postura eval --data dev.csv --min-confidence 0.7 --format json   # scores on the confident rows";

/// Score a model on a labeled CSV/TSV file.
///
/// Prints accuracy, macro-F1, per-label precision/recall/F1/support, the confusion matrix and
/// the expected calibration error. Column names and the label map default to the ones the
/// model was trained with.
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct EvalCmd {
    /// Model file [default: the embedded default model]
    #[arg(long, short = 'm', value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Labeled CSV/TSV file
    #[arg(long, short = 'd', value_name = "FILE")]
    pub data: PathBuf,
    #[command(flatten)]
    pub table: TableArgs,
    #[command(flatten)]
    pub labels: LabelArgs,
    /// Also report coverage and accuracy when predictions below P abstain
    #[arg(long, value_name = "P")]
    pub min_confidence: Option<f64>,
    /// Report format
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Also write every row's prediction to FILE (CSV: line, text, actor, label, predicted,
    /// correct, confidence, p_<label>…) for error analysis
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
}

/// Entry point of `postura eval`.
pub fn run(cmd: EvalCmd) -> Result<i32> {
    if let Some(p) = cmd.min_confidence
        && !(0.0..=1.0).contains(&p)
    {
        return Err(Error::usage(format!(
            "--min-confidence must be between 0 and 1 (got {p})"
        )));
    }
    if let Some(p) = &cmd.predictions {
        let mut inputs = vec![cmd.data.as_path()];
        inputs.extend(cmd.model.as_deref());
        postura::model::file::check_output(p, &inputs)?;
    }
    let model = load_model(cmd.model.as_deref())?;
    let opts = cmd.table.load_options(Some(model.card().data()), Some(&cmd.labels))?;
    let table = load_table(&cmd.data, &opts)?;
    cmd.table.check_warnings(&table)?;
    let aliases = model.aliases_for(&cmd.table.alias, opts.constant_actor.as_deref());
    let (m, preds) = postura::evaluate_rows(&model, &table, &aliases, cmd.min_confidence)?;
    if let Some(path) = &cmd.predictions {
        let rows: Vec<RowPrediction> = table
            .records
            .iter()
            .zip(&preds)
            .map(|(record, p)| RowPrediction {
                record,
                fold: None,
                probs: &p.probs,
            })
            .collect();
        write_csv(path, model.labels(), &rows)?;
    }
    let mut out = Out::new();
    match cmd.format {
        ReportFormat::Json => out.line(&json_pretty(&m)?)?,
        ReportFormat::Text => {
            out.line(&format!(
                "model {}  data {}",
                model_label(cmd.model.as_ref()),
                cmd.data.display()
            ))?;
            out.line(&metrics_report(&m))?;
        }
    }
    out.flush()?;
    Ok(0)
}
