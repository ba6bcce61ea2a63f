//! The same data and settings give the same model: identical vocabulary, weights and settings
//! whatever the clock or the number of threads; with SOURCE_DATE_EPOCH set, byte-identical files.

use postura::model::file;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_postura");

/// About 2,600 generated statements (more than one featurization batch), labels by verb.
fn corpus() -> String {
    let who = [
        "El sindicato",
        "La alianza",
        "Los vecinos",
        "La diputada",
        "El gremio",
        "La prensa",
        "El alcalde",
        "Los jóvenes",
        "La oposición",
        "El senador",
        "Un grupo de docentes",
        "La cámara de comercio",
    ];
    let verbs = [
        ("respalda a", "supportive"),
        ("celebra el plan de", "supportive"),
        ("elogia la gestión de", "supportive"),
        ("defiende sin dudar a", "supportive"),
        ("se reunió con", "neutral"),
        ("entrevistó a", "neutral"),
        ("viajará con", "neutral"),
        ("publicó la agenda de", "neutral"),
        ("critica con dureza a", "distancing"),
        ("rechaza la propuesta de", "distancing"),
        ("no apoyará a", "distancing"),
        ("denunció las promesas de", "distancing"),
    ];
    let tails = [
        "",
        " este lunes",
        " en la plaza",
        " tras el debate",
        " ante la prensa",
        " por tercera vez",
        " en el puerto",
        " sin previo aviso",
        " desde la capital",
        " durante la campaña",
        " con entusiasmo",
        " una vez más",
        " según la radio",
        " frente a los vecinos",
        " en el acto central",
        " antes del plazo",
        " después de la votación",
        " a pesar de todo",
    ];
    let mut s = String::from("text,actor,label\n");
    for w in who {
        for (v, label) in verbs {
            for t in tails {
                s.push_str(&format!("{w} {v} Marta Ruiz{t},Marta Ruiz,{label}\n"));
            }
        }
    }
    s
}

fn train(dir: &Path, out: &str, extra: &[&str], env: &[(&str, &str)]) {
    let mut cmd = Command::new(BIN);
    cmd.args(["train", "--data", "data.csv", "-o", out, "-q"])
        .args(extra)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("RAYON_NUM_THREADS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "train failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn same_data_and_settings_give_the_same_model_content() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data.csv"), corpus()).unwrap();
    let settings: [&[&str]; 2] = [&[], &["--nb-scale", "--class-weight", "balanced", "--stem"]];
    for (i, extra) in settings.iter().enumerate() {
        let (a, b) = (format!("a{i}.postura"), format!("b{i}.postura"));
        train(dir.path(), &a, extra, &[("RAYON_NUM_THREADS", "1")]);
        train(dir.path(), &b, extra, &[("RAYON_NUM_THREADS", "2")]);
        let a = file::load(&dir.path().join(a)).unwrap();
        let b = file::load(&dir.path().join(b)).unwrap();
        assert!(a.n_features() > 1000, "a real vocabulary: {}", a.n_features());
        assert_eq!(a.featurizer(), b.featurizer(), "vocabulary and feature settings");
        assert_eq!(a.labels(), b.labels());
        let bits = |w: &[f32]| w.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert!(bits(a.weights()) == bits(b.weights()), "weights differ");
        assert_eq!(a.card().params(), b.card().params(), "training settings");
        assert_eq!(a.card().data(), b.card().data(), "data record");
        assert_eq!(a.card().solver_iterations(), b.card().solver_iterations());
        assert_eq!(a.card().solver_cost().to_bits(), b.card().solver_cost().to_bits());
        // Only the clock readings may differ; everything else is the same model.
        assert_eq!(a.card().without_clock(), b.card().without_clock());
    }
}

#[test]
fn source_date_epoch_makes_model_files_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data.csv"), corpus()).unwrap();
    let epoch = ("SOURCE_DATE_EPOCH", "1700000000");
    train(dir.path(), "a.postura", &[], &[epoch, ("RAYON_NUM_THREADS", "1")]);
    train(dir.path(), "b.postura", &[], &[epoch, ("RAYON_NUM_THREADS", "2")]);
    let a = std::fs::read(dir.path().join("a.postura")).unwrap();
    let b = std::fs::read(dir.path().join("b.postura")).unwrap();
    assert!(a == b, "model files differ under SOURCE_DATE_EPOCH");
    let model = file::from_bytes(Path::new("a.postura"), &a).unwrap();
    assert_eq!(model.card().created_unix(), 1_700_000_000);
    assert_eq!(model.card().train_seconds(), 0.0);
}
