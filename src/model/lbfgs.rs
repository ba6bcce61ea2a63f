//! Limited-memory BFGS over plain slices, in place.
//!
//! The training objective (multinomial log-loss + L2 penalty) is smooth and strictly convex, so
//! the textbook method is enough: the two-loop recursion over the last `memory` steps gives the
//! direction, a backtracking line search with the Armijo condition the step (the unit step,
//! which L-BFGS's scaling makes the natural one, is tried first and almost always accepted), and
//! the strict convexity keeps every curvature pair positive. Compared with a general-purpose
//! optimizer that returns a new vector from every operation, this one keeps a fixed set of
//! buffers and does every vector operation in place and in parallel, which matters when the
//! parameters are a few hundred thousand weights and the objective itself is cheap.
//!
//! Vector reductions are summed over fixed chunks in a fixed order, so the result does not
//! depend on the number of threads.

use rayon::prelude::*;

/// Elements per parallel chunk of a vector operation (fixed: it sets the summation order).
const CHUNK: usize = 1 << 14;
/// Sufficient decrease constant of the Armijo condition.
const ARMIJO: f64 = 1e-4;
/// Step halvings (at most) before the line search gives up.
const MAX_BACKTRACKS: usize = 40;

/// Settings of one minimization.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lbfgs {
    /// Steps remembered (`m`).
    pub memory: usize,
    pub max_iter: u64,
    /// Stop when one iteration lowers the cost by less than this times the starting cost
    /// (at least 1).
    pub cost_tol: f64,
    /// Stop when the gradient's norm falls below this times the starting cost (at least 1).
    pub grad_tol: f64,
}

/// Where the minimization ended.
#[derive(Debug, Clone)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub cost: f64,
    pub iterations: u64,
    /// How many times the objective was evaluated (for debugging; nothing reads it).
    #[allow(dead_code)]
    pub evaluations: u64,
}

/// One remembered step: s = x_{k+1} − x_k, y = g_{k+1} − g_k, rho = 1 / (s·y). The steps are
/// kept in single precision: they only shape the search direction (the iterate, the gradient
/// and the direction stay in double precision), and half the bytes halve both the memory of the
/// history and the time of the two-loop recursion, which reads all of it every iteration.
struct Pair {
    s: Vec<f32>,
    y: Vec<f32>,
    rho: f64,
}

impl Lbfgs {
    /// Minimizes `f` from `x`. `f(x, g)` returns the cost at `x` and writes the gradient to `g`.
    /// A non-finite cost at the start is returned as it is, for the caller to report.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn minimize<F>(&self, f: F, x: Vec<f64>) -> Minimum
    where
        F: FnMut(&[f64], &mut [f64]) -> f64,
    {
        self.minimize_preconditioned(f, x, None)
    }

    /// As [`Self::minimize`], with a diagonal preconditioner: `precond[j]` approximates the
    /// inverse curvature along coordinate j, and the recursion's initial matrix becomes γ·diag(precond)
    /// instead of γ·I. When the coordinates' curvatures differ by orders of magnitude (a common
    /// word and a rare one), this reaches a given cost in far fewer iterations.
    pub fn minimize_preconditioned<F>(&self, mut f: F, mut x: Vec<f64>, precond: Option<&[f32]>) -> Minimum
    where
        F: FnMut(&[f64], &mut [f64]) -> f64,
    {
        let precond = precond.filter(|p| p.len() == x.len());
        let n = x.len();
        let mut g = vec![0.0; n];
        let mut fx = f(&x, &mut g);
        let scale = fx.max(1.0);
        let (cost_tol, grad_tol) = (self.cost_tol * scale, self.grad_tol * scale);
        let mut evaluations = 1;
        let mut iterations = 0;
        let memory = self.memory.max(1);
        // Ring of remembered pairs, oldest first; buffers are reused once it is full.
        let mut pairs: Vec<Pair> = Vec::with_capacity(memory);
        let mut spare: Option<Pair> = None;
        let mut d = vec![0.0; n];
        let mut x_new = vec![0.0; n];
        let mut g_new = vec![0.0; n];
        let mut alphas = vec![0.0; memory];
        while fx.is_finite() && iterations < self.max_iter {
            let gnorm = dot(&g, &g).sqrt();
            if gnorm <= grad_tol {
                break;
            }
            self.direction(&g, &pairs, &mut alphas, &mut d, gnorm, precond);
            let mut gd = dot(&g, &d);
            if gd >= 0.0 || !gd.is_finite() {
                // Not a descent direction (rounding): forget the history, go down the gradient.
                pairs.clear();
                scale_into(&mut d, &g, -1.0 / gnorm);
                gd = -gnorm;
            }
            // Backtracking: t = 1, then the minimizer of the quadratic through f(0), f'(0) and
            // f(t), kept within [0.1 t, 0.5 t].
            let mut t = 1.0;
            let mut accepted = None;
            for _ in 0..MAX_BACKTRACKS {
                axpy_into(&mut x_new, &x, t, &d);
                let f_new = f(&x_new, &mut g_new);
                evaluations += 1;
                if f_new.is_finite() && f_new <= fx + ARMIJO * t * gd {
                    accepted = Some(f_new);
                    break;
                }
                let quad = if f_new.is_finite() {
                    -gd * t * t / (2.0 * (f_new - fx - gd * t))
                } else {
                    0.0
                };
                t = quad.clamp(0.1 * t, 0.5 * t);
            }
            let Some(f_new) = accepted else {
                break;
            };
            iterations += 1;
            // Remember the step, reusing the oldest pair's buffers when the memory is full.
            let mut pair = match spare.take() {
                Some(p) => p,
                None if pairs.len() == memory => pairs.remove(0),
                None => Pair {
                    s: vec![0.0f32; n],
                    y: vec![0.0f32; n],
                    rho: 0.0,
                },
            };
            diff_into(&mut pair.s, &x_new, &x);
            diff_into(&mut pair.y, &g_new, &g);
            let sy = dot(&pair.s, &pair.y);
            if sy > f64::EPSILON * dot(&pair.y, &pair.y) && sy.is_finite() {
                pair.rho = 1.0 / sy;
                pairs.push(pair);
            } else {
                spare = Some(pair);
            }
            std::mem::swap(&mut x, &mut x_new);
            std::mem::swap(&mut g, &mut g_new);
            let decrease = fx - f_new;
            fx = f_new;
            if decrease.abs() < cost_tol {
                break;
            }
        }
        Minimum {
            x,
            cost: fx,
            iterations,
            evaluations,
        }
    }

    /// d = −H g by the two-loop recursion; without history, the unit-length steepest descent.
    /// Each update of `d` is fused with the dot product the next step needs, so the recursion
    /// reads `d` about 2m times instead of 4m (it is memory-bound: `d` and the history are
    /// megabytes).
    fn direction(
        &self,
        g: &[f64],
        pairs: &[Pair],
        alphas: &mut [f64],
        d: &mut [f64],
        gnorm: f64,
        precond: Option<&[f32]>,
    ) {
        let (Some(oldest), Some(newest)) = (pairs.first(), pairs.last()) else {
            scale_into(d, g, -1.0 / gnorm);
            return;
        };
        d.copy_from_slice(g);
        // Newest to oldest: alpha_i = rho_i s_i·d; d −= alpha_i y_i.
        let mut sd = dot(&newest.s, d);
        for (i, p) in pairs.iter().enumerate().rev() {
            let a = p.rho * sd;
            if let Some(slot) = alphas.get_mut(i) {
                *slot = a;
            }
            match i.checked_sub(1).and_then(|j| pairs.get(j)) {
                Some(older) => sd = axpy_dot(d, -a, &p.y, &older.s),
                None => axpy(d, -a, &p.y),
            }
        }
        // Initial Hessian γI with γ = s·y / y·y of the newest pair (γP with γ = s·y / y·Py
        // when preconditioned).
        let mut yd = match precond {
            None => {
                let gamma = 1.0 / (newest.rho * dot(&newest.y, &newest.y));
                scale_dot(d, gamma, &oldest.y)
            }
            Some(p) => {
                let gamma = 1.0 / (newest.rho * weighted_dot(&newest.y, p));
                precondition_dot(d, gamma, p, &oldest.y)
            }
        };
        // Oldest to newest: beta_i = rho_i y_i·d; d += (alpha_i − beta_i) s_i; the last update
        // also flips the sign.
        for (i, p) in pairs.iter().enumerate() {
            let c = alphas.get(i).copied().unwrap_or(0.0) - p.rho * yd;
            match pairs.get(i + 1) {
                Some(newer) => yd = axpy_dot(d, c, &p.s, &newer.y),
                None => negate_axpy(d, c, &p.s),
            }
        }
    }
}

/// a·b in double precision, summed over fixed chunks in order.
pub fn dot<A, B>(a: &[A], b: &[B]) -> f64
where
    A: Copy + Into<f64> + Sync,
    B: Copy + Into<f64> + Sync,
{
    let partial: Vec<f64> = a
        .par_chunks(CHUNK)
        .zip(b.par_chunks(CHUNK))
        .map(|(a, b)| a.iter().zip(b).map(|(&x, &y)| x.into() * y.into()).sum::<f64>())
        .collect();
    partial.iter().sum()
}

/// y += a x
fn axpy<T: Copy + Into<f64> + Sync>(y: &mut [f64], a: f64, x: &[T]) {
    y.par_chunks_mut(CHUNK).zip(x.par_chunks(CHUNK)).for_each(|(y, x)| {
        for (yi, &xi) in y.iter_mut().zip(x) {
            *yi += a * xi.into();
        }
    });
}

/// y += a x, then z·y over the updated y, in one pass.
fn axpy_dot<T, U>(y: &mut [f64], a: f64, x: &[T], z: &[U]) -> f64
where
    T: Copy + Into<f64> + Sync,
    U: Copy + Into<f64> + Sync,
{
    let partial: Vec<f64> = y
        .par_chunks_mut(CHUNK)
        .zip(x.par_chunks(CHUNK))
        .zip(z.par_chunks(CHUNK))
        .map(|((y, x), z)| {
            let mut sum = 0.0;
            for ((yi, &xi), &zi) in y.iter_mut().zip(x).zip(z) {
                *yi += a * xi.into();
                sum += zi.into() * *yi;
            }
            sum
        })
        .collect();
    partial.iter().sum()
}

/// y *= a, then z·y, in one pass.
fn scale_dot<U: Copy + Into<f64> + Sync>(y: &mut [f64], a: f64, z: &[U]) -> f64 {
    let partial: Vec<f64> = y
        .par_chunks_mut(CHUNK)
        .zip(z.par_chunks(CHUNK))
        .map(|(y, z)| {
            let mut sum = 0.0;
            for (yi, &zi) in y.iter_mut().zip(z) {
                *yi *= a;
                sum += zi.into() * *yi;
            }
            sum
        })
        .collect();
    partial.iter().sum()
}

/// Σ p_i y_i², summed over fixed chunks in order.
fn weighted_dot(y: &[f32], p: &[f32]) -> f64 {
    let partial: Vec<f64> = y
        .par_chunks(CHUNK)
        .zip(p.par_chunks(CHUNK))
        .map(|(y, p)| {
            y.iter()
                .zip(p)
                .map(|(&yi, &pi)| f64::from(pi) * f64::from(yi) * f64::from(yi))
                .sum::<f64>()
        })
        .collect();
    partial.iter().sum()
}

/// y_i *= a p_i, then z·y, in one pass.
fn precondition_dot(y: &mut [f64], a: f64, p: &[f32], z: &[f32]) -> f64 {
    let partial: Vec<f64> = y
        .par_chunks_mut(CHUNK)
        .zip(p.par_chunks(CHUNK))
        .zip(z.par_chunks(CHUNK))
        .map(|((y, p), z)| {
            let mut sum = 0.0;
            for ((yi, &pi), &zi) in y.iter_mut().zip(p).zip(z) {
                *yi *= a * f64::from(pi);
                sum += f64::from(zi) * *yi;
            }
            sum
        })
        .collect();
    partial.iter().sum()
}

/// y = −(y + a x)
fn negate_axpy<T: Copy + Into<f64> + Sync>(y: &mut [f64], a: f64, x: &[T]) {
    y.par_chunks_mut(CHUNK).zip(x.par_chunks(CHUNK)).for_each(|(y, x)| {
        for (yi, &xi) in y.iter_mut().zip(x) {
            *yi = -(*yi + a * xi.into());
        }
    });
}

/// out = x + t d
fn axpy_into(out: &mut [f64], x: &[f64], t: f64, d: &[f64]) {
    out.par_chunks_mut(CHUNK)
        .zip(x.par_chunks(CHUNK))
        .zip(d.par_chunks(CHUNK))
        .for_each(|((o, x), d)| {
            for ((oi, xi), di) in o.iter_mut().zip(x).zip(d) {
                *oi = xi + t * di;
            }
        });
}

/// out = a − b, rounded to single precision
fn diff_into(out: &mut [f32], a: &[f64], b: &[f64]) {
    out.par_chunks_mut(CHUNK)
        .zip(a.par_chunks(CHUNK))
        .zip(b.par_chunks(CHUNK))
        .for_each(|((o, a), b)| {
            for ((oi, ai), bi) in o.iter_mut().zip(a).zip(b) {
                *oi = (ai - bi) as f32;
            }
        });
}

/// out = a x
fn scale_into(out: &mut [f64], x: &[f64], a: f64) {
    out.par_chunks_mut(CHUNK).zip(x.par_chunks(CHUNK)).for_each(|(o, x)| {
        for (oi, xi) in o.iter_mut().zip(x) {
            *oi = a * xi;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solver() -> Lbfgs {
        Lbfgs {
            memory: 5,
            max_iter: 500,
            cost_tol: 0.0,
            // Relative to the starting cost: about 1e-10 absolute for the quadratic below.
            grad_tol: 1e-16,
        }
    }

    #[test]
    fn minimizes_a_badly_scaled_quadratic() {
        // f(x) = ½ Σ c_i (x_i − i)², condition number 1e3.
        let n = 30;
        let c: Vec<f64> = (0..n).map(|i| 10f64.powf(3.0 * i as f64 / (n - 1) as f64)).collect();
        let m = solver().minimize(
            |x, g| {
                let mut f = 0.0;
                for i in 0..n {
                    let r = x[i] - i as f64;
                    f += 0.5 * c[i] * r * r;
                    g[i] = c[i] * r;
                }
                f
            },
            vec![0.0; n],
        );
        for (i, xi) in m.x.iter().enumerate() {
            assert!((xi - i as f64).abs() < 1e-6, "x[{i}] = {xi}");
        }
        // Converged by the gradient test, not by running out of iterations (argmin's L-BFGS with
        // More-Thuente takes 395 iterations here; this one 389).
        assert!(m.iterations < 450, "{} iterations", m.iterations);
    }

    #[test]
    fn a_diagonal_preconditioner_speeds_up_a_badly_scaled_quadratic() {
        // f = Σ c_j (x_j − 1)² with curvatures spread over six orders of magnitude.
        let c: Vec<f64> = (0..200).map(|j| 10f64.powf(j as f64 / 33.0)).collect();
        let f = |x: &[f64], g: &mut [f64]| {
            let mut cost = 0.0;
            for ((xj, gj), cj) in x.iter().zip(g.iter_mut()).zip(&c) {
                cost += cj * (xj - 1.0) * (xj - 1.0);
                *gj = 2.0 * cj * (xj - 1.0);
            }
            cost
        };
        let lbfgs = Lbfgs {
            max_iter: 15,
            ..solver()
        };
        let precond: Vec<f32> = c.iter().map(|cj| (1.0 / (2.0 * cj)) as f32).collect();
        let plain = lbfgs.minimize(f, vec![0.0; 200]);
        let pre = lbfgs.minimize_preconditioned(f, vec![0.0; 200], Some(&precond));
        assert!(pre.cost < 1e-6, "preconditioned: {}", pre.cost);
        assert!(pre.cost < plain.cost * 1e-3, "{} vs {}", pre.cost, plain.cost);
    }

    #[test]
    fn minimizes_rosenbrock() {
        let m = solver().minimize(
            |x, g| {
                let (a, b) = (x[0], x[1]);
                g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
                g[1] = 200.0 * (b - a * a);
                (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
            },
            vec![-1.2, 1.0],
        );
        assert!((m.x[0] - 1.0).abs() < 1e-5 && (m.x[1] - 1.0).abs() < 1e-5, "{:?}", m.x);
    }

    #[test]
    fn a_non_finite_start_is_returned_as_it_is() {
        let m = solver().minimize(|_, _| f64::NAN, vec![1.0; 3]);
        assert!(m.cost.is_nan());
        assert_eq!(m.iterations, 0);
        assert_eq!(m.x, vec![1.0; 3]);
    }

    #[test]
    fn chunked_dot_is_exact_on_integers() {
        let a: Vec<f64> = (0..100_000).map(|i| (i % 7) as f64).collect();
        let b: Vec<f64> = (0..100_000).map(|i| (i % 5) as f64).collect();
        let want: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert_eq!(dot(&a, &b), want);
    }
}
