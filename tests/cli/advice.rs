//! The reciprocity engine end to end: a fixture network built through the CLI
//! that covers every standing, every `who` tier, cooldown, snooze, the
//! flagged/archived/one-way exclusions and both follow-up actions; the JSON
//! outputs checked by deserialising them; the tables and the Markdown report
//! pinned with insta snapshots.

use serde::Deserialize;
use serde_json::Value;

use super::{Env, TODAY, newest_entry};

/// `who --json` as the SPEC defines it.
#[derive(Debug, Deserialize)]
struct Suggestion {
    name: String,
    id: String,
    reasons: Vec<Reason>,
    needs: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Reason {
    code: String,
    text: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Tally {
    count: u32,
    weight: u32,
}

/// `check --json`: the SPEC's required keys.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Check {
    name: String,
    known: bool,
    id: Option<String>,
    standing: String,
    given: Tally,
    received: Tally,
    net: i64,
    requests_in: RequestsIn,
    requests_out: RequestsOut,
    last_exchange: Option<String>,
    days_since_exchange: Option<i64>,
    flag: Option<Value>,
    observations: Vec<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct RequestsIn {
    total: u32,
    open: u32,
    granted: u32,
    declined: u32,
}

#[derive(Debug, Deserialize, PartialEq)]
struct RequestsOut {
    total: u32,
    open: u32,
    granted: u32,
    declined: u32,
    lapsed: u32,
}

/// `followups --json`.
#[derive(Debug, Deserialize)]
struct Followup {
    name: String,
    id: String,
    request: String,
    what: String,
    asked_on: String,
    nudged_on: Option<String>,
    action: String,
}

/// `balance --json`.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct BalanceRow {
    name: String,
    id: String,
    given: Tally,
    received: Tally,
    net: i64,
    last_exchange: Option<String>,
    standing: String,
}

/// The fixture network, as of TODAY (2026-11-20). Comments give each person's
/// expected standing and `who` tier.
fn network() -> Env {
    let env = Env::new();
    let ok = |args: &[&str]| env.ok(args);
    ok(&["config", "tag_cadence.family", "14"]);
    for (name, tags) in [
        ("Grace Hopper", &["student"][..]),
        ("Judy Garland", &[]),
        ("Alice Smith", &[]),
        ("Mona Lisa", &["family"]),
        ("Ken Thompson", &[]),
        ("Pat Sajak", &[]),
        ("Zoe Saldana", &["student"]),
        ("Ned Stark", &[]),
        ("Cody Banks", &[]),
        ("Sam Spade", &[]),
        ("Fay Wray", &[]),
        ("Archie Andrews", &[]),
        ("Oscar Wilde", &[]),
    ] {
        let mut args = vec!["add", name];
        for tag in tags {
            args.extend(["--tag", tag]);
        }
        ok(&args);
    }
    // Grace: giving; asked for feedback two days ago → open-request.
    ok(&["met", "Grace", "--date", "2026-09-01"]);
    ok(&[
        "gave",
        "Grace",
        "CV advice",
        "--kind",
        "advice",
        "--date",
        "2026-09-02",
    ]);
    ok(&[
        "asked",
        "Grace",
        "feedback on her portfolio",
        "--date",
        "2 days ago",
    ]);
    ok(&["need", "Grace", "a design internship"]);
    // Judy: a referral (4), nothing back → you-owe 4.
    ok(&["met", "Judy", "--date", "2026-10-01"]);
    ok(&[
        "got",
        "Judy",
        "client referral",
        "--kind",
        "referral",
        "--date",
        "2026-11-01",
    ]);
    // Alice: you gave an intro (3), she sent a referral (4) → you-owe 1.
    ok(&[
        "gave",
        "Alice",
        "intro to Dana",
        "--kind",
        "intro",
        "--date",
        "2026-10-20",
    ]);
    ok(&[
        "got",
        "Alice",
        "lead at Stripe",
        "--kind",
        "referral",
        "--date",
        "2026-10-25",
    ]);
    // Mona (family, every 14 days): even → reciprocal; 50 days quiet → going-cold.
    ok(&[
        "got",
        "Mona",
        "soup",
        "--kind",
        "help",
        "--date",
        "2026-09-01",
    ]);
    ok(&[
        "gave",
        "Mona",
        "flowers",
        "--kind",
        "gift",
        "--date",
        "2026-10-01",
    ]);
    // Ken: giving; 203 days quiet against 90 → going-cold, behind Mona.
    ok(&[
        "gave",
        "Ken",
        "code review",
        "--kind",
        "help",
        "--date",
        "2026-05-01",
    ]);
    // Pat: new; 111 days quiet → going-cold; your request nudged long ago → let-go.
    ok(&["met", "Pat", "--date", "2026-08-01"]);
    ok(&["ask", "Pat", "a quote for the book", "--date", "2026-09-01"]);
    let pat_request = newest_entry(&env);
    ok(&["nudge", &pat_request, "--date", "2026-10-01"]);
    // Alice also owes you an answer: asked 50 days ago, never nudged → nudge.
    ok(&[
        "ask",
        "Alice",
        "a review of my talk",
        "--date",
        "2026-10-01",
    ]);
    // Zoe (student) and Ned: new, never given → give-first, priority tag first.
    ok(&["met", "Zoe", "--date", "2026-11-01"]);
    ok(&["met", "Ned", "--date", "2026-11-05"]);
    // Cody: you-owe, but you met three days ago → cooldown.
    ok(&[
        "got",
        "Cody",
        "a loan",
        "--kind",
        "money",
        "--date",
        "2026-06-01",
    ]);
    ok(&["met", "Cody", "--date", "3 days ago"]);
    // Sam: you-owe, but snoozed.
    ok(&[
        "got",
        "Sam",
        "a tip",
        "--kind",
        "advice",
        "--date",
        "2026-06-01",
    ]);
    ok(&["snooze", "Sam", "--until", "2026-12-01"]);
    // Fay: flagged.
    ok(&["asked", "Fay", "money", "--date", "2026-01-10"]);
    ok(&["flag", "Fay", "--reason", "never gave back"]);
    // Archie: you-owe, archived.
    ok(&[
        "got",
        "Archie",
        "a book",
        "--kind",
        "gift",
        "--date",
        "2026-03-01",
    ]);
    ok(&["archive", "Archie"]);
    // Oscar: two requests, nothing back → one-way.
    ok(&[
        "asked",
        "Oscar",
        "an intro to your boss",
        "--date",
        "2025-01-10",
    ]);
    ok(&[
        "gave",
        "Oscar",
        "intro to my boss",
        "--kind",
        "intro",
        "--date",
        "2025-01-12",
    ]);
    ok(&[
        "asked",
        "Oscar",
        "a reference letter",
        "--date",
        "2026-11-16",
    ]);
    env
}

fn who(env: &Env) -> Vec<Suggestion> {
    serde_json::from_value(env.json(&["who"])).unwrap()
}

fn check(env: &Env, name: &str) -> Check {
    serde_json::from_value(env.json(&["check", name])).unwrap()
}

/// Short ids are random: replace them so snapshots are stable.
pub(crate) fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let boundary = i == 0 || !chars[i - 1].is_alphanumeric();
        if boundary && (c == 'e' || c == 'p' || c == 'n') && chars.get(i + 1) == Some(&'-') {
            let hex = chars[i + 2..]
                .iter()
                .take_while(|h| h.is_ascii_hexdigit())
                .count();
            if hex >= 5 {
                out.push(c);
                out.push('-');
                out.extend(std::iter::repeat_n('x', hex));
                i += 2 + hex;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

#[test]
fn who_ranks_tiers_with_their_tie_breaks_and_exclusions() {
    let env = network();
    let list = who(&env);
    let names: Vec<&str> = list.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Grace Hopper",
            "Judy Garland",
            "Alice Smith",
            "Mona Lisa",
            "Ken Thompson",
            "Pat Sajak",
            "Zoe Saldana",
            "Ned Stark",
        ]
    );
    let codes: Vec<&str> = list.iter().map(|s| s.reasons[0].code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "open-request",
            "you-owe",
            "you-owe",
            "going-cold",
            "going-cold",
            "going-cold",
            "give-first",
            "give-first"
        ]
    );
    assert!(list.iter().all(|s| s.id.starts_with("p-")));
    assert_eq!(list[0].needs, ["a design internship"]);
    assert_eq!(
        list[1].reasons[0].text,
        "Judy Garland sent you a client referral on 2026-11-01; you have not returned the kindness yet"
    );
    assert_eq!(
        list[3].reasons[0].text,
        "50 days since you last talked — you aim for every 14"
    );
    // -n and --tag cut the same ranking.
    let top: Vec<Suggestion> = serde_json::from_value(env.json(&["who", "-n", "2"])).unwrap();
    assert_eq!(top.len(), 2);
    let students: Vec<Suggestion> =
        serde_json::from_value(env.json(&["who", "--tag", "student"])).unwrap();
    let names: Vec<&str> = students.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Grace Hopper", "Zoe Saldana"]);
}

#[test]
fn the_issue_example_grace_then_judy_then_alice() {
    let env = Env::new();
    for name in ["Judy", "Alice", "Grace"] {
        env.ok(&["add", name]);
    }
    env.ok(&[
        "got",
        "Judy",
        "client referral",
        "--kind",
        "referral",
        "--date",
        "2026-11-01",
    ]);
    env.ok(&[
        "gave",
        "Alice",
        "intro",
        "--kind",
        "intro",
        "--date",
        "2026-10-20",
    ]);
    env.ok(&[
        "got",
        "Alice",
        "referral",
        "--kind",
        "referral",
        "--date",
        "2026-10-25",
    ]);
    env.ok(&["asked", "Grace", "feedback", "--date", "2 days ago"]);
    let names: Vec<String> = who(&env).into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["Grace", "Judy", "Alice"]);
}

#[test]
fn every_standing_shows_in_balance_and_check() {
    let env = network();
    let rows: Vec<BalanceRow> = serde_json::from_value(env.json(&["balance"])).unwrap();
    let standing = |name: &str| {
        rows.iter()
            .find(|r| r.name == name)
            .map(|r| r.standing.clone())
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    assert_eq!(standing("Fay Wray"), "flagged");
    assert_eq!(standing("Oscar Wilde"), "one-way");
    assert_eq!(standing("Judy Garland"), "you-owe");
    assert_eq!(standing("Mona Lisa"), "reciprocal");
    assert_eq!(standing("Ken Thompson"), "giving");
    assert_eq!(standing("Zoe Saldana"), "new");
    assert!(!rows.iter().any(|r| r.name == "Archie Andrews"));
    let all: Vec<BalanceRow> = serde_json::from_value(env.json(&["balance", "--all"])).unwrap();
    assert!(all.iter().any(|r| r.name == "Archie Andrews"));
    // Most owed first by default; by name on request.
    assert_eq!(rows[0].name, "Judy Garland");
    let by_name: Vec<BalanceRow> =
        serde_json::from_value(env.json(&["balance", "--sort", "name"])).unwrap();
    assert_eq!(by_name[0].name, "Alice Smith");
    let family: Vec<BalanceRow> =
        serde_json::from_value(env.json(&["balance", "--tag", "family"])).unwrap();
    assert_eq!(family.len(), 1);
    assert_eq!(
        family[0].given,
        Tally {
            count: 1,
            weight: 2
        }
    );

    let oscar = check(&env, "Oscar");
    assert!(oscar.known);
    assert_eq!(oscar.standing, "one-way");
    assert_eq!(
        oscar.requests_in,
        RequestsIn {
            total: 2,
            open: 2,
            granted: 0,
            declined: 0
        }
    );
    assert_eq!(oscar.net, 3);
    assert_eq!(oscar.last_exchange.as_deref(), Some("2025-01-12"));
    assert_eq!(oscar.days_since_exchange, Some(677));
    assert!(
        oscar
            .observations
            .iter()
            .any(|o| o.contains("after 22 months of silence")),
        "{:?}",
        oscar.observations
    );
    let fay = check(&env, "Fay");
    assert_eq!(fay.standing, "flagged");
    assert_eq!(fay.flag.unwrap()["reason"], "never gave back");
    assert!(
        fay.observations
            .iter()
            .any(|o| o == "asked for “money” on 2026-01-10 with no exchange before it")
    );
    let pat = check(&env, "Pat");
    assert_eq!(pat.requests_out.total, 1);
    assert!(
        pat.observations
            .iter()
            .any(|o| o.starts_with("you already reached out again on 2026-10-01"))
    );
}

#[test]
fn check_of_a_stranger_says_unknown_and_exits_zero() {
    let env = network();
    let stranger = check(&env, "Bob Jones");
    assert!(!stranger.known);
    assert_eq!(stranger.standing, "unknown");
    assert_eq!(stranger.id, None);
    assert_eq!(stranger.name, "Bob Jones");
    let text = env.ok(&["check", "Bob Jones"]);
    assert!(text.starts_with("Bob Jones — unknown"), "{text}");
    assert!(text.contains("stranger"), "{text}");
    // An empty ledger knows no one, and reading it creates nothing.
    let empty = Env::new();
    assert_eq!(empty.json(&["check", "Anyone"])["standing"], "unknown");
    assert!(empty.bytes().is_none());
    // An ambiguous name is an error, not a stranger.
    empty.ok(&["add", "Ann One"]);
    empty.ok(&["add", "Ann Two"]);
    let err = empty.fails(&["check", "Ann"]);
    assert!(err.contains("matches 2 people"), "{err}");
}

#[test]
fn followups_nudge_then_let_go() {
    let env = network();
    let due: Vec<Followup> = serde_json::from_value(env.json(&["followups"])).unwrap();
    let summary: Vec<(&str, &str, Option<&str>)> = due
        .iter()
        .map(|f| (f.name.as_str(), f.action.as_str(), f.nudged_on.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            ("Pat Sajak", "let-go", Some("2026-10-01")),
            ("Alice Smith", "nudge", None)
        ]
    );
    assert_eq!(due[0].asked_on, "2026-09-01");
    assert_eq!(due[0].what, "a quote for the book");
    assert!(due[0].request.starts_with("e-") && due[0].id.starts_with("p-"));
    let text = env.ok(&["followups"]);
    assert!(text.contains("reach out once more"), "{text}");
    assert!(text.contains("kith flag"), "{text}");
}

#[test]
fn ask_warns_to_give_first_and_still_records() {
    let env = network();
    let out = env.output(&["ask", "Judy", "a favour"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning:") && stderr.contains("Judy"),
        "{stderr}"
    );
    assert_eq!(check(&env, "Judy").requests_out.total, 1);
    // Ken got more from you than he gave: no warning.
    let out = env.output(&["ask", "Ken", "a code review"]);
    assert!(String::from_utf8_lossy(&out.stderr).is_empty());
}

#[test]
fn report_json_covers_the_period() {
    let env = network();
    let report = env.json(&["report"]);
    assert_eq!(report["since"], "2026-11-14");
    assert_eq!(report["until"], TODAY);
    let opened: Vec<&str> = report["requests_opened"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["what"].as_str().unwrap())
        .collect();
    assert_eq!(opened, ["a reference letter", "feedback on her portfolio"]);
    assert_eq!(report["one_way"][0]["name"], "Oscar Wilde");
    assert_eq!(report["who"][0]["name"], "Grace Hopper");
    assert_eq!(report["followups"].as_array().unwrap().len(), 2);
    let month = env.json(&["report", "--month"]);
    assert_eq!(month["since"], "2026-10-21");
    assert_eq!(month["got"][0]["name"], "Alice Smith");
    assert_eq!(month["balance_changes"].as_array().unwrap().len(), 2);
    // As of an earlier day the advice changes with it: Grace had not asked yet,
    // and Oscar, with one request so far, was not yet one-way.
    let past = env.json(&["report", "--since", "2026-11-01", "--until", "2026-11-10"]);
    assert_eq!(past["who"][0]["name"], "Oscar Wilde");
    assert_eq!(past["who"][1]["name"], "Judy Garland");
    let err = env.fails(&["report", "--since", "2026-11-10", "--until", "2026-11-01"]);
    assert!(err.contains("after it ends"), "{err}");
}

#[test]
fn stats_and_config() {
    let env = network();
    let stats = env.json(&["stats"]);
    assert_eq!(stats["by_standing"]["one-way"], 1);
    assert_eq!(stats["by_standing"]["flagged"], 1);
    assert_eq!(stats["months"].as_array().unwrap().len(), 12);
    assert_eq!(stats["going_cold"], 3);
    assert_eq!(env.ok(&["config", "tag_cadence.family"]).trim(), "14");
    assert_eq!(env.json(&["config"])["cadence_days"], 90);
    env.ok(&["config", "cooldown_days", "1"]);
    // With a one-day cooldown, Cody (met three days ago) is a candidate again.
    assert!(who(&env).iter().any(|s| s.name == "Cody Banks"));
    let err = env.fails(&["config", "followup_days", "0"]);
    assert!(err.contains("followup_days"), "{err}");
    env.fails(&["config", "colour", "blue"]);
}

#[test]
fn snapshots_of_check_who_report_and_markdown() {
    let env = network();
    insta::assert_snapshot!("who", redact(&env.ok(&["who"])));
    insta::assert_snapshot!("check_oscar", redact(&env.ok(&["check", "Oscar"])));
    insta::assert_snapshot!("check_alice", redact(&env.ok(&["check", "Alice"])));
    insta::assert_snapshot!("report_month", redact(&env.ok(&["report", "--month"])));
    insta::assert_snapshot!(
        "report_month_markdown",
        redact(&env.ok(&["report", "--month", "--format", "markdown"]))
    );
    insta::assert_snapshot!("followups", redact(&env.ok(&["followups"])));
    insta::assert_snapshot!("balance", redact(&env.ok(&["balance"])));
    insta::assert_snapshot!("stats", redact(&env.ok(&["stats"])));
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
