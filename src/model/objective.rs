//! The training objective over sparse features: weighted multinomial negative log-likelihood
//! plus an L2 penalty on the weights (not the intercepts) — the same objective as
//! linfa-logistic's `MultinomialLogisticRegression`, which sums the loss over samples.
//! Parameters are laid out as linfa lays them out: a (features + 1) × classes matrix in row-major
//! order, the last row holding the intercepts.

use crate::features::CsrMatrix;
use rayon::prelude::*;

const CHUNKS: usize = 8;

pub struct Objective<'a> {
    pub x: &'a CsrMatrix,
    pub y: &'a [u32],
    pub sample_weight: &'a [f64],
    pub n_classes: usize,
    pub alpha: f64,
}

impl Objective<'_> {
    pub fn n_params(&self) -> usize {
        (self.x.n_cols + 1) * self.n_classes
    }

    /// Scores of row `i` (one per class) under parameters `theta`.
    pub fn scores_into(&self, theta: &[f64], i: usize, z: &mut [f64]) {
        let k = self.n_classes;
        let d = self.x.n_cols;
        z.copy_from_slice(&theta[d * k..(d + 1) * k]);
        let (idx, val) = self.x.row(i);
        for (&c, &v) in idx.iter().zip(val) {
            let base = c as usize * k;
            let w = &theta[base..base + k];
            for (zc, wc) in z.iter_mut().zip(w) {
                *zc += f64::from(v) * wc;
            }
        }
    }

    /// Cost and gradient at `theta`, computed together in one pass over the rows.
    pub fn cost_grad(&self, theta: &[f64]) -> (f64, Vec<f64>) {
        let k = self.n_classes;
        let d = self.x.n_cols;
        let n = self.x.n_rows();
        // A fixed number of chunks, summed in order: the result does not depend on the number
        // of threads, so the same data gives the same model on any machine.
        let chunks = CHUNKS.clamp(1, n.max(1));
        let chunk_len = n.div_ceil(chunks).max(1);
        let partial: Vec<(f64, Vec<f64>)> = (0..n.div_ceil(chunk_len))
            .into_par_iter()
            .map(|c| {
                let mut grad = vec![0.0; (d + 1) * k];
                let mut loss = 0.0;
                let mut z = vec![0.0; k];
                for i in c * chunk_len..((c + 1) * chunk_len).min(n) {
                    self.scores_into(theta, i, &mut z);
                    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let sum: f64 = z.iter().map(|s| (s - max).exp()).sum();
                    let lse = max + sum.ln();
                    let yi = self.y[i] as usize;
                    let wi = self.sample_weight[i];
                    loss += wi * (lse - z[yi]);
                    // z becomes the residual w_i (p - onehot(y)).
                    for (c, zc) in z.iter_mut().enumerate() {
                        let p = (*zc - lse).exp();
                        *zc = wi * (p - if c == yi { 1.0 } else { 0.0 });
                    }
                    let (idx, val) = self.x.row(i);
                    for (&col, &v) in idx.iter().zip(val) {
                        let base = col as usize * k;
                        for (g, r) in grad[base..base + k].iter_mut().zip(&z) {
                            *g += f64::from(v) * r;
                        }
                    }
                    for (g, r) in grad[d * k..].iter_mut().zip(&z) {
                        *g += r;
                    }
                }
                (loss, grad)
            })
            .collect();
        let mut loss = 0.0;
        let mut grad = vec![0.0; (d + 1) * k];
        for (l, g) in partial {
            loss += l;
            for (a, b) in grad.iter_mut().zip(g) {
                *a += b;
            }
        }
        let mut penalty = 0.0;
        for (g, w) in grad[..d * k].iter_mut().zip(&theta[..d * k]) {
            penalty += w * w;
            *g += self.alpha * w;
        }
        (loss + 0.5 * self.alpha * penalty, grad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let x = CsrMatrix::from_rows(
            3,
            vec![vec![(0, 1.0), (2, 0.5)], vec![(1, 2.0)], vec![(0, -1.0), (1, 0.3)]],
        );
        let y = [0u32, 1, 2];
        let w = [1.0, 2.0, 0.5];
        let obj = Objective {
            x: &x,
            y: &y,
            sample_weight: &w,
            n_classes: 3,
            alpha: 0.7,
        };
        let theta: Vec<f64> = (0..obj.n_params()).map(|i| (i as f64 * 0.37).sin()).collect();
        let (_, grad) = obj.cost_grad(&theta);
        for j in 0..theta.len() {
            let mut up = theta.clone();
            let mut down = theta.clone();
            up[j] += 1e-6;
            down[j] -= 1e-6;
            let num = (obj.cost_grad(&up).0 - obj.cost_grad(&down).0) / 2e-6;
            assert!((num - grad[j]).abs() < 1e-5, "param {j}: {num} vs {}", grad[j]);
        }
    }

    #[test]
    fn zero_parameters_cost_n_log_k() {
        let x = CsrMatrix::from_rows(2, vec![vec![(0, 1.0)], vec![(1, 1.0)]]);
        let obj = Objective {
            x: &x,
            y: &[0, 1],
            sample_weight: &[1.0, 1.0],
            n_classes: 2,
            alpha: 1.0,
        };
        let (cost, _) = obj.cost_grad(&vec![0.0; obj.n_params()]);
        assert!((cost - 2.0 * 2f64.ln()).abs() < 1e-12);
    }
}
