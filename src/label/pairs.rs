//! Who stands toward whom: for every sentence that names two or more listed actors, how each
//! named actor (the source) stands toward each other one (the target), with a source-aware
//! model; and the stance network those edges add up to, one row per (source, target), written
//! as CSV, JSON lines, GraphML or GEXF (what networkx and Gephi read).

use super::aggregate::{self, StanceRule};
use super::html::escape;
use crate::data::articles::{ActorSpec, Article};
use crate::error::{Error, Result};
use crate::features::{Extractor, Statement};
use crate::model::{Model, NONE_LABEL, Prediction};
use crate::text::ActorMatcher;
use crate::text::sentences::split_sentences;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One source → target stance found in one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The article's id.
    pub article: String,
    /// 0-based sentence index in the article, and its byte span.
    pub sentence: usize,
    /// Start byte of the sentence.
    pub start: usize,
    /// End byte of the sentence.
    pub end: usize,
    /// The source, an index into the labeler's actors.
    pub source: usize,
    /// The target, an index into the labeler's actors.
    pub target: usize,
    /// How the source stands toward the target in the sentence.
    pub prediction: Prediction,
}

/// Finds the source → target edges of articles toward a list of actors.
pub struct PairLabeler<'m> {
    model: &'m Model,
    names: Vec<String>,
    actors: Vec<ActorMatcher>,
}

impl<'m> PairLabeler<'m> {
    /// Needs a source-aware model and at least two actors with usable names. Aliases shared by
    /// two actors are returned as warnings (each once).
    pub fn new(model: &'m Model, actors: &[ActorSpec]) -> Result<(Self, Vec<String>)> {
        if !model.is_source_aware() {
            return Err(Error::usage(
                "--per pair needs a source-aware model (trained with a source column, as the default model is)",
            ));
        }
        if actors.len() < 2 {
            return Err(Error::usage(
                "--per pair needs an actor list with two or more actors (--actors FILE): a stance is held by one actor toward another",
            ));
        }
        let matchers: Vec<ActorMatcher> = actors.iter().map(|a| ActorMatcher::new(&a.name, &a.aliases)).collect();
        if let Some(bad) = matchers.iter().find(|m| !m.is_usable()) {
            return Err(Error::usage(format!(
                "actor '{}' has no word (a letter or digit) to look for",
                bad.name()
            )));
        }
        let mut warnings = Vec::new();
        for (i, a) in matchers.iter().enumerate() {
            for b in matchers.iter().skip(i + 1) {
                if a.shares_a_name_with(b) {
                    warnings.push(format!(
                        "actors '{}' and '{}' share a name or alias: a mention of it counts for both",
                        a.name(),
                        b.name()
                    ));
                }
            }
        }
        Ok((
            PairLabeler {
                model,
                names: actors.iter().map(|a| a.name.clone()).collect(),
                actors: matchers,
            },
            warnings,
        ))
    }

    /// The actors' names, in list order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The edges of one article: every ordered pair of distinct actors named in a sentence,
    /// asked how the first stands toward the second; pairs answered `none` are left out.
    pub fn edges(&self, article: &Article, ex: &Extractor) -> Vec<Edge> {
        let none = self.model.label_index(NONE_LABEL);
        let mut out = Vec::new();
        for (index, span) in split_sentences(&article.text).iter().enumerate() {
            let Some(text) = article.text.get(span.start..span.end) else {
                continue;
            };
            let named: Vec<usize> = (0..self.actors.len())
                .filter(|&i| self.actors.get(i).is_some_and(|m| m.mentioned_in(text)))
                .collect();
            if named.len() < 2 {
                continue;
            }
            for &s in &named {
                for &t in &named {
                    let (Some(sm), Some(tm)) = (self.actors.get(s), self.actors.get(t)) else {
                        continue;
                    };
                    if s == t || sm.shares_a_name_with(tm) {
                        continue;
                    }
                    let st = Statement::new(text, Some(tm)).with_source(Some(sm));
                    let prediction = self.model.predict_with(&st, ex);
                    if Some(prediction.label) == none {
                        continue;
                    }
                    out.push(Edge {
                        article: article.id.clone(),
                        sentence: index,
                        start: span.start,
                        end: span.end,
                        source: s,
                        target: t,
                        prediction,
                    });
                }
            }
        }
        out
    }
}

/// One (source, target) row of the stance network.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkRow {
    /// The source's name.
    pub source: String,
    /// The target's name.
    pub target: String,
    /// What the pair's sentences add up to.
    pub summary: aggregate::Summary,
    /// The sentence behind the overall stance (the most probable of its label), if any.
    pub evidence: Option<String>,
}

/// The stance network over edges: one row per (source, target) pair, in name order.
pub fn network(model: &Model, names: &[String], edges: &[(Edge, String)]) -> Vec<NetworkRow> {
    let rule = StanceRule::for_labels(&model.labels);
    let mut groups: BTreeMap<(&str, &str), Vec<&(Edge, String)>> = BTreeMap::new();
    for e in edges {
        let (Some(s), Some(t)) = (names.get(e.0.source), names.get(e.0.target)) else {
            continue;
        };
        groups.entry((s.as_str(), t.as_str())).or_default().push(e);
    }
    groups
        .into_iter()
        .filter_map(|((s, t), es)| {
            let preds: Vec<&Prediction> = es.iter().map(|e| &e.0.prediction).collect();
            let summary = aggregate::summarize(model.n_labels(), &preds, &rule)?;
            let evidence = match summary.stance {
                aggregate::Stance::Label(l) => summary.evidence.get(l).copied().flatten(),
                aggregate::Stance::Mixed | aggregate::Stance::Uncertain => None,
            }
            .and_then(|pos| es.get(pos))
            .map(|e| e.1.clone());
            Some(NetworkRow {
                source: s.to_string(),
                target: t.to_string(),
                summary,
                evidence,
            })
        })
        .collect()
}

/// The nodes of a network: every actor that holds or receives a stance, in name order.
pub(super) fn nodes(rows: &[NetworkRow]) -> Vec<&str> {
    let mut n: Vec<&str> = rows
        .iter()
        .flat_map(|r| [r.source.as_str(), r.target.as_str()])
        .collect();
    n.sort_unstable();
    n.dedup();
    n
}

/// The network as GraphML (networkx: `nx.read_graphml`): directed edges with the overall stance,
/// the number of sentences, each label's count and mean probability.
pub fn to_graphml(model: &Model, rows: &[NetworkRow]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
    );
    s.push_str("  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n");
    s.push_str("  <key id=\"stance\" for=\"edge\" attr.name=\"stance\" attr.type=\"string\"/>\n");
    s.push_str("  <key id=\"sentences\" for=\"edge\" attr.name=\"sentences\" attr.type=\"int\"/>\n");
    s.push_str("  <key id=\"confidence\" for=\"edge\" attr.name=\"confidence\" attr.type=\"double\"/>\n");
    for (i, l) in model.labels.iter().enumerate() {
        let l = escape(l);
        let _ = writeln!(
            s,
            "  <key id=\"n{i}\" for=\"edge\" attr.name=\"n_{l}\" attr.type=\"int\"/>\n  <key id=\"p{i}\" for=\"edge\" attr.name=\"p_{l}\" attr.type=\"double\"/>"
        );
    }
    s.push_str("  <graph id=\"stance\" edgedefault=\"directed\">\n");
    let ids = nodes(rows);
    for (i, n) in ids.iter().enumerate() {
        let _ = writeln!(
            s,
            "    <node id=\"a{i}\"><data key=\"label\">{}</data></node>",
            escape(n)
        );
    }
    let id = |name: &str| ids.iter().position(|n| *n == name).unwrap_or(0);
    for (e, r) in rows.iter().enumerate() {
        let _ = writeln!(
            s,
            "    <edge id=\"e{e}\" source=\"a{}\" target=\"a{}\">",
            id(&r.source),
            id(&r.target)
        );
        let _ = writeln!(
            s,
            "      <data key=\"stance\">{}</data>\n      <data key=\"sentences\">{}</data>\n      <data key=\"confidence\">{:.4}</data>",
            escape(r.summary.stance.name(&model.labels)),
            r.summary.sentences,
            r.summary.confidence
        );
        for i in 0..model.labels.len() {
            let _ = writeln!(
                s,
                "      <data key=\"n{i}\">{}</data>\n      <data key=\"p{i}\">{:.4}</data>",
                r.summary.counts.get(i).copied().unwrap_or(0),
                r.summary.mean_probs.get(i).copied().unwrap_or(0.0)
            );
        }
        s.push_str("    </edge>\n");
    }
    s.push_str("  </graph>\n</graphml>\n");
    s
}

/// The network as GEXF 1.3 (Gephi): directed edges weighted by their sentences, with the
/// overall stance and confidence as edge attributes.
pub fn to_gexf(model: &Model, rows: &[NetworkRow]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n  <graph defaultedgetype=\"directed\">\n",
    );
    s.push_str("    <attributes class=\"edge\">\n      <attribute id=\"0\" title=\"stance\" type=\"string\"/>\n      <attribute id=\"1\" title=\"confidence\" type=\"double\"/>\n    </attributes>\n");
    let ids = nodes(rows);
    s.push_str("    <nodes>\n");
    for (i, n) in ids.iter().enumerate() {
        let _ = writeln!(s, "      <node id=\"a{i}\" label=\"{}\"/>", escape(n));
    }
    s.push_str("    </nodes>\n    <edges>\n");
    let id = |name: &str| ids.iter().position(|n| *n == name).unwrap_or(0);
    for (e, r) in rows.iter().enumerate() {
        let _ = writeln!(
            s,
            "      <edge id=\"e{e}\" source=\"a{}\" target=\"a{}\" weight=\"{}\">\n        <attvalues>\n          <attvalue for=\"0\" value=\"{}\"/>\n          <attvalue for=\"1\" value=\"{:.4}\"/>\n        </attvalues>\n      </edge>",
            id(&r.source),
            id(&r.target),
            r.summary.sentences,
            escape(r.summary.stance.name(&model.labels)),
            r.summary.confidence
        );
    }
    s.push_str("    </edges>\n  </graph>\n</gexf>\n");
    s
}

/// An edge as written (JSON lines, CSV, table): source, target, label, probabilities, sentence.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EdgeRecord<'a> {
    /// The article's id.
    pub article: &'a str,
    /// 1-based sentence number in the article.
    pub sentence: usize,
    /// The source's name.
    pub source: &'a str,
    /// The target's name.
    pub target: &'a str,
    /// The predicted label.
    pub label: &'a str,
    /// Its probability.
    pub confidence: f64,
    /// Every label's probability.
    pub probabilities: BTreeMap<&'a str, f64>,
    /// The sentence.
    pub text: &'a str,
}

impl Edge {
    /// The edge as a record, `text` being its sentence.
    pub fn record<'a>(&'a self, model: &'a Model, names: &'a [String], text: &'a str) -> EdgeRecord<'a> {
        let p = &self.prediction;
        EdgeRecord {
            article: &self.article,
            sentence: self.sentence + 1,
            source: names.get(self.source).map_or("", String::as_str),
            target: names.get(self.target).map_or("", String::as_str),
            label: model.labels.get(p.label).map_or("", String::as_str),
            confidence: p.probs.get(p.label).copied().unwrap_or(0.0),
            probabilities: model
                .labels
                .iter()
                .map(String::as_str)
                .zip(p.probs.iter().copied())
                .collect(),
            text,
        }
    }
}

/// A network row as written (JSON lines, CSV).
#[derive(Debug, Clone, serde::Serialize)]
pub struct NetworkRecord<'a> {
    /// The source's name.
    pub source: &'a str,
    /// The target's name.
    pub target: &'a str,
    /// Sentences behind the row.
    pub sentences: usize,
    /// The overall stance.
    pub stance: &'a str,
    /// Its share of the votes.
    pub confidence: f64,
    /// Sentences predicted as each label.
    pub counts: BTreeMap<&'a str, usize>,
    /// Mean probability of each label.
    pub mean_probabilities: BTreeMap<&'a str, f64>,
    /// The sentence behind the overall stance, if any.
    pub evidence: Option<&'a str>,
}

impl NetworkRow {
    /// The row as a record.
    pub fn record<'a>(&'a self, model: &'a Model) -> NetworkRecord<'a> {
        let labels = model.labels.iter().map(String::as_str);
        NetworkRecord {
            source: &self.source,
            target: &self.target,
            sentences: self.summary.sentences,
            stance: self.summary.stance.name(&model.labels),
            confidence: self.summary.confidence,
            counts: labels.clone().zip(self.summary.counts.iter().copied()).collect(),
            mean_probabilities: labels.zip(self.summary.mean_probs.iter().copied()).collect(),
            evidence: self.evidence.as_deref(),
        }
    }
}
