//! `postura predict`: label statements toward an actor, with probabilities and explanations.

use super::args::{TableArgs, load_model};
use super::output::{Out, json, stdout_is_terminal, table};
use clap::{Args, ValueEnum};
use postura::data::load_table;
use postura::model::Contribution;
use postura::text::shorten;
use postura::{Error, Result, StancePrediction, Target};
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
    text: String,
    actor: Option<String>,
    source: Option<String>,
}

#[derive(Serialize)]
struct Row<'a> {
    /// The statement's line in the --input file.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
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
    explain: Option<Vec<Contribution>>,
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
    // The statements to label, with their actors and, from a file, their lines.
    let items: Vec<Item> = if let Some(path) = &cmd.input {
        // The model's columns and actor are the defaults, as for eval.
        let opts = cmd.table.load_options(Some(model.card().data()), false)?;
        let t = load_table(path, &opts)?;
        cmd.table.check_warnings_per_row(&t)?;
        t.records
            .into_iter()
            .map(|r| Item {
                line: Some(r.line),
                text: r.text,
                actor: r.actor,
                source: r.source,
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
            .map(|(line, text)| Item {
                line,
                text,
                actor: cmd.table.actor.clone(),
                source: cmd.table.source.clone(),
            })
            .collect()
    };
    // Rows from a file or stdin carry their line, so output lines up with input.
    let from_file = cmd.input.is_some() || cmd.texts.is_empty();
    // Each statement's target: its actor (else the model's own) with --alias (else the model's).
    let targets: Vec<Target> = items
        .iter()
        .map(|item| Target {
            actor: item.actor.clone(),
            aliases: cmd.table.alias.clone(),
            source: item.source.clone(),
        })
        .collect();
    let explained: Vec<(StancePrediction, Option<Vec<Contribution>>)> = match cmd.explain {
        Some(n) => items
            .iter()
            .zip(&targets)
            .map(|(item, target)| {
                let (p, c) = model.explain(&item.text, target, n)?;
                Ok((p, Some(c)))
            })
            .collect::<Result<_>>()?,
        None => {
            let texts: Vec<&str> = items.iter().map(|item| item.text.as_str()).collect();
            model
                .predict_batch(&texts, &targets)?
                .into_iter()
                .map(|p| (p, None))
                .collect()
        }
    };
    let format = cmd.format.unwrap_or(if stdout_is_terminal() {
        Format::Table
    } else {
        Format::Jsonl
    });
    let mut out = Out::new();
    let rows: Vec<Row> = items
        .iter()
        .zip(&explained)
        .map(|(item, (p, explain))| {
            let confidence = p.confidence();
            let label = if cmd.min_confidence.is_some_and(|m| confidence < m) {
                "uncertain"
            } else {
                p.label()
            };
            Row {
                line: item.line,
                text: &item.text,
                actor: p.actor(),
                source: p.source(),
                mentioned: p.mentioned(),
                label,
                confidence,
                probabilities: p.probabilities().iter().map(|(l, v)| (l.as_str(), *v)).collect(),
                explain: explain.clone(),
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
            header.extend(["text".to_string(), "actor".into(), "label".into(), "confidence".into()]);
            header.extend(model.labels().iter().map(|l| format!("p_{l}")));
            let _ = w.write_record(&header);
            for r in &rows {
                let mut rec: Vec<String> = r.line.iter().map(u64::to_string).collect();
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
            header.extend(["label", "conf"]);
            header.extend(model.labels().iter().map(String::as_str));
            header.push("actor");
            header.push("text");
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let mut c: Vec<String> = r.line.iter().map(u64::to_string).collect();
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
            for r in rows.iter().filter(|r| r.explain.is_some()) {
                out.line(&format!("\n{} → {}", shorten(r.text, 70), r.label))?;
                for c in r.explain.iter().flatten() {
                    let parts: Vec<String> = model
                        .labels()
                        .iter()
                        .zip(&c.per_label)
                        .map(|(l, v)| format!("{l} {v:+.3}"))
                        .collect();
                    out.line(&format!("  {:<28} {}", c.feature, parts.join("  ")))?;
                }
            }
        }
    }
    out.flush()?;
    Ok(0)
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
        if !line.trim().is_empty() {
            lines.push((n, line));
        }
    }
    Ok(lines)
}
