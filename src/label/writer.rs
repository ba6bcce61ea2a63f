//! Writers for labeled articles: one row per sentence or per article and actor, as JSON lines,
//! CSV or a fixed-width table, written article by article so output streams.
//!
//! Probabilities are rounded to 4 decimals and listed in the model's label order. Write errors
//! become [`Error::Io`] naming the output, so a closed pipe can end a run quietly.

use super::{ArticleSummary, LabeledArticle, SentenceLabel, Stance};
use crate::error::{Error, Result};
use crate::text::{shorten, shorten_start};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::io::Write;
use std::path::PathBuf;

/// How rows are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header line.
    Csv,
    /// Fixed-width columns for reading on a terminal (long values shortened).
    Table,
}

/// What one row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    /// One row per sentence classified toward an actor.
    Sentence,
    /// One row per article and actor with classified sentences: counts, means, stance, evidence.
    Article,
}

enum Sink<W: Write> {
    Plain(W),
    Csv(Box<csv::Writer<W>>),
}

/// Writes labeled articles in one format; the header (CSV, table) comes before the first row.
pub struct LabelWriter<W: Write> {
    sink: Sink<W>,
    /// Names the output in errors (`"<stdout>"`).
    name: PathBuf,
    format: OutputFormat,
    per: Per,
    labels: Vec<String>,
    actors: Vec<String>,
    header_done: bool,
    widths: TableWidths,
}

/// Column widths of the table format, fixed up front so a streamed table stays aligned.
#[derive(Debug, Clone, Copy)]
struct TableWidths {
    article: usize,
    actor: usize,
    label: usize,
    stance: usize,
}

const ARTICLE_WIDTH: usize = 28;
const ACTOR_WIDTH: usize = 22;
const TEXT_WIDTH: usize = 80;

impl<W: Write> LabelWriter<W> {
    /// A writer for a model's `labels` and the labeler's `actors` (names, in the labeler's order).
    pub fn new(
        out: W,
        name: impl Into<PathBuf>,
        format: OutputFormat,
        per: Per,
        labels: &[String],
        actors: &[String],
    ) -> Self {
        let sink = match format {
            OutputFormat::Csv => Sink::Csv(Box::new(csv::WriterBuilder::new().flexible(false).from_writer(out))),
            _ => Sink::Plain(out),
        };
        let label = labels.iter().map(|l| l.chars().count()).max().unwrap_or(5).max(5);
        LabelWriter {
            sink,
            name: name.into(),
            format,
            per,
            widths: TableWidths {
                article: ARTICLE_WIDTH,
                // + 2 for the parentheses around an actor the sentence does not mention.
                actor: actors
                    .iter()
                    .map(|a| a.chars().count() + 2)
                    .max()
                    .unwrap_or(5)
                    .clamp(5, ACTOR_WIDTH),
                label,
                stance: label.max("mixed".len()),
            },
            labels: labels.to_vec(),
            actors: actors.to_vec(),
            header_done: false,
        }
    }

    /// Writes the rows of one article.
    pub fn write(&mut self, l: &LabeledArticle) -> Result<()> {
        if !self.header_done {
            self.header_done = true;
            self.header()?;
        }
        match self.per {
            Per::Sentence => {
                for s in &l.sentences {
                    self.sentence_row(l, s)?;
                }
            }
            Per::Article => {
                for a in &l.summaries {
                    self.article_row(l, a)?;
                }
            }
        }
        Ok(())
    }

    /// Writes the header if nothing was written yet (so an empty run still has one) and flushes.
    pub fn finish(&mut self) -> Result<()> {
        if !self.header_done {
            self.header_done = true;
            self.header()?;
        }
        self.flush()
    }

    /// Flushes the output.
    pub fn flush(&mut self) -> Result<()> {
        let r = match &mut self.sink {
            Sink::Plain(w) => w.flush(),
            Sink::Csv(w) => w.flush(),
        };
        r.map_err(|e| Error::io(&self.name, e))
    }

    fn io(&self, e: std::io::Error) -> Error {
        Error::io(&self.name, e)
    }

    fn line(&mut self, s: &str) -> Result<()> {
        let r = match &mut self.sink {
            Sink::Plain(w) => writeln!(w, "{s}"),
            Sink::Csv(_) => Ok(()),
        };
        r.map_err(|e| self.io(e))
    }

    fn record<I, S>(&mut self, fields: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let r = match &mut self.sink {
            Sink::Csv(w) => w.write_record(fields).map_err(csv_io),
            Sink::Plain(_) => Ok(()),
        };
        r.map_err(|e| self.io(e))
    }

    fn header(&mut self) -> Result<()> {
        let w = self.widths;
        match (self.format, self.per) {
            (OutputFormat::Jsonl, _) => Ok(()),
            (OutputFormat::Csv, Per::Sentence) => {
                let mut h: Vec<String> = [
                    "article",
                    "sentence",
                    "start",
                    "end",
                    "actor",
                    "mentioned",
                    "label",
                    "confidence",
                ]
                .map(String::from)
                .to_vec();
                h.extend(self.labels.iter().map(|l| format!("p_{l}")));
                h.push("text".into());
                self.record(h)
            }
            (OutputFormat::Csv, Per::Article) => {
                let mut h: Vec<String> = ["article", "actor", "sentences", "mentions", "stance", "confidence"]
                    .map(String::from)
                    .to_vec();
                h.extend(self.labels.iter().map(|l| format!("n_{l}")));
                h.extend(self.labels.iter().map(|l| format!("mean_{l}")));
                h.extend(self.labels.iter().map(|l| format!("evidence_{l}")));
                self.record(h)
            }
            (OutputFormat::Table, Per::Sentence) => {
                let h = format!(
                    "{:<aw$}  {:>4}  {:<cw$}  {:<lw$}  {:>4}  text",
                    "article",
                    "#",
                    "actor",
                    "label",
                    "conf",
                    aw = w.article,
                    cw = w.actor,
                    lw = w.label
                );
                self.line(&h)
            }
            (OutputFormat::Table, Per::Article) => {
                let mut h = format!(
                    "{:<aw$}  {:<cw$}  {:>4}",
                    "article",
                    "actor",
                    "sent",
                    aw = w.article,
                    cw = w.actor
                );
                for l in &self.labels {
                    h.push_str(&format!("  {l:>n$}", n = l.chars().count().max(3)));
                }
                h.push_str(&format!("  {:<sw$}  {:>4}  evidence", "stance", "conf", sw = w.stance));
                self.line(&h)
            }
        }
    }

    fn sentence_row(&mut self, l: &LabeledArticle, s: &SentenceLabel) -> Result<()> {
        let label = self.labels.get(s.prediction.label).map_or("", String::as_str);
        let actor = self.actors.get(s.actor).map_or("", String::as_str);
        let confidence = s.prediction.probs.get(s.prediction.label).copied().unwrap_or(0.0);
        let text = l.text_of(s);
        match self.format {
            OutputFormat::Jsonl => {
                let row = SentenceRow {
                    article: &l.article.id,
                    sentence: s.index,
                    start: s.start,
                    end: s.end,
                    actor,
                    mentioned: s.mentioned,
                    label,
                    confidence: round4(confidence),
                    probabilities: ByLabel(&self.labels, &s.prediction.probs),
                    text,
                };
                let json = to_json(&row)?;
                self.line(&json)
            }
            OutputFormat::Csv => {
                let mut rec = vec![
                    l.article.id.clone(),
                    s.index.to_string(),
                    s.start.to_string(),
                    s.end.to_string(),
                    actor.to_string(),
                    s.mentioned.to_string(),
                    label.to_string(),
                    format!("{confidence:.4}"),
                ];
                rec.extend(s.prediction.probs.iter().map(|p| format!("{p:.4}")));
                rec.push(text.to_string());
                self.record(rec)
            }
            OutputFormat::Table => {
                let w = self.widths;
                let actor = if s.mentioned {
                    actor.to_string()
                } else {
                    format!("({actor})")
                };
                let row = format!(
                    "{:<aw$}  {:>4}  {:<cw$}  {:<lw$}  {:>4.2}  {}",
                    shorten_start(&l.article.id, w.article),
                    s.index,
                    shorten(&actor, w.actor),
                    label,
                    confidence,
                    shorten(text, TEXT_WIDTH),
                    aw = w.article,
                    cw = w.actor,
                    lw = w.label
                );
                self.line(&row)
            }
        }
    }

    fn article_row(&mut self, l: &LabeledArticle, a: &ArticleSummary) -> Result<()> {
        let sum = &a.summary;
        let actor = self.actors.get(a.actor).map_or("", String::as_str);
        let stance = sum.stance.name(&self.labels);
        let evidence_of = |label: usize| -> Option<&SentenceLabel> {
            sum.evidence
                .get(label)
                .copied()
                .flatten()
                .and_then(|pos| l.sentences.get(pos))
        };
        match self.format {
            OutputFormat::Jsonl => {
                let evidence: Vec<Option<EvidenceRow>> = (0..self.labels.len())
                    .map(|i| {
                        evidence_of(i).map(|s| EvidenceRow {
                            sentence: s.index,
                            start: s.start,
                            end: s.end,
                            probability: round4(s.prediction.probs.get(i).copied().unwrap_or(0.0)),
                            text: l.text_of(s),
                        })
                    })
                    .collect();
                let row = ArticleRow {
                    article: &l.article.id,
                    actor,
                    sentences: sum.sentences,
                    mentions: a.mentions,
                    stance,
                    confidence: round4(sum.confidence),
                    counts: ByLabel(&self.labels, &sum.counts),
                    mean_probabilities: ByLabel(&self.labels, &sum.mean_probs),
                    vote_shares: ByLabel(&self.labels, &sum.vote_shares),
                    evidence: Evidence(&self.labels, &evidence),
                };
                let json = to_json(&row)?;
                self.line(&json)
            }
            OutputFormat::Csv => {
                let mut rec = vec![
                    l.article.id.clone(),
                    actor.to_string(),
                    sum.sentences.to_string(),
                    a.mentions.to_string(),
                    stance.to_string(),
                    format!("{:.4}", sum.confidence),
                ];
                rec.extend(sum.counts.iter().map(usize::to_string));
                rec.extend(sum.mean_probs.iter().map(|p| format!("{p:.4}")));
                rec.extend(
                    (0..self.labels.len()).map(|i| evidence_of(i).map_or(String::new(), |s| l.text_of(s).to_string())),
                );
                self.record(rec)
            }
            OutputFormat::Table => {
                let w = self.widths;
                let mut row = format!(
                    "{:<aw$}  {:<cw$}  {:>4}",
                    shorten_start(&l.article.id, w.article),
                    shorten(actor, w.actor),
                    sum.sentences,
                    aw = w.article,
                    cw = w.actor
                );
                for (label, c) in self.labels.iter().zip(&sum.counts) {
                    row.push_str(&format!("  {c:>n$}", n = label.chars().count().max(3)));
                }
                // The evidence shown: the stance's own, or for mixed the stronger side's.
                let shown = match sum.stance {
                    Stance::Label(i) => i,
                    Stance::Mixed => self
                        .labels
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| *n != "neutral")
                        .max_by(|(i, _), (j, _)| {
                            let share = |k: &usize| sum.vote_shares.get(*k).copied().unwrap_or(0.0);
                            share(i).total_cmp(&share(j)).then(j.cmp(i))
                        })
                        .map_or(0, |(i, _)| i),
                };
                let evidence = evidence_of(shown).map_or(String::new(), |s| shorten(l.text_of(s), TEXT_WIDTH));
                row.push_str(&format!(
                    "  {:<sw$}  {:>4.2}  {}",
                    stance,
                    sum.confidence,
                    evidence,
                    sw = w.stance
                ));
                self.line(row.trim_end())
            }
        }
    }
}

fn csv_io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("CSV output: {other:?}")),
    }
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(format!("JSON encoding: {e}")))
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

#[derive(Serialize)]
struct SentenceRow<'a> {
    article: &'a str,
    sentence: usize,
    start: usize,
    end: usize,
    actor: &'a str,
    mentioned: bool,
    label: &'a str,
    confidence: f64,
    probabilities: ByLabel<'a, f64>,
    text: &'a str,
}

#[derive(Serialize)]
struct ArticleRow<'a> {
    article: &'a str,
    actor: &'a str,
    sentences: usize,
    mentions: usize,
    stance: &'a str,
    confidence: f64,
    counts: ByLabel<'a, usize>,
    mean_probabilities: ByLabel<'a, f64>,
    vote_shares: ByLabel<'a, f64>,
    evidence: Evidence<'a>,
}

#[derive(Serialize)]
struct EvidenceRow<'a> {
    sentence: usize,
    start: usize,
    end: usize,
    probability: f64,
    text: &'a str,
}

/// A JSON object keyed by label, in the model's label order (floats rounded to 4 decimals).
struct ByLabel<'a, T>(&'a [String], &'a [T]);

impl Serialize for ByLabel<'_, f64> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (l, &v) in self.0.iter().zip(self.1) {
            m.serialize_entry(l, &round4(v))?;
        }
        m.end()
    }
}

impl Serialize for ByLabel<'_, usize> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (l, v) in self.0.iter().zip(self.1) {
            m.serialize_entry(l, v)?;
        }
        m.end()
    }
}

/// The evidence of each label that has any, keyed by label in the model's order.
struct Evidence<'a>(&'a [String], &'a [Option<EvidenceRow<'a>>]);

impl Serialize for Evidence<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (l, e) in self.0.iter().zip(self.1) {
            if let Some(e) = e {
                m.serialize_entry(l, e)?;
            }
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::articles::Article;
    use crate::label::aggregate::{StanceRule, summarize};
    use crate::model::Prediction;

    fn labels() -> Vec<String> {
        ["distancing", "neutral", "supportive"].map(String::from).to_vec()
    }

    fn sample() -> LabeledArticle {
        let text = "Hoy llueve. Todos aplauden a Ruiz, \"el mejor\".";
        let pred = Prediction {
            label: 2,
            probs: vec![0.1, 0.2, 0.7],
        };
        let summary = summarize(3, &[&pred], &StanceRule::for_labels(&labels())).unwrap();
        LabeledArticle {
            article: Article {
                id: "dir/a.txt".into(),
                text: text.into(),
            },
            n_sentences: 2,
            sentences: vec![SentenceLabel {
                index: 1,
                start: 12,
                end: text.len(),
                actor: 0,
                mentioned: true,
                prediction: pred,
            }],
            summaries: vec![ArticleSummary {
                actor: 0,
                mentions: 1,
                summary,
            }],
        }
    }

    fn render(format: OutputFormat, per: Per) -> String {
        let mut buf = Vec::new();
        {
            let mut w = LabelWriter::new(&mut buf, "<test>", format, per, &labels(), &["Ana Ruiz".to_string()]);
            w.write(&sample()).unwrap();
            w.finish().unwrap();
        }
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn sentence_rows_as_json_lines() {
        assert_eq!(
            render(OutputFormat::Jsonl, Per::Sentence),
            "{\"article\":\"dir/a.txt\",\"sentence\":1,\"start\":12,\"end\":46,\"actor\":\"Ana Ruiz\",\"mentioned\":true,\"label\":\"supportive\",\"confidence\":0.7,\"probabilities\":{\"distancing\":0.1,\"neutral\":0.2,\"supportive\":0.7},\"text\":\"Todos aplauden a Ruiz, \\\"el mejor\\\".\"}\n"
        );
    }

    #[test]
    fn article_rows_as_json_lines() {
        let out = render(OutputFormat::Jsonl, Per::Article);
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["stance"], "supportive");
        assert_eq!(v["confidence"], 1.0);
        assert_eq!(v["counts"]["supportive"], 1);
        assert_eq!(v["evidence"]["supportive"]["sentence"], 1);
        assert!(v["evidence"].get("neutral").is_none());
    }

    #[test]
    fn csv_quotes_and_has_a_header() {
        let out = render(OutputFormat::Csv, Per::Sentence);
        let mut lines = out.lines();
        assert_eq!(
            lines.next(),
            Some(
                "article,sentence,start,end,actor,mentioned,label,confidence,p_distancing,p_neutral,p_supportive,text"
            )
        );
        assert_eq!(
            lines.next(),
            Some(
                "dir/a.txt,1,12,46,Ana Ruiz,true,supportive,0.7000,0.1000,0.2000,0.7000,\"Todos aplauden a Ruiz, \"\"el mejor\"\".\""
            )
        );
        let out = render(OutputFormat::Csv, Per::Article);
        assert!(out.starts_with("article,actor,sentences,mentions,stance,confidence,n_distancing,"));
    }

    #[test]
    fn table_is_aligned() {
        let out = render(OutputFormat::Table, Per::Article);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].find("actor"), lines[1].find("Ana Ruiz"));
        assert!(lines[1].contains("supportive  1.00  Todos aplauden"));
        assert_eq!(shorten_start("a/very/long/path.txt", 10), "…/path.txt");
        assert_eq!(shorten("uno dos tres", 6), "uno d…");
    }
}
