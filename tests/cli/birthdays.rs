//! Birthdays and labelled dates end to end, through the real binary: typed
//! with `add`/`edit`, suggested by `who`, shown by `show` and `check`, listed
//! by `report`, written by `export ics` as yearly events a real iCalendar
//! parser reads back, and carried by the vCard export into an empty ledger.
//! Today is Friday 2026-11-20 (see `TODAY`).

use calcard::icalendar::{
    ICalendar, ICalendarComponentType, ICalendarFrequency, ICalendarProperty, ICalendarValue,
};
use serde_json::Value;

use crate::Env;

/// Maya (a relationship, birthday on Monday the 23rd) and Ned (an imported
/// contact with a birthday the same day, nothing logged).
fn maya_and_ned() -> Env {
    let env = Env::new();
    env.ok(&[
        "add",
        "Maya Lind",
        "--birthday",
        "1986-11-23",
        "--date",
        "started at Stripe=2021-11-25",
        "--email",
        "maya@x.org",
    ]);
    let card = env.path("ned.vcf");
    std::fs::write(
        &card,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ned Contact\r\nBDAY:--1123\r\nEND:VCARD\r\n",
    )
    .unwrap();
    env.ok(&["import", "vcard", card.to_str().unwrap()]);
    env
}

fn codes(suggestion: &Value) -> Vec<&str> {
    suggestion["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect()
}

#[test]
fn add_and_edit_take_a_birthday_and_labelled_dates() {
    let env = maya_and_ned();
    let maya = env.json(&["show", "maya"]);
    assert_eq!(maya["birthday"], "1986-11-23");
    assert_eq!(maya["dates"][0]["label"], "started at Stripe");
    assert_eq!(maya["dates"][0]["date"], "2021-11-25");

    env.ok(&[
        "edit",
        "maya",
        "--birthday",
        "--11-24",
        "--date",
        "anniversary=2015-06-01",
        "--date",
        "started at Stripe=none",
    ]);
    let maya = env.json(&["show", "maya"]);
    assert_eq!(maya["birthday"], "--11-24");
    let dates = maya["dates"].as_array().unwrap();
    assert_eq!(dates.len(), 1);
    assert_eq!(dates[0]["label"], "anniversary");

    env.ok(&["edit", "maya", "--birthday", "none"]);
    assert!(
        env.json(&["show", "maya"])
            .get("birthday")
            .is_none_or(Value::is_null)
    );

    // Refused, and the ledger is left as it was.
    for bad in [
        vec!["edit", "maya", "--birthday", "1990-02-30"],
        vec!["edit", "maya", "--birthday", "2030-01-01"],
        vec!["edit", "maya", "--date", "no date here"],
        vec!["edit", "maya", "--date", "moved=none"],
        vec!["add", "Zed", "--birthday", "next tuesday"],
    ] {
        env.fails(&bad);
    }
}

#[test]
fn who_gives_the_birthday_reason_to_relationships_only() {
    let env = maya_and_ned();
    // Met yesterday: in cooldown, which the birthday lifts.
    env.ok(&["met", "maya", "coffee", "--date", "2026-11-19"]);
    let who = env.json(&["who"]);
    let list = who.as_array().unwrap();
    let maya = list.iter().find(|s| s["name"] == "Maya Lind").unwrap();
    assert_eq!(codes(maya)[0], "birthday");
    let text = maya["reasons"][0]["text"].as_str().unwrap();
    assert!(text.contains("birthday is on Monday (in 3 days)"), "{text}");
    assert!(!list.iter().any(|s| s["name"] == "Ned Contact"), "{who}");
    let human = env.ok(&["who"]);
    assert!(human.contains("Maya Lind — birthday"), "{human}");

    // Flagged: no reminder.
    env.ok(&["flag", "maya", "--reason", "never answers"]);
    let who = env.json(&["who"]);
    assert!(
        !who.as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Maya Lind"),
        "{who}"
    );
}

#[test]
fn birthday_days_sets_how_far_ahead_who_looks() {
    let env = maya_and_ned();
    env.ok(&["config", "birthday_days", "2"]);
    let who = env.json(&["who"]);
    let maya = who
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Maya Lind");
    assert!(
        maya.is_none_or(|m| !codes(m).contains(&"birthday")),
        "{who}"
    );
    env.fails(&["config", "birthday_days", "400"]);
    assert_eq!(env.ok(&["config", "birthday_days"]).trim(), "2");
}

#[test]
fn show_check_and_report_show_the_dates() {
    let env = maya_and_ned();
    let show = env.ok(&["show", "maya"]);
    assert!(show.contains("1986-11-23"), "{show}");
    assert!(show.contains("started at Stripe"), "{show}");
    let check = env.ok(&["check", "maya"]);
    assert!(check.contains("1986-11-23"), "{check}");
    let check = env.json(&["check", "maya"]);
    assert_eq!(check["birthday"], "1986-11-23");

    let report = env.ok(&["report"]);
    assert!(report.contains("Birthdays"), "{report}");
    assert!(report.contains("Maya Lind"), "{report}");
    assert!(!report.contains("Ned Contact"), "{report}");
    let markdown = env.ok(&["report", "--format", "markdown"]);
    assert!(markdown.contains("Maya Lind"), "{markdown}");
    let json = env.json(&["report"]);
    let upcoming: Vec<&str> = json["birthdays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["on"].as_str().unwrap())
        .collect();
    assert_eq!(upcoming, ["2026-11-23", "2026-11-25"]);
}

#[test]
fn ics_export_has_a_yearly_event_per_birthday_and_date_and_counts_them() {
    let env = maya_and_ned();
    env.ok(&["add", "Leap Day", "--birthday", "2000-02-29"]);
    let ics = env.ok(&["export", "ics"]);
    let calendar = ICalendar::parse(&ics).expect("valid iCalendar");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.component_type == ICalendarComponentType::VEvent)
        .collect();
    // Maya's birthday and date, Leap Day's birthday; not the contact's.
    assert_eq!(events.len(), 3, "{ics}");
    for event in &events {
        let rule = event
            .property(&ICalendarProperty::Rrule)
            .and_then(|p| p.values.first());
        let Some(ICalendarValue::RecurrenceRule(rule)) = rule else {
            panic!("no RRULE in {ics}");
        };
        assert_eq!(rule.freq, ICalendarFrequency::Yearly);
    }
    assert!(ics.contains("DTSTART;VALUE=DATE:19861123"), "{ics}");
    assert!(!ics.contains("Ned Contact"), "{ics}");
    // Stable UIDs.
    let uids = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("UID:"))
            .map(String::from)
            .collect()
    };
    assert_eq!(uids(&ics), uids(&env.ok(&["export", "ics"])));

    let file = env.path("kith.ics");
    let out = env.output(&["export", "ics", "-o", file.to_str().unwrap()]);
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("3 events"), "{said}");
    assert!(said.contains("reminders"), "{said}");

    let empty = Env::new();
    empty.ok(&["add", "Quiet"]);
    let out = empty.output(&["export", "ics", "-o", empty.path("k.ics").to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success());
    assert!(
        stderr.contains("warning:") && stderr.contains("nothing"),
        "{stderr}"
    );
}

#[test]
fn vcard_export_then_import_reproduces_every_field() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Carol Diaz; \"Caz\"",
        "--alias",
        "Caz",
        "--email",
        "carol@x.org",
        "--email",
        "carol@home.org",
        "--phone",
        "+34 600 000 000",
        "--url",
        "https://www.linkedin.com/in/caz",
        "--org",
        "Northwind, Inc.",
        "--tag",
        "in-transition",
        "--tag",
        "fintech",
        "--note",
        "two lines,\nwith; marks \\ and a tab\t",
        "--birthday",
        "--02-29",
        "--date",
        "anniversary=2015-06-01",
        "--date",
        "moved to Berlin=2019-04-01",
    ]);
    let card = env.ok(&["export", "vcard"]);
    let other = Env::new();
    let file = other.path("export.vcf");
    std::fs::write(&file, &card).unwrap();
    other.ok(&["import", "vcard", file.to_str().unwrap()]);
    let fields = |env: &Env| -> Value {
        let person = env.ledger_json()["people"][0].clone();
        serde_json::json!([
            person["name"],
            person["aliases"],
            person["emails"],
            person["phones"],
            person["org"],
            person["urls"],
            person["tags"],
            person["notes"],
            person["birthday"],
            person["dates"]
        ])
    };
    assert_eq!(fields(&other), fields(&env), "{card}");
}
