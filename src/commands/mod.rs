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
use crate::core::index::Index;
use crate::core::ledger::{self, Adding};
use crate::core::model::{Ledger, Person};
use crate::core::relationship::{self, Resolution, Roster};
use crate::core::written::Written;
use crate::error::Error;
use crate::shell::store::Store;
use crate::shell::term;
pub use crate::view::log::balance_line;
use crate::view::{self, Look};

pub mod advice;
pub mod doctor;
pub mod interop;
pub mod log;
pub mod people;
pub mod review;
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

    /// Makes one write through the store and answers for it: `change`
    /// returns the confirmation line and the undo summary. Every write
    /// command goes through here (or [`Ctx::wrote`]), so `--json` answers the
    /// same way everywhere.
    pub fn write(
        &self,
        out: &mut dyn Write,
        change: impl FnOnce(&mut Ledger) -> Result<(String, String)>,
    ) -> Result<()> {
        let (line, written) = self.store.update_written(change)?;
        self.wrote(out, &line, &written)
    }

    /// Answers a command that only reads: `render` computes from the index
    /// and writes into a buffer, which is printed to `out` once the store
    /// has checked the snapshot it came from (see `Store::read`; `render`
    /// may run twice when the snapshot fails the check).
    pub fn read_into(
        &self,
        out: &mut dyn Write,
        render: impl Fn(&Index<'static>, &mut Pieces) -> Result<()>,
    ) -> Result<()> {
        let text = self.store.read(|index| {
            let mut buffer = Pieces::default();
            render(index, &mut buffer)?;
            Ok(buffer)
        })?;
        for piece in text.full.iter().chain([&text.last]) {
            out.write_all(piece)?;
        }
        Ok(())
    }

    /// What a write did: with `--json`, what it touched as
    /// `{id, type, person: {id, name}, balance: {given, received, net}}` (an
    /// array when it touched several: `intro`'s two favours); else `line`,
    /// unless `--quiet`.
    pub fn wrote(&self, out: &mut dyn Write, line: &str, written: &[Written]) -> Result<()> {
        if self.json {
            return match written {
                [one] => view::json(out, one),
                several => view::json(out, several),
            };
        }
        self.confirm(out, line)
    }
}

/// An answer held until it may be printed, in pieces of up to 1 MiB: a large
/// one (11 MB of `balance --json` at a million entries) grows without the
/// copies of a doubling vector, and without its peak of twice the size.
#[derive(Default)]
pub struct Pieces {
    full: Vec<Vec<u8>>,
    last: Vec<u8>,
}

const PIECE: usize = 1 << 20;

impl Write for Pieces {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    fn write_all(&mut self, mut bytes: &[u8]) -> std::io::Result<()> {
        while !bytes.is_empty() {
            if self.last.len() >= PIECE {
                let full = std::mem::replace(&mut self.last, Vec::with_capacity(PIECE));
                self.full.push(full);
            }
            let room = PIECE - self.last.len();
            let (now, rest) = bytes.split_at(room.min(bytes.len()));
            self.last.extend_from_slice(now);
            bytes = rest;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
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
pub fn find_person<'a>(ledger: &'a (impl Roster + ?Sized), query: &str) -> Result<&'a Person> {
    match relationship::resolve(ledger, query) {
        Resolution::Found(found) => {
            if let Some(note) = &found.note {
                term::remark(note);
            }
            Ok(found.person)
        }
        Resolution::Ambiguous(many) if many.len() <= PICKER_MAX && term::can_prompt() => {
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
pub fn person_id(ledger: &(impl Roster + ?Sized), query: &str) -> Result<String> {
    Ok(find_person(ledger, query)?.id.clone())
}

/// The id of the person `query` names, settled as [`find_person`] does
/// (note, picker); with `add`, creates them when no one matches.
pub fn person_or_add(
    ledger: &mut Ledger,
    query: &str,
    add: Adding,
    now: DateTime<Utc>,
) -> Result<String> {
    match find_person(ledger, query) {
        Ok(person) => Ok(person.id.clone()),
        Err(err) if crate::error::kind_of(&err) == crate::error::Kind::NotFound => {
            ledger::find_or_add_person(ledger, query, add, now)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_hold_exactly_what_was_written() {
        let mut pieces = Pieces::default();
        let mut want = Vec::new();
        for n in 0..100_000usize {
            let chunk = vec![(n % 251) as u8; n % 97];
            pieces.write_all(&chunk).unwrap();
            want.extend_from_slice(&chunk);
        }
        writeln!(pieces, "end").unwrap();
        want.extend_from_slice(b"end\n");
        assert!(pieces.full.len() > 1, "more than one piece");
        assert!(pieces.full.iter().all(|p| p.len() == PIECE));
        let got: Vec<u8> = pieces
            .full
            .iter()
            .chain([&pieces.last])
            .flatten()
            .copied()
            .collect();
        assert_eq!(got, want);
    }
}
