//! In-process batch `Model::predict_proba` speed on a TSV of texts, without Python: the Rust side
//! of `benches/python_speed.sh`'s predict comparison, for quick loops on the predict path.
//!
//!     cargo bench --bench predict_proba -- MODEL TSV [REPEATS] [--dump FILE]
//!
//! MODEL: a model file (e.g. `postura train` on cic-es train, or `Model.save` from Python);
//! TSV: a file with a TWEET (or text) column, read without quote processing (cic-es dev). Prints
//! the median, min and max wall time of REPEATS calls (default 21) after one warm-up call, each
//! on a fresh batch (no state survives between calls). `--dump FILE` writes the bits of every
//! probability, to check that a change leaves predictions bit for bit the same.

use postura::{Model, Target};
use std::time::Instant;

fn main() {
    if let Err(e) = run() {
        eprintln!("predict_proba bench: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let mut dump = None;
    let mut pos = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        if a == "--dump" {
            dump = it.next();
        } else {
            pos.push(a);
        }
    }
    let [model, tsv, rest @ ..] = pos.as_slice() else {
        return Err("usage: predict_proba MODEL TSV [REPEATS] [--dump FILE]".into());
    };
    let repeats: usize = match rest.first() {
        Some(r) => r.parse().map_err(|_| format!("REPEATS must be a number, got '{r}'"))?,
        None => 21,
    };
    let model = Model::load(model).map_err(|e| e.to_string())?;
    let raw = std::fs::read_to_string(tsv).map_err(|e| format!("{tsv}: {e}"))?;
    let mut lines = raw.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = header
        .iter()
        .position(|h| *h == "TWEET" || *h == "text")
        .ok_or_else(|| format!("{tsv}: no TWEET or text column"))?;
    let texts: Vec<&str> = lines.filter_map(|l| l.split('\t').nth(col)).collect();
    let targets = [Target::none()];
    let first = Instant::now();
    let probs = model.predict_proba(&texts, &targets).map_err(|e| e.to_string())?;
    let first = first.elapsed().as_secs_f64();
    let mut times = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        let t = Instant::now();
        let p = model.predict_proba(&texts, &targets).map_err(|e| e.to_string())?;
        times.push(t.elapsed().as_secs_f64());
        std::hint::black_box(p);
    }
    times.sort_by(f64::total_cmp);
    let ms = |s: f64| s * 1e3;
    println!(
        "{} texts, {} threads: first call {:.2} ms; median {:.2} ms, min {:.2}, max {:.2} over {repeats} calls",
        texts.len(),
        rayon::current_num_threads(),
        ms(first),
        ms(times.get(repeats / 2).copied().unwrap_or(f64::NAN)),
        ms(times.first().copied().unwrap_or(f64::NAN)),
        ms(times.last().copied().unwrap_or(f64::NAN)),
    );
    if let Some(path) = dump {
        let mut out = String::new();
        for row in &probs {
            let bits: Vec<String> = row.iter().map(|p| format!("{:016x}", p.to_bits())).collect();
            out.push_str(&bits.join(" "));
            out.push('\n');
        }
        std::fs::write(&path, out).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}
