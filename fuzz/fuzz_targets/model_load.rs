//! The model loader on any bytes: a model or a model error, never a panic. Half of the inputs
//! are wrapped in a valid header and checksum, so the decoder and the consistency checks behind
//! the checksum are fuzzed too; a model that loads must predict without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postura::Statement;
use postura::model::file::{FORMAT_VERSION, MAGIC, from_bytes};
use postura::text::ActorMatcher;
use sha2::{Digest, Sha256};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode & 1 == 0 {
        rest.to_vec()
    } else {
        // `rest` is a payload (a model file's bytes after the 52-byte header work too).
        let payload = if rest.starts_with(MAGIC) && rest.len() >= 52 {
            &rest[52..]
        } else {
            rest
        };
        let mut b = Vec::with_capacity(52 + payload.len());
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        b.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        b.extend_from_slice(&Sha256::digest(payload));
        b.extend_from_slice(payload);
        b
    };
    match from_bytes(Path::new("f.postura"), &bytes) {
        Ok(model) => {
            let matcher = ActorMatcher::new("Marta Ruiz", &["Ruiz"]);
            for text in ["", "Marta Ruiz no apoya el plan", "🙂 ¿sí? #apoyo @marta https://x.cl"] {
                let st = Statement {
                    text,
                    actor: Some(&matcher),
                };
                let p = model.predict_with(&st, &model.featurizer.extractor());
                assert_eq!(p.probs.len(), model.n_labels());
                let _ = model.explain(&st, 3);
            }
            let _ = model.top_features(3);
        }
        Err(e) => assert!(e.to_string().starts_with("f.postura")),
    }
});
