//! `postura generate`: shell completions and the man page, from the command-line definitions
//! (as ripgrep's `--generate`), so they never drift from the flags.

use clap::{Args, CommandFactory, ValueEnum};
use postura::{Error, Result};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum What {
    /// Bash completions (source it, or put it in ~/.local/share/bash-completion/completions/postura)
    CompleteBash,
    /// Zsh completions (a file named _postura on your $fpath)
    CompleteZsh,
    /// Fish completions (~/.config/fish/completions/postura.fish)
    CompleteFish,
    /// The man page in roff (man ./postura.1, or install it as man1/postura.1)
    Man,
}

/// Generate shell completions or the man page on stdout.
///
/// Examples:
///   postura generate complete-bash > ~/.local/share/bash-completion/completions/postura
///   postura generate complete-zsh > ~/.zfunc/_postura
///   postura generate complete-fish > ~/.config/fish/completions/postura.fish
///   postura generate man > postura.1 && man ./postura.1
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct GenerateCmd {
    /// What to generate
    #[arg(value_enum)]
    pub what: What,
}

/// Entry point of `postura generate`.
pub fn run(cmd: GenerateCmd) -> Result<i32> {
    let mut command = super::Cli::command();
    let mut buf = Vec::new();
    match cmd.what {
        What::CompleteBash => clap_complete::generate(clap_complete::Shell::Bash, &mut command, "postura", &mut buf),
        What::CompleteZsh => clap_complete::generate(clap_complete::Shell::Zsh, &mut command, "postura", &mut buf),
        What::CompleteFish => clap_complete::generate(clap_complete::Shell::Fish, &mut command, "postura", &mut buf),
        What::Man => {
            command.build();
            clap_mangen::Man::new(command)
                .render(&mut buf)
                .map_err(|e| Error::Internal(format!("man page: {e}")))?;
            // One section per subcommand, so `man postura` documents every flag.
            let cli = super::Cli::command();
            for sub in cli.get_subcommands() {
                let name = format!("postura {}", sub.get_name());
                let page = clap_mangen::Man::new(sub.clone());
                buf.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
                page.render_description_section(&mut buf)
                    .and_then(|_| page.render_options_section(&mut buf))
                    .map_err(|e| Error::Internal(format!("man page: {e}")))?;
            }
        }
    }
    let mut out = std::io::stdout().lock();
    out.write_all(&buf)
        .and_then(|_| out.flush())
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(0)
}
