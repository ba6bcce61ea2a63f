//! `postura cv`: stratified (optionally grouped) k-fold cross-validation of a training setup.

use super::args::{TableArgs, TrainOpts};
use super::eval::ReportFormat;
use super::output::{Out, json_pretty, stderr_is_terminal, table};
use clap::Args;
use postura::data::{Table, load_table};
use postura::eval::{Metrics, stratified_group_folds};
use postura::model::DataInfo;
use postura::{Error, Model, Result};
use serde::Serialize;
use std::path::PathBuf;

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
    /// Label, mean and sd of its F1 over the folds whose test rows hold it, and how many those are.
    per_label_f1: Vec<(String, f64, f64, usize)>,
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
    let (names, labels) = data.label_indices();
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
        let unit = match &cmd.group_col {
            Some(g) => format!("{g} groups"),
            None => "rows".to_string(),
        };
        return Err(Error::input(
            &data.path,
            None,
            if cmd.folds > 2 {
                format!("{n_units} {unit} but {} folds: use fewer folds", cmd.folds)
            } else {
                format!("{n_units} {unit} but 2 folds, the fewest: cross-validation needs at least 2 {unit}")
            },
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
    // A label whose rows all land in one test fold leaves that fold's training side without it.
    // With a single label left nothing can be trained: say which label is too rare. Otherwise
    // that fold's model cannot predict the label, and its rows there are scored as misses.
    let mut missing: Vec<(usize, usize, usize)> = Vec::new(); // (fold, label, test rows)
    for (f, fold) in folds.iter().enumerate() {
        let mut in_train = vec![false; names.len()];
        for &i in &fold.train {
            if let Some(p) = labels.get(i).and_then(|&l| in_train.get_mut(l)) {
                *p = true;
            }
        }
        if in_train.iter().filter(|&&p| p).count() < 2 {
            let missing = in_train.iter().position(|&p| !p).unwrap_or(0);
            return Err(Error::input(
                &data.path,
                None,
                too_rare(&cmd, &names, &labels, groups.as_deref(), missing),
            ));
        }
        for (l, _) in in_train.iter().enumerate().filter(|(_, p)| !**p) {
            let rows = fold.test.iter().filter(|&&i| labels.get(i) == Some(&l)).count();
            missing.push((f, l, rows));
        }
    }
    if !missing.is_empty() {
        let what: Vec<String> = missing
            .iter()
            .map(|&(f, l, rows)| {
                format!(
                    "label '{}' has no training rows in fold {} of {} (its {rows} test {} there {} scored as {})",
                    names.get(l).map_or("", String::as_str),
                    f + 1,
                    cmd.folds,
                    if rows == 1 { "row" } else { "rows" },
                    if rows == 1 { "is" } else { "are" },
                    if rows == 1 { "a miss" } else { "misses" },
                )
            })
            .collect();
        let msg = format!(
            "{}; a label is predictable wherever it is tested only when its rows fall in at least two folds",
            what.join("; ")
        );
        if cmd.table.strict {
            return Err(Error::input(&data.path, None, format!("--strict: {msg}")));
        }
        eprintln!("warning: {}: {msg}", data.path.display());
    }
    let bar = if stderr_is_terminal() {
        indicatif::ProgressBar::new(folds.len() as u64).with_message("folds")
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut per_fold = Vec::new();
    for fold in &folds {
        let train = data.subset(&fold.train);
        let test = data.subset(&fold.test);
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
        let truth: Vec<usize> = fold.test.iter().filter_map(|&i| labels.get(i).copied()).collect();
        per_fold.push(score_fold(&model, &test, &truth, &names, &cmd.table.alias));
        bar.inc(1);
    }
    bar.finish_and_clear();
    let collect = |f: &dyn Fn(&Metrics) -> f64| mean_sd(&per_fold.iter().map(f).collect::<Vec<_>>());
    // Each label's F1 over the folds whose test rows hold it: like macro-F1, which leaves out
    // the labels absent from a fold's truth rather than count them as zeros.
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

/// Scores a fold's model on its test rows (`truth`: their label indices in `names`, every label
/// of the file) over all of the file's labels: a row whose label the model never saw in
/// training is a miss, and that label's F1 in the fold is 0.
fn score_fold(model: &Model, test: &Table, truth: &[usize], names: &[String], aliases: &[String]) -> Metrics {
    let matchers = postura::actor_matchers(test, aliases);
    let preds = model.predict_statements(&postura::statements(test, &matchers));
    // Where each of the model's labels sits among the file's.
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
        // Out of range (never, as the model's labels come from the file) it counts as a miss.
        pred.push(index.get(p.label).copied().flatten().unwrap_or(names.len()));
    }
    Metrics::compute(names, truth, &pred, &probs, None)
}

/// Why a fold would train on a single label, and what to do about it.
fn too_rare(cmd: &CvCmd, names: &[String], labels: &[usize], groups: Option<&[String]>, missing: usize) -> String {
    let name = names.get(missing).map_or("", String::as_str);
    let rows = labels.iter().filter(|&&l| l == missing).count();
    let (held, advice) = match (groups, &cmd.group_col) {
        (Some(g), Some(col)) => {
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
    let advice = if cmd.folds > 2 {
        "use fewer folds".to_string()
    } else {
        advice
    };
    format!(
        "label '{name}' has {rows} rows{held}: too few for {} folds (a training fold would hold a single label); {advice}",
        cmd.folds
    )
}
