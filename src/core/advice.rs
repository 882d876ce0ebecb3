//! Advice: whom to help next, which of your requests to follow up, and the
//! give-first warning before you ask someone for something.
//!
//! The ranking follows SPEC "Who-to-help ranking" exactly: candidates are people
//! not flagged, archived, snoozed, one-way or in cooldown (a coming birthday
//! lifts the cooldown); each gets reasons (open request, a birthday or labelled
//! date coming round, you owe them, going cold, give first); the highest reason
//! decides the tier and the tier's amount breaks ties. Every reason carries a
//! warm sentence with the facts behind it. All of it is a pure function of the
//! ledger and `today`; entries dated after `today` are ignored, so a report can
//! ask for the advice "as of" an earlier day.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::core::birthdays;
use crate::core::index::Index;
use crate::core::model::{Detail, Direction, Entry, Ledger, Person, Status};
use crate::core::reciprocity::{
    Balance, Standing, cadence_days, days_between, kind_phrase, plural, request_counts,
};

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

/// What decides the order inside a tier (besides the tier itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TierAmount {
    /// The date of the oldest open request: older first.
    OldestRequest(NaiveDate),
    /// Days until the birthday or date: sooner first.
    Soon(i64),
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
        (TierAmount::Priority(a), TierAmount::Priority(b)) => b.cmp(&a),
        _ => Ordering::Equal,
    }
}

/// Entries about a person up to and including `today`.
fn entries_until<'a>(
    ledger: &'a Index<'_>,
    person: &'a Person,
    today: NaiveDate,
) -> impl Iterator<Item = &'a Entry> + 'a {
    ledger
        .entries_of(&person.id)
        .filter(move |e| e.date <= today)
}

/// Whether you gave to or met them in the last `cooldown_days` (not again so soon).
pub fn in_cooldown(index: &Index, person: &Person, today: NaiveDate) -> bool {
    let cooldown = i64::from(index.settings().cooldown_days);
    entries_until(index, person, today).any(|e| {
        matches!(e.detail, Detail::Gave(_) | Detail::Met(_))
            && days_between(e.date, today) < cooldown
    })
}

/// Whether `who` may suggest them at all: not flagged, archived, snoozed past
/// today, one-way or in cooldown.
pub fn is_candidate(index: &Index, person: &Person, today: NaiveDate) -> bool {
    is_candidate_but_for_cooldown(index, person, today) && !in_cooldown(index, person, today)
}

/// [`is_candidate`] before the cooldown, which a coming birthday lifts.
fn is_candidate_but_for_cooldown(index: &Index, person: &Person, today: NaiveDate) -> bool {
    if person.flag.is_some() || person.archived {
        return false;
    }
    if person.snoozed_until.is_some_and(|until| until > today) {
        return false;
    }
    let balance = Balance::of(entries_until(index, person, today), None);
    let (incoming, _) = request_counts(entries_until(index, person, today));
    Standing::from_facts(false, &balance, incoming.total) != Standing::OneWay
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
fn suggest(index: &Index, person: &Person, today: NaiveDate) -> Option<(Suggestion, TierAmount)> {
    let mut coming = birthdays::upcoming_for(person, today, index.settings().birthday_days);
    if !coming.is_empty() && !birthdays::gets_reminders(index, person, today) {
        coming.clear();
    }
    // A coming birthday lifts the cooldown.
    let candidate = if coming.is_empty() {
        is_candidate(index, person, today)
    } else {
        is_candidate_but_for_cooldown(index, person, today)
    };
    if !candidate {
        return None;
    }
    let entries: Vec<&Entry> = entries_until(index, person, today).collect();
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
                crate::core::dates::relative(entry.date, today)
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
            text: owe_text(name, &entries, &balance),
        });
    }

    // Imported contacts with nothing exchanged are not relationships yet: no nagging.
    let bare_import = person.source.is_some() && balance.last_exchange.is_none();
    let cadence = cadence_days(index.settings(), person);
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
            index
                .settings()
                .priority_tags
                .iter()
                .any(|p| p.eq_ignore_ascii_case(t))
        });
        amounts.push(TierAmount::Priority(priority.is_some()));
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
pub fn who(index: &Index, today: NaiveDate) -> Vec<Suggestion> {
    let mut ranked: Vec<(Suggestion, TierAmount)> = index
        .people()
        .iter()
        .filter_map(|p| suggest(index, p, today))
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
    index: &Index,
    today: NaiveDate,
    tag: Option<&str>,
    limit: Option<usize>,
) -> Vec<Suggestion> {
    who(index, today)
        .into_iter()
        .filter(|s| {
            tag.is_none_or(|tag| {
                index
                    .person(&s.id)
                    .is_some_and(|p| p.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
            })
        })
        .take(limit.unwrap_or(usize::MAX))
        .collect()
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
/// Flagged, archived, snoozed and one-way people and bare imports are left
/// out, as in `who`: there is nothing to keep warm there, or you asked not to
/// be reminded.
pub fn going_cold(index: &Index, today: NaiveDate) -> Vec<Cold> {
    let mut cold: Vec<Cold> = index
        .people()
        .iter()
        .filter(|p| p.flag.is_none() && !p.archived)
        .filter(|p| p.snoozed_until.is_none_or(|until| until <= today))
        .filter_map(|p| {
            let balance = Balance::of(entries_until(index, p, today), None);
            if p.source.is_some() && balance.last_exchange.is_none() {
                return None;
            }
            let (incoming, _) = request_counts(entries_until(index, p, today));
            if Standing::from_facts(false, &balance, incoming.total) == Standing::OneWay {
                return None;
            }
            let cadence = cadence_days(index.settings(), p);
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

/// Your open `out` requests past `followup_days`, oldest first (not to
/// flagged or archived people).
pub fn followups(index: &Index, today: NaiveDate) -> Vec<Followup> {
    let wait = i64::from(index.settings().followup_days);
    let mut due = Vec::new();
    for entry in index.entries().iter().filter(|e| e.date <= today) {
        let Some(request) = entry.request() else {
            continue;
        };
        if request.direction != Direction::Out || request.status != Status::Open {
            continue;
        }
        let Some(person) = index.person(&entry.person) else {
            continue;
        };
        // Flagged or archived: you already let go, or asked not to be reminded.
        if person.archived || person.flag.is_some() {
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
            "give first: {} — consider returning the favour before asking for another",
            owe_text(name, &entries, &balance)
        ));
    }
    None
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
            "Judy sent you a referral (“client referral”) on 2026-11-01 — you have not returned it yet"
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
        let person = (any::<bool>(), any::<bool>(), 0u8..3, 0u8..4);
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
                Detail::Gave(f) => Some(f),
                _ => None,
            }) {
                f.weight = weight;
            }
            let after = Balance::of(net.ledger.entries_of(&id), None).net;
            prop_assert!(after > before);
        }
    }
}
