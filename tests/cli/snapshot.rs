//! The binary snapshot beside the ledger: every read answers the same with
//! and without it, and a snapshot that does not describe the ledger's exact
//! bytes (another ledger's, an older layout, cut short, flipped bits, or a
//! ledger edited by hand behind kith's back) is ignored and rebuilt.
//!
//! `KITH_DEBUG_SNAPSHOT` makes kith say on stderr what the snapshot did, so
//! these tests know the answer they compare came from the snapshot.

use std::path::PathBuf;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use kith::core::model::{
    Detail, Direction, Entry, Favour, Flag, How, Kind, LabelledDate, Ledger, Meeting, Need,
    PartialDate, Person, Request, Status, to_pretty_json,
};
use proptest::prelude::*;

use crate::Env;

/// Every read command the snapshot answers, in its human and JSON forms.
fn read_commands(names: &[String]) -> Vec<Vec<String>> {
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["balance"],
        vec!["balance", "--all", "--sort", "name"],
        vec!["balance", "--tag", "close"],
        vec!["who"],
        vec!["who", "-n", "3", "--tag", "student"],
        vec!["followups"],
        vec!["stats"],
        vec!["report", "--week"],
        vec!["report", "--month", "--format", "markdown"],
        vec!["report", "--since", "2024-01-01"],
        vec!["people"],
        vec!["people", "--all", "--search", "a"],
        vec!["log", "-n", "30"],
        vec!["log", "--type", "ask", "--since", "2025-01-01", "-n", "7"],
        vec!["requests"],
        vec!["requests", "--in"],
        vec![
            "report",
            "--since",
            "2024-06-01",
            "--until",
            "2025-06-01",
            "--format",
            "json",
        ],
        vec!["check", "Nobody Known"],
    ];
    for name in names {
        commands.push(vec!["check", name]);
        commands.push(vec!["show", name]);
        commands.push(vec!["log", name]);
        commands.push(vec!["log", name, "--until", "2025-06-01", "-n", "4"]);
    }
    let mut all = Vec::new();
    for command in commands {
        let owned: Vec<String> = command.iter().map(|s| s.to_string()).collect();
        let mut json = vec!["--json".to_string()];
        json.extend(owned.iter().cloned());
        all.push(owned);
        all.push(json);
    }
    all
}

/// Stdout, stderr and exit code of one run.
fn run(env: &Env, args: &[String], extra_env: &[(&str, &str)]) -> (String, String, Option<i32>) {
    let mut cmd = env.cmd();
    for (key, value) in extra_env {
        cmd.env(key, value);
    }
    let out = cmd.args(args).output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

fn snapshot_path(env: &Env) -> PathBuf {
    env.ledger.with_file_name("ledger.json.snap")
}

/// What the snapshot did for `args` (the `snapshot:` line on stderr).
fn trace(env: &Env, args: &[&str]) -> String {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (_, stderr, _) = run(env, &args, &[("KITH_DEBUG_SNAPSHOT", "1")]);
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("snapshot: "))
        .unwrap_or("(no snapshot line)")
        .to_string()
}

/// A deterministic random ledger: people with every optional field, and
/// entries of every type, status and kind, some dated after today.
pub fn random_ledger(seed: u64) -> Ledger {
    let mut rng = fastrand::Rng::with_seed(seed);
    let base = Utc.with_ymd_and_hms(2024, 1, 1, 9, 0, 0).unwrap();
    let at = |rng: &mut fastrand::Rng| -> DateTime<Utc> {
        base + Duration::seconds(rng.i64(0..3 * 365 * 86_400))
            + Duration::nanoseconds(if rng.bool() {
                0
            } else {
                rng.i64(0..1_000_000_000)
            })
    };
    let day = |rng: &mut fastrand::Rng| -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Duration::days(rng.i64(0..1060))
    };
    let words = [
        "intro",
        "coffee",
        "Zoë",
        "job lead",
        "review",
        "a",
        "feedback",
        "“quoted”",
        "lunch",
        "advice on rust",
        "東京",
        "ref",
    ];
    let text = |rng: &mut fastrand::Rng| -> String {
        (0..rng.usize(1..4))
            .map(|_| words[rng.usize(..words.len())])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let names = [
        "Alice Smith",
        "Bob Jones",
        "Carol Diaz",
        "Dan Wu",
        "Eve Adams",
        "Frank Ode",
        "Grace Ho",
        "Zoë Kim",
        "Åsa Berg",
        "Bob Jonas",
    ];
    let tags = ["close", "student", "family", "founder", "in-transition"];
    let mut ledger = Ledger::default();
    if rng.bool() {
        ledger.settings.tag_cadence.insert("family".into(), 14);
    }
    if rng.u8(..4) == 0 {
        ledger
            .settings
            .extra
            .insert("future_setting".into(), serde_json::json!({"a": [1, 2.5]}));
        ledger.extra.insert("note".into(), "top-level extra".into());
    }
    let people = rng.usize(1..names.len());
    for (i, name) in names.iter().take(people).enumerate() {
        let mut p = Person::new(
            format!("p-{:016x}", rng.u64(..)),
            name.to_string(),
            at(&mut rng),
        );
        p.updated = p.created + Duration::seconds(rng.i64(0..1000));
        if rng.bool() {
            p.aliases
                .push(name.split(' ').next().unwrap_or(name).to_string());
        }
        if rng.bool() {
            p.emails.push(format!("person{i}@example.com"));
        }
        if rng.u8(..4) == 0 {
            p.phones.push("+1 555 0100".into());
            p.urls.push("https://example.com/in/x".into());
        }
        if rng.bool() {
            p.org = Some("Acme".into());
        }
        for _ in 0..rng.usize(0..3) {
            let tag = tags[rng.usize(..tags.len())].to_string();
            if !p.tags.contains(&tag) {
                p.tags.push(tag);
            }
        }
        if rng.u8(..3) == 0 {
            p.how_met = Some(text(&mut rng));
            p.met_on = Some(day(&mut rng));
            p.notes = Some(format!("{}\nsecond line", text(&mut rng)));
        }
        if rng.u8(..4) == 0 {
            p.cadence_days = Some(rng.u32(1..200));
        }
        if rng.u8(..3) == 0 {
            let year = rng.bool().then(|| rng.i32(1950..2005));
            p.birthday = PartialDate::new(year, rng.u32(1..=12), rng.u32(1..=28));
        }
        if rng.u8(..4) == 0
            && let Some(date) = PartialDate::new(Some(2020), rng.u32(1..=12), rng.u32(1..=28))
        {
            p.dates.push(LabelledDate::new("anniversary", date));
        }
        if rng.u8(..5) == 0 {
            p.snoozed_until = Some(day(&mut rng));
        }
        if rng.u8(..5) == 0 {
            p.source = Some("linkedin".into());
        }
        for _ in 0..rng.usize(0..3) {
            p.needs.push(Need {
                id: format!("n-{:016x}", rng.u64(..)),
                text: text(&mut rng),
                since: day(&mut rng),
                done: rng.bool(),
                extra: Default::default(),
            });
        }
        if rng.u8(..6) == 0 {
            p.flag = Some(Flag {
                date: day(&mut rng),
                reason: rng.bool().then(|| text(&mut rng)),
                extra: Default::default(),
            });
        }
        p.archived = rng.u8(..8) == 0;
        if rng.u8(..8) == 0 {
            p.extra.insert("pronouns".into(), "they/them".into());
        }
        ledger.people.push(p);
    }
    let mut requests: Vec<String> = Vec::new();
    for _ in 0..rng.usize(0..60) {
        let person = ledger.people[rng.usize(..ledger.people.len())].id.clone();
        let recorded = at(&mut rng);
        // A short shared prefix now and then, so short ids grow past 7.
        let id = if rng.u8(..5) == 0 {
            format!("e-abcd{:012x}", rng.u64(..1 << 40))
        } else {
            format!("e-{:016x}", rng.u64(..))
        };
        let favour = |rng: &mut fastrand::Rng, requests: &[String]| {
            let kind = Kind::ALL[rng.usize(..Kind::ALL.len())];
            Favour {
                what: text(rng),
                kind,
                weight: rng.u8(1..=5),
                resolves: (!requests.is_empty() && rng.u8(..3) == 0)
                    .then(|| requests[rng.usize(..requests.len())].clone()),
            }
        };
        let detail = match rng.u8(..4) {
            0 => Detail::Gave(favour(&mut rng, &requests)),
            1 => Detail::Got(favour(&mut rng, &requests)),
            2 => Detail::Met(Meeting {
                how: How::ALL[rng.usize(..How::ALL.len())],
                note: rng.bool().then(|| text(&mut rng)),
            }),
            _ => {
                requests.push(id.clone());
                Detail::Ask(Request {
                    what: text(&mut rng),
                    direction: if rng.bool() {
                        Direction::In
                    } else {
                        Direction::Out
                    },
                    status: Status::ALL[rng.usize(..Status::ALL.len())],
                    nudges: (0..rng.usize(0..3)).map(|_| day(&mut rng)).collect(),
                    note: rng.u8(..4).eq(&0).then(|| text(&mut rng)),
                })
            }
        };
        let mut entry = Entry {
            id,
            person,
            date: day(&mut rng),
            recorded,
            updated: recorded + Duration::seconds(rng.i64(0..100_000)),
            detail,
            source_id: (rng.u8(..5) == 0).then(|| format!("<{}@mail.example>", rng.u32(..))),
            extra: Default::default(),
        };
        if rng.u8(..10) == 0 {
            entry.extra.insert("mood".into(), "good".into());
        }
        ledger.entries.push(entry);
    }
    ledger.sort_entries();
    ledger
}

fn env_with(ledger: &Ledger) -> Env {
    let env = Env::new();
    std::fs::create_dir_all(env.ledger.parent().unwrap()).unwrap();
    std::fs::write(&env.ledger, to_pretty_json(ledger).unwrap()).unwrap();
    env
}

/// Every read command's output with the snapshot equals its output from the JSON.
fn same_answers(env: &Env, names: &[String]) {
    let _ = std::fs::remove_file(snapshot_path(env));
    let from_json: Vec<_> = read_commands(names)
        .iter()
        .map(|args| {
            let mut all = vec!["--no-cache".to_string()];
            all.extend(args.iter().cloned());
            run(env, &all, &[])
        })
        .collect();
    assert!(!snapshot_path(env).exists(), "--no-cache wrote a snapshot");
    assert_eq!(trace(env, &["stats"]), "Missing; rebuilt");
    for (args, expected) in read_commands(names).iter().zip(from_json) {
        let got = run(env, args, &[("KITH_DEBUG_SNAPSHOT", "1")]);
        assert!(
            got.1.starts_with("snapshot: used"),
            "kith {args:?} did not read the snapshot: {}",
            got.1
        );
        let rest = got.1.split_once('\n').map_or("", |(_, rest)| rest);
        let got = (got.0, rest.to_string(), got.2);
        assert_eq!(
            got, expected,
            "kith {args:?} answers differently from the snapshot"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn every_read_answers_the_same_from_the_snapshot(seed in any::<u64>()) {
        let ledger = random_ledger(seed);
        let env = env_with(&ledger);
        let names: Vec<String> = ledger.people.iter().take(3).map(|p| p.name.clone()).collect();
        same_answers(&env, &names);
    }
}

#[test]
fn a_write_leaves_a_snapshot_the_next_read_uses() {
    let env = Env::new();
    env.ok(&["add", "Alice Smith", "--tag", "close"]);
    env.ok(&["gave", "alice", "an intro", "--kind", "intro"]);
    assert_eq!(super::mode(&snapshot_path(&env)), 0o600);
    assert_eq!(trace(&env, &["balance"]), "used");
    same_answers(&env, &["Alice Smith".to_string()]);
}

#[test]
fn a_snapshot_of_another_ledger_is_ignored() {
    let one = env_with(&random_ledger(1));
    let two = env_with(&random_ledger(2));
    one.ok(&["stats"]);
    std::fs::copy(snapshot_path(&one), snapshot_path(&two)).unwrap();
    let expected = two.ok(&["--no-cache", "balance", "--all"]);
    assert_eq!(trace(&two, &["balance"]), "Stale; rebuilt");
    assert_eq!(two.ok(&["balance", "--all"]), expected);
    assert_eq!(trace(&two, &["balance"]), "used");
}

/// Damages the snapshot with `damage`, then checks the next read ignores it,
/// answers from the JSON, and rebuilds it.
fn damaged_is_ignored(damage: impl Fn(&mut Vec<u8>), why: &str) {
    let env = env_with(&random_ledger(7));
    let expected = env.ok(&["--no-cache", "--json", "balance", "--all"]);
    env.ok(&["stats"]);
    let path = snapshot_path(&env);
    let mut bytes = std::fs::read(&path).unwrap();
    damage(&mut bytes);
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(trace(&env, &["balance"]), format!("{why}; rebuilt"));
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(env.ok(&["--json", "balance", "--all"]), expected);
    assert_eq!(trace(&env, &["balance"]), "used");
}

#[test]
fn an_older_layout_is_ignored() {
    damaged_is_ignored(|b| b[8] = 0, "Foreign");
}

#[test]
fn a_file_that_is_not_a_snapshot_is_ignored() {
    damaged_is_ignored(|b| *b = b"{\"not\": \"a snapshot\"}".to_vec(), "Corrupt");
}

#[test]
fn a_truncated_snapshot_is_ignored() {
    for keep in [0, 10, 64, 100] {
        damaged_is_ignored(|b| b.truncate(keep), "Corrupt");
    }
    damaged_is_ignored(|b| b.truncate(b.len() - 1), "Corrupt");
}

#[test]
fn flipped_bits_in_a_snapshot_are_ignored() {
    for at in [70, 200, 1000] {
        damaged_is_ignored(
            |b| {
                let at = at.min(b.len() - 1);
                b[at] ^= 0x10;
            },
            "Corrupt",
        );
    }
    // In the header: the ledger's length and key say "another ledger".
    damaged_is_ignored(|b| b[20] ^= 1, "Stale");
    damaged_is_ignored(|b| b[33] ^= 4, "Stale");
}

#[test]
fn a_hand_edit_with_the_same_size_and_mtime_is_noticed() {
    let env = Env::new();
    env.ok(&["add", "Alice Smith"]);
    env.ok(&["gave", "alice", "an intro"]);
    assert_eq!(trace(&env, &["people"]), "used");
    let meta = std::fs::metadata(&env.ledger).unwrap();
    let text = String::from_utf8(env.bytes().unwrap()).unwrap();
    let edited = text.replace("Alice Smith", "Alice Smyth");
    assert_eq!(edited.len(), text.len());
    std::fs::write(&env.ledger, &edited).unwrap();
    let file = std::fs::File::options()
        .write(true)
        .open(&env.ledger)
        .unwrap();
    file.set_modified(meta.modified().unwrap()).unwrap();
    drop(file);
    let after = std::fs::metadata(&env.ledger).unwrap();
    assert_eq!(
        (after.len(), after.modified().unwrap()),
        (meta.len(), meta.modified().unwrap())
    );
    // The first read after the edit already answers from the edit: what it
    // computed from the old snapshot while the check ran is thrown away.
    let (stdout, stderr, _) = run(
        &env,
        &["people".to_string()],
        &[("KITH_DEBUG_SNAPSHOT", "1")],
    );
    assert!(stderr.contains("snapshot: Stale; rebuilt"), "{stderr}");
    assert!(stdout.contains("Alice Smyth") && !stdout.contains("Alice Smith"));
    assert_eq!(trace(&env, &["people"]), "used");
    assert!(env.ok(&["people"]).contains("Alice Smyth"));
}

#[test]
fn no_cache_and_the_setting_turn_it_off() {
    let env = Env::new();
    env.ok(&["--no-cache", "add", "Alice Smith"]);
    assert!(!snapshot_path(&env).exists());
    env.ok(&["--no-cache", "people"]);
    assert!(!snapshot_path(&env).exists());
    env.ok(&["people"]);
    assert!(snapshot_path(&env).exists());
    env.ok(&["config", "snapshot", "false"]);
    assert!(
        !snapshot_path(&env).exists(),
        "turning it off keeps the file"
    );
    assert_eq!(trace(&env, &["people"]), "off in the settings");
    assert!(!snapshot_path(&env).exists());
    assert_eq!(env.ok(&["config", "snapshot"]).trim(), "false");
    env.ok(&["config", "snapshot", "true"]);
    assert_eq!(trace(&env, &["people"]), "used");
}

#[test]
fn a_read_while_a_writer_holds_the_lock_answers_from_the_json() {
    let env = env_with(&random_ledger(3));
    let expected = env.ok(&["--no-cache", "who"]);
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(env.ledger.with_file_name("ledger.json.lock"))
        .unwrap();
    lock.lock().unwrap();
    assert_eq!(
        trace(&env, &["who"]),
        "Missing; not rebuilt: a writer holds the lock"
    );
    assert_eq!(env.ok(&["who"]), expected);
    assert!(!snapshot_path(&env).exists());
    lock.unlock().unwrap();
    assert_eq!(trace(&env, &["who"]), "Missing; rebuilt");
}

/// The stderr `snapshot:` lines of one run, and whether it succeeded.
fn write_trace(env: &Env, args: &[&str]) -> Vec<String> {
    let out = env
        .cmd()
        .env("KITH_DEBUG_SNAPSHOT", "1")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "kith {args:?} failed: {stderr}");
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("snapshot: "))
        .map(String::from)
        .collect()
}

#[test]
fn writes_splice_the_text_and_write_exactly_what_a_full_print_writes() {
    let mut ledger = random_ledger(11);
    ledger
        .people
        .retain(|p| p.name != "Alice Smith" && p.name != "Bob Jones");
    let ids: std::collections::HashSet<String> =
        ledger.people.iter().map(|p| p.id.clone()).collect();
    ledger.entries.retain(|e| ids.contains(&e.person));
    let env = env_with(&ledger);
    env.ok(&["add", "Alice Smith", "--tag", "close"]);
    env.ok(&["add", "Bob Jones"]);
    let canonical = |env: &Env| {
        let bytes = env.bytes().unwrap();
        let parsed = kith::core::model::parse_ledger(&bytes).unwrap();
        assert_eq!(
            String::from_utf8(to_pretty_json(&parsed).unwrap()).unwrap(),
            String::from_utf8(bytes).unwrap(),
            "the file is not what a full print writes"
        );
    };
    let writes: Vec<Vec<&str>> = vec![
        vec!["gave", "alice", "an intro", "--kind", "intro"],
        vec!["got", "bob", "a “book”", "--date", "2025-03-01"],
        vec![
            "met",
            "alice",
            "coffee",
            "--how",
            "coffee",
            "--date",
            "2024-01-02",
        ],
        vec!["asked", "bob", "a reference"],
        vec!["ask", "alice", "feedback on my talk"],
        vec!["need", "alice", "a flat in Lyon"],
        vec!["add", "Zed Carrow", "--org", "Acme"],
        vec!["gave", "zed", "advice", "--date", "2020-05-05"],
        vec!["undo"],
    ];
    let mut spliced = 0;
    for args in &writes {
        let lines = write_trace(&env, args);
        if lines.iter().any(|l| l == "write spliced") {
            spliced += 1;
        }
        canonical(&env);
        assert_eq!(trace(&env, &["people"]), "used", "after kith {args:?}");
    }
    let id = crate::newest_entry(&env);
    for args in [vec!["amend", &id, "--date", "2025-06-07"], vec!["rm", &id]] {
        if write_trace(&env, &args)
            .iter()
            .any(|l| l == "write spliced")
        {
            spliced += 1;
        }
        canonical(&env);
    }
    assert!(spliced >= 8, "only {spliced} writes were spliced");
}

#[test]
fn a_ledger_with_text_to_escape_answers_the_same_from_the_snapshot() {
    // Human output escapes control and invisible characters; such a ledger
    // is read from its snapshot decoded and escaped, not in place.
    let mut ledger = random_ledger(7);
    ledger.people[0].name = "Eve\u{202E}evil \u{1b}[2J".to_string();
    if let Some(Detail::Gave(f) | Detail::Got(f)) =
        ledger.entries.first_mut().map(|e| &mut e.detail)
    {
        f.what = "tab\there \u{200B}".to_string();
    }
    let env = env_with(&ledger);
    let names: Vec<String> = ledger
        .people
        .iter()
        .skip(1)
        .take(2)
        .map(|p| p.name.clone())
        .collect();
    same_answers(&env, &names);
    let _ = trace(&env, &["stats"]);
    assert_eq!(trace(&env, &["who"]), "used, decoded: texts to escape");
    assert_eq!(trace(&env, &["--json", "who"]), "used");
}

#[test]
fn doctor_reports_a_snapshot_that_holds_another_ledger_under_this_ones_stamp() {
    use kith::core::snapshot::{Stamp, encode};
    let env = Env::new();
    env.ok(&["add", "Alice Smith"]);
    env.ok(&["gave", "alice", "an intro"]);
    assert_eq!(env.run(["doctor"]).status.code(), Some(0));
    // A snapshot kith never writes: another ledger, stamped with this one's bytes.
    let bytes = env.bytes().unwrap();
    let mut other = kith::core::model::parse_ledger(&bytes).unwrap();
    other.people[0].name = "Mallory".into();
    let forged = encode(&other, Stamp::of(&bytes), false).unwrap();
    std::fs::write(snapshot_path(&env), forged).unwrap();
    let out = env.run(["--json", "doctor"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["rule"].as_str())
        .collect();
    assert_eq!(rules, ["snapshot-disagrees"]);
}
