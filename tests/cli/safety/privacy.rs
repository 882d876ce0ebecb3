//! The ledger and everything kith keeps beside it is private to its owner:
//! files 0600, folders kith creates 0700, and no copy of the contents anywhere
//! but the ledger's own sidecars.

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;

use serde_json::json;

use crate::{Env, mode};

#[test]
fn files_are_0600_and_created_folders_0700() {
    let env = Env::new();
    let ledger = env
        .dir
        .path()
        .join("new")
        .join("nested")
        .join("ledger.json");
    let run = |args: &[&str]| {
        let out = env
            .cmd()
            .env("KITH_LEDGER", &ledger)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["add", "Alice Smith", "--note", "secret: owes me a favour"]);
    run(&["gave", "alice", "an intro"]);
    run(&["met", "alice", "coffee talk"]);
    run(&["undo"]);

    assert_eq!(mode(&env.dir.path().join("new")), 0o700);
    assert_eq!(mode(ledger.parent().unwrap()), 0o700);
    let names: BTreeSet<String> = std::fs::read_dir(ledger.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = [
        "ledger.json",
        "ledger.json.bak",
        "ledger.json.lock",
        "ledger.json.snap",
        "ledger.json.undo",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(names, expected, "kith left other files beside the ledger");
    for name in &names {
        assert_eq!(
            mode(&ledger.with_file_name(name)),
            0o600,
            "{name} is not 0600"
        );
    }
    // Nothing was written under HOME (no cache, no copy, no log).
    assert_eq!(std::fs::read_dir(&env.home).unwrap().count(), 0);
}

#[test]
fn a_hand_made_world_readable_ledger_becomes_private_on_the_next_write() {
    let env = Env::new();
    env.ok(&["add", "Alice Smith"]);
    std::fs::set_permissions(&env.ledger, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.ok(&["gave", "alice", "an intro"]);
    assert_eq!(mode(&env.ledger), 0o600);
    assert_eq!(mode(&env.ledger.with_file_name("ledger.json.bak")), 0o600);
}

#[test]
fn an_existing_folder_keeps_its_mode() {
    let env = Env::new();
    let folder = env.ledger.parent().unwrap();
    std::fs::create_dir_all(folder).unwrap();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    env.ok(&["add", "Alice Smith"]);
    assert_eq!(
        mode(folder),
        0o755,
        "kith changed a folder it did not create"
    );
    assert_eq!(mode(&env.ledger), 0o600);
}

#[test]
fn read_commands_never_create_the_ledger() {
    let env = Env::new();
    assert_eq!(env.json(&["people"]), json!([]));
    assert_eq!(env.json(&["log"]), json!([]));
    assert_eq!(env.json(&["balance"]), json!([]));
    assert!(env.ok(&["people"]).contains("no one here yet"));
    assert!(env.bytes().is_none());
    assert!(!env.ledger.parent().unwrap().exists());
}

#[test]
fn the_ledger_file_is_private_and_backed_up() {
    let env = Env::new();
    env.ok(&["add", "Alice Smith"]);
    assert_eq!(mode(&env.ledger), 0o600);
    assert_eq!(mode(env.ledger.parent().unwrap()), 0o700);
    let first = env.bytes().unwrap();
    env.ok(&["gave", "alice", "intro", "--kind", "intro"]);
    let backup = env.ledger.with_file_name("ledger.json.bak");
    assert_eq!(std::fs::read(&backup).unwrap(), first);
    assert_eq!(mode(&backup), 0o600);
    // Entries are kept sorted by date, and the file ends with a newline.
    env.ok(&["got", "alice", "older favour", "--date", "2025-01-01"]);
    let ledger = env.ledger_json();
    assert_eq!(ledger["entries"][0]["what"], "older favour");
    assert_eq!(ledger["kith"], 1);
    assert!(env.bytes().unwrap().ends_with(b"}\n"));
}
