//! Meetings from an iCalendar file (`kith import ics`).
//!
//! The file is parsed by `calcard`, the iCalendar library already used for
//! vCards, and each event series (the `VEVENT`s sharing a `UID`: a master
//! with its `RRULE`/`RDATE`/`EXDATE`, and the instances overridden by
//! `RECURRENCE-ID`) is expanded on its own by calcard's recurrence engine,
//! with the rule cut at today so an endless series costs only its past.
//! Each occurrence that happened inside the window becomes an [`Exchange`]
//! with everyone on it but the user, unless a rule skips it: cancelled, the
//! user declined, more attendees than `max_attendees` (a town hall is not a
//! relationship), or all-day with no attendees. An attendee who declined is
//! left out of that meeting.
//!
//! Dates: an occurrence is dated on its own local calendar: the wall-clock
//! date in its `TZID` zone (what its attendees saw), a floating time as
//! written, and a UTC time in the calendar's zone (`X-WR-TIMEZONE`, as Google
//! exports carry) or else in the user's zone, which the shell passes in.
//! `how` is `call` when the event carries a video-conference link (a
//! `CONFERENCE` property, or a known meeting host in its location, URL or
//! description), else `event`; the note is the summary.

use std::collections::{HashMap, HashSet};

use calcard::common::timezone::Tz;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarEntry, ICalendarParameterName,
    ICalendarParameterValue, ICalendarParticipationStatus, ICalendarProperty, ICalendarStatus,
    ICalendarUserTypes, ICalendarValue,
};
use calcard::{Entry as CardEntry, Parser};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone};

use super::exchanges::{Exchange, Found, Skip, Window, address, clean_note, count};
use super::text;
use crate::core::model::How;

/// The most occurrences one series may expand to: a daily meeting for
/// 270 years. Beyond it the series stops (a rule that dense is not a meeting).
const MAX_OCCURRENCES: usize = 100_000;

/// What the ICS reader needs to know besides the file.
#[derive(Debug, Clone)]
pub struct CalendarOptions<'a> {
    pub window: Window,
    /// The user's addresses, lower-cased (`me.emails`).
    pub me: &'a [String],
    pub max_attendees: usize,
    /// The user's time zone, for UTC times when the calendar names none.
    pub home: chrono_tz::Tz,
}

/// Reads every event of an iCalendar file into exchanges and skip counts.
pub fn read_calendar(bytes: &[u8], options: &CalendarOptions<'_>) -> Found {
    let mut text = text::decode(bytes, None).text;
    // Old Mac exports (Lotus Notes among them) end lines with a bare CR.
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    let mut parser = Parser::new(&text);
    let mut timezones: Vec<ICalendarComponent> = Vec::new();
    let mut events: Vec<ICalendarComponent> = Vec::new();
    let mut calendar_zone: Option<String> = None;
    let mut found = Found::default();
    loop {
        match parser.entry() {
            CardEntry::ICalendar(calendar) => {
                for component in calendar.components {
                    match component.component_type {
                        ICalendarComponentType::VCalendar if calendar_zone.is_none() => {
                            calendar_zone = x_property(&component, "X-WR-TIMEZONE")
                                .map(|zone| zone.trim().to_string());
                        }
                        ICalendarComponentType::VTimezone => timezones.push(ICalendarComponent {
                            component_ids: Vec::new(),
                            ..component
                        }),
                        ICalendarComponentType::VEvent => events.push(ICalendarComponent {
                            component_ids: Vec::new(),
                            ..component
                        }),
                        _ => {}
                    }
                }
            }
            CardEntry::Eof | CardEntry::TooManyComponents => break,
            _ => {}
        }
    }
    let home = calendar_zone
        .as_deref()
        .and_then(|name| name.parse::<chrono_tz::Tz>().ok())
        .unwrap_or(options.home);
    found.read = events.len();
    for series in group_by_uid(events) {
        read_series(&series, &timezones, home, options, &mut found);
    }
    found
}

/// The value of an `X-` property, as text.
fn x_property<'a>(component: &'a ICalendarComponent, name: &str) -> Option<&'a str> {
    component
        .entries
        .iter()
        .find_map(|entry| match &entry.name {
            ICalendarProperty::Other(other) if other.eq_ignore_ascii_case(name) => {
                entry.values.first().and_then(ICalendarValue::as_text)
            }
            _ => None,
        })
}

/// One series: its UID and its components, in file order.
struct Series {
    uid: String,
    components: Vec<ICalendarComponent>,
}

fn group_by_uid(events: Vec<ICalendarComponent>) -> Vec<Series> {
    let mut series: Vec<Series> = Vec::new();
    let mut by_uid: HashMap<String, usize> = HashMap::new();
    for event in events {
        let uid = match event.uid().map(str::trim).filter(|u| !u.is_empty()) {
            Some(uid) => uid.to_string(),
            // No UID (not valid iCalendar, but seen): a stable stand-in made
            // from what identifies the event, so a re-import finds it again.
            None => format!("kith-{:016x}", fingerprint(&event)),
        };
        match by_uid.get(&uid) {
            Some(i) => {
                if let Some(s) = series.get_mut(*i) {
                    s.components.push(event);
                }
            }
            None => {
                by_uid.insert(uid.clone(), series.len());
                series.push(Series {
                    uid,
                    components: vec![event],
                });
            }
        }
    }
    series
}

/// FNV-1a over the event's start and summary: stable across runs and builds.
fn fingerprint(event: &ICalendarComponent) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for entry in &event.entries {
        if matches!(
            entry.name,
            ICalendarProperty::Dtstart | ICalendarProperty::Summary | ICalendarProperty::Rrule
        ) {
            for byte in format!("{:?}", entry.values).bytes() {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    hash
}

/// Expands one series and turns each occurrence into an exchange or a skip.
fn read_series(
    series: &Series,
    timezones: &[ICalendarComponent],
    home: chrono_tz::Tz,
    options: &CalendarOptions<'_>,
    found: &mut Found,
) {
    let recurring = series
        .components
        .iter()
        .any(ICalendarComponent::is_recurrent_or_override)
        || series.components.len() > 1;
    // A calendar of this series alone (with the time zones), rules cut at
    // the end of the window, sequences dropped: calcard matches an override
    // to its instance by (SEQUENCE, RECURRENCE-ID), and exports often give
    // the override a newer SEQUENCE than its master.
    let mut calendar = ICalendar {
        components: timezones.to_vec(),
    };
    let first_event = calendar.components.len();
    for component in &series.components {
        calendar
            .components
            .push(prepare(component, options.window.today));
    }
    let resolver = calendar.build_tz_resolver().with_default(Tz::Tz(home));
    let expanded = calendar.expand_dates(Tz::Tz(home), MAX_OCCURRENCES);
    for _ in &expanded.errors {
        count(&mut found.skipped, Skip::Unreadable);
    }
    // Instances replaced by an override, and instances excluded, by instant.
    let mut overridden: HashSet<i64> = HashSet::new();
    let mut excluded: HashSet<i64> = HashSet::new();
    for component in &series.components {
        let start_zone = component
            .property(&ICalendarProperty::Dtstart)
            .and_then(ICalendarEntry::tz_id);
        for entry in &component.entries {
            let set = match entry.name {
                ICalendarProperty::RecurrenceId => &mut overridden,
                ICalendarProperty::Exdate => &mut excluded,
                _ => continue,
            };
            let zone = resolver.resolve_or_default(entry.tz_id().or(start_zone));
            for value in &entry.values {
                if let ICalendarValue::PartialDateTime(at) = value
                    && let Some(at) = at.to_date_time_with_tz(zone)
                {
                    set.insert(at.timestamp());
                }
            }
        }
    }
    let mut done: HashSet<(usize, i64)> = HashSet::new();
    for event in &expanded.events {
        let Some(position) = (event.comp_id as usize).checked_sub(first_event) else {
            continue;
        };
        let Some(component) = series.components.get(position) else {
            continue;
        };
        let is_override = component.is_recurrence_override();
        let instant = event.start.timestamp();
        if !is_override && (overridden.contains(&instant) || excluded.contains(&instant)) {
            continue;
        }
        if !done.insert((position, if is_override { 0 } else { instant })) {
            continue;
        }
        let all_day = is_all_day(component);
        let recurrence_id = if is_override {
            recurrence_id_of(component, &resolver).unwrap_or_else(|| stamp(&event.start, all_day))
        } else {
            stamp(&event.start, all_day)
        };
        let source_id = if recurring {
            format!("{}/{recurrence_id}", series.uid)
        } else {
            series.uid.clone()
        };
        let date = local_date(&event.start, home);
        if let Some(reason) = options.window.check(date) {
            count(&mut found.skipped, reason);
            continue;
        }
        match occurrence(component, all_day, options) {
            Ok((addresses, how, note)) => found.exchanges.push(Exchange {
                date,
                addresses,
                how,
                note,
                source_ids: vec![source_id],
            }),
            Err(reason) => count(&mut found.skipped, reason),
        }
    }
}

/// The component as expanded: no SEQUENCE, and an open-ended rule ending
/// the day after `today` (later occurrences are never logged).
fn prepare(component: &ICalendarComponent, today: NaiveDate) -> ICalendarComponent {
    let cut = today.succ_opt().unwrap_or(today);
    let mut out = ICalendarComponent {
        component_type: component.component_type.clone(),
        entries: Vec::with_capacity(component.entries.len()),
        component_ids: Vec::new(),
    };
    for entry in &component.entries {
        match (&entry.name, entry.values.first()) {
            (ICalendarProperty::Sequence, _) => {}
            (ICalendarProperty::Rrule, Some(ICalendarValue::RecurrenceRule(rule))) => {
                let mut rule = rule.clone();
                let ends_later = match &rule.until {
                    Some(until) => until
                        .to_date_time()
                        .is_none_or(|until| until.date_time.date() > cut),
                    None => rule.count.is_none(),
                };
                if ends_later {
                    rule.until = Some(calcard::common::PartialDateTime {
                        year: u16::try_from(cut.year()).ok(),
                        month: u8::try_from(cut.month()).ok(),
                        day: u8::try_from(cut.day()).ok(),
                        hour: Some(23),
                        minute: Some(59),
                        second: Some(59),
                        ..Default::default()
                    });
                }
                out.entries.push(ICalendarEntry {
                    name: entry.name.clone(),
                    params: entry.params.clone(),
                    values: vec![ICalendarValue::RecurrenceRule(rule)],
                });
            }
            _ => out.entries.push(entry.clone()),
        }
    }
    out
}

/// Whether the event starts on a date with no time (an all-day event).
fn is_all_day(component: &ICalendarComponent) -> bool {
    component
        .property(&ICalendarProperty::Dtstart)
        .and_then(|entry| entry.values.first())
        .and_then(ICalendarValue::as_partial_date_time)
        .is_some_and(|at| !at.has_time())
}

/// An override's RECURRENCE-ID, written like [`stamp`].
fn recurrence_id_of(
    component: &ICalendarComponent,
    resolver: &calcard::icalendar::timezone::TzResolver<&str>,
) -> Option<String> {
    let entry = component.property(&ICalendarProperty::RecurrenceId)?;
    let value = entry.values.first()?.as_partial_date_time()?;
    let start_zone = component
        .property(&ICalendarProperty::Dtstart)
        .and_then(ICalendarEntry::tz_id);
    let at =
        value.to_date_time_with_tz(resolver.resolve_or_default(entry.tz_id().or(start_zone)))?;
    Some(stamp(&at, !value.has_time()))
}

/// An instance's recurrence id: `YYYYMMDD` for all-day, else UTC
/// `YYYYMMDDTHHMMSSZ`, so the same instance reads the same in every export.
fn stamp(at: &DateTime<Tz>, all_day: bool) -> String {
    if all_day {
        at.naive_local().format("%Y%m%d").to_string()
    } else {
        at.naive_utc().format("%Y%m%dT%H%M%SZ").to_string()
    }
}

/// The calendar date an occurrence is logged on (see the module docs).
fn local_date(start: &DateTime<Tz>, home: chrono_tz::Tz) -> NaiveDate {
    if start.timezone().is_utc() {
        home.from_utc_datetime(&start.naive_utc()).date_naive()
    } else {
        start.naive_local().date()
    }
}

/// One participant line (`ATTENDEE` or `ORGANIZER`).
struct Participant {
    address: Option<String>,
    declined: bool,
    /// A room or a resource, not a person.
    thing: bool,
}

fn participant(entry: &ICalendarEntry) -> Participant {
    let from_param = entry
        .parameter(&ICalendarParameterName::Email)
        .and_then(ICalendarParameterValue::as_text)
        .and_then(address);
    let address = from_param.or_else(|| entry.calendar_address().and_then(address));
    let declined = entry.params.iter().any(|p| {
        matches!(
            p.value,
            ICalendarParameterValue::Partstat(ICalendarParticipationStatus::Declined)
        )
    });
    let thing = entry.params.iter().any(|p| {
        matches!(
            p.value,
            ICalendarParameterValue::Cutype(
                ICalendarUserTypes::Room | ICalendarUserTypes::Resource
            )
        )
    });
    Participant {
        address,
        declined,
        thing,
    }
}

/// The people on one occurrence, how it happened and its note; or why it is skipped.
fn occurrence(
    component: &ICalendarComponent,
    all_day: bool,
    options: &CalendarOptions<'_>,
) -> Result<(Vec<String>, How, Option<String>), Skip> {
    if component.status() == Some(&ICalendarStatus::Cancelled) {
        return Err(Skip::Cancelled);
    }
    let attendees: Vec<Participant> = component
        .properties(&ICalendarProperty::Attendee)
        .map(participant)
        .filter(|p| !p.thing)
        .collect();
    if attendees
        .iter()
        .any(|p| p.declined && p.address.as_ref().is_some_and(|a| options.me.contains(a)))
    {
        return Err(Skip::Declined);
    }
    let distinct: HashSet<&str> = attendees
        .iter()
        .filter_map(|p| p.address.as_deref())
        .collect();
    let headcount = distinct.len() + attendees.iter().filter(|p| p.address.is_none()).count();
    if headcount > options.max_attendees {
        return Err(Skip::TooManyAttendees);
    }
    if all_day && attendees.is_empty() {
        return Err(Skip::AllDayWithoutAttendees);
    }
    let organizer = component
        .properties(&ICalendarProperty::Organizer)
        .map(participant);
    let mut addresses: Vec<String> = Vec::new();
    for p in attendees.into_iter().chain(organizer) {
        if let Some(addr) = p.address
            && !p.declined
            && !p.thing
            && !addresses.contains(&addr)
        {
            addresses.push(addr);
        }
    }
    let note = component
        .property(&ICalendarProperty::Summary)
        .and_then(|entry| entry.values.first())
        .and_then(ICalendarValue::as_text)
        .and_then(clean_note);
    let how = if is_call(component) {
        How::Call
    } else {
        How::Event
    };
    Ok((addresses, how, note))
}

/// Hosts whose links mean the meeting happened over video.
const VIDEO_HOSTS: &[&str] = &[
    "zoom.us",
    "zoomgov.com",
    "meet.google.com",
    "teams.microsoft.com",
    "teams.live.com",
    "webex.com",
    "whereby.com",
    "meet.jit.si",
    "gotomeeting.com",
    "gotomeet.me",
    "bluejeans.com",
    "chime.aws",
    "facetime.apple.com",
    "join.skype.com",
    "meet.lync.com",
    "around.co",
];

/// A video-conference link on the event: a `CONFERENCE` property (RFC 7986)
/// or Google's and Microsoft's own, a known meeting host in the location,
/// URL or description, or a `tel:` location.
fn is_call(component: &ICalendarComponent) -> bool {
    component.entries.iter().any(|entry| match &entry.name {
        ICalendarProperty::Conference => true,
        ICalendarProperty::Other(name) => {
            let name = name.to_ascii_uppercase();
            name == "X-GOOGLE-CONFERENCE"
                || name.starts_with("X-MICROSOFT-SKYPETEAMSMEETINGURL")
                || name.starts_with("X-MICROSOFT-ONLINEMEETING")
        }
        ICalendarProperty::Location | ICalendarProperty::Url | ICalendarProperty::Description => {
            entry
                .values
                .iter()
                .filter_map(ICalendarValue::as_text)
                .any(|text| {
                    let text = text.to_lowercase();
                    VIDEO_HOSTS.iter().any(|host| text.contains(host))
                        || (entry.name == ICalendarProperty::Location
                            && text.trim_start().starts_with("tel:"))
                })
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window() -> Window {
        Window {
            since: NaiveDate::from_ymd_opt(2025, 11, 20).unwrap(),
            today: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        }
    }

    fn read(ics: &str) -> Found {
        let me = vec!["me@example.org".to_string()];
        let options = CalendarOptions {
            window: window(),
            me: &me,
            max_attendees: 8,
            home: chrono_tz::UTC,
        };
        read_calendar(ics.replace('\n', "\r\n").as_bytes(), &options)
    }

    fn calendar(events: &str) -> String {
        format!("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{events}END:VCALENDAR\n")
    }

    fn summary(found: &Found) -> Vec<(String, String, How, String, String)> {
        let mut out: Vec<_> = found
            .exchanges
            .iter()
            .map(|e| {
                (
                    e.date.to_string(),
                    e.addresses.join(","),
                    e.how,
                    e.note.clone().unwrap_or_default(),
                    e.source_ids.join(","),
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn weekly_series_with_exdate_moved_and_cancelled_instances() {
        let ics = calendar(
            "BEGIN:VEVENT\nUID:weekly-1\nSEQUENCE:0\nDTSTART;TZID=Europe/Berlin:20261005T100000\n\
DTEND;TZID=Europe/Berlin:20261005T103000\nRRULE:FREQ=WEEKLY;BYDAY=MO\n\
EXDATE;TZID=Europe/Berlin:20261019T100000\nSUMMARY:Alice / me 1:1\n\
ORGANIZER:mailto:me@example.org\nATTENDEE;PARTSTAT=ACCEPTED:mailto:Alice@Example.com\n\
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.org\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:weekly-1\nSEQUENCE:2\nRECURRENCE-ID;TZID=Europe/Berlin:20261026T100000\n\
DTSTART;TZID=Europe/Berlin:20261027T150000\nDTEND;TZID=Europe/Berlin:20261027T153000\n\
SUMMARY:Alice / me 1:1 (moved)\nORGANIZER:mailto:me@example.org\n\
ATTENDEE:mailto:alice@example.com\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:weekly-1\nSEQUENCE:1\nRECURRENCE-ID;TZID=Europe/Berlin:20261109T100000\n\
DTSTART;TZID=Europe/Berlin:20261109T100000\nSTATUS:CANCELLED\nSUMMARY:Alice / me 1:1\n\
ATTENDEE:mailto:alice@example.com\nEND:VEVENT\n",
        );
        let found = read(&ics);
        let got = summary(&found);
        let expected: Vec<_> = [
            ("2026-10-05", "Alice / me 1:1", "weekly-1/20261005T080000Z"),
            ("2026-10-12", "Alice / me 1:1", "weekly-1/20261012T080000Z"),
            (
                "2026-10-27",
                "Alice / me 1:1 (moved)",
                "weekly-1/20261026T090000Z",
            ),
            ("2026-11-02", "Alice / me 1:1", "weekly-1/20261102T090000Z"),
            ("2026-11-16", "Alice / me 1:1", "weekly-1/20261116T090000Z"),
        ]
        .iter()
        .map(|(d, n, s)| {
            (
                d.to_string(),
                "alice@example.com,me@example.org".to_string(),
                How::Event,
                n.to_string(),
                s.to_string(),
            )
        })
        .collect();
        // The moved instance lists only Alice as attendee, with me as organizer.
        let got: Vec<_> = got
            .into_iter()
            .map(|(d, a, h, n, s)| {
                let mut a: Vec<_> = a.split(',').map(String::from).collect();
                a.sort();
                (d, a.join(","), h, n, s)
            })
            .collect();
        assert_eq!(got, expected);
        assert_eq!(found.skipped.get(&Skip::Cancelled), Some(&1));
        // Today is a Friday: the Monday after it is not logged.
        assert_eq!(found.skipped.get(&Skip::Future), None);
    }

    #[test]
    fn declined_crowded_all_day_cancelled_and_future_events_are_skipped() {
        let crowd: String = (0..30)
            .map(|i| format!("ATTENDEE:mailto:person{i}@corp.example\n"))
            .collect();
        let ics = calendar(&format!(
            "BEGIN:VEVENT\nUID:declined\nDTSTART:20261103T150000Z\nSUMMARY:Pitch\n\
ORGANIZER:mailto:bob@example.com\nATTENDEE;PARTSTAT=DECLINED:mailto:me@example.org\n\
ATTENDEE:mailto:bob@example.com\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:townhall\nDTSTART:20261104T150000Z\nSUMMARY:Town hall\n\
ORGANIZER:mailto:carol@example.com\n{crowd}ATTENDEE:mailto:carol@example.com\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:holiday\nDTSTART;VALUE=DATE:20261105\nDTEND;VALUE=DATE:20261106\n\
SUMMARY:Alice's day off\nORGANIZER:mailto:alice@example.com\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:off\nDTSTART:20261106T150000Z\nSTATUS:CANCELLED\nSUMMARY:Lunch\n\
ATTENDEE:mailto:dan@example.com\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:later\nDTSTART:20261124T150000Z\nSUMMARY:Later\n\
ATTENDEE:mailto:dan@example.com\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:old\nDTSTART:20240124T150000Z\nSUMMARY:Old\n\
ATTENDEE:mailto:dan@example.com\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:offsite\nDTSTART;VALUE=DATE:20261110\nSUMMARY:Offsite\n\
ATTENDEE;PARTSTAT=DECLINED:mailto:erin@example.com\nATTENDEE:mailto:frank@example.com\n\
ATTENDEE;CUTYPE=ROOM:mailto:room-1@corp.example\nEND:VEVENT\n"
        ));
        let found = read(&ics);
        assert_eq!(
            summary(&found),
            vec![(
                "2026-11-10".to_string(),
                "frank@example.com".to_string(),
                How::Event,
                "Offsite".to_string(),
                "offsite".to_string()
            )]
        );
        let skipped: Vec<_> = found.skipped.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(
            skipped,
            vec![
                (Skip::Cancelled, 1),
                (Skip::Declined, 1),
                (Skip::TooManyAttendees, 1),
                (Skip::AllDayWithoutAttendees, 1),
                (Skip::Future, 1),
                (Skip::BeforeSince, 1),
            ]
        );
        assert_eq!(found.read, 7);
    }

    #[test]
    fn dates_follow_the_event_zone_and_utc_follows_the_calendar_zone() {
        // 19:00 in Los Angeles is 03:00 UTC the next day; 23:30 UTC is
        // 00:30 the next day in Berlin, the calendar's zone.
        let ics = "BEGIN:VCALENDAR\nVERSION:2.0\nX-WR-TIMEZONE:Europe/Berlin\n\
BEGIN:VTIMEZONE\nTZID:America/Los_Angeles\nBEGIN:STANDARD\nDTSTART:19701101T020000\n\
TZOFFSETFROM:-0700\nTZOFFSETTO:-0800\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\nEND:STANDARD\n\
BEGIN:DAYLIGHT\nDTSTART:19700308T020000\nTZOFFSETFROM:-0800\nTZOFFSETTO:-0700\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\nEND:DAYLIGHT\nEND:VTIMEZONE\n\
BEGIN:VEVENT\nUID:la\nDTSTART;TZID=America/Los_Angeles:20261110T190000\nSUMMARY:Dinner call\n\
LOCATION:https://us02web.zoom.us/j/123\nATTENDEE:mailto:dan@example.com\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:utc\nDTSTART:20261111T233000Z\nSUMMARY:Late chat\n\
ATTENDEE:mailto:dan@example.com\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:floating\nDTSTART:20261112T233000\nSUMMARY:Floating\n\
ATTENDEE:mailto:dan@example.com\nX-GOOGLE-CONFERENCE:https://meet.google.com/abc\nEND:VEVENT\n\
END:VCALENDAR\n";
        let found = read(ics);
        let got: Vec<_> = summary(&found)
            .into_iter()
            .map(|(d, _, h, n, _)| (d, h, n))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2026-11-10".into(), How::Call, "Dinner call".into()),
                ("2026-11-12".into(), How::Call, "Floating".into()),
                ("2026-11-12".into(), How::Event, "Late chat".into()),
            ]
        );
    }

    #[test]
    fn rdates_and_endless_daily_series_expand_only_inside_the_window() {
        let ics = calendar(
            "BEGIN:VEVENT\nUID:daily\nDTSTART:20150101T090000Z\nRRULE:FREQ=DAILY\n\
SUMMARY:Standup\nATTENDEE:mailto:gus@example.com\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:extra\nDTSTART:20261001T090000Z\nRDATE:20261008T090000Z,20261015T090000Z\n\
EXDATE:20261008T090000Z\nSUMMARY:Extra\nATTENDEE:mailto:gus@example.com\nEND:VEVENT\n",
        );
        let found = read(&ics);
        let standups = found
            .exchanges
            .iter()
            .filter(|e| e.note.as_deref() == Some("Standup"))
            .count();
        assert_eq!(standups, 366);
        let extra: Vec<_> = summary(&found)
            .into_iter()
            .filter(|e| e.3 == "Extra")
            .map(|e| e.4)
            .collect();
        assert_eq!(
            extra,
            vec!["extra/20261001T090000Z", "extra/20261015T090000Z"]
        );
    }

    #[test]
    fn video_links_and_phone_locations_are_calls_and_rooms_are_not() {
        let event = |uid: &str, extra: &str| {
            format!(
                "BEGIN:VEVENT\nUID:{uid}\nDTSTART:20261102T100000Z\nSUMMARY:{uid}\n{extra}\
ATTENDEE:mailto:ana@example.com\nEND:VEVENT\n"
            )
        };
        let ics = calendar(
            &[
                event(
                    "teams",
                    "X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/x\n",
                ),
                event("webex", "DESCRIPTION:Join at acme.webex.com today\n"),
                event("phone", "LOCATION:tel:+33123456789\n"),
                event("conf", "CONFERENCE;VALUE=URI:https://video.example/123\n"),
                event("room", "LOCATION:Room 4 (by the zoo)\n"),
            ]
            .concat(),
        );
        let got: Vec<_> = summary(&read(&ics))
            .into_iter()
            .map(|(_, _, how, note, _)| (note, how))
            .collect();
        assert_eq!(
            got,
            [
                ("conf".to_string(), How::Call),
                ("phone".to_string(), How::Call),
                ("teams".to_string(), How::Call),
                ("webex".to_string(), How::Call),
                ("room".to_string(), How::Event),
            ]
        );
    }

    #[test]
    fn garbage_reads_as_nothing() {
        for input in [
            &b""[..],
            b"BEGIN:VCALENDAR\n",
            b"BEGIN:VEVENT\nDTSTART:2026\nRRULE:FREQ=SECONDLY\nEND:VEVENT",
            b"\xff\xfe\x00garbage",
        ] {
            let found = read(&String::from_utf8_lossy(input));
            assert!(found.exchanges.is_empty());
        }
    }
}

#[cfg(test)]
mod real_world {
    use super::*;

    #[test]
    fn lotus_notes_invitations_expand_on_their_own_wall_dates() {
        let me = vec!["icalparticipant@coffeebean.com".to_string()];
        let options = CalendarOptions {
            window: Window {
                since: NaiveDate::from_ymd_opt(2005, 1, 1).unwrap(),
                today: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            },
            me: &me,
            max_attendees: 8,
            home: chrono_tz::UTC,
        };
        let daily = read_calendar(
            include_bytes!("../../../tests/fixtures/calendar/lotus-notes-recurring.ics"),
            &options,
        );
        let dates: Vec<String> = daily.exchanges.iter().map(|e| e.date.to_string()).collect();
        assert_eq!(
            dates,
            [
                "2005-04-11",
                "2005-04-12",
                "2005-04-13",
                "2005-04-14",
                "2005-04-15"
            ]
        );
        let first = &daily.exchanges[0];
        assert_eq!(
            first.addresses,
            ["icalchair@coffeebean.com", "icalparticipant@coffeebean.com"]
        );
        assert_eq!(first.note.as_deref(), Some("5 day daily repeating meeting"));
        assert_eq!(
            first.source_ids,
            ["E88157FE01BE8A5C85256FDB006EBCC3-Lotus_Notes_Generated/20050411T130000Z"]
        );
        let moved = read_calendar(
            include_bytes!("../../../tests/fixtures/calendar/lotus-notes-rescheduled-instance.ics"),
            &options,
        );
        let got: Vec<_> = (moved.exchanges.iter())
            .map(|e| (e.date.to_string(), e.source_ids.join(",")))
            .collect();
        assert_eq!(
            got,
            [(
                "2005-04-26".to_string(),
                "6BA1ECA4D58B306C85256FDB0071B664-Lotus_Notes_Generated/20050426T130000Z"
                    .to_string()
            )]
        );
    }
}
