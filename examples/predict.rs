//! Embedding postura: load the default model (or a model file), predict the stance of a few
//! statements toward an actor, one at a time and as a parallel batch, and train a small model
//! from rows.
//!
//! Run with `cargo run --example predict` or `cargo run --example predict -- my.postura`.

use postura::{Model, Target, TrainParams, TrainRow};

fn main() -> postura::Result<()> {
    let model = match std::env::args_os().nth(1) {
        Some(path) => Model::load(path)?,
        None => Model::default_model()?,
    };
    println!("labels: {}", model.labels().join(", "));

    // One statement toward one actor, with another name to look for.
    let kast = Target::new("Kast").alias("José Antonio Kast");
    let p = model.predict("Milei celebró el aplastante triunfo de Kast", &kast)?;
    println!("{} ({:.2}) toward {:?}", p.label(), p.confidence(), p.actor());
    for (label, prob) in p.probabilities() {
        println!("  {label:<12} {prob:.3}");
    }

    // How a source (a speaker named in the statement) stands toward the actor.
    if model.is_source_aware() {
        let asked = Target::new("Kast").source("Boric");
        let p = model.predict("Boric criticó con dureza a Kast por su programa", &asked)?;
        println!("Boric toward Kast: {} ({:.2})", p.label(), p.confidence());
    }

    // A batch, in parallel: one target per text (or a single one for all).
    let texts = [
        "Duras críticas de la oposición a Boric por la reforma",
        "Bachelet viajó a Ginebra el lunes",
    ];
    let targets = [Target::new("Boric"), Target::new("Bachelet")];
    for (text, p) in texts.iter().zip(model.predict_batch(&texts, &targets)?) {
        println!("{:<11} {:.2}  {text}", p.label(), p.confidence());
    }

    // Training from rows: text, label and (optionally) the actor.
    let rows = vec![
        TrainRow::new("Respaldo total a Ana Ruiz en la campaña", "supportive").actor("Ana Ruiz"),
        TrainRow::new("Ana Ruiz dará una conferencia mañana", "neutral").actor("Ana Ruiz"),
        TrainRow::new("Critican duramente a Ana Ruiz", "distancing").actor("Ana Ruiz"),
    ];
    let small = TrainParams::default().fit_rows(rows)?;
    let p = small.predict("Respaldo a Ana Ruiz", &Target::new("Ana Ruiz"))?;
    println!("small model: {} ({:.2})", p.label(), p.confidence());
    Ok(())
}
