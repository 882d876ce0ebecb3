//! What kind of failure a command met, and the exit code that says so.
//!
//! Errors travel as `anyhow::Error`; the ones a script may want to tell apart
//! carry a [`Kind`] by being (or wrapping) a [`Error`]. `main` walks the
//! chain for the first kind and for every hint, prints `error: …` and then
//! one `hint: …` line per hint, and exits with [`Kind::exit_code`]:
//!
//! | code | kind |
//! |---|---|
//! | 0 | success (also a closed stdout, as in `kith log \| head -1`) |
//! | 1 | any other failure |
//! | 2 | usage: bad arguments (clap's own, and kith's checks of them) |
//! | 3 | a person or entry not found, or ambiguous |
//! | 4 | the ledger is unreadable: corrupt, newer format, not a kith ledger |
//! | 5 | busy: the wait for the ledger lock timed out |

use std::fmt;

/// The kinds of failure a script can tell apart by the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Anything else that went wrong.
    Failure,
    /// The arguments are wrong.
    Usage,
    /// A person or an entry is not there.
    NotFound,
    /// The words name several people or entries.
    Ambiguous,
    /// The ledger cannot be read: it does not parse, or a newer kith wrote it.
    Unreadable,
    /// Another kith held the ledger lock for longer than kith waits.
    Busy,
}

impl Kind {
    /// The process exit code for this kind (see the module docs).
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Failure => 1,
            Kind::Usage => 2,
            Kind::NotFound | Kind::Ambiguous => 3,
            Kind::Unreadable => 4,
            Kind::Busy => 5,
        }
    }
}

/// Every exit code and what it means, in order: `kith man` prints this
/// table as its EXIT STATUS section (README lists the same).
pub const EXIT_CODES: &[(u8, &str)] = &[
    (
        0,
        "success (also when stdout is closed early, as in `kith log | head -1`)",
    ),
    (1, "any other failure"),
    (
        2,
        "usage: bad arguments (an unknown flag, a weight out of range, an unknown setting)",
    ),
    (
        3,
        "a person or an entry was not found, or the words name several",
    ),
    (
        4,
        "the ledger is unreadable: corrupt, written by a newer kith, or not a kith ledger",
    ),
    (
        5,
        "busy: another kith held the ledger lock longer than kith waits (KITH_LOCK_TIMEOUT_MS)",
    ),
];

/// A failure with its kind, its message, and the next steps that may help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hints: Vec<String>,
}

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// A failure of no particular kind (exit 1).
    pub fn failure(message: impl Into<String>) -> Error {
        Error::new(Kind::Failure, message)
    }

    /// Bad arguments (exit 2).
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(Kind::Usage, message)
    }

    /// A person or entry not found, or ambiguous (exit 3).
    pub fn not_found(message: impl Into<String>) -> Error {
        Error::new(Kind::NotFound, message)
    }

    /// The words name several (exit 3).
    pub fn ambiguous(message: impl Into<String>) -> Error {
        Error::new(Kind::Ambiguous, message)
    }

    /// The ledger cannot be read (exit 4).
    pub fn unreadable(message: impl Into<String>) -> Error {
        Error::new(Kind::Unreadable, message)
    }

    /// Adds a next step, printed as a `hint:` line under the error.
    pub fn hint(mut self, hint: impl Into<String>) -> Error {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The kind of the first kith [`Error`] in the chain; [`Kind::Failure`] when
/// there is none.
pub fn kind_of(err: &anyhow::Error) -> Kind {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Error>())
        .map_or(Kind::Failure, |e| e.kind)
}

/// Every hint carried anywhere in the chain, outermost first.
pub fn hints_of(err: &anyhow::Error) -> Vec<&str> {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<Error>())
        .flat_map(|e| e.hints.iter().map(String::as_str))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn the_kind_and_hints_survive_context() {
        let inner = Error::not_found("no one called `zed`").hint("add them");
        let err = Err::<(), _>(anyhow::Error::new(inner))
            .context("could not log it")
            .unwrap_err();
        assert_eq!(kind_of(&err), Kind::NotFound);
        assert_eq!(kind_of(&err).exit_code(), 3);
        assert_eq!(hints_of(&err), vec!["add them"]);
    }

    #[test]
    fn the_exit_code_table_lists_every_kind() {
        let listed: Vec<u8> = EXIT_CODES.iter().map(|(code, _)| *code).collect();
        assert_eq!(listed, [0, 1, 2, 3, 4, 5]);
        for kind in [
            Kind::Failure,
            Kind::Usage,
            Kind::NotFound,
            Kind::Ambiguous,
            Kind::Unreadable,
            Kind::Busy,
        ] {
            assert!(listed.contains(&kind.exit_code()), "{kind:?}");
        }
    }

    #[test]
    fn an_error_without_a_kind_is_a_plain_failure() {
        let err = anyhow::anyhow!("disk full");
        assert_eq!(kind_of(&err).exit_code(), 1);
        assert!(hints_of(&err).is_empty());
    }
}
