//! Training settings given one by one over a base (the defaults or a preset): what the flags of
//! `postura train` / `postura cv` and the keyword arguments of Python's `postura.train` both
//! fill, applied and checked in one place.

use super::objective::Loss;
use super::solver::SolverKind;
use super::trainer::{ClassWeight, TrainParams, ValidTrainParams};
use crate::data::articles::ActorSpec;
use crate::error::{Error, Result};
use crate::text::ActorMatcher;

/// A setting that takes one of a few named values (`--loss hinge`, Python's `loss="hinge"`).
/// Each such setting has one table of names, which the command line's flags (with the `cli`
/// feature, as `clap::ValueEnum`) and Python's keyword arguments both read, so the spellings
/// cannot drift apart.
///
/// ```
/// use postura::model::{Loss, Named};
///
/// assert_eq!(Loss::from_name("Hinge")?, Loss::Hinge);
/// assert_eq!(Loss::Hinge.name(), "hinge");
/// let e = Loss::from_name("square").unwrap_err().to_string();
/// assert!(e.contains("[possible values: logistic, hinge]"));
/// # Ok::<(), postura::Error>(())
/// ```
pub trait Named: Sized + Copy + PartialEq + 'static {
    /// The flag that takes the setting, for messages.
    const FLAG: &'static str;
    /// Every value: its name, the value and a line of help (`--help`'s possible values).
    const ALL: &'static [(&'static str, Self, &'static str)];

    /// The value called `name` (case-insensitive, surrounding spaces ignored); an unknown name
    /// is a usage error that lists the names, as the command line's.
    fn from_name(name: &str) -> Result<Self> {
        Self::ALL
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|&(_, v, _)| v)
            .ok_or_else(|| {
                Error::usage(format!(
                    "invalid value '{name}' for {} [possible values: {}]",
                    Self::FLAG,
                    Self::names().join(", ")
                ))
            })
    }

    /// The value's name.
    fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, v, _)| *v == self).map_or("", |&(n, _, _)| n)
    }

    /// Every name, in the table's order.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|&(n, _, _)| n).collect()
    }
}

/// The clap side of [`Named`]: possible values (with their help) from the one table.
#[cfg(feature = "cli")]
macro_rules! value_enum_from_names {
    ($($t:ty),*) => {$(
        impl clap::ValueEnum for $t {
            fn value_variants<'a>() -> &'a [Self] {
                static VALUES: std::sync::OnceLock<Vec<$t>> = std::sync::OnceLock::new();
                VALUES.get_or_init(|| <$t as Named>::ALL.iter().map(|&(_, v, _)| v).collect())
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                <$t as Named>::ALL
                    .iter()
                    .find(|(_, v, _)| v == self)
                    .map(|&(n, _, help)| clap::builder::PossibleValue::new(n).help(help))
            }
        }
    )*};
}

#[cfg(feature = "cli")]
value_enum_from_names!(Preset, Loss, ClassWeight, SolverKind);

impl Named for Loss {
    const FLAG: &'static str = "--loss";
    const ALL: &'static [(&'static str, Self, &'static str)] = &[
        (
            "logistic",
            Loss::Logistic,
            "Multinomial logistic (softmax cross-entropy): the default, the model postura is",
        ),
        (
            "hinge",
            Loss::Hinge,
            "One-vs-rest squared hinge, as LinearSVC; probabilities are a softmax of the margins at \
             temperature 0.5 (on both real corpora a little more accurate on dev, better calibrated)",
        ),
    ];
}

impl Named for ClassWeight {
    const FLAG: &'static str = "--class-weight";
    const ALL: &'static [(&'static str, Self, &'static str)] = &[
        ("none", ClassWeight::None, "Every row counts the same"),
        (
            "balanced",
            ClassWeight::Balanced,
            "Rows are weighted by n / (labels × rows of their label), so rare labels count as much",
        ),
    ];
}

impl Named for SolverKind {
    const FLAG: &'static str = "--solver";
    const ALL: &'static [(&'static str, Self, &'static str)] = &[
        (
            "sparse",
            SolverKind::Sparse,
            "L-BFGS over sparse features (fast, scales to text)",
        ),
        (
            "linfa",
            SolverKind::Linfa,
            "linfa-logistic's MultinomialLogisticRegression on the dense matrix (reference; small \
             data only). It fits the unweighted logistic loss: use with --class-weight none",
        ),
    ];
}

/// Named sets of training settings that the settings given alongside override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// The settings of the embedded default model (models/default.flags)
    Default,
}

impl Named for Preset {
    const FLAG: &'static str = "--preset";
    const ALL: &'static [(&'static str, Self, &'static str)] = &[(
        "default",
        Preset::Default,
        "The settings of the embedded default model (models/default.flags)",
    )];
}

impl Preset {
    /// The preset's settings. `Default` is the embedded default model's own (its model card),
    /// so training with it reproduces the default model's settings wherever it runs; its known
    /// actors travel inside the model, no file is read.
    pub fn params(self) -> Result<TrainParams> {
        match self {
            Preset::Default => Ok(crate::default_model()?.card().params().clone()),
        }
    }
}

/// Training settings with nothing decided: each `None` (or empty) keeps the base's value. The
/// command line's training flags and Python's `train(**params)` fill one of these; the library
/// applies it. Field names follow the flags (`--no-roles` is `roles: Some(false)`).
///
/// ```
/// use postura::model::{Loss, TrainOverrides};
///
/// let settings = TrainOverrides {
///     loss: Some(Loss::Hinge),
///     word_ngrams: Some((1, 3)),
///     roles: Some(false),
///     ..TrainOverrides::default()
/// };
/// let params = settings.params()?;
/// // A loss that changes the base's, given without C, gets that loss's own default C.
/// assert_eq!(params.params().c, Loss::Hinge.default_c());
/// assert!(!params.params().features.roles);
/// # Ok::<(), postura::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrainOverrides {
    /// Start from a named set of settings instead of the defaults (`--preset`).
    pub preset: Option<Preset>,
    /// Inverse regularization strength (`--c`); not together with `alpha`.
    pub c: Option<f64>,
    /// L2 penalty on the summed loss, 1/C (`--alpha`); not together with `c`.
    pub alpha: Option<f64>,
    /// Training loss (`--loss`). Without `c` or `alpha`, a loss other than the base's (the
    /// preset's or the default's) brings its own default C; the base's own loss keeps the
    /// base's C.
    pub loss: Option<Loss>,
    /// Row weighting (`--class-weight`).
    pub class_weight: Option<ClassWeight>,
    /// Optimizer (`--solver`).
    pub solver: Option<SolverKind>,
    /// Maximum optimizer iterations (`--max-iter`).
    pub max_iter: Option<u64>,
    /// Word n-gram range (MIN, MAX), (0, 0) for none (`--word-ngrams`).
    pub word_ngrams: Option<(u8, u8)>,
    /// Character n-gram range (MIN, MAX), (0, 0) for none (`--char-ngrams`).
    pub char_ngrams: Option<(u8, u8)>,
    /// Spanish Snowball stemming (`--stem` / `--no-stem`).
    pub stem: Option<bool>,
    /// Tokens on each side of an actor mention that yield target features (`--window`).
    pub window: Option<u8>,
    /// Fewest statements a word or target feature must occur in (`--min-df`).
    pub min_df: Option<u32>,
    /// Fewest statements a character n-gram must occur in (`--char-min-df`).
    pub char_min_df: Option<u32>,
    /// Most features kept, the most frequent; 0 keeps all (`--max-features`).
    pub max_features: Option<u32>,
    /// Character n-grams of whitespace-separated chunks instead of words (`--char-chunks` /
    /// `--char-words`).
    pub char_chunks: Option<bool>,
    /// Keep accents instead of folding them (`--keep-accents`).
    pub keep_accents: Option<bool>,
    /// Mark the scope of negators (`--no-negation` is `Some(false)`).
    pub negation: Option<bool>,
    /// 1 + ln(count) instead of raw counts (`--no-sublinear-tf` is `Some(false)`).
    pub sublinear_tf: Option<bool>,
    /// NB-SVM log-count-ratio scaling (`--nb-scale` / `--no-nb-scale`).
    pub nb_scale: Option<bool>,
    /// Target-identity features (`--no-actor-pairs` is `Some(false)`).
    pub actor_pairs: Option<bool>,
    /// Role features (`--no-roles` is `Some(false)`).
    pub roles: Option<bool>,
    /// An unknown run of capitalized words counts as another actor (`--caps-others`).
    pub caps_others: Option<bool>,
    /// Known actors the model carries, each with its aliases (`--actors FILE`).
    pub known_actors: Option<Vec<ActorSpec>>,
}

impl TrainOverrides {
    /// The settings these overrides describe over the preset (or the defaults), checked.
    pub fn params(&self) -> Result<ValidTrainParams> {
        let mut p = match self.preset {
            Some(preset) => preset.params()?,
            None => TrainParams::default(),
        };
        self.apply(&mut p)?;
        p.check()
    }

    /// Applies the settings that were given on top of `p` (the preset is not applied here: see
    /// [`Self::params`]). Settings that make no sense on their own are an error, and `p` is
    /// left unchanged then.
    pub fn apply(&self, p: &mut TrainParams) -> Result<()> {
        self.validate()?;
        if let Some(c) = self.c {
            p.c = c;
        }
        if let Some(a) = self.alpha {
            p.c = 1.0 / a;
        }
        if let Some(l) = self.loss {
            // A loss that changes the base's, without C or alpha, gets that loss's default C;
            // the base's own loss keeps the base's C.
            if self.c.is_none() && self.alpha.is_none() && l != p.loss {
                p.c = l.default_c();
            }
            p.loss = l;
        }
        set(&mut p.class_weight, self.class_weight);
        set(&mut p.solver.kind, self.solver);
        set(&mut p.solver.max_iter, self.max_iter);
        let f = &mut p.features;
        set(&mut f.word_ngrams, self.word_ngrams);
        set(&mut f.char_ngrams, self.char_ngrams);
        set(&mut f.stem, self.stem);
        set(&mut f.window, self.window);
        set(&mut f.min_df, self.min_df);
        set(&mut f.char_min_df, self.char_min_df);
        set(&mut f.max_features, self.max_features);
        set(&mut f.sublinear_tf, self.sublinear_tf);
        set(&mut f.char_chunks, self.char_chunks);
        set(&mut f.nb_scale, self.nb_scale);
        set(&mut f.actor_pairs, self.actor_pairs);
        set(&mut f.roles, self.roles);
        if let Some(list) = &self.known_actors {
            f.known_actors = list
                .iter()
                .map(|a| {
                    std::iter::once(a.name.clone())
                        .chain(a.aliases.iter().cloned())
                        .collect()
                })
                .collect();
        }
        let t = &mut p.text;
        if let Some(keep) = self.keep_accents {
            t.accent_fold = !keep;
        }
        set(&mut t.negation, self.negation);
        set(&mut t.caps_others, self.caps_others);
        Ok(())
    }

    /// The checks that do not need the base: one form of C, a positive alpha, known actors that
    /// can be found in a text and are listed once.
    fn validate(&self) -> Result<()> {
        if self.c.is_some() && self.alpha.is_some() {
            return Err(Error::usage(
                "--c and --alpha are one setting (alpha = 1/C): give one of them",
            ));
        }
        if let Some(a) = self.alpha
            && !(a.is_finite() && a > 0.0)
        {
            return Err(Error::usage(format!("--alpha must be a positive number (got {a})")));
        }
        // C's range turned over (it is symmetric about 1, so the same bounds).
        let (lo, hi) = super::trainer::C_RANGE;
        if let Some(a) = self.alpha
            && !(lo..=hi).contains(&a)
        {
            return Err(Error::usage(format!(
                "--alpha must be between {lo:e} and {hi:e} (got {a:e}); it is 1/C"
            )));
        }
        for (i, a) in self.known_actors.iter().flatten().enumerate() {
            if a.name.trim().is_empty() {
                return Err(Error::usage(format!("known actor {}: empty actor name", i + 1)));
            }
            if !ActorMatcher::new(&a.name, &a.aliases).is_usable() {
                return Err(Error::usage(format!(
                    "known actor '{}' has no word (a letter or digit) to look for",
                    a.name
                )));
            }
            if self.known_actors.iter().flatten().take(i).any(|b| b.name == a.name) {
                return Err(Error::usage(format!(
                    "known actor '{}' is listed twice (put all its aliases in one entry)",
                    a.name
                )));
            }
        }
        Ok(())
    }
}

/// `*field = v` when a value was given.
fn set<T>(field: &mut T, given: Option<T>) {
    if let Some(v) = given {
        *field = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_given_is_the_defaults() {
        let p = TrainOverrides::default().params().expect("valid");
        assert_eq!(p.params(), &TrainParams::default());
    }

    #[test]
    fn alpha_is_one_over_c_and_a_loss_brings_its_c() {
        let p = TrainOverrides {
            alpha: Some(4.0),
            loss: Some(Loss::Hinge),
            ..TrainOverrides::default()
        };
        let p = p.params().expect("valid");
        assert_eq!(p.params().c, 0.25);
        assert_eq!(p.params().loss, Loss::Hinge);
        let p = TrainOverrides {
            loss: Some(Loss::Hinge),
            ..TrainOverrides::default()
        };
        assert_eq!(p.params().expect("valid").params().c, Loss::Hinge.default_c());
    }

    #[test]
    fn the_bases_own_loss_keeps_the_bases_c() {
        let base = TrainParams {
            c: 2.0,
            ..TrainParams::default()
        };
        let same = TrainOverrides {
            loss: Some(base.loss),
            ..TrainOverrides::default()
        };
        let mut p = base.clone();
        same.apply(&mut p).expect("valid");
        assert_eq!((p.loss, p.c), (base.loss, 2.0));
        // Another loss brings its own C, unless C is given.
        let other = if base.loss == Loss::Hinge {
            Loss::Logistic
        } else {
            Loss::Hinge
        };
        let mut p = base.clone();
        TrainOverrides {
            loss: Some(other),
            ..TrainOverrides::default()
        }
        .apply(&mut p)
        .expect("valid");
        assert_eq!((p.loss, p.c), (other, other.default_c()));
        let mut p = base.clone();
        TrainOverrides {
            loss: Some(other),
            c: Some(5.0),
            ..TrainOverrides::default()
        }
        .apply(&mut p)
        .expect("valid");
        assert_eq!((p.loss, p.c), (other, 5.0));
    }

    /// Every variant of a named setting; a new variant fails to compile here until listed.
    fn every<T>(all: &[T], exhaustive: fn(T)) -> Vec<T>
    where
        T: Copy,
    {
        all.iter().copied().inspect(|&v| exhaustive(v)).collect()
    }

    /// What the checks need of a named setting: with the `cli` feature, clap's side too.
    #[cfg(feature = "cli")]
    trait Checked: Named + std::fmt::Debug + clap::ValueEnum {}
    #[cfg(feature = "cli")]
    impl<T: Named + std::fmt::Debug + clap::ValueEnum> Checked for T {}
    #[cfg(not(feature = "cli"))]
    trait Checked: Named + std::fmt::Debug {}
    #[cfg(not(feature = "cli"))]
    impl<T: Named + std::fmt::Debug> Checked for T {}

    fn check_names<T: Checked>(variants: &[T]) {
        assert_eq!(T::ALL.len(), variants.len(), "{} lists every value once", T::FLAG);
        for &v in variants {
            let n = v.name();
            assert!(!n.is_empty(), "{v:?} has a name");
            assert_eq!(T::from_name(n).ok(), Some(v));
            assert_eq!(T::from_name(&format!(" {} ", n.to_uppercase())).ok(), Some(v));
        }
        let e = T::from_name("no-such-value")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains(&format!("for {} [possible values: {}]", T::FLAG, T::names().join(", "))),
            "{e}"
        );
        // The command line reads the same table.
        #[cfg(feature = "cli")]
        {
            assert_eq!(T::value_variants(), variants);
            for &v in variants {
                let pv = v.to_possible_value().expect("a possible value");
                assert_eq!(pv.get_name(), v.name());
                assert_eq!(T::from_str(v.name(), false).ok(), Some(v));
            }
        }
    }

    #[test]
    fn every_named_setting_has_one_name_per_value() {
        check_names(&every(&[Loss::Logistic, Loss::Hinge], |v| match v {
            Loss::Logistic | Loss::Hinge => {}
        }));
        check_names(&every(&[ClassWeight::None, ClassWeight::Balanced], |v| match v {
            ClassWeight::None | ClassWeight::Balanced => {}
        }));
        check_names(&every(&[SolverKind::Sparse, SolverKind::Linfa], |v| match v {
            SolverKind::Sparse | SolverKind::Linfa => {}
        }));
        check_names(&every(&[Preset::Default], |v| match v {
            Preset::Default => {}
        }));
    }

    #[test]
    fn bad_settings_say_which() {
        let err = |o: TrainOverrides| o.params().err().map(|e| e.to_string()).unwrap_or_default();
        let both = TrainOverrides {
            c: Some(1.0),
            alpha: Some(1.0),
            ..TrainOverrides::default()
        };
        assert!(err(both).contains("one of them"));
        let alpha = TrainOverrides {
            alpha: Some(-1.0),
            ..TrainOverrides::default()
        };
        assert!(err(alpha).contains("--alpha must be a positive number (got -1)"));
        let c = TrainOverrides {
            c: Some(f64::NAN),
            ..TrainOverrides::default()
        };
        assert!(err(c).contains("C must be a positive number"));
        let spec = |n: &str| ActorSpec {
            name: n.into(),
            aliases: Vec::new(),
        };
        let twice = TrainOverrides {
            known_actors: Some(vec![spec("Kast"), spec("Boric"), spec("Kast")]),
            ..TrainOverrides::default()
        };
        assert!(err(twice).contains("'Kast' is listed twice"));
        let blank = TrainOverrides {
            known_actors: Some(vec![spec("Kast"), spec("  ")]),
            ..TrainOverrides::default()
        };
        assert!(err(blank).contains("known actor 2: empty actor name"));
        // A failed apply leaves the parameters as they were.
        let mut p = TrainParams::default();
        let bad = TrainOverrides {
            window: Some(9),
            alpha: Some(0.0),
            ..TrainOverrides::default()
        };
        assert!(bad.apply(&mut p).is_err());
        assert_eq!(p, TrainParams::default());
    }

    #[test]
    fn switches_and_known_actors_reach_the_params() {
        let o = TrainOverrides {
            roles: Some(false),
            caps_others: Some(true),
            keep_accents: Some(true),
            negation: Some(false),
            known_actors: Some(vec![ActorSpec {
                name: "Gabriel Boric".into(),
                aliases: vec!["Boric".into()],
            }]),
            ..TrainOverrides::default()
        };
        let v = o.params().expect("valid");
        let p = v.params();
        assert!(!p.features.roles && p.text.caps_others && !p.text.accent_fold && !p.text.negation);
        assert_eq!(
            p.features.known_actors,
            vec![vec!["Gabriel Boric".to_string(), "Boric".to_string()]]
        );
    }

    #[test]
    fn the_default_preset_is_the_default_models_settings() {
        let model = crate::default_model().expect("embedded model");
        let o = TrainOverrides {
            preset: Some(Preset::Default),
            ..TrainOverrides::default()
        };
        assert_eq!(o.params().expect("valid").params(), model.card().params());
        let o = TrainOverrides {
            preset: Some(Preset::Default),
            stem: Some(false),
            ..TrainOverrides::default()
        };
        assert!(!o.params().expect("valid").params().features.stem);
        assert_eq!(Preset::from_name("DEFAULT").ok(), Some(Preset::Default));
        let e = Preset::from_name("fast")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("possible values: default"), "{e}");
    }
}
