//! A write that changes a few people or entries of a large ledger reuses the
//! rest of the file's text instead of pretty-printing 60 MB again.
//!
//! The canonical text ([`to_pretty_json`](super::to_pretty_json)) prints each
//! person and entry on its own lines at a fixed indent, and an element's
//! text depends only on the element. So the text of the changed ledger is the
//! old text with the changed run of elements cut out and the new ones,
//! printed alone and indented, put in their place. [`splice`] does that and
//! nothing cleverer: one run of people and one run of entries, found by
//! comparing the unchanged head and tail of each list; anything else (the
//! settings, the top-level keys, an empty list) is left to the full printer.
//! The result is byte for byte what the full printer writes (a property test
//! holds it to that), so the file format does not depend on which path wrote it.

use std::borrow::Cow;

use memchr::memmem;
use serde::Serialize;

use super::{Extra, Ledger, Person, Settings};

const PEOPLE_OPEN: &[u8] = b"\n  \"people\": [";
const BETWEEN: &[u8] = b"\n  ],\n  \"entries\": [";
const CLOSE: &[u8] = b"\n  ]\n}\n";
/// What precedes every element of the two lists in the canonical text: a
/// line holding only `    {`. Nested objects sit deeper, and strings cannot
/// hold a raw newline, so this marks elements and nothing else.
const ELEMENT: &[u8] = b"\n    {\n";

/// The canonical text of a changed ledger in pieces: runs of the old text,
/// borrowed, with the new text between them. Written piece after piece, the
/// old runs go from the old file's pages to the new file without first being
/// copied into one 60 MB buffer.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Spliced<'a> {
    pieces: Vec<Cow<'a, [u8]>>,
}

impl<'a> Spliced<'a> {
    /// The pieces, in order; together they are the whole text.
    pub fn pieces(&self) -> impl Iterator<Item = &[u8]> {
        self.pieces.iter().map(|piece| piece.as_ref())
    }

    /// The length of the whole text, in bytes.
    pub fn size(&self) -> usize {
        self.pieces.iter().map(|piece| piece.len()).sum()
    }

    /// The whole text in one buffer.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut text = Vec::with_capacity(self.size());
        for piece in self.pieces() {
            text.extend_from_slice(piece);
        }
        text
    }

    /// How many bytes of the text are new rather than borrowed.
    #[cfg(test)]
    fn new_len(&self) -> usize {
        self.pieces
            .iter()
            .filter(|piece| matches!(piece, Cow::Owned(_)))
            .map(|piece| piece.len())
            .sum()
    }

    /// Keeps a run of the old text.
    fn keep(&mut self, old: &'a [u8]) {
        if !old.is_empty() {
            self.pieces.push(Cow::Borrowed(old));
        }
    }

    /// Adds new text.
    fn put(&mut self, new: &[u8]) {
        match self.pieces.last_mut() {
            Some(Cow::Owned(last)) => last.extend_from_slice(new),
            _ => self.pieces.push(Cow::Owned(new.to_vec())),
        }
    }

    /// Adds `element`'s pretty JSON at the lists' depth: four more spaces on
    /// every line.
    fn put_indented(&mut self, element: &impl Serialize) -> Option<()> {
        let text = serde_json::to_vec_pretty(element).ok()?;
        let mut out = Vec::with_capacity(text.len() + text.len() / 8 + 4);
        out.extend_from_slice(b"    ");
        for line in text.split_inclusive(|b| *b == b'\n') {
            out.extend_from_slice(line);
            if line.ends_with(b"\n") {
                out.extend_from_slice(b"    ");
            }
        }
        self.put(&out);
        Some(())
    }
}

/// What the splice needs of the ledger before the write: its top-level
/// fields, its people and how many entries it had (a write that did not copy
/// the entries has only their count).
#[derive(Debug, Clone, Copy)]
pub struct BeforeShape<'l> {
    pub kith: u64,
    pub settings: &'l Settings,
    pub extra: &'l Extra,
    pub people: &'l [Person],
    pub entries: usize,
}

impl<'l> BeforeShape<'l> {
    pub fn of(ledger: &'l Ledger) -> BeforeShape<'l> {
        BeforeShape {
            kith: ledger.kith,
            settings: &ledger.settings,
            extra: &ledger.extra,
            people: &ledger.people,
            entries: ledger.entries.len(),
        }
    }
}

/// The canonical text of `after`, made from `before_text`, which must be the
/// canonical text of `before`. `None` when the change is not one it handles
/// (the caller prints the whole ledger) or when `before_text` is not laid
/// out as expected.
pub fn splice(before: &Ledger, before_text: &[u8], after: &Ledger) -> Option<Vec<u8>> {
    let people = Ends::of(&before.people, &after.people);
    let entries = Ends::of(&before.entries, &after.entries);
    splice_at(BeforeShape::of(before), before_text, after, people, entries)
        .map(|spliced| spliced.to_vec())
}

/// [`splice`] in pieces borrowing `before_text`, when the unchanged
/// [`Ends`] of the people and entry lists are already known (the undo diff
/// found them).
pub fn splice_at<'a>(
    before: BeforeShape<'_>,
    before_text: &'a [u8],
    after: &Ledger,
    people_ends: Ends,
    entry_ends: Ends,
) -> Option<Spliced<'a>> {
    if before.kith != after.kith
        || before.settings != &after.settings
        || !before.extra.is_empty()
        || !after.extra.is_empty()
        || before.people.is_empty()
        || after.people.is_empty()
        || before.entries == 0
        || after.entries.is_empty()
    {
        return None;
    }
    let (people_start, people, entries) = lists(before_text)?;

    let mut out = Spliced::default();
    out.keep(before_text.get(..people_start)?);
    splice_list(
        &mut out,
        people,
        before.people.len(),
        &after.people,
        people_ends,
    )?;
    out.put(BETWEEN);
    splice_list(
        &mut out,
        entries,
        before.entries,
        &after.entries,
        entry_ends,
    )?;
    out.put(CLOSE);
    Some(out)
}

/// Where the people's list starts in canonical `text`, and the text of the
/// two lists without their brackets.
fn lists(text: &[u8]) -> Option<(usize, &[u8], &[u8])> {
    let people_start = memmem::find(text, PEOPLE_OPEN)? + PEOPLE_OPEN.len();
    let people_end = people_start + memmem::find(text.get(people_start..)?, BETWEEN)?;
    let entries_start = people_end + BETWEEN.len();
    let entries_end = text.len().checked_sub(CLOSE.len())?;
    if text.get(entries_end..)? != CLOSE || entries_start > entries_end {
        return None;
    }
    Some((
        people_start,
        text.get(people_start..people_end)?,
        text.get(entries_start..entries_end)?,
    ))
}

/// The entries at `range` of the `n` entries in canonical `text`, read
/// back from their text: what a write that kept no copy of the entries it
/// changed needs for its undo step. `None` when the text is not laid out
/// as expected or an entry does not parse.
pub fn entries_in<'de, T: serde::Deserialize<'de>>(
    text: &'de [u8],
    n: usize,
    range: std::ops::Range<usize>,
) -> Option<Vec<T>> {
    if range.is_empty() {
        return Some(Vec::new());
    }
    if range.end > n {
        return None;
    }
    let (_, _, entries) = lists(text)?;
    let first = piece_start(entries, n, range.start)?;
    let rest = entries.get(first..)?;
    // Each element's text runs from its marker to the next marker's `,`
    // (or the end of the list).
    let mut starts = memmem::find_iter(rest, ELEMENT);
    let mut start = starts.next()?;
    let mut found = Vec::with_capacity(range.len());
    for k in range.clone() {
        let end = if k + 1 == n {
            rest.len()
        } else {
            starts.next()?.checked_sub(1)?
        };
        found.push(serde_json::from_slice(rest.get(start..end)?).ok()?);
        start = end + 1;
    }
    Some(found)
}

/// Adds the text of the list `after` (without its brackets), reusing the
/// text of the old list of `n` elements (`text`) for the unchanged `ends`.
fn splice_list<'a, T: Serialize>(
    out: &mut Spliced<'a>,
    text: &'a [u8],
    n: usize,
    after: &[T],
    ends: Ends,
) -> Option<()> {
    let Ends { head, tail } = ends;
    let m = after.len();
    if head.checked_add(tail)? > n.min(m) {
        return None;
    }
    let cut_start = piece_start(text, n, head)?;
    let cut_end = piece_start(text, n, n - tail)?;
    // Each piece is its separator (`\n` for the first, `,\n` after) and the
    // element; the head's pieces are unchanged.
    out.keep(text.get(..cut_start)?);
    for (i, element) in after.iter().enumerate().take(m - tail).skip(head) {
        out.put(if i == 0 { b"\n" } else { b",\n" });
        out.put_indented(element)?;
    }
    if tail > 0 {
        let old_separator = if n - tail == 0 { 1 } else { 2 };
        out.put(if m - tail == 0 { b"\n" } else { b",\n" });
        out.keep(text.get(cut_end + old_separator..)?);
    }
    Some(())
}

/// Where piece `k` of a list of `n` elements starts in its text: 0 for the
/// first, the `,` before element `k` for the others, the end for `k == n`.
/// Counted from whichever end is nearer.
fn piece_start(text: &[u8], n: usize, k: usize) -> Option<usize> {
    if k == 0 {
        return Some(0);
    }
    if k == n {
        return Some(text.len());
    }
    let at = if k <= n - k {
        memmem::find_iter(text, ELEMENT).nth(k)?
    } else {
        memmem::rfind_iter(text, ELEMENT).nth(n - 1 - k)?
    };
    // The separator `,\n` ends at the marker's newline.
    if text.get(at.checked_sub(1)?)? != &b',' {
        return None;
    }
    Some(at - 1)
}

/// How many elements two lists share in place: `head` at their start, then
/// `tail` at their end (never overlapping the head). A write changes a few
/// objects of a sorted list, so everything outside the two ends is the part
/// that changed: the undo diff matches only that by id, and the splice
/// (this module) reprints only that.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ends {
    pub head: usize,
    pub tail: usize,
}

impl Ends {
    /// The shared ends of `before` and `after`, compared element by element.
    pub fn of<T: PartialEq>(before: &[T], after: &[T]) -> Ends {
        let head = before
            .iter()
            .zip(after)
            .take_while(|(old, new)| old == new)
            .count();
        let before = before.get(head..).unwrap_or_default();
        let after = after.get(head..).unwrap_or_default();
        let tail = before
            .iter()
            .rev()
            .zip(after.iter().rev())
            .take_while(|(old, new)| old == new)
            .count();
        Ends { head, tail }
    }

    /// The middle of `list` between the two ends; `None` when the ends do
    /// not fit in it (they were not computed for this list).
    pub fn middle<T>(self, list: &[T]) -> Option<&[T]> {
        let end = list.len().checked_sub(self.tail)?;
        list.get(self.head..end)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Detail, Entry, Ledger, Need, Person, parse_ledger, to_pretty_json};
    use super::*;
    use chrono::{Duration, NaiveDate};
    use proptest::prelude::*;

    fn example() -> Ledger {
        parse_ledger(include_bytes!("../../../examples/ledger.json")).unwrap()
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// A copy of entry `from` with a new id, dated `days` after it.
        AddEntry {
            from: usize,
            days: i64,
        },
        ChangeEntry {
            at: usize,
            what: String,
        },
        RemoveEntry {
            at: usize,
        },
        AddPerson {
            name: String,
        },
        ChangePerson {
            at: usize,
            need: String,
        },
        RemovePersonNoEntries,
        Settings,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (any::<usize>(), -400i64..400).prop_map(|(from, days)| Op::AddEntry { from, days }),
            2 => (any::<usize>(), "[a-z “”é\\\\\"]{0,12}").prop_map(|(at, what)| Op::ChangeEntry { at, what }),
            1 => any::<usize>().prop_map(|at| Op::RemoveEntry { at }),
            1 => "[A-Za-z ]{1,10}".prop_map(|name| Op::AddPerson { name }),
            1 => (any::<usize>(), "[a-z]{1,8}").prop_map(|(at, need)| Op::ChangePerson { at, need }),
            1 => Just(Op::RemovePersonNoEntries),
            1 => Just(Op::Settings),
        ]
    }

    fn apply(ledger: &mut Ledger, op: &Op, n: usize) {
        let count = ledger.entries.len().max(1);
        match op {
            Op::AddEntry { from, days } => {
                if let Some(entry) = ledger.entries.get(from % count).cloned() {
                    let date = entry.date + Duration::days(*days);
                    ledger.entries.push(Entry {
                        id: format!("e-{n:016x}"),
                        date: date.min(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
                        ..entry
                    });
                }
            }
            Op::ChangeEntry { at, what } => {
                if let Some(entry) = ledger.entries.get_mut(at % count) {
                    match &mut entry.detail {
                        Detail::Gave(f) | Detail::Got(f) => f.what = what.clone(),
                        Detail::Ask(r) => r.what = what.clone(),
                        Detail::Met(m) => m.note = Some(what.clone()),
                    }
                }
            }
            Op::RemoveEntry { at } => {
                if !ledger.entries.is_empty() {
                    ledger.entries.remove(at % count);
                }
            }
            Op::AddPerson { name } => {
                let at = ledger.people[0].created;
                ledger
                    .people
                    .push(Person::new(format!("p-{n:016x}"), name.clone(), at));
            }
            Op::ChangePerson { at, need } => {
                let len = ledger.people.len();
                let person = &mut ledger.people[at % len];
                person.needs.push(Need {
                    id: format!("n-{n:016x}"),
                    text: need.clone(),
                    since: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
                    done: false,
                    extra: Default::default(),
                });
            }
            Op::RemovePersonNoEntries => {
                let used: std::collections::HashSet<String> =
                    ledger.entries.iter().map(|e| e.person.clone()).collect();
                if let Some(i) = ledger.people.iter().position(|p| !used.contains(&p.id)) {
                    ledger.people.remove(i);
                }
            }
            Op::Settings => ledger.settings.cooldown_days += 1,
        }
    }

    /// The example ledger, its text, and the ledger with one entry appended
    /// (copied from entry `from`, dated after every other).
    fn appended(from: usize) -> (Ledger, Vec<u8>, Ledger) {
        let before = example();
        let text = to_pretty_json(&before).unwrap();
        let mut after = before.clone();
        apply(&mut after, &Op::AddEntry { from, days: 9999 }, 1);
        after.sort_entries();
        (before, text, after)
    }

    #[test]
    fn appending_one_entry_is_spliced_and_exact() {
        let (before, text, after) = appended(3);
        let spliced = splice(&before, &text, &after).expect("an append is spliced");
        assert_eq!(
            String::from_utf8(spliced).unwrap(),
            String::from_utf8(to_pretty_json(&after).unwrap()).unwrap()
        );
    }

    #[test]
    fn an_append_borrows_all_of_the_old_text() {
        let (before, text, after) = appended(0);
        let people = Ends::of(&before.people, &after.people);
        let entries = Ends::of(&before.entries, &after.entries);
        let spliced = splice_at(BeforeShape::of(&before), &text, &after, people, entries).unwrap();
        let full = to_pretty_json(&after).unwrap();
        assert_eq!(spliced.to_vec(), full);
        assert_eq!(spliced.size(), full.len());
        let added = full.len() - text.len();
        // The new entry, its separator and the fixed text around the lists.
        assert!(
            spliced.new_len() < added + BETWEEN.len() + CLOSE.len() + 8,
            "{} new bytes for {added} added",
            spliced.new_len()
        );
    }

    #[test]
    fn entries_are_not_read_back_from_text_laid_out_otherwise() {
        let ledger = example();
        let n = ledger.entries.len();
        let compact = serde_json::to_vec(&ledger).unwrap();
        assert_eq!(entries_in::<Entry>(&compact, n, 0..1), None);
        let text = to_pretty_json(&ledger).unwrap();
        assert_eq!(entries_in::<Entry>(&text, n, 0..n + 1), None);
        assert_eq!(entries_in::<Entry>(&text, n, n..n), Some(Vec::new()));
    }

    #[test]
    fn ends_that_do_not_fit_the_lists_are_refused() {
        let before = example();
        let text = to_pretty_json(&before).unwrap();
        let after = before.clone();
        let people = Ends::of(&before.people, &after.people);
        let too_long = Ends {
            head: before.entries.len(),
            tail: 1,
        };
        assert_eq!(
            splice_at(BeforeShape::of(&before), &text, &after, people, too_long),
            None
        );
        let past_the_end = Ends {
            head: usize::MAX,
            tail: usize::MAX,
        };
        assert_eq!(
            splice_at(
                BeforeShape::of(&before),
                &text,
                &after,
                past_the_end,
                past_the_end
            ),
            None
        );
    }

    #[test]
    fn text_that_is_not_canonical_is_refused_or_still_exact() {
        let before = example();
        let text = serde_json::to_vec(&before).unwrap();
        let mut after = before.clone();
        apply(
            &mut after,
            &Op::AddEntry {
                from: 3,
                days: 9999,
            },
            1,
        );
        assert_eq!(splice(&before, &text, &after), None);
    }

    proptest! {
        /// A write over canonical text keeps no copy of the entries, only
        /// their prints, and reads the old entries it changed back from the
        /// text: the diff, and so the undo step, is exactly the one a whole
        /// copy gives.
        #[test]
        fn a_diff_from_prints_and_the_old_text_is_the_diff_from_a_copy(ops in proptest::collection::vec(op(), 1..6)) {
            use crate::core::diff::{LedgerDiff, Prints};
            use crate::core::undo::Step;
            let before = example();
            let text = to_pretty_json(&before).unwrap();
            let prints = Prints::of(&before.entries);
            let mut after = before.clone();
            for (n, op) in ops.iter().enumerate() {
                apply(&mut after, op, n + 1);
            }
            after.sort_entries();
            let ends = prints.ends(&after.entries);
            prop_assert_eq!(ends, Ends::of(&before.entries, &after.entries));
            let count = prints.len();
            let old_middle: Vec<Entry> =
                entries_in(&text, count, ends.head..count - ends.tail).unwrap();
            prop_assert_eq!(Some(old_middle.as_slice()), ends.middle(&before.entries));
            let diff = LedgerDiff::with_old_middle(
                &before.people,
                &before.settings,
                ends,
                count,
                &old_middle,
                &after,
            )
            .unwrap();
            let whole = LedgerDiff::between(&before, &after);
            prop_assert_eq!(&diff.people, &whole.people);
            prop_assert_eq!(&diff.entries, &whole.entries);
            prop_assert_eq!(&diff.settings, &whole.settings);
            prop_assert_eq!((diff.people_ends, diff.entry_ends), (whole.people_ends, whole.entry_ends));
            let at = before.people[0].created;
            let as_json = |step: Option<Step>| serde_json::to_string(&step).unwrap();
            prop_assert_eq!(
                as_json(Step::of_diff(diff, "x".into(), at)),
                as_json(Step::between(&before, &after, "x".into(), at))
            );
        }

        /// Any run of entries reads back from the canonical text as it was.
        #[test]
        fn entries_read_back_from_the_text_are_the_entries(a in any::<usize>(), b in any::<usize>()) {
            let ledger = example();
            let text = to_pretty_json(&ledger).unwrap();
            let n = ledger.entries.len();
            let (a, b) = (a % (n + 1), b % (n + 1));
            let range = a.min(b)..a.max(b);
            let read: Vec<Entry> = entries_in(&text, n, range.clone()).unwrap();
            prop_assert_eq!(read.as_slice(), &ledger.entries[range]);
        }

        #[test]
        fn a_splice_writes_exactly_what_the_full_printer_writes(ops in proptest::collection::vec(op(), 1..6)) {
            let before = example();
            let text = to_pretty_json(&before).unwrap();
            let mut after = before.clone();
            for (n, op) in ops.iter().enumerate() {
                apply(&mut after, op, n + 1);
            }
            after.sort_entries();
            let full = to_pretty_json(&after).unwrap();
            match splice(&before, &text, &after) {
                Some(spliced) => prop_assert_eq!(
                    String::from_utf8(spliced).unwrap(),
                    String::from_utf8(full).unwrap()
                ),
                None => prop_assert!(
                    after.settings != before.settings || after.entries.is_empty(),
                    "refused a change it handles: {:?}", ops
                ),
            }
        }
    }
}
