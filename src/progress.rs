//! Progress of long runs (cross-validation folds), reported through a trait so the library
//! draws no progress bar of its own: the command line implements it with indicatif.

/// Hears how far a long run is. Every method does nothing by default.
pub trait Progress {
    /// The run starts: `total` steps of `what` (e.g. "folds").
    fn start(&self, total: u64, what: &str) {
        let _ = (total, what);
    }

    /// `n` more steps are done.
    fn advance(&self, n: u64) {
        let _ = n;
    }

    /// The run is over.
    fn finish(&self) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
