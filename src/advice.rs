//! Advice: whom to help next, which of your requests to follow up, and the
//! give-first warning before you ask someone for something.
//!
//! The ranking follows SPEC "Who-to-help ranking" exactly: candidates are people
//! not flagged, archived, snoozed, one-way or in cooldown; each gets reasons
//! (open request, you owe them, going cold, give first); the highest reason
//! decides the tier and the tier's amount breaks ties. Every reason carries a
//! warm sentence with the facts behind it. All of it is a pure function of the
//! ledger and `today`; entries dated after `today` are ignored, so a report can
//! ask for the advice "as of" an earlier day.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Detail, Direction, Entry, Ledger, Person, Status};
use crate::reciprocity::{
    Balance, Standing, cadence_days, days_between, kind_phrase, plural, request_counts,
};

/// Why someone is suggested, in priority order: the first reason decides the tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonCode {
    OpenRequest,
    YouOwe,
    GoingCold,
    GiveFirst,
}

impl ReasonCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::OpenRequest => "open-request",
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

/// What decides the order inside a tier (besides the tier itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TierAmount {
    /// The date of the oldest open request: older first.
    OldestRequest(NaiveDate),
    /// How much you owe: more first.
    Owed(i64),
    /// Days since the last exchange over the cadence: more overdue first.
    Overdue { days: i64, cadence: i64 },
    /// Priority-tagged people first.
    Priority(bool),
}

fn compare_amounts(a: TierAmount, b: TierAmount) -> Ordering {
    match (a, b) {
        (TierAmount::OldestRequest(a), TierAmount::OldestRequest(b)) => a.cmp(&b),
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
        (TierAmount::Priority(a), TierAmount::Priority(b)) => b.cmp(&a),
        _ => Ordering::Equal,
    }
}

/// Entries about a person up to and including `today`.
fn entries_until<'a>(
    ledger: &'a Ledger,
    person: &'a Person,
    today: NaiveDate,
) -> impl Iterator<Item = &'a Entry> + 'a {
    ledger
        .entries_of(&person.id)
        .filter(move |e| e.date <= today)
}

/// Whether you gave to or met them in the last `cooldown_days` (not again so soon).
pub fn in_cooldown(ledger: &Ledger, person: &Person, today: NaiveDate) -> bool {
    let cooldown = i64::from(ledger.settings.cooldown_days);
    entries_until(ledger, person, today).any(|e| {
        matches!(e.detail, Detail::Gave(_) | Detail::Met(_))
            && days_between(e.date, today) < cooldown
    })
}

/// Whether `who` may suggest them at all: not flagged, archived, snoozed past
/// today, one-way or in cooldown.
pub fn is_candidate(ledger: &Ledger, person: &Person, today: NaiveDate) -> bool {
    if person.flag.is_some() || person.archived {
        return false;
    }
    if person.snoozed_until.is_some_and(|until| until > today) {
        return false;
    }
    let balance = Balance::of(entries_until(ledger, person, today), None);
    let (incoming, _) = request_counts(entries_until(ledger, person, today));
    if Standing::from_facts(false, &balance, incoming.total) == Standing::OneWay {
        return false;
    }
    !in_cooldown(ledger, person, today)
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

/// A person's suggestion, if they are a candidate with at least one reason.
fn suggest(ledger: &Ledger, person: &Person, today: NaiveDate) -> Option<(Suggestion, TierAmount)> {
    if !is_candidate(ledger, person, today) {
        return None;
    }
    let entries: Vec<&Entry> = entries_until(ledger, person, today).collect();
    let balance = Balance::of(entries.iter().copied(), None);
    let (incoming, _) = request_counts(entries.iter().copied());
    let standing = Standing::from_facts(false, &balance, incoming.total);
    let name = &person.name;
    let mut reasons = Vec::new();
    let mut amounts = Vec::new();

    let mut open: Vec<(&Entry, &str)> = entries
        .iter()
        .filter_map(|e| {
            let r = e.request()?;
            (r.direction == Direction::In && r.status == Status::Open)
                .then_some((*e, r.what.as_str()))
        })
        .collect();
    open.sort_by_key(|(e, _)| e.date);
    if let Some((oldest, _)) = open.first() {
        amounts.push(TierAmount::OldestRequest(oldest.date));
    }
    for (entry, what) in &open {
        reasons.push(Reason {
            code: ReasonCode::OpenRequest,
            text: format!(
                "{name} asked you for “{what}” on {} ({}) — it is still open",
                entry.date,
                days_ago(days_between(entry.date, today))
            ),
        });
    }

    if balance.net < 0 {
        amounts.push(TierAmount::Owed(-balance.net));
        reasons.push(Reason {
            code: ReasonCode::YouOwe,
            text: owe_text(name, &entries, &balance),
        });
    }

    // Imported contacts with nothing exchanged are not relationships yet: no nagging.
    let bare_import = person.source.is_some() && balance.last_exchange.is_none();
    let cadence = cadence_days(&ledger.settings, person);
    let (days, since, quiet) = quiet_days(person, &balance, today);
    if !bare_import && days > i64::from(cadence) {
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

    if !bare_import && balance.given.count == 0 {
        let priority = person.tags.iter().find(|t| {
            ledger
                .settings
                .priority_tags
                .iter()
                .any(|p| p.eq_ignore_ascii_case(t))
        });
        amounts.push(TierAmount::Priority(priority.is_some()));
        let text = match priority {
            Some(tag) => format!(
                "you have not helped {name} yet, and they are {tag}: help now goes a long way — give first"
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
    Some((
        Suggestion {
            name: name.clone(),
            id: person.id.clone(),
            reasons,
            needs: person.open_needs().map(|n| n.text.clone()).collect(),
            tier,
            standing,
        },
        amount,
    ))
}

/// "today", "yesterday", "5 days ago".
pub fn days_ago(days: i64) -> String {
    match days {
        i64::MIN..=-1 => format!("in {} days", -days),
        0 => "today".to_string(),
        1 => "yesterday".to_string(),
        _ => format!("{days} days ago"),
    }
}

/// The sentence for "they gave more than you": their latest favour and the sums.
fn owe_text(name: &str, entries: &[&Entry], balance: &Balance) -> String {
    let latest = entries.iter().rev().find_map(|e| match &e.detail {
        Detail::Got(f) => Some((e.date, f)),
        _ => None,
    });
    let Some((date, favour)) = latest else {
        return format!("{name} has given you more than you gave back");
    };
    let what = format!("{} (“{}”) on {date}", kind_phrase(favour.kind), favour.what);
    if balance.given.count == 0 && balance.received.count == 1 {
        format!("{name} sent you {what} — you have not returned it yet")
    } else if balance.given.count == 0 {
        format!(
            "{name} has done {} for you, most recently {what} — you have not returned them yet",
            plural(balance.received.count, "favour")
        )
    } else {
        format!(
            "{name} sent you {what} — their favours weigh {} and yours {}, so one back is due",
            balance.received.weight, balance.given.weight
        )
    }
}

/// The `who` ranking as of `today`: every suggestion, best first.
pub fn who(ledger: &Ledger, today: NaiveDate) -> Vec<Suggestion> {
    let mut ranked: Vec<(Suggestion, TierAmount)> = ledger
        .people
        .iter()
        .filter_map(|p| suggest(ledger, p, today))
        .collect();
    ranked.sort_by(|(a, amount_a), (b, amount_b)| {
        a.tier
            .cmp(&b.tier)
            .then_with(|| compare_amounts(*amount_a, *amount_b))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.id.cmp(&b.id))
    });
    ranked.into_iter().map(|(s, _)| s).collect()
}

/// `who` restricted to a tag and cut to `limit` suggestions.
pub fn who_filtered(
    ledger: &Ledger,
    today: NaiveDate,
    tag: Option<&str>,
    limit: Option<usize>,
) -> Vec<Suggestion> {
    who(ledger, today)
        .into_iter()
        .filter(|s| {
            tag.is_none_or(|tag| {
                ledger
                    .person(&s.id)
                    .is_some_and(|p| p.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
            })
        })
        .take(limit.unwrap_or(usize::MAX))
        .collect()
}

/// What to do about an unanswered request of yours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FollowupAction {
    /// Not nudged yet: reach out once more.
    Nudge,
    /// Nudged, and another `followup_days` passed: let it go.
    LetGo,
}

impl FollowupAction {
    pub fn as_str(self) -> &'static str {
        match self {
            FollowupAction::Nudge => "nudge",
            FollowupAction::LetGo => "let-go",
        }
    }
}

/// One line of `kith followups`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Followup {
    pub name: String,
    /// The person's id.
    pub id: String,
    /// The request's id.
    pub request: String,
    pub what: String,
    pub asked_on: NaiveDate,
    /// The last time you reached out again, if you did.
    pub nudged_on: Option<NaiveDate>,
    pub action: FollowupAction,
    /// What to do, in a sentence.
    pub text: String,
}

/// Your open `out` requests past `followup_days`, oldest first.
pub fn followups(ledger: &Ledger, today: NaiveDate) -> Vec<Followup> {
    let wait = i64::from(ledger.settings.followup_days);
    let mut due = Vec::new();
    for entry in ledger.entries.iter().filter(|e| e.date <= today) {
        let Some(request) = entry.request() else {
            continue;
        };
        if request.direction != Direction::Out || request.status != Status::Open {
            continue;
        }
        let Some(person) = ledger.person(&entry.person) else {
            continue;
        };
        if person.archived {
            continue;
        }
        let nudged_on = request
            .nudges
            .iter()
            .filter(|d| **d <= today)
            .max()
            .copied();
        let name = &person.name;
        let what = &request.what;
        let (action, text) = match nudged_on {
            None if days_between(entry.date, today) >= wait => (
                FollowupAction::Nudge,
                format!(
                    "you asked {name} for “{what}” on {} and have not heard back — reach out once more",
                    entry.date
                ),
            ),
            Some(nudge) if days_between(nudge, today) >= wait => (
                FollowupAction::LetGo,
                format!(
                    "you asked {name} for “{what}” on {} and reached out again on {nudge} — let it go (consider `kith flag`)",
                    entry.date
                ),
            ),
            _ => continue,
        };
        due.push(Followup {
            name: name.clone(),
            id: person.id.clone(),
            request: entry.id.clone(),
            what: what.clone(),
            asked_on: entry.date,
            nudged_on,
            action,
            text,
        });
    }
    due.sort_by(|a, b| (a.asked_on, &a.request).cmp(&(b.asked_on, &b.request)));
    due
}

/// The warning `kith ask` prints before recording a request of someone you
/// never gave anything to, or who gave you more than you gave them.
pub fn give_first_warning(ledger: &Ledger, person_id: &str, today: NaiveDate) -> Option<String> {
    let person = ledger.person(person_id)?;
    let entries: Vec<&Entry> = entries_until(ledger, person, today).collect();
    let balance = Balance::of(entries.iter().copied(), None);
    let name = &person.name;
    if balance.given.count == 0 && balance.received.count == 0 {
        return Some(format!(
            "give first: you have not helped {name} yet — is there something you could do for them before asking?"
        ));
    }
    if balance.given.count == 0 || balance.net < 0 {
        return Some(format!(
            "give first: {} — consider returning the favour before asking for another",
            owe_text(name, &entries, &balance)
        ));
    }
    None
}
