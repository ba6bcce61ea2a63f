//! Per-article summaries: how the sentences labeled toward one actor add up to an overall stance
//! with a confidence, and which sentence is the strongest evidence for each label.
//!
//! The rule, in full:
//!
//! 1. Each classified sentence votes for its predicted label with a weight equal to that label's
//!    probability, so an unsure sentence counts less than a clear one. A label's *vote share* is
//!    its votes over all votes of the article (shares sum to 1).
//! 2. Supportive or distancing *carries weight* when its share is at least [`CARRIES_WEIGHT`]
//!    (a quarter of the article's vote): news reporting is mostly neutral, so a quarter of the
//!    mentions taking sides is a stance, while a stray polar sentence is not.
//! 3. If both carry weight and the weaker has at least [`MIXED_RATIO`] (half) of the stronger's
//!    votes, the stance is **mixed**.
//! 4. Else if one of them carries weight, the stance is the one with the larger share.
//! 5. Else the stance is **neutral**.
//!
//! For a model whose labels are not supportive/neutral/distancing, the stance is the label with
//! the largest share (first on ties).
//!
//! **Confidence** is how probable the stance is according to the sentences behind it, made
//! more modest the fewer they are: the stance's probability summed over the sentences (for
//! mixed, supportive + distancing), plus [`PRIOR_SENTENCES`] undecided sentence that gives each
//! label 1/L, over n + 1:
//!
//! ```text
//! confidence = (Σ p(stance | sentence) + 1 × prior) / (n + 1),  prior = 1/L (mixed: 2/L)
//! ```
//!
//! So an article backed by one sentence at 0.55 gets (0.55 + 1/3) / 2 = 0.44, never more than
//! its sentence; ten sentences at 0.9 get 0.85; sentences that disagree with the stance lower it.

use crate::model::Prediction;

/// Vote share at which supportive or distancing carries weight in an article.
pub const CARRIES_WEIGHT: f64 = 0.25;

/// Both sides carrying weight make a mixed stance when the weaker has at least this fraction of
/// the stronger side's votes.
pub const MIXED_RATIO: f64 = 0.5;

/// How many undecided sentences (1/L for each of the L labels) the confidence is shrunk with.
pub const PRIOR_SENTENCES: f64 = 1.0;

/// An article's overall stance toward an actor: one of the model's labels, or mixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stance {
    /// One of the model's labels (an index into its labels).
    Label(usize),
    /// Both supportive and distancing carry weight.
    Mixed,
    /// The confidence fell below the caller's threshold (`label --min-confidence`).
    Uncertain,
}

impl Stance {
    /// The stance's name: the label's name, or "mixed".
    pub fn name<'a>(&self, labels: &'a [String]) -> &'a str {
        match self {
            Stance::Label(i) => labels.get(*i).map_or("", String::as_str),
            Stance::Mixed => "mixed",
            Stance::Uncertain => "uncertain",
        }
    }
}

/// Where the polar labels sit among the model's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StanceRule {
    supportive: Option<usize>,
    neutral: Option<usize>,
    distancing: Option<usize>,
}

impl StanceRule {
    /// The rule for a model with these labels.
    pub fn for_labels(labels: &[String]) -> Self {
        let find = |name: &str| labels.iter().position(|l| l == name);
        StanceRule {
            supportive: find("supportive"),
            neutral: find("neutral"),
            distancing: find("distancing"),
        }
    }
}

/// What the sentences toward one actor in one article add up to.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Sentences summarized.
    pub sentences: usize,
    /// Sentences predicted as each label.
    pub counts: Vec<usize>,
    /// Mean probability of each label over the sentences.
    pub mean_probs: Vec<f64>,
    /// Each label's share of the confidence-weighted sentence votes.
    pub vote_shares: Vec<f64>,
    /// The overall stance.
    pub stance: Stance,
    /// How probable the stance is by its sentences, shrunk by how few they are (module docs).
    pub confidence: f64,
    /// For each label, the position (in the summarized list) of the sentence predicted as that
    /// label with the highest probability of it — the most decisive evidence; `None` if no
    /// sentence was predicted as that label.
    pub evidence: Vec<Option<usize>>,
}

/// Running totals of the sentence predictions toward one actor — in one article, or pooled
/// over many ([`super::tally`]): what a verdict is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct Votes {
    /// Sentences added.
    pub n: usize,
    /// Sentences predicted as each label.
    pub counts: Vec<usize>,
    /// Each label's probability summed over the sentences.
    pub sums: Vec<f64>,
    /// Each label's votes: the probability of the predicted label, summed over the sentences
    /// predicted as it.
    pub votes: Vec<f64>,
}

/// A verdict: the stance, its confidence, and the numbers behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The verdict.
    pub stance: Stance,
    /// How probable the stance is by the sentences behind it (see the module docs).
    pub confidence: f64,
    /// Mean probability of each label over the sentences.
    pub mean_probs: Vec<f64>,
    /// Each label's share of the confidence-weighted sentence votes.
    pub vote_shares: Vec<f64>,
}

impl Votes {
    /// No votes yet, for a model with `n_labels` labels.
    pub fn new(n_labels: usize) -> Self {
        Votes {
            n: 0,
            counts: vec![0; n_labels],
            sums: vec![0.0; n_labels],
            votes: vec![0.0; n_labels],
        }
    }

    /// Adds one sentence's prediction.
    pub fn add(&mut self, p: &Prediction) {
        self.n += 1;
        for (s, &v) in self.sums.iter_mut().zip(&p.probs) {
            *s += v;
        }
        let top = p.probs.get(p.label).copied().unwrap_or(0.0);
        if let (Some(c), Some(v)) = (self.counts.get_mut(p.label), self.votes.get_mut(p.label)) {
            *c += 1;
            *v += top;
        }
    }

    /// The verdict of the sentences added (the rule of the module docs); `None` without any.
    pub fn verdict(&self, rule: &StanceRule) -> Option<Verdict> {
        if self.n == 0 || self.counts.is_empty() {
            return None;
        }
        let n = self.n as f64;
        let mean_probs: Vec<f64> = self.sums.iter().map(|s| s / n).collect();
        let total: f64 = self.votes.iter().sum();
        let vote_shares: Vec<f64> = self
            .votes
            .iter()
            .map(|v| if total > 0.0 { v / total } else { 0.0 })
            .collect();
        let stance = decide(&vote_shares, rule);
        Some(Verdict {
            stance,
            confidence: confidence(stance, &self.sums, self.n, self.counts.len(), rule),
            mean_probs,
            vote_shares,
        })
    }
}

/// Summarizes the predictions of the sentences toward one actor in one article (`n_labels`
/// labels). `None` when there is nothing to summarize.
pub fn summarize(n_labels: usize, preds: &[&Prediction], rule: &StanceRule) -> Option<Summary> {
    if n_labels == 0 {
        return None;
    }
    let mut votes = Votes::new(n_labels);
    let mut evidence: Vec<Option<(usize, f64)>> = vec![None; n_labels];
    for (pos, p) in preds.iter().enumerate() {
        votes.add(p);
        let top = p.probs.get(p.label).copied().unwrap_or(0.0);
        // Strictly greater: the earliest sentence wins ties.
        if let Some(e) = evidence.get_mut(p.label)
            && e.is_none_or(|(_, best)| top > best)
        {
            *e = Some((pos, top));
        }
    }
    let v = votes.verdict(rule)?;
    Some(Summary {
        sentences: votes.n,
        counts: votes.counts,
        mean_probs: v.mean_probs,
        vote_shares: v.vote_shares,
        stance: v.stance,
        confidence: v.confidence,
        evidence: evidence.into_iter().map(|e| e.map(|(pos, _)| pos)).collect(),
    })
}

/// The stance from the vote shares (the rule of the module docs).
fn decide(shares: &[f64], rule: &StanceRule) -> Stance {
    let share = |i: usize| shares.get(i).copied().unwrap_or(0.0);
    let (Some(sup), Some(dis)) = (rule.supportive, rule.distancing) else {
        return Stance::Label(crate::model::argmax(shares));
    };
    let (s, d) = (share(sup), share(dis));
    let (strong, weak) = if d > s {
        ((dis, d), (sup, s))
    } else {
        ((sup, s), (dis, d))
    };
    if weak.1 >= CARRIES_WEIGHT && weak.1 >= MIXED_RATIO * strong.1 {
        return Stance::Mixed;
    }
    if strong.1 >= CARRIES_WEIGHT {
        return Stance::Label(strong.0);
    }
    match rule.neutral {
        Some(neu) => Stance::Label(neu),
        // No neutral label: the plurality among all labels.
        None => Stance::Label(crate::model::argmax(shares)),
    }
}

/// The stance's confidence (module docs): its probability summed over the `n` sentences
/// (`sums` holds each label's sum) plus [`PRIOR_SENTENCES`] undecided ones, over n + prior.
pub fn confidence(stance: Stance, sums: &[f64], n: usize, n_labels: usize, rule: &StanceRule) -> f64 {
    let sum = |i: Option<usize>| i.and_then(|i| sums.get(i)).copied().unwrap_or(0.0);
    let (mass, labels_in) = match stance {
        Stance::Label(i) => (sum(Some(i)), 1.0),
        Stance::Mixed => (sum(rule.supportive) + sum(rule.distancing), 2.0),
        Stance::Uncertain => return 0.0,
    };
    let prior = labels_in / n_labels.max(1) as f64;
    ((mass + PRIOR_SENTENCES * prior) / (n as f64 + PRIOR_SENTENCES)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Vec<String> {
        ["distancing", "neutral", "supportive"].map(String::from).to_vec()
    }

    /// A prediction with probabilities (distancing, neutral, supportive).
    fn p(probs: [f64; 3]) -> Prediction {
        Prediction {
            label: crate::model::argmax(&probs),
            probs: probs.to_vec(),
        }
    }

    fn run(preds: &[Prediction]) -> Summary {
        let refs: Vec<&Prediction> = preds.iter().collect();
        summarize(3, &refs, &StanceRule::for_labels(&labels())).unwrap()
    }

    #[test]
    fn nothing_to_summarize() {
        assert!(summarize(3, &[], &StanceRule::for_labels(&labels())).is_none());
    }

    #[test]
    fn one_clear_side_wins() {
        let s = run(&[p([0.1, 0.1, 0.8]), p([0.1, 0.8, 0.1]), p([0.2, 0.2, 0.6])]);
        assert_eq!(s.stance, Stance::Label(2));
        assert_eq!(s.stance.name(&labels()), "supportive");
        // supportive: (0.8 + 0.1 + 0.6 + 1/3) / (3 + 1).
        assert!((s.confidence - (1.5 + 1.0 / 3.0) / 4.0).abs() < 1e-12);
        assert!((s.vote_shares[2] - 1.4 / 2.2).abs() < 1e-12);
        assert_eq!(s.counts, vec![0, 1, 2]);
        assert_eq!(s.evidence, vec![None, Some(1), Some(0)]);
        assert!((s.mean_probs.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_stray_polar_sentence_stays_neutral() {
        let mut preds = vec![p([0.1, 0.8, 0.1]); 4];
        preds.push(p([0.7, 0.2, 0.1]));
        let s = run(&preds);
        assert_eq!(s.stance, Stance::Label(1));
        // neutral: (4 × 0.8 + 0.2 + 1/3) / (5 + 1).
        assert!((s.confidence - (3.4 + 1.0 / 3.0) / 6.0).abs() < 1e-12);
    }

    #[test]
    fn both_sides_with_weight_are_mixed() {
        let s = run(&[p([0.8, 0.1, 0.1]), p([0.1, 0.1, 0.8]), p([0.1, 0.8, 0.1])]);
        assert_eq!(s.stance, Stance::Mixed);
        assert_eq!(s.stance.name(&labels()), "mixed");
        // supportive + distancing: (0.9 + 0.9 + 0.2 + 2/3) / (3 + 1).
        assert!((s.confidence - (2.0 + 2.0 / 3.0) / 4.0).abs() < 1e-12);
        // The weaker side below half of the stronger: the stronger wins.
        let s = run(&[
            p([0.6, 0.3, 0.1]),
            p([0.1, 0.1, 0.8]),
            p([0.1, 0.1, 0.8]),
            p([0.1, 0.1, 0.8]),
        ]);
        assert_eq!(s.stance, Stance::Label(2));
    }

    #[test]
    fn other_label_sets_use_the_plurality() {
        let labels: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let preds = [
            Prediction {
                label: 1,
                probs: vec![0.4, 0.6],
            },
            Prediction {
                label: 0,
                probs: vec![0.9, 0.1],
            },
        ];
        let refs: Vec<&Prediction> = preds.iter().collect();
        let s = summarize(2, &refs, &StanceRule::for_labels(&labels)).unwrap();
        assert_eq!(s.stance, Stance::Label(0));
        // a: (0.4 + 0.9 + 1/2) / (2 + 1).
        assert!((s.confidence - 1.8 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn one_sentence_never_backs_more_than_its_own_probability() {
        for top in [0.34, 0.4, 0.55, 0.7, 0.9, 0.99, 1.0] {
            let rest = (1.0 - top) / 2.0;
            for probs in [[top, rest, rest], [rest, top, rest], [rest, rest, top]] {
                let s = run(&[p(probs)]);
                assert!(s.confidence <= top + 1e-12, "{probs:?} -> {}", s.confidence);
                assert!(s.confidence >= 1.0 / 3.0 - 1e-12);
            }
        }
        // The finding: one sentence at 0.55 used to give confidence 1.0.
        let s = run(&[p([0.55, 0.25, 0.2])]);
        assert_eq!(s.stance, Stance::Label(0));
        assert!((s.confidence - (0.55 + 1.0 / 3.0) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn more_agreeing_sentences_raise_confidence_toward_their_probability() {
        let c: Vec<f64> = [1usize, 2, 5, 20]
            .iter()
            .map(|&n| run(&vec![p([0.05, 0.05, 0.9]); n]).confidence)
            .collect();
        assert!(c.windows(2).all(|w| w[0] < w[1]), "{c:?}");
        assert!(c.iter().all(|&x| x < 0.9));
        assert!(c[3] > 0.85);
    }
}
