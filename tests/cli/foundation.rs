//! The foundation: people and logging commands, the scripted scenario of
//! issue 2, refusals of bad input, and the store's on-disk promises.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::{Value, json};

use super::{Env, TODAY, mode, newest_entry};

fn entry_ids(env: &Env) -> Vec<String> {
    env.ledger_json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

fn balance_of(env: &Env, name: &str) -> Value {
    let rows = env.json(&["balance"]);
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("{name} not in balance: {rows}"))
}

#[test]
fn scripted_scenario_leaves_the_entries_and_balances_the_spec_defines() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Alice Smith",
        "--org",
        "Acme",
        "--email",
        "alice@acme.io",
    ]);
    env.ok(&["add", "Bob Jones", "--tag", "student"]);
    env.ok(&["add", "Carol Diaz", "--alias", "Caz"]);

    env.ok(&[
        "met",
        "Carol",
        "coffee catch-up",
        "--how",
        "coffee",
        "--date",
        "2026-11-01",
    ]);
    env.ok(&[
        "gave",
        "alice",
        "intro to Dana at Stripe",
        "--kind",
        "intro",
        "--date",
        "3 days ago",
    ]);
    env.ok(&[
        "got",
        "alice",
        "client referral",
        "--kind",
        "referral",
        "--date",
        "yesterday",
    ]);
    env.ok(&[
        "got",
        "Bob Jones",
        "book",
        "--kind",
        "gift",
        "--weight",
        "1",
    ]);
    env.ok(&[
        "asked",
        "bob",
        "feedback on thesis",
        "--date",
        "last monday",
    ]);
    let bob_request = newest_entry(&env);
    env.ok(&["ask", "caz", "a warm intro to her CTO"]);
    env.ok(&["intro", "alice", "carol", "both hiring designers"]);

    // A mistaken favour, undone; another amended; a third removed.
    env.ok(&["gave", "bob", "wrong entry", "--kind", "money"]);
    let undone = env.ok(&["undo"]);
    assert!(undone.contains("undid"), "{undone}");
    env.ok(&[
        "gave",
        "bob",
        "thesis feedback",
        "--kind",
        "advice",
        "--for",
        &bob_request[..8],
    ]);
    let feedback = newest_entry(&env);
    env.ok(&["amend", &feedback[..8], "--weight", "2"]);
    env.ok(&["met", "bob", "typo"]);
    let typo = newest_entry(&env);
    env.ok(&["rm", &typo[..8]]);

    let log = env.json(&["log"]);
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 9, "{log:#}");
    assert!(
        entries
            .iter()
            .all(|e| e["what"] != "wrong entry" && e["id"] != typo.as_str())
    );
    // Newest first by date; names attached.
    assert_eq!(entries[entries.len() - 1]["name"], "Carol Diaz");
    let amended = entries
        .iter()
        .find(|e| e["id"] == feedback.as_str())
        .unwrap();
    assert_eq!(amended["weight"], 2);
    assert_eq!(amended["kind"], "advice");
    assert_eq!(amended["resolves"], bob_request.as_str());
    let request = entries
        .iter()
        .find(|e| e["id"] == bob_request.as_str())
        .unwrap();
    assert_eq!(request["status"], "granted");
    assert_eq!(request["date"], "2026-11-16");

    // Alice: gave intro 3 + intro 3, got referral 4 → net +2.
    let alice = balance_of(&env, "Alice Smith");
    assert_eq!(alice["given"], json!({"count": 2, "weight": 6}));
    assert_eq!(alice["received"], json!({"count": 1, "weight": 4}));
    assert_eq!(alice["net"], 2);
    assert_eq!(alice["last_exchange"], TODAY);
    // Bob: gave advice 2, got gift 1 → net +1.
    let bob = balance_of(&env, "Bob Jones");
    assert_eq!(bob["net"], 1);
    assert_eq!(bob["given"]["count"], 1);
    // Carol: met, asked, got an intro (3) → net +3, last exchange today.
    let carol = balance_of(&env, "Carol Diaz");
    assert_eq!(carol["net"], 3);
    assert_eq!(carol["received"]["count"], 0);
    assert_eq!(carol["last_exchange"], TODAY);
}

#[test]
fn people_commands_work_end_to_end() {
    let env = Env::new();
    let added = env.ok(&[
        "add",
        "Zoë Ångström",
        "--alias",
        "Zo",
        "--email",
        "zoe@example.org",
        "--phone",
        "+1 555 0100",
        "--url",
        "https://linkedin.com/in/zoe",
        "--org",
        "Nordic AB",
        "--tag",
        "Student",
        "--how-met",
        "PyCon 2024",
        "--met-on",
        "2024-05-02",
        "--note",
        "likes rust\nand climbing",
        "--cadence",
        "30",
    ]);
    assert!(
        added.starts_with("added Zoë Ångström (Nordic AB) p-"),
        "{added}"
    );
    env.ok(&["add", "Bob Jones"]);

    // Matching ignores case and accents; the profile carries every field.
    let zoe = env.json(&["show", "zoe angstrom"]);
    assert_eq!(zoe["name"], "Zoë Ångström");
    assert_eq!(zoe["aliases"], json!(["Zo"]));
    assert_eq!(zoe["tags"], json!(["student"]));
    assert_eq!(zoe["met_on"], "2024-05-02");
    assert_eq!(zoe["cadence_days"], 30);
    assert_eq!(zoe["balance"]["net"], 0);
    let text = env.ok(&["show", "ZOE@example.org"]);
    assert!(text.contains("likes rust"), "{text}");

    env.ok(&[
        "edit",
        "zo",
        "--org",
        "Fjord AS",
        "--tag",
        "-student",
        "--tag",
        "+climber",
        "--email",
        "z@fjord.no",
        "--cadence",
        "none",
    ]);
    let zoe = env.json(&["show", "zo"]);
    assert_eq!(zoe["org"], "Fjord AS");
    assert_eq!(zoe["tags"], json!(["climber"]));
    assert_eq!(zoe["emails"], json!(["zoe@example.org", "z@fjord.no"]));
    assert_eq!(zoe["cadence_days"], Value::Null);

    env.ok(&["need", "zo", "a climbing partner in Oslo"]);
    let need_id = env.json(&["show", "zo"])["needs"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    env.ok(&["need", "zo", "--done", &need_id[..6]]);
    assert_eq!(env.json(&["show", "zo"])["needs"][0]["done"], true);

    env.ok(&["snooze", "bob", "--for", "10"]);
    assert_eq!(env.json(&["show", "bob"])["snoozed_until"], "2026-11-30");
    env.ok(&["unsnooze", "bob"]);
    env.ok(&["snooze", "bob"]);
    assert_eq!(env.json(&["show", "bob"])["snoozed_until"], "2027-02-18");
    env.ok(&["snooze", "bob", "--until", "2027-01-01"]);
    assert_eq!(env.json(&["show", "bob"])["snoozed_until"], "2027-01-01");

    env.ok(&[
        "flag",
        "bob",
        "--reason",
        "only calls when he needs something",
    ]);
    let bob = env.json(&["show", "bob"]);
    assert_eq!(bob["flag"]["date"], TODAY);
    assert_eq!(bob["flag"]["reason"], "only calls when he needs something");
    env.ok(&["unflag", "bob"]);
    assert_eq!(env.json(&["show", "bob"])["flag"], Value::Null);

    env.ok(&["archive", "bob"]);
    let listed = env.json(&["people"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(env.json(&["ls", "--all"]).as_array().unwrap().len(), 2);
    env.ok(&["unarchive", "bob"]);
    assert_eq!(
        env.json(&["people", "--search", "fjord"])[0]["name"],
        "Zoë Ångström"
    );
    assert_eq!(
        env.json(&["people", "--tag", "climber"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let table = env.ok(&["people"]);
    assert!(
        table.contains("Bob Jones") && table.contains("Fjord AS"),
        "{table}"
    );

    env.ok(&["gave", "bob", "lunch", "--kind", "gift"]);
    let refused = env.fails(&["forget", "bob"]);
    assert!(refused.contains("--yes"), "{refused}");
    let forgot = env.ok(&["forget", "bob", "--yes"]);
    assert!(
        forgot.contains("forgot Bob Jones and 1 entries"),
        "{forgot}"
    );
    assert!(forgot.contains("cannot be undone"), "{forgot}");
    assert_eq!(env.json(&["ls", "--all"]).as_array().unwrap().len(), 1);
    assert_eq!(env.json(&["log"]).as_array().unwrap().len(), 0);
    // Nothing of Bob lingers in the undo journal, and forget itself is final.
    let journal = std::fs::read_to_string(env.ledger.with_file_name("ledger.json.undo")).unwrap();
    assert!(
        !journal.contains("Bob Jones") && !journal.contains("lunch"),
        "{journal}"
    );
    assert!(journal.contains("Zoë"), "other steps stay: {journal}");
    // Undo stops at the forget instead of undoing an older change (issue 12).
    let refused = env.fails(&["undo"]);
    assert!(refused.contains("is final"), "{refused}");
    assert_eq!(env.json(&["ls", "--all"]).as_array().unwrap().len(), 1);
}

#[test]
fn requests_flow_through_decline_nudge_lapse_and_grant() {
    let env = Env::new();
    env.ok(&["add", "Dana Lee"]);
    env.ok(&[
        "asked",
        "dana",
        "a reference letter",
        "--date",
        "2026-11-01",
    ]);
    let theirs = newest_entry(&env);
    env.ok(&["ask", "dana", "an intro to her VC", "--date", "2026-11-02"]);
    let mine = newest_entry(&env);

    // Each command checks the request's direction.
    assert!(env.fails(&["decline", &mine[..8]]).contains("other way"));
    assert!(env.fails(&["nudge", &theirs[..8]]).contains("other way"));
    assert!(
        env.fails(&["gave", "dana", "x", "--for", &mine[..8]])
            .contains("other way")
    );
    assert!(
        env.fails(&["got", "dana", "x", "--for", &theirs[..8]])
            .contains("other way")
    );

    env.ok(&["nudge", &mine[..8], "--date", "2026-11-15"]);
    env.ok(&["decline", &theirs[..8], "--note", "no time this month"]);
    let log = env.json(&["log", "dana", "--type", "ask"]);
    let mine_row = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == mine.as_str())
        .unwrap();
    assert_eq!(mine_row["nudges"], json!(["2026-11-15"]));
    let theirs_row = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == theirs.as_str())
        .unwrap();
    assert_eq!(theirs_row["status"], "declined");
    assert_eq!(theirs_row["note"], "no time this month");
    // A closed request cannot be closed again.
    assert!(
        env.fails(&["decline", &theirs[..8]])
            .contains("already declined")
    );

    env.ok(&["lapse", &mine[..8]]);
    assert!(
        env.fails(&["got", "dana", "x", "--for", &mine[..8]])
            .contains("already lapsed")
    );

    // A favour given for a request grants it; removing the favour reopens it.
    env.ok(&["asked", "dana", "a quick review"]);
    let review = newest_entry(&env);
    env.ok(&[
        "gave",
        "dana",
        "reviewed her draft",
        "--kind",
        "help",
        "--for",
        &review[..8],
    ]);
    let favour = newest_entry(&env);
    let status = |env: &Env| {
        let rows = env.json(&["log", "dana"]);
        rows.as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == review.as_str())
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status(&env), "granted");
    env.ok(&["rm", &favour[..8]]);
    assert_eq!(status(&env), "open");
}

#[test]
fn ask_warns_to_give_first_but_still_records() {
    let env = Env::new();
    env.ok(&["add", "Judy Park"]);
    let out = env.output(&["ask", "judy", "a job referral"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning:") && stderr.contains("not helped Judy Park"),
        "{stderr}"
    );
    assert_eq!(env.json(&["log"]).as_array().unwrap().len(), 1);

    env.ok(&["gave", "judy", "coffee", "--kind", "gift"]);
    env.ok(&["got", "judy", "client referral", "--kind", "referral"]);
    let out = env.output(&["ask", "judy", "another favour"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("client referral"), "{stderr}");

    env.ok(&["gave", "judy", "intro", "--kind", "referral"]);
    let out = env.output(&["ask", "judy", "a third favour"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn intro_needs_an_exchange_with_both_or_anyway() {
    let env = Env::new();
    env.ok(&["add", "Ann Lee"]);
    env.ok(&["add", "Ben Cho"]);
    env.ok(&["met", "ann", "--how", "call"]);
    let err = env.fails(&["intro", "ann", "ben", "both into climbing"]);
    assert!(err.contains("Ben Cho") && err.contains("--anyway"), "{err}");
    assert!(
        env.fails(&["intro", "ann", "ann", "self"])
            .contains("two different people")
    );
    let out = env.ok(&["intro", "ann", "ben", "both into climbing", "--anyway"]);
    assert!(out.contains("introduced Ann Lee and Ben Cho"), "{out}");
    let log = env.json(&["log", "--type", "gave"]);
    assert_eq!(log.as_array().unwrap().len(), 2);
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] == "intro" && e["weight"] == 3)
    );
}

#[test]
fn log_for_one_person_has_a_running_net() {
    let env = Env::new();
    env.ok(&[
        "gave",
        "Eve Stone",
        "advice on pricing",
        "--kind",
        "advice",
        "--date",
        "2026-10-01",
        "--add",
    ]);
    env.ok(&[
        "got",
        "eve",
        "intro to investor",
        "--kind",
        "intro",
        "--date",
        "2026-10-05",
    ]);
    env.ok(&[
        "gave",
        "eve",
        "referral",
        "--kind",
        "referral",
        "--date",
        "2026-10-09",
    ]);
    env.ok(&["met", "eve", "--how", "meal", "--date", "2026-10-20"]);
    let log = env.json(&["log", "eve"]);
    let nets: Vec<i64> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["net"].as_i64().unwrap())
        .collect();
    assert_eq!(nets, vec![2, 2, -2, 1]);
    let limited = env.json(&[
        "log",
        "eve",
        "-n",
        "2",
        "--since",
        "2026-10-02",
        "--until",
        "2026-10-30",
    ]);
    assert_eq!(limited.as_array().unwrap().len(), 2);
    assert_eq!(limited[1]["date"], "2026-10-09");
    let table = env.ok(&["log", "eve"]);
    assert!(table.contains("net") && table.contains("-2"), "{table}");
    assert!(
        env.fails(&["log", "--since", "2026-10-10", "--until", "2026-10-01"])
            .contains("after --until")
    );
}

#[test]
fn matching_reports_ambiguity_and_suggestions() {
    let env = Env::new();
    env.ok(&["add", "Sam Rivera", "--org", "Acme"]);
    env.ok(&["add", "Sam Okafor"]);
    let err = env.fails(&["gave", "sam", "x"]);
    assert!(
        err.contains("matches 2 people") && err.contains("Sam Rivera (Acme) p-"),
        "{err}"
    );
    let err = env.fails(&["gave", "Sam Rivere", "x"]);
    assert!(err.contains("did you mean `Sam Rivera`"), "{err}");
    assert!(err.contains("--add"), "{err}");
    env.ok(&["gave", "rivera", "x"]);
    // --add creates only when no one matches, never on ambiguity.
    assert!(
        env.fails(&["gave", "sam", "x", "--add"])
            .contains("matches 2 people")
    );
    env.ok(&["gave", "Sam Lowe", "x", "--add"]);
    assert_eq!(env.json(&["show", "lowe"])["balance"]["given"]["count"], 1);
    let err = env.fails(&["add", "sam rivera"]);
    assert!(err.contains("--allow-duplicate"), "{err}");
    env.ok(&["add", "Sam Rivera", "--allow-duplicate"]);
    assert!(
        env.fails(&["show", "Sam Rivera"])
            .contains("matches 2 people")
    );
    let id = env.json(&["people", "--search", "okafor"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(env.json(&["show", &id[..5]])["name"], "Sam Okafor");
}

#[test]
fn bad_input_is_refused_and_leaves_the_ledger_unchanged() {
    let env = Env::new();
    env.ok(&["add", "Alice Smith"]);
    env.ok(&["asked", "alice", "a favour"]);
    let request = newest_entry(&env);
    env.ok(&["met", "alice"]);
    let meeting = newest_entry(&env);
    let long_name = "x".repeat(201);
    let long_text = "y".repeat(10_001);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["add", ""], "name is empty"),
        (vec!["add", "   "], "name is empty"),
        (vec!["add", "Bad\u{7}Name"], "control character"),
        (vec!["add", &long_name], "limit is 200"),
        (vec!["add", "Ok Name", "--email", "not-an-email"], "email"),
        (vec!["add", "Ok Name", "--cadence", "0"], "out of range"),
        (
            vec!["add", "Ok Name", "--met-on", "2027-01-01"],
            "after today",
        ),
        (vec!["gave", "alice", ""], "empty"),
        (vec!["gave", "alice", "two\nlines"], "control character"),
        (vec!["gave", "alice", &long_text], "limit is 10000"),
        (vec!["gave", "alice", "x", "--weight", "0"], "out of range"),
        (vec!["gave", "alice", "x", "--weight", "6"], "out of range"),
        (
            vec!["gave", "alice", "x", "--weight", "99999999999999999999"],
            "error",
        ),
        (
            vec!["gave", "alice", "x", "--kind", "bribe"],
            "advice, help, gift",
        ),
        (
            vec!["gave", "alice", "x", "--date", "tomorrow"],
            "after today",
        ),
        (
            vec!["gave", "alice", "x", "--date", "2026-02-30"],
            "not a real calendar date",
        ),
        (
            vec!["gave", "alice", "x", "--date", "0000-01-01"],
            "before 1900",
        ),
        (
            vec!["gave", "alice", "x", "--date", "9999-12-31"],
            "after today",
        ),
        (
            vec!["gave", "alice", "x", "--date", "someday"],
            "could not read",
        ),
        (vec!["gave", "nobody", "x"], "no one called"),
        (
            vec!["gave", "alice", "x", "--for", "e-00000000"],
            "no entry",
        ),
        (vec!["gave", "alice", "x", "--for", "e-0"], "too short"),
        (
            vec!["gave", "alice", "x", "--for", &meeting[..9]],
            "not a request",
        ),
        (vec!["met", "alice", "--how", "telepathy"], "coffee, call"),
        (vec!["decline", "e-ffffffff"], "no entry"),
        (vec!["nudge", &request[..9]], "other way"),
        (vec!["lapse", &request[..9]], "other way"),
        (vec!["amend", &meeting[..9]], "nothing to change"),
        (
            vec!["amend", &meeting[..9], "--weight", "3"],
            "no --what, --kind or --weight",
        ),
        (
            vec!["amend", &request[..9], "--date", "next friday"],
            "after today",
        ),
        (vec!["rm", "e-"], "too short"),
        (vec!["edit", "alice"], "nothing to change"),
        (
            vec!["edit", "alice", "--tag", "-nosuchtag"],
            "not in the list",
        ),
        (vec!["edit", "alice", "--cadence", "often"], "not a number"),
        (vec!["need", "alice", "--done", "n-zzzz"], "no need"),
        (
            vec!["snooze", "alice", "--until", "2026-11-01"],
            "not after today",
        ),
        (vec!["unsnooze", "alice"], "not snoozed"),
        (vec!["unflag", "alice"], "not flagged"),
        (vec!["unarchive", "alice"], "already not archived"),
        (vec!["log", "nobody"], "no one called"),
        (vec!["show", ""], "empty"),
        (vec!["frobnicate"], "unrecognized subcommand"),
        (vec!["gave", "alice"], "required"),
        (vec!["--today", "garbage", "log"], "KITH_TODAY"),
    ];
    for (args, expected) in cases {
        let stderr = env.fails(&args);
        assert!(
            stderr.contains(expected),
            "kith {args:?}: expected `{expected}` in:\n{stderr}"
        );
    }
}

#[test]
fn every_command_has_help() {
    let env = Env::new();
    for command in [
        "add",
        "people",
        "ls",
        "show",
        "edit",
        "snooze",
        "unsnooze",
        "need",
        "flag",
        "unflag",
        "archive",
        "unarchive",
        "forget",
        "gave",
        "got",
        "met",
        "asked",
        "ask",
        "intro",
        "decline",
        "nudge",
        "lapse",
        "undo",
        "rm",
        "amend",
        "log",
        "balance",
    ] {
        let out = env.ok(&[command, "--help"]);
        assert!(out.contains("Usage: kith"), "{command}: {out}");
    }
    assert!(env.bytes().is_none(), "help must not create the ledger");
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
              "updated": "2025-01-01T00:00:00Z", "birthday": "05-02"}],
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
    assert_eq!(ledger["people"][0]["birthday"], "05-02");
    assert_eq!(ledger["entries"][0]["mood"], "great");
    assert_eq!(ledger["entries"].as_array().unwrap().len(), 2);
}

#[test]
fn undo_walks_back_step_by_step_and_stops_at_the_start() {
    let env = Env::new();
    env.ok(&["add", "Ann Lee"]);
    let after_add = env.ledger_json();
    env.ok(&["gave", "ann", "first"]);
    let after_first = env.ledger_json();
    env.ok(&["asked", "ann", "a favour"]);
    let request = newest_entry(&env);
    env.ok(&["decline", &request[..9]]);
    assert!(env.ok(&["undo"]).contains("declined"));
    assert_eq!(env.json(&["log", "--type", "ask"])[0]["status"], "open");
    env.ok(&["undo"]);
    assert_eq!(env.ledger_json(), after_first);
    env.ok(&["undo"]);
    assert_eq!(env.ledger_json(), after_add);
    env.ok(&["undo"]);
    assert_eq!(env.ledger_json()["people"], json!([]));
    assert!(env.fails(&["undo"]).contains("nothing to undo"));
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let env = Env::new();
    env.ok(&["add", "Ann Lee"]);
    let person = env.json(&["people"])[0]["id"].clone();
    let mut entries = Vec::new();
    for i in 0..3000 {
        entries.push(json!({
            "id": format!("e-{i:016x}"), "person": person, "type": "gave",
            "date": "2026-01-01", "what": format!("favour number {i} with some words"), "kind": "help",
            "weight": 2, "recorded": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"
        }));
    }
    let mut ledger = env.ledger_json();
    ledger["entries"] = Value::Array(entries);
    env.write_ledger(&ledger.to_string());
    let mut child = env
        .cmd()
        .arg("log")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(first.contains("date"), "{first}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_example_ledger_loads_and_shows_every_standing() {
    let env = Env::new();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ledger.json");
    let before = std::fs::read(example).unwrap();
    let rows = env.json(&["--ledger", example, "balance", "--all"]);
    let mut standings: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["standing"].as_str().unwrap())
        .collect();
    standings.sort();
    standings.dedup();
    assert_eq!(
        standings,
        [
            "flagged",
            "giving",
            "new",
            "one-way",
            "reciprocal",
            "you-owe"
        ]
    );
    assert!(
        env.json(&["--ledger", example, "log"])
            .as_array()
            .unwrap()
            .len()
            >= 80
    );
    let people = env.json(&["--ledger", example, "people", "--all"]);
    assert!(
        people
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["archived"] == true)
    );
    let who = env.ok(&["--ledger", example, "who"]);
    assert!(who.contains("is looking for"), "{who}");
    assert_eq!(
        std::fs::read(example).unwrap(),
        before,
        "read commands must not touch the example"
    );
}
