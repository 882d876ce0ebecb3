//! `kith import ics|mbox|maildir` through the real binary, on calendar and
//! mail files generated here as real exports look: a recurring series with
//! exceptions, a cancelled instance, a declined invite, a 30-person meeting,
//! time zones across midnight; a reply thread, a newsletter, a cold request
//! never answered, a mailing-list thread. Today is 2026-11-20.

use std::path::PathBuf;

use super::Env;

const ME: &str = "me@home.example";

/// A ledger with the people the files talk about (and one they do not).
fn env() -> Env {
    let env = Env::new();
    for (name, email) in [
        ("Ana Lima", "ana.lima@studio.example"),
        ("Ben Okafor", "ben@okafor.example"),
        ("Chloé Durand", "chloe@durand.example"),
        ("Dev Patel", "dev@patel.example"),
        ("Ewa Nowak", "ewa@nowak.example"),
    ] {
        env.ok(&["add", name, "--email", email, "--met-on", "2025-01-10"]);
    }
    env
}

fn write(env: &Env, name: &str, text: &str) -> PathBuf {
    let path = env.path(name);
    std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    path
}

/// Every `met` entry as (date, name, how, note, source_id), sorted.
fn met(env: &Env) -> Vec<(String, String, String, String, String)> {
    let log = env.json(&["log", "--type", "met", "-n", "1000"]);
    let mut rows: Vec<_> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let text = |key: &str| e[key].as_str().unwrap_or_default().to_string();
            (
                text("date"),
                text("name"),
                text("how"),
                text("note"),
                text("source_id"),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn row(
    date: &str,
    name: &str,
    how: &str,
    note: &str,
    source: &str,
) -> (String, String, String, String, String) {
    (
        date.into(),
        name.into(),
        how.into(),
        note.into(),
        source.into(),
    )
}

const CALENDAR: &str = "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Google Inc//Google Calendar 70.9054//EN
X-WR-CALNAME:me@home.example
X-WR-TIMEZONE:Europe/Paris
BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
DTSTART;TZID=Europe/Paris:20261007T093000
DTEND;TZID=Europe/Paris:20261007T100000
RRULE:FREQ=WEEKLY;WKST=MO;BYDAY=WE
EXDATE;TZID=Europe/Paris:20261021T093000
DTSTAMP:20261120T080000Z
ORGANIZER;CN=Me:mailto:me@home.example
UID:5f2c1a0e9b@google.com
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Ana Lima;X-NUM-GUESTS=0:mailto:ana.lima@studio.example
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Me:mailto:me@home.example
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Ana / me weekly
X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij
DESCRIPTION:Join with Google Meet: https://meet.google.com/abc-defg-hij
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Paris:20261029T170000
DTEND;TZID=Europe/Paris:20261029T173000
DTSTAMP:20261120T080000Z
ORGANIZER;CN=Me:mailto:me@home.example
UID:5f2c1a0e9b@google.com
RECURRENCE-ID;TZID=Europe/Paris:20261028T093000
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana.lima@studio.example
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@home.example
SEQUENCE:3
STATUS:CONFIRMED
SUMMARY:Ana / me weekly (moved to Thursday)
LOCATION:Café Oberkampf
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Paris:20261111T093000
DTEND;TZID=Europe/Paris:20261111T100000
DTSTAMP:20261120T080000Z
UID:5f2c1a0e9b@google.com
RECURRENCE-ID;TZID=Europe/Paris:20261111T093000
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana.lima@studio.example
SEQUENCE:2
STATUS:CANCELLED
SUMMARY:Ana / me weekly
END:VEVENT
BEGIN:VEVENT
DTSTART:20261103T160000Z
DTEND:20261103T170000Z
UID:declined-pitch@example.com
ORGANIZER;CN=Ben:mailto:ben@okafor.example
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ben@okafor.example
ATTENDEE;PARTSTAT=DECLINED:mailto:me@home.example
SUMMARY:Pitch review
END:VEVENT
BEGIN:VEVENT
DTSTART:20261104T160000Z
DTEND:20261104T170000Z
UID:all-hands@corp.example
ORGANIZER:mailto:ceo@corp.example
{CROWD}SUMMARY:All hands
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=America/New_York:20261105T210000
DTEND;TZID=America/New_York:20261105T220000
UID:late-call@example.com
ORGANIZER:mailto:chloe@durand.example
ATTENDEE;PARTSTAT=ACCEPTED:mailto:chloe@durand.example
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@home.example
LOCATION:https://us06web.zoom.us/j/8812345678
SUMMARY:Catch-up from New York
END:VEVENT
BEGIN:VEVENT
DTSTART:20261108T233000Z
DTEND:20261109T003000Z
UID:late-drinks@example.com
ATTENDEE:mailto:dev@patel.example
ATTENDEE:mailto:stranger@elsewhere.example
SUMMARY:Drinks
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20261110
DTEND;VALUE=DATE:20261111
UID:holiday@example.com
ORGANIZER:mailto:ewa@nowak.example
SUMMARY:Ewa out of office
END:VEVENT
BEGIN:VEVENT
DTSTART:20261126T100000Z
UID:future@example.com
ATTENDEE:mailto:ewa@nowak.example
SUMMARY:Next week
END:VEVENT
END:VCALENDAR
";

fn calendar(env: &Env) -> PathBuf {
    let crowd: String = (0..30)
        .map(|i| format!("ATTENDEE;PARTSTAT=ACCEPTED:mailto:colleague{i}@corp.example\n"))
        .collect::<String>()
        + "ATTENDEE:mailto:ewa@nowak.example\n";
    write(env, "calendar.ics", &CALENDAR.replace("{CROWD}", &crowd))
}

#[test]
fn ics_import_logs_exactly_the_meetings_that_happened_and_says_what_it_skipped() {
    let env = env();
    env.ok(&["config", "me.emails", ME]);
    let file = calendar(&env);
    let path = file.to_str().unwrap();
    let dry = env.ok(&["import", "ics", path, "--dry-run"]);
    assert!(dry.contains("would log 7 meetings with 3 people"), "{dry}");
    assert!(met(&env).is_empty(), "a dry run logged something");

    let report = env.json(&["import", "ics", "--show-unknown", path]);
    let series = "5f2c1a0e9b@google.com";
    assert_eq!(
        met(&env),
        vec![
            row(
                "2026-10-07",
                "Ana Lima",
                "call",
                "Ana / me weekly",
                &format!("{series}/20261007T073000Z")
            ),
            row(
                "2026-10-14",
                "Ana Lima",
                "call",
                "Ana / me weekly",
                &format!("{series}/20261014T073000Z")
            ),
            // 21 Oct excluded; 28 Oct moved to Thursday 29 in a café.
            row(
                "2026-10-29",
                "Ana Lima",
                "event",
                "Ana / me weekly (moved to Thursday)",
                &format!("{series}/20261028T083000Z")
            ),
            row(
                "2026-11-04",
                "Ana Lima",
                "call",
                "Ana / me weekly",
                &format!("{series}/20261104T083000Z")
            ),
            // 21:00 in New York is 03:00 the next day in Paris: the event's own date.
            row(
                "2026-11-05",
                "Chloé Durand",
                "call",
                "Catch-up from New York",
                "late-call@example.com"
            ),
            // 23:30 UTC is 00:30 in Paris, the calendar's zone.
            row(
                "2026-11-09",
                "Dev Patel",
                "event",
                "Drinks",
                "late-drinks@example.com"
            ),
            // 11 Nov cancelled; 18 Nov is the last Wednesday before today.
            row(
                "2026-11-18",
                "Ana Lima",
                "call",
                "Ana / me weekly",
                &format!("{series}/20261118T083000Z")
            ),
        ]
    );
    assert_eq!(report["logged"].as_array().unwrap().len(), 7);
    let skipped = &report["skipped"];
    assert_eq!(skipped["cancelled"], 1);
    assert_eq!(skipped["declined"], 1);
    assert_eq!(skipped["too_many_attendees"], 1);
    assert_eq!(skipped["all_day_without_attendees"], 1);
    assert_eq!(skipped["future"], 1);
    assert_eq!(
        report["unknown"][0]["address"],
        "stranger@elsewhere.example"
    );

    // The second import of the same file changes nothing at all.
    let before = env.bytes();
    let again = env.ok(&["import", "ics", path]);
    assert!(again.contains("logged 0 meetings"), "{again}");
    assert!(again.contains("7 already imported"), "{again}");
    assert_eq!(env.bytes(), before);
}

#[test]
fn a_removed_meeting_stays_removed_and_undo_takes_the_whole_import_back() {
    let env = env();
    env.ok(&["config", "me.emails", ME]);
    let file = calendar(&env);
    let path = file.to_str().unwrap();
    env.ok(&["import", "ics", path]);
    assert_eq!(met(&env).len(), 7);
    let dev = env.json(&["log", "Dev Patel", "--type", "met"]);
    let id = dev[0]["id"].as_str().unwrap().to_string();
    env.ok(&["rm", &id]);
    let again = env.ok(&["import", "ics", path]);
    assert!(
        again.contains("1 removed earlier with `kith rm`"),
        "{again}"
    );
    assert_eq!(met(&env).len(), 6);
    assert!(met(&env).iter().all(|r| r.1 != "Dev Patel"));
    assert_eq!(
        env.ledger_json()["removed_source_ids"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Forgetting Dev leaves nothing of him, not even the removed id.
    env.ok(&["forget", "Dev Patel", "--yes"]);
    assert!(env.ledger_json().get("removed_source_ids").is_none());

    // One import is one undo step.
    let env = self::env();
    env.ok(&["config", "me.emails", ME]);
    let path = calendar(&env);
    env.ok(&["import", "ics", path.to_str().unwrap()]);
    env.ok(&["undo"]);
    assert!(met(&env).is_empty());
}

#[test]
fn an_imported_meeting_takes_a_person_out_of_going_cold() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Gita Rao",
        "--email",
        "gita@rao.example",
        "--met-on",
        "2025-06-01",
    ]);
    env.ok(&["met", "Gita Rao", "lunch", "--date", "2026-03-02"]);
    let reasons = |env: &Env| -> Vec<String> {
        let who = env.json(&["who"]);
        who.as_array()
            .unwrap()
            .iter()
            .filter(|p| p["name"] == "Gita Rao")
            .flat_map(|p| p["reasons"].as_array().unwrap().clone())
            .map(|r| r["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        reasons(&env).contains(&"going-cold".to_string()),
        "{:?}",
        reasons(&env)
    );
    let file = write(
        &env,
        "gita.ics",
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:gita-1@example.com\n\
DTSTART:20261102T120000Z\nSUMMARY:Lunch with Gita\nORGANIZER:mailto:gita@rao.example\n\
ATTENDEE:mailto:gita@rao.example\nEND:VEVENT\nEND:VCALENDAR\n",
    );
    env.ok(&["import", "ics", file.to_str().unwrap()]);
    assert!(
        !reasons(&env).contains(&"going-cold".to_string()),
        "{:?}",
        reasons(&env)
    );
    let check = env.json(&["check", "Gita Rao"]);
    assert_eq!(check["last_exchange"], "2026-11-02");
}

/// One message as a mail program stores it.
fn message(
    from: &str,
    to: &str,
    id: &str,
    reply_to: Option<&str>,
    date: &str,
    subject: &str,
    extra: &str,
) -> String {
    let reply = reply_to
        .map(|p| format!("In-Reply-To: <{p}>\nReferences: <{p}>\n"))
        .unwrap_or_default();
    format!(
        "Return-Path: <{from}>\nReceived: from mx.example by mx.home.example; {date}\n\
From: {from}\nTo: {to}\nSubject: {subject}\nDate: {date}\nMessage-ID: <{id}>\n{reply}{extra}\
MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nHello,\n\nFrom the body, never read.\n\n-- \nSigned\n"
    )
}

fn mailbox_messages() -> Vec<String> {
    vec![
        // A reply thread with Ben: I ask, he answers late at night his time, I answer.
        message(
            "Me <me@home.example>",
            "ben@okafor.example",
            "m1@home.example",
            None,
            "Mon, 2 Nov 2026 09:12:00 +0100",
            "Intro to the Lisbon team?",
            "",
        ),
        message(
            "\"Ben Okafor\" <Ben@Okafor.example>",
            ME,
            "b1@okafor.example",
            Some("m1@home.example"),
            "Mon, 2 Nov 2026 23:40:00 -0500",
            "Re: Intro to the Lisbon team?",
            "",
        ),
        message(
            ME,
            "ben@okafor.example",
            "m2@home.example",
            Some("b1@okafor.example"),
            "Tue, 3 Nov 2026 08:01:00 +0100",
            "Re: Intro to the Lisbon team?",
            "",
        ),
        message(
            "ben@okafor.example",
            ME,
            "b2@okafor.example",
            Some("m2@home.example"),
            "Tue, 3 Nov 2026 09:30:00 -0500",
            "Re: Intro to the Lisbon team?",
            "",
        ),
        // Ewa replies to my note; her reply comes first in the file.
        message(
            "ewa@nowak.example",
            ME,
            "e1@nowak.example",
            Some("m3@home.example"),
            "Thu, 12 Nov 2026 10:00:00 +0100",
            "Re: Your talk",
            "",
        ),
        message(
            ME,
            "ewa@nowak.example",
            "m3@home.example",
            None,
            "Wed, 11 Nov 2026 18:00:00 +0100",
            "Your talk",
            "",
        ),
        // A newsletter, a cold request never answered, my unanswered mail.
        message(
            "Studio News <news@studio.example>",
            ME,
            "n1@studio.example",
            None,
            "Fri, 6 Nov 2026 07:00:00 +0000",
            "November at the studio",
            "List-Unsubscribe: <mailto:unsub@studio.example>\nPrecedence: bulk\n",
        ),
        message(
            "dev@patel.example",
            ME,
            "d1@patel.example",
            None,
            "Sat, 7 Nov 2026 11:00:00 +0530",
            "Quick favour?",
            "",
        ),
        message(
            ME,
            "chloe@durand.example",
            "m4@home.example",
            None,
            "Sun, 8 Nov 2026 20:00:00 +0100",
            "Long time!",
            "",
        ),
        // A mailing-list thread: Ana replying to my post is still list mail.
        message(
            ME,
            "rust-fr@lists.example",
            "l1@home.example",
            None,
            "Mon, 9 Nov 2026 10:00:00 +0100",
            "[rust-fr] Meetup?",
            "List-Id: Rust FR <rust-fr.lists.example>\n",
        ),
        message(
            "ana.lima@studio.example",
            "rust-fr@lists.example",
            "l2@studio.example",
            Some("l1@home.example"),
            "Mon, 9 Nov 2026 11:00:00 +0100",
            "Re: [rust-fr] Meetup?",
            "List-Id: Rust FR <rust-fr.lists.example>\nPrecedence: list\n",
        ),
        // Someone not in the ledger, twice.
        message(
            "zoe@unknown.example",
            ME,
            "z1@unknown.example",
            Some("m1@home.example"),
            "Tue, 10 Nov 2026 10:00:00 +0100",
            "Re: Intro to the Lisbon team?",
            "",
        ),
        message(
            "zoe@unknown.example",
            ME,
            "z2@unknown.example",
            Some("m3@home.example"),
            "Tue, 10 Nov 2026 11:00:00 +0100",
            "Re: Your talk",
            "",
        ),
    ]
}

fn mbox(env: &Env, messages: &[String]) -> PathBuf {
    let text: String = messages
        .iter()
        .map(|m| {
            format!(
                "From - Mon Nov 16 10:00:00 2026\n{}\n",
                m.replace("\nFrom the body", "\n>From the body")
            )
        })
        .collect();
    write(env, "mail.mbox", &text)
}

fn maildir(env: &Env, messages: &[String]) -> PathBuf {
    let root = env.path("Mail");
    for (i, m) in messages.iter().enumerate() {
        let folder = root.join(
            if m.starts_with(&format!("Return-Path: <{ME}>"))
                || m.contains("\nFrom: Me <")
                || m.contains(&format!("\nFrom: {ME}\n"))
            {
                "Sent/cur"
            } else {
                "INBOX/cur"
            },
        );
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::create_dir_all(root.join("INBOX/new")).unwrap();
        std::fs::write(
            folder.join(format!("17000000{i:02}.M1P1.host:2,S")),
            m.replace('\n', "\r\n"),
        )
        .unwrap();
    }
    root
}

fn expected_conversations() -> Vec<(String, String, String, String, String)> {
    vec![
        row(
            "2026-11-02",
            "Ben Okafor",
            "message",
            "Intro to the Lisbon team?",
            "<b1@okafor.example>",
        ),
        row(
            "2026-11-03",
            "Ben Okafor",
            "message",
            "Intro to the Lisbon team?",
            "<m2@home.example>",
        ),
        row(
            "2026-11-12",
            "Ewa Nowak",
            "message",
            "Your talk",
            "<e1@nowak.example>",
        ),
    ]
}

#[test]
fn mbox_import_logs_one_entry_per_person_and_day_of_conversation() {
    let env = env();
    let file = mbox(&env, &mailbox_messages());
    let path = file.to_str().unwrap();
    let refused = env.fails(&["import", "mbox", path]);
    assert!(refused.contains("me.emails"), "{refused}");
    env.ok(&["config", "me.emails", &format!("{ME},me@work.example")]);
    let report = env.json(&["import", "mbox", path, "--show-unknown=5"]);
    assert_eq!(met(&env), expected_conversations());
    assert_eq!(report["read"], 13);
    assert_eq!(report["skipped"]["list_or_bulk"], 3);
    // m1, m3, d1 and m4 start threads nobody (or only Zoe) answered.
    assert_eq!(report["skipped"]["one_way"], 4);
    assert_eq!(report["skipped"]["no_known_person"], 2);
    assert_eq!(report["skipped"]["already_logged"], 1);
    assert_eq!(
        report["unknown"],
        serde_json::json!([{"address": "zoe@unknown.example", "exchanges": 2}])
    );

    let before = env.bytes();
    env.ok(&["import", "mbox", path]);
    assert_eq!(env.bytes(), before, "a second import changed the ledger");
    // The same mail as a maildir overlaps entirely: nothing new.
    let dir = maildir(&env, &mailbox_messages());
    let out = env.ok(&["import", "maildir", dir.to_str().unwrap()]);
    assert!(out.contains("logged 0 conversations"), "{out}");
    assert_eq!(env.bytes(), before);
}

#[test]
fn maildir_import_finds_the_same_conversations_and_can_leave_subjects_out() {
    let env = env();
    env.ok(&["config", "me.emails", ME]);
    let dir = maildir(&env, &mailbox_messages());
    let out = env.ok(&["import", "maildir", dir.to_str().unwrap(), "--no-subject"]);
    assert!(
        out.contains("logged 3 conversations with 2 people from 13 messages read"),
        "{out}"
    );
    let expected: Vec<_> = expected_conversations()
        .into_iter()
        .map(|(d, n, h, _, s)| (d, n, h, String::new(), s))
        .collect();
    assert_eq!(met(&env), expected);
    // Nothing of the mail but the date, the person, `how` and the source.
    let ledger = String::from_utf8(env.bytes().unwrap()).unwrap();
    for leak in ["body", "Lisbon", "zoe@", "Return-Path", "news@"] {
        assert!(!ledger.contains(leak), "the ledger holds `{leak}`");
    }
}

#[test]
fn wrong_flags_files_and_folders_are_refused_without_changing_anything() {
    let env = env();
    env.ok(&["config", "me.emails", ME]);
    let ics = calendar(&env);
    let ics = ics.to_str().unwrap();
    for args in [
        vec!["import", "ics", ics, "--tag", "x"],
        vec!["import", "ics", ics, "--no-subject"],
        vec!["import", "vcard", ics, "--since", "2026-01-01"],
        vec!["import", "ics", ics, ics],
        vec!["import", "maildir", ics],
        vec!["import", "mbox", "/nonexistent/mail.mbox"],
        vec!["import", "ics", "/nonexistent/cal.ics"],
    ] {
        env.fails(&args);
    }
    let empty = env.path("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let err = env.fails(&["import", "maildir", empty.to_str().unwrap()]);
    assert!(err.contains("no maildir"), "{err}");
    let not_ics = write(&env, "notes.txt", "just some notes\n");
    let err = env.fails(&["import", "ics", not_ics.to_str().unwrap()]);
    assert!(err.contains("no calendar events"), "{err}");
}

#[test]
fn since_narrows_the_window() {
    let env = env();
    env.ok(&["config", "me.emails", ME]);
    let file = calendar(&env);
    let report = env.json(&[
        "import",
        "ics",
        file.to_str().unwrap(),
        "--since",
        "2026-11-01",
    ]);
    let dates: Vec<&str> = report["logged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        ["2026-11-04", "2026-11-05", "2026-11-09", "2026-11-18"]
    );
    assert_eq!(report["skipped"]["before_since"], 3);
}
