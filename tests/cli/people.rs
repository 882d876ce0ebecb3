//! People commands end to end: add, people, show, edit, snooze, need, flag,
//! archive, forget; and how typed names match people (ambiguity, suggestions).

use serde_json::{Value, json};

use super::{Env, TODAY};

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
