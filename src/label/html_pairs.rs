//! The HTML report of `label --per pair -f html`: one self-contained page (inline CSS and SVG,
//! no script, nothing fetched) with the stance network between the listed actors — drawn as a
//! circle of actors with directed, coloured edges — and a table of its edges with examples.
//!
//! The page is built whole from the run's edges ([`network`] adds them up), so the same edges
//! give the same bytes: nodes are placed by name, rows sorted by a fixed key, numbers printed
//! with fixed precision. Every piece of text from the input goes through [`escape`].

use super::aggregate::Stance;
use super::html::{class_of, colours, escape, stylesheet};
use super::pairs::{Edge, NetworkRow, network, nodes};
use crate::model::{Model, NONE_LABEL};
use crate::text::shorten;
use std::collections::BTreeMap;
use std::f64::consts::PI;
use std::fmt::Write as _;

/// What the page says about the run besides its edges.
#[derive(Debug, Clone)]
pub struct PairRun<'a> {
    /// How the model is named to the reader (its path, or the embedded default).
    pub model_name: &'a str,
    /// Articles read.
    pub articles: u64,
    /// The listed actors, in list order.
    pub actors: &'a [String],
}

/// Longest actor name drawn next to a node (the full name is in its tooltip and the table).
const NODE_LABEL_CHARS: usize = 28;
/// Longest example sentence shown in the table.
const EXAMPLE_CHARS: usize = 280;
/// Examples shown per edge.
const EXAMPLES: usize = 2;
/// Radius of a node, and length of an arrowhead, in px.
const NODE_RADIUS: f64 = 6.0;
const ARROW: f64 = 11.0;
/// From this many actors on, names are written along the radius.
const RADIAL_FROM: usize = 21;
/// Least sideways bend of an edge, in px, so that A → B and B → A between neighbours part.
const BEND: f64 = 16.0;

/// The pair report for `edges` (each with its sentence, as `label --per pair` collects them).
pub fn pair_report(model: &Model, run: &PairRun, edges: &[(Edge, String)]) -> String {
    let labels = model.labels();
    let rows = network(model, run.actors, edges);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n\
         <title>postura: stance network</title>\n<style>{}{PAIR_CSS}</style>\n</head>\n<body>\n<main>\n",
        stylesheet(labels)
    );
    out.push_str(&header_section(run, edges.len(), &rows));
    out.push_str(&network_section(labels, &rows));
    out.push_str(&edges_section(model, run.actors, &rows, edges));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// Styles of the network drawing and its legend, on top of the report's.
const PAIR_CSS: &str = "#network svg.net{display:block;max-width:100%;height:auto;margin:0 auto}\
     svg.net path.edge{fill:none;stroke-linecap:round}svg.net path.edge:hover{opacity:1!important}\
     svg.net circle{fill:#fff;stroke:#3d444d;stroke-width:1.5}\
     svg.net text{font:11px system-ui,sans-serif;fill:#1f2328}\
     ul.netlegend{list-style:none;padding:0;margin:4px 0 8px;display:flex;flex-wrap:wrap;gap:6px 18px;font-size:13px}\
     ul.netlegend li{display:flex;align-items:center;gap:6px}\
     th.examples{width:45%}ul.examples{margin:0;padding-left:18px}.examples li{margin:0 0 4px}";

/// The stance an edge is drawn in: its CSS class and stroke colour.
fn stance_style(stance: Stance, labels: &[String]) -> (String, &'static str) {
    let n = labels.len();
    let (name, i) = match stance {
        Stance::Label(i) => (labels.get(i).map_or("", String::as_str), i),
        Stance::Mixed => ("mixed", n),
        Stance::Uncertain => ("uncertain", n + 1),
    };
    (class_of(stance, n), colours(name, i).0)
}

/// The stances an edge can take, for the legend: the model's labels but `none`, then mixed.
fn legend_stances(labels: &[String]) -> Vec<Stance> {
    labels
        .iter()
        .enumerate()
        .filter(|(_, l)| l.as_str() != NONE_LABEL)
        .map(|(i, _)| Stance::Label(i))
        .chain([Stance::Mixed])
        .collect()
}

/// Title, what was read, and which actors the network holds.
fn header_section(run: &PairRun, statements: usize, rows: &[NetworkRow]) -> String {
    let in_network = nodes(rows);
    let absent: Vec<String> = run
        .actors
        .iter()
        .filter(|a| in_network.binary_search(&a.as_str()).is_err())
        .map(|a| escape(a))
        .collect();
    let mut out = format!(
        "<header><h1>Stance network</h1>\
         <p class=\"meta\">postura {version} · model {model_name} · {articles} · \
         {statements} · {edges} between {actors} of {listed} listed actors</p>\
         <p class=\"meta\">For every sentence that names two or more listed actors, how each \
         (the source) stands toward each other one (the target); statements where the source \
         holds no stance are left out. An edge's stance is what its statements add up to, by \
         the same rule as an article's verdict.</p>",
        version = escape(env!("CARGO_PKG_VERSION")),
        model_name = escape(run.model_name),
        articles = count(run.articles as usize, "article read", "articles read"),
        statements = count(statements, "statement", "statements"),
        edges = count(rows.len(), "edge", "edges"),
        actors = in_network.len(),
        listed = run.actors.len(),
    );
    if !absent.is_empty() {
        let _ = write!(
            out,
            "<details><summary class=\"meta\">Listed actors not in the network ({})</summary>\
             <p class=\"dim\">{}</p></details>",
            absent.len(),
            absent.join(", ")
        );
    }
    out.push_str("</header>\n");
    out
}

/// "1 statement", "3 statements".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A point of the drawing.
#[derive(Debug, Clone, Copy)]
struct Point {
    x: f64,
    y: f64,
}

impl Point {
    /// The unit vector from `self` toward `to` (zero when they coincide).
    fn toward(self, to: Point) -> Point {
        let (dx, dy) = (to.x - self.x, to.y - self.y);
        let len = dx.hypot(dy);
        if len > 0.0 {
            Point {
                x: dx / len,
                y: dy / len,
            }
        } else {
            Point { x: 0.0, y: 0.0 }
        }
    }

    /// `self` moved `d` along the unit vector `u`.
    fn step(self, u: Point, d: f64) -> Point {
        Point {
            x: self.x + u.x * d,
            y: self.y + u.y * d,
        }
    }
}

/// The network drawn as SVG (actors on a circle in name order, clockwise from the top), with
/// its legend above; or a note when no sentence gave an edge.
fn network_section(labels: &[String], rows: &[NetworkRow]) -> String {
    let mut out = String::from("<section id=\"network\"><h2>Network</h2>");
    let names = nodes(rows);
    if rows.is_empty() {
        out.push_str(
            "<p class=\"dim\">No sentence names two listed actors with a stance of one toward the \
             other: the network is empty.</p></section>\n",
        );
        return out;
    }
    let max_sentences = rows.iter().map(|r| r.summary.sentences).max().unwrap_or(1).max(1);
    out.push_str(&legend(labels, max_sentences));

    let n = names.len();
    // The circle grows with the actors so that neighbours stay ~40 px apart; the margin holds
    // the names written outside it.
    let radius = (60.0 + 14.0 * n as f64).clamp(110.0, 300.0);
    // Up to RADIAL_FROM actors the names are written level beside their nodes; more would
    // crowd at the top and bottom, so they are written along the radius (and need room above
    // and below as well).
    let radial = n >= RADIAL_FROM;
    let (margin_x, margin_y) = if radial { (175.0, 175.0) } else { (190.0, 40.0) };
    let (width, height) = (2.0 * (radius + margin_x), 2.0 * (radius + margin_y));
    let centre = Point {
        x: width / 2.0,
        y: height / 2.0,
    };
    let angle = |k: usize| -PI / 2.0 + 2.0 * PI * k as f64 / n as f64;
    let at = |k: usize, r: f64| Point {
        x: centre.x + r * angle(k).cos(),
        y: centre.y + r * angle(k).sin(),
    };
    let position = |name: &str| names.binary_search(&name).ok();
    // Many edges over each other would be a blot: the more there are, the lighter each is.
    let opacity = if rows.len() <= 12 {
        0.9
    } else {
        (0.9 - 0.012 * (rows.len() - 12) as f64).max(0.35)
    };

    let _ = write!(
        out,
        "<svg class=\"net\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" \
         role=\"img\" aria-labelledby=\"net-title net-desc\">\
         <title id=\"net-title\">Stance network</title>\
         <desc id=\"net-desc\">{n} actors on a circle in name order; {} directed edges from source \
         to target, coloured by the net stance, wider with more statements.</desc><defs>",
        rows.len()
    );
    for stance in legend_stances(labels) {
        let (class, colour) = stance_style(stance, labels);
        let _ = write!(
            out,
            "<marker id=\"arrow-{class}\" viewBox=\"0 0 10 10\" refX=\"1\" refY=\"5\" markerWidth=\"{ARROW}\" \
             markerHeight=\"{ARROW}\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">\
             <path d=\"M0,0L10,5L0,10z\" fill=\"{colour}\"/></marker>"
        );
    }
    out.push_str("</defs><g class=\"edges\">");
    // Thin edges first, so a thick one is never hidden under many thin ones.
    let mut order: Vec<&NetworkRow> = rows.iter().collect();
    order.sort_by(|a, b| {
        a.summary
            .sentences
            .cmp(&b.summary.sentences)
            .then_with(|| (&a.source, &a.target).cmp(&(&b.source, &b.target)))
    });
    for r in order {
        let (Some(s), Some(t)) = (position(&r.source), position(&r.target)) else {
            continue;
        };
        let (p, q) = (at(s, radius), at(t, radius));
        // A gentle bend to the left of the direction of travel keeps A → B and B → A apart.
        let d = (q.x - p.x).hypot(q.y - p.y);
        let normal = Point {
            x: (q.y - p.y) / d.max(1e-9),
            y: -(q.x - p.x) / d.max(1e-9),
        };
        let mid = Point {
            x: (p.x + q.x) / 2.0,
            y: (p.y + q.y) / 2.0,
        };
        let control = mid.step(normal, (0.15 * d).max(BEND));
        let start = p.step(p.toward(control), NODE_RADIUS + 1.0);
        // The line stops where the arrowhead starts, so its tip meets the node's rim.
        let end = q.step(q.toward(control), NODE_RADIUS + ARROW);
        let (class, colour) = stance_style(r.summary.stance, labels);
        let w = 1.2 + 4.8 * (r.summary.sentences as f64 / max_sentences as f64).sqrt();
        let _ = write!(
            out,
            "<path class=\"edge {class}\" data-source=\"{src}\" data-target=\"{dst}\" \
             d=\"M{:.1},{:.1}Q{:.1},{:.1} {:.1},{:.1}\" stroke=\"{colour}\" stroke-width=\"{w:.1}\" \
             opacity=\"{opacity:.2}\" marker-end=\"url(#arrow-{class})\"><title>{src} → {dst}: {stance}, \
             {n_st} (confidence {conf:.2})</title></path>",
            start.x,
            start.y,
            control.x,
            control.y,
            end.x,
            end.y,
            src = escape(&r.source),
            dst = escape(&r.target),
            stance = escape(r.summary.stance.name(labels)),
            n_st = count(r.summary.sentences, "statement", "statements"),
            conf = r.summary.confidence,
        );
    }
    out.push_str("</g><g class=\"nodes\">");
    for (k, name) in names.iter().enumerate() {
        let p = at(k, radius);
        let label = at(k, radius + NODE_RADIUS + 6.0);
        let (cos, sin) = (angle(k).cos(), angle(k).sin());
        let text = if radial {
            // Along the radius, reading left to right on both halves of the circle.
            let (turn, anchor) = if cos >= 0.0 {
                (angle(k).to_degrees(), "start")
            } else {
                (angle(k).to_degrees() + 180.0, "end")
            };
            format!(
                "<text x=\"{x:.1}\" y=\"{y:.1}\" dy=\"4\" text-anchor=\"{anchor}\" \
                 transform=\"rotate({turn:.1} {x:.1} {y:.1})\">",
                x = label.x,
                y = label.y
            )
        } else {
            let anchor = if cos > 0.3 {
                "start"
            } else if cos < -0.3 {
                "end"
            } else {
                "middle"
            };
            // Names at the top sit above their node, at the bottom below it.
            let dy = match (anchor, sin < 0.0) {
                ("middle", true) => -2.0,
                ("middle", false) => 9.0,
                _ => 4.0,
            };
            format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">",
                label.x,
                label.y + dy
            )
        };
        let (out_edges, in_edges) = (
            rows.iter().filter(|r| r.source == *name).count(),
            rows.iter().filter(|r| r.target == *name).count(),
        );
        let _ = write!(
            out,
            "<g class=\"node\" data-actor=\"{e}\"><title>{e}: {out_edges} out, {in_edges} in</title>\
             <circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{NODE_RADIUS}\"/>\
             {text}{}</text></g>",
            p.x,
            p.y,
            escape(&shorten(name, NODE_LABEL_CHARS)),
            e = escape(name),
        );
    }
    out.push_str("</g></svg></section>\n");
    out
}

/// What the colours, widths and arrows of the drawing mean, as a list a screen reader reads.
fn legend(labels: &[String], max_sentences: usize) -> String {
    let mut out = String::from("<ul class=\"netlegend\" aria-label=\"Legend\"><li>Arrow: source → target</li>");
    for stance in legend_stances(labels) {
        let (class, colour) = stance_style(stance, labels);
        let _ = write!(
            out,
            "<li><svg width=\"30\" height=\"10\" aria-hidden=\"true\"><line x1=\"1\" y1=\"5\" x2=\"29\" y2=\"5\" \
             stroke=\"{colour}\" stroke-width=\"4\" stroke-linecap=\"round\"/></svg>\
             <span class=\"badge {class}\">{}</span></li>",
            escape(stance.name(labels))
        );
    }
    let _ = write!(
        out,
        "<li>Width: statements (thinnest 1, widest {max_sentences})</li></ul>"
    );
    out
}

/// One row per edge (most statements first): stance, counts per label, confidence, examples.
fn edges_section(model: &Model, actors: &[String], rows: &[NetworkRow], edges: &[(Edge, String)]) -> String {
    let labels = model.labels();
    let shown: Vec<(usize, &String)> = labels
        .iter()
        .enumerate()
        .filter(|(_, l)| l.as_str() != NONE_LABEL)
        .collect();
    let mut out = String::from(
        "<section id=\"edges\"><h2>Edges</h2>\
         <p class=\"meta\">Sorted by statements, most first; examples are the statements most \
         probably of the edge's stance.</p><table><thead><tr><th>source</th><th>target</th>\
         <th>stance</th><th>statements</th>",
    );
    for (_, l) in &shown {
        let _ = write!(out, "<th>{}</th>", escape(l));
    }
    out.push_str("<th>confidence</th><th class=\"examples\">examples</th></tr></thead><tbody>");
    let mut by_pair: BTreeMap<(&str, &str), Vec<&(Edge, String)>> = BTreeMap::new();
    for e in edges {
        if let (Some(s), Some(t)) = (actors.get(e.0.source), actors.get(e.0.target)) {
            by_pair.entry((s.as_str(), t.as_str())).or_default().push(e);
        }
    }
    let mut order: Vec<&NetworkRow> = rows.iter().collect();
    order.sort_by(|a, b| {
        b.summary
            .sentences
            .cmp(&a.summary.sentences)
            .then_with(|| (&a.source, &a.target).cmp(&(&b.source, &b.target)))
    });
    for r in order {
        let (class, _) = stance_style(r.summary.stance, labels);
        let _ = write!(
            out,
            "<tr class=\"edge-row\"><td>{}</td><td>{}</td><td><span class=\"badge {class}\">{}</span></td>\
             <td class=\"num\">{}</td>",
            escape(&r.source),
            escape(&r.target),
            escape(r.summary.stance.name(labels)),
            r.summary.sentences
        );
        for (i, _) in &shown {
            let _ = write!(
                out,
                "<td class=\"num\">{}</td>",
                r.summary.counts.get(*i).copied().unwrap_or(0)
            );
        }
        let _ = write!(out, "<td class=\"num\">{:.2}</td><td>", r.summary.confidence);
        let mine = by_pair
            .get(&(r.source.as_str(), r.target.as_str()))
            .map_or(&[][..], Vec::as_slice);
        out.push_str("<ul class=\"examples\">");
        for (e, text) in examples(model, r.summary.stance, mine) {
            let p = &e.prediction;
            let _ = write!(
                out,
                "<li><span class=\"evidence\">{}</span> <span class=\"dim\">({}, sentence {}; {} {:.2})</span></li>",
                escape(&shorten(text, EXAMPLE_CHARS)),
                escape(&e.article),
                e.sentence + 1,
                escape(labels.get(p.label).map_or("", String::as_str)),
                p.probs.get(p.label).copied().unwrap_or(0.0)
            );
        }
        out.push_str("</ul></td></tr>");
    }
    out.push_str("</tbody></table></section>\n");
    out
}

/// Up to [`EXAMPLES`] statements of an edge with different sentences: the most probable of each
/// label its stance stands for (supportive and distancing for mixed), then the most probable of
/// those labels, then of any; the earliest wins ties.
fn examples<'e>(model: &Model, stance: Stance, edges: &[&'e (Edge, String)]) -> Vec<&'e (Edge, String)> {
    let wanted: Vec<usize> = match stance {
        Stance::Label(l) => vec![l],
        Stance::Mixed => ["supportive", "distancing"]
            .iter()
            .filter_map(|l| model.label_index(l))
            .collect(),
        Stance::Uncertain => Vec::new(),
    };
    let top = |e: &(Edge, String)| e.0.prediction.probs.get(e.0.prediction.label).copied().unwrap_or(0.0);
    let mut ranked: Vec<&'e (Edge, String)> = edges.to_vec();
    // Stable sort: among equals the earlier statement stays first.
    ranked.sort_by(|a, b| top(b).total_cmp(&top(a)));
    let mut picked: Vec<&'e (Edge, String)> = Vec::new();
    let take = |e: &'e (Edge, String), picked: &mut Vec<&'e (Edge, String)>| {
        if picked.len() < EXAMPLES && !picked.iter().any(|p| p.1 == e.1) {
            picked.push(e);
        }
    };
    for &l in &wanted {
        if let Some(e) = ranked.iter().find(|e| e.0.prediction.label == l) {
            take(e, &mut picked);
        }
    }
    for e in ranked.iter().filter(|e| wanted.contains(&e.0.prediction.label)) {
        take(e, &mut picked);
    }
    for e in &ranked {
        take(e, &mut picked);
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Prediction;

    /// An edge `source → target` predicted as `label` with probability `p` (the rest spread).
    fn edge(model: &Model, source: usize, target: usize, label: &str, p: f64, text: &str) -> (Edge, String) {
        let k = model.n_labels();
        let l = model.label_index(label).unwrap_or(0);
        let rest = (1.0 - p) / (k.saturating_sub(1).max(1)) as f64;
        let probs = (0..k).map(|i| if i == l { p } else { rest }).collect();
        let e = Edge {
            article: "a".into(),
            sentence: 0,
            start: 0,
            end: text.len(),
            source,
            target,
            prediction: Prediction { label: l, probs },
        };
        (e, text.to_string())
    }

    #[test]
    fn examples_show_both_sides_of_a_mixed_edge() {
        let model = crate::default_model().expect("embedded model");
        let edges = [
            edge(&model, 0, 1, "distancing", 0.9, "d1"),
            edge(&model, 0, 1, "distancing", 0.95, "d2"),
            edge(&model, 0, 1, "supportive", 0.7, "s1"),
            edge(&model, 0, 1, "neutral", 0.99, "n1"),
        ];
        let refs: Vec<&(Edge, String)> = edges.iter().collect();
        let texts = |picked: Vec<&(Edge, String)>| picked.iter().map(|e| e.1.clone()).collect::<Vec<_>>();
        assert_eq!(texts(examples(&model, Stance::Mixed, &refs)), ["s1", "d2"]);
        let distancing = model.label_index("distancing").map(Stance::Label);
        assert_eq!(
            texts(examples(&model, distancing.unwrap_or(Stance::Mixed), &refs)),
            ["d2", "d1"]
        );
    }

    #[test]
    fn many_actors_are_named_along_the_radius_and_the_page_repeats() {
        let model = crate::default_model().expect("embedded model");
        let names: Vec<String> = (0..24).map(|i| format!("Actor {i:02}")).collect();
        let edges: Vec<(Edge, String)> = (0..24)
            .map(|i| edge(&model, i, (i * 5 + 3) % 24, "supportive", 0.8, "una frase"))
            .collect();
        let run = PairRun {
            model_name: "test",
            articles: 1,
            actors: &names,
        };
        let page = pair_report(&model, &run, &edges);
        assert_eq!(page.matches("<g class=\"node\"").count(), 24);
        assert_eq!(page.matches("<path class=\"edge").count(), 24);
        assert_eq!(page.matches("transform=\"rotate(").count(), 24);
        assert_eq!(page, pair_report(&model, &run, &edges));
        // Few actors are named level.
        let few = pair_report(&model, &run, &edges[..1]);
        assert_eq!(few.matches("<g class=\"node\"").count(), 2);
        assert!(!few.contains("rotate("));
    }
}
