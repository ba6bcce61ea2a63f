//! Command-line flags and output formatting, one file per command. No logic of its own: each
//! command wires the library's pieces together.

mod args;
mod cv;
mod eval;
mod generate;
mod inspect;
mod label;
mod output;
mod predict;
mod train;

use clap::{Parser, Subcommand};
use postura::Result;

const EXAMPLES: &str = "\
Examples:
  postura predict --actor Kast \"Milei celebró el triunfo de Kast\"
  postura train --data datasets/stance_es.csv -o my.postura
  postura train --data tweets.tsv --text-col TWEET \\
      --actor 'la independencia de Cataluña' -o cat.postura
  postura eval --model my.postura --data dev.csv
  postura cv --data headlines.csv --actor-col target --group-col headline_id \\
      --label-map POS=supportive,NEU=neutral,NEG=distancing
  postura inspect my.postura
  postura label --actor \"José Antonio Kast\" --alias Kast --per article news/
  postura label --actors datasets/actors.csv --format csv news/ > stances.csv
  postura label --actors datasets/actors.csv --per actor news/
  postura label --actors datasets/actors.csv --format html news/ > report.html
  postura generate complete-bash > ~/.local/share/bash-completion/completions/postura

Exit codes: 0 success, 1 internal failure, 2 bad input or usage.";

/// How Spanish statements stand toward a named actor: supportive, neutral or distancing.
///
/// postura learns from labeled Spanish sentences (CSV/TSV) with a target-aware bag-of-words
/// multinomial logistic model, and ships a default model so `predict` works with no setup.
#[derive(Parser)]
#[command(name = "postura", version, about, long_about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Train(train::TrainCmd),
    Predict(predict::PredictCmd),
    Eval(eval::EvalCmd),
    Cv(cv::CvCmd),
    Inspect(inspect::InspectCmd),
    Label(label::LabelCmd),
    Generate(generate::GenerateCmd),
}

/// Runs the command; the returned code is the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Train(c) => train::run(c),
        Command::Predict(c) => predict::run(c),
        Command::Eval(c) => eval::run(c),
        Command::Cv(c) => cv::run(c),
        Command::Inspect(c) => inspect::run(c),
        Command::Label(c) => label::run(c),
        Command::Generate(c) => generate::run(c),
    }
}
