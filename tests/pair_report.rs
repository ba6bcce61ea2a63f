//! `postura label --per pair -f html` end to end: the stance network page drawn from the same
//! edges the JSON lines give, with every name and sentence escaped, byte for byte the same on
//! every run.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `postura label --per pair --actors ACTORS -f FORMAT PATHS…`
fn pairs(actors: &Path, format: &str, paths: &[&Path]) -> common::Run {
    let actors = actors.to_string_lossy().into_owned();
    let mut args = vec!["label", "--per", "pair", "--quiet", "--actors", &actors, "-f", format];
    let paths: Vec<String> = paths.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    args.extend(paths.iter().map(String::as_str));
    let r = common::run(None, &args, None, &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    r
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Undoes the escaping of the report (the five entities it writes).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The values of `attr="…"` in the tags of `html` that start with `tag_start`, unescaped.
fn attrs(html: &str, tag_start: &str, attr: &str) -> Vec<String> {
    html.match_indices(tag_start)
        .filter_map(|(at, _)| {
            let tag = html.get(at..)?.split('>').next()?;
            let from = tag.find(&format!("{attr}=\""))? + attr.len() + 2;
            let value = tag.get(from..)?.split('"').next()?;
            Some(unescape(value))
        })
        .collect()
}

/// The cells of each table row of class `edge-row`, tags stripped and unescaped.
fn edge_rows(html: &str) -> Vec<Vec<String>> {
    html.split("<tr class=\"edge-row\">")
        .skip(1)
        .map(|row| {
            let row = row.split("</tr>").next().unwrap_or("");
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let inner = cell.split_once('>').map_or("", |(_, rest)| rest);
                    let inner = inner.split("</td>").next().unwrap_or("");
                    let mut text = String::new();
                    let mut in_tag = false;
                    for c in inner.chars() {
                        match c {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    unescape(&text)
                })
                .collect()
        })
        .collect()
}

/// On the project's example articles and actor list, the page draws one node per actor and one
/// edge per (source, target) of the JSON lines of the same run, with a legend and a table row
/// per edge whose statements add up to the JSON lines; and it is the same bytes twice.
#[test]
fn the_network_page_matches_the_edges_of_the_same_run() {
    let actors = repo("datasets/actors.csv");
    let articles = repo("datasets/articles");
    let jsonl = pairs(&actors, "jsonl", &[&articles]).json();
    assert!(jsonl.len() >= 4, "too few edges to test with: {jsonl:?}");
    let mut statements: BTreeMap<(String, String), usize> = BTreeMap::new();
    for e in &jsonl {
        let name = |k: &str| e[k].as_str().unwrap_or_default().to_string();
        *statements.entry((name("source"), name("target"))).or_default() += 1;
    }
    let people: BTreeSet<String> = statements.keys().flat_map(|(s, t)| [s.clone(), t.clone()]).collect();

    let html = pairs(&actors, "html", &[&articles]).stdout;
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert_eq!(html.matches("<svg class=\"net\"").count(), 1);
    // Self-contained: nothing fetched, nothing run.
    for banned in ["<script", "http://", "https://", "<link", "@import"] {
        assert!(!html.contains(banned), "the page holds {banned}");
    }

    let nodes = attrs(&html, "<g class=\"node\"", "data-actor");
    assert_eq!(nodes.len(), people.len(), "{nodes:?}");
    assert_eq!(nodes.iter().cloned().collect::<BTreeSet<_>>(), people);

    let sources = attrs(&html, "<path class=\"edge", "data-source");
    let targets = attrs(&html, "<path class=\"edge", "data-target");
    let drawn: Vec<(String, String)> = sources.into_iter().zip(targets).collect();
    assert_eq!(drawn.len(), statements.len(), "{drawn:?}");
    assert_eq!(
        drawn.iter().cloned().collect::<BTreeSet<_>>(),
        statements.keys().cloned().collect::<BTreeSet<_>>()
    );
    // Every edge ends in an arrowhead that is defined.
    for marker in attrs(&html, "<path class=\"edge", "marker-end") {
        let id = marker.trim_start_matches("url(#").trim_end_matches(')');
        assert!(html.contains(&format!("<marker id=\"{id}\"")), "no marker {id}");
    }

    let legend = html
        .split("<ul class=\"netlegend\"")
        .nth(1)
        .and_then(|l| l.split("</ul>").next())
        .unwrap_or_else(|| panic!("no legend"));
    for stance in ["supportive", "neutral", "distancing", "mixed", "source → target"] {
        assert!(legend.contains(stance), "legend lacks {stance}: {legend}");
    }
    assert!(!legend.contains(">none<"), "{legend}");

    let rows = edge_rows(&html);
    assert_eq!(rows.len(), statements.len());
    for row in &rows {
        let (Some(s), Some(t), Some(n)) = (row.first(), row.get(1), row.get(3)) else {
            panic!("short row {row:?}");
        };
        let want = statements.get(&(s.clone(), t.clone()));
        assert_eq!(Some(n.clone()), want.map(usize::to_string), "{row:?}");
        // The per-label counts (the columns between statements and confidence) add up.
        let per_label: usize = row
            .get(4..row.len().saturating_sub(2))
            .unwrap_or_default()
            .iter()
            .map(|c| c.parse::<usize>().unwrap_or(usize::MAX / 8))
            .sum();
        assert_eq!(Some(&per_label), want, "{row:?}");
        assert!(row.last().is_some_and(|ex| ex.len() > 20), "no example in {row:?}");
    }
    let counts: Vec<usize> = rows.iter().filter_map(|r| r.get(3)?.parse().ok()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "not sorted: {counts:?}");

    let again = pairs(&actors, "html", &[&articles]).stdout;
    assert!(again == html, "two runs differ");
}

/// Actor names, article ids and sentences with markup, ampersands and quotes are escaped
/// wherever they appear (node labels, tooltips, attributes, the table).
#[test]
fn names_and_sentences_are_escaped() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let actors = dir.path().join("actors.csv");
    std::fs::write(
        &actors,
        "actor,aliases\nAna <Ruiz>,Ruiz\n\"Tomás \"\"El Duro\"\" & Vera\",Vera\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let article = dir.path().join("nota \"1\" & <b>.txt");
    std::fs::write(
        &article,
        "Ruiz criticó con dureza a Vera <script>alert('x')</script>. \
         Ruiz acusó a Vera de mentir a los votantes. \
         Vera respalda con entusiasmo el plan de Ruiz & compañía.",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let jsonl = pairs(&actors, "jsonl", &[&article]).json();
    assert!(!jsonl.is_empty(), "no edge between the actors");
    let html = pairs(&actors, "html", &[&article]).stdout;
    for raw in [
        "<Ruiz>",
        "\"El Duro\"",
        "& Vera",
        "<script",
        "alert('x')",
        "nota \"1\"",
        "<b>",
        "Ruiz & compañía",
    ] {
        assert!(!html.contains(raw), "unescaped {raw} in the page");
    }
    assert!(html.contains("Ana &lt;Ruiz&gt;"));
    assert!(html.contains("Tomás &quot;El Duro&quot; &amp; Vera"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("nota &quot;1&quot; &amp; &lt;b&gt;.txt"));
    let nodes = attrs(&html, "<g class=\"node\"", "data-actor");
    let people: BTreeSet<&str> = jsonl
        .iter()
        .flat_map(|e| [e["source"].as_str(), e["target"].as_str()])
        .flatten()
        .collect();
    assert_eq!(nodes.iter().map(String::as_str).collect::<BTreeSet<_>>(), people);
}

/// Articles where no sentence names two actors give a page that says the network is empty.
#[test]
fn an_empty_network_is_said_so() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let actors = dir.path().join("actors.csv");
    std::fs::write(&actors, "actor,aliases\nAna Ruiz,Ruiz\nTomás Vera,Vera\n").unwrap_or_else(|e| panic!("{e}"));
    let article = dir.path().join("a.txt");
    std::fs::write(&article, "Ruiz viajó a la capital. Vera habló en la radio.").unwrap_or_else(|e| panic!("{e}"));
    let html = pairs(&actors, "html", &[&article]).stdout;
    assert!(html.contains("the network is empty"), "{html}");
    assert!(!html.contains("<svg class=\"net\""));
    assert!(html.contains("1 article read") && html.contains("0 edges between 0 of 2 listed actors"));
    assert!(html.trim_end().ends_with("</html>"));
}
