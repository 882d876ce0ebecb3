//! Corrupt and foreign ledger files: each gets a clear `error:` (or a safe,
//! documented behaviour), no panic, and is never overwritten by a failed command.

use std::path::Path;

use kith::core::model::{Direction, Ledger};
use serde_json::json;

use super::common::{assert_clean_failure, favour_entry, is_root, person, request_entry, stderr};
use crate::Env;

fn valid() -> Ledger {
    let mut ledger = Ledger::default();
    ledger
        .people
        .push(person("p-00000000000000a1", "Alice Smith"));
    ledger
        .people
        .push(person("p-00000000000000b2", "Bob Jones"));
    ledger.entries.push(favour_entry(
        "e-0000000000000001",
        "p-00000000000000a1",
        "2026-03-01",
        true,
        "an intro",
    ));
    ledger.entries.push(request_entry(
        "e-0000000000000002",
        "p-00000000000000b2",
        "2026-04-01",
        Direction::In,
    ));
    ledger
}

fn valid_text() -> String {
    String::from_utf8(kith::core::model::to_pretty_json(&valid()).unwrap()).unwrap()
}

/// Every command that writes, and one that only reads, on a broken file:
/// a clear error naming the file, and the bytes stay as they were.
fn assert_refused(env: &Env, case: &str, expected: &[&str]) {
    let before = std::fs::read(&env.ledger).ok();
    for args in [
        &["gave", "Alice Smith", "a favour", "--add"][..],
        &["add", "Carol"],
        &["log"],
        &["undo"],
    ] {
        let out = env.run(args);
        let what = format!("{case}: kith {}", args.join(" "));
        assert_clean_failure(&out, &what);
        let err = stderr(&out);
        assert!(
            err.contains("ledger.json"),
            "{what}: the error does not name the file: {err}"
        );
        for needle in expected {
            assert!(
                err.contains(needle),
                "{what}: expected `{needle}` in: {err}"
            );
        }
        assert_eq!(
            std::fs::read(&env.ledger).ok(),
            before,
            "{what}: the file was changed"
        );
    }
}

fn with_text(text: impl AsRef<[u8]>) -> Env {
    let env = Env::new();
    std::fs::create_dir_all(env.ledger.parent().unwrap()).unwrap();
    std::fs::write(&env.ledger, text).unwrap();
    env
}

#[test]
fn broken_contents_are_refused_and_kept() {
    let text = valid_text();
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        (
            "truncated",
            text.as_bytes()[..text.len() / 2].to_vec(),
            vec!["could not parse", "line"],
        ),
        (
            "invalid utf-8",
            {
                let mut bytes = text.clone().into_bytes();
                bytes[text.find("Alice").unwrap() + 2] = 0xFF;
                bytes
            },
            vec!["could not parse"],
        ),
        (
            "a json array",
            b"[1, 2, 3]\n".to_vec(),
            vec!["could not parse"],
        ),
        (
            "a json string",
            b"\"kith\"".to_vec(),
            vec!["could not parse"],
        ),
        ("zero bytes", Vec::new(), vec!["empty"]),
        ("only whitespace", b"\n  \n".to_vec(), vec!["empty"]),
        (
            "wrong type: people is a string",
            br#"{"kith": 1, "people": "Alice", "entries": []}"#.to_vec(),
            vec!["could not parse"],
        ),
        (
            "wrong type: weight is text",
            text.replacen("\"weight\": 2", "\"weight\": \"two\"", 1)
                .into_bytes(),
            vec!["could not parse"],
        ),
        (
            "wrong type: version is text",
            text.replacen("\"kith\": 1", "\"kith\": \"1\"", 1)
                .into_bytes(),
            vec!["could not parse"],
        ),
        (
            "duplicate person id",
            text.replace("p-00000000000000b2", "p-00000000000000a1")
                .into_bytes(),
            vec!["duplicate person id `p-00000000000000a1`"],
        ),
        (
            "duplicate entry id",
            text.replace("e-0000000000000002", "e-0000000000000001")
                .into_bytes(),
            vec!["duplicate entry id `e-0000000000000001`"],
        ),
        (
            "entry about a missing person",
            text.replacen(
                "\"person\": \"p-00000000000000b2\"",
                "\"person\": \"p-ffffffffffffffff\"",
                1,
            )
            .into_bytes(),
            vec![
                "e-0000000000000002",
                "p-ffffffffffffffff",
                "not in the ledger",
            ],
        ),
        (
            "written by a newer kith",
            text.replacen("\"kith\": 1", "\"kith\": 7", 1).into_bytes(),
            vec!["newer kith"],
        ),
        (
            "version zero",
            text.replacen("\"kith\": 1", "\"kith\": 0", 1).into_bytes(),
            vec!["not a kith ledger"],
        ),
        (
            "a huge number",
            text.replacen("\"kith\": 1", "\"kith\": 1e999", 1)
                .into_bytes(),
            vec!["could not parse"],
        ),
        (
            "deeply nested",
            format!(
                "{{\"kith\": 1, \"x\": {}{}}}",
                "[".repeat(100_000),
                "]".repeat(100_000)
            )
            .into_bytes(),
            vec!["could not parse"],
        ),
    ];
    for (case, bytes, expected) in cases {
        assert_ne!(bytes, text.as_bytes(), "{case}: the corruption did nothing");
        let env = with_text(&bytes);
        assert_refused(&env, case, &expected);
    }
}

#[test]
fn a_broken_ledger_points_at_the_backup() {
    let env = Env::with(&valid());
    env.ok(&["gave", "alice", "one more"]);
    let kept = std::fs::read(env.ledger.with_file_name("ledger.json.bak")).unwrap();
    std::fs::write(&env.ledger, b"{\"kith\": 1, \"people\": [").unwrap();
    let out = env.run(["gave", "alice", "another"]);
    assert_clean_failure(&out, "broken ledger with backup");
    assert!(stderr(&out).contains("ledger.json.bak"), "{}", stderr(&out));
    assert!(stderr(&out).contains("hint:"), "{}", stderr(&out));
    // A failed command does not rotate the backup either.
    assert_eq!(
        std::fs::read(env.ledger.with_file_name("ledger.json.bak")).unwrap(),
        kept
    );
}

#[test]
fn a_directory_where_the_ledger_should_be() {
    let env = Env::new();
    std::fs::create_dir_all(&env.ledger).unwrap();
    std::fs::write(env.ledger.join("keep.txt"), "mine").unwrap();
    for args in [&["add", "Carol"][..], &["log"]] {
        let out = env.run(args);
        assert_clean_failure(&out, "directory");
        assert!(stderr(&out).contains("directory"), "{}", stderr(&out));
    }
    assert!(env.ledger.is_dir());
    assert_eq!(
        std::fs::read_to_string(env.ledger.join("keep.txt")).unwrap(),
        "mine"
    );
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn an_unreadable_ledger_is_an_error_not_an_empty_ledger() {
    if is_root() {
        eprintln!("skipped: running as root, mode 000 does not stop root from reading");
        return;
    }
    let env = Env::with(&valid());
    set_mode(&env.ledger, 0o000);
    for args in [&["add", "Carol"][..], &["log"]] {
        let out = env.run(args);
        assert_clean_failure(&out, "mode 000");
        assert!(
            stderr(&out).contains("could not read ledger"),
            "{}",
            stderr(&out)
        );
    }
    set_mode(&env.ledger, 0o600);
    assert_eq!(env.load(), valid());
}

#[test]
fn a_read_only_folder_refuses_writes_and_still_reads() {
    if is_root() {
        eprintln!("skipped: running as root, a read-only folder does not stop root");
        return;
    }
    let env = Env::with(&valid());
    // The lock file exists from an earlier write, as it would in real use.
    env.ok(&["gave", "alice", "before"]);
    let before = env.bytes();
    let folder = env.ledger.parent().unwrap();
    set_mode(folder, 0o500);
    let out = env.run(["gave", "alice", "after"]);
    set_mode(folder, 0o700);
    assert_clean_failure(&out, "read-only folder");
    assert_eq!(env.bytes(), before);
    set_mode(folder, 0o500);
    let out = env.run(["log"]);
    set_mode(folder, 0o700);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_symlinked_ledger_is_written_through_and_the_link_kept() {
    let env = Env::new();
    let real_dir = env.dir.path().join("synced");
    std::fs::create_dir_all(&real_dir).unwrap();
    let target = real_dir.join("kith.json");
    std::fs::write(&target, valid_text()).unwrap();
    std::fs::create_dir_all(env.ledger.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("../synced/kith.json", &env.ledger).unwrap();

    env.ok(&["gave", "alice", "through the link"]);
    let link = std::fs::symlink_metadata(&env.ledger).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let written = kith::core::model::parse_ledger(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(written.entries.len(), 3);
    assert!(
        real_dir.join("kith.json.bak").exists(),
        "backup not beside the target"
    );
    env.ok(&["undo"]);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), valid_text());
    assert!(
        std::fs::symlink_metadata(&env.ledger)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_symlink_loop_is_an_error() {
    let env = Env::new();
    let folder = env.ledger.parent().unwrap();
    std::fs::create_dir_all(folder).unwrap();
    std::os::unix::fs::symlink("other.json", &env.ledger).unwrap();
    std::os::unix::fs::symlink("ledger.json", folder.join("other.json")).unwrap();
    let out = env.run(["add", "Carol"]);
    assert_clean_failure(&out, "symlink loop");
    assert!(
        std::fs::symlink_metadata(&env.ledger)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_corrupt_ledger_is_reported_with_line_and_column_and_left_alone() {
    let env = Env::new();
    env.ok(&["add", "Alice Smith"]);
    env.ok(&["met", "alice"]);
    let mut text = String::from_utf8(env.bytes().unwrap()).unwrap();
    text.truncate(text.len() / 2);
    env.write_ledger(&text);
    for args in [
        vec!["log"],
        vec!["gave", "alice", "x"],
        vec!["add", "Bob"],
        vec!["undo"],
    ] {
        let err = env.fails(&args);
        assert!(
            err.contains("could not parse ledger") && err.contains("line"),
            "{err}"
        );
        assert!(err.contains("column"), "{err}");
        assert!(err.contains("ledger.json.bak"), "{err}");
    }
    env.write_ledger("");
    assert!(env.fails(&["log"]).contains("empty"));
}

#[test]
fn a_newer_format_is_refused_untouched() {
    let env = Env::new();
    env.write_ledger(r#"{"kith": 2, "people": [], "entries": [], "future": {"x": 1}}"#);
    for args in [vec!["log"], vec!["add", "Bob"]] {
        assert!(env.fails(&args).contains("written by a newer kith"));
    }
    env.write_ledger(r#"{"kith": 7, "people": "a new shape"}"#);
    assert!(env.fails(&["people"]).contains("written by a newer kith"));
}

#[test]
fn unknown_fields_survive_a_write() {
    let env = Env::new();
    env.write_ledger(
        r#"{
  "kith": 1,
  "custom_top": {"a": [1, 2]},
  "settings": {"cadence_days": 60, "theme": "dark"},
  "people": [{"id": "p-0123456789abcdef", "name": "Ann Lee", "created": "2025-01-01T00:00:00Z",
              "updated": "2025-01-01T00:00:00Z", "pronouns": "she/her"}],
  "entries": [{"id": "e-0123456789abcdef", "person": "p-0123456789abcdef", "type": "met",
               "date": "2025-01-02", "how": "call", "recorded": "2025-01-02T00:00:00Z",
               "updated": "2025-01-02T00:00:00Z", "mood": "great"}]
}"#,
    );
    env.ok(&["gave", "ann", "a book", "--kind", "gift"]);
    let ledger = env.ledger_json();
    assert_eq!(ledger["custom_top"], json!({"a": [1, 2]}));
    assert_eq!(ledger["settings"]["theme"], "dark");
    assert_eq!(ledger["settings"]["cadence_days"], 60);
    assert_eq!(ledger["people"][0]["pronouns"], "she/her");
    assert_eq!(ledger["entries"][0]["mood"], "great");
    assert_eq!(ledger["entries"].as_array().unwrap().len(), 2);
}
