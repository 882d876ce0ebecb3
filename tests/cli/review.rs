//! `kith review` through a pseudo-terminal: real keystrokes in, the ledger
//! checked afterwards for exactly the changes the keys asked for.

use serde_json::Value;

use super::*;

/// Bob sent you an intro (you owe him), Cy is going cold and has your
/// unanswered request, Ann has never been given anything.
fn network() -> Env {
    let env = Env::new();
    env.ok(&["add", "Bob Stone"]);
    env.ok(&[
        "got",
        "bob",
        "an intro to a client",
        "--kind",
        "intro",
        "--date",
        "2026-09-01",
    ]);
    env.ok(&["add", "Cy Young"]);
    env.ok(&[
        "gave",
        "cy",
        "advice",
        "--kind",
        "advice",
        "--date",
        "2026-06-01",
    ]);
    env.ok(&["ask", "cy", "a reference", "--date", "2026-10-01"]);
    env.ok(&["add", "Ann Lee"]);
    env.ok(&["met", "ann", "--date", "2026-10-01"]);
    env
}

fn spawn(env: &Env) -> rexpect::session::PtySession {
    let mut cmd = env.cmd();
    cmd.arg("review");
    rexpect::session::spawn_command(cmd, Some(10_000)).unwrap()
}

/// Types `keys`, as a person would, without waiting for anything.
fn press(p: &mut rexpect::session::PtySession, keys: &str) {
    p.send(keys).unwrap();
    p.flush().unwrap();
}

fn person<'a>(ledger: &'a Value, name: &str) -> &'a Value {
    ledger["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap()
}

/// A person's record without the fields a change is expected to touch.
fn without(person: &Value, fields: &[&str]) -> Value {
    let mut person = person.clone();
    for field in fields.iter().chain(&["updated"]) {
        person.as_object_mut().unwrap().remove(*field);
    }
    person
}

/// g (a favour for Bob), space, s (snooze Cy), f (flag Ann); and, with
/// `undo_last`, u to take the flag back; then q.
fn session(env: &Env, undo_last: bool) -> String {
    let mut p = spawn(env);
    p.exp_string("Bob Stone").unwrap();
    p.exp_string("the kindness yet").unwrap();
    press(&mut p, "g");
    p.exp_string("what did you give Bob Stone?").unwrap();
    press(&mut p, "a book on pottery\r");
    p.exp_string("kind of favour").unwrap();
    press(&mut p, "gift\r");
    p.exp_string("weight, 1 to 5 [2]").unwrap();
    press(&mut p, "\r");
    p.exp_string("you gave Bob Stone: a book on pottery (gift, weight 2)")
        .unwrap();
    press(&mut p, " ");
    p.exp_string("Cy Young").unwrap();
    press(&mut p, "s");
    p.exp_string("snooze for how many days").unwrap();
    press(&mut p, "\r");
    // Snoozing ends Cy's stop: Ann is next, under the confirmation.
    p.exp_string("3 of 4").unwrap();
    p.exp_string("Ann Lee").unwrap();
    p.exp_string("snoozed Cy Young until 2027-02-18").unwrap();
    press(&mut p, "f");
    p.exp_string("why, for your own memory").unwrap();
    press(&mut p, "only calls when he needs something\r");
    p.exp_string("flagged Ann Lee").unwrap();
    if undo_last {
        press(&mut p, "u");
        p.exp_string("undid: flagged Ann Lee").unwrap();
    }
    press(&mut p, "q");
    p.exp_eof().unwrap()
}

#[test]
fn a_review_logs_snoozes_and_flags_with_one_write_each() {
    let env = network();
    let before = env.ledger_json();
    let end = session(&env, false);
    assert!(end.contains("3 changes logged"), "{end}");
    let after = env.ledger_json();

    // One new entry: the favour for Bob, dated today.
    let old: Vec<&Value> = before["entries"].as_array().unwrap().iter().collect();
    let new: Vec<&Value> = after["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !old.contains(e))
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0]["type"], "gave");
    assert_eq!(new[0]["what"], "a book on pottery");
    assert_eq!(new[0]["kind"], "gift");
    assert_eq!(new[0]["weight"], 2);
    assert_eq!(new[0]["date"], TODAY);
    assert_eq!(new[0]["person"], person(&after, "Bob Stone")["id"]);
    assert_eq!(after["entries"].as_array().unwrap().len(), old.len() + 1);

    // Cy snoozed for one cadence, Ann flagged; nothing else about anyone.
    assert_eq!(person(&after, "Cy Young")["snoozed_until"], "2027-02-18");
    assert_eq!(person(&after, "Ann Lee")["flag"]["date"], TODAY);
    assert_eq!(
        person(&after, "Ann Lee")["flag"]["reason"],
        "only calls when he needs something"
    );
    assert_eq!(person(&after, "Bob Stone"), person(&before, "Bob Stone"));
    assert_eq!(
        without(person(&after, "Cy Young"), &["snoozed_until"]),
        without(person(&before, "Cy Young"), &["snoozed_until"])
    );
    assert_eq!(
        without(person(&after, "Ann Lee"), &["flag"]),
        without(person(&before, "Ann Lee"), &["flag"])
    );
    assert_eq!(after["settings"], before["settings"]);

    // Three ordinary writes: `kith undo` takes them back one at a time.
    assert!(env.ok(&["undo"]).contains("flagged Ann Lee"));
    assert!(env.ok(&["undo"]).contains("snoozed Cy Young"));
    assert!(env.ok(&["undo"]).contains("you gave Bob Stone"));
    assert_eq!(env.ledger_json()["people"], before["people"]);
    assert_eq!(env.ledger_json()["entries"], before["entries"]);
}

#[test]
fn u_takes_back_the_last_action_of_the_review() {
    let env = network();
    let before = env.ledger_json();
    let end = session(&env, true);
    assert!(end.contains("2 changes logged"), "{end}");
    assert!(!end.contains("flagged"), "{end}");
    let after = env.ledger_json();
    assert_eq!(person(&after, "Ann Lee"), person(&before, "Ann Lee"));
    assert_eq!(person(&after, "Cy Young")["snoozed_until"], "2027-02-18");
    assert_eq!(
        after["entries"].as_array().unwrap().len(),
        before["entries"].as_array().unwrap().len() + 1
    );
}

#[test]
fn a_follow_up_is_nudged_with_x_and_a_need_recorded_with_n() {
    let env = network();
    let mut p = spawn(&env);
    p.exp_string("Bob Stone").unwrap();
    press(&mut p, "n");
    p.exp_string("what is Bob Stone looking for?").unwrap();
    // An empty answer is refused; Esc cancels without a write.
    press(&mut p, "\r");
    p.exp_string("an answer is needed").unwrap();
    press(&mut p, "\x1b");
    p.exp_string("cancelled: nothing was changed").unwrap();
    press(&mut p, "n");
    // A newline is Enter too, as scripts type it.
    press(&mut p, "a flat in Lyon\n");
    p.exp_string("noted: Bob Stone is looking for a flat in Lyon")
        .unwrap();
    // Bob has no follow-up due.
    press(&mut p, "x");
    p.exp_string("no follow-up is due with Bob Stone").unwrap();
    // The last stop is the follow-up of the request to Cy.
    press(&mut p, "   ");
    p.exp_string("follow up").unwrap();
    press(&mut p, "x");
    p.exp_string("you reached out to Cy Young again about: a reference")
        .unwrap();
    press(&mut p, "q");
    let end = p.exp_eof().unwrap();
    assert!(end.contains("2 changes logged"), "{end}");
    let followups = env.json(&["followups"]);
    assert_eq!(followups.as_array().unwrap().len(), 0, "{followups}");
    let bob = env.json(&["show", "bob"]);
    assert_eq!(bob["needs"][0]["text"], "a flat in Lyon");
}

#[test]
fn no_color_keeps_the_screens_plain_and_color_always_does_not() {
    let env = network();
    let mut p = spawn(&env);
    let screen = p.exp_string("q quit").unwrap();
    press(&mut p, "q");
    p.exp_eof().unwrap();
    // Env::cmd sets NO_COLOR: the screen moves the cursor and clears lines,
    // and sets no colour or weight.
    assert!(screen.contains("Bob Stone"), "{screen}");
    assert!(
        !screen.contains("\x1b[1m") && !screen.contains("\x1b[2m"),
        "{screen:?}"
    );

    let mut cmd = env.cmd();
    cmd.args(["review", "--color", "always"]);
    let mut p = rexpect::session::spawn_command(cmd, Some(10_000)).unwrap();
    let screen = p.exp_string("q quit").unwrap();
    press(&mut p, "q");
    p.exp_eof().unwrap();
    assert!(screen.contains("\x1b[1mBob Stone"), "{screen:?}");
}

#[test]
fn without_a_terminal_review_refuses_and_points_at_who() {
    let env = network();
    let out = env.output(&["review"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    assert!(stderr.contains("hint: `kith who`"), "{stderr}");
}

#[test]
fn an_empty_review_says_so_and_changes_nothing() {
    let env = Env::new();
    let mut p = spawn(&env);
    let end = p.exp_eof().unwrap();
    assert!(end.contains("nothing to review"), "{end}");
    assert!(env.bytes().is_none());
}
