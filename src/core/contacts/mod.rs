//! Contact files coming into the ledger.
//!
//! Importing is two pure steps. A parser (`vcard`, `csv`) turns a file's bytes
//! into [`Contact`] records plus the [`Problem`]s of records it could not read,
//! knowing nothing of the ledger; then [`apply_import`] matches each contact to a
//! person by the SPEC rules (email, else profile URL, else — only for a record
//! with neither — exact name) and adds only what is missing, so importing the
//! same file twice changes nothing the second time. Nothing here touches the
//! disk: the shell reads the file and hands over its bytes.
//!
//! Nothing is dropped without a word: a date that cannot be read, a charset
//! kith had to guess, and a record that turned out to be the same person as an
//! earlier record of the same file are all in the [`ImportReport`].

pub mod birthdays;
pub mod csv;
pub mod exchanges;
pub mod ics;
pub mod mail;
pub mod text;
pub mod vcard;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::core::ids::new_id;
use crate::core::model::{LabelledDate, Ledger, PartialDate, Person};
use crate::core::text::{MAX_LABEL_CHARS, MAX_NAME_CHARS, MAX_TEXT_CHARS};

/// One contact as read from a file, before it meets the ledger.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Contact {
    pub name: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub urls: Vec<String>,
    pub org: Option<String>,
    pub notes: Option<String>,
    pub met_on: Option<NaiveDate>,
    pub tags: Vec<String>,
    /// Nicknames (vCard `NICKNAME`), kept as aliases.
    pub aliases: Vec<String>,
    pub how_met: Option<String>,
    pub birthday: Option<PartialDate>,
    /// Anniversaries and other labelled dates.
    pub dates: Vec<LabelledDate>,
    /// What could not be read from the record (say an unreadable birthday):
    /// reported in the summary, never fatal.
    pub warnings: Vec<String>,
    /// The line of the file where the record starts (1-based).
    pub line: usize,
}

impl Contact {
    /// Reads `text` as the birthday, or notes why it could not; `what` names
    /// the field for the warning (`BDAY`, `Birthday`).
    pub fn read_birthday(&mut self, what: &str, text: &str) {
        match birthdays::read(text) {
            birthdays::Read::Date(date) if self.birthday.is_none() => self.birthday = Some(date),
            birthdays::Read::Date(_) | birthdays::Read::Empty => {}
            birthdays::Read::Unreadable => self.warn_unreadable(what, text),
        }
    }

    /// Reads `text` as the date labelled `label`, or notes why it could not.
    pub fn read_date(&mut self, what: &str, label: &str, text: &str) {
        match birthdays::read(text) {
            birthdays::Read::Date(date) => self.add_date(label, date),
            birthdays::Read::Empty => {}
            birthdays::Read::Unreadable => self.warn_unreadable(what, text),
        }
    }

    /// Adds a labelled date unless one with that label is already there.
    pub fn add_date(&mut self, label: &str, date: PartialDate) {
        let label = birthdays::label(label);
        let taken = (self.dates.iter()).any(|d| d.label.to_lowercase() == label.to_lowercase());
        if !label.is_empty() && !taken {
            self.dates.push(LabelledDate::new(label, date));
        }
    }

    pub fn warn_unreadable(&mut self, what: &str, text: &str) {
        let shown = text::clean_line(text.trim(), 40);
        self.warnings.push(format!(
            "{what} `{shown}` is not a date kith can read; left out"
        ));
    }
}

/// A record that could not be read: skipped, counted and reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub line: usize,
    pub reason: String,
}

/// What a parser read from a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub contacts: Vec<Contact>,
    pub problems: Vec<Problem>,
    /// Things to know about the file as a whole (a guessed charset).
    pub notices: Vec<String>,
}

/// A file that cannot be read at all: nothing is imported from it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// Why the file cannot be read.
    pub reason: String,
    /// The next step that may help, shown as a `hint:` line.
    pub hint: Option<String>,
}

impl ParseError {
    pub fn new(reason: impl Into<String>) -> ParseError {
        ParseError {
            reason: reason.into(),
            hint: None,
        }
    }

    /// Adds the next step that may help.
    pub fn hint(mut self, hint: impl Into<String>) -> ParseError {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for ParseError {}

/// Where an import came from; stored as the person's `source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Vcard,
    Linkedin,
    Google,
    Csv,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Vcard => "vcard",
            Source::Linkedin => "linkedin",
            Source::Google => "google",
            Source::Csv => "csv",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Source {
    type Err = String;
    fn from_str(s: &str) -> Result<Source, String> {
        match s {
            "vcard" => Ok(Source::Vcard),
            "linkedin" => Ok(Source::Linkedin),
            "google" => Ok(Source::Google),
            "csv" => Ok(Source::Csv),
            other => Err(format!(
                "unknown import format `{other}` (valid: vcard, linkedin, google, csv)"
            )),
        }
    }
}

/// Parses a file of the given format. `columns` only matters for `csv`.
pub fn parse(
    source: Source,
    bytes: &[u8],
    columns: &[(String, String)],
) -> Result<Parsed, ParseError> {
    match source {
        Source::Vcard => vcard::parse_vcard(bytes),
        Source::Linkedin => csv::parse_linkedin(bytes),
        Source::Google => csv::parse_google(bytes),
        Source::Csv => csv::parse_csv(bytes, columns),
    }
}

/// What happened to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Added,
    Updated,
    Unchanged,
    /// The same person as an earlier record of the same file (they share an
    /// email, a profile URL or, with neither, the name): folded into them.
    Merged,
    Skipped,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Added => "added",
            Action::Updated => "updated",
            Action::Unchanged => "unchanged",
            Action::Merged => "merged",
            Action::Skipped => "skipped",
        }
    }
}

/// One line of the import report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub line: usize,
    pub action: Action,
    /// The person's name (or the record's, for a skip), if any.
    pub name: Option<String>,
    pub id: Option<String>,
    /// What changed, what it matched, or why it was skipped.
    pub detail: String,
    /// What of the record could not be read and was left out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The summary of an import: one outcome per record, in file order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    pub outcomes: Vec<Outcome>,
    /// Control, bidi and invisible characters replaced or dropped from the
    /// text of the records imported.
    pub cleaned: usize,
    /// Things to know about the file as a whole (a guessed charset).
    pub notices: Vec<String>,
}

/// What `kith import --json` prints: the counts and every record's outcome.
#[derive(Debug, Serialize)]
pub struct ImportTally<'a> {
    pub dry_run: bool,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Records that were the same person as an earlier record of the file.
    pub merged: usize,
    pub skipped: usize,
    pub records: &'a [Outcome],
    /// What kith guessed about the whole file (its charset).
    pub notices: &'a [String],
}

impl ImportReport {
    /// The counts of this report, with its records.
    pub fn tally(&self, dry_run: bool) -> ImportTally<'_> {
        ImportTally {
            dry_run,
            added: self.count(Action::Added),
            updated: self.count(Action::Updated),
            unchanged: self.count(Action::Unchanged),
            merged: self.count(Action::Merged),
            skipped: self.count(Action::Skipped),
            records: &self.outcomes,
            notices: &self.notices,
        }
    }

    pub fn count(&self, action: Action) -> usize {
        self.outcomes.iter().filter(|o| o.action == action).count()
    }

    /// "3 added, 1 updated, 0 unchanged, 2 skipped", and ", 2 merged into
    /// another record of the file" when some were.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "{} added, {} updated, {} unchanged, {} skipped",
            self.count(Action::Added),
            self.count(Action::Updated),
            self.count(Action::Unchanged),
            self.count(Action::Skipped)
        );
        let merged = self.count(Action::Merged);
        if merged > 0 {
            text.push_str(&format!(
                ", {merged} merged into another record of the file"
            ));
        }
        match self.cleaned {
            0 => {}
            1 => text.push_str("; 1 control or invisible character cleaned"),
            n => text.push_str(&format!("; {n} control or invisible characters cleaned")),
        }
        text
    }

    /// Every warning and notice, one line each: `line 12: BDAY … left out`,
    /// then the notices about the whole file.
    pub fn warnings(&self) -> Vec<String> {
        let records = self.outcomes.iter().flat_map(|o| {
            o.warnings
                .iter()
                .map(move |w| format!("line {}: {w}", o.line))
        });
        records.chain(self.notices.iter().cloned()).collect()
    }

    /// Adds the parser's notices about the whole file.
    pub fn with_notices(mut self, notices: &[String]) -> ImportReport {
        self.notices.extend(notices.iter().cloned());
        self
    }

    /// Adds the parser's problems as skips and keeps the report in file order.
    pub fn with_problems(mut self, problems: &[Problem]) -> ImportReport {
        self.outcomes.extend(problems.iter().map(|p| Outcome {
            line: p.line,
            action: Action::Skipped,
            name: None,
            id: None,
            detail: p.reason.clone(),
            warnings: Vec::new(),
        }));
        self.outcomes.sort_by_key(|o| o.line);
        self
    }
}

/// Applies parsed contacts to the ledger by the SPEC matching rules.
///
/// People it creates get `source`; every imported person gets `tag`. A contact
/// matching an existing person only adds what that person lacks, so applying
/// the same contacts twice changes nothing the second time.
pub fn apply_import(
    ledger: &mut Ledger,
    contacts: Vec<Contact>,
    source: Source,
    tag: Option<&str>,
    now: DateTime<Utc>,
) -> ImportReport {
    apply_import_with_progress(ledger, contacts, source, tag, now, &mut |_| {})
}

/// [`apply_import`], calling `progress` after each record (for a progress bar).
pub fn apply_import_with_progress(
    ledger: &mut Ledger,
    contacts: Vec<Contact>,
    source: Source,
    tag: Option<&str>,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize),
) -> ImportReport {
    let mut report = ImportReport::default();
    let mut index = Index::of(ledger);
    // The people this import already reached, with the line of the record
    // that reached them first: a later record reaching them again is a merge.
    let mut reached: HashMap<usize, usize> = HashMap::new();
    for (done, contact) in contacts.into_iter().enumerate() {
        progress(done);
        report.cleaned += unclean_count(&contact);
        let contact = clean_contact(contact);
        let line = contact.line;
        let warnings = contact.warnings.clone();
        let Some(name) = contact
            .name
            .clone()
            .or_else(|| contact.emails.first().cloned())
        else {
            report.outcomes.push(Outcome {
                line,
                action: Action::Skipped,
                name: None,
                id: None,
                detail: "no name and no email".into(),
                warnings,
            });
            continue;
        };
        match index.find(&contact, &name) {
            Some((position, why)) => {
                let Some(person) = ledger.people.get_mut(position) else {
                    continue;
                };
                let changes = merge_into(person, &contact, tag);
                index.note(position, person);
                if !changes.is_empty() {
                    person.updated = now;
                }
                let added = if changes.is_empty() {
                    String::new()
                } else {
                    format!("; added {}", changes.join(", "))
                };
                let (action, detail) = match reached.get(&position) {
                    Some(first) => (
                        Action::Merged,
                        format!(
                            "{} merged into {} (line {first}): same {why}{added}",
                            describe(&contact, &name),
                            person.name
                        ),
                    ),
                    None if changes.is_empty() => (Action::Unchanged, format!("same {why}")),
                    None => (Action::Updated, format!("same {why}{added}")),
                };
                reached.entry(position).or_insert(line);
                report.outcomes.push(Outcome {
                    line,
                    action,
                    name: Some(person.name.clone()),
                    id: Some(person.id.clone()),
                    detail,
                    warnings,
                });
            }
            None => {
                let mut person = Person::new(new_id("p"), name.clone(), now);
                person.source = Some(source.as_str().to_string());
                merge_into(&mut person, &contact, tag);
                report.outcomes.push(Outcome {
                    line,
                    action: Action::Added,
                    name: Some(name),
                    id: Some(person.id.clone()),
                    detail: format!("new from {source}"),
                    warnings,
                });
                reached.insert(ledger.people.len(), line);
                index.note(ledger.people.len(), &person);
                ledger.people.push(person);
            }
        }
    }
    report
}

/// "Only FN <test-x@email.com>": a record as the summary names it.
fn describe(contact: &Contact, name: &str) -> String {
    match contact.emails.first() {
        Some(email) if email != name => format!("{name} <{email}>"),
        _ => name.to_string(),
    }
}

/// Where to find a person by email, profile URL and name, so matching a big
/// import against a big ledger stays linear. The first person in ledger
/// order wins a key, as a scan would find them.
#[derive(Default)]
struct Index {
    emails: HashMap<String, usize>,
    urls: HashMap<String, usize>,
    names: HashMap<String, usize>,
}

impl Index {
    fn of(ledger: &Ledger) -> Index {
        let mut index = Index::default();
        for (position, person) in ledger.people.iter().enumerate() {
            index.note(position, person);
        }
        index
    }

    fn note(&mut self, position: usize, person: &Person) {
        for email in &person.emails {
            self.emails.entry(email_key(email)).or_insert(position);
        }
        for url in &person.urls {
            self.urls.entry(normalize_url(url)).or_insert(position);
        }
        self.names.entry(person.name.clone()).or_insert(position);
    }

    /// The person this contact is, and the reason it matched.
    fn find(&self, contact: &Contact, name: &str) -> Option<(usize, &'static str)> {
        let by_email = contact
            .emails
            .iter()
            .filter_map(|e| self.emails.get(&email_key(e)))
            .min();
        if let Some(position) = by_email {
            return Some((*position, "email"));
        }
        let by_url = contact
            .urls
            .iter()
            .filter_map(|u| self.urls.get(&normalize_url(u)))
            .min();
        if let Some(position) = by_url {
            return Some((*position, "profile url"));
        }
        if contact.emails.is_empty() && contact.urls.is_empty() {
            // Two different people may share a name: only a bare name matches a name.
            return self.names.get(name).map(|position| (*position, "name"));
        }
        None
    }
}

/// Emails compare case-insensitively.
fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Adds to `person` what the contact has and the person lacks; names what it added.
fn merge_into(person: &mut Person, contact: &Contact, tag: Option<&str>) -> Vec<&'static str> {
    let mut changes = Vec::new();
    let added_any = |added: bool, what: &'static str, changes: &mut Vec<&'static str>| {
        if added && !changes.contains(&what) {
            changes.push(what);
        }
    };
    for email in &contact.emails {
        let known = person
            .emails
            .iter()
            .any(|e| email_key(e) == email_key(email));
        if !known {
            person.emails.push(email.clone());
        }
        added_any(!known, "email", &mut changes);
    }
    for phone in &contact.phones {
        let known = person
            .phones
            .iter()
            .any(|p| normalize_phone(p) == normalize_phone(phone));
        if !known {
            person.phones.push(phone.clone());
        }
        added_any(!known, "phone", &mut changes);
    }
    for url in &contact.urls {
        let known = person
            .urls
            .iter()
            .any(|u| normalize_url(u) == normalize_url(url));
        if !known {
            person.urls.push(url.clone());
        }
        added_any(!known, "url", &mut changes);
    }
    if person.org.is_none() && contact.org.is_some() {
        person.org = contact.org.clone();
        changes.push("org");
    }
    if let Some(incoming) = &contact.notes {
        // Appended once: a note the person's notes already hold is not added again.
        let notes = match &person.notes {
            None => Some(incoming.clone()),
            Some(notes) if notes.contains(incoming.as_str()) => None,
            Some(notes) => Some(text::clean_text(
                &format!("{notes}\n\n{incoming}"),
                MAX_TEXT_CHARS,
            )),
        };
        if let Some(notes) = notes.filter(|n| Some(n) != person.notes.as_ref()) {
            person.notes = Some(notes);
            changes.push("notes");
        }
    }
    if person.met_on.is_none() && contact.met_on.is_some() {
        person.met_on = contact.met_on;
        changes.push("met_on");
    }
    if person.how_met.is_none() && contact.how_met.is_some() {
        person.how_met = contact.how_met.clone();
        changes.push("how_met");
    }
    for alias in &contact.aliases {
        let known = person.name.to_lowercase() == alias.to_lowercase()
            || person
                .aliases
                .iter()
                .any(|a| a.to_lowercase() == alias.to_lowercase());
        if !known {
            person.aliases.push(alias.clone());
        }
        added_any(!known, "alias", &mut changes);
    }
    if person.birthday.is_none() && contact.birthday.is_some() {
        person.birthday = contact.birthday;
        changes.push("birthday");
    }
    for date in &contact.dates {
        let label = date.label.to_lowercase();
        let known = (person.dates.iter()).any(|d| d.label.to_lowercase() == label);
        if !known {
            person.dates.push(date.clone());
        }
        added_any(!known, "date", &mut changes);
    }
    for new_tag in contact.tags.iter().map(String::as_str).chain(tag) {
        if !person.tags.iter().any(|t| t == new_tag) {
            person.tags.push(new_tag.to_string());
            added_any(true, "tag", &mut changes);
        }
    }
    changes
}

/// Compares profile links regardless of scheme, `www.`, case and a final slash.
fn normalize_url(url: &str) -> String {
    let lower = url.trim().to_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    rest.trim_end_matches('/').to_string()
}

/// Compares phone numbers by their digits and a leading `+`.
fn normalize_phone(phone: &str) -> String {
    phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// How many characters [`clean_contact`] must replace or drop.
fn unclean_count(contact: &Contact) -> usize {
    let lines = contact
        .name
        .iter()
        .chain(&contact.emails)
        .chain(&contact.phones)
        .chain(&contact.urls)
        .chain(&contact.org)
        .chain(&contact.tags);
    lines
        .map(|t| text::unclean_count(t.trim(), false))
        .sum::<usize>()
        + contact
            .notes
            .iter()
            .map(|n| text::unclean_count(n.trim(), true))
            .sum::<usize>()
}

/// Makes a contact fit the ledger's text rules: no control characters (notes
/// keep their newlines), lengths capped, empty values dropped, addresses
/// that are not addresses dropped, duplicates removed.
fn clean_contact(contact: Contact) -> Contact {
    let name = contact
        .name
        .map(|n| {
            text::clean_line(n.trim(), MAX_NAME_CHARS)
                .trim()
                .to_string()
        })
        .filter(|n| !n.is_empty());
    let emails = dedup(
        contact
            .emails
            .iter()
            .map(|e| text::clean_line(e.trim(), MAX_NAME_CHARS))
            .filter(|e| looks_like_email(e)),
        |a, b| email_key(a) == email_key(b),
    );
    let phones = dedup(
        contact
            .phones
            .iter()
            .map(|p| text::clean_line(p.trim(), MAX_NAME_CHARS))
            .filter(|p| p.chars().any(|c| c.is_ascii_digit())),
        |a, b| normalize_phone(a) == normalize_phone(b),
    );
    let urls = dedup(
        contact
            .urls
            .iter()
            .map(|u| text::clean_line(u.trim(), MAX_TEXT_CHARS))
            .filter(|u| !u.is_empty()),
        |a, b| normalize_url(a) == normalize_url(b),
    );
    let tags = dedup(
        contact
            .tags
            .iter()
            .map(|t| tag_of(t))
            .filter(|t| !t.is_empty()),
        |a, b| a == b,
    );
    let aliases = dedup(
        contact
            .aliases
            .iter()
            .map(|a| {
                text::clean_line(a.trim(), MAX_NAME_CHARS)
                    .trim()
                    .to_string()
            })
            .filter(|a| !a.is_empty() && Some(a) != name.as_ref()),
        |a, b| a.to_lowercase() == b.to_lowercase(),
    );
    let mut dates: Vec<LabelledDate> = Vec::new();
    for date in contact.dates {
        let label = text::clean_line(date.label.trim(), MAX_LABEL_CHARS)
            .trim()
            .to_string();
        let taken = (dates.iter()).any(|d| d.label.to_lowercase() == label.to_lowercase());
        if !label.is_empty() && !taken {
            dates.push(LabelledDate::new(label, date.date));
        }
    }
    Contact {
        name,
        emails,
        phones,
        urls,
        org: contact
            .org
            .map(|o| text::clean_line(o.trim(), MAX_NAME_CHARS))
            .filter(|o| !o.is_empty()),
        notes: contact
            .notes
            .map(|n| text::clean_text(n.trim(), MAX_TEXT_CHARS))
            .filter(|n| !n.is_empty()),
        met_on: contact.met_on,
        tags,
        aliases,
        how_met: contact
            .how_met
            .map(|h| text::clean_text(h.trim(), MAX_TEXT_CHARS))
            .filter(|h| !h.is_empty()),
        birthday: contact.birthday,
        dates,
        warnings: contact.warnings,
        line: contact.line,
    }
}

/// Tags are single lowercase words, as `kith add --tag` makes them.
fn tag_of(text: &str) -> String {
    let words: Vec<String> = text::clean_line(text, 50)
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.join("-")
}

fn dedup(items: impl Iterator<Item = String>, same: impl Fn(&str, &str) -> bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.iter().any(|o| same(o, &item)) {
            out.push(item);
        }
    }
    out
}

/// Loose on purpose: one `@` with something on both sides and no spaces.
fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-03-01T10:00:00Z".parse().unwrap()
    }

    fn contact(name: Option<&str>, emails: &[&str], line: usize) -> Contact {
        Contact {
            name: name.map(String::from),
            emails: emails.iter().map(|e| e.to_string()).collect(),
            line,
            ..Contact::default()
        }
    }

    #[test]
    fn reimport_changes_nothing() {
        let mut ledger = Ledger::default();
        let contacts = vec![
            contact(Some("Ann"), &["ann@x.org"], 1),
            contact(Some("Bob"), &[], 5),
            contact(None, &["carol@x.org"], 9),
        ];
        let first = apply_import(
            &mut ledger,
            contacts.clone(),
            Source::Vcard,
            Some("imp"),
            now(),
        );
        assert_eq!(first.count(Action::Added), 3);
        assert_eq!(ledger.people[2].name, "carol@x.org");
        assert_eq!(ledger.people[0].source.as_deref(), Some("vcard"));
        let before = ledger.clone();
        let second = apply_import(&mut ledger, contacts, Source::Vcard, Some("imp"), now());
        assert_eq!(second.count(Action::Unchanged), 3, "{second:?}");
        assert_eq!(ledger, before);
    }

    #[test]
    fn email_match_is_case_insensitive_and_adds_only_missing() {
        let mut ledger = Ledger::default();
        apply_import(
            &mut ledger,
            vec![contact(Some("Ann"), &["Ann@X.org"], 1)],
            Source::Csv,
            None,
            now(),
        );
        let mut again = contact(Some("Ann Other"), &["ann@x.org", "ann@home.org"], 1);
        again.org = Some("Acme".into());
        let report = apply_import(&mut ledger, vec![again], Source::Google, None, now());
        assert_eq!(report.count(Action::Updated), 1);
        assert_eq!(ledger.people.len(), 1);
        let ann = &ledger.people[0];
        assert_eq!(ann.name, "Ann");
        assert_eq!(ann.emails, ["Ann@X.org", "ann@home.org"]);
        assert_eq!(ann.org.as_deref(), Some("Acme"));
        assert_eq!(ann.source.as_deref(), Some("csv"));
    }

    #[test]
    fn same_name_with_different_emails_stays_two_people() {
        let mut ledger = Ledger::default();
        let report = apply_import(
            &mut ledger,
            vec![
                contact(Some("Sam Lee"), &["sam1@x.org"], 1),
                contact(Some("Sam Lee"), &["sam2@x.org"], 2),
            ],
            Source::Csv,
            None,
            now(),
        );
        assert_eq!(report.count(Action::Added), 2);
    }

    #[test]
    fn url_matches_before_name() {
        let mut ledger = Ledger::default();
        let mut first = contact(Some("Alex R"), &[], 1);
        first.urls = vec!["https://www.linkedin.com/in/alex/".into()];
        let mut second = contact(Some("Alex Rohr"), &[], 1);
        second.urls = vec!["http://linkedin.com/in/alex".into()];
        apply_import(&mut ledger, vec![first], Source::Linkedin, None, now());
        let report = apply_import(&mut ledger, vec![second], Source::Linkedin, None, now());
        assert_eq!(report.count(Action::Unchanged), 1);
        assert_eq!(ledger.people.len(), 1);
    }

    #[test]
    fn nameless_emailless_record_is_skipped_with_reason_and_line() {
        let mut ledger = Ledger::default();
        let mut nothing = contact(None, &["not an address"], 7);
        nothing.phones = vec!["+1 555 0100".into()];
        let report = apply_import(&mut ledger, vec![nothing], Source::Vcard, None, now());
        assert_eq!(report.count(Action::Skipped), 1);
        assert_eq!(report.outcomes[0].line, 7);
        assert!(report.outcomes[0].detail.contains("no name"));
        assert!(ledger.people.is_empty());
    }

    #[test]
    fn a_big_import_is_fast_and_idempotent() {
        let contacts: Vec<Contact> = (0..20_000)
            .map(|i| {
                let mut c = contact(Some(&format!("Person {i}")), &[&format!("p{i}@x.org")], i);
                c.urls = vec![format!("https://linkedin.com/in/p{i}")];
                c
            })
            .collect();
        let mut ledger = Ledger::default();
        let started = std::time::Instant::now();
        apply_import(&mut ledger, contacts.clone(), Source::Csv, None, now());
        let report = apply_import(&mut ledger, contacts, Source::Csv, None, now());
        assert_eq!(report.count(Action::Unchanged), 20_000);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn an_incoming_note_is_appended_once() {
        let mut ledger = Ledger::default();
        let mut ann = contact(Some("Ann"), &["ann@x.org"], 1);
        ann.notes = Some("met at RustConf".into());
        apply_import(&mut ledger, vec![ann], Source::Csv, None, now());
        let mut again = contact(Some("Ann"), &["ann@x.org"], 1);
        again.notes = Some("Position: CTO".into());
        let report = apply_import(&mut ledger, vec![again.clone()], Source::Vcard, None, now());
        assert_eq!(report.count(Action::Updated), 1);
        assert_eq!(
            ledger.people[0].notes.as_deref(),
            Some("met at RustConf\n\nPosition: CTO")
        );
        let before = ledger.clone();
        let report = apply_import(&mut ledger, vec![again], Source::Vcard, None, now());
        assert_eq!(report.count(Action::Unchanged), 1);
        assert_eq!(ledger, before);
    }

    #[test]
    fn birthdays_dates_and_aliases_fill_only_what_is_missing() {
        let mut ledger = Ledger::default();
        let mut ann = contact(Some("Ann"), &["ann@x.org"], 1);
        ann.birthday = Some("1980-03-22".parse().unwrap());
        ann.aliases = vec!["Annie".into(), "ann".into()];
        ann.dates = vec![LabelledDate::new("wedding", "2010-06-01".parse().unwrap())];
        ann.warnings = vec!["Anniversary `soon` is not a date kith can read; left out".into()];
        let report = apply_import(&mut ledger, vec![ann], Source::Csv, None, now());
        assert_eq!(
            report.warnings(),
            ["line 1: Anniversary `soon` is not a date kith can read; left out"]
        );
        let mut other = contact(Some("Ann"), &["ann@x.org"], 1);
        other.birthday = Some("--03-23".parse().unwrap());
        other.dates = vec![
            LabelledDate::new("Wedding", "2011-01-01".parse().unwrap()),
            LabelledDate::new("moved to Berlin", "2019-04-01".parse().unwrap()),
        ];
        let report = apply_import(&mut ledger, vec![other], Source::Csv, None, now());
        assert_eq!(report.outcomes[0].detail, "same email; added date");
        let ann = &ledger.people[0];
        assert_eq!(
            ann.birthday.map(|b| b.to_string()).as_deref(),
            Some("1980-03-22")
        );
        assert_eq!(ann.aliases, ["Annie"]);
        let labels: Vec<&str> = ann.dates.iter().map(|d| d.label.as_str()).collect();
        assert_eq!(labels, ["wedding", "moved to Berlin"]);
    }

    /// Everything the vCard export writes, the importer reads back into an
    /// empty ledger as the same values.
    mod vcard_round_trip {
        use proptest::prelude::*;

        use super::super::*;

        fn text(pattern: &'static str) -> impl Strategy<Value = String> {
            proptest::string::string_regex(pattern)
                .unwrap()
                .prop_map(|s| s.trim().to_string())
                .prop_filter("not empty", |s| !s.is_empty())
        }

        fn partial_date() -> impl Strategy<Value = PartialDate> {
            (proptest::option::of(1i32..=9999), 1u32..=12, 1u32..=31)
                .prop_filter_map("a real day", |(y, m, d)| PartialDate::new(y, m, d))
        }

        /// Text with the characters vCard escapes, accents and CJK.
        const WORDS: &str = "[A-Za-z0-9 ,;:\\\\\"'.()éøßÅ安藤ロイド😀-]{1,40}";

        fn person() -> impl Strategy<Value = Person> {
            (
                (
                    text(WORDS),
                    proptest::collection::vec(text(WORDS), 0..3),
                    proptest::collection::btree_set("[a-z0-9]{1,8}", 0..3),
                    proptest::collection::btree_set("[0-9]{3,9}", 0..3),
                    proptest::collection::btree_set("[a-z]{1,8}", 0..3),
                ),
                (
                    proptest::option::of(text(WORDS)),
                    proptest::option::of(text("[A-Za-z0-9 ,;:\\\\\\n\\t.é安-]{1,80}")),
                    proptest::collection::btree_set("[a-z][a-z0-9-]{0,10}", 0..4),
                    proptest::option::of(partial_date()),
                    proptest::collection::vec((text(WORDS), partial_date()), 0..4),
                    proptest::option::of(text(WORDS)),
                    proptest::option::of((1i32..=9999, 1u32..=12, 1u32..=28)),
                ),
            )
                .prop_map(|(a, b)| {
                    let (name, aliases, emails, phones, urls) = a;
                    let (org, notes, tags, birthday, dates, how_met, met_on) = b;
                    let now = "2026-03-01T10:00:00Z".parse().unwrap();
                    let mut person = Person::new("p-1".into(), name, now);
                    person.aliases = aliases;
                    person.emails = emails.iter().map(|e| format!("{e}@example.org")).collect();
                    person.phones = phones.iter().map(|p| format!("+{p}")).collect();
                    person.urls = urls
                        .iter()
                        .map(|u| format!("https://{u}.example"))
                        .collect();
                    person.org = org;
                    person.notes = notes;
                    person.tags = tags.into_iter().collect();
                    person.birthday = birthday;
                    for (label, date) in dates {
                        let taken = (person.dates.iter())
                            .any(|d| d.label.to_lowercase() == label.to_lowercase());
                        if !taken {
                            person.dates.push(LabelledDate::new(label, date));
                        }
                    }
                    person.how_met = how_met;
                    person.met_on = met_on.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
                    person
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]

            #[test]
            fn export_then_import_reproduces_every_field(mut person in person()) {
                // calcard reads list values (NICKNAME) with runs of spaces
                // as one; aliases equal to the name, or to each other, are one name.
                for alias in &mut person.aliases {
                    *alias = alias.split_whitespace().collect::<Vec<_>>().join(" ");
                }
                let mut seen = vec![person.name.to_lowercase()];
                person.aliases.retain(|a| {
                    let fresh = !seen.contains(&a.to_lowercase());
                    seen.push(a.to_lowercase());
                    fresh
                });
                let text = vcard::export_vcard([&person]);
                let parsed = vcard::parse_vcard(text.as_bytes()).unwrap();
                prop_assert!(parsed.problems.is_empty());
                let mut ledger = Ledger::default();
                let now = "2026-04-01T10:00:00Z".parse().unwrap();
                let report = apply_import(&mut ledger, parsed.contacts, Source::Vcard, None, now);
                prop_assert_eq!(report.count(Action::Added), 1, "{}", text);
                let back = &ledger.people[0];
                prop_assert_eq!(&back.name, &person.name, "{}", text);
                prop_assert_eq!(&back.aliases, &person.aliases, "{}", text);
                prop_assert_eq!(&back.emails, &person.emails);
                prop_assert_eq!(&back.phones, &person.phones);
                prop_assert_eq!(&back.urls, &person.urls);
                prop_assert_eq!(&back.org, &person.org, "{}", text);
                prop_assert_eq!(&back.notes, &person.notes, "{}", text);
                prop_assert_eq!(&back.tags, &person.tags);
                prop_assert_eq!(back.birthday, person.birthday, "{}", text);
                prop_assert_eq!(&back.dates, &person.dates, "{}", text);
                prop_assert_eq!(&back.how_met, &person.how_met, "{}", text);
                prop_assert_eq!(back.met_on, person.met_on);
            }
        }
    }

    #[test]
    fn control_characters_and_long_names_are_cleaned() {
        let mut ledger = Ledger::default();
        let long = "x".repeat(500);
        apply_import(
            &mut ledger,
            vec![
                contact(Some("A\u{7}nn\u{0}"), &[], 1),
                contact(Some(&long), &[], 2),
            ],
            Source::Csv,
            None,
            now(),
        );
        assert_eq!(ledger.people[0].name, "A nn");
        assert_eq!(ledger.people[1].name.chars().count(), MAX_NAME_CHARS);
    }

    #[test]
    fn bidi_and_invisible_characters_are_dropped_and_counted() {
        let mut ledger = Ledger::default();
        let mut spoof = contact(Some("Al\u{202E}ecila\u{202C}"), &["z\u{200B}@x.org"], 1);
        spoof.notes = Some("line\u{2028}one\nline two\u{1b}[2J".into());
        let report = apply_import(&mut ledger, vec![spoof], Source::Vcard, None, now());
        let person = &ledger.people[0];
        assert_eq!(person.name, "Alecila");
        assert_eq!(person.emails, ["z@x.org"]);
        assert_eq!(person.notes.as_deref(), Some("lineone\nline two [2J"));
        assert_eq!(report.cleaned, 5);
        assert!(
            report
                .summary()
                .ends_with("; 5 control or invisible characters cleaned"),
            "{}",
            report.summary()
        );
    }
}

#[cfg(test)]
mod no_panic_tests;
