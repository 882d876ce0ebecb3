//! Logging end to end: the scripted scenario of issue 2 (favours, meetings,
//! requests and their balances), the request flow (decline, nudge, lapse,
//! grant), intros, the per-person log with its running net, undo, refusals of
//! bad input, and a closed stdout.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::{Value, json};

use super::{Env, TODAY, balance_of, newest_entry};

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
    env.write_ledger(ledger.to_string());
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

/// Bad argument values exit 2 (usage) with the next step as a `hint:` line;
/// a need or entry that is not there exits 3.
#[test]
fn bad_values_are_usage_errors_and_missing_things_not_found() {
    let env = Env::new();
    env.ok(&["add", "Alice Smith"]);
    env.ok(&["gave", "alice", "a lift"]);
    let gave = newest_entry(&env);
    let code = |args: &[&str]| {
        let out = env.output(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        (out.status.code(), stderr)
    };
    for (args, message) in [
        (vec!["gave", "alice", "x", "--weight", "6"], "out of range"),
        (vec!["amend", &gave, "--weight", "0"], "out of range"),
        (vec!["amend", &gave, "--date", "someday"], "date"),
        (vec!["amend", &gave, "--how", "call"], "no --how to amend"),
        (vec!["add", "   "], "name is empty"),
        (vec!["edit", "alice", "--cadence", "often"], "not a number"),
        (vec!["edit", "alice", "--tag", "-absent"], "not in the list"),
        (
            vec!["log", "--since", "2026-11-01", "--until", "2026-10-01"],
            "after",
        ),
    ] {
        let (status, stderr) = code(&args);
        assert_eq!(status, Some(2), "kith {args:?}: {stderr}");
        assert!(stderr.contains(message), "kith {args:?}: {stderr}");
    }
    let (status, stderr) = code(&["amend", &gave]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(
        stderr.contains("error: nothing to change\nhint: e.g. `kith amend"),
        "{stderr}"
    );
    let (status, stderr) = code(&["need", "alice", "--done", "7"]);
    assert_eq!(status, Some(3), "{stderr}");
    assert!(
        stderr.contains("hint: `kith show` lists their needs"),
        "{stderr}"
    );
}
