//! The one place that calls postura's Rust API: models, training settings, prediction,
//! evaluation and article labeling in plain Rust types. The rest of the binding crate only
//! converts Python values to these types and back, so a change in the library's API is a change
//! here alone.

use postura::data::articles::{ActorSpec, Article};
use postura::data::{Columns, LabelMap, Record, Table};
use postura::label::{LabelOptions, LabelWriter, Labeler, Outcome, OutputFormat, Per};
use postura::model::{ClassWeight, DataInfo, Loss, SolverKind, TrainParams};
use postura::{ActorMatcher, Error, Target};
use std::path::{Path, PathBuf};

/// What kind of Python exception an error becomes.
pub enum Failure {
    /// Bad input, settings or model bytes: `ValueError`.
    Value,
    /// A file that could not be read or written: `OSError` (the subclass by `kind`).
    Os(std::io::ErrorKind),
    /// Ours, not the caller's: `RuntimeError`.
    Internal,
}

/// An error with its message as the command line prints it.
pub struct Fault {
    pub failure: Failure,
    pub message: String,
}

impl From<Error> for Fault {
    fn from(e: Error) -> Self {
        let failure = match &e {
            Error::Io { source, .. } => Failure::Os(source.kind()),
            Error::Internal(_) => Failure::Internal,
            _ => Failure::Value,
        };
        Fault {
            failure,
            message: e.to_string(),
        }
    }
}

impl Fault {
    pub fn value(message: impl Into<String>) -> Self {
        Fault {
            failure: Failure::Value,
            message: message.into(),
        }
    }
}

pub type Result<T> = std::result::Result<T, Fault>;

/// A value each row of a call may have — its target actor, its source (who speaks): none
/// given, one for every row, or one (or none) per row.
#[derive(Debug, Clone)]
pub enum PerText {
    /// None given: for actors, the model's own (`train --actor`), else none.
    Default,
    /// One value for every row.
    One(String),
    /// One value (or none) per row.
    PerRow(Vec<Option<String>>),
}

impl PerText {
    fn of_row(&self, i: usize) -> Option<&str> {
        match self {
            PerText::Default => None,
            PerText::One(a) => Some(a),
            PerText::PerRow(v) => v.get(i).and_then(|a| a.as_deref()),
        }
    }

    fn per_row(&self) -> bool {
        matches!(self, PerText::PerRow(_))
    }
}

/// The library's targets for `n` texts with these actors and sources: one for every text, or
/// one per text. A row without an actor reads toward the model's own actor, if it has one.
fn targets(n: usize, actors: &PerText, aliases: &[String], sources: &PerText) -> Vec<Target> {
    let target = |i: usize| Target {
        actor: actors.of_row(i).map(str::to_string),
        aliases: aliases.to_vec(),
        source: sources.of_row(i).map(str::to_string),
    };
    if actors.per_row() || sources.per_row() {
        (0..n).map(target).collect()
    } else {
        vec![target(0)]
    }
}

/// One statement's prediction: its label, the probability of each label (in the model's
/// order), the actor it was read toward and whether the text mentions that actor.
pub struct Scored {
    pub label: String,
    pub confidence: f64,
    pub probabilities: Vec<(String, f64)>,
    pub actor: Option<String>,
    pub mentioned: bool,
}

/// A fitted postura model.
pub struct Model {
    inner: postura::Model,
}

/// Where in-memory rows come from, in messages and the model card.
const PYTHON_SOURCE: &str = "<python>";

impl Model {
    /// The model embedded in postura.
    pub fn default_model() -> Result<Model> {
        Ok(Model {
            inner: postura::Model::default_model()?,
        })
    }

    pub fn load(path: &Path) -> Result<Model> {
        Ok(Model {
            inner: postura::Model::load(path)?,
        })
    }

    /// A model from the bytes of a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        Ok(Model {
            inner: postura::Model::from_bytes(bytes)?,
        })
    }

    /// The bytes of the model file.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        Ok(self.inner.to_bytes()?)
    }

    /// Writes the model file atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        Ok(self.inner.save(path)?)
    }

    pub fn labels(&self) -> &[String] {
        self.inner.labels()
    }

    /// The model card (how the model was made) as JSON.
    pub fn card_json(&self) -> Result<String> {
        serde_json::to_string(self.inner.card()).map_err(|e| Fault::from(Error::Internal(e.to_string())))
    }

    /// The actor the model was trained toward (`train --actor`), if any.
    pub fn own_actor(&self) -> Option<&str> {
        self.inner.trained_actor().map(|(a, _)| a)
    }

    /// The targets of a call, each checked to have a word to look for.
    fn targets(&self, n: usize, actors: &PerText, aliases: &[String], sources: &PerText) -> Result<Vec<Target>> {
        let targets = targets(n, actors, aliases, sources);
        for t in &targets {
            if let Some(m) = self.inner.matcher_for(t)
                && !m.is_usable()
            {
                return Err(Fault::value(format!(
                    "actor '{}' has no word in its name or aliases to look for",
                    m.name()
                )));
            }
        }
        Ok(targets)
    }

    /// Predicts every text toward its actor, as said by its source (in parallel; output in
    /// input order).
    pub fn predict(
        &self,
        texts: &[String],
        actors: &PerText,
        aliases: &[String],
        sources: &PerText,
    ) -> Result<Vec<Scored>> {
        let targets = self.targets(texts.len(), actors, aliases, sources)?;
        Ok(self
            .inner
            .predict_batch(texts, &targets)?
            .into_iter()
            .map(|p| Scored {
                label: p.label().to_string(),
                confidence: p.confidence(),
                probabilities: p.probabilities().to_vec(),
                actor: p.actor().map(str::to_string),
                mentioned: p.mentioned(),
            })
            .collect())
    }

    /// The probability of each label (in the model's order) for every text, in parallel.
    pub fn predict_proba(
        &self,
        texts: &[String],
        actors: &PerText,
        aliases: &[String],
        sources: &PerText,
    ) -> Result<Vec<Vec<f64>>> {
        let targets = self.targets(texts.len(), actors, aliases, sources)?;
        Ok(self.inner.predict_proba(texts, &targets)?)
    }

    /// Scores the model on labeled texts: the JSON of `postura eval --format json`.
    pub fn evaluate(
        &self,
        texts: &[String],
        labels: &[String],
        actors: &PerText,
        sources: &PerText,
        aliases: &[String],
    ) -> Result<String> {
        for (i, l) in labels.iter().enumerate() {
            if !self.inner.labels().contains(l) {
                return Err(Fault::value(format!(
                    "labels[{i}]: label '{l}' is not one of the model's labels ({})",
                    self.inner.labels().join(", ")
                )));
            }
        }
        let own = self.own_actor();
        let table = in_memory_table(texts, labels, &|i| actors.of_row(i).or(own), sources)?;
        let aliases = self.inner.aliases_for(aliases, own);
        let m = postura::evaluate_table(&self.inner, &table, &aliases, None)?;
        serde_json::to_string(&m).map_err(|e| Fault::from(Error::Internal(e.to_string())))
    }

    /// Labels articles (id, text) toward actors (name, aliases; none: the model's own actor):
    /// the JSON lines `postura label --format jsonl` writes, one row per sentence or per article
    /// and actor.
    pub fn label_articles(
        &self,
        articles: Vec<(String, String)>,
        actors: Vec<(String, Vec<String>)>,
        per_article: bool,
        all_sentences: bool,
    ) -> Result<String> {
        let specs: Vec<ActorSpec> = if actors.is_empty() {
            match self.own_actor() {
                Some(name) => vec![ActorSpec {
                    name: name.to_string(),
                    aliases: self.inner.aliases_for(&[], Some(name)),
                }],
                None => {
                    return Err(Fault::value(
                        "no actor to label toward: give actors= (the model was not trained toward one actor)",
                    ));
                }
            }
        } else {
            actors
                .into_iter()
                .map(|(name, aliases)| {
                    let aliases = self.inner.aliases_for(&aliases, Some(&name));
                    ActorSpec { name, aliases }
                })
                .collect()
        };
        let labeler = Labeler::new(
            &self.inner,
            &specs,
            LabelOptions {
                all_sentences,
                ..LabelOptions::default()
            },
        )?;
        let names: Vec<String> = labeler.actors().iter().map(|a| a.name().to_string()).collect();
        let per = if per_article { Per::Article } else { Per::Sentence };
        let mut buf: Vec<u8> = Vec::new();
        {
            let mut writer = LabelWriter::new(
                &mut buf,
                "<memory>",
                OutputFormat::Jsonl,
                per,
                self.inner.labels(),
                &names,
            );
            let items = articles
                .into_iter()
                .map(|(id, text)| {
                    Ok(Article {
                        id,
                        text,
                        title: None,
                        date: None,
                    })
                })
                .collect();
            for o in labeler.label_batch(items) {
                match o {
                    Outcome::Labeled(l) => writer.write(&l)?,
                    Outcome::Problem(p) => return Err(p.error.into()),
                }
            }
            writer.finish()?;
        }
        String::from_utf8(buf).map_err(|e| Fault::from(Error::Internal(e.to_string())))
    }
}

/// Training settings with the names of `postura train`'s flags; `None` keeps the default.
#[derive(Debug, Clone, Default)]
pub struct TrainSettings {
    pub c: Option<f64>,
    pub alpha: Option<f64>,
    pub loss: Option<String>,
    pub class_weight: Option<String>,
    pub solver: Option<String>,
    pub max_iter: Option<u64>,
    /// "MIN-MAX", "N" or "0".
    pub word_ngrams: Option<String>,
    pub char_ngrams: Option<String>,
    pub stem: Option<bool>,
    pub window: Option<u8>,
    pub min_df: Option<u32>,
    pub char_min_df: Option<u32>,
    pub max_features: Option<u32>,
    pub char_chunks: Option<bool>,
    pub keep_accents: Option<bool>,
    pub negation: Option<bool>,
    pub sublinear_tf: Option<bool>,
    pub nb_scale: Option<bool>,
    pub actor_pairs: Option<bool>,
    pub aliases: Vec<String>,
    /// Fit a temperature on 5-fold out-of-fold predictions of the training rows
    /// (`train --calibrate` without --dev).
    pub calibrate: bool,
}

/// `--word-ngrams` / `--char-ngrams`: MIN-MAX, N, or 0 (none).
fn choice<T: Copy>(flag: &str, given: &str, options: &[(&str, T)]) -> Result<T> {
    options
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(given.trim()))
        .map(|&(_, v)| v)
        .ok_or_else(|| {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            Fault::value(format!(
                "invalid value '{given}' for {flag} [possible values: {}]",
                names.join(", ")
            ))
        })
}

impl TrainSettings {
    /// The library's parameters, applied as `postura train` applies its flags, then checked.
    fn params(&self) -> Result<postura::model::ValidTrainParams> {
        let mut p = TrainParams::default();
        if let Some(c) = self.c {
            p.c = c;
        }
        if self.c.is_some() && self.alpha.is_some() {
            return Err(Fault::value("give c or alpha, not both (alpha = 1/c)"));
        }
        if let Some(a) = self.alpha {
            if !(a.is_finite() && a > 0.0) {
                return Err(Fault::value(format!("alpha must be a positive number (got {a})")));
            }
            p.c = 1.0 / a;
        }
        if let Some(l) = &self.loss {
            let l = choice("loss", l, &[("logistic", Loss::Logistic), ("hinge", Loss::Hinge)])?;
            if self.c.is_none() && self.alpha.is_none() {
                p.c = l.default_c();
            }
            p.loss = l;
        }
        if let Some(w) = &self.class_weight {
            p.class_weight = choice(
                "class_weight",
                w,
                &[("balanced", ClassWeight::Balanced), ("none", ClassWeight::None)],
            )?;
        }
        if let Some(s) = &self.solver {
            p.solver.kind = choice(
                "solver",
                s,
                &[("sparse", SolverKind::Sparse), ("linfa", SolverKind::Linfa)],
            )?;
        }
        if let Some(m) = self.max_iter {
            p.solver.max_iter = m;
        }
        let f = &mut p.features;
        if let Some(r) = &self.word_ngrams {
            f.word_ngrams = postura::features::parse_range("word_ngrams", r)?;
        }
        if let Some(r) = &self.char_ngrams {
            f.char_ngrams = postura::features::parse_range("char_ngrams", r)?;
        }
        let flags = [
            (self.stem, &mut f.stem),
            (self.char_chunks, &mut f.char_chunks),
            (self.sublinear_tf, &mut f.sublinear_tf),
            (self.nb_scale, &mut f.nb_scale),
            (self.actor_pairs, &mut f.actor_pairs),
        ];
        for (given, field) in flags {
            if let Some(v) = given {
                *field = v;
            }
        }
        if let Some(w) = self.window {
            f.window = w;
        }
        if let Some(m) = self.min_df {
            f.min_df = m;
        }
        if let Some(m) = self.char_min_df {
            f.char_min_df = m;
        }
        if let Some(m) = self.max_features {
            f.max_features = m;
        }
        if let Some(k) = self.keep_accents {
            p.text.accent_fold = !k;
        }
        if let Some(n) = self.negation {
            p.text.negation = n;
        }
        Ok(p.check()?)
    }
}

/// Rows held in memory as the table the library trains and scores on. Each row's "line" is its
/// 0-based index, so messages point at `texts[i]`. Rows with an empty text are left out, as
/// tables leave them out.
fn in_memory_table<'a>(
    texts: &[String],
    labels: &[String],
    actor_of: &dyn Fn(usize) -> Option<&'a str>,
    sources: &PerText,
) -> Result<Table> {
    use sha2::{Digest, Sha256};
    if texts.len() != labels.len() {
        return Err(Fault::value(format!(
            "texts has {} items but labels has {}: one label per text",
            texts.len(),
            labels.len()
        )));
    }
    let mut hash = Sha256::new();
    let mut records = Vec::with_capacity(texts.len());
    for (i, (text, label)) in texts.iter().zip(labels).enumerate() {
        if label.trim().is_empty() {
            return Err(Fault::value(format!("labels[{i}] is empty: every text needs a label")));
        }
        if text.trim().is_empty() {
            continue;
        }
        let actor = actor_of(i).map(str::to_string);
        let source = sources.of_row(i).map(str::to_string);
        for field in [
            text.as_str(),
            actor.as_deref().unwrap_or(""),
            label,
            source.as_deref().unwrap_or(""),
        ] {
            hash.update(field.as_bytes());
            hash.update(b"\t");
        }
        hash.update(b"\n");
        records.push(Record {
            line: i as u64,
            text: text.clone(),
            actor,
            label: Some(label.clone()),
            group: None,
            source,
            id: None,
        });
    }
    Ok(Table {
        path: PathBuf::from(PYTHON_SOURCE),
        records,
        sha256: hash.finalize().iter().map(|b| format!("{b:02x}")).collect(),
        skipped_empty: Vec::new(),
        duplicates: 0,
        first_duplicate: None,
        unread_actor_column: None,
    })
}

/// Trains a model on labeled texts with `postura train`'s settings. A single actor for every
/// row is recorded as the model's own (as `train --actor`).
pub fn train(
    texts: &[String],
    labels: &[String],
    actors: &PerText,
    sources: &PerText,
    settings: &TrainSettings,
) -> Result<Model> {
    let params = settings.params()?;
    let mut constant_actor = None;
    let table = in_memory_table(texts, labels, &|i| actors.of_row(i), sources)?;
    if let PerText::One(a) = actors {
        if !ActorMatcher::new(a, &settings.aliases).is_usable() {
            return Err(Fault::value(format!(
                "actor '{a}' has no word in its name or aliases to look for"
            )));
        }
        constant_actor = Some(a.clone());
    }
    if table.records.is_empty() {
        return Err(Fault::value("every text is empty: nothing to train on"));
    }
    let info = DataInfo {
        path: PYTHON_SOURCE.to_string(),
        sha256: table.sha256.clone(),
        rows: table.records.len(),
        rows_per_label: Vec::new(),
        columns: Columns::default(),
        label_map: LabelMap::default(),
        aliases: settings.aliases.clone(),
        constant_actor,
    };
    let mut inner = params.fit_table(&table, info)?;
    if settings.calibrate {
        postura::train::calibrate(&mut inner, &table, postura::train::CalibrationRows::OutOfFold)?;
    }
    Ok(Model { inner })
}
