//! One by-id diff of two ledgers: which people and entries were added,
//! changed or removed, and whether the settings changed. The undo journal
//! ([`crate::core::undo`]) stores it to revert a write; the sync commit
//! message ([`commit_message`]) summarises it in words.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use serde::{Deserialize, Serialize};

use crate::core::model::{Detail, Entry, Favour, Ledger, Meeting, Person, Request, Settings};

/// One object's state before and after a write; `None` where it did not exist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change<T> {
    pub id: String,
    pub before: Option<T>,
    pub after: Option<T>,
}

/// Something the diff can match by id.
pub trait HasId: Clone + PartialEq {
    fn id(&self) -> &str;
}
impl HasId for Person {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for Entry {
    fn id(&self) -> &str {
        &self.id
    }
}

pub use crate::core::model::Ends;

/// The changes from `before` to `after`, matched by id: added and changed
/// objects in `after`'s order, then removed ones in `before`'s order.
pub fn by_id<T: HasId>(before: &[T], after: &[T]) -> Vec<Change<T>> {
    by_id_within(before, after, Ends::of(before, after))
}

/// [`by_id`] when the shared [`Ends`] of the two lists are already known:
/// only the middles are matched by id. On a 200,000-entry ledger this takes
/// the diff from hashing every id twice to the one pass of comparisons that
/// found the ends.
pub fn by_id_within<T: HasId>(before: &[T], after: &[T], ends: Ends) -> Vec<Change<T>> {
    let (Some(before), Some(after)) = (ends.middle(before), ends.middle(after)) else {
        // Ends of other lists: compare everything.
        return by_id_within(before, after, Ends::default());
    };
    by_id_middles(before, after)
}

/// [`by_id`] of the two middles between the shared ends: all a write
/// changed, with nothing of the ends.
pub fn by_id_middles<T: HasId>(before: &[T], after: &[T]) -> Vec<Change<T>> {
    let old: HashMap<&str, &T> = before.iter().map(|x| (x.id(), x)).collect();
    let new: HashMap<&str, &T> = after.iter().map(|x| (x.id(), x)).collect();
    let mut changes = Vec::new();
    for item in after {
        match old.get(item.id()) {
            Some(prev) if *prev == item => {}
            prev => changes.push(Change {
                id: item.id().to_string(),
                before: prev.map(|p| (*p).clone()),
                after: Some(item.clone()),
            }),
        }
    }
    for item in before {
        if !new.contains_key(item.id()) {
            changes.push(Change {
                id: item.id().to_string(),
                before: Some(item.clone()),
                after: None,
            });
        }
    }
    changes
}

/// The entries of a list before a write, each written as bytes that are
/// equal exactly when the entries are, so that the write finds what it
/// changed without a copy of the list: a copy of 200,000 entries is 600,000
/// small allocations, this is one buffer. The bytes are an exhaustive,
/// self-delimiting encoding of every field (texts end in a byte UTF-8 never
/// holds, lists and unknown keys carry their length), not a hash: no two
/// different entries share them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Prints {
    /// Runs of prints, one per core that made them, in order.
    runs: Vec<Run>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Run {
    bytes: Vec<u8>,
    /// Where each entry's bytes end.
    ends: Vec<usize>,
}

impl Prints {
    pub fn of(entries: &[Entry]) -> Prints {
        let mut run = Run {
            bytes: Vec::with_capacity(entries.len() * 96),
            ends: Vec::with_capacity(entries.len()),
        };
        for entry in entries {
            print_entry(entry, &mut run.bytes);
            run.ends.push(run.bytes.len());
        }
        Prints { runs: vec![run] }
    }

    /// How many entries are printed.
    pub fn len(&self) -> usize {
        self.runs.iter().map(|run| run.ends.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// These prints followed by `more`, the prints of the entries after them.
    pub fn append(&mut self, more: Prints) {
        self.runs.extend(more.runs);
    }

    fn get(&self, mut i: usize) -> Option<&[u8]> {
        for run in &self.runs {
            if i < run.ends.len() {
                let start = match i.checked_sub(1) {
                    Some(before) => *run.ends.get(before)?,
                    None => 0,
                };
                return run.bytes.get(start..*run.ends.get(i)?);
            }
            i -= run.ends.len();
        }
        None
    }

    /// The [`Ends`] the printed list shares with `after`: the same as
    /// `Ends::of(before, after)` on the entries these prints were made of.
    pub fn ends(&self, after: &[Entry]) -> Ends {
        self.ends_after_head(after, self.common(after, 0..self.len().min(after.len())))
    }

    /// [`Prints::ends`] when the head is known (the shell finds it on two
    /// cores with [`Prints::common`]).
    pub fn ends_after_head(&self, after: &[Entry], head: usize) -> Ends {
        let (n, m) = (self.len(), after.len());
        let mut scratch = Vec::with_capacity(256);
        let tail = after
            .iter()
            .rev()
            .take(n.min(m).saturating_sub(head))
            .enumerate()
            .take_while(|(j, entry)| self.same(n - 1 - j, entry, &mut scratch))
            .count();
        Ends { head, tail }
    }

    /// How many entries from the start of `range` print the same here and
    /// in `after`.
    pub fn common(&self, after: &[Entry], range: std::ops::Range<usize>) -> usize {
        let mut scratch = Vec::with_capacity(256);
        let start = range.start;
        after
            .get(range)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .take_while(|(i, entry)| self.same(start + i, entry, &mut scratch))
            .count()
    }

    /// Whether entry `i` printed as `entry` does.
    fn same(&self, i: usize, entry: &Entry, scratch: &mut Vec<u8>) -> bool {
        scratch.clear();
        print_entry(entry, scratch);
        self.get(i) == Some(scratch.as_slice())
    }
}

/// Appends a text and the byte 0xff, which UTF-8 never holds: no text's
/// print is the start of another's.
fn print_text(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(text.as_bytes());
    out.push(0xff);
}

fn print_opt_text(out: &mut Vec<u8>, text: &Option<String>) {
    match text {
        None => out.push(0),
        Some(text) => {
            out.push(1);
            print_text(out, text);
        }
    }
}

fn print_date(out: &mut Vec<u8>, date: NaiveDate) {
    out.extend_from_slice(&date.num_days_from_ce().to_le_bytes());
}

fn print_time(out: &mut Vec<u8>, time: &DateTime<Utc>) {
    out.extend_from_slice(&time.timestamp().to_le_bytes());
    out.extend_from_slice(&time.timestamp_subsec_nanos().to_le_bytes());
}

/// Appends the bytes of `entry` (see [`Prints`]). Every field is named, so
/// a new field fails to build here until it is printed too.
fn print_entry(entry: &Entry, out: &mut Vec<u8>) {
    let Entry {
        id,
        person,
        date,
        recorded,
        updated,
        detail,
        source_id,
        extra,
    } = entry;
    print_text(out, id);
    print_text(out, person);
    print_date(out, *date);
    print_time(out, recorded);
    print_time(out, updated);
    print_opt_text(out, source_id);
    match detail {
        Detail::Gave(favour) | Detail::Got(favour) => {
            let Favour {
                what,
                kind,
                weight,
                resolves,
            } = favour;
            let gave = matches!(detail, Detail::Gave(_));
            out.extend_from_slice(&[if gave { 0 } else { 1 }, *kind as u8, *weight]);
            print_text(out, what);
            print_opt_text(out, resolves);
        }
        Detail::Met(Meeting { how, note }) => {
            out.extend_from_slice(&[2, *how as u8]);
            print_opt_text(out, note);
        }
        Detail::Ask(Request {
            what,
            direction,
            status,
            nudges,
            note,
        }) => {
            out.extend_from_slice(&[3, *direction as u8, *status as u8]);
            print_text(out, what);
            out.extend_from_slice(&(nudges.len() as u64).to_le_bytes());
            for day in nudges {
                print_date(out, *day);
            }
            print_opt_text(out, note);
        }
    }
    // Unknown keys as their JSON text (JSON numbers hash alike across their
    // kinds; their text does not), after its length.
    if extra.is_empty() {
        out.push(0);
    } else {
        let text = serde_json::to_vec(extra).unwrap_or_default();
        out.push(1);
        out.extend_from_slice(&(text.len() as u64).to_le_bytes());
        out.extend_from_slice(&text);
    }
}

/// Everything that differs between two ledgers.
#[derive(Debug, Clone, Default)]
pub struct LedgerDiff {
    pub people: Vec<Change<Person>>,
    pub entries: Vec<Change<Entry>>,
    pub settings: Option<Change<Settings>>,
    /// The unchanged ends of the two people lists.
    pub people_ends: Ends,
    /// The unchanged ends of the two entry lists.
    pub entry_ends: Ends,
}

impl LedgerDiff {
    pub fn between(before: &Ledger, after: &Ledger) -> LedgerDiff {
        let people_ends = Ends::of(&before.people, &after.people);
        let entry_ends = Ends::of(&before.entries, &after.entries);
        LedgerDiff {
            people: by_id_within(&before.people, &after.people, people_ends),
            entries: by_id_within(&before.entries, &after.entries, entry_ends),
            people_ends,
            entry_ends,
            settings: (before.settings != after.settings).then(|| Change {
                id: "settings".into(),
                before: Some(before.settings.clone()),
                after: Some(after.settings.clone()),
            }),
        }
    }

    /// [`LedgerDiff::between`] for a write that kept no copy of the old
    /// entries: `entry_ends` are the ends they share with the new ones
    /// ([`Prints::ends`]) and `old_middle` the old entries between those
    /// ends (read back from the old text), of `old_count` in all. `None`
    /// when `old_middle` does not fit the ends.
    pub fn with_old_middle(
        before_people: &[Person],
        before_settings: &Settings,
        entry_ends: Ends,
        old_count: usize,
        old_middle: &[Entry],
        after: &Ledger,
    ) -> Option<LedgerDiff> {
        let kept = entry_ends.head.checked_add(entry_ends.tail)?;
        if kept.checked_add(old_middle.len())? != old_count {
            return None;
        }
        let people_ends = Ends::of(before_people, &after.people);
        Some(LedgerDiff {
            people: by_id_within(before_people, &after.people, people_ends),
            entries: by_id_middles(old_middle, entry_ends.middle(&after.entries)?),
            settings: (before_settings != &after.settings).then(|| Change {
                id: "settings".into(),
                before: Some(before_settings.clone()),
                after: Some(after.settings.clone()),
            }),
            people_ends,
            entry_ends,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty() && self.entries.is_empty() && self.settings.is_none()
    }
}

/// `+` added, `~` changed, `-` removed.
fn mark<T>(change: &Change<T>) -> &'static str {
    match (&change.before, &change.after) {
        (None, _) => "+",
        (Some(_), Some(_)) => "~",
        (Some(_), None) => "-",
    }
}

/// A commit message for the change from `before` to `after`: a subject with
/// counts, then one line per change (at most 30).
pub fn commit_message(before: &Ledger, after: &Ledger) -> String {
    let diff = LedgerDiff::between(before, after);
    let mut lines = Vec::new();
    let count = |changes: &[(&'static str, String)], m: &str| {
        changes.iter().filter(|(mark, _)| *mark == m).count()
    };
    let people: Vec<(&'static str, String)> = diff
        .people
        .iter()
        .filter_map(|c| {
            let p = c.after.as_ref().or(c.before.as_ref())?;
            Some((mark(c), format!("{} person {}", mark(c), p.name)))
        })
        .collect();
    let name_of = |id: &str| {
        after
            .person(id)
            .or_else(|| before.person(id))
            .map(|p| p.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let entries: Vec<(&'static str, String)> = diff
        .entries
        .iter()
        .filter_map(|c| {
            let e = c.after.as_ref().or(c.before.as_ref())?;
            let line = format!(
                "{} {} {} {}: {}",
                mark(c),
                e.date,
                e.entry_type(),
                name_of(&e.person),
                e.summary()
            );
            Some((mark(c), line))
        })
        .collect();
    let mut counts: Vec<(usize, &str, &str)> = Vec::new();
    for (changes, what) in [(&people, "person"), (&entries, "entry")] {
        counts.extend([
            (count(changes, "+"), what, "added"),
            (count(changes, "~"), what, "changed"),
            (count(changes, "-"), what, "removed"),
        ]);
        lines.extend(changes.iter().map(|(_, line)| line.clone()));
    }
    if diff.settings.is_some() {
        counts.push((1, "setting change", ""));
        lines.push("~ settings".to_string());
    }
    let parts: Vec<String> = counts
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, what, how)| {
            let noun = match (*n, *what) {
                (1, w) => w.to_string(),
                (_, "person") => "people".to_string(),
                (_, "entry") => "entries".to_string(),
                (_, w) => format!("{w}s"),
            };
            format!("{n} {noun} {how}").trim_end().to_string()
        })
        .collect();
    let subject = if parts.is_empty() {
        "kith: update the ledger".to_string()
    } else {
        format!("kith: {}", parts.join(", "))
    };
    const MAX_LINES: usize = 30;
    let more = lines.len().saturating_sub(MAX_LINES);
    lines.truncate(MAX_LINES);
    if more > 0 {
        lines.push(format!("… and {more} more"));
    }
    if lines.is_empty() {
        subject
    } else {
        format!("{subject}\n\n{}", lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::core::model::{Detail, How, Meeting};

    fn met(id: &str, person: &str, now: chrono::DateTime<Utc>) -> Entry {
        Entry {
            source_id: None,
            id: id.into(),
            person: person.into(),
            date: now.date_naive(),
            recorded: now,
            updated: now,
            detail: Detail::Met(Meeting {
                how: How::Call,
                note: None,
            }),
            extra: Default::default(),
        }
    }

    #[test]
    fn the_commit_message_counts_and_lists_changes() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().unwrap();
        let mut before = Ledger::default();
        before
            .people
            .push(Person::new("p-1".into(), "Ann".into(), now));
        before
            .people
            .push(Person::new("p-2".into(), "Bob".into(), now));
        let mut after = before.clone();
        after.people.retain(|p| p.id != "p-2");
        after
            .people
            .push(Person::new("p-3".into(), "Cy".into(), now));
        for id in ["e-1", "e-2"] {
            after.entries.push(met(id, "p-1", now));
        }
        let message = commit_message(&before, &after);
        let mut lines = message.lines();
        assert_eq!(
            lines.next(),
            Some("kith: 1 person added, 1 person removed, 2 entries added")
        );
        assert!(message.contains("+ person Cy"));
        assert!(message.contains("- person Bob"));
        assert!(message.contains("+ 2026-03-01 met Ann: call"));
        assert_eq!(commit_message(&after, &after), "kith: update the ledger");
    }

    #[test]
    fn the_diff_matches_by_id_and_keeps_order() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().unwrap();
        let before: Vec<Entry> = ["e-1", "e-2", "e-3"]
            .iter()
            .map(|id| met(id, "p-1", now))
            .collect();
        let mut after = before.clone();
        after.remove(0);
        if let Some(e) = after.first_mut() {
            e.person = "p-2".into();
        }
        after.push(met("e-4", "p-1", now));
        let changes = by_id(&before, &after);
        let summary: Vec<(&str, &str)> = changes.iter().map(|c| (c.id.as_str(), mark(c))).collect();
        assert_eq!(summary, vec![("e-2", "~"), ("e-4", "+"), ("e-1", "-")]);
        assert!(by_id(&before, &before).is_empty());
    }

    #[test]
    fn many_changes_are_cut_at_thirty_lines() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().unwrap();
        let before = Ledger::default();
        let mut after = Ledger::default();
        for n in 0..35 {
            after
                .people
                .push(Person::new(format!("p-{n}"), format!("P{n}"), now));
        }
        let message = commit_message(&before, &after);
        assert!(
            message.starts_with("kith: 35 people added\n\n"),
            "{message}"
        );
        assert!(message.ends_with("… and 5 more"), "{message}");
    }

    /// A stand-in for a person or an entry: an id and a value.
    #[derive(Debug, Clone, PartialEq)]
    struct Item(String, u8);
    impl HasId for Item {
        fn id(&self) -> &str {
            &self.0
        }
    }

    #[derive(Debug, Clone)]
    enum Edit {
        Insert(usize, u8),
        Remove(usize),
        Change(usize, u8),
        /// Moves an element elsewhere, unchanged (a re-sort after a date change).
        Move(usize, usize),
    }

    fn edit() -> impl proptest::strategy::Strategy<Value = Edit> {
        use proptest::prelude::*;
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(at, v)| Edit::Insert(at, v)),
            any::<usize>().prop_map(Edit::Remove),
            (any::<usize>(), any::<u8>()).prop_map(|(at, v)| Edit::Change(at, v)),
            (any::<usize>(), any::<usize>()).prop_map(|(from, to)| Edit::Move(from, to)),
        ]
    }

    proptest::proptest! {
        /// Matching only the middle between the shared ends finds exactly
        /// the changes that matching every object by id finds, in the same
        /// order: the undo step a write records does not depend on the
        /// shortcut.
        #[test]
        fn the_middle_between_the_ends_holds_every_change(
            values in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
            edits in proptest::collection::vec(edit(), 0..6),
        ) {
            let before: Vec<Item> = values
                .iter()
                .enumerate()
                .map(|(n, v)| Item(format!("i-{n}"), *v % 4))
                .collect();
            let mut after = before.clone();
            for (n, edit) in edits.iter().enumerate() {
                let len = after.len();
                match *edit {
                    Edit::Insert(at, v) => after.insert(at % (len + 1), Item(format!("new-{n}"), v)),
                    Edit::Remove(at) if len > 0 => {
                        after.remove(at % len);
                    }
                    Edit::Change(at, v) if len > 0 => after[at % len].1 = v,
                    Edit::Move(from, to) if len > 0 => {
                        let item = after.remove(from % len);
                        after.insert(to % len, item);
                    }
                    _ => {}
                }
            }
            let ends = Ends::of(&before, &after);
            proptest::prop_assert!(ends.head + ends.tail <= before.len().min(after.len()));
            proptest::prop_assert_eq!(
                by_id_within(&before, &after, ends),
                by_id_within(&before, &after, Ends::default())
            );
            // Ends that do not fit the lists fall back on matching everything.
            let wrong = Ends { head: before.len() + 1, tail: 0 };
            proptest::prop_assert_eq!(
                by_id_within(&before, &after, wrong),
                by_id_within(&before, &after, Ends::default())
            );
        }
    }

    #[test]
    fn the_ends_never_overlap() {
        let same: Vec<Item> = (0..3).map(|n| Item(format!("i-{n}"), 0)).collect();
        assert_eq!(Ends::of(&same, &same), Ends { head: 3, tail: 0 });
        let mut longer = same.clone();
        longer.insert(1, same[0].clone());
        // [a b c] -> [a a b c]: one shared at the start, then three at the end
        // would overlap it; the tail stops at what is left after the head.
        let ends = Ends::of(&same, &longer);
        assert_eq!(ends, Ends { head: 1, tail: 2 });
        assert_eq!(ends.middle(&same).map(<[Item]>::len), Some(0));
        assert_eq!(ends.middle(&longer).map(<[Item]>::len), Some(1));
    }

    #[test]
    fn prints_tell_apart_entries_that_differ_in_any_field() {
        use crate::core::model::{Direction, Favour, How, Kind, Request, Status};
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().unwrap();
        let base = met("e-1", "p-1", now);
        let favour = |what: &str, resolves: Option<&str>| Favour {
            what: what.into(),
            kind: Kind::Gift,
            weight: 2,
            resolves: resolves.map(str::to_string),
        };
        let ask = |status: Status, nudges: usize, note: Option<&str>| Request {
            what: "a lift".into(),
            direction: Direction::Out,
            status,
            nudges: vec![now.date_naive(); nudges],
            note: note.map(str::to_string),
        };
        let mut variants = vec![base.clone()];
        let mut with = |change: &dyn Fn(&mut Entry)| {
            let mut entry = base.clone();
            change(&mut entry);
            variants.push(entry);
        };
        with(&|e| e.id = "e-2".into());
        // Texts are delimited: moving a character from one to the next shows.
        with(&|e| {
            e.id = "e-1p".into();
            e.person = "-1".into();
        });
        with(&|e| e.person = "p-2".into());
        with(&|e| e.date = e.date.succ_opt().unwrap());
        with(&|e| e.recorded += chrono::Duration::nanoseconds(1));
        with(&|e| e.updated += chrono::Duration::seconds(1));
        with(&|e| e.source_id = Some(String::new()));
        with(&|e| e.source_id = Some("uid".into()));
        with(&|e| {
            e.detail = Detail::Met(Meeting {
                how: How::Coffee,
                note: None,
            })
        });
        with(&|e| {
            e.detail = Detail::Met(Meeting {
                how: How::Call,
                note: Some(String::new()),
            })
        });
        with(&|e| e.detail = Detail::Gave(favour("tea", None)));
        with(&|e| e.detail = Detail::Got(favour("tea", None)));
        with(&|e| e.detail = Detail::Gave(favour("tea", Some("e-9"))));
        with(&|e| {
            e.detail = Detail::Gave(Favour {
                weight: 3,
                ..favour("tea", None)
            })
        });
        with(&|e| {
            e.detail = Detail::Gave(Favour {
                kind: Kind::Help,
                ..favour("tea", None)
            })
        });
        with(&|e| e.detail = Detail::Ask(ask(Status::Open, 0, None)));
        with(&|e| e.detail = Detail::Ask(ask(Status::Granted, 0, None)));
        with(&|e| e.detail = Detail::Ask(ask(Status::Open, 1, None)));
        with(&|e| e.detail = Detail::Ask(ask(Status::Open, 0, Some("n"))));
        // JSON numbers of different kinds hash alike; their prints differ.
        with(&|e| {
            e.extra.insert("x".into(), serde_json::json!(-1));
        });
        with(&|e| {
            e.extra.insert("x".into(), serde_json::json!(u64::MAX));
        });
        with(&|e| {
            e.extra.insert("x".into(), serde_json::json!(1.5));
        });
        let prints = Prints::of(&variants);
        for (i, a) in variants.iter().enumerate() {
            for (j, b) in variants.iter().enumerate() {
                assert_eq!(prints.get(i) == prints.get(j), a == b, "{a:?} / {b:?}");
            }
        }
        assert_eq!(Prints::of(std::slice::from_ref(&base)), Prints::of(&[base]));
    }
}
