//! Batch labeling of articles toward one or many actors: sentences → mentions → per-sentence
//! predictions → per-article summaries, streamed in bounded, parallel, ordered batches.
//!
//! Each article is split into sentences ([`crate::text::sentences::split_sentences`]); a
//! sentence that mentions an actor (its name or an alias as whole words, case- and
//! accent-insensitive, see [`ActorMatcher`]) is classified toward that actor with the same
//! target-aware features as training. With [`LabelOptions::all_sentences`] every sentence is
//! classified toward every actor (shown, but only the mentioning sentences count in the
//! verdicts). The sentences that mention an actor are summarized per article into an overall
//! stance with a confidence ([`aggregate`]).

pub mod aggregate;
pub mod html;
pub mod html_pairs;
pub mod pairs;
pub mod tally;
pub mod writer;

pub use aggregate::{Stance, StanceRule, Summary};
pub use writer::{LabelWriter, OutputFormat, Per};

use crate::data::articles::{ActorSpec, Article, ArticleItem, Problem, ProblemKind};
use crate::error::{Error, Result};
use crate::features::{Extractor, Statement};
use crate::model::{Explanation, Model, Prediction};
use crate::text::normalize::fold_key;
use crate::text::sentences::split_sentences;
use crate::text::{ActorMatcher, Token, TokenKind, tokenize};
use rayon::prelude::*;
use std::rc::Rc;

/// What to classify and how to report it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LabelOptions {
    /// Classify every sentence toward every actor, not only the sentences that mention it.
    /// Sentences that do not mention an actor are reported but never count in its verdicts.
    pub all_sentences: bool,
    /// A sentence whose top probability, or a verdict whose confidence, is below this is
    /// reported as uncertain.
    pub min_confidence: Option<f64>,
    /// Explain each sentence's label by its intercept and this many strongest features.
    pub explain: Option<usize>,
}

impl LabelOptions {
    /// Checks the options once, before any work.
    pub fn check(&self) -> Result<()> {
        if let Some(p) = self.min_confidence
            && !(0.0..=1.0).contains(&p)
        {
            return Err(Error::usage(format!(
                "--min-confidence must be between 0 and 1 (got {p})"
            )));
        }
        Ok(())
    }
}

/// How many articles are read before a batch is labeled and written: bounds memory however
/// many inputs there are, while giving every core enough articles to work on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchLimits {
    /// At most this many articles per batch.
    pub articles: usize,
    /// A batch closes once its articles hold this many bytes of text.
    pub bytes: usize,
}

impl Default for BatchLimits {
    fn default() -> Self {
        BatchLimits {
            articles: 1024,
            bytes: 16 << 20,
        }
    }
}

/// One sentence classified toward one actor.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceLabel {
    /// Position of the sentence among all sentences of the article (0-based).
    pub index: usize,
    /// Byte range of the sentence in the article text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Index of the actor in the labeler's actor list.
    pub actor: usize,
    /// True when the sentence mentions the actor (always, unless `all_sentences`).
    pub mentioned: bool,
    /// The model's prediction for the sentence toward the actor.
    pub prediction: Prediction,
    /// The top probability is below [`LabelOptions::min_confidence`].
    pub uncertain: bool,
    /// With [`LabelOptions::explain`]: why the label.
    pub explanation: Option<Explanation>,
}

impl SentenceLabel {
    /// The probability of the predicted label.
    pub fn confidence(&self) -> f64 {
        self.prediction.probs.get(self.prediction.label).copied().unwrap_or(0.0)
    }
}

/// The summary of one actor in one article.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleSummary {
    /// Index of the actor in the labeler's actor list.
    pub actor: usize,
    /// Sentences that mention the actor.
    pub mentions: usize,
    /// Evidence positions index [`LabeledArticle::sentences`].
    pub summary: Summary,
}

/// An article with its sentence labels (in sentence order, then actor order) and one summary
/// per actor that had any sentence classified toward it (in actor order).
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledArticle {
    /// The article.
    pub article: Article,
    /// How many sentences the article was split into.
    pub n_sentences: usize,
    /// The sentences classified, each toward one actor.
    pub sentences: Vec<SentenceLabel>,
    /// One summary per actor with classified sentences.
    pub summaries: Vec<ArticleSummary>,
}

impl LabeledArticle {
    /// The text of a sentence of this article.
    pub fn text_of(&self, s: &SentenceLabel) -> &str {
        self.article.text.get(s.start..s.end).unwrap_or("")
    }
}

/// One input's result, in input order.
#[derive(Debug)]
pub enum Outcome {
    /// The article and its labels.
    Labeled(LabeledArticle),
    /// An input that was skipped or could not be read.
    Problem(Problem),
}

/// Counts of a labeling run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Articles read and labeled.
    pub read: u64,
    /// Inputs with nothing to label (empty files or text fields).
    pub skipped: u64,
    /// Inputs that could not be read.
    pub failed: u64,
    /// Sentences split from the articles read.
    pub sentences: u64,
    /// Sentence × actor classifications made.
    pub labeled: u64,
}

/// Labels articles toward a fixed list of actors with one model.
#[derive(Clone)]
pub struct Labeler<'m> {
    model: &'m Model,
    actors: Vec<ActorMatcher>,
    /// Per actor, the folded first word of each of its names: a sentence that contains none of
    /// them as a substring cannot mention the actor, so it is not tokenized for that actor.
    /// `None` when some name starts with a placeholder token (a number, a URL) that the text
    /// does not contain literally.
    needles: Vec<Option<Vec<String>>>,
    options: LabelOptions,
    rule: StanceRule,
    /// With a source (`label --source`): each statement is read as the source's stance toward
    /// each actor, and an article's verdict counts only the statements the source holds.
    source: Option<ActorMatcher>,
    /// With two or more actors, per actor with generic role aliases ("el presidente", written
    /// in lower case): a matcher of its proper names alone, used in an article that never names
    /// the actor by one of them (the role then is someone else's).
    proper: Vec<Option<ActorMatcher>>,
    /// Aliases shared by two actors, said once.
    warnings: Vec<String>,
}

/// A matcher of the proper names (capitalized, @handles) of an actor that also has generic
/// lower-case aliases; `None` when it has none or no proper name.
fn proper_names(actor: &ActorSpec) -> Option<ActorMatcher> {
    let names = || std::iter::once(&actor.name).chain(&actor.aliases);
    if names().all(|n| crate::text::actor::is_proper_name(n)) {
        return None;
    }
    let m = crate::text::actor::proper_names(names());
    m.is_usable().then_some(m)
}

/// The mention prefilter of one actor (see `Labeler::needles`).
fn needles(actor: &ActorSpec) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for name in std::iter::once(&actor.name).chain(&actor.aliases) {
        // The first token of the name as the matcher sees it (periods are not part of patterns).
        let first = tokenize(&fold_key(name))
            .into_iter()
            .find(|t| t.kind != TokenKind::Punct || t.text != ".");
        match first {
            Some(t) if t.text.starts_with('_') => return None,
            Some(t) => out.push(t.text),
            None => {}
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// A model that can read statements as a source's stance; an error naming `source` otherwise.
fn source_aware(model: &Model, source: &ActorSpec) -> Result<()> {
    if model.is_source_aware() {
        return Ok(());
    }
    Err(Error::usage(format!(
        "source '{}' given, but this model was trained without sources and cannot say how one actor \
         stands toward another; train with a source column (datasets/stance_es.csv has one)",
        source.name
    )))
}

impl<'m> Labeler<'m> {
    /// A labeler for `actors` (at least one, each with a usable name).
    pub fn new(model: &'m Model, actors: &[ActorSpec], options: LabelOptions) -> Result<Self> {
        if actors.is_empty() {
            return Err(Error::usage(
                "no actor to label toward: give --actor NAME or --actors FILE",
            ));
        }
        let matchers: Vec<ActorMatcher> = actors.iter().map(|a| ActorMatcher::new(&a.name, &a.aliases)).collect();
        if let Some(bad) = matchers.iter().find(|a| !a.is_usable()) {
            return Err(Error::usage(format!(
                "actor '{}' has no word (a letter or digit) to look for",
                bad.name()
            )));
        }
        options.check()?;
        let mut warnings = Vec::new();
        for (i, a) in matchers.iter().enumerate() {
            for b in matchers.iter().skip(i + 1) {
                if a.shares_a_name_with(b) {
                    warnings.push(format!(
                        "actors '{}' and '{}' share a name or alias: a mention of it counts for both",
                        a.name(),
                        b.name()
                    ));
                }
            }
        }
        Ok(Labeler {
            rule: StanceRule::for_labels(&model.labels),
            model,
            actors: matchers,
            needles: actors.iter().map(needles).collect(),
            options,
            source: None,
            // With one actor its role aliases are the user's own choice; with a list, a role
            // such as "el presidente" may be anyone's.
            proper: if actors.len() > 1 {
                actors.iter().map(proper_names).collect()
            } else {
                Vec::new()
            },
            warnings,
        })
    }

    /// Reads every statement as how `source` stands toward each actor: a statement the source
    /// holds no stance in (`none`) is listed but does not count in the article's verdict, and
    /// an actor that is the source itself is skipped (with a warning, returned). The model must
    /// be source-aware.
    pub fn with_source(mut self, source: &ActorSpec) -> Result<(Self, Option<String>)> {
        source_aware(self.model, source)?;
        let m = ActorMatcher::new(&source.name, &source.aliases);
        if !m.is_usable() {
            return Err(Error::usage(format!(
                "source '{}' has no word (a letter or digit) to look for",
                source.name
            )));
        }
        let before = self.actors.len();
        let keep: Vec<bool> = self.actors.iter().map(|a| !a.shares_a_name_with(&m)).collect();
        let mut flags = keep.iter();
        self.actors.retain(|_| flags.next().copied().unwrap_or(true));
        let mut flags = keep.iter();
        self.needles.retain(|_| flags.next().copied().unwrap_or(true));
        let mut flags = keep.iter();
        self.proper.retain(|_| flags.next().copied().unwrap_or(true));
        if self.actors.is_empty() {
            return Err(Error::usage(format!(
                "the source '{}' is the only actor: give another --actor to ask how it stands toward",
                source.name
            )));
        }
        let warning = (self.actors.len() < before)
            .then(|| format!("the source '{}' is also an actor: skipped as a target", source.name));
        self.source = Some(m);
        Ok((self, warning))
    }

    /// Warnings about the actor list (aliases shared by two actors), each once.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The source whose stance is read, if any.
    pub fn source(&self) -> Option<&ActorMatcher> {
        self.source.as_ref()
    }

    /// The model.
    pub fn model(&self) -> &Model {
        self.model
    }

    /// The actors' matchers, in the order of the actor list.
    pub fn actors(&self) -> &[ActorMatcher] {
        &self.actors
    }

    /// Labels one article (sequentially, with the caller's extractor).
    pub fn label_article(&self, article: Article, ex: &Extractor) -> LabeledArticle {
        let spans = split_sentences(&article.text);
        let mut sentences = Vec::new();
        // An actor with generic role aliases that the article never names properly is matched
        // by its proper names alone here: "el presidente" is someone else's title.
        let mut article_keys: Option<Vec<String>> = None;
        let matchers: Vec<&ActorMatcher> = self
            .actors
            .iter()
            .enumerate()
            .map(|(a, all)| match self.proper.get(a) {
                Some(Some(p))
                    if !p.occurs_in_keys(article_keys.get_or_insert_with(|| {
                        tokenize(&fold_key(&article.text))
                            .into_iter()
                            .map(|t| fold_key(&t.text))
                            .collect()
                    })) =>
                {
                    p
                }
                _ => all,
            })
            .collect();
        for (index, span) in spans.iter().enumerate() {
            let Some(text) = article.text.get(span.start..span.end) else {
                continue;
            };
            let folded = fold_key(text);
            // Tokenized only if some actor may be mentioned; then once for all of them.
            let mut tokens: Option<Vec<Token>> = None;
            for (a, &matcher) in matchers.iter().enumerate() {
                let possible = match self.needles.get(a) {
                    Some(Some(needles)) => needles.iter().any(|n| folded.contains(n.as_str())),
                    _ => true,
                };
                let mentioned = possible && !matcher.find(tokens.get_or_insert_with(|| tokenize(&folded))).is_empty();
                if !mentioned && !self.options.all_sentences {
                    continue;
                }
                let st = Statement::new(text, Some(matcher)).with_source(self.source.as_ref());
                let (prediction, explanation) = match self.options.explain {
                    Some(n) => {
                        let (p, e) = self.model.explain_with(&st, ex, n);
                        (p, Some(e))
                    }
                    None => (self.model.predict_with(&st, ex), None),
                };
                let top = prediction.probs.get(prediction.label).copied().unwrap_or(0.0);
                sentences.push(SentenceLabel {
                    index,
                    start: span.start,
                    end: span.end,
                    actor: a,
                    mentioned,
                    uncertain: self.options.min_confidence.is_some_and(|m| top < m),
                    prediction,
                    explanation,
                });
            }
        }
        let summaries = self.summarize(&sentences);
        LabeledArticle {
            article,
            n_sentences: spans.len(),
            sentences,
            summaries,
        }
    }

    /// One summary per actor mentioned in the article, from the sentences that mention it
    /// (with `all_sentences`, the others are reported but do not count), evidence mapped to
    /// sentence positions.
    fn summarize(&self, sentences: &[SentenceLabel]) -> Vec<ArticleSummary> {
        let k = self.model.n_labels();
        let mut out = Vec::new();
        for a in 0..self.actors.len() {
            // Only the sentences that mention the actor vote (with all_sentences the others are
            // shown), and a statement the source holds no stance in does not count either.
            let none = self.model.label_index(crate::model::NONE_LABEL);
            let toward: Vec<(usize, &SentenceLabel)> = sentences
                .iter()
                .enumerate()
                .filter(|(_, s)| s.actor == a && s.mentioned && Some(s.prediction.label) != none)
                .collect();
            let preds: Vec<&Prediction> = toward.iter().map(|(_, s)| &s.prediction).collect();
            let Some(mut summary) = aggregate::summarize(k, &preds, &self.rule) else {
                continue;
            };
            if self.options.min_confidence.is_some_and(|m| summary.confidence < m) {
                summary.stance = Stance::Uncertain;
            }
            for e in summary.evidence.iter_mut() {
                *e = e.and_then(|pos| toward.get(pos).map(|(i, _)| *i));
            }
            let mentions = toward.iter().filter(|(_, s)| s.mentioned).count();
            out.push(ArticleSummary {
                actor: a,
                mentions,
                summary,
            });
        }
        out
    }

    /// Labels a batch in parallel over articles; outcomes keep the input order.
    pub fn label_batch(&self, batch: Vec<ArticleItem>) -> Vec<Outcome> {
        batch
            .into_par_iter()
            .map_init(
                || self.model.featurizer.extractor(),
                |ex, item| match item {
                    Ok(article) => Outcome::Labeled(self.label_article(article, ex)),
                    Err(problem) => Outcome::Problem(problem),
                },
            )
            .collect()
    }

    /// Labels a stream of articles in bounded batches and hands each batch, in input order, to
    /// `sink` (which writes it). Stops at the first error `sink` returns.
    pub fn run<I, F>(&self, items: I, limits: BatchLimits, mut sink: F) -> Result<RunStats>
    where
        I: IntoIterator<Item = ArticleItem>,
        F: FnMut(&[Outcome], &RunStats) -> Result<()>,
    {
        let mut stats = RunStats::default();
        let mut batch: Vec<ArticleItem> = Vec::new();
        let mut bytes = 0usize;
        let mut items = items.into_iter();
        loop {
            let next = items.next();
            let end = next.is_none();
            if let Some(item) = next {
                bytes += item.as_ref().map_or(0, |a| a.text.len());
                batch.push(item);
            }
            let full = batch.len() >= limits.articles.max(1) || bytes >= limits.bytes;
            if (full || end) && !batch.is_empty() {
                let outcomes = self.label_batch(std::mem::take(&mut batch));
                bytes = 0;
                for o in &outcomes {
                    match o {
                        Outcome::Labeled(l) => {
                            stats.read += 1;
                            stats.sentences += l.n_sentences as u64;
                            stats.labeled += l.sentences.len() as u64;
                        }
                        Outcome::Problem(p) if p.kind == ProblemKind::Skipped => stats.skipped += 1,
                        Outcome::Problem(_) => stats.failed += 1,
                    }
                }
                sink(&outcomes, &stats)?;
            }
            if end {
                return Ok(stats);
            }
        }
    }
}

/// Articles each labeled as read by its own source (see [`label_by_source`]).
pub struct SourcedOutcomes {
    /// Per article, in input order: its outcome and the names of the actors its labeler read
    /// toward (an actor that is the article's source is not its target), which a
    /// [`LabelWriter`] for it needs.
    pub outcomes: Vec<(Outcome, Rc<Vec<String>>)>,
    /// The labelers' warnings (a source that is also an actor, an alias two actors share),
    /// each once.
    pub warnings: Vec<String>,
}

/// Labels articles that each have their own source (or none: the statements' own stance), as
/// `postura label --source` labels all of them with one ([`Labeler::with_source`] says what a
/// source does), in one parallel pass over all the articles, each with its source's labeler
/// (one per distinct source, found by hashing, so thousands of sources cost no more than one
/// pass).
///
/// What is wrong for every article is the call's error: the actor list or options
/// ([`Labeler::new`]), or a model trained without sources when any article has one. A source
/// that is wrong on its own (no word to look for, or the only actor) fails only its articles:
/// each becomes an [`Outcome::Problem`] of kind [`ProblemKind::Failed`] whose error names the
/// article, as the command line reports an article it could not label, and the others are
/// labeled.
pub fn label_by_source(
    model: &Model,
    actors: &[ActorSpec],
    options: LabelOptions,
    articles: Vec<(Article, Option<ActorSpec>)>,
) -> Result<SourcedOutcomes> {
    use std::collections::HashMap;
    let base = Labeler::new(model, actors, options)?;
    if let Some(source) = articles.iter().find_map(|(_, s)| s.as_ref()) {
        source_aware(model, source)?;
    }
    // The distinct sources, in order of first appearance, and each article's.
    let mut index: HashMap<Option<(&str, &[String])>, usize> = HashMap::new();
    let mut sources: Vec<Option<&ActorSpec>> = Vec::new();
    let mut group_of: Vec<usize> = Vec::with_capacity(articles.len());
    for (_, source) in &articles {
        let key = source.as_ref().map(|s| (s.name.as_str(), s.aliases.as_slice()));
        let g = *index.entry(key).or_insert_with(|| {
            sources.push(source.as_ref());
            sources.len() - 1
        });
        group_of.push(g);
    }
    // One labeler per distinct source, or why the source cannot be read.
    let mut warnings: Vec<String> = base.warnings().to_vec();
    let mut labelers: Vec<std::result::Result<Labeler, String>> = Vec::with_capacity(sources.len());
    let mut names: Vec<Rc<Vec<String>>> = Vec::with_capacity(sources.len());
    let base_names = Rc::new(base.actors().iter().map(|a| a.name().to_string()).collect::<Vec<_>>());
    for source in &sources {
        let labeler = match source {
            None => Ok(base.clone()),
            Some(source) => base.clone().with_source(source).map(|(l, warning)| {
                if let Some(w) = warning
                    && !warnings.contains(&w)
                {
                    warnings.push(w);
                }
                l
            }),
        };
        match labeler {
            Ok(l) => {
                names.push(if l.actors().len() == base.actors().len() {
                    Rc::clone(&base_names)
                } else {
                    Rc::new(l.actors().iter().map(|a| a.name().to_string()).collect())
                });
                labelers.push(Ok(l));
            }
            Err(e) => {
                names.push(Rc::clone(&base_names));
                labelers.push(Err(e.to_string()));
            }
        }
    }
    drop(index);
    let work: Vec<(Article, usize)> = articles.into_iter().map(|(a, _)| a).zip(group_of).collect();
    let outcomes: Vec<(Outcome, usize)> = work
        .into_par_iter()
        .map_init(
            || model.featurizer.extractor(),
            |ex, (article, g)| {
                let outcome = match labelers.get(g) {
                    Some(Ok(l)) => Outcome::Labeled(l.label_article(article, ex)),
                    Some(Err(why)) => Outcome::Problem(Problem {
                        kind: ProblemKind::Failed,
                        error: Error::usage(format!("article '{}': {why}", article.id)),
                    }),
                    None => Outcome::Problem(Problem {
                        kind: ProblemKind::Failed,
                        error: Error::Internal(format!("article '{}': no labeler for its source", article.id)),
                    }),
                };
                (outcome, g)
            },
        )
        .collect();
    Ok(SourcedOutcomes {
        outcomes: outcomes
            .into_iter()
            .map(|(o, g)| (o, names.get(g).map_or_else(|| Rc::clone(&base_names), Rc::clone)))
            .collect(),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TrainParams;

    /// A tiny model trained on a few invented statements.
    fn tiny_model() -> Model {
        let rows = [
            ("_ apoya con entusiasmo el plan", "supportive"),
            ("respaldo total a _ en la campaña", "supportive"),
            ("_ recibió elogios y aplausos", "supportive"),
            ("se alejan de _ tras el escándalo", "distancing"),
            ("critican duramente a _", "distancing"),
            ("rechazo rotundo a las ideas de _", "distancing"),
            ("_ viajó el martes a la capital", "neutral"),
            ("_ dará una conferencia mañana", "neutral"),
            ("la agenda de _ incluye dos reuniones", "neutral"),
        ];
        let matcher = ActorMatcher::new("Ana Ruiz", &["Ruiz"]);
        let texts: Vec<String> = rows.iter().map(|(t, _)| t.replace('_', "Ana Ruiz")).collect();
        let sts: Vec<Statement> = texts.iter().map(|t| Statement::new(t, Some(&matcher))).collect();
        let labels: Vec<&str> = rows.iter().map(|r| r.1).collect();
        let mut params = TrainParams::default();
        params.features.min_df = 1;
        let info = crate::model::DataInfo {
            path: "memory".into(),
            sha256: String::new(),
            rows: rows.len(),
            rows_per_label: Vec::new(),
            columns: Default::default(),
            label_map: Default::default(),
            aliases: Vec::new(),
            constant_actor: None,
        };
        params.check().unwrap().fit(&sts, &labels, info).unwrap()
    }

    fn spec(name: &str, aliases: &[&str]) -> ActorSpec {
        ActorSpec {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn article(id: &str, text: &str) -> ArticleItem {
        Ok(Article::new(id, text))
    }

    #[test]
    fn only_mentioning_sentences_are_classified_with_their_offsets() {
        let model = tiny_model();
        let actors = vec![spec("Ana Ruiz", &["Ruiz"]), spec("Pedro Gil", &[])];
        let labeler = Labeler::new(&model, &actors, LabelOptions::default()).unwrap();
        let text = "Llueve en la costa. Critican duramente a RUIZ. Pedro Gil viajó el martes. Nada más.";
        let ex = model.featurizer.extractor();
        let Ok(a) = article("a", text) else { unreachable!() };
        let l = labeler.label_article(a, &ex);
        let got: Vec<(usize, usize, &str)> = l.sentences.iter().map(|s| (s.index, s.actor, l.text_of(s))).collect();
        assert_eq!(
            got,
            vec![
                (1, 0, "Critican duramente a RUIZ."),
                (2, 1, "Pedro Gil viajó el martes.")
            ]
        );
        assert_eq!(l.summaries.len(), 2);
        assert_eq!(l.summaries[0].mentions, 1);
        assert_eq!(l.summaries[0].summary.evidence.iter().flatten().count(), 1);

        let all = Labeler::new(
            &model,
            &[spec("Ana Ruiz", &["Ruiz"])],
            LabelOptions {
                all_sentences: true,
                ..LabelOptions::default()
            },
        )
        .unwrap();
        let Ok(a) = article("a", text) else { unreachable!() };
        let l = all.label_article(a, &ex);
        assert_eq!(l.sentences.len(), 4);
        assert_eq!(l.sentences.iter().filter(|s| s.mentioned).count(), 1);
        assert_eq!(l.summaries[0].mentions, 1);
        // Only the mentioning sentence counts in the verdict.
        assert_eq!(l.summaries[0].summary.sentences, 1);
        assert_eq!(l.summaries[0].summary.evidence.iter().flatten().count(), 1);
    }

    #[test]
    fn batches_keep_input_order_and_count() {
        let model = tiny_model();
        let labeler = Labeler::new(&model, &[spec("Ana Ruiz", &["Ruiz"])], LabelOptions::default()).unwrap();
        let items: Vec<ArticleItem> = (0..25)
            .map(|i| article(&format!("a{i}"), &format!("Ruiz habló {i} veces. Otra frase.")))
            .collect();
        let mut seen = Vec::new();
        let mut batches = 0;
        let stats = labeler
            .run(
                items,
                BatchLimits {
                    articles: 4,
                    bytes: 1 << 20,
                },
                |outcomes, _| {
                    batches += 1;
                    for o in outcomes {
                        if let Outcome::Labeled(l) = o {
                            seen.push(l.article.id.clone());
                        }
                    }
                    Ok(())
                },
            )
            .unwrap();
        assert_eq!(batches, 7);
        assert_eq!(seen, (0..25).map(|i| format!("a{i}")).collect::<Vec<_>>());
        assert_eq!(stats.read, 25);
        assert_eq!(stats.sentences, 50);
        assert_eq!(stats.labeled, 25);
    }

    #[test]
    fn the_prefilter_never_hides_a_mention() {
        let n = needles(&spec(
            "José Antonio Kast",
            &["Kast", "@JoseAntonioKast", "el Sr. Kast", "Sr. Kast"],
        ))
        .unwrap();
        assert_eq!(n, vec!["@joseantoniokast", "el", "jose", "kast", "sr"]);
        // A name that starts with a number cannot be prefiltered: numbers become placeholders.
        assert_eq!(needles(&spec("Kast", &["2024 Kast"])), None);
        let model = tiny_model();
        let actors = [spec("Ana Ruiz", &["Ruiz", "@anaruiz"]), spec("Lista 7", &[])];
        let labeler = Labeler::new(&model, &actors, LabelOptions::default()).unwrap();
        let ex = model.featurizer.extractor();
        let text = "ANA RUÍZ habló. Hola @AnaRuiz. Votaré a la lista 7. Los ruizeños no. Fin.";
        let Ok(a) = article("a", text) else { unreachable!() };
        let l = labeler.label_article(a, &ex);
        let got: Vec<(usize, usize)> = l.sentences.iter().map(|s| (s.index, s.actor)).collect();
        assert_eq!(got, vec![(0, 0), (1, 0), (2, 1)]);
    }

    #[test]
    fn unusable_actors_are_refused() {
        let model = tiny_model();
        assert!(Labeler::new(&model, &[], LabelOptions::default()).is_err());
        assert!(Labeler::new(&model, &[spec("...", &[])], LabelOptions::default()).is_err());
    }

    #[test]
    fn each_article_is_read_as_its_own_source() {
        let model = crate::default_model().expect("embedded model");
        let actors = [spec("Kast", &[]), spec("Boric", &[])];
        let text = "Boric dijo que Kast es un peligro para el país. Kast viajó a Temuco.";
        let sentences = |o: &Outcome| match o {
            Outcome::Labeled(l) => l
                .sentences
                .iter()
                .map(|s| (s.index, s.actor, s.prediction.label))
                .collect::<Vec<_>>(),
            Outcome::Problem(_) => Vec::new(),
        };
        let articles = vec![
            (Article::new("a", text), Some(spec("Boric", &[]))),
            (Article::new("b", text), None),
            (Article::new("c", text), Some(spec("Boric", &[]))),
        ];
        let got = label_by_source(&model, &actors, LabelOptions::default(), articles).expect("labels");
        assert_eq!(got.outcomes.len(), 3);
        assert_eq!(
            got.warnings,
            vec!["the source 'Boric' is also an actor: skipped as a target".to_string()]
        );
        // As one labeler with that source, or none, labels each alone.
        let plain = Labeler::new(&model, &actors, LabelOptions::default()).expect("labeler");
        let (boric, _) = Labeler::new(&model, &actors, LabelOptions::default())
            .and_then(|l| l.with_source(&spec("Boric", &[])))
            .expect("source-aware");
        let alone = |l: &Labeler, id: &str| l.label_batch(vec![Ok(Article::new(id, text))]);
        let expected = [alone(&boric, "a"), alone(&plain, "b"), alone(&boric, "c")];
        for ((outcome, names), want) in got.outcomes.iter().zip(&expected) {
            assert_eq!(sentences(outcome), want.iter().flat_map(sentences).collect::<Vec<_>>());
            assert!(!sentences(outcome).is_empty());
            let Outcome::Labeled(l) = outcome else { unreachable!() };
            let want_names: &[&str] = if l.article.id == "b" {
                &["Kast", "Boric"]
            } else {
                &["Kast"]
            };
            assert_eq!(names.as_slice(), want_names);
        }
    }

    #[test]
    fn a_bad_source_fails_only_its_articles() {
        let model = crate::default_model().expect("embedded model");
        let actors = [spec("Kast", &[])];
        let text = "Boric dijo que Kast es un peligro para el país. Kast viajó a Temuco.";
        let articles = vec![
            (Article::new("a", text), Some(spec("Boric", &[]))),
            // The only actor as the source, and a source with no word to look for.
            (Article::new("b", text), Some(spec("Kast", &[]))),
            (Article::new("c", text), None),
            (Article::new("d", text), Some(spec("...", &[]))),
            (Article::new("e", text), Some(spec("Kast", &[]))),
        ];
        let got = label_by_source(&model, &actors, LabelOptions::default(), articles).expect("labels");
        let seen: Vec<(String, bool)> = got
            .outcomes
            .iter()
            .map(|(o, _)| match o {
                Outcome::Labeled(l) => (l.article.id.clone(), !l.sentences.is_empty()),
                Outcome::Problem(p) => {
                    assert_eq!(p.kind, ProblemKind::Failed);
                    (p.error.to_string(), false)
                }
            })
            .collect();
        let only = "the source 'Kast' is the only actor: give another --actor to ask how it stands toward";
        assert_eq!(
            seen,
            vec![
                ("a".to_string(), true),
                (format!("article 'b': {only}"), false),
                ("c".to_string(), true),
                (
                    "article 'd': source '...' has no word (a letter or digit) to look for".to_string(),
                    false
                ),
                (format!("article 'e': {only}"), false),
            ]
        );
        // What is wrong for every article is still the call's error.
        let no_actor = vec![(Article::new("x", text), None)];
        assert!(label_by_source(&model, &[], LabelOptions::default(), no_actor).is_err());
        let without_sources = tiny_model();
        let sourced = vec![
            (Article::new("x", "Ana Ruiz habló."), None),
            (Article::new("y", "Ana Ruiz habló."), Some(spec("Pedro Gil", &[]))),
        ];
        let e = label_by_source(
            &without_sources,
            &[spec("Ana Ruiz", &[])],
            LabelOptions::default(),
            sourced,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(e.contains("trained without sources"), "{e}");
    }

    #[test]
    fn thousands_of_sources_label_as_each_alone() {
        let model = crate::default_model().expect("embedded model");
        let actors = [spec("Kast", &[])];
        let text = "El vocero dijo que Kast es un peligro. Kast viajó a Temuco.";
        let n = 3000;
        let source = |i: usize| spec(&format!("Vocero{i}"), &[]);
        let articles: Vec<(Article, Option<ActorSpec>)> = (0..n)
            .map(|i| (Article::new(format!("a{i}"), text), Some(source(i % 1500))))
            .collect();
        let got = label_by_source(&model, &actors, LabelOptions::default(), articles).expect("labels");
        assert_eq!(got.outcomes.len(), n);
        for (i, (o, names)) in got.outcomes.iter().enumerate().step_by(499) {
            let Outcome::Labeled(l) = o else {
                panic!("article {i} not labeled")
            };
            assert_eq!(l.article.id, format!("a{i}"));
            assert_eq!(names.as_slice(), ["Kast".to_string()]);
            let (alone, _) = Labeler::new(&model, &actors, LabelOptions::default())
                .and_then(|l| l.with_source(&source(i % 1500)))
                .expect("source-aware");
            let ex = model.featurizer.extractor();
            let want = alone.label_article(Article::new(format!("a{i}"), text), &ex);
            assert_eq!(l, &want);
        }
    }
}
