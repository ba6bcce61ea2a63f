//! `postura label`: batch-label news articles toward one or many actors (flags, progress and
//! the run summary; the work is in `postura::label` and `postura::data::articles`).

use super::args::{load_model, model_label};
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
    /// One self-contained HTML page (highlighted articles, verdicts, per-actor summary; with
    /// --per pair the stance network drawn as SVG and a table of its edges)
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PerArg {
    Sentence,
    Article,
    /// One row per actor over all the input (per actor and period with --by)
    Actor,
    /// Source → target stances between the listed actors (--actors FILE), one row per edge
    /// (-f html: the stance network as a page)
    Pair,
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

Input: files and directories (walked recursively in sorted order; hidden entries skipped, and
  a folder's README, LICENSE, CHANGELOG… reported as skipped — name one to label it):
  .txt/.md as plain text, .html/.htm stripped to text, .jsonl one article per line (see
  --text-field, --id-field). \"-\" reads stdin: JSON lines if it starts with '{', else one
  plain-text article. Byte offsets are in the article's text (after HTML stripping, or in the
  JSON text field).

Exit codes: 0 all inputs read, 2 if any input failed (unreadable, not UTF-8, bad JSON line)
or on bad usage, 1 internal failure. Empty inputs are reported and skipped.

Examples:
  postura label --actor \"José Antonio Kast\" --alias Kast --alias @joseantoniokast news/
  postura label --actors datasets/actors.csv --per article --format csv news/ > stances.csv
  postura label --actors datasets/actors.csv --per pair -f html news/ > network.html
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
    /// Read each statement as how this actor (the source) stands toward the actor(s), and give
    /// each article the verdict of the statements the source holds: statements where it holds
    /// no stance toward the actor (label `none`: only mentioned, spoken about, or someone else
    /// speaks) are listed but not counted. Needs a source-aware model (the default model is)
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// Another name of the source (repeatable)
    #[arg(long, value_name = "NAME", requires = "source")]
    pub source_alias: Vec<String>,
    /// CSV of actors with a header `actor,aliases` (aliases separated by '|'): label every
    /// article toward every actor in one pass. A lower-case role alias ("el presidente") counts
    /// only in an article that names the actor by a proper name or @handle; an alias two
    /// actors share is warned about once
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
    /// With --per pair: also write the stance network, one row per (source, target) with counts
    /// per label, mean probabilities, overall stance and evidence; the format follows the
    /// extension: .graphml (networkx), .gexf (Gephi), .csv or .jsonl
    #[arg(long, value_name = "FILE")]
    pub network: Option<PathBuf>,
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
    if cmd.per == PerArg::Pair {
        return run_pairs(&cmd, &model, &actors);
    }
    if cmd.network.is_some() {
        return Err(Error::usage("--network needs --per pair"));
    }
    let mut labeler = Labeler::new(
        &model,
        &actors,
        LabelOptions {
            all_sentences: cmd.all_sentences,
            min_confidence: cmd.min_confidence,
            explain: cmd.explain,
        },
    )?;
    for w in labeler.warnings() {
        eprintln!("warning: {w}");
    }
    if let Some(source) = &cmd.source {
        let (with, warning) = labeler.with_source(&ActorSpec {
            name: source.clone(),
            aliases: cmd.source_alias.clone(),
        })?;
        if let Some(w) = warning {
            eprintln!("warning: {w}");
        }
        labeler = with;
    }
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
        PerArg::Article | PerArg::Pair => Per::Article,
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
    let mut writer = LabelWriter::new(stdout, "<stdout>", format, per, model.labels(), &names)
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

/// `label --per pair`: the source → target edges of every article, then the network.
fn run_pairs(cmd: &LabelCmd, model: &postura::Model, actors: &[ActorSpec]) -> Result<i32> {
    use postura::label::html_pairs::{PairRun, pair_report};
    use postura::label::pairs::{PairLabeler, network, to_gexf, to_graphml};
    if cmd.actors.is_none() {
        return Err(Error::usage(
            "--per pair needs --actors FILE: the actors between whom stances are read",
        ));
    }
    let (labeler, warnings) = PairLabeler::new(model, actors)?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    let network_format = match &cmd.network {
        None => None,
        Some(path) => match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some(e @ ("graphml" | "gexf" | "csv" | "jsonl")) => {
                // Before the labeling, not after it: the directory, and no input written over.
                let mut inputs: Vec<&std::path::Path> = cmd.paths.iter().map(PathBuf::as_path).collect();
                inputs.extend(cmd.actors.as_deref());
                inputs.extend(cmd.model.as_deref());
                postura::model::file::check_output(path, &inputs)?;
                Some((path, e.to_string()))
            }
            _ => {
                return Err(Error::usage(format!(
                    "--network {}: name the file .graphml, .gexf, .csv or .jsonl (the format follows the extension)",
                    path.display()
                )));
            }
        },
    };
    let format = match cmd.format {
        Some(FormatArg::Jsonl) => FormatArg::Jsonl,
        Some(FormatArg::Csv) => FormatArg::Csv,
        Some(FormatArg::Table) => FormatArg::Table,
        Some(FormatArg::Html) => FormatArg::Html,
        None if stdout_is_terminal() => FormatArg::Table,
        None => FormatArg::Jsonl,
    };
    let ex = model.featurizer().extractor();
    let mut edges: Vec<(postura::label::pairs::Edge, String)> = Vec::new();
    let mut articles_read = 0u64;
    let mut out = super::output::Out::new();
    let mut csv_out = csv::Writer::from_writer(Vec::new());
    if format == FormatArg::Csv {
        let mut header = vec!["article", "sentence", "source", "target", "label", "confidence"];
        header.extend(model.labels().iter().map(String::as_str));
        header.push("text");
        csv_out
            .write_record(&header)
            .map_err(|e| Error::Internal(e.to_string()))?;
    }
    for item in Articles::new(
        &cmd.paths,
        ReadOptions {
            text_field: cmd.text_field.clone(),
            id_field: cmd.id_field.clone(),
            date_field: cmd.date_field.clone(),
        },
    ) {
        let article = match item {
            Ok(a) => {
                articles_read += 1;
                a
            }
            Err(p) => {
                eprintln!("error: {}", p.error);
                continue;
            }
        };
        for e in labeler.edges(&article, &ex) {
            let text = article.text.get(e.start..e.end).unwrap_or("").trim().to_string();
            let r = e.record(model, labeler.names(), &text);
            match format {
                FormatArg::Jsonl => {
                    out.line(&serde_json::to_string(&r).map_err(|e| Error::Internal(e.to_string()))?)?
                }
                FormatArg::Csv => {
                    let mut row = vec![
                        r.article.to_string(),
                        r.sentence.to_string(),
                        r.source.to_string(),
                        r.target.to_string(),
                        r.label.to_string(),
                        format!("{:.4}", r.confidence),
                    ];
                    row.extend(r.probabilities.values().map(|p| format!("{p:.4}")));
                    row.push(text.clone());
                    csv_out.write_record(&row).map_err(|e| Error::Internal(e.to_string()))?;
                }
                FormatArg::Html => {}
                FormatArg::Table => out.line(&format!(
                    "{:<24} {:>3}  {:<22} → {:<22} {:<11} {:.2}",
                    postura::text::shorten_start(r.article, 24),
                    r.sentence,
                    postura::text::shorten(r.source, 22),
                    postura::text::shorten(r.target, 22),
                    r.label,
                    r.confidence
                ))?,
            }
            edges.push((e, text));
        }
    }
    if format == FormatArg::Csv {
        let bytes = csv_out.into_inner().map_err(|e| Error::Internal(e.to_string()))?;
        out.line(String::from_utf8_lossy(&bytes).trim_end())?;
    }
    if format == FormatArg::Html {
        let run = PairRun {
            model_name: &model_label(cmd.model.as_ref()),
            articles: articles_read,
            actors: labeler.names(),
        };
        out.line(pair_report(model, &run, &edges).trim_end())?;
    }
    out.flush()?;
    if let Some((path, ext)) = network_format {
        let rows = network(model, labeler.names(), &edges);
        let bytes = match ext.as_str() {
            "graphml" => to_graphml(model, &rows).into_bytes(),
            "gexf" => to_gexf(model, &rows).into_bytes(),
            "jsonl" => {
                let mut s = String::new();
                for r in &rows {
                    s.push_str(&serde_json::to_string(&r.record(model)).map_err(|e| Error::Internal(e.to_string()))?);
                    s.push('\n');
                }
                s.into_bytes()
            }
            _ => {
                let mut w = csv::Writer::from_writer(Vec::new());
                let mut header = vec!["source", "target", "sentences", "stance", "confidence"];
                let n: Vec<String> = model.labels().iter().map(|l| format!("n_{l}")).collect();
                let p: Vec<String> = model.labels().iter().map(|l| format!("p_{l}")).collect();
                header.extend(n.iter().map(String::as_str));
                header.extend(p.iter().map(String::as_str));
                header.push("evidence");
                w.write_record(&header).map_err(|e| Error::Internal(e.to_string()))?;
                for r in &rows {
                    let rec = r.record(model);
                    let mut row = vec![
                        rec.source.to_string(),
                        rec.target.to_string(),
                        rec.sentences.to_string(),
                        rec.stance.to_string(),
                        format!("{:.4}", rec.confidence),
                    ];
                    row.extend(rec.counts.values().map(usize::to_string));
                    row.extend(rec.mean_probabilities.values().map(|v| format!("{v:.4}")));
                    row.push(rec.evidence.unwrap_or("").to_string());
                    w.write_record(&row).map_err(|e| Error::Internal(e.to_string()))?;
                }
                w.into_inner().map_err(|e| Error::Internal(e.to_string()))?
            }
        };
        postura::model::file::write_atomic(path, &bytes)?;
        if !cmd.quiet {
            eprintln!(
                "stance network: {} edges between {} actors → {}",
                rows.len(),
                labeler.names().len(),
                path.display()
            );
        }
    }
    Ok(0)
}
