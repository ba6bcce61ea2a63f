//! Prediction by name: a text and a [`Target`] in, a [`StancePrediction`] (the label's name, its
//! confidence, every label's probability by name) out — one at a time or in parallel batches.
//! The rule for which actor and aliases a model reads a statement toward lives here too, so the
//! command line and embedders decide it the same way.

use super::{Contribution, Model, Prediction, softmax, without_label};
use crate::error::{Error, Result};
use crate::features::{Extractor, Statement, ThreadExtractors};
use crate::text::ActorMatcher;
use crate::text::normalize::fold_key;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// Each column's IDF followed by its weight for each label (`labels + 1` floats a column), so
/// a batch's rows read one place per column where the IDF and the weights take two. A function
/// of the model alone, made once on first use; probabilities are the same with or without it.
pub(crate) type ColumnTable = crate::derived::Derived<Vec<f32>>;

/// The fewest texts of a batch that make the model's batch tables ([`Model::prepare`]) when
/// they are not made yet: below it, making them would cost more than they save.
pub const PREPARE_MIN_TEXTS: usize = 1024;

/// Whom a statement is read toward: the target actor with its other names, and who speaks.
///
/// ```
/// use postura::Target;
/// let kast = Target::new("Kast").alias("José Antonio Kast");
/// assert_eq!(kast.actor.as_deref(), Some("Kast"));
/// let nobody = Target::none();
/// assert!(nobody.actor.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Target {
    /// The actor the stance is toward. `None`: the actor the model was trained toward
    /// (`train --actor`), if any, else no actor (the statement is read on its own).
    pub actor: Option<String>,
    /// Other names of the actor (surname, @handle, party…). Empty: the aliases the model was
    /// trained with, when they belong to this actor (see [`Model::aliases_for`]).
    pub aliases: Vec<String>,
    /// Whose stance toward the actor is asked about (a speaker named in the statement). `None`:
    /// the statement's own stance. Only a source-aware model ([`Model::is_source_aware`]) takes
    /// one; it answers `none` when the source holds no stance toward the actor there.
    pub source: Option<String>,
}

impl Target {
    /// A target actor, with no aliases and no source yet.
    pub fn new(actor: impl Into<String>) -> Self {
        Target {
            actor: Some(actor.into()),
            ..Target::default()
        }
    }

    /// No target actor: the model's own actor if it was trained toward one, else none.
    pub fn none() -> Self {
        Target::default()
    }

    /// Adds another name of the actor.
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.aliases.push(alias.into());
        self
    }

    /// Adds other names of the actor.
    pub fn aliases<I, S>(mut self, aliases: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.aliases.extend(aliases.into_iter().map(Into::into));
        self
    }

    /// Asks how `source` stands toward the actor.
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Checks that every name given has a word to look for (see [`crate::text::has_word`]):
    /// an empty or blank actor, alias or source, or one of punctuation alone, is a usage
    /// error naming it, not a name that silently matches nothing or every bracket.
    pub fn check(&self) -> Result<()> {
        use crate::text::has_word;
        let actor = self.actor.as_deref().unwrap_or("");
        if self.actor.is_some() && !has_word(actor) {
            return Err(Error::usage(format!(
                "actor '{actor}' has no word (a letter or digit) to look for"
            )));
        }
        if let Some(alias) = self.aliases.iter().find(|a| !has_word(a)) {
            return Err(Error::usage(format!(
                "alias '{alias}'{} has no word (a letter or digit) to look for: an empty alias \
                 matches nothing and punctuation alone would match every such mark",
                if actor.is_empty() {
                    String::new()
                } else {
                    format!(" of '{actor}'")
                }
            )));
        }
        if let Some(source) = self.source.as_deref().filter(|s| !has_word(s)) {
            return Err(Error::usage(format!(
                "source '{source}' has no word (a letter or digit) to look for"
            )));
        }
        Ok(())
    }
}

/// The first text longer than a statement can be (see [`crate::text::MAX_STATEMENT_BYTES`]),
/// as a usage error naming its position.
fn check_lengths<S: AsRef<str>>(texts: &[S]) -> Result<()> {
    for (i, t) in texts.iter().enumerate() {
        if let Some(why) = crate::text::statement_too_long(t.as_ref().len()) {
            return Err(Error::usage(format!("text {i}: {why}")));
        }
    }
    Ok(())
}

/// A statement's predicted stance, with labels by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StancePrediction {
    label: String,
    confidence: f64,
    #[serde(serialize_with = "as_map")]
    probabilities: Vec<(String, f64)>,
    actor: Option<String>,
    source: Option<String>,
    mentioned: bool,
}

fn as_map<S: serde::Serializer>(v: &[(String, f64)], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_map(v.iter().map(|(k, p)| (k, p)))
}

impl StancePrediction {
    fn new(model: &Model, p: &Prediction, st: &Statement) -> Self {
        let (actor, text) = (st.actor, st.text);
        StancePrediction {
            label: model.labels.get(p.label).cloned().unwrap_or_default(),
            confidence: p.probs.get(p.label).copied().unwrap_or(0.0),
            probabilities: model.labels.iter().cloned().zip(p.probs.iter().copied()).collect(),
            actor: actor.map(|m| m.name().to_string()),
            source: st.source.map(|m| m.name().to_string()),
            mentioned: actor.is_some_and(|m| m.mentioned_in(text)),
        }
    }

    /// The predicted label's name (one of [`Model::labels`]).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The predicted label's probability.
    pub fn confidence(&self) -> f64 {
        self.confidence
    }

    /// Every label's probability, in the order of [`Model::labels`] (they sum to 1).
    pub fn probabilities(&self) -> &[(String, f64)] {
        &self.probabilities
    }

    /// The probability of the label `name`, if the model has it.
    pub fn probability(&self, name: &str) -> Option<f64> {
        self.probabilities.iter().find(|(l, _)| l == name).map(|&(_, p)| p)
    }

    /// The actor the statement was read toward (after the model's defaults), if any.
    pub fn actor(&self) -> Option<&str> {
        self.actor.as_deref()
    }

    /// The source whose stance was asked about, if any.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// True when the text mentions the actor by one of its names.
    pub fn mentioned(&self) -> bool {
        self.mentioned
    }
}

impl Model {
    /// The actor the model was trained toward when every training row had the same one
    /// (`train --actor`), with the aliases it was trained with.
    pub fn trained_actor(&self) -> Option<(&str, &[String])> {
        let data = &self.card.data;
        data.constant_actor.as_deref().map(|a| (a, data.aliases.as_slice()))
    }

    /// The aliases to look for with `actor` (`None`: the rows of a table name several actors),
    /// in every command and API: the `given` ones, else the ones the model was trained with — of
    /// a model trained toward one actor (`train --actor`) only with that actor (case and accents
    /// aside), of a model trained on an actor column with every actor, as in its training.
    pub fn aliases_for(&self, given: &[String], actor: Option<&str>) -> Vec<String> {
        if !given.is_empty() {
            return given.to_vec();
        }
        let data = &self.card.data;
        match (&data.constant_actor, actor) {
            (Some(own), Some(a)) if fold_key(own) == fold_key(a) => data.aliases.clone(),
            (Some(_), _) => Vec::new(),
            (None, _) => data.aliases.clone(),
        }
    }

    /// The matcher a target resolves to: its actor, else the model's own; with its aliases,
    /// else the model's (see [`Self::aliases_for`]). `None` when there is no actor either way.
    pub fn matcher_for(&self, target: &Target) -> Option<ActorMatcher> {
        let actor = target
            .actor
            .clone()
            .or_else(|| self.trained_actor().map(|(a, _)| a.to_string()))?;
        Some(ActorMatcher::new(
            &actor,
            &self.aliases_for(&target.aliases, Some(&actor)),
        ))
    }

    /// The matcher of a target's source: `None` without one. A source needs a source-aware
    /// model and a name with a word in it (else a usage error).
    pub fn source_matcher_for(&self, target: &Target) -> Result<Option<ActorMatcher>> {
        match &target.source {
            None => Ok(None),
            Some(name) => Ok(crate::source_matchers(self, [name.as_str()])?.remove(name)),
        }
    }

    /// Predicts the stance of one text toward a target (errors only for a source the model
    /// cannot take, see [`Self::source_matcher_for`]).
    ///
    /// ```
    /// use postura::{Model, Target};
    /// let model = Model::default_model()?;
    /// let p = model.predict("Milei celebró el aplastante triunfo de Kast", &Target::new("Kast"))?;
    /// assert!(model.labels().iter().any(|l| l == p.label()));
    /// let total: f64 = p.probabilities().iter().map(|(_, v)| v).sum();
    /// assert!((total - 1.0).abs() < 1e-9);
    /// # Ok::<(), postura::Error>(())
    /// ```
    pub fn predict(&self, text: &str, target: &Target) -> Result<StancePrediction> {
        target.check()?;
        check_lengths(std::slice::from_ref(&text))?;
        let actor = self.matcher_for(target);
        let source = self.source_matcher_for(target)?;
        let st = Statement::new(text, actor.as_ref()).with_source(source.as_ref());
        let p = self.predict_with(&st, &self.featurizer.extractor());
        Ok(StancePrediction::new(self, &p, &st))
    }

    /// Predicts many texts in parallel (output in input order). `targets` holds one target for
    /// every text, or a single target for all of them.
    pub fn predict_batch<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        targets: &[Target],
    ) -> Result<Vec<StancePrediction>> {
        check_lengths(texts)?;
        let (matchers, which) = self.batch_matchers(texts.len(), targets)?;
        if texts.len() >= PREPARE_MIN_TEXTS {
            self.prepare();
        }
        let extractors = ThreadExtractors::new(&self.featurizer);
        Ok(texts
            .par_iter()
            .enumerate()
            .with_min_len(crate::features::MIN_SPLIT)
            .map(|(i, text)| {
                let st = batch_statement(text.as_ref(), &matchers, which.get(i));
                extractors.with(|ex| StancePrediction::new(self, &self.predict_with(&st, ex), &st))
            })
            .collect())
    }

    /// Every label's probability for many texts, in parallel: one row per text, columns in the
    /// order of [`Self::labels`]. `targets` as for [`Self::predict_batch`].
    pub fn predict_proba<S: AsRef<str> + Sync>(&self, texts: &[S], targets: &[Target]) -> Result<Vec<Vec<f64>>> {
        check_lengths(texts)?;
        let (matchers, which) = self.batch_matchers(texts.len(), targets)?;
        if texts.len() >= PREPARE_MIN_TEXTS {
            self.prepare();
        }
        let columns = self.column_table_if_made();
        let extractors = ThreadExtractors::new(&self.featurizer);
        Ok(texts
            .par_iter()
            .enumerate()
            .with_min_len(crate::features::MIN_SPLIT)
            .map_init(Vec::new, |row, (i, text)| {
                let st = batch_statement(text.as_ref(), &matchers, which.get(i));
                extractors.with(|ex| {
                    columns
                        .and_then(|t| self.probabilities_by_table(&st, ex, t, row))
                        .unwrap_or_else(|| self.predict_with(&st, ex).probs)
                })
            })
            .collect())
    }

    /// Makes the tables batch prediction reads — the character n-gram columns of the
    /// vocabulary's words and each column's IDF beside its weights — once per model, in
    /// parallel (tens of milliseconds for the default model). They depend on the model alone,
    /// never on the texts seen, and predictions are the same with or without them. A batch of
    /// at least [`PREPARE_MIN_TEXTS`] texts makes them itself; a long-lived process that
    /// predicts many batches (the Python package does it on loading) calls this once.
    pub fn prepare(&self) {
        self.featurizer.word_table();
        self.column_table();
    }

    /// The [`ColumnTable`] if [`Self::prepare`] made it.
    fn column_table_if_made(&self) -> Option<&[f32]> {
        let (k, d) = (self.n_labels(), self.n_features());
        self.columns
            .0
            .get()
            .filter(|t| t.len() == d * (k + 1))
            .map(Vec::as_slice)
    }

    /// The [`ColumnTable`] (made on first use), or `None` when the weights do not hold one row
    /// per column.
    fn column_table(&self) -> Option<&[f32]> {
        let (k, d) = (self.n_labels(), self.n_features());
        if self.weights.len() < d * k || self.featurizer.vocab.idf.len() != d {
            return None;
        }
        let table = self.columns.0.get_or_init(|| {
            let idf = &self.featurizer.vocab.idf;
            let mut t = vec![0f32; d * (k + 1)];
            t.par_chunks_mut(k + 1)
                .zip(idf.par_iter().zip(self.weights.par_chunks(k.max(1))))
                .with_min_len(4096)
                .for_each(|(cell, (&v, w))| {
                    if let Some((first, rest)) = cell.split_first_mut() {
                        *first = v;
                        rest.copy_from_slice(w);
                    }
                });
            t
        });
        (table.len() == d * (k + 1)).then_some(table.as_slice())
    }

    /// [`Self::predict_with`]'s probabilities of a statement without a source, its row read
    /// through the column table `t` (in `row`, reused): the same numbers, bit for bit — the
    /// same IDF and weights, summed in the same order. `None` (for the plain path) with a
    /// source or when the extractor cannot build the row.
    fn probabilities_by_table(
        &self,
        st: &Statement,
        ex: &Extractor,
        t: &[f32],
        row: &mut Vec<(u32, f32)>,
    ) -> Option<Vec<f64>> {
        if st.source.is_some() {
            return None;
        }
        let k = self.n_labels();
        let stride = k + 1;
        self.featurizer
            .row_with_idf(st, ex, |col| t.get(col * stride).copied(), row)?;
        let d = self.n_features();
        let bias = self.weights.get(d * k..(d + 1) * k);
        let mut z = match k {
            2 => scores_by_table::<2>(bias, row, t),
            3 => scores_by_table::<3>(bias, row, t),
            4 => scores_by_table::<4>(bias, row, t),
            _ => {
                // As `probabilities`: the intercepts, then each feature's value times its weights.
                let mut z: Vec<f64> = bias.map_or(vec![0.0; k], |b| b.iter().map(|&v| f64::from(v)).collect());
                for &(c, v) in row.iter() {
                    let base = c as usize * stride + 1;
                    if let Some(w) = t.get(base..base + k) {
                        let v = f64::from(v);
                        for (zc, &wc) in z.iter_mut().zip(w) {
                            *zc += v * f64::from(wc);
                        }
                    }
                }
                z
            }
        };
        let temp = self.temperature();
        if temp != 1.0 {
            z.iter_mut().for_each(|v| *v /= temp);
        }
        softmax(&mut z);
        if let Some(n) = self.label_index(super::NONE_LABEL) {
            without_label(&mut z, n);
        }
        Some(z)
    }

    /// The `n` features that moved the prediction of one text most (see [`Contribution`]),
    /// largest first, with the prediction.
    pub fn explain(&self, text: &str, target: &Target, n: usize) -> Result<(StancePrediction, Vec<Contribution>)> {
        target.check()?;
        check_lengths(std::slice::from_ref(&text))?;
        let actor = self.matcher_for(target);
        let source = self.source_matcher_for(target)?;
        let st = Statement::new(text, actor.as_ref()).with_source(source.as_ref());
        let (p, contributions) = self.explain_statement(&st, n);
        Ok((StancePrediction::new(self, &p, &st), contributions))
    }

    /// One matcher per distinct actor and source of a batch's targets, and which ones each
    /// text uses.
    fn batch_matchers(&self, n: usize, targets: &[Target]) -> Result<(Vec<ActorMatcher>, Vec<Which>)> {
        if targets.len() != 1 && targets.len() != n {
            return Err(Error::usage(format!(
                "{n} texts but {} targets: give one target for all texts or one per text",
                targets.len()
            )));
        }
        let mut matchers = Vec::new();
        let mut seen: HashMap<&Target, Which> = HashMap::new();
        let mut which = Vec::with_capacity(targets.len());
        for t in targets {
            let w = match seen.get(t) {
                Some(&w) => w,
                None => {
                    let mut add = |m: Option<ActorMatcher>| {
                        m.map(|m| {
                            matchers.push(m);
                            matchers.len() - 1
                        })
                    };
                    t.check()?;
                    let actor = add(self.matcher_for(t));
                    let source = add(self.source_matcher_for(t)?);
                    seen.insert(t, (actor, source));
                    (actor, source)
                }
            };
            which.push(w);
        }
        if targets.len() == 1 {
            which = vec![which.first().copied().unwrap_or((None, None)); n];
        }
        Ok((matchers, which))
    }
}

/// The scores of `K` labels for `row` through the column table `t` (stride `K + 1`): the
/// intercepts `bias` (none: zeros), then each feature's value times its weights — the sums of
/// the general loop in [`Model::probabilities_by_table`], in the same order, with the scores
/// kept in registers instead of a vector in memory.
fn scores_by_table<const K: usize>(bias: Option<&[f32]>, row: &[(u32, f32)], t: &[f32]) -> Vec<f64> {
    let mut acc = [0f64; K];
    if let Some(b) = bias {
        for (a, &v) in acc.iter_mut().zip(b) {
            *a = f64::from(v);
        }
    }
    for &(c, v) in row {
        let base = c as usize * (K + 1) + 1;
        if let Some(w) = t.get(base..base + K).and_then(|w| <&[f32; K]>::try_from(w).ok()) {
            let v = f64::from(v);
            for (a, &wc) in acc.iter_mut().zip(w) {
                *a += v * f64::from(wc);
            }
        }
    }
    acc.to_vec()
}

/// Which of a batch's matchers a text uses: its actor's and its source's.
type Which = (Option<usize>, Option<usize>);

/// A batch's statement: `text` with the matchers `which` picks.
fn batch_statement<'a>(text: &'a str, matchers: &'a [ActorMatcher], which: Option<&Which>) -> Statement<'a> {
    let (actor, source) = which.copied().unwrap_or((None, None));
    Statement::new(text, actor.and_then(|i| matchers.get(i))).with_source(source.and_then(|i| matchers.get(i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(rows: &[Vec<f64>]) -> Vec<Vec<u64>> {
        rows.iter().map(|r| r.iter().map(|p| p.to_bits()).collect()).collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Batch probabilities through the column table and the model's word table equal the
        /// plain per-statement path (`predict_with` with a fresh extractor), bit for bit: the
        /// default model (stemming, known actors, capitalized names, calibrated), with and
        /// without a target, on random text and news-like words.
        #[test]
        fn table_probabilities_equal_the_plain_path(
            texts in proptest::collection::vec("\\PC{0,60}|((Kast|Milei|Boric|no|«sí»|apoyo|critica|rechazo|de|la|El|Gobierno|[a-zé]{1,6})[,.!?]? ){0,20}", 1..12),
            actor in proptest::option::of(proptest::sample::select(vec!["Kast", "Milei", "Boric"])),
        ) {
            let model = Model::default_model().map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let target = actor.map_or_else(Target::none, Target::new);
            // A small batch of an unprepared model goes without the tables, a prepared one with.
            let unprepared = model.predict_proba(&texts, std::slice::from_ref(&target)).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            proptest::prop_assert!(model.column_table_if_made().is_none());
            model.prepare();
            proptest::prop_assert!(model.column_table_if_made().is_some());
            proptest::prop_assert!(model.featurizer.words_made());
            let fast = model.predict_proba(&texts, std::slice::from_ref(&target)).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let matcher = model.matcher_for(&target);
            let plain: Vec<Vec<f64>> = texts
                .iter()
                .map(|t| {
                    let st = Statement::new(t, matcher.as_ref());
                    model.predict_with(&st, &crate::features::Extractor::new(&model.featurizer.features)).probs
                })
                .collect();
            proptest::prop_assert_eq!(bits(&fast), bits(&plain));
            proptest::prop_assert_eq!(bits(&unprepared), bits(&plain));
        }
    }
}
