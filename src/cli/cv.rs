//! `postura cv`: stratified (optionally grouped) k-fold cross-validation of a training setup.

use super::args::{LabelArgs, TableArgs, TrainOpts};
use super::eval::ReportFormat;
use super::output::{Out, json_pretty, stderr_is_terminal, table};
use clap::Args;
use postura::data::load_table;
use postura::eval::predictions::{RowPrediction, write_csv};
use postura::eval::{FoldPlan, FoldSplit, Grouping, report_of_folds};
use postura::model::DataInfo;
use postura::progress::Progress;
use postura::{Error, Result};
use std::path::PathBuf;

const EXAMPLES: &str = "Examples:
  postura cv --data datasets/stance_es.csv --preset default --group-col pass   # by writing pass
  postura cv --data headlines.csv --actor-col target --group-col headline_id --folds 5 --c 4 \\\n    --label-map POS=supportive,NEU=neutral,NEG=distancing";

/// Cross-validate a training setup on one labeled file.
///
/// Splits the rows into K folds with the label mix of the whole file (stratified); with
/// --group-col, rows sharing that column's value (e.g. one headline with several targets) stay
/// in the same fold. Trains on K−1 folds, scores the held-out one, and reports mean ± sd.
///
/// Every row is scored once. A label whose rows all fall in one fold (a label rarer than the
/// folds) is missing from that fold's training rows: its rows there are scored as misses, with
/// a warning. Each label's F1 is averaged over the folds whose test rows hold that label, as
/// macro-F1 leaves out the labels absent from a fold.
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct CvCmd {
    /// Labeled CSV/TSV file
    #[arg(long, short = 'd', value_name = "FILE")]
    pub data: PathBuf,
    /// Number of folds
    #[arg(long, short = 'k', default_value_t = 5, value_name = "K")]
    pub folds: usize,
    /// Column whose rows must stay together (e.g. headline_id)
    #[arg(long, value_name = "NAME")]
    pub group_col: Option<String>,
    /// Seed of the fold assignment
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[command(flatten)]
    pub table: TableArgs,
    #[command(flatten)]
    pub labels: LabelArgs,
    #[command(flatten)]
    pub opts: TrainOpts,
    /// Report format
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Also write every row's out-of-fold prediction to FILE (CSV: line, fold, text, actor,
    /// label, predicted, correct, confidence, p_<label>…) for error analysis
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
}

/// A progress bar on a terminal's stderr for the folds.
struct FoldBar(indicatif::ProgressBar);

impl Progress for FoldBar {
    fn start(&self, total: u64, what: &str) {
        self.0.set_length(total);
        self.0.set_message(what.to_string());
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Entry point of `postura cv`.
pub fn run(cmd: CvCmd) -> Result<i32> {
    let params = cmd.opts.params()?;
    if cmd.folds < 2 {
        return Err(Error::usage("--folds must be at least 2"));
    }
    if let Some(p) = &cmd.predictions {
        let mut inputs = vec![cmd.data.as_path()];
        inputs.extend(cmd.opts.actors.as_deref());
        postura::model::file::check_output(p, &inputs)?;
    }
    let mut load = cmd.table.load_options(None, Some(&cmd.labels))?;
    load.columns.group = cmd.group_col.clone();
    let data = load_table(&cmd.data, &load)?;
    cmd.table.check_warnings(&data)?;
    let plan = FoldPlan {
        folds: cmd.folds,
        seed: cmd.seed,
        grouping: cmd.group_col.clone().map_or(Grouping::None, Grouping::Column),
    };
    let split = FoldSplit::new(&data, &plan)?;
    if let Some(msg) = split.missing_message() {
        if cmd.table.strict {
            return Err(Error::input(&data.path, None, format!("--strict: {msg}")));
        }
        eprintln!("warning: {}: {msg}", data.path.display());
    }
    let info = DataInfo {
        path: cmd.data.display().to_string(),
        sha256: data.sha256.clone(),
        rows: data.records.len(),
        rows_per_label: Vec::new(),
        columns: load.columns.clone(),
        label_map: load.label_map.clone(),
        aliases: cmd.table.alias.clone(),
        constant_actor: load.constant_actor.clone(),
    };
    let bar = FoldBar(if stderr_is_terminal() {
        indicatif::ProgressBar::new(0)
    } else {
        indicatif::ProgressBar::hidden()
    });
    let folds = split.predict(&data, &params, &info, &bar)?;
    let summary = report_of_folds(&data, &split, &folds);
    if let Some(path) = &cmd.predictions {
        // Every row once, with its fold and its out-of-fold probabilities, in file order.
        let mut oof: Vec<Option<(usize, &[f64])>> = vec![None; data.records.len()];
        for (f, fold) in folds.iter().enumerate() {
            for (&i, p) in fold.rows.iter().zip(&fold.probs) {
                if let Some(slot) = oof.get_mut(i) {
                    *slot = Some((f, p.as_slice()));
                }
            }
        }
        let rows: Vec<RowPrediction> = data
            .records
            .iter()
            .zip(&oof)
            .filter_map(|(record, o)| {
                o.map(|(f, probs)| RowPrediction {
                    record,
                    fold: Some(f),
                    probs,
                })
            })
            .collect();
        write_csv(path, &split.labels, &rows)?;
    }
    let mut out = Out::new();
    match cmd.format {
        ReportFormat::Json => out.line(&json_pretty(&summary)?)?,
        ReportFormat::Text => {
            out.line(&format!(
                "{}-fold cross-validation of {} ({} rows{})",
                cmd.folds,
                cmd.data.display(),
                summary.rows,
                cmd.group_col
                    .as_ref()
                    .map_or(String::new(), |g| format!(", grouped by {g}"))
            ))?;
            let mut rows = vec![
                vec![
                    "accuracy".to_string(),
                    format!("{:.4} ± {:.4}", summary.accuracy.0, summary.accuracy.1),
                ],
                vec![
                    "macro-F1".to_string(),
                    format!("{:.4} ± {:.4}", summary.macro_f1.0, summary.macro_f1.1),
                ],
                vec![
                    "ECE".to_string(),
                    format!("{:.4} ± {:.4}", summary.ece.0, summary.ece.1),
                ],
            ];
            for (l, m, s, n) in &summary.per_label_f1 {
                let folds = if *n < cmd.folds {
                    format!("  (in {n} of {} folds)", cmd.folds)
                } else {
                    String::new()
                };
                rows.push(vec![format!("F1 {l}"), format!("{m:.4} ± {s:.4}{folds}")]);
            }
            out.line(&table(&["metric", "mean ± sd"], &rows))?;
        }
    }
    out.flush()?;
    Ok(0)
}
