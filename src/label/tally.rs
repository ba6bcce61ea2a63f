//! Per-actor summaries over a whole run (`label --per actor`, the HTML report): the sentences
//! that mention each actor, pooled over every article, make one verdict per actor — and one per
//! actor and period when articles carry dates — by the same rule and confidence as an article's
//! ([`super::aggregate`]).
//!
//! Memory grows with actors × periods, never with the number of articles: only counts, sums
//! and the single strongest sentence per label are kept.

use super::LabeledArticle;
use super::aggregate::{Stance, StanceRule, Verdict, Votes};
use crate::data::date::Period;
use std::collections::BTreeMap;

/// The strongest sentence for a label over many articles.
#[derive(Debug, Clone, PartialEq)]
pub struct TallyEvidence {
    /// The article the sentence is in.
    pub article: String,
    /// The sentence's index in the article (0-based).
    pub sentence: usize,
    /// The probability of its label.
    pub probability: f64,
    /// The sentence.
    pub text: String,
}

/// What is known of one actor (in one period).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Articles that mention the actor.
    pub articles: usize,
    /// Article verdicts: per label, then mixed, then uncertain.
    pub article_stances: Vec<usize>,
    /// The mentioning sentences' votes.
    pub votes: Votes,
    /// Per label, the sentence predicted as it with the highest probability.
    pub evidence: Vec<Option<TallyEvidence>>,
}

impl Group {
    fn new(n_labels: usize) -> Self {
        Group {
            articles: 0,
            article_stances: vec![0; n_labels + 2],
            votes: Votes::new(n_labels),
            evidence: vec![None; n_labels],
        }
    }
}

/// One actor's summary (in one period, or over the whole run).
#[derive(Debug, Clone, PartialEq)]
pub struct ActorSummary {
    /// Index of the actor in the labeler's actor list.
    pub actor: usize,
    /// The period (`2025-03`, `2025-W10`, `2025-03-09`, or `undated`), when grouped by time.
    pub period: Option<String>,
    /// The actor (and period) the row counts.
    pub group: Group,
    /// `None` when no sentence mentions the actor.
    pub verdict: Option<Verdict>,
}

/// The name of the period of articles without a date.
pub const UNDATED: &str = "undated";

/// Accumulates labeled articles into per-actor (and per-period) groups.
#[derive(Debug, Clone)]
pub struct ActorTally {
    n_labels: usize,
    n_actors: usize,
    rule: StanceRule,
    period: Option<Period>,
    min_confidence: Option<f64>,
    overall: Vec<Group>,
    by_period: BTreeMap<(usize, String), Group>,
}

impl ActorTally {
    /// A tally for a model's `labels` and `n_actors` actors, grouped by `period` too when given;
    /// verdicts below `min_confidence` are uncertain.
    pub fn new(labels: &[String], n_actors: usize, period: Option<Period>, min_confidence: Option<f64>) -> Self {
        ActorTally {
            n_labels: labels.len(),
            n_actors,
            rule: StanceRule::for_labels(labels),
            period,
            min_confidence,
            overall: (0..n_actors).map(|_| Group::new(labels.len())).collect(),
            by_period: BTreeMap::new(),
        }
    }

    /// The time period rows are grouped by, if any.
    pub fn period(&self) -> Option<Period> {
        self.period
    }

    /// Adds an article's verdicts and mentioning sentences.
    pub fn add(&mut self, l: &LabeledArticle) {
        let period = self
            .period
            .map(|p| l.article.date.map_or_else(|| UNDATED.to_string(), |d| d.period(p)));
        for a in &l.summaries {
            let stance_slot = match a.summary.stance {
                Stance::Label(i) => i,
                Stance::Mixed => self.n_labels,
                Stance::Uncertain => self.n_labels + 1,
            };
            let n_labels = self.n_labels;
            let mut groups: Vec<&mut Group> = Vec::with_capacity(2);
            if let Some(g) = self.overall.get_mut(a.actor) {
                groups.push(g);
            }
            if let Some(p) = &period {
                groups.push(
                    self.by_period
                        .entry((a.actor, p.clone()))
                        .or_insert_with(|| Group::new(n_labels)),
                );
            }
            for g in groups {
                g.articles += 1;
                if let Some(c) = g.article_stances.get_mut(stance_slot) {
                    *c += 1;
                }
                for s in l.sentences.iter().filter(|s| s.actor == a.actor && s.mentioned) {
                    g.votes.add(&s.prediction);
                    let label = s.prediction.label;
                    let p = s.confidence();
                    if let Some(e) = g.evidence.get_mut(label)
                        && e.as_ref().is_none_or(|best| p > best.probability)
                    {
                        *e = Some(TallyEvidence {
                            article: l.article.id.clone(),
                            sentence: s.index,
                            probability: p,
                            text: l.text_of(s).to_string(),
                        });
                    }
                }
            }
        }
    }

    fn summary(&self, actor: usize, period: Option<String>, group: &Group) -> ActorSummary {
        let verdict = group.votes.verdict(&self.rule).map(|mut v| {
            if self.min_confidence.is_some_and(|m| v.confidence < m) {
                v.stance = Stance::Uncertain;
            }
            v
        });
        ActorSummary {
            actor,
            period,
            group: group.clone(),
            verdict,
        }
    }

    /// One summary per actor over the whole run, in actor order (actors never mentioned too).
    pub fn overall(&self) -> Vec<ActorSummary> {
        (0..self.n_actors)
            .filter_map(|a| self.overall.get(a).map(|g| self.summary(a, None, g)))
            .collect()
    }

    /// One summary per actor and period with any mention, by actor then period in time order
    /// (`undated` last); empty unless grouped by a period.
    pub fn by_period(&self) -> Vec<ActorSummary> {
        let mut out: Vec<ActorSummary> = self
            .by_period
            .iter()
            .map(|((a, p), g)| self.summary(*a, Some(p.clone()), g))
            .collect();
        // "undated" sorts after the digits of the dated periods already; keep it explicit.
        out.sort_by(|x, y| {
            x.actor
                .cmp(&y.actor)
                .then_with(|| (x.period.as_deref() == Some(UNDATED)).cmp(&(y.period.as_deref() == Some(UNDATED))))
                .then_with(|| x.period.cmp(&y.period))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::articles::Article;
    use crate::data::date::Date;
    use crate::label::aggregate::summarize;
    use crate::label::{ArticleSummary, SentenceLabel};
    use crate::model::Prediction;

    fn labels() -> Vec<String> {
        ["distancing", "neutral", "supportive"].map(String::from).to_vec()
    }

    /// An article with one mentioning sentence toward actor 0 with these probabilities.
    fn one(id: &str, date: Option<&str>, probs: [f64; 3]) -> LabeledArticle {
        let text = "Ruiz habló.";
        let pred = Prediction {
            label: crate::model::argmax(&probs),
            probs: probs.to_vec(),
        };
        let summary = summarize(3, &[&pred], &StanceRule::for_labels(&labels())).unwrap();
        LabeledArticle {
            article: Article {
                date: date.and_then(Date::parse),
                ..Article::new(id, text)
            },
            n_sentences: 1,
            sentences: vec![SentenceLabel {
                index: 0,
                start: 0,
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

    #[test]
    fn pools_sentences_over_articles_and_periods() {
        let mut t = ActorTally::new(&labels(), 2, Some(Period::Month), None);
        t.add(&one("a", Some("2025-01-10"), [0.8, 0.1, 0.1]));
        t.add(&one("b", Some("2025-01-20"), [0.9, 0.05, 0.05]));
        t.add(&one("c", Some("2025-02-01"), [0.1, 0.1, 0.8]));
        t.add(&one("d", None, [0.1, 0.8, 0.1]));
        let all = t.overall();
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].group.articles, all[0].group.votes.n), (4, 4));
        assert_eq!(all[0].group.votes.counts, vec![2, 1, 1]);
        assert_eq!(all[0].group.article_stances, vec![2, 1, 1, 0, 0]);
        let e = all[0].group.evidence[0].as_ref().unwrap();
        assert_eq!((e.article.as_str(), e.probability), ("b", 0.9));
        // The second actor was never mentioned: no verdict.
        assert_eq!((all[1].group.articles, all[1].verdict.is_none()), (0, true));
        let by_period = t.by_period();
        let periods: Vec<(Option<&str>, usize)> = by_period
            .iter()
            .map(|s| (s.period.as_deref(), s.group.articles))
            .collect();
        assert_eq!(
            periods,
            vec![(Some("2025-01"), 2), (Some("2025-02"), 1), (Some(UNDATED), 1)]
        );
        let jan = &by_period[0];
        assert_eq!(jan.verdict.as_ref().unwrap().stance, Stance::Label(0));
        // (0.8 + 0.9 + 1/3) / 3
        assert!((jan.verdict.as_ref().unwrap().confidence - (1.7 + 1.0 / 3.0) / 3.0).abs() < 1e-12);
    }

    #[test]
    fn min_confidence_makes_weak_verdicts_uncertain() {
        let mut t = ActorTally::new(&labels(), 1, None, Some(0.9));
        t.add(&one("a", None, [0.8, 0.1, 0.1]));
        assert_eq!(t.overall()[0].verdict.as_ref().unwrap().stance, Stance::Uncertain);
        assert!(t.by_period().is_empty());
    }
}
