//! Per-row predictions for error analysis (`eval --predictions`, `cv --predictions`): each
//! labeled row with its file line, text, actor, true label, predicted label and the probability
//! of every label, as CSV written atomically.

use crate::data::Record;
use crate::error::{Error, Result};
use std::path::Path;

/// One row's prediction: the row, the fold whose model predicted it (cross-validation) and the
/// probability of each label, in the order of the labels given to [`write_csv`].
pub struct RowPrediction<'a> {
    /// The row as read.
    pub record: &'a Record,
    /// The cross-validation fold that held the row out (cv only).
    pub fold: Option<usize>,
    /// The probability of each label.
    pub probs: &'a [f64],
}

/// Writes `rows` as CSV to `path` (atomically): `line,[fold,]text,actor,label,predicted,correct,
/// confidence,p_<label>…`. The fold column is there when any row has a fold.
pub fn write_csv<'a>(path: &Path, labels: &[String], rows: &[RowPrediction<'a>]) -> Result<()> {
    let folds = rows.iter().any(|r| r.fold.is_some());
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["line".to_string()];
    if folds {
        header.push("fold".into());
    }
    header.extend(["text", "actor", "label", "predicted", "correct", "confidence"].map(String::from));
    header.extend(labels.iter().map(|l| format!("p_{l}")));
    let encode = |e: csv::Error| Error::Internal(format!("CSV output: {e}"));
    w.write_record(&header).map_err(encode)?;
    for r in rows {
        let best = crate::model::argmax(r.probs);
        let predicted = labels.get(best).map_or("", String::as_str);
        let truth = r.record.label.as_deref().unwrap_or("");
        let mut rec = vec![r.record.line.to_string()];
        if folds {
            rec.push(r.fold.map_or(String::new(), |f| (f + 1).to_string()));
        }
        rec.extend([
            r.record.text.clone(),
            r.record.actor.clone().unwrap_or_default(),
            truth.to_string(),
            predicted.to_string(),
            (truth == predicted).to_string(),
            format!("{:.4}", r.probs.get(best).copied().unwrap_or(0.0)),
        ]);
        rec.extend(r.probs.iter().map(|p| format!("{p:.4}")));
        w.write_record(&rec).map_err(encode)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Internal(format!("CSV output: {e}")))?;
    crate::model::file::write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_carry_line_truth_prediction_and_probabilities() {
        let labels: Vec<String> = ["distancing", "neutral", "supportive"].map(String::from).to_vec();
        let rec = |line: u64, text: &str, label: &str| Record {
            line,
            text: text.into(),
            actor: Some("Ana, Ruiz".into()),
            source: None,
            label: Some(label.into()),
            group: None,
            id: None,
        };
        let (a, b) = (rec(2, "Apoyo a \"Ana\"", "supportive"), rec(3, "Ana viajó", "neutral"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.csv");
        let rows = [
            RowPrediction {
                record: &a,
                fold: Some(0),
                probs: &[0.1, 0.2, 0.7],
            },
            RowPrediction {
                record: &b,
                fold: Some(1),
                probs: &[0.5, 0.3, 0.2],
            },
        ];
        write_csv(&path, &labels, &rows).unwrap();
        let got = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            got,
            "line,fold,text,actor,label,predicted,correct,confidence,p_distancing,p_neutral,p_supportive\n\
             2,1,\"Apoyo a \"\"Ana\"\"\",\"Ana, Ruiz\",supportive,supportive,true,0.7000,0.1000,0.2000,0.7000\n\
             3,2,Ana viajó,\"Ana, Ruiz\",neutral,distancing,false,0.5000,0.5000,0.3000,0.2000\n"
        );
    }
}
