//! Hand-written serde for the ledger's big objects: [`Ledger`], [`Person`] and
//! [`Entry`].
//!
//! The derived impls kept unknown keys with `#[serde(flatten)]`, which makes
//! serde buffer each object into an untyped tree before reading it again; on
//! the top-level `Ledger` that buffered the whole file, and every entry went
//! through it twice more (the flatten of `RawEntry`, then a clone into it on
//! the way out). These visitors read each key once, straight into its field,
//! and put the keys they do not know into `extra`, so the JSON shape, the
//! defaults, the error for a missing or duplicate field, and the preservation
//! of unknown keys are those of the derived impls. On a 200,000-entry ledger
//! this roughly halves load time (see `docs/performance.md`).

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono::{Datelike, Timelike};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::{Detail, Entry, EntryType, Extra, Ledger, Person, RawEntry, Settings};

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Reads the value of a known field, refusing a second one as derive does.
fn field<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| de::Error::missing_field(name))
}

/// Keeps an unknown key and its value.
fn other<'de, A: MapAccess<'de>>(
    map: &mut A,
    extra: &mut Extra,
    key: Key<'de>,
) -> Result<(), A::Error> {
    let value = map.next_value()?;
    extra.insert(key.0.into_owned(), value);
    Ok(())
}

/// A date as the ledger writes it, `YYYY-MM-DD`, read without chrono's general
/// parser (which was a sixth of load time); anything else goes to chrono, so
/// what is accepted and the errors are chrono's own.
struct Date(NaiveDate);

/// A timestamp as the ledger writes it, `YYYY-MM-DDTHH:MM:SS[.fffffffff]Z`,
/// with the same fallback to chrono.
struct Timestamp(DateTime<Utc>);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date as YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                match quick_date(v.as_bytes()) {
                    Some(date) => Ok(Date(date)),
                    None => v.parse().map(Date).map_err(E::custom),
                }
            }
        }
        d.deserialize_str(DateVisitor)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;
        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date and time")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                match quick_timestamp(v.as_bytes()) {
                    Some(at) => Ok(Timestamp(at)),
                    None => v
                        .parse::<DateTime<chrono::FixedOffset>>()
                        .map(|at| Timestamp(at.with_timezone(&Utc)))
                        .map_err(E::custom),
                }
            }
        }
        d.deserialize_str(TimestampVisitor)
    }
}

/// Writes `n` as `width` ASCII digits at the end of `out` (zero-padded).
fn push_digits(out: &mut Vec<u8>, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u32.pow(place)) % 10;
        out.push(b'0' + digit as u8);
    }
}

/// `YYYY-MM-DD` as chrono writes it, for years 0 to 9999 (else `None`).
fn quick_date_text(date: NaiveDate, out: &mut Vec<u8>) -> Option<()> {
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    push_digits(out, year, 4);
    out.push(b'-');
    push_digits(out, date.month(), 2);
    out.push(b'-');
    push_digits(out, date.day(), 2);
    Some(())
}

/// chrono's serde form of a UTC time (RFC 3339, `Z`, sub-seconds in groups
/// of 3 digits only when non-zero), without its `fmt` machinery, which wrote
/// a character at a time and showed in the profile of every write.
fn quick_timestamp_text(at: &DateTime<Utc>, out: &mut Vec<u8>) -> Option<()> {
    let naive = at.naive_utc();
    let nanos = naive.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    quick_date_text(naive.date(), out)?;
    out.push(b'T');
    push_digits(out, naive.hour(), 2);
    out.push(b':');
    push_digits(out, naive.minute(), 2);
    out.push(b':');
    push_digits(out, naive.second(), 2);
    if nanos != 0 {
        out.push(b'.');
        if nanos.is_multiple_of(1_000_000) {
            push_digits(out, nanos / 1_000_000, 3);
        } else if nanos.is_multiple_of(1_000) {
            push_digits(out, nanos / 1_000, 6);
        } else {
            push_digits(out, nanos, 9);
        }
    }
    out.push(b'Z');
    Some(())
}

/// Serialises a date like chrono does, faster.
pub(crate) struct DateText<'a>(pub &'a NaiveDate);

impl Serialize for DateText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = Vec::with_capacity(10);
        match quick_date_text(*self.0, &mut out).and_then(|()| std::str::from_utf8(&out).ok()) {
            Some(text) => s.serialize_str(text),
            None => self.0.serialize(s),
        }
    }
}

/// Serialises a UTC time like chrono does, faster.
pub(crate) struct TimestampText<'a>(pub &'a DateTime<Utc>);

impl Serialize for TimestampText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = Vec::with_capacity(30);
        match quick_timestamp_text(self.0, &mut out).and_then(|()| std::str::from_utf8(&out).ok()) {
            Some(text) => s.serialize_str(text),
            None => self.0.serialize(s),
        }
    }
}

/// For `#[serde(serialize_with)]` on [`Person`]'s timestamps.
pub(crate) fn timestamp<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    TimestampText(at).serialize(s)
}

struct DatesText<'a>(&'a [NaiveDate]);

impl Serialize for DatesText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for date in self.0 {
            seq.serialize_element(&DateText(date))?;
        }
        seq.end()
    }
}

/// The number written by the ASCII digits `digits`, if they all are digits.
fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |n, d| {
        d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
    })
}

fn quick_date(text: &[u8]) -> Option<NaiveDate> {
    match text {
        [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] => NaiveDate::from_ymd_opt(
            i32::try_from(number(&[*y0, *y1, *y2, *y3])?).ok()?,
            number(&[*m0, *m1])?,
            number(&[*d0, *d1])?,
        ),
        _ => None,
    }
}

fn quick_timestamp(text: &[u8]) -> Option<DateTime<Utc>> {
    let (date, rest) = text.split_at_checked(10)?;
    let date = quick_date(date)?;
    let [
        b'T',
        h0,
        h1,
        b':',
        m0,
        m1,
        b':',
        s0,
        s1,
        fraction @ ..,
        b'Z',
    ] = rest
    else {
        return None;
    };
    let nanos = match fraction {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            // `digits.len()` is 1 to 9 here, so the shift is 0 to 8.
            number(digits)? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    // A leap second (`:60`) gives `None` here, and chrono decides.
    let time = NaiveTime::from_hms_nano_opt(
        number(&[*h0, *h1])?,
        number(&[*m0, *m1])?,
        number(&[*s0, *s1])?,
        nanos,
    )?;
    Some(date.and_time(time).and_utc())
}

impl<'de> Deserialize<'de> for Ledger {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct LedgerVisitor;
        impl<'de> Visitor<'de> for LedgerVisitor {
            type Value = Ledger;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a kith ledger object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ledger, A::Error> {
                let mut kith: Option<u64> = None;
                let mut settings: Option<Settings> = None;
                let mut people = None;
                let mut entries = None;
                let mut extra = Extra::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match &*key.0 {
                        "kith" => field(&mut map, &mut kith, "kith")?,
                        "settings" => field(&mut map, &mut settings, "settings")?,
                        "people" => field(&mut map, &mut people, "people")?,
                        "entries" => field(&mut map, &mut entries, "entries")?,
                        _ => other(&mut map, &mut extra, key)?,
                    }
                }
                Ok(Ledger {
                    kith: required(kith, "kith")?,
                    settings: settings.unwrap_or_default(),
                    people: people.unwrap_or_default(),
                    entries: entries.unwrap_or_default(),
                    extra,
                })
            }
        }
        d.deserialize_map(LedgerVisitor)
    }
}

impl<'de> Deserialize<'de> for Person {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct PersonVisitor;
        impl<'de> Visitor<'de> for PersonVisitor {
            type Value = Person;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a person object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Person, A::Error> {
                let (mut id, mut name) = (None, None);
                let (mut aliases, mut emails, mut phones, mut urls) = (None, None, None, None);
                let (mut org, mut tags, mut how_met, mut met_on) = (None, None, None, None);
                let (mut notes, mut cadence_days, mut snoozed_until) = (None, None, None);
                let (mut birthday, mut dates) = (None, None);
                let (mut source, mut needs, mut flag, mut archived) = (None, None, None, None);
                let (mut created, mut updated) = (None, None);
                let mut extra = Extra::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match &*key.0 {
                        "id" => field(&mut map, &mut id, "id")?,
                        "name" => field(&mut map, &mut name, "name")?,
                        "aliases" => field(&mut map, &mut aliases, "aliases")?,
                        "emails" => field(&mut map, &mut emails, "emails")?,
                        "phones" => field(&mut map, &mut phones, "phones")?,
                        "urls" => field(&mut map, &mut urls, "urls")?,
                        "org" => field(&mut map, &mut org, "org")?,
                        "tags" => field(&mut map, &mut tags, "tags")?,
                        "how_met" => field(&mut map, &mut how_met, "how_met")?,
                        "met_on" => field::<Option<Date>, _>(&mut map, &mut met_on, "met_on")?,
                        "notes" => field(&mut map, &mut notes, "notes")?,
                        "cadence_days" => field(&mut map, &mut cadence_days, "cadence_days")?,
                        "birthday" => field(&mut map, &mut birthday, "birthday")?,
                        "dates" => field(&mut map, &mut dates, "dates")?,
                        "snoozed_until" => {
                            field::<Option<Date>, _>(&mut map, &mut snoozed_until, "snoozed_until")?
                        }
                        "source" => field(&mut map, &mut source, "source")?,
                        "needs" => field(&mut map, &mut needs, "needs")?,
                        "flag" => field(&mut map, &mut flag, "flag")?,
                        "archived" => field(&mut map, &mut archived, "archived")?,
                        "created" => field::<Timestamp, _>(&mut map, &mut created, "created")?,
                        "updated" => field::<Timestamp, _>(&mut map, &mut updated, "updated")?,
                        _ => other(&mut map, &mut extra, key)?,
                    }
                }
                Ok(Person {
                    id: required(id, "id")?,
                    name: required(name, "name")?,
                    aliases: aliases.unwrap_or_default(),
                    emails: emails.unwrap_or_default(),
                    phones: phones.unwrap_or_default(),
                    urls: urls.unwrap_or_default(),
                    org: org.flatten(),
                    tags: tags.unwrap_or_default(),
                    how_met: how_met.flatten(),
                    met_on: met_on.flatten().map(|d| d.0),
                    notes: notes.flatten(),
                    cadence_days: cadence_days.flatten(),
                    birthday: birthday.flatten(),
                    dates: dates.unwrap_or_default(),
                    snoozed_until: snoozed_until.flatten().map(|d| d.0),
                    source: source.flatten(),
                    needs: needs.unwrap_or_default(),
                    flag: flag.flatten(),
                    archived: archived.unwrap_or_default(),
                    created: required(created, "created")?.0,
                    updated: required(updated, "updated")?.0,
                    extra,
                })
            }
        }
        d.deserialize_map(PersonVisitor)
    }
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = Entry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a ledger entry object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry, A::Error> {
                let (mut id, mut person, mut entry_type, mut date) = (None, None, None, None);
                let (mut what, mut kind, mut weight, mut resolves) = (None, None, None, None);
                let (mut how, mut note, mut direction) = (None, None, None);
                let (mut status, mut nudges) = (None, None);
                let (mut recorded, mut updated, mut source_id) = (None, None, None);
                let mut extra = Extra::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match &*key.0 {
                        "id" => field(&mut map, &mut id, "id")?,
                        "person" => field(&mut map, &mut person, "person")?,
                        "type" => field::<EntryType, _>(&mut map, &mut entry_type, "type")?,
                        "date" => field::<Date, _>(&mut map, &mut date, "date")?,
                        "what" => field(&mut map, &mut what, "what")?,
                        "kind" => field(&mut map, &mut kind, "kind")?,
                        "weight" => field(&mut map, &mut weight, "weight")?,
                        "resolves" => field(&mut map, &mut resolves, "resolves")?,
                        "how" => field(&mut map, &mut how, "how")?,
                        "note" => field(&mut map, &mut note, "note")?,
                        "direction" => field(&mut map, &mut direction, "direction")?,
                        "status" => field(&mut map, &mut status, "status")?,
                        "nudges" => field(&mut map, &mut nudges, "nudges")?,
                        "recorded" => field::<Timestamp, _>(&mut map, &mut recorded, "recorded")?,
                        "updated" => field::<Timestamp, _>(&mut map, &mut updated, "updated")?,
                        "source_id" => field(&mut map, &mut source_id, "source_id")?,
                        _ => other(&mut map, &mut extra, key)?,
                    }
                }
                let raw = RawEntry {
                    id: required(id, "id")?,
                    person: required(person, "person")?,
                    entry_type: required(entry_type, "type")?,
                    date: required(date, "date")?.0,
                    what: what.flatten(),
                    kind: kind.flatten(),
                    weight: weight.flatten(),
                    resolves: resolves.flatten(),
                    how: how.flatten(),
                    note: note.flatten(),
                    direction: direction.flatten(),
                    status: status.flatten(),
                    nudges: nudges.flatten(),
                    recorded: required(recorded, "recorded")?.0,
                    updated: required(updated, "updated")?.0,
                    source_id: source_id.flatten(),
                    extra,
                };
                Entry::try_from(raw).map_err(de::Error::custom)
            }
        }
        d.deserialize_map(EntryVisitor)
    }
}

/// The flat shape of `RawEntry`, written from a borrowed entry (no clone):
/// the same keys in the same order, absent ones skipped, unknown keys last.
impl Serialize for Entry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("person", &self.person)?;
        map.serialize_entry("type", &self.entry_type())?;
        map.serialize_entry("date", &DateText(&self.date))?;
        match &self.detail {
            Detail::Gave(f) | Detail::Got(f) => {
                map.serialize_entry("what", &f.what)?;
                map.serialize_entry("kind", &f.kind)?;
                map.serialize_entry("weight", &f.weight)?;
                if let Some(resolves) = &f.resolves {
                    map.serialize_entry("resolves", resolves)?;
                }
            }
            Detail::Met(m) => {
                map.serialize_entry("how", &m.how)?;
                if let Some(note) = &m.note {
                    map.serialize_entry("note", note)?;
                }
            }
            Detail::Ask(r) => {
                map.serialize_entry("what", &r.what)?;
                if let Some(note) = &r.note {
                    map.serialize_entry("note", note)?;
                }
                map.serialize_entry("direction", &r.direction)?;
                map.serialize_entry("status", &r.status)?;
                map.serialize_entry("nudges", &DatesText(&r.nudges))?;
            }
        }
        map.serialize_entry("recorded", &TimestampText(&self.recorded))?;
        map.serialize_entry("updated", &TimestampText(&self.updated))?;
        if let Some(source_id) = &self.source_id {
            map.serialize_entry("source_id", source_id)?;
        }
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::core::model::{Flag, LabelledDate, Need, PartialDate};

    /// The derived, flatten-based impls these replace, kept to check that the
    /// hand-written ones read and write exactly the same.
    #[derive(serde::Serialize, serde::Deserialize)]
    struct DerivedLedger {
        kith: u64,
        #[serde(default)]
        settings: Settings,
        #[serde(default)]
        people: Vec<DerivedPerson>,
        #[serde(default)]
        entries: Vec<RawEntry>,
        #[serde(flatten)]
        extra: Extra,
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    struct DerivedPerson {
        id: String,
        name: String,
        #[serde(default)]
        aliases: Vec<String>,
        #[serde(default)]
        emails: Vec<String>,
        #[serde(default)]
        phones: Vec<String>,
        #[serde(default)]
        urls: Vec<String>,
        #[serde(default)]
        org: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        how_met: Option<String>,
        #[serde(default)]
        met_on: Option<NaiveDate>,
        #[serde(default)]
        notes: Option<String>,
        #[serde(default)]
        cadence_days: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        birthday: Option<PartialDate>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        dates: Vec<LabelledDate>,
        #[serde(default)]
        snoozed_until: Option<NaiveDate>,
        #[serde(default)]
        source: Option<String>,
        #[serde(default)]
        needs: Vec<Need>,
        #[serde(default)]
        flag: Option<Flag>,
        #[serde(default)]
        archived: bool,
        created: DateTime<Utc>,
        updated: DateTime<Utc>,
        #[serde(flatten)]
        extra: Extra,
    }

    const LEDGER: &str = r#"{
      "kith": 1, "zeta": [1, 2], "alpha": {"x": null},
      "people": [
        {"id": "p-1", "name": "Ann", "org": null, "tags": ["a"], "pet": "cat",
         "created": "2026-01-01T09:00:00Z", "updated": "2026-01-01T09:00:00Z",
         "needs": [{"id": "n-1", "text": "a job", "since": "2026-01-02", "x": 1}],
         "flag": {"date": "2026-02-01", "reason": null}},
        {"name": "Bo", "id": "p-2", "archived": true, "cadence_days": 30,
         "birthday": "--02-29", "dates": [{"label": "wedding", "date": "2010-06-01", "y": 2}],
         "created": "2026-01-01T09:00:00+02:00", "updated": "2026-01-01T09:00:00Z"}
      ],
      "entries": [
        {"id": "e-1", "person": "p-1", "type": "gave", "date": "2026-01-02",
         "what": "intro", "kind": "intro", "recorded": "2026-01-02T10:00:00Z",
         "updated": "2026-01-02T10:00:00Z", "mood": "good", "resolves": "e-2"},
        {"id": "e-2", "person": "p-1", "type": "ask", "date": "2026-01-01",
         "what": "a job", "direction": "in", "note": "bad timing",
         "recorded": "2026-01-01T10:00:00Z", "updated": "2026-01-01T10:00:00Z"},
        {"id": "e-3", "person": "p-2", "type": "met", "date": "2026-01-03",
         "note": null, "how": "call", "nudges": null, "weight": null,
         "recorded": "2026-01-03T10:00:00Z", "updated": "2026-01-03T10:00:00Z"},
        {"id": "e-4", "person": "p-2", "type": "ask", "date": "2026-01-04",
         "what": "a sofa", "direction": "out", "status": "lapsed",
         "nudges": ["2026-01-20"], "b": 2, "a": 1,
         "recorded": "2026-01-04T10:00:00Z", "updated": "2026-01-04T10:00:00Z"},
        {"id": "e-5", "person": "p-2", "type": "met", "date": "2026-01-05",
         "how": "event", "note": "Weekly sync", "source_id": "uid-1/20260105T090000Z",
         "z": true, "recorded": "2026-01-05T10:00:00Z", "updated": "2026-01-05T10:00:00Z"}
      ],
      "settings": {"cadence_days": 60, "theme": "dark"}
    }"#;

    #[test]
    fn hand_written_serde_writes_what_the_derived_one_wrote() {
        let ledger: Ledger = serde_json::from_str(LEDGER).unwrap();
        assert_eq!(ledger.extra["zeta"], serde_json::json!([1, 2]));
        assert_eq!(ledger.people[0].extra["pet"], "cat");
        assert_eq!(ledger.people[1].cadence_days, Some(30));
        assert_eq!(ledger.entries[0].extra["mood"], "good");
        assert_eq!(ledger.settings.extra["theme"], "dark");
        assert_eq!(
            ledger.entries[4].source_id.as_deref(),
            Some("uid-1/20260105T090000Z")
        );
        // Read by the derived impls, written back by them...
        let mut derived: DerivedLedger = serde_json::from_str(LEDGER).unwrap();
        // (the old Entry went `try_from = "RawEntry"`, `into = "RawEntry"`)
        derived.entries = (derived.entries.into_iter())
            .map(|raw| RawEntry::from(Entry::try_from(raw).unwrap()))
            .collect();
        let theirs = serde_json::to_string_pretty(&derived).unwrap();
        // ...is what the hand-written ones read and write.
        let ours = serde_json::to_string_pretty(&ledger).unwrap();
        assert_eq!(ours, theirs);
        let again: Ledger = serde_json::from_str(&ours).unwrap();
        assert_eq!(again, ledger);
    }

    #[test]
    fn quick_date_parsers_agree_with_chrono() {
        for text in [
            "2026-01-02",
            "2024-02-29",
            "2023-02-29",
            "2026-13-01",
            "0000-01-01",
            "9999-12-31",
            "2026-1-02",
            "2026-01-02 ",
            "+2026-01-02",
            "2026-01-0x",
            "",
        ] {
            let chrono = text.parse::<NaiveDate>().ok();
            let quick = quick_date(text.as_bytes());
            assert!(quick.is_none() || quick == chrono, "{text}");
            let ours: Result<Date, _> = serde_json::from_value(serde_json::json!(text));
            assert_eq!(ours.ok().map(|d| d.0), chrono, "{text}");
        }
        for text in [
            "2026-01-02T10:00:00Z",
            "2026-01-02T10:00:00.5Z",
            "2026-01-02T23:59:59.123456789Z",
            "2026-01-02T10:00:00.1234567890Z",
            "2026-01-02T10:00:60Z",
            "2026-01-02T24:00:00Z",
            "2026-01-02T10:00:00+02:00",
            "2026-01-02t10:00:00z",
            "2026-01-02T10:00:00.Z",
            "2026-01-02T10:00Z",
            "2026-02-30T10:00:00Z",
            "2026-01-02T10:00:00",
        ] {
            let chrono = text
                .parse::<DateTime<chrono::FixedOffset>>()
                .ok()
                .map(|at| at.with_timezone(&Utc));
            let quick = quick_timestamp(text.as_bytes());
            assert!(quick.is_none() || quick == chrono, "{text}");
            let ours: Result<Timestamp, _> = serde_json::from_value(serde_json::json!(text));
            assert_eq!(ours.ok().map(|t| t.0), chrono, "{text}");
        }
    }

    #[test]
    fn quick_date_writers_agree_with_chrono() {
        let mut rng_state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            rng_state ^= rng_state << 13;
            rng_state ^= rng_state >> 7;
            rng_state ^= rng_state << 17;
            rng_state
        };
        let mut samples: Vec<DateTime<Utc>> = vec![
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            "0000-01-01T00:00:00Z".parse().unwrap(),
            "9999-12-31T23:59:59.999999999Z".parse().unwrap(),
            "2016-12-31T23:59:60.5Z".parse().unwrap(),
        ];
        for _ in 0..2000 {
            let secs = (next() % 400_000_000_000) as i64 - 100_000_000_000;
            let nanos = match next() % 4 {
                0 => 0,
                1 => (next() % 1000) as u32 * 1_000_000,
                2 => (next() % 1_000_000) as u32 * 1000,
                _ => (next() % 1_000_000_000) as u32,
            };
            samples.extend(DateTime::from_timestamp(secs, nanos));
        }
        for at in samples {
            assert_eq!(
                serde_json::to_string(&TimestampText(&at)).unwrap(),
                serde_json::to_string(&at).unwrap()
            );
            let date = at.date_naive();
            assert_eq!(
                serde_json::to_string(&DateText(&date)).unwrap(),
                serde_json::to_string(&date).unwrap()
            );
        }
    }

    #[test]
    fn missing_duplicate_and_invalid_fields_are_refused() {
        let cases = [
            (r#"{"people": []}"#, "missing field `kith`"),
            (r#"{"kith": 1, "kith": 1}"#, "duplicate field `kith`"),
            (
                r#"{"kith": 1, "people": [{"id": "p", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"}]}"#,
                "missing field `name`",
            ),
            (
                r#"{"kith": 1, "people": [{"id": "p", "name": "A", "tags": null, "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"}]}"#,
                "invalid type: null",
            ),
            (
                r#"{"kith": 1, "entries": [{"id": "e", "person": "p", "type": "gift", "date": "2026-01-01", "recorded": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"}]}"#,
                "unknown entrytype `gift`",
            ),
            (
                r#"{"kith": 1, "entries": [{"id": "e", "person": "p", "type": "got", "date": "2026-01-01", "what": "x", "weight": 9, "recorded": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"}]}"#,
                "weight 9, not 1 to 5",
            ),
        ];
        for (text, expected) in cases {
            let err = serde_json::from_str::<Ledger>(text)
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{text}: {err}");
        }
    }
}
