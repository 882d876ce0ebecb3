//! Shell completion candidates: the people and entries a half-typed argument
//! could name.
//!
//! The shell asks while you type (`kith gave ali<TAB>`), so this has to be
//! fast on a large ledger and must only offer values that the argument
//! parser accepts: a person's name, alias or email (or their id when several
//! people share the name), and entry ids long enough to be unique. Matching
//! is case- and accent-insensitive, as [`crate::core::ledger::find_person`]
//! is, and a word inside a name matches too (`smi` offers "Alice Smith").

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};

use crate::core::ids::Shortener;
use crate::core::model::{Direction, Ledger, Status};
use crate::core::text::fold;

/// At most this many entry ids are offered; the newest come first.
pub const ENTRY_LIMIT: usize = 100;

/// One value the shell may insert, with a line saying what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub help: String,
}

/// Which entries an id argument takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryFilter {
    /// Any entry (`rm`, `amend`).
    Any,
    /// Open requests, optionally only one way (`decline` takes `in`, `nudge` `out`).
    OpenRequests(Option<Direction>),
}

/// What completion needs to know of a person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Who {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub emails: Vec<String>,
    pub org: Option<String>,
    pub archived: bool,
}

/// What completion needs to know of an entry, borrowed from the file where
/// it can be: a completion of ids reads every entry, and not copying their
/// strings is most of what that costs beyond the reading.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct What<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub person: Cow<'a, str>,
    #[serde(rename = "type", borrow)]
    pub entry_type: Cow<'a, str>,
    #[serde(borrow)]
    pub date: Cow<'a, str>,
    #[serde(borrow)]
    pub what: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub how: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub note: Option<Cow<'a, str>>,
    pub direction: Option<Direction>,
    pub status: Option<Status>,
}

/// The people (and, when asked for, the entries) of a ledger, as completion sees them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog<'a> {
    pub people: Vec<Who>,
    pub entries: Vec<What<'a>>,
}

impl<'a> Catalog<'a> {
    /// From a ledger already in memory.
    pub fn of(ledger: &'a Ledger) -> Catalog<'a> {
        let people = ledger
            .people
            .iter()
            .map(|p| Who {
                id: p.id.clone(),
                name: p.name.clone(),
                aliases: p.aliases.clone(),
                emails: p.emails.clone(),
                org: p.org.clone(),
                archived: p.archived,
            })
            .collect();
        let entries = ledger
            .entries
            .iter()
            .map(|e| {
                let request = e.request();
                What {
                    id: Cow::Borrowed(e.id.as_str()),
                    person: Cow::Borrowed(e.person.as_str()),
                    entry_type: Cow::Borrowed(e.entry_type().as_str()),
                    date: Cow::Owned(e.date.to_string()),
                    what: Some(Cow::Owned(e.summary())),
                    how: None,
                    note: None,
                    direction: request.map(|r| r.direction),
                    status: request.map(|r| r.status),
                }
            })
            .collect();
        Catalog { people, entries }
    }

    /// Reads only what completion needs from a ledger file's bytes, fast:
    /// without `entries`, it stops reading once `people` is read (the file
    /// keeps `people` before `entries`), so a large ledger costs little more
    /// than its address book. `None` when the bytes are not a ledger.
    pub fn read(bytes: &'a [u8], entries: bool) -> Option<Catalog<'a>> {
        let mut catalog = Catalog::default();
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let reader = Reader {
            entries,
            catalog: &mut catalog,
        };
        match de::Deserializer::deserialize_map(&mut de, reader) {
            Ok(()) => Some(catalog),
            Err(err) if err.to_string().starts_with(ENOUGH) => Some(catalog),
            Err(_) => None,
        }
    }
}

/// The error [`Reader`] stops with once it has what it came for.
const ENOUGH: &str = "kith-complete: read enough";

struct Reader<'c, 'de> {
    entries: bool,
    catalog: &'c mut Catalog<'de>,
}

impl<'de> Visitor<'de> for Reader<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a kith ledger")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (mut people, mut entries) = (false, !self.entries);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "people" => {
                    self.catalog.people = map.next_value()?;
                    people = true;
                }
                "entries" if self.entries => {
                    self.catalog.entries = map.next_value()?;
                    entries = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            if people && entries {
                return Err(de::Error::custom(ENOUGH));
            }
        }
        Ok(())
    }
}

/// How well a candidate matches, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// The typed text starts the value.
    Start,
    /// The typed text starts a later word of the value.
    Word,
}

/// People whose name, alias or email `typed` could be the start of.
///
/// An empty `typed` offers every name. Archived people come after the others.
/// When several people share a name, each is offered by id, with the name and
/// org as help, since the name alone would be ambiguous.
pub fn people(catalog: &Catalog<'_>, typed: &str) -> Vec<Candidate> {
    let wanted = fold(typed);
    let raw = typed.trim().to_lowercase();
    let folded_names: Vec<String> = catalog.people.iter().map(|p| fold(&p.name)).collect();
    let mut shared: HashMap<&str, usize> = HashMap::new();
    for name in &folded_names {
        *shared.entry(name.as_str()).or_default() += 1;
    }
    let shortener = Shortener::new(catalog.people.iter().map(|p| p.id.as_str()));
    let mut found: Vec<(Rank, bool, String, Candidate)> = Vec::new();
    let mut offer = |rank: Rank, person: &Who, value: String, help: String| {
        found.push((rank, person.archived, fold(&value), candidate(value, help)));
    };
    for (person, name) in catalog.people.iter().zip(&folded_names) {
        let org = person
            .org
            .as_deref()
            .map(|org| format!(" ({org})"))
            .unwrap_or_default();
        if raw.starts_with("p-") {
            if person.id.starts_with(&raw) {
                let help = format!("{}{org}", person.name);
                offer(Rank::Start, person, shortener.short(&person.id), help);
            }
            continue;
        }
        if let Some(rank) = rank(name, &wanted) {
            if shared.get(name.as_str()).copied().unwrap_or_default() > 1 {
                let help = format!("{}{org}", person.name);
                offer(rank, person, shortener.short(&person.id), help);
            } else {
                let help = person.org.clone().unwrap_or_default();
                offer(rank, person, person.name.clone(), help);
            }
        }
        if wanted.is_empty() {
            continue;
        }
        for alias in &person.aliases {
            if let Some(rank) = rank(&fold(alias), &wanted) {
                let help = format!("alias of {}{org}", person.name);
                offer(rank, person, alias.clone(), help);
            }
        }
        for email in &person.emails {
            if email.to_lowercase().starts_with(&raw) {
                let help = format!("{}{org}", person.name);
                offer(Rank::Start, person, email.clone(), help);
            }
        }
    }
    found.sort_by(|a, b| (a.0, a.1, &a.2, &a.3.value).cmp(&(b.0, b.1, &b.2, &b.3.value)));
    let mut seen = HashSet::new();
    found
        .into_iter()
        .map(|(_, _, _, candidate)| candidate)
        .filter(|c| typeable(&c.value) && seen.insert(c.value.clone()))
        .collect()
}

/// Entry ids starting with `typed` that `filter` lets through, newest first,
/// at most [`ENTRY_LIMIT`]; each with its date, person and what it was.
pub fn entries(catalog: &Catalog<'_>, typed: &str, filter: EntryFilter) -> Vec<Candidate> {
    let typed = typed.trim().to_lowercase();
    let names: HashMap<&str, &str> = catalog
        .people
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    // The ledger keeps entries sorted by (date, recorded): newest are last.
    let matching: Vec<&What<'_>> = catalog
        .entries
        .iter()
        .rev()
        .filter(|e| e.id.starts_with(&typed) && passes(e, filter))
        .take(ENTRY_LIMIT)
        .collect();
    let shortener = Shortener::new(catalog.entries.iter().map(|e| e.id.as_ref()));
    matching
        .into_iter()
        .map(|entry| {
            let name = names.get(entry.person.as_ref()).copied().unwrap_or("?");
            let what = match (&entry.what, &entry.how, &entry.note) {
                (Some(what), _, _) => what.to_string(),
                (None, Some(how), Some(note)) => format!("{how}: {note}"),
                (None, Some(how), None) => how.to_string(),
                (None, None, note) => note.as_deref().unwrap_or_default().to_string(),
            };
            let help = format!("{} {} {name}: {what}", entry.date, entry.entry_type);
            candidate(shortener.short(&entry.id), clip(&help, 80))
        })
        .collect()
}

fn passes(entry: &What<'_>, filter: EntryFilter) -> bool {
    match filter {
        EntryFilter::Any => true,
        EntryFilter::OpenRequests(direction) => {
            entry.entry_type == "ask"
                && entry.status == Some(Status::Open)
                && direction.is_none_or(|d| entry.direction == Some(d))
        }
    }
}

/// Whether `wanted` starts `folded` or one of its later words.
fn rank(folded: &str, wanted: &str) -> Option<Rank> {
    if folded.starts_with(wanted) {
        Some(Rank::Start)
    } else if folded
        .split(' ')
        .skip(1)
        .any(|word| word.starts_with(wanted))
    {
        Some(Rank::Word)
    } else {
        None
    }
}

fn candidate(value: String, help: String) -> Candidate {
    Candidate {
        value,
        help: printable(&help),
    }
}

/// Whether a value can be typed and inserted on a command line as it is:
/// no control or invisible format characters.
fn typeable(value: &str) -> bool {
    !value.is_empty() && !value.chars().any(crate::core::chars::is_unsafe)
}

/// Help text as one plain line: control and format characters become `?`.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if crate::core::chars::is_unsafe(c) {
                '?'
            } else {
                c
            }
        })
        .collect()
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut clipped: String = text.chars().take(max.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::Kind;
    use crate::core::testkit::Net;

    fn values(candidates: &[Candidate]) -> Vec<&str> {
        candidates.iter().map(|c| c.value.as_str()).collect()
    }

    #[test]
    fn names_aliases_and_emails_complete_from_any_case_and_accent() {
        let mut net = Net::new();
        let ann = net.person("Ann Lee", "2026-01-01");
        net.edit(&ann, |p| {
            p.aliases.push("Annie".into());
            p.emails.push("ann@example.org".into());
        });
        net.person("Zoë Ångström", "2026-01-01");
        net.person("Bob Annan", "2026-01-01");
        let ledger = &Catalog::of(&net.ledger);

        assert_eq!(
            values(&people(ledger, "ann")),
            ["Ann Lee", "ann@example.org", "Annie", "Bob Annan"]
        );
        assert_eq!(values(&people(ledger, "zoe")), ["Zoë Ångström"]);
        assert_eq!(values(&people(ledger, "ANGS")), ["Zoë Ångström"]);
        assert_eq!(values(&people(ledger, "ann@")), ["ann@example.org"]);
        assert_eq!(people(ledger, "Annie")[0].help, "alias of Ann Lee");
        assert!(people(ledger, "xyz").is_empty());
        assert_eq!(people(ledger, "").len(), 3);
    }

    #[test]
    fn archived_people_come_last() {
        let mut net = Net::new();
        let old = net.person("Al Archived", "2026-01-01");
        net.edit(&old, |p| p.archived = true);
        net.person("Alice Active", "2026-01-01");
        assert_eq!(
            values(&people(&Catalog::of(&net.ledger), "al")),
            ["Alice Active", "Al Archived"]
        );
    }

    #[test]
    fn shared_names_are_offered_by_id() {
        let mut net = Net::new();
        let one = net.person("Ben Lee", "2026-01-01");
        let two = net.person("Ben Lee", "2026-01-01");
        net.edit(&two, |p| p.org = Some("Acme".into()));
        let found = people(&Catalog::of(&net.ledger), "ben");
        assert_eq!(found.len(), 2);
        for c in &found {
            assert!(c.value.starts_with("p-"), "{c:?}");
            assert!(one.starts_with(&c.value) || two.starts_with(&c.value));
            // Each offered id names exactly one person.
            assert!(crate::core::ledger::find_person(&net.ledger, &c.value).is_ok());
        }
        assert!(found.iter().any(|c| c.help == "Ben Lee (Acme)"));
    }

    #[test]
    fn entry_ids_complete_newest_first_and_by_filter() {
        let mut net = Net::new();
        let ann = net.person("Ann Lee", "2026-01-01");
        let old = net.gave(&ann, "2026-01-01", "advice", Kind::Advice);
        let asked = net.asked(
            &ann,
            "2026-02-01",
            "a job lead",
            Direction::In,
            Status::Open,
        );
        let ledger = &Catalog::of(&net.ledger);
        let found = entries(ledger, "e-", EntryFilter::Any);
        assert_eq!(found.len(), 2);
        assert!(asked.starts_with(&found[0].value));
        assert!(old.starts_with(&found[1].value));
        assert!(found[0].help.contains("Ann Lee") && found[0].help.contains("a job lead"));
        let open = entries(ledger, "", EntryFilter::OpenRequests(Some(Direction::In)));
        assert_eq!(values(&open), [found[0].value.as_str()]);
        assert!(entries(ledger, "", EntryFilter::OpenRequests(Some(Direction::Out))).is_empty());
        assert!(entries(ledger, "x", EntryFilter::Any).is_empty());
    }

    #[test]
    fn a_ledger_file_is_read_only_as_far_as_needed() {
        let mut net = Net::new();
        let ann = net.person("Ann Lee", "2026-01-01");
        net.edit(&ann, |p| p.aliases.push("Annie".into()));
        net.asked(
            &ann,
            "2026-02-01",
            "a job lead",
            Direction::In,
            Status::Open,
        );
        net.met(&ann, "2026-02-02");
        let bytes = crate::core::model::to_pretty_json(&net.ledger).unwrap();
        let full = Catalog::read(&bytes, true).unwrap();
        assert_eq!(full.people, Catalog::of(&net.ledger).people);
        assert_eq!(full.entries.len(), 2);
        assert_eq!(full.entries[0].status, Some(Status::Open));
        assert_eq!(full.entries[1].how.as_deref(), Some("coffee"));
        // People only: whatever follows them is never looked at.
        let text = String::from_utf8(bytes.clone()).unwrap();
        let cut = text.find("\"entries\"").unwrap();
        let broken = format!("{}\"entries\": [{{ nonsense", &text[..cut]);
        let people_only = Catalog::read(broken.as_bytes(), false).unwrap();
        assert_eq!(people_only.people, full.people);
        assert!(people_only.entries.is_empty());
        assert_eq!(Catalog::read(broken.as_bytes(), true), None);
        assert_eq!(Catalog::read(b"not json", false), None);
        assert_eq!(Catalog::read(b"[1, 2]", false), None);
        assert_eq!(Catalog::read(b"{}", true), Some(Catalog::default()));
    }

    #[test]
    fn untypeable_names_are_not_offered_and_help_is_plain() {
        let mut net = Net::new();
        let eve = net.person("Eve\u{202E}x", "2026-01-01");
        net.edit(&eve, |p| p.aliases.push("Evie".into()));
        assert_eq!(values(&people(&Catalog::of(&net.ledger), "ev")), ["Evie"]);
        assert_eq!(
            people(&Catalog::of(&net.ledger), "ev")[0].help,
            "alias of Eve?x"
        );
    }
}
