//! The follow-up verdict on a request you made that has not been answered:
//! reach out once more, or let it go.
//!
//! SPEC: when someone does not reciprocate, assume the best, reach out
//! **once** more, then quietly stop helping. An `out` request still open
//! `followup_days` after you asked, and not nudged yet, calls for one more
//! message; once nudged, another `followup_days` of silence means it is time
//! to let it go (`kith flag`, private). `kith followups`, `kith check`, `show`
//! and the calendar export all ask [`verdict`], so they never disagree.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::core::dates::days_between;
use crate::core::facts::{Brief, Fact, RequestRef};
use crate::core::index::Index;
use crate::core::model::{Direction, Person, Status};

/// What to do about an unanswered request of yours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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

/// One request of yours that calls for a follow-up.
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

/// The verdict on one request as of `today`, with the last nudge: `None`
/// when it is not yours, not open, or not due yet.
pub fn verdict(
    asked_on: NaiveDate,
    request: RequestRef,
    followup_days: u32,
    today: NaiveDate,
) -> Option<(FollowupAction, Option<NaiveDate>)> {
    if request.direction != Direction::Out || request.status != Status::Open || asked_on > today {
        return None;
    }
    let wait = i64::from(followup_days);
    let nudged_on = request.nudges.iter().filter(|d| *d <= today).max();
    match nudged_on {
        None if days_between(asked_on, today) >= wait => Some((FollowupAction::Nudge, None)),
        Some(nudge) if days_between(nudge, today) >= wait => {
            Some((FollowupAction::LetGo, Some(nudge)))
        }
        _ => None,
    }
}

/// The sentence `followups` shows for a request.
fn sentence(
    name: &str,
    what: &str,
    asked_on: NaiveDate,
    nudged_on: Option<NaiveDate>,
    action: FollowupAction,
) -> String {
    match (action, nudged_on) {
        (FollowupAction::LetGo, Some(nudge)) => format!(
            "you asked {name} for “{what}” on {asked_on} and reached out again on {nudge} — let it go (consider `kith flag`)"
        ),
        _ => format!(
            "you asked {name} for “{what}” on {asked_on} and have not heard back — reach out once more"
        ),
    }
}

/// The follow-up an entry calls for, if any (the person must be known).
fn of_entry<'a>(
    person: &Person,
    entry: impl Fact<'a>,
    followup_days: u32,
    today: NaiveDate,
) -> Option<Followup> {
    let Brief::Ask {
        direction: Direction::Out,
        status: Status::Open,
    } = entry.brief()
    else {
        return None;
    };
    let request = entry.request()?;
    let date = entry.date();
    let (action, nudged_on) = verdict(date, request, followup_days, today)?;
    Some(Followup {
        name: person.name.clone(),
        id: person.id.clone(),
        request: entry.id().to_string(),
        what: request.what.to_string(),
        asked_on: date,
        nudged_on,
        action,
        text: sentence(&person.name, request.what, date, nudged_on, action),
    })
}

/// Flagged or archived: you already let go, or asked not to be reminded.
fn followed_up(person: &Person) -> bool {
    !person.archived && person.flag.is_none()
}

/// Your open `out` requests that call for a follow-up as of `today`, oldest
/// first (none to flagged or archived people).
pub fn followups(index: &Index, today: NaiveDate) -> Vec<Followup> {
    let days = index.settings().followup_days;
    let mut due: Vec<Followup> = index
        .entries()
        .filter(|e| {
            e.brief()
                == Brief::Ask {
                    direction: Direction::Out,
                    status: Status::Open,
                }
        })
        .filter_map(|entry| {
            let person = index.person_of(entry).filter(|p| followed_up(p))?;
            of_entry(person, entry, days, today)
        })
        .collect();
    due.sort_by(|a, b| (a.asked_on, &a.request).cmp(&(b.asked_on, &b.request)));
    due
}

/// The one follow-up `check` and `show` speak of for a person: a let-go
/// before a nudge, then the oldest request. The same verdict as
/// [`followups`], from the person's own entries.
pub fn for_person<'a, F: Fact<'a>>(
    person: &Person,
    entries: impl IntoIterator<Item = F>,
    followup_days: u32,
    today: NaiveDate,
) -> Option<Followup> {
    if !followed_up(person) {
        return None;
    }
    entries
        .into_iter()
        .filter_map(|e| of_entry(person, e, followup_days, today))
        .min_by(|a, b| {
            b.action
                .cmp(&a.action)
                .then_with(|| (a.asked_on, &a.request).cmp(&(b.asked_on, &b.request)))
        })
}

/// What `check` says about it, addressed to you: "reach out once more is
/// worth it" or "the kind thing now is to let it go". `short` is the
/// request's short id, for the command to type.
pub fn check_sentence(followup: &Followup, short: &str) -> String {
    let what = &followup.what;
    let asked = followup.asked_on;
    match (followup.action, followup.nudged_on) {
        (FollowupAction::LetGo, Some(nudge)) => format!(
            "You asked for “{what}” on {asked}, reached out once more on {nudge} and heard nothing: the kind thing now is to let it go, quietly and without a grudge (`kith flag` keeps that private)."
        ),
        _ => format!(
            "You asked for “{what}” on {asked} and have not heard back: reaching out once more is worth it (`kith nudge {short}` when you have)."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testkit::{Net, day};

    const TODAY: &str = "2026-11-21";

    #[test]
    fn the_verdict_waits_then_nudges_then_lets_go() {
        let mut net = Net::new();
        let p = net.person("Pat", "2026-01-01");
        let id = net.asked(&p, "2026-10-01", "a quote", Direction::Out, Status::Open);
        let at = |net: &Net, today: &str| {
            let entry = net.ledger.entry(&id).unwrap();
            verdict(
                day("2026-10-01"),
                Fact::request(entry).unwrap(),
                14,
                day(today),
            )
        };
        assert_eq!(at(&net, "2026-10-14"), None);
        assert_eq!(at(&net, "2026-10-15"), Some((FollowupAction::Nudge, None)));
        net.nudge(&id, "2026-10-20");
        assert_eq!(at(&net, "2026-11-02"), None);
        assert_eq!(
            at(&net, "2026-11-03"),
            Some((FollowupAction::LetGo, Some(day("2026-10-20"))))
        );
        // A nudge dated after today is not counted yet.
        assert_eq!(at(&net, "2026-10-19"), Some((FollowupAction::Nudge, None)));
    }

    #[test]
    fn incoming_closed_and_future_requests_call_for_nothing() {
        let mut net = Net::new();
        let p = net.person("Pat", "2026-01-01");
        net.asked(&p, "2026-01-01", "in", Direction::In, Status::Open);
        net.asked(&p, "2026-01-01", "done", Direction::Out, Status::Granted);
        net.asked(&p, "2026-01-01", "lapsed", Direction::Out, Status::Lapsed);
        net.asked(&p, "2026-12-01", "later", Direction::Out, Status::Open);
        assert!(followups(&Index::new(&net.ledger), day(TODAY)).is_empty());
    }

    #[test]
    fn one_person_gets_the_same_verdict_as_the_list() {
        let mut net = Net::new();
        let p = net.person("Pat", "2026-01-01");
        let stale = net.asked(&p, "2026-09-01", "stale", Direction::Out, Status::Open);
        let nudged = net.asked(&p, "2026-10-01", "nudged", Direction::Out, Status::Open);
        net.nudge(&nudged, "2026-10-10");
        let person = net.ledger.person(&p).unwrap().clone();
        let one = for_person(&person, net.ledger.entries_of(&p), 14, day(TODAY)).unwrap();
        assert_eq!(one.request, nudged, "a let-go speaks before a nudge");
        assert_eq!(one.action, FollowupAction::LetGo);
        let list = followups(&Index::new(&net.ledger), day(TODAY));
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].request, stale);
        assert!(list.contains(&one));
        let text = check_sentence(&one, "e-0000");
        assert!(
            text.contains("reached out once more on 2026-10-10"),
            "{text}"
        );
        assert!(text.contains("let it go"), "{text}");
        net.flag(&p, "2026-11-20");
        let person = net.ledger.person(&p).unwrap().clone();
        assert_eq!(
            for_person(&person, net.ledger.entries_of(&p), 14, day(TODAY)),
            None
        );
        assert!(followups(&Index::new(&net.ledger), day(TODAY)).is_empty());
    }
}
