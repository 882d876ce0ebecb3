//! Shared helpers of the safety tests: assertions on a failed run, and
//! ledgers built in memory with fixed ids. The harness is [`crate::Env`].

use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::{DateTime, NaiveDate, Utc};
use kith::core::model::{Detail, Direction, Entry, Favour, Kind, Person, Request, Status};

/// Asserts a failed run: an exit code from 1 to 5, `error:` on stderr, and no panic.
pub fn assert_clean_failure(out: &Output, what: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_no_panic(out, what);
    let code = out.status.code();
    assert!(
        matches!(code, Some(1..=5)),
        "{what}: expected an exit code from 1 to 5, got {code:?}; stderr: {stderr}"
    );
    assert!(
        stderr.contains("error:"),
        "{what}: no `error:` on stderr: {stderr}"
    );
}

pub fn assert_no_panic(out: &Output, what: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "{what}: kith panicked: {stderr}"
    );
    assert!(
        out.status.code().is_some_and(|c| c != 101),
        "{what}: kith died: {:?}; stderr: {stderr}",
        out.status
    );
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn at(day: &str) -> DateTime<Utc> {
    format!("{day}T12:00:00Z").parse().unwrap()
}

pub fn date(day: &str) -> NaiveDate {
    day.parse().unwrap()
}

pub fn person(id: &str, name: &str) -> Person {
    Person::new(id.to_string(), name.to_string(), at("2026-01-01"))
}

pub fn favour_entry(id: &str, person: &str, day: &str, gave: bool, what: &str) -> Entry {
    let favour = Favour {
        what: what.to_string(),
        kind: Kind::Help,
        weight: 2,
        resolves: None,
    };
    Entry {
        source_id: None,
        id: id.to_string(),
        person: person.to_string(),
        date: date(day),
        recorded: at(day),
        updated: at(day),
        detail: if gave {
            Detail::Gave(favour)
        } else {
            Detail::Got(favour)
        },
        extra: Default::default(),
    }
}

pub fn request_entry(id: &str, person: &str, day: &str, direction: Direction) -> Entry {
    Entry {
        source_id: None,
        id: id.to_string(),
        person: person.to_string(),
        date: date(day),
        recorded: at(day),
        updated: at(day),
        detail: Detail::Ask(Request {
            what: "a reference".to_string(),
            direction,
            status: Status::Open,
            nudges: Vec::new(),
            note: None,
        }),
        extra: Default::default(),
    }
}

/// Files in `dir` whose names start with kith's temp prefix.
pub fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".kith-tmp-"))
        .map(|e| e.path())
        .collect()
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}
