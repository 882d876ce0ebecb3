//! Advice: whom to help next, the requests from people you have no history
//! with, and the give-first warning before you ask someone for something.
//!
//! The ranking follows SPEC "Who-to-help ranking": candidates are
//! relationships (see [`crate::core::relationship`]) that are not flagged,
//! archived, snoozed, one-way or in cooldown (a coming birthday lifts the
//! cooldown); each gets reasons (open request, a birthday or labelled date
//! coming round, you owe them, going cold, give first); the highest reason
//! decides the tier. Within a tier, people with a priority tag come first
//! (students and people in transition deserve freer help), then the tier's
//! amount, then the name. Every reason carries a warm sentence with the facts
//! behind it, never debt language. Contacts are not ranked: an open request
//! from someone whose only history is asking is listed apart
//! ([`asked_by_contacts`]), to check before saying yes. All of it is a pure
//! function of the ledger and `today`; entries dated after `today` are
//! ignored, so a report can ask for the advice "as of" an earlier day.

use std::cmp::Ordering;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::core::birthdays;
use crate::core::facts::{Brief, DetailRef, Fact};
pub use crate::core::followup::{Followup, FollowupAction, followups};
use crate::core::index::{Index, Rec};
use crate::core::model::{Direction, Entry, Ledger, Person, Settings, Status};
use crate::core::reciprocity::{
    Balance, RequestCounts, Standing, cadence_days, days_between, favour_phrase, favours,
    request_counts,
};
use crate::core::relationship::{self, Tie};

/// Why someone is suggested, in priority order: the first reason decides the tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonCode {
    OpenRequest,
    /// A birthday or labelled date within `birthday_days` (see [`birthdays`]).
    Birthday,
    YouOwe,
    GoingCold,
    GiveFirst,
}

impl ReasonCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::OpenRequest => "open-request",
            ReasonCode::Birthday => "birthday",
            ReasonCode::YouOwe => "you-owe",
            ReasonCode::GoingCold => "going-cold",
            ReasonCode::GiveFirst => "give-first",
        }
    }
}

/// One reason to help someone, with its sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub text: String,
}

/// One line of `kith who`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub name: String,
    pub id: String,
    pub reasons: Vec<Reason>,
    /// Their open needs, as written.
    pub needs: Vec<String>,
    /// The reason that decided the rank.
    pub tier: ReasonCode,
    pub standing: Standing,
}

impl Suggestion {
    /// "Carol is looking for: a fintech job; a flat in Lyon", when they have open needs.
    pub fn needs_sentence(&self) -> Option<String> {
        (!self.needs.is_empty())
            .then(|| format!("{} is looking for: {}", self.name, self.needs.join("; ")))
    }
}

/// What decides the order inside a tier, after the priority tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TierAmount {
    /// The date of the oldest open request: older first.
    OldestRequest(NaiveDate),
    /// Days until the birthday or date: sooner first.
    Soon(i64),
    /// How much more they gave: more first.
    Owed(i64),
    /// Days since the last exchange over the cadence: more overdue first.
    Overdue { days: i64, cadence: i64 },
    /// Give first has no amount: the name decides.
    None,
}

fn compare_amounts(a: TierAmount, b: TierAmount) -> Ordering {
    match (a, b) {
        (TierAmount::OldestRequest(a), TierAmount::OldestRequest(b)) => a.cmp(&b),
        (TierAmount::Soon(a), TierAmount::Soon(b)) => a.cmp(&b),
        (TierAmount::Owed(a), TierAmount::Owed(b)) => b.cmp(&a),
        (
            TierAmount::Overdue {
                days: da,
                cadence: ca,
            },
            TierAmount::Overdue {
                days: db,
                cadence: cb,
            },
        ) => (i128::from(db) * i128::from(ca)).cmp(&(i128::from(da) * i128::from(cb))),
        _ => Ordering::Equal,
    }
}

/// Entries about a person up to and including `today`.
fn entries_until<'i, 'a: 'i>(
    index: &'i Index<'a>,
    person: &'i Person,
    today: NaiveDate,
) -> impl Iterator<Item = Rec<'a>> + 'i {
    let today = today.num_days_from_ce();
    index
        .entries_of(&person.id)
        .filter(move |e| e.day() <= today)
}

/// A person's history up to `today`, read in one pass: what every rule of
/// the advice asks of it (tie, balance, requests, last time you gave or
/// met). Building it once per person instead of once per rule keeps `who`
/// to one walk over each person's entries.
pub struct History<'a> {
    /// The entries, in ledger order.
    pub entries: Vec<Rec<'a>>,
    pub tie: Tie,
    pub balance: Balance,
    /// Requests they made of you.
    pub incoming: RequestCounts,
    /// The last day you gave to or met them.
    pub last_given_or_met: Option<NaiveDate>,
}

impl<'a> History<'a> {
    pub fn of(index: &Index<'a>, person: &Person, today: NaiveDate) -> History<'a> {
        let entries: Vec<Rec<'a>> = entries_until(index, person, today).collect();
        // Day numbers, not dates: only the maxima become dates.
        let mut balance = Balance::default();
        let (mut last_exchange, mut last_given_or_met) = (None, None);
        for e in &entries {
            let (day, brief) = (e.day(), e.brief());
            if balance.tally(brief) {
                last_exchange = last_exchange.max(Some(day));
            }
            if matches!(brief, Brief::Gave { .. } | Brief::Met { .. }) {
                last_given_or_met = last_given_or_met.max(Some(day));
            }
        }
        balance.last_exchange = last_exchange.and_then(NaiveDate::from_num_days_from_ce_opt);
        let last_given_or_met = last_given_or_met.and_then(NaiveDate::from_num_days_from_ce_opt);
        let (incoming, _) = request_counts(entries.iter().copied());
        History {
            tie: relationship::tie(person, entries.iter().copied()),
            entries,
            balance,
            incoming,
            last_given_or_met,
        }
    }

    /// Whether you gave to or met them in the last `cooldown_days`.
    fn in_cooldown(&self, settings: &Settings, today: NaiveDate) -> bool {
        self.last_given_or_met
            .is_some_and(|d| days_between(d, today) < i64::from(settings.cooldown_days))
    }

    /// See [`keeps_in_touch`].
    fn keeps_in_touch(&self, person: &Person) -> bool {
        !(person.flag.is_some() || person.archived)
            && self.tie.is_relationship()
            && Standing::from_facts(false, &self.balance, self.incoming.total) != Standing::OneWay
    }
}

/// What the person is to you as of `today`.
pub fn tie_on(index: &Index, person: &Person, today: NaiveDate) -> Tie {
    relationship::tie(person, entries_until(index, person, today))
}

/// Whether you gave to or met them in the last `cooldown_days` (not again so soon).
pub fn in_cooldown(index: &Index, person: &Person, today: NaiveDate) -> bool {
    History::of(index, person, today).in_cooldown(index.settings(), today)
}

/// Whether kith may remind you of them at all (keep in touch, birthdays):
/// a relationship, not flagged, archived or one-way. (Snoozing and cooldown
/// only postpone.)
pub fn keeps_in_touch(index: &Index, person: &Person, today: NaiveDate) -> bool {
    if person.flag.is_some() || person.archived {
        return false;
    }
    History::of(index, person, today).keeps_in_touch(person)
}

/// Whether kith reminds you of this person's dates: a relationship (not an
/// imported contact with nothing logged), not flagged, archived or one-way.
/// One rule for every reminder: `who`, going cold and dates alike.
pub fn gets_reminders(index: &Index, person: &Person, today: NaiveDate) -> bool {
    keeps_in_touch(index, person, today)
}

/// Everyone's birthdays and dates within `within` days of `today`, of the
/// people kith reminds you of, soonest first.
pub fn upcoming_dates(index: &Index, today: NaiveDate, within: u32) -> Vec<birthdays::Upcoming> {
    let reminded = index
        .people()
        .iter()
        .filter(|p| p.birthday.is_some() || !p.dates.is_empty())
        .filter(|p| gets_reminders(index, p, today));
    birthdays::upcoming(reminded, today, within)
}

fn not_snoozed(person: &Person, today: NaiveDate) -> bool {
    person.snoozed_until.is_none_or(|until| until <= today)
}

/// Whether the person carries one of the priority tags (student,
/// in-transition, ...): the tag, as the settings spell it.
pub fn priority_tag<'a>(settings: &'a Settings, person: &Person) -> Option<&'a str> {
    settings
        .priority_tags
        .iter()
        .find(|p| person.tags.iter().any(|t| t.eq_ignore_ascii_case(p)))
        .map(String::as_str)
}

/// Days since the last exchange, else since `met_on`, else since they were
/// added; with the day it counts from and whether there was an exchange.
fn quiet_days(person: &Person, balance: &Balance, today: NaiveDate) -> (i64, NaiveDate, Quiet) {
    let (since, quiet) = match (balance.last_exchange, person.met_on) {
        (Some(last), _) => (last, Quiet::Exchange),
        (None, Some(met)) => (met, Quiet::MetOn),
        (None, None) => (person.created.date_naive(), Quiet::Added),
    };
    (days_between(since, today), since, quiet)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quiet {
    Exchange,
    MetOn,
    Added,
}

/// A ranked suggestion with what orders it inside its tier.
struct Ranked {
    suggestion: Suggestion,
    priority: bool,
    amount: TierAmount,
}

/// A person's suggestion, if they are a candidate with at least one reason.
fn suggest(index: &Index, person: &Person, today: NaiveDate) -> Option<Ranked> {
    // Flagged and archived people are out before their history is read.
    if person.flag.is_some() || person.archived || !not_snoozed(person, today) {
        return None;
    }
    let settings = index.settings();
    let history = History::of(index, person, today);
    // The same rule as `gets_reminders`, from the history at hand.
    if !history.keeps_in_touch(person) {
        return None;
    }
    let coming = birthdays::upcoming_for(person, today, settings.birthday_days);
    // A coming birthday lifts the cooldown.
    if coming.is_empty() && history.in_cooldown(settings, today) {
        return None;
    }
    let History {
        entries,
        balance,
        incoming,
        ..
    } = history;
    let standing = Standing::from_facts(false, &balance, incoming.total);
    let name = &person.name;
    let mut reasons = Vec::new();
    let mut amounts = Vec::new();

    let mut open: Vec<(NaiveDate, &str)> = entries
        .iter()
        .filter(|e| {
            e.brief()
                == Brief::Ask {
                    direction: Direction::In,
                    status: Status::Open,
                }
        })
        .filter_map(|e| Some((e.date(), e.request()?.what)))
        .collect();
    open.sort_by_key(|(date, _)| *date);
    if let Some((oldest, _)) = open.first() {
        amounts.push(TierAmount::OldestRequest(*oldest));
    }
    for (date, what) in &open {
        reasons.push(Reason {
            code: ReasonCode::OpenRequest,
            text: format!(
                "{name} asked you for “{what}” on {} ({}) — it is still open",
                date,
                crate::core::dates::relative(*date, today)
            ),
        });
    }

    if let Some(soonest) = coming.first() {
        amounts.push(TierAmount::Soon(soonest.days));
    }
    reasons.extend(coming.into_iter().map(|upcoming| Reason {
        code: ReasonCode::Birthday,
        text: upcoming.text,
    }));

    if balance.net < 0 {
        amounts.push(TierAmount::Owed(-balance.net));
        reasons.push(Reason {
            code: ReasonCode::YouOwe,
            text: kindness_text(name, &entries, &balance, true),
        });
    }

    let cadence = cadence_days(settings, person);
    let (days, since, quiet) = quiet_days(person, &balance, today);
    if days > i64::from(cadence) {
        amounts.push(TierAmount::Overdue {
            days,
            cadence: i64::from(cadence),
        });
        let text = match quiet {
            Quiet::Exchange => {
                format!("{days} days since you last talked — you aim for every {cadence}")
            }
            Quiet::MetOn => format!(
                "{days} days since you met on {since}, and no exchange logged since — you aim for every {cadence}"
            ),
            Quiet::Added => format!(
                "{days} days since you added {name}, and no exchange logged yet — you aim for every {cadence}"
            ),
        };
        reasons.push(Reason {
            code: ReasonCode::GoingCold,
            text,
        });
    }

    let priority = priority_tag(settings, person);
    if balance.given.count == 0 {
        amounts.push(TierAmount::None);
        let text = match priority {
            Some(tag) => format!(
                "you have not helped {name} yet, and they are tagged {tag}: your help goes a long way now — give first"
            ),
            None => format!("you have not helped {name} yet — a good moment to give first"),
        };
        reasons.push(Reason {
            code: ReasonCode::GiveFirst,
            text,
        });
    }

    let tier = reasons.first()?.code;
    let amount = *amounts.first()?;
    Some(Ranked {
        suggestion: Suggestion {
            name: name.clone(),
            id: person.id.clone(),
            reasons,
            needs: person.open_needs().map(|n| n.text.clone()).collect(),
            tier,
            standing,
        },
        priority: priority.is_some(),
        amount,
    })
}

/// The sentence for "they gave more than you": what they did, when, and
/// (with `kind_now`) what would be kind now. Facts, never debt.
fn kindness_text<'a, F: Fact<'a>>(
    name: &str,
    entries: &[F],
    balance: &Balance,
    kind_now: bool,
) -> String {
    let latest = entries.iter().rev().find_map(|e| match e.brief() {
        Brief::Got { .. } => match e.detail() {
            DetailRef::Got(f) => Some((e.date(), f)),
            _ => None,
        },
        _ => None,
    });
    let Some((date, favour)) = latest else {
        return format!("{name} has given you more than you have given back so far");
    };
    let what = format!("{} on {date}", favour_phrase(favour.kind, favour.what));
    if balance.given.count == 0 && balance.received.count == 1 {
        format!("{name} sent you {what}; you have not returned the kindness yet")
    } else if balance.given.count == 0 {
        format!(
            "{name} has done {} for you, most recently {what}; you have not returned the kindness yet",
            favours(balance.received)
        )
    } else {
        let facts = format!(
            "{name} sent you {what}; so far {name} gave {} and you gave {}",
            favours(balance.received),
            favours(balance.given)
        );
        if kind_now {
            facts + " — a good moment to return the kindness"
        } else {
            facts
        }
    }
}

/// The `who` ranking as of `today`: every suggestion, best first.
pub fn who(index: &Index, today: NaiveDate) -> Vec<Suggestion> {
    let ranked: Vec<Ranked> = index
        .people()
        .iter()
        .filter_map(|p| suggest(index, p, today))
        .collect();
    // Each name lowercased once, not twice per comparison.
    let mut keyed: Vec<(String, Ranked)> = ranked
        .into_iter()
        .map(|r| (r.suggestion.name.to_lowercase(), r))
        .collect();
    keyed.sort_by(|(name_a, a), (name_b, b)| {
        let (sa, sb) = (&a.suggestion, &b.suggestion);
        sa.tier
            .cmp(&sb.tier)
            .then_with(|| b.priority.cmp(&a.priority))
            .then_with(|| compare_amounts(a.amount, b.amount))
            .then_with(|| name_a.cmp(name_b))
            .then_with(|| sa.id.cmp(&sb.id))
    });
    keyed.into_iter().map(|(_, r)| r.suggestion).collect()
}

/// Whether `person` carries `tag` (any case), for `--tag` filters.
fn has_tag(person: &Person, tag: &str) -> bool {
    person.tags.iter().any(|t| t.eq_ignore_ascii_case(tag))
}

/// `who` restricted to a tag and cut to `limit` suggestions.
pub fn who_filtered(
    index: &Index,
    today: NaiveDate,
    tag: Option<&str>,
    limit: Option<usize>,
) -> Vec<Suggestion> {
    who(index, today)
        .into_iter()
        .filter(|s| tag.is_none_or(|tag| index.person(&s.id).is_some_and(|p| has_tag(p, tag))))
        .take(limit.unwrap_or(usize::MAX))
        .collect()
}

/// Why `who` (with an optional tag) suggests no one: the people it looked
/// at, counted by what kept each out (first match wins, in this order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nobody {
    /// Everyone in the ledger.
    pub people: usize,
    /// The people `who` looked at: everyone, or those with the tag.
    pub looked_at: usize,
    pub flagged_or_archived: usize,
    pub snoozed: usize,
    /// You gave to or met them in the last `cooldown_days`.
    pub cooling_down: usize,
    /// Everyone else: nothing calls for you yet (warm, even, or nothing logged).
    pub nothing_to_do: usize,
}

/// The counts behind an empty `who`, for a message that tells the truth.
pub fn why_nobody(index: &Index, today: NaiveDate, tag: Option<&str>) -> Nobody {
    let mut nobody = Nobody {
        people: index.people().len(),
        ..Nobody::default()
    };
    let tagged = index
        .people()
        .iter()
        .filter(|p| tag.is_none_or(|tag| p.tags.iter().any(|t| t.eq_ignore_ascii_case(tag))));
    for person in tagged {
        nobody.looked_at += 1;
        if person.flag.is_some() || person.archived {
            nobody.flagged_or_archived += 1;
        } else if person.snoozed_until.is_some_and(|until| until > today) {
            nobody.snoozed += 1;
        } else if in_cooldown(index, person, today) {
            nobody.cooling_down += 1;
        } else {
            nobody.nothing_to_do += 1;
        }
    }
    nobody
}

/// An open request from someone you have no history with: not a suggestion,
/// something to `kith check` before you say yes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRequest {
    pub name: String,
    /// The person's id.
    pub id: String,
    /// The request's id.
    pub request: String,
    pub what: String,
    pub asked_on: NaiveDate,
    /// Whether an import brought them in (else the request did).
    pub imported: bool,
}

impl ContactRequest {
    /// "Kevin asked you for “a webinar shout-out” on 2026-11-20 (today)".
    pub fn sentence(&self, today: NaiveDate) -> String {
        format!(
            "{} asked you for “{}” on {} ({})",
            self.name,
            self.what,
            self.asked_on,
            crate::core::dates::relative(self.asked_on, today)
        )
    }
}

/// Open requests from contacts (requesters) as of `today`, oldest first;
/// not from flagged, archived or snoozed people.
pub fn asked_by_contacts(
    index: &Index,
    today: NaiveDate,
    tag: Option<&str>,
) -> Vec<ContactRequest> {
    let mut list = Vec::new();
    for person in index.people() {
        if person.flag.is_some()
            || person.archived
            || person.snoozed_until.is_some_and(|until| until > today)
            || tag.is_some_and(|tag| !has_tag(person, tag))
        {
            continue;
        }
        if tie_on(index, person, today).is_relationship() {
            continue;
        }
        for entry in entries_until(index, person, today) {
            let open_in = Brief::Ask {
                direction: Direction::In,
                status: Status::Open,
            };
            if entry.brief() != open_in {
                continue;
            }
            if let Some(r) = entry.request() {
                list.push(ContactRequest {
                    name: person.name.clone(),
                    id: person.id.clone(),
                    request: entry.id().to_string(),
                    what: r.what.to_string(),
                    asked_on: entry.date(),
                    imported: person.source.as_deref() != Some(relationship::REQUEST_SOURCE),
                });
            }
        }
    }
    list.sort_by(|a, b| (a.asked_on, &a.request).cmp(&(b.asked_on, &b.request)));
    list
}

/// One row of `kith requests`: an open request, either way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenRequest {
    /// The request's id.
    pub id: String,
    pub direction: Direction,
    pub name: String,
    pub person_id: String,
    pub what: String,
    pub asked_on: NaiveDate,
    /// Whether the other person is a relationship (else a contact).
    pub relationship: bool,
}

/// Every open request as of `today`, oldest first, optionally one way only.
pub fn open_requests(
    index: &Index,
    today: NaiveDate,
    direction: Option<Direction>,
) -> Vec<OpenRequest> {
    let mut list: Vec<OpenRequest> = index
        .entries()
        .filter(|e| e.date() <= today)
        .filter_map(|entry| {
            let Brief::Ask {
                direction: way,
                status: Status::Open,
            } = entry.brief()
            else {
                return None;
            };
            if direction.is_some_and(|d| d != way) {
                return None;
            }
            let r = entry.request()?;
            let person = index.person_of(entry)?;
            Some(OpenRequest {
                id: entry.id().to_string(),
                direction: r.direction,
                name: person.name.clone(),
                person_id: person.id.clone(),
                what: r.what.to_string(),
                asked_on: entry.date(),
                relationship: tie_on(index, person, today).is_relationship(),
            })
        })
        .collect();
    list.sort_by(|a, b| (a.asked_on, &a.id).cmp(&(b.asked_on, &b.id)));
    list
}

/// Someone you have not talked to for longer than your cadence with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cold {
    pub name: String,
    pub id: String,
    /// Days since the last exchange (or since you met or added them).
    pub days: i64,
    pub cadence_days: u32,
    pub last_exchange: Option<NaiveDate>,
}

/// People going cold as of `today`, most overdue (relative to cadence) first.
/// Only relationships kith keeps you in touch with: flagged, archived,
/// snoozed and one-way people and contacts are left out, as in `who`.
pub fn going_cold(index: &Index, today: NaiveDate) -> Vec<Cold> {
    let settings = index.settings();
    let mut cold: Vec<Cold> = index
        .people()
        .iter()
        .filter(|p| not_snoozed(p, today) && p.flag.is_none() && !p.archived)
        .filter_map(|p| {
            let history = History::of(index, p, today);
            if !history.keeps_in_touch(p) {
                return None;
            }
            let balance = history.balance;
            let cadence = cadence_days(settings, p);
            let (days, _, _) = quiet_days(p, &balance, today);
            (days > i64::from(cadence)).then(|| Cold {
                name: p.name.clone(),
                id: p.id.clone(),
                days,
                cadence_days: cadence,
                last_exchange: balance.last_exchange,
            })
        })
        .collect();
    cold.sort_by(|a, b| {
        let overdue = |c: &Cold| TierAmount::Overdue {
            days: c.days,
            cadence: i64::from(c.cadence_days),
        };
        compare_amounts(overdue(a), overdue(b)).then_with(|| a.name.cmp(&b.name))
    });
    cold
}

/// The warning `kith ask` prints before recording a request of someone you
/// never gave anything to, or who gave you more than you gave them. Nothing
/// for a flagged person: the flag note speaks instead.
pub fn give_first_warning(ledger: &Ledger, person_id: &str, today: NaiveDate) -> Option<String> {
    let person = ledger.person(person_id)?;
    if person.flag.is_some() {
        return None;
    }
    let entries: Vec<&Entry> = (ledger.entries_of(person_id))
        .filter(|e| e.date <= today)
        .collect();
    let balance = Balance::of(entries.iter().copied(), None);
    let name = &person.name;
    if balance.given.count == 0 && balance.received.count == 0 {
        return Some(format!(
            "give first: you have not helped {name} yet — is there something you could do for them before asking?"
        ));
    }
    if balance.given.count == 0 || balance.net < 0 {
        return Some(format!(
            "give first: {} — is there something you could do for them before asking for more?",
            kindness_text(name, &entries, &balance, false)
        ));
    }
    None
}

/// The note `gave`, `ask` and `intro` print about a flagged person: the
/// entry is still recorded, but you decided something about them.
pub fn flag_note(person: &Person) -> Option<String> {
    let flag = person.flag.as_ref()?;
    Some(match &flag.reason {
        Some(reason) => format!("you flagged {} on {}: {reason}", person.name, flag.date),
        None => format!("you flagged {} on {}", person.name, flag.date),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Kind, Need};
    use crate::core::testkit::{Net, day};
    use proptest::prelude::*;

    const TODAY: &str = "2026-11-21";

    fn names(list: &[Suggestion]) -> Vec<&str> {
        list.iter().map(|s| s.name.as_str()).collect()
    }

    /// The issue's example: Grace's open request, then Judy (owed 4), then Alice (owed 1).
    fn grace_judy_alice() -> Net {
        let mut net = Net::new();
        let judy = net.person("Judy", "2026-01-01");
        net.met(&judy, "2026-10-01");
        net.got(&judy, "2026-11-01", "client referral", Kind::Referral);
        let alice = net.person("Alice", "2026-01-01");
        net.gave(&alice, "2026-10-20", "intro to Dana", Kind::Intro);
        net.got(&alice, "2026-10-25", "referral", Kind::Referral);
        let grace = net.person("Grace", "2026-01-01");
        net.met(&grace, "2026-09-01");
        net.gave(&grace, "2026-09-02", "advice", Kind::Advice);
        net.asked(
            &grace,
            "2026-11-19",
            "feedback",
            Direction::In,
            Status::Open,
        );
        net
    }

    #[test]
    fn open_request_then_most_owed() {
        let net = grace_judy_alice();
        let list = who(&Index::new(&net.ledger), day(TODAY));
        assert_eq!(names(&list), ["Grace", "Judy", "Alice"]);
        assert_eq!(list[0].tier, ReasonCode::OpenRequest);
        assert_eq!(
            list[1].reasons[0].text,
            "Judy sent you a client referral on 2026-11-01; you have not returned the kindness yet"
        );
        assert_eq!(list[2].tier, ReasonCode::YouOwe);
    }

    #[test]
    fn going_cold_ranks_by_overdue_relative_to_cadence() {
        let mut net = Net::new();
        net.ledger.settings.tag_cadence.insert("family".into(), 14);
        let mum = net.person("Mum", "2020-01-01");
        net.edit(&mum, |p| p.tags = vec!["family".into()]);
        net.gave(&mum, "2026-10-22", "gift", Kind::Gift); // 30 days, cadence 14: 2.1x
        let old = net.person("Old friend", "2020-01-01");
        net.gave(&old, "2026-05-01", "help", Kind::Help); // 204 days, cadence 90: 2.3x
        let list = who(&Index::new(&net.ledger), day(TODAY));
        assert_eq!(names(&list), ["Old friend", "Mum"]);
        assert_eq!(
            list[1].reasons[0].text,
            "30 days since you last talked — you aim for every 14"
        );
    }

    #[test]
    fn give_first_puts_priority_tags_first_and_skips_bare_imports() {
        let mut net = Net::new();
        let a = net.person("Aaron", "2026-11-01");
        net.met(&a, "2026-11-01");
        let s = net.person("Zoe", "2026-11-01");
        net.edit(&s, |p| p.tags = vec!["student".into()]);
        let imported = net.person("Imported", "2026-01-01");
        net.edit(&imported, |p| p.source = Some("linkedin".into()));
        let list = who(&Index::new(&net.ledger), day(TODAY));
        assert_eq!(names(&list), ["Zoe", "Aaron"]);
        assert!(list.iter().all(|s| s.tier == ReasonCode::GiveFirst));
        net.met(&imported, "2026-11-02");
        assert!(names(&who(&Index::new(&net.ledger), day(TODAY))).contains(&"Imported"));
    }

    #[test]
    fn exclusions_flag_archive_snooze_one_way_cooldown() {
        let mut net = grace_judy_alice();
        let ids: Vec<String> = net.ledger.people.iter().map(|p| p.id.clone()).collect();
        net.flag(&ids[0], "2026-11-20");
        net.edit(&ids[1], |p| p.archived = true);
        net.edit(&ids[2], |p| p.snoozed_until = Some(day("2026-11-22")));
        let oscar = net.person("Oscar", "2026-01-01");
        net.asked(&oscar, "2026-02-01", "a", Direction::In, Status::Open);
        net.asked(&oscar, "2026-03-01", "b", Direction::In, Status::Open);
        let cool = net.person("Cooling", "2026-01-01");
        net.got(&cool, "2026-03-01", "c", Kind::Money);
        net.met(&cool, "2026-11-15");
        assert!(who(&Index::new(&net.ledger), day(TODAY)).is_empty());
        // Cooldown is the last `cooldown_days` (7): a meeting 7 days ago no longer counts.
        assert_eq!(
            names(&who(&Index::new(&net.ledger), day("2026-11-22"))),
            ["Grace", "Cooling"]
        );
    }

    #[test]
    fn priority_tags_lift_within_every_tier() {
        let mut net = Net::new();
        // Three people met on the same day, all equally overdue now.
        for (name, tag) in [
            ("Aaron", None),
            ("Yara", Some("in-transition")),
            ("Zoe", Some("student")),
        ] {
            let id = net.person(name, "2026-01-01");
            net.gave(&id, "2026-01-05", "advice", Kind::Advice);
            if let Some(tag) = tag {
                net.edit(&id, |p| p.tags.push(tag.into()));
            }
        }
        let list = who(&Index::new(&net.ledger), day(TODAY));
        assert_eq!(names(&list), ["Yara", "Zoe", "Aaron"]);
        assert!(list.iter().all(|s| s.tier == ReasonCode::GoingCold));
        // Inside the open-request tier too, ahead of an older request.
        let aaron = net.ledger.people[0].id.clone();
        let zoe = net.ledger.people[2].id.clone();
        net.asked(&aaron, "2026-11-01", "old", Direction::In, Status::Open);
        net.asked(&zoe, "2026-11-10", "new", Direction::In, Status::Open);
        assert_eq!(
            names(&who(&Index::new(&net.ledger), day(TODAY))),
            ["Zoe", "Aaron", "Yara"]
        );
    }

    #[test]
    fn a_stranger_who_only_asks_is_listed_apart_never_ranked() {
        let mut net = Net::new();
        let alice = net.person("Alice", "2026-01-01");
        net.met(&alice, "2026-10-01");
        let kev = net.person("Kevin Spammer", "2026-11-20");
        net.edit(&kev, |p| {
            p.source = Some(relationship::REQUEST_SOURCE.into())
        });
        let webinar = net.asked(&kev, "2026-11-20", "webinar", Direction::In, Status::Open);
        let today = day(TODAY);
        assert_eq!(names(&who(&Index::new(&net.ledger), today)), ["Alice"]);
        let apart = asked_by_contacts(&Index::new(&net.ledger), today, None);
        assert_eq!(apart.len(), 1);
        assert_eq!(apart[0].request, webinar);
        assert!(!apart[0].imported);
        assert_eq!(
            apart[0].sentence(today),
            "Kevin Spammer asked you for “webinar” on 2026-11-20 (yesterday)"
        );
        let rows = open_requests(&Index::new(&net.ledger), today, None);
        assert_eq!(rows.len(), 1);
        assert!(!rows[0].relationship);
        // Declined: gone from both, and still never a suggestion.
        net.ledger
            .entry_mut(&webinar)
            .unwrap()
            .request_mut()
            .unwrap()
            .status = Status::Declined;
        assert_eq!(names(&who(&Index::new(&net.ledger), today)), ["Alice"]);
        assert!(asked_by_contacts(&Index::new(&net.ledger), today, None).is_empty());
        assert!(
            going_cold(&Index::new(&net.ledger), day("2027-11-20"))
                .iter()
                .all(|c| c.id != kev)
        );
        // The first exchange makes them a relationship.
        net.met(&kev, "2026-11-01");
        assert!(names(&who(&Index::new(&net.ledger), today)).contains(&"Kevin Spammer"));
    }

    #[test]
    fn the_flag_note_gives_the_date_and_reason() {
        let mut net = Net::new();
        let g = net.person("Greg", "2026-01-01");
        assert_eq!(flag_note(net.ledger.person(&g).unwrap()), None);
        net.flag(&g, "2026-11-02");
        assert_eq!(
            flag_note(net.ledger.person(&g).unwrap()).as_deref(),
            Some("you flagged Greg on 2026-11-02: never gave back")
        );
        assert_eq!(give_first_warning(&net.ledger, &g, day(TODAY)), None);
    }

    #[test]
    fn needs_and_json_shape() {
        let mut net = Net::new();
        let carol = net.person("Carol", "2026-11-01");
        net.edit(&carol, |p| {
            p.needs.push(Need {
                id: "n-1".into(),
                text: "a fintech job".into(),
                since: day("2026-11-01"),
                done: false,
                extra: Default::default(),
            })
        });
        let list = who(&Index::new(&net.ledger), day(TODAY));
        assert_eq!(
            list[0].needs_sentence().as_deref(),
            Some("Carol is looking for: a fintech job")
        );
        let json = serde_json::to_value(&list).unwrap();
        assert_eq!(json[0]["reasons"][0]["code"], "give-first");
        assert_eq!(json[0]["needs"][0], "a fintech job");
        assert_eq!(json[0]["id"], carol);
    }

    #[test]
    fn followups_nudge_then_let_go() {
        let mut net = Net::new();
        let p = net.person("Pat", "2026-01-01");
        let fresh = net.asked(&p, "2026-11-15", "fresh", Direction::Out, Status::Open);
        let stale = net.asked(&p, "2026-10-01", "stale", Direction::Out, Status::Open);
        let nudged = net.asked(&p, "2026-09-01", "nudged", Direction::Out, Status::Open);
        net.nudge(&nudged, "2026-11-01");
        let recent = net.asked(
            &p,
            "2026-09-01",
            "recently nudged",
            Direction::Out,
            Status::Open,
        );
        net.nudge(&recent, "2026-11-15");
        net.asked(&p, "2026-01-01", "done", Direction::Out, Status::Granted);
        let due = followups(&Index::new(&net.ledger), day(TODAY));
        let got: Vec<(&str, FollowupAction)> =
            due.iter().map(|f| (f.request.as_str(), f.action)).collect();
        assert_eq!(
            got,
            [
                (nudged.as_str(), FollowupAction::LetGo),
                (stale.as_str(), FollowupAction::Nudge)
            ]
        );
        assert!(!due.iter().any(|f| f.request == fresh));
        let json = serde_json::to_value(&due).unwrap();
        assert_eq!(json[0]["action"], "let-go");
        assert_eq!(json[0]["nudged_on"], "2026-11-01");
        assert_eq!(json[1]["nudged_on"], serde_json::Value::Null);
        assert!(due[0].text.contains("kith flag"));
        net.flag(&p, "2026-11-20");
        assert!(followups(&Index::new(&net.ledger), day(TODAY)).is_empty());
    }

    #[test]
    fn give_first_warning_says_what_they_did() {
        let mut net = Net::new();
        let p = net.person("Dana", "2026-01-01");
        let warn = |net: &Net| give_first_warning(&net.ledger, &p, day(TODAY));
        assert!(warn(&net).unwrap().contains("you have not helped Dana yet"));
        net.got(&p, "2026-02-01", "intro to a VC", Kind::Intro);
        let text = warn(&net).unwrap();
        assert!(
            text.contains("Dana sent you an intro (“intro to a VC”) on 2026-02-01"),
            "{text}"
        );
        net.gave(&p, "2026-03-01", "a referral", Kind::Referral);
        assert_eq!(warn(&net), None);
        assert_eq!(
            give_first_warning(&net.ledger, "p-missing", day(TODAY)),
            None
        );
    }

    fn arb_ledger() -> impl Strategy<Value = Net> {
        let person = (any::<bool>(), any::<bool>(), 0u8..3, 0u8..5);
        let entry = (0usize..6, 0u8..5, 0u32..400, 0u8..4);
        (
            proptest::collection::vec(person, 1..6),
            proptest::collection::vec(entry, 0..25),
        )
            .prop_map(|(people, entries)| {
                let mut net = Net::new();
                let mut ids = Vec::new();
                for (i, (flagged, archived, snooze, tag)) in people.iter().enumerate() {
                    let id = net.person(&format!("P{i}"), "2025-06-01");
                    if *flagged {
                        net.flag(&id, "2026-01-01");
                    }
                    net.edit(&id, |p| {
                        p.archived = *archived;
                        p.snoozed_until = match snooze {
                            0 => None,
                            1 => Some(day("2026-11-20")),
                            _ => Some(day("2026-12-01")),
                        };
                        if *tag == 1 {
                            p.tags.push("student".into());
                        }
                        if *tag == 2 {
                            p.source = Some("vcard".into());
                        }
                        if *tag == 3 {
                            p.source = Some(relationship::REQUEST_SOURCE.into());
                        }
                    });
                    ids.push(id);
                }
                let today = day(TODAY);
                for (who, kind, ago, status) in entries {
                    let Some(id) = ids.get(who % ids.len().max(1)).cloned() else {
                        continue;
                    };
                    let date = (today - chrono::Days::new(u64::from(ago))).to_string();
                    let status = [
                        Status::Open,
                        Status::Granted,
                        Status::Declined,
                        Status::Lapsed,
                    ][usize::from(status)];
                    match kind {
                        0 => net.gave(&id, &date, "g", Kind::Help),
                        1 => net.got(&id, &date, "r", Kind::Referral),
                        2 => net.met(&id, &date),
                        3 => net.asked(&id, &date, "i", Direction::In, status),
                        _ => net.asked(&id, &date, "o", Direction::Out, status),
                    };
                }
                net
            })
    }

    proptest! {
        #[test]
        fn who_never_lists_excluded_people(net in arb_ledger()) {
            let today = day(TODAY);
            for s in who(&Index::new(&net.ledger), today) {
                let p = net.ledger.person(&s.id).unwrap();
                prop_assert!(p.flag.is_none());
                prop_assert!(!p.archived);
                prop_assert!(p.snoozed_until.is_none_or(|d| d <= today));
                prop_assert!(s.standing != Standing::OneWay);
                let birthday = s.reasons.iter().any(|r| r.code == ReasonCode::Birthday);
                prop_assert!(birthday || !in_cooldown(&Index::new(&net.ledger), p, today));
                prop_assert!(!s.reasons.is_empty());
            }
        }

        #[test]
        fn who_never_lists_a_contact(net in arb_ledger()) {
            let today = day(TODAY);
            let index = Index::new(&net.ledger);
            let listed: Vec<String> = who(&Index::new(&net.ledger), today).into_iter().map(|s| s.id).collect();
            for id in &listed {
                let p = net.ledger.person(id).unwrap();
                prop_assert!(tie_on(&index, p, today).is_relationship(), "{} is a contact", p.name);
            }
            for c in going_cold(&Index::new(&net.ledger), today) {
                let p = net.ledger.person(&c.id).unwrap();
                prop_assert!(tie_on(&index, p, today).is_relationship());
            }
            for r in asked_by_contacts(&Index::new(&net.ledger), today, None) {
                prop_assert!(!listed.contains(&r.id));
            }
        }

        #[test]
        fn a_priority_tag_never_moves_anyone_down(net in arb_ledger(), pick in 0usize..6) {
            let today = day(TODAY);
            let before = who(&Index::new(&net.ledger), today);
            let Some(chosen) = before.get(pick % before.len().max(1)).map(|s| s.id.clone()) else {
                return Ok(());
            };
            let rank = |list: &[Suggestion]| list.iter().position(|s| s.id == chosen);
            let mut tagged = net.clone();
            tagged.edit(&chosen, |p| p.tags.push("in-transition".into()));
            let after = who(&Index::new(&tagged.ledger), today);
            prop_assert!(rank(&after) <= rank(&before), "{:?} -> {:?}", rank(&before), rank(&after));
            prop_assert!(rank(&after).is_some());
        }

        #[test]
        fn rank_is_a_pure_function_of_ledger_and_today(net in arb_ledger()) {
            let today = day(TODAY);
            let first = who(&Index::new(&net.ledger), today);
            let mut shuffled = net.ledger.clone();
            shuffled.people.reverse();
            prop_assert_eq!(&first, &who(&Index::new(&net.ledger), today));
            prop_assert_eq!(&first, &who(&Index::new(&shuffled), today));
        }

        #[test]
        fn giving_never_lowers_net(mut net in arb_ledger(), weight in 1u8..=5) {
            let id = net.ledger.people[0].id.clone();
            let before = Balance::of(net.ledger.entries_of(&id), None).net;
            let e = net.gave(&id, "2026-11-01", "more", Kind::Other);
            if let Some(f) = net.ledger.entry_mut(&e).and_then(|e| match &mut e.detail {
                crate::core::model::Detail::Gave(f) => Some(f),
                _ => None,
            }) {
                f.weight = weight;
            }
            let after = Balance::of(net.ledger.entries_of(&id), None).net;
            prop_assert!(after > before);
        }
    }
}
