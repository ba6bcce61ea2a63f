//! `postura label`: batch-label news articles toward one or many actors (flags, progress and
//! the run summary; the work is in `postura::label` and `postura::data::articles`).

use super::args::{aliases_for, load_model, model_actor};
use super::output::{stderr_is_terminal, stdout_is_terminal};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use postura::data::articles::{ActorSpec, Articles, ProblemKind, ReadOptions, load_actor_list};
use postura::data::date::Period;
use postura::label::{BatchLimits, LabelOptions, LabelWriter, Labeler, Outcome, OutputFormat, Per};
use postura::{Error, Result};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Jsonl,
    Csv,
    Table,
    /// One self-contained HTML page (highlighted articles, verdicts, per-actor summary)
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PerArg {
    Sentence,
    Article,
    Actor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Day,
    Week,
    Month,
}

const ABOUT_STANCE: &str = "\
Overall stance of an article toward an actor (--per article):
  Only the sentences that mention the actor count (with --all-sentences the others are shown
  but never vote). Each votes for its predicted label with a weight equal to that label's
  probability; a label's vote share is its votes over all votes of the article. Supportive or
  distancing carries weight when its share is at least 0.25. If both carry weight and the weaker
  has at least half of the stronger's votes, the stance is \"mixed\"; else if one carries
  weight, the stronger of the two; else \"neutral\". Evidence for each label is the sentence
  predicted as that label with the highest probability of it.

Confidence of a verdict: how probable the stance is by its sentences, made more modest the
fewer they are — the stance's probability summed over the n sentences (mixed: supportive +
distancing), plus one undecided sentence (1/3 for each of 3 labels), divided by n + 1:
    confidence = (sum of p(stance) + 1/3) / (n + 1)
  One sentence at 0.55 gives 0.44 (never more than the sentence itself); ten at 0.9 give 0.85.
  With --min-confidence P, a sentence whose top probability is below P, and a verdict whose
  confidence is below P, are reported as \"uncertain\".

Input: files and directories (walked recursively in sorted order; hidden entries skipped):
  .txt/.md as plain text, .html/.htm stripped to text, .jsonl one article per line (see
  --text-field, --id-field). \"-\" reads stdin: JSON lines if it starts with '{', else one
  plain-text article. Byte offsets are in the article's text (after HTML stripping, or in the
  JSON text field).

Exit codes: 0 all inputs read, 2 if any input failed (unreadable, not UTF-8, bad JSON line)
or on bad usage, 1 internal failure. Empty inputs are reported and skipped.

Examples:
  postura label --actor \"José Antonio Kast\" --alias Kast --alias @joseantoniokast news/
  postura label --actors datasets/actors.csv --per article --format csv news/ > stances.csv
  cat articles.jsonl | postura label --actor Boric --id-field url -   # a map step for pipes";

/// Label the stance of news articles toward one or many actors.
///
/// Splits each article into sentences, finds the sentences that mention the actor (its name or
/// an alias as whole words, case- and accent-insensitive) and classifies each toward it. Writes
/// one row per sentence, or per article and actor with an overall stance, a confidence and the
/// most decisive sentence for each label. Articles are labeled in parallel, in bounded batches,
/// and written in input order.
#[derive(Args, Debug)]
#[command(after_long_help = ABOUT_STANCE)]
pub struct LabelCmd {
    /// Model file [default: the embedded default model]
    #[arg(long, short = 'm', value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// The actor to label toward [default: the actor the model was trained toward with
    /// `train --actor`, with the aliases it was trained with]
    #[arg(long, value_name = "NAME", conflicts_with = "actors")]
    pub actor: Option<String>,
    /// Another name of the actor (surname, @handle, party…); repeatable [default: the aliases
    /// the model was trained with, when the actor is the model's own]
    #[arg(long, value_name = "NAME", conflicts_with = "actors")]
    pub alias: Vec<String>,
    /// CSV of actors with a header `actor,aliases` (aliases separated by '|'): label every
    /// article toward every actor in one pass
    #[arg(long, value_name = "FILE")]
    pub actors: Option<PathBuf>,
    /// Files and directories of articles; "-" for stdin
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// JSON lines: the field with the article text
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,
    /// JSON lines: the field with the article id (else path:line)
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_field: String,
    /// Classify every sentence toward every actor, not only those mentioning it (they then
    /// count in the article summaries too)
    #[arg(long)]
    pub all_sentences: bool,
    /// JSON lines: the field with the article's date (YYYY-MM-DD or an ISO date-time), for
    /// --by and the HTML report's stance over time
    #[arg(long, value_name = "NAME")]
    pub date_field: Option<String>,
    /// With --date-field: one row per actor and day, ISO week or month (--per actor), and
    /// the HTML report's time axis [default: month in the HTML report]
    #[arg(long, value_enum, requires = "date_field")]
    pub by: Option<ByArg>,
    /// One row per classified sentence, per article and actor (actors with no classified
    /// sentence in an article get no row), or per actor over all the input (with --by, per
    /// actor and period)
    #[arg(long, value_enum, default_value_t = PerArg::Sentence)]
    pub per: PerArg,
    /// Output format [default: table on a terminal, jsonl otherwise]
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<FormatArg>,
    /// Report a sentence whose top probability, or a verdict whose confidence, is below P as
    /// "uncertain" (see "Confidence" under --help)
    #[arg(long, value_name = "P")]
    pub min_confidence: Option<f64>,
    /// Explain each sentence's label: its intercept, the N features that pushed it most and
    /// the rest, which add up to each label's score (-f jsonl or table, --per sentence)
    #[arg(long, value_name = "N")]
    pub explain: Option<usize>,
    /// No progress bar and no final count line (problems with inputs are still reported)
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Entry point of `postura label`.
pub fn run(cmd: LabelCmd) -> Result<i32> {
    let model = load_model(cmd.model.as_deref())?;
    let actors: Vec<ActorSpec> = match (&cmd.actors, &cmd.actor) {
        (Some(path), _) => load_actor_list(path)?,
        (None, Some(name)) => vec![ActorSpec {
            name: name.clone(),
            aliases: aliases_for(&cmd.alias, Some(name), &model),
        }],
        (None, None) => match model_actor(&model) {
            Some((name, _)) => vec![ActorSpec {
                name: name.to_string(),
                aliases: aliases_for(&cmd.alias, Some(name), &model),
            }],
            None => {
                return Err(Error::usage(
                    "no actor to label toward: give --actor NAME or --actors FILE (the model was not trained \
                     toward one actor with train --actor)",
                ));
            }
        },
    };
    let labeler = Labeler::new(
        &model,
        &actors,
        LabelOptions {
            all_sentences: cmd.all_sentences,
            min_confidence: cmd.min_confidence,
            explain: cmd.explain,
        },
    )?;
    if cmd.explain.is_some() && cmd.format == Some(FormatArg::Csv) {
        return Err(Error::usage(
            "--explain does not fit -f csv (one column per value): use -f jsonl, where each sentence \
             carries its explanation, or -f table",
        ));
    }
    if cmd.explain.is_some() && cmd.per != PerArg::Sentence {
        return Err(Error::usage(
            "--explain explains sentences: use it with --per sentence (the default)",
        ));
    }
    if cmd.explain.is_some() && cmd.format == Some(FormatArg::Html) {
        return Err(Error::usage("--explain does not fit -f html: use -f jsonl or -f table"));
    }
    if cmd.by.is_some() && cmd.per != PerArg::Actor && cmd.format != Some(FormatArg::Html) {
        return Err(Error::usage(
            "--by groups per-actor rows by time: use it with --per actor or -f html",
        ));
    }
    let format = match cmd.format {
        Some(FormatArg::Jsonl) => OutputFormat::Jsonl,
        Some(FormatArg::Csv) => OutputFormat::Csv,
        Some(FormatArg::Table) => OutputFormat::Table,
        Some(FormatArg::Html) => OutputFormat::Html,
        None if stdout_is_terminal() => OutputFormat::Table,
        None => OutputFormat::Jsonl,
    };
    let per = match cmd.per {
        PerArg::Sentence => Per::Sentence,
        PerArg::Article => Per::Article,
        PerArg::Actor => Per::Actor,
    };
    let period = match (cmd.by, &cmd.date_field) {
        (Some(ByArg::Day), _) => Some(Period::Day),
        (Some(ByArg::Week), _) => Some(Period::Week),
        (Some(ByArg::Month), _) => Some(Period::Month),
        (None, Some(_)) if format == OutputFormat::Html => Some(Period::Month),
        (None, _) => None,
    };
    let names: Vec<String> = labeler.actors().iter().map(|a| a.name().to_string()).collect();
    let stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut writer = LabelWriter::new(stdout, "<stdout>", format, per, &model.labels, &names)
        .with_tally_options(period, cmd.min_confidence);
    let articles = Articles::new(
        &cmd.paths,
        ReadOptions {
            text_field: cmd.text_field.clone(),
            id_field: cmd.id_field.clone(),
            date_field: cmd.date_field.clone(),
        },
    );
    let progress = if !cmd.quiet && stderr_is_terminal() {
        let pb = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {pos} articles, {msg}") {
            pb.set_style(style);
        }
        pb.enable_steady_tick(Duration::from_millis(120));
        Some(pb)
    } else {
        None
    };
    let result = labeler.run(articles, BatchLimits::default(), |outcomes, stats| {
        for o in outcomes {
            match o {
                Outcome::Labeled(l) => writer.write(l)?,
                Outcome::Problem(p) => {
                    let tag = match p.kind {
                        ProblemKind::Skipped => "skipped",
                        ProblemKind::Failed => "error",
                    };
                    let msg = format!("{tag}: {}", p.error);
                    match &progress {
                        Some(pb) => pb.suspend(|| eprintln!("{msg}")),
                        None => eprintln!("{msg}"),
                    }
                }
            }
        }
        writer.flush()?;
        if let Some(pb) = &progress {
            pb.set_position(stats.read + stats.skipped + stats.failed);
            pb.set_message(format!("{} sentences labeled", stats.labeled));
        }
        Ok(())
    });
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    let stats = result?;
    writer.finish()?;
    if !cmd.quiet {
        eprintln!(
            "postura label: {} read, {} skipped, {} failed; {}, {} labeled toward {}",
            count(stats.read, "article"),
            stats.skipped,
            stats.failed,
            count(stats.sentences, "sentence"),
            stats.labeled,
            count(names.len() as u64, "actor"),
        );
    }
    Ok(if stats.failed > 0 { 2 } else { 0 })
}

/// "1 article", "2 articles".
fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
