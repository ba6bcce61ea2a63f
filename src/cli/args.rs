//! Flags shared by several commands: table columns, training settings, model choice.

use clap::Args;
use postura::data::{Columns, LabelMap, LoadOptions};
use postura::features::FeatureConfig;
use postura::model::{ClassWeight, DataInfo, SolverKind, TrainParams};
use postura::text::TextConfig;
use postura::{Error, Model, Result};
use std::path::{Path, PathBuf};

/// How to read a CSV/TSV table.
#[derive(Args, Debug, Clone, Default)]
pub struct TableArgs {
    /// Column with the statement text [default: text; eval and predict: the model's]
    #[arg(long, value_name = "NAME")]
    pub text_col: Option<String>,
    /// Column with the target actor of each row (optional in the file) [default: actor; eval
    /// and predict: the model's]
    #[arg(long, value_name = "NAME")]
    pub actor_col: Option<String>,
    /// Column with the source of each row: the actor whose stance toward the row's target the
    /// row gives (optional in the file; an empty cell means the statement's own stance)
    /// [default: source; eval and predict: the model's]
    #[arg(long, value_name = "NAME")]
    pub source_col: Option<String>,
    /// Field delimiter: a character, or "tab" [default: tab for .tsv, comma otherwise]
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// One target actor for every row (overrides the actor column); predict takes several
    /// (one prediction per statement and actor)
    #[arg(long, value_name = "NAME")]
    pub actor: Vec<String>,
    /// Another name of the actor (surname, @handle, party…); repeatable
    #[arg(long, value_name = "NAME")]
    pub alias: Vec<String>,
    /// Ask how this actor (the source) stands toward the target in each statement, instead of
    /// how the statement stands toward the target. A source-aware model answers supportive,
    /// neutral or distancing when the source holds a stance toward the target there, and
    /// `none` when it holds none (it is only mentioned, it is the one spoken about, or someone
    /// else speaks); a statement that does not name the source is `none` without reading it.
    /// Overrides the source column
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// Replace invalid UTF-8 with U+FFFD instead of stopping at it
    #[arg(long)]
    pub lossy: bool,
    /// Treat warnings (empty texts, duplicate rows, an unread target-like column; in cv, a
    /// label missing from a fold's training rows) as errors
    #[arg(long)]
    pub strict: bool,
}

/// How to read the label column, for the commands that read labels (train, eval, cv).
#[derive(Args, Debug, Clone, Default)]
pub struct LabelArgs {
    /// Column with the label [default: label; eval: the model's]
    #[arg(long, value_name = "NAME")]
    pub label_col: Option<String>,
    /// Map the file's labels onto the model's, e.g. POS=supportive,NEU=neutral,NEG=distancing
    /// [default: none; eval: the map the model was trained with, if any]
    #[arg(long, value_name = "MAP")]
    pub label_map: Option<String>,
}

impl TableArgs {
    /// The one --actor of train, eval and cv (predict takes several).
    pub fn single_actor(&self) -> Result<Option<&String>> {
        match self.actor.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            _ => Err(Error::usage(
                "one --actor per file: several actors go in an actor column (--actor-col); predict takes several",
            )),
        }
    }

    pub fn delimiter(&self) -> Result<Option<u8>> {
        match self.delimiter.as_deref() {
            None => Ok(None),
            Some("tab" | "\\t" | "\t") => Ok(Some(b'\t')),
            Some("\"" | "\n" | "\r") => Err(Error::usage(
                "--delimiter cannot be a quote mark or a line break: those frame the fields",
            )),
            Some(s) if s.len() == 1 && s.is_ascii() => Ok(s.bytes().next()),
            Some(s) => Err(Error::usage(format!(
                "--delimiter must be one ASCII character or 'tab' (got '{s}')"
            ))),
        }
    }

    /// An --actor must have a word to look for (an empty or blank name would match nothing).
    pub fn check_actor(&self) -> Result<()> {
        match self
            .actor
            .iter()
            .find(|a| !postura::text::ActorMatcher::new(a, &self.alias).is_usable())
        {
            Some(a) => Err(Error::usage(format!(
                "actor '{a}' has no word in its name or aliases to look for"
            ))),
            None => Ok(()),
        }
    }

    /// Load options, falling back to what a model recorded about its training data; the label
    /// column is read when `labels` are given. Only one --actor (see [`Self::single_actor`]).
    pub fn load_options(&self, recorded: Option<&DataInfo>, labels: Option<&LabelArgs>) -> Result<LoadOptions> {
        self.check_actor()?;
        let actor = self.single_actor()?;
        let base = recorded.map(|d| d.columns.clone()).unwrap_or_default();
        let label_col = labels.and_then(|l| l.label_col.clone());
        let columns = Columns {
            text: self.text_col.clone().unwrap_or(base.text),
            actor: self.actor_col.clone().unwrap_or(base.actor),
            label: label_col.unwrap_or(base.label),
            group: None,
            source: self.source_col.clone().unwrap_or(base.source),
        };
        let label_map = match labels.and_then(|l| l.label_map.as_deref()) {
            Some(s) => LabelMap::parse(s)?,
            None => recorded.map(|d| d.label_map.clone()).unwrap_or_default(),
        };
        let label_required = labels.is_some();
        Ok(LoadOptions {
            delimiter: self.delimiter()?,
            columns,
            actor_required: self.actor_col.is_some(),
            constant_actor: actor.cloned().or_else(|| {
                if self.actor_col.is_none() {
                    recorded.and_then(|d| d.constant_actor.clone())
                } else {
                    None
                }
            }),
            source_required: self.source_col.is_some(),
            constant_source: self.source.clone(),
            label_required,
            label_map,
            lossy: self.lossy,
            id_column: None,
        })
    }

    /// Reports a table's warnings on one line; with `--strict` they are an error instead.
    pub fn check_warnings(&self, table: &postura::data::Table) -> Result<()> {
        if self.strict
            && let Some(counts) = table.warning_counts()
        {
            return Err(Error::input(&table.path, None, format!("--strict: {counts}")));
        }
        if let Some(w) = table.warning_summary() {
            eprintln!("warning: {w}");
        }
        Ok(())
    }

    /// Like [`Self::check_warnings`], but each row skipped for an empty text gets a warning of
    /// its own naming file and line, for outputs that are lined up with the input rows.
    pub fn check_warnings_per_row(&self, table: &postura::data::Table) -> Result<()> {
        if self.strict
            && let Some(counts) = table.warning_counts()
        {
            return Err(Error::input(&table.path, None, format!("--strict: {counts}")));
        }
        for line in &table.skipped_empty {
            eprintln!(
                "warning: {}:{line}: empty text: row skipped, no prediction",
                table.path.display()
            );
        }
        if let Some(d) = table.duplicate_counts() {
            eprintln!("warning: {}: {d}", table.path.display());
        }
        Ok(())
    }
}

/// Named sets of training settings that the flags given alongside override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    /// The settings of the embedded default model (models/default.flags)
    Default,
}

/// The flags the default model was trained with (`models/build.sh` reads the same file).
const DEFAULT_MODEL_FLAGS: &str = include_str!("../../models/default.flags");

/// Parses a preset's flags as if given on the command line.
#[derive(clap::Parser, Debug)]
#[command(no_binary_name = true)]
struct PresetFlags {
    #[command(flatten)]
    opts: TrainOpts,
}

/// Every training setting as a flag; defaults come from `TrainParams::default()`.
#[derive(Args, Debug, Clone, Default)]
pub struct TrainOpts {
    /// Start from a named set of settings; other training flags given override it
    /// ("default": train like the embedded default model: models/default.flags)
    #[arg(long, value_enum, value_name = "NAME")]
    pub preset: Option<Preset>,
    /// Inverse regularization strength (larger fits the training data more closely) [default: 10
    /// with the logistic loss, 0.3 with the hinge loss]
    #[arg(long, value_name = "C", conflicts_with = "alpha")]
    pub c: Option<f64>,
    /// L2 penalty on the summed loss, alpha = 1/C (linfa's convention)
    #[arg(long, value_name = "ALPHA")]
    pub alpha: Option<f64>,
    /// Training loss: logistic (multinomial) or hinge (squared, one-vs-rest, as LinearSVC;
    /// probabilities from its margins at a fixed temperature; often a little more accurate)
    /// [default: logistic]
    #[arg(long, value_enum)]
    pub loss: Option<postura::model::Loss>,
    /// Weight rows so each label counts the same (balanced), or every row the same (none) [default: balanced]
    #[arg(long, value_enum)]
    pub class_weight: Option<ClassWeight>,
    /// Optimizer: sparse L-BFGS, or linfa-logistic on a dense matrix (small data only) [default: sparse]
    #[arg(long, value_enum)]
    pub solver: Option<SolverKind>,
    /// Maximum L-BFGS iterations [default: 100]
    #[arg(long, value_name = "N")]
    pub max_iter: Option<u64>,
    /// Word n-gram range MIN-MAX, or 0 for none [default: 1-2]
    #[arg(long, value_name = "RANGE")]
    pub word_ngrams: Option<String>,
    /// Character n-gram range inside words MIN-MAX, or 0 for none [default: 2-5]
    #[arg(long, value_name = "RANGE")]
    pub char_ngrams: Option<String>,
    /// Stem words with the Spanish Snowball stemmer [default: off; on in --preset default]
    #[arg(long, overrides_with = "no_stem")]
    pub stem: bool,
    /// Do not stem words
    #[arg(long)]
    pub no_stem: bool,
    /// Tokens on each side of an actor mention that yield target features (0 = off) [default: 5]
    #[arg(long, value_name = "N")]
    pub window: Option<u8>,
    /// Keep word and target features seen in at least N statements [default: 1]
    #[arg(long, value_name = "N")]
    pub min_df: Option<u32>,
    /// Keep character n-grams seen in at least N statements [default: 2]
    #[arg(long, value_name = "N")]
    pub char_min_df: Option<u32>,
    /// Keep at most N features, the most frequent (0 = all) [default: 0]
    #[arg(long, value_name = "N")]
    pub max_features: Option<u32>,
    /// Character n-grams of whitespace-separated chunks (punctuation, handles included) instead of words
    #[arg(long, overrides_with = "char_words")]
    pub char_chunks: bool,
    /// Character n-grams of word tokens only
    #[arg(long)]
    pub char_words: bool,
    /// Keep accents ("Fernández" and "Fernandez" stay different words)
    #[arg(long)]
    pub keep_accents: bool,
    /// Do not mark the scope of negators (no, nunca, sin, …)
    #[arg(long)]
    pub no_negation: bool,
    /// Raw term counts instead of 1 + ln(count)
    #[arg(long)]
    pub no_sublinear_tf: bool,
    /// Scale features by how unevenly they spread over the labels (NB-SVM log-count ratios)
    #[arg(long, overrides_with = "no_nb_scale")]
    pub nb_scale: bool,
    /// Do not scale features by label log-count ratios
    #[arg(long)]
    pub no_nb_scale: bool,
    /// No target-identity features: the target's name words alone and paired with each word
    /// ("t:=macri", "t:=macri&crisis")
    #[arg(long)]
    pub no_actor_pairs: bool,
    /// With a target, a run of capitalized words that is neither the target, the source nor a
    /// known actor (a name the actor list lacks) counts as another actor (`_other_`)
    #[arg(long)]
    pub caps_others: bool,
    /// No role features (the target's and source's role in the sentence, and the evaluative
    /// words of the project's lexicon that govern it)
    #[arg(long)]
    pub no_roles: bool,
    /// Known actors the model carries (CSV `actor,aliases`, aliases separated by `|`, as
    /// datasets/actors.csv): in every statement, a known actor that is neither the target nor
    /// the source becomes one placeholder `_other_`, so "X acusó a Kast" and "Kast acusó a X"
    /// read differently; names of the target's or source's own entry count as the target or
    /// the source [default: none]
    #[arg(long, value_name = "FILE")]
    pub actors: Option<std::path::PathBuf>,
}

/// The training flags of a preset.
fn preset_opts(preset: Preset) -> Result<TrainOpts> {
    let flags = match preset {
        Preset::Default => DEFAULT_MODEL_FLAGS,
    };
    use clap::Parser;
    PresetFlags::try_parse_from(flags.split_whitespace())
        .map(|p| p.opts)
        .map_err(|e| Error::Internal(format!("the preset's flags do not parse: {e}")))
}

impl TrainOpts {
    /// The training parameters these flags describe, checked.
    pub fn params(&self) -> Result<postura::model::ValidTrainParams> {
        let mut p = TrainParams::default();
        if let Some(preset) = self.preset {
            preset_opts(preset)?.apply(&mut p)?;
        }
        self.apply(&mut p)?;
        p.check()
    }

    /// Applies the flags that were given on top of `p`.
    pub fn apply(&self, p: &mut TrainParams) -> Result<()> {
        if let Some(c) = self.c {
            p.c = c;
        }
        if let Some(a) = self.alpha {
            if !(a.is_finite() && a > 0.0) {
                return Err(Error::usage(format!("--alpha must be a positive number (got {a})")));
            }
            p.c = 1.0 / a;
        }
        if let Some(l) = self.loss {
            // A loss without --c/--alpha gets that loss's default C.
            if self.c.is_none() && self.alpha.is_none() {
                p.c = l.default_c();
            }
            p.loss = l;
        }
        if let Some(w) = self.class_weight {
            p.class_weight = w;
        }
        if let Some(s) = self.solver {
            p.solver.kind = s;
        }
        if let Some(m) = self.max_iter {
            p.solver.max_iter = m;
        }
        let f: &mut FeatureConfig = &mut p.features;
        if let Some(r) = &self.word_ngrams {
            f.word_ngrams = postura::features::parse_range("--word-ngrams", r)?;
        }
        if let Some(r) = &self.char_ngrams {
            f.char_ngrams = postura::features::parse_range("--char-ngrams", r)?;
        }
        if self.stem {
            f.stem = true;
        }
        if self.no_stem {
            f.stem = false;
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
        if self.no_sublinear_tf {
            f.sublinear_tf = false;
        }
        if self.char_chunks {
            f.char_chunks = true;
        }
        if self.char_words {
            f.char_chunks = false;
        }
        if self.nb_scale {
            f.nb_scale = true;
        }
        if self.no_nb_scale {
            f.nb_scale = false;
        }
        if self.no_actor_pairs {
            f.actor_pairs = false;
        }
        if self.no_roles {
            f.roles = false;
        }
        if let Some(path) = &self.actors {
            f.known_actors = postura::data::articles::load_actor_list(path)?
                .into_iter()
                .map(|a| std::iter::once(a.name).chain(a.aliases).collect())
                .collect();
        }
        let t: &mut TextConfig = &mut p.text;
        if self.keep_accents {
            t.accent_fold = false;
        }
        if self.no_negation {
            t.negation = false;
        }
        if self.caps_others {
            t.caps_others = true;
        }
        Ok(())
    }
}

/// `--model PATH`, or the embedded default model.
pub fn load_model(path: Option<&Path>) -> Result<Model> {
    match path {
        Some(p) => Model::load(p),
        None => Model::default_model(),
    }
}

pub fn model_label(path: Option<&PathBuf>) -> String {
    path.map_or_else(|| "default (embedded)".to_string(), |p| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_preset_trains_like_the_default_model() {
        let opts = TrainOpts {
            preset: Some(Preset::Default),
            ..TrainOpts::default()
        };
        let model = postura::default_model().expect("embedded model");
        assert_eq!(opts.params().expect("valid").params(), model.card().params());
        // Flags given alongside override the preset.
        let opts = TrainOpts {
            preset: Some(Preset::Default),
            no_stem: true,
            ..TrainOpts::default()
        };
        assert!(!opts.params().expect("valid").params().features.stem);
    }
}
