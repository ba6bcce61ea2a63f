//! Writers for labeled articles: one row per sentence or per article and actor, as JSON lines,
//! CSV or a fixed-width table, written article by article so output streams.
//!
//! Probabilities are rounded to 4 decimals and listed in the model's label order. Write errors
//! become [`Error::Io`] naming the output, so a closed pipe can end a run quietly.

use super::tally::{ActorSummary, ActorTally, TallyEvidence};
use super::{ArticleSummary, LabeledArticle, SentenceLabel, Stance};
use crate::data::date::Period;
use crate::error::{Error, Result};
use crate::model::Explanation;
use crate::text::{shorten, shorten_path};
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
    /// One self-contained HTML page: every article with its sentences highlighted, the
    /// verdicts, the per-actor summary and, with dates, the stance over time ([`super::html`]).
    Html,
}

/// What one row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    /// One row per sentence classified toward an actor.
    Sentence,
    /// One row per article and actor with classified sentences: counts, means, stance, evidence.
    Article,
    /// One row per actor over the whole run (per actor and period with a period): articles,
    /// sentences, counts, stance, confidence and the strongest evidence ([`super::tally`]).
    Actor,
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
    /// Per-actor totals, for `Per::Actor` rows and the HTML report's summary.
    tally: Option<ActorTally>,
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
            tally: (per == Per::Actor || format == OutputFormat::Html)
                .then(|| ActorTally::new(labels, actors.len(), None, None)),
        }
    }

    /// Groups the per-actor rows (and the HTML report's timeline) by `period` as well, and
    /// reports per-actor verdicts below `min_confidence` as uncertain.
    pub fn with_tally_options(mut self, period: Option<Period>, min_confidence: Option<f64>) -> Self {
        if self.tally.is_some() {
            self.tally = Some(ActorTally::new(&self.labels, self.actors.len(), period, min_confidence));
        }
        self
    }

    /// Writes the rows of one article.
    pub fn write(&mut self, l: &LabeledArticle) -> Result<()> {
        if !self.header_done {
            self.header_done = true;
            self.header()?;
        }
        if let Some(t) = &mut self.tally {
            t.add(l);
        }
        if self.format == OutputFormat::Html {
            let section = super::html::article(l, &self.labels, &self.actors);
            return self.line(&section);
        }
        match self.per {
            Per::Actor => {}
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

    /// Writes the header if nothing was written yet (so an empty run still has one), then
    /// what comes after the articles (per-actor rows, the HTML report's summary), and flushes.
    pub fn finish(&mut self) -> Result<()> {
        if !self.header_done {
            self.header_done = true;
            self.header()?;
        }
        if let Some(t) = self.tally.take() {
            if self.format == OutputFormat::Html {
                let end = super::html::footer(&t, &self.labels, &self.actors);
                self.line(&end)?;
            } else {
                let rows = if t.period().is_some() {
                    t.by_period()
                } else {
                    t.overall()
                };
                for r in &rows {
                    self.actor_row(r)?;
                }
            }
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
        let by_period = self.tally.as_ref().is_some_and(|t| t.period().is_some());
        match (self.format, self.per) {
            (OutputFormat::Jsonl, _) => Ok(()),
            (OutputFormat::Html, _) => {
                let head = super::html::header(&self.labels);
                self.line(&head)
            }
            (OutputFormat::Csv, Per::Actor) => {
                let mut h: Vec<String> = vec!["actor".into()];
                if by_period {
                    h.push("period".into());
                }
                h.extend(["articles", "sentences", "stance", "confidence"].map(String::from));
                h.extend(self.labels.iter().map(|l| format!("n_{l}")));
                h.extend(self.labels.iter().map(|l| format!("mean_{l}")));
                h.extend(["evidence_article", "evidence_sentence", "evidence_text"].map(String::from));
                self.record(h)
            }
            (OutputFormat::Table, Per::Actor) => {
                let mut h = format!("{:<cw$}", "actor", cw = w.actor);
                if by_period {
                    h.push_str(&format!("  {:<10}", "period"));
                }
                h.push_str(&format!("  {:>4}  {:>4}", "arts", "sent"));
                for l in &self.labels {
                    h.push_str(&format!("  {l:>n$}", n = l.chars().count().max(3)));
                }
                h.push_str(&format!("  {:<sw$}  {:>4}  evidence", "stance", "conf", sw = w.stance));
                self.line(&h)
            }
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
        let label = if s.uncertain {
            "uncertain"
        } else {
            self.labels.get(s.prediction.label).map_or("", String::as_str)
        };
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
                    explain: s.explanation.as_ref().map(|e| ExplanationJson::new(&self.labels, e)),
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
            OutputFormat::Html => Ok(()),
            OutputFormat::Table => {
                let w = self.widths;
                let actor = if s.mentioned {
                    actor.to_string()
                } else {
                    format!("({actor})")
                };
                let row = format!(
                    "{:<aw$}  {:>4}  {:<cw$}  {:<lw$}  {:>4.2}  {}",
                    shorten_path(&l.article.id, w.article),
                    s.index,
                    shorten(&actor, w.actor),
                    label,
                    confidence,
                    shorten(text, TEXT_WIDTH),
                    aw = w.article,
                    cw = w.actor,
                    lw = w.label
                );
                self.line(&row)?;
                if let Some(e) = &s.explanation {
                    for line in explanation_lines(&self.labels, e) {
                        self.line(&format!("        {line}"))?;
                    }
                }
                Ok(())
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
            OutputFormat::Html => Ok(()),
            OutputFormat::Table => {
                let w = self.widths;
                let mut row = format!(
                    "{:<aw$}  {:<cw$}  {:>4}",
                    shorten_path(&l.article.id, w.article),
                    shorten(actor, w.actor),
                    sum.sentences,
                    aw = w.article,
                    cw = w.actor
                );
                for (label, c) in self.labels.iter().zip(&sum.counts) {
                    row.push_str(&format!("  {c:>n$}", n = label.chars().count().max(3)));
                }
                let shown = shown_label(sum.stance, &sum.vote_shares, &self.labels);
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

/// The label whose evidence stands for a verdict: the stance's own; for mixed the stronger
/// polar side's; for uncertain the label with the most votes.
pub fn shown_label(stance: Stance, vote_shares: &[f64], labels: &[String]) -> usize {
    match stance {
        Stance::Label(i) => i,
        Stance::Uncertain => crate::model::argmax(vote_shares),
        Stance::Mixed => labels
            .iter()
            .enumerate()
            .filter(|(_, n)| *n != "neutral")
            .max_by(|(i, _), (j, _)| {
                let share = |k: &usize| vote_shares.get(*k).copied().unwrap_or(0.0);
                share(i).total_cmp(&share(j)).then(j.cmp(i))
            })
            .map_or(0, |(i, _)| i),
    }
}

impl<W: Write> LabelWriter<W> {
    fn actor_row(&mut self, r: &ActorSummary) -> Result<()> {
        let actor = self.actors.get(r.actor).map_or("", String::as_str).to_string();
        let g = &r.group;
        let stance = r.verdict.as_ref().map(|v| v.stance.name(&self.labels).to_string());
        let confidence = r.verdict.as_ref().map(|v| v.confidence);
        let shown = r
            .verdict
            .as_ref()
            .map(|v| shown_label(v.stance, &v.vote_shares, &self.labels));
        let shown_evidence = shown.and_then(|i| g.evidence.get(i)).and_then(Option::as_ref);
        match self.format {
            OutputFormat::Jsonl => {
                let article_stances: serde_json::Map<String, serde_json::Value> = self
                    .labels
                    .iter()
                    .map(String::as_str)
                    .chain(["mixed", "uncertain"])
                    .zip(g.article_stances.iter().copied())
                    .filter(|(_, n)| *n > 0)
                    .map(|(k, n)| (k.to_string(), serde_json::Value::from(n)))
                    .collect();
                let zeros = vec![0.0; self.labels.len()];
                let row = ActorRow {
                    actor: &actor,
                    period: r.period.as_deref(),
                    articles: g.articles,
                    sentences: g.votes.n,
                    stance: stance.as_deref(),
                    confidence: confidence.map(round4),
                    counts: ByLabel(&self.labels, &g.votes.counts),
                    article_stances,
                    mean_probabilities: ByLabel(&self.labels, r.verdict.as_ref().map_or(&zeros, |v| &v.mean_probs)),
                    vote_shares: ByLabel(&self.labels, r.verdict.as_ref().map_or(&zeros, |v| &v.vote_shares)),
                    evidence: TallyEvidenceMap(&self.labels, &g.evidence),
                };
                let json = to_json(&row)?;
                self.line(&json)
            }
            OutputFormat::Csv => {
                let mut rec = vec![actor];
                if let Some(p) = &r.period {
                    rec.push(p.clone());
                }
                rec.extend([
                    g.articles.to_string(),
                    g.votes.n.to_string(),
                    stance.unwrap_or_default(),
                    confidence.map_or(String::new(), |c| format!("{c:.4}")),
                ]);
                rec.extend(g.votes.counts.iter().map(usize::to_string));
                rec.extend((0..self.labels.len()).map(|i| {
                    r.verdict
                        .as_ref()
                        .and_then(|v| v.mean_probs.get(i))
                        .map_or(String::new(), |p| format!("{p:.4}"))
                }));
                rec.extend([
                    shown_evidence.map_or(String::new(), |e| e.article.clone()),
                    shown_evidence.map_or(String::new(), |e| e.sentence.to_string()),
                    shown_evidence.map_or(String::new(), |e| e.text.clone()),
                ]);
                self.record(rec)
            }
            OutputFormat::Table | OutputFormat::Html => {
                let w = self.widths;
                let mut row = format!("{:<cw$}", shorten(&actor, w.actor), cw = w.actor);
                if let Some(p) = &r.period {
                    row.push_str(&format!("  {p:<10}"));
                }
                row.push_str(&format!("  {:>4}  {:>4}", g.articles, g.votes.n));
                for (label, c) in self.labels.iter().zip(&g.votes.counts) {
                    row.push_str(&format!("  {c:>n$}", n = label.chars().count().max(3)));
                }
                let evidence = shown_evidence.map_or(String::new(), |e| shorten(&e.text, TEXT_WIDTH));
                row.push_str(&format!(
                    "  {:<sw$}  {:>4}  {}",
                    stance.unwrap_or_else(|| "-".into()),
                    confidence.map_or("-".to_string(), |c| format!("{c:.2}")),
                    evidence,
                    sw = w.stance
                ));
                self.line(row.trim_end())
            }
        }
    }
}

#[derive(Serialize)]
struct ActorRow<'a> {
    actor: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<&'a str>,
    articles: usize,
    sentences: usize,
    /// `null` when no sentence mentions the actor.
    stance: Option<&'a str>,
    confidence: Option<f64>,
    counts: ByLabel<'a, usize>,
    /// How many articles got each verdict (verdicts no article got are left out).
    article_stances: serde_json::Map<String, serde_json::Value>,
    mean_probabilities: ByLabel<'a, f64>,
    vote_shares: ByLabel<'a, f64>,
    evidence: TallyEvidenceMap<'a>,
}

/// The strongest sentence of each label that has any, keyed by label.
struct TallyEvidenceMap<'a>(&'a [String], &'a [Option<TallyEvidence>]);

impl Serialize for TallyEvidenceMap<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Row<'b> {
            article: &'b str,
            sentence: usize,
            probability: f64,
            text: &'b str,
        }
        let mut m = s.serialize_map(None)?;
        for (l, e) in self.0.iter().zip(self.1) {
            if let Some(e) = e {
                m.serialize_entry(
                    l,
                    &Row {
                        article: &e.article,
                        sentence: e.sentence,
                        probability: round4(e.probability),
                        text: &e.text,
                    },
                )?;
            }
        }
        m.end()
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
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<ExplanationJson<'a>>,
}

/// An [`Explanation`] as JSON, every per-label list keyed by label: `intercept + Σ features +
/// rest = score` for each label.
#[derive(Serialize)]
pub struct ExplanationJson<'a> {
    intercept: ByLabel<'a, f64>,
    features: Vec<FeatureJson<'a>>,
    rest: ByLabel<'a, f64>,
    score: ByLabel<'a, f64>,
}

#[derive(Serialize)]
struct FeatureJson<'a> {
    feature: &'a str,
    value: f64,
    contribution: ByLabel<'a, f64>,
}

impl<'a> ExplanationJson<'a> {
    /// The explanation `e` with each value named by its label.
    pub fn new(labels: &'a [String], e: &'a Explanation) -> Self {
        ExplanationJson {
            intercept: ByLabel(labels, &e.bias),
            features: e
                .features
                .iter()
                .map(|c| FeatureJson {
                    feature: &c.feature,
                    value: round4(c.value),
                    contribution: ByLabel(labels, &c.per_label),
                })
                .collect(),
            rest: ByLabel(labels, &e.rest),
            score: ByLabel(labels, &e.scores),
        }
    }
}

/// An [`Explanation`] as aligned text lines: a header of labels, the intercept, each feature,
/// the other features together and the score they add up to.
pub fn explanation_lines(labels: &[String], e: &Explanation) -> Vec<String> {
    let widths: Vec<usize> = labels.iter().map(|l| l.chars().count().max(7)).collect();
    let row = |name: &str, values: &[f64]| -> String {
        let mut s = format!("{:<30}", shorten(name, 30));
        for (v, w) in values.iter().zip(&widths) {
            s.push_str(&format!("  {v:>+w$.3}"));
        }
        s
    };
    let mut head = format!("{:<30}", "score = intercept + features");
    for (l, w) in labels.iter().zip(&widths) {
        head.push_str(&format!("  {l:>w$}"));
    }
    let mut out = vec![head, row("(intercept)", &e.bias)];
    out.extend(e.features.iter().map(|c| row(&c.feature, &c.per_label)));
    out.push(row("(all other features)", &e.rest));
    out.push(row("= score", &e.scores));
    out
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
            article: Article::new("dir/a.txt", text),
            n_sentences: 2,
            sentences: vec![SentenceLabel {
                index: 1,
                start: 12,
                end: text.len(),
                actor: 0,
                mentioned: true,
                prediction: pred,
                uncertain: false,
                explanation: None,
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
        // One sentence at 0.7: (0.7 + 1/3) / 2.
        assert_eq!(v["confidence"], 0.5167);
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
        assert!(lines[1].contains("supportive  0.52  Todos aplauden"));
        assert_eq!(crate::text::shorten_start("a/very/long/path.txt", 10), "…/path.txt");
        assert_eq!(
            shorten_path("datasets/articles/07-kicillof-milei.txt", 28),
            "…/07-kicillof-milei.txt"
        );
        assert_eq!(shorten_path("a/b/muy-largo-nombre-de-archivo.txt", 12), "…archivo.txt");
        assert_eq!(shorten_path("corto.txt", 12), "corto.txt");
        assert_eq!(shorten("uno dos tres", 6), "uno d…");
    }
}
