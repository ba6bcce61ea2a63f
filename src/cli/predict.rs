//! `postura predict`: label statements toward an actor, with probabilities and explanations.

use super::args::{TableArgs, load_model};
use super::output::{Out, json, stdout_is_terminal, table};
use clap::{Args, ValueEnum};
use postura::data::load_table;
use postura::label::writer::{ExplanationJson, explanation_lines};
use postura::model::Explanation;
use postura::text::ActorMatcher;
use postura::text::shorten;
use postura::{Error, Result, Statement};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Jsonl,
}

const EXAMPLES: &str = "Examples:
  postura predict --actor Kast \"Milei celebró el aplastante triunfo de Kast\"
  postura predict --actor \"José Antonio Kast\" --alias Kast --source Milei \"Milei felicitó a Kast\"
  postura predict --input news.csv --text-col text --actor-col target --format csv > stances.csv
  postura predict --actor Kast --explain 5 --min-confidence 0.7 \"Boric criticó a Kast\"
  cat sentences.txt | postura predict --actor Boric --format jsonl   # one statement per line";

/// Predict the stance of statements toward an actor.
///
/// Statements come from the arguments, else from --input (a CSV/TSV file, actor per row or
/// --actor; its label column is not read), else one per line on stdin. Each gets a label and
/// the probability of every label. Rows from --input or stdin carry their line (a `line` field
/// or column); a row with an empty text gets no prediction and a warning naming its line.
///
/// The model's training settings are the defaults, as for eval: the columns it was trained on,
/// and for a model trained toward one actor (`train --actor`), that actor for every statement
/// unless --actor or --actor-col says otherwise, found by the aliases it was trained with
/// unless --alias gives others.
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct PredictCmd {
    /// Model file [default: the embedded default model]
    #[arg(long, short = 'm', value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Statements to label
    #[arg(value_name = "TEXT")]
    pub texts: Vec<String>,
    /// CSV/TSV file of statements (see the column flags)
    #[arg(long, short = 'i', value_name = "FILE", conflicts_with = "texts")]
    pub input: Option<PathBuf>,
    /// --input: a column carried through to each output row as its `id`
    #[arg(long, value_name = "NAME", requires = "input")]
    pub id_col: Option<String>,
    #[command(flatten)]
    pub table: TableArgs,
    /// Output format [default: table on a terminal, jsonl otherwise]
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
    /// Show the N features that pushed each decision most (table and jsonl formats)
    #[arg(long, value_name = "N")]
    pub explain: Option<usize>,
    /// Label a statement "uncertain" when its top probability is below P
    #[arg(long, value_name = "P")]
    pub min_confidence: Option<f64>,
}

/// One statement to label.
struct Item {
    /// Its line in the --input file or on stdin.
    line: Option<u64>,
    /// Its value in the --id-col column.
    id: Option<String>,
    text: String,
    actor: Option<String>,
    source: Option<String>,
}

#[derive(Serialize)]
struct Row<'a> {
    /// The statement's line in the --input file.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    /// The statement's --id-col value.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    text: &'a str,
    actor: Option<&'a str>,
    /// Whose stance toward the actor was asked about (`--source`, `--source-col`).
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    mentioned: bool,
    label: &'a str,
    confidence: f64,
    probabilities: BTreeMap<&'a str, f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<ExplanationJson<'a>>,
}

/// Entry point of `postura predict`.
pub fn run(cmd: PredictCmd) -> Result<i32> {
    if let Some(p) = cmd.min_confidence
        && !(0.0..=1.0).contains(&p)
    {
        return Err(Error::usage(format!(
            "--min-confidence must be between 0 and 1 (got {p})"
        )));
    }
    if cmd.explain.is_some() && cmd.format == Some(Format::Csv) {
        return Err(Error::usage(
            "--explain does not fit -f csv (one row per statement, one column per value): use -f jsonl, \
             where each row carries its explanation, or -f table",
        ));
    }
    cmd.table.check_actor()?;
    let model = load_model(cmd.model.as_deref())?;
    let default_actor = model.trained_actor().map(|(a, _)| a.to_string());
    // Several --actor: every statement is labeled toward each, one row per statement and actor.
    let given = cmd.table.actor.clone();
    let toward = |own: Option<String>| -> Vec<Option<String>> {
        match given.as_slice() {
            [] | [_] => vec![own.or_else(|| default_actor.clone())],
            many => many.iter().cloned().map(Some).collect(),
        }
    };
    // The statements to label, with their actors and, from a file, their lines.
    let items: Vec<Item> = if let Some(path) = &cmd.input {
        // The model's columns and actor are the defaults, as for eval.
        let mut table = cmd.table.clone();
        if given.len() > 1 {
            table.actor.clear();
        }
        let mut opts = table.load_options(Some(model.card().data()), None)?;
        opts.id_column = cmd.id_col.clone();
        let t = load_table(path, &opts)?;
        cmd.table.check_warnings_per_row(&t)?;
        t.records
            .into_iter()
            .flat_map(|r| {
                toward(r.actor.clone()).into_iter().map(move |actor| Item {
                    line: Some(r.line),
                    id: r.id.clone(),
                    text: r.text.clone(),
                    actor,
                    source: r.source.clone(),
                })
            })
            .collect()
    } else {
        // From stdin each statement keeps its line number (blank lines are skipped).
        let texts: Vec<(Option<u64>, String)> = if cmd.texts.is_empty() {
            stdin_lines(cmd.table.lossy)?
                .into_iter()
                .map(|(n, t)| (Some(n), t))
                .collect()
        } else {
            cmd.texts.iter().map(|t| (None, t.clone())).collect()
        };
        texts
            .into_iter()
            .flat_map(|(line, text)| {
                let source = cmd.table.source.clone();
                toward(given.first().cloned()).into_iter().map(move |actor| Item {
                    line,
                    id: None,
                    text: text.clone(),
                    actor,
                    source: source.clone(),
                })
            })
            .collect()
    };
    // Rows from a file or stdin carry their line, so output lines up with input.
    let from_file = cmd.input.is_some() || cmd.texts.is_empty();
    let mut matchers: BTreeMap<String, ActorMatcher> = BTreeMap::new();
    for item in &items {
        if let Some(a) = &item.actor {
            matchers
                .entry(a.clone())
                .or_insert_with(|| ActorMatcher::new(a, &model.aliases_for(&cmd.table.alias, Some(a))));
        }
    }
    warn_about_targets(&items, &matchers);
    let sources = postura::source_matchers(&model, items.iter().filter_map(|i| i.source.as_deref()))?;
    for (name, m) in &sources {
        let rows: Vec<&Item> = items
            .iter()
            .filter(|i| i.source.as_deref() == Some(name.as_str()))
            .collect();
        if rows.iter().any(|i| {
            i.actor
                .as_ref()
                .and_then(|a| matchers.get(a))
                .is_some_and(|a| a.shares_a_name_with(m))
        }) {
            eprintln!(
                "warning: source '{name}' is also the target of some statements: a source holds no stance toward itself there (none)"
            );
        }
        if !rows.iter().any(|i| m.mentioned_in(&i.text)) {
            eprintln!("warning: source '{name}' appears in none of its statements: every answer is none");
        }
    }
    let statements: Vec<Statement> = items
        .iter()
        .map(|item| {
            Statement::new(&item.text, item.actor.as_ref().and_then(|a| matchers.get(a)))
                .with_source(item.source.as_ref().and_then(|s| sources.get(s)))
        })
        .collect();
    let explained: Vec<(postura::Prediction, Option<Explanation>)> = match cmd.explain {
        Some(n) => {
            let ex = model.featurizer().extractor();
            statements
                .iter()
                .map(|s| {
                    let (p, e) = model.explain_with(s, &ex, n);
                    (p, Some(e))
                })
                .collect()
        }
        None => model
            .predict_statements(&statements)
            .into_iter()
            .map(|p| (p, None))
            .collect(),
    };
    let format = cmd.format.unwrap_or(if stdout_is_terminal() {
        Format::Table
    } else {
        Format::Jsonl
    });
    let mut out = Out::new();
    let rows: Vec<Row> = statements
        .iter()
        .zip(&explained)
        .enumerate()
        .map(|(i, (st, (p, explain)))| {
            let confidence = p.probs.get(p.label).copied().unwrap_or(0.0);
            let label = if cmd.min_confidence.is_some_and(|m| confidence < m) {
                "uncertain"
            } else {
                model.labels().get(p.label).map_or("", String::as_str)
            };
            Row {
                line: items.get(i).and_then(|item| item.line),
                id: items.get(i).and_then(|item| item.id.as_deref()),
                text: st.text,
                actor: st.actor.map(ActorMatcher::name),
                source: st.source.map(ActorMatcher::name),
                mentioned: st.actor.is_some_and(|m| m.mentioned_in(st.text)),
                label,
                confidence,
                probabilities: model
                    .labels()
                    .iter()
                    .map(String::as_str)
                    .zip(p.probs.iter().copied())
                    .collect(),
                explain: explain.as_ref().map(|e| ExplanationJson::new(model.labels(), e)),
            }
        })
        .collect();
    match format {
        Format::Jsonl => {
            for r in &rows {
                out.line(&json(r)?)?;
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let mut header = Vec::new();
            if from_file {
                header.push("line".to_string());
            }
            if cmd.id_col.is_some() {
                header.push("id".to_string());
            }
            header.extend(["text".to_string(), "actor".into(), "label".into(), "confidence".into()]);
            header.extend(model.labels().iter().map(|l| format!("p_{l}")));
            let _ = w.write_record(&header);
            for r in &rows {
                let mut rec: Vec<String> = r.line.iter().map(u64::to_string).collect();
                if cmd.id_col.is_some() {
                    rec.push(r.id.unwrap_or("").to_string());
                }
                rec.extend([
                    r.text.to_string(),
                    r.actor.unwrap_or("").to_string(),
                    r.label.to_string(),
                    format!("{:.4}", r.confidence),
                ]);
                rec.extend(r.probabilities.values().map(|p| format!("{p:.4}")));
                let _ = w.write_record(&rec);
            }
            let bytes = w
                .into_inner()
                .map_err(|e| Error::Internal(format!("CSV output: {e}")))?;
            out.line(String::from_utf8_lossy(&bytes).trim_end())?;
        }
        Format::Table => {
            let mut header: Vec<&str> = if from_file { vec!["line"] } else { Vec::new() };
            if cmd.id_col.is_some() {
                header.push("id");
            }
            header.extend(["label", "conf"]);
            header.extend(model.labels().iter().map(String::as_str));
            header.push("actor");
            header.push("text");
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let mut c: Vec<String> = r.line.iter().map(u64::to_string).collect();
                    if cmd.id_col.is_some() {
                        c.push(r.id.unwrap_or("").to_string());
                    }
                    c.extend([r.label.to_string(), format!("{:.2}", r.confidence)]);
                    c.extend(r.probabilities.values().map(|p| format!("{p:.2}")));
                    let actor = r.actor.map_or("-".to_string(), |a| {
                        if r.mentioned {
                            a.to_string()
                        } else {
                            format!("{a} (not mentioned)")
                        }
                    });
                    c.push(actor);
                    c.push(shorten(r.text, 70));
                    c
                })
                .collect();
            out.line(&table(&header, &cells))?;
            for (r, (_, e)) in rows.iter().zip(&explained) {
                let Some(e) = e else { continue };
                out.line(&format!("\n{} → {}", shorten(r.text, 70), r.label))?;
                for line in explanation_lines(model.labels(), e) {
                    out.line(&format!("  {line}"))?;
                }
            }
        }
    }
    out.flush()?;
    Ok(0)
}

/// Stance is toward an actor: a statement with no actor, or one that does not name its actor,
/// gets a label all the same, so say so on stderr (once per kind, with a count).
fn warn_about_targets(items: &[Item], matchers: &BTreeMap<String, ActorMatcher>) {
    let none: Vec<&Item> = items.iter().filter(|i| i.actor.is_none()).collect();
    if let Some(first) = none.first() {
        let at = first.line.map_or(String::new(), |l| format!(", first at line {l}"));
        eprintln!(
            "warning: {} classified toward no actor{at}: stance is toward someone; give --actor NAME \
             (or --actor-col with --input)",
            count(none.len())
        );
    }
    let mut unnamed = 0usize;
    let mut first = None;
    for item in items {
        if let Some(a) = &item.actor
            && matchers.get(a).is_some_and(|m| !m.mentioned_in(&item.text))
        {
            unnamed += 1;
            first.get_or_insert((a.clone(), item.line));
        }
    }
    if let Some((actor, line)) = first {
        let at = line.map_or(String::new(), |l| format!(" (first at line {l})"));
        eprintln!(
            "warning: {} {} not name {actor}{at}: a stance toward an actor the text does not name is a guess; \
             --alias adds other names",
            count(unnamed),
            if unnamed == 1 { "does" } else { "do" }
        );
    }
}

/// "1 statement", "2 statements".
fn count(n: usize) -> String {
    if n == 1 {
        "1 statement".into()
    } else {
        format!("{n} statements")
    }
}

/// The non-blank lines of stdin with their line numbers. Invalid UTF-8 is an error naming the line, or U+FFFD with `lossy`.
fn stdin_lines(lossy: bool) -> Result<Vec<(u64, String)>> {
    let mut lines = Vec::new();
    let mut stdin = std::io::stdin().lock();
    let mut buf = Vec::new();
    for n in 1u64.. {
        buf.clear();
        let read = stdin
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::input("<stdin>", Some(n), format!("cannot read: {e}")))?;
        if read == 0 {
            break;
        }
        let bytes = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let line = match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) if lossy => String::from_utf8_lossy(bytes).into_owned(),
            Err(e) => {
                return Err(Error::Input {
                    path: "<stdin>".into(),
                    line: Some(n),
                    column: Some(String::from_utf8_lossy(&bytes[..e.valid_up_to()]).chars().count() as u64 + 1),
                    msg: "not valid UTF-8; re-encode the input as UTF-8 or pass --lossy".into(),
                });
            }
        };
        if let Some(why) = postura::text::statement_too_long(line.len()) {
            return Err(Error::input("<stdin>", Some(n), why));
        }
        if !line.trim().is_empty() {
            lines.push((n, line));
        }
    }
    Ok(lines)
}
