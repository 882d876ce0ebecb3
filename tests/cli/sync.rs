//! Two machines sharing one ledger through a bare git "remote", with real git:
//! `sync init` on each clone, diverging changes, `kith sync` on both, and the
//! ledgers end identical with every entry, deletions propagated and a field
//! edited on both sides resolved by `updated`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Machines (clones) under one temp folder, with git and kith run in a
/// scrubbed environment. `sync_race` shares it.
pub(crate) struct World {
    _temp: tempfile::TempDir,
    pub(crate) root: PathBuf,
}

impl World {
    pub(crate) fn new() -> World {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().to_path_buf();
        std::fs::create_dir_all(root.join("home")).unwrap();
        World { _temp: temp, root }
    }

    pub(crate) fn env(&self, cmd: &mut Command) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root.join("home"))
            .env("XDG_CONFIG_HOME", self.root.join("home/.config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Kith Test")
            .env("GIT_AUTHOR_EMAIL", "test@kith.invalid")
            .env("GIT_COMMITTER_NAME", "Kith Test")
            .env("GIT_COMMITTER_EMAIL", "test@kith.invalid")
            .env("KITH_TODAY", "2026-03-01")
            // Writers queue behind a sync: give them room on a busy machine.
            .env("KITH_LOCK_TIMEOUT_MS", "120000")
            .env("NO_COLOR", "1");
    }

    pub(crate) fn git(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new("git");
        cmd.current_dir(&self.root).args(args);
        self.env(&mut cmd);
        let output = cmd.output().unwrap();
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            text(&output.stderr)
        );
        output
    }

    pub(crate) fn ledger(&self, machine: &str) -> PathBuf {
        self.root.join(machine).join("ledger.json")
    }

    /// Runs kith on `machine`'s ledger; fails the test unless it succeeds.
    pub(crate) fn kith(&self, machine: &str, args: &[&str]) -> String {
        let output = self.kith_raw(machine, args);
        assert!(
            output.status.success(),
            "kith {args:?} on {machine} failed:\n{}{}",
            text(&output.stdout),
            text(&output.stderr)
        );
        text(&output.stdout)
    }

    pub(crate) fn kith_raw(&self, machine: &str, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kith"));
        cmd.current_dir(&self.root)
            .arg("--ledger")
            .arg(self.ledger(machine))
            .args(args);
        self.env(&mut cmd);
        cmd.output().unwrap()
    }

    pub(crate) fn json(&self, machine: &str) -> Value {
        serde_json::from_slice(&std::fs::read(self.ledger(machine)).unwrap()).unwrap()
    }
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn git_missing() -> bool {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipping: git is not installed");
        return true;
    }
    false
}

fn entry_whats(ledger: &Value) -> Vec<String> {
    let mut whats: Vec<String> = ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e.get("what")
                .or_else(|| e.get("note"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        })
        .collect();
    whats.sort();
    whats
}

fn person<'a>(ledger: &'a Value, name: &str) -> &'a Value {
    ledger["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {ledger:#}"))
}

fn entry_id(ledger: &Value, what: &str) -> String {
    ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["what"] == what)
        .and_then(|e| e["id"].as_str())
        .unwrap()
        .to_string()
}

#[test]
fn two_clones_sync_through_a_bare_remote() {
    if git_missing() {
        return;
    }
    let w = World::new();
    let remote = w.root.join("remote.git");
    let remote = remote.to_str().unwrap();
    w.git(&["init", "--quiet", "--bare", remote]);
    // Both machines clone the empty remote, so their first sync joins two
    // unrelated histories through the merge driver (empty base).
    w.git(&["clone", "--quiet", remote, "A"]);
    w.git(&["clone", "--quiet", remote, "B"]);
    w.kith("A", &["sync", "init"]);
    w.kith("B", &["sync", "init"]);
    let attributes = std::fs::read_to_string(w.root.join("A/.gitattributes")).unwrap();
    assert!(
        attributes.contains("ledger.json merge=kith"),
        "{attributes}"
    );
    let ignore = std::fs::read_to_string(w.root.join("A/.gitignore")).unwrap();
    assert!(ignore.contains("/ledger.json.lock") && ignore.contains(".kith-tmp-*"));
    assert!(ignore.contains("/ledger.json.snap"), "{ignore}");

    // A starts the network and shares it.
    w.kith("A", &["add", "Alice Smith", "--email", "alice@example.com"]);
    w.kith("A", &["add", "Bob Jones"]);
    w.kith("A", &["gave", "alice", "intro to Dana", "--kind", "intro"]);
    w.kith("A", &["gave", "bob", "book loan"]);
    w.kith("A", &["sync"]);
    w.kith("B", &["sync"]);
    assert_eq!(entry_whats(&w.json("B")), ["book loan", "intro to Dana"]);

    // Diverge: A logs favours, deletes one and edits Alice; B logs others and
    // edits Alice's org later (so B's edit is newer).
    w.kith("A", &["gave", "alice", "reviewed her CV"]);
    w.kith("A", &["got", "bob", "lunch"]);
    let loan = entry_id(&w.json("A"), "book loan");
    w.kith("A", &["rm", &loan]);
    w.kith("A", &["edit", "alice", "--org", "Acme", "--tag", "close"]);
    w.kith("B", &["got", "alice", "a referral", "--kind", "referral"]);
    w.kith("B", &["met", "bob", "coffee chat", "--how", "coffee"]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    w.kith(
        "B",
        &["edit", "alice", "--org", "Globex", "--tag", "student"],
    );

    w.kith("A", &["sync"]);
    let out = w.kith_raw("B", &["sync"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // git relays the driver's stderr: the both-sides edit was reported.
    assert!(
        text(&out.stderr).contains("`org` changed on both sides"),
        "{}",
        text(&out.stderr)
    );
    w.kith("A", &["sync"]);

    let (a, b) = (w.json("A"), w.json("B"));
    assert_eq!(a, b, "the two machines disagree");
    assert_eq!(
        std::fs::read(w.ledger("A")).unwrap(),
        std::fs::read(w.ledger("B")).unwrap()
    );
    assert_eq!(
        entry_whats(&a),
        [
            "a referral",
            "coffee chat",
            "intro to Dana",
            "lunch",
            "reviewed her CV"
        ]
    );
    let alice = person(&a, "Alice Smith");
    assert_eq!(alice["org"], "Globex", "the newer edit wins");
    assert_eq!(alice["tags"], serde_json::json!(["student", "close"]));

    // Nothing is left half-done: both work trees are clean and in step.
    for machine in ["A", "B"] {
        let status = w.git(&["-C", machine, "status", "--porcelain"]);
        assert_eq!(
            text(&status.stdout),
            "",
            "{machine} has uncommitted changes"
        );
    }
    let head = |m: &str| text(&w.git(&["-C", m, "rev-parse", "HEAD"]).stdout);
    assert_eq!(head("A"), head("B"));
}

#[test]
fn merge_driver_exits_4_and_leaves_ours_alone_on_a_broken_file() {
    let w = World::new();
    std::fs::create_dir_all(w.root.join("m")).unwrap();
    let (base, ours, theirs) = (w.root.join("m/o"), w.root.join("m/a"), w.root.join("m/b"));
    std::fs::write(&base, "").unwrap();
    std::fs::write(&ours, "{\"kith\": 1, \"people\": []}\n").unwrap();
    std::fs::write(&theirs, "{\"kith\": 1, \"people\": [").unwrap();
    let out = w.kith_raw(
        "m",
        &[
            "merge",
            base.to_str().unwrap(),
            ours.to_str().unwrap(),
            theirs.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(4));
    assert!(
        text(&out.stderr).starts_with("error: could not parse ledger"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&ours).unwrap(),
        "{\"kith\": 1, \"people\": []}\n"
    );

    // With a valid THEIRS and an empty BASE (no common ancestor), both sides are kept.
    let mut theirs_ledger: Value = serde_json::from_str(
        r#"{"kith": 1, "people": [{"id": "p-1", "name": "Zoe",
        "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z", "pet": "cat"}]}"#,
    )
    .unwrap();
    std::fs::write(&theirs, theirs_ledger.to_string()).unwrap();
    let missing: &Path = &w.root.join("m/none");
    let out = w.kith_raw(
        "m",
        &[
            "merge",
            missing.to_str().unwrap(),
            ours.to_str().unwrap(),
            theirs.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let merged: Value = serde_json::from_slice(&std::fs::read(&ours).unwrap()).unwrap();
    theirs_ledger = merged["people"][0].clone();
    assert_eq!(theirs_ledger["pet"], "cat", "unknown fields survive");
}

#[test]
fn sync_without_a_repository_or_remote_says_what_to_do() {
    if git_missing() {
        return;
    }
    let w = World::new();
    w.kith("solo", &["add", "Carol"]);
    let out = w.kith_raw("solo", &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("kith sync init"),
        "{}",
        text(&out.stderr)
    );

    // An unreachable remote is a clear error, and the local commit stays.
    w.kith(
        "solo",
        &["sync", "init", "--remote", "/nonexistent/remote.git"],
    );
    w.kith("solo", &["add", "Dave"]);
    let out = w.kith_raw("solo", &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: could not reach the remote `origin`"),
        "{err}"
    );
    let log = w.git(&["-C", "solo", "log", "--format=%s"]);
    assert!(
        text(&log.stdout).contains("kith: 1 person added"),
        "{}",
        text(&log.stdout)
    );
}

#[test]
fn duplicates_are_listed_and_folded() {
    let w = World::new();
    w.kith("d", &["add", "Ann Lee", "--email", "ann@x.org"]);
    w.kith("d", &["add", "Annie", "--email", "ANN@x.org"]);
    w.kith("d", &["met", "annie", "tea", "--how", "coffee"]);
    let listed: Value =
        serde_json::from_str(&w.kith("d", &["people", "--duplicates", "--json"])).unwrap();
    assert_eq!(listed[0]["keep"]["name"], "Ann Lee");
    assert_eq!(listed[0]["other"]["name"], "Annie");
    assert_eq!(listed[0]["reasons"][0], "email ann@x.org");
    let said = w.kith("d", &["merge-people", "Ann Lee", "Annie"]);
    assert!(
        said.contains("merged Annie into Ann Lee (1 entry moved)"),
        "{said}"
    );
    let ledger = w.json("d");
    assert_eq!(ledger["people"].as_array().unwrap().len(), 1);
    assert_eq!(ledger["people"][0]["aliases"], serde_json::json!(["Annie"]));
    assert_eq!(ledger["entries"][0]["person"], ledger["people"][0]["id"]);
}

#[test]
fn after_write_commits_only_when_auto_commit_is_on() {
    if git_missing() {
        return;
    }
    let w = World::new();
    w.kith("h", &["add", "Erin"]);
    w.kith("h", &["sync", "init", "--auto-commit"]);
    // The hook runs in this process, whose git config is the developer's:
    // pin what matters in the repository's own config.
    for (key, value) in [
        ("user.name", "Kith Test"),
        ("user.email", "test@kith.invalid"),
        ("commit.gpgsign", "false"),
    ] {
        w.git(&["-C", "h", "config", key, value]);
    }
    let commits = || text(&w.git(&["-C", "h", "rev-list", "--count", "HEAD"]).stdout);
    // On: every write through the binary commits with its summary.
    let before = commits();
    w.kith("h", &["add", "Frank"]);
    assert_ne!(commits(), before);
    let subject = w.git(&["-C", "h", "log", "-1", "--format=%s"]);
    assert!(
        text(&subject.stdout).starts_with("kith: added Frank"),
        "{}",
        text(&subject.stdout)
    );
    // An undo is a write too, committed with its own summary.
    let before = commits();
    w.kith("h", &["undo"]);
    assert_ne!(commits(), before);
    let subject = w.git(&["-C", "h", "log", "-1", "--format=%s"]);
    assert!(
        text(&subject.stdout).starts_with("kith: undo: added Frank"),
        "{}",
        text(&subject.stdout)
    );
    let store = kith::shell::store::Store::at(w.ledger("h"));
    let mut settings = store.load().unwrap().settings;
    assert!(kith::core::settings::auto_commit(&settings));

    // Off: the same hook leaves a pending change alone.
    let mut bytes = std::fs::read(w.ledger("h")).unwrap();
    bytes.push(b'\n');
    std::fs::write(w.ledger("h"), bytes).unwrap();
    settings.extra.remove(kith::core::settings::AUTO_COMMIT);
    let before = commits();
    kith::shell::git::after_write(&w.ledger("h"), &settings, "a change");
    assert_eq!(commits(), before);
}
