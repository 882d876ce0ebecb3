//! `kith doctor`: every rule a ledger breaks, each with the id of the person
//! or entry and a one-line fix.
//!
//! Loading stays lenient, so nobody is locked out of their own data by a hand
//! edit or a merge: a name of ten million characters or a note holding escape
//! sequences loads (and is shown escaped). Two kinds of damage are refused at
//! load, because acting on them could change the wrong record: an id used
//! twice, and an entry about a person who is not in the ledger (see
//! [`Ledger::check_integrity`]). The doctor reads such a file anyway (through
//! [`crate::core::model::parse_ledger_unchecked`]) to list them with the rest.
//! `kith merge` and `kith sync` compare [`diagnose`] before and after a merge
//! with [`new_problems`] to say how many problems the merge brought in.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::core::chars::{self, Forbidden};
use crate::core::model::{Detail, Entry, Ledger, Person};
use crate::core::text::{MAX_LABEL_CHARS, MAX_NAME_CHARS, MAX_TEXT_CHARS};

/// The earliest date the doctor believes for a logged event.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

/// Which rule a problem breaks; stable names for `--json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    EmptyName,
    ControlCharacter,
    InvisibleCharacter,
    TooLong,
    DuplicateId,
    DanglingPerson,
    DanglingRequest,
    DateOutOfRange,
    AnsweredTwice,
    /// The binary snapshot names the ledger's exact bytes but holds
    /// something else (a bug in kith, never a user's doing).
    SnapshotDisagrees,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub rule: Rule,
    /// The person or entry at fault.
    pub id: String,
    /// The field at fault, if one.
    pub field: Option<String>,
    /// What is wrong, in a sentence.
    pub message: String,
    /// The next step that fixes it.
    pub fix: String,
}

impl Problem {
    /// What makes two reports of a problem the same: rule, id and field.
    fn key(&self) -> (Rule, &str, Option<&str>) {
        (self.rule, &self.id, self.field.as_deref())
    }
}

/// Every rule `ledger` breaks, people first, then entries, in file order.
/// The problem when `from_snapshot`, the ledger a snapshot built from the
/// ledger's exact bytes decodes to, is not `ledger`: reads would answer
/// from it, so it must go. `name` is the snapshot's file name.
pub fn snapshot_disagrees(ledger: &Ledger, from_snapshot: &Ledger, name: &str) -> Option<Problem> {
    (ledger != from_snapshot).then(|| Problem {
        rule: Rule::SnapshotDisagrees,
        id: name.to_string(),
        field: None,
        message: format!(
            "the snapshot `{name}` is stamped with the ledger's bytes but does not hold the same ledger"
        ),
        fix: format!(
            "delete `{name}` (it only saves time; the next read rebuilds it), and please report it"
        ),
    })
}

pub fn diagnose(ledger: &Ledger, today: NaiveDate) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen_people = HashSet::new();
    for person in &ledger.people {
        if !seen_people.insert(person.id.as_str()) {
            problems.push(duplicate(&person.id, "person"));
        }
        check_person(person, &mut problems);
    }
    let mut seen_entries = HashSet::new();
    let requests: HashMap<&str, &Entry> = ledger
        .entries
        .iter()
        .filter(|e| e.request().is_some())
        .map(|e| (e.id.as_str(), e))
        .collect();
    let mut answered: HashMap<&str, &str> = HashMap::new();
    for entry in &ledger.entries {
        if !seen_entries.insert(entry.id.as_str()) {
            problems.push(duplicate(&entry.id, "entry"));
        }
        if !seen_people.contains(entry.person.as_str()) {
            problems.push(Problem {
                rule: Rule::DanglingPerson,
                id: entry.id.clone(),
                field: Some("person".into()),
                message: format!(
                    "entry {} is about person {}, who is not in the ledger",
                    entry.id, entry.person
                ),
                fix: format!(
                    "edit the file: delete entry {} or put person {} back (kith refuses to load it until then)",
                    entry.id, entry.person
                ),
            });
        }
        if entry.date < EARLIEST || entry.date > today {
            problems.push(Problem {
                rule: Rule::DateOutOfRange,
                id: entry.id.clone(),
                field: Some("date".into()),
                message: format!(
                    "entry {} is dated {}, {}",
                    entry.id,
                    entry.date,
                    if entry.date > today {
                        "after today"
                    } else {
                        "before 1900"
                    }
                ),
                fix: format!("kith amend {} --date YYYY-MM-DD", entry.id),
            });
        }
        check_entry_texts(entry, &mut problems);
        if let Some(request) = entry.favour().and_then(|f| f.resolves.as_deref()) {
            if !requests.contains_key(request) {
                problems.push(Problem {
                    rule: Rule::DanglingRequest,
                    id: entry.id.clone(),
                    field: Some("resolves".into()),
                    message: format!(
                        "entry {} answers request {}, which is not in the ledger",
                        entry.id, request
                    ),
                    fix: format!("edit the file: remove `resolves` from entry {}", entry.id),
                });
            } else if let Some(first) = answered.insert(request, entry.id.as_str()) {
                problems.push(Problem {
                    rule: Rule::AnsweredTwice,
                    id: entry.id.clone(),
                    field: Some("resolves".into()),
                    message: format!(
                        "request {request} is answered twice: by {first} and by {}",
                        entry.id
                    ),
                    fix: format!(
                        "kith rm {} if it was logged twice, else edit the file to remove its `resolves`",
                        entry.id
                    ),
                });
            }
        }
    }
    problems
}

/// The problems of `after` that `before` did not have (by rule, id and field).
pub fn new_problems<'a>(before: &[Problem], after: &'a [Problem]) -> Vec<&'a Problem> {
    let known: HashSet<_> = before.iter().map(Problem::key).collect();
    after.iter().filter(|p| !known.contains(&p.key())).collect()
}

fn duplicate(id: &str, what: &str) -> Problem {
    Problem {
        rule: Rule::DuplicateId,
        id: id.to_string(),
        field: Some("id".into()),
        message: format!("{what} id {id} is used more than once"),
        fix: format!(
            "edit the file: delete the copy, or give one {what} a new id (kith refuses to load it until then)"
        ),
    }
}

fn check_person(person: &Person, problems: &mut Vec<Problem>) {
    let id = &person.id;
    let edit = format!("kith edit {id}");
    if person.name.trim().is_empty() {
        problems.push(Problem {
            rule: Rule::EmptyName,
            id: id.clone(),
            field: Some("name".into()),
            message: format!("person {id} has no name"),
            fix: format!("kith edit {id} --name NAME"),
        });
    } else {
        check_text(
            id,
            "name",
            &person.name,
            MAX_NAME_CHARS,
            false,
            &format!("kith edit {id} --name NAME"),
            problems,
        );
    }
    let lists: [(&str, &Vec<String>, usize); 5] = [
        ("aliases", &person.aliases, MAX_NAME_CHARS),
        ("emails", &person.emails, MAX_NAME_CHARS),
        ("phones", &person.phones, MAX_NAME_CHARS),
        ("urls", &person.urls, MAX_TEXT_CHARS),
        ("tags", &person.tags, MAX_NAME_CHARS),
    ];
    for (field, values, max) in lists {
        for value in values {
            check_text(id, field, value, max, false, &edit, problems);
        }
    }
    let optional = [
        ("org", person.org.as_deref(), MAX_NAME_CHARS, false),
        ("how_met", person.how_met.as_deref(), MAX_TEXT_CHARS, true),
        ("notes", person.notes.as_deref(), MAX_TEXT_CHARS, true),
        (
            "flag.reason",
            person.flag.as_ref().and_then(|f| f.reason.as_deref()),
            MAX_TEXT_CHARS,
            true,
        ),
    ];
    for (field, value, max, multiline) in optional {
        if let Some(value) = value {
            check_text(id, field, value, max, multiline, &edit, problems);
        }
    }
    for need in &person.needs {
        check_text(
            id,
            "needs",
            &need.text,
            MAX_TEXT_CHARS,
            true,
            &edit,
            problems,
        );
    }
    for dated in &person.dates {
        check_text(
            id,
            "dates",
            &dated.label,
            MAX_LABEL_CHARS,
            false,
            &edit,
            problems,
        );
    }
}

fn check_entry_texts(entry: &Entry, problems: &mut Vec<Problem>) {
    let id = &entry.id;
    let amend = format!("kith amend {id} --what TEXT");
    let edit_file = format!("edit the file: fix the text of entry {id}, or kith rm {id}");
    match &entry.detail {
        Detail::Gave(f) | Detail::Got(f) => {
            check_text(id, "what", &f.what, MAX_TEXT_CHARS, false, &amend, problems);
        }
        Detail::Met(m) => {
            if let Some(note) = &m.note {
                check_text(id, "note", note, MAX_TEXT_CHARS, true, &edit_file, problems);
            }
        }
        Detail::Ask(r) => {
            check_text(id, "what", &r.what, MAX_TEXT_CHARS, false, &amend, problems);
            if let Some(note) = &r.note {
                check_text(id, "note", note, MAX_TEXT_CHARS, true, &edit_file, problems);
            }
        }
    }
}

fn check_text(
    id: &str,
    field: &str,
    value: &str,
    max: usize,
    multiline: bool,
    fix: &str,
    problems: &mut Vec<Problem>,
) {
    match chars::forbidden(value, multiline) {
        Some(bad @ Forbidden::Control(_)) => problems.push(Problem {
            rule: Rule::ControlCharacter,
            id: id.to_string(),
            field: Some(field.to_string()),
            message: format!("{id}: the {field} holds {}", bad.describe()),
            fix: fix.to_string(),
        }),
        Some(bad @ Forbidden::Invisible(_)) => problems.push(Problem {
            rule: Rule::InvisibleCharacter,
            id: id.to_string(),
            field: Some(field.to_string()),
            message: format!("{id}: the {field} holds {}", bad.describe()),
            fix: fix.to_string(),
        }),
        None => {}
    }
    // Counting stops one past the limit: a ten-million-character name is
    // judged as fast as a short one.
    if value.chars().nth(max).is_some() {
        problems.push(Problem {
            rule: Rule::TooLong,
            id: id.to_string(),
            field: Some(field.to_string()),
            message: format!(
                "{id}: the {field} is {} characters long; the limit is {max}",
                value.chars().count()
            ),
            fix: fix.to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::core::model::{Direction, Meeting};
    use crate::core::model::{Favour, Kind, Need, Request, Status};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    fn person(id: &str, name: &str) -> Person {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap();
        Person::new(id.into(), name.into(), now)
    }

    fn entry(id: &str, person: &str, date: NaiveDate, detail: Detail) -> Entry {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap();
        Entry {
            id: id.into(),
            person: person.into(),
            date,
            recorded: now,
            updated: now,
            detail,
            source_id: None,
            extra: Default::default(),
        }
    }

    fn gave(what: &str, resolves: Option<&str>) -> Detail {
        Detail::Gave(Favour {
            what: what.into(),
            kind: Kind::Help,
            weight: 2,
            resolves: resolves.map(str::to_string),
        })
    }

    fn rules(ledger: &Ledger) -> Vec<(Rule, String)> {
        diagnose(ledger, today())
            .into_iter()
            .map(|p| (p.rule, p.id))
            .collect()
    }

    #[test]
    fn a_clean_ledger_has_no_problems() {
        let mut ledger = Ledger::default();
        let mut ann = person("p-1", "Ann");
        ann.notes = Some("two\nlines\tand a tab".into());
        ledger.people.push(ann);
        ledger
            .entries
            .push(entry("e-1", "p-1", today(), gave("tea", None)));
        assert_eq!(rules(&ledger), []);
    }

    #[test]
    fn text_rules_are_checked_on_every_field() {
        let mut ledger = Ledger::default();
        ledger.people.push(person("p-1", "  "));
        ledger.people.push(person("p-2", "Ev\u{1b}[31mil"));
        ledger.people.push(person("p-3", "Al\u{202E}ice"));
        ledger
            .people
            .push(person("p-4", &"x".repeat(MAX_NAME_CHARS + 1)));
        let mut five = person("p-5", "Five");
        five.needs.push(Need {
            id: "n-1".into(),
            text: "zero\u{200B}width".into(),
            since: today(),
            done: false,
            extra: Default::default(),
        });
        five.org = Some("bell\u{7}".into());
        ledger.people.push(five);
        ledger
            .entries
            .push(entry("e-1", "p-5", today(), gave("line\u{2028}sep", None)));
        let found = diagnose(&ledger, today());
        let got: Vec<(Rule, &str, Option<&str>)> = found
            .iter()
            .map(|p| (p.rule, p.id.as_str(), p.field.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (Rule::EmptyName, "p-1", Some("name")),
                (Rule::ControlCharacter, "p-2", Some("name")),
                (Rule::InvisibleCharacter, "p-3", Some("name")),
                (Rule::TooLong, "p-4", Some("name")),
                (Rule::ControlCharacter, "p-5", Some("org")),
                (Rule::InvisibleCharacter, "p-5", Some("needs")),
                (Rule::InvisibleCharacter, "e-1", Some("what")),
            ]
        );
        assert!(
            found
                .iter()
                .all(|p| !p.fix.is_empty() && p.fix.contains(&p.id))
        );
        assert_eq!(found[0].fix, "kith edit p-1 --name NAME");
    }

    #[test]
    fn ids_dates_and_answers_are_checked() {
        let mut ledger = Ledger::default();
        ledger.people.push(person("p-1", "Ann"));
        ledger.people.push(person("p-1", "Ann again"));
        let ask = Detail::Ask(Request {
            what: "a job".into(),
            direction: Direction::In,
            status: Status::Granted,
            nudges: Vec::new(),
            note: None,
        });
        let day = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        ledger.entries.extend([
            entry("e-r", "p-1", day, ask),
            entry("e-1", "p-1", day, gave("lead", Some("e-r"))),
            entry("e-2", "p-1", day, gave("lead again", Some("e-r"))),
            entry("e-2", "p-1", day, gave("copy", None)),
            entry("e-3", "p-9", day, gave("ghost", None)),
            entry("e-4", "p-1", day, gave("to nowhere", Some("e-none"))),
            entry(
                "e-5",
                "p-1",
                NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
                Detail::Met(Meeting {
                    how: crate::core::model::How::Call,
                    note: None,
                }),
            ),
            entry(
                "e-6",
                "p-1",
                NaiveDate::from_ymd_opt(1850, 1, 1).unwrap(),
                gave("old", None),
            ),
        ]);
        assert_eq!(
            rules(&ledger),
            [
                (Rule::DuplicateId, "p-1".into()),
                (Rule::AnsweredTwice, "e-2".into()),
                (Rule::DuplicateId, "e-2".into()),
                (Rule::DanglingPerson, "e-3".into()),
                (Rule::DanglingRequest, "e-4".into()),
                (Rule::DateOutOfRange, "e-5".into()),
                (Rule::DateOutOfRange, "e-6".into()),
            ]
        );
    }

    #[test]
    fn new_problems_are_those_the_merge_brought() {
        let mut before = Ledger::default();
        before.people.push(person("p-1", ""));
        let mut after = before.clone();
        after.people.push(person("p-2", "bad\u{1b}"));
        let (old, new) = (diagnose(&before, today()), diagnose(&after, today()));
        let brought = new_problems(&old, &new);
        assert_eq!(brought.len(), 1);
        assert_eq!(brought[0].id, "p-2");
    }
}
