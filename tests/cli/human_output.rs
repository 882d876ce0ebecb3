//! The human output of `show`, `log` (everyone's, and one person's with the
//! running net) and `people`, pinned with insta snapshots on a ledger built
//! through the CLI. Short ids are random, so they are redacted.

use super::Env;
use super::advice::redact;

/// Ann has every fact `show` prints, a need, an open request and 17 entries
/// (so `show` cuts the timeline at 15); Bob is snoozed and owes nothing;
/// Carol is flagged and archived.
fn ledger() -> Env {
    let env = Env::new();
    env.ok(&[
        "add",
        "Ann Lee",
        "--org",
        "Acme",
        "--alias",
        "Annie",
        "--email",
        "ann@acme.test",
        "--phone",
        "+1 555 0100",
        "--url",
        "https://example.org/ann",
        "--tag",
        "rust",
        "--tag",
        "friend",
        "--how-met",
        "RustConf hallway",
        "--met-on",
        "2024-06-01",
        "--note",
        "likes tea",
        "--cadence",
        "60",
    ]);
    env.ok(&["add", "Bob Jones"]);
    env.ok(&["add", "Carol King", "--phone", "+44 20 7946 0000"]);
    env.ok(&[
        "gave",
        "Ann",
        "reviewed her talk",
        "--kind",
        "advice",
        "--date",
        "2026-01-10",
    ]);
    env.ok(&[
        "got",
        "Ann",
        "an intro to Dan",
        "--kind",
        "intro",
        "--date",
        "2026-02-01",
    ]);
    env.ok(&[
        "met",
        "Ann",
        "--how",
        "coffee",
        "catch-up",
        "--date",
        "2026-03-01",
    ]);
    for month in 4..=9 {
        let date = format!("2026-{month:02}-15");
        env.ok(&["gave", "Ann", "a book tip", "--date", &date]);
        env.ok(&["met", "Ann", "--how", "call", "--date", &date]);
    }
    env.ok(&[
        "got",
        "Ann",
        "a job lead",
        "--weight",
        "4",
        "--date",
        "2026-10-05",
    ]);
    env.ok(&["asked", "Ann", "a reference letter", "--date", "2026-10-20"]);
    env.ok(&["need", "Ann", "a new flat"]);
    env.ok(&[
        "gave",
        "Bob",
        "moved boxes",
        "--weight",
        "3",
        "--date",
        "2026-05-05",
    ]);
    env.ok(&["ask", "Bob", "feedback on a draft", "--date", "2026-09-01"]);
    env.ok(&["snooze", "Bob", "--until", "2026-12-24"]);
    env.ok(&["flag", "Carol", "--reason", "never replies"]);
    env.ok(&["archive", "Carol"]);
    env
}

#[test]
fn snapshots_of_show_log_and_people() {
    let env = ledger();
    insta::assert_snapshot!("show_ann", redact(&env.ok(&["show", "Ann"])));
    insta::assert_snapshot!("show_bob", redact(&env.ok(&["show", "Bob"])));
    insta::assert_snapshot!("show_carol", redact(&env.ok(&["show", "Carol"])));
    insta::assert_snapshot!("log", redact(&env.ok(&["log"])));
    insta::assert_snapshot!("log_ann", redact(&env.ok(&["log", "Ann"])));
    insta::assert_snapshot!(
        "log_ann_since",
        redact(&env.ok(&["log", "Ann", "--since", "2026-09-01"]))
    );
    insta::assert_snapshot!("people", redact(&env.ok(&["people"])));
    insta::assert_snapshot!("people_all", redact(&env.ok(&["people", "--all"])));
}
