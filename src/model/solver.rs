//! Fitting the weights: L-BFGS with More-Thuente line search (argmin, as linfa-logistic uses)
//! over the sparse objective, or linfa-logistic itself on the dense matrix for reference.

use super::objective::Objective;
use crate::error::{Error, Result};
use crate::features::CsrMatrix;
use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum SolverKind {
    /// L-BFGS over sparse features (fast, scales to text).
    Sparse,
    /// linfa-logistic's MultinomialLogisticRegression on the dense matrix (reference; small data only).
    Linfa,
}

/// Settings of one optimization run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolverConfig {
    pub kind: SolverKind,
    pub max_iter: u64,
    /// Stop when the cost changes by less than this fraction of its starting value.
    pub rel_tol: f64,
}

impl Default for SolverConfig {
    fn default() -> Self {
        SolverConfig {
            kind: SolverKind::Sparse,
            max_iter: 100,
            rel_tol: 1e-6,
        }
    }
}

/// What the solver found.
#[derive(Debug, Clone)]
pub struct Solution {
    /// (features + 1) × classes, row-major; the last row holds the intercepts.
    pub theta: Vec<f64>,
    pub cost: f64,
    pub iterations: u64,
}

/// A point with its cost and gradient.
type Evaluation = (Array1<f64>, f64, Array1<f64>);

/// The objective as argmin sees it. Cost and gradient are computed in one pass and cached, since
/// the line search asks for both at the same point.
struct Problem<'a> {
    obj: &'a Objective<'a>,
    cache: Mutex<Option<Evaluation>>,
}

impl Problem<'_> {
    fn eval(&self, p: &Array1<f64>) -> (f64, Array1<f64>) {
        if let Ok(guard) = self.cache.lock()
            && let Some((q, c, g)) = guard.as_ref()
            && q == p
        {
            return (*c, g.clone());
        }
        let theta = p.as_slice().map_or_else(|| p.to_vec(), <[f64]>::to_vec);
        let (c, g) = self.obj.cost_grad(&theta);
        let g = Array1::from(g);
        if let Ok(mut guard) = self.cache.lock() {
            *guard = Some((p.clone(), c, g.clone()));
        }
        (c, g)
    }
}

impl CostFunction for Problem<'_> {
    type Param = Array1<f64>;
    type Output = f64;
    fn cost(&self, p: &Self::Param) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.eval(p).0)
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;
    fn gradient(&self, p: &Self::Param) -> std::result::Result<Array1<f64>, argmin::core::Error> {
        Ok(self.eval(p).1)
    }
}

/// Minimizes the objective with L-BFGS from `init` (zeros when `None`).
pub fn minimize(obj: &Objective, cfg: &SolverConfig, init: Option<Vec<f64>>) -> Result<Solution> {
    let n = obj.n_params();
    let init = Array1::from(init.filter(|v| v.len() == n).unwrap_or_else(|| vec![0.0; n]));
    let problem = Problem {
        obj,
        cache: Mutex::new(None),
    };
    let start_cost = problem.eval(&init).0.max(1.0);
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(1e-8 * start_cost)
        .and_then(|s| s.with_tolerance_cost(cfg.rel_tol * start_cost))
        .map_err(|e| Error::Internal(format!("solver setup: {e}")))?;
    let res = Executor::new(problem, solver)
        .configure(|s| s.param(init).max_iters(cfg.max_iter))
        .run()
        .map_err(|e| Error::Internal(format!("L-BFGS failed: {e}")))?;
    let state = res.state();
    let theta = state
        .get_best_param()
        .map(|p| p.to_vec())
        .ok_or_else(|| Error::Internal("L-BFGS returned no parameters".into()))?;
    let (cost, _) = obj.cost_grad(&theta);
    if !cost.is_finite() {
        return Err(Error::Internal("training diverged (non-finite cost)".into()));
    }
    Ok(Solution {
        theta,
        cost,
        iterations: state.get_iter(),
    })
}

/// Fits linfa-logistic's multinomial model on the dense matrix. Only unit sample weights are
/// supported there; the parameters come back in the same layout as [`minimize`]'s.
pub fn fit_linfa(x: &CsrMatrix, y: &[u32], n_classes: usize, alpha: f64, cfg: &SolverConfig) -> Result<Solution> {
    use linfa::prelude::{Dataset, Fit};
    use linfa_logistic::MultiLogisticRegression;
    let dense = x.to_dense();
    let targets = Array1::from(y.iter().map(|&c| c as usize).collect::<Vec<_>>());
    let present: std::collections::BTreeSet<usize> = y.iter().map(|&c| c as usize).collect();
    if present.len() != n_classes {
        return Err(Error::usage(
            "the linfa solver needs every label present in the training rows",
        ));
    }
    let ds = Dataset::new(dense, targets);
    let model = MultiLogisticRegression::default()
        .alpha(alpha)
        .max_iterations(cfg.max_iter)
        .gradient_tolerance(1e-8)
        .fit(&ds)
        .map_err(|e| Error::Internal(format!("linfa-logistic: {e}")))?;
    let params = model.params(); // features × classes (classes in sorted order = our order)
    let intercept = model.intercept();
    let (d, k) = params.dim();
    let mut theta = Vec::with_capacity((d + 1) * k);
    for j in 0..d {
        theta.extend(params.row(j).iter().copied());
    }
    theta.extend(intercept.iter().copied());
    let w = vec![1.0; y.len()];
    let obj = Objective::new(x, y, &w, n_classes, alpha);
    let (cost, _) = obj.cost_grad(&theta);
    Ok(Solution {
        theta,
        cost,
        iterations: cfg.max_iter,
    })
}
