//! `postura cv`: stratified (optionally grouped) k-fold cross-validation of a training setup.

use super::args::{TableArgs, TrainOpts};
use super::eval::ReportFormat;
use super::output::{Out, json_pretty, stderr_is_terminal, table};
use clap::Args;
use postura::data::{Table, load_table};
use postura::eval::{Metrics, stratified_group_folds};
use postura::model::DataInfo;
use postura::{Error, Result};
use serde::Serialize;
use std::path::PathBuf;

/// Cross-validate a training setup on one labeled file.
///
/// Splits the rows into K folds with the label mix of the whole file (stratified); with
/// --group-col, rows sharing that column's value (e.g. one headline with several targets) stay
/// in the same fold. Trains on K−1 folds, scores the held-out one, and reports mean ± sd.
#[derive(Args, Debug)]
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
    pub opts: TrainOpts,
    /// Report format
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Serialize)]
struct Summary {
    folds: usize,
    rows: usize,
    accuracy: (f64, f64),
    macro_f1: (f64, f64),
    ece: (f64, f64),
    per_label_f1: Vec<(String, f64, f64)>,
    per_fold: Vec<Metrics>,
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len().max(1) as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var.sqrt())
}

/// Entry point of `postura cv`.
pub fn run(cmd: CvCmd) -> Result<i32> {
    let params = cmd.opts.params()?;
    if cmd.folds < 2 {
        return Err(Error::usage("--folds must be at least 2"));
    }
    let mut load = cmd.table.load_options(None, true)?;
    load.columns.group = cmd.group_col.clone();
    let data = load_table(&cmd.data, &load)?;
    cmd.table.check_warnings(&data)?;
    let mut names: Vec<String> = data.records.iter().filter_map(|r| r.label.clone()).collect();
    names.sort();
    names.dedup();
    let labels: Vec<usize> = data
        .records
        .iter()
        .map(|r| names.iter().position(|n| Some(n) == r.label.as_ref()).unwrap_or(0))
        .collect();
    let groups: Option<Vec<String>> = cmd.group_col.as_ref().map(|_| {
        data.records
            .iter()
            .map(|r| r.group.clone().unwrap_or_default())
            .collect()
    });
    let n_units = groups.as_ref().map_or(data.records.len(), |g| {
        let mut u = g.clone();
        u.sort();
        u.dedup();
        u.len()
    });
    if n_units < cmd.folds {
        return Err(Error::input(
            &data.path,
            None,
            format!(
                "{n_units} {} but {} folds: use fewer folds",
                if groups.is_some() { "groups" } else { "rows" },
                cmd.folds
            ),
        ));
    }
    if names.len() < 2 {
        return Err(Error::input(
            &data.path,
            None,
            format!(
                "every row has the label '{}': at least two labels are needed",
                names.first().map_or("", String::as_str)
            ),
        ));
    }
    let folds = stratified_group_folds(&labels, groups.as_deref(), cmd.folds, cmd.seed);
    // A label whose rows all land in one test fold leaves that fold's training side with fewer
    // labels; with a single one left nothing can be trained: say which label is too rare.
    for fold in &folds {
        let mut in_train = vec![false; names.len()];
        for &i in &fold.train {
            if let Some(p) = labels.get(i).and_then(|&l| in_train.get_mut(l)) {
                *p = true;
            }
        }
        if in_train.iter().filter(|&&p| p).count() < 2 {
            let missing = in_train.iter().position(|&p| !p).unwrap_or(0);
            let rows = labels.iter().filter(|&&l| l == missing).count();
            return Err(Error::input(
                &data.path,
                None,
                format!(
                    "label '{}' has {rows} rows: too few for {} folds (a training fold would hold a single label); use fewer folds",
                    names[missing], cmd.folds
                ),
            ));
        }
    }
    let bar = if stderr_is_terminal() {
        indicatif::ProgressBar::new(folds.len() as u64).with_message("folds")
    } else {
        indicatif::ProgressBar::hidden()
    };
    let subset = |rows: &[usize]| Table {
        path: data.path.clone(),
        records: rows.iter().filter_map(|&i| data.records.get(i).cloned()).collect(),
        sha256: data.sha256.clone(),
        skipped_empty: 0,
        duplicates: 0,
        first_duplicate: None,
    };
    let mut per_fold = Vec::new();
    for fold in &folds {
        let train = subset(&fold.train);
        let test = subset(&fold.test);
        let info = DataInfo {
            path: cmd.data.display().to_string(),
            sha256: data.sha256.clone(),
            rows: train.records.len(),
            rows_per_label: Vec::new(),
            columns: load.columns.clone(),
            label_map: load.label_map.clone(),
            aliases: cmd.table.alias.clone(),
            constant_actor: load.constant_actor.clone(),
        };
        let model = postura::train_table(&train, &params, info)?;
        // A label missing from a training fold cannot be predicted; score against the model's labels.
        let test = Table {
            records: test
                .records
                .into_iter()
                .filter(|r| r.label.as_ref().is_some_and(|l| model.label_index(l).is_some()))
                .collect(),
            ..test
        };
        per_fold.push(postura::evaluate_table(&model, &test, &cmd.table.alias, None)?);
        bar.inc(1);
    }
    bar.finish_and_clear();
    let collect = |f: &dyn Fn(&Metrics) -> f64| mean_sd(&per_fold.iter().map(f).collect::<Vec<_>>());
    let per_label_f1: Vec<(String, f64, f64)> = names
        .iter()
        .map(|n| {
            let v: Vec<f64> = per_fold
                .iter()
                .filter_map(|m| m.per_label.iter().find(|l| &l.label == n).map(|l| l.f1))
                .collect();
            let (m, s) = mean_sd(&v);
            (n.clone(), m, s)
        })
        .collect();
    let summary = Summary {
        folds: cmd.folds,
        rows: data.records.len(),
        accuracy: collect(&|m| m.accuracy),
        macro_f1: collect(&|m| m.macro_f1),
        ece: collect(&|m| m.ece),
        per_label_f1,
        per_fold,
    };
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
            for (l, m, s) in &summary.per_label_f1 {
                rows.push(vec![format!("F1 {l}"), format!("{m:.4} ± {s:.4}")]);
            }
            out.line(&table(&["metric", "mean ± sd"], &rows))?;
        }
    }
    out.flush()?;
    Ok(0)
}
