//! The give-first stories (issue 11), each built through the CLI as a user
//! would live it: the stranger who only asks, the 500 imported contacts, the
//! one-way and flagged people, the request you nudged once, the flag that
//! speaks up, and priority tags among equally overdue friends. Orders and
//! verdicts are asserted on `who --json` and `check --json`; the wording
//! test reads every command's human output on the example ledger.

use std::process::Output;

use serde_json::Value;

use super::Env;

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

fn who(env: &Env) -> Vec<String> {
    names(&env.json(&["who"]))
}

/// The id of the person's newest request.
fn request_of(env: &Env, person: &str) -> String {
    let log = env.json(&["log", person, "--type", "ask", "-n", "1"]);
    log[0]["id"].as_str().unwrap().to_string()
}

/// Runs a command that must succeed; returns (stdout, stderr).
fn run(env: &Env, args: &[&str]) -> (String, String) {
    let out = env.output(args);
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "kith {args:?} failed:\n{stderr}");
    (stdout, stderr)
}

fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// The lines of one section of `report`'s human output.
fn section(report: &str, title: &str) -> String {
    report
        .split("\n\n")
        .find(|block| block.starts_with(title))
        .unwrap_or_else(|| panic!("no section {title}:\n{report}"))
        .to_string()
}

fn on(env: &Env, today: &str, args: &[&str]) -> Value {
    let out = env
        .cmd()
        .env("KITH_TODAY", today)
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", texts(&out).1);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_stranger_who_only_asks_is_never_suggested_before_or_after_decline() {
    let env = Env::new();
    env.ok(&["add", "Alice Moreau"]);
    env.ok(&["met", "alice", "coffee", "--date", "2026-10-01"]);
    env.ok(&[
        "asked",
        "Kevin Spammer",
        "spread the word about my webinar to your network",
        "--add",
    ]);
    let kevin = &env.ledger_json()["people"][1];
    assert_eq!(kevin["name"], "Kevin Spammer");
    assert_eq!(kevin["source"], "request", "asked --add makes a requester");

    assert_eq!(who(&env), ["Alice Moreau"]);
    let text = env.ok(&["who"]);
    let apart = text
        .split("Asked by people you have no history with")
        .nth(1)
        .unwrap_or_else(|| panic!("no separate block:\n{text}"));
    assert!(apart.contains("kith check"), "{text}");
    assert!(
        apart.contains("Kevin Spammer asked you for “spread the word"),
        "{text}"
    );
    assert!(
        !text.split("Asked by").next().unwrap().contains("Kevin"),
        "{text}"
    );

    let check = env.json(&["check", "kevin"]);
    assert_eq!(check["known"], true);
    assert_eq!(check["relationship"], false);
    assert_eq!(check["standing"], "new");
    assert_eq!(check["followup"], Value::Null);

    let requests = env.json(&["requests"]);
    assert_eq!(requests.as_array().unwrap().len(), 1);
    assert_eq!(requests[0]["name"], "Kevin Spammer");
    assert_eq!(requests[0]["direction"], "in");
    assert_eq!(requests[0]["relationship"], false);
    assert_eq!(requests[0]["asked_on"], "2026-11-20");

    let report = env.ok(&["report", "--week"]);
    assert!(
        !section(&report, "Whom to help next").contains("Kevin"),
        "{report}"
    );
    assert!(
        section(&report, "Asked by people you have no history with").contains("Kevin Spammer"),
        "{report}"
    );

    let request = request_of(&env, "kevin");
    env.ok(&["decline", &request]);
    assert_eq!(who(&env), ["Alice Moreau"]);
    assert!(!env.ok(&["who"]).contains("Kevin"));
    let report = env.ok(&["report", "--week"]);
    assert!(
        !section(&report, "Whom to help next").contains("Kevin"),
        "{report}"
    );
    assert_eq!(env.json(&["requests"]), serde_json::json!([]));
    // Months later he is still not someone to keep warm.
    let later = on(&env, "2027-06-01", &["who"]);
    assert!(!names(&later).contains(&"Kevin Spammer".to_string()));

    // The first exchange makes him a relationship like any other.
    env.ok(&["met", "kevin", "a real coffee", "--date", "2026-11-10"]);
    assert!(who(&env).contains(&"Kevin Spammer".to_string()));
    assert_eq!(env.json(&["check", "kevin"])["relationship"], true);
}

#[test]
fn five_hundred_imported_contacts_stay_out_of_the_way() {
    let env = Env::new();
    env.ok(&["add", "Ben Ortiz", "--email", "ben@ortiz.example"]);
    env.ok(&["met", "ben", "coffee", "--date", "2026-05-01"]);
    env.ok(&[
        "gave",
        "ben",
        "intro to a designer",
        "--kind",
        "intro",
        "--date",
        "2026-05-02",
    ]);
    let firsts = [
        "Ben", "Benjamin", "Bennett", "Anna", "Carl", "Dora", "Eve", "Finn", "Gus", "Hana",
    ];
    let mut csv = String::from("First Name,Last Name,Email,Company\n");
    for i in 0..500 {
        let first = firsts[i % firsts.len()];
        csv.push_str(&format!(
            "{first},Contact{i},{}{i}@example.com,Org {i}\n",
            first.to_lowercase()
        ));
    }
    let file = env.path("connections.csv");
    std::fs::write(&file, csv).unwrap();
    env.ok(&["import", "csv", file.to_str().unwrap()]);
    assert_eq!(
        env.json(&["people", "--all"]).as_array().unwrap().len(),
        501
    );

    // Quick capture by first name still works, and says what it chose.
    let (_, stderr) = run(&env, &["met", "ben", "call", "--date", "2026-06-10"]);
    assert!(
        stderr.contains("note: ben → Ben Ortiz; 150 imported contacts also match"),
        "{stderr}"
    );
    let check = env.json(&["check", "ben"]);
    assert_eq!(check["name"], "Ben Ortiz");
    // A contact is still reachable by what names only them.
    assert_eq!(
        env.json(&["check", "ben0@example.com"])["name"],
        "Ben Contact0"
    );

    assert_eq!(names(&env.json(&["balance"])), ["Ben Ortiz"]);
    assert_eq!(
        env.json(&["balance", "--all"]).as_array().unwrap().len(),
        501
    );
    assert_eq!(names(&env.json(&["people"])), ["Ben Ortiz"]);
    let people = env.ok(&["people"]);
    assert!(people.contains("500 contacts"), "{people}");

    let stats = env.json(&["stats"]);
    assert_eq!(stats["people"], 1);
    assert_eq!(stats["contacts"]["total"], 500);
    assert_eq!(stats["contacts"]["imported"], 500);
    let standings: u64 = stats["by_standing"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(standings, 1, "contacts are not counted as `new`: {stats}");
    assert_eq!(stats["going_cold"], 1);
    let text = env.ok(&["stats"]);
    assert!(
        text.lines()
            .any(|l| l.contains("contacts") && l.contains("500")),
        "{text}"
    );

    assert_eq!(who(&env), ["Ben Ortiz"]);
}

#[test]
fn several_matching_relationships_stay_ambiguous_without_a_terminal() {
    let env = Env::new();
    env.ok(&["add", "Ben Ortiz"]);
    env.ok(&["add", "Benedict Cole"]);
    let err = env.fails(&["met", "ben", "coffee"]);
    assert!(err.contains("matches 2 people"), "{err}");
    assert!(
        err.contains("Ben Ortiz") && err.contains("Benedict Cole"),
        "{err}"
    );
    assert_eq!(env.output(&["met", "ben"]).status.code(), Some(3));
}

/// On a terminal, several matching relationships bring up a numbered
/// picker; `script` gives kith a pseudo-terminal and types the answer.
#[test]
fn several_matching_relationships_bring_up_a_picker_on_a_terminal() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let env = Env::new();
    env.ok(&["add", "Ben Ortiz"]);
    env.ok(&["add", "Benedict Cole"]);
    let command = format!("{} met ben coffee", env!("CARGO_BIN_EXE_kith"));
    let out = env.in_terminal(&command, b"2\n", &[]);
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{screen}");
    assert!(screen.contains("1) Ben Ortiz"), "{screen}");
    assert!(screen.contains("2) Benedict Cole"), "{screen}");
    let log = env.json(&["log"]);
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["name"], "Benedict Cole");
}

#[test]
fn one_way_flagged_and_archived_people_get_no_keep_in_touch_nudge_anywhere() {
    let env = Env::new();
    for name in ["Ann Warm", "Oscar Asks", "Greg Silent", "Omar Archived"] {
        env.ok(&["add", name]);
        env.ok(&["met", name, "hello", "--date", "2025-06-01"]);
    }
    env.ok(&["asked", "oscar", "a job", "--date", "2026-01-01"]);
    env.ok(&["asked", "oscar", "a loan", "--date", "2026-03-01"]);
    env.ok(&[
        "gave",
        "greg",
        "advice",
        "--kind",
        "advice",
        "--date",
        "2025-06-02",
    ]);
    env.ok(&["flag", "greg", "--reason", "never answers"]);
    env.ok(&["archive", "omar"]);
    assert_eq!(env.json(&["check", "oscar"])["standing"], "one-way");

    // The control: Ann is overdue, and kith says so.
    assert!(env.ok(&["check", "ann"]).contains("you aim for every 90"));
    assert_eq!(who(&env), ["Ann Warm"]);
    for name in ["oscar", "greg", "omar"] {
        let check = env.ok(&["check", name]);
        assert!(!check.contains("you aim for"), "{check}");
        let json = env.json(&["check", name]);
        let observations = json["observations"].to_string();
        assert!(!observations.contains("aim for"), "{observations}");
        let show = env.ok(&["show", name]);
        assert!(!show.contains("you aim for"), "{show}");
        let show_json = env.json(&["show", name]).to_string();
        assert!(!show_json.contains("you aim for"), "{show_json}");
    }
    let report = env.ok(&["report", "--week"]);
    let cold = section(&report, "Going cold");
    assert!(cold.contains("Ann Warm"), "{report}");
    for name in ["Oscar", "Greg", "Omar"] {
        assert!(!cold.contains(name), "{report}");
    }
    assert_eq!(env.json(&["stats"])["going_cold"], 1);
    let ics = env.ok(&["export", "ics"]);
    let ids: Vec<(String, String)> = env
        .json(&["people", "--all"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (name, id) in ids {
        let has = ics.contains(&format!("cold-{id}@kith"));
        assert_eq!(has, name == "Ann Warm", "{name}:\n{ics}");
    }
}

#[test]
fn nudge_then_silence_check_and_followups_agree() {
    let env = Env::new();
    env.ok(&["add", "Hiro Tanaka"]);
    env.ok(&["met", "hiro", "meetup", "--date", "2026-01-01"]);
    env.ok(&[
        "gave",
        "hiro",
        "reviewed his RFC",
        "--kind",
        "advice",
        "--date",
        "2026-01-02",
    ]);
    env.ok(&[
        "ask",
        "hiro",
        "quote for my newsletter",
        "--date",
        "2026-09-20",
    ]);
    let request = request_of(&env, "hiro");

    let agree = |today: &str| -> Option<String> {
        let followups = on(&env, today, &["followups"]);
        let check = on(&env, today, &["check", "hiro"]);
        match followups.as_array().unwrap().as_slice() {
            [] => {
                assert_eq!(check["followup"], Value::Null, "{today}: {check}");
                None
            }
            [one] => {
                let followup = &check["followup"];
                for key in ["request", "asked_on", "nudged_on", "action"] {
                    assert_eq!(followup[key], one[key], "{today}: {key}");
                }
                assert_eq!(followup["request"], request.as_str());
                Some(one["action"].as_str().unwrap().to_string())
            }
            more => panic!("{more:?}"),
        }
    };
    assert_eq!(agree("2026-09-30"), None);
    assert_eq!(agree("2026-10-05").as_deref(), Some("nudge"));
    let verdict = on(&env, "2026-10-05", &["check", "hiro"])["verdict"].to_string();
    assert!(verdict.contains("once more is worth it"), "{verdict}");

    env.ok(&["nudge", &request, "--date", "2026-10-06"]);
    assert_eq!(agree("2026-10-10"), None);
    assert_eq!(agree("2026-11-20").as_deref(), Some("let-go"));
    let check = env.json(&["check", "hiro"]);
    assert_eq!(check["followup"]["asked_on"], "2026-09-20");
    assert_eq!(check["followup"]["nudged_on"], "2026-10-06");
    let verdict = check["verdict"].as_str().unwrap();
    assert!(
        verdict.contains("reached out once more on 2026-10-06"),
        "{verdict}"
    );
    assert!(verdict.contains("let it go"), "{verdict}");
    assert!(!verdict.contains("that is fine"), "{verdict}");
    let text = env.ok(&["check", "hiro"]);
    assert!(text.contains("let it go"), "{text}");
    let show = env.ok(&["show", "hiro"]);
    assert!(show.contains("let it go"), "{show}");
    assert_eq!(env.json(&["show", "hiro"])["followup"]["action"], "let-go");

    // Once flagged, neither speaks of following up: you already let go.
    env.ok(&["flag", "hiro"]);
    assert_eq!(agree("2026-11-20"), None);
}

#[test]
fn the_flag_speaks_up_on_gave_ask_and_intro() {
    let env = Env::new();
    env.ok(&["add", "Greg House"]);
    env.ok(&["add", "Ann Lee"]);
    env.ok(&["met", "greg", "lunch", "--date", "2026-10-01"]);
    env.ok(&["met", "ann", "coffee", "--date", "2026-10-01"]);
    env.ok(&["flag", "greg", "--reason", "never answers"]);
    let note = "note: you flagged Greg House on 2026-11-20: never answers";
    let before = env.json(&["log"]).as_array().unwrap().len();

    let (_, stderr) = run(&env, &["gave", "greg", "a book", "--kind", "gift"]);
    assert_eq!(stderr.matches(note).count(), 1, "{stderr}");
    let (_, stderr) = run(&env, &["ask", "greg", "a favour"]);
    assert!(stderr.contains(note), "{stderr}");
    assert!(!stderr.contains("give first"), "{stderr}");
    let (_, stderr) = run(&env, &["intro", "greg", "ann", "both into climbing"]);
    assert!(stderr.contains(note), "{stderr}");
    assert_eq!(env.json(&["log"]).as_array().unwrap().len(), before + 4);

    let (_, stderr) = run(&env, &["gave", "ann", "a book", "--kind", "gift"]);
    assert!(!stderr.contains("note:"), "{stderr}");
    // check and show still say it.
    assert!(env.ok(&["check", "greg"]).contains("never answers"));
    assert!(env.ok(&["show", "greg"]).contains("never answers"));
}

#[test]
fn priority_tags_come_first_among_the_equally_overdue() {
    let env = Env::new();
    env.ok(&["add", "Aaron Plain"]);
    env.ok(&["add", "Sam Student", "--tag", "student"]);
    env.ok(&["add", "Tia Transition", "--tag", "in-transition"]);
    for name in ["Aaron Plain", "Sam Student", "Tia Transition"] {
        env.ok(&["met", name, "hello", "--date", "2026-01-01"]);
        env.ok(&[
            "gave",
            name,
            "advice",
            "--kind",
            "advice",
            "--date",
            "2026-01-02",
        ]);
    }
    let list = env.json(&["who"]);
    assert_eq!(
        names(&list),
        ["Sam Student", "Tia Transition", "Aaron Plain"]
    );
    for s in list.as_array().unwrap() {
        assert_eq!(s["reasons"][0]["code"], "going-cold");
    }
    let help = env.ok(&["who", "--help"]);
    assert!(help.contains("priority tag"), "{help}");
}

#[test]
fn requests_lists_every_open_request_oldest_first() {
    let env = Env::new();
    env.ok(&["add", "Ann Lee"]);
    env.ok(&["asked", "ann", "closed", "--date", "2026-09-01"]);
    env.ok(&["decline", &request_of(&env, "ann")]);
    env.ok(&["asked", "ann", "a reference", "--date", "2026-11-01"]);
    env.ok(&["ask", "ann", "a quote", "--date", "2026-10-01"]);
    env.ok(&[
        "asked",
        "Zed Stranger",
        "a shout-out",
        "--add",
        "--date",
        "2026-11-10",
    ]);

    let all = env.json(&["requests"]);
    let rows: Vec<(String, String, String, bool)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["asked_on"].as_str().unwrap().to_string(),
                r["direction"].as_str().unwrap().to_string(),
                r["name"].as_str().unwrap().to_string(),
                r["relationship"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("2026-10-01".into(), "out".into(), "Ann Lee".into(), true),
            ("2026-11-01".into(), "in".into(), "Ann Lee".into(), true),
            (
                "2026-11-10".into(),
                "in".into(),
                "Zed Stranger".into(),
                false
            ),
        ]
    );
    for key in ["id", "person_id", "what"] {
        assert!(all[0][key].is_string(), "{key}");
    }
    assert_eq!(
        env.json(&["requests", "--out"]).as_array().unwrap().len(),
        1
    );
    assert_eq!(env.json(&["requests", "--in"]).as_array().unwrap().len(), 2);
    let text = env.ok(&["requests"]);
    assert!(
        text.contains("contact") && text.contains("relationship"),
        "{text}"
    );
    assert!(env.ok(&["requests", "--in"]).contains("Zed Stranger"));
    assert_eq!(
        env.output(&["requests", "--in", "--out"]).status.code(),
        Some(2)
    );
}

/// Debt language the philosophy warns against, in any human output.
fn debt_language(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    [
        "is due", "debt", "owes you", "owe you", "owe them", "you owe ",
    ]
    .into_iter()
    .find(|phrase| lower.contains(phrase))
}

#[test]
fn no_command_speaks_of_debt_on_the_example_ledger() {
    let env = Env::new();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ledger.json");
    env.write_ledger(std::fs::read_to_string(example).unwrap());
    let mut commands: Vec<Vec<String>> = [
        "who",
        "who -n 3",
        "balance",
        "balance --all",
        "people",
        "people --all",
        "followups",
        "requests",
        "report",
        "report --week",
        "report --month",
        "report --month --format markdown",
        "stats",
        "stats --all",
        "log",
        "config",
        "export ics",
    ]
    .iter()
    .map(|c| c.split(' ').map(String::from).collect())
    .collect();
    let people = env.json(&["people", "--all"]);
    for person in people.as_array().unwrap() {
        let id = person["id"].as_str().unwrap().to_string();
        for command in ["check", "show", "log"] {
            commands.push(vec![command.to_string(), id.clone()]);
        }
    }
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (stdout, stderr) = run(&env, &args);
        for text in [&stdout, &stderr] {
            if let Some(phrase) = debt_language(text) {
                panic!("kith {args:?} says “{phrase}”:\n{text}");
            }
        }
    }
    // Write commands' confirmations and warnings too.
    for args in [
        vec!["gave", "judy", "a thank-you card", "--kind", "gift"],
        vec!["got", "alice", "a book", "--kind", "gift"],
        vec!["ask", "judy", "a portfolio review"],
        vec!["ask", "carol", "an intro"],
        vec!["asked", "priya", "a coffee"],
        vec!["met", "lena", "a call"],
        vec!["intro", "alice", "judy", "both into design systems"],
    ] {
        let (stdout, stderr) = run(&env, &args);
        for text in [&stdout, &stderr] {
            if let Some(phrase) = debt_language(text) {
                panic!("kith {args:?} says “{phrase}”:\n{text}");
            }
        }
    }
}
