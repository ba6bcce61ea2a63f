//! The `postura` command: parse arguments, run one command, print any error once, exit with a
//! code that means something (0 ok, 1 internal failure, 2 bad input or usage).

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    let code = match cli::run(args) {
        Ok(code) => code,
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
