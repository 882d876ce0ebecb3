//! The person matcher over a small ledger with fuzzed names, aliases, emails
//! and query: one person, or an error (ambiguous / not found), never a panic.
#![no_main]

use arbitrary::Arbitrary;
use chrono::{DateTime, Utc};
use kith::core::model::{Ledger, Person};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct FuzzPerson {
    name: String,
    aliases: Vec<String>,
    emails: Vec<String>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    people: Vec<FuzzPerson>,
    query: String,
}

fuzz_target!(|input: Input| {
    let mut ledger = Ledger::default();
    for (n, fuzzed) in input.people.into_iter().take(16).enumerate() {
        let mut person = Person::new(
            format!("p-{n:016x}"),
            fuzzed.name,
            DateTime::<Utc>::UNIX_EPOCH,
        );
        person.aliases = fuzzed.aliases;
        person.emails = fuzzed.emails;
        ledger.people.push(person);
    }
    if let Ok(person) = kith::core::ledger::find_person(&ledger, &input.query) {
        assert!(ledger.people.iter().any(|p| p.id == person.id));
    }
    let _ = kith::core::ledger::find_entry(&ledger, &input.query);
});
