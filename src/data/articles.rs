//! Articles for batch labeling: finding them (files, directories walked in sorted order, stdin),
//! reading them (.txt, .md, .html, .jsonl) one at a time, and the actor lists they are labeled toward.
//!
//! Reading is lazy: [`Articles`] is an iterator that opens one file at a time and streams JSON
//! lines, so memory does not grow with the number or size of the inputs. A file that cannot be
//! used becomes one [`Problem`] item and the iteration goes on with the next file.

use super::date::Date;
use crate::error::{Error, Result};
use crate::text::html::html_document;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One article: where it came from and its plain text.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The file path as given (joined with directory entries), or the JSON line's id field, or
    /// `path:line` when a JSON line has no id.
    pub id: String,
    /// Plain text: the file as is, HTML stripped to text, or a JSON line's text field.
    /// Sentence byte offsets refer to this text.
    pub text: String,
    /// An HTML page's `<title>` (not part of `text`).
    pub title: Option<String>,
    /// A JSON line's date field ([`ReadOptions::date_field`]).
    pub date: Option<Date>,
}

impl Article {
    /// An article with an id and a text, no title or date.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Article {
            id: id.into(),
            text: text.into(),
            title: None,
            date: None,
        }
    }
}

/// How an input that yielded no article is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// Nothing to label (an empty file or an empty text field): reported, not an error.
    Skipped,
    /// Unreadable, not UTF-8, or not valid JSON: reported, and the run's exit code says so.
    Failed,
}

/// An input that yielded no article, with the error that names its file (and line for JSON lines).
#[derive(Debug)]
pub struct Problem {
    /// Whether the input was skipped (nothing to label) or failed.
    pub kind: ProblemKind,
    /// What went wrong, naming the input.
    pub error: Error,
}

impl Problem {
    fn skipped(error: Error) -> Self {
        Problem {
            kind: ProblemKind::Skipped,
            error,
        }
    }

    fn failed(error: Error) -> Self {
        Problem {
            kind: ProblemKind::Failed,
            error,
        }
    }
}

/// What the article iterator yields.
pub type ArticleItem = std::result::Result<Article, Problem>;

/// How a file is read, decided by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleFormat {
    /// `.txt`, `.md`, `.markdown`, `.text` (and any other extension of a file named explicitly).
    Text,
    /// `.html`, `.htm`, `.xhtml`: tags, scripts and styles dropped, entities decoded.
    Html,
    /// `.jsonl`, `.ndjson`: one article per line, an object with a text field (and an id field).
    JsonLines,
}

impl ArticleFormat {
    /// The format of a file with this extension, or `None` for files a directory walk skips.
    pub fn from_path(path: &Path) -> Option<ArticleFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" | "md" | "markdown" => Some(ArticleFormat::Text),
            "html" | "htm" | "xhtml" => Some(ArticleFormat::Html),
            "jsonl" | "ndjson" => Some(ArticleFormat::JsonLines),
            _ => None,
        }
    }
}

/// Field names for JSON-lines input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// The field holding the article text.
    pub text_field: String,
    /// The field holding the article id (a string or a number); `path:line` when absent.
    pub id_field: String,
    /// The field holding the article's date (`YYYY-MM-DD`, or an ISO date-time whose date is
    /// taken), if dates are wanted. A line without the field has no date; a value that is not
    /// a date is an error naming the file and line.
    pub date_field: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            text_field: "text".into(),
            id_field: "id".into(),
            date_field: None,
        }
    }
}

/// The name stdin goes by in ids and messages.
pub const STDIN_NAME: &str = "<stdin>";

/// An input still to open: a path (given, or found in a directory) or stdin.
enum Pending {
    Path(PathBuf),
    Stdin,
    /// A folder's documentation file (see [`is_documentation`]): reported as skipped.
    Documentation(PathBuf),
}

/// Whether a file found in a folder is the folder's documentation rather than an article: a
/// plain-text file (`.txt`, `.md`, …) named README, LICENSE/LICENCE, CHANGELOG, CONTRIBUTING,
/// NOTICE, AUTHORS or COPYING, whatever the case and whatever follows a `.`, `-` or `_`
/// (`README.en.md`, `LICENSE-MIT.txt`). Such files are skipped (and reported) when a folder is
/// read; naming one on the command line labels it.
fn is_documentation(path: &Path) -> bool {
    const NAMES: [&str; 8] = [
        "readme",
        "license",
        "licence",
        "changelog",
        "contributing",
        "notice",
        "authors",
        "copying",
    ];
    if ArticleFormat::from_path(path) != Some(ArticleFormat::Text) {
        return false;
    }
    path.file_name()
        .and_then(|s| s.to_str())
        .and_then(|s| s.split(['.', '-', '_']).next())
        .is_some_and(|s| NAMES.iter().any(|n| s.eq_ignore_ascii_case(n)))
}

/// JSON lines being streamed from a file or stdin.
struct JsonLinesStream {
    name: PathBuf,
    reader: Box<dyn BufRead>,
    line: u64,
    /// True once a non-blank line was seen: a file with none is reported as empty.
    any: bool,
    done: bool,
}

/// The articles of a list of paths, in order: files as given, directories walked recursively
/// with entries sorted by name (hidden entries and files of other types skipped, symbolic links
/// to directories not followed), `-` for stdin (JSON lines when it starts with `{`, else one
/// plain-text article).
pub struct Articles {
    opts: ReadOptions,
    /// Inputs still to open, the next one last.
    pending: Vec<Pending>,
    current: Option<JsonLinesStream>,
}

impl Articles {
    /// The articles of `paths` (files or directories), read lazily with `opts`.
    pub fn new<P: AsRef<Path>>(paths: &[P], opts: ReadOptions) -> Self {
        let pending = paths
            .iter()
            .rev()
            .map(|p| {
                let p = p.as_ref();
                if p == Path::new("-") {
                    Pending::Stdin
                } else {
                    Pending::Path(p.to_path_buf())
                }
            })
            .collect();
        Articles {
            opts,
            pending,
            current: None,
        }
    }

    /// Opens the next pending input: returns an item for a whole-file article or a problem,
    /// `None` when it only queued more work (a directory's entries, a JSON-lines stream).
    fn open(&mut self, next: Pending) -> Option<ArticleItem> {
        match next {
            Pending::Stdin => self.open_stdin(),
            Pending::Documentation(path) => Some(Err(Problem::skipped(Error::input(
                &path,
                None,
                "the folder's documentation, not an article (name the file to label it)",
            )))),
            Pending::Path(path) => {
                let meta = match std::fs::metadata(&path) {
                    Ok(m) => m,
                    Err(e) => return Some(Err(Problem::failed(Error::io(&path, e)))),
                };
                if meta.is_dir() {
                    return self.queue_directory(&path);
                }
                match ArticleFormat::from_path(&path).unwrap_or(ArticleFormat::Text) {
                    ArticleFormat::JsonLines => match std::fs::File::open(&path) {
                        Ok(f) => {
                            self.current = Some(JsonLinesStream::new(path, Box::new(BufReader::new(f))));
                            None
                        }
                        Err(e) => Some(Err(Problem::failed(Error::io(&path, e)))),
                    },
                    format => Some(read_file(&path, format)),
                }
            }
        }
    }

    /// Queues a directory's entries, sorted by name so the order never depends on the file system.
    fn queue_directory(&mut self, dir: &Path) -> Option<ArticleItem> {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return Some(Err(Problem::failed(Error::io(dir, e)))),
        };
        let mut found: Vec<(OsString, Pending)> = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => return Some(Err(Problem::failed(Error::io(dir, e)))),
            };
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let Ok(file_type) = entry.file_type() else {
                found.push((name, Pending::Path(path))); // let opening it report the problem
                continue;
            };
            // Symbolic links to directories are not followed: no cycles, no surprises.
            let is_dir = file_type.is_dir();
            let is_file =
                file_type.is_file() || (file_type.is_symlink() && std::fs::metadata(&path).is_ok_and(|m| m.is_file()));
            if is_file && is_documentation(&path) {
                found.push((name, Pending::Documentation(path)));
            } else if is_dir || (is_file && ArticleFormat::from_path(&path).is_some()) {
                found.push((name, Pending::Path(path)));
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));
        self.pending.extend(found.into_iter().rev().map(|(_, p)| p));
        None
    }

    fn open_stdin(&mut self) -> Option<ArticleItem> {
        let name = PathBuf::from(STDIN_NAME);
        let mut reader: Box<dyn BufRead> = Box::new(BufReader::with_capacity(1 << 16, std::io::stdin()));
        // Peek past leading whitespace (and a BOM): an opening brace means JSON lines. Blank
        // buffers are kept in `prefix` so plain text keeps its byte offsets and JSON its line numbers.
        let mut prefix = Vec::new();
        let json = loop {
            let buf = match reader.fill_buf() {
                Ok(b) => b,
                Err(e) => return Some(Err(Problem::failed(Error::io(&name, e)))),
            };
            if buf.is_empty() {
                break false;
            }
            let bom = if prefix.is_empty() && buf.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            };
            let rest = buf.get(bom..).unwrap_or_default();
            let blank = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            if blank < rest.len() {
                break rest.get(blank) == Some(&b'{');
            }
            let n = buf.len();
            prefix.extend_from_slice(buf);
            reader.consume(n);
        };
        if json {
            let mut stream = JsonLinesStream::new(name, reader);
            stream.line = prefix.iter().filter(|&&b| b == b'\n').count() as u64;
            self.current = Some(stream);
            return None;
        }
        let mut bytes = prefix;
        if let Err(e) = reader.read_to_end(&mut bytes) {
            return Some(Err(Problem::failed(Error::io(&name, e))));
        }
        Some(decode_article(&name, &bytes, ArticleFormat::Text))
    }
}

impl Iterator for Articles {
    type Item = ArticleItem;

    fn next(&mut self) -> Option<ArticleItem> {
        loop {
            if let Some(stream) = &mut self.current {
                match stream.next_item(&self.opts) {
                    Some(item) => return Some(item),
                    None => self.current = None,
                }
            }
            let next = self.pending.pop()?;
            if let Some(item) = self.open(next) {
                return Some(item);
            }
        }
    }
}

/// Reads a whole-file article.
fn read_file(path: &Path, format: ArticleFormat) -> ArticleItem {
    match std::fs::read(path) {
        Ok(bytes) => decode_article(path, &bytes, format),
        Err(e) => Err(Problem::failed(Error::io(path, e))),
    }
}

/// Turns a file's bytes into an article: UTF-8 (a BOM is dropped), HTML stripped to text.
pub fn decode_article(path: &Path, bytes: &[u8], format: ArticleFormat) -> ArticleItem {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    super::table::reject_utf16(path, body).map_err(Problem::failed)?;
    let raw = std::str::from_utf8(body).map_err(|e| {
        Problem::failed(Error::input(
            path,
            Some(line_of(body, e.valid_up_to())),
            format!("not valid UTF-8 (byte {})", e.valid_up_to() + bytes.len() - body.len()),
        ))
    })?;
    let (text, title) = match format {
        ArticleFormat::Html => {
            let page = html_document(raw);
            (page.body, page.title)
        }
        _ => (raw.to_string(), None),
    };
    if text.trim().is_empty() {
        return Err(Problem::skipped(Error::input(path, None, "empty, nothing to label")));
    }
    Ok(Article {
        title,
        ..Article::new(path.display().to_string(), text)
    })
}

/// 1-based line of a byte offset.
fn line_of(bytes: &[u8], offset: usize) -> u64 {
    bytes
        .get(..offset)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count() as u64)
        + 1
}

impl JsonLinesStream {
    fn new(name: PathBuf, reader: Box<dyn BufRead>) -> Self {
        JsonLinesStream {
            name,
            reader,
            line: 0,
            any: false,
            done: false,
        }
    }

    /// The next article or problem of the stream; `None` at its end.
    fn next_item(&mut self, opts: &ReadOptions) -> Option<ArticleItem> {
        let mut buf = Vec::new();
        while !self.done {
            buf.clear();
            match self.reader.read_until(b'\n', &mut buf) {
                Ok(0) => {
                    self.done = true;
                    if !self.any {
                        return Some(Err(Problem::skipped(Error::input(
                            &self.name,
                            None,
                            "empty, nothing to label",
                        ))));
                    }
                }
                Ok(_) => {
                    self.line += 1;
                    let mut line: &[u8] = &buf;
                    if self.line == 1 {
                        line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
                    }
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    self.any = true;
                    return Some(parse_json_line(&self.name, self.line, line, opts));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(Problem::failed(Error::input(
                        &self.name,
                        Some(self.line + 1),
                        format!("read error: {e}"),
                    ))));
                }
            }
        }
        None
    }
}

/// One JSON line → one article.
fn parse_json_line(name: &Path, line: u64, bytes: &[u8], opts: &ReadOptions) -> ArticleItem {
    let fail = |msg: String| Problem::failed(Error::input(name, Some(line), msg));
    let s =
        std::str::from_utf8(bytes).map_err(|e| fail(format!("not valid UTF-8 (column {})", e.valid_up_to() + 1)))?;
    let value: serde_json::Value = serde_json::from_str(s).map_err(|e| fail(format!("invalid JSON: {e}")))?;
    let serde_json::Value::Object(mut obj) = value else {
        return Err(fail("expected a JSON object per line".into()));
    };
    let text = match obj.remove(&opts.text_field) {
        Some(serde_json::Value::String(t)) => t,
        Some(serde_json::Value::Null) | None => {
            return Err(fail(format!(
                "no \"{}\" field (name the text field with --text-field)",
                opts.text_field
            )));
        }
        Some(_) => return Err(fail(format!("the \"{}\" field is not a string", opts.text_field))),
    };
    let id = match obj.get(&opts.id_field) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => format!("{}:{line}", name.display()),
    };
    let date = match opts.date_field.as_ref().map(|f| (f, obj.get(f))) {
        None | Some((_, None | Some(serde_json::Value::Null))) => None,
        Some((f, Some(serde_json::Value::String(d)))) => Some(Date::parse(d).ok_or_else(|| {
            fail(format!(
                "the \"{f}\" field is not a date: '{}' (expected YYYY-MM-DD or an ISO date-time)",
                crate::text::shorten(d, 40)
            ))
        })?),
        Some((f, Some(_))) => {
            return Err(fail(format!(
                "the \"{f}\" field is not a date string (expected \"YYYY-MM-DD\")"
            )));
        }
    };
    if text.trim().is_empty() {
        return Err(Problem::skipped(Error::input(
            name,
            Some(line),
            format!("empty \"{}\" field, nothing to label", opts.text_field),
        )));
    }
    Ok(Article {
        date,
        ..Article::new(id, text)
    })
}

/// One actor of an actor list, with its other names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorSpec {
    /// The actor's name.
    pub name: String,
    /// Its other names.
    pub aliases: Vec<String>,
}

/// Reads an actor list: a CSV file with a header naming an `actor` column and optionally an
/// `aliases` column (aliases separated by `|`); other columns are ignored.
pub fn load_actor_list(path: &Path) -> Result<Vec<ActorSpec>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_actor_list(path, &bytes)
}

/// Parses actor-list bytes; `path` only names the source in messages.
pub fn parse_actor_list(path: &Path, bytes: &[u8]) -> Result<Vec<ActorSpec>> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(actor_csv_error(path, &e)),
        None => {
            return Err(Error::input(
                path,
                None,
                "the actor list is empty (a header `actor,aliases` is needed)",
            ));
        }
    };
    let column = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let actor_idx = column("actor").ok_or_else(|| {
        Error::input(
            path,
            Some(1),
            "no `actor` column in the header (expected `actor,aliases`)",
        )
    })?;
    let aliases_idx = column("aliases");
    let mut out: Vec<ActorSpec> = Vec::new();
    for rec in records {
        let rec = rec.map_err(|e| actor_csv_error(path, &e))?;
        let line = rec.position().map(|p| line_of(body, p.byte() as usize));
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.len() > header.len() {
            // "Kast,José Antonio Kast,JAK": aliases split by commas would be lost silently.
            return Err(Error::input(
                path,
                line,
                format!(
                    "{} fields, but the header has {}: separate aliases with '|', not ','",
                    rec.len(),
                    header.len()
                ),
            ));
        }
        let name = rec.get(actor_idx).unwrap_or("").trim();
        if name.is_empty() {
            return Err(Error::input(path, line, "empty actor name"));
        }
        if !crate::text::has_word(name) {
            return Err(Error::input(
                path,
                line,
                format!("actor '{name}' has no word (a letter or digit) to look for"),
            ));
        }
        if out.iter().any(|a| a.name == name) {
            return Err(Error::input(
                path,
                line,
                format!("actor '{name}' is listed twice (put all its aliases on one line)"),
            ));
        }
        let aliases: Vec<String> = aliases_idx
            .and_then(|i| rec.get(i))
            .map(|a| {
                a.split('|')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        if let Some(alias) = aliases.iter().find(|a| !crate::text::has_word(a)) {
            return Err(Error::input(
                path,
                line,
                format!(
                    "alias '{alias}' of '{name}' has no word (a letter or digit) to look for: \
                     punctuation alone would match every such mark"
                ),
            ));
        }
        out.push(ActorSpec {
            name: name.to_string(),
            aliases,
        });
    }
    if out.is_empty() {
        return Err(Error::input(path, None, "the actor list names no actor"));
    }
    Ok(out)
}

fn actor_csv_error(path: &Path, e: &csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let msg = match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8: {err}"),
        _ => format!("malformed CSV: {e}"),
    };
    Error::input(path, line, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, bytes).unwrap();
    }

    fn ids(items: Vec<ArticleItem>) -> Vec<String> {
        items
            .into_iter()
            .map(|i| match i {
                Ok(a) => a.id,
                Err(p) => format!("{:?} {}", p.kind, p.error),
            })
            .collect()
    }

    #[test]
    fn directories_are_walked_in_sorted_order_skipping_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "b.txt", b"Texto b.");
        write(d, "a.md", b"Texto a.");
        write(d, "sub/c.html", b"<p>Texto c.</p>");
        write(d, "z.csv", b"no,es,un,articulo");
        write(d, ".oculto.txt", b"oculto");
        let items: Vec<_> = Articles::new(&[d], ReadOptions::default()).collect();
        let got = ids(items);
        let want: Vec<String> = ["a.md", "b.txt", "sub/c.html"]
            .iter()
            .map(|n| d.join(n).display().to_string())
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_folders_documentation_is_skipped_unless_named() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "a.txt", b"Texto a.");
        write(d, "README.md", b"# Estos son los articulos");
        write(d, "License.txt", b"Licencia.");
        write(d, "readme/b.txt", b"Texto b.");
        write(d, "README-en.txt", b"Docs.");
        write(d, "authors.jsonl", b"{\"text\": \"Texto c.\"}\n");
        let got: Vec<_> = Articles::new(&[d], ReadOptions::default()).collect();
        let kinds: Vec<String> = got
            .iter()
            .map(|i| match i {
                Ok(a) => format!("ok {}", a.id),
                Err(p) => format!("{:?} {}", p.kind, p.error),
            })
            .collect();
        assert_eq!(kinds.len(), 6, "{kinds:?}");
        // Sorted by name, bytewise: capitals first.
        for (k, name) in kinds.iter().zip(["License.txt", "README-en.txt", "README.md"]) {
            assert!(k.starts_with("Skipped") && k.contains(name), "{kinds:?}");
        }
        assert!(kinds[2].contains("README.md: the folder's documentation"), "{kinds:?}");
        assert_eq!(kinds[3], format!("ok {}", d.join("a.txt").display()));
        // JSON lines are data whatever their name; a folder named readme is walked; a README
        // named on the command line is read.
        assert!(
            kinds[4].starts_with("ok ") && kinds[4].contains("authors.jsonl"),
            "{kinds:?}"
        );
        assert_eq!(kinds[5], format!("ok {}", d.join("readme/b.txt").display()));
        let named = ids(Articles::new(&[d.join("README.md")], ReadOptions::default()).collect());
        assert_eq!(named, vec![d.join("README.md").display().to_string()]);
    }

    #[test]
    fn html_is_stripped_and_files_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(
            d,
            "a.html",
            b"<html><script>x=1</script><p>Caf&eacute; con le&ntilde;a.</p></html>",
        );
        write(d, "b.txt", b"  \n ");
        write(d, "c.txt", b"mal \xff codificado");
        write(d, "d.txt", b"\xEF\xBB\xBFcon BOM");
        write(d, "f.txt", b"\xFF\xFEh\x00o\x00l\x00a\x00");
        let items: Vec<_> = Articles::new(
            &[
                d.join("a.html"),
                d.join("b.txt"),
                d.join("c.txt"),
                d.join("d.txt"),
                d.join("e.txt"),
                d.join("f.txt"),
            ],
            ReadOptions::default(),
        )
        .collect();
        assert_eq!(items.len(), 6);
        assert!(matches!(&items[0], Ok(a) if a.text == "Café con leña."));
        assert!(matches!(&items[1], Err(p) if p.kind == ProblemKind::Skipped));
        assert!(
            matches!(&items[2], Err(p) if p.kind == ProblemKind::Failed && p.error.to_string().contains("c.txt:1: not valid UTF-8 (byte 4)"))
        );
        assert!(matches!(&items[3], Ok(a) if a.text == "con BOM"));
        assert!(matches!(&items[4], Err(p) if p.kind == ProblemKind::Failed && p.error.to_string().contains("e.txt")));
        assert!(matches!(&items[5], Err(p) if p.error.to_string().contains("f.txt:1: the file is UTF-16")));
    }

    #[test]
    fn json_lines_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(
            d,
            "n.jsonl",
            b"{\"id\":\"x1\",\"body\":\"Uno.\"}\n\n{\"body\":\"Dos.\"}\n{\"id\":7,\"body\":\"\"}\nno json\n{\"id\":9}\n[1]\n",
        );
        let opts = ReadOptions {
            text_field: "body".into(),
            ..ReadOptions::default()
        };
        let items: Vec<_> = Articles::new(&[d.join("n.jsonl")], opts).collect();
        let name = d.join("n.jsonl").display().to_string();
        let got = ids(items);
        assert_eq!(got[0], "x1");
        assert_eq!(got[1], format!("{name}:3"));
        assert_eq!(
            got[2],
            format!("Skipped {name}:4: empty \"body\" field, nothing to label")
        );
        assert!(
            got[3].starts_with(&format!("Failed {name}:5: invalid JSON")),
            "{}",
            got[3]
        );
        assert!(
            got[4].starts_with(&format!("Failed {name}:6: no \"body\" field")),
            "{}",
            got[4]
        );
        assert!(
            got[5].starts_with(&format!("Failed {name}:7: expected a JSON object")),
            "{}",
            got[5]
        );
        assert_eq!(got.len(), 6);
    }

    #[test]
    fn empty_json_lines_file_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "e.jsonl", b"\n\n");
        let items: Vec<_> = Articles::new(&[dir.path().join("e.jsonl")], ReadOptions::default()).collect();
        assert!(matches!(&items[..], [Err(p)] if p.kind == ProblemKind::Skipped));
    }

    #[test]
    fn actor_lists_split_aliases() {
        let csv = "actor,aliases,país\nJosé Antonio Kast,Kast|@joseantoniokast| ,CL\n\nGabriel Boric,,CL\n";
        let list = parse_actor_list(Path::new("a.csv"), csv.as_bytes()).unwrap();
        assert_eq!(
            list,
            vec![
                ActorSpec {
                    name: "José Antonio Kast".into(),
                    aliases: vec!["Kast".into(), "@joseantoniokast".into()],
                },
                ActorSpec {
                    name: "Gabriel Boric".into(),
                    aliases: vec![],
                },
            ]
        );
        let err = parse_actor_list(Path::new("a.csv"), b"actor\nKast\nKast\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.csv:3: actor 'Kast' is listed twice (put all its aliases on one line)"
        );
        assert!(parse_actor_list(Path::new("a.csv"), b"name\nKast\n").is_err());
    }
}
