//! Lookups built once per command: people by id and each person's entries.
//!
//! `Ledger::entries_of` and `Ledger::person` scan the whole ledger on every
//! call. That is fine for one person, but a command that walks every person
//! (balance, who, report, stats) or every entry (log) turns it into a quadratic
//! loop: on a 10,000-person, 200,000-entry ledger `balance` took two minutes.
//! An [`Index`] costs one pass over the ledger and answers both questions from
//! a hash map, with the same results in the same (ledger) order. It does not
//! deref to the ledger: a function that needs lookups takes `&Index` and says
//! so, and the rest of the ledger is reached through explicit accessors
//! (`people()`, `entries()`, `settings()`, `ledger()`), so a linear
//! `Ledger::person` scan cannot sneak in where an index was passed.

use std::collections::HashMap;

use ahash::RandomState;

use crate::core::model::{Entry, Ledger, Person, Settings};

/// A read-only view of a ledger with people and entries found by person id.
#[derive(Debug)]
pub struct Index<'a> {
    ledger: &'a Ledger,
    people: HashMap<&'a str, &'a Person, RandomState>,
    entries: HashMap<&'a str, Vec<&'a Entry>, RandomState>,
}

impl<'a> Index<'a> {
    /// Indexes `ledger` in one pass over its people and one over its entries.
    pub fn new(ledger: &'a Ledger) -> Index<'a> {
        let mut people = HashMap::with_capacity_and_hasher(ledger.people.len(), RandomState::new());
        for person in &ledger.people {
            // The first person with an id wins, as in `Ledger::person`.
            people.entry(person.id.as_str()).or_insert(person);
        }
        let mut entries: HashMap<&str, Vec<&Entry>, RandomState> =
            HashMap::with_capacity_and_hasher(ledger.people.len(), RandomState::new());
        for entry in &ledger.entries {
            entries
                .entry(entry.person.as_str())
                .or_default()
                .push(entry);
        }
        Index {
            ledger,
            people,
            entries,
        }
    }

    /// The whole ledger, for what the maps do not answer.
    pub fn ledger(&self) -> &'a Ledger {
        self.ledger
    }

    /// Every person, in ledger order.
    pub fn people(&self) -> &'a [Person] {
        &self.ledger.people
    }

    /// Every entry, in ledger order (date, then recorded).
    pub fn entries(&self) -> &'a [Entry] {
        &self.ledger.entries
    }

    /// The ledger's settings.
    pub fn settings(&self) -> &'a Settings {
        &self.ledger.settings
    }

    /// The person with exactly this id.
    pub fn person(&self, id: &str) -> Option<&'a Person> {
        self.people.get(id).copied()
    }

    /// Entries about one person, in ledger order (date, then recorded).
    pub fn entries_of(&self, person_id: &str) -> impl Iterator<Item = &'a Entry> + '_ {
        self.entries
            .get(person_id)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Detail, How, Meeting};
    use chrono::Utc;

    fn entry(id: &str, person: &str, date: &str) -> Entry {
        Entry {
            source_id: None,
            id: id.into(),
            person: person.into(),
            date: date.parse().unwrap(),
            recorded: Utc::now(),
            updated: Utc::now(),
            detail: Detail::Met(Meeting {
                how: How::Call,
                note: None,
            }),
            extra: Default::default(),
        }
    }

    #[test]
    fn index_answers_like_the_ledger_scans() {
        let now = Utc::now();
        let ledger = Ledger {
            people: vec![
                Person::new("p-1".into(), "Ann".into(), now),
                Person::new("p-2".into(), "Bo".into(), now),
                Person::new("p-1".into(), "Ann again".into(), now),
            ],
            entries: vec![
                entry("e-1", "p-2", "2026-01-01"),
                entry("e-2", "p-1", "2026-01-02"),
                entry("e-3", "p-2", "2026-01-03"),
                entry("e-4", "p-9", "2026-01-04"),
            ],
            ..Ledger::default()
        };
        let index = Index::new(&ledger);
        for id in ["p-1", "p-2", "p-9", "p-none"] {
            assert_eq!(index.person(id), ledger.person(id), "{id}");
            let fast: Vec<&str> = index.entries_of(id).map(|e| e.id.as_str()).collect();
            let slow: Vec<&str> = ledger.entries_of(id).map(|e| e.id.as_str()).collect();
            assert_eq!(fast, slow, "{id}");
        }
        assert_eq!(index.person("p-1").map(|p| p.name.as_str()), Some("Ann"));
    }
}
