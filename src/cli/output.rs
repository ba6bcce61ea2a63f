//! Output helpers: buffered stdout, terminal detection, aligned tables, metric reports.

use postura::eval::Metrics;
use postura::{Error, Result};
use std::io::{IsTerminal, Write};

pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// Buffered stdout; write errors become `Error::Io` so a closed pipe ends quietly.
pub struct Out(std::io::BufWriter<std::io::StdoutLock<'static>>);

impl Out {
    pub fn new() -> Self {
        Out(std::io::BufWriter::new(std::io::stdout().lock()))
    }

    pub fn line(&mut self, s: &str) -> Result<()> {
        writeln!(self.0, "{s}").map_err(|e| Error::io("<stdout>", e))
    }

    pub fn flush(&mut self) -> Result<()> {
        self.0.flush().map_err(|e| Error::io("<stdout>", e))
    }
}

/// Left-aligned columns separated by two spaces.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let fmt = |cells: Vec<&str>| -> String {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths.get(i).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = vec![fmt(header.to_vec())];
    for r in rows {
        out.push(fmt(r.iter().map(String::as_str).collect()));
    }
    out.join("\n")
}

/// The human-readable metrics report of `eval`, `cv` and `train --dev`.
pub fn metrics_report(m: &Metrics) -> String {
    let mut s = format!(
        "rows {}  accuracy {:.4}  macro-F1 {:.4}  ECE {:.4}\n",
        m.rows, m.accuracy, m.macro_f1, m.ece
    );
    if let (Some(th), Some(cov)) = (m.min_confidence, m.coverage) {
        let acc = m
            .accuracy_on_kept
            .map_or_else(|| "none (no row kept)".to_string(), |a| format!("{a:.4}"));
        s.push_str(&format!(
            "min-confidence {th:.2}: coverage {cov:.4}, accuracy on kept rows {acc}\n"
        ));
    }
    s.push('\n');
    // A label the data never has and the model never answers (`none` on rows without a source)
    // is a row and a column of zeros: left out of both tables and named once.
    let shown = m.labels_in_play();
    let rows: Vec<Vec<String>> = m
        .per_label
        .iter()
        .enumerate()
        .filter(|(j, _)| shown.contains(j))
        .map(|(_, l)| {
            vec![
                l.label.clone(),
                format!("{:.4}", l.precision),
                format!("{:.4}", l.recall),
                format!("{:.4}", l.f1),
                l.support.to_string(),
            ]
        })
        .collect();
    s.push_str(&table(&["label", "precision", "recall", "f1", "support"], &rows));
    s.push_str("\n\nconfusion (rows = true, columns = predicted)\n");
    let mut header = vec![""];
    header.extend(shown.iter().filter_map(|&j| m.labels.get(j)).map(String::as_str));
    let rows: Vec<Vec<String>> = shown
        .iter()
        .filter_map(|&i| Some((m.labels.get(i)?, m.confusion.get(i)?)))
        .map(|(l, r)| {
            std::iter::once(l.clone())
                .chain(shown.iter().map(|&j| r.get(j).copied().unwrap_or(0).to_string()))
                .collect()
        })
        .collect();
    s.push_str(&table(&header, &rows));
    let hidden: Vec<&str> = (0..m.labels.len())
        .filter(|j| !shown.contains(j))
        .filter_map(|j| m.labels.get(j).map(String::as_str))
        .collect();
    if !hidden.is_empty() {
        s.push_str(&format!(
            "\n(not in the data and never predicted: {})",
            hidden.join(", ")
        ));
    }
    s
}

pub fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(format!("JSON encoding: {e}")))
}

pub fn json_pretty<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string_pretty(v).map_err(|e| Error::Internal(format!("JSON encoding: {e}")))
}

#[cfg(test)]
mod tests {
    use super::metrics_report;
    use postura::eval::metrics::Metrics;

    /// A label the data lacks stays in both tables when the model answers it, and goes (named
    /// once) when it neither is in the data nor answered.
    #[test]
    fn labels_out_of_the_data_show_only_when_predicted() {
        let labels: Vec<String> = ["distancing", "neutral", "none", "supportive"]
            .map(String::from)
            .to_vec();
        let probs = vec![vec![0.25; 4]; 4];
        let report = |pred: &[usize]| metrics_report(&Metrics::compute(&labels, &[0, 1, 3, 3], pred, &probs, None));
        let kept = report(&[0, 2, 3, 3]);
        assert!(kept.contains("\nnone ") && kept.contains("  none"), "{kept}");
        assert!(!kept.contains("never predicted"), "{kept}");
        let left = report(&[0, 1, 3, 3]);
        assert!(!left.contains("\nnone ") && !left.contains("  none"), "{left}");
        assert!(left.ends_with("(not in the data and never predicted: none)"), "{left}");
    }
}
