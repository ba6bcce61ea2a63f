//! Sentence splitting on any text: spans in order, non-overlapping, non-empty, on char
//! boundaries and trimmed — and no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postura::text::sentences::split_sentences;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut end = 0;
    for span in split_sentences(&text) {
        assert!(span.start >= end && span.start < span.end && span.end <= text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        let piece = &text[span.start..span.end];
        assert_eq!(piece, piece.trim());
        end = span.end;
    }
});
