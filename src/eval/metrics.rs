//! Classification metrics: accuracy, macro-F1, per-label precision/recall/F1/support, confusion
//! matrix, expected calibration error, and coverage when low-confidence rows abstain.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelMetrics {
    pub label: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub rows: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub per_label: Vec<LabelMetrics>,
    /// confusion[true][predicted]
    pub confusion: Vec<Vec<usize>>,
    pub labels: Vec<String>,
    /// Expected calibration error of the top probability, 10 equal-width bins.
    pub ece: f64,
    /// With a confidence threshold: the share of rows kept and the accuracy on them.
    pub min_confidence: Option<f64>,
    pub coverage: Option<f64>,
    pub accuracy_on_kept: Option<f64>,
}

impl Metrics {
    /// Metrics of predictions `pred` (with their probability rows) against `truth`.
    pub fn compute(
        labels: &[String],
        truth: &[usize],
        pred: &[usize],
        probs: &[Vec<f64>],
        min_confidence: Option<f64>,
    ) -> Metrics {
        let k = labels.len();
        let n = truth.len().min(pred.len());
        let mut confusion = vec![vec![0usize; k]; k];
        for (&t, &p) in truth.iter().zip(pred) {
            if t < k && p < k {
                confusion[t][p] += 1;
            }
        }
        let correct: usize = (0..k).map(|i| confusion[i][i]).sum();
        let per_label: Vec<LabelMetrics> = (0..k)
            .map(|i| {
                let tp = confusion[i][i] as f64;
                let predicted: usize = (0..k).map(|t| confusion[t][i]).sum();
                let support: usize = confusion[i].iter().sum();
                let precision = if predicted > 0 { tp / predicted as f64 } else { 0.0 };
                let recall = if support > 0 { tp / support as f64 } else { 0.0 };
                let f1 = if precision + recall > 0.0 {
                    2.0 * precision * recall / (precision + recall)
                } else {
                    0.0
                };
                LabelMetrics {
                    label: labels[i].clone(),
                    precision,
                    recall,
                    f1,
                    support,
                }
            })
            .collect();
        // Macro-F1 over the labels present in the truth (a label absent from the data would
        // count as a zero otherwise).
        let present: Vec<&LabelMetrics> = per_label.iter().filter(|m| m.support > 0).collect();
        let macro_f1 = if present.is_empty() {
            0.0
        } else {
            present.iter().map(|m| m.f1).sum::<f64>() / present.len() as f64
        };
        let ece = expected_calibration_error(truth, pred, probs);
        let (coverage, accuracy_on_kept) = match min_confidence {
            Some(th) => {
                let kept: Vec<usize> = (0..n)
                    .filter(|&i| {
                        probs
                            .get(i)
                            .is_some_and(|p| p.get(pred[i]).copied().unwrap_or(0.0) >= th)
                    })
                    .collect();
                let ok = kept.iter().filter(|&&i| truth[i] == pred[i]).count();
                (
                    Some(if n > 0 { kept.len() as f64 / n as f64 } else { 0.0 }),
                    Some(if kept.is_empty() {
                        0.0
                    } else {
                        ok as f64 / kept.len() as f64
                    }),
                )
            }
            None => (None, None),
        };
        Metrics {
            rows: n,
            accuracy: if n > 0 { correct as f64 / n as f64 } else { 0.0 },
            macro_f1,
            per_label,
            confusion,
            labels: labels.to_vec(),
            ece,
            min_confidence,
            coverage,
            accuracy_on_kept,
        }
    }
}

/// ECE: the mean |accuracy − confidence| over 10 confidence bins, weighted by bin size.
pub fn expected_calibration_error(truth: &[usize], pred: &[usize], probs: &[Vec<f64>]) -> f64 {
    const BINS: usize = 10;
    let mut count = [0usize; BINS];
    let mut conf = [0f64; BINS];
    let mut hits = [0f64; BINS];
    let mut n = 0;
    for ((&t, &p), pr) in truth.iter().zip(pred).zip(probs) {
        let c = pr.get(p).copied().unwrap_or(0.0).clamp(0.0, 1.0);
        let b = ((c * BINS as f64) as usize).min(BINS - 1);
        count[b] += 1;
        conf[b] += c;
        hits[b] += f64::from(u8::from(t == p));
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    (0..BINS)
        .filter(|&b| count[b] > 0)
        .map(|b| (hits[b] - conf[b]).abs() / n as f64)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Vec<String> {
        vec!["a".into(), "b".into(), "c".into()]
    }

    #[test]
    fn perfect_predictions() {
        let p = vec![vec![1.0, 0.0, 0.0], vec![0.0, 1.0, 0.0]];
        let m = Metrics::compute(&labels(), &[0, 1], &[0, 1], &p, None);
        assert_eq!(m.accuracy, 1.0);
        assert_eq!(m.macro_f1, 1.0);
        assert_eq!(m.confusion, vec![vec![1, 0, 0], vec![0, 1, 0], vec![0, 0, 0]]);
        assert_eq!(m.ece, 0.0);
    }

    #[test]
    fn hand_computed_f1_and_confusion() {
        // truth a a b b c ; pred a b b b a
        let probs = vec![vec![0.6, 0.2, 0.2]; 5];
        let m = Metrics::compute(&labels(), &[0, 0, 1, 1, 2], &[0, 1, 1, 1, 0], &probs, None);
        assert!((m.accuracy - 0.6).abs() < 1e-12);
        // a: p=1/2 r=1/2 f=.5 ; b: p=2/3 r=1 f=.8 ; c: 0
        assert!((m.per_label[0].f1 - 0.5).abs() < 1e-12);
        assert!((m.per_label[1].f1 - 0.8).abs() < 1e-12);
        assert_eq!(m.per_label[2].f1, 0.0);
        assert!((m.macro_f1 - 1.3 / 3.0).abs() < 1e-12);
        assert_eq!(m.confusion[2][0], 1);
    }

    #[test]
    fn coverage_and_calibration() {
        let probs = vec![vec![0.9, 0.1, 0.0], vec![0.4, 0.35, 0.25], vec![0.2, 0.8, 0.0]];
        let m = Metrics::compute(&labels(), &[0, 1, 0], &[0, 0, 1], &probs, Some(0.5));
        assert!((m.coverage.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.accuracy_on_kept.unwrap() - 0.5).abs() < 1e-12);
        // bins: 0.9 correct, 0.4 wrong, 0.8 wrong → (0.1 + 0.4 + 0.8) / 3
        assert!((m.ece - 1.3 / 3.0).abs() < 1e-12);
    }
}
