//! Each error kind exits with its documented code (README "Exit codes"):
//! 2 usage, 3 not found or ambiguous, 4 ledger unreadable, 5 busy. Every
//! failure also leaves the ledger byte for byte as it was and prints `error:`.

use std::fs::OpenOptions;

use super::{Env, newest_entry};

fn with_people() -> Env {
    let env = Env::new();
    env.ok(&["add", "Ann Lee"]);
    env.ok(&["add", "Ann Smith"]);
    env.ok(&["add", "Bob Stone"]);
    env.ok(&["gave", "bob", "a book"]);
    env
}

#[test]
fn usage_errors_exit_2() {
    let env = with_people();
    env.fails_with(2, &["gave", "bob", "x", "--no-such-flag"]);
    env.fails_with(2, &["frobnicate"]);
    let err = env.fails_with(2, &["gave", "bob", "x", "--weight", "9"]);
    assert!(err.contains("weight"), "{err}");
    let err = env.fails_with(2, &["gave", "bob", "x", "--weight", "heavy"]);
    assert!(err.contains("weight"), "{err}");
    let err = env.fails_with(2, &["config", "colour"]);
    assert!(err.contains("unknown setting `colour`"), "{err}");
    assert!(err.contains("\nhint: settings are"), "{err}");
}

#[test]
fn an_unknown_person_exits_3() {
    let env = with_people();
    let err = env.fails_with(3, &["gave", "zed", "a book"]);
    assert!(err.contains("zed"), "{err}");
    env.fails_with(3, &["show", "zed"]);
}

#[test]
fn an_ambiguous_person_exits_3() {
    let env = with_people();
    let err = env.fails_with(3, &["gave", "ann", "a book"]);
    assert!(
        err.contains("Ann Lee") && err.contains("Ann Smith"),
        "{err}"
    );
}

#[test]
fn an_unknown_entry_id_exits_3() {
    let env = with_people();
    let real = newest_entry(&env);
    assert!(real.starts_with("e-"), "{real}");
    env.fails_with(3, &["rm", "e-ffffffffffffffff"]);
    env.fails_with(3, &["amend", "e-ffffffffffffffff", "--what", "x"]);
}

#[test]
fn a_corrupt_ledger_exits_4() {
    let env = with_people();
    let mut text = String::from_utf8(env.bytes().unwrap()).unwrap();
    text.truncate(text.len() / 2);
    env.write_ledger(&text);
    for args in [&["log"][..], &["gave", "bob", "x"], &["undo"]] {
        let err = env.fails_with(4, args);
        assert!(err.contains("could not parse ledger"), "{err}");
    }
    env.write_ledger("not json at all");
    env.fails_with(4, &["people"]);
}

#[test]
fn a_newer_format_ledger_exits_4() {
    let env = Env::new();
    env.write_ledger(r#"{"kith": 2, "people": [], "entries": []}"#);
    let err = env.fails_with(4, &["people"]);
    assert!(err.contains("written by a newer kith"), "{err}");
    assert!(err.contains("\nhint: upgrade kith"), "{err}");
    env.fails_with(4, &["add", "Bob"]);
}

#[test]
fn a_lock_wait_that_times_out_exits_5() {
    let env = with_people();
    let lock = OpenOptions::new()
        .read(true)
        .write(true)
        .open(env.ledger.with_file_name("ledger.json.lock"))
        .unwrap();
    lock.lock().unwrap();
    let before = env.bytes();
    let out = env
        .cmd()
        .env("KITH_LOCK_TIMEOUT_MS", "100")
        .args(["gave", "bob", "an intro"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("error:") && err.contains("giving up"), "{err}");
    assert_eq!(env.bytes(), before);
    drop(lock);
    env.ok(&["gave", "bob", "an intro"]);
}
