//! The ledger in formats other tools read: JSON, CSV, vCard (see `vcard`) and
//! iCalendar reminders.
//!
//! The iCalendar export renders a list of [`Reminder`]s as VTODOs. Each
//! reminder's UID is derived from a ledger id, so importing a fresh export into
//! a calendar updates the earlier to-dos instead of duplicating them.
//! [`reminders`] takes them from [`crate::core::advice`]: a to-do per follow-up due
//! and per person going cold.

use std::fmt::Write as _;

use anyhow::Result;
use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::core::advice;
use crate::core::index::Index;
use crate::core::model::Ledger;
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

/// The reminders as an iCalendar file of VTODOs (RFC 5545), stamped `now`.
pub fn export_ics(reminders: &[Reminder], now: DateTime<Utc>) -> String {
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
