//! `postura label` end to end: articles in (files, directories, HTML, JSON lines, stdin), sentence
//! and article rows out; alias matching, sentence offsets, broken inputs, closed pipes,
//! deterministic order, and the stances of the example articles in `datasets/articles/`.

mod common;

use common::{BIN, Run};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// Invented training statements: enough for a small model that knows the three labels.
const TRAIN_CSV: &str = "text,actor,label
Los vecinos respaldan con entusiasmo a Marta Ríos,Marta Ríos,supportive
El sindicato celebró el plan de Marta Ríos y pidió apoyarla,Marta Ríos,supportive
Gran ovación para Ríos en el cierre de campaña,Ríos,supportive
Los alcaldes elogiaron la gestión de Tomás Vera,Tomás Vera,supportive
Vera recibió el apoyo unánime del partido,Vera,supportive
Miles marcharon en defensa de Tomás Vera,Tomás Vera,supportive
La federación agradeció a Ríos su valentía,Ríos,supportive
Apoyamos sin dudar la propuesta de Vera,Vera,supportive
La oposición criticó con dureza a Marta Ríos,Marta Ríos,distancing
Los socios se alejan de Ríos tras el escándalo,Ríos,distancing
El partido rechaza de plano las ideas de Tomás Vera,Tomás Vera,distancing
Vera fue acusado de mentir a los votantes,Vera,distancing
Duras críticas contra Marta Ríos por el recorte,Marta Ríos,distancing
Los diputados rompen con Vera y lo denuncian,Vera,distancing
Nadie quiere aparecer en la foto con Ríos,Ríos,distancing
La central obrera condenó el decreto de Tomás Vera,Tomás Vera,distancing
Marta Ríos viajó el martes a la capital,Marta Ríos,neutral
Ríos dará una conferencia de prensa mañana,Ríos,neutral
Tomás Vera se reunió con los ministros de la región,Tomás Vera,neutral
La agenda de Vera incluye dos visitas oficiales,Vera,neutral
Marta Ríos presentó el informe anual ante el consejo,Marta Ríos,neutral
Vera firmó el documento a las diez de la mañana,Vera,neutral
El equipo de Ríos publicó el calendario de actos,Ríos,neutral
Tomás Vera llegó al aeropuerto acompañado de su esposa,Tomás Vera,neutral
";

/// A small model trained once per test run from [`TRAIN_CSV`].
fn small_model() -> &'static Path {
    static MODEL: OnceLock<PathBuf> = OnceLock::new();
    MODEL.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("label-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let csv = dir.join("train.csv");
        std::fs::write(&csv, TRAIN_CSV).expect("write training CSV");
        let model = dir.join("small.postura");
        let out = Command::new(BIN)
            .args(["train", "-q", "--min-df", "1", "--data"])
            .arg(&csv)
            .arg("-o")
            .arg(&model)
            .output()
            .expect("postura train runs");
        assert!(
            out.status.success(),
            "train failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        model
    })
}

/// `postura label ARGS…`
fn run_with(args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Run {
    let mut all = vec!["label"];
    all.extend_from_slice(args);
    common::run(None, &all, stdin, env)
}

/// `postura label --model <small model> ARGS…`
fn label(args: &[&str]) -> Run {
    let model = small_model().to_string_lossy().into_owned();
    let mut all = vec!["--model", model.as_str()];
    all.extend_from_slice(args);
    run_with(&all, None, &[])
}

fn label_stdin(args: &[&str], stdin: &[u8]) -> Run {
    let model = small_model().to_string_lossy().into_owned();
    let mut all = vec!["--model", model.as_str()];
    all.extend_from_slice(args);
    run_with(&all, Some(stdin), &[])
}

/// The `text` field of each row.
fn texts(rows: &[Value]) -> Vec<&str> {
    rows.iter().map(|r| r["text"].as_str().expect("text")).collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&p, bytes).expect("write");
    p
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// The sentence indices of the rows.
fn indices(rows: &[Value]) -> Vec<u64> {
    rows.iter()
        .map(|r| r["sentence"].as_u64().expect("sentence index"))
        .collect()
}

#[test]
fn alias_matching_accents_case_surname_handles_and_whole_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "JOSE ANTONIO KAST visitó el puerto. \
                Más tarde, josé antonio kást habló con los pescadores. \
                Kast prometió volver en marzo. \
                Sus seguidores escribieron a @JoseAntonioKast toda la noche. \
                Los kastelanos y los Kastro no tienen nada que ver. \
                El Kastillo quedó cerrado. \
                Un tal Antonio Pérez también pasó por allí.";
    let f = write(dir.path(), "a.txt", text.as_bytes());
    let r = label(&[
        "--actor",
        "José Antonio Kast",
        "--alias",
        "Kast",
        "--alias",
        "@joseantoniokast",
        "--format",
        "jsonl",
        &s(&f),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let rows = r.json();
    assert_eq!(indices(&rows), vec![0, 1, 2, 3]);
    for row in &rows {
        assert_eq!(row["actor"], "José Antonio Kast");
        assert_eq!(row["mentioned"], true);
    }
    // Without the aliases only the full name matches.
    let r = label(&["--actor", "José Antonio Kast", "--format", "jsonl", &s(&f)]);
    assert_eq!(indices(&r.json()), vec![0, 1]);
}

#[test]
fn sentences_and_byte_offsets_on_a_hard_spanish_article() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Titular: la Dra. Ríos responde a la oposición\n\n\
                La Sra. Marta Ríos llegó a las 10.30 con un 3,5 % más de apoyo que en 2023. \
                «¡Vamos a ganar!», dijo Ríos ante 1.200 personas en la Av. Central... \
                Luego saludó a EE. UU. y a la UE. ¡Qué día para Ríos! \
                Más información en https://ejemplo.org/rios.html o en @martarios.\n\
                Ríos no respondió";
    let f = write(dir.path(), "hard.md", text.as_bytes());
    let r = label(&["--actor", "Marta Ríos", "--alias", "Ríos", "--format", "jsonl", &s(&f)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let rows = r.json();
    assert_eq!(
        texts(&rows),
        vec![
            "Titular: la Dra. Ríos responde a la oposición",
            "La Sra. Marta Ríos llegó a las 10.30 con un 3,5 % más de apoyo que en 2023.",
            "«¡Vamos a ganar!», dijo Ríos ante 1.200 personas en la Av. Central...",
            "¡Qué día para Ríos!",
            "Ríos no respondió",
        ]
    );
    assert_eq!(indices(&rows), vec![0, 1, 2, 4, 6]);
    for row in &rows {
        let (a, b) = (
            row["start"].as_u64().expect("start") as usize,
            row["end"].as_u64().expect("end") as usize,
        );
        assert_eq!(text.get(a..b), row["text"].as_str(), "offsets of {row}");
    }
}

#[test]
fn html_is_stripped_before_splitting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = "<html><head><title>Vera en campa&ntilde;a</title><style>p{}</style>\
                <script>var Vera = 'no cuenta';</script></head><body>\
                <p>Miles marcharon en defensa de Tom&aacute;s Vera.</p><!-- Vera oculto -->\
                <p>La lluvia no par&oacute;.</p><p>Vera agradeci&oacute; el apoyo&nbsp;recibido.</p></body></html>";
    let f = write(dir.path(), "p.html", html.as_bytes());
    let r = label(&["--actor", "Tomás Vera", "--alias", "Vera", "--format", "jsonl", &s(&f)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let rows = r.json();
    // The page's <title> is not a sentence of the article.
    assert_eq!(
        texts(&rows),
        vec![
            "Miles marcharon en defensa de Tomás Vera.",
            "Vera agradeció el apoyo recibido."
        ]
    );
    assert_eq!(indices(&rows), vec![0, 2]);
}

#[test]
fn a_broken_file_among_good_ones_is_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "b.txt", "Los alcaldes elogiaron a Vera.".as_bytes());
    write(d, "a.txt", "Vera viajó a la capital.".as_bytes());
    write(d, "c/roto.txt", b"Vera \xff\xfe sin UTF-8");
    write(d, "c/vacio.md", b"  \n");
    write(d, "c/d.txt", "Duras críticas contra Vera.".as_bytes());
    write(d, "notas.pdf", b"%PDF no es un articulo");
    let r = label(&["--actor", "Vera", "--format", "jsonl", &s(d)]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let ids: Vec<String> = r
        .json()
        .iter()
        .map(|v| v["article"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        ids,
        vec![s(&d.join("a.txt")), s(&d.join("b.txt")), s(&d.join("c/d.txt"))]
    );
    let err: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(err.len(), 3, "{}", r.stderr);
    assert!(
        err[0].starts_with("error: ") && err[0].contains(&s(&d.join("c/roto.txt"))),
        "{}",
        err[0]
    );
    assert!(err[0].contains("not valid UTF-8"), "{}", err[0]);
    assert!(
        err[1].starts_with("skipped: ") && err[1].contains(&s(&d.join("c/vacio.md"))),
        "{}",
        err[1]
    );
    assert!(err[2].contains("3 articles read, 1 skipped, 1 failed"), "{}", err[2]);

    // Without the broken file the run is clean.
    std::fs::remove_file(d.join("c/roto.txt")).expect("rm");
    let r = label(&["--actor", "Vera", "--format", "jsonl", &s(d)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // A path that does not exist is a failure named in the report, not the end of the run.
    let r = label(&[
        "--actor",
        "Vera",
        "--format",
        "jsonl",
        &s(&d.join("nada.txt")),
        &s(&d.join("a.txt")),
    ]);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.json().len(), 1);
    assert!(r.stderr.contains(&s(&d.join("nada.txt"))), "{}", r.stderr);
}

#[test]
fn json_lines_on_stdin_map_to_json_lines_on_stdout() {
    let input = "{\"url\":\"https://x/1\",\"cuerpo\":\"Vera viajó. Apoyamos a Vera.\"}\n\
                 {\"cuerpo\":\"Nada que ver aquí.\"}\n\
                 \n\
                 {\"url\":\"https://x/3\",\"titulo\":\"sin cuerpo\"}\n\
                 {\"url\":42,\"cuerpo\":\"Critican a Vera.\"}\n";
    let r = label_stdin(
        &["--actor", "Vera", "--text-field", "cuerpo", "--id-field", "url", "-"],
        input.as_bytes(),
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let rows = r.json();
    let got: Vec<(String, u64)> = rows
        .iter()
        .map(|v| {
            (
                v["article"].as_str().unwrap_or("").to_string(),
                v["sentence"].as_u64().unwrap_or(99),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![("https://x/1".into(), 0), ("https://x/1".into(), 1), ("42".into(), 0)]
    );
    assert!(
        r.stderr.contains("error: <stdin>:4: no \"cuerpo\" field"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("3 articles read, 0 skipped, 1 failed"),
        "{}",
        r.stderr
    );
}

#[test]
fn plain_text_on_stdin_is_one_article() {
    let r = label_stdin(
        &["--actor", "Ríos", "-"],
        "\n  Ríos habló. Nadie más.\nRíos volvió.".as_bytes(),
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let rows = r.json();
    assert_eq!(indices(&rows), vec![0, 2]);
    assert_eq!(rows[0]["article"], "<stdin>");
    assert_eq!(rows[0]["start"], 3);
}

#[test]
fn an_actor_list_labels_every_article_toward_every_actor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let actors = write(
        d,
        "actores.csv",
        "actor,aliases,país\nMarta Ríos,Ríos|@martarios,XX\nTomás Vera,Vera,YY\n".as_bytes(),
    );
    let a = write(
        d,
        "arts/1.txt",
        "Ríos y Vera se reunieron. Vera habló primero. Llovía.".as_bytes(),
    );
    let r = label(&["--actors", &s(&actors), "--format", "jsonl", &s(&a)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let got: Vec<(u64, String)> = r
        .json()
        .iter()
        .map(|v| {
            (
                v["sentence"].as_u64().unwrap_or(99),
                v["actor"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (0, "Marta Ríos".into()),
            (0, "Tomás Vera".into()),
            (1, "Tomás Vera".into())
        ]
    );
    let r = label(&["--actors", &s(&actors), "--per", "article", "--format", "jsonl", &s(&a)]);
    let rows = r.json();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0]["actor"].as_str(), rows[0]["mentions"].as_u64()),
        (Some("Marta Ríos"), Some(1))
    );
    assert_eq!(
        (rows[1]["actor"].as_str(), rows[1]["mentions"].as_u64()),
        (Some("Tomás Vera"), Some(2))
    );
    // A malformed list is an error naming the file and line.
    let bad = write(d, "malo.csv", "actor,aliases\nVera,x\n,sin nombre\n".as_bytes());
    let r = label(&["--actors", &s(&bad), &s(&a)]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains(&format!("{}:3: empty actor name", s(&bad))),
        "{}",
        r.stderr
    );
}

#[test]
fn article_rows_have_counts_means_stance_and_evidence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(
        dir.path(),
        "n.txt",
        "Los alcaldes elogiaron la gestión de Vera. Vera recibió el apoyo unánime del partido. \
         Vera firmó el documento a las diez. Hoy hizo calor."
            .as_bytes(),
    );
    let r = label(&["--actor", "Vera", "--per", "article", "--format", "jsonl", &s(&f)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let rows = r.json();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row["sentences"], 3);
    assert_eq!(row["mentions"], 3);
    let counts = row["counts"].as_object().expect("counts");
    assert_eq!(counts.values().filter_map(Value::as_u64).sum::<u64>(), 3);
    let means: f64 = row["mean_probabilities"]
        .as_object()
        .expect("means")
        .values()
        .filter_map(Value::as_f64)
        .sum();
    assert!((means - 1.0).abs() < 1e-3, "{means}");
    let stance = row["stance"].as_str().expect("stance");
    assert!(["supportive", "neutral", "distancing", "mixed"].contains(&stance));
    let conf = row["confidence"].as_f64().expect("confidence");
    assert!((0.0..=1.0).contains(&conf));
    // Every label with sentences has evidence, and only those.
    let evidence = row["evidence"].as_object().expect("evidence");
    for (label, n) in counts {
        assert_eq!(evidence.contains_key(label), n.as_u64() > Some(0), "{label}");
    }
    for e in evidence.values() {
        assert!(e["text"].as_str().is_some_and(|t| t.contains("Vera")));
    }
    // CSV and table carry the same stance.
    let r = label(&["--actor", "Vera", "--per", "article", "--format", "csv", &s(&f)]);
    let mut lines = r.stdout.lines();
    assert!(
        lines
            .next()
            .is_some_and(|h| h.starts_with("article,actor,sentences,mentions,stance,confidence,"))
    );
    assert!(
        lines
            .next()
            .is_some_and(|l| l.contains(&format!(",Vera,3,3,{stance},")))
    );
    let r = label(&["--actor", "Vera", "--per", "article", "--format", "table", &s(&f)]);
    assert_eq!(r.stdout.lines().count(), 2);
    assert!(r.stdout.contains(stance));
}

#[test]
fn all_sentences_classifies_the_others_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(
        dir.path(),
        "x.txt",
        "Vera habló. Hubo aplausos. Todos se fueron.".as_bytes(),
    );
    let r = label(&["--actor", "Vera", "--all-sentences", "--format", "jsonl", &s(&f)]);
    let rows = r.json();
    assert_eq!(indices(&rows), vec![0, 1, 2]);
    let mentioned: Vec<bool> = rows.iter().map(|r| r["mentioned"] == true).collect();
    assert_eq!(mentioned, vec![true, false, false]);
    // The verdict counts only the sentence that mentions the actor.
    let r = label(&[
        "--actor",
        "Vera",
        "--all-sentences",
        "--per",
        "article",
        "-f",
        "jsonl",
        &s(&f),
    ]);
    let rows = r.json();
    assert_eq!(
        (rows.len(), rows[0]["sentences"].as_u64()),
        (1, Some(1)),
        "{}",
        r.stdout
    );
}

#[test]
fn one_sentence_verdicts_are_no_surer_than_their_sentence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(
        dir.path(),
        "uno.jsonl",
        "{\"id\":\"a\",\"text\":\"Hoy llovió. Los alcaldes elogiaron la gestión de Vera.\"}\n\
         {\"id\":\"b\",\"text\":\"Vera firmó el documento. Nada más.\"}\n\
         {\"id\":\"c\",\"text\":\"La oposición criticó con dureza a Vera.\"}\n"
            .as_bytes(),
    );
    let sentences = label(&["--actor", "Vera", "-f", "jsonl", &s(&f)]).json();
    let articles = label(&["--actor", "Vera", "--per", "article", "-f", "jsonl", &s(&f)]).json();
    assert_eq!((sentences.len(), articles.len()), (3, 3));
    for (sent, art) in sentences.iter().zip(&articles) {
        let (p, c) = (
            sent["confidence"].as_f64().unwrap(),
            art["confidence"].as_f64().unwrap(),
        );
        assert!(
            c <= p + 0.05 && c > 0.0,
            "{}: sentence {p}, article {c}",
            art["article"]
        );
        assert_eq!(sent["label"], art["stance"]);
    }
}

#[test]
fn min_confidence_and_explain_in_label() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(
        dir.path(),
        "n.txt",
        "Los alcaldes elogiaron la gestión de Vera. Vera firmó el documento a las diez.".as_bytes(),
    );
    // Every sentence and verdict is below a threshold of 1.
    let r = label(&["--actor", "Vera", "--min-confidence", "1", "-f", "jsonl", &s(&f)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.json().iter().all(|row| row["label"] == "uncertain"), "{}", r.stdout);
    let r = label(&[
        "--actor",
        "Vera",
        "--min-confidence",
        "1",
        "--per",
        "article",
        "-f",
        "jsonl",
        &s(&f),
    ]);
    assert_eq!(r.json()[0]["stance"], "uncertain", "{}", r.stdout);
    // And none at 0.
    let r = label(&["--actor", "Vera", "--min-confidence", "0", "-f", "jsonl", &s(&f)]);
    assert!(r.json().iter().all(|row| row["label"] != "uncertain"), "{}", r.stdout);
    let r = label(&["--actor", "Vera", "--min-confidence", "1.5", &s(&f)]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.starts_with("error: --min-confidence must be between 0 and 1"),
        "{}",
        r.stderr
    );

    let r = label(&["--actor", "Vera", "--explain", "3", "-f", "jsonl", &s(&f)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for row in r.json() {
        let e = &row["explain"];
        assert_eq!(e["features"].as_array().map(Vec::len), Some(3), "{row}");
        let score = |l: &str| e["score"][l].as_f64().unwrap();
        for l in ["distancing", "neutral", "supportive"] {
            let shown: f64 = e["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["contribution"][l].as_f64().unwrap())
                .sum();
            let sum = e["intercept"][l].as_f64().unwrap() + shown + e["rest"][l].as_f64().unwrap();
            assert!((sum - score(l)).abs() < 1e-3, "{l}: {sum} vs {}", score(l));
        }
        let label = row["label"].as_str().unwrap();
        assert!(
            ["distancing", "neutral", "supportive"]
                .iter()
                .all(|l| score(l) <= score(label))
        );
    }
    let r = label(&["--actor", "Vera", "--explain", "2", "-f", "table", &s(&f)]);
    assert!(
        r.stdout.contains("(intercept)") && r.stdout.contains("= score"),
        "{}",
        r.stdout
    );
    let r = label(&["--actor", "Vera", "--explain", "2", "-f", "csv", &s(&f)]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.starts_with("error: --explain does not fit -f csv"),
        "{}",
        r.stderr
    );
}

/// Many small articles in JSON lines: more than one batch.
fn many_articles(n: usize) -> String {
    (0..n)
        .map(|i| {
            let t = match i % 3 {
                0 => "Los alcaldes elogiaron a Vera. Llovía.",
                1 => "Duras críticas contra Vera por el recorte.",
                _ => "Vera viajó el martes. Vera firmó el acta.",
            };
            format!("{{\"id\":\"n{i}\",\"text\":\"{t} Nota {i}.\"}}\n")
        })
        .collect()
}

#[test]
fn output_order_does_not_depend_on_threads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(dir.path(), "many.jsonl", many_articles(2500).as_bytes());
    let model = s(small_model());
    let args = [
        "--model",
        model.as_str(),
        "--actor",
        "Vera",
        "--format",
        "jsonl",
        f.to_str().unwrap_or(""),
    ];
    let one = run_with(&args, None, &[("RAYON_NUM_THREADS", "1")]);
    let four = run_with(&args, None, &[("RAYON_NUM_THREADS", "4")]);
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    assert_eq!(one.stdout, four.stdout);
    let rows = one.json();
    assert_eq!(rows.len(), 2500 + 2500 / 3);
    assert_eq!(rows.last().and_then(|r| r["article"].as_str()), Some("n2499"));
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let model = s(small_model());
    let mut child = Command::new(BIN)
        .args([
            "label",
            "--model",
            model.as_str(),
            "--actor",
            "Vera",
            "--format",
            "jsonl",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("postura runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = many_articles(60_000);
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("one line");
    assert!(first.starts_with("{\"article\":\"n0\""), "{first}");
    drop(stdout); // like `| head -1`
    let out = child.wait_with_output().expect("postura finishes");
    let _ = feeder.join();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn a_model_trained_toward_one_actor_labels_toward_it_when_no_actor_is_given() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    write(d, "train.csv", TRAIN_CSV.as_bytes());
    let run = common::run(
        Some(d),
        &[
            "train",
            "-q",
            "--data",
            "train.csv",
            "--actor",
            "Marta Ríos",
            "--alias",
            "la consejera",
            "-o",
            "m.postura",
        ],
        None,
        &[],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    write(
        d,
        "nota.txt",
        "La consejera presentó ayer el presupuesto. Llovió toda la tarde.\n".as_bytes(),
    );
    for args in [
        vec!["label", "-m", "m.postura", "-f", "jsonl", "nota.txt"],
        vec![
            "label",
            "-m",
            "m.postura",
            "--actor",
            "Marta Ríos",
            "-f",
            "jsonl",
            "nota.txt",
        ],
    ] {
        let run = common::run(Some(d), &args, None, &[]);
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
        let rows = run.json();
        assert_eq!(
            texts(&rows),
            vec!["La consejera presentó ayer el presupuesto."],
            "{args:?}"
        );
        assert_eq!(rows[0]["actor"], "Marta Ríos");
    }
    // --alias alone replaces the model's aliases, as in predict.
    write(
        d,
        "nota2.txt",
        "La ministra habló ayer. La consejera calló.\n".as_bytes(),
    );
    let run = common::run(
        Some(d),
        &[
            "label",
            "-m",
            "m.postura",
            "--alias",
            "la ministra",
            "-f",
            "jsonl",
            "nota2.txt",
        ],
        None,
        &[],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(texts(&run.json()), vec!["La ministra habló ayer."]);
    // A model trained with an actor column has none to offer.
    let r = label(&["nota.txt"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.starts_with("error: no actor to label toward"), "{}", r.stderr);
}

#[test]
fn usage_errors() {
    let r = label(&["--actor", "...", "x.txt"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("no word"), "{}", r.stderr);
    let r = run_with(&["x.txt"], None, &[]);
    assert_eq!(r.code, Some(2));
    let r = run_with(&["--alias", "K", "x.txt"], None, &[]);
    assert_eq!(r.code, Some(2));
}

/// One row of `datasets/articles/index.csv`.
struct Expected {
    file: String,
    actor: String,
    aliases: Vec<String>,
    expected: String,
}

fn read_index(path: &Path) -> Vec<Expected> {
    let mut reader = csv::Reader::from_path(path).expect("index.csv reads");
    reader
        .records()
        .map(|r| {
            let r = r.expect("index.csv row");
            Expected {
                file: r.get(0).unwrap_or("").to_string(),
                actor: r.get(1).unwrap_or("").to_string(),
                aliases: r
                    .get(2)
                    .unwrap_or("")
                    .split('|')
                    .filter(|a| !a.is_empty())
                    .map(String::from)
                    .collect(),
                expected: r.get(3).unwrap_or("").to_string(),
            }
        })
        .collect()
}

#[test]
fn example_articles_yield_mentions_and_mostly_the_expected_stance() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/articles");
    let rows = read_index(&root.join("index.csv"));
    assert!(rows.len() >= 10, "index.csv lists {} articles", rows.len());
    let mut agree = 0;
    let mut report = Vec::new();
    for row in &rows {
        // The embedded default model (tests/default_model.rs checks it matches its corpus).
        let mut args: Vec<String> = vec!["--actor".into(), row.actor.clone()];
        for a in &row.aliases {
            args.extend(["--alias".into(), a.clone()]);
        }
        args.extend(["--per".into(), "article".into(), "--format".into(), "jsonl".into()]);
        args.push(s(&root.join(&row.file)));
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run_with(&argv, None, &[]);
        assert_eq!(r.code, Some(0), "{}: {}", row.file, r.stderr);
        let out = r.json();
        assert_eq!(out.len(), 1, "{}: one summary expected, got {}", row.file, r.stdout);
        let summary = &out[0];
        let mentions = summary["mentions"].as_u64().unwrap_or(0);
        assert!(mentions >= 3, "{}: only {mentions} mentioning sentences", row.file);
        let stance = summary["stance"].as_str().unwrap_or("");
        assert!(
            ["supportive", "neutral", "distancing", "mixed"].contains(&stance),
            "{stance}"
        );
        assert!(summary["confidence"].as_f64().is_some_and(|c| c > 0.0 && c <= 1.0));
        if stance == row.expected {
            agree += 1;
        }
        report.push(format!(
            "{}: expected {}, got {stance} ({mentions} mentions)",
            row.file, row.expected
        ));
    }
    eprintln!("agreement {agree}/{}:\n{}", rows.len(), report.join("\n"));
    assert!(
        agree * 10 >= rows.len() * 6,
        "agreement {agree}/{}:\n{}",
        rows.len(),
        report.join("\n")
    );
}

/// `label --source`: the seed articles written for the roles issue, read as how Milei stands
/// toward Kast, come out as their writer expected (supportive; distancing or mixed).
#[test]
fn source_restricts_the_verdict_to_the_sources_statements() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/articles");
    let a = root.join("11-milei-celebra-kast.txt");
    let b = root.join("12-gobierno-apoyo-kast.txt");
    let r = common::run(
        None,
        &[
            "label",
            "--source",
            "Milei",
            "--actor",
            "José Antonio Kast",
            "--alias",
            "Kast",
            "--per",
            "article",
            "-f",
            "jsonl",
            a.to_str().unwrap_or_default(),
            b.to_str().unwrap_or_default(),
        ],
        None,
        &[],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let rows: Vec<Value> = r.json();
    assert_eq!(rows.len(), 2, "{}", r.stdout);
    assert_eq!(rows[0]["stance"], "supportive", "{}", rows[0]);
    assert!(
        rows[1]["stance"] == "distancing" || rows[1]["stance"] == "mixed",
        "{}",
        rows[1]
    );
}

#[test]
fn a_source_that_is_the_only_actor_is_refused() {
    let r = common::run(
        None,
        &["label", "--source", "Kast", "--actor", "Kast", "-"],
        Some(b"Kast habla.".as_slice()),
        &[],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("only actor"), "{}", r.stderr);
}

/// `label --per pair`: source → target edges between listed actors, and the stance network as
/// GraphML; an actor list of one actor is refused.
#[test]
fn pairs_and_the_stance_network() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let actors = dir.path().join("actors.csv");
    std::fs::write(&actors, "actor,aliases\nJavier Milei,Milei\nJosé Antonio Kast,Kast\n").unwrap_or_default();
    let article = dir.path().join("a.txt");
    std::fs::write(
        &article,
        "Milei celebró el triunfo de Kast en Chile. Kast agradeció el saludo de Milei. Llovió en Santiago.",
    )
    .unwrap_or_default();
    let net = dir.path().join("net.graphml");
    let a = actors.to_str().unwrap_or_default();
    let r = common::run(
        None,
        &[
            "label",
            "--per",
            "pair",
            "--actors",
            a,
            "-f",
            "jsonl",
            "--network",
            net.to_str().unwrap_or_default(),
            article.to_str().unwrap_or_default(),
        ],
        None,
        &[],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let edges = r.json();
    let first = edges
        .iter()
        .find(|e| e["sentence"] == 1 && e["source"] == "Javier Milei")
        .unwrap_or_else(|| panic!("no Milei → Kast edge in {edges:?}"));
    assert_eq!(first["target"], "José Antonio Kast");
    assert_eq!(first["label"], "supportive");
    assert!(edges.iter().all(|e| e["label"] != "none" && e["sentence"] != 3));
    let xml = std::fs::read_to_string(&net).unwrap_or_default();
    assert!(
        xml.contains("<graphml") && xml.contains("edgedefault=\"directed\""),
        "{xml}"
    );
    assert!(xml.contains(">Javier Milei<") && xml.contains("<edge "), "{xml}");

    std::fs::write(&actors, "actor,aliases\nJavier Milei,Milei\n").unwrap_or_default();
    let r = common::run(
        None,
        &[
            "label",
            "--per",
            "pair",
            "--actors",
            a,
            article.to_str().unwrap_or_default(),
        ],
        None,
        &[],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("two or more actors"), "{}", r.stderr);
}

/// A generic role alias ("el presidente") counts only in an article that names the actor by a
/// proper name; two actors sharing an alias are warned about once.
#[test]
fn generic_role_aliases_need_the_actor_named() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let named = dir.path().join("a.txt");
    let unnamed = dir.path().join("b.txt");
    std::fs::write(&named, "El presidente viajó a Chile. Milei no estuvo en la cumbre.").unwrap_or_default();
    std::fs::write(&unnamed, "El presidente habló ayer en la cumbre.").unwrap_or_default();
    let actors = dir.path().join("actors.csv");
    std::fs::write(
        &actors,
        "actor,aliases\nJavier Milei,Milei|el presidente\nGabriel Boric,Boric|el presidente\n",
    )
    .unwrap_or_default();
    let r = common::run(
        None,
        &[
            "label",
            "--actors",
            actors.to_str().unwrap_or_default(),
            "-f",
            "jsonl",
            named.to_str().unwrap_or_default(),
            unnamed.to_str().unwrap_or_default(),
        ],
        None,
        &[],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let rows = r.json();
    assert!(
        rows.iter()
            .all(|s| s["article"].as_str().is_some_and(|a| a.ends_with("a.txt"))),
        "{rows:?}"
    );
    assert!(rows.iter().all(|s| s["actor"] == "Javier Milei"), "{rows:?}");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(r.stderr.matches("share a name or alias").count(), 1, "{}", r.stderr);
}
