//! Pure operations on a ledger: finding people and entries from what a person
//! typed, validating text, and the mutations every write command performs,
//! each with its rules: adding, editing (one validator, [`validate_person`],
//! for `kith edit`'s flags and its `$EDITOR` path), snoozing and forgetting
//! people and their needs; adding, amending ([`amend_entry`]: which fields
//! apply to which entry type, weights 1 to 5) and removing entries
//! ([`remove_entry`]: requests and the favours answering them stay
//! consistent); requests ([`change_request`]) and introductions
//! ([`introduce`]: never between strangers unless asked).
//!
//! Nothing here touches the disk or the clock: the shell passes `today` and
//! `now` in, and the store saves the result. Every mutation validates first and
//! changes the ledger only when all checks pass, so a failed command leaves the
//! ledger exactly as it was.

use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::core::birthdays;
use crate::core::contacts::exchanges;
use crate::core::ids::{self, MIN_ACCEPTED};
use crate::core::model::{
    Detail, Direction, Entry, Favour, How, Kind, Ledger, MAX_WEIGHT, MIN_WEIGHT, Need, PartialDate,
    Person, Request, Status,
};
use crate::core::reciprocity::cadence_days;
use crate::core::relationship::{self, Found, Resolution, Roster};
use crate::error::Error;

use crate::core::text::shell_word;
pub use crate::core::text::{MAX_NAME_CHARS, MAX_TEXT_CHARS, check_text, fold};

/// A bad value in what the user typed (exit 2).
fn usage(message: impl Into<String>) -> anyhow::Error {
    Error::usage(message).into()
}

/// Refuses empty names, control characters, bidi and invisible format
/// characters (see [`crate::core::chars`]) and names over [`MAX_NAME_CHARS`].
pub fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(usage("the name is empty"));
    }
    if let Some(bad) = crate::core::chars::forbidden(name, false) {
        return Err(usage(format!("the name contains {}", bad.describe())));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(usage(format!(
            "the name is {chars} characters long; the limit is {MAX_NAME_CHARS}"
        )));
    }
    Ok(name.to_string())
}

/// A short label naming a person in lists of candidates: name, org and id.
pub fn describe(ledger: &(impl Roster + ?Sized), person: &Person) -> String {
    let id = short_person_id(ledger, &person.id);
    match &person.org {
        Some(org) => format!("{} ({org}) {id}", person.name),
        None => format!("{} {id}", person.name),
    }
}

pub fn short_person_id(ledger: &(impl Roster + ?Sized), id: &str) -> String {
    ids::short_id(id, ledger.roster().iter().map(|p| p.id.as_str()))
}

pub fn short_entry_id(ledger: &Ledger, id: &str) -> String {
    ids::short_id(id, ledger.entries.iter().map(|e| e.id.as_str()))
}

/// Which people `kith people` lists.
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter<'q> {
    /// Only people with this tag (compared lowercased).
    pub tag: Option<&'q str>,
    /// Only people whose name, org, notes, aliases, emails or tags contain
    /// this (case- and accent-insensitive).
    pub search: Option<&'q str>,
    /// Archived people too.
    pub all: bool,
}

/// The people `filter` lets through, sorted by name. Contacts (imported
/// people with nothing logged, people who only asked you) only with `all`.
pub fn list_people<'a>(
    ledger: &'a (impl Roster + ?Sized),
    filter: &PeopleFilter,
) -> Vec<&'a Person> {
    let ties = ledger.ties();
    let mut people: Vec<&Person> = ledger
        .roster()
        .iter()
        .filter(|p| passes(p, filter))
        .filter(|p| filter.all || ties.tie(p).is_relationship())
        .collect();
    people.sort_by_cached_key(|p| fold(&p.name));
    people
}

/// How many contacts [`list_people`] left out: what `--all` would add.
pub fn contacts_left_out(ledger: &(impl Roster + ?Sized), filter: &PeopleFilter) -> usize {
    if filter.all {
        return 0;
    }
    let ties = ledger.ties();
    ledger
        .roster()
        .iter()
        .filter(|p| passes(p, filter) && ties.tie(p).is_contact())
        .count()
}

/// Whether `p` passes the tag, search and archive parts of `filter`.
fn passes(p: &Person, filter: &PeopleFilter) -> bool {
    let matches_search = |s: &str| {
        let fields = [
            &p.name,
            p.org.as_deref().unwrap_or(""),
            p.notes.as_deref().unwrap_or(""),
        ];
        fields.iter().any(|f| fold(f).contains(s))
            || p.aliases
                .iter()
                .chain(&p.emails)
                .chain(&p.tags)
                .any(|f| fold(f).contains(s))
    };
    (filter.all || !p.archived)
        && filter
            .tag
            .is_none_or(|t| p.tags.contains(&t.to_lowercase()))
        && filter.search.map(fold).is_none_or(|s| matches_search(&s))
}

/// Finds the one person `query` names: an id prefix, a full name, an alias, an
/// email, or a unique prefix of a name or alias (case- and accent-insensitive).
pub fn find_person<'a>(ledger: &'a (impl Roster + ?Sized), query: &str) -> Result<&'a Person> {
    Ok(find(ledger, query)?.person)
}

/// [`find_person`] with the note to show when a pattern that also fits
/// contacts reached the one relationship it names (SPEC "Relationship or
/// contact": `ben` → Ben Ortiz, not one of 19 imported Bens).
pub fn find<'a>(ledger: &'a (impl Roster + ?Sized), query: &str) -> Result<Found<'a>> {
    let folded = fold(query);
    if folded.is_empty() {
        return Err(Error::usage("the person is empty")
            .hint("name someone, e.g. `Alice` or an id like `p-3f9a0c1`")
            .into());
    }
    match relationship::resolve(ledger, query) {
        Resolution::Found(found) => Ok(found),
        Resolution::Ambiguous(many) => Err(ambiguous(ledger, query, &many)),
        Resolution::NotFound => {
            let suggestions = did_you_mean(ledger, &folded);
            let mut err = Error::not_found(format!("no one called `{query}` in the ledger"));
            if !suggestions.is_empty() {
                err = err.hint(format!("did you mean {}?", suggestions.join(", ")));
            }
            Err(err
                .hint(format!(
                    "add them with `kith add {}`, or pass --add to a logging command",
                    shell_word(query.trim())
                ))
                .into())
        }
    }
}

/// The error for a pattern several people fit equally well, listing them.
pub fn ambiguous(ledger: &(impl Roster + ?Sized), query: &str, many: &[&Person]) -> anyhow::Error {
    let list: Vec<String> = many
        .iter()
        .take(10)
        .map(|p| format!("  {}", describe(ledger, p)))
        .collect();
    Error::ambiguous(format!(
        "`{query}` matches {} people:\n{}",
        many.len(),
        list.join("\n")
    ))
    .hint("use more of the name, or an id")
    .into()
}

/// Names close to `folded`, best first.
fn did_you_mean(ledger: &(impl Roster + ?Sized), folded: &str) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = ledger
        .roster()
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
        return Err(usage(format!(
            "`{query}` is too short for an id; give at least {MIN_ACCEPTED} characters, e.g. `e-3f9a`"
        )));
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
    pub birthday: Option<PartialDate>,
    /// Labelled dates; a label given twice keeps the last date.
    pub dates: Vec<(String, PartialDate)>,
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
        return Err(Error::failure(format!(
            "{} is already in the ledger",
            describe(ledger, existing)
        ))
        .hint("pass --allow-duplicate to add a second person with this name")
        .into());
    }
    let mut person = Person::new(ids::new_id("p"), name, now);
    person.aliases = check_list("alias", new.aliases, check_name)?;
    person.emails = check_list("email", new.emails, check_email)?;
    person.phones = check_list("phone", new.phones, check_phone)?;
    person.urls = check_list("url", new.urls, check_url)?;
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
    person.birthday = new.birthday;
    for (label, date) in new.dates {
        birthdays::set_date(&mut person, &birthdays::check_label(&label)?, Some(date))?;
    }
    let id = person.id.clone();
    ledger.people.push(person);
    Ok(id)
}

/// The id of the person `query` names; with `add`, a person of that name is
/// added when no one matches (an ambiguous name is still an error).
pub fn find_or_add_person(
    ledger: &mut Ledger,
    query: &str,
    add: Adding,
    now: DateTime<Utc>,
) -> Result<String> {
    match find_person(ledger, query) {
        Ok(person) => Ok(person.id.clone()),
        Err(err)
            if add != Adding::No && crate::error::kind_of(&err) == crate::error::Kind::NotFound =>
        {
            let new = NewPerson {
                name: query.to_string(),
                ..Default::default()
            };
            let id = add_person(ledger, new, false, now).context("could not add them")?;
            if add == Adding::Requester
                && let Some(person) = ledger.person_mut(&id)
            {
                person.source = Some(relationship::REQUEST_SOURCE.to_string());
            }
            Ok(id)
        }
        Err(err) => Err(err),
    }
}

/// Who `--add` creates when no one matches: someone you added by hand (a
/// relationship), or, for `asked`, a requester: a contact whose only history
/// is their request, until you exchange something (SPEC "Relationship or
/// contact"). A requester is marked by `source: "request"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adding {
    No,
    ByHand,
    Requester,
}

fn check_list(
    field: &str,
    values: Vec<String>,
    check: impl Fn(&str) -> Result<String>,
) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        let value = check(&value).map_err(|e| usage(format!("{e} ({field})")))?;
        if !out.iter().any(|v| fold(v) == fold(&value)) {
            out.push(value);
        }
    }
    Ok(out)
}

pub fn check_email(text: &str) -> Result<String> {
    let email = check_text("email", text, false)?;
    if !email.contains('@') || email.contains(char::is_whitespace) {
        return Err(usage(format!(
            "`{email}` does not look like an email address"
        )));
    }
    Ok(email)
}

/// Tags are single lowercase words (`in-transition`), compared as typed.
pub fn check_tag(text: &str) -> Result<String> {
    let tag = check_text("tag", text, false)?.to_lowercase();
    if tag.contains(char::is_whitespace) || tag.contains(',') {
        return Err(usage(format!(
            "the tag `{tag}` has a space or comma; tags are single words such as `in-transition`"
        )));
    }
    if tag.chars().count() > 50 {
        return Err(usage(format!("the tag `{tag}` is over 50 characters")));
    }
    Ok(tag)
}

/// A cadence or snooze length in days: 1 to 36500.
pub fn check_days(days: u32) -> Result<u32> {
    if !(1..=36_500).contains(&days) {
        return Err(usage(format!(
            "{days} days is out of range; use 1 to 36500"
        )));
    }
    Ok(days)
}

/// How long `kith snooze` keeps someone out of `who`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snooze {
    /// Until this date, which must be after today.
    Until(NaiveDate),
    /// For this many days (1 to 36500).
    Days(u32),
    /// For one of their cadences.
    Cadence,
}

/// Snoozes person `id`; returns the date the snooze ends. Checked before
/// anything changes: the end must be after `today`.
pub fn snooze_person(
    ledger: &mut Ledger,
    id: &str,
    span: Snooze,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<NaiveDate> {
    let person = ledger.person(id).ok_or_else(|| anyhow!("they vanished"))?;
    let after_today = |days: u32| {
        today
            .checked_add_days(Days::new(days.into()))
            .ok_or_else(|| usage(format!("{days} days from today is out of range")))
    };
    let until = match span {
        Snooze::Until(date) => date,
        Snooze::Days(days) => after_today(check_days(days)?)?,
        Snooze::Cadence => after_today(cadence_days(&ledger.settings, person))?,
    };
    if until <= today {
        return Err(usage(format!(
            "{until} is not after today ({today}); snooze until a later date"
        )));
    }
    let person = ledger
        .person_mut(id)
        .ok_or_else(|| anyhow!("they vanished"))?;
    person.snoozed_until = Some(until);
    person.updated = now;
    Ok(until)
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
        source_id: None,
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

/// What `decline`, `nudge` and `lapse` do to an open request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestChange {
    /// Decline a request they made of you, with an optional note.
    Decline(Option<String>),
    /// Note that you reached out again on a day about a request you made.
    Nudge(NaiveDate),
    /// Close a request you made that went unanswered.
    Lapse,
}

/// Applies `change` to the open request `query` names, after checking it
/// goes the right way (declines are for requests made of you; nudges and
/// lapses for yours); returns the request's id.
pub fn change_request(
    ledger: &mut Ledger,
    query: &str,
    change: RequestChange,
    now: DateTime<Utc>,
) -> Result<String> {
    let (direction, hint) = match change {
        RequestChange::Decline(_) => (
            Direction::In,
            "decline takes a request someone made of you (`kith asked`)",
        ),
        RequestChange::Nudge(_) | RequestChange::Lapse => (
            Direction::Out,
            "nudge and lapse take a request you made (`kith ask`)",
        ),
    };
    let id = open_request(ledger, query, direction, hint)?.0.id.clone();
    let entry = ledger
        .entry_mut(&id)
        .ok_or_else(|| anyhow!("the request vanished"))?;
    let request = entry
        .request_mut()
        .ok_or_else(|| anyhow!("not a request"))?;
    match change {
        RequestChange::Decline(note) => {
            request.status = Status::Declined;
            request.note = note;
        }
        RequestChange::Nudge(date) => {
            if request.nudges.contains(&date) {
                bail!("you already noted a nudge on {date}");
            }
            request.nudges.push(date);
            request.nudges.sort();
        }
        RequestChange::Lapse => request.status = Status::Lapsed,
    }
    entry.updated = now;
    Ok(id)
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
        return Err(Error::failure(format!(
            "request {} goes the other way ({})",
            short(),
            request.direction.label()
        ))
        .hint(hint)
        .into());
    }
    if request.status != Status::Open {
        bail!("request {} is already {}", short(), request.status);
    }
    Ok((entry, request))
}

/// A weight from the command line: 1 to 5.
pub fn check_weight(weight: i64) -> Result<u8> {
    u8::try_from(weight)
        .ok()
        .filter(|w| (MIN_WEIGHT..=MAX_WEIGHT).contains(w))
        .ok_or_else(|| {
            usage(format!(
                "weight {weight} is out of range; use 1 (a small favour) to 5 (life-changing)"
            ))
        })
}

/// What `kith amend` asks to change; `None` leaves a field alone.
#[derive(Debug, Default, Clone)]
pub struct Amendment {
    pub what: Option<String>,
    pub date: Option<NaiveDate>,
    pub kind: Option<Kind>,
    pub weight: Option<i64>,
    pub how: Option<How>,
    pub note: Option<String>,
}

impl Amendment {
    pub fn is_empty(&self) -> bool {
        self.what.is_none()
            && self.date.is_none()
            && self.kind.is_none()
            && self.weight.is_none()
            && self.how.is_none()
            && self.note.is_none()
    }
}

/// Amends the entry `query` names; returns its id. Each field applies to some
/// entry types only: a favour has a text, kind and weight; a meeting a way and
/// a note; a request a text and a note. Asking for a field the entry does not
/// have changes nothing. A new kind resets the weight to its default unless a
/// weight is given too.
pub fn amend_entry(
    ledger: &mut Ledger,
    query: &str,
    change: Amendment,
    now: DateTime<Utc>,
) -> Result<String> {
    if change.is_empty() {
        return Err(Error::usage("nothing to change")
            .hint(format!(
                "e.g. `kith amend {} --weight 4 --date yesterday`",
                shell_word(query)
            ))
            .into());
    }
    let what = change
        .what
        .as_deref()
        .map(|w| check_text("text", w, false))
        .transpose()?;
    let note = change
        .note
        .as_deref()
        .map(|n| check_text("note", n, true))
        .transpose()?;
    let weight = change.weight.map(check_weight).transpose()?;
    let id = find_entry(ledger, query)?.id.clone();
    let entry = ledger
        .entry_mut(&id)
        .ok_or_else(|| anyhow!("the entry vanished"))?;
    let entry_type = entry.entry_type();
    let refuse = |flag: &str| usage(format!("a `{entry_type}` entry has no {flag} to amend"));
    match &entry.detail {
        Detail::Gave(_) | Detail::Got(_) if change.how.is_some() => return Err(refuse("--how")),
        Detail::Gave(_) | Detail::Got(_) if note.is_some() => return Err(refuse("--note")),
        Detail::Met(_) if what.is_some() || change.kind.is_some() || weight.is_some() => {
            return Err(refuse("--what, --kind or --weight"));
        }
        Detail::Ask(_) if change.how.is_some() || change.kind.is_some() || weight.is_some() => {
            return Err(refuse("--how, --kind or --weight"));
        }
        _ => {}
    }
    if let Some(date) = change.date {
        entry.date = date;
    }
    match &mut entry.detail {
        Detail::Gave(f) | Detail::Got(f) => {
            if let Some(what) = what {
                f.what = what;
            }
            if let Some(kind) = change.kind {
                f.kind = kind;
                f.weight = kind.default_weight();
            }
            if let Some(weight) = weight {
                f.weight = weight;
            }
        }
        Detail::Met(m) => {
            if let Some(how) = change.how {
                m.how = how;
            }
            if note.is_some() {
                m.note = note;
            }
        }
        Detail::Ask(r) => {
            if let Some(what) = what {
                r.what = what;
            }
            if note.is_some() {
                r.note = note;
            }
        }
    }
    entry.updated = now;
    Ok(id)
}

/// What [`remove_entry`] removed, and the request it opened again.
#[derive(Debug, Clone)]
pub struct Removed {
    pub entry: Entry,
    /// The short id the entry had before it was removed.
    pub short_id: String,
    /// The short id of the request a removed favour had granted; it is open again.
    pub reopened: Option<String>,
}

/// Removes the entry `query` names, keeping requests and favours consistent:
/// a removed favour that granted a request opens the request again, and
/// favours that answered a removed request no longer point at it.
pub fn remove_entry(ledger: &mut Ledger, query: &str, now: DateTime<Utc>) -> Result<Removed> {
    let entry = find_entry(ledger, query)?.clone();
    let short_id = short_entry_id(ledger, &entry.id);
    ledger.entries.retain(|e| e.id != entry.id);
    // An imported entry the user removes must not come back with the next import.
    exchanges::remember_removed(ledger, &entry);
    let mut reopened = None;
    if let Some(request) = entry.favour().and_then(|f| f.resolves.clone())
        && ledger.entry(&request).is_some()
    {
        set_status(ledger, &request, Status::Open, now)?;
        reopened = Some(short_entry_id(ledger, &request));
    }
    for other in &mut ledger.entries {
        if let Detail::Gave(f) | Detail::Got(f) = &mut other.detail
            && f.resolves.as_deref() == Some(entry.id.as_str())
        {
            f.resolves = None;
            other.updated = now;
        }
    }
    Ok(Removed {
        entry,
        short_id,
        reopened,
    })
}

/// Who [`forget_person`] deleted, and how many entries went with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forgotten {
    pub name: String,
    pub entries: usize,
}

/// Deletes the person `query` names and every entry about them.
pub fn forget_person(ledger: &mut Ledger, query: &str) -> Result<Forgotten> {
    let person = find_person(ledger, query)?;
    let (id, name) = (person.id.clone(), person.name.clone());
    let before = ledger.entries.len();
    ledger.entries.retain(|e| e.person != id);
    ledger.people.retain(|p| p.id != id);
    exchanges::forget_removed(ledger, &id);
    Ok(Forgotten {
        name,
        entries: before - ledger.entries.len(),
    })
}

/// Notes something `person` is looking for; returns the need's id.
pub fn add_need(person: &mut Person, text: &str, today: NaiveDate) -> Result<String> {
    let text = check_text("need", text, false)?;
    let id = ids::new_id("n");
    person.needs.push(Need {
        id: id.clone(),
        text,
        since: today,
        done: false,
        extra: Default::default(),
    });
    Ok(id)
}

/// Marks the need `done` names as done: an id prefix (at least
/// [`MIN_ACCEPTED`] characters) or, when no id matches, a 1-based position in
/// the list. Returns the need's text.
pub fn mark_need_done(person: &mut Person, done: &str) -> Result<String> {
    let done = done.trim().to_lowercase();
    let position = done.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
    let found: Vec<usize> = person
        .needs
        .iter()
        .enumerate()
        .filter(|(_, n)| n.id.starts_with(&done) && done.len() >= MIN_ACCEPTED)
        .map(|(i, _)| i)
        .collect();
    let index = match (found.as_slice(), position) {
        ([one], _) => *one,
        ([], Some(at)) if at < person.needs.len() => at,
        ([], _) => {
            return Err(
                Error::not_found(format!("{} has no need `{done}`", person.name))
                    .hint("`kith show` lists their needs with ids")
                    .into(),
            );
        }
        _ => {
            return Err(Error::ambiguous(format!(
                "`{done}` matches several needs; give more of the id"
            ))
            .into());
        }
    };
    let need = person
        .needs
        .get_mut(index)
        .ok_or_else(|| anyhow!("no such need"))?;
    if need.done {
        bail!("`{}` is already done", need.text);
    }
    need.done = true;
    Ok(need.text.clone())
}

/// Refuses an introduction of someone to themselves, and (unless `anyway`)
/// one involving a person you have no logged exchange with: connecting
/// strangers to strangers is not networking.
pub fn check_intro(ledger: &Ledger, first: &Person, second: &Person, anyway: bool) -> Result<()> {
    if first.id == second.id {
        return Err(usage(format!(
            "an introduction needs two different people; both name {}",
            first.name
        )));
    }
    let strangers: Vec<&str> = [first, second]
        .into_iter()
        .filter(|p| !has_exchange(ledger, &p.id))
        .map(|p| p.name.as_str())
        .collect();
    if !strangers.is_empty() && !anyway {
        return Err(Error::failure(format!(
            "you have no logged exchange with {}: connecting strangers to strangers is not networking",
            strangers.join(" or ")
        ))
        .hint("log a `kith met` first, or pass --anyway")
        .into());
    }
    Ok(())
}

/// Records an introduction of two people to each other, after
/// [`check_intro`]: one `gave` entry of kind intro with each. Returns the two
/// people's ids and the two entry ids.
pub fn introduce(
    ledger: &mut Ledger,
    (first, second): (&str, &str),
    what: &str,
    date: NaiveDate,
    anyway: bool,
    now: DateTime<Utc>,
) -> Result<Introduction> {
    let what = check_text("introduction", what, false)?;
    let first = find_person(ledger, first)?.clone();
    let second = find_person(ledger, second)?.clone();
    check_intro(ledger, &first, &second, anyway)?;
    let mut entries = Vec::new();
    for (to, other) in [(&first, &second), (&second, &first)] {
        let favour = Favour {
            what: format!("intro to {}: {what}", other.name),
            kind: Kind::Intro,
            weight: Kind::Intro.default_weight(),
            resolves: None,
        };
        entries.push(add_entry(ledger, &to.id, date, Detail::Gave(favour), now));
    }
    Ok(Introduction {
        people: [first.id, second.id],
        names: [first.name, second.name],
        entries,
        what,
    })
}

/// What [`introduce`] recorded.
#[derive(Debug, Clone)]
pub struct Introduction {
    pub people: [String; 2],
    pub names: [String; 2],
    pub entries: Vec<String>,
    pub what: String,
}

/// The changes `kith edit` flags ask for. List fields take `+x` or `x` (add)
/// and `-x` (remove); an empty text clears an optional field.
#[derive(Debug, Default, Clone)]
pub struct PersonEdit {
    pub name: Option<String>,
    pub aliases: Vec<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub urls: Vec<String>,
    pub tags: Vec<String>,
    pub org: Option<String>,
    pub note: Option<String>,
    pub how_met: Option<String>,
    /// `Some(None)` clears the date.
    pub met_on: Option<Option<NaiveDate>>,
    /// `Some(None)` clears the cadence.
    pub cadence_days: Option<Option<u32>>,
    /// `Some(None)` clears the birthday.
    pub birthday: Option<Option<PartialDate>>,
    /// Each label's new date, `None` to remove it.
    pub dates: Vec<(String, Option<PartialDate>)>,
}

impl PersonEdit {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.aliases.is_empty()
            && self.emails.is_empty()
            && self.phones.is_empty()
            && self.urls.is_empty()
            && self.tags.is_empty()
            && self.org.is_none()
            && self.note.is_none()
            && self.how_met.is_none()
            && self.met_on.is_none()
            && self.cadence_days.is_none()
            && self.birthday.is_none()
            && self.dates.is_empty()
    }
}

fn check_phone(text: &str) -> Result<String> {
    check_text("phone", text, false)
}

fn check_url(text: &str) -> Result<String> {
    check_text("url", text, false)
}

/// An optional text field: empty (or absent) means none.
fn optional_text(field: &str, value: Option<&str>, multiline: bool) -> Result<Option<String>> {
    match value {
        Some(text) if !text.trim().is_empty() => check_text(field, text, multiline).map(Some),
        _ => Ok(None),
    }
}

/// Applies `+x` / `x` (add) and `-x` (remove) edits to a list.
fn edit_list(
    list: &mut Vec<String>,
    edits: &[String],
    check: impl Fn(&str) -> Result<String>,
) -> Result<()> {
    for edit in edits {
        if let Some(gone) = edit.strip_prefix('-') {
            let folded = fold(gone);
            let before = list.len();
            list.retain(|item| fold(item) != folded);
            if list.len() == before {
                return Err(usage(format!(
                    "`{gone}` is not in the list, so it cannot be removed"
                )));
            }
        } else {
            let value = check(edit.strip_prefix('+').unwrap_or(edit))?;
            if !list.iter().any(|item| fold(item) == fold(&value)) {
                list.push(value);
            }
        }
    }
    Ok(())
}

/// The one check of an edited person, shared by `kith edit`'s flags and its
/// `$EDITOR` path: every field validated as `kith add` validates it, the id
/// unchanged, and the bookkeeping (`created`, `updated`) kept as kith's own,
/// with `updated` moved to `now` when anything changed.
pub fn validate_person(
    original: &Person,
    mut edited: Person,
    now: DateTime<Utc>,
) -> Result<Person> {
    if edited.id != original.id {
        bail!("the id cannot be changed (it was {})", original.id);
    }
    let each = |list: &[String], check: fn(&str) -> Result<String>| -> Result<Vec<String>> {
        list.iter().map(|item| check(item)).collect()
    };
    edited.name = check_name(&edited.name)?;
    edited.aliases = each(&edited.aliases, check_name)?;
    edited.emails = each(&edited.emails, check_email)?;
    edited.phones = each(&edited.phones, check_phone)?;
    edited.urls = each(&edited.urls, check_url)?;
    edited.tags = each(&edited.tags, check_tag)?;
    edited.org = optional_text("org", edited.org.as_deref(), false)?;
    edited.how_met = optional_text("how-met text", edited.how_met.as_deref(), true)?;
    edited.notes = optional_text("note", edited.notes.as_deref(), true)?;
    edited.cadence_days = edited.cadence_days.map(check_days).transpose()?;
    for need in &edited.needs {
        check_text("need", &need.text, true)?;
    }
    if let Some(reason) = edited.flag.as_ref().and_then(|f| f.reason.as_deref()) {
        check_text("flag reason", reason, true)?;
    }
    birthdays::check_dates(&edited.dates)?;
    edited.created = original.created;
    edited.updated = original.updated;
    if edited != *original {
        edited.updated = now;
    }
    Ok(edited)
}

/// What [`edit_person`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub name: String,
    /// The new name is also someone else's.
    pub shared_name: bool,
}

/// Applies flag edits to person `id`, then checks the result with
/// [`validate_person`]. The record counts as updated now even when the flags
/// changed nothing.
pub fn edit_person(
    ledger: &mut Ledger,
    id: &str,
    edit: &PersonEdit,
    now: DateTime<Utc>,
) -> Result<Edited> {
    let original = ledger
        .person(id)
        .ok_or_else(|| anyhow!("they vanished"))?
        .clone();
    let mut person = original.clone();
    if let Some(name) = &edit.name {
        person.name = check_name(name)?;
    }
    edit_list(&mut person.aliases, &edit.aliases, check_name)?;
    edit_list(&mut person.emails, &edit.emails, check_email)?;
    edit_list(&mut person.phones, &edit.phones, check_phone)?;
    edit_list(&mut person.urls, &edit.urls, check_url)?;
    edit_list(&mut person.tags, &edit.tags, check_tag)?;
    if let Some(org) = &edit.org {
        person.org = Some(org.clone());
    }
    if let Some(note) = &edit.note {
        person.notes = Some(note.clone());
    }
    if let Some(how) = &edit.how_met {
        person.how_met = Some(how.clone());
    }
    if let Some(met_on) = edit.met_on {
        person.met_on = met_on;
    }
    if let Some(cadence) = edit.cadence_days {
        person.cadence_days = cadence;
    }
    if let Some(birthday) = edit.birthday {
        person.birthday = birthday;
    }
    for (label, date) in &edit.dates {
        birthdays::set_date(&mut person, &birthdays::check_label(label)?, *date)?;
    }
    let mut person = validate_person(&original, person, now)?;
    person.updated = now;
    let shared_name = edit.name.is_some()
        && ledger
            .people
            .iter()
            .any(|p| p.id != id && fold(&p.name) == fold(&person.name));
    let edited = Edited {
        name: person.name.clone(),
        shared_name,
    };
    let slot = ledger
        .person_mut(id)
        .ok_or_else(|| anyhow!("they vanished"))?;
    *slot = person;
    Ok(edited)
}

/// Puts an edited record in place of `original`, refusing when the ledger's
/// copy is no longer `original` (another kith changed it meanwhile).
pub fn replace_person(ledger: &mut Ledger, original: &Person, edited: Person) -> Result<()> {
    let person = ledger
        .person_mut(&original.id)
        .ok_or_else(|| anyhow!("{} was removed while you were editing", original.name))?;
    if *person != *original {
        return Err(Error::failure(format!(
            "{} was changed by another kith while you were editing",
            original.name
        ))
        .hint("nothing was changed; run `kith edit` again")
        .into());
    }
    *person = edited;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::core::testkit::{Net, day};
    use crate::error::{Kind as ErrorKind, kind_of};

    fn now() -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 23, 9, 0, 0)
            .single()
            .unwrap()
    }

    #[test]
    fn amend_applies_fields_by_entry_type() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        let gave = net.gave(&ann, "2026-02-01", "a lift", Kind::Other);
        let met = net.met(&ann, "2026-02-02");
        let ask = net.asked(&ann, "2026-02-03", "a loan", Direction::Out, Status::Open);
        let mut ledger = net.ledger;

        let kind = Amendment {
            kind: Some(Kind::Intro),
            ..Default::default()
        };
        amend_entry(&mut ledger, &gave, kind, now()).unwrap();
        let favour = ledger.entry(&gave).unwrap().favour().unwrap().clone();
        assert_eq!(
            (favour.kind, favour.weight),
            (Kind::Intro, Kind::Intro.default_weight())
        );

        let both = Amendment {
            kind: Some(Kind::Intro),
            weight: Some(5),
            ..Default::default()
        };
        amend_entry(&mut ledger, &gave, both, now()).unwrap();
        assert_eq!(ledger.entry(&gave).unwrap().favour().unwrap().weight, 5);

        let before = ledger.clone();
        for (id, change) in [
            (
                &gave,
                Amendment {
                    how: Some(How::Call),
                    ..Default::default()
                },
            ),
            (
                &gave,
                Amendment {
                    note: Some("n".into()),
                    ..Default::default()
                },
            ),
            (
                &met,
                Amendment {
                    weight: Some(2),
                    ..Default::default()
                },
            ),
            (
                &met,
                Amendment {
                    what: Some("x".into()),
                    ..Default::default()
                },
            ),
            (
                &ask,
                Amendment {
                    kind: Some(Kind::Advice),
                    ..Default::default()
                },
            ),
            (
                &ask,
                Amendment {
                    how: Some(How::Call),
                    date: Some(day("2026-01-05")),
                    ..Default::default()
                },
            ),
        ] {
            let err = amend_entry(&mut ledger, id, change, now()).unwrap_err();
            assert!(err.to_string().contains("to amend"), "{err}");
            assert_eq!(kind_of(&err), ErrorKind::Usage);
            assert_eq!(ledger, before, "a refused amend changed the ledger");
        }
        let note = Amendment {
            note: Some("over lunch".into()),
            ..Default::default()
        };
        amend_entry(&mut ledger, &met, note, now()).unwrap();
        assert_eq!(ledger.entry(&met).unwrap().summary(), "coffee: over lunch");
    }

    #[test]
    fn amend_refuses_bad_weights_and_empty_changes_as_usage() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        let gave = net.gave(&ann, "2026-02-01", "a lift", Kind::Other);
        let mut ledger = net.ledger;
        for weight in [0, 6, -1, 300] {
            let change = Amendment {
                weight: Some(weight),
                ..Default::default()
            };
            let err = amend_entry(&mut ledger, &gave, change, now()).unwrap_err();
            assert!(err.to_string().contains("out of range"), "{err}");
            assert_eq!(kind_of(&err).exit_code(), 2);
        }
        let err = amend_entry(&mut ledger, &gave, Amendment::default(), now()).unwrap_err();
        assert_eq!(err.to_string(), "nothing to change");
        assert_eq!(kind_of(&err), ErrorKind::Usage);
        assert_eq!(check_weight(1).unwrap(), 1);
        assert_eq!(check_weight(5).unwrap(), 5);
    }

    #[test]
    fn removing_a_favour_reopens_its_request_and_a_request_unlinks_its_favours() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        let ask = net.asked(&ann, "2026-02-01", "a loan", Direction::In, Status::Open);
        let gave = net.gave(&ann, "2026-02-02", "the loan", Kind::Money);
        let mut ledger = net.ledger;
        grant_request(&mut ledger, &ask, &ann, Direction::In, now()).unwrap();
        if let Some(Detail::Gave(f)) = ledger.entry_mut(&gave).map(|e| &mut e.detail) {
            f.resolves = Some(ask.clone());
        }

        let mut without_favour = ledger.clone();
        let removed = remove_entry(&mut without_favour, &gave, now()).unwrap();
        assert_eq!(removed.entry.id, gave);
        assert!(removed.reopened.is_some());
        let request = without_favour.entry(&ask).unwrap().request().unwrap();
        assert_eq!(request.status, Status::Open);

        let removed = remove_entry(&mut ledger, &ask, now()).unwrap();
        assert!(removed.reopened.is_none());
        let favour = ledger.entry(&gave).unwrap().favour().unwrap();
        assert_eq!(favour.resolves, None);
        assert_eq!(ledger.entry(&gave).unwrap().updated, now());

        let err = remove_entry(&mut ledger, "e-ffff", now()).unwrap_err();
        assert_eq!(kind_of(&err), ErrorKind::NotFound);
    }

    #[test]
    fn forgetting_removes_the_person_and_only_their_entries() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        let bob = net.person("Bob", "2026-01-01");
        net.gave(&ann, "2026-02-01", "a lift", Kind::Other);
        net.met(&ann, "2026-02-02");
        let kept = net.met(&bob, "2026-02-03");
        let mut ledger = net.ledger;
        let gone = forget_person(&mut ledger, "ann").unwrap();
        assert_eq!(
            gone,
            Forgotten {
                name: "Ann".into(),
                entries: 2
            }
        );
        assert!(ledger.person(&ann).is_none());
        assert_eq!(ledger.entries.len(), 1);
        assert!(ledger.entry(&kept).is_some());
        assert_eq!(
            kind_of(&forget_person(&mut ledger, "ann").unwrap_err()),
            ErrorKind::NotFound
        );
    }

    #[test]
    fn needs_are_marked_done_by_id_prefix_or_position() {
        let mut person = Person::new("p-1".into(), "Ann".into(), now());
        let first = add_need(&mut person, "a flat", day("2026-01-01")).unwrap();
        add_need(&mut person, "a job", day("2026-01-01")).unwrap();
        assert_eq!(
            kind_of(&add_need(&mut person, " ", day("2026-01-01")).unwrap_err()),
            ErrorKind::Usage
        );

        assert_eq!(mark_need_done(&mut person, "2").unwrap(), "a job");
        assert_eq!(
            mark_need_done(&mut person, &first[..MIN_ACCEPTED]).unwrap(),
            "a flat"
        );
        let err = mark_need_done(&mut person, "1").unwrap_err();
        assert!(err.to_string().contains("already done"), "{err}");
        let err = mark_need_done(&mut person, "3").unwrap_err();
        assert_eq!(kind_of(&err), ErrorKind::NotFound);
        // "n-" is too short to be an id, and "n-" prefixes both.
        person.needs.iter_mut().for_each(|n| n.done = false);
        let err = mark_need_done(&mut person, "n-").unwrap_err();
        assert_eq!(kind_of(&err), ErrorKind::NotFound);
        person.needs[1].id = format!("{}x", &first[..MIN_ACCEPTED]);
        let err = mark_need_done(&mut person, &first[..MIN_ACCEPTED]).unwrap_err();
        assert_eq!(kind_of(&err), ErrorKind::Ambiguous);
    }

    #[test]
    fn introductions_need_two_people_you_know() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        let bob = net.person("Bob", "2026-01-01");
        let cy = net.person("Cy", "2026-01-01");
        net.met(&ann, "2026-02-01");
        net.got(&bob, "2026-02-01", "advice", Kind::Advice);
        let mut ledger = net.ledger;
        let (a, b, c) = (
            ledger.person(&ann).unwrap().clone(),
            ledger.person(&bob).unwrap().clone(),
            ledger.person(&cy).unwrap().clone(),
        );
        assert!(check_intro(&ledger, &a, &b, false).is_ok());
        let err = check_intro(&ledger, &a, &c, false).unwrap_err();
        assert!(
            err.to_string().contains("no logged exchange with Cy"),
            "{err}"
        );
        assert!(check_intro(&ledger, &a, &c, true).is_ok());
        let err = check_intro(&ledger, &a, &a, true).unwrap_err();
        assert_eq!(kind_of(&err), ErrorKind::Usage);

        let before = ledger.entries.len();
        let intro = introduce(
            &mut ledger,
            ("Ann", "Bob"),
            "both in Rust",
            day("2026-03-01"),
            false,
            now(),
        )
        .unwrap();
        assert_eq!(intro.entries.len(), 2);
        assert_eq!(ledger.entries.len(), before + 2);
        let to_bob = ledger.entry(&intro.entries[1]).unwrap();
        assert_eq!(to_bob.person, bob);
        assert_eq!(to_bob.favour().unwrap().what, "intro to Ann: both in Rust");
    }

    #[test]
    fn one_validator_checks_flag_edits_and_editor_records() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        net.person("Bob", "2026-01-01");
        let mut ledger = net.ledger;
        let original = ledger.person(&ann).unwrap().clone();

        // The editor path: a whole record.
        let mut record = original.clone();
        record.org = Some("  ".into());
        record.notes = Some(" met at RustConf ".into());
        record.tags = vec!["Rust".into()];
        let checked = validate_person(&original, record, now()).unwrap();
        assert_eq!(
            (checked.org, checked.notes.as_deref()),
            (None, Some("met at RustConf"))
        );
        assert_eq!(checked.tags, vec!["rust"]);
        assert_eq!(checked.updated, now());
        let unchanged = validate_person(&original, original.clone(), now()).unwrap();
        assert_eq!(unchanged.updated, original.updated);
        for bad in [
            Person {
                id: "p-other".into(),
                ..original.clone()
            },
            Person {
                name: " ".into(),
                ..original.clone()
            },
            Person {
                emails: vec!["nope".into()],
                ..original.clone()
            },
            Person {
                cadence_days: Some(0),
                ..original.clone()
            },
        ] {
            assert!(validate_person(&original, bad, now()).is_err());
        }

        // The flag path: the same rules, through edits.
        let edit = PersonEdit {
            name: Some("Bob".into()),
            emails: vec!["ann@example.org".into(), "+ANN@example.org".into()],
            org: Some("Acme".into()),
            cadence_days: Some(Some(30)),
            ..Default::default()
        };
        let edited = edit_person(&mut ledger, &ann, &edit, now()).unwrap();
        assert_eq!(
            edited,
            Edited {
                name: "Bob".into(),
                shared_name: true
            }
        );
        let person = ledger.person(&ann).unwrap();
        assert_eq!(person.emails, vec!["ann@example.org"]);
        assert_eq!(person.org.as_deref(), Some("Acme"));
        let before = ledger.clone();
        for edit in [
            PersonEdit {
                emails: vec!["nope".into()],
                ..Default::default()
            },
            PersonEdit {
                tags: vec!["-absent".into()],
                ..Default::default()
            },
            PersonEdit {
                cadence_days: Some(Some(0)),
                ..Default::default()
            },
            PersonEdit {
                name: Some("".into()),
                ..Default::default()
            },
        ] {
            let err = edit_person(&mut ledger, &ann, &edit, now()).unwrap_err();
            assert_eq!(kind_of(&err), ErrorKind::Usage, "{err}");
            assert_eq!(ledger, before);
        }
        let clear = PersonEdit {
            org: Some(String::new()),
            ..Default::default()
        };
        edit_person(&mut ledger, &ann, &clear, now()).unwrap();
        assert_eq!(ledger.person(&ann).unwrap().org, None);
        assert!(PersonEdit::default().is_empty());
    }

    #[test]
    fn an_editor_save_is_refused_when_the_record_moved_on() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        let mut ledger = net.ledger;
        let original = ledger.person(&ann).unwrap().clone();
        let edited = Person {
            org: Some("Acme".into()),
            ..original.clone()
        };
        ledger.person_mut(&ann).unwrap().notes = Some("changed elsewhere".into());
        assert!(replace_person(&mut ledger, &original, edited.clone()).is_err());
        ledger.person_mut(&ann).unwrap().notes = None;
        replace_person(&mut ledger, &original, edited).unwrap();
        assert_eq!(ledger.person(&ann).unwrap().org.as_deref(), Some("Acme"));
    }

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
    fn people_are_listed_by_tag_and_search_sorted_by_name() {
        let mut ledger = ledger_with(&[
            ("Zoë Ångström", &["Zo"], &["zoe@example.org"]),
            ("bob Jones", &[], &["bob@jones.dev"]),
            ("Ann Lee", &[], &[]),
        ]);
        ledger.people[0].tags = vec!["rust".into()];
        ledger.people[2].archived = true;
        let names = |filter: &PeopleFilter| -> Vec<String> {
            list_people(&ledger, filter)
                .iter()
                .map(|p| p.name.clone())
                .collect()
        };
        assert_eq!(
            names(&PeopleFilter::default()),
            vec!["bob Jones", "Zoë Ångström"]
        );
        let all = PeopleFilter {
            all: true,
            ..Default::default()
        };
        assert_eq!(names(&all), vec!["Ann Lee", "bob Jones", "Zoë Ångström"]);
        let tag = PeopleFilter {
            tag: Some("RUST"),
            ..Default::default()
        };
        assert_eq!(names(&tag), vec!["Zoë Ångström"]);
        let search = PeopleFilter {
            search: Some("ANGST"),
            ..Default::default()
        };
        assert_eq!(names(&search), vec!["Zoë Ångström"]);
        let search = PeopleFilter {
            search: Some("jones.dev"),
            ..Default::default()
        };
        assert_eq!(names(&search), vec!["bob Jones"]);
    }

    #[test]
    fn logging_with_add_creates_only_unknown_people() {
        let mut ledger = ledger_with(&[("Bob Jones", &[], &[]), ("Bobby Tables", &[], &[])]);
        let bob = find_or_add_person(&mut ledger, "bob jones", Adding::ByHand, now()).unwrap();
        assert_eq!(bob, ledger.people[0].id);
        let err = find_or_add_person(&mut ledger, "Dana", Adding::No, now()).unwrap_err();
        assert_eq!(kind_of(&err), ErrorKind::NotFound);
        let dana = find_or_add_person(&mut ledger, "Dana", Adding::ByHand, now()).unwrap();
        assert_eq!(ledger.person(&dana).unwrap().name, "Dana");
        assert_eq!(ledger.person(&dana).unwrap().source, None);
        let err = find_or_add_person(&mut ledger, "bob", Adding::ByHand, now()).unwrap_err();
        assert_eq!(kind_of(&err), ErrorKind::Ambiguous);
        assert_eq!(ledger.people.len(), 3);
        // Someone new who asks is a requester, marked by their source.
        let kev = find_or_add_person(&mut ledger, "Kevin", Adding::Requester, now()).unwrap();
        assert_eq!(
            ledger.person(&kev).unwrap().source.as_deref(),
            Some(relationship::REQUEST_SOURCE)
        );
    }

    #[test]
    fn a_snooze_ends_after_today() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        net.edit(&ann, |p| p.cadence_days = Some(30));
        let mut ledger = net.ledger;
        let today = day("2026-11-23");
        let until = snooze_person(&mut ledger, &ann, Snooze::Cadence, today, now()).unwrap();
        assert_eq!(until, day("2026-12-23"));
        assert_eq!(ledger.person(&ann).unwrap().snoozed_until, Some(until));
        let until = snooze_person(&mut ledger, &ann, Snooze::Days(7), today, now()).unwrap();
        assert_eq!(until, day("2026-11-30"));
        let before = ledger.clone();
        for span in [
            Snooze::Until(today),
            Snooze::Until(day("2026-01-01")),
            Snooze::Days(0),
        ] {
            let err = snooze_person(&mut ledger, &ann, span, today, now()).unwrap_err();
            assert_eq!(kind_of(&err), ErrorKind::Usage, "{err}");
            assert_eq!(ledger, before);
        }
    }

    #[test]
    fn requests_are_declined_nudged_and_lapsed_only_the_right_way() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        let theirs = net.asked(&ann, "2026-02-01", "a loan", Direction::In, Status::Open);
        let mine = net.asked(&ann, "2026-02-02", "a job", Direction::Out, Status::Open);
        let mut ledger = net.ledger;
        let before = ledger.clone();
        for (id, change) in [
            (&mine, RequestChange::Decline(None)),
            (&theirs, RequestChange::Lapse),
            (&theirs, RequestChange::Nudge(day("2026-03-01"))),
        ] {
            let err = change_request(&mut ledger, id, change, now()).unwrap_err();
            assert!(err.to_string().contains("goes the other way"), "{err}");
            assert!(!crate::error::hints_of(&err).is_empty());
            assert_eq!(ledger, before);
        }
        let nudge = RequestChange::Nudge(day("2026-03-01"));
        change_request(&mut ledger, &mine, nudge.clone(), now()).unwrap();
        change_request(
            &mut ledger,
            &mine,
            RequestChange::Nudge(day("2026-02-20")),
            now(),
        )
        .unwrap();
        let err = change_request(&mut ledger, &mine, nudge, now()).unwrap_err();
        assert!(err.to_string().contains("already noted a nudge"), "{err}");
        let request = ledger.entry(&mine).unwrap().request().unwrap();
        assert_eq!(request.nudges, vec![day("2026-02-20"), day("2026-03-01")]);

        change_request(&mut ledger, &mine, RequestChange::Lapse, now()).unwrap();
        let declined = RequestChange::Decline(Some("no time".into()));
        change_request(&mut ledger, &theirs, declined, now()).unwrap();
        let status = |id: &str| ledger.entry(id).unwrap().request().unwrap().status;
        assert_eq!(
            (status(&mine), status(&theirs)),
            (Status::Lapsed, Status::Declined)
        );
        let err = change_request(&mut ledger, &mine, RequestChange::Lapse, now()).unwrap_err();
        assert!(err.to_string().contains("already lapsed"), "{err}");
    }

    mod props {
        use proptest::prelude::*;

        use super::*;

        fn kinds() -> impl Strategy<Value = Option<Kind>> {
            prop_oneof![
                Just(None),
                Just(Some(Kind::Advice)),
                Just(Some(Kind::Intro)),
                Just(Some(Kind::Money)),
            ]
        }

        fn hows() -> impl Strategy<Value = Option<How>> {
            prop_oneof![Just(None), Just(Some(How::Call)), Just(Some(How::Coffee))]
        }

        fn texts() -> impl Strategy<Value = Option<String>> {
            proptest::option::of(prop_oneof![
                Just(String::new()),
                Just("fine".to_string()),
                Just("two\nlines".to_string()),
                "\\PC{0,12}",
            ])
        }

        proptest! {
            /// An amend either applies, leaving the entry valid, or changes
            /// nothing at all; it never panics.
            #[test]
            fn an_amend_applies_whole_or_not_at_all(
                target in 0usize..3,
                what in texts(),
                note in texts(),
                kind in kinds(),
                how in hows(),
                weight in proptest::option::of(-2i64..8),
            ) {
                let mut net = Net::new();
                let ann = net.person("Ann", "2026-01-01");
                let ids = [
                    net.gave(&ann, "2026-02-01", "a lift", Kind::Other),
                    net.met(&ann, "2026-02-02"),
                    net.asked(&ann, "2026-02-03", "a loan", Direction::In, Status::Open),
                ];
                let mut ledger = net.ledger;
                let before = ledger.clone();
                let change = Amendment { what, date: None, kind, weight, how, note };
                match amend_entry(&mut ledger, &ids[target], change, now()) {
                    Ok(id) => {
                        let entry = ledger.entry(&id).unwrap();
                        if let Some(f) = entry.favour() {
                            prop_assert!((MIN_WEIGHT..=MAX_WEIGHT).contains(&f.weight));
                        }
                        prop_assert_eq!(entry.updated, now());
                    }
                    Err(_) => prop_assert_eq!(&ledger, &before),
                }
            }
        }
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
