//! The ledger's data model: people, entries, settings, and the rules that
//! belong to the types themselves (kinds and their default weights, a
//! request's status, an entry's type).
//!
//! The file format (SPEC "Ledger file", `docs/SPEC.md`) lives in two
//! submodules: `model/format.rs` turns bytes into a [`Ledger`] and back
//! (version checks, [`ParseError`], the canonical pretty JSON), and
//! `model/wire.rs` is the hand-written serde that reads each key once. Every object keeps the keys
//! it does not know in an `extra` map, so a ledger written by a newer or older
//! kith (or edited by hand) loses nothing on rewrite. An [`Entry`] is a typed
//! enum in Rust but a flat object on disk ([`RawEntry`]), so the core never
//! handles an entry missing the fields of its type.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

mod format;
mod partial_date;
mod splice;
mod wire;

pub use format::{ParseError, parse_ledger, parse_ledger_unchecked, to_pretty_json};
pub use partial_date::PartialDate;
pub use splice::{BeforeShape, Ends, Spliced, entries_in, splice, splice_at};

/// The ledger format this build reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// Keys an object carries that this version of kith does not know.
pub type Extra = BTreeMap<String, Value>;

/// The whole ledger file. Read by the hand-written visitor in [`wire`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ledger {
    pub kith: u64,
    #[serde(default)]
    pub settings: Settings,
    #[serde(default)]
    pub people: Vec<Person>,
    #[serde(default)]
    pub entries: Vec<Entry>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for Ledger {
    fn default() -> Self {
        Ledger {
            kith: FORMAT_VERSION,
            settings: Settings::default(),
            people: Vec::new(),
            entries: Vec::new(),
            extra: Extra::new(),
        }
    }
}

impl Ledger {
    /// The person with exactly this id.
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    pub fn person_mut(&mut self, id: &str) -> Option<&mut Person> {
        self.people.iter_mut().find(|p| p.id == id)
    }

    /// The entry with exactly this id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    pub fn entry_mut(&mut self, id: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.id == id)
    }

    /// Entries about one person, in ledger order (date, then recorded).
    pub fn entries_of<'a>(&'a self, person_id: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries.iter().filter(move |e| e.person == person_id)
    }

    /// Refuses contents no kith writes and that would make ids ambiguous:
    /// a person or entry id used twice, or an entry about a person who is not
    /// in the ledger (a hand edit or a bad merge). Loading such a file would make
    /// `rm`, `undo` and person lookups act on the wrong record, so the store
    /// refuses it with this message instead of guessing.
    pub fn check_integrity(&self) -> Result<(), String> {
        let mut people = std::collections::HashSet::with_capacity_and_hasher(
            self.people.len(),
            ahash::RandomState::new(),
        );
        for person in &self.people {
            if !people.insert(person.id.as_str()) {
                return Err(format!("duplicate person id `{}`", person.id));
            }
        }
        let mut entries = std::collections::HashSet::with_capacity_and_hasher(
            self.entries.len(),
            ahash::RandomState::new(),
        );
        for entry in &self.entries {
            if !entries.insert(entry.id.as_str()) {
                return Err(format!("duplicate entry id `{}`", entry.id));
            }
            if !people.contains(entry.person.as_str()) {
                return Err(format!(
                    "entry `{}` is about person `{}`, who is not in the ledger",
                    entry.id, entry.person
                ));
            }
        }
        Ok(())
    }

    /// Puts entries in the file's canonical order: by (date, recorded, id).
    pub fn sort_entries(&mut self) {
        self.entries
            .sort_by(|a, b| (a.date, a.recorded, &a.id).cmp(&(b.date, b.recorded, &b.id)));
    }
}

/// Settings that shape the advice. Missing keys take their defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default = "default_cadence")]
    pub cadence_days: u32,
    #[serde(default = "default_cooldown")]
    pub cooldown_days: u32,
    #[serde(default = "default_followup")]
    pub followup_days: u32,
    #[serde(default = "default_priority_tags")]
    pub priority_tags: Vec<String>,
    #[serde(default)]
    pub tag_cadence: BTreeMap<String, u32>,
    /// How many days ahead a birthday or a labelled date shows in `who`.
    #[serde(default = "default_birthday_days")]
    pub birthday_days: u32,
    #[serde(flatten)]
    pub extra: Extra,
}

fn default_cadence() -> u32 {
    90
}
fn default_cooldown() -> u32 {
    7
}
fn default_followup() -> u32 {
    14
}
fn default_birthday_days() -> u32 {
    7
}
fn default_priority_tags() -> Vec<String> {
    vec!["student".into(), "in-transition".into()]
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            cadence_days: default_cadence(),
            cooldown_days: default_cooldown(),
            followup_days: default_followup(),
            priority_tags: default_priority_tags(),
            tag_cadence: BTreeMap::new(),
            birthday_days: default_birthday_days(),
            extra: Extra::new(),
        }
    }
}

/// Someone in your network. Read by the hand-written visitor in [`wire`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub urls: Vec<String>,
    #[serde(default)]
    pub org: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub how_met: Option<String>,
    #[serde(default)]
    pub met_on: Option<NaiveDate>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub cadence_days: Option<u32>,
    /// Written only when known, so ledgers without birthdays keep their bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<PartialDate>,
    /// Other days that come round every year; labels are unique (case-insensitively).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<LabelledDate>,
    #[serde(default)]
    pub snoozed_until: Option<NaiveDate>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub needs: Vec<Need>,
    #[serde(default)]
    pub flag: Option<Flag>,
    #[serde(default)]
    pub archived: bool,
    #[serde(serialize_with = "wire::timestamp")]
    pub created: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp")]
    pub updated: DateTime<Utc>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Person {
    /// A fresh person with only a name; the caller fills in the rest.
    pub fn new(id: String, name: String, now: DateTime<Utc>) -> Person {
        Person {
            id,
            name,
            aliases: Vec::new(),
            emails: Vec::new(),
            phones: Vec::new(),
            urls: Vec::new(),
            org: None,
            tags: Vec::new(),
            how_met: None,
            met_on: None,
            notes: None,
            cadence_days: None,
            birthday: None,
            dates: Vec::new(),
            snoozed_until: None,
            source: None,
            needs: Vec::new(),
            flag: None,
            archived: false,
            created: now,
            updated: now,
            extra: Extra::new(),
        }
    }

    /// Open needs: what they are still looking for.
    pub fn open_needs(&self) -> impl Iterator<Item = &Need> {
        self.needs.iter().filter(|n| !n.done)
    }
}

/// Something a person is looking for: a way you could help.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Need {
    pub id: String,
    pub text: String,
    pub since: NaiveDate,
    #[serde(default)]
    pub done: bool,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A day that matters to someone, kept with what it is: an anniversary,
/// "started at Stripe", "moved to Berlin".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelledDate {
    pub label: String,
    pub date: PartialDate,
    #[serde(flatten)]
    pub extra: Extra,
}

impl LabelledDate {
    pub fn new(label: impl Into<String>, date: PartialDate) -> LabelledDate {
        LabelledDate {
            label: label.into(),
            date,
            extra: Extra::new(),
        }
    }
}

/// The private "stop helping" mark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub date: NaiveDate,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One line of the register.
///
/// On disk it is the flat object of [`RawEntry`]; [`wire`] reads and writes
/// that shape directly.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub person: String,
    pub date: NaiveDate,
    pub recorded: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub detail: Detail,
    /// Where an import found it (a calendar event's UID and recurrence id, a
    /// Message-ID), so re-importing never duplicates it. `None` when typed in.
    pub source_id: Option<String>,
    pub extra: Extra,
}

impl Entry {
    pub fn entry_type(&self) -> EntryType {
        match self.detail {
            Detail::Gave(_) => EntryType::Gave,
            Detail::Got(_) => EntryType::Got,
            Detail::Met(_) => EntryType::Met,
            Detail::Ask(_) => EntryType::Ask,
        }
    }

    /// The favour, for `gave` and `got` entries.
    pub fn favour(&self) -> Option<&Favour> {
        match &self.detail {
            Detail::Gave(f) | Detail::Got(f) => Some(f),
            _ => None,
        }
    }

    /// The request, for `ask` entries.
    pub fn request(&self) -> Option<&Request> {
        match &self.detail {
            Detail::Ask(r) => Some(r),
            _ => None,
        }
    }

    pub fn request_mut(&mut self) -> Option<&mut Request> {
        match &mut self.detail {
            Detail::Ask(r) => Some(r),
            _ => None,
        }
    }

    /// A meaningful exchange: a favour either way or a meeting (a bare request is not).
    pub fn is_exchange(&self) -> bool {
        !matches!(self.detail, Detail::Ask(_))
    }

    /// One line saying what happened, without the person.
    pub fn summary(&self) -> String {
        match &self.detail {
            Detail::Gave(f) | Detail::Got(f) => {
                format!("{} ({}, weight {})", f.what, f.kind, f.weight)
            }
            Detail::Met(m) => match &m.note {
                Some(note) => format!("{}: {note}", m.how),
                None => m.how.to_string(),
            },
            Detail::Ask(r) => format!("{} ({}, {})", r.what, r.direction.label(), r.status),
        }
    }
}

/// What an entry records, by type.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    Gave(Favour),
    Got(Favour),
    Met(Meeting),
    Ask(Request),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Favour {
    pub what: String,
    pub kind: Kind,
    pub weight: u8,
    /// The request this favour answers.
    pub resolves: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub how: How,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub what: String,
    pub direction: Direction,
    pub status: Status,
    /// Days I reached out again about an `out` request.
    pub nudges: Vec<NaiveDate>,
    /// Why it ended as it did (e.g. a note on a decline).
    pub note: Option<String>,
}

/// Declares a string enum with its wire names, `Display`, `FromStr` and serde.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The valid names, comma-separated, for error messages.
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "unknown {} `{}` (valid: {})",
                        stringify!($name).to_lowercase(), s, Self::names()
                    )),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

string_enum!(
    /// The type of an entry.
    EntryType { Gave = "gave", Got = "got", Met = "met", Ask = "ask" }
);

string_enum!(
    /// What sort of favour it was.
    Kind {
        Advice = "advice",
        Help = "help",
        Gift = "gift",
        Intro = "intro",
        Recommendation = "recommendation",
        Referral = "referral",
        JobLead = "job-lead",
        Opportunity = "opportunity",
        Money = "money",
        Other = "other",
    }
);

impl Kind {
    /// The weight a favour of this kind gets unless `--weight` says otherwise.
    pub fn default_weight(self) -> u8 {
        match self {
            Kind::Advice => 1,
            Kind::Help | Kind::Gift | Kind::Other => 2,
            Kind::Intro | Kind::Recommendation | Kind::Money => 3,
            Kind::Referral | Kind::JobLead | Kind::Opportunity => 4,
        }
    }
}

string_enum!(
    /// How a meeting happened.
    How {
        Coffee = "coffee",
        Call = "call",
        Message = "message",
        Event = "event",
        Meal = "meal",
        Other = "other",
    }
);

string_enum!(
    /// Who asked whom: `in`, they asked me; `out`, I asked them.
    Direction { In = "in", Out = "out" }
);

impl Direction {
    /// Plain words for tables: "they asked" or "you asked".
    pub fn label(self) -> &'static str {
        match self {
            Direction::In => "they asked",
            Direction::Out => "you asked",
        }
    }
}

string_enum!(
    /// Where a request stands.
    Status { Open = "open", Granted = "granted", Declined = "declined", Lapsed = "lapsed" }
);

pub const MIN_WEIGHT: u8 = 1;
pub const MAX_WEIGHT: u8 = 5;

/// The flat on-disk form of an [`Entry`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawEntry {
    pub id: String,
    pub person: String,
    #[serde(rename = "type")]
    pub entry_type: EntryType,
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolves: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how: Option<How>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nudges: Option<Vec<NaiveDate>>,
    pub recorded: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl TryFrom<RawEntry> for Entry {
    type Error = String;

    fn try_from(raw: RawEntry) -> Result<Entry, String> {
        // Moved apart field by field: a ledger has hundreds of thousands of
        // entries, and cloning each text on the way in showed in the profile.
        let RawEntry {
            id,
            person,
            entry_type,
            date,
            what,
            kind,
            weight,
            resolves,
            how,
            note,
            direction,
            status,
            nudges,
            recorded,
            updated,
            source_id,
            extra,
        } = raw;
        let need = |field: &str, value: Option<String>| {
            value.ok_or_else(|| format!("entry {id} of type {entry_type} has no `{field}`"))
        };
        let detail = match entry_type {
            EntryType::Gave | EntryType::Got => {
                let kind = kind.unwrap_or(Kind::Other);
                let weight = weight.unwrap_or(kind.default_weight());
                if !(MIN_WEIGHT..=MAX_WEIGHT).contains(&weight) {
                    return Err(format!("entry {id} has weight {weight}, not 1 to 5"));
                }
                let favour = Favour {
                    what: need("what", what)?,
                    kind,
                    weight,
                    resolves,
                };
                if entry_type == EntryType::Gave {
                    Detail::Gave(favour)
                } else {
                    Detail::Got(favour)
                }
            }
            EntryType::Met => Detail::Met(Meeting {
                how: how.unwrap_or(How::Other),
                note,
            }),
            EntryType::Ask => Detail::Ask(Request {
                what: need("what", what)?,
                direction: direction.ok_or_else(|| format!("request {id} has no `direction`"))?,
                status: status.unwrap_or(Status::Open),
                nudges: nudges.unwrap_or_default(),
                note,
            }),
        };
        Ok(Entry {
            id,
            person,
            date,
            recorded,
            updated,
            detail,
            source_id,
            extra,
        })
    }
}

impl From<Entry> for RawEntry {
    fn from(entry: Entry) -> RawEntry {
        let entry_type = entry.entry_type();
        let mut raw = RawEntry {
            id: entry.id,
            person: entry.person,
            entry_type,
            date: entry.date,
            what: None,
            kind: None,
            weight: None,
            resolves: None,
            how: None,
            note: None,
            direction: None,
            status: None,
            nudges: None,
            recorded: entry.recorded,
            updated: entry.updated,
            source_id: entry.source_id,
            extra: entry.extra,
        };
        match entry.detail {
            Detail::Gave(f) | Detail::Got(f) => {
                raw.what = Some(f.what);
                raw.kind = Some(f.kind);
                raw.weight = Some(f.weight);
                raw.resolves = f.resolves;
            }
            Detail::Met(m) => {
                raw.how = Some(m.how);
                raw.note = m.note;
            }
            Detail::Ask(r) => {
                raw.what = Some(r.what);
                raw.direction = Some(r.direction);
                raw.status = Some(r.status);
                raw.nudges = Some(r.nudges);
                raw.note = r.note;
            }
        }
        raw
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_round_trips_through_flat_json_with_unknown_keys() {
        let text = r#"{"id":"e-1","person":"p-1","type":"gave","date":"2026-01-02",
            "what":"intro","kind":"intro","weight":3,"recorded":"2026-01-02T10:00:00Z",
            "updated":"2026-01-02T10:00:00Z","mood":"good"}"#;
        let entry: Entry = serde_json::from_str(text).unwrap();
        assert_eq!(entry.favour().unwrap().weight, 3);
        assert_eq!(entry.extra["mood"], "good");
        let back = serde_json::to_value(&entry).unwrap();
        assert_eq!(back["type"], "gave");
        assert_eq!(back["mood"], "good");
        assert!(back.get("direction").is_none());
    }

    #[test]
    fn entry_with_bad_weight_or_missing_fields_is_refused() {
        let base = r#""recorded":"2026-01-02T10:00:00Z","updated":"2026-01-02T10:00:00Z""#;
        let bad_weight = format!(
            r#"{{"id":"e","person":"p","type":"got","date":"2026-01-02","what":"x","weight":9,{base}}}"#
        );
        assert!(serde_json::from_str::<Entry>(&bad_weight).is_err());
        let no_direction = format!(
            r#"{{"id":"e","person":"p","type":"ask","date":"2026-01-02","what":"x",{base}}}"#
        );
        assert!(serde_json::from_str::<Entry>(&no_direction).is_err());
    }

    #[test]
    fn kinds_parse_and_name_the_valid_ones() {
        assert_eq!("job-lead".parse::<Kind>(), Ok(Kind::JobLead));
        let err = "bribe".parse::<Kind>().unwrap_err();
        assert!(err.contains("advice, help"), "{err}");
        assert_eq!(Kind::Referral.default_weight(), 4);
    }
}
