//! The ledger and everything kith keeps beside it is private to its owner:
//! files 0600, folders kith creates 0700, and no copy of the contents anywhere
//! but the ledger's own sidecars.

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;

use super::common::{Sandbox, mode};

#[test]
fn files_are_0600_and_created_folders_0700() {
    let sandbox = Sandbox::new();
    let ledger = sandbox
        .dir
        .path()
        .join("new")
        .join("nested")
        .join("ledger.json");
    let run = |args: &[&str]| {
        let out = sandbox
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

    assert_eq!(mode(&sandbox.dir.path().join("new")), 0o700);
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
    assert_eq!(std::fs::read_dir(&sandbox.home).unwrap().count(), 0);
}

#[test]
fn a_hand_made_world_readable_ledger_becomes_private_on_the_next_write() {
    let sandbox = Sandbox::new();
    sandbox.ok(["add", "Alice Smith"]);
    std::fs::set_permissions(&sandbox.ledger, std::fs::Permissions::from_mode(0o644)).unwrap();
    sandbox.ok(["gave", "alice", "an intro"]);
    assert_eq!(mode(&sandbox.ledger), 0o600);
    assert_eq!(
        mode(&sandbox.ledger.with_file_name("ledger.json.bak")),
        0o600
    );
}

#[test]
fn an_existing_folder_keeps_its_mode() {
    let sandbox = Sandbox::new();
    let folder = sandbox.ledger.parent().unwrap();
    std::fs::create_dir_all(folder).unwrap();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    sandbox.ok(["add", "Alice Smith"]);
    assert_eq!(
        mode(folder),
        0o755,
        "kith changed a folder it did not create"
    );
    assert_eq!(mode(&sandbox.ledger), 0o600);
}
