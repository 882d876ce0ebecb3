//! Dynamic shell completion: `COMPLETE=bash kith` prints a script for the
//! shell to source, and the shell then calls `kith` back on every <TAB>
//! (clap_complete's `CompleteEnv` protocol) to ask for the values that fit
//! the word under the cursor.
//!
//! This module answers for the arguments that need the ledger (people and
//! entry ids) by reading the ledger the command line names (`--ledger`, else
//! `KITH_LEDGER`, else the default) and asking [`crate::core::complete`].
//! It never writes, and a ledger that cannot be read completes nothing.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::sync::OnceLock;

use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

use crate::core::complete::{self, Candidate, Catalog, EntryFilter};
use crate::core::model::Direction;
use crate::shell::store::Store;

/// The variable that turns a run of kith into a completion request.
pub const VAR: &str = "COMPLETE";

/// The shell asking, remembered before `CompleteEnv` clears [`VAR`].
static SHELL: OnceLock<String> = OnceLock::new();

/// Remembers which shell asks, when this run is a completion request:
/// `CompleteEnv` (run by `main` with the command-line definition) clears
/// [`VAR`] before the completers below are called.
pub fn remember_shell() {
    if let Some(shell) = std::env::var_os(VAR) {
        let name = PathBuf::from(&shell)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = SHELL.set(name);
    }
}

/// The script that hooks `shell` up to kith's dynamic completion: the same
/// as `COMPLETE=SHELL kith` prints, calling back whatever `kith` is on the
/// PATH (or this binary, when it was started by a path).
pub fn registration(
    shell: clap_complete::Shell,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &Bash,
        clap_complete::Shell::Elvish => &Elvish,
        clap_complete::Shell::Fish => &Fish,
        clap_complete::Shell::PowerShell => &Powershell,
        clap_complete::Shell::Zsh => &Zsh,
        other => anyhow::bail!("no completion for {other} yet"),
    };
    let invoked = std::env::args_os()
        .next()
        .map(PathBuf::from)
        .filter(|p| p.components().count() > 1)
        .and_then(|p| std::path::absolute(p).ok());
    let program = invoked
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kith".into());
    completer.write_registration(VAR, "kith", "kith", &program, out)?;
    Ok(())
}

/// The completer for a PERSON argument.
pub fn person() -> ArgValueCompleter {
    ArgValueCompleter::new(|typed: &OsStr| answer(typed, false, complete::people))
}

/// The completer for an entry id (any entry).
pub fn entry() -> ArgValueCompleter {
    ArgValueCompleter::new(|typed: &OsStr| {
        answer(typed, true, |catalog, text| {
            complete::entries(catalog, text, EntryFilter::Any)
        })
    })
}

/// The completer for an open request someone made of you.
pub fn request_in() -> ArgValueCompleter {
    requests(Some(Direction::In))
}

/// The completer for an open request you made.
pub fn request_out() -> ArgValueCompleter {
    requests(Some(Direction::Out))
}

/// The completer for any open request.
pub fn request_any() -> ArgValueCompleter {
    requests(None)
}

fn requests(direction: Option<Direction>) -> ArgValueCompleter {
    ArgValueCompleter::new(move |typed: &OsStr| {
        answer(typed, true, |catalog, text| {
            complete::entries(catalog, text, EntryFilter::OpenRequests(direction))
        })
    })
}

/// Loads the ledger and turns core candidates into the shell's.
fn answer(
    typed: &OsStr,
    entries: bool,
    find: impl Fn(&Catalog<'_>, &str) -> Vec<Candidate>,
) -> Vec<CompletionCandidate> {
    let typed = typed.to_string_lossy();
    // A word the user opened with a quote: match what follows it, and close
    // the quote in what is inserted.
    let (quote, text) = match typed.chars().next() {
        Some(q @ ('"' | '\'')) => (Some(q), &typed[1..]),
        _ => (None, &typed[..]),
    };
    let Some(found) = with_catalog(entries, |catalog| find(catalog, text)) else {
        return Vec::new();
    };
    let bash = SHELL.get().is_some_and(|s| s == "bash");
    found
        .into_iter()
        .map(|c| {
            let value = match quote {
                Some(q) => format!("{q}{}{q}", c.value),
                None if bash => bash_escape(&c.value),
                None => c.value,
            };
            let candidate = CompletionCandidate::new(value);
            if c.help.is_empty() {
                candidate
            } else {
                candidate.help(Some(c.help.into()))
            }
        })
        .collect()
}

/// Lends `use_it` what completion needs of the ledger the command line being
/// completed names (only its people unless `entries`, borrowed from the
/// file's bytes); `None` if the ledger is unreadable.
fn with_catalog<T>(entries: bool, use_it: impl FnOnce(&Catalog<'_>) -> T) -> Option<T> {
    let path = ledger_arg(std::env::args_os()).or_else(|| {
        std::env::var_os("KITH_LEDGER")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    let store = Store::locate(path).ok()?;
    // Mapped, a name completion touches only the pages up to the end of
    // `people`, not the whole file.
    store
        .with_bytes(|bytes| Catalog::read(bytes, entries).map(|catalog| use_it(&catalog)))
        .ok()
        .flatten()
}

/// `--ledger PATH` or `--ledger=PATH` among the words being completed (after `--`).
fn ledger_arg(args: impl IntoIterator<Item = OsString>) -> Option<PathBuf> {
    let words: Vec<OsString> = args.into_iter().skip_while(|a| a != "--").skip(1).collect();
    let mut found = None;
    for (at, word) in words.iter().enumerate() {
        let text = word.to_string_lossy();
        if text == "--ledger" {
            // The value is the next word, unless that is the word being completed.
            if let Some(next) = words.get(at + 1).filter(|_| at + 2 < words.len()) {
                found = Some(PathBuf::from(next));
            }
        } else if let Some(path) = text.strip_prefix("--ledger=") {
            found = Some(PathBuf::from(path));
        }
    }
    found.map(|p| expand_home(&p))
}

/// `~/x` as the shell would have expanded it, had it been a finished word.
fn expand_home(path: &std::path::Path) -> PathBuf {
    match (path.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => path.to_path_buf(),
    }
}

/// A value as bash must see it inserted: spaces and shell characters escaped.
fn bash_escape(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_whitespace() || "\\'\"`$&|;<>()[]{}*?!#~=%^,".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ledger_comes_from_the_line_being_completed() {
        let words = |w: &[&str]| w.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            ledger_arg(words(&[
                "kith", "--", "kith", "--ledger", "/x.json", "gave", "al"
            ])),
            Some(PathBuf::from("/x.json"))
        );
        assert_eq!(
            ledger_arg(words(&[
                "kith",
                "--",
                "kith",
                "gave",
                "--ledger=/y.json",
                "al"
            ])),
            Some(PathBuf::from("/y.json"))
        );
        // The path itself is being typed: not a ledger yet.
        assert_eq!(
            ledger_arg(words(&["kith", "--", "kith", "--ledger", "/x"])),
            None
        );
        assert_eq!(
            ledger_arg(words(&["kith", "--", "kith", "gave", "al"])),
            None
        );
    }

    #[test]
    fn bash_values_are_escaped_as_typed_words() {
        assert_eq!(bash_escape("Ann Lee"), "Ann\\ Lee");
        assert_eq!(bash_escape("Kevin O'Brien"), "Kevin\\ O\\'Brien");
        assert_eq!(bash_escape("ann@example.org"), "ann@example.org");
    }
}
