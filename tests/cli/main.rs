//! Integration tests: they drive the real `kith` binary on temp ledgers, with
//! `KITH_TODAY` fixed and an environment scrubbed of everything else, so that a
//! developer's own ledger, colours or editor never leak in.
//!
//! One test crate with a module per area links once and runs fast.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::new_without_default,
    dead_code
)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kith::core::model::Ledger;

use serde_json::Value;
use tempfile::TempDir;

mod advice;
mod birthdays;
mod complete;
mod exchanges;
mod exit_codes;
mod help;
mod human_output;
mod interop;
mod json_writes;
mod logging;
mod people;
mod review;
mod rough_edges;
mod safety;
mod snapshot;
mod stories;
mod sync;
mod sync_race;

/// The date every test treats as today: a Friday.
pub const TODAY: &str = "2026-11-20";

/// A temp folder with a ledger path and an empty HOME in it, and a way to run
/// kith against them: the one harness of every integration test.
pub struct Env {
    pub dir: TempDir,
    pub ledger: PathBuf,
    /// kith's HOME: stays empty (no cache, no copy, no log is written there).
    pub home: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("kith").join("ledger.json");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        Env { dir, ledger, home }
    }

    /// An env whose ledger already holds `ledger`.
    pub fn with(ledger: &Ledger) -> Env {
        let env = Env::new();
        env.write_ledger(kith::core::model::to_pretty_json(ledger).unwrap());
        env
    }

    /// `kith` with a clean environment (PATH, HOME, `KITH_LEDGER`,
    /// `KITH_TODAY`, `NO_COLOR`) pointing at this ledger, run in the temp folder.
    /// Runs `command` (a shell line) on a pseudo-terminal through `script`,
    /// with this sandbox's environment (less `unset`), typing `input`.
    pub fn in_terminal(&self, command: &str, input: &[u8], unset: &[&str]) -> Output {
        use std::io::Write as _;
        let base = self.cmd();
        let mut script = Command::new("script");
        script
            .args(["-qec", command, "/dev/null"])
            .env_clear()
            .envs(
                base.get_envs()
                    .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))),
            );
        for name in unset {
            script.env_remove(name);
        }
        let mut child = script
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    }

    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kith"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("KITH_LEDGER", &self.ledger)
            .env("KITH_TODAY", TODAY)
            .env("NO_COLOR", "1")
            .current_dir(self.dir.path());
        cmd
    }

    /// Runs kith with any arguments (also ones that are not UTF-8).
    pub fn run<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd().args(args).output().unwrap()
    }

    pub fn output(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.output(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "kith {args:?} failed ({:?}):\n{stderr}",
            out.status.code()
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a read command with `--json` and parses its output.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// Runs a command that must fail with an `error:` line and leave the ledger
    /// byte for byte as it was; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let before = self.bytes();
        let out = self.output(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let code = out.status.code();
        assert!(
            matches!(code, Some(1..=5)),
            "kith {args:?} exited {code:?}:\n{stderr}"
        );
        assert!(
            stderr.contains("error:"),
            "kith {args:?} gave no error line:\n{stderr}"
        );
        assert!(
            !stderr.contains("panicked"),
            "kith {args:?} panicked:\n{stderr}"
        );
        assert_eq!(before, self.bytes(), "kith {args:?} changed the ledger");
        stderr
    }

    /// [`Env::fails`] with exactly the exit `code`; returns stderr.
    pub fn fails_with(&self, code: i32, args: &[&str]) -> String {
        let stderr = self.fails(args);
        let out = self.output(args);
        assert_eq!(out.status.code(), Some(code), "kith {args:?}:\n{stderr}");
        stderr
    }

    /// The ledger's bytes, or `None` when it does not exist.
    pub fn bytes(&self) -> Option<Vec<u8>> {
        std::fs::read(&self.ledger).ok()
    }

    /// The ledger, parsed by kith's own loader.
    pub fn load(&self) -> Ledger {
        kith::core::model::parse_ledger(&self.bytes().unwrap()).unwrap()
    }

    pub fn ledger_json(&self) -> Value {
        serde_json::from_slice(&self.bytes().unwrap()).unwrap()
    }

    pub fn write_ledger(&self, text: impl AsRef<[u8]>) {
        std::fs::create_dir_all(self.ledger.parent().unwrap()).unwrap();
        std::fs::write(&self.ledger, text).unwrap();
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// The folder of real contact exports: `KITH_FIXTURES`, else
/// `../shared/fixtures` beside the repository (where CI clones it). `None`,
/// after saying so on stderr, when it is absent: the tests that need it pass.
pub fn fixtures() -> Option<PathBuf> {
    let dir = std::env::var_os("KITH_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures"))
        });
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: no fixtures folder at {}", dir.display());
        None
    }
}

pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The full id of the most recently recorded entry in the ledger.
pub fn newest_entry(env: &Env) -> String {
    let ledger = env.ledger_json();
    let newest = ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|e| e["recorded"].as_str().unwrap().to_string())
        .unwrap();
    newest["id"].as_str().unwrap().to_string()
}

/// The ids of every entry, in ledger order.
pub fn entry_ids(env: &Env) -> Vec<String> {
    env.ledger_json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// The `balance --json` row of the person called `name`.
pub fn balance_of(env: &Env, name: &str) -> Value {
    let rows = env.json(&["balance"]);
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("{name} not in balance: {rows}"))
}
