//! Hostile arguments for every subcommand: huge strings, control characters,
//! invalid UTF-8, empty strings, negative and enormous numbers, short and
//! ambiguous id prefixes, impossible dates. kith refuses them with `error:` and
//! exit 1 or 2, never panics, and leaves the ledger's bytes as they were.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::CommandFactory;
use kith::core::model::{Direction, Ledger};

use super::common::{
    assert_clean_failure, assert_no_panic, favour_entry, person, request_entry, stderr,
};
use crate::Env;

/// Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN), so "huge" is
/// just under that: still twelve times the longest text kith accepts.
const HUGE: usize = 120_000;

fn bad_text() -> Vec<OsString> {
    vec![
        "x".repeat(HUGE).into(),
        "é".repeat(HUGE / 2).into(),
        "\u{1b}[31mred".into(),
        "next\u{85}line".into(),
        OsString::from_vec(vec![b'f', 0xFF, 0xFE, b'o']),
        "".into(),
        "   ".into(),
    ]
}

fn with(mut base: Vec<OsString>, more: &[&str]) -> Vec<OsString> {
    base.extend(more.iter().map(OsString::from));
    base
}

fn bad_person() -> Vec<OsString> {
    with(
        bad_text(),
        &["Alice", "p-bbbb", "p-b", "Nobody At All", "-1"],
    )
}

fn bad_id() -> Vec<OsString> {
    with(
        bad_text(),
        &[
            "e-a",
            "e-aaaa",
            "e-ffff",
            "-1",
            "18446744073709551616",
            "p-bbbb0000000000a1",
        ],
    )
}

fn bad_number() -> Vec<OsString> {
    with(
        bad_text(),
        &[
            "-1",
            "0",
            "36501",
            "-9223372036854775809",
            "18446744073709551616",
            "1.5",
            "NaN",
        ],
    )
}

fn bad_weight() -> Vec<OsString> {
    with(bad_number(), &["6", "255", "256", "65537"])
}

fn bad_date() -> Vec<OsString> {
    with(
        bad_text(),
        &[
            "0000-01-01",
            "9999-12-31",
            "2026-02-30",
            "2026-1-1",
            "+275760-09-13",
            "1899-12-31",
            "99999999999 days ago",
            "2147483647 years ago",
            "in 99999999 years",
        ],
    )
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Expect {
    /// A write that must be refused: exit 1 or 2, `error:`, bytes unchanged.
    Refused,
    /// A write some of these values may pass (a far-future snooze); when it
    /// fails it must fail cleanly and change nothing.
    Either,
    /// A read: any clean outcome, and the bytes never change.
    Read,
}

use Expect::{Either, Read, Refused};

const ALICE: &str = "p-bbbb0000000000a1";
const FAVOUR: &str = "e-aaaa000000000001";
const REQUEST_IN: &str = "e-aaaa000000000002";
const REQUEST_OUT: &str = "e-dddd000000000003";

fn ledger() -> Ledger {
    let mut ledger = Ledger::default();
    ledger.people.push(person(ALICE, "Alice Smith"));
    ledger
        .people
        .push(person("p-bbbb0000000000a2", "Alice Jones"));
    ledger
        .people
        .push(person("p-cccc0000000000b3", "Bob Jones"));
    ledger.entries.push(favour_entry(
        FAVOUR,
        "p-cccc0000000000b3",
        "2026-03-01",
        true,
        "an intro",
    ));
    ledger.entries.push(request_entry(
        REQUEST_IN,
        "p-cccc0000000000b3",
        "2026-04-01",
        Direction::In,
    ));
    ledger.entries.push(request_entry(
        REQUEST_OUT,
        "p-cccc0000000000b3",
        "2026-05-01",
        Direction::Out,
    ));
    ledger
}

/// Each row: the arguments with `{}` where the hostile value goes, the values
/// to try there, and what must happen.
/// Arguments with `{}` for the hostile value, the values to try, the outcome.
type Row = (Vec<&'static str>, fn() -> Vec<OsString>, Expect);

fn table() -> Vec<Row> {
    vec![
        (vec!["add", "{}"], bad_text, Refused),
        (vec!["add", "Carol", "--alias", "{}"], bad_text, Refused),
        (vec!["add", "Carol", "--email", "{}"], bad_text, Refused),
        (vec!["add", "Carol", "--org", "{}"], bad_text, Refused),
        (vec!["add", "Carol", "--tag", "{}"], bad_text, Refused),
        (vec!["add", "Carol", "--how-met", "{}"], bad_text, Refused),
        (vec!["add", "Carol", "--note", "{}"], bad_text, Refused),
        (vec!["add", "Carol", "--met-on", "{}"], bad_date, Refused),
        (vec!["add", "Carol", "--cadence", "{}"], bad_number, Refused),
        (vec!["people", "--tag", "{}"], bad_text, Read),
        (vec!["ls", "{}"], bad_text, Read),
        (vec!["people", "--search", "{}"], bad_text, Read),
        (vec!["show", "{}"], bad_person, Refused),
        (vec!["edit", "{}", "--org", "Acme"], bad_person, Refused),
        (vec!["edit", "Bob", "--name", "{}"], bad_text, Refused),
        (vec!["edit", "Bob", "--alias", "{}"], bad_text, Refused),
        (vec!["edit", "Bob", "--email", "{}"], bad_text, Refused),
        (vec!["edit", "Bob", "--tag", "{}"], bad_text, Refused),
        (vec!["edit", "Bob", "--org", "{}"], bad_text, Either),
        (vec!["edit", "Bob", "--note", "{}"], bad_text, Either),
        (vec!["edit", "Bob", "--met-on", "{}"], bad_date, Refused),
        (vec!["edit", "Bob", "--cadence", "{}"], bad_number, Refused),
        (vec!["snooze", "{}"], bad_person, Refused),
        (vec!["snooze", "Bob", "--until", "{}"], bad_date, Either),
        (vec!["snooze", "Bob", "--for", "{}"], bad_number, Refused),
        (vec!["unsnooze", "{}"], bad_person, Refused),
        (vec!["need", "{}", "a job"], bad_person, Refused),
        (vec!["need", "Bob", "{}"], bad_text, Refused),
        (vec!["need", "Bob", "--done", "{}"], bad_id, Refused),
        (vec!["flag", "{}"], bad_person, Refused),
        (vec!["flag", "Bob", "--reason", "{}"], bad_text, Refused),
        (vec!["unflag", "{}"], bad_person, Refused),
        (vec!["archive", "{}"], bad_person, Refused),
        (vec!["unarchive", "{}"], bad_person, Refused),
        (vec!["forget", "{}", "--yes"], bad_person, Refused),
        (vec!["gave", "{}", "x"], bad_person, Refused),
        (vec!["gave", "Bob", "{}"], bad_text, Refused),
        (vec!["gave", "Bob", "x", "--kind", "{}"], bad_text, Refused),
        (
            vec!["gave", "Bob", "x", "--weight", "{}"],
            bad_weight,
            Refused,
        ),
        (vec!["gave", "Bob", "x", "--date", "{}"], bad_date, Refused),
        (vec!["gave", "Bob", "x", "--for", "{}"], bad_id, Refused),
        (vec!["gave", "{}", "x", "--add"], bad_text, Refused),
        (vec!["got", "{}", "x"], bad_person, Refused),
        (vec!["got", "Bob", "x", "--for", "{}"], bad_id, Refused),
        (vec!["met", "{}"], bad_person, Refused),
        (vec!["met", "Bob", "{}"], bad_text, Refused),
        (vec!["met", "Bob", "--how", "{}"], bad_text, Refused),
        (vec!["met", "Bob", "--date", "{}"], bad_date, Refused),
        (vec!["asked", "{}", "x"], bad_person, Refused),
        (vec!["asked", "Bob", "{}"], bad_text, Refused),
        (vec!["asked", "Bob", "x", "--date", "{}"], bad_date, Refused),
        (vec!["ask", "{}", "x"], bad_person, Refused),
        (vec!["ask", "Bob", "{}"], bad_text, Refused),
        (vec!["ask", "Bob", "x", "--date", "{}"], bad_date, Refused),
        (
            vec!["intro", "{}", "Bob", "x", "--anyway"],
            bad_person,
            Refused,
        ),
        (
            vec!["intro", "Alice Smith", "{}", "x", "--anyway"],
            bad_person,
            Refused,
        ),
        (
            vec!["intro", "Alice Smith", "Bob", "{}", "--anyway"],
            bad_text,
            Refused,
        ),
        (
            vec![
                "intro",
                "Alice Smith",
                "Bob",
                "x",
                "--anyway",
                "--date",
                "{}",
            ],
            bad_date,
            Refused,
        ),
        (vec!["decline", "{}"], bad_id, Refused),
        (
            vec!["decline", REQUEST_IN, "--note", "{}"],
            bad_text,
            Refused,
        ),
        (vec!["nudge", "{}"], bad_id, Refused),
        (
            vec!["nudge", REQUEST_OUT, "--date", "{}"],
            bad_date,
            Refused,
        ),
        (vec!["lapse", "{}"], bad_id, Refused),
        (vec!["rm", "{}"], bad_id, Refused),
        (vec!["amend", "{}", "--what", "y"], bad_id, Refused),
        (vec!["amend", FAVOUR, "--what", "{}"], bad_text, Refused),
        (vec!["amend", FAVOUR, "--date", "{}"], bad_date, Refused),
        (vec!["amend", FAVOUR, "--kind", "{}"], bad_text, Refused),
        (vec!["amend", FAVOUR, "--weight", "{}"], bad_weight, Refused),
        (vec!["amend", FAVOUR, "--how", "{}"], bad_text, Refused),
        (vec!["amend", FAVOUR, "--note", "{}"], bad_text, Refused),
        (vec!["log", "{}"], bad_person, Read),
        (vec!["log", "--since", "{}"], bad_date, Read),
        (vec!["log", "--until", "{}"], bad_date, Read),
        (vec!["log", "--type", "{}"], bad_text, Read),
        (vec!["log", "-n", "{}"], bad_number, Read),
        (vec!["balance", "{}"], bad_text, Read),
        (vec!["undo", "{}"], bad_text, Refused),
        (vec!["check", "{}"], bad_person, Read),
        (vec!["who", "-n", "{}"], bad_number, Read),
        (vec!["who", "--tag", "{}"], bad_text, Read),
        (vec!["followups", "{}"], bad_text, Read),
        (vec!["review", "{}"], bad_text, Read),
        (vec!["requests", "{}"], bad_text, Read),
        (vec!["requests", "--in", "{}"], bad_text, Read),
        (vec!["report", "--since", "{}"], bad_date, Read),
        (vec!["report", "--until", "{}"], bad_date, Read),
        (vec!["report", "--format", "{}"], bad_text, Read),
        (vec!["stats", "{}"], bad_text, Read),
        (vec!["doctor", "{}"], bad_text, Read),
        (vec!["config", "{}"], bad_text, Read),
        (vec!["config", "{}", "30"], bad_text, Refused),
        (vec!["config", "cadence_days", "{}"], bad_number, Refused),
        (
            vec!["config", "tag_cadence.family", "{}"],
            bad_number,
            Refused,
        ),
        (vec!["config", "priority_tags", "{}"], bad_text, Either),
        (
            vec!["merge", "{}", "data/ledger.json", "data/ledger.json"],
            bad_text,
            Either,
        ),
        (
            vec!["merge", "data/ledger.json", "{}", "data/ledger.json"],
            bad_text,
            Refused,
        ),
        (
            vec!["merge", "data/ledger.json", "data/ledger.json", "{}"],
            bad_text,
            Refused,
        ),
        (vec!["merge-people", "{}", "Bob"], bad_person, Refused),
        (vec!["merge-people", "Bob", "{}"], bad_person, Refused),
        (vec!["sync", "{}"], bad_text, Read),
        (vec!["import", "{}", "data/ledger.json"], bad_text, Refused),
        (vec!["import", "vcard", "{}"], bad_text, Refused),
        (
            vec!["import", "google", "{}", "--dry-run"],
            bad_text,
            Refused,
        ),
        (
            vec!["import", "csv", "data/ledger.json", "--column", "{}"],
            bad_text,
            Either,
        ),
        (
            vec!["import", "vcard", "data/ledger.json", "--tag", "{}"],
            bad_text,
            Either,
        ),
        (vec!["export", "{}"], bad_text, Read),
        (vec!["export", "json", "-o", "{}"], bad_text, Read),
        (vec!["completions", "{}"], bad_text, Read),
        (vec!["man", "{}"], bad_text, Read),
        (vec!["--today", "{}", "gave", "Bob", "x"], bad_date, Either),
        (vec!["--today", "{}", "log"], bad_date, Read),
        (vec!["--color", "{}", "log"], bad_text, Read),
        (vec!["{}"], bad_text, Read),
    ]
}

#[test]
fn every_subcommand_has_hostile_rows() {
    let table = table();
    let missing: Vec<String> = kith::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .filter(|name| {
            !table
                .iter()
                .any(|(args, _, _)| args.contains(&name.as_str()))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "add rows for {missing:?} to the hostile-argument table in tests/cli/safety/hostile.rs"
    );
}

#[test]
fn hostile_arguments_are_refused_cleanly_and_change_nothing() {
    let base = ledger();
    let cases: Vec<(Vec<OsString>, Expect)> = table()
        .into_iter()
        .flat_map(|(args, values, expect)| {
            values().into_iter().map(move |value| {
                let argv = args
                    .iter()
                    .map(|a| {
                        if *a == "{}" {
                            value.clone()
                        } else {
                            OsString::from(a)
                        }
                    })
                    .collect();
                (argv, expect)
            })
        })
        .collect();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let refused = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| {
                while let Some((argv, expect)) = cases.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let env = Env::with(&base);
                    let before = env.bytes();
                    let out = env.cmd().args(argv).output().unwrap();
                    let shown: Vec<String> = argv
                        .iter()
                        .map(|a| {
                            let text = a.to_string_lossy();
                            if text.len() > 40 {
                                format!("<{} bytes>", a.len())
                            } else {
                                format!("{text:?}")
                            }
                        })
                        .collect();
                    let what = format!("kith {}", shown.join(" "));
                    let result = std::panic::catch_unwind(|| {
                        assert_no_panic(&out, &what);
                        let changed = env.bytes() != before;
                        match expect {
                            Refused => {
                                assert_clean_failure(&out, &what);
                                assert!(!changed, "{what}: a refused command changed the ledger");
                            }
                            Read => {
                                if !out.status.success() {
                                    assert_clean_failure(&out, &what);
                                }
                                assert!(!changed, "{what}: a read changed the ledger");
                            }
                            Either => {
                                if out.status.success() {
                                    env.load();
                                } else {
                                    assert_clean_failure(&out, &what);
                                    assert!(
                                        !changed,
                                        "{what}: a failed command changed the ledger"
                                    );
                                }
                            }
                        }
                    });
                    if !out.status.success() {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                    if let Err(err) = result {
                        let message = err
                            .downcast_ref::<String>()
                            .cloned()
                            .unwrap_or_else(|| format!("{what}: {}", stderr(&out)));
                        failures.lock().unwrap().push(message);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    eprintln!(
        "{} hostile invocations, {} refused",
        cases.len(),
        refused.load(Ordering::Relaxed)
    );
    assert!(
        failures.is_empty(),
        "{} of {} hostile invocations misbehaved:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
