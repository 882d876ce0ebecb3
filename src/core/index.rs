//! What the read commands compute from: people found by id, each person's
//! entries, and short entry ids, over either source of a ledger.
//!
//! An [`Index`] is built over a parsed [`Ledger`] ([`Index::new`]) or over a
//! binary snapshot read in place ([`Index::of_snapshot`]): the people and
//! settings are decoded, the entries stay records in the memory map and are
//! read through [`Fact`], and the snapshot already holds each person's
//! entries and the ids in sorted order. Both sources answer every question
//! the same way, so each rule of the advice is written once.
//!
//! `Ledger::entries_of` and `Ledger::person` scan the whole ledger on every
//! call; a command that walks every person through them is quadratic (on a
//! 10,000-person, 200,000-entry ledger `balance` took two minutes). An
//! [`Index`] answers both from tables built in one pass, or read from the
//! snapshot. It does not deref to a ledger: a function that needs lookups
//! takes `&Index` and says so.

use std::cell::OnceCell;
use std::collections::HashMap;

use ahash::RandomState;
use chrono::{DateTime, NaiveDate, Utc};

use crate::core::facts::{Brief, DetailRef, Fact};
use crate::core::ids;
use crate::core::model::{Entry, Ledger, Person, Settings};
use crate::core::order::{group_by_person, id_key, sort_by_id};
use crate::core::snapshot::{Parts, Record, Words};

/// One entry of an [`Index`]: a parsed entry or a snapshot record.
#[derive(Debug, Clone, Copy)]
pub enum Rec<'a> {
    Entry(&'a Entry),
    Record(Record<'a>),
}

impl<'a> Fact<'a> for Rec<'a> {
    fn id(self) -> &'a str {
        match self {
            Rec::Entry(e) => e.id(),
            Rec::Record(r) => r.id(),
        }
    }

    fn date(self) -> NaiveDate {
        match self {
            Rec::Entry(e) => e.date,
            Rec::Record(r) => r.date(),
        }
    }

    fn day(self) -> i32 {
        match self {
            Rec::Entry(e) => e.day(),
            Rec::Record(r) => r.day(),
        }
    }

    fn resolves(self) -> Option<&'a str> {
        match self {
            Rec::Entry(e) => e.resolves(),
            Rec::Record(r) => r.resolves(),
        }
    }

    fn updated(self) -> DateTime<Utc> {
        match self {
            Rec::Entry(e) => e.updated,
            Rec::Record(r) => r.updated(),
        }
    }

    fn brief(self) -> Brief {
        match self {
            Rec::Entry(e) => e.brief(),
            Rec::Record(r) => r.brief(),
        }
    }

    fn detail(self) -> DetailRef<'a> {
        match self {
            Rec::Entry(e) => e.detail(),
            Rec::Record(r) => r.detail(),
        }
    }
}

#[derive(Debug, Clone)]
enum Source<'a> {
    Ledger(&'a [Entry]),
    Snapshot(&'a Parts<'a>),
}

/// A read-only view of a ledger with people and entries found by person id.
#[derive(Debug, Clone)]
pub struct Index<'a> {
    people: &'a [Person],
    settings: &'a Settings,
    source: Source<'a>,
    /// Person id → position in `people` (the first with an id wins).
    by_id: HashMap<&'a str, u32, RandomState>,
    /// Entry numbers grouped by person, each group in ledger order;
    /// `starts[p]..starts[p + 1]` is person `p`'s group.
    order: Words<'a>,
    starts: Words<'a>,
    /// Entry numbers sorted by id, with the [`id_key`] of each, for short
    /// ids and lookups by id.
    sorted: OnceCell<(Words<'a>, Keys<'a>)>,
    /// From a snapshot: each entry's day and codes (8 bytes) in `order`, so
    /// a loop over a person's entries reads one contiguous run.
    briefs: &'a [u8],
}

/// The person positions of a ledger's people by id (the first with an id wins).
fn people_by_id(people: &[Person]) -> HashMap<&str, u32, RandomState> {
    let mut by_id = HashMap::with_capacity_and_hasher(people.len(), RandomState::new());
    for (i, person) in people.iter().enumerate() {
        by_id
            .entry(person.id.as_str())
            .or_insert(u32::try_from(i).unwrap_or(u32::MAX));
    }
    by_id
}

/// The number of positions in `0..len` for which `below` holds, when it
/// holds for a prefix of them (a binary search).
fn partition(len: usize, below: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, len);
    while low < high {
        let mid = low + (high - low) / 2;
        if below(mid) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

/// [`id_key`]s in id order: built in memory, or little-endian in a snapshot.
#[derive(Debug, Clone)]
enum Keys<'a> {
    Owned(Vec<u64>),
    Raw(&'a [u8]),
}

impl Keys<'_> {
    fn len(&self) -> usize {
        match self {
            Keys::Owned(keys) => keys.len(),
            Keys::Raw(bytes) => bytes.len() / 8,
        }
    }

    fn get(&self, at: usize) -> Option<u64> {
        match self {
            Keys::Owned(keys) => keys.get(at).copied(),
            Keys::Raw(bytes) => {
                let b = bytes.get(at.checked_mul(8)?..at * 8 + 8)?;
                let mut word = [0u8; 8];
                word.copy_from_slice(b);
                Some(u64::from_le_bytes(word))
            }
        }
    }
}

impl<'a> Index<'a> {
    /// Indexes `ledger` in one pass over its people and one over its entries.
    pub fn new(ledger: &'a Ledger) -> Index<'a> {
        let by_id = people_by_id(&ledger.people);
        let (order, starts) = group_by_person(
            ledger.people.len(),
            ledger
                .entries
                .iter()
                .map(|e| by_id.get(e.person.as_str()).copied()),
        );
        Index {
            people: &ledger.people,
            settings: &ledger.settings,
            source: Source::Ledger(&ledger.entries),
            by_id,
            order: Words::Owned(order),
            starts: Words::Owned(starts),
            sorted: OnceCell::new(),
            briefs: &[],
        }
    }

    /// The index of a snapshot's `parts`, with its decoded `people` and
    /// `settings`; the entries are read in place.
    pub fn of_snapshot(
        parts: &'a Parts<'a>,
        people: &'a [Person],
        settings: &'a Settings,
    ) -> Index<'a> {
        let (order, starts, sorted, briefs, keys) = parts.tables();
        let sorted = OnceCell::from((sorted, Keys::Raw(keys)));
        Index {
            people,
            settings,
            source: Source::Snapshot(parts),
            by_id: people_by_id(people),
            order,
            starts,
            sorted,
            briefs,
        }
    }

    /// Every person, in ledger order.
    pub fn people(&self) -> &'a [Person] {
        self.people
    }

    /// The ledger's settings.
    pub fn settings(&self) -> &'a Settings {
        self.settings
    }

    /// The person with exactly this id.
    pub fn person(&self, id: &str) -> Option<&'a Person> {
        let at = *self.by_id.get(id)?;
        self.people.get(at as usize)
    }

    /// How many entries the ledger holds.
    pub fn entry_count(&self) -> usize {
        match self.source {
            Source::Ledger(entries) => entries.len(),
            Source::Snapshot(parts) => parts.entry_count(),
        }
    }

    /// Entry number `n`, in ledger order.
    pub fn entry(&self, n: usize) -> Option<Rec<'a>> {
        match self.source {
            Source::Ledger(entries) => entries.get(n).map(Rec::Entry),
            Source::Snapshot(parts) => parts.record_briefly(n).map(Rec::Record),
        }
    }

    /// Every entry, in ledger order (date, then recorded).
    pub fn entries(&self) -> impl Iterator<Item = Rec<'a>> + '_ {
        (0..self.entry_count()).filter_map(|n| self.entry(n))
    }

    /// Entries about one person, in ledger order (date, then recorded).
    pub fn entries_of(&self, person_id: &str) -> impl Iterator<Item = Rec<'a>> + '_ {
        let (start, end) = match self.by_id.get(person_id) {
            Some(&p) => (
                self.starts.get(p as usize).unwrap_or(0) as usize,
                self.starts.get(p as usize + 1).unwrap_or(0) as usize,
            ),
            None => (0, 0),
        };
        (start..end.max(start)).filter_map(move |at| {
            let n = self.order.get(at)? as usize;
            match self.source {
                Source::Ledger(entries) => entries.get(n).map(Rec::Entry),
                Source::Snapshot(parts) => parts
                    .record_with(n, self.briefs.get(at * 8..at * 8 + 8)?)
                    .map(Rec::Record),
            }
        })
    }

    /// The entry as it is stored: borrowed from a parsed ledger, decoded
    /// from a snapshot record.
    pub fn owned(&self, rec: Rec<'a>) -> Option<std::borrow::Cow<'a, Entry>> {
        match rec {
            Rec::Entry(e) => Some(std::borrow::Cow::Borrowed(e)),
            Rec::Record(r) => r.to_entry(self.people).map(std::borrow::Cow::Owned),
        }
    }

    /// The person an entry is about.
    pub fn person_of(&self, rec: Rec<'a>) -> Option<&'a Person> {
        match rec {
            Rec::Entry(e) => self.person(&e.person),
            Rec::Record(r) => self.people.get(r.person() as usize),
        }
    }

    /// The id of the person an entry is about.
    pub fn person_id_of(&self, rec: Rec<'a>) -> &'a str {
        match rec {
            Rec::Entry(e) => &e.person,
            Rec::Record(r) => self
                .people
                .get(r.person() as usize)
                .map_or("", |p| p.id.as_str()),
        }
    }

    fn id_of(&self, n: u32) -> &'a str {
        self.entry(n as usize).map_or("", Fact::id)
    }

    fn sorted(&self) -> &(Words<'a>, Keys<'a>) {
        self.sorted.get_or_init(|| {
            let sorted = sort_by_id(self.entry_count(), |n| self.id_of(n as u32));
            let keys = sorted.iter().map(|n| id_key(self.id_of(*n))).collect();
            (Words::Owned(sorted), Keys::Owned(keys))
        })
    }

    /// The position in the id order of the first id not below `id`: a
    /// search over the ids' first bytes, then over the few that share them.
    fn id_rank(&self, id: &str) -> usize {
        let (sorted, keys) = self.sorted();
        let key = id_key(id);
        let first = partition(keys.len(), |at| keys.get(at).is_some_and(|k| k < key));
        let end = partition(keys.len(), |at| keys.get(at).is_some_and(|k| k <= key));
        first
            + partition(end - first, |at| {
                sorted.get(first + at).is_some_and(|n| self.id_of(n) < id)
            })
    }

    /// The entry with exactly this id.
    pub fn entry_by_id(&self, id: &str) -> Option<Rec<'a>> {
        let n = self.sorted().0.get(self.id_rank(id))?;
        (self.id_of(n) == id)
            .then(|| self.entry(n as usize))
            .flatten()
    }

    /// The shortest prefix of entry id `id` no other entry id shares (at
    /// least `ids::MIN_SHOWN`), as `ids::Shortener` gives it.
    pub fn short_entry_id(&self, id: &str) -> String {
        let at = self.id_rank(id);
        let (sorted, keys) = self.sorted();
        let key = id_key(id);
        // How much of `id` a neighbour shares, from the keys alone when they
        // differ within their eight bytes (no id read from the heap), else
        // from the whole id. A NUL in the first bytes would look like the
        // keys' padding: then the whole ids are compared too.
        let plain = !id.bytes().take(8).any(|b| b == 0);
        let mut len = ids::MIN_SHOWN.min(id.len());
        for i in [at.checked_sub(1), Some(at), Some(at + 1)]
            .into_iter()
            .flatten()
        {
            let Some(other) = keys.get(i) else { continue };
            if plain && other != key {
                let shared = ((other ^ key).leading_zeros() / 8) as usize;
                len = len.max(shared.min(id.len()) + 1);
                continue;
            }
            let Some(n) = sorted.get(i) else { continue };
            let other = self.id_of(n);
            if other != id {
                let shared = id
                    .bytes()
                    .zip(other.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                len = len.max(shared + 1);
            }
        }
        id.chars().take(len).collect()
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
            ],
            ..Ledger::default()
        };
        let index = Index::new(&ledger);
        for id in ["p-1", "p-2", "p-none"] {
            assert_eq!(index.person(id), ledger.person(id), "{id}");
            let fast: Vec<&str> = index.entries_of(id).map(Fact::id).collect();
            let slow: Vec<&str> = ledger.entries_of(id).map(|e| e.id.as_str()).collect();
            assert_eq!(fast, slow, "{id}");
        }
        assert_eq!(index.person("p-1").map(|p| p.name.as_str()), Some("Ann"));
        assert_eq!(
            index.entry_by_id("e-3").map(Fact::date),
            Some(ledger.entries[2].date)
        );
        assert!(index.entry_by_id("e-4").is_none());
    }

    proptest::proptest! {
        #[test]
        fn ids_sort_as_strings(ids in proptest::collection::vec("[a-c\\x00-\\x02é]{0,10}", 0..60)) {
            let sorted = sort_by_id(ids.len(), |n| ids[n].as_str());
            let got: Vec<&str> = sorted.iter().map(|n| ids[*n as usize].as_str()).collect();
            let mut want: Vec<&str> = ids.iter().map(String::as_str).collect();
            want.sort_unstable();
                        proptest::prop_assert_eq!(got, want);
        }

        #[test]
        fn short_ids_and_lookups_agree_with_a_scan(
            ids in proptest::collection::btree_set(
                proptest::prop_oneof!["e-[0-9a-f]{0,12}", "[ab\\x00é]{0,9}"],
                1..80,
            ),
            absent in proptest::prop_oneof!["e-[0-9a-f]{0,12}", "[ab\\x00é]{0,9}"],
        ) {
            let now = Utc::now();
            let ledger = Ledger {
                people: vec![Person::new("p-1".into(), "Ann".into(), now)],
                entries: ids.iter().map(|id| entry(id, "p-1", "2026-01-01")).collect(),
                ..Ledger::default()
            };
            let index = Index::new(&ledger);
            let shortener = ids::Shortener::new(ids.iter().map(String::as_str));
            for id in ids.iter().chain([&absent]) {
                proptest::prop_assert_eq!(index.short_entry_id(id), shortener.short(id));
                let found = index.entry_by_id(id).map(Fact::id);
                proptest::prop_assert_eq!(found, ids.contains(id).then_some(id.as_str()));
            }
        }
    }

    #[test]
    fn short_ids_agree_with_the_shortener() {
        let now = Utc::now();
        let ids = ["e-aaaa1", "e-aaab2", "e-b", "e-aaaa10"];
        let ledger = Ledger {
            people: vec![Person::new("p-1".into(), "Ann".into(), now)],
            entries: ids
                .iter()
                .map(|id| entry(id, "p-1", "2026-01-01"))
                .collect(),
            ..Ledger::default()
        };
        let index = Index::new(&ledger);
        let shortener = ids::Shortener::new(ids);
        for id in ids.iter().chain(&["e-zz", "e-aaaa"]) {
            assert_eq!(index.short_entry_id(id), shortener.short(id), "{id}");
        }
    }
}
