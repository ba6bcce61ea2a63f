//! Evaluation, the last stage: metrics from predictions, cross-validation (splits and the fold
//! loop), reports.

pub mod cross;
pub mod cv;
pub mod metrics;

pub use cross::{
    CvReport, FoldPlan, FoldPredictions, FoldSplit, Grouping, MissingLabel, OutOfFold, cross_validate, out_of_fold,
};
pub use cv::{Fold, stratified_group_folds};
pub use metrics::{LabelMetrics, Metrics};
