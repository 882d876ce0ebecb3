//! SIGKILL at random moments during writes: after every kill the ledger parses
//! and is exactly the state before or after that write; leftovers never trip a
//! later run.

use std::time::{Duration, Instant};

use kith::core::model::Ledger;

use super::common::{favour_entry, person, temp_files};
use crate::{Env, mode};

const ROUNDS: usize = 100;
/// Enough entries that a debug-build write takes tens of milliseconds.
const ENTRIES: usize = 3000;

/// A small xorshift generator: no dependency, and the seed is printed so a
/// failing run can be replayed with `KITH_CRASH_SEED`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn big_ledger() -> Ledger {
    let mut ledger = Ledger::default();
    ledger
        .people
        .push(person("p-00000000000000a1", "Alice Smith"));
    for n in 0..ENTRIES {
        let day = format!("20{:02}-{:02}-{:02}", 10 + n % 16, 1 + n % 12, 1 + n % 28);
        ledger.entries.push(favour_entry(
            &format!("e-{n:016x}"),
            "p-00000000000000a1",
            &day,
            n % 3 != 0,
            &format!("favour number {n} with some words to make the file larger"),
        ));
    }
    ledger.sort_entries();
    ledger
}

/// The snapshot beside the ledger, if any, is whole (a kill leaves the
/// previous file or the new one, never a torn one), and when it names the
/// ledger's current bytes it holds exactly what they parse to. (It may name
/// an older ledger, when a kill landed between the two renames: then it is
/// ignored.)
fn snapshot_is_whole(env: &Env, round: usize, ledger: &[u8]) {
    use kith::core::snapshot::{Stamp, decode, header};
    let Ok(snap) = std::fs::read(env.ledger.with_file_name("ledger.json.snap")) else {
        return;
    };
    let stamp = header(&snap)
        .unwrap_or_else(|err| panic!("round {round}: torn snapshot header: {err:?}"))
        .stamp;
    let decoded =
        decode(&snap, &stamp).unwrap_or_else(|err| panic!("round {round}: torn snapshot: {err:?}"));
    if stamp == Stamp::of(ledger) {
        assert_eq!(
            decoded,
            kith::core::model::parse_ledger(ledger).unwrap(),
            "round {round}: the snapshot does not hold its ledger"
        );
    }
}

/// `after` is `before` plus exactly the one entry whose text is `what`.
fn is_state_after(before: &Ledger, after: &Ledger, what: &str) -> bool {
    if after.entries.len() != before.entries.len() + 1 {
        return false;
    }
    let rest: Vec<_> = after
        .entries
        .iter()
        .filter(|e| e.favour().is_none_or(|f| f.what != what))
        .cloned()
        .collect();
    let people = |l: &Ledger| l.people.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
    rest == before.entries && people(before) == people(after) && after.settings == before.settings
}

#[test]
fn sigkill_during_writes_leaves_the_old_or_the_new_ledger() {
    let env = Env::with(&big_ledger());
    let folder = env.ledger.parent().unwrap().to_path_buf();
    let seed = std::env::var("KITH_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("crash test seed: {seed} (replay with KITH_CRASH_SEED={seed})");
    let mut rng = Rng(seed);

    // How long one uninterrupted write takes here; kills land within 1.5x that.
    let started = Instant::now();
    env.ok(&["gave", "alice", "warm-up"]);
    let write_micros = started.elapsed().as_micros() as u64;
    eprintln!("one write takes {write_micros} µs");

    let mut bytes = env.bytes().unwrap();
    let mut state = kith::core::model::parse_ledger(&bytes).unwrap();
    let (mut kept_old, mut got_new) = (0, 0);
    for round in 0..ROUNDS {
        let what = format!("round {round}");
        let mut child = env
            .cmd()
            .args(["gave", "alice", &what])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(
            rng.next() % (write_micros * 3 / 2).max(1),
        ));
        let _ = child.kill(); // SIGKILL on unix
        let _ = child.wait();

        let now = std::fs::read(&env.ledger).unwrap();
        snapshot_is_whole(&env, round, &now);
        if now == bytes {
            kept_old += 1;
        } else {
            let parsed = kith::core::model::parse_ledger(&now).unwrap_or_else(|err| {
                panic!("round {round}: the ledger is torn after a kill: {err:?}")
            });
            assert!(
                is_state_after(&state, &parsed, &what),
                "round {round}: the ledger is neither the state before nor after the write"
            );
            got_new += 1;
            state = parsed;
            bytes = now;
        }
        let backup = env.ledger.with_file_name("ledger.json.bak");
        if backup.exists() {
            kith::core::model::parse_ledger(&std::fs::read(&backup).unwrap())
                .unwrap_or_else(|err| panic!("round {round}: the backup is torn: {err:?}"));
        }
        for temp in temp_files(&folder) {
            assert_eq!(mode(&temp), 0o600, "a temp file is readable by others");
        }
    }
    eprintln!("{kept_old} kills kept the old ledger, {got_new} came after the write");
    assert!(
        kept_old > 0 && got_new > 0,
        "the kills never landed mid-write"
    );

    // A later run is not tripped up by anything a killed writer left behind,
    // and cleans up its temp files.
    env.ok(&["gave", "alice", "after the storm"]);
    assert!(is_state_after(&state, &env.load(), "after the storm"));
    assert_eq!(temp_files(&folder), Vec::<std::path::PathBuf>::new());
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "ledger.json",
            "ledger.json.bak",
            "ledger.json.lock",
            "ledger.json.snap",
            "ledger.json.undo"
        ],
        "a killed writer left something behind"
    );
    env.ok(&["undo"]);
    assert_eq!(env.bytes().unwrap(), bytes);
}
