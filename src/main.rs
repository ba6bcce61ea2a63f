//! The `postura` command: parse arguments, run one command, print any error once, exit with a
//! code that means something (0 ok, 1 internal failure, 2 bad input or usage).

mod cli;

use clap::Parser;

fn main() {
    // No input may end in a panic message or a backtrace: should a bug panic anyway, it is
    // reported once as an internal error (exit code 1), like any other failure of ours.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let place = info
            .location()
            .map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!("error: internal error: {msg}{place} (a bug in postura; please report it)");
        std::process::exit(1);
    }));
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
