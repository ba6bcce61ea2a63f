//! Classification metrics: accuracy, macro-F1, per-label precision/recall/F1/support, confusion
//! matrix, expected calibration error, and coverage when low-confidence rows abstain.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
/// Precision, recall, F1 and support of one label.
pub struct LabelMetrics {
    /// The label's name.
    pub label: String,
    /// Of the rows predicted as the label, the share that have it.
    pub precision: f64,
    /// Of the rows that have the label, the share predicted as it.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Rows that have the label.
    pub support: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// Scores of predictions against the truth (what `postura eval` reports).
pub struct Metrics {
    /// Rows scored.
    pub rows: usize,
    /// Share of rows predicted right.
    pub accuracy: f64,
    /// Mean F1 over the labels present in the truth.
    pub macro_f1: f64,
    /// Each label's scores.
    pub per_label: Vec<LabelMetrics>,
    /// `confusion[true][predicted]`
    pub confusion: Vec<Vec<usize>>,
    /// The labels, in the order of the confusion matrix.
    pub labels: Vec<String>,
    /// Expected calibration error of the top probability, 10 equal-width bins.
    pub ece: f64,
    /// With a confidence threshold: the share of rows kept and the accuracy on them (`None`
    /// when no row is kept).
    pub min_confidence: Option<f64>,
    /// With a minimum confidence: the share of rows kept.
    pub coverage: Option<f64>,
    /// With a minimum confidence: the accuracy on the rows kept.
    pub accuracy_on_kept: Option<f64>,
}

impl Metrics {
    /// The indices (into [`Self::labels`]) of the labels in the data or among the predictions,
    /// in order: the others have only zeros in every table.
    pub fn labels_in_play(&self) -> Vec<usize> {
        let predicted = |j: usize| self.confusion.iter().any(|r| r.get(j).is_some_and(|&c| c > 0));
        (0..self.labels.len())
            .filter(|&j| self.per_label.get(j).is_none_or(|l| l.support > 0) || predicted(j))
            .collect()
    }

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
                    // No kept row, no accuracy to report (null in JSON).
                    (!kept.is_empty()).then(|| ok as f64 / kept.len() as f64),
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

/// `probs` computed at some temperature, recomputed at that temperature divided by `scale`:
/// softmax(scale × ln p) per row.
pub fn rescale_probabilities(probs: &[Vec<f64>], scale: f64) -> Vec<Vec<f64>> {
    probs
        .iter()
        .map(|p| {
            let mut z: Vec<f64> = p.iter().map(|&v| scale * v.max(1e-300).ln()).collect();
            crate::model::softmax(&mut z);
            z
        })
        .collect()
}

/// Mean negative log-likelihood of `truth` under `probs` rescaled by `scale`.
fn rescaled_nll(truth: &[usize], probs: &[Vec<f64>], scale: f64) -> f64 {
    let sum: f64 = rescale_probabilities(probs, scale)
        .iter()
        .zip(truth)
        .map(|(p, &t)| -p.get(t).copied().unwrap_or(0.0).max(1e-300).ln())
        .sum();
    sum / truth.len().max(1) as f64
}

/// Temperature scaling: the factor s (new temperature = old / s) that minimizes the negative
/// log-likelihood of `truth` under softmax(s × ln p), by golden-section search on ln s over
/// [1/20, 20] (the likelihood is convex in s).
pub fn fit_temperature_scale(truth: &[usize], probs: &[Vec<f64>]) -> f64 {
    let f = |u: f64| rescaled_nll(truth, probs, u.exp());
    let (mut a, mut b) = (-(20f64.ln()), 20f64.ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut c, mut d) = (b - g * (b - a), a + g * (b - a));
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..60 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = f(d);
        }
    }
    ((a + b) / 2.0).exp()
}

/// Macro-F1 of `pred` against `truth` over `k` labels, counting the labels present in the truth
/// (as [`Metrics::compute`] does).
pub fn macro_f1(truth: &[usize], pred: &[usize], k: usize) -> f64 {
    let rows: Vec<usize> = (0..truth.len().min(pred.len())).collect();
    macro_f1_of_rows(truth, pred, k, &rows)
}

/// Macro-F1 over the rows listed in `rows` (repetitions count again).
pub fn macro_f1_of_rows(truth: &[usize], pred: &[usize], k: usize, rows: &[usize]) -> f64 {
    // Per label: true positives, predicted, support.
    let mut c = vec![[0usize; 3]; k];
    for &i in rows {
        let (Some(&t), Some(&p)) = (truth.get(i), pred.get(i)) else {
            continue;
        };
        if t >= k || p >= k {
            continue;
        }
        c[t][2] += 1;
        c[p][1] += 1;
        if t == p {
            c[t][0] += 1;
        }
    }
    let present = c.iter().filter(|x| x[2] > 0).count();
    if present == 0 {
        return 0.0;
    }
    let sum: f64 = c
        .iter()
        .filter(|x| x[2] > 0)
        .map(|&[tp, predicted, support]| 2.0 * tp as f64 / (predicted + support) as f64)
        .sum();
    sum / present as f64
}

/// How much better predictions `b` score than `a` on the same rows, and how sure that is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedBootstrap {
    /// Macro-F1 of `b` minus macro-F1 of `a` on the rows as they are.
    pub delta: f64,
    /// Standard deviation of that difference over the resamples.
    pub sd: f64,
    /// Share of resamples in which `b` does not beat `a`: a one-sided p-value for "b is better".
    pub p_not_better: f64,
}

/// Paired bootstrap of the macro-F1 difference between two prediction sets: the rows are
/// resampled with replacement `resamples` times (seeded: the same inputs give the same answer)
/// and both are scored on each resample.
pub fn paired_bootstrap(
    truth: &[usize],
    a: &[usize],
    b: &[usize],
    k: usize,
    resamples: usize,
    seed: u64,
) -> PairedBootstrap {
    let n = truth.len().min(a.len()).min(b.len());
    let delta = macro_f1(truth, b, k) - macro_f1(truth, a, k);
    if n == 0 || resamples == 0 {
        return PairedBootstrap {
            delta,
            sd: 0.0,
            p_not_better: 1.0,
        };
    }
    let mut rng = super::cv::SplitMix64(seed);
    let mut rows = vec![0usize; n];
    let mut deltas = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        for r in rows.iter_mut() {
            *r = (rng.next_u64() % n as u64) as usize;
        }
        deltas.push(macro_f1_of_rows(truth, b, k, &rows) - macro_f1_of_rows(truth, a, k, &rows));
    }
    let mean = deltas.iter().sum::<f64>() / resamples as f64;
    let var = deltas.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / resamples as f64;
    let not_better = deltas.iter().filter(|&&d| d <= 0.0).count();
    PairedBootstrap {
        delta,
        sd: var.sqrt(),
        p_not_better: not_better as f64 / resamples as f64,
    }
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
        // A threshold no row reaches keeps nothing: no accuracy to report, not 0.
        let none = Metrics::compute(&labels(), &[0, 1, 0], &[0, 0, 1], &probs, Some(0.95));
        assert_eq!((none.coverage, none.accuracy_on_kept), (Some(0.0), None));
    }

    #[test]
    fn macro_f1_agrees_with_the_full_metrics() {
        let (truth, pred) = ([0, 0, 1, 1, 2], [0, 1, 1, 1, 0]);
        let m = Metrics::compute(&labels(), &truth, &pred, &vec![vec![0.6, 0.2, 0.2]; 5], None);
        assert!((macro_f1(&truth, &pred, 3) - m.macro_f1).abs() < 1e-12);
    }

    /// 300 rows of three labels; the first `wrong` of them mispredicted.
    fn predictions(wrong: usize) -> (Vec<usize>, Vec<usize>) {
        let truth: Vec<usize> = (0..300).map(|i| i % 3).collect();
        let pred = truth
            .iter()
            .enumerate()
            .map(|(i, &t)| if i < wrong { (t + 1) % 3 } else { t })
            .collect();
        (truth, pred)
    }

    #[test]
    fn bootstrap_is_sure_of_a_large_gain_and_not_of_a_tiny_one() {
        let (truth, a) = predictions(60);
        let (_, b) = predictions(10);
        let big = paired_bootstrap(&truth, &a, &b, 3, 500, 7);
        assert!(big.delta > 0.1, "{big:?}");
        assert!(big.p_not_better < 0.01, "{big:?}");
        assert!(big.sd > 0.0 && big.sd < big.delta, "{big:?}");
        let (_, c) = predictions(59);
        let tiny = paired_bootstrap(&truth, &a, &c, 3, 500, 7);
        assert!(tiny.delta > 0.0 && tiny.delta < 0.01, "{tiny:?}");
        assert!(tiny.p_not_better > 0.05, "{tiny:?}");
        // The same predictions never count as better; the same seed gives the same answer.
        assert_eq!(paired_bootstrap(&truth, &a, &a, 3, 100, 1).p_not_better, 1.0);
        assert_eq!(
            paired_bootstrap(&truth, &a, &b, 3, 200, 3),
            paired_bootstrap(&truth, &a, &b, 3, 200, 3)
        );
    }

    #[test]
    fn temperature_scaling_undoes_overconfidence() {
        // Labels drawn from softmax(z); the model reports softmax(3 z): the fitted scale is ~1/3,
        // and the rescaled probabilities are better calibrated.
        let mut rng = crate::eval::cv::SplitMix64(11);
        let mut uniform = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let (mut truth, mut reported) = (Vec::new(), Vec::new());
        for _ in 0..20_000 {
            let z: Vec<f64> = (0..3).map(|_| 2.0 * uniform() - 1.0).collect();
            let mut p = z.clone();
            crate::model::softmax(&mut p);
            let u = uniform();
            let label = if u < p[0] {
                0
            } else if u < p[0] + p[1] {
                1
            } else {
                2
            };
            let mut q: Vec<f64> = z.iter().map(|v| 3.0 * v).collect();
            crate::model::softmax(&mut q);
            truth.push(label);
            reported.push(q);
        }
        let scale = fit_temperature_scale(&truth, &reported);
        assert!((scale - 1.0 / 3.0).abs() < 0.03, "{scale}");
        let pred: Vec<usize> = reported
            .iter()
            .map(|q| (0..3).max_by(|&a, &b| q[a].total_cmp(&q[b])).unwrap_or(0))
            .collect();
        let before = expected_calibration_error(&truth, &pred, &reported);
        let after = expected_calibration_error(&truth, &pred, &rescale_probabilities(&reported, scale));
        assert!(after < before / 2.0, "{before} -> {after}");
        // Rescaling keeps each row's order of labels.
        let r = rescale_probabilities(&[vec![0.7, 0.2, 0.1]], 0.5);
        assert!(r[0][0] > r[0][1] && r[0][1] > r[0][2] && (r[0].iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}
