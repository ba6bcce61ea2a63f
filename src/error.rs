//! The crate's error type: what went wrong, where (file and line), and which exit code it deserves.

use std::path::{Path, PathBuf};

/// Every failure postura can report. `Input` and `Usage` are the user's to fix (exit code 2);
/// `Internal` is ours (exit code 1).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input data, located in a file (and a line when known).
    #[error("{}{msg}", location(path, *line, *column))]
    Input {
        /// The file.
        path: PathBuf,
        /// The 1-based line, when known.
        line: Option<u64>,
        /// The 1-based column, when known.
        column: Option<u64>,
        /// What is wrong.
        msg: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        #[source]
        /// The underlying error.
        source: std::io::Error,
    },
    /// A model file that cannot be used.
    #[error("{}: {msg}", path.display())]
    Model {
        /// The file.
        path: PathBuf,
        /// Why it cannot be used.
        msg: String,
    },
    /// Settings or arguments that make no sense together.
    #[error("{0}")]
    Usage(String),
    /// A bug or a numerical failure: not the user's fault.
    #[error("internal error: {0}")]
    Internal(String),
}

fn location(path: &Path, line: Option<u64>, column: Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}: ", path.display()),
        (Some(l), None) => format!("{}:{l}: ", path.display()),
        _ => format!("{}: ", path.display()),
    }
}

impl Error {
    /// The process exit code this error deserves: 2 for the user's input or usage, 1 for ours.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Internal(_) => 1,
            _ => 2,
        }
    }

    /// Bad input in `path` (at `line`, when known).
    pub fn input(path: impl Into<PathBuf>, line: Option<u64>, msg: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            line,
            column: None,
            msg: msg.into(),
        }
    }

    /// A file that could not be read or written.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A model file that cannot be used.
    pub fn model(path: impl Into<PathBuf>, msg: impl Into<String>) -> Self {
        Error::Model {
            path: path.into(),
            msg: msg.into(),
        }
    }

    /// Settings or arguments that make no sense together.
    pub fn usage(msg: impl Into<String>) -> Self {
        Error::Usage(msg.into())
    }

    /// True when the error is a closed pipe on output (`postura label … | head`): a quiet end.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_errors_name_file_line_and_column() {
        let e = Error::Input {
            path: "a.csv".into(),
            line: Some(3),
            column: Some(7),
            msg: "bad".into(),
        };
        assert_eq!(e.to_string(), "a.csv:3:7: bad");
        assert_eq!(Error::input("a.csv", Some(3), "bad").to_string(), "a.csv:3: bad");
        assert_eq!(Error::input("a.csv", None, "bad").to_string(), "a.csv: bad");
    }

    #[test]
    fn exit_codes_separate_user_errors_from_ours() {
        assert_eq!(Error::usage("x").exit_code(), 2);
        assert_eq!(Error::input("a", None, "x").exit_code(), 2);
        assert_eq!(Error::Internal("x".into()).exit_code(), 1);
    }
}
