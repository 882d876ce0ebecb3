//! Pure operations on a ledger: finding people and entries from what a person
//! typed, validating text, and the mutations every write command performs.
//!
//! Nothing here touches the disk or the clock: the shell passes `today` and
//! `now` in, and the store saves the result. Every mutation validates first and
//! changes the ledger only when all checks pass, so a failed command leaves the
//! ledger exactly as it was.

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, NaiveDate, Utc};

use crate::core::ids::{self, MIN_ACCEPTED};
use crate::core::model::{Detail, Direction, Entry, Ledger, Person, Request, Status};
use crate::error::Error;

pub use crate::core::text::{MAX_NAME_CHARS, MAX_TEXT_CHARS, fold};

/// Refuses empty names, control characters, bidi and invisible format
/// characters (see [`crate::core::chars`]) and names over [`MAX_NAME_CHARS`].
pub fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        bail!("the name is empty");
    }
    if let Some(bad) = crate::core::chars::forbidden(name, false) {
        bail!("the name contains {}", bad.describe());
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        bail!("the name is {chars} characters long; the limit is {MAX_NAME_CHARS}");
    }
    Ok(name.to_string())
}

/// Refuses empty texts, control characters (newlines only where `multiline`),
/// bidi and invisible format characters, and texts over [`MAX_TEXT_CHARS`].
pub fn check_text(field: &str, text: &str, multiline: bool) -> Result<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        bail!("the {field} is empty");
    }
    if let Some(bad) = crate::core::chars::forbidden(trimmed, multiline) {
        bail!("the {field} contains {}", bad.describe());
    }
    let chars = trimmed.chars().count();
    if chars > MAX_TEXT_CHARS {
        bail!("the {field} is {chars} characters long; the limit is {MAX_TEXT_CHARS}");
    }
    Ok(trimmed.to_string())
}

/// A short label naming a person in lists of candidates: name, org and id.
pub fn describe(ledger: &Ledger, person: &Person) -> String {
    let id = short_person_id(ledger, &person.id);
    match &person.org {
        Some(org) => format!("{} ({org}) {id}", person.name),
        None => format!("{} {id}", person.name),
    }
}

pub fn short_person_id(ledger: &Ledger, id: &str) -> String {
    ids::short_id(id, ledger.people.iter().map(|p| p.id.as_str()))
}

pub fn short_entry_id(ledger: &Ledger, id: &str) -> String {
    ids::short_id(id, ledger.entries.iter().map(|e| e.id.as_str()))
}

/// Finds the one person `query` names: an id prefix, a full name, an alias, an
/// email, or a unique prefix of a name or alias (case- and accent-insensitive).
pub fn find_person<'a>(ledger: &'a Ledger, query: &str) -> Result<&'a Person> {
    let folded = fold(query);
    if folded.is_empty() {
        bail!("the person is empty\nhint: name someone, e.g. `Alice` or an id like `p-3f9a0c1`");
    }
    let tiers: [&dyn Fn(&Person) -> bool; 5] = [
        &|p| folded.starts_with("p-") && folded.len() >= MIN_ACCEPTED && p.id.starts_with(&folded),
        &|p| fold(&p.name) == folded,
        &|p| {
            p.aliases.iter().any(|a| fold(a) == folded)
                || p.emails.iter().any(|e| e.to_lowercase() == folded)
        },
        &|p| {
            fold(&p.name).starts_with(&folded)
                || p.aliases.iter().any(|a| fold(a).starts_with(&folded))
        },
        &|p| {
            fold(&p.name)
                .split(' ')
                .any(|word| word.starts_with(&folded))
        },
    ];
    for matches in tiers {
        let found: Vec<&Person> = ledger.people.iter().filter(|p| matches(p)).collect();
        match found.as_slice() {
            [] => continue,
            [one] => return Ok(one),
            many => {
                let list: Vec<String> = many
                    .iter()
                    .take(10)
                    .map(|p| format!("  {}", describe(ledger, p)))
                    .collect();
                return Err(Error::ambiguous(format!(
                    "`{query}` matches {} people:\n{}",
                    many.len(),
                    list.join("\n")
                ))
                .hint("use more of the name, or an id")
                .into());
            }
        }
    }
    let suggestions = did_you_mean(ledger, &folded);
    let mut err = Error::not_found(format!("no one called `{query}` in the ledger"));
    if !suggestions.is_empty() {
        err = err.hint(format!("did you mean {}?", suggestions.join(", ")));
    }
    Err(err
        .hint(format!(
            "add them with `kith add \"{query}\"`, or pass --add to a logging command"
        ))
        .into())
}

/// Names close to `folded`, best first.
fn did_you_mean(ledger: &Ledger, folded: &str) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = ledger
        .people
        .iter()
        .map(|p| {
            let name = fold(&p.name);
            let best_word = name
                .split(' ')
                .map(|w| strsim::jaro_winkler(w, folded))
                .fold(0.0, f64::max);
            (
                strsim::jaro_winkler(&name, folded).max(best_word),
                p.name.as_str(),
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, name)| format!("`{name}`"))
        .collect()
}

/// Finds the entry an id prefix (at least [`MIN_ACCEPTED`] characters) names.
pub fn find_entry<'a>(ledger: &'a Ledger, query: &str) -> Result<&'a Entry> {
    let query = query.trim().to_lowercase();
    if query.len() < MIN_ACCEPTED {
        bail!(
            "`{query}` is too short for an id; give at least {MIN_ACCEPTED} characters, e.g. `e-3f9a`"
        );
    }
    let found: Vec<&Entry> = ledger
        .entries
        .iter()
        .filter(|e| e.id.starts_with(&query))
        .collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::not_found(format!("no entry with id `{query}`"))
            .hint("`kith log` lists entries with their ids")
            .into()),
        many => Err(Error::ambiguous(format!(
            "`{query}` is the start of {} entry ids; give more characters",
            many.len()
        ))
        .hint("`kith log` shows ids long enough to be unique")
        .into()),
    }
}

/// Finds a request (an `ask` entry) by id prefix.
pub fn find_request<'a>(ledger: &'a Ledger, query: &str) -> Result<(&'a Entry, &'a Request)> {
    let entry = find_entry(ledger, query)?;
    match entry.request() {
        Some(request) => Ok((entry, request)),
        None => Err(Error::not_found(format!(
            "`{}` is a `{}` entry, not a request",
            short_entry_id(ledger, &entry.id),
            entry.entry_type()
        ))
        .hint("`kith log --type ask` lists requests")
        .into()),
    }
}

/// The fields a new person starts with.
#[derive(Debug, Default, Clone)]
pub struct NewPerson {
    pub name: String,
    pub aliases: Vec<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub urls: Vec<String>,
    pub org: Option<String>,
    pub tags: Vec<String>,
    pub how_met: Option<String>,
    pub met_on: Option<NaiveDate>,
    pub notes: Option<String>,
    pub cadence_days: Option<u32>,
}

/// Adds a person after validating every field; returns the new id.
pub fn add_person(
    ledger: &mut Ledger,
    new: NewPerson,
    allow_duplicate: bool,
    now: DateTime<Utc>,
) -> Result<String> {
    let name = check_name(&new.name)?;
    if !allow_duplicate
        && let Some(existing) = ledger.people.iter().find(|p| fold(&p.name) == fold(&name))
    {
        bail!(
            "{} is already in the ledger\nhint: pass --allow-duplicate to add a second person with this name",
            describe(ledger, existing)
        );
    }
    let mut person = Person::new(ids::new_id("p"), name, now);
    person.aliases = check_list("alias", new.aliases, check_name)?;
    person.emails = check_list("email", new.emails, check_email)?;
    person.phones = check_list("phone", new.phones, |s| check_text("phone", s, false))?;
    person.urls = check_list("url", new.urls, |s| check_text("url", s, false))?;
    person.tags = check_list("tag", new.tags, check_tag)?;
    person.org = new.org.map(|o| check_text("org", &o, false)).transpose()?;
    person.how_met = new
        .how_met
        .map(|h| check_text("how-met text", &h, true))
        .transpose()?;
    person.notes = new
        .notes
        .map(|n| check_text("note", &n, true))
        .transpose()?;
    person.met_on = new.met_on;
    person.cadence_days = new.cadence_days.map(check_days).transpose()?;
    let id = person.id.clone();
    ledger.people.push(person);
    Ok(id)
}

fn check_list(
    field: &str,
    values: Vec<String>,
    check: impl Fn(&str) -> Result<String>,
) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        let value = check(&value).map_err(|e| anyhow!("{e} ({field})"))?;
        if !out.iter().any(|v| fold(v) == fold(&value)) {
            out.push(value);
        }
    }
    Ok(out)
}

pub fn check_email(text: &str) -> Result<String> {
    let email = check_text("email", text, false)?;
    if !email.contains('@') || email.contains(char::is_whitespace) {
        bail!("`{email}` does not look like an email address");
    }
    Ok(email)
}

/// Tags are single lowercase words (`in-transition`), compared as typed.
pub fn check_tag(text: &str) -> Result<String> {
    let tag = check_text("tag", text, false)?.to_lowercase();
    if tag.contains(char::is_whitespace) || tag.contains(',') {
        bail!(
            "the tag `{tag}` has a space or comma; tags are single words such as `in-transition`"
        );
    }
    if tag.chars().count() > 50 {
        bail!("the tag `{tag}` is over 50 characters");
    }
    Ok(tag)
}

/// A cadence or snooze length in days: 1 to 36500.
pub fn check_days(days: u32) -> Result<u32> {
    if !(1..=36_500).contains(&days) {
        bail!("{days} days is out of range; use 1 to 36500");
    }
    Ok(days)
}

/// Appends an entry about `person_id`; returns its id.
pub fn add_entry(
    ledger: &mut Ledger,
    person_id: &str,
    date: NaiveDate,
    detail: Detail,
    now: DateTime<Utc>,
) -> String {
    let id = ids::new_id("e");
    ledger.entries.push(Entry {
        id: id.clone(),
        person: person_id.to_string(),
        date,
        recorded: now,
        updated: now,
        detail,
        extra: Default::default(),
    });
    id
}

/// Checks that `request_query` names an open request of `person_id` in
/// `direction`, and marks it granted.
pub fn grant_request(
    ledger: &mut Ledger,
    request_query: &str,
    person_id: &str,
    direction: Direction,
    now: DateTime<Utc>,
) -> Result<String> {
    let hint = match direction {
        Direction::In => "`--for` on `gave` takes a request they made of you (`kith asked`)",
        Direction::Out => "`--for` on `got` takes a request you made of them (`kith ask`)",
    };
    let (entry, _) = open_request(ledger, request_query, direction, hint)?;
    if entry.person != person_id {
        let owner = ledger
            .person(&entry.person)
            .map(|p| p.name.as_str())
            .unwrap_or("someone else");
        bail!(
            "request {} is with {owner}, not with this person",
            short_entry_id(ledger, &entry.id)
        );
    }
    let id = entry.id.clone();
    set_status(ledger, &id, Status::Granted, now)?;
    Ok(id)
}

/// Sets a request's status.
pub fn set_status(
    ledger: &mut Ledger,
    entry_id: &str,
    status: Status,
    now: DateTime<Utc>,
) -> Result<()> {
    let entry = ledger
        .entry_mut(entry_id)
        .ok_or_else(|| anyhow!("no entry with id `{entry_id}`"))?;
    let request = entry
        .request_mut()
        .ok_or_else(|| anyhow!("`{entry_id}` is not a request"))?;
    request.status = status;
    entry.updated = now;
    Ok(())
}

/// Marks a person's record as changed now.
pub fn touch(ledger: &mut Ledger, person_id: &str, now: DateTime<Utc>) {
    if let Some(person) = ledger.person_mut(person_id) {
        person.updated = now;
    }
}

/// Was there any gave, got or met with this person?
pub fn has_exchange(ledger: &Ledger, person_id: &str) -> bool {
    ledger.entries_of(person_id).any(Entry::is_exchange)
}

/// The open request `query` names, checked to go in `direction`; `hint` says
/// which requests the calling command takes.
pub fn open_request<'a>(
    ledger: &'a Ledger,
    query: &str,
    direction: Direction,
    hint: &str,
) -> Result<(&'a Entry, &'a Request)> {
    let (entry, request) = find_request(ledger, query)?;
    let short = || short_entry_id(ledger, &entry.id);
    if request.direction != direction {
        bail!(
            "request {} goes the other way ({})\nhint: {hint}",
            short(),
            request.direction.label()
        );
    }
    if request.status != Status::Open {
        bail!("request {} is already {}", short(), request.status);
    }
    Ok((entry, request))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ledger_with(names: &[(&str, &[&str], &[&str])]) -> Ledger {
        let mut ledger = Ledger::default();
        for (name, aliases, emails) in names {
            let new = NewPerson {
                name: name.to_string(),
                aliases: aliases.iter().map(|s| s.to_string()).collect(),
                emails: emails.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            };
            add_person(&mut ledger, new, true, Utc::now()).unwrap();
        }
        ledger
    }

    #[test]
    fn matching_follows_the_spec_order() {
        let ledger = ledger_with(&[
            ("Zoë Ångström", &["Zo"], &["zoe@example.org"]),
            ("Bob Jones", &[], &["bob@jones.dev"]),
            ("Bobby Tables", &[], &[]),
        ]);
        assert_eq!(
            find_person(&ledger, "zoe angstrom").unwrap().name,
            "Zoë Ångström"
        );
        assert_eq!(find_person(&ledger, "ZO").unwrap().name, "Zoë Ångström");
        assert_eq!(
            find_person(&ledger, "Bob@Jones.dev").unwrap().name,
            "Bob Jones"
        );
        assert_eq!(find_person(&ledger, "bob jones").unwrap().name, "Bob Jones");
        assert_eq!(find_person(&ledger, "tab").unwrap().name, "Bobby Tables");
        let err = find_person(&ledger, "bob").unwrap_err().to_string();
        assert!(err.contains("matches 2 people"), "{err}");
        let id = ledger.people[1].id.clone();
        assert_eq!(find_person(&ledger, &id[..6]).unwrap().name, "Bob Jones");
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let ledger = ledger_with(&[("Alice Smith", &[], &[])]);
        let err = find_person(&ledger, "Alise").unwrap_err();
        assert_eq!(crate::error::kind_of(&err), crate::error::Kind::NotFound);
        let hints = crate::error::hints_of(&err).join("\n");
        assert!(hints.contains("did you mean `Alice Smith`"), "{hints}");
        assert!(hints.contains("kith add"), "{hints}");
    }

    #[test]
    fn text_validation_refuses_bad_input() {
        assert!(check_name("  ").is_err());
        assert!(check_name("a\u{7}b").is_err());
        assert!(check_name(&"x".repeat(201)).is_err());
        assert!(check_name(&"é".repeat(200)).is_ok());
        assert!(check_text("note", "line one\nline two", true).is_ok());
        assert!(check_text("what", "line one\nline two", false).is_err());
        assert!(check_text("note", &"x".repeat(10_001), true).is_err());
        assert!(check_email("not-an-email").is_err());
        assert!(check_tag("two words").is_err());
        assert!(check_days(0).is_err());
    }

    #[test]
    fn duplicate_names_are_refused_unless_allowed() {
        let mut ledger = ledger_with(&[("Alice Smith", &[], &[])]);
        let new = NewPerson {
            name: "alice smith".into(),
            ..Default::default()
        };
        assert!(add_person(&mut ledger, new.clone(), false, Utc::now()).is_err());
        assert!(add_person(&mut ledger, new, true, Utc::now()).is_ok());
    }
}
