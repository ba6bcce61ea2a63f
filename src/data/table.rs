//! CSV/TSV tables of statements: delimiter from the extension, UTF-8 with or without BOM, CRLF or
//! LF, columns by name (case-insensitive), label maps, and errors that name file and line.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Which columns hold what. `actor` and `label` may be absent from a file when not required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Columns {
    /// The statement text column.
    pub text: String,
    /// The target actor column.
    pub actor: String,
    /// The label column.
    pub label: String,
    /// Rows sharing a value here stay on one side of every cross-validation split.
    pub group: Option<String>,
    /// The actor whose stance toward the target a row gives (optional in the file: a row
    /// without one gives the statement's stance toward the target).
    pub source: String,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            text: "text".into(),
            actor: "actor".into(),
            label: "label".into(),
            group: None,
            source: "source".into(),
        }
    }
}

/// Maps a corpus's labels onto the names the model uses (`POS=supportive,NEU=neutral,…`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LabelMap(pub Vec<(String, String)>);

/// The labels of postura's corpus and default model, which a label map usually maps onto.
pub const STANCE_LABELS: &[&str] = &["supportive", "neutral", "distancing"];

impl LabelMap {
    /// Parses `FROM=TO,FROM=TO,…`.
    pub fn parse(spec: &str) -> Result<Self> {
        let mut pairs = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (from, to) = part.split_once('=').ok_or_else(|| {
                Error::usage(format!(
                    "--label-map: '{part}' is not FROM=TO (example: POS=supportive,NEU=neutral,NEG=distancing)"
                ))
            })?;
            let (from, to) = (from.trim(), to.trim());
            if to.contains('=') {
                return Err(Error::usage(format!(
                    "--label-map: '{part}' has two '=': pairs are FROM=TO, separated by commas"
                )));
            }
            if from.is_empty() || to.is_empty() {
                return Err(Error::usage(format!("--label-map: '{part}' has an empty side")));
            }
            // A slip for one of postura's labels; a label of one's own ("neutro", "support") is not.
            let slack = if to.chars().count() >= 7 { 2 } else { 1 };
            if let Some(meant) = suggest(to, STANCE_LABELS.iter().copied(), slack) {
                return Err(Error::usage(format!(
                    "--label-map: '{to}' is not one of postura's labels; did you mean '{meant}'? ({part})"
                )));
            }
            if pairs.iter().any(|(f, _): &(String, String)| f == from) {
                return Err(Error::usage(format!("--label-map: '{from}' is mapped twice")));
            }
            pairs.push((from.to_string(), to.to_string()));
        }
        if pairs.is_empty() {
            return Err(Error::usage("--label-map is empty"));
        }
        Ok(LabelMap(pairs))
    }

    /// True for the identity map.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The mapped label, or `None` when the map does not cover `label`. An empty map is the identity.
    pub fn apply<'a>(&'a self, label: &'a str) -> Option<&'a str> {
        if self.0.is_empty() {
            return Some(label);
        }
        self.0.iter().find(|(f, _)| f == label).map(|(_, t)| t.as_str())
    }
}

/// How to read one table.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Field delimiter; `None` picks tab for `.tsv`/`.tab`, comma otherwise.
    pub delimiter: Option<u8>,
    /// Which columns hold what.
    pub columns: Columns,
    /// True when the user named the actor column: then it must exist.
    pub actor_required: bool,
    /// One actor for every row (`--actor`), overriding any actor column.
    pub constant_actor: Option<String>,
    /// True when the user named the source column: then it must exist.
    pub source_required: bool,
    /// One source for every row (`--source`), overriding any source column.
    pub constant_source: Option<String>,
    /// Read the label column: it must exist and every row needs a label. When false the label
    /// column is not read at all, whatever it holds (labels are not needed to predict).
    pub label_required: bool,
    /// Maps the file's labels onto the model's.
    pub label_map: LabelMap,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    pub lossy: bool,
    /// A column read as each row's id (`predict --id-col`): it must exist.
    pub id_column: Option<String>,
}

/// One statement read from a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based line where the record starts.
    pub line: u64,
    /// The statement.
    pub text: String,
    /// Its target actor, if any.
    pub actor: Option<String>,
    /// Whose stance toward the actor the row asks about (none: the statement's own).
    pub source: Option<String>,
    /// Its label (mapped), when labels are read.
    pub label: Option<String>,
    /// Its group key, when a group column is read.
    pub group: Option<String>,
    /// The row's value in [`LoadOptions::id_column`].
    pub id: Option<String>,
}

/// What was read, with what was skipped.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file the table was read from ("-" for stdin).
    pub path: PathBuf,
    /// The rows kept, in file order.
    pub records: Vec<Record>,
    /// SHA-256 of the file's bytes, recorded in the model card.
    pub sha256: String,
    /// The lines of the rows skipped for an empty text.
    pub skipped_empty: Vec<u64>,
    /// How many rows repeat an earlier row (text, actor and label).
    pub duplicates: usize,
    /// The first duplicate row and the earlier row it repeats (lines), for the warning.
    pub first_duplicate: Option<(u64, u64)>,
    /// A column that looks like the target actor's (`target`, `objetivo`…) when the actor
    /// column was not found and no actor was given: read as nothing, so it gets a warning.
    pub unread_actor_column: Option<String>,
}

impl Table {
    /// The rows at `rows` (indices into `records`) as a table of the same file, without its
    /// warnings: a fold of cross-validation.
    pub fn subset(&self, rows: &[usize]) -> Table {
        Table {
            path: self.path.clone(),
            records: rows.iter().filter_map(|&i| self.records.get(i).cloned()).collect(),
            sha256: self.sha256.clone(),
            skipped_empty: Vec::new(),
            duplicates: 0,
            first_duplicate: None,
            unread_actor_column: None,
        }
    }

    /// The table's labels, sorted, and each row's index among them (0 for a row without one).
    pub fn label_indices(&self) -> (Vec<String>, Vec<usize>) {
        let mut names: Vec<String> = self.records.iter().filter_map(|r| r.label.clone()).collect();
        names.sort();
        names.dedup();
        let index = self
            .records
            .iter()
            .map(|r| names.iter().position(|n| Some(n) == r.label.as_ref()).unwrap_or(0))
            .collect();
        (names, index)
    }

    /// The one summary line of warnings, if there is anything to say.
    pub fn warning_summary(&self) -> Option<String> {
        self.warning_counts()
            .map(|counts| format!("{}: {counts}", self.path.display()))
    }

    /// The warning summary without the file name, for `--strict` errors (which name the file).
    pub fn warning_counts(&self) -> Option<String> {
        let mut parts = Vec::new();
        match self.skipped_empty.as_slice() {
            [] => {}
            [l] => parts.push(format!("1 row with empty text skipped (line {l})")),
            [l, ..] => parts.push(format!(
                "{} rows with empty text skipped (first at line {l})",
                self.skipped_empty.len()
            )),
        }
        parts.extend(self.duplicate_counts());
        if let Some(c) = &self.unread_actor_column {
            parts.push(format!(
                "column '{c}' looks like the target actor's but is not read, so rows have no target: \
                 pass --actor-col {c} to use it (or --actor NAME for one actor)"
            ));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// The duplicate rows part of the warnings, if there are any.
    pub fn duplicate_counts(&self) -> Option<String> {
        (self.duplicates > 0).then(|| {
            let first = self.first_duplicate.map_or(String::new(), |(dup, orig)| {
                format!(", first at line {dup} repeating line {orig}")
            });
            let rows = if self.duplicates == 1 { "row" } else { "rows" };
            format!("{} duplicate {rows} (kept{first})", self.duplicates)
        })
    }
}

fn default_delimiter(path: &Path) -> u8 {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("tsv" | "tab") => b'\t',
        _ => b',',
    }
}

/// Reads a table from `path` ("-" for stdin).
pub fn load_table(path: &Path, opts: &LoadOptions) -> Result<Table> {
    let bytes = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map_err(|e| Error::io(path, e))?;
        buf
    } else {
        if path.is_dir() {
            return Err(Error::input(path, None, "is a directory, not a CSV/TSV file"));
        }
        std::fs::read(path).map_err(|e| Error::io(path, e))?
    };
    parse_table(path, &bytes, opts)
}

/// Files saved as UTF-16 (as some spreadsheet exports are) get a message that says so, rather
/// than a complaint about a byte.
pub(crate) fn reject_utf16(path: &Path, body: &[u8]) -> Result<()> {
    if body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF") {
        return Err(Error::input(
            path,
            Some(1),
            "the file is UTF-16 encoded (it starts with a UTF-16 byte-order mark); save it as UTF-8",
        ));
    }
    Ok(())
}

/// Parses table bytes; `path` only names the source in messages.
pub fn parse_table(path: &Path, bytes: &[u8], opts: &LoadOptions) -> Result<Table> {
    let sha256 = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::input(path, None, "the file is empty (a header line is needed)"));
    }
    reject_utf16(path, body)?;
    let delimiter = opts.delimiter.unwrap_or_else(|| default_delimiter(path));
    // TSV files conventionally have no quoting: a tweet may start with a quote mark.
    let quoting = delimiter != b'\t';
    // A quote that never closes swallows the rest of the file into one field, which the reader
    // accepts silently: find it first, read the records before it, then report it.
    let open_quote = if quoting {
        unterminated_quote(body, delimiter)
    } else {
        None
    };
    let quote_error = |q: usize| {
        let (line, column) = line_column(body, q);
        Error::Input {
            path: path.to_path_buf(),
            line: Some(line),
            column: Some(column),
            msg: "unterminated quote: this quoted field never closes and would swallow the rest of the file".into(),
        }
    };
    let readable = match open_quote {
        Some((0, q)) => return Err(quote_error(q)),
        Some((record_start, _)) => &body[..record_start],
        None => body,
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .quoting(quoting)
        .from_reader(readable);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(csv_error(path, e)),
        None => return Err(Error::input(path, None, "the file is empty (a header line is needed)")),
    };
    if header.iter().any(|f| f.contains(&0)) {
        return Err(Error::input(
            path,
            Some(1),
            "NUL bytes in the header line: is the file UTF-16 encoded? save it as UTF-8",
        ));
    }
    let header: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_string())
        .collect();
    let text_idx = find_column(path, &header, &opts.columns.text, "text", true)?.unwrap_or(0);
    let actor_idx = if opts.constant_actor.is_some() {
        None
    } else {
        find_column(path, &header, &opts.columns.actor, "actor", opts.actor_required)?
    };
    let unread_actor_column = if actor_idx.is_none() && opts.constant_actor.is_none() {
        header
            .iter()
            .find(|h| ACTOR_LIKE_COLUMNS.contains(&h.to_lowercase().as_str()))
            .cloned()
    } else {
        None
    };
    let source_idx = if opts.constant_source.is_some() {
        None
    } else {
        find_column(path, &header, &opts.columns.source, "source", opts.source_required)?
    };
    let label_idx = if opts.label_required {
        find_column(path, &header, &opts.columns.label, "label", true)?
    } else {
        None
    };
    let group_idx = match &opts.columns.group {
        Some(g) => find_column(path, &header, g, "group", true)?,
        None => None,
    };
    let id_idx = match &opts.id_column {
        Some(c) => find_column(path, &header, c, "id", true)?,
        None => None,
    };
    let mut table = Table {
        path: path.to_path_buf(),
        records: Vec::new(),
        sha256,
        skipped_empty: Vec::new(),
        duplicates: 0,
        first_duplicate: None,
        unread_actor_column,
    };
    let mut seen = rustc_hash::FxHashMap::default();
    // Each label's first spelling (lower-cased key) and its line.
    let mut spellings: rustc_hash::FxHashMap<String, (String, u64)> = Default::default();
    // Line numbers from byte offsets: the csv crate miscounts lines ending in CRLF.
    let mut lines = LineCounter::default();
    for rec in records {
        let rec = rec.map_err(|e| csv_error(path, e))?;
        let line = rec.position().map_or(0, |p| lines.line_at(body, p.byte() as usize));
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // blank line
        }
        if rec.len() != header.len() {
            let hint = if rec.iter().any(|f| f.contains(&b'\n')) {
                " (an unterminated quote?)"
            } else {
                ""
            };
            return Err(Error::input(
                path,
                Some(line),
                format!("{} fields, but the header has {}{hint}", rec.len(), header.len()),
            ));
        }
        let rec_start = rec.position().map_or(0, |p| p.byte() as usize);
        // The exact place of a bad byte in field `idx`, for the message.
        let locate = |idx: usize, bad: &dyn Fn(&[u8]) -> Option<usize>| -> (u64, Option<u64>) {
            let start = field_offset(body, rec_start, idx, delimiter, quoting);
            match body.get(start..).and_then(bad) {
                Some(at) => {
                    let (l, c) = line_column(body, start + at);
                    (l, Some(c))
                }
                None => (line, None),
            }
        };
        let field = |idx: usize, what: &str| -> Result<String> {
            let raw = rec.get(idx).unwrap_or_default();
            if raw.contains(&0) {
                let (line, column) = locate(idx, &|rest| rest.iter().position(|&b| b == 0));
                return Err(Error::Input {
                    path: path.to_path_buf(),
                    line: Some(line),
                    column,
                    msg: format!("NUL byte in the {what} field (a binary file, or UTF-16 text?)"),
                });
            }
            match std::str::from_utf8(raw) {
                Ok(s) => Ok(s.to_string()),
                Err(_) if opts.lossy => Ok(String::from_utf8_lossy(raw).into_owned()),
                Err(_) => {
                    let (line, column) = locate(idx, &|rest| std::str::from_utf8(rest).err().map(|e| e.valid_up_to()));
                    Err(Error::Input {
                        path: path.to_path_buf(),
                        line: Some(line),
                        column,
                        msg: format!(
                            "the {what} field is not valid UTF-8; re-encode the file as UTF-8 or pass --lossy"
                        ),
                    })
                }
            }
        };
        let text = field(text_idx, "text")?;
        let actor = match (&opts.constant_actor, actor_idx) {
            (Some(a), _) => Some(a.clone()),
            (None, Some(i)) => Some(field(i, "actor")?.trim().to_string()).filter(|a| !a.is_empty()),
            _ => None,
        };
        let source = match (&opts.constant_source, source_idx) {
            (Some(a), _) => Some(a.clone()),
            (None, Some(i)) => Some(field(i, "source")?.trim().to_string()).filter(|a| !a.is_empty()),
            _ => None,
        };
        let label = match label_idx {
            Some(i) => {
                let raw = field(i, "label")?.trim().to_string();
                if raw.is_empty() {
                    return Err(Error::input(path, Some(line), "empty label"));
                }
                match opts.label_map.apply(&raw) {
                    Some(l) => Some(l.to_string()),
                    None => {
                        let known: Vec<&str> = opts.label_map.0.iter().map(|(f, _)| f.as_str()).collect();
                        let hint = known
                            .iter()
                            .copied()
                            .find(|k| is_slip(k, &raw))
                            .map_or(String::new(), |k| format!("; is '{k}' in the map a slip for '{raw}'?"));
                        return Err(Error::input(
                            path,
                            Some(line),
                            format!(
                                "label '{raw}' is not covered by the label map (it maps {}; --label-map sets one){hint}",
                                known.join(", ")
                            ),
                        ));
                    }
                }
            }
            None => None,
        };
        // "Supportive" beside "supportive" would train as a class of its own, unnoticed.
        if let Some(l) = &label {
            let key = l.to_lowercase();
            match spellings.get(&key) {
                Some((first, at)) if first != l => {
                    return Err(Error::input(
                        path,
                        Some(line),
                        format!(
                            "label '{l}' differs from '{first}' (line {at}) only in case: one label \
                             spelled two ways would count as two labels; spell it one way"
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    spellings.insert(key, (l.clone(), line));
                }
            }
        }
        let id = id_idx.map(|i| field(i, "id")).transpose()?;
        if let Some(why) = crate::text::statement_too_long(text.len()) {
            return Err(Error::input(path, Some(line), why));
        }
        if text.trim().is_empty() {
            table.skipped_empty.push(line);
            continue;
        }
        let group = match group_idx {
            // A blank group would silently become one group of its own (one "writer" of all the
            // rows that lack one), and " A" another group than "A".
            Some(i) => match field(i, "group")?.trim() {
                "" => {
                    return Err(Error::input(
                        path,
                        Some(line),
                        format!(
                            "empty value in the group column '{}': every row needs one",
                            opts.columns.group.as_deref().unwrap_or_default()
                        ),
                    ));
                }
                g => Some(g.to_string()),
            },
            None => None,
        };
        let key = (text.clone(), actor.clone(), source.clone(), label.clone());
        if let Some(&orig) = seen.get(&key) {
            table.duplicates += 1;
            table.first_duplicate.get_or_insert((line, orig));
        } else {
            seen.insert(key, line);
        }
        table.records.push(Record {
            line,
            text,
            actor,
            source,
            label,
            group,
            id,
        });
    }
    if let Some((_, q)) = open_quote {
        return Err(quote_error(q));
    }
    if table.records.is_empty() {
        return Err(Error::input(
            path,
            None,
            "no data rows (only a header, or every text is empty)",
        ));
    }
    Ok(table)
}

/// Turns byte offsets (visited in increasing order) into 1-based line numbers.
#[derive(Default)]
struct LineCounter {
    byte: usize,
    newlines: u64,
}

impl LineCounter {
    fn line_at(&mut self, body: &[u8], byte: usize) -> u64 {
        // With CRLF the reader reports a record as starting at the LF of the previous line.
        let skip = body
            .get(byte..)
            .map_or(0, |s| s.iter().take_while(|&&b| b == b'\r' || b == b'\n').count());
        let end = (byte + skip).min(body.len());
        if end > self.byte {
            self.newlines += line_breaks(body, self.byte..end);
            self.byte = end;
        }
        self.newlines + 1
    }
}

/// Line breaks among the bytes of `range`: LF, CRLF (counted once) and a lone CR, as the reader
/// and text editors see them (old Mac spreadsheet exports end lines with CR alone).
fn line_breaks(body: &[u8], range: std::ops::Range<usize>) -> u64 {
    range
        .filter(|&i| match body.get(i) {
            Some(b'\n') => true,
            Some(b'\r') => body.get(i + 1) != Some(&b'\n'),
            _ => false,
        })
        .count() as u64
}

/// 1-based line and column (in characters) of byte `offset`. Error paths only: it scans from the start.
fn line_column(body: &[u8], offset: usize) -> (u64, u64) {
    let before = &body[..offset.min(body.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    let line = line_breaks(body, 0..before.len()) + 1;
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() as u64 + 1;
    (line, column)
}

/// The first quoted field that never closes, as (where its record starts, where the quote is),
/// following the reader's rules: a quote opens a field only as its first byte, `""` inside is
/// a literal quote, and after the closing quote the field goes on unquoted.
fn unterminated_quote(body: &[u8], delimiter: u8) -> Option<(usize, usize)> {
    let mut record_start = 0;
    let mut at_field_start = true;
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if at_field_start && b == b'"' {
            let open = i;
            i += 1;
            loop {
                let Some(close) = body[i..].iter().position(|&b| b == b'"') else {
                    return Some((record_start, open));
                };
                i += close + 1;
                if body.get(i) != Some(&b'"') {
                    break;
                }
                i += 1;
            }
            at_field_start = false;
            continue;
        }
        if b == b'\n' || b == b'\r' {
            record_start = i + 1;
        }
        at_field_start = b == delimiter || b == b'\n' || b == b'\r';
        i += 1;
    }
    None
}

/// The byte offset in `body` where field `idx` of the record starting at `record_start` begins.
fn field_offset(body: &[u8], record_start: usize, idx: usize, delimiter: u8, quoting: bool) -> usize {
    // With CRLF the reader reports a record as starting at the line break before it.
    let mut i = record_start
        + body
            .get(record_start..)
            .map_or(0, |s| s.iter().take_while(|&&b| b == b'\r' || b == b'\n').count());
    let (mut field, mut in_quotes, mut at_start) = (0, false, true);
    while i < body.len() && field < idx {
        let b = body[i];
        if in_quotes {
            if b == b'"' {
                if body.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if quoting && at_start && b == b'"' {
            in_quotes = true;
        } else if b == delimiter {
            field += 1;
            at_start = true;
            i += 1;
            continue;
        }
        at_start = false;
        i += 1;
    }
    i
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let msg = match e.kind() {
        csv::ErrorKind::Io(io) => format!("read error: {io}"),
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8: {err}"),
        _ => format!("malformed CSV: {e}"),
    };
    Error::input(path, line, msg)
}

/// The index of column `name` (exact, then case-insensitive). A required column that is missing
/// is an error listing the columns found and suggesting the closest name.
fn find_column(path: &Path, header: &[String], name: &str, role: &str, required: bool) -> Result<Option<usize>> {
    // Two columns of the name: which one holds the data is a guess, so neither is read.
    let only = |same: &dyn Fn(&String) -> bool| -> Result<Option<usize>> {
        let mut at = header.iter().enumerate().filter(|(_, h)| same(h)).map(|(i, _)| i);
        match (at.next(), at.next()) {
            (Some(i), Some(j)) => Err(Error::input(
                path,
                Some(1),
                format!(
                    "two columns are named '{}' (columns {} and {}): rename one, or name the {role} \
                     column with --{role}-col",
                    header.get(i).map_or("", String::as_str),
                    i + 1,
                    j + 1
                ),
            )),
            (first, _) => Ok(first),
        }
    };
    if let Some(i) = only(&|h| h == name)? {
        return Ok(Some(i));
    }
    if let Some(i) = only(&|h| h.eq_ignore_ascii_case(name))? {
        return Ok(Some(i));
    }
    if !required {
        return Ok(None);
    }
    // Bounded, whatever the header holds (a 50 MB line without a delimiter is one column name).
    let short = |h: &str| -> String {
        if h.chars().count() > 40 {
            format!("{}…", h.chars().take(39).collect::<String>())
        } else {
            h.to_string()
        }
    };
    // One column whose name holds a tab or semicolon: the file has another delimiter.
    let other_delimiter = match header {
        [only] if only.contains('\t') => Some("tab"),
        [only] if only.contains(';') => Some(";"),
        _ => None,
    };
    let closest = match other_delimiter {
        Some(d) => format!("; the header looks split by another delimiter: try --delimiter '{d}'"),
        None => header
            .iter()
            .map(|h| (edit_distance(&short(h).to_lowercase(), &name.to_lowercase()), h))
            .min_by_key(|&(d, _)| d)
            // Only names near enough to be a slip: "texto" for "text", not "id" for "actor".
            .filter(|&(d, _)| d <= (name.chars().count() / 2).max(2))
            // Group columns are named by several flags (cv --group-col, train --calibrate-by).
            .map(|(_, h)| match role {
                "group" => format!("; did you mean {}?", short(h)),
                _ => format!("; did you mean --{role}-col {}?", short(h)),
            })
            .unwrap_or_default(),
    };
    let mut found: Vec<String> = header.iter().take(30).map(|h| short(h)).collect();
    if header.len() > 30 {
        found.push(format!("… {} more", header.len() - 30));
    }
    Err(Error::input(
        path,
        Some(1),
        format!(
            "no {role} column '{name}' (columns found: {}){closest}",
            found.join(", ")
        ),
    ))
}

/// Column names that usually hold a row's target actor, besides `actor`.
const ACTOR_LIKE_COLUMNS: &[&str] = &[
    "target",
    "targets",
    "target_actor",
    "target_name",
    "entity",
    "entidad",
    "objetivo",
    "actor_name",
    "actores",
    "politician",
    "politico",
    "político",
];

/// The candidate a misspelled `name` most likely meant: the nearest by edit distance (case
/// aside) if at most `max` edits away ("suportive" for "supportive", not "neg" for "neutral").
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (edit_distance(&c.to_lowercase(), &lower), c))
        .min_by_key(|&(d, _)| d)
        .filter(|&(d, _)| d <= max)
        .map(|(_, c)| c)
}

/// Whether `written` looks like a slip for `meant`: the same letters in another order or case
/// ("PSO", "pos" for "POS"), or, for names of 5 chars or more, one edit per 4 chars. Short
/// codes one letter apart ("NEG", "NEU") are different labels, not slips.
fn is_slip(written: &str, meant: &str) -> bool {
    let (w, m) = (written.to_lowercase(), meant.to_lowercase());
    if w == m {
        return written != meant;
    }
    let sorted = |s: &str| {
        let mut c: Vec<char> = s.chars().collect();
        c.sort_unstable();
        c
    };
    let n = m.chars().count();
    sorted(&w) == sorted(&m) || (n >= 5 && edit_distance(&w, &m) <= (n / 4).max(1))
}

/// Levenshtein distance over chars.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> LoadOptions {
        LoadOptions {
            label_required: true,
            ..LoadOptions::default()
        }
    }

    fn parse(name: &str, s: &[u8], o: &LoadOptions) -> Result<Table> {
        parse_table(Path::new(name), s, o)
    }

    #[test]
    fn reads_csv_with_bom_and_crlf() {
        let t = parse(
            "a.csv",
            b"\xEF\xBB\xBFtext,actor,label\r\n\"Hola, Kast\",Kast,supportive\r\nChau,Kast,neutral\r\n",
            &opts(),
        )
        .unwrap();
        assert_eq!(t.records.len(), 2);
        assert_eq!(t.records[0].text, "Hola, Kast");
        assert_eq!(t.records[0].actor.as_deref(), Some("Kast"));
        assert_eq!(t.records[1].label.as_deref(), Some("neutral"));
        assert_eq!(t.records[1].line, 3);
    }

    #[test]
    fn tsv_by_extension_without_quoting_and_case_insensitive_columns() {
        let o = LoadOptions {
            columns: Columns {
                text: "TWEET".into(),
                ..Columns::default()
            },
            ..opts()
        };
        let t = parse("a.tsv", b"id_str\tTWEET\tLABEL\n1\t\"Visca\" dijo\tFAVOR\n", &o).unwrap();
        assert_eq!(t.records[0].text, "\"Visca\" dijo");
        assert_eq!(t.records[0].label.as_deref(), Some("FAVOR"));
        assert_eq!(t.records[0].actor, None);
    }

    #[test]
    fn label_map_applies_and_rejects_uncovered_labels() {
        let o = LoadOptions {
            label_map: LabelMap::parse("POS=supportive, NEG=distancing").unwrap(),
            ..opts()
        };
        let t = parse("a.csv", b"text,label\nx,POS\ny,NEG\n", &o).unwrap();
        assert_eq!(t.records[1].label.as_deref(), Some("distancing"));
        let e = parse("a.csv", b"text,label\nx,POS\ny,NEU\n", &o).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.csv:3: label 'NEU' is not covered by the label map (it maps POS, NEG; --label-map sets one)"
        );
        assert!(LabelMap::parse("POS").is_err());
        assert!(LabelMap::parse("A=b,A=c").is_err());
        assert!(LabelMap::parse("A=b=c").is_err());
        let e = LabelMap::parse("POS=suportive,NEU=neutral").unwrap_err();
        assert!(e.to_string().contains("did you mean 'supportive'?"), "{e}");
        // A label of one's own, far from postura's, is fine.
        assert!(LabelMap::parse("1=favor,0=contra").is_ok());
        let o = LoadOptions {
            label_map: LabelMap::parse("PSO=supportive,NEG=distancing").unwrap(),
            ..opts()
        };
        let e = parse("a.csv", b"text,label\nx,POS\n", &o).unwrap_err();
        assert!(e.to_string().ends_with("is 'PSO' in the map a slip for 'POS'?"), "{e}");
    }

    #[test]
    fn missing_column_lists_columns_and_suggests() {
        let e = parse("a.csv", b"texto,label\nx,y\n", &opts()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.csv:1: no text column 'text' (columns found: texto, label); did you mean --text-col texto?"
        );
        // No far-fetched guess, and a tab-separated file read with commas says so.
        let e = parse(
            "a.csv",
            b"id,label
x,y
",
            &opts(),
        )
        .unwrap_err();
        assert!(!e.to_string().contains("did you mean"), "{e}");
        let e = parse("a.txt", b"text\tlabel\nx\ty\n", &opts()).unwrap_err();
        assert!(e.to_string().ends_with("try --delimiter 'tab'"), "{e}");
    }

    #[test]
    fn ragged_rows_and_bad_utf8_name_the_line() {
        let e = parse("a.csv", b"text,label\nx,y\nz\n", &opts()).unwrap_err();
        assert_eq!(e.to_string(), "a.csv:3: 1 fields, but the header has 2");
        let e = parse("a.csv", b"text,label\nok,y\nbad \xFF,y\n", &opts()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("a.csv:3:5: the text field is not valid UTF-8"),
            "{e}"
        );
        let lossy = LoadOptions { lossy: true, ..opts() };
        let t = parse("a.csv", b"text,label\nok,y\nbad \xFF,y\n", &lossy).unwrap();
        assert_eq!(t.records[1].text, "bad \u{FFFD}");
    }

    #[test]
    fn empty_inputs_are_errors_and_empty_texts_are_counted() {
        assert!(parse("a.csv", b"", &opts()).unwrap_err().to_string().contains("empty"));
        assert!(
            parse("a.csv", b"text,label\n", &opts())
                .unwrap_err()
                .to_string()
                .contains("no data rows")
        );
        let t = parse("a.csv", b"text,label\n,x\nhola,y\nhola,y\n", &opts()).unwrap();
        assert_eq!(t.skipped_empty, vec![2]);
        assert_eq!(t.duplicates, 1);
        assert!(
            t.warning_summary()
                .unwrap()
                .contains("1 row with empty text skipped (line ")
        );
    }

    #[test]
    fn unterminated_quote_is_found_where_it_opens() {
        // Same field count on every row: only the quote scan sees the damage.
        let e = parse("a.csv", b"text,label\nx,y\nz,\"y\nw,v\n", &opts()).unwrap_err();
        assert!(e.to_string().starts_with("a.csv:3:3: unterminated quote"), "{e}");
        let e = parse("a.csv", b"\"text,label\nx,y\n", &opts()).unwrap_err();
        assert!(e.to_string().starts_with("a.csv:1:1: unterminated quote"), "{e}");
        // Rows before it are still checked first, in file order.
        let e = parse("a.csv", b"text,label\nx\nz,\"y\n", &opts()).unwrap_err();
        assert_eq!(e.to_string(), "a.csv:2: 1 fields, but the header has 2");
        // Closed quotes, doubled quotes, quotes inside unquoted fields, and TSV (no quoting).
        let t = parse("a.csv", b"text,label\n\"a \"\"b\"\"\",y\nsay \"hi,y\n", &opts()).unwrap();
        assert_eq!(t.records[0].text, "a \"b\"");
        assert_eq!(t.records[1].text, "say \"hi");
        let t = parse("a.tsv", b"text\tlabel\n\"open\ty\n", &opts()).unwrap();
        assert_eq!(t.records[0].text, "\"open");
        assert_eq!(unterminated_quote(b"a,\"b\"\"\n", b','), Some((0, 2)));
        assert_eq!(unterminated_quote(b"a,\"b\"\"\"\n", b','), None);
    }

    #[test]
    fn bad_bytes_are_located_by_line_and_column() {
        let e = parse("a.csv", b"text,label\r\n\"x,\"\"\xC3\xB1\",ok\r\ny,\xFF\r\n", &opts()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("a.csv:3:3: the label field is not valid UTF-8"),
            "{e}"
        );
        let e = parse("a.csv", b"label,text\nx,ab\0c\n", &opts()).unwrap_err();
        assert!(
            e.to_string().starts_with("a.csv:2:5: NUL byte in the text field"),
            "{e}"
        );
        let e = parse("a.csv", b"\xFF\xFEt\0e\0", &opts()).unwrap_err();
        assert!(e.to_string().contains("UTF-16"), "{e}");
        assert_eq!(line_column("añb\nc".as_bytes(), 5), (2, 1));
        assert_eq!(line_column(b"a\r\nb\rc", 5), (3, 1));
        assert_eq!(line_column(b"a\r\nb\rc", 4), (2, 2));
        assert_eq!(line_column("añb\nc".as_bytes(), 3), (1, 3));
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        // Old Mac spreadsheet exports end lines with CR alone; mixed endings count alike.
        let t = parse("a.csv", b"text,label\rx,y\r\rz,y\r\nw,y\n", &opts()).unwrap();
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 4, 5]);
        let e = parse("a.csv", b"text,label\rx,y\rz\r", &opts()).unwrap_err();
        assert_eq!(e.to_string(), "a.csv:3: 1 fields, but the header has 2");
    }

    #[test]
    fn duplicates_name_the_first_repeat() {
        let t = parse("a.csv", b"text,label\nhola,y\nchau,y\nhola,y\nchau,y\n", &opts()).unwrap();
        assert_eq!(t.duplicates, 2);
        assert_eq!(t.first_duplicate, Some((4, 2)));
        assert_eq!(
            t.warning_summary().unwrap(),
            "a.csv: 2 duplicate rows (kept, first at line 4 repeating line 2)"
        );
    }

    #[test]
    fn missing_column_message_is_bounded() {
        let long = format!("{}\nx\n", "y".repeat(10_000));
        let e = parse("a.csv", long.as_bytes(), &opts()).unwrap_err();
        assert!(e.to_string().len() < 300, "{e}");
        let many: String = (0..100).map(|i| format!("c{i},")).collect::<String>() + "z\n";
        let e = parse("a.csv", many.as_bytes(), &opts()).unwrap_err();
        assert!(e.to_string().contains("… 71 more"), "{e}");
    }

    #[test]
    fn labels_not_required_are_not_read() {
        let o = LoadOptions::default();
        let t = parse("a.csv", b"text,label\nhola,\nchau,sin mapa\n", &o).unwrap();
        assert_eq!(t.records.len(), 2);
        assert!(t.records.iter().all(|r| r.label.is_none()));
        assert!(parse("a.csv", b"text,label\nhola,\n", &opts()).is_err());
    }

    #[test]
    fn constant_actor_overrides_the_column() {
        let o = LoadOptions {
            constant_actor: Some("la independencia".into()),
            ..opts()
        };
        let t = parse("a.csv", b"text,actor,label\nx,Kast,y\n", &o).unwrap();
        assert_eq!(t.records[0].actor.as_deref(), Some("la independencia"));
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("label", "LABEL".to_lowercase().as_str()), 0);
        assert_eq!(edit_distance("text", "texto"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
