//! Flags shared by several commands: table columns, training settings, model choice.

use clap::Args;
use postura::data::{Columns, LabelMap, LoadOptions};
use postura::features::parse_range;
use postura::model::{ClassWeight, DataInfo, SolverKind, TrainOverrides};
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

    /// Every --actor and --alias must have a word to look for (see [`postura::Target::check`]):
    /// an empty or blank name matches nothing, and punctuation alone would match every mark.
    pub fn check_actor(&self) -> Result<()> {
        for a in &self.actor {
            postura::Target::new(a.as_str())
                .aliases(self.alias.iter().cloned())
                .check()?;
        }
        if self.actor.is_empty() {
            postura::Target::none().aliases(self.alias.iter().cloned()).check()?;
        }
        Ok(())
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

/// The flags the default model was trained with (`models/build.sh` reads the same file); the
/// `default` preset is the embedded model's own settings, which a test holds equal to these.
#[cfg(test)]
const DEFAULT_MODEL_FLAGS: &str = include_str!("../../models/default.flags");

/// Parses a preset's flags as if given on the command line.
#[cfg(test)]
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
    pub preset: Option<postura::model::Preset>,
    /// Inverse regularization strength (larger fits the training data more closely) [default: 10
    /// with the logistic loss, 0.3 with the hinge loss]
    #[arg(long, value_name = "C", conflicts_with = "alpha")]
    pub c: Option<f64>,
    /// L2 penalty on the summed loss, alpha = 1/C (linfa's convention)
    #[arg(long, value_name = "ALPHA")]
    pub alpha: Option<f64>,
    /// Training loss: logistic (multinomial) or hinge (squared, one-vs-rest, as LinearSVC;
    /// probabilities from its margins at a fixed temperature; often a little more accurate).
    /// Without --c or --alpha, a loss other than the preset's brings its own default C; the
    /// preset's own loss keeps the preset's C [default: logistic]
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
    /// Do not mark the scope of negators (no, nunca, sin, descartó, …) and of concessive clauses
    /// (aunque, pese a, …)
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

impl TrainOpts {
    /// The training parameters these flags describe, checked.
    pub fn params(&self) -> Result<postura::model::ValidTrainParams> {
        self.overrides()?.params()
    }

    /// The library's settings these flags give (reading the `--actors` file); `None` for a
    /// flag not given.
    pub fn overrides(&self) -> Result<TrainOverrides> {
        // A flag and its negation override each other (clap keeps the last): one is set.
        let switch = |on: bool, off: bool| match (on, off) {
            (_, true) => Some(false),
            (true, false) => Some(true),
            (false, false) => None,
        };
        let word_ngrams = self.word_ngrams.as_deref();
        let char_ngrams = self.char_ngrams.as_deref();
        Ok(TrainOverrides {
            preset: self.preset,
            c: self.c,
            alpha: self.alpha,
            loss: self.loss,
            class_weight: self.class_weight,
            solver: self.solver,
            max_iter: self.max_iter,
            word_ngrams: word_ngrams.map(|r| parse_range("--word-ngrams", r)).transpose()?,
            char_ngrams: char_ngrams.map(|r| parse_range("--char-ngrams", r)).transpose()?,
            stem: switch(self.stem, self.no_stem),
            window: self.window,
            min_df: self.min_df,
            char_min_df: self.char_min_df,
            max_features: self.max_features,
            char_chunks: switch(self.char_chunks, self.char_words),
            keep_accents: self.keep_accents.then_some(true),
            negation: self.no_negation.then_some(false),
            sublinear_tf: self.no_sublinear_tf.then_some(false),
            nb_scale: switch(self.nb_scale, self.no_nb_scale),
            actor_pairs: self.no_actor_pairs.then_some(false),
            roles: self.no_roles.then_some(false),
            caps_others: self.caps_others.then_some(true),
            known_actors: self
                .actors
                .as_deref()
                .map(postura::data::articles::load_actor_list)
                .transpose()?,
        })
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
    use postura::model::Preset;

    #[test]
    fn the_default_preset_trains_like_the_default_model() {
        let opts = TrainOpts {
            preset: Some(Preset::Default),
            ..TrainOpts::default()
        };
        let model = postura::default_model().expect("embedded model");
        assert_eq!(opts.params().expect("valid").params(), model.card().params());
        // models/default.flags, which models/build.sh trains with, says the same.
        use clap::Parser;
        let flags = PresetFlags::try_parse_from(DEFAULT_MODEL_FLAGS.split_whitespace()).expect("flags parse");
        assert_eq!(flags.opts.params().expect("valid").params(), model.card().params());
        // Flags given alongside override the preset.
        let opts = TrainOpts {
            preset: Some(Preset::Default),
            no_stem: true,
            ..TrainOpts::default()
        };
        assert!(!opts.params().expect("valid").params().features.stem);
    }

    #[test]
    fn flags_fill_the_librarys_overrides() {
        use clap::Parser;
        let parse = |args: &str| {
            PresetFlags::try_parse_from(args.split_whitespace())
                .expect("flags parse")
                .opts
                .overrides()
                .expect("valid")
        };
        assert_eq!(parse(""), TrainOverrides::default());
        let o = parse("--no-roles --caps-others --stem --no-stem --char-words --word-ngrams 1-3 --no-negation");
        assert_eq!(o.roles, Some(false));
        assert_eq!(o.caps_others, Some(true));
        assert_eq!(o.stem, Some(false));
        assert_eq!(o.char_chunks, Some(false));
        assert_eq!(o.word_ngrams, Some((1, 3)));
        assert_eq!(o.negation, Some(false));
        assert_eq!(o.nb_scale, None);
    }
}
