//! The one place that calls postura's Rust API: models, training settings, prediction,
//! evaluation and article labeling in plain Rust types. The rest of the binding crate only
//! converts Python values to these types and back, so a change in the library's API is a change
//! here alone.

use postura::data::articles::{ActorSpec, Article};
use postura::data::{Columns, LabelMap, Record, Table};
use postura::label::{LabelOptions, LabelWriter, Outcome, OutputFormat, Per, label_by_source};
use postura::model::{ClassWeight, DataInfo, Loss, Named, Preset, SolverKind, TrainOverrides, ValidTrainParams};
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

    /// True when some row has a value.
    fn any(&self) -> bool {
        match self {
            PerText::Default => false,
            PerText::One(_) => true,
            PerText::PerRow(v) => v.iter().any(Option::is_some),
        }
    }
}

/// Aliases belong to an actor: given with no actor for any row (`arg`, and no actor of the
/// model's own, `own`), they would be ignored, so they are refused.
fn aliases_need_an_actor(aliases: &[String], actors: &PerText, own: Option<&str>, arg: &str) -> Result<()> {
    if !aliases.is_empty() && !actors.any() && own.is_none() {
        return Err(Fault::value(format!(
            "aliases= needs {arg}=: the aliases of which actor? (no row has an actor, and the model \
             was not trained toward one)"
        )));
    }
    Ok(())
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
    /// A model ready for batch work: its batch tables are made now (`postura::Model::prepare`),
    /// so the first `predict_proba` costs what the next ones do.
    fn ready(inner: postura::Model) -> Model {
        inner.prepare();
        Model { inner }
    }

    /// The model embedded in postura.
    pub fn default_model() -> Result<Model> {
        Ok(Model::ready(postura::Model::default_model()?))
    }

    pub fn load(path: &Path) -> Result<Model> {
        Ok(Model::ready(postura::Model::load(path)?))
    }

    /// A model from the bytes of a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        Ok(Model::ready(postura::Model::from_bytes(bytes)?))
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
        aliases_need_an_actor(aliases, actors, self.own_actor(), "actor")?;
        let targets = targets(n, actors, aliases, sources);
        for t in &targets {
            if let Some(m) = self.inner.matcher_for(t)
                && !m.is_usable()
            {
                return Err(Fault::value(format!(
                    "actor '{}' has no word (a letter or digit) to look for",
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
        aliases_need_an_actor(aliases, actors, own, "actors")?;
        let table = in_memory_table(texts, labels, &|i| actors.of_row(i).or(own), sources)?;
        if table.records.is_empty() {
            return Err(Fault::value(if texts.is_empty() {
                "no rows to evaluate: texts is empty"
            } else {
                "no rows to evaluate: every text is empty (empty texts are left out)"
            }));
        }
        let aliases = self.inner.aliases_for(aliases, own);
        let m = postura::evaluate_table(&self.inner, &table, &aliases, None)?;
        serde_json::to_string(&m).map_err(|e| Fault::from(Error::Internal(e.to_string())))
    }

    /// The actors to label toward: those given (each with the aliases the model was trained
    /// with when it is the model's own), else the model's own actor.
    fn actor_specs(&self, actors: Vec<(String, Vec<String>)>) -> Result<Vec<ActorSpec>> {
        if actors.is_empty() {
            return match self.own_actor() {
                Some(name) => Ok(vec![ActorSpec {
                    name: name.to_string(),
                    aliases: self.inner.aliases_for(&[], Some(name)),
                }]),
                None => Err(Fault::value(
                    "no actor to label toward: give actors= (the model was not trained toward one actor)",
                )),
            };
        }
        Ok(actors
            .into_iter()
            .map(|(name, aliases)| {
                let aliases = self.inner.aliases_for(&aliases, Some(&name));
                ActorSpec { name, aliases }
            })
            .collect())
    }

    /// Labels articles (id, text) toward actors (name, aliases; none: the model's own actor),
    /// each article read as its source's stance when it has one (`postura label --source`, per
    /// article): the rows `postura label --format jsonl` writes, one per sentence or per
    /// article and actor, in the order of the articles, each with its article's position in
    /// `articles`; the articles that could not be labeled (a source that is the only actor or
    /// has no word to look for), each with its position and the command line's message; and
    /// the warnings the labelers gave. What is wrong for every article is the call's error.
    pub fn label_articles(
        &self,
        articles: Vec<Sourced<(String, String)>>,
        actors: Vec<(String, Vec<String>)>,
        per_article: bool,
        all_sentences: bool,
    ) -> Result<LabeledArticles> {
        let specs = self.actor_specs(actors)?;
        let options = LabelOptions {
            all_sentences,
            ..LabelOptions::default()
        };
        let per = if per_article { Per::Article } else { Per::Sentence };
        let articles = articles
            .into_iter()
            .map(|a| (Article::new(a.item.0, a.item.1), a.source))
            .collect();
        let sourced = label_by_source(&self.inner, &specs, options, articles)?;
        let mut out = LabeledArticles {
            rows: Vec::new(),
            problems: Vec::new(),
            warnings: sourced.warnings,
        };
        for (index, (outcome, names)) in sourced.outcomes.into_iter().enumerate() {
            let l = match outcome {
                Outcome::Labeled(l) => l,
                Outcome::Problem(p) => {
                    out.problems.push((index, p.error.to_string()));
                    continue;
                }
            };
            // A writer per article: articles of different sources have different actor lists.
            let mut bytes: Vec<u8> = Vec::new();
            let mut writer = LabelWriter::new(
                &mut bytes,
                "<memory>",
                OutputFormat::Jsonl,
                per,
                self.inner.labels(),
                &names,
            );
            writer.write(&l)?;
            writer.finish()?;
            drop(writer);
            let jsonl = String::from_utf8(bytes).map_err(|e| Fault::from(Error::Internal(e.to_string())))?;
            out.rows
                .extend(jsonl.lines().filter(|r| !r.is_empty()).map(|r| (index, r.to_string())));
        }
        Ok(out)
    }
}

/// What [`Model::label_articles`] gives.
pub struct LabeledArticles {
    /// Each row's article (its position in the input) and the row as a JSON object.
    pub rows: Vec<(usize, String)>,
    /// Each article that could not be labeled: its position and why.
    pub problems: Vec<(usize, String)>,
    /// The labelers' warnings, each once.
    pub warnings: Vec<String>,
}

/// An item and the source (who speaks, with aliases) it is read as, if any.
pub struct Sourced<T> {
    pub item: T,
    pub source: Option<ActorSpec>,
}

impl<T> Sourced<T> {
    /// `item` as said by `source` (a name and its aliases), if any.
    pub fn new(item: T, source: Option<(String, Vec<String>)>) -> Self {
        Sourced {
            item,
            source: source.map(|(name, aliases)| ActorSpec { name, aliases }),
        }
    }
}

/// Known actors (`train --actors`): a CSV file, read when training starts, or a list.
#[derive(Debug, Clone)]
pub enum KnownActors {
    /// A CSV file with `actor,aliases` columns, as datasets/actors.csv.
    File(PathBuf),
    /// Names, each with its aliases.
    List(Vec<(String, Vec<String>)>),
}

/// Training settings from Python's keyword arguments: the library's [`TrainOverrides`] (which
/// applies and checks them as it does `postura train`'s flags), plus what only training from
/// Python needs — the aliases of a single actor and calibration.
#[derive(Debug, Clone, Default)]
pub struct TrainSettings {
    /// The settings `postura train`'s flags give.
    pub overrides: TrainOverrides,
    /// Aliases of the actor every text is about (`--alias`).
    pub aliases: Vec<String>,
    /// Fit a temperature on 5-fold out-of-fold predictions of the training rows
    /// (`train --calibrate` without --dev).
    pub calibrate: bool,
}

impl TrainSettings {
    /// The library's parameters, as `postura train` makes them from its flags, checked.
    fn params(&self) -> Result<ValidTrainParams> {
        Ok(self.overrides.params()?)
    }
}

/// The names each named setting takes (`preset`, `loss`, `class_weight`, `solver`), from the
/// library's tables, which the command line's flags read too.
pub fn setting_names() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("preset", Preset::names()),
        ("loss", Loss::names()),
        ("class_weight", ClassWeight::names()),
        ("solver", SolverKind::names()),
    ]
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
    aliases_need_an_actor(&settings.aliases, actors, None, "actors")?;
    let mut constant_actor = None;
    let table = in_memory_table(texts, labels, &|i| actors.of_row(i), sources)?;
    if let PerText::One(a) = actors {
        if !ActorMatcher::new(a, &settings.aliases).is_usable() {
            return Err(Fault::value(format!(
                "actor '{a}' has no word (a letter or digit) to look for"
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
    Ok(Model::ready(inner))
}
