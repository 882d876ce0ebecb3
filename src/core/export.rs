//! The ledger in formats other tools read: JSON, CSV, vCard (see `vcard`) and
//! iCalendar reminders.
//!
//! The iCalendar export renders a list of [`Reminder`]s as VTODOs and a list
//! of [`YearlyEvent`]s as all-day VEVENTs that repeat every year. Each UID is
//! derived from a ledger id, so importing a fresh export into a calendar
//! updates the earlier to-dos and events instead of duplicating them.
//! [`reminders`] takes the to-dos from [`crate::core::advice`]: one per
//! follow-up due and per person going cold; [`yearly_events`] takes the
//! birthdays and labelled dates of the people [`crate::core::birthdays`] says
//! get reminders.

use std::fmt::Write as _;

use anyhow::Result;
use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::core::advice;
use crate::core::index::Index;
use crate::core::model::{Ledger, PartialDate, Person};
use crate::core::reciprocity::{Balance, standing_of};

/// The ledger itself, exactly as kith stores it.
pub fn export_json(ledger: &Ledger) -> Result<Vec<u8>> {
    Ok(crate::core::model::to_pretty_json(ledger)?)
}

/// One row a person, with their lifetime balance.
pub fn export_csv(ledger: &Ledger) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "id",
        "name",
        "emails",
        "phones",
        "org",
        "urls",
        "tags",
        "source",
        "archived",
        "given_count",
        "given_weight",
        "received_count",
        "received_weight",
        "net",
        "last_exchange",
        "standing",
    ])?;
    let index = Index::new(ledger);
    for person in &ledger.people {
        let balance = Balance::of(index.entries_of(&person.id), None);
        writer.write_record([
            cell(&person.id),
            cell(&person.name),
            cell(&person.emails.join("; ")),
            cell(&person.phones.join("; ")),
            cell(person.org.as_deref().unwrap_or_default()),
            cell(&person.urls.join("; ")),
            cell(&person.tags.join("; ")),
            cell(person.source.as_deref().unwrap_or_default()),
            person.archived.to_string(),
            balance.given.count.to_string(),
            balance.given.weight.to_string(),
            balance.received.count.to_string(),
            balance.received.weight.to_string(),
            balance.net.to_string(),
            balance
                .last_exchange
                .map(|d| d.to_string())
                .unwrap_or_default(),
            standing_of(index.entries_of(&person.id), person)
                .as_str()
                .to_string(),
        ])?;
    }
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}

/// A text cell a spreadsheet will not run: control and invisible characters
/// escaped (`\u{1b}`), and a cell that starts like a formula (`=`, `+`, `-`,
/// `@`, tab, CR) prefixed with `'`, which spreadsheets read as "this is text"
/// (the OWASP advice for CSV injection). Numbers kith computes are written as
/// they are.
pub fn cell(text: &str) -> String {
    let starts_like_formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let escaped = crate::core::chars::escape(text, false);
    if starts_like_formula {
        format!("'{escaped}")
    } else {
        escaped.into_owned()
    }
}

/// Something to do on a day, for a calendar app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// Stable across exports: derived from the ledger id it is about.
    pub uid: String,
    pub title: String,
    pub due: NaiveDate,
    pub description: String,
}

impl Reminder {
    /// Reach out once more about request `request_id` (or, once `nudged`, let it go).
    pub fn followup(
        request_id: &str,
        name: &str,
        nudged: bool,
        due: NaiveDate,
        description: String,
    ) -> Reminder {
        let title = if nudged {
            format!("Let go of your request to {name}")
        } else {
            format!("Reach out once more to {name}")
        };
        Reminder {
            uid: format!("followup-{request_id}@kith"),
            title,
            due,
            description,
        }
    }

    /// Get back in touch with person `person_id`, cold since `due`.
    pub fn going_cold(
        person_id: &str,
        name: &str,
        due: NaiveDate,
        description: String,
    ) -> Reminder {
        Reminder {
            uid: format!("cold-{person_id}@kith"),
            title: format!("Get back in touch with {name}"),
            due,
            description,
        }
    }
}

/// The follow-ups due and the people going cold, as of `today`, taken from
/// the reciprocity engine so the calendar says what `kith followups` and
/// `kith who` say.
///
/// A follow-up is due `followup_days` after the request (or after the last
/// nudge); a person went cold the day their cadence ran out.
pub fn reminders(ledger: &Ledger, today: NaiveDate) -> Vec<Reminder> {
    let wait = Days::new(u64::from(ledger.settings.followup_days));
    let index = Index::new(ledger);
    let mut out: Vec<Reminder> = advice::followups(&index, today)
        .into_iter()
        .map(|f| {
            let since = f.nudged_on.unwrap_or(f.asked_on);
            let due = since.checked_add_days(wait).unwrap_or(today);
            Reminder::followup(&f.request, &f.name, f.nudged_on.is_some(), due, f.text)
        })
        .collect();
    out.extend(advice::going_cold(&index, today).into_iter().map(|c| {
        let overdue = u64::try_from(c.days - i64::from(c.cadence_days)).unwrap_or(0);
        let due = today.checked_sub_days(Days::new(overdue)).unwrap_or(today);
        let since = match c.last_exchange {
            Some(date) => format!("since you last talked, on {date}"),
            None => "and you have not talked yet".to_string(),
        };
        let description = format!(
            "{} days {since} — you aim for every {}.",
            c.days, c.cadence_days
        );
        Reminder::going_cold(&c.id, &c.name, due, description)
    }));
    out.sort_by(|a, b| (a.due, &a.uid).cmp(&(b.due, &b.uid)));
    out
}

/// A birthday or labelled date, every year, for a calendar app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearlyEvent {
    /// Stable across exports: derived from the person's id (and the label).
    pub uid: String,
    pub title: String,
    /// The first day of the series: the date itself when its year is known.
    pub start: NaiveDate,
    /// Kept on the last day of February, for a 29 February.
    pub last_of_february: bool,
    pub description: String,
}

/// The birthdays and labelled dates of everyone kith reminds you of (not
/// contacts, flagged, archived or one-way people), in ledger order.
pub fn yearly_events(ledger: &Ledger, today: NaiveDate) -> Vec<YearlyEvent> {
    let index = Index::new(ledger);
    let mut events = Vec::new();
    for person in &ledger.people {
        if (person.birthday.is_none() && person.dates.is_empty())
            || !crate::core::advice::gets_reminders(&index, person, today)
        {
            continue;
        }
        if let Some(birthday) = person.birthday {
            events.extend(yearly(
                format!("birthday-{}@kith", person.id),
                format!("{}'s birthday", person.name),
                birthday,
                person,
            ));
        }
        for date in &person.dates {
            events.extend(yearly(
                format!(
                    "date-{}-{:016x}@kith",
                    person.id,
                    fnv1a(&date.label.to_lowercase())
                ),
                format!("{}: {}", person.name, date.label),
                date.date,
                person,
            ));
        }
    }
    events
}

fn yearly(uid: String, title: String, date: PartialDate, person: &Person) -> Option<YearlyEvent> {
    // A year is needed to start the series; 2000 is a leap year, so a
    // yearless 29 February exists in it.
    let start = date.date().or_else(|| date.in_year(2000))?;
    let since = match date.year() {
        Some(_) => format!(" (since {date})"),
        None => String::new(),
    };
    Some(YearlyEvent {
        uid,
        title,
        start,
        last_of_february: date.month() == 2 && date.day() == 29,
        description: format!(
            "A good moment to reach out to {}{since}. From kith.",
            person.name
        ),
    })
}

/// FNV-1a: a stable hash for UIDs (the std hasher is not stable across releases).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// An iCalendar file and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub text: String,
    /// VTODOs: follow-ups due and people going cold.
    pub reminders: usize,
    /// Yearly VEVENTs: birthdays and labelled dates.
    pub events: usize,
}

/// The ledger's reminders and yearly events as of `today`, stamped `now`.
pub fn calendar(ledger: &Ledger, today: NaiveDate, now: DateTime<Utc>) -> Calendar {
    let reminders = reminders(ledger, today);
    let events = yearly_events(ledger, today);
    Calendar {
        text: export_calendar(&reminders, &events, now),
        reminders: reminders.len(),
        events: events.len(),
    }
}

/// The reminders as an iCalendar file of VTODOs (RFC 5545), stamped `now`.
pub fn export_ics(reminders: &[Reminder], now: DateTime<Utc>) -> String {
    export_calendar(reminders, &[], now)
}

/// Reminders as VTODOs and yearly events as all-day VEVENTs with
/// `RRULE:FREQ=YEARLY` (RFC 5545), stamped `now`.
pub fn export_calendar(
    reminders: &[Reminder],
    events: &[YearlyEvent],
    now: DateTime<Utc>,
) -> String {
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//kith//kith reminders//EN",
        "CALSCALE:GREGORIAN",
    ] {
        push_line(&mut out, line);
    }
    for reminder in reminders {
        push_line(&mut out, "BEGIN:VTODO");
        push_line(&mut out, &format!("UID:{}", escape_text(&reminder.uid)));
        push_line(&mut out, &format!("DTSTAMP:{stamp}"));
        push_line(
            &mut out,
            &format!("DUE;VALUE=DATE:{}", reminder.due.format("%Y%m%d")),
        );
        push_line(
            &mut out,
            &format!("SUMMARY:{}", escape_text(&reminder.title)),
        );
        push_line(
            &mut out,
            &format!("DESCRIPTION:{}", escape_text(&reminder.description)),
        );
        push_line(&mut out, "STATUS:NEEDS-ACTION");
        push_line(&mut out, "END:VTODO");
    }
    for event in events {
        let end = event.start.succ_opt().unwrap_or(event.start);
        // 29 February: the last day of February, so common years have one too.
        let rule = if event.last_of_february {
            "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
        } else {
            "RRULE:FREQ=YEARLY"
        };
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", escape_text(&event.uid)),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", event.start.format("%Y%m%d")),
            format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
            rule.to_string(),
            format!("SUMMARY:{}", escape_text(&event.title)),
            format!("DESCRIPTION:{}", escape_text(&event.description)),
            "TRANSP:TRANSPARENT".to_string(),
            "END:VEVENT".to_string(),
        ] {
            push_line(&mut out, &line);
        }
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// RFC 5545 TEXT escaping.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (never inside a character), CRLF-ended.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    let _ = write!(out, "\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Detail, Direction, Entry, Person, Request, Status};
    use calcard::icalendar::{ICalendar, ICalendarComponentType, ICalendarProperty};

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn ledger_with_reminders() -> Ledger {
        let now: DateTime<Utc> = "2026-01-01T10:00:00Z".parse().unwrap();
        let mut ledger = Ledger::default();
        let mut ann = Person::new("p-00000000000000a1".into(), "Ann; \"the\" Lee".into(), now);
        ann.met_on = Some(date("2025-06-01"));
        let mut bob = Person::new("p-00000000000000b2".into(), "Bob".into(), now);
        bob.source = Some("vcard".into());
        bob.met_on = Some(date("2020-01-01"));
        ledger.people = vec![ann, bob];
        ledger.entries.push(Entry {
            source_id: None,
            id: "e-00000000000000c3".into(),
            person: "p-00000000000000a1".into(),
            date: date("2026-02-01"),
            recorded: now,
            updated: now,
            detail: Detail::Ask(Request {
                what: "an intro, to someone at a bank".into(),
                direction: Direction::Out,
                status: Status::Open,
                nudges: vec![],
                note: None,
            }),
            extra: Default::default(),
        });
        ledger
    }

    #[test]
    fn reminders_for_followups_and_going_cold() {
        let ledger = ledger_with_reminders();
        let found = reminders(&ledger, date("2026-03-01"));
        let uids: Vec<&str> = found.iter().map(|r| r.uid.as_str()).collect();
        // Ann went cold on 2025-08-30 (met 2025-06-01 + 90); a bare request is no exchange.
        assert_eq!(
            uids,
            [
                "cold-p-00000000000000a1@kith",
                "followup-e-00000000000000c3@kith"
            ]
        );
        assert_eq!(found[1].due, date("2026-02-15"));
        // Bob came from an import and nothing is logged: no reminder.
        assert!(reminders(&ledger, date("2026-02-10")).len() == 1);
    }

    #[test]
    fn ics_parses_back_with_a_real_parser_and_uids_are_stable() {
        let ledger = ledger_with_reminders();
        let now = "2026-03-01T10:00:00Z".parse().unwrap();
        let mut long = reminders(&ledger, date("2026-03-01"));
        long[0].description = "é".repeat(100);
        let text = export_ics(&long, now);
        assert!(text.lines().all(|l| l.len() <= 76), "{text}");
        let calendar = ICalendar::parse(&text).expect("valid iCalendar");
        let todos: Vec<_> = calendar
            .components
            .iter()
            .filter(|c| c.component_type == ICalendarComponentType::VTodo)
            .collect();
        assert_eq!(todos.len(), 2);
        let summaries: Vec<String> = todos
            .iter()
            .filter_map(|t| t.property(&ICalendarProperty::Summary))
            .filter_map(|p| p.values.first().and_then(|v| v.as_text()).map(String::from))
            .collect();
        assert_eq!(
            summaries,
            [
                "Get back in touch with Ann; \"the\" Lee",
                "Reach out once more to Ann; \"the\" Lee"
            ]
        );
        let description = todos[0]
            .property(&ICalendarProperty::Description)
            .and_then(|p| p.values.first())
            .and_then(|v| v.as_text())
            .map(String::from);
        assert_eq!(description, Some("é".repeat(100)));
        let again = export_ics(&reminders(&ledger, date("2026-03-01")), now);
        assert_eq!(again.matches("UID:").count(), text.matches("UID:").count());
        assert!(again.contains("UID:cold-p-00000000000000a1@kith"));
    }

    /// Ann (a relationship: added by hand) with a 29 February birthday and a
    /// labelled date, Bob (an imported contact) with a birthday.
    fn ledger_with_dates() -> Ledger {
        let mut ledger = ledger_with_reminders();
        ledger.people[0].birthday = Some("1988-02-29".parse().unwrap());
        ledger.people[0].dates = vec![crate::core::model::LabelledDate::new(
            "started at Stripe",
            "--09-01".parse().unwrap(),
        )];
        ledger.people[1].birthday = Some("--05-05".parse().unwrap());
        ledger
    }

    #[test]
    fn birthdays_and_dates_are_yearly_all_day_events_a_real_parser_reads() {
        use calcard::common::timezone::Tz;
        use calcard::icalendar::{ICalendarFrequency, ICalendarValue};

        let ledger = ledger_with_dates();
        let now = "2026-03-01T10:00:00Z".parse().unwrap();
        let exported = calendar(&ledger, date("2026-03-01"), now);
        assert_eq!((exported.reminders, exported.events), (2, 2));
        let parsed = ICalendar::parse(&exported.text).expect("valid iCalendar");
        let events: Vec<_> = parsed
            .components
            .iter()
            .filter(|c| c.component_type == ICalendarComponentType::VEvent)
            .collect();
        assert_eq!(events.len(), 2);
        let text = |c: &calcard::icalendar::ICalendarComponent, p: ICalendarProperty| {
            c.property(&p)
                .and_then(|e| e.values.first())
                .and_then(|v| v.as_text())
                .map(String::from)
        };
        assert_eq!(
            text(events[0], ICalendarProperty::Summary).as_deref(),
            Some("Ann; \"the\" Lee's birthday")
        );
        assert_eq!(
            text(events[0], ICalendarProperty::Uid).as_deref(),
            Some("birthday-p-00000000000000a1@kith")
        );
        for event in &events {
            let rule = event
                .property(&ICalendarProperty::Rrule)
                .and_then(|e| e.values.first());
            let Some(ICalendarValue::RecurrenceRule(rule)) = rule else {
                panic!("no RRULE: {rule:?}");
            };
            assert_eq!(rule.freq, ICalendarFrequency::Yearly);
            let start = event
                .property(&ICalendarProperty::Dtstart)
                .and_then(|e| e.values.first());
            let Some(ICalendarValue::PartialDateTime(start)) = start else {
                panic!("no DTSTART: {start:?}");
            };
            // All day: a date, no time.
            assert_eq!(start.hour, None);
        }
        // Each series, expanded by calcard: every year, 29 February on the
        // 28th in common years; the yearless date from 2000 on.
        let expand = |event: &YearlyEvent| -> Vec<String> {
            let one = ICalendar::parse(export_calendar(&[], std::slice::from_ref(event), now))
                .expect("valid iCalendar");
            let expanded = one.expand_dates(Tz::Floating, 150);
            assert!(expanded.errors.is_empty(), "{:?}", expanded.errors);
            expanded
                .events
                .iter()
                .map(|e| e.start.date_naive().to_string())
                .collect()
        };
        let yearly = yearly_events(&ledger, date("2026-03-01"));
        let birthday = expand(&yearly[0]);
        assert_eq!(
            birthday[..5],
            [
                "1988-02-29",
                "1989-02-28",
                "1990-02-28",
                "1991-02-28",
                "1992-02-29"
            ]
        );
        for expected in ["2026-02-28", "2027-02-28", "2028-02-29"] {
            assert!(
                birthday.iter().any(|d| d == expected),
                "{expected} not in {birthday:?}"
            );
        }
        assert!(
            !birthday.iter().any(|d| d.ends_with("-03-01")),
            "{birthday:?}"
        );
        let started = expand(&yearly[1]);
        assert_eq!(started[..2], ["2000-09-01", "2001-09-01"]);
        assert!(started.iter().any(|d| d == "2026-09-01"));
        // Stable UIDs: a second export names the same events.
        let again = calendar(&ledger, date("2026-03-02"), now);
        let uids = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| l.starts_with("UID:date-") || l.starts_with("UID:birthday-"))
                .map(String::from)
                .collect()
        };
        assert_eq!(uids(&again.text), uids(&exported.text));
    }

    #[test]
    fn nobody_to_remind_of_counts_zero() {
        let mut ledger = ledger_with_dates();
        ledger.people[0].flag = Some(crate::core::model::Flag {
            date: date("2026-01-01"),
            reason: None,
            extra: Default::default(),
        });
        let exported = calendar(
            &ledger,
            date("2026-01-02"),
            "2026-01-02T10:00:00Z".parse().unwrap(),
        );
        assert_eq!(exported.events, 0);
        assert!(!exported.text.contains("BEGIN:VEVENT"));
        assert!(ICalendar::parse(&exported.text).is_ok());
    }

    #[test]
    fn csv_has_balance_columns() {
        let ledger = ledger_with_reminders();
        let bytes = export_csv(&ledger).unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let header = reader.headers().unwrap().clone();
        assert!(header.iter().any(|h| h == "net"));
        assert_eq!(header.iter().next_back(), Some("standing"));
        let rows: Vec<_> = reader.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][1], "Ann; \"the\" Lee");
    }

    #[test]
    fn csv_cells_never_start_a_formula_or_hold_escapes() {
        for (text, cell_text) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1 555 0100", "'+1 555 0100"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\\u{9}x"),
            ("\rx", "'\\u{d}x"),
            ("Ann \u{1b}[31m", "Ann \\u{1b}[31m"),
            ("Al\u{202e}ice", "Al\\u{202e}ice"),
            ("Ann", "Ann"),
        ] {
            assert_eq!(cell(text), cell_text, "{text:?}");
        }
        let mut ledger = ledger_with_reminders();
        ledger.people[0].name = "=cmd|' /C calc'!A0".into();
        let bytes = export_csv(&ledger).unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let rows: Vec<_> = reader.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(&rows[0][1], "'=cmd|' /C calc'!A0");
    }
}
