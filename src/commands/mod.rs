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
use crate::core::model::{Ledger, Person};
use crate::core::reciprocity::{Balance, favours};
use crate::core::relationship::{self, Resolution};
use crate::error::Error;
use crate::shell::store::Store;
use crate::shell::term;
use crate::view::{self, Look};

pub mod advice;
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

    /// Prints a confirmation line unless `--quiet`.
    pub fn confirm(&self, out: &mut dyn Write, line: &str) -> Result<()> {
        if !self.quiet {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

pub use crate::shell::term::warn;

/// How many people a terminal picker offers at most; more is an error that
/// asks for more of the name.
const PICKER_MAX: usize = 20;

/// The person `query` names, as [`ledger::find_person`] settles it (the one
/// relationship among several matches wins). Says so in a `note:` line when
/// contacts also matched; on a terminal, when several people fit equally
/// well, asks which one with a numbered picker. Without a terminal, or when
/// the picker is left, the ambiguity is the error it always was.
pub fn find_person<'a>(ledger: &'a Ledger, query: &str) -> Result<&'a Person> {
    match relationship::resolve(ledger, query) {
        Resolution::Found(found) => {
            if let Some(note) = &found.note {
                term::remark(note);
            }
            Ok(found.person)
        }
        Resolution::Ambiguous(many) if many.len() <= PICKER_MAX && term::interactive() => {
            let labels: Vec<String> = many.iter().map(|p| ledger::describe(ledger, p)).collect();
            let question = format!(
                "`{}` matches {} people; which one?",
                query.trim(),
                many.len()
            );
            match term::pick(&question, &labels)?.and_then(|n| many.get(n)) {
                Some(person) => Ok(person),
                None => Err(ledger::ambiguous(ledger, query, &many)),
            }
        }
        _ => ledger::find_person(ledger, query),
    }
}

/// [`find_person`]'s id, for core functions that take a PERSON pattern: the
/// id names exactly the person the user settled on.
pub fn person_id(ledger: &Ledger, query: &str) -> Result<String> {
    Ok(find_person(ledger, query)?.id.clone())
}

/// Who `--add` creates when no one matches: someone you added by hand (a
/// relationship), or, for `asked`, a requester: a contact whose only history
/// is their request, until you exchange something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adding {
    No,
    ByHand,
    Requester,
}

/// The id of the person `query` names; with `add`, creates them when no one matches.
pub fn person_or_add(
    ledger: &mut Ledger,
    query: &str,
    add: Adding,
    now: DateTime<Utc>,
) -> Result<String> {
    match find_person(ledger, query) {
        Ok(person) => Ok(person.id.clone()),
        Err(err)
            if add != Adding::No && crate::error::kind_of(&err) == crate::error::Kind::NotFound =>
        {
            let new = NewPerson {
                name: query.to_string(),
                ..Default::default()
            };
            let id = ledger::add_person(ledger, new, false, now).context("could not add them")?;
            if add == Adding::Requester
                && let Some(person) = ledger.person_mut(&id)
            {
                person.source = Some(relationship::REQUEST_SOURCE.to_string());
            }
            Ok(id)
        }
        Err(err) => Err(err),
    }
}

/// The `note:` about a flagged person that `gave`, `ask` and `intro` print:
/// the entry is recorded, but you decided something about them.
pub fn flag_note(ledger: &Ledger, person_id: &str) {
    if let Some(note) = ledger
        .person(person_id)
        .and_then(crate::core::advice::flag_note)
    {
        term::remark(&note);
    }
}

/// "balance with Alice Smith: -1 — you gave 1 favour (weight 3), they gave 2 favours (weight 4)"
pub fn balance_line(ledger: &Ledger, person_id: &str) -> String {
    let name = ledger
        .person(person_id)
        .map(|p| p.name.as_str())
        .unwrap_or("them");
    let balance = Balance::of(ledger.entries_of(person_id), None);
    if balance.given.count == 0 && balance.received.count == 0 {
        return format!("balance with {name}: 0 — no favours either way yet");
    }
    format!(
        "balance with {name}: {} — you gave {}, they gave {}",
        view::signed(balance.net),
        favours(balance.given),
        favours(balance.received)
    )
}
