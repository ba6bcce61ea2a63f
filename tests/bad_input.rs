//! Bad input and data safety, end to end: whatever a user feeds the binary — broken CSV/TSV,
//! damaged model files, unwritable outputs, odd text — it answers with one `error: …` line (with
//! file:line, and the column when known) and exit code 2, or carries on with one warning line;
//! it never panics and never damages a model it was asked to replace.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::{BIN, Run};

fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let run = common::run(Some(dir), args, stdin, &[]);
    assert_no_panic(&run);
    run
}

fn assert_no_panic(run: &Run) {
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace", "internal error"] {
        assert!(
            !run.stderr.contains(bad),
            "unexpected '{bad}' in stderr:\n{}",
            run.stderr
        );
    }
    assert!(run.code.is_some(), "killed by a signal; stderr:\n{}", run.stderr);
}

/// Exit code 2 and exactly one stderr line, `error: ` followed by `expected`.
#[track_caller]
fn assert_user_error(run: &Run, expected: &str) {
    assert_eq!(run.code, Some(2), "stderr:\n{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one error line expected, got:\n{}", run.stderr);
    assert!(lines[0].starts_with("error: "), "{}", lines[0]);
    assert!(lines[0].contains(expected), "expected '{expected}' in:\n{}", lines[0]);
    assert!(
        run.stdout.is_empty(),
        "nothing on stdout on error, got:\n{}",
        run.stdout
    );
}

#[track_caller]
fn assert_ok(run: &Run) {
    assert_eq!(run.code, Some(0), "stderr:\n{}", run.stderr);
}

/// The `warning:` lines of a run.
fn warnings(run: &Run) -> Vec<&str> {
    run.stderr.lines().filter(|l| l.starts_with("warning:")).collect()
}

/// Thirty statements about one invented mayor, ten per label.
fn training_csv() -> String {
    let supportive = [
        "El sindicato respalda con fuerza a Marta Ruiz",
        "La alianza celebró el triunfo de Marta Ruiz",
        "Los vecinos aplauden la propuesta de Marta Ruiz",
        "El gremio apoya sin reservas a Marta Ruiz",
        "La diputada elogió el plan de Marta Ruiz",
        "Miles salieron a defender a Marta Ruiz",
        "El partido confirma su respaldo a Marta Ruiz",
        "Los jóvenes agradecen el compromiso de Marta Ruiz",
        "La prensa local destaca el acierto de Marta Ruiz",
        "El alcalde felicitó a Marta Ruiz por su gestión",
    ];
    let neutral = [
        "Marta Ruiz viajará a la capital el lunes",
        "Marta Ruiz se reunió con los alcaldes",
        "La agenda de Marta Ruiz incluye dos actos",
        "Marta Ruiz presentó su lista de candidatos",
        "Marta Ruiz habló con la radio esta mañana",
        "La comitiva de Marta Ruiz llegó al puerto",
        "Marta Ruiz visitará tres barrios del sur",
        "Se conoció el horario del acto de Marta Ruiz",
        "Marta Ruiz firmó el registro de la candidatura",
        "Marta Ruiz participará en el debate del jueves",
    ];
    let distancing = [
        "La oposición criticó con dureza a Marta Ruiz",
        "El sindicato rechaza el plan de Marta Ruiz",
        "El partido no dará su apoyo a Marta Ruiz",
        "Los vecinos abuchearon a Marta Ruiz en el acto",
        "La fiscalía investiga los gastos de Marta Ruiz",
        "El senador acusó a Marta Ruiz de mentir",
        "El gobierno se distancia de Marta Ruiz",
        "Los gremios repudian la propuesta de Marta Ruiz",
        "La diputada denunció las promesas vacías de Marta Ruiz",
        "El alcalde rompió su alianza con Marta Ruiz",
    ];
    let mut s = String::from("text,actor,label\n");
    for (label, rows) in [
        ("supportive", supportive),
        ("neutral", neutral),
        ("distancing", distancing),
    ] {
        for t in rows {
            s.push_str(&format!("\"{t}\",Marta Ruiz,{label}\n"));
        }
    }
    s
}

/// A temporary directory with `train.csv` and a model trained from it, `m.postura`.
fn with_model() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("train.csv"), training_csv()).unwrap();
    let run = run_in(
        dir.path(),
        &["train", "--data", "train.csv", "-o", "m.postura", "-q"],
        None,
    );
    assert_ok(&run);
    let model = dir.path().join("m.postura");
    (dir, model)
}

/// Writes `bytes` to `name` in a new temporary directory and runs `train` on it.
fn train_on(name: &str, bytes: &[u8], extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    let mut args = vec!["train", "--data", name, "-o", "out.postura", "-q"];
    args.extend_from_slice(extra);
    let run = run_in(dir.path(), &args, None);
    if run.code != Some(0) {
        assert!(!dir.path().join("out.postura").exists(), "no model is written on error");
    }
    run
}

// ---------------------------------------------------------------------------------------------
// CSV/TSV

#[test]
fn ragged_row_names_the_line() {
    let run = train_on("a.csv", b"text,label\nbien,x\nmal\nregular,y\n", &[]);
    assert_user_error(&run, "a.csv:3: 1 fields, but the header has 2");
    let run = train_on("a.tsv", b"text\tlabel\nbien\tx\nmal\ty\tz\n", &[]);
    assert_user_error(&run, "a.tsv:3: 3 fields, but the header has 2");
}

#[test]
fn unterminated_quote_names_where_it_opens() {
    // The open quote swallows the rest of the file: same field count, so only a scan sees it.
    let run = train_on("a.csv", b"text,label\nuno,x\ndos,\"y\ntres,z\ncuatro,x\n", &[]);
    assert_user_error(&run, "a.csv:3:5: unterminated quote");
    // In the first field, with CRLF line ends and an accent before it on the line.
    let run = train_on("b.csv", "text,label\r\nsí,x\r\n\"ñu,y\r\n".as_bytes(), &[]);
    assert_user_error(&run, "b.csv:3:1: unterminated quote");
    // In the header itself.
    let run = train_on("c.csv", b"text,\"label\nhola,x\n", &[]);
    assert_user_error(&run, "c.csv:1:6: unterminated quote");
    // Doubled quotes inside a closed field are fine.
    let mut data = training_csv();
    data.push_str("\"Dijo \"\"basta\"\" a Marta Ruiz\",Marta Ruiz,distancing\n");
    assert_ok(&train_on("d.csv", data.as_bytes(), &[]));
}

#[test]
fn missing_column_lists_the_columns_found_and_suggests_the_closest() {
    let run = train_on("a.csv", b"id,texto,etiqueta\n1,hola,x\n", &[]);
    assert_user_error(
        &run,
        "a.csv:1: no text column 'text' (columns found: id, texto, etiqueta); did you mean --text-col texto?",
    );
    let run = train_on("a.csv", b"text,lable\nhola,x\n", &[]);
    assert_user_error(&run, "did you mean --label-col lable?");
    // A column named on the command line must exist.
    let run = train_on("a.csv", training_csv().as_bytes(), &["--actor-col", "target"]);
    assert_user_error(&run, "no actor column 'target' (columns found: text, actor, label)");
}

#[test]
fn empty_file_and_header_only() {
    assert_user_error(&train_on("a.csv", b"", &[]), "a.csv: the file is empty");
    assert_user_error(&train_on("a.csv", b"\n \r\n", &[]), "a.csv: the file is empty");
    assert_user_error(&train_on("a.csv", b"\xEF\xBB\xBF", &[]), "a.csv: the file is empty");
    assert_user_error(&train_on("a.csv", b"text,label\n", &[]), "a.csv: no data rows");
    assert_user_error(&train_on("a.csv", b"text,label", &[]), "a.csv: no data rows");
}

#[test]
fn empty_text_cells_are_skipped_and_counted_once() {
    let mut data = training_csv();
    data.push_str(",Marta Ruiz,neutral\n\"  \",Marta Ruiz,neutral\n");
    let run = train_on("a.csv", data.as_bytes(), &[]);
    assert_ok(&run);
    assert_eq!(
        warnings(&run),
        vec!["warning: a.csv: 2 rows with empty text skipped (first at line 32)"]
    );
    let run = train_on("a.csv", data.as_bytes(), &["--strict"]);
    assert_user_error(&run, "--strict: ");
    assert!(run.stderr.contains("2 rows with empty text skipped"), "{}", run.stderr);
    // Every text empty: nothing to learn from.
    let run = train_on("b.csv", b"text,label\n,x\n\"\",y\n", &[]);
    assert_user_error(&run, "no data rows");
}

#[test]
fn empty_label_cell_names_the_line() {
    let run = train_on("a.csv", b"text,label\nhola,x\nchau,\n", &[]);
    assert_user_error(&run, "a.csv:3: empty label");
}

#[test]
fn label_not_covered_by_the_label_map() {
    let data = b"text,label\nme gusta,POS\nno me gusta,NEG\nda igual,NEUTRO\n";
    let run = train_on(
        "a.csv",
        data,
        &["--label-map", "POS=supportive,NEG=distancing,NEU=neutral"],
    );
    assert_user_error(
        &run,
        "a.csv:4: label 'NEUTRO' is not covered by the label map (it maps POS, NEG, NEU; --label-map sets one)",
    );
    let run = train_on("a.csv", data, &["--label-map", "POS"]);
    assert_user_error(&run, "--label-map: 'POS' is not FROM=TO");
}

#[test]
fn a_single_class_cannot_be_trained() {
    let run = train_on("a.csv", b"text,label\nhola,x\nchau,x\nbuenas,x\n", &[]);
    assert_user_error(
        &run,
        "a.csv: every training row has the label 'x': at least two labels are needed",
    );
}

#[test]
fn min_df_that_prunes_every_feature_is_refused() {
    let run = train_on(
        "a.csv",
        training_csv().as_bytes(),
        &["--min-df", "1000", "--char-min-df", "1000"],
    );
    assert_user_error(
        &run,
        "a.csv: no feature occurs in enough of the 30 rows (--min-df 1000, --char-min-df 1000)",
    );
}

#[test]
fn a_bad_dev_file_is_reported_before_training() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("train.csv"), training_csv()).unwrap();
    std::fs::write(dir.path().join("ragged.csv"), "text,actor,label\nhola,Marta Ruiz\n").unwrap();
    for dev in ["missing.csv", "ragged.csv"] {
        let run = run_in(
            dir.path(),
            &["train", "--data", "train.csv", "--dev", dev, "-o", "m.postura"],
            None,
        );
        // Not `-q`: the absence of the "trained on" line shows no training time was spent.
        assert_user_error(&run, dev);
        assert!(!dir.path().join("m.postura").exists());
    }
}

#[test]
fn calibrating_without_dev_needs_every_label_in_every_fold() {
    // One supportive row among 21: the fold that tests it trains without it.
    let mut csv = "text,label\n".to_string();
    for i in 0..10 {
        csv.push_str(&format!(
            "la oposición critica el plan {i},distancing\nel ministro viaja {i},neutral\n"
        ));
    }
    csv.push_str("el sindicato celebra el acuerdo,supportive\n");
    let run = train_on("a.csv", csv.as_bytes(), &["--calibrate"]);
    assert_user_error(&run, "a.csv: label 'supportive' has too few rows to split into 5 folds");
}

#[test]
fn tuning_on_a_handful_of_dev_rows_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("train.csv"), training_csv()).unwrap();
    let few: String = training_csv().lines().take(6).map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.path().join("dev.csv"), few).unwrap();
    for flag in ["--calibrate", "--autotune"] {
        let run = run_in(
            dir.path(),
            &[
                "train",
                "--data",
                "train.csv",
                "--dev",
                "dev.csv",
                flag,
                "-o",
                "m.postura",
                "-q",
            ],
            None,
        );
        assert_user_error(&run, &format!("dev.csv: 5 rows: {flag} needs at least 20 dev rows"));
    }
}

#[test]
fn fewer_rows_than_folds_in_cv() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.csv"), training_csv()).unwrap();
    let run = run_in(dir.path(), &["cv", "--data", "a.csv", "-k", "31"], None);
    assert_user_error(&run, "a.csv: 30 rows but 31 folds: use fewer folds");
    let run = run_in(dir.path(), &["cv", "--data", "a.csv", "-k", "1"], None);
    assert_user_error(&run, "--folds must be at least 2");
    // A label too rare for the folds: some training fold would have a single label.
    std::fs::write(
        dir.path().join("b.csv"),
        "text,label\nuno,a\ndos,a\ntres,a\ncuatro,a\ncinco,a\nseis,b\n",
    )
    .unwrap();
    let run = run_in(dir.path(), &["cv", "--data", "b.csv", "-k", "3"], None);
    assert_user_error(&run, "b.csv: label 'b' has 1 rows");
    // Enough rows: it runs.
    let run = run_in(dir.path(), &["cv", "--data", "a.csv", "-k", "3"], None);
    assert_ok(&run);
    assert!(run.stdout.contains("3-fold cross-validation"), "{}", run.stdout);
}

#[test]
fn non_utf8_bytes_name_line_and_column_and_lossy_replaces_them() {
    let mut data = training_csv().into_bytes();
    data.extend_from_slice(b"\"Mar\xEDa apoya a Marta Ruiz\",Marta Ruiz,supportive\n");
    let run = train_on("latin1.csv", &data, &[]);
    assert_user_error(
        &run,
        "latin1.csv:32:5: the text field is not valid UTF-8; re-encode the file as UTF-8 or pass --lossy",
    );
    // In the label column, after a field with quotes and a doubled quote.
    let run = train_on("b.csv", b"text,label\n\"di\"\"jo\",x\nhola,\xFFy\n", &[]);
    assert_user_error(&run, "b.csv:3:6: the label field is not valid UTF-8");
    // --lossy replaces them and goes on.
    let run = train_on("latin1.csv", &data, &["--lossy"]);
    assert_ok(&run);
}

#[test]
fn nul_byte_and_utf16_files() {
    let mut data = training_csv().into_bytes();
    data.extend_from_slice(b"Marta\0Ruiz,Marta Ruiz,neutral\n");
    let run = train_on("a.csv", &data, &[]);
    assert_user_error(&run, "a.csv:32:6: NUL byte in the text field");
    // --lossy is about encodings; a NUL byte is still refused.
    assert_eq!(train_on("a.csv", &data, &["--lossy"]).code, Some(2));
    // A spreadsheet exported as UTF-16, with and without a byte-order mark.
    let utf16: Vec<u8> = "text,label\nhola,x\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut with_bom = vec![0xFF, 0xFE];
    with_bom.extend_from_slice(&utf16);
    assert_user_error(
        &train_on("a.csv", &with_bom, &[]),
        "a.csv:1: the file is UTF-16 encoded",
    );
    assert_user_error(&train_on("a.csv", &utf16, &[]), "a.csv:1: NUL bytes in the header line");
}

#[test]
fn fifty_megabyte_single_line() {
    let dir = tempfile::tempdir().unwrap();
    // One line, no line break, no delimiter: a binary blob or minified export fed as CSV.
    let blob = "x".repeat(50 << 20);
    std::fs::write(dir.path().join("blob.csv"), &blob).unwrap();
    let run = run_in(dir.path(), &["train", "--data", "blob.csv", "-o", "m.postura"], None);
    assert_user_error(&run, "blob.csv:1: no text column 'text' (columns found: xxx");
    assert!(
        run.stderr.len() < 1000,
        "the message stays short: {} bytes",
        run.stderr.len()
    );
    // A 50 MB data row with a missing field, and a 50 MB quoted field that never closes.
    let mut row = String::from("text,label\n");
    row.push_str(&blob);
    row.push('\n');
    std::fs::write(dir.path().join("row.csv"), &row).unwrap();
    let run = run_in(dir.path(), &["train", "--data", "row.csv", "-o", "m.postura"], None);
    assert_user_error(&run, "row.csv:2: 1 fields, but the header has 2");
    let quoted = format!("text,label\n\"{}", &blob[1..]);
    std::fs::write(dir.path().join("quote.csv"), quoted).unwrap();
    let run = run_in(dir.path(), &["train", "--data", "quote.csv", "-o", "m.postura"], None);
    assert_user_error(&run, "quote.csv:2:1: unterminated quote");
    assert!(!dir.path().join("m.postura").exists());
}

#[test]
fn a_statement_longer_than_four_megabytes_is_refused_where_it_comes_from() {
    // Its analysis would take some 30 times its size in memory.
    let long = "Marta Ruiz recibió el apoyo del gremio, ".repeat(120_000);
    let mut csv = training_csv();
    csv.push_str(&format!("\"{long}\",Marta Ruiz,supportive\n"));
    let line = csv.lines().count();
    let run = train_on("a.csv", csv.as_bytes(), &[]);
    assert_user_error(
        &run,
        &format!("a.csv:{line}: a statement of 4.9 MB: postura reads statements"),
    );
    let (dir, _) = with_model();
    let run = run_in(
        dir.path(),
        &["predict", "-m", "m.postura", "--actor", "Marta Ruiz"],
        Some(format!("hola\n{long}\n").as_bytes()),
    );
    assert_user_error(&run, "<stdin>:2: a statement of 4.9 MB");
    // (An argument cannot be that long: the system refuses one over 128 KiB.)
}

#[test]
fn duplicate_rows_are_reported_and_counted() {
    let mut data = training_csv();
    let first = data.lines().nth(1).unwrap().to_string();
    let third = data.lines().nth(3).unwrap().to_string();
    data.push_str(&format!("{first}\n{first}\n{third}\n,Marta Ruiz,neutral\n"));
    let run = train_on("a.csv", data.as_bytes(), &[]);
    assert_ok(&run);
    assert_eq!(
        warnings(&run),
        vec![
            "warning: a.csv: 1 row with empty text skipped (line 35), 3 duplicate rows (kept, first at line 32 repeating line 2)"
        ],
        "one summary line for every warning"
    );
    let run = train_on("a.csv", data.as_bytes(), &["--strict"]);
    assert_user_error(&run, "--strict: ");
    assert!(
        run.stderr
            .contains("1 row with empty text skipped (line 35), 3 duplicate rows"),
        "{}",
        run.stderr
    );
    // The same text with another label is not a duplicate row.
    let mut data = training_csv();
    data.push_str(&first.replace("supportive", "neutral"));
    data.push('\n');
    assert!(warnings(&train_on("a.csv", data.as_bytes(), &[])).is_empty());
}

#[test]
fn warnings_and_strict_apply_to_eval_and_predict_input() {
    let (dir, _) = with_model();
    let mut data = training_csv();
    let first = data.lines().nth(1).unwrap().to_string();
    data.push_str(&format!("{first}\n"));
    std::fs::write(dir.path().join("dup.csv"), &data).unwrap();
    for cmd in [
        vec!["eval", "-m", "m.postura", "--data", "dup.csv"],
        vec!["predict", "-m", "m.postura", "--input", "dup.csv", "-f", "csv"],
    ] {
        let run = run_in(dir.path(), &cmd, None);
        assert_ok(&run);
        assert_eq!(warnings(&run).len(), 1, "{cmd:?}: {}", run.stderr);
        assert!(warnings(&run)[0].contains("1 duplicate row (kept"));
        let mut strict = cmd.clone();
        strict.push("--strict");
        assert_user_error(
            &run_in(dir.path(), &strict, None),
            "dup.csv: --strict: 1 duplicate row (kept, first at line 32 repeating line 2)",
        );
    }
}

#[test]
fn data_file_that_is_missing_or_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let run = run_in(dir.path(), &["train", "--data", "nope.csv", "-o", "m.postura"], None);
    assert_user_error(&run, "nope.csv: No such file or directory");
    let run = run_in(dir.path(), &["train", "--data", "sub", "-o", "m.postura"], None);
    assert_user_error(&run, "sub: is a directory, not a CSV/TSV file");
}

// ---------------------------------------------------------------------------------------------
// Models

/// Runs `inspect`, `predict` and `eval` on a bad model file; each must refuse it the same way.
fn assert_model_refused(dir: &Path, model: &str, expected: &str) {
    for args in [
        vec!["inspect", model],
        vec!["predict", "-m", model, "hola"],
        vec!["eval", "-m", model, "--data", "train.csv"],
    ] {
        let run = run_in(dir, &args, None);
        assert_user_error(&run, &format!("{model}: {expected}"));
    }
}

#[test]
fn truncated_model_files() {
    let (dir, model) = with_model();
    let bytes = std::fs::read(&model).unwrap();
    for (name, len) in [
        ("t10.postura", 10),
        ("t60.postura", 60),
        ("half.postura", bytes.len() / 2),
    ] {
        std::fs::write(dir.path().join(name), &bytes[..len]).unwrap();
        assert_model_refused(dir.path(), name, "truncated model file");
    }
    // One byte flipped in the payload: the checksum catches it.
    let mut flipped = bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x55;
    std::fs::write(dir.path().join("flip.postura"), &flipped).unwrap();
    assert_model_refused(dir.path(), "flip.postura", "checksum mismatch");
    // Bytes appended.
    let mut longer = bytes.clone();
    longer.extend_from_slice(b"more");
    std::fs::write(dir.path().join("long.postura"), &longer).unwrap();
    assert_model_refused(dir.path(), "long.postura", "trailing bytes");
}

#[test]
fn model_file_from_another_format_version() {
    let (dir, model) = with_model();
    let mut bytes = std::fs::read(&model).unwrap();
    bytes[8..12].copy_from_slice(&99u32.to_le_bytes());
    std::fs::write(dir.path().join("v99.postura"), &bytes).unwrap();
    assert_model_refused(
        dir.path(),
        "v99.postura",
        &format!(
            "model format version 99, but this postura reads version {}",
            postura::model::file::FORMAT_VERSION
        ),
    );
}

#[test]
fn files_that_are_not_models() {
    let (dir, _) = with_model();
    std::fs::write(dir.path().join("empty.postura"), b"").unwrap();
    assert_model_refused(dir.path(), "empty.postura", "the file is empty, not a postura model");
    assert_model_refused(dir.path(), "train.csv", "not a postura model file");
    std::fs::write(dir.path().join("short.postura"), b"POST").unwrap();
    assert_model_refused(dir.path(), "short.postura", "not a postura model file");
    std::fs::create_dir(dir.path().join("models")).unwrap();
    assert_model_refused(dir.path(), "models", "is a directory, not a model file");
    assert_model_refused(dir.path(), "missing.postura", "No such file or directory");
}

// ---------------------------------------------------------------------------------------------
// Outputs

#[test]
fn output_in_a_missing_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("train.csv"), training_csv()).unwrap();
    let run = run_in(
        dir.path(),
        &["train", "--data", "train.csv", "-o", "no/such/dir/m.postura", "-q"],
        None,
    );
    assert_user_error(&run, "no/such/dir/m.postura: the directory no/such/dir does not exist");
    let run = run_in(dir.path(), &["train", "--data", "train.csv", "-o", ".", "-q"], None);
    assert_user_error(&run, ".: is a directory");
}

#[test]
fn an_output_that_is_an_input_is_refused_before_any_work() {
    let (dir, model) = with_model();
    let data = std::fs::read(dir.path().join("train.csv")).unwrap();
    let weights = std::fs::read(&model).unwrap();
    // The same file under another spelling is still the same file.
    for out in ["train.csv", "./train.csv", "../{dir}/train.csv"] {
        let out = out.replace("{dir}", &dir.path().file_name().unwrap().to_string_lossy());
        let run = run_in(dir.path(), &["train", "--data", "train.csv", "-o", &out, "-q"], None);
        assert_user_error(&run, "is also an input (train.csv)");
    }
    let run = run_in(
        dir.path(),
        &[
            "eval",
            "--data",
            "train.csv",
            "-m",
            "m.postura",
            "--predictions",
            "m.postura",
        ],
        None,
    );
    assert_user_error(&run, "the output m.postura is also an input (m.postura)");
    let run = run_in(
        dir.path(),
        &[
            "cv",
            "--data",
            "train.csv",
            "--folds",
            "2",
            "--predictions",
            "train.csv",
        ],
        None,
    );
    assert_user_error(&run, "is also an input");
    assert_eq!(
        std::fs::read(dir.path().join("train.csv")).unwrap(),
        data,
        "the data is untouched"
    );
    assert_eq!(std::fs::read(&model).unwrap(), weights, "the model is untouched");
}

#[test]
fn devices_pipes_and_read_only_files_are_not_replaced() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let (dir, model) = with_model();
    // A rename over /dev/null would replace the device with a file (as root, where it can).
    let run = run_in(
        dir.path(),
        &["train", "--data", "train.csv", "-o", "/dev/null", "-q"],
        None,
    );
    assert_user_error(&run, "/dev/null: is not a regular file");
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    let fifo = dir.path().join("pipe");
    if Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
        let run = run_in(dir.path(), &["train", "--data", "train.csv", "-o", "pipe", "-q"], None);
        assert_user_error(&run, "pipe: is not a regular file");
        assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }
    let before = std::fs::read(&model).unwrap();
    std::fs::set_permissions(&model, std::fs::Permissions::from_mode(0o444)).unwrap();
    let mut other = training_csv();
    other.push_str("\"Marta Ruiz inauguró la escuela\",Marta Ruiz,neutral\n");
    std::fs::write(dir.path().join("other.csv"), other).unwrap();
    let run = run_in(
        dir.path(),
        &["train", "--data", "other.csv", "-o", "m.postura", "-q"],
        None,
    );
    assert_user_error(&run, "m.postura: is read-only");
    assert_eq!(
        std::fs::read(&model).unwrap(),
        before,
        "the read-only model is untouched"
    );
}

#[test]
fn a_symlinked_output_is_followed_and_the_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, model) = with_model();
    std::fs::set_permissions(&model, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink("m.postura", dir.path().join("current.postura")).unwrap();
    let before = std::fs::read(&model).unwrap();
    let mut other = training_csv();
    other.push_str("\"Marta Ruiz inauguró la escuela\",Marta Ruiz,neutral\n");
    std::fs::write(dir.path().join("other.csv"), other).unwrap();
    let run = run_in(
        dir.path(),
        &["train", "--data", "other.csv", "-o", "current.postura", "-q"],
        None,
    );
    assert_ok(&run);
    let link = std::fs::symlink_metadata(dir.path().join("current.postura")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    assert_ne!(
        std::fs::read(&model).unwrap(),
        before,
        "the file it points to was written"
    );
    let mode = std::fs::metadata(&model).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the new file keeps the old one's permissions");
}

/// Makes a directory refuse new entries for as long as it lives. Root ignores permission bits,
/// so as root the directory is made immutable instead (`chattr +i`, ext4 and friends).
struct ReadOnlyDir {
    path: PathBuf,
    immutable: bool,
}

impl ReadOnlyDir {
    /// None when this machine offers no way to make a directory unwritable for this user.
    fn new(path: &Path) -> Option<Self> {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o555)).ok()?;
        let mut guard = ReadOnlyDir {
            path: path.to_path_buf(),
            immutable: false,
        };
        if guard.writable() {
            guard.immutable = Command::new("chattr")
                .arg("+i")
                .arg(path)
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !guard.immutable || guard.writable() {
                return None;
            }
        }
        Some(guard)
    }

    fn writable(&self) -> bool {
        let probe = self.path.join(".probe");
        let ok = std::fs::File::create(&probe).is_ok();
        let _ = std::fs::remove_file(&probe);
        ok
    }
}

impl Drop for ReadOnlyDir {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.path).status();
        }
        let _ = std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn unwritable_directory_keeps_the_previous_model_intact() {
    let (dir, model) = with_model();
    let before = std::fs::read(&model).unwrap();
    // Different data, so a successful write would change the file.
    let mut other = training_csv();
    other.push_str("\"Marta Ruiz inauguró la escuela\",Marta Ruiz,neutral\n");
    std::fs::write(dir.path().join("other.csv"), other).unwrap();
    let guard = ReadOnlyDir::new(dir.path());
    let run = run_in(
        dir.path(),
        &["train", "--data", "other.csv", "-o", "m.postura", "-q"],
        None,
    );
    let writable = guard.is_none();
    drop(guard);
    if writable {
        eprintln!("note: no way to make a directory read-only here; checked only that training succeeds");
        assert_ok(&run);
        return;
    }
    assert_user_error(&run, "m.postura: cannot write");
    assert!(
        run.stderr.contains("any previous file there is unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(&model).unwrap(),
        before,
        "the previous model is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
    // And the kept model still works.
    assert_ok(&run_in(dir.path(), &["predict", "-m", "m.postura", "hola"], None));
}

#[test]
fn stdout_closed_early_ends_quietly() {
    let (dir, _) = with_model();
    let lines: String = (0..20_000)
        .map(|i| format!("Marta Ruiz recibió el apoyo número {i} del gremio\n"))
        .collect();
    for format in ["jsonl", "csv", "table"] {
        let mut child = Command::new(BIN)
            .args(["predict", "-m", "m.postura", "--actor", "Marta Ruiz", "-f", format])
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let input = lines.clone();
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        // Read the first line, then close the pipe as `head -1` would.
        let mut stdout = child.stdout.take().unwrap();
        let mut first = Vec::new();
        let mut byte = [0u8];
        while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
            first.push(byte[0]);
        }
        assert!(!first.is_empty(), "{format}: some output before the close");
        drop(stdout);
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            assert!(
                Instant::now() < deadline,
                "{format}: predict did not end after stdout closed"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        assert_eq!(status.code(), Some(0), "{format}: stderr:\n{stderr}");
        assert!(
            stderr.is_empty(),
            "{format}: a closed pipe is a quiet end, got:\n{stderr}"
        );
        writer.join().unwrap().unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// Text

/// Predicts `texts` one per stdin line and returns the JSON lines.
fn predict_lines(dir: &Path, texts: &[&str]) -> Vec<String> {
    let mut input = String::new();
    for t in texts {
        input.push_str(t);
        input.push('\n');
    }
    let run = run_in(
        dir,
        &["predict", "-m", "m.postura", "--actor", "Marta Ruiz", "-f", "jsonl"],
        Some(input.as_bytes()),
    );
    assert_ok(&run);
    run.stdout.lines().map(str::to_string).collect()
}

fn field<'a>(json: &'a str, key: &str) -> &'a str {
    let start = json
        .find(&format!("\"{key}\":"))
        .unwrap_or_else(|| panic!("{key} in {json}"))
        + key.len()
        + 3;
    let rest = &json[start..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn odd_texts_get_a_prediction() {
    let (dir, _) = with_model();
    let texts = [
        "...!!! ¿¿?? —",
        "🙂🙂🙂 👍🏽👎",
        "Марта Ruiz 市長 مرحبا Marta Ruiz γεια",
        "\u{200F}Marta Ruiz\u{200E} recibe apoyo \u{202B}مرحبا\u{202C}",
        "\u{FEFF}\u{200B}",
        "a\tb\u{7}c",
    ];
    let out = predict_lines(dir.path(), &texts);
    assert_eq!(
        out.len(),
        texts.len(),
        "a line of invisible marks only is still a statement"
    );
    for line in &out {
        let conf: f64 = field(line, "confidence").parse().unwrap();
        assert!(conf.is_finite() && (0.0..=1.0).contains(&conf), "{line}");
    }
    // Right-to-left marks around the name do not hide the mention.
    assert_eq!(field(&out[3], "mentioned"), "true");
    // Empty strings as arguments.
    let run = run_in(dir.path(), &["predict", "-m", "m.postura", "-f", "csv", "", " "], None);
    assert_ok(&run);
    assert_eq!(run.stdout.lines().count(), 3, "{}", run.stdout);
    // No input at all is no output, not an error.
    let run = run_in(dir.path(), &["predict", "-m", "m.postura"], Some(b""));
    assert_ok(&run);
    assert!(run.stdout.is_empty());
}

#[test]
fn one_megabyte_of_one_word() {
    let (dir, _) = with_model();
    let glued = "apoyo".repeat(200_000);
    let spaced = "apoyo ".repeat(170_000);
    let elongated = "a".repeat(1 << 20);
    let out = predict_lines(dir.path(), &[&glued, &spaced, &elongated]);
    assert_eq!(out.len(), 3);
}

#[test]
fn nfd_input_predicts_like_nfc() {
    let (dir, _) = with_model();
    let nfc = "La diputada elogió la gestión de Marta Ruiz en Peñalolén";
    // The same text with every accent as a combining mark (NFD), written out by hand.
    let nfd = "La diputada elogio\u{301} la gestio\u{301}n de Marta Ruiz en Pen\u{303}alole\u{301}n";
    assert_ne!(nfc, nfd);
    let out = predict_lines(dir.path(), &[nfc, nfd]);
    for key in ["label", "confidence", "probabilities"] {
        assert_eq!(field(&out[0], key), field(&out[1], key), "{key}");
    }
    let probs = |l: &str| l[l.find("\"probabilities\"").unwrap()..].to_string();
    assert_eq!(probs(&out[0]), probs(&out[1]));
}

#[test]
fn non_utf8_stdin_names_the_line_and_lossy_replaces() {
    let (dir, _) = with_model();
    let input = b"hola Marta Ruiz\napoyo a Mar\xEDa\n";
    let run = run_in(dir.path(), &["predict", "-m", "m.postura"], Some(input));
    assert_user_error(&run, "<stdin>:2:12: not valid UTF-8");
    let run = run_in(dir.path(), &["predict", "-m", "m.postura", "--lossy"], Some(input));
    assert_ok(&run);
    assert_eq!(run.stdout.lines().count(), 2);
    assert!(run.stdout.contains("Mar\u{FFFD}a"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------
// Usage

#[test]
fn a_label_spelled_two_ways_and_a_column_named_twice_are_refused() {
    let mut csv = training_csv();
    csv.push_str("\"Marta Ruiz recibió otro respaldo\",Marta Ruiz,Supportive\n");
    let run = train_on("a.csv", csv.as_bytes(), &[]);
    assert_user_error(&run, "label 'Supportive' differs from 'supportive' (line ");
    let run = train_on("b.csv", b"text,label,text\nuno,x,dos\n", &[]);
    assert_user_error(&run, "b.csv:1: two columns are named 'text' (columns 1 and 3)");
    // Case-insensitive matching must not pick one of two either.
    let run = train_on("c.csv", b"Text,label,TEXT\nuno,x,dos\n", &[]);
    assert_user_error(&run, "c.csv:1: two columns are named 'Text' (columns 1 and 3)");
}

#[test]
fn a_regularization_outside_what_the_solver_can_take_is_a_usage_error() {
    let csv = training_csv();
    let run = train_on("a.csv", csv.as_bytes(), &["--c", "1e-310"]);
    assert_user_error(&run, "C must be between 1e-9 and 1e9 (got 1e-310)");
    let run = train_on("a.csv", csv.as_bytes(), &["--alpha", "1e-320"]);
    assert_user_error(&run, "--alpha must be between 1e-9 and 1e9 (got 1e-320)");
}

#[test]
fn flag_values_that_cannot_work_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.csv"), training_csv()).unwrap();
    let delimiter = "--delimiter cannot be a quote mark or a line break";
    let blank = "has no word (a letter or digit) to look for";
    for (args, expected) in [
        (vec!["predict", "--delimiter", "\"", "--input", "a.csv"], delimiter),
        (vec!["predict", "--delimiter", "\n", "--input", "a.csv"], delimiter),
        (
            vec!["train", "--data", "a.csv", "-o", "m", "--label-map", "A=b=c"],
            "has two '='",
        ),
        (vec!["train", "--data", "a.csv", "-o", "m", "--actor", ""], blank),
        (vec!["eval", "--data", "a.csv", "--actor", "  "], blank),
        (vec!["cv", "--data", "a.csv", "--actor", " "], blank),
        // Punctuation alone would match every bracket: "El ministro (de Hacienda) renunció."
        (vec!["predict", "--actor", "Kast", "--alias", "(", "hola"], blank),
        (vec!["predict", "--actor", "Kast", "--alias", "", "hola"], blank),
    ] {
        let run = run_in(dir.path(), &args, None);
        assert_user_error(&run, expected);
    }
}

#[test]
fn usage_errors_exit_2_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["train"],
        vec!["predict", "--min-confidence", "2", "hola"],
        vec!["train", "--data", "a.csv", "-o", "m", "--word-ngrams", "x"],
        vec!["frobnicate"],
        vec!["predict", "--delimiter", ";;", "--input", "a.csv"],
    ] {
        let run = run_in(dir.path(), &args, None);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("error: "), "{args:?}: {}", run.stderr);
        assert_eq!(
            run.stderr.matches("error:").count(),
            1,
            "{args:?}: printed once: {}",
            run.stderr
        );
    }
}
