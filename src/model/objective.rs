//! The training objective over sparse features: weighted multinomial negative log-likelihood
//! plus an L2 penalty on the weights (not the intercepts) — the same objective as
//! linfa-logistic's `MultinomialLogisticRegression`, which sums the loss over samples.
//! Parameters are laid out as linfa lays them out: a (features + 1) × classes matrix in row-major
//! order, the last row holding the intercepts.

use crate::features::CsrMatrix;
use rayon::prelude::*;

/// Rows are processed in this many fixed chunks and the partial losses summed in order, so
/// the result does not depend on the number of threads: the same data gives the same model on
/// any machine.
const CHUNKS: usize = 8;
/// Features per parallel task of the gradient.
const FEATURE_BLOCK: usize = 4096;

pub struct Objective<'a> {
    pub x: &'a CsrMatrix,
    /// The transpose of `x`: the gradient X^T R is computed one feature at a time from it, in
    /// parallel and without per-thread gradient buffers.
    xt: CsrMatrix,
    pub y: &'a [u32],
    pub sample_weight: &'a [f64],
    pub n_classes: usize,
    pub alpha: f64,
}

impl<'a> Objective<'a> {
    pub fn new(x: &'a CsrMatrix, y: &'a [u32], sample_weight: &'a [f64], n_classes: usize, alpha: f64) -> Self {
        Objective {
            x,
            xt: x.transpose(),
            y,
            sample_weight,
            n_classes,
            alpha,
        }
    }

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

    /// Cost and gradient at `theta`. First the rows: scores, loss and the residuals
    /// R = w (softmax − onehot); then the features: gradient row j = Σ_i x_ij R_i + α θ_j.
    pub fn cost_grad(&self, theta: &[f64]) -> (f64, Vec<f64>) {
        let k = self.n_classes;
        let d = self.x.n_cols;
        let n = self.x.n_rows();
        let mut residual = vec![0.0; n * k];
        let chunk_rows = n.div_ceil(CHUNKS).max(1);
        let losses: Vec<f64> = residual
            .par_chunks_mut(chunk_rows * k)
            .enumerate()
            .map(|(c, out)| {
                let mut loss = 0.0;
                for (local, r) in out.chunks_mut(k).enumerate() {
                    let i = c * chunk_rows + local;
                    self.scores_into(theta, i, r);
                    let max = r.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let sum: f64 = r.iter().map(|s| (s - max).exp()).sum();
                    let lse = max + sum.ln();
                    let yi = self.y[i] as usize;
                    let wi = self.sample_weight[i];
                    loss += wi * (lse - r[yi]);
                    for (cls, rc) in r.iter_mut().enumerate() {
                        let p = (*rc - lse).exp();
                        *rc = wi * (p - if cls == yi { 1.0 } else { 0.0 });
                    }
                }
                loss
            })
            .collect();
        let loss: f64 = losses.iter().sum();
        let mut grad = vec![0.0; (d + 1) * k];
        let (weights, intercept) = grad.split_at_mut(d * k);
        let penalty: f64 = weights
            .par_chunks_mut(FEATURE_BLOCK * k)
            .enumerate()
            .map(|(b, out)| {
                let mut penalty = 0.0;
                for (local, g) in out.chunks_mut(k).enumerate() {
                    let j = b * FEATURE_BLOCK + local;
                    let (rows, vals) = self.xt.row(j);
                    for (&i, &v) in rows.iter().zip(vals) {
                        let r = &residual[i as usize * k..i as usize * k + k];
                        for (gc, rc) in g.iter_mut().zip(r) {
                            *gc += f64::from(v) * rc;
                        }
                    }
                    let w = &theta[j * k..j * k + k];
                    for (gc, wc) in g.iter_mut().zip(w) {
                        penalty += wc * wc;
                        *gc += self.alpha * wc;
                    }
                }
                penalty
            })
            .collect::<Vec<f64>>()
            .iter()
            .sum();
        for r in residual.chunks(k) {
            for (g, rc) in intercept.iter_mut().zip(r) {
                *g += rc;
            }
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
        let obj = Objective::new(&x, &y, &w, 3, 0.7);
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
        let obj = Objective::new(&x, &[0, 1], &[1.0, 1.0], 2, 1.0);
        let (cost, _) = obj.cost_grad(&vec![0.0; obj.n_params()]);
        assert!((cost - 2.0 * 2f64.ln()).abs() < 1e-12);
    }
}
