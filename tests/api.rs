//! The library's public API as an embedder uses it: load, predict by name, batches, training
//! from rows, save and load, and errors on bad input.

use postura::{ActorMatcher, Error, Model, Target, TrainParams, TrainRow};

/// A few invented statements toward one invented actor.
fn rows() -> Vec<TrainRow> {
    let texts = [
        ("Respaldo total a Ana Ruiz en la campaña", "supportive"),
        ("Ana Ruiz recibió elogios y aplausos", "supportive"),
        ("Apoyo entusiasta al plan de Ana Ruiz", "supportive"),
        ("Ana Ruiz dará una conferencia mañana", "neutral"),
        ("La agenda de Ana Ruiz incluye dos reuniones", "neutral"),
        ("Ana Ruiz viajó el martes a la capital", "neutral"),
        ("Critican duramente a Ana Ruiz", "distancing"),
        ("Rechazo rotundo a las ideas de Ana Ruiz", "distancing"),
        ("Se alejan de Ana Ruiz tras el escándalo", "distancing"),
    ];
    texts
        .iter()
        .map(|(t, l)| TrainRow::new(*t, *l).actor("Ana Ruiz"))
        .collect()
}

#[test]
fn actor_matcher_takes_an_empty_alias_list_without_annotations() {
    let m = ActorMatcher::new("Kast", &[]);
    assert!(m.mentioned_in("Habló Kast en Temuco"));
    let aliases = vec!["José Antonio Kast".to_string()];
    assert!(ActorMatcher::new("JAK", &aliases).mentioned_in("jose antonio kast ganó"));
}

#[test]
fn default_model_predicts_by_name() {
    let model = Model::default_model().unwrap();
    let p = model
        .predict(
            "Milei celebró el aplastante triunfo de Kast",
            &Target::new("Kast").alias("José Antonio Kast"),
        )
        .unwrap();
    assert_eq!(p.probabilities().len(), model.labels().len());
    let names: Vec<&str> = p.probabilities().iter().map(|(l, _)| l.as_str()).collect();
    let labels: Vec<&str> = model.labels().iter().map(String::as_str).collect();
    assert_eq!(names, labels);
    let sum: f64 = p.probabilities().iter().map(|(_, v)| v).sum();
    assert!((sum - 1.0).abs() < 1e-9);
    // The label is the most probable one and its probability is the confidence.
    let best = p.probabilities().iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    assert_eq!(p.label(), best.0);
    assert_eq!(p.probability(p.label()), Some(p.confidence()));
    assert_eq!(p.actor(), Some("Kast"));
    assert!(p.mentioned());
    assert_eq!(p.probability("no such label"), None);
}

#[test]
fn batch_matches_one_at_a_time() {
    let model = Model::default_model().unwrap();
    let texts = [
        "Duras críticas de la oposición a Boric por la reforma",
        "Bachelet viajó a Ginebra el lunes",
        "Un texto sin actor",
    ];
    let targets = [Target::new("Boric"), Target::new("Bachelet"), Target::none()];
    let batch = model.predict_batch(&texts, &targets).unwrap();
    let proba = model.predict_proba(&texts, &targets).unwrap();
    for ((text, target), (b, row)) in texts.iter().zip(&targets).zip(batch.iter().zip(&proba)) {
        let one = model.predict(text, target).unwrap();
        assert_eq!(&one, b);
        let probs: Vec<f64> = one.probabilities().iter().map(|(_, v)| *v).collect();
        assert_eq!(&probs, row);
    }
    assert_eq!(batch[2].actor(), None);
    // One target for all texts.
    let shared = model.predict_batch(&texts, &[Target::new("Boric")]).unwrap();
    assert_eq!(shared[0], batch[0]);
    assert_eq!(shared[1].actor(), Some("Boric"));
}

#[test]
fn batch_refuses_mismatched_targets() {
    let model = Model::default_model().unwrap();
    let err = model
        .predict_batch(&["a", "b", "c"], &[Target::none(), Target::none()])
        .unwrap_err();
    assert!(matches!(err, Error::Usage(_)), "{err}");
    assert!(err.to_string().contains("3 texts but 2 targets"), "{err}");
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn train_from_rows_save_and_load() {
    let model = TrainParams::default().fit_rows(rows()).unwrap();
    assert_eq!(model.labels(), ["distancing", "neutral", "supportive"]);
    assert_eq!(model.card().data().rows, 9);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.postura");
    model.save(&path).unwrap();
    let loaded = Model::load(&path).unwrap();
    assert_eq!(loaded, model);
    assert_eq!(Model::from_bytes(&model.to_bytes().unwrap()).unwrap(), model);
    let target = Target::new("Ana Ruiz");
    assert_eq!(
        loaded.predict("Nuevo respaldo a Ana Ruiz", &target).unwrap(),
        model.predict("Nuevo respaldo a Ana Ruiz", &target).unwrap()
    );
    // Training is deterministic: the same rows give the same weights.
    let again = TrainParams::default().fit_rows(rows()).unwrap();
    assert_eq!(again.weights(), model.weights());
}

#[test]
fn rows_convert_from_tuples_and_record_aliases() {
    let pairs = [("me gusta", "a"), ("no me gusta", "b"), ("me encanta", "a")];
    let model = TrainParams::default().fit_rows(pairs).unwrap();
    assert_eq!(model.labels(), ["a", "b"]);
    let triples = vec![
        ("Ruiz gana", "a", Some("Ana Ruiz")),
        ("Ruiz pierde", "b", Some("Ana Ruiz")),
        ("sin actor", "b", None),
    ];
    let model = TrainParams::default()
        .fit_rows_with_aliases(triples, &["Ruiz"])
        .unwrap();
    assert_eq!(model.card().data().aliases, ["Ruiz"]);
    // The recorded alias is looked for when a target gives none.
    assert!(
        model
            .predict("ganó Ruiz", &Target::new("Ana Ruiz"))
            .unwrap()
            .mentioned()
    );
}

#[test]
fn bad_rows_and_bytes_are_errors() {
    let err = TrainParams::default()
        .fit_rows([("uno", "a"), ("dos", " "), ("tres", "b")])
        .unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("<rows>:2"), "{err}");
    let err = TrainParams::default()
        .fit_rows([("uno", "a"), ("dos", "a")])
        .unwrap_err();
    assert!(err.to_string().contains("at least two labels"), "{err}");
    let bad = TrainParams {
        c: -1.0,
        ..TrainParams::default()
    };
    assert!(matches!(bad.fit_rows(rows()), Err(Error::Usage(_))));
    let err = Model::from_bytes(b"not a model at all").unwrap_err();
    assert!(err.to_string().contains("not a postura model"), "{err}");
    let err = Model::load("/nonexistent/dir/model.postura").unwrap_err();
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn a_source_is_read_by_a_source_aware_model_only() {
    let model = Model::default_model().unwrap();
    assert!(model.is_source_aware(), "the default model answers for sources");
    let text = "Boric criticó con dureza a Kast por su programa";
    let asked = Target::new("Kast").source("Boric");
    let p = model.predict(text, &asked).unwrap();
    assert_eq!(p.source(), Some("Boric"));
    assert_eq!(p.actor(), Some("Kast"));
    // The batch form reads the source the same way, and without a source `none` is no answer.
    let batch = model
        .predict_batch(&[text, text], &[asked.clone(), Target::new("Kast")])
        .unwrap();
    assert_eq!(batch[0], p);
    assert_eq!(batch[1].source(), None);
    assert_eq!(batch[1].probability("none"), Some(0.0));
    // A source the statement does not name holds no stance there.
    let absent = model.predict(text, &Target::new("Kast").source("Bachelet")).unwrap();
    assert_eq!(absent.label(), "none");
    // A model trained without sources refuses one rather than answer the statement's own stance.
    let plain = TrainParams::default().fit_rows(rows()).unwrap();
    let err = plain
        .predict("Ana Ruiz habló", &Target::new("Ana Ruiz").source("Luis"))
        .unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("trained without sources"), "{err}");
    let err = plain
        .predict_batch(&["Ana Ruiz habló"], &[Target::new("Ana Ruiz").source("Luis")])
        .unwrap_err();
    assert!(err.to_string().contains("trained without sources"), "{err}");
}

/// A path that cannot be read or written is `Error::Io` with the kind of failure, so an embedder
/// (the Python package) can tell a missing directory from a directory from a read-only file;
/// the message is the command line's.
#[test]
fn path_errors_keep_their_kind() {
    use std::io::ErrorKind;
    let kind = |e: Error| match e {
        Error::Io { source, .. } => Some(source.kind()),
        _ => None,
    };
    let dir = tempfile::tempdir().unwrap();
    let model = TrainParams::default().fit_rows(rows()).unwrap();
    let missing = dir.path().join("no").join("m.postura");
    let err = model.save(&missing).unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
    assert_eq!(kind(err), Some(ErrorKind::NotFound));
    assert_eq!(kind(model.save(dir.path()).unwrap_err()), Some(ErrorKind::IsADirectory));
    let err = Model::load(dir.path()).unwrap_err();
    assert!(err.to_string().contains("is a directory, not a model file"), "{err}");
    assert_eq!(kind(err), Some(ErrorKind::IsADirectory));
    let read_only = dir.path().join("ro.postura");
    std::fs::write(&read_only, b"x").unwrap();
    let mut perms = std::fs::metadata(&read_only).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&read_only, perms).unwrap();
    assert_eq!(
        kind(model.save(&read_only).unwrap_err()),
        Some(ErrorKind::PermissionDenied)
    );
}

/// Rows with a source and the label `none` make a source-aware model together: one without the
/// other would train a model that sources shaped and that then refuses them, or a `none` that
/// no source ever answers (issue: Python's train(sources=…) then predict(source=…)).
#[test]
fn sources_and_the_none_label_go_together() {
    let sourced: Vec<TrainRow> = rows().into_iter().map(|r| r.source("Luis")).collect();
    let err = TrainParams::default().fit_rows(sourced.clone()).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("no row is labeled 'none'"), "{err}");
    let mut unsourced = rows();
    unsourced.push(TrainRow::new("Luis no dijo nada de Ana Ruiz", "none").actor("Ana Ruiz"));
    let err = TrainParams::default().fit_rows(unsourced).unwrap_err();
    assert!(err.to_string().contains("no row has a source"), "{err}");
    let mut both = sourced;
    both.push(
        TrainRow::new("Luis no dijo nada de Ana Ruiz", "none")
            .actor("Ana Ruiz")
            .source("Luis"),
    );
    let model = TrainParams::default().fit_rows(both).unwrap();
    assert!(model.is_source_aware());
    model
        .predict("Luis criticó a Ana Ruiz", &Target::new("Ana Ruiz").source("Luis"))
        .unwrap();
}

/// A batch's probabilities are each text's own, whatever came before it in the batch: two
/// words of one 64-bit word-cache key (found by a reviewer's search) do not share columns.
#[test]
fn batch_rows_do_not_depend_on_earlier_texts() -> Result<(), Error> {
    let model = Model::default_model()?;
    let target = Target::new("Kast");
    let text = "ljgiqgmopxtkef apoya a Kast";
    let alone = model.predict(text, &target)?;
    for first in ["rsqoovdbggzcqe", "zzqxwvutsrqpon"] {
        let batch = model.predict_batch(&[first, text], std::slice::from_ref(&target))?;
        let second = batch.get(1).ok_or(Error::Internal("two predictions".into()))?;
        assert_eq!(second.probabilities(), alone.probabilities(), "after {first}");
    }
    Ok(())
}

#[test]
fn a_text_longer_than_a_statement_can_be_is_a_usage_error_naming_it() {
    let model = Model::default_model().unwrap();
    let long = "Kast ganó, ".repeat(500_000);
    let texts = ["Kast ganó", long.as_str()];
    let err = model.predict_batch(&texts, &[Target::new("Kast")]).unwrap_err();
    assert!(err.to_string().starts_with("text 1: a statement of 6.0 MB"), "{err}");
    assert_eq!(err.exit_code(), 2);
    assert!(model.predict(&long, &Target::new("Kast")).is_err());
}
