//! Evaluation, the last stage: metrics from predictions, cross-validation splits, reports.

pub mod cv;
pub mod metrics;
pub mod predictions;

pub use cv::{Fold, stratified_group_folds};
pub use metrics::{LabelMetrics, Metrics};
