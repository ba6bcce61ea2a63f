//! Sentence splitting for Spanish news (placeholder until the full splitter lands).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSpan {
    pub start: usize,
    pub end: usize,
}

pub fn split_sentences(text: &str) -> Vec<SentenceSpan> {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len();
    if start < end { vec![SentenceSpan { start, end }] } else { vec![] }
}
