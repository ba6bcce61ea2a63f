//! The HTML report (`label --format html`): one self-contained page — inline CSS and SVG, no
//! script, nothing fetched — written as the articles stream: a header, one section per article,
//! then the per-actor summary and, when articles carry dates, the stance over time.
//!
//! Every piece of text from the input (ids, titles, sentences, actor names, labels) goes
//! through [`escape`]. The summary comes last in the file but first on the page (CSS `order`),
//! so the report streams without holding the articles in memory.
//!
//! The page is a list of sections, each drawn by one function here from the run's totals
//! ([`ActorTally`]). The report of `label --per pair` (a stance network) is its own page, in
//! [`super::html_pairs`], with the same styles and colours.

use super::aggregate::Stance;
use super::tally::{ActorSummary, ActorTally};
use super::writer::shown_label;
use super::{LabeledArticle, SentenceLabel};
use std::fmt::Write as _;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and line breaks are not allowed in HTML text.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Foreground and background colour of a label, by its name for the usual labels, else by its
/// position in a fixed palette.
pub(super) fn colours(name: &str, i: usize) -> (&'static str, &'static str) {
    match name {
        "supportive" => ("#116329", "#c8efd2"),
        "distancing" => ("#a40e26", "#ffd3cd"),
        "neutral" => ("#3d444d", "#e4e7eb"),
        "mixed" => ("#6e3fb0", "#e8dcfa"),
        "uncertain" => ("#7a5a00", "#fff1b8"),
        _ => {
            const PALETTE: [(&str, &str); 5] = [
                ("#0b4f8a", "#d3e6fa"),
                ("#8a4b0b", "#fbe3cc"),
                ("#0b7a6e", "#cff4ee"),
                ("#7a0b5e", "#f6d3ec"),
                ("#4a5a0b", "#e9f2c8"),
            ];
            PALETTE.get(i % PALETTE.len()).copied().unwrap_or(("#333", "#eee"))
        }
    }
}

/// The CSS class of a label (by index) or of mixed / uncertain.
pub(super) fn class_of(stance: Stance, n_labels: usize) -> String {
    match stance {
        Stance::Label(i) => format!("l{i}"),
        Stance::Mixed => format!("l{n_labels}"),
        Stance::Uncertain => format!("l{}", n_labels + 1),
    }
}

/// The page's styles: layout, tables, badges, and one class per label (then mixed, uncertain)
/// coloured by [`colours`]; shared with the pair report.
pub(super) fn stylesheet(labels: &[String]) -> String {
    let mut css = String::from(
        "*{box-sizing:border-box}\
         body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;background:#f6f8fa}\
         main{display:flex;flex-direction:column;gap:16px;max-width:1180px;margin:0 auto;padding:20px}\
         main>header{order:-2}#summary,#timeline{order:-1}\
         h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:0 0 8px;word-break:break-all}\
         h3{font-size:15px;margin:12px 0 4px}\
         section,details.article{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:14px 18px}\
         details.article>summary{cursor:pointer;font-weight:600;word-break:break-all}\
         .meta{color:#59636e;font-size:13px;margin:0 0 8px}\
         table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:14px}\
         th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}\
         th{font-weight:600;color:#59636e;font-size:12px;text-transform:uppercase;letter-spacing:.03em}\
         td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
         .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap}\
         .text{white-space:pre-wrap;line-height:1.7;margin-top:8px}\
         mark{border-radius:3px;padding:1px 2px;color:inherit}\
         mark.unmentioned{background:none!important;border-bottom:2px dotted #8c959f}\
         mark sup{font-size:10px;font-weight:600;margin-left:3px;white-space:nowrap}\
         .evidence{font-style:italic}.dim{color:#8c959f}\
         .legend span{margin-right:6px}svg text{font:10px system-ui,sans-serif;fill:#59636e}\
         .chart{display:flex;flex-wrap:wrap;gap:18px}.chart figure{margin:0}figcaption{font-weight:600;font-size:13px}",
    );
    let named: Vec<&str> = labels
        .iter()
        .map(String::as_str)
        .chain(["mixed", "uncertain"])
        .collect();
    for (i, name) in named.iter().enumerate() {
        let (fg, bg) = colours(name, i);
        let _ = write!(
            css,
            ".l{i}.badge{{background:{bg};color:{fg}}}mark.l{i}{{background:{bg}}}mark.l{i} sup{{color:{fg}}}"
        );
    }
    css
}

/// The page up to the first article: head, styles, title and legend.
pub fn header(labels: &[String]) -> String {
    let css = stylesheet(labels);
    let named: Vec<&str> = labels
        .iter()
        .map(String::as_str)
        .chain(["mixed", "uncertain"])
        .collect();
    let legend: String = named
        .iter()
        .enumerate()
        .map(|(i, n)| format!("<span class=\"badge l{i}\">{}</span>", escape(n)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n\
         <title>postura: stance report</title>\n<style>{css}</style>\n</head>\n<body>\n<main>\n\
         <header><h1>Stance report</h1>\
         <p class=\"meta\">postura {version}: each sentence that mentions an actor is classified \
         toward it; hover a highlighted sentence for its probabilities. Verdict confidence is the \
         stance's probability over its sentences, shrunk by how few they are.</p>\
         <p class=\"legend\">{legend}</p></header>\n<div id=\"articles\">",
        version = escape(env!("CARGO_PKG_VERSION")),
    )
}

/// One article: its verdict per actor with evidence, then its text with the classified
/// sentences highlighted. An article that mentions no actor is folded.
pub fn article(l: &LabeledArticle, labels: &[String], actors: &[String]) -> String {
    let n_labels = labels.len();
    let actor_name = |a: usize| actors.get(a).map_or("", String::as_str);
    let mut out = String::new();
    let open = if l.summaries.is_empty() { "" } else { " open" };
    let _ = write!(
        out,
        "<details class=\"article\"{open}><summary>{}</summary>",
        escape(&l.article.id)
    );
    let mut meta = Vec::new();
    if let Some(t) = &l.article.title {
        meta.push(escape(t));
    }
    if let Some(d) = l.article.date {
        meta.push(d.to_string());
    }
    meta.push(format!("{} sentences", l.n_sentences));
    let _ = write!(out, "<p class=\"meta\">{}</p>", meta.join(" · "));
    if l.summaries.is_empty() {
        out.push_str("<p class=\"dim\">No sentence mentions the actors.</p>");
    } else {
        out.push_str(
            "<table class=\"verdicts\"><tr><th>actor</th><th>stance</th><th>confidence</th>\
             <th>sentences</th><th>strongest evidence</th></tr>",
        );
        for a in &l.summaries {
            let sum = &a.summary;
            let counts: Vec<String> = labels
                .iter()
                .zip(&sum.counts)
                .filter(|(_, n)| **n > 0)
                .map(|(label, n)| format!("{n} {}", escape(label)))
                .collect();
            let shown = shown_label(sum.stance, &sum.vote_shares, labels);
            let evidence = sum
                .evidence
                .get(shown)
                .copied()
                .flatten()
                .and_then(|pos| l.sentences.get(pos))
                .map_or(String::new(), |s| {
                    format!(
                        "<span class=\"evidence\">{}</span> <span class=\"dim\">({} {:.2})</span>",
                        escape(l.text_of(s)),
                        escape(labels.get(shown).map_or("", String::as_str)),
                        s.prediction.probs.get(shown).copied().unwrap_or(0.0)
                    )
                });
            let _ = write!(
                out,
                "<tr><td>{}</td><td><span class=\"badge {}\">{}</span></td><td class=\"num\">{:.2}</td>\
                 <td>{} ({})</td><td>{evidence}</td></tr>",
                escape(actor_name(a.actor)),
                class_of(sum.stance, n_labels),
                escape(sum.stance.name(labels)),
                sum.confidence,
                sum.sentences,
                counts.join(", "),
            );
        }
        out.push_str("</table>");
    }
    out.push_str("<div class=\"text\">");
    let text = &l.article.text;
    let mut at = 0usize;
    let mut i = 0usize;
    while let Some(first) = l.sentences.get(i) {
        // The labels of one sentence (sentences are in order, actors within a sentence).
        let same: Vec<&SentenceLabel> = l.sentences[i..].iter().take_while(|s| s.index == first.index).collect();
        i += same.len();
        if first.start < at || first.end > text.len() {
            continue;
        }
        out.push_str(&escape(text.get(at..first.start).unwrap_or("")));
        let primary = same
            .iter()
            .filter(|s| s.mentioned)
            .max_by(|a, b| a.confidence().total_cmp(&b.confidence()));
        let class = match primary {
            Some(s) if s.uncertain => class_of(Stance::Uncertain, n_labels),
            Some(s) => class_of(Stance::Label(s.prediction.label), n_labels),
            None => "unmentioned".to_string(),
        };
        let describe = |s: &SentenceLabel| -> String {
            let label = if s.uncertain {
                "uncertain"
            } else {
                labels.get(s.prediction.label).map_or("", String::as_str)
            };
            let probs: Vec<String> = labels
                .iter()
                .zip(&s.prediction.probs)
                .map(|(l, p)| format!("{l} {p:.2}"))
                .collect();
            format!(
                "{}: {label} {:.2}{} ({})",
                actor_name(s.actor),
                s.confidence(),
                if s.mentioned { "" } else { ", not mentioned" },
                probs.join(", ")
            )
        };
        let tooltip: Vec<String> = same.iter().map(|s| describe(s)).collect();
        let tags: String = same
            .iter()
            .filter(|s| s.mentioned)
            .map(|s| {
                let label = if s.uncertain {
                    "uncertain"
                } else {
                    labels.get(s.prediction.label).map_or("", String::as_str)
                };
                let tag = if actors.len() > 1 {
                    format!("{} {label} {:.2}", actor_name(s.actor), s.confidence())
                } else {
                    format!("{label} {:.2}", s.confidence())
                };
                format!("<sup>{}</sup>", escape(&tag))
            })
            .collect();
        let _ = write!(
            out,
            "<mark class=\"s {class}\" title=\"{}\">{}{tags}</mark>",
            escape(&tooltip.join("\n")),
            escape(text.get(first.start..first.end).unwrap_or("")),
        );
        at = first.end;
    }
    out.push_str(&escape(text.get(at..).unwrap_or("")));
    out.push_str("</div></details>");
    out
}

/// A horizontal bar of the sentence counts per label (`width` px), each part with a tooltip.
fn counts_bar(counts: &[usize], labels: &[String], width: f64) -> String {
    let total: usize = counts.iter().sum();
    let mut svg = format!(
        "<svg width=\"{width:.0}\" height=\"16\" viewBox=\"0 0 {width:.0} 16\" role=\"img\" aria-label=\"sentences per label\">"
    );
    if total == 0 {
        let _ = write!(svg, "<rect width=\"{width:.0}\" height=\"14\" fill=\"#eaeef2\"/>");
    }
    let mut x = 0.0;
    for (i, (label, &n)) in labels.iter().zip(counts).enumerate() {
        if n == 0 || total == 0 {
            continue;
        }
        let w = width * n as f64 / total as f64;
        let (fg, _) = colours(label, i);
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" width=\"{w:.1}\" height=\"14\" fill=\"{fg}\"><title>{}: {n}</title></rect>",
            escape(label)
        );
        x += w;
    }
    svg.push_str("</svg>");
    svg
}

/// Stacked columns of the sentence shares per label in each period, one chart per actor.
fn timeline_chart(rows: &[&ActorSummary], labels: &[String]) -> String {
    const COL: f64 = 26.0;
    const H: f64 = 90.0;
    let width = (rows.len() as f64 * COL).max(COL) + 4.0;
    let height = H + 58.0;
    let mut svg = format!(
        "<svg width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"stance over time\">"
    );
    for (k, r) in rows.iter().enumerate() {
        let x = k as f64 * COL + 2.0;
        let total: usize = r.group.votes.counts.iter().sum();
        let mut y = H;
        for (i, (label, &n)) in labels.iter().zip(&r.group.votes.counts).enumerate() {
            if n == 0 || total == 0 {
                continue;
            }
            let h = H * n as f64 / total as f64;
            y -= h;
            let (fg, _) = colours(label, i);
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{fg}\">\
                 <title>{}: {n} of {total} sentences ({} articles)</title></rect>",
                COL - 4.0,
                escape(&format!("{} {label}", r.period.as_deref().unwrap_or(""))),
                r.group.articles
            );
        }
        let _ = write!(
            svg,
            "<text transform=\"translate({:.1},{:.1}) rotate(60)\">{}</text>",
            x + 4.0,
            H + 6.0,
            escape(r.period.as_deref().unwrap_or(""))
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The end of the page: the per-actor summary (and the stance over time when the tally is
/// grouped by a period), then the closing tags.
pub fn footer(tally: &ActorTally, labels: &[String], actors: &[String]) -> String {
    let mut out = String::from("</div>\n");
    out.push_str(&summary_section(&tally.overall(), labels, actors));
    if tally.period().is_some() {
        out.push_str(&timeline_section(&tally.by_period(), labels, actors));
    }
    out.push_str("\n</main>\n</body>\n</html>");
    out
}

/// Per-actor summary over all articles: verdict, confidence, a bar of sentence labels and the
/// strongest evidence.
fn summary_section(rows: &[ActorSummary], labels: &[String], actors: &[String]) -> String {
    let mut out = String::from(
        "<section id=\"summary\"><h2>Per-actor summary</h2>\
         <p class=\"meta\">All articles together: the sentences that mention each actor, pooled.</p>\
         <table><tr><th>actor</th><th>articles</th><th>sentences</th><th>stance</th><th>confidence</th>\
         <th>sentences by label</th><th>strongest evidence</th></tr>",
    );
    let mut absent = Vec::new();
    for r in rows {
        let name = actors.get(r.actor).map_or("", String::as_str);
        if r.verdict.is_none() {
            absent.push(escape(name));
            continue;
        }
        let (stance, conf) = match &r.verdict {
            Some(v) => (
                format!(
                    "<span class=\"badge {}\">{}</span>",
                    class_of(v.stance, labels.len()),
                    escape(v.stance.name(labels))
                ),
                format!("{:.2}", v.confidence),
            ),
            None => ("<span class=\"dim\">not mentioned</span>".to_string(), "–".to_string()),
        };
        let evidence = r
            .verdict
            .as_ref()
            .map(|v| shown_label(v.stance, &v.vote_shares, labels))
            .and_then(|i| r.group.evidence.get(i))
            .and_then(Option::as_ref)
            .map_or(String::new(), |e| {
                format!(
                    "<span class=\"evidence\">{}</span> <span class=\"dim\">({}, {:.2})</span>",
                    escape(&e.text),
                    escape(&e.article),
                    e.probability
                )
            });
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{stance}</td>\
             <td class=\"num\">{conf}</td><td>{}</td><td>{evidence}</td></tr>",
            escape(name),
            r.group.articles,
            r.group.votes.n,
            counts_bar(&r.group.votes.counts, labels, 160.0)
        );
    }
    out.push_str("</table>");
    if !absent.is_empty() {
        let _ = write!(
            out,
            "<p class=\"dim\">Not mentioned in any article ({}): {}.</p>",
            absent.len(),
            absent.join(", ")
        );
    }
    out.push_str("</section>\n");
    out
}

/// Stance over time: one chart per actor with a column per period.
fn timeline_section(rows: &[ActorSummary], labels: &[String], actors: &[String]) -> String {
    let mut out = String::from(
        "<section id=\"timeline\"><h2>Stance over time</h2>\
         <p class=\"meta\">Share of each actor's mentioning sentences per label, by period \
         (hover a column for counts).</p><div class=\"chart\">",
    );
    for (a, name) in actors.iter().enumerate() {
        let mine: Vec<&ActorSummary> = rows.iter().filter(|r| r.actor == a).collect();
        if mine.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<figure><figcaption>{}</figcaption>{}</figure>",
            escape(name),
            timeline_chart(&mine, labels)
        );
    }
    out.push_str("</div></section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            escape("<b>\"Kast\" & 'Boric'</b>\u{7}"),
            "&lt;b&gt;&quot;Kast&quot; &amp; &#39;Boric&#39;&lt;/b&gt;\u{FFFD}"
        );
        assert_eq!(escape("línea\nnueva\t«sí»"), "línea\nnueva\t«sí»");
    }
}
