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
//!    votes, the stance is **mixed**, with confidence = supportive + distancing shares.
//! 4. Else if one of them carries weight, the stance is the one with the larger share, with
//!    confidence = its share.
//! 5. Else the stance is **neutral**, with confidence = the neutral share.
//!
//! Confidence is thus always "the share of the article's sentence votes behind the stance".
//! For a model whose labels are not supportive/neutral/distancing, the stance is the label with
//! the largest share (first on ties) and the confidence its share.

use crate::model::Prediction;

/// Vote share at which supportive or distancing carries weight in an article.
pub const CARRIES_WEIGHT: f64 = 0.25;

/// Both sides carrying weight make a mixed stance when the weaker has at least this fraction of
/// the stronger side's votes.
pub const MIXED_RATIO: f64 = 0.5;

/// An article's overall stance toward an actor: one of the model's labels, or mixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stance {
    /// One of the model's labels (an index into its labels).
    Label(usize),
    /// Both supportive and distancing carry weight.
    Mixed,
}

impl Stance {
    /// The stance's name: the label's name, or "mixed".
    pub fn name<'a>(&self, labels: &'a [String]) -> &'a str {
        match self {
            Stance::Label(i) => labels.get(*i).map_or("", String::as_str),
            Stance::Mixed => "mixed",
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
    /// Share of the votes behind the stance (see the module docs).
    pub confidence: f64,
    /// For each label, the position (in the summarized list) of the sentence predicted as that
    /// label with the highest probability of it — the most decisive evidence; `None` if no
    /// sentence was predicted as that label.
    pub evidence: Vec<Option<usize>>,
}

/// Summarizes the predictions of the sentences toward one actor in one article (`n_labels`
/// labels). `None` when there is nothing to summarize.
pub fn summarize(n_labels: usize, preds: &[&Prediction], rule: &StanceRule) -> Option<Summary> {
    if preds.is_empty() || n_labels == 0 {
        return None;
    }
    let mut counts = vec![0usize; n_labels];
    let mut sums = vec![0f64; n_labels];
    let mut votes = vec![0f64; n_labels];
    let mut evidence: Vec<Option<(usize, f64)>> = vec![None; n_labels];
    for (pos, p) in preds.iter().enumerate() {
        for (s, &v) in sums.iter_mut().zip(&p.probs) {
            *s += v;
        }
        let top = p.probs.get(p.label).copied().unwrap_or(0.0);
        if let (Some(c), Some(v), Some(e)) = (
            counts.get_mut(p.label),
            votes.get_mut(p.label),
            evidence.get_mut(p.label),
        ) {
            *c += 1;
            *v += top;
            // Strictly greater: the earliest sentence wins ties.
            if e.is_none_or(|(_, best)| top > best) {
                *e = Some((pos, top));
            }
        }
    }
    let n = preds.len() as f64;
    let mean_probs: Vec<f64> = sums.iter().map(|s| s / n).collect();
    let total: f64 = votes.iter().sum();
    let vote_shares: Vec<f64> = votes
        .iter()
        .map(|v| if total > 0.0 { v / total } else { 0.0 })
        .collect();
    let (stance, confidence) = decide(&vote_shares, rule);
    Some(Summary {
        sentences: preds.len(),
        counts,
        mean_probs,
        vote_shares,
        stance,
        confidence,
        evidence: evidence.into_iter().map(|e| e.map(|(pos, _)| pos)).collect(),
    })
}

/// The stance and its confidence from the vote shares (the rule of the module docs).
fn decide(shares: &[f64], rule: &StanceRule) -> (Stance, f64) {
    let share = |i: usize| shares.get(i).copied().unwrap_or(0.0);
    let (Some(sup), Some(dis)) = (rule.supportive, rule.distancing) else {
        let best = crate::model::argmax(shares);
        return (Stance::Label(best), share(best));
    };
    let (s, d) = (share(sup), share(dis));
    let (strong, weak) = if d > s {
        ((dis, d), (sup, s))
    } else {
        ((sup, s), (dis, d))
    };
    if weak.1 >= CARRIES_WEIGHT && weak.1 >= MIXED_RATIO * strong.1 {
        return (Stance::Mixed, s + d);
    }
    if strong.1 >= CARRIES_WEIGHT {
        return (Stance::Label(strong.0), strong.1);
    }
    match rule.neutral {
        Some(neu) => (Stance::Label(neu), share(neu)),
        // No neutral label: the plurality among all labels.
        None => {
            let best = crate::model::argmax(shares);
            (Stance::Label(best), share(best))
        }
    }
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
        // votes: supportive 0.8 + 0.6, neutral 0.8 → share 1.4 / 2.2.
        assert!((s.confidence - 1.4 / 2.2).abs() < 1e-12);
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
        assert!((s.confidence - 3.2 / 3.9).abs() < 1e-12);
    }

    #[test]
    fn both_sides_with_weight_are_mixed() {
        let s = run(&[p([0.8, 0.1, 0.1]), p([0.1, 0.1, 0.8]), p([0.1, 0.8, 0.1])]);
        assert_eq!(s.stance, Stance::Mixed);
        assert_eq!(s.stance.name(&labels()), "mixed");
        assert!((s.confidence - 1.6 / 2.4).abs() < 1e-12);
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
        assert!((s.confidence - 0.6).abs() < 1e-12);
    }
}
