//! Shell completion candidates: the people and entries a half-typed argument
//! could name.
//!
//! The shell asks while you type (`kith gave ali<TAB>`), so this has to be
//! fast on a large ledger and must only offer values that the argument
//! parser accepts: a person's name, alias or email (or their id when several
//! people share the name), and entry ids long enough to be unique. Matching
//! is case- and accent-insensitive, as [`crate::core::ledger::find_person`]
//! is, and a word inside a name matches too (`smi` offers "Alice Smith").

use std::collections::{HashMap, HashSet};

use crate::core::ids::Shortener;
use crate::core::ledger::fold;
use crate::core::model::{Direction, Entry, Ledger, Status};

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
pub fn people(ledger: &Ledger, typed: &str) -> Vec<Candidate> {
    let wanted = fold(typed);
    let raw = typed.trim().to_lowercase();
    let mut shared: HashMap<String, usize> = HashMap::new();
    let folded_names: Vec<String> = ledger.people.iter().map(|p| fold(&p.name)).collect();
    for name in &folded_names {
        *shared.entry(name.clone()).or_default() += 1;
    }
    let shortener = Shortener::new(ledger.people.iter().map(|p| p.id.as_str()));
    let mut found: Vec<(Rank, bool, Candidate)> = Vec::new();
    for (person, name) in ledger.people.iter().zip(&folded_names) {
        let org = person
            .org
            .as_deref()
            .map(|org| format!(" ({org})"))
            .unwrap_or_default();
        let by_id = shared.get(name).copied().unwrap_or_default() > 1;
        if raw.starts_with("p-") {
            if person.id.starts_with(&raw) {
                let help = format!("{}{org}", person.name);
                found.push((
                    Rank::Start,
                    person.archived,
                    candidate(shortener.short(&person.id), help),
                ));
            }
            continue;
        }
        if let Some(rank) = rank(name, &wanted) {
            let value = if by_id {
                shortener.short(&person.id)
            } else {
                person.name.clone()
            };
            let help = if by_id {
                format!("{}{org}", person.name)
            } else {
                org.trim().trim_matches(['(', ')']).to_string()
            };
            found.push((rank, person.archived, candidate(value, help)));
        }
        if wanted.is_empty() {
            continue;
        }
        for alias in &person.aliases {
            if let Some(rank) = rank(&fold(alias), &wanted) {
                let help = format!("alias of {}{org}", person.name);
                found.push((rank, person.archived, candidate(alias.clone(), help)));
            }
        }
        for email in &person.emails {
            if email.to_lowercase().starts_with(&raw) {
                let help = format!("{}{org}", person.name);
                found.push((Rank::Start, person.archived, candidate(email.clone(), help)));
            }
        }
    }
    found.sort_by(|a, b| {
        (a.0, a.1, fold(&a.2.value), &a.2.value).cmp(&(b.0, b.1, fold(&b.2.value), &b.2.value))
    });
    let mut seen = HashSet::new();
    found
        .into_iter()
        .map(|(_, _, candidate)| candidate)
        .filter(|c| typeable(&c.value) && seen.insert(c.value.clone()))
        .collect()
}

/// Entry ids starting with `typed` that `filter` lets through, newest first,
/// at most [`ENTRY_LIMIT`]; each with its date, person and what it was.
pub fn entries(ledger: &Ledger, typed: &str, filter: EntryFilter) -> Vec<Candidate> {
    let typed = typed.trim().to_lowercase();
    let names: HashMap<&str, &str> = ledger
        .people
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let mut matching: Vec<&Entry> = ledger
        .entries
        .iter()
        .filter(|e| e.id.starts_with(&typed) && passes(e, filter))
        .collect();
    // The ledger keeps entries sorted by (date, recorded): newest are last.
    matching.reverse();
    matching.truncate(ENTRY_LIMIT);
    let shortener = Shortener::new(ledger.entries.iter().map(|e| e.id.as_str()));
    matching
        .into_iter()
        .map(|entry| {
            let name = names.get(entry.person.as_str()).copied().unwrap_or("?");
            let help = format!(
                "{} {} {name}: {}",
                entry.date,
                entry.entry_type(),
                entry.summary()
            );
            candidate(shortener.short(&entry.id), clip(&help, 80))
        })
        .collect()
}

fn passes(entry: &Entry, filter: EntryFilter) -> bool {
    match filter {
        EntryFilter::Any => true,
        EntryFilter::OpenRequests(direction) => entry.request().is_some_and(|r| {
            r.status == Status::Open && direction.is_none_or(|d| d == r.direction)
        }),
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
    !value.is_empty() && !value.chars().any(|c| c.is_control() || is_format(c))
}

/// Help text as one plain line: control and format characters become `?`.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_format(c) {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// Bidi controls, zero-width characters and other invisible formatting.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
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
        let ledger = &net.ledger;

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
            values(&people(&net.ledger, "al")),
            ["Alice Active", "Al Archived"]
        );
    }

    #[test]
    fn shared_names_are_offered_by_id() {
        let mut net = Net::new();
        let one = net.person("Ben Lee", "2026-01-01");
        let two = net.person("Ben Lee", "2026-01-01");
        net.edit(&two, |p| p.org = Some("Acme".into()));
        let found = people(&net.ledger, "ben");
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
        let ledger = &net.ledger;
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
    fn untypeable_names_are_not_offered_and_help_is_plain() {
        let mut net = Net::new();
        let eve = net.person("Eve\u{202E}x", "2026-01-01");
        net.edit(&eve, |p| p.aliases.push("Evie".into()));
        assert_eq!(values(&people(&net.ledger, "ev")), ["Evie"]);
        assert_eq!(people(&net.ledger, "ev")[0].help, "alias of Eve?x");
    }
}
