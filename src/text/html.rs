//! HTML to plain text: owns turning a scraped news page into text that the sentence splitter can read.
//!
//! A single forgiving left-to-right pass (linear time, std only, never panics):
//!
//! * tags are stripped; attributes are skipped with quotes respected (`<a title="a>b">`);
//! * the contents of `<script>`, `<style>`, `<noscript>`, `<template>`, `<svg>`, `<iframe>`,
//!   `<object>`, comments, doctypes and `<head>` are dropped; the first `<title>` is kept apart
//!   ([`HtmlText::title`]): a page's title is a label for the page (often with the site's name),
//!   not a sentence of its text;
//! * block elements become line breaks, with a blank line around `<p>`, `<h1>`–`<h6>` and `<li>`
//!   so paragraph ends are visible; `<br>` is a line break and `<br><br>` a blank line; table
//!   cells are separated by a space;
//! * character references are decoded: the common named ones (Spanish letters, quotes, dashes…),
//!   decimal `&#233;` and hex `&#xE9;` (invalid code points become U+FFFD, and 128–159 are read
//!   as Windows-1252 as browsers do); unknown or truncated references are kept literally;
//! * whitespace collapses to single spaces (no-break spaces included); a blank line in the source
//!   text counts as a paragraph break; the result has no leading or trailing whitespace and at
//!   most one blank line in a row;
//! * malformed input (unclosed tags or comments, a stray `<`, truncated entities) degrades the
//!   way a browser would: a `<` not followed by a tag name is text, and an unclosed tag, comment
//!   or script swallows the rest of the input.

/// A page as text: its title and the text of its body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HtmlText {
    /// The first `<title>`, whitespace collapsed, if any.
    pub title: Option<String>,
    pub body: String,
}

/// Converts an HTML document or fragment to plain text (see the module docs for the rules):
/// the body's text, without the title.
#[cfg(test)]
pub fn html_to_text(html: &str) -> String {
    html_document(html).body
}

/// Converts an HTML document or fragment to its title and body text.
pub fn html_document(html: &str) -> HtmlText {
    let mut parser = Parser {
        src: html,
        bytes: html.as_bytes(),
        lower: html.to_ascii_lowercase(),
        pos: 0,
        out: Out::default(),
        title: None,
        in_head: false,
        in_cdata: false,
        pre_depth: 0,
        missing_from: [usize::MAX; MISSING_SLOTS],
    };
    parser.run();
    HtmlText {
        title: parser.title,
        body: parser.out.buf,
    }
}

/// Elements whose whole content is dropped (searched for their end tag as raw text).
const RAW_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "object", "title",
];

/// Cache slots remembering "searched from here, not found": one per raw element, then
/// `>`, `"` and `'`. Positions only grow, so a failed search never needs repeating and the
/// pass stays linear even on adversarial input.
const MISSING_SLOTS: usize = RAW_ELEMENTS.len() + 3;
const SLOT_GT: usize = RAW_ELEMENTS.len();
const SLOT_DQUOTE: usize = RAW_ELEMENTS.len() + 1;
const SLOT_SQUOTE: usize = RAW_ELEMENTS.len() + 2;

/// Elements that may appear inside `<head>`; any other start tag implicitly ends it.
const HEAD_ELEMENTS: &[&str] = &[
    "head", "html", "title", "meta", "link", "base", "style", "script", "noscript", "template",
];

/// Elements followed by a blank line.
const PARAGRAPH_ELEMENTS: &[&str] = &["p", "h1", "h2", "h3", "h4", "h5", "h6", "li"];

/// Elements followed by a line break.
const BLOCK_ELEMENTS: &[&str] = &[
    "div",
    "tr",
    "section",
    "article",
    "blockquote",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "figure",
    "figcaption",
    "address",
    "form",
    "fieldset",
    "legend",
    "details",
    "summary",
    "center",
    "body",
    "html",
];

/// Text accumulator that collapses whitespace and defers line breaks until the next visible
/// character, so the output never has trailing spaces or runs of blank lines.
#[derive(Default)]
struct Out {
    buf: String,
    pending_space: bool,
    /// Line breaks owed before the next visible character (0, 1 or 2).
    pending_breaks: u8,
}

impl Out {
    fn push_char(&mut self, c: char) {
        if c == '\u{AD}' {
            return; // soft hyphen: invisible
        }
        if c.is_whitespace() {
            self.pending_space = true;
            return;
        }
        if !self.buf.is_empty() {
            if self.pending_breaks > 0 {
                for _ in 0..self.pending_breaks {
                    self.buf.push('\n');
                }
            } else if self.pending_space {
                self.buf.push(' ');
            }
        }
        self.pending_breaks = 0;
        self.pending_space = false;
        self.buf.push(c);
    }

    fn space(&mut self) {
        self.pending_space = true;
    }

    fn line_break(&mut self) {
        self.pending_breaks = self.pending_breaks.max(1);
    }

    fn br(&mut self) {
        self.pending_breaks = (self.pending_breaks + 1).min(2);
    }

    fn paragraph(&mut self) {
        self.pending_breaks = 2;
    }
}

/// How whitespace in source text is rendered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Whitespace {
    /// A run is one space; a run holding a blank line is a paragraph break.
    Flow,
    /// Inside `<pre>`: every newline is a line break.
    Pre,
    /// Every run is one space (used for the title).
    Inline,
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    /// ASCII-lowercased copy of `src`: same byte offsets, used for case-insensitive searches.
    lower: String,
    pos: usize,
    out: Out,
    title: Option<String>,
    in_head: bool,
    in_cdata: bool,
    pre_depth: usize,
    missing_from: [usize; MISSING_SLOTS],
}

impl Parser<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn run(&mut self) {
        let len = self.src.len();
        while self.pos < len {
            let rest = self.src.get(self.pos..).unwrap_or("");
            let mut text_end = rest.find('<').map_or(len, |p| self.pos + p);
            if self.in_cdata {
                let segment = self.src.get(self.pos..text_end).unwrap_or("");
                if let Some(p) = segment.find("]]>") {
                    self.text(self.pos, self.pos + p);
                    self.pos += p + 3;
                    self.in_cdata = false;
                    continue;
                }
            }
            self.text(self.pos, text_end);
            self.pos = text_end;
            if self.pos >= len {
                break;
            }
            text_end = self.pos;
            self.markup(text_end);
        }
    }

    /// Emits the source text between `from` and `to` (no tags inside).
    fn text(&mut self, from: usize, to: usize) {
        if self.in_head || from >= to {
            return;
        }
        let Some(segment) = self.src.get(from..to) else {
            return;
        };
        let mode = if self.pre_depth > 0 {
            Whitespace::Pre
        } else {
            Whitespace::Flow
        };
        feed_text(&mut self.out, segment, mode);
    }

    /// Handles the markup starting with the `<` at `lt`, advancing `self.pos` past it.
    fn markup(&mut self, lt: usize) {
        let len = self.src.len();
        let rest = self.src.get(lt..).unwrap_or("");
        match self.at(lt + 1) {
            Some(b'!') => {
                if rest.starts_with("<!--") {
                    let body = rest.get(4..).unwrap_or("");
                    self.pos = if body.starts_with('>') {
                        lt + 5
                    } else if body.starts_with("->") {
                        lt + 6
                    } else {
                        body.find("-->").map_or(len, |p| lt + 4 + p + 3)
                    };
                } else if rest.starts_with("<![CDATA[") {
                    self.in_cdata = true;
                    self.pos = lt + 9;
                } else {
                    self.skip_bogus_comment(lt + 2);
                }
            }
            Some(b'?') => self.skip_bogus_comment(lt + 2),
            Some(b'/') => match self.at(lt + 2) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let (name, name_end) = self.tag_name(lt + 2);
                    match self.scan_tag_end(name_end) {
                        Some((after, _)) => {
                            self.pos = after;
                            self.end_tag(&name);
                        }
                        None => self.pos = len,
                    }
                }
                Some(b'>') => self.pos = lt + 3,
                None => {
                    self.text(lt, len);
                    self.pos = len;
                }
                Some(_) => self.skip_bogus_comment(lt + 2),
            },
            Some(c) if c.is_ascii_alphabetic() => {
                let (name, name_end) = self.tag_name(lt + 1);
                match self.scan_tag_end(name_end) {
                    Some((after, self_closing)) => {
                        self.pos = after;
                        self.start_tag(&name, self_closing);
                    }
                    // Unclosed tag at the end of the input: dropped, as browsers do.
                    None => self.pos = len,
                }
            }
            _ => {
                // A lone `<` in text ("3 < 5", "<3").
                self.text(lt, lt + 1);
                self.pos = lt + 1;
            }
        }
    }

    fn skip_bogus_comment(&mut self, from: usize) {
        self.pos = self.find_byte(b'>', from).map_or(self.src.len(), |p| p + 1);
    }

    /// Reads a tag name starting at `from`; returns it lowercased and the index after it.
    fn tag_name(&self, from: usize) -> (String, usize) {
        let mut i = from;
        while let Some(c) = self.at(i) {
            if c.is_ascii_whitespace() || c == b'/' || c == b'>' {
                break;
            }
            i += 1;
        }
        let name = self.lower.get(from..i).unwrap_or("").to_string();
        (name, i)
    }

    /// Skips attributes up to the closing `>`; returns the index after it and whether the tag
    /// was self-closing, or `None` if the input ends first.
    fn scan_tag_end(&mut self, from: usize) -> Option<(usize, bool)> {
        let mut i = from;
        let mut self_closing = false;
        loop {
            while let Some(c) = self.at(i) {
                if c == b'/' {
                    self_closing = true;
                } else if !c.is_ascii_whitespace() {
                    break;
                }
                i += 1;
            }
            match self.at(i) {
                None => return None,
                Some(b'>') => return Some((i + 1, self_closing)),
                Some(_) => {}
            }
            self_closing = false;
            // Attribute name (its first byte may be anything, even `=`).
            i += 1;
            while let Some(c) = self.at(i) {
                if c.is_ascii_whitespace() || matches!(c, b'/' | b'>' | b'=') {
                    break;
                }
                i += 1;
            }
            while self.at(i).is_some_and(|c| c.is_ascii_whitespace()) {
                i += 1;
            }
            if self.at(i) != Some(b'=') {
                continue;
            }
            i += 1;
            while self.at(i).is_some_and(|c| c.is_ascii_whitespace()) {
                i += 1;
            }
            match self.at(i) {
                Some(quote @ (b'"' | b'\'')) => match self.find_byte(quote, i + 1) {
                    Some(end) => i = end + 1,
                    // Unbalanced quote: end the tag at the next `>` instead of eating the page.
                    None => return self.find_byte(b'>', i + 1).map(|p| (p + 1, false)),
                },
                _ => {
                    while let Some(c) = self.at(i) {
                        if c.is_ascii_whitespace() || c == b'>' {
                            break;
                        }
                        i += 1;
                    }
                }
            }
        }
    }

    /// Finds `needle` (`>`, `"` or `'`) at or after `from`, remembering failures.
    fn find_byte(&mut self, needle: u8, from: usize) -> Option<usize> {
        let slot = match needle {
            b'"' => SLOT_DQUOTE,
            b'\'' => SLOT_SQUOTE,
            _ => SLOT_GT,
        };
        let missing = self.missing_from.get(slot).copied().unwrap_or(usize::MAX);
        if from >= missing {
            return None;
        }
        let bytes = self.bytes;
        let found = bytes
            .get(from..)
            .and_then(|rest| rest.iter().position(|&b| b == needle))
            .map(|p| from + p);
        if found.is_none()
            && let Some(m) = self.missing_from.get_mut(slot)
        {
            *m = from;
        }
        found
    }

    /// Finds the end tag `</name` (case-insensitive) of raw element `index` from `from`.
    fn find_raw_end(&mut self, index: usize, name: &str, from: usize) -> Option<usize> {
        let missing = self.missing_from.get(index).copied().unwrap_or(usize::MAX);
        if from >= missing {
            return None;
        }
        let needle = format!("</{name}");
        let found = self
            .lower
            .get(from..)
            .and_then(|rest| rest.find(&needle))
            .map(|p| from + p);
        if found.is_none()
            && let Some(m) = self.missing_from.get_mut(index)
        {
            *m = from;
        }
        found
    }

    fn start_tag(&mut self, name: &str, self_closing: bool) {
        if self.in_head && !HEAD_ELEMENTS.contains(&name) {
            self.in_head = false;
        }
        if let Some(index) = RAW_ELEMENTS.iter().position(|&raw| raw == name) {
            let content_start = self.pos;
            match self.find_raw_end(index, name, content_start) {
                Some(end) => {
                    if name == "title" && self.title.is_none() {
                        let raw = self.src.get(content_start..end).unwrap_or("");
                        let mut title = Out::default();
                        feed_text(&mut title, raw, Whitespace::Inline);
                        if !title.buf.is_empty() {
                            self.title = Some(title.buf);
                        }
                    }
                    // The end tag itself is parsed by the main loop.
                    self.pos = end;
                }
                // No end tag: a self-closing or stray `<title>` is ignored, an unclosed
                // script/style swallows the rest of the input as in a browser.
                None if self_closing || name == "title" => {}
                None => self.pos = self.src.len(),
            }
            return;
        }
        match name {
            "head" => self.in_head = true,
            "body" => {
                self.in_head = false;
                self.out.line_break();
            }
            "br" => self.out.br(),
            "hr" => self.out.paragraph(),
            "pre" => {
                self.out.line_break();
                self.pre_depth += 1;
            }
            "td" | "th" => self.out.space(),
            _ if PARAGRAPH_ELEMENTS.contains(&name) => self.out.paragraph(),
            _ if BLOCK_ELEMENTS.contains(&name) => self.out.line_break(),
            _ => {}
        }
    }

    fn end_tag(&mut self, name: &str) {
        match name {
            "head" => self.in_head = false,
            "br" => self.out.br(),
            "pre" => {
                self.pre_depth = self.pre_depth.saturating_sub(1);
                self.out.line_break();
            }
            "td" | "th" => self.out.space(),
            _ if PARAGRAPH_ELEMENTS.contains(&name) => self.out.paragraph(),
            _ if BLOCK_ELEMENTS.contains(&name) => self.out.line_break(),
            _ => {}
        }
    }
}

/// Writes source text (entities decoded, whitespace handled per `mode`) into `out`.
fn feed_text(out: &mut Out, text: &str, mode: Whitespace) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '&' {
            let after = rest.get(1..).unwrap_or("");
            match decode_entity(after) {
                Some((decoded, used)) => {
                    out.push_char(decoded);
                    rest = after.get(used..).unwrap_or("");
                }
                None => {
                    out.push_char('&');
                    rest = after;
                }
            }
            continue;
        }
        if c.is_whitespace() {
            let run_len = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
            let run = rest.get(..run_len).unwrap_or("");
            let newlines =
                run.matches('\n').count() + run.matches('\r').count().saturating_sub(run.matches("\r\n").count());
            match mode {
                Whitespace::Flow if newlines >= 2 => out.paragraph(),
                Whitespace::Pre if newlines > 0 => {
                    for _ in 0..newlines.min(2) {
                        out.br();
                    }
                }
                _ => out.space(),
            }
            rest = rest.get(run_len..).unwrap_or("");
            continue;
        }
        out.push_char(c);
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
}

/// Decodes the character reference at the start of `s` (the text right after `&`).
/// Returns the character and how many bytes of `s` it used, or `None` if it is not a
/// reference (then the `&` is literal).
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let bytes = s.as_bytes();
    if bytes.first() == Some(&b'#') {
        let hex = matches!(bytes.get(1), Some(b'x' | b'X'));
        let digits_start = if hex { 2 } else { 1 };
        let radix = if hex { 16 } else { 10 };
        let mut value: u32 = 0;
        let mut end = digits_start;
        while let Some(digit) = bytes.get(end).and_then(|&b| char::from(b).to_digit(radix)) {
            value = value.saturating_mul(radix).saturating_add(digit).min(0x11_0000);
            end += 1;
        }
        if end == digits_start {
            return None;
        }
        if bytes.get(end) == Some(&b';') {
            end += 1;
        }
        return Some((numeric_reference(value), end));
    }
    let name_len = bytes.iter().take(32).take_while(|b| b.is_ascii_alphanumeric()).count();
    let name = s.get(..name_len)?;
    let decoded = named_entity(name)?;
    let used = if bytes.get(name_len) == Some(&b';') {
        name_len + 1
    } else {
        name_len
    };
    Some((decoded, used))
}

/// Maps a numeric reference to a character the way browsers do.
fn numeric_reference(value: u32) -> char {
    const WINDOWS_1252: [char; 32] = [
        '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž', '\u{FFFD}',
        '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{FFFD}', 'ž', 'Ÿ',
    ];
    match value {
        0 => '\u{FFFD}',
        0x80..=0x9F => value
            .checked_sub(0x80)
            .and_then(|i| WINDOWS_1252.get(i as usize).copied())
            .unwrap_or('\u{FFFD}'),
        _ => char::from_u32(value).unwrap_or('\u{FFFD}'),
    }
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "aacute" => 'á',
        "eacute" => 'é',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "Aacute" => 'Á',
        "Eacute" => 'É',
        "Iacute" => 'Í',
        "Oacute" => 'Ó',
        "Uacute" => 'Ú',
        "ntilde" => 'ñ',
        "Ntilde" => 'Ñ',
        "uuml" => 'ü',
        "Uuml" => 'Ü',
        "agrave" => 'à',
        "egrave" => 'è',
        "ograve" => 'ò',
        "Agrave" => 'À',
        "Egrave" => 'È',
        "Ograve" => 'Ò',
        "iuml" => 'ï',
        "ccedil" => 'ç',
        "Ccedil" => 'Ç',
        "iexcl" => '¡',
        "iquest" => '¿',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "minus" => '−',
        "bull" => '•',
        "middot" => '·',
        "ordm" => 'º',
        "ordf" => 'ª',
        "deg" => '°',
        "euro" => '€',
        "cent" => '¢',
        "pound" => '£',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "sect" => '§',
        "para" => '¶',
        "times" => '×',
        "divide" => '÷',
        "shy" => '\u{AD}',
        "ensp" | "emsp" | "thinsp" => ' ',
        "zwsp" => '\u{200B}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_passes_through() {
        assert_eq!(html_to_text("Hola mundo"), "Hola mundo");
        assert_eq!(html_to_text(""), "");
        assert_eq!(html_to_text("   \n\t "), "");
    }

    #[test]
    fn strips_inline_tags_without_adding_spaces() {
        assert_eq!(
            html_to_text("<p>Hola <b>mun</b>do <a href=\"/x\">cruel</a></p>"),
            "Hola mundo cruel"
        );
        assert_eq!(html_to_text("<P>Hola</P><SPAN>!</SPAN>"), "Hola\n\n!");
    }

    #[test]
    fn drops_script_style_noscript_and_comments() {
        let html = "<p>A</p><script>var x = '<p>no</p>'; if (a < b) {}</script>\
                    <style>p { color: red }</style><noscript>Activa JS</noscript>\
                    <SCRIPT type=\"text/javascript\">y()</SCRIPT >\
                    a<!-- <p>oculto</p> -->b<!---->c<!-->d";
        assert_eq!(html_to_text(html), "A\n\nabcd");
        assert_eq!(html_to_text("a<!-- sin cerrar <p>b</p>"), "a");
        assert_eq!(html_to_text("<p>a</p><script>var x"), "a");
    }

    #[test]
    fn head_is_dropped_and_the_title_kept_apart() {
        let html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
                    <title>Kast gana  la\n elecci&oacute;n</title><style>.a{}</style>\
                    <link rel=stylesheet href=x.css></head>\
                    <body><h1>Titular</h1><p>Texto.</p></body></html>";
        assert_eq!(
            html_document(html),
            HtmlText {
                title: Some("Kast gana la elección".into()),
                body: "Titular\n\nTexto.".into()
            }
        );
        assert_eq!(html_to_text(html), "Titular\n\nTexto.");
        // A head that is never closed ends at the first body element.
        assert_eq!(html_to_text("<head><title>T</title><meta x><p>Cuerpo</p>"), "Cuerpo");
        assert_eq!(html_to_text("<title>Solo título</title>"), "");
    }

    #[test]
    fn block_elements_become_line_breaks() {
        let html = "<h1>Titular</h1><p>Uno.</p><ul><li>A</li><li>B</li></ul>\
                    <div>x</div><div>y</div>a<br>b<br/><br>c<blockquote>d</blockquote>\
                    <section>e</section><article>f</article>";
        assert_eq!(
            html_to_text(html),
            "Titular\n\nUno.\n\nA\n\nB\n\nx\ny\na\nb\n\nc\nd\ne\nf"
        );
        assert_eq!(
            html_to_text("<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>"),
            "a b\nc"
        );
        assert_eq!(html_to_text("<h3>Sin punto</h3>Texto"), "Sin punto\n\nTexto");
    }

    #[test]
    fn named_entities() {
        let html = "&amp; &lt; &gt; &quot; &apos; &aacute;&eacute;&iacute;&oacute;&uacute; \
                    &Aacute;&Eacute;&Iacute;&Oacute;&Uacute; &ntilde;&Ntilde; &uuml; \
                    &iexcl;Hola! &iquest;Qu&eacute;? &laquo;x&raquo; &ldquo;y&rdquo; \
                    &lsquo;z&rsquo; &hellip; &mdash; &ndash;";
        assert_eq!(
            html_to_text(html),
            "& < > \" ' áéíóú ÁÉÍÓÚ ñÑ ü ¡Hola! ¿Qué? «x» “y” ‘z’ … — –"
        );
        // Escaped markup stays text.
        assert_eq!(
            html_to_text("&lt;p&gt;no es etiqueta&lt;/p&gt;"),
            "<p>no es etiqueta</p>"
        );
    }

    #[test]
    fn numeric_entities() {
        assert_eq!(
            html_to_text("&#233;&#xE9;&#XE9;&#x1F600;&#150;&#147;x&#148;"),
            "ééé😀–“x”"
        );
        assert_eq!(
            html_to_text("a&#0;b&#x110000;c&#xD800;d&#99999999999999999999;e&#x81;"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}"
        );
    }

    #[test]
    fn truncated_and_unknown_entities_stay_literal() {
        assert_eq!(
            html_to_text("AT&T &amp &aacute &#; &#x; &# &noexiste; &aacut; fin &"),
            "AT&T & á &#; &#x; &# &noexiste; &aacut; fin &"
        );
        assert_eq!(html_to_text("&#233"), "é");
        assert_eq!(html_to_text("&"), "&");
    }

    #[test]
    fn whitespace_collapses() {
        assert_eq!(html_to_text("a&nbsp;&nbsp; \t  b\n c\u{a0}d"), "a b c d");
        assert_eq!(html_to_text("<p>  Uno\n  dos  </p>"), "Uno dos");
        // A blank line in source text is a paragraph break.
        assert_eq!(html_to_text("texto\n\n\notro"), "texto\n\notro");
        assert_eq!(html_to_text("<pre>a\nb\n\n\n  c</pre>d"), "a\nb\n\nc\nd");
        assert_eq!(html_to_text("pala&shy;bra"), "palabra");
    }

    #[test]
    fn stray_angle_brackets_are_text() {
        assert_eq!(html_to_text("3 < 5 y 5 > 3, te <3"), "3 < 5 y 5 > 3, te <3");
        assert_eq!(html_to_text("<<p>>"), "<\n\n>");
        assert_eq!(html_to_text("a <"), "a <");
        assert_eq!(html_to_text("a </"), "a </");
        assert_eq!(html_to_text("a</>b</ x>c"), "abc");
    }

    #[test]
    fn attributes_with_angle_brackets_inside_quotes() {
        assert_eq!(
            html_to_text("<a href=\"x>y\" title='a>b' data-x=1>enlace</a> fin"),
            "enlace fin"
        );
        assert_eq!(html_to_text("<img alt=\"a > b\" src=x.png>Foto"), "Foto");
        // An unbalanced quote ends the tag at the next `>`.
        assert_eq!(html_to_text("<a href=\"roto>texto</a>"), "texto");
    }

    #[test]
    fn unclosed_tags_and_doctype_do_not_panic() {
        assert_eq!(html_to_text("Hola <div class=\"x"), "Hola");
        assert_eq!(html_to_text("Hola <div"), "Hola");
        assert_eq!(html_to_text("<!DOCTYPE html><?xml version='1.0'?>x"), "x");
        assert_eq!(html_to_text("<!DOCTYPE"), "");
        // An unclosed <title> is ignored, so its text is kept.
        assert_eq!(html_to_text("<title>sin cierre"), "sin cierre");
    }

    #[test]
    fn cdata_wrapped_markup_is_parsed() {
        assert_eq!(
            html_to_text("<description><![CDATA[<p>Hola &amp; chau</p>]]></description>"),
            "Hola & chau"
        );
    }

    #[test]
    fn news_article_end_to_end() {
        let html = "<html><head><title>Elecciones 2025 | Diario</title>\
                    <script>window.dataLayer=[];</script></head><body>\
                    <nav><ul><li><a href=/>Inicio</a></li></ul></nav>\
                    <article><h1>Kast: &laquo;Vamos a ganar&raquo;</h1>\
                    <p>El candidato habl&oacute; ayer en Santiago.<br>\
                    &iquest;Qui&eacute;n ganar&aacute;?</p>\
                    <!-- ad slot --><div class=\"ad\"><noscript><img src=x></noscript></div>\
                    <p>El PIB creci&oacute; 3,5%.</p></article></body></html>";
        assert_eq!(
            html_to_text(html),
            "Inicio\n\nKast: «Vamos a ganar»\n\n\
             El candidato habló ayer en Santiago.\n¿Quién ganará?\n\nEl PIB creció 3,5%."
        );
    }

    #[test]
    fn adversarial_inputs_keep_the_output_shape() {
        let inputs = [
            "<a b=\">\" ".repeat(100_000),
            "<script/>".repeat(100_000),
            "<title>".repeat(100_000),
            "<a x='".repeat(100_000),
            "&#".repeat(300_000),
            "&#x1111111111".repeat(50_000),
            "<!".repeat(300_000),
            "<".repeat(1 << 20),
            "a".repeat(1 << 20),
            "&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".repeat(20_000),
            "<p>é</p>".repeat(100_000),
        ];
        for html in &inputs {
            // A quadratic scan would make this test (and CI) crawl; speed itself is measured by
            // the benches, not asserted here.
            let text = html_to_text(html);
            assert_output_shape(&text);
        }
    }

    fn assert_output_shape(text: &str) {
        assert_eq!(text, text.trim(), "untrimmed output");
        assert!(!text.contains("  "), "double space in {text:?}");
        assert!(!text.contains("\n\n\n"), "more than one blank line");
        assert!(!text.contains(" \n") && !text.contains("\n "), "space at line edge");
        assert!(!text.contains('\t') && !text.contains('\r'));
    }

    /// Deterministic pseudo-random documents from tricky fragments: no panic and well-shaped
    /// output; from well-formed fragments, nothing from inside a script ever leaks.
    #[test]
    fn generated_documents_never_panic() {
        const PIECES: &[&str] = &[
            "<",
            ">",
            "</",
            "/>",
            "&",
            "&#",
            "&#x",
            "&amp;",
            "&aacute",
            ";",
            "#",
            "x",
            "1F",
            "9",
            "<!--",
            "-->",
            "<!",
            "<?",
            "<p>",
            "</p>",
            "<br>",
            "<div class=\"",
            "\"",
            "'",
            "=",
            "<title>",
            "</title>",
            "<head>",
            "</head>",
            "<pre>",
            "</pre>",
            "<![CDATA[",
            "]]>",
            "<script>SECRETO</script>",
            "<style>SECRETO</style>",
            "é",
            "😀",
            " ",
            "\n",
            "\n\n",
            "\t",
            "\r\n",
            "\u{a0}",
            "Hola",
            "a",
            "<b",
            "<li>",
            "<td>",
            "<SCRIPT>SECRETO</SCRIPT>",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for _ in 0..5_000 {
            let len = next() % 30;
            let mut html = String::new();
            for _ in 0..len {
                html.push_str(PIECES.get(next() % PIECES.len()).copied().unwrap_or(""));
            }
            assert_output_shape(&html_to_text(&html));
        }
        // Well-formed pieces only: no markup and no script text may leak.
        const WELL_FORMED: &[&str] = &[
            "<p>",
            "</p>",
            "<br>",
            "<div>",
            "</div>",
            "<li>",
            "<!-- c -->",
            "Hola",
            " ",
            "é",
            "\n\n",
            "&amp;",
            "&",
            "&#",
            "<script>SECRETO</script>",
            "<style>SECRETO</style>",
        ];
        for _ in 0..2_000 {
            let len = next() % 30;
            let mut html = String::new();
            for _ in 0..len {
                html.push_str(WELL_FORMED.get(next() % WELL_FORMED.len()).copied().unwrap_or(""));
            }
            let text = html_to_text(&html);
            assert_output_shape(&text);
            assert!(!text.contains("SECRETO") && !text.contains('<'), "{html:?} -> {text:?}");
        }
    }
}
