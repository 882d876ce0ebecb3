//! `kith sync` racing writers (issue 12, problem 1): four writers log 50
//! favours each on machine A while another process runs `kith sync` there in
//! a loop, against a bare remote that machine B keeps pushing to. After a
//! final sync of both machines, every write that exited 0 is in both ledgers,
//! and a reader running beside them never saw a missing or empty ledger.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;

use crate::sync::{World, text};

const WRITERS: usize = 4;
const WRITES_EACH: usize = 50;

fn whats(path: &Path) -> BTreeSet<String> {
    let ledger: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["what"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn writes_racing_a_sync_loop_are_never_lost() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipping: git is not installed");
        return;
    }
    let w = World::new();
    let remote = w.root.join("remote.git");
    let remote = remote.to_str().unwrap();
    w.git(&["init", "--quiet", "--bare", remote]);
    w.git(&["clone", "--quiet", remote, "A"]);
    w.git(&["clone", "--quiet", remote, "B"]);
    w.kith("A", &["sync", "init"]);
    w.kith("A", &["add", "Alice Smith"]);
    w.kith("A", &["sync"]);
    w.kith("B", &["sync", "init"]);
    w.kith("B", &["sync"]);

    let done = AtomicBool::new(false);
    let succeeded = Mutex::new(Vec::<String>::new());
    let reader_saw = Mutex::new(Vec::<String>::new());

    std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|writer| {
                let (w, succeeded) = (&w, &succeeded);
                scope.spawn(move || {
                    for n in 0..WRITES_EACH {
                        let what = format!("a{writer}-{n}");
                        if w.kith_raw("A", &["gave", "alice", &what]).status.success() {
                            succeeded.lock().unwrap().push(what);
                        }
                    }
                })
            })
            .collect();
        // Machine A syncs in a loop; failures (a push that lost a race) are allowed.
        scope.spawn(|| {
            while !done.load(Ordering::SeqCst) {
                let _ = w.kith_raw("A", &["sync"]);
            }
        });
        // Machine B keeps logging and pushing, so A's syncs keep merging.
        scope.spawn(|| {
            let mut n = 0;
            while !done.load(Ordering::SeqCst) {
                let what = format!("b-{n}");
                n += 1;
                if w.kith_raw("B", &["gave", "alice", &what]).status.success() {
                    succeeded.lock().unwrap().push(what);
                }
                let _ = w.kith_raw("B", &["sync"]);
            }
        });
        // A reader on A: the file is always there and whole, and kith finds Alice.
        scope.spawn(|| {
            while !done.load(Ordering::SeqCst) {
                match std::fs::read(w.ledger("A")) {
                    Ok(bytes) => {
                        let parsed: Result<Value, _> = serde_json::from_slice(&bytes);
                        let has_alice = parsed
                            .as_ref()
                            .is_ok_and(|v| v["people"].as_array().is_some_and(|p| !p.is_empty()));
                        if !has_alice {
                            reader_saw.lock().unwrap().push(format!(
                                "ledger file of {} bytes without Alice",
                                bytes.len()
                            ));
                        }
                    }
                    Err(err) => reader_saw
                        .lock()
                        .unwrap()
                        .push(format!("read failed: {err}")),
                }
                let out = w.kith_raw("A", &["show", "alice", "--json"]);
                if !out.status.success() {
                    reader_saw
                        .lock()
                        .unwrap()
                        .push(format!("`kith show alice` failed: {}", text(&out.stderr)));
                }
            }
        });
        for writer in writers {
            writer.join().unwrap();
        }
        done.store(true, Ordering::SeqCst);
    });

    // Settle: each machine syncs until both hold the same entries.
    for machine in ["A", "B", "A", "B"] {
        w.kith(machine, &["sync"]);
    }
    let succeeded = succeeded.into_inner().unwrap();
    assert!(
        succeeded.len() >= WRITERS * WRITES_EACH / 2,
        "too few writes succeeded"
    );
    for machine in ["A", "B"] {
        let present = whats(&w.ledger(machine));
        let lost: Vec<&String> = succeeded.iter().filter(|w| !present.contains(*w)).collect();
        assert!(
            lost.is_empty(),
            "{machine} lost {} of {} successful writes: {lost:?}",
            lost.len(),
            succeeded.len()
        );
    }
    // The loop must really have merged B's pushes while A's writers wrote:
    // each merge kith makes moves A's branch with this reflog message.
    let reflog = Command::new("git")
        .args([
            "-C",
            w.root.join("A").to_str().unwrap(),
            "reflog",
            "--format=%gs",
        ])
        .output()
        .unwrap();
    let merges = text(&reflog.stdout).matches("kith sync: merge").count();
    assert!(merges >= 1, "A's syncs never merged");
    let reader_saw = reader_saw.into_inner().unwrap();
    assert!(reader_saw.is_empty(), "readers saw: {reader_saw:?}");
    eprintln!(
        "{} successful writes, all in both ledgers; {merges} merges on A",
        succeeded.len()
    );
}

/// Two machines set up as in the race: A shares Alice, B has synced.
fn two_machines() -> World {
    let w = World::new();
    let remote = w.root.join("remote.git");
    let remote = remote.to_str().unwrap();
    w.git(&["init", "--quiet", "--bare", remote]);
    w.git(&["clone", "--quiet", remote, "A"]);
    w.git(&["clone", "--quiet", remote, "B"]);
    w.kith("A", &["sync", "init"]);
    w.kith("A", &["add", "Alice Smith"]);
    w.kith("A", &["sync"]);
    w.kith("B", &["sync", "init"]);
    w.kith("B", &["sync"]);
    w
}

fn append(path: &Path, line: &str) {
    let mut text = std::fs::read_to_string(path).unwrap_or_default();
    text.push_str(line);
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_sync_whose_merge_fails_keeps_every_write_and_says_what_happened() {
    if Command::new("git").arg("--version").output().is_err() {
        return;
    }
    let w = two_machines();
    // Both machines change the same line of .gitignore: git cannot merge it.
    append(&w.root.join("B/.gitignore"), "only-on-b\n");
    w.kith("B", &["gave", "alice", "from b"]);
    w.kith("B", &["sync"]);
    append(&w.root.join("A/.gitignore"), "only-on-a\n");
    w.kith("A", &["gave", "alice", "from a"]);
    let head_before = text(
        &Command::new("git")
            .args([
                "-C",
                w.root.join("A").to_str().unwrap(),
                "rev-parse",
                "HEAD",
            ])
            .output()
            .unwrap()
            .stdout,
    );
    let out = w.kith_raw("A", &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("`.gitignore`")
            && err.contains("nothing was merged")
            && err.contains("holds every change"),
        "{err}"
    );
    assert!(!err.contains("nothing was changed"), "{err}");
    // The write that succeeded is in the ledger; no merge is left half done.
    assert!(whats(&w.ledger("A")).contains("from a"));
    assert!(!w.root.join("A/.git/MERGE_HEAD").exists());
    let head_after = text(
        &Command::new("git")
            .args([
                "-C",
                w.root.join("A").to_str().unwrap(),
                "log",
                "-1",
                "--format=%s",
            ])
            .output()
            .unwrap()
            .stdout,
    );
    assert!(
        head_after.starts_with("kith: 1 entry added"),
        "{head_after} (was {head_before})"
    );
    // kith keeps working on the ledger meanwhile.
    w.kith("A", &["gave", "alice", "after the failed sync"]);
    assert!(whats(&w.ledger("A")).contains("after the failed sync"));
}

#[test]
fn sync_says_how_many_problems_a_merge_brought_in() {
    if Command::new("git").arg("--version").output().is_err() {
        return;
    }
    let w = two_machines();
    // B's ledger gains two people the rules forbid (a hand edit), and B syncs.
    let mut ledger: Value = serde_json::from_slice(&std::fs::read(w.ledger("B")).unwrap()).unwrap();
    for (id, name) in [
        ("p-00000000000000f1", "Ev\u{1b}[2Jil"),
        ("p-00000000000000f2", " "),
    ] {
        ledger["people"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "id": id, "name": name,
                "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"
            }));
    }
    std::fs::write(w.ledger("B"), serde_json::to_vec_pretty(&ledger).unwrap()).unwrap();
    w.kith("B", &["sync"]);
    w.kith("A", &["gave", "alice", "meanwhile"]);
    let out = w.kith_raw("A", &["sync"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("brought in 2 problems") && err.contains("kith doctor"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'), "{err}");
}
