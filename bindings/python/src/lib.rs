//! postura's Python extension (`postura._postura`): converts Python values into the adapter's
//! plain Rust types, releases the GIL while the library works, and turns the library's errors
//! into `ValueError` / `TypeError` / `OSError` with the command line's messages. Everything
//! that calls postura itself is in [`adapter`].

mod adapter;

use adapter::{Failure, Fault, KnownActors, PerText, Sourced, TrainSettings};
use postura::model::{ClassWeight, Loss, Named, Preset, SolverKind};
use pyo3::exceptions::{
    PyFileExistsError, PyFileNotFoundError, PyIsADirectoryError, PyOSError, PyPermissionError, PyRuntimeError,
    PyTypeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyFloat, PyList, PyMemoryView, PyString, PyTuple};
use std::path::PathBuf;

/// The Python exception for a library error, its message in Python's words.
fn py_err(f: Fault) -> PyErr {
    use std::io::ErrorKind as K;
    let message = python_words(&f.message);
    match f.failure {
        Failure::Value => PyValueError::new_err(message),
        Failure::Os(K::NotFound) => PyFileNotFoundError::new_err(message),
        Failure::Os(K::PermissionDenied) => PyPermissionError::new_err(message),
        Failure::Os(K::AlreadyExists) => PyFileExistsError::new_err(message),
        Failure::Os(K::IsADirectory) => PyIsADirectoryError::new_err(message),
        Failure::Os(_) => PyOSError::new_err(message),
        Failure::Internal => PyRuntimeError::new_err(message),
    }
}

/// The Python argument a flag of the command line is (`--max-iter` → `max_iter`), and the value
/// a flag that takes none stands for.
fn python_name(flag: &str) -> (String, Option<&'static str>) {
    match flag {
        "no-roles" => ("roles".into(), Some("False")),
        "caps-others" => ("caps_others".into(), Some("True")),
        "calibrate" => ("calibrate".into(), Some("True")),
        "actor" => ("actors".into(), None),
        "actors" => ("known_actors".into(), None),
        "alias" => ("aliases".into(), None),
        other => (other.replace('-', "_"), None),
    }
}

/// A library message as a Python caller reads it: keyword arguments instead of the command
/// line's flags (`--c and --alpha` → `c= and alpha=`, `--loss logistic` → `loss='logistic'`),
/// rows instead of the in-memory table's name, and no advice about flags Python lacks. The
/// library's messages stay the command line's; this is the binding's translation.
fn python_words(msg: &str) -> String {
    let msg = msg
        .replace("give another --actor", "give another actor in actors=")
        .replace(
            "train with a source column (datasets/stance_es.csv has one)",
            "train with sources= and rows labeled 'none' (as the default model was)",
        )
        .replace(
            ": use fewer folds",
            ": calibrate=True fits on 5-fold out-of-fold predictions; give more rows, or leave calibrate off",
        )
        .replace("pass --model FILE", "load one with Model.load(path)");
    let msg = in_memory_rows(&msg);
    let names = adapter::setting_names();
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg.as_str();
    while let Some(at) = rest.find("--") {
        let (before, flag_on) = rest.split_at(at);
        out.push_str(before);
        let tail = flag_on.get(2..).unwrap_or("");
        let len = tail
            .find(|c: char| !(c.is_ascii_lowercase() || c == '-'))
            .unwrap_or(tail.len());
        let flag = tail.get(..len).unwrap_or("").trim_end_matches('-');
        let starts_word = before.chars().last().is_none_or(|c| !(c.is_alphanumeric() || c == '-'));
        if !starts_word || !flag.starts_with(|c: char| c.is_ascii_lowercase()) {
            out.push_str("--");
            rest = tail;
            continue;
        }
        let after = tail.get(flag.len()..).unwrap_or("");
        let (name, fixed) = python_name(flag);
        if let Some(v) = fixed {
            out.push_str(&format!("{name}={v}"));
            rest = after;
            continue;
        }
        // The value written after the flag, when it is one: a number or a setting's name.
        if let Some(val_on) = after.strip_prefix(' ') {
            let vlen = val_on
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-'))
                .unwrap_or(val_on.len());
            let val = val_on.get(..vlen).unwrap_or("");
            let named = names.iter().any(|(n, vals)| *n == name && vals.contains(&val));
            if !val.is_empty() && (named || val.parse::<f64>().is_ok()) {
                out.push_str(&if named {
                    format!("{name}='{val}'")
                } else {
                    format!("{name}={val}")
                });
                rest = val_on.get(vlen..).unwrap_or("");
                continue;
            }
        }
        out.push_str(&name);
        out.push('=');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The in-memory table's name in a message as Python reads it: `<python>:3: …` is row 3 of the
/// arguments (`row 3: …`), `<python>: …` the call's data as a whole (nothing).
fn in_memory_rows(msg: &str) -> String {
    const NAME: &str = "<python>:";
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(at) = rest.find(NAME) {
        out.push_str(rest.get(..at).unwrap_or(""));
        let tail = rest.get(at + NAME.len()..).unwrap_or("");
        let digits = tail.find(|c: char| !c.is_ascii_digit()).unwrap_or(tail.len());
        if digits > 0 && tail.get(digits..).is_some_and(|t| t.starts_with(':')) {
            out.push_str("row ");
            out.push_str(tail.get(..digits).unwrap_or(""));
            rest = tail.get(digits..).unwrap_or("");
        } else {
            rest = tail.strip_prefix(' ').unwrap_or(tail);
        }
    }
    out.push_str(rest);
    out
}

/// A file path argument: a str, bytes or os.PathLike (as `open` takes). An empty path is a
/// FileNotFoundError that says so.
fn path_arg(v: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    let os = v.py().import("os")?;
    let p = os.call_method1("fspath", (v,)).map_err(|_| {
        PyTypeError::new_err(format!(
            "path must be a str, bytes or os.PathLike, not {}",
            type_name(v)
        ))
    })?;
    // Bytes as the file system encodes names (undecodable bytes kept through surrogateescape).
    let path: PathBuf = os.call_method1("fsdecode", (p,))?.extract()?;
    if path.as_os_str().is_empty() {
        return Err(PyFileNotFoundError::new_err("empty path: name a model file"));
    }
    Ok(path)
}

/// The Python type name of a value, for messages.
fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map_or_else(|_| "object".to_string(), |n| n.to_string())
}

/// A str's text. A lone surrogate ('\ud800', which no UTF-8 text holds) is a ValueError naming
/// `what`, not a bare UnicodeEncodeError.
fn str_of(s: &Bound<'_, PyString>, what: &str) -> PyResult<String> {
    s.to_cow().map(|c| c.into_owned()).map_err(|_| {
        PyValueError::new_err(format!(
            "{what} holds a lone surrogate (such as '\\ud800'), which is not text: clean it first, \
             e.g. s.encode('utf-8', 'replace').decode()"
        ))
    })
}

/// The items of a sequence argument, or the one value of a 0-d numpy array.
enum Items<'py> {
    /// Something to iterate, in order: a list, tuple, pandas Series or 1-d array (as a list),
    /// or any other iterable.
    Seq(Bound<'py, PyAny>),
    /// The value a 0-d numpy array holds (`np.array("x")`): the caller decides whether it
    /// stands for one value the way a plain str does.
    Zero(Bound<'py, PyAny>),
}

/// The DataFrame column a message suggests for an argument.
fn column_hint(what: &str) -> &'static str {
    match what {
        "labels" => "label",
        "actor" | "actors" => "actor",
        "source" | "sources" => "source",
        "aliases" => "aliases",
        _ => "text",
    }
}

/// The items of `v`, refusing what iterating would read wrongly without a word: bytes (read
/// as ints), a pandas DataFrame (its column names), a mapping (its keys), a set (no order) and
/// a numpy array that is not 1-d. `what` names the argument in messages.
fn items<'py>(v: &Bound<'py, PyAny>, what: &str) -> PyResult<Items<'py>> {
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        return Ok(Items::Seq(v.clone()));
    }
    let refuse = |why: String| Err(PyTypeError::new_err(format!("{what} is {why}")));
    if v.is_instance_of::<PyBytes>() || v.is_instance_of::<PyByteArray>() || v.is_instance_of::<PyMemoryView>() {
        return refuse(format!(
            "{}, not a list of str: decode it and wrap it in a list",
            type_name(v)
        ));
    }
    if v.hasattr("columns")? && v.hasattr("iloc")? {
        return refuse(format!(
            "a pandas DataFrame: pass one column, e.g. df[\"{}\"]",
            column_hint(what)
        ));
    }
    if v.is_instance_of::<PyDict>() || v.downcast::<pyo3::types::PyMapping>().is_ok() {
        return refuse(format!(
            "a {} (iterating it would read its keys): pass a list, e.g. list(d.values())",
            type_name(v)
        ));
    }
    if v.is_instance_of::<pyo3::types::PySet>() || v.is_instance_of::<pyo3::types::PyFrozenSet>() {
        return refuse(format!(
            "a {}, which has no order: pass a list (e.g. sorted(...)) so results match their inputs",
            type_name(v)
        ));
    }
    if v.hasattr("ndim")? && v.hasattr("tolist")? {
        let ndim: i64 = v.getattr("ndim")?.extract().unwrap_or(1);
        if ndim == 0 {
            return Ok(Items::Zero(v.call_method0("tolist")?));
        }
        if ndim != 1 {
            let shape = v.getattr("shape")?.str()?.to_cow()?.into_owned();
            return refuse(format!(
                "an array of shape {shape}: pass a 1-d sequence, one item per text"
            ));
        }
    }
    if v.hasattr("tolist")? {
        return Ok(Items::Seq(v.call_method0("tolist")?));
    }
    Ok(Items::Seq(v.clone()))
}

/// The items of a sequence argument that a str does not stand in for (texts, labels): a 0-d
/// array is refused as a str is.
fn seq_items<'py>(v: &Bound<'py, PyAny>, what: &str) -> PyResult<Bound<'py, PyAny>> {
    match items(v, what)? {
        Items::Seq(s) => Ok(s),
        Items::Zero(_) => Err(PyTypeError::new_err(format!(
            "{what} must be a list of str (or a pandas Series), not a 0-d numpy array (a single \
             value): wrap it in a list or use a 1-d array"
        ))),
    }
}

/// Texts from a list (or tuple, pandas Series, 1-d numpy array, any ordered iterable) of str;
/// `what` names the argument in messages.
fn texts_arg(v: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<String>> {
    if v.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a list of str (or a pandas Series), not a single str: wrap it in a list"
        )));
    }
    if v.is_none() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a list of str (or a pandas Series), not None"
        )));
    }
    let seq = seq_items(v, what)?;
    let iter = seq.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be a list of str (or a pandas Series), not {}",
            type_name(v)
        ))
    })?;
    let mut out = Vec::new();
    for (i, item) in iter.enumerate() {
        let item = item?;
        match item.downcast::<PyString>() {
            Ok(s) => out.push(str_of(s, &format!("{what}[{i}]"))?),
            Err(_) => {
                return Err(PyTypeError::new_err(format!(
                    "{what}[{i}] is {}, not a str",
                    if item.is_none() {
                        "None".to_string()
                    } else {
                        type_name(&item)
                    }
                )));
            }
        }
    }
    Ok(out)
}

/// A name given for an actor or a source: blank is refused (None says "no actor").
fn name_arg(s: String, what: &str) -> PyResult<String> {
    if s.trim().is_empty() {
        return Err(PyValueError::new_err(format!(
            "{what} is blank ({s:?}): it has no word in its name to look for; give a name, or None \
             for none"
        )));
    }
    Ok(s)
}

/// An actor or source argument: None, one str for every row, or one str (or None/NaN for
/// none) per row. A blank name is a ValueError naming the argument (and the row).
fn per_text_arg(v: Option<&Bound<'_, PyAny>>, what: &str, n: usize) -> PyResult<PerText> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(PerText::Default);
    };
    if let Ok(s) = v.downcast::<PyString>() {
        return Ok(PerText::One(name_arg(str_of(s, what)?, what)?));
    }
    let seq = match items(v, what)? {
        Items::Seq(s) => s,
        // np.array("Kast") stands for "Kast", as a plain str does here.
        Items::Zero(x) => match x.downcast::<PyString>() {
            Ok(s) => return Ok(PerText::One(name_arg(str_of(s, what)?, what)?)),
            Err(_) => {
                return Err(PyTypeError::new_err(format!(
                    "{what} must be a str, or a list of str with one per text, not a 0-d array of {}",
                    type_name(&x)
                )));
            }
        },
    };
    let iter = seq.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be a str, or a list of str with one per text, not {}",
            type_name(v)
        ))
    })?;
    let mut out = Vec::new();
    for (i, item) in iter.enumerate() {
        let item = item?;
        if item.is_none() {
            out.push(None);
        } else if let Ok(s) = item.downcast::<PyString>() {
            let at = format!("{what}[{i}]");
            out.push(Some(name_arg(str_of(s, &at)?, &at)?));
        } else if item.downcast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
            // pandas writes a missing value as NaN.
            out.push(None);
        } else {
            return Err(PyTypeError::new_err(format!(
                "{what}[{i}] is {}, not a str",
                type_name(&item)
            )));
        }
    }
    if out.len() != n {
        return Err(PyValueError::new_err(format!(
            "{what} has {} items but texts has {n}: give one per text, or one str for all",
            out.len()
        )));
    }
    Ok(PerText::PerRow(out))
}

/// Aliases given as one str: separated by '|', as in an actor list's CSV (`actor,aliases`);
/// blanks dropped. The one rule for every argument that takes aliases.
fn split_aliases(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(String::from)
        .collect()
}

/// Aliases: None, one str (several separated by '|'; a 0-d array of str likewise), or a list
/// of str (each as it is).
fn aliases_arg(v: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    const WHAT: &str = "aliases";
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(s) = v.downcast::<PyString>() {
        return Ok(split_aliases(&str_of(s, WHAT)?));
    }
    if let Items::Zero(x) = items(v, WHAT)? {
        return match x.downcast::<PyString>() {
            Ok(s) => Ok(split_aliases(&str_of(s, WHAT)?)),
            Err(_) => Err(PyTypeError::new_err(format!(
                "aliases must be a str or a list of str, not a 0-d array of {}",
                type_name(&x)
            ))),
        };
    }
    texts_arg(v, WHAT)
}

/// Articles that could not be labeled: each one's position in the input and why.
type Unlabeled = Vec<(usize, String)>;

/// Parses JSON text with Python's json module.
fn json_loads<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (s,))
}

/// A postura model: word and character n-gram features read toward a target actor, and a
/// multinomial logistic regression over them. Made by `Model.default()`, `Model.load(path)`
/// or `postura.train(...)`; immutable and safe to share between threads.
#[pyclass(frozen, module = "postura", name = "Model")]
struct Model {
    inner: adapter::Model,
}

/// The arguments of `predict` and `predict_proba`, converted.
struct PredictArgs {
    texts: Vec<String>,
    actors: PerText,
    aliases: Vec<String>,
    sources: PerText,
}

impl PredictArgs {
    fn new(
        texts: &Bound<'_, PyAny>,
        actor: Option<&Bound<'_, PyAny>>,
        aliases: Option<&Bound<'_, PyAny>>,
        source: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let texts = texts_arg(texts, "texts")?;
        let actors = per_text_arg(actor, "actor", texts.len())?;
        let sources = per_text_arg(source, "source", texts.len())?;
        Ok(PredictArgs {
            texts,
            actors,
            aliases: aliases_arg(aliases)?,
            sources,
        })
    }
}

#[pymethods]
impl Model {
    /// The model shipped inside postura (trained on the project's Spanish corpus).
    #[staticmethod]
    fn default() -> PyResult<Self> {
        Ok(Model {
            inner: adapter::Model::default_model().map_err(py_err)?,
        })
    }

    /// Loads a model file written by `postura train` or `Model.save`.
    ///
    /// path: a str, bytes or os.PathLike. Raises TypeError for another type; the OSError
    /// subclass of the failure when the file cannot be read (FileNotFoundError for a missing
    /// file or an empty path, PermissionError, IsADirectoryError; OSError otherwise), its path
    /// in the message; and ValueError when it is not a usable postura model.
    #[staticmethod]
    fn load(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let path = path_arg(path)?;
        let inner = py.allow_threads(|| adapter::Model::load(&path)).map_err(py_err)?;
        Ok(Model { inner })
    }

    /// A model from the bytes of a model file (as `to_bytes` returns them).
    ///
    /// data: bytes, bytearray, memoryview or any other object with the buffer protocol (an
    /// mmap, a numpy uint8 array). Raises TypeError for another type and ValueError when the
    /// bytes are not a usable postura model.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let owned;
        let bytes = match data.downcast::<PyBytes>() {
            Ok(b) => b,
            Err(_) => {
                let view = PyMemoryView::from(data).map_err(|_| {
                    PyTypeError::new_err(format!(
                        "data must be bytes, bytearray, memoryview or another buffer, not {}",
                        type_name(data)
                    ))
                })?;
                owned = view.call_method0("tobytes")?.downcast_into::<PyBytes>()?;
                &owned
            }
        };
        let data = bytes.as_bytes();
        let inner = py.allow_threads(|| adapter::Model::from_bytes(data)).map_err(py_err)?;
        Ok(Model { inner })
    }

    /// The bytes of the model file.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.inner.to_bytes().map_err(py_err)?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Writes the model file atomically (a temporary file renamed over `path`; a symbolic link
    /// is followed and the file keeps its permissions).
    ///
    /// path: a str, bytes or os.PathLike. Raises TypeError for another type, and the OSError
    /// subclass of the failure, its path in the message: FileNotFoundError (a missing directory,
    /// an empty path), PermissionError (a read-only file or directory), IsADirectoryError, and
    /// OSError otherwise (a device, pipe or socket is refused). Any previous file is unchanged
    /// after a failure.
    fn save(&self, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<()> {
        let path = path_arg(path)?;
        py.allow_threads(|| self.inner.save(&path)).map_err(py_err)
    }

    /// The labels the model predicts, in the order of `predict_proba`'s columns.
    #[getter]
    fn labels(&self) -> Vec<String> {
        self.inner.labels().to_vec()
    }

    /// The model card: settings, training data, solver and scores, as a dict.
    #[getter]
    fn card<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.inner.card_json().map_err(py_err)?)
    }

    /// The actor the model was trained toward (`train(..., actors="Name")`), or None.
    #[getter]
    fn actor(&self) -> Option<String> {
        self.inner.own_actor().map(str::to_string)
    }

    /// Predicts the stance of each text toward its actor.
    ///
    /// texts: a list (tuple, pandas Series, 1-d numpy array, ordered iterable) of str. actor:
    /// None (the model's own actor, if it was trained toward one), one str for every text (a
    /// 0-d numpy array of str counts as one), or one str (or None/NaN) per text. aliases: other
    /// names of the actor (a str, several separated by '|', or a list of str); they need an
    /// actor. source: who says each text (a str, or one per text), when the speaker is not the
    /// text's grammatical subject; only a source-aware model (one with the label `none`,
    /// trained with sources) takes one, and it answers `none` with probability 1 when the text
    /// does not name the source or the source is the actor (a rule, not an estimate). Returns
    /// one dict per text: `label`, `confidence` (the label's probability), `probabilities`
    /// (label → probability), `actor` and `mentioned` (whether the text names the actor).
    ///
    /// Raises TypeError for a wrong type (a single str, bytes, a DataFrame — pass a column —,
    /// a dict, a set, a 0-d or 2-d array as texts), and ValueError for a blank actor or source
    /// (naming the row when given per text), aliases without an actor, lengths that differ, a
    /// source given to a model that is not source-aware, or a str holding a lone surrogate.
    #[pyo3(signature = (texts, actor=None, aliases=None, source=None))]
    fn predict<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        actor: Option<&Bound<'py, PyAny>>,
        aliases: Option<&Bound<'py, PyAny>>,
        source: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let a = PredictArgs::new(texts, actor, aliases, source)?;
        let scored = py
            .allow_threads(|| self.inner.predict(&a.texts, &a.actors, &a.aliases, &a.sources))
            .map_err(py_err)?;
        let out = PyList::empty(py);
        for s in scored {
            let d = PyDict::new(py);
            d.set_item("label", s.label)?;
            d.set_item("confidence", s.confidence)?;
            let probs = PyDict::new(py);
            for (l, p) in s.probabilities {
                probs.set_item(l, p)?;
            }
            d.set_item("probabilities", probs)?;
            d.set_item("actor", s.actor)?;
            d.set_item("mentioned", s.mentioned)?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// The probability of each label for each text: a numpy array of shape
    /// (len(texts), len(model.labels)), columns in the order of `model.labels`. Arguments as
    /// for `predict`.
    #[pyo3(signature = (texts, actor=None, aliases=None, source=None))]
    fn predict_proba<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        actor: Option<&Bound<'py, PyAny>>,
        aliases: Option<&Bound<'py, PyAny>>,
        source: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let a = PredictArgs::new(texts, actor, aliases, source)?;
        let rows = py
            .allow_threads(|| self.inner.predict_proba(&a.texts, &a.actors, &a.aliases, &a.sources))
            .map_err(py_err)?;
        let (n, k) = (rows.len(), self.inner.labels().len());
        let mut bytes = Vec::with_capacity(n * k * 8);
        for row in &rows {
            for p in row {
                bytes.extend_from_slice(&p.to_ne_bytes());
            }
        }
        // One copy into a bytearray that numpy then shares (writable, float64).
        let buf = PyByteArray::new(py, &bytes);
        py.import("numpy")?
            .call_method1("frombuffer", (buf,))?
            .call_method1("reshape", ((n, k),))
    }

    /// Scores the model on labeled texts; see `postura.evaluate`.
    #[pyo3(signature = (texts, labels, actors=None, sources=None, aliases=None))]
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        labels: &Bound<'py, PyAny>,
        actors: Option<&Bound<'py, PyAny>>,
        sources: Option<&Bound<'py, PyAny>>,
        aliases: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let texts = texts_arg(texts, "texts")?;
        let labels = labels_arg(labels)?;
        let actors = per_text_arg(actors, "actors", texts.len())?;
        let sources = per_text_arg(sources, "sources", texts.len())?;
        let aliases = aliases_arg(aliases)?;
        let json = py
            .allow_threads(|| self.inner.evaluate(&texts, &labels, &actors, &sources, &aliases))
            .map_err(py_err)?;
        json_loads(py, &json)
    }

    /// Labels articles: the rows of `postura label --format jsonl` as dicts, each with
    /// `article_index` (the article's position in `articles`), and the articles that could not
    /// be labeled as (position, message) pairs. `articles` is a list of (id, text) pairs,
    /// `actors` a list of (name, aliases) pairs (empty: the model's own actor) and `sources`
    /// empty or one (name, aliases) pair or None per article: the source each article is read
    /// as (`postura label --source`). The labelers' warnings become Python warnings. See
    /// `postura.label_articles` for the friendly form.
    #[pyo3(signature = (articles, actors, per_article=false, all_sentences=false, sources=Vec::new()))]
    fn _label_articles<'py>(
        &self,
        py: Python<'py>,
        articles: Vec<(String, String)>,
        actors: Vec<(String, Vec<String>)>,
        per_article: bool,
        all_sentences: bool,
        sources: Vec<Option<(String, Vec<String>)>>,
    ) -> PyResult<(Bound<'py, PyAny>, Unlabeled)> {
        if !sources.is_empty() && sources.len() != articles.len() {
            return Err(PyValueError::new_err(format!(
                "source has {} items but articles has {}: give one per article, or one str for all",
                sources.len(),
                articles.len()
            )));
        }
        let mut sources = sources.into_iter();
        let articles: Vec<Sourced<(String, String)>> = articles
            .into_iter()
            .map(|a| Sourced::new(a, sources.next().flatten()))
            .collect();
        let labeled = py
            .allow_threads(|| self.inner.label_articles(articles, actors, per_article, all_sentences))
            .map_err(py_err)?;
        for w in labeled.warnings {
            let cw = py.get_type::<pyo3::exceptions::PyUserWarning>();
            PyErr::warn(py, &cw, &std::ffi::CString::new(w).unwrap_or_default(), 1)?;
        }
        let json: Vec<&str> = labeled.rows.iter().map(|(_, r)| r.as_str()).collect();
        let rows = json_loads(py, &format!("[{}]", json.join(",")))?;
        for (i, (index, _)) in labeled.rows.iter().enumerate() {
            rows.get_item(i)?.set_item("article_index", index)?;
        }
        Ok((rows, labeled.problems))
    }

    /// Pickling and copying go through the model file's bytes.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let from_bytes = slf.get_type().getattr("from_bytes")?;
        let bytes = slf.get().to_bytes(slf.py())?;
        Ok((from_bytes, (bytes,)))
    }

    fn __repr__(&self) -> String {
        format!("postura.Model(labels={:?})", self.inner.labels())
    }
}

/// Labels: like texts, but numbers (and numpy scalars) are written as text, so integer class
/// labels work. Surrounding whitespace is stripped, as `postura train` strips a label cell, so
/// 'neutral ' and 'neutral' are one label.
fn labels_arg(v: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if v.is_instance_of::<PyString>() || v.is_none() {
        return texts_arg(v, "labels");
    }
    let seq = seq_items(v, "labels")?;
    let iter = seq.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "labels must be a list of str (or a pandas Series), not {}",
            type_name(v)
        ))
    })?;
    let mut out = Vec::new();
    for (i, item) in iter.enumerate() {
        let item = item?;
        if let Ok(s) = item.downcast::<PyString>() {
            out.push(str_of(s, &format!("labels[{i}]"))?.trim().to_string());
        } else if item.is_none() || item.downcast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
            return Err(PyTypeError::new_err(format!("labels[{i}] is missing (None or NaN)")));
        } else if let Ok(n) = item.extract::<i64>() {
            out.push(n.to_string());
        } else {
            return Err(PyTypeError::new_err(format!(
                "labels[{i}] is {}, not a str",
                type_name(&item)
            )));
        }
    }
    Ok(out)
}

/// An integer setting within bounds (ValueError outside them, TypeError when not an int).
fn int_setting(name: &str, v: &Bound<'_, PyAny>, max: u64) -> PyResult<u64> {
    if v.is_instance_of::<pyo3::types::PyBool>() {
        return Err(PyTypeError::new_err(format!("{name} must be an int, not bool")));
    }
    let n: i128 = v
        .extract()
        .map_err(|_| PyTypeError::new_err(format!("{name} must be an int, not {}", type_name(v))))?;
    if n < 0 || n > i128::from(max) {
        return Err(PyValueError::new_err(format!(
            "{name} must be between 0 and {max} (got {n})"
        )));
    }
    Ok(n as u64)
}

fn float_setting(name: &str, v: &Bound<'_, PyAny>) -> PyResult<f64> {
    if v.is_instance_of::<pyo3::types::PyBool>() {
        return Err(PyTypeError::new_err(format!("{name} must be a number, not bool")));
    }
    v.extract()
        .map_err(|_| PyTypeError::new_err(format!("{name} must be a number, not {}", type_name(v))))
}

fn bool_setting(name: &str, v: &Bound<'_, PyAny>) -> PyResult<bool> {
    v.extract()
        .map_err(|_| PyTypeError::new_err(format!("{name} must be True or False, not {}", type_name(v))))
}

fn str_setting(name: &str, v: &Bound<'_, PyAny>) -> PyResult<String> {
    let s = v
        .downcast::<PyString>()
        .map_err(|_| PyTypeError::new_err(format!("{name} must be a str, not {}", type_name(v))))?;
    str_of(s, name)
}

/// An n-gram range: "1-2", an int N (N-N; 0 for none) or a pair (MIN, MAX), as the text
/// `postura train` would read (checked after every keyword argument's type).
fn range_setting(name: &str, v: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = v.downcast::<PyString>() {
        return str_of(s, name);
    }
    if v.is_instance_of::<PyTuple>() || v.is_instance_of::<PyList>() {
        let pair: Vec<Bound<'_, PyAny>> = v.try_iter()?.collect::<PyResult<_>>()?;
        let [a, b] = pair.as_slice() else {
            return Err(PyValueError::new_err(format!(
                "{name} takes (MIN, MAX), \"MIN-MAX\" or 0 (got {} values)",
                pair.len()
            )));
        };
        return Ok(format!("{}-{}", int_setting(name, a, 255)?, int_setting(name, b, 255)?));
    }
    Ok(int_setting(name, v, 255)?.to_string())
}

/// A library error as Python's exception (the one `py_err` names).
fn lib_err(e: postura::Error) -> PyErr {
    py_err(Fault::from(e))
}

/// A library result as Python's.
fn lib<T>(r: postura::Result<T>) -> PyResult<T> {
    r.map_err(lib_err)
}

/// Aliases of one known actor: None (or NaN), one str (several separated by '|'), or a list of
/// str (each as it is) — whichever form `known_actors` takes.
fn known_aliases(v: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<String>> {
    if v.is_none() || v.downcast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
        return Ok(Vec::new());
    }
    if let Ok(s) = v.downcast::<PyString>() {
        return Ok(split_aliases(&str_of(s, what)?));
    }
    texts_arg(v, what)
}

/// The name of one known actor: a str.
fn known_name(v: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    let s = v
        .downcast::<PyString>()
        .map_err(|_| PyTypeError::new_err(format!("{what}: the actor's name is {}, not a str", type_name(v))))?;
    str_of(s, what)
}

/// `known_actors` (`postura train --actors`): a path to a CSV file (`actor,aliases`, aliases
/// separated by '|'), a pandas DataFrame with those columns, a dict name -> aliases, or a list
/// of names and (name, aliases) pairs. In every form an actor's aliases are a str, split on
/// '|', or a list of str, taken as is.
fn known_actors_arg(v: &Bound<'_, PyAny>) -> PyResult<KnownActors> {
    const WHAT: &str = "known_actors";
    if v.is_instance_of::<PyString>() || v.hasattr("__fspath__")? {
        return Ok(KnownActors::File(v.extract()?));
    }
    let mut out = Vec::new();
    if v.hasattr("columns")? && v.hasattr("iloc")? {
        // A pandas DataFrame, as pandas.read_csv reads datasets/actors.csv.
        let columns = v.getattr("columns")?;
        if !columns.contains("actor")? {
            return Err(PyValueError::new_err(
                "known_actors: the DataFrame has no 'actor' column (expected the columns actor and aliases)",
            ));
        }
        let names = v.get_item("actor")?.call_method0("tolist")?;
        let aliases = if columns.contains("aliases")? {
            Some(v.get_item("aliases")?.call_method0("tolist")?)
        } else {
            None
        };
        for (i, name) in names.try_iter()?.enumerate() {
            let what = format!("{WHAT}[{i}]");
            let name = known_name(&name?, &what)?;
            let aliases = match &aliases {
                Some(a) => known_aliases(&a.get_item(i)?, &what)?,
                None => Vec::new(),
            };
            out.push((name, aliases));
        }
        return Ok(KnownActors::List(out));
    }
    let items = if v.downcast::<PyDict>().is_ok() || (v.hasattr("items")? && v.hasattr("keys")?) {
        v.call_method0("items")?
    } else {
        v.clone()
    };
    let iter = items.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{WHAT} must be a path, a DataFrame, a dict name -> aliases or a list of names, not {}",
            type_name(v)
        ))
    })?;
    for (i, item) in iter.enumerate() {
        let item = item?;
        let what = format!("{WHAT}[{i}]");
        if item.is_instance_of::<PyString>() {
            out.push((known_name(&item, &what)?, Vec::new()));
            continue;
        }
        let pair: Vec<Bound<'_, PyAny>> = match item.try_iter() {
            Ok(it) if item.is_instance_of::<PyTuple>() || item.is_instance_of::<PyList>() => {
                it.collect::<PyResult<_>>()?
            }
            _ => {
                return Err(PyTypeError::new_err(format!(
                    "{what} is {}: give a name, or a (name, aliases) pair",
                    type_name(&item)
                )));
            }
        };
        let [name, aliases] = pair.as_slice() else {
            return Err(PyValueError::new_err(format!(
                "{what} has {} values: give a name, or a (name, aliases) pair",
                pair.len()
            )));
        };
        out.push((known_name(name, &what)?, known_aliases(aliases, &what)?));
    }
    Ok(KnownActors::List(out))
}

/// The keyword arguments of `train`, by the names of `postura train`'s flags. Each value's type
/// is checked as it is read (`TypeError`); then, as `postura train` does, the known-actors file
/// is read and the named settings and n-gram ranges are checked (`OSError`, `ValueError`).
fn train_settings(params: Option<&Bound<'_, PyDict>>) -> PyResult<TrainSettings> {
    let mut s = TrainSettings::default();
    let Some(params) = params else {
        return Ok(s);
    };
    let (mut preset, mut loss, mut class_weight, mut solver) = (None, None, None, None);
    let (mut word_ngrams, mut char_ngrams) = (None, None);
    let mut known_actors = None;
    for (k, v) in params.iter() {
        let key: String = k.extract()?;
        if v.is_none() {
            continue;
        }
        let name = key.as_str();
        let o = &mut s.overrides;
        match name {
            "preset" => preset = Some(str_setting(name, &v)?),
            "c" | "C" => o.c = Some(float_setting(name, &v)?),
            "alpha" => o.alpha = Some(float_setting(name, &v)?),
            "loss" => loss = Some(str_setting(name, &v)?),
            "class_weight" => class_weight = Some(str_setting(name, &v)?),
            "solver" => solver = Some(str_setting(name, &v)?),
            "max_iter" => o.max_iter = Some(int_setting(name, &v, u64::from(u32::MAX))?),
            "word_ngrams" => word_ngrams = Some(range_setting(name, &v)?),
            "char_ngrams" => char_ngrams = Some(range_setting(name, &v)?),
            "stem" => o.stem = Some(bool_setting(name, &v)?),
            "window" => o.window = Some(int_setting(name, &v, 255)? as u8),
            "min_df" => o.min_df = Some(int_setting(name, &v, u64::from(u32::MAX))? as u32),
            "char_min_df" => o.char_min_df = Some(int_setting(name, &v, u64::from(u32::MAX))? as u32),
            "max_features" => o.max_features = Some(int_setting(name, &v, u64::from(u32::MAX))? as u32),
            "char_chunks" => o.char_chunks = Some(bool_setting(name, &v)?),
            "keep_accents" => o.keep_accents = Some(bool_setting(name, &v)?),
            "negation" => o.negation = Some(bool_setting(name, &v)?),
            "sublinear_tf" => o.sublinear_tf = Some(bool_setting(name, &v)?),
            "nb_scale" => o.nb_scale = Some(bool_setting(name, &v)?),
            "actor_pairs" => o.actor_pairs = Some(bool_setting(name, &v)?),
            "roles" => o.roles = Some(bool_setting(name, &v)?),
            "caps_others" => o.caps_others = Some(bool_setting(name, &v)?),
            "known_actors" => known_actors = Some(known_actors_arg(&v)?),
            "aliases" => s.aliases = aliases_arg(Some(&v))?,
            "calibrate" => s.calibrate = bool_setting(name, &v)?,
            _ => {
                return Err(PyTypeError::new_err(format!(
                    "train() got an unexpected keyword argument '{key}'"
                )));
            }
        }
    }
    let o = &mut s.overrides;
    o.known_actors = match known_actors {
        None => None,
        Some(KnownActors::File(path)) => Some(lib(postura::data::articles::load_actor_list(&path))?),
        Some(KnownActors::List(list)) => Some(
            list.into_iter()
                .map(|(name, aliases)| postura::data::articles::ActorSpec { name, aliases })
                .collect(),
        ),
    };
    o.preset = preset.as_deref().map(Preset::from_name).transpose().map_err(lib_err)?;
    o.loss = loss.as_deref().map(Loss::from_name).transpose().map_err(lib_err)?;
    o.class_weight = class_weight
        .as_deref()
        .map(ClassWeight::from_name)
        .transpose()
        .map_err(lib_err)?;
    o.solver = solver
        .as_deref()
        .map(SolverKind::from_name)
        .transpose()
        .map_err(lib_err)?;
    let range = |name: &str, r: Option<String>| r.map(|r| postura::features::parse_range(name, &r)).transpose();
    o.word_ngrams = range("word_ngrams", word_ngrams).map_err(lib_err)?;
    o.char_ngrams = range("char_ngrams", char_ngrams).map_err(lib_err)?;
    Ok(s)
}

/// Trains a model on labeled texts, with the settings of `postura train` as keyword arguments
/// (None keeps the default; the library applies and checks them as it does the flags):
/// preset ("default": the embedded default model's settings, which the others override), c or
/// alpha, loss ("logistic", "hinge"), class_weight ("balanced", "none"), solver ("sparse",
/// "linfa"), max_iter, word_ngrams and char_ngrams ("1-2", (1, 2), or 0 for none), stem, window,
/// min_df, char_min_df, max_features, char_chunks, keep_accents, negation, sublinear_tf,
/// nb_scale, actor_pairs, roles (False: `--no-roles`), caps_others (`--caps-others`),
/// known_actors (`--actors`: a CSV path, a DataFrame with actor and aliases columns, a dict
/// name -> aliases or a list of names / (name, aliases) pairs; in every form an actor's aliases
/// are a str, split on '|' as in the CSV, or a list of str, taken as is), aliases (a str split
/// on '|', or a list), and calibrate
/// (temperature on 5-fold out-of-fold predictions). `actors`: None, one str for every
/// text (recorded as the model's own actor, as `postura train --actor`), or one str (or None)
/// per text; `sources` likewise, who says each text (the corpus's source column). Sources make
/// a source-aware model, which must learn the label `none` (the source holds no stance toward
/// the actor): rows with a source need rows labeled `none`, and the reverse (ValueError
/// otherwise). `texts`: a list (tuple, pandas Series, 1-d numpy array, ordered iterable) of
/// str; `labels`: one str or int per text, surrounding whitespace stripped as `postura train`
/// strips a label cell ('neutral ' is 'neutral'). Rows with an empty text are left out, as
/// `postura train` leaves them out.
///
/// Raises TypeError for a wrong type (a single str, a DataFrame — pass a column —, a dict, a
/// set, a 0-d array, an unknown keyword) and ValueError for bad settings (named by their
/// keyword), a blank actor or source, aliases without an actor, fewer than two labels, or a
/// str holding a lone surrogate; OSError when a known-actors file cannot be read.
#[pyfunction]
#[pyo3(signature = (texts, labels, actors=None, sources=None, **params))]
fn train(
    py: Python<'_>,
    texts: &Bound<'_, PyAny>,
    labels: &Bound<'_, PyAny>,
    actors: Option<&Bound<'_, PyAny>>,
    sources: Option<&Bound<'_, PyAny>>,
    params: Option<&Bound<'_, PyDict>>,
) -> PyResult<Model> {
    let texts = texts_arg(texts, "texts")?;
    let labels = labels_arg(labels)?;
    let actors = per_text_arg(actors, "actors", texts.len())?;
    let sources = per_text_arg(sources, "sources", texts.len())?;
    let settings = train_settings(params)?;
    let inner = py
        .allow_threads(|| adapter::train(&texts, &labels, &actors, &sources, &settings))
        .map_err(py_err)?;
    Ok(Model { inner })
}

#[pymodule]
fn _postura(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Model>()?;
    m.add_function(wrap_pyfunction!(train, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The values `train`'s named settings take, for tests and tools: the library's own tables.
    m.add(
        "_SETTING_NAMES",
        adapter::setting_names()
            .into_iter()
            .collect::<std::collections::HashMap<_, _>>(),
    )?;
    Ok(())
}
