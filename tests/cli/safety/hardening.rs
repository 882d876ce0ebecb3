//! The holes a hostile week found (issue 12), one test per hole: terminal
//! escapes from data and arguments, `kith doctor` on broken ledgers, bounded
//! imports, undo after forget and with a corrupt journal, honest errors,
//! quiet lock waiting and `.gitignore` lines for paths with spaces.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use kith::core::model::{Detail, Direction, Entry, Ledger, Meeting, Need, Request, Status};

use super::common::{assert_clean_failure, at, date, favour_entry, is_root, person, stderr};
use crate::Env as Sandbox;

/// Each hostile string, by what it tries.
const HOSTILE: &[(&str, &str)] = &[
    ("csi colour", "\u{1b}[31mred\u{1b}[0m"),
    ("kith's own sgr", "\u{1b}[1mbold\u{1b}[0m"),
    ("csi clear", "\u{1b}[2J\u{1b}[H"),
    ("osc title", "\u{1b}]0;pwned\u{7}"),
    (
        "osc hyperlink",
        "\u{1b}]8;;http://evil\u{1b}\\link\u{1b}]8;;\u{1b}\\",
    ),
    ("bel", "ding\u{7}"),
    ("c1 csi", "\u{9b}31mred"),
    ("bidi override", "abc\u{202E}fed"),
    ("bidi isolate", "\u{2066}x\u{2069}"),
    ("zero width", "Al\u{200B}ice"),
    ("line separator", "one\u{2028}two"),
    ("nul", "nul\u{0}byte"),
    ("bom", "\u{FEFF}bom"),
];

fn person_id(n: usize) -> String {
    format!("p-{n:016x}")
}

/// A hand-edited ledger: one person per hostile string, with it in every
/// text field kith shows, and entries of every type.
fn hostile_ledger() -> Ledger {
    let mut ledger = Ledger::default();
    for (n, (_, bad)) in HOSTILE.iter().enumerate() {
        let id = person_id(n + 1);
        let mut p = person(&id, &format!("Eve{n} {bad}"));
        p.org = Some(format!("Org {bad}"));
        p.notes = Some(format!("note {bad}\nsecond line {bad}"));
        p.aliases = vec![format!("alias{n} {bad}")];
        p.emails = vec![format!("eve{n}@example.com")];
        p.tags = vec![format!("tag{bad}")];
        p.how_met = Some(format!("met {bad}"));
        p.needs.push(Need {
            id: format!("n-{n:016x}"),
            text: format!("needs {bad}"),
            since: date("2026-10-01"),
            done: false,
            extra: Default::default(),
        });
        ledger.people.push(p);
        let entry = |suffix: u64, day: &str, detail: Detail| Entry {
            id: format!("e-{:012x}{suffix:04x}", n + 1),
            person: id.clone(),
            date: date(day),
            recorded: at(day),
            updated: at(day),
            detail,
            source_id: None,
            extra: Default::default(),
        };
        let mut gave = favour_entry("", &id, "2026-06-01", true, &format!("gave {bad}"));
        gave.id = format!("e-{:012x}0001", n + 1);
        ledger.entries.push(gave);
        let mut got = favour_entry("", &id, "2026-07-01", false, &format!("got {bad}"));
        got.id = format!("e-{:012x}0002", n + 1);
        ledger.entries.push(got);
        ledger.entries.push(entry(
            3,
            "2026-08-01",
            Detail::Met(Meeting {
                how: kith::core::model::How::Coffee,
                note: Some(format!("coffee {bad}")),
            }),
        ));
        for (suffix, direction) in [(4, Direction::In), (5, Direction::Out)] {
            ledger.entries.push(entry(
                suffix,
                "2026-09-01",
                Detail::Ask(Request {
                    what: format!("asks {bad}"),
                    direction,
                    status: Status::Open,
                    nudges: Vec::new(),
                    note: Some(format!("why {bad}")),
                }),
            ));
        }
    }
    ledger.sort_entries();
    ledger
}

/// Every command that prints names, notes or arguments, for person `id`.
fn commands(id: &str) -> Vec<Vec<String>> {
    let hostile_arg = "x\u{1b}[31m\u{202E}y";
    let rows: Vec<Vec<&str>> = vec![
        vec!["people"],
        vec!["people", "--all"],
        vec!["people", "--duplicates"],
        vec!["show", id],
        vec!["log"],
        vec!["log", id],
        vec!["check", id],
        vec!["check", hostile_arg],
        vec!["balance", "--all"],
        vec!["who"],
        vec!["requests"],
        vec!["followups"],
        vec!["report", "--month"],
        vec!["report", "--month", "--format", "markdown"],
        vec!["stats"],
        vec!["export", "csv"],
        vec!["export", "vcard"],
        vec!["export", "ics"],
        vec!["doctor"],
        vec!["config", hostile_arg, "1"],
        vec!["show", hostile_arg],
        vec!["gave", hostile_arg, "a thing"],
        vec!["add", hostile_arg],
        vec!["gave", id, "a thing"],
        vec!["met", id, "a chat"],
        vec!["need", id, "a job"],
        vec!["edit", id, "--org", "Plain Org"],
        vec!["flag", id, "--reason", "quiet"],
        vec!["--ledger", hostile_arg, "people"],
    ];
    rows.into_iter()
        .map(|row| row.into_iter().map(str::to_string).collect())
        .collect()
}

/// The SGR parameters kith's own colours use (see `view::escape`).
fn own_sgr(params: &str) -> bool {
    matches!(
        params,
        "" | "0" | "1" | "2" | "3" | "4" | "22" | "23" | "24" | "39" | "49"
    ) || params
        .strip_prefix("38;5;")
        .or_else(|| params.strip_prefix("48;5;"))
        .is_some_and(|n| n.parse::<u8>().is_ok_and(|n| n < 16))
}

/// What is wrong with `text` as terminal output, if anything: with `colors`
/// only kith's own SGR sequences may hold an ESC; no other control character
/// (but newline, and CR before newline) or invisible format character.
fn terminal_unsafe(text: &str, colors: bool) -> Option<String> {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let width = c.len_utf8();
        if c == '\u{1b}' && colors {
            let body = rest.get(2..).unwrap_or_default();
            let end = body
                .find(|c: char| !(c.is_ascii_digit() || c == ';'))
                .unwrap_or(body.len());
            let ok = rest.starts_with("\u{1b}[")
                && body.get(end..).is_some_and(|t| t.starts_with('m'))
                && own_sgr(&body[..end]);
            if !ok {
                return Some(format!(
                    "foreign escape at {:?}",
                    &rest[..rest.len().min(20)]
                ));
            }
            rest = &rest[2 + end + 1..];
            continue;
        }
        let crlf = c == '\r' && rest[width..].starts_with('\n');
        if kith::core::chars::is_unsafe(c) && c != '\n' && !crlf {
            return Some(format!(
                "raw U+{:04X} in {:?}",
                u32::from(c),
                &rest[..rest.len().min(30)]
            ));
        }
        rest = &rest[width..];
    }
    None
}

#[test]
fn hostile_text_never_reaches_the_terminal_raw() {
    let ledger = hostile_ledger();
    let mut failures = Vec::new();
    for n in 1..=HOSTILE.len() {
        let id = person_id(n);
        let (what, bad) = HOSTILE[n - 1];
        for args in commands(&id) {
            for colors in [false, true] {
                // A fresh copy each time: write commands must not change what
                // the next command sees.
                let sandbox = Sandbox::with(&ledger);
                let mut cmd = sandbox.cmd();
                if colors {
                    cmd.args(["--color", "always"]);
                } else {
                    cmd.env("NO_COLOR", "1").args(["--color", "never"]);
                }
                let out = cmd.args(&args).output().unwrap();
                super::common::assert_no_panic(&out, &format!("{args:?}"));
                for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                    let text = String::from_utf8_lossy(bytes);
                    if !colors && text.contains('\u{1b}') {
                        failures.push(format!(
                            "{what}: kith {args:?} ({stream}): ESC with colours off"
                        ));
                    } else if text.contains(bad) {
                        // Even a sequence kith itself uses (a reset) must
                        // not come from the data.
                        failures.push(format!(
                            "{what}: kith {args:?} colors={colors} ({stream}): the data's own sequence"
                        ));
                    } else if let Some(problem) = terminal_unsafe(&text, colors) {
                        failures.push(format!(
                            "{what}: kith {args:?} colors={colors} ({stream}): {problem}"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} leaks, e.g.:\n{}",
        failures.len(),
        failures
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn json_output_stays_exact() {
    let ledger = hostile_ledger();
    let sandbox = Sandbox::with(&ledger);
    let out = sandbox.ok(&["--json", "show", &person_id(1)]);
    let shown: serde_json::Value = serde_json::from_str(&out).unwrap();
    let name = shown["name"]
        .as_str()
        .or_else(|| shown["person"]["name"].as_str())
        .unwrap();
    assert_eq!(name, format!("Eve0 {}", HOSTILE[0].1));
    // A report asked for as JSON is a document too: exact, and valid JSON
    // (escaping U+202E as `\u{202e}` inside a string made it invalid).
    let out = sandbox.ok(&["report", "--format", "json", "--since", "1970-01-01"]);
    let report: serde_json::Value = serde_json::from_str(&out).expect("report --format json");
    assert!(report.is_object());
    assert!(
        out.contains('\u{202E}'),
        "the bidi character was changed: {out}"
    );
    let out = sandbox.ok(&["export", "json"]);
    assert_eq!(Some(out.into_bytes()), sandbox.bytes());
}

#[test]
fn export_csv_neutralises_formulas() {
    let mut ledger = Ledger::default();
    let mut p = person("p-00000000000000f1", "=HYPERLINK(\"http://evil\",\"x\")");
    p.phones = vec!["+1 555 0100".into()];
    p.org = Some("@SUM(A1:A9)".into());
    ledger.people.push(p);
    let sandbox = Sandbox::with(&ledger);
    let out = sandbox.ok(&["export", "csv"]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let field = |name: &str| {
        row.get(headers.iter().position(|h| h == name).unwrap())
            .unwrap()
            .to_string()
    };
    assert_eq!(field("name"), "'=HYPERLINK(\"http://evil\",\"x\")");
    assert_eq!(field("phones"), "'+1 555 0100");
    assert_eq!(field("org"), "'@SUM(A1:A9)");
}

#[test]
fn new_arguments_with_bidi_or_invisible_characters_are_refused() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["add", "Ann"]);
    let before = sandbox.bytes();
    for args in [
        vec!["add", "Al\u{202E}ecila"],
        vec!["add", "Zero\u{200B}Width"],
        vec!["add", "Bob", "--org", "Ac\u{2066}me\u{2069}"],
        vec!["gave", "ann", "a line\u{2028}break"],
        vec!["met", "ann", "note\u{FEFF}"],
        vec!["edit", "ann", "--name", "A\u{200F}nn"],
    ] {
        let out = sandbox.run(&args);
        assert_clean_failure(&out, &format!("{args:?}"));
        assert!(
            stderr(&out).contains("invisible or bidi character"),
            "{}",
            stderr(&out)
        );
        assert_eq!(sandbox.bytes(), before, "{args:?} changed the ledger");
    }
}

// --- kith doctor -------------------------------------------------------------

fn doctor(sandbox: &Sandbox) -> (Output, serde_json::Value) {
    let human = sandbox.run(["doctor"]);
    let json = sandbox.run(["--json", "doctor"]);
    let value = serde_json::from_slice(&json.stdout).unwrap_or_else(|err| {
        panic!(
            "doctor --json: {err}: {}",
            String::from_utf8_lossy(&json.stdout)
        )
    });
    assert_eq!(json.status.code(), human.status.code());
    (human, value)
}

/// The (rule, id) pairs `kith doctor --json` reported.
fn found(value: &serde_json::Value) -> Vec<(String, String)> {
    value["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert!(!p["fix"].as_str().unwrap().is_empty());
            (
                p["rule"].as_str().unwrap().to_string(),
                p["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn doctor_passes_a_clean_ledger() {
    let mut ledger = Ledger::default();
    ledger.people.push(person("p-00000000000000a1", "Ann Lee"));
    ledger.entries.push(favour_entry(
        "e-0000000000000001",
        "p-00000000000000a1",
        "2026-05-01",
        true,
        "an intro",
    ));
    let sandbox = Sandbox::with(&ledger);
    let (human, value) = doctor(&sandbox);
    assert_eq!(human.status.code(), Some(0), "{}", stderr(&human));
    assert_eq!(value["count"], 0);
}

#[test]
fn doctor_lists_each_broken_text_rule_with_its_id_and_fix() {
    let mut ledger = Ledger::default();
    let cases = [
        ("p-00000000000000b1", " ".to_string(), "empty-name"),
        (
            "p-00000000000000b2",
            "Ev\u{1b}[2Jil".to_string(),
            "control-character",
        ),
        (
            "p-00000000000000b3",
            "Al\u{202E}ice".to_string(),
            "invisible-character",
        ),
        ("p-00000000000000b4", "x".repeat(10_000_000), "too-long"),
    ];
    for (id, name, _) in &cases {
        ledger.people.push(person(id, name));
    }
    let mut long_note = favour_entry(
        "e-00000000000000c1",
        "p-00000000000000b2",
        "2026-05-01",
        true,
        "ok",
    );
    if let Detail::Gave(f) = &mut long_note.detail {
        f.what = "w".repeat(10_001);
    }
    ledger.entries.push(long_note);
    // It loads: nobody is locked out of their own data.
    let sandbox = Sandbox::with(&ledger);
    sandbox.ok(&["--json", "people"]);
    // And a table of it comes back (cut at the limit), not after minutes.
    let mut people = sandbox.cmd();
    people.arg("people");
    let out = run_with_deadline(&mut people, Duration::from_secs(60));
    assert!(out.status.success());
    assert!(out.stdout.len() < 100_000);
    let (human, value) = doctor(&sandbox);
    assert_eq!(human.status.code(), Some(1));
    let found = found(&value);
    for (id, _, rule) in &cases {
        assert!(
            found.contains(&(rule.to_string(), id.to_string())),
            "{rule} {id} not in {found:?}"
        );
    }
    assert!(found.contains(&("too-long".into(), "e-00000000000000c1".into())));
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("fix: kith edit p-00000000000000b1 --name NAME"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202E}'));
    assert!(text.len() < 100_000, "the long name is not printed whole");
}

#[test]
fn doctor_lists_ids_dates_and_double_answers() {
    let mut ledger = Ledger::default();
    ledger.people.push(person("p-00000000000000d1", "Ann"));
    ledger.people.push(person("p-00000000000000d1", "Ann twin"));
    let ask = Entry {
        id: "e-00000000000000a0".into(),
        person: "p-00000000000000d1".into(),
        date: date("2026-03-01"),
        recorded: at("2026-03-01"),
        updated: at("2026-03-01"),
        detail: Detail::Ask(Request {
            what: "a job".into(),
            direction: Direction::In,
            status: Status::Granted,
            nudges: Vec::new(),
            note: None,
        }),
        source_id: None,
        extra: Default::default(),
    };
    ledger.entries.push(ask);
    for (id, who, day) in [
        ("e-00000000000000a1", "p-00000000000000d1", "2026-03-02"),
        ("e-00000000000000a2", "p-00000000000000d1", "2026-03-03"),
        ("e-00000000000000a3", "p-0000000000000404", "2026-03-04"),
        ("e-00000000000000a4", "p-00000000000000d1", "2027-01-01"),
        ("e-00000000000000a4", "p-00000000000000d1", "2026-03-05"),
    ] {
        let mut e = favour_entry(id, who, day, true, "a lead");
        if (id == "e-00000000000000a1" || id == "e-00000000000000a2")
            && let Detail::Gave(f) = &mut e.detail
        {
            f.resolves = Some("e-00000000000000a0".into());
        }
        ledger.entries.push(e);
    }
    let sandbox = Sandbox::with(&ledger);
    // These stay load errors (acting on them could change the wrong
    // record), and the error points at the doctor.
    let refused = sandbox.run(["people"]);
    assert_clean_failure(&refused, "people on a ledger with a duplicate id");
    assert!(
        stderr(&refused).contains("kith doctor"),
        "{}",
        stderr(&refused)
    );
    let (human, value) = doctor(&sandbox);
    assert_eq!(human.status.code(), Some(1));
    let found = found(&value);
    for expected in [
        ("duplicate-id", "p-00000000000000d1"),
        ("duplicate-id", "e-00000000000000a4"),
        ("dangling-person", "e-00000000000000a3"),
        ("date-out-of-range", "e-00000000000000a4"),
        ("answered-twice", "e-00000000000000a2"),
    ] {
        assert!(
            found.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} not in {found:?}"
        );
    }
}

#[test]
fn merge_says_how_many_problems_it_brought_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut ours = Ledger::default();
    ours.people.push(person("p-00000000000000e1", "Ann"));
    let mut theirs = ours.clone();
    theirs
        .people
        .push(person("p-00000000000000e2", "Bad\u{1b}[2J"));
    theirs.people.push(person("p-00000000000000e3", ""));
    let write = |name: &str, ledger: &Ledger| {
        let path = dir.path().join(name);
        std::fs::write(&path, kith::core::model::to_pretty_json(ledger).unwrap()).unwrap();
        path
    };
    let (base, ours, theirs) = (write("o", &ours), write("a", &ours), write("b", &theirs));
    let sandbox = Sandbox::new();
    let out = sandbox.run([
        "merge".as_ref(),
        base.as_os_str(),
        ours.as_os_str(),
        theirs.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("brought in 2 problems") && err.contains("kith doctor"),
        "{err}"
    );
}

// --- bounded imports ---------------------------------------------------------

/// Runs kith with a deadline: a read without bounds would not come back.
fn run_with_deadline(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kith {cmd:?} was still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn imports_refuse_devices_huge_files_and_huge_lines_before_reading_them() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["add", "Ann"]);
    let before = sandbox.bytes();
    let sparse = sandbox.dir.path().join("huge.csv");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(300 * 1024 * 1024)
        .unwrap();
    let long = sandbox.dir.path().join("long.csv");
    let mut file = std::fs::File::create(&long).unwrap();
    file.write_all(b"name,email\n").unwrap();
    file.write_all(&vec![b'x'; 2 * 1024 * 1024]).unwrap();
    file.write_all(b",x@example.com\n").unwrap();
    drop(file);
    let cases: [(&str, &Path, &str); 5] = [
        ("csv", Path::new("/dev/zero"), "not a regular file"),
        ("vcard", Path::new("/dev/zero"), "not a regular file"),
        ("csv", &sparse, "300 MiB"),
        ("linkedin", &sparse, "300 MiB"),
        ("csv", &long, "longer than 1 MiB"),
    ];
    for (format, path, says) in cases {
        let mut cmd = sandbox.cmd();
        cmd.args(["import", format]).arg(path);
        let out = run_with_deadline(&mut cmd, Duration::from_secs(60));
        assert_clean_failure(&out, &format!("import {format} {}", path.display()));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
        assert_eq!(sandbox.bytes(), before);
    }
}

#[test]
fn imports_drop_bidi_and_invisible_characters_and_say_how_many() {
    let sandbox = Sandbox::new();
    let card = sandbox.dir.path().join("spoof.vcf");
    std::fs::write(
        &card,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Al\u{202E}ecila\u{202C}\r\nEMAIL:al\u{200B}@example.com\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let out = sandbox.ok(&["import", "vcard", card.to_str().unwrap()]);
    let said = out;
    assert!(
        said.contains("3 control or invisible characters cleaned"),
        "{said}"
    );
    let ledger = sandbox.load();
    assert_eq!(ledger.people[0].name, "Alecila");
    assert_eq!(ledger.people[0].emails, ["al@example.com"]);
}

// --- undo ----------------------------------------------------------------------

#[test]
fn undo_after_forget_refuses_and_undoes_nothing_older() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["add", "Ann Lee"]);
    sandbox.ok(&["add", "Annie Lee", "--allow-duplicate"]);
    sandbox.ok(&["add", "Bob"]);
    sandbox.ok(&["gave", "bob", "a book"]);
    sandbox.ok(&["merge-people", "Ann Lee", "Annie Lee"]);
    sandbox.ok(&["forget", "bob", "--yes"]);
    let before = sandbox.bytes();
    let out = sandbox.run(["undo"]);
    assert_clean_failure(&out, "undo after forget");
    assert!(stderr(&out).contains("forg"), "{}", stderr(&out));
    assert_eq!(sandbox.bytes(), before, "undo changed the ledger");
    // Asking again changes nothing either: the merge of Ann stays.
    assert_clean_failure(&sandbox.run(["undo"]), "second undo");
    assert_eq!(sandbox.bytes(), before);
    // A change after the forget is undoable, and then the barrier holds.
    sandbox.ok(&["add", "Cy"]);
    sandbox.ok(&["undo"]);
    assert_eq!(
        sandbox.bytes().map(|b| b.len()),
        before.as_ref().map(|b| b.len())
    );
    assert_clean_failure(&sandbox.run(["undo"]), "undo past the forget");
    assert_eq!(sandbox.load().people.len(), 1);
}

#[test]
fn a_corrupt_undo_journal_is_refused_then_moved_aside_once() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["add", "Ann"]);
    let journal = sandbox.ledger.with_file_name("ledger.json.undo");
    std::fs::write(&journal, "{\"steps\": [oops").unwrap();
    let before = sandbox.bytes();
    let out = sandbox.run(["undo"]);
    assert_clean_failure(&out, "undo with a corrupt journal");
    assert!(
        stderr(&out).contains("ledger.json.undo"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sandbox.bytes(), before);
    assert!(journal.exists(), "undo must not touch the journal");

    let out = sandbox.run(["add", "Bob"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("ledger.json.undo.corrupt-"),
        "{}",
        stderr(&out)
    );
    let aside: Vec<_> = std::fs::read_dir(sandbox.ledger.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("ledger.json.undo.corrupt-")
        })
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read_to_string(aside[0].path()).unwrap(),
        "{\"steps\": [oops"
    );
    // Said once: the next write is silent, and undo works again.
    let out = sandbox.run(["add", "Cy"]);
    assert!(out.status.success());
    assert!(!stderr(&out).contains("journal"), "{}", stderr(&out));
    sandbox.ok(&["undo"]);
    assert_eq!(sandbox.load().people.len(), 2);
}

// --- honest errors -------------------------------------------------------------

#[test]
fn a_backup_that_does_not_parse_is_not_offered_as_the_way_back() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["add", "Ann"]);
    std::fs::write(&sandbox.ledger, "{ broken").unwrap();
    std::fs::write(
        sandbox.ledger.with_file_name("ledger.json.bak"),
        "{ also broken",
    )
    .unwrap();
    let err = stderr(&sandbox.run(["people"]));
    assert!(err.contains("does not load either"), "{err}");
    assert!(!err.contains("compare the two"), "{err}");
    // A good backup is offered.
    std::fs::write(
        sandbox.ledger.with_file_name("ledger.json.bak"),
        "{\"kith\": 1}",
    )
    .unwrap();
    let err = stderr(&sandbox.run(["people"]));
    assert!(err.contains("loads: compare the two"), "{err}");
}

#[test]
fn a_whitespace_only_ledger_is_reported_with_its_real_size() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["add", "Ann"]);
    std::fs::write(&sandbox.ledger, "  \n\n \t\n").unwrap();
    let err = stderr(&sandbox.run(["people"]));
    assert!(err.contains("(7 bytes)"), "{err}");
}

#[test]
fn a_failed_write_names_the_step_that_failed() {
    if !is_root() || Command::new("chattr").arg("--help").output().is_err() {
        eprintln!("skipping: needs root and chattr");
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.ok(&["add", "Ann"]);
    let set = Command::new("chattr")
        .arg("+i")
        .arg(&sandbox.ledger)
        .status();
    if !set.is_ok_and(|s| s.success()) {
        eprintln!("skipping: the file system has no immutable flag");
        return;
    }
    let out = sandbox.run(["add", "Bob"]);
    let _ = Command::new("chattr")
        .arg("-i")
        .arg(&sandbox.ledger)
        .status();
    assert_clean_failure(&out, "add to an immutable ledger");
    let err = stderr(&out);
    assert!(
        err.contains("could not rename the temp file over")
            || err.contains("could not keep a backup"),
        "{err}"
    );
    assert!(err.contains("Operation not permitted"), "{err}");
}

// --- quiet waiting and .gitignore ------------------------------------------------

fn with_lock_held(sandbox: &Sandbox, hold: Duration, args: &[&str]) -> Output {
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(sandbox.ledger.with_file_name("ledger.json.lock"))
        .unwrap();
    lock.lock().unwrap();
    let child = sandbox
        .cmd()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(hold);
    lock.unlock().unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn lock_waiting_is_said_once_after_half_a_second_and_never_under_quiet() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["add", "Ann"]);
    let short = with_lock_held(&sandbox, Duration::from_millis(100), &["gave", "ann", "a"]);
    assert!(short.status.success());
    assert!(!stderr(&short).contains("waiting"), "{}", stderr(&short));
    let long = with_lock_held(&sandbox, Duration::from_millis(3000), &["gave", "ann", "b"]);
    assert!(long.status.success());
    assert_eq!(stderr(&long).matches("waiting for another kith").count(), 1);
    let quiet = with_lock_held(
        &sandbox,
        Duration::from_millis(3000),
        &["-q", "gave", "ann", "c"],
    );
    assert!(quiet.status.success());
    assert_eq!(stderr(&quiet), "");
}

#[test]
fn gitignore_lines_for_paths_with_spaces_are_understood_by_git() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipping: git is not installed");
        return;
    }
    let sandbox = Sandbox::new();
    let repo = sandbox.dir.path().join("repo");
    let ledger = repo.join("my kith").join("ledger.json");
    std::fs::create_dir_all(ledger.parent().unwrap()).unwrap();
    let out = sandbox
        .cmd()
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@t")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@t")
        .arg("--ledger")
        .arg(&ledger)
        .args(["sync", "init"])
        .arg(&repo)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let ignore = std::fs::read_to_string(repo.join(".gitignore")).unwrap();
    assert!(!ignore.contains('"'), "{ignore}");
    for sidecar in ["ledger.json.lock", "ledger.json.bak", "ledger.json.bak.new"] {
        let checked = Command::new("git")
            .arg("-C")
            .arg(&repo)
            .args(["check-ignore", "-q", "--no-index"])
            .arg(format!("my kith/{sidecar}"))
            .status()
            .unwrap();
        assert!(
            checked.success(),
            "`my kith/{sidecar}` is not ignored:\n{ignore}"
        );
    }
}
