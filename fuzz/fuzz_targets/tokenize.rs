//! Text analysis on any input: normalization, tokenization, negation scope and actor mentions
//! must not panic, and every token must carry text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postura::text::{ActorMatcher, TextConfig, analyze, normalize, tokenize};

fuzz_target!(|data: &[u8]| {
    // First byte: settings; up to the first NUL: the actor's name; the rest: the statement.
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let cfg = TextConfig {
        accent_fold: flags & 1 != 0,
        squeeze_elongations: flags & 2 != 0,
        negation: flags & 4 != 0,
    };
    let (name, text) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&b"Marta Ruiz"[..], rest),
    };
    let name = String::from_utf8_lossy(name);
    let text = String::from_utf8_lossy(text);
    let normalized = normalize(&text, &cfg);
    assert!(tokenize(&normalized).iter().all(|t| !t.text.is_empty()));
    let _ = tokenize(&text);
    let matcher = ActorMatcher::new(&name, &["Ruiz"]);
    let tokens = analyze(&text, &cfg, Some(&matcher));
    assert!(tokens.iter().all(|t| !t.text.is_empty()));
    let _ = matcher.mentioned_in(&text);
});
