//! Exchanges found in a calendar or a mailbox, and how they enter the ledger.
//!
//! The readers ([`super::ics`], [`super::mail`]) turn a file into
//! [`Exchange`]s (a date, the other side's addresses, how, a note, and the
//! ids that say where it came from) and count what they skipped and why,
//! knowing nothing of the ledger. [`apply_exchanges`] then matches addresses
//! to people by email and logs `met` entries, never creating anyone. Every
//! entry it writes carries a `source_id`; an exchange whose id is already on
//! an entry, or was on an entry the user removed with `kith rm` (the ledger
//! keeps those ids in its top-level `removed_source_ids` list, see
//! [`remember_removed`]), is skipped, so re-importing the same or an
//! overlapping file adds nothing and never revives what the user deleted.
//! Only the date, the person, `how` and the note enter the ledger: no bodies,
//! no other addresses.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::core::ids::new_id;
use crate::core::model::{Detail, Entry, How, Ledger, Meeting, Settings};

/// The ledger's top-level key holding the `source_id`s of imported entries
/// the user removed, so that no import brings them back.
pub const REMOVED_SOURCE_IDS: &str = "removed_source_ids";

/// The longest note an import writes (a summary or subject, not a body).
pub const MAX_NOTE: usize = 300;

/// The first day and the last day (today) an import looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub since: NaiveDate,
    pub today: NaiveDate,
}

impl Window {
    /// Where a date falls: `None` inside, else the reason it is left out.
    pub fn check(&self, date: NaiveDate) -> Option<Skip> {
        if date > self.today {
            Some(Skip::Future)
        } else if date < self.since {
            Some(Skip::BeforeSince)
        } else {
            None
        }
    }
}

/// One meeting or conversation with the people at `addresses`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub date: NaiveDate,
    /// Everyone on it, lower-cased; the user's own addresses among them are
    /// left out when it is applied.
    pub addresses: Vec<String>,
    pub how: How,
    pub note: Option<String>,
    /// Where it came from. The first is written on the entry; any of them
    /// already known (on an entry, or removed) means "already imported".
    pub source_ids: Vec<String>,
}

/// Why something in the file did not become an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    Cancelled,
    Declined,
    TooManyAttendees,
    AllDayWithoutAttendees,
    Future,
    BeforeSince,
    ListOrBulk,
    OneWay,
    NoDate,
    Unreadable,
    NoKnownPerson,
    Yourself,
    AlreadyImported,
    Removed,
    AlreadyLogged,
}

impl Skip {
    /// Plain words for the summary.
    pub fn describe(self, max_attendees: usize) -> String {
        match self {
            Skip::Cancelled => "cancelled".into(),
            Skip::Declined => "declined by you".into(),
            Skip::TooManyAttendees => format!("more than {max_attendees} attendees"),
            Skip::AllDayWithoutAttendees => "all-day without attendees".into(),
            Skip::Future => "after today".into(),
            Skip::BeforeSince => "before --since".into(),
            Skip::ListOrBulk => "mailing list or bulk mail".into(),
            Skip::OneWay => "one-way (no reply between you and them)".into(),
            Skip::NoDate => "no readable date".into(),
            Skip::Unreadable => "unreadable".into(),
            Skip::NoKnownPerson => "no one you know".into(),
            Skip::Yourself => "only you (an address in me.emails)".into(),
            Skip::AlreadyImported => "already imported".into(),
            Skip::Removed => "removed earlier with `kith rm`".into(),
            Skip::AlreadyLogged => "already logged that day".into(),
        }
    }
}

/// `max_attendees` when the setting is absent.
pub const DEFAULT_MAX_ATTENDEES: usize = 8;

/// Counts of skipped things by reason.
pub type Skips = BTreeMap<Skip, usize>;

/// Adds one to a reason's count.
pub fn count(skips: &mut Skips, reason: Skip) {
    *skips.entry(reason).or_default() += 1;
}

/// What a reader found in a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub exchanges: Vec<Exchange>,
    pub skipped: Skips,
    /// How many events or messages the file held.
    pub read: usize,
}

/// One entry an import logged (or would log).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Logged {
    pub id: String,
    pub date: NaiveDate,
    pub person_id: String,
    pub name: String,
    pub how: How,
    pub note: Option<String>,
    pub source_id: String,
}

/// An address that matched nobody, with how many exchanges it had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unknown {
    pub address: String,
    pub exchanges: usize,
}

/// The outcome of [`apply_exchanges`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ExchangeReport {
    /// Events or messages read from the file.
    pub read: usize,
    pub logged: Vec<Logged>,
    pub skipped: Skips,
    /// Every address that matched nobody, most frequent first.
    pub unknown: Vec<Unknown>,
}

impl ExchangeReport {
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    /// "2 cancelled, 1 declined by you".
    pub fn skip_reasons(&self, max_attendees: usize) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut merged: BTreeMap<String, usize> = BTreeMap::new();
        for (reason, n) in &self.skipped {
            *merged.entry(reason.describe(max_attendees)).or_default() += n;
        }
        let mut merged: Vec<_> = merged.into_iter().collect();
        merged.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for (text, n) in merged {
            parts.push(format!("{n} {text}"));
        }
        parts.join(", ")
    }
}

/// How `apply_exchanges` groups what it logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// One entry per exchange and person (a calendar: each meeting counts).
    Each,
    /// At most one entry per (person, day) (mail: a day's conversation).
    PerPersonDay,
}

/// Text safe for the ledger and a terminal: control, bidi and invisible
/// format characters dropped, whitespace runs made one space, at most
/// [`MAX_NOTE`] characters; `None` when nothing is left.
pub fn clean_note(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len().min(MAX_NOTE));
    let mut chars = 0;
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            space = !out.is_empty();
            continue;
        }
        if crate::core::chars::is_invisible_format(c) {
            continue;
        }
        if chars >= MAX_NOTE {
            break;
        }
        if space {
            out.push(' ');
            chars += 1;
            space = false;
        }
        out.push(c);
        chars += 1;
    }
    (!out.is_empty()).then_some(out)
}

/// A lower-cased address when `text` looks like one (`local@domain`).
pub fn address(text: &str) -> Option<String> {
    let text = text.trim().trim_matches(['<', '>']);
    let (local, domain) = text.rsplit_once('@')?;
    let ok = !local.is_empty()
        && !domain.is_empty()
        && text.len() <= 320
        && !text.chars().any(|c| {
            c.is_whitespace() || c.is_control() || crate::core::chars::is_invisible_format(c)
        });
    ok.then(|| text.to_lowercase())
}

/// The user's own addresses, lower-cased, from the `me.emails` setting.
pub fn me_emails(settings: &Settings) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(value) = settings.extra.get(ME_EMAILS) {
        let parts: Vec<&str> = match value {
            serde_json::Value::String(text) => text.split(',').collect(),
            serde_json::Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        };
        for part in parts {
            if let Some(addr) = address(part)
                && !out.contains(&addr)
            {
                out.push(addr);
            }
        }
    }
    out
}

/// The settings key holding the user's own addresses.
pub const ME_EMAILS: &str = "me.emails";
/// The settings key for the largest meeting that still counts.
pub const MAX_ATTENDEES: &str = "max_attendees";

/// The `max_attendees` setting, or its default.
pub fn max_attendees(settings: &Settings) -> usize {
    settings
        .extra
        .get(MAX_ATTENDEES)
        .and_then(serde_json::Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(DEFAULT_MAX_ATTENDEES)
}

/// `(person id, source_id)` pairs.
pub type SourcePairs<'a> = HashSet<(&'a str, &'a str)>;

/// `(person id, source_id)` pairs the ledger knows: on entries, and removed.
pub fn known_source_ids(ledger: &Ledger) -> (SourcePairs<'_>, SourcePairs<'_>) {
    let present = (ledger.entries.iter())
        .filter_map(|e| Some((e.person.as_str(), e.source_id.as_deref()?)))
        .collect();
    let removed = match ledger.extra.get(REMOVED_SOURCE_IDS) {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|item| {
                Some((
                    item.get("person")?.as_str()?,
                    item.get("source_id")?.as_str()?,
                ))
            })
            .collect(),
        _ => HashSet::new(),
    };
    (present, removed)
}

/// Remembers that the user removed an imported entry, so no later import
/// brings it back: `{person, source_id}` in the ledger's top-level
/// [`REMOVED_SOURCE_IDS`] list. Called by `kith rm`; a no-op for entries
/// typed in.
pub fn remember_removed(ledger: &mut Ledger, entry: &Entry) {
    let Some(source_id) = &entry.source_id else {
        return;
    };
    let record = serde_json::json!({ "person": entry.person, "source_id": source_id });
    let slot = ledger
        .extra
        .entry(REMOVED_SOURCE_IDS.to_string())
        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = serde_json::Value::Array(Vec::new());
    }
    if let serde_json::Value::Array(items) = slot
        && !items.contains(&record)
    {
        items.push(record);
    }
}

/// Drops the removed ids remembered for a person `kith forget` deletes, so
/// nothing about them is left in the ledger.
pub fn forget_removed(ledger: &mut Ledger, person_id: &str) {
    if let Some(serde_json::Value::Array(items)) = ledger.extra.get_mut(REMOVED_SOURCE_IDS) {
        items.retain(|item| item.get("person").and_then(|p| p.as_str()) != Some(person_id));
        if items.is_empty() {
            ledger.extra.remove(REMOVED_SOURCE_IDS);
        }
    }
}

/// Logs the exchanges with people the ledger knows as `met` entries.
///
/// Never creates a person. An address in `me` is never matched (the user is
/// not their own contact). An exchange already imported for that person, or
/// removed by the user, is skipped and counted; with
/// [`Grouping::PerPersonDay`] a day that already has a `message` entry with
/// the person is skipped too, and a day whose entry the user removed stays
/// empty.
pub fn apply_exchanges(
    ledger: &mut Ledger,
    found: Found,
    me: &[String],
    grouping: Grouping,
    now: DateTime<Utc>,
) -> ExchangeReport {
    let mut report = ExchangeReport {
        read: found.read,
        skipped: found.skipped,
        ..ExchangeReport::default()
    };
    let mut by_email: HashMap<String, usize> = HashMap::new();
    for (position, person) in ledger.people.iter().enumerate() {
        for email in &person.emails {
            if let Some(addr) = address(email) {
                by_email.entry(addr).or_insert(position);
            }
        }
    }
    let mut unknown: HashMap<String, usize> = HashMap::new();
    let mut exchanges = found.exchanges;
    // Oldest first (file order within a day), so a day's entry carries its
    // first conversation.
    exchanges.sort_by_key(|e| e.date);
    // (person position, exchange index), grouped per person and day for mail.
    let mut groups: Vec<((usize, usize), Vec<usize>)> = Vec::new();
    let mut group_of: HashMap<(usize, NaiveDate), usize> = HashMap::new();
    for (index, exchange) in exchanges.iter().enumerate() {
        let mut people: Vec<usize> = Vec::new();
        let mut yourself = false;
        for addr in &exchange.addresses {
            if me.contains(addr) {
                yourself |= by_email.contains_key(addr);
                continue;
            }
            match by_email.get(addr) {
                Some(position) if !people.contains(position) => people.push(*position),
                Some(_) => {}
                None => *unknown.entry(addr.clone()).or_default() += 1,
            }
        }
        if people.is_empty() {
            let reason = if yourself {
                Skip::Yourself
            } else {
                Skip::NoKnownPerson
            };
            count(&mut report.skipped, reason);
            continue;
        }
        if exchange.source_ids.is_empty() {
            count(&mut report.skipped, Skip::Unreadable);
            continue;
        }
        for position in people {
            match grouping {
                Grouping::Each => groups.push(((position, index), vec![index])),
                Grouping::PerPersonDay => match group_of.get(&(position, exchange.date)) {
                    Some(g) => {
                        if let Some(group) = groups.get_mut(*g) {
                            group.1.push(index);
                        }
                    }
                    None => {
                        group_of.insert((position, exchange.date), groups.len());
                        groups.push(((position, index), vec![index]));
                    }
                },
            }
        }
    }
    // (person, day) pairs that already have a `message` entry.
    let mut days: HashSet<(&str, NaiveDate)> = HashSet::new();
    if grouping == Grouping::PerPersonDay {
        for entry in &ledger.entries {
            if let Detail::Met(m) = &entry.detail
                && m.how == How::Message
            {
                days.insert((entry.person.as_str(), entry.date));
            }
        }
    }
    let (present, removed) = known_source_ids(ledger);
    let mut new_entries: Vec<Entry> = Vec::new();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for ((position, first), members) in groups {
        let (Some(person), Some(exchange)) = (ledger.people.get(position), exchanges.get(first))
        else {
            continue;
        };
        let pid = person.id.as_str();
        let ids = || {
            members
                .iter()
                .filter_map(|i| exchanges.get(*i))
                .flat_map(|e| e.source_ids.iter().map(String::as_str))
        };
        let reason = if ids().any(|id| {
            present.contains(&(pid, id)) || seen.contains(&(pid.to_string(), id.to_string()))
        }) {
            Some(Skip::AlreadyImported)
        } else if ids().any(|id| removed.contains(&(pid, id))) {
            Some(Skip::Removed)
        } else if grouping == Grouping::PerPersonDay && !days.insert((pid, exchange.date)) {
            Some(Skip::AlreadyLogged)
        } else {
            None
        };
        // Mail counts by message: every message of a skipped day, and the
        // day's other messages when one of them is logged.
        if let Some(reason) = reason {
            *report.skipped.entry(reason).or_default() += members.len();
            continue;
        }
        if members.len() > 1 {
            *report.skipped.entry(Skip::AlreadyLogged).or_default() += members.len() - 1;
        }
        let Some(source_id) = exchange.source_ids.first().cloned() else {
            continue;
        };
        seen.insert((pid.to_string(), source_id.clone()));
        let entry = Entry {
            id: new_id("e"),
            person: pid.to_string(),
            date: exchange.date,
            recorded: now,
            updated: now,
            detail: Detail::Met(Meeting {
                how: exchange.how,
                note: exchange.note.clone(),
            }),
            source_id: Some(source_id.clone()),
            extra: Default::default(),
        };
        report.logged.push(Logged {
            id: entry.id.clone(),
            date: entry.date,
            person_id: pid.to_string(),
            name: person.name.clone(),
            how: exchange.how,
            note: exchange.note.clone(),
            source_id,
        });
        new_entries.push(entry);
    }
    drop((present, removed, days));
    ledger.entries.extend(new_entries);
    ledger.sort_entries();
    let mut unknown: Vec<Unknown> = unknown
        .into_iter()
        .map(|(address, exchanges)| Unknown { address, exchanges })
        .collect();
    unknown.sort_by(|a, b| {
        b.exchanges
            .cmp(&a.exchanges)
            .then_with(|| a.address.cmp(&b.address))
    });
    report.unknown = unknown;
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testkit::{Net, day};

    fn exchange(date: &str, addresses: &[&str], note: &str, source: &str) -> Exchange {
        Exchange {
            date: day(date),
            addresses: addresses.iter().map(|a| a.to_string()).collect(),
            how: How::Message,
            note: Some(note.to_string()),
            source_ids: vec![source.to_string()],
        }
    }

    fn net() -> (Net, String, String) {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        net.edit(&ann, |p| p.emails = vec!["Ann@Example.com".into()]);
        let me_too = net.person("Me Myself", "2026-01-01");
        net.edit(&me_too, |p| p.emails = vec!["me@example.org".into()]);
        (net, ann, me_too)
    }

    fn found(exchanges: Vec<Exchange>) -> Found {
        Found {
            read: exchanges.len(),
            exchanges,
            skipped: Skips::new(),
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-11-20T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn one_entry_per_person_and_day_and_a_second_run_adds_nothing() {
        let (mut net, ann, _) = net();
        let me = vec!["me@example.org".to_string()];
        let input = vec![
            exchange("2026-11-03", &["ann@example.com"], "Second", "<2@x>"),
            exchange("2026-11-02", &["ann@example.com"], "First", "<1@x>"),
            exchange("2026-11-02", &["ann@example.com"], "Again", "<1b@x>"),
            exchange("2026-11-02", &["stranger@example.com"], "Hi", "<s@x>"),
            exchange("2026-11-04", &["stranger@example.com"], "Hi", "<s2@x>"),
            exchange("2026-11-05", &["me@example.org"], "Note to self", "<n@x>"),
        ];
        let report = apply_exchanges(
            &mut net.ledger,
            found(input.clone()),
            &me,
            Grouping::PerPersonDay,
            now(),
        );
        let logged: Vec<_> = (report.logged.iter())
            .map(|l| {
                (
                    l.date.to_string(),
                    l.note.clone().unwrap(),
                    l.source_id.clone(),
                )
            })
            .collect();
        assert_eq!(
            logged,
            vec![
                ("2026-11-02".into(), "First".into(), "<1@x>".into()),
                ("2026-11-03".into(), "Second".into(), "<2@x>".into()),
            ]
        );
        assert!(net.ledger.entries.iter().all(|e| e.person == ann));
        assert_eq!(report.skipped.get(&Skip::NoKnownPerson), Some(&2));
        assert_eq!(report.skipped.get(&Skip::Yourself), Some(&1));
        assert_eq!(
            report.unknown,
            vec![Unknown {
                address: "stranger@example.com".into(),
                exchanges: 2
            }]
        );
        let before = net.ledger.clone();
        let again = apply_exchanges(
            &mut net.ledger,
            found(input),
            &me,
            Grouping::PerPersonDay,
            now(),
        );
        assert!(again.logged.is_empty());
        assert_eq!(net.ledger, before);
        assert_eq!(again.skipped.get(&Skip::AlreadyImported), Some(&3));
    }

    #[test]
    fn a_removed_entry_is_not_brought_back_and_meetings_log_each_person() {
        let (mut net, ann, _) = net();
        let bo = net.person("Bo", "2026-01-01");
        net.edit(&bo, |p| p.emails = vec!["bo@example.com".into()]);
        let meeting = |src: &str| Exchange {
            how: How::Event,
            ..exchange(
                "2026-11-02",
                &["ann@example.com", "bo@example.com"],
                "Sync",
                src,
            )
        };
        let report = apply_exchanges(
            &mut net.ledger,
            found(vec![meeting("uid-1")]),
            &[],
            Grouping::Each,
            now(),
        );
        assert_eq!(report.logged.len(), 2);
        // The user removes Ann's entry: it is remembered, Bo's stays.
        let position = net
            .ledger
            .entries
            .iter()
            .position(|e| e.person == ann)
            .unwrap();
        let removed = net.ledger.entries.remove(position);
        remember_removed(&mut net.ledger, &removed);
        remember_removed(&mut net.ledger, &removed);
        assert_eq!(
            net.ledger.extra[REMOVED_SOURCE_IDS]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let again = apply_exchanges(
            &mut net.ledger,
            found(vec![meeting("uid-1")]),
            &[],
            Grouping::Each,
            now(),
        );
        assert!(again.logged.is_empty());
        assert_eq!(again.skipped.get(&Skip::Removed), Some(&1));
        assert_eq!(again.skipped.get(&Skip::AlreadyImported), Some(&1));
        assert_eq!(net.ledger.entries.len(), 1);
    }

    #[test]
    fn notes_lose_controls_bidi_and_length() {
        assert_eq!(
            clean_note("  Re:\tlunch\u{202E}\n\u{1b}[31m ok "),
            Some("Re: lunch [31m ok".into())
        );
        assert_eq!(clean_note(" \u{200B} "), None);
        assert_eq!(
            clean_note(&"x".repeat(1000)).unwrap().chars().count(),
            MAX_NOTE
        );
        assert_eq!(
            address(" <Ann@Example.COM> "),
            Some("ann@example.com".into())
        );
        assert_eq!(address("not an address"), None);
    }
}
