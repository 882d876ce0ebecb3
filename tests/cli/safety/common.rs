//! Shared helpers: a scrubbed `kith` command on a temp ledger, and ledgers
//! built in memory with fixed ids.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::{DateTime, NaiveDate, Utc};
use kith::core::model::{Detail, Direction, Entry, Favour, Kind, Ledger, Person, Request, Status};
use tempfile::TempDir;

pub const TODAY: &str = "2026-11-20";
pub const KITH: &str = env!("CARGO_BIN_EXE_kith");

/// A temp folder holding a ledger path and a HOME for kith to (not) write to.
pub struct Sandbox {
    pub dir: TempDir,
    pub ledger: PathBuf,
    pub home: PathBuf,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("data").join("ledger.json");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        Sandbox { dir, ledger, home }
    }

    /// A sandbox whose ledger already holds `ledger`.
    pub fn with(ledger: &Ledger) -> Sandbox {
        let sandbox = Sandbox::new();
        std::fs::create_dir_all(sandbox.ledger.parent().unwrap()).unwrap();
        std::fs::write(
            &sandbox.ledger,
            kith::core::model::to_pretty_json(ledger).unwrap(),
        )
        .unwrap();
        sandbox
    }

    /// `kith` with only PATH, HOME and KITH_TODAY set, on this sandbox's ledger.
    pub fn cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(KITH);
        cmd.env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", &self.home)
            .env("KITH_TODAY", TODAY)
            .env("KITH_LEDGER", &self.ledger)
            .current_dir(self.dir.path());
        cmd
    }

    pub fn run<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs and asserts success.
    pub fn ok<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "kith failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.ledger).unwrap()
    }

    pub fn load(&self) -> Ledger {
        kith::core::model::parse_ledger(&self.bytes()).unwrap()
    }
}

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

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}
