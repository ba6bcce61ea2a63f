//! `postura train`: fit a model on a labeled CSV/TSV file and save it.

use super::args::{LabelArgs, TableArgs, TrainOpts};
use super::output::metrics_report;
use clap::Args;
use postura::data::{Table, load_table};
use postura::model::{DataInfo, ValidTrainParams};
use postura::train::{self, CalibrationRows, MIN_TUNING_ROWS};
use postura::{Error, Model, Result};
use std::path::PathBuf;

const EXAMPLES: &str = "Examples:
  postura train --data datasets/stance_es.csv --preset default -o my.postura
  postura train --data mine.csv --dev dev.csv --autotune -o tuned.postura   # pick C on dev rows
  postura train --data headlines.csv --actor-col target -o hl.postura \\\n    --label-map POS=supportive,NEU=neutral,NEG=distancing
  postura train --data boric.csv --actor \"Gabriel Boric\" --alias Boric -o b.postura  # one actor";

/// Train a model from a labeled CSV/TSV file.
///
/// Reads statements with their label (and their target actor when the file has an actor column
/// or --actor is given), learns word and character n-gram features with sublinear TF-IDF, and
/// fits a multinomial logistic regression. The model file records its settings, vocabulary,
/// weights and where it came from (see `postura inspect`).
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct TrainCmd {
    /// Labeled CSV/TSV file ("-" for stdin)
    #[arg(long, short = 'd', value_name = "FILE")]
    pub data: PathBuf,
    /// Where to write the model (written atomically)
    #[arg(long, short = 'o', value_name = "MODEL")]
    pub output: PathBuf,
    /// Held-out file to score after training (same columns); scores go into the model card
    #[arg(long, value_name = "FILE")]
    pub dev: Option<PathBuf>,
    #[command(flatten)]
    pub table: TableArgs,
    #[command(flatten)]
    pub labels: LabelArgs,
    #[command(flatten)]
    pub opts: TrainOpts,
    /// Search settings on --dev (C, loss, class weights, n-gram ranges, min-df, window, actor
    /// pairs, char chunks, stemming, negation, NB scaling) and keep the best; needs --dev. Trials
    /// are ranked on half of the dev rows; the best replaces the settings given on the command
    /// line only when it also beats them on the other half by more than its noise (paired
    /// bootstrap of macro-F1, p < 0.05)
    #[arg(long, requires = "dev")]
    pub autotune: bool,
    /// Seconds autotune may spend (it stops before a trial would overrun)
    #[arg(long, default_value_t = 120, value_name = "SECONDS", requires = "autotune")]
    pub budget: u64,
    /// After scoring on --dev (and autotune's search), train the final model on --data and --dev
    /// together with the same settings: more rows for the model you keep. The card keeps the dev
    /// score measured before the refit, since the final model has seen the dev rows
    #[arg(long, requires = "dev")]
    pub refit: bool,
    /// Fit a temperature that makes the probabilities match how often the model is right on rows
    /// it has not seen (temperature scaling; labels and accuracy do not change): on --dev, or
    /// without --dev on 5-fold out-of-fold predictions of the training rows (five more
    /// trainings on 80% of them). The card records the calibration error before and after
    #[arg(long)]
    pub calibrate: bool,
    /// Calibrate (implies --calibrate) on out-of-fold predictions where each value of COLUMN in
    /// --data is held out of its own fold's training rows: one fold per value, up to 10. With a
    /// column naming who wrote each row (the corpus's `pass`), the temperature matches how the
    /// model reads writers it has not seen, not the rows' own style. Used instead of --dev
    #[arg(long, value_name = "COLUMN")]
    pub calibrate_by: Option<String>,
    /// No progress or summary lines: only warnings about the data, and errors
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Entry point of `postura train`.
pub fn run(cmd: TrainCmd) -> Result<i32> {
    let params = cmd.opts.params()?;
    // Fail before training, not after, when the model cannot be written there or would be
    // written over one of the files it is trained from.
    let mut inputs = vec![cmd.data.as_path()];
    inputs.extend(cmd.dev.as_deref());
    inputs.extend(cmd.opts.actors.as_deref());
    postura::model::file::check_output(&cmd.output, &inputs)?;
    let mut load = cmd.table.load_options(None, Some(&cmd.labels))?;
    load.columns.group = cmd.calibrate_by.clone();
    let table = load_table(&cmd.data, &load)?;
    cmd.table.check_warnings(&table)?;
    let info = DataInfo {
        path: cmd.data.display().to_string(),
        sha256: table.sha256.clone(),
        rows: table.records.len(),
        rows_per_label: Vec::new(),
        columns: load.columns.clone(),
        label_map: load.label_map.clone(),
        aliases: cmd.table.alias.clone(),
        constant_actor: load.constant_actor.clone(),
    };
    // The dev file is read before training too, so a bad one costs no training time.
    let dev = match &cmd.dev {
        Some(path) => Some(load_table(
            path,
            &cmd.table.load_options(Some(&info), Some(&cmd.labels))?,
        )?),
        None => None,
    };
    let calibrate_on_dev = cmd.calibrate && CalibrationRows::choose(cmd.calibrate_by.as_deref(), dev.as_ref()).is_dev();
    if let Some(dev) = &dev
        && (cmd.autotune || calibrate_on_dev)
        && dev.records.len() < MIN_TUNING_ROWS
    {
        return Err(Error::input(
            &dev.path,
            None,
            format!(
                "{} rows: {} {} at least {MIN_TUNING_ROWS} dev rows to measure anything",
                dev.records.len(),
                match (cmd.autotune, calibrate_on_dev) {
                    (true, true) => "--autotune and --calibrate",
                    (true, false) => "--autotune",
                    _ => "--calibrate",
                },
                if cmd.autotune && calibrate_on_dev {
                    "need"
                } else {
                    "needs"
                }
            ),
        ));
    }
    let mut model = match &dev {
        Some(dev) if cmd.autotune => autotune(&cmd, &table, dev, params.params(), info)?,
        _ => train_and_score(&cmd, &table, dev.as_ref(), &params, info)?,
    };
    if cmd.calibrate || cmd.calibrate_by.is_some() {
        calibrate(&cmd, &mut model, &table, dev.as_ref())?;
    }
    if cmd.refit
        && let Some(dev) = dev
    {
        model = refit(&cmd, model, &table, dev)?;
    }
    model.save(&cmd.output)?;
    if !cmd.quiet {
        eprintln!("saved {}", cmd.output.display());
    }
    Ok(0)
}

/// Trains with the given settings and scores the model on the dev rows when given.
fn train_and_score(
    cmd: &TrainCmd,
    table: &Table,
    dev: Option<&Table>,
    params: &ValidTrainParams,
    info: DataInfo,
) -> Result<Model> {
    let mut model = postura::train_table(table, params, info)?;
    if !cmd.quiet {
        eprintln!("{}", trained_line(&model));
    }
    if let Some(dev) = dev {
        let m = train::score_on_dev(&mut model, dev)?;
        if !cmd.quiet {
            eprintln!("dev {}:\n{}", dev.path.display(), metrics_report(&m));
        }
    }
    Ok(model)
}

/// "trained on N rows (label counts) — F features, I iterations, S s".
fn trained_line(model: &Model) -> String {
    format!(
        "trained on {} rows ({}) — {} features, {} iterations, {:.2}s",
        model.card().data().rows,
        model
            .card()
            .data()
            .rows_per_label
            .iter()
            .map(|(l, c)| format!("{l} {c}"))
            .collect::<Vec<_>>()
            .join(", "),
        model.n_features(),
        model.card().solver_iterations(),
        model.card().train_seconds()
    )
}

/// Fits the temperature of `model`'s probabilities (see `--calibrate`) and says so.
fn calibrate(cmd: &TrainCmd, model: &mut Model, train: &Table, dev: Option<&Table>) -> Result<()> {
    let on = CalibrationRows::choose(cmd.calibrate_by.as_deref(), dev);
    let c = train::calibrate(model, train, on)?;
    if !cmd.quiet {
        eprintln!(
            "calibrated on {}: temperature {:.3}, ECE {:.4} -> {:.4} (on the rows it was fitted on)",
            c.path, c.temperature, c.ece_before, c.ece_after
        );
    }
    Ok(())
}

/// Trains the scored model's settings again with the dev rows (see `--refit`) and says so.
fn refit(cmd: &TrainCmd, scored: Model, train: &Table, dev: Table) -> Result<Model> {
    let path = dev.path.clone();
    let model = train::refit(scored, train, dev)?;
    if !cmd.quiet {
        eprintln!("refit with {}: {}", path.display(), trained_line(&model));
    }
    Ok(model)
}

/// How many autotune trials make one progress line.
const AUTOTUNE_EVERY: usize = 20;

/// Autotune's search on the dev rows; returns the best model.
fn autotune(cmd: &TrainCmd, table: &Table, dev: &Table, base: &postura::TrainParams, info: DataInfo) -> Result<Model> {
    let quiet = cmd.quiet;
    // One line for the base settings, then one per AUTOTUNE_EVERY trials with the best so far.
    let (mut n, mut base_f1, mut best_f1, mut elapsed) = (0usize, 0.0f64, 0.0f64, 0.0f64);
    let (model, _) = postura::autotune::autotune(
        table,
        dev,
        base,
        &info,
        std::time::Duration::from_secs(cmd.budget),
        42,
        |t| {
            n += 1;
            elapsed += t.seconds;
            if n == 1 {
                base_f1 = t.selection_f1;
            }
            best_f1 = best_f1.max(t.selection_f1);
            if quiet {
                return;
            }
            if n == 1 {
                eprintln!(
                    "autotune: your settings score dev macro-F1 {:.4} on the ranking half; trying others for up to {}s",
                    t.selection_f1, cmd.budget
                );
            } else if n % AUTOTUNE_EVERY == 0 {
                eprintln!("autotune: {n} trials, {elapsed:.0}s: best {best_f1:.4} (yours {base_f1:.4})");
            }
        },
    )?;
    if !quiet {
        if let Some(a) = &model.card().autotune() {
            eprintln!("autotune: {a}");
        }
        if let Some(d) = &model.card().dev() {
            eprintln!("dev macro-F1 {:.4}, accuracy {:.4}", d.macro_f1, d.accuracy);
        }
    }
    Ok(model)
}
