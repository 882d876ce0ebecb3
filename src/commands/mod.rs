//! Command handlers, the glue between the floors: each turns parsed arguments
//! into domain values, asks `core` for the change or the struct to show,
//! saves through the store, and renders with `view` (or serde for `--json`).
//! One file per family, named in the user's words: `people` (add, list,
//! show, edit, snooze, needs, flags, archive, forget, duplicates), `log`
//! (favours, meetings, requests, amend, rm, undo, the register), `advice`
//! (balance, check, who, followups, report, stats), `settings` (config),
//! `interop` (import, export, completions, man) and `sync` (merge, sync).
//!
//! Handlers write results to the `out` they are given (never `println!`, which
//! panics on a closed pipe) and warnings to stderr through [`warn`].

use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};

use crate::core::dates;
use crate::core::ledger;
use crate::core::model::Ledger;
use crate::error::Error;
use crate::shell::store::Store;
use crate::view::Look;
pub use crate::view::log::balance_line;

pub mod advice;
pub mod doctor;
pub mod interop;
pub mod log;
pub mod people;
pub mod settings;
pub mod sync;

/// What every handler needs from the shell.
pub struct Ctx {
    pub store: Store,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    pub json: bool,
    pub quiet: bool,
    pub look: Look,
}

impl Ctx {
    /// A user's date phrase, relative to today.
    pub fn date(&self, phrase: &str) -> Result<NaiveDate> {
        dates::parse(phrase, self.today).map_err(|e| Error::usage(e).into())
    }

    /// A date for a logged event: defaults to today, never after it.
    pub fn past_date(&self, phrase: Option<&str>) -> Result<NaiveDate> {
        match phrase {
            None => Ok(self.today),
            Some(phrase) => {
                dates::parse_past(phrase, self.today).map_err(|e| Error::usage(e).into())
            }
        }
    }

    /// Prints a confirmation line unless `--quiet`. Names and texts in it
    /// are data: control and invisible characters are shown escaped.
    pub fn confirm(&self, out: &mut dyn Write, line: &str) -> Result<()> {
        if !self.quiet {
            writeln!(out, "{}", crate::view::escape::text(line))?;
        }
        Ok(())
    }
}

pub use crate::shell::term::warn;

/// The id of the person `query` names; with `add`, creates them when no one matches.
pub fn person_or_add(
    ledger: &mut Ledger,
    query: &str,
    add: bool,
    now: DateTime<Utc>,
) -> Result<String> {
    ledger::find_or_add_person(ledger, query, add, now)
}
