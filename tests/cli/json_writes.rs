//! `--json` on every write command: one object
//! `{id, type, person: {id, name}, balance: {given, received, net}}`, or an
//! array of them when a command writes several entries.

use serde_json::Value;

use super::*;

/// The object's shape, and that it names `name` and has type `kind`.
fn check(value: &Value, kind: &str, name: &str) {
    assert_eq!(value["type"], kind, "{value}");
    assert_eq!(value["person"]["name"], name, "{value}");
    assert!(
        value["person"]["id"].as_str().unwrap().starts_with("p-"),
        "{value}"
    );
    let id = value["id"].as_str().unwrap();
    let prefix = if kind == "person" { "p-" } else { "e-" };
    assert!(id.starts_with(prefix), "{value}");
    for side in ["given", "received"] {
        assert!(value["balance"][side]["count"].is_u64(), "{value}");
        assert!(value["balance"][side]["weight"].is_u64(), "{value}");
    }
    assert!(value["balance"]["net"].is_i64(), "{value}");
}

fn write(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = env.ok(&all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("kith {args:?}: {e}\n{out}"))
}

#[test]
fn every_logging_command_answers_with_the_entry_and_the_balance() {
    let env = Env::new();
    let ann = write(&env, &["add", "Ann Lee"]);
    check(&ann, "person", "Ann Lee");
    check(&write(&env, &["add", "Bob Stone"]), "person", "Bob Stone");

    let gave = write(&env, &["gave", "ann", "an intro", "--kind", "intro"]);
    check(&gave, "gave", "Ann Lee");
    assert_eq!(gave["balance"]["given"]["weight"], 3);
    assert_eq!(gave["balance"]["net"], 3);
    assert_eq!(gave["person"]["id"], ann["id"]);
    let logged = env.json(&["log", "ann"]);
    assert_eq!(logged[0]["id"], gave["id"]);

    let got = write(&env, &["got", "ann", "a referral", "--kind", "referral"]);
    check(&got, "got", "Ann Lee");
    assert_eq!(got["balance"]["net"], -1);
    check(&write(&env, &["met", "bob", "coffee"]), "met", "Bob Stone");
    check(
        &write(&env, &["met", "Cy Young", "--add"]),
        "met",
        "Cy Young",
    );

    let asked = write(&env, &["asked", "bob", "a reference"]);
    check(&asked, "ask", "Bob Stone");
    let ask = write(&env, &["ask", "ann", "feedback"]);
    check(&ask, "ask", "Ann Lee");

    // Answering a request reports the new favour, not the request it granted.
    let answered = write(
        &env,
        &[
            "gave",
            "bob",
            "wrote it",
            "--for",
            asked["id"].as_str().unwrap(),
        ],
    );
    check(&answered, "gave", "Bob Stone");
    assert_ne!(answered["id"], asked["id"]);

    let nudged = write(&env, &["nudge", ask["id"].as_str().unwrap()]);
    check(&nudged, "ask", "Ann Lee");
    assert_eq!(nudged["id"], ask["id"]);
    check(
        &write(&env, &["lapse", ask["id"].as_str().unwrap()]),
        "ask",
        "Ann Lee",
    );
    let another = write(&env, &["asked", "bob", "a loan"]);
    check(
        &write(&env, &["decline", another["id"].as_str().unwrap()]),
        "ask",
        "Bob Stone",
    );

    let amended = write(
        &env,
        &["amend", got["id"].as_str().unwrap(), "--weight", "1"],
    );
    check(&amended, "got", "Ann Lee");
    assert_eq!(amended["balance"]["received"]["weight"], 1);

    // Two entries: an array.
    let intro = write(&env, &["intro", "ann", "bob", "both in payments"]);
    let both = intro.as_array().unwrap();
    assert_eq!(both.len(), 2);
    let mut names: Vec<&str> = both
        .iter()
        .map(|one| one["person"]["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["Ann Lee", "Bob Stone"]);
    for one in both {
        check(one, "gave", one["person"]["name"].as_str().unwrap());
    }

    let removed = write(&env, &["rm", gave["id"].as_str().unwrap()]);
    check(&removed, "gave", "Ann Lee");
    assert_eq!(removed["id"], gave["id"]);

    // Undo answers with what it took back.
    let undone = write(&env, &["undo"]);
    check(&undone, "gave", "Ann Lee");
    assert_eq!(undone["id"], gave["id"]);
}

#[test]
fn every_change_to_a_person_answers_with_the_person() {
    let env = Env::new();
    env.ok(&["add", "Ann Lee"]);
    env.ok(&["add", "Bob Stone"]);
    for args in [
        vec!["edit", "ann", "--org", "Acme"],
        vec!["snooze", "ann", "--for", "10"],
        vec!["unsnooze", "ann"],
        vec!["need", "ann", "a flat in Lyon"],
        vec!["need", "ann", "--done", "1"],
        vec!["flag", "ann", "--reason", "never calls back"],
        vec!["unflag", "ann"],
        vec!["archive", "ann"],
        vec!["unarchive", "ann"],
    ] {
        let value = write(&env, &args);
        check(&value, "person", "Ann Lee");
    }
    env.ok(&["met", "bob"]);
    let forgot = write(&env, &["forget", "bob", "--yes"]);
    check(&forgot, "met", "Bob Stone");
    let setting = write(&env, &["config", "cadence_days", "60"]);
    assert_eq!(setting["type"], "settings");
    assert!(setting["person"].is_null());
}
