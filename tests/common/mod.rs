//! What the end-to-end tests share: running the `postura` binary and reading what it did.

#![allow(dead_code)] // each test file uses part of this

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_postura");

/// What one run of the binary did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as JSON lines.
    pub fn json(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

/// Runs `postura ARGS…` (in `dir` when given) with `stdin` (else none) and extra environment
/// variables; backtraces and `SOURCE_DATE_EPOCH` are cleared first. Fails the test on a panic.
pub fn run(dir: Option<&Path>, args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("RUST_BACKTRACE")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the postura binary runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        let input = input.to_vec();
        // A thread, so a large input cannot deadlock against a full stdout pipe.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let out = child.wait_with_output().expect("postura finishes");
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// The header of [`stance_rows`].
pub const STANCE_HEADER: &str = "text,actor,label\n";

/// Generated CSV rows (no header) toward "Marta Ruiz", labeled by their verb: one row per
/// subject, verb and tail, so the tails decide how many rows and which words besides the verbs.
pub fn stance_rows(tails: &[&str]) -> String {
    let verbs = [
        ("respalda a", "supportive"),
        ("elogia la gestión de", "supportive"),
        ("se reunió con", "neutral"),
        ("entrevistó a", "neutral"),
        ("critica con dureza a", "distancing"),
        ("no apoyará a", "distancing"),
    ];
    let mut s = String::new();
    for who in ["El sindicato", "La alianza", "Los vecinos", "La diputada", "El gremio"] {
        for (v, label) in verbs {
            for t in tails {
                s.push_str(&format!("{who} {v} Marta Ruiz{t},Marta Ruiz,{label}\n"));
            }
        }
    }
    s
}
