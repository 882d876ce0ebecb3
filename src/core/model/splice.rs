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

use memchr::memmem;
use serde::Serialize;

use super::Ledger;

const PEOPLE_OPEN: &[u8] = b"\n  \"people\": [";
const BETWEEN: &[u8] = b"\n  ],\n  \"entries\": [";
const CLOSE: &[u8] = b"\n  ]\n}\n";
/// What precedes every element of the two lists in the canonical text: a
/// line holding only `    {`. Nested objects sit deeper, and strings cannot
/// hold a raw newline, so this marks elements and nothing else.
const ELEMENT: &[u8] = b"\n    {\n";

/// The canonical text of `after`, made from `before_text`, which must be the
/// canonical text of `before`. `None` when the change is not one it handles
/// (the caller prints the whole ledger) or when `before_text` is not laid
/// out as expected.
pub fn splice(before: &Ledger, before_text: &[u8], after: &Ledger) -> Option<Vec<u8>> {
    if before.kith != after.kith
        || before.settings != after.settings
        || !before.extra.is_empty()
        || !after.extra.is_empty()
        || before.people.is_empty()
        || after.people.is_empty()
        || before.entries.is_empty()
        || after.entries.is_empty()
    {
        return None;
    }
    let people_start = memmem::find(before_text, PEOPLE_OPEN)? + PEOPLE_OPEN.len();
    let people_end = people_start + memmem::find(before_text.get(people_start..)?, BETWEEN)?;
    let entries_start = people_end + BETWEEN.len();
    let entries_end = before_text.len().checked_sub(CLOSE.len())?;
    if before_text.get(entries_end..)? != CLOSE || entries_start > entries_end {
        return None;
    }
    let people = before_text.get(people_start..people_end)?;
    let entries = before_text.get(entries_start..entries_end)?;

    let mut out = Vec::with_capacity(before_text.len() + 4096);
    out.extend_from_slice(before_text.get(..people_start)?);
    splice_list(&mut out, people, &before.people, &after.people)?;
    out.extend_from_slice(BETWEEN);
    splice_list(&mut out, entries, &before.entries, &after.entries)?;
    out.extend_from_slice(CLOSE);
    Some(out)
}

/// Writes the text of the list `after` (without its brackets), reusing the
/// text of `before` (`text`) for its unchanged head and tail.
fn splice_list<T: Serialize + PartialEq>(
    out: &mut Vec<u8>,
    text: &[u8],
    before: &[T],
    after: &[T],
) -> Option<()> {
    let head = before.iter().zip(after).take_while(|(b, a)| b == a).count();
    let tail = before[head..]
        .iter()
        .rev()
        .zip(after[head..].iter().rev())
        .take_while(|(b, a)| b == a)
        .count();
    let (n, m) = (before.len(), after.len());
    let cut_start = piece_start(text, n, head)?;
    let cut_end = piece_start(text, n, n - tail)?;
    // Each piece is its separator (`\n` for the first, `,\n` after) and the
    // element; the head's pieces are unchanged.
    out.extend_from_slice(text.get(..cut_start)?);
    for (i, element) in after.iter().enumerate().take(m - tail).skip(head) {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        indented(out, element)?;
    }
    if tail > 0 {
        let old_separator = if n - tail == 0 { 1 } else { 2 };
        out.extend_from_slice(if m - tail == 0 { b"\n" } else { b",\n" });
        out.extend_from_slice(text.get(cut_end + old_separator..)?);
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

/// `element`'s pretty JSON at the lists' depth: four more spaces on every line.
fn indented(out: &mut Vec<u8>, element: &impl Serialize) -> Option<()> {
    let text = serde_json::to_vec_pretty(element).ok()?;
    out.extend_from_slice(b"    ");
    for line in text.split_inclusive(|b| *b == b'\n') {
        out.extend_from_slice(line);
        if line.ends_with(b"\n") {
            out.extend_from_slice(b"    ");
        }
    }
    Some(())
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

    #[test]
    fn appending_one_entry_is_spliced_and_exact() {
        let before = example();
        let text = to_pretty_json(&before).unwrap();
        let mut after = before.clone();
        apply(
            &mut after,
            &Op::AddEntry {
                from: 3,
                days: 9999,
            },
            1,
        );
        after.sort_entries();
        let spliced = splice(&before, &text, &after).expect("an append is spliced");
        assert_eq!(
            String::from_utf8(spliced).unwrap(),
            String::from_utf8(to_pretty_json(&after).unwrap()).unwrap()
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
