//! Balance, standing and observations for one person: pure functions of the
//! ledger and a given `today`.
//!
//! The balance follows SPEC "Reciprocity": `given` and `received` count and sum
//! the weights of `gave` and `got` entries, `net = given.weight - received.weight`,
//! and the last exchange is the latest `gave`, `got` or `met` (a bare request is
//! not an exchange). Lifetime history always counts; the last 365 days are shown
//! beside it.
//!
//! On top of the balance sit the [`Standing`] (the SPEC's rules, first match
//! wins), the observations (plain facts about how a relationship has gone, kind
//! in their words) and [`Check`], everything `kith check` and `show` say about one
//! person, known or not. Nothing here reads the clock: `today` is a parameter.

use std::collections::HashMap;
use std::fmt;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::core::facts::{Brief, Fact};
use crate::core::followup::{self, Followup, FollowupAction};
use crate::core::index::{Index, Rec};
use crate::core::model::{
    Direction, Entry, Flag, Kind, LabelledDate, Ledger, PartialDate, Person, Settings, Status,
};
use crate::core::relationship::{self, Tie};

/// How many favours went one way, and their summed weight.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub count: u32,
    pub weight: u32,
}

impl Tally {
    fn add(&mut self, weight: u8) {
        self.count += 1;
        self.weight += u32::from(weight);
    }
}

/// The reciprocity balance with one person over some span of time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub given: Tally,
    pub received: Tally,
    /// Positive: you gave more than you received.
    pub net: i64,
    pub last_exchange: Option<NaiveDate>,
}

impl Balance {
    /// The balance over `entries` (all about one person), counting only those
    /// dated on or after `since` when it is given.
    pub fn of<'a, F: Fact<'a>>(
        entries: impl IntoIterator<Item = F>,
        since: Option<NaiveDate>,
    ) -> Balance {
        let mut balance = Balance::default();
        for entry in entries {
            let date = entry.date();
            if since.is_none_or(|since| date >= since) {
                balance.count(date, entry.brief());
            }
        }
        balance
    }

    /// Counts one more entry about the same person (requests count for
    /// nothing); `net` stays current, so a register can read a running net.
    pub fn add<'a>(&mut self, entry: impl Fact<'a>) {
        self.count(entry.date(), entry.brief());
    }

    /// [`Balance::add`] from what the entry records and its date.
    pub fn count(&mut self, date: NaiveDate, brief: Brief) {
        if self.tally(brief) {
            self.last_exchange = self.last_exchange.max(Some(date));
        }
    }

    /// Counts the favours of `brief`, not its day: whether it was an
    /// exchange, whose day the caller keeps for the last exchange.
    pub fn tally(&mut self, brief: Brief) -> bool {
        match brief {
            Brief::Gave { weight, .. } => self.given.add(weight),
            Brief::Got { weight, .. } => self.received.add(weight),
            Brief::Met { .. } => {}
            Brief::Ask { .. } => return false,
        }
        self.net = i64::from(self.given.weight) - i64::from(self.received.weight);
        true
    }
}

/// The first day of the "last 365 days" window ending on `today`.
pub fn year_start(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_days(Days::new(364))
        .unwrap_or(NaiveDate::MIN)
}

pub use crate::core::dates::days_between;

/// The contact cadence in force for a person: their own, else the smallest
/// `tag_cadence` over their tags, else the setting. Never zero.
pub fn cadence_days(settings: &Settings, person: &Person) -> u32 {
    person
        .cadence_days
        .or_else(|| {
            settings
                .tag_cadence
                .iter()
                .filter(|(tag, _)| person.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
                .map(|(_, days)| *days)
                .min()
        })
        .unwrap_or(settings.cadence_days)
        .max(1)
}

/// Where a relationship stands. The variants are in the SPEC's order: the first
/// rule that matches decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// You flagged them: the private "stop helping" list.
    Flagged,
    /// No such person in the ledger.
    Unknown,
    /// They asked you at least twice and never gave you anything.
    OneWay,
    /// They gave more than you did.
    YouOwe,
    /// Favours went both ways and you are even or ahead.
    Reciprocal,
    /// You gave; nothing came back yet.
    Giving,
    /// No favours either way.
    New,
}

impl Standing {
    pub const ALL: [Standing; 7] = [
        Standing::Flagged,
        Standing::Unknown,
        Standing::OneWay,
        Standing::YouOwe,
        Standing::Reciprocal,
        Standing::Giving,
        Standing::New,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Flagged => "flagged",
            Standing::Unknown => "unknown",
            Standing::OneWay => "one-way",
            Standing::YouOwe => "you-owe",
            Standing::Reciprocal => "reciprocal",
            Standing::Giving => "giving",
            Standing::New => "new",
        }
    }

    /// The standing from a known person's facts, by the SPEC's rules in order.
    pub fn from_facts(flagged: bool, balance: &Balance, requests_in: u32) -> Standing {
        if flagged {
            Standing::Flagged
        } else if requests_in >= 2 && balance.received.count == 0 {
            Standing::OneWay
        } else if balance.net < 0 {
            Standing::YouOwe
        } else if balance.given.count > 0 && balance.received.count > 0 {
            Standing::Reciprocal
        } else if balance.given.count > 0 {
            Standing::Giving
        } else {
            Standing::New
        }
    }
}

impl fmt::Display for Standing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many requests went one way, and how they ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCounts {
    pub total: u32,
    pub open: u32,
    pub granted: u32,
    pub declined: u32,
    pub lapsed: u32,
}

impl RequestCounts {
    fn add(&mut self, status: Status) {
        self.total += 1;
        match status {
            Status::Open => self.open += 1,
            Status::Granted => self.granted += 1,
            Status::Declined => self.declined += 1,
            Status::Lapsed => self.lapsed += 1,
        }
    }
}

/// Requests in both directions with one person.
pub fn request_counts<'a, F: Fact<'a>>(
    entries: impl IntoIterator<Item = F>,
) -> (RequestCounts, RequestCounts) {
    let mut incoming = RequestCounts::default();
    let mut outgoing = RequestCounts::default();
    for entry in entries {
        match entry.brief() {
            Brief::Ask {
                direction: Direction::In,
                status,
            } => incoming.add(status),
            Brief::Ask {
                direction: Direction::Out,
                status,
            } => outgoing.add(status),
            _ => {}
        }
    }
    (incoming, outgoing)
}

/// The standing of a person of the ledger.
pub fn standing(ledger: &Ledger, person: &Person) -> Standing {
    standing_of(ledger.entries_of(&person.id), person)
}

/// [`standing`] from the person's entries (from an [`Index`] in loops over
/// everyone, where scanning the ledger per person is quadratic).
pub fn standing_of<'a, F: Fact<'a>>(
    entries: impl IntoIterator<Item = F>,
    person: &Person,
) -> Standing {
    let entries: Vec<F> = entries.into_iter().collect();
    let balance = Balance::of(entries.iter().copied(), None);
    let (incoming, _) = request_counts(entries.iter().copied());
    Standing::from_facts(person.flag.is_some(), &balance, incoming.total)
}

/// A favour's kind in words that fit "sent you …".
pub fn kind_phrase(kind: Kind) -> &'static str {
    match kind {
        Kind::Advice => "advice",
        Kind::Help => "help",
        Kind::Gift => "a gift",
        Kind::Intro => "an intro",
        Kind::Recommendation => "a recommendation",
        Kind::Referral => "a referral",
        Kind::JobLead => "a job lead",
        Kind::Opportunity => "an opportunity",
        Kind::Money => "money",
        Kind::Other => "a favour",
    }
}

/// A favour in words that fit "sent you …": "a client referral" when the
/// text names the favour itself, else the kind with the text quoted ("a
/// referral (“introduced me to two clients”)").
pub fn favour_phrase(kind: Kind, what: &str) -> String {
    let what = what.trim();
    let lower = what.to_lowercase();
    let nouns: &[&str] = match kind {
        Kind::Advice => &["advice"],
        Kind::Help => &["help"],
        Kind::Gift => &["gift", "present"],
        Kind::Intro => &["intro", "introduction"],
        Kind::Recommendation => &["recommendation"],
        Kind::Referral => &["referral"],
        Kind::JobLead => &["job lead", "lead"],
        Kind::Opportunity => &["opportunity"],
        Kind::Money => &["money", "loan"],
        Kind::Other => &[],
    };
    let names_itself = nouns.iter().any(|noun| {
        lower
            .strip_suffix(noun)
            .is_some_and(|head| head.is_empty() || head.ends_with(' '))
    });
    if !names_itself {
        return format!("{} (“{what}”)", kind_phrase(kind));
    }
    let uncountable = matches!(kind, Kind::Advice | Kind::Help | Kind::Money);
    let determined = [
        "a ", "an ", "the ", "my ", "his ", "her ", "their ", "your ", "some ",
    ]
    .iter()
    .any(|d| lower.starts_with(d))
        || lower.starts_with(|c: char| c.is_ascii_digit());
    if uncountable || determined {
        what.to_string()
    } else if lower.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {what}")
    } else {
        format!("a {what}")
    }
}

/// A count of favours with its weight, so the two numbers never stand bare
/// side by side: "2 favours (weight 4)", "no favours".
pub fn favours(tally: Tally) -> String {
    match tally.count {
        0 => "no favours".to_string(),
        n => format!("{} (weight {})", plural(n, "favour"), tally.weight),
    }
}

/// The given/received/net of a window of time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub given: Tally,
    pub received: Tally,
    pub net: i64,
}

impl From<Balance> for Window {
    fn from(b: Balance) -> Window {
        Window {
            given: b.given,
            received: b.received,
            net: b.net,
        }
    }
}

/// One request with a person, as `check` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestLine {
    pub id: String,
    pub date: NaiveDate,
    pub direction: Direction,
    pub what: String,
    pub status: Status,
    pub nudges: Vec<NaiveDate>,
    /// The date of the favour that answered it, when one is logged.
    pub answered_on: Option<NaiveDate>,
}

/// One favour with a person, as `check` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FavourLine {
    pub id: String,
    pub date: NaiveDate,
    /// `gave` or `got`.
    #[serde(rename = "type")]
    pub entry_type: crate::core::model::EntryType,
    pub what: String,
    pub kind: Kind,
    pub weight: u8,
}

/// Everything `kith check` says about a name, known or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub known: bool,
    pub id: Option<String>,
    pub standing: Standing,
    /// One sentence: the answer to "should I help them?", in facts.
    pub verdict: String,
    pub given: Tally,
    pub received: Tally,
    pub net: i64,
    /// The same sums over the last 365 days.
    pub last_365: Window,
    pub requests_in: RequestCounts,
    pub requests_out: RequestCounts,
    pub last_exchange: Option<NaiveDate>,
    pub days_since_exchange: Option<i64>,
    /// The earliest of `met_on` and the first entry.
    pub first_contact: Option<NaiveDate>,
    pub cadence_days: Option<u32>,
    pub birthday: Option<PartialDate>,
    pub dates: Vec<LabelledDate>,
    pub flag: Option<Flag>,
    /// Whether they are a relationship (else a contact: imported, or only
    /// ever asked you for something).
    pub relationship: bool,
    /// Your unanswered request to them that calls for a follow-up, as
    /// `kith followups` says it.
    pub followup: Option<Followup>,
    pub observations: Vec<String>,
    pub requests: Vec<RequestLine>,
    pub favours: Vec<FavourLine>,
}

impl Check {
    /// The check of a name that matches nobody: a stranger asking.
    pub fn unknown(name: &str) -> Check {
        Check {
            name: name.to_string(),
            known: false,
            id: None,
            standing: Standing::Unknown,
            verdict: format!(
                "No history with {name}: you have never logged anything together, so this is a stranger asking."
            ),
            given: Tally::default(),
            received: Tally::default(),
            net: 0,
            last_365: Window::default(),
            requests_in: RequestCounts::default(),
            requests_out: RequestCounts::default(),
            last_exchange: None,
            days_since_exchange: None,
            first_contact: None,
            cadence_days: None,
            birthday: None,
            dates: Vec::new(),
            flag: None,
            relationship: false,
            followup: None,
            observations: Vec::new(),
            requests: Vec::new(),
            favours: Vec::new(),
        }
    }

    /// The check of a person of the ledger, as of `today`.
    pub fn of(ledger: &Ledger, person: &Person, today: NaiveDate) -> Check {
        Check::of_index(&Index::new(ledger), person, today)
    }

    /// [`Check::of`] over an index.
    pub fn of_index(index: &Index, person: &Person, today: NaiveDate) -> Check {
        let settings = index.settings();
        let entries: Vec<Rec> = index.entries_of(&person.id).collect();
        let balance = Balance::of(entries.iter().copied(), None);
        let recent = Balance::of(entries.iter().copied(), Some(year_start(today)));
        let (requests_in, requests_out) = request_counts(entries.iter().copied());
        let standing = Standing::from_facts(person.flag.is_some(), &balance, requests_in.total);
        let first_entry = entries.iter().map(|e| e.date()).min();
        let first_contact = match (person.met_on, first_entry) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let answered = answered_on(entries.iter().copied());
        let requests = entries
            .iter()
            .filter_map(|e| {
                let r = e.request()?;
                let answered_on = answered.get(e.id()).copied();
                Some(RequestLine {
                    id: e.id().to_string(),
                    date: e.date(),
                    direction: r.direction,
                    what: r.what.to_string(),
                    status: r.status,
                    nudges: r.nudges.to_vec(),
                    answered_on,
                })
            })
            .collect();
        let favours = entries
            .iter()
            .filter_map(|e| {
                let f = e.favour()?;
                Some(FavourLine {
                    id: e.id().to_string(),
                    date: e.date(),
                    entry_type: e.entry_type(),
                    what: f.what.to_string(),
                    kind: f.kind,
                    weight: f.weight,
                })
            })
            .collect();
        let cadence = cadence_days(settings, person);
        let tie = relationship::tie(person, entries.iter().copied());
        let followup = followup::for_person(
            person,
            entries.iter().copied(),
            settings.followup_days,
            today,
        );
        let mut verdict = verdict(
            person,
            standing,
            &balance,
            &requests_in,
            tie,
            followup.as_ref(),
        );
        if let Some(f) = &followup {
            let short = index.short_entry_id(&f.request);
            verdict.push(' ');
            verdict.push_str(&followup::check_sentence(f, &short));
        }
        Check {
            name: person.name.clone(),
            known: true,
            id: Some(person.id.clone()),
            standing,
            verdict,
            given: balance.given,
            received: balance.received,
            net: balance.net,
            last_365: recent.into(),
            requests_in,
            requests_out,
            last_exchange: balance.last_exchange,
            days_since_exchange: balance.last_exchange.map(|d| days_between(d, today)),
            first_contact,
            cadence_days: Some(cadence),
            birthday: person.birthday,
            dates: person.dates.clone(),
            flag: person.flag.clone(),
            relationship: tie.is_relationship(),
            followup,
            observations: observations_in(&entries, settings, person, today),
            requests,
            favours,
        }
    }
}

/// The day each request was first answered: the earliest favour among
/// `entries` whose `resolves` names it, keyed by the request's id. Built in one
/// pass: a search per request was quadratic on a long history (80 s for a
/// report on a 200,000-entry ledger).
pub fn answered_on<'a, F: Fact<'a>>(
    entries: impl IntoIterator<Item = F>,
) -> HashMap<&'a str, NaiveDate> {
    let mut answered: HashMap<&str, NaiveDate> = HashMap::new();
    for entry in entries {
        if !matches!(entry.brief(), Brief::Gave { .. } | Brief::Got { .. }) {
            continue;
        }
        if let Some(id) = entry.resolves() {
            let date = entry.date();
            answered
                .entry(id)
                .and_modify(|d| *d = (*d).min(date))
                .or_insert(date);
        }
    }
    answered
}

/// The answer `check` opens with, in facts and kind words.
fn verdict(
    person: &Person,
    standing: Standing,
    balance: &Balance,
    incoming: &RequestCounts,
    tie: Tie,
    followup: Option<&Followup>,
) -> String {
    let name = &person.name;
    let letting_go = followup.is_some_and(|f| f.action == FollowupAction::LetGo);
    match standing {
        Standing::Flagged => match person.flag.as_ref() {
            Some(Flag {
                date,
                reason: Some(reason),
                ..
            }) => format!("You decided on {date} to stop helping {name} ({reason})."),
            Some(flag) => format!("You decided on {} to stop helping {name}.", flag.date),
            None => format!("You decided to stop helping {name}."),
        },
        Standing::Unknown => format!("No history with {name}."),
        Standing::OneWay => format!(
            "{name} has asked you for help {} times and has not given anything back yet.",
            incoming.total
        ),
        Standing::YouOwe => format!(
            "{name} has given you more than you have given back so far: {} from {name}, {} from you. Returning the kindness comes first.",
            favours(balance.received),
            favours(balance.given)
        ),
        Standing::Reciprocal => format!(
            "Favours go both ways with {name}: you gave {}, {name} gave {}.",
            favours(balance.given),
            favours(balance.received)
        ),
        Standing::Giving if letting_go => format!(
            "You have helped {name} with {} so far, and nothing has come back.",
            favours(balance.given)
        ),
        Standing::Giving => format!(
            "You have helped {name} with {} so far; nothing has come back yet, and that is fine.",
            favours(balance.given)
        ),
        Standing::New => match tie {
            Tie::Requester => format!(
                "Nothing exchanged with {name} yet: the only history is {} they made of you.",
                plural(incoming.total, "request")
            ),
            Tie::Imported => match &person.source {
                Some(source) => format!(
                    "{name} came in with an import ({source}); nothing logged together yet."
                ),
                None => format!("Nothing logged with {name} yet."),
            },
            Tie::Relationship => format!("No favours either way with {name} yet."),
        },
    }
}

/// "1 favour", "3 favours".
pub fn plural(count: u32, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// How long without an exchange before a request counts as "out of the blue".
pub const SILENCE_DAYS: i64 = 180;

/// Plain facts about how the relationship has gone, kind in their words.
pub fn observations(ledger: &Ledger, person: &Person, today: NaiveDate) -> Vec<String> {
    let entries: Vec<&Entry> = ledger.entries_of(&person.id).collect();
    observations_in(&entries, &ledger.settings, person, today)
}

/// [`observations`] from the person's `entries`.
pub fn observations_in<'a, F: Fact<'a>>(
    entries: &[F],
    settings: &Settings,
    person: &Person,
    today: NaiveDate,
) -> Vec<String> {
    let exchange_dates: Vec<NaiveDate> = entries
        .iter()
        .filter(|e| e.is_exchange())
        .map(|e| e.date())
        .collect();
    let mut notes = Vec::new();

    for entry in entries {
        let Some(request) = entry.request() else {
            continue;
        };
        if request.direction != Direction::In {
            continue;
        }
        let date = entry.date();
        let last_before = exchange_dates.iter().filter(|d| **d < date).max();
        let silence_since = last_before.copied().or(person.met_on);
        match silence_since {
            Some(since) if days_between(since, date) > SILENCE_DAYS => notes.push(format!(
                "asked for “{}” on {} after {} months of silence",
                request.what,
                date,
                days_between(since, date) / 30
            )),
            None => notes.push(format!(
                "asked for “{}” on {} with no exchange before it",
                request.what, date
            )),
            Some(_) => {}
        }
    }

    let (incoming, outgoing) = request_counts(entries.iter().copied());
    let from_them = entries
        .iter()
        .filter(|e| matches!(e.brief(), Brief::Got { .. } | Brief::Met { .. }))
        .count();
    if incoming.total >= 2 && from_them == 0 {
        notes.push(format!(
            "never asked about you: all {} contacts were requests",
            incoming.total
        ));
    }
    if incoming.total > 0 && incoming.granted > 0 {
        notes.push(format!(
            "you said yes to {} of their {}",
            incoming.granted,
            plural(incoming.total, "request")
        ));
    }

    for entry in entries {
        let Some(request) = entry.request() else {
            continue;
        };
        if request.direction != Direction::Out {
            continue;
        }
        if let Some(last) = request.nudges.iter().max() {
            notes.push(format!(
                "you already reached out again on {last} about “{}”",
                request.what
            ));
        }
        if request.status == Status::Lapsed {
            notes.push(format!(
                "your request “{}” of {} went unanswered",
                request.what,
                entry.date()
            ));
        }
    }
    if outgoing.granted > 0 {
        notes.push(format!(
            "they said yes to {} of your {}",
            outgoing.granted,
            plural(outgoing.total, "request")
        ));
    }

    // No keep-in-touch nudge for someone kith tells you to let be: flagged,
    // archived, one-way, or a contact rather than a relationship.
    let balance = Balance::of(entries.iter().copied(), None);
    let keeps_in_touch = person.flag.is_none()
        && !person.archived
        && Standing::from_facts(false, &balance, incoming.total) != Standing::OneWay
        && relationship::tie(person, entries.iter().copied()).is_relationship();
    if let Some(last) = exchange_dates.iter().max().filter(|_| keeps_in_touch) {
        let quiet = days_between(*last, today);
        let cadence = i64::from(cadence_days(settings, person));
        if quiet > cadence {
            notes.push(format!(
                "{quiet} days since your last exchange — you aim for every {cadence}"
            ));
        }
    }
    if let Some(until) = person.snoozed_until.filter(|d| *d > today) {
        notes.push(format!("snoozed until {until}"));
    }
    if person.archived {
        notes.push("archived: kept out of lists and reminders".to_string());
    }
    notes
}

/// How `balance` sorts its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BalanceSort {
    /// Most owed first (net ascending): repaying comes first.
    #[default]
    Net,
    Name,
    /// Most recent exchange first.
    Last,
    Given,
    Received,
}

impl std::str::FromStr for BalanceSort {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "net" => Ok(BalanceSort::Net),
            "name" => Ok(BalanceSort::Name),
            "last" => Ok(BalanceSort::Last),
            "given" => Ok(BalanceSort::Given),
            "received" => Ok(BalanceSort::Received),
            _ => Err(format!(
                "unknown sort `{s}` (valid: net, name, last, given, received)"
            )),
        }
    }
}

/// One row of `kith balance`. The name and id are borrowed from the
/// ledger: a million-entry ledger has 50,000 rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BalanceRow<'a> {
    pub name: &'a str,
    pub id: &'a str,
    pub given: Tally,
    pub received: Tally,
    pub net: i64,
    pub last_365: Window,
    pub last_exchange: Option<NaiveDate>,
    pub days_since_exchange: Option<i64>,
    pub standing: Standing,
    pub archived: bool,
    /// Whether they are a relationship (else a contact, listed only with `--all`).
    pub relationship: bool,
}

/// The `balance` table: one row a person, filtered by tag, archived people
/// and contacts only with `all`, sorted by `sort` (ties by name, then id).
pub fn balance_rows<'a>(
    ledger: &'a Ledger,
    today: NaiveDate,
    tag: Option<&str>,
    all: bool,
    sort: BalanceSort,
) -> Vec<BalanceRow<'a>> {
    balance_rows_of(&Index::new(ledger), today, tag, all, sort)
}

/// [`balance_rows`] over an index.
pub fn balance_rows_of<'a>(
    index: &Index<'a>,
    today: NaiveDate,
    tag: Option<&str>,
    all: bool,
    sort: BalanceSort,
) -> Vec<BalanceRow<'a>> {
    let since_day = year_start(today).num_days_from_ce();
    let rows: Vec<BalanceRow<'a>> = index
        .people()
        .iter()
        .filter(|p| all || !p.archived)
        .filter(|p| tag.is_none_or(|tag| p.tags.iter().any(|t| t.eq_ignore_ascii_case(tag))))
        .map(|p| (p, relationship::tie(p, index.entries_of(&p.id))))
        .filter(|(_, tie)| all || tie.is_relationship())
        .map(|(p, tie)| {
            // One pass over the person's entries for all three figures.
            // Day numbers, not dates: only the last exchange becomes a date.
            let mut balance = Balance::default();
            let mut recent = Balance::default();
            let mut last_day = None;
            let mut asked_in = 0;
            for e in index.entries_of(&p.id) {
                let (day, brief) = (e.day(), e.brief());
                if balance.tally(brief) {
                    last_day = last_day.max(Some(day));
                }
                if day >= since_day {
                    recent.tally(brief);
                }
                if let Brief::Ask {
                    direction: Direction::In,
                    ..
                } = brief
                {
                    asked_in += 1;
                }
            }
            balance.last_exchange = last_day.and_then(NaiveDate::from_num_days_from_ce_opt);
            BalanceRow {
                name: &p.name,
                id: &p.id,
                given: balance.given,
                received: balance.received,
                net: balance.net,
                last_365: recent.into(),
                last_exchange: balance.last_exchange,
                days_since_exchange: balance.last_exchange.map(|d| days_between(d, today)),
                standing: Standing::from_facts(p.flag.is_some(), &balance, asked_in),
                archived: p.archived,
                relationship: tie.is_relationship(),
            }
        })
        .collect();
    // Each name lowercased once, not twice per comparison.
    let mut keyed: Vec<(String, BalanceRow<'a>)> = rows
        .into_iter()
        .map(|r| (r.name.to_lowercase(), r))
        .collect();
    keyed.sort_by(|(name_a, a), (name_b, b)| {
        let by_key = match sort {
            BalanceSort::Net => a.net.cmp(&b.net),
            BalanceSort::Name => std::cmp::Ordering::Equal,
            BalanceSort::Last => b.last_exchange.cmp(&a.last_exchange),
            BalanceSort::Given => b.given.weight.cmp(&a.given.weight),
            BalanceSort::Received => b.received.weight.cmp(&a.received.weight),
        };
        by_key
            .then_with(|| name_a.cmp(name_b))
            .then_with(|| a.id.cmp(b.id))
    });
    keyed.into_iter().map(|(_, row)| row).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Detail, Favour, How, Kind, Meeting};
    use chrono::Utc;

    fn entry(date: &str, detail: Detail) -> Entry {
        Entry {
            source_id: None,
            id: "e".into(),
            person: "p".into(),
            date: date.parse().unwrap(),
            recorded: Utc::now(),
            updated: Utc::now(),
            detail,
            extra: Default::default(),
        }
    }

    fn favour(weight: u8) -> Favour {
        Favour {
            what: "x".into(),
            kind: Kind::Help,
            weight,
            resolves: None,
        }
    }

    #[test]
    fn favours_read_as_words() {
        assert_eq!(
            favour_phrase(Kind::Referral, "client referral"),
            "a client referral"
        );
        assert_eq!(favour_phrase(Kind::Intro, "intro"), "an intro");
        assert_eq!(
            favour_phrase(Kind::Advice, "career advice"),
            "career advice"
        );
        assert_eq!(
            favour_phrase(Kind::Referral, "introduced me to two clients"),
            "a referral (“introduced me to two clients”)"
        );
        assert_eq!(favour_phrase(Kind::Gift, "the gift"), "the gift");
        assert_eq!(favours(Tally::default()), "no favours");
        assert_eq!(
            favours(Tally {
                count: 2,
                weight: 4
            }),
            "2 favours (weight 4)"
        );
    }

    #[test]
    fn balance_sums_weights_and_tracks_last_exchange() {
        let entries = [
            entry("2025-01-01", Detail::Gave(favour(3))),
            entry("2025-06-01", Detail::Got(favour(4))),
            entry(
                "2026-02-01",
                Detail::Met(Meeting {
                    how: How::Coffee,
                    note: None,
                }),
            ),
        ];
        let all = Balance::of(&entries, None);
        assert_eq!(
            all.given,
            Tally {
                count: 1,
                weight: 3
            }
        );
        assert_eq!(
            all.received,
            Tally {
                count: 1,
                weight: 4
            }
        );
        assert_eq!(all.net, -1);
        assert_eq!(all.last_exchange, "2026-02-01".parse().ok());
        let recent = Balance::of(&entries, Some("2025-03-01".parse().unwrap()));
        assert_eq!(recent.given.count, 0);
        assert_eq!(recent.net, -4);
    }

    mod standing_and_check {
        use super::super::*;
        use crate::core::model::{Direction, Kind, Status};
        use crate::core::testkit::{Net, day};

        const TODAY: &str = "2026-11-21";

        #[test]
        fn standings_follow_the_spec_rules_in_order() {
            let mut net = Net::new();
            let flagged = net.person("Fay", "2025-01-01");
            net.gave(&flagged, "2025-02-01", "intro", Kind::Intro);
            net.flag(&flagged, "2026-01-01");
            let one_way = net.person("Oscar", "2025-01-01");
            net.asked(
                &one_way,
                "2025-03-01",
                "a job",
                Direction::In,
                Status::Granted,
            );
            net.asked(
                &one_way,
                "2025-09-01",
                "a loan",
                Direction::In,
                Status::Open,
            );
            net.gave(&one_way, "2025-03-05", "referral", Kind::Referral);
            let owe = net.person("Judy", "2025-01-01");
            net.got(&owe, "2026-11-01", "client", Kind::Referral);
            let even = net.person("Rae", "2025-01-01");
            net.gave(&even, "2026-01-01", "intro", Kind::Intro);
            net.got(&even, "2026-02-01", "tip", Kind::Help);
            let giving = net.person("Gil", "2025-01-01");
            net.gave(&giving, "2026-01-01", "advice", Kind::Advice);
            let new = net.person("Nia", "2025-01-01");
            net.met(&new, "2026-01-01");
            let ledger = &net.ledger;
            let of = |id: &str| standing(ledger, ledger.person(id).unwrap());
            assert_eq!(of(&flagged), Standing::Flagged);
            assert_eq!(of(&one_way), Standing::OneWay);
            assert_eq!(of(&owe), Standing::YouOwe);
            assert_eq!(of(&even), Standing::Reciprocal);
            assert_eq!(of(&giving), Standing::Giving);
            assert_eq!(of(&new), Standing::New);
            assert_eq!(Check::unknown("Zed").standing, Standing::Unknown);
        }

        #[test]
        fn one_request_or_one_favour_back_is_not_one_way() {
            let mut net = Net::new();
            let p = net.person("Pat", "2025-01-01");
            net.asked(&p, "2025-03-01", "a", Direction::In, Status::Open);
            assert_eq!(standing(&net.ledger, &net.ledger.people[0]), Standing::New);
            net.asked(&p, "2025-04-01", "b", Direction::In, Status::Open);
            net.got(&p, "2025-05-01", "thanks", Kind::Gift);
            assert_eq!(
                standing(&net.ledger, &net.ledger.people[0]),
                Standing::YouOwe
            );
        }

        #[test]
        fn standing_serialises_with_the_spec_names() {
            let names: Vec<String> = Standing::ALL
                .iter()
                .map(|s| {
                    serde_json::to_value(s)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect();
            assert_eq!(
                names,
                [
                    "flagged",
                    "unknown",
                    "one-way",
                    "you-owe",
                    "reciprocal",
                    "giving",
                    "new"
                ]
            );
            for s in Standing::ALL {
                assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            }
        }

        #[test]
        fn cadence_prefers_person_then_smallest_tag_then_setting() {
            let mut net = Net::new();
            let p = net.person("Ann", "2025-01-01");
            net.ledger.settings.tag_cadence.insert("family".into(), 14);
            net.ledger.settings.tag_cadence.insert("close".into(), 30);
            let settings = net.ledger.settings.clone();
            let person = |net: &Net| net.ledger.person(&p).unwrap().clone();
            assert_eq!(cadence_days(&settings, &person(&net)), 90);
            net.edit(&p, |p| p.tags = vec!["close".into(), "family".into()]);
            assert_eq!(cadence_days(&settings, &person(&net)), 14);
            net.edit(&p, |p| p.cadence_days = Some(60));
            assert_eq!(cadence_days(&settings, &person(&net)), 60);
        }

        #[test]
        fn check_counts_requests_and_says_what_happened() {
            let mut net = Net::new();
            let bob = net.person("Bob Jones", "2024-01-01");
            net.met(&bob, "2024-01-10");
            net.asked(
                &bob,
                "2025-03-01",
                "an intro to Stripe",
                Direction::In,
                Status::Granted,
            );
            net.asked(
                &bob,
                "2026-10-01",
                "a reference",
                Direction::In,
                Status::Open,
            );
            let out = net.asked(&bob, "2026-09-01", "a review", Direction::Out, Status::Open);
            net.nudge(&out, "2026-09-20");
            net.gave(&bob, "2025-03-02", "intro to Dana", Kind::Intro);
            let check = Check::of(&net.ledger, &net.ledger.people[0], day(TODAY));
            assert_eq!(check.standing, Standing::OneWay);
            assert!(check.known);
            assert_eq!(check.requests_in.total, 2);
            assert_eq!(check.requests_in.open, 1);
            assert_eq!(check.requests_in.granted, 1);
            assert_eq!(check.requests_out.total, 1);
            assert_eq!(check.net, 3);
            assert_eq!(check.last_exchange, Some(day("2025-03-02")));
            assert_eq!(check.days_since_exchange, Some(629));
            assert_eq!(check.first_contact, Some(day("2024-01-10")));
            let obs = check.observations.join("\n");
            assert!(
                obs.contains(
                    "asked for “an intro to Stripe” on 2025-03-01 after 13 months of silence"
                ),
                "{obs}"
            );
            assert!(
                obs.contains("asked for “a reference” on 2026-10-01 after 19 months of silence"),
                "{obs}"
            );
            assert!(
                obs.contains("you already reached out again on 2026-09-20"),
                "{obs}"
            );
            assert!(
                !obs.contains("never asked about you"),
                "a coffee was not a request: {obs}"
            );
        }

        #[test]
        fn every_contact_a_request_is_observed() {
            let mut net = Net::new();
            let p = net.person("Rick", "2026-01-01");
            net.asked(&p, "2026-02-01", "a", Direction::In, Status::Declined);
            net.asked(&p, "2026-03-01", "b", Direction::In, Status::Open);
            net.asked(&p, "2026-04-01", "c", Direction::In, Status::Open);
            let check = Check::of(&net.ledger, &net.ledger.people[0], day(TODAY));
            assert!(
                check
                    .observations
                    .contains(&"never asked about you: all 3 contacts were requests".to_string()),
                "{:?}",
                check.observations
            );
            assert!(check.verdict.contains("3 times"), "{}", check.verdict);
        }

        #[test]
        fn a_request_soon_after_an_exchange_is_not_silence() {
            let mut net = Net::new();
            let p = net.person("Sue", "2026-01-01");
            net.met(&p, "2026-05-01");
            net.asked(&p, "2026-06-01", "a", Direction::In, Status::Open);
            let obs = observations(&net.ledger, &net.ledger.people[0], day(TODAY));
            assert!(!obs.iter().any(|o| o.contains("silence")), "{obs:?}");
        }

        #[test]
        fn balance_rows_filter_and_sort() {
            let mut net = Net::new();
            let a = net.person("Amy", "2026-01-01");
            let b = net.person("bea", "2026-01-01");
            let c = net.person("Cy", "2026-01-01");
            net.gave(&a, "2026-02-01", "x", Kind::Referral);
            net.got(&b, "2026-03-01", "y", Kind::Intro);
            net.edit(&c, |p| p.archived = true);
            net.edit(&b, |p| p.tags = vec!["work".into()]);
            let names = |rows: Vec<BalanceRow>| {
                rows.into_iter()
                    .map(|r| r.name.to_string())
                    .collect::<Vec<_>>()
            };
            let today = day(TODAY);
            assert_eq!(
                names(balance_rows(
                    &net.ledger,
                    today,
                    None,
                    false,
                    BalanceSort::Net
                )),
                ["bea", "Amy"]
            );
            assert_eq!(
                names(balance_rows(
                    &net.ledger,
                    today,
                    None,
                    true,
                    BalanceSort::Name
                )),
                ["Amy", "bea", "Cy"]
            );
            assert_eq!(
                names(balance_rows(
                    &net.ledger,
                    today,
                    None,
                    false,
                    BalanceSort::Last
                )),
                ["bea", "Amy"]
            );
            assert_eq!(
                names(balance_rows(
                    &net.ledger,
                    today,
                    Some("WORK"),
                    false,
                    BalanceSort::Net
                )),
                ["bea"]
            );
            assert!("size".parse::<BalanceSort>().is_err());
        }
    }
}
