//! Command handlers: each turns parsed arguments into domain values, reads or
//! updates the ledger through the store, and renders the result.
//!
//! Handlers write results to the `out` they are given (never `println!`, which
//! panics on a closed pipe) and warnings to stderr through [`warn`].

use std::io::Write;

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, Utc};

use crate::core::dates;
use crate::core::ledger::{self, NewPerson};
use crate::core::model::Ledger;
use crate::core::reciprocity::Balance;
use crate::shell::store::Store;
use crate::view::{self, Look};

pub mod advice;
pub mod doctor;
pub mod interop;
pub mod log;
pub mod people;
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
        dates::parse(phrase, self.today).map_err(anyhow::Error::msg)
    }

    /// A date for a logged event: defaults to today, never after it.
    pub fn past_date(&self, phrase: Option<&str>) -> Result<NaiveDate> {
        match phrase {
            None => Ok(self.today),
            Some(phrase) => dates::parse_past(phrase, self.today).map_err(anyhow::Error::msg),
        }
    }

    /// Prints a confirmation line unless `--quiet`. Names and texts in it
    /// are data: control and invisible characters are shown escaped.
    pub fn confirm(&self, out: &mut dyn Write, line: &str) -> Result<()> {
        if !self.quiet {
            writeln!(out, "{}", view::escape::text(line))?;
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
    match ledger::find_person(ledger, query) {
        Ok(person) => Ok(person.id.clone()),
        Err(err) if add && crate::error::kind_of(&err) == crate::error::Kind::NotFound => {
            let new = NewPerson {
                name: query.to_string(),
                ..Default::default()
            };
            ledger::add_person(ledger, new, false, now).context("could not add them")
        }
        Err(err) => Err(err),
    }
}

/// "balance with Alice Smith: +4 (gave 3, got 7)"
pub fn balance_line(ledger: &Ledger, person_id: &str) -> String {
    let name = ledger
        .person(person_id)
        .map(|p| p.name.as_str())
        .unwrap_or("them");
    let balance = Balance::of(ledger.entries_of(person_id), None);
    format!(
        "balance with {name}: {} (gave {}, got {})",
        view::signed(balance.net),
        balance.given.weight,
        balance.received.weight
    )
}
