//! `label --per actor` and `label --format html` end to end: per-actor rows over a whole run
//! (and per period with dates), and a self-contained, well-formed, escaped HTML report —
//! checked without a browser (benches/report/render.sh renders one with headless Chromium).

mod common;

use common::Run;
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

fn label(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["label"];
    all.extend_from_slice(args);
    common::run(Some(dir), &all, None, &[])
}

/// Three dated articles toward two actors, in JSON lines; one text carries markup and quotes.
fn dated(dir: &Path) -> PathBuf {
    let rows = [
        (
            "n1",
            "2025-01-05",
            "La oposición criticó con dureza a Kast. Kast viajó a Temuco. Boric guardó silencio.",
        ),
        (
            "n2",
            "2025-01-20T10:00:00Z",
            "Miles de personas respaldaron a Kast en el cierre de campaña. <script>alert('x')</script> & \"Kast\" habló.",
        ),
        (
            "n3",
            "2025-02-11",
            "El sindicato elogió la gestión de Boric. Hubo lluvia.",
        ),
    ];
    let mut s = String::new();
    for (id, date, text) in rows {
        s.push_str(&serde_json::json!({"id": id, "date": date, "text": text}).to_string());
        s.push('\n');
    }
    write(dir, "news.jsonl", &s)
}

fn actors(dir: &Path) -> PathBuf {
    write(
        dir,
        "actors.csv",
        "actor,aliases\nJosé Antonio Kast,Kast\nGabriel Boric,Boric\n<b>Nadie</b>,\n",
    )
}

#[test]
fn per_actor_rows_pool_every_article() {
    let dir = tempfile::tempdir().unwrap();
    let (news, actors) = (dated(dir.path()), actors(dir.path()));
    let (news, actors) = (news.to_str().unwrap(), actors.to_str().unwrap());
    let r = label(dir.path(), &["--actors", actors, "--per", "actor", "-f", "jsonl", news]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let rows = r.json();
    let names: Vec<&str> = rows.iter().map(|r| r["actor"].as_str().unwrap()).collect();
    assert_eq!(names, ["José Antonio Kast", "Gabriel Boric", "<b>Nadie</b>"]);
    // The sentence rows of the same run add up to the per-actor counts.
    let sentences = label(dir.path(), &["--actors", actors, "-f", "jsonl", news]).json();
    for row in &rows {
        let mine = sentences.iter().filter(|s| s["actor"] == row["actor"]).count() as u64;
        let counts: u64 = row["counts"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(|v| v.as_u64())
            .sum();
        assert_eq!((row["sentences"].as_u64(), counts), (Some(mine), mine), "{row}");
    }
    assert_eq!(
        (rows[0]["articles"].as_u64(), rows[1]["articles"].as_u64()),
        (Some(2), Some(2))
    );
    assert!(rows[0]["confidence"].as_f64().is_some_and(|c| c > 0.0 && c < 1.0));
    assert!(rows[0]["evidence"].as_object().is_some_and(|e| !e.is_empty()));
    // An actor never mentioned has a row with no stance.
    assert_eq!(
        (rows[2]["articles"].as_u64(), rows[2]["stance"].is_null()),
        (Some(0), true)
    );

    // Over time: one row per actor and month with a mention.
    let r = label(
        dir.path(),
        &[
            "--actors",
            actors,
            "--per",
            "actor",
            "--date-field",
            "date",
            "--by",
            "month",
            "-f",
            "jsonl",
            news,
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let periods: Vec<(String, String, u64)> = r
        .json()
        .iter()
        .map(|r| {
            (
                r["actor"].as_str().unwrap().to_string(),
                r["period"].as_str().unwrap().to_string(),
                r["articles"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        periods,
        [
            ("José Antonio Kast".to_string(), "2025-01".to_string(), 2),
            ("Gabriel Boric".to_string(), "2025-01".to_string(), 1),
            ("Gabriel Boric".to_string(), "2025-02".to_string(), 1),
        ]
    );
    let r = label(
        dir.path(),
        &[
            "--actors",
            actors,
            "--per",
            "actor",
            "--date-field",
            "date",
            "--by",
            "week",
            "-f",
            "csv",
            news,
        ],
    );
    assert!(
        r.stdout
            .starts_with("actor,period,articles,sentences,stance,confidence,"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("José Antonio Kast,2025-W01,1,"), "{}", r.stdout);
    let r = label(dir.path(), &["--actors", actors, "--per", "actor", "-f", "table", news]);
    assert_eq!(r.stdout.lines().count(), 4, "{}", r.stdout);
}

#[test]
fn bad_dates_and_flags_are_errors_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let news = write(
        dir.path(),
        "bad.jsonl",
        "{\"id\":\"a\",\"date\":\"2025-01-05\",\"text\":\"Kast habló.\"}\n{\"id\":\"b\",\"date\":\"5 de enero\",\"text\":\"Kast calló.\"}\n{\"id\":\"c\",\"date\":20250105,\"text\":\"Kast volvió.\"}\n",
    );
    let news = news.to_str().unwrap();
    let r = label(
        dir.path(),
        &[
            "--actor",
            "Kast",
            "--per",
            "actor",
            "--date-field",
            "date",
            "--by",
            "day",
            "-f",
            "jsonl",
            news,
        ],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("bad.jsonl:2: the \"date\" field is not a date: '5 de enero'"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("bad.jsonl:3: the \"date\" field is not a date string"),
        "{}",
        r.stderr
    );
    // The good line is still counted.
    assert_eq!(r.json().len(), 1, "{}", r.stdout);
    let r = label(dir.path(), &["--actor", "Kast", "--by", "day", news]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("--date-field"), "{}", r.stderr);
    let r = label(
        dir.path(),
        &["--actor", "Kast", "--date-field", "date", "--by", "day", news],
    );
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.starts_with("error: --by groups per-actor rows"),
        "{}",
        r.stderr
    );
}

/// Elements that never have an end tag.
const VOID: &[&str] = &["meta", "br", "img", "input", "link", "hr", "wbr"];

/// Checks that every tag is closed in order (void and `/>` elements aside) and returns the
/// names of the elements seen, in order. Text never holds a bare `<` once escaped.
fn check_well_formed(html: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let after = &rest[lt + 1..];
        let gt = after
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag near {:?}", &after[..after.len().min(60)]));
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name, "</{name}> closes <{open}>");
            continue;
        }
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        assert!(!name.is_empty(), "bad tag <{tag}>");
        // Inside tags, attribute values are quoted and escaped: no stray quote or angle bracket.
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in <{tag}>");
        seen.push(name.clone());
        if !(VOID.contains(&name.as_str()) || tag.ends_with('/')) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    seen
}

#[test]
fn the_html_report_is_self_contained_escaped_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let (news, actors) = (dated(dir.path()), actors(dir.path()));
    let (news, actors) = (news.to_str().unwrap(), actors.to_str().unwrap());
    let r = label(
        dir.path(),
        &["--actors", actors, "--date-field", "date", "-f", "html", news],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let html = &r.stdout;
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..80]);
    assert!(html.trim_end().ends_with("</html>"));
    let elements = check_well_formed(html);
    // Self-contained: no script, no external resource of any kind.
    for bad in [
        "<script", "src=", "href=", "url(", "@import", "http://", "https://", "<link", "<iframe",
    ] {
        assert!(!html.contains(bad), "report holds {bad}");
    }
    // Input text is escaped, never markup.
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Kast&quot;"));
    assert!(html.contains("&lt;b&gt;Nadie&lt;/b&gt;") && !html.contains("<b>Nadie"));
    // Sections: three articles, highlighted sentences with their probabilities on hover,
    // verdicts, the per-actor summary with a chart per actor, and the stance over time.
    assert_eq!(elements.iter().filter(|e| *e == "details").count(), 3);
    assert!(html.contains("<section id=\"summary\">") && html.contains("<section id=\"timeline\">"));
    let marks = html.matches("<mark class=\"s ").count();
    assert_eq!(marks, 6, "one highlight per mentioning sentence");
    assert!(html.contains("title=\"José Antonio Kast: distancing") || html.contains("title=\"José Antonio Kast: "));
    assert!(html.contains("<table class=\"verdicts\">"));
    // One bar per mentioned actor in the summary and one timeline chart per mentioned actor.
    assert_eq!(html.matches("aria-label=\"sentences per label\"").count(), 2);
    assert!(html.contains("Not mentioned in any article (1): &lt;b&gt;Nadie&lt;/b&gt;."));
    assert_eq!(html.matches("aria-label=\"stance over time\"").count(), 2);
    assert!(html.contains(">2025-01<") && html.contains(">2025-02<"));

    // Without dates there is no timeline; with no mention at all the page is still whole.
    let plain = write(dir.path(), "p.txt", "Nada que ver aquí. Otra frase.");
    let r = label(dir.path(), &["--actor", "Kast", "-f", "html", plain.to_str().unwrap()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    check_well_formed(&r.stdout);
    assert!(!r.stdout.contains("id=\"timeline\"") && r.stdout.contains("Not mentioned in any article (1): Kast."));
    let r = label(
        dir.path(),
        &[
            "--actor",
            "Kast",
            "-f",
            "html",
            "--explain",
            "2",
            plain.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, Some(2));
}
