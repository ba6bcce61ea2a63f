//! `postura label`: batch-label news articles toward one or many actors (flags, progress and
//! the run summary; the work is in `postura::label` and `postura::data::articles`).

use super::args::load_model;
use super::output::{stderr_is_terminal, stdout_is_terminal};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use postura::data::articles::{ActorSpec, Articles, ProblemKind, ReadOptions, load_actor_list};
use postura::label::{BatchLimits, LabelOptions, LabelWriter, Labeler, Outcome, OutputFormat, Per};
use postura::{Error, Result};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Jsonl,
    Csv,
    Table,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PerArg {
    Sentence,
    Article,
}

const ABOUT_STANCE: &str = "\
Overall stance of an article toward an actor (--per article):
  Each classified sentence votes for its predicted label with a weight equal to that label's
  probability; a label's vote share is its votes over all votes of the article. Supportive or
  distancing carries weight when its share is at least 0.25. If both carry weight and the weaker
  has at least half of the stronger's votes, the stance is \"mixed\" (confidence = supportive +
  distancing shares); else if one carries weight, the stronger of the two (confidence = its
  share); else \"neutral\" (confidence = the neutral share). So confidence is always the share of
  the article's sentence votes behind the stance. Evidence for each label is the sentence
  predicted as that label with the highest probability of it.

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
    /// One row per classified sentence, or per article and actor (actors with no classified
    /// sentence in an article get no row)
    #[arg(long, value_enum, default_value_t = PerArg::Sentence)]
    pub per: PerArg,
    /// Output format [default: table on a terminal, jsonl otherwise]
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<FormatArg>,
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
            aliases: model.aliases_for(&cmd.alias, Some(name)),
        }],
        (None, None) => match model.trained_actor() {
            Some((name, _)) => vec![ActorSpec {
                name: name.to_string(),
                aliases: model.aliases_for(&cmd.alias, Some(name)),
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
        },
    )?;
    let format = match cmd.format {
        Some(FormatArg::Jsonl) => OutputFormat::Jsonl,
        Some(FormatArg::Csv) => OutputFormat::Csv,
        Some(FormatArg::Table) => OutputFormat::Table,
        None if stdout_is_terminal() => OutputFormat::Table,
        None => OutputFormat::Jsonl,
    };
    let per = match cmd.per {
        PerArg::Sentence => Per::Sentence,
        PerArg::Article => Per::Article,
    };
    let names: Vec<String> = labeler.actors().iter().map(|a| a.name().to_string()).collect();
    let stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut writer = LabelWriter::new(stdout, "<stdout>", format, per, model.labels(), &names);
    let articles = Articles::new(
        &cmd.paths,
        ReadOptions {
            text_field: cmd.text_field.clone(),
            id_field: cmd.id_field.clone(),
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
