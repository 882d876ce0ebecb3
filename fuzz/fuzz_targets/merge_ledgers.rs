//! The three-way merge over small ledgers drawn from a shared pool of ids (so
//! sides overlap, add, change and delete the same records): the merged ledger
//! must be one kith can load again, with no duplicate ids and no entry about a
//! missing person, because the store refuses such a file at load.
#![no_main]

use arbitrary::Arbitrary;
use chrono::{DateTime, Days, NaiveDate, Utc};
use kith::core::model::{Detail, Entry, Favour, Kind, Ledger, Person};
use kith::core::model::{parse_ledger, to_pretty_json};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Side {
    people: Vec<(u8, u8)>,
    entries: Vec<(u8, u8, u8, u8)>,
}

fn build(side: &Side) -> Ledger {
    let mut ledger = Ledger::default();
    for &(id, name) in side.people.iter().take(8) {
        let id = format!("p-{:016x}", id % 4);
        if ledger.person(&id).is_none() {
            let person = Person::new(
                id,
                format!("Name {}", name % 3),
                DateTime::<Utc>::UNIX_EPOCH,
            );
            ledger.people.push(person);
        }
    }
    for &(id, who, weight, day) in side.entries.iter().take(12) {
        let id = format!("e-{:016x}", id % 6);
        let Some(person) = ledger
            .people
            .get(usize::from(who) % ledger.people.len().max(1))
        else {
            continue;
        };
        if ledger.entry(&id).is_some() {
            continue;
        }
        let date = NaiveDate::from_ymd_opt(2026, 1, 1)
            .and_then(|d| d.checked_add_days(Days::new(u64::from(day % 5))))
            .unwrap_or_default();
        let entry = Entry {
            source_id: None,
            id,
            person: person.id.clone(),
            date,
            recorded: DateTime::<Utc>::UNIX_EPOCH,
            updated: DateTime::<Utc>::UNIX_EPOCH,
            detail: Detail::Gave(Favour {
                what: format!("favour {}", weight % 3),
                kind: Kind::Help,
                weight: 1 + weight % 5,
                resolves: None,
            }),
            extra: Default::default(),
        };
        ledger.entries.push(entry);
    }
    ledger
}

fuzz_target!(|sides: (Side, Side, Side)| {
    let (base, ours, theirs) = (build(&sides.0), build(&sides.1), build(&sides.2));
    let merged = kith::core::merge::merge(&base, &ours, &theirs).ledger;
    if let Err(problem) = merged.check_integrity() {
        panic!("the merge made a ledger kith refuses to load: {problem}");
    }
    let Ok(bytes) = to_pretty_json(&merged) else {
        panic!("the merged ledger could not be saved")
    };
    if let Err(err) = parse_ledger(&bytes) {
        panic!("the merged ledger does not load: {err:?}");
    }
});
