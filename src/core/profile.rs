//! Everything `kith show` says about one person, gathered once: the record,
//! the balance (all time and the last 365 days), the standing, the
//! observations, open requests and needs, and the timeline. `show --json` is
//! this struct as serde writes it (the person's own fields at the top level);
//! the text layout is `view::people::show`.

use chrono::NaiveDate;
use serde::Serialize;

use crate::core::followup::{self, Followup};
use crate::core::index::Index;
use crate::core::ledger;
use crate::core::model::{Entry, Ledger, Need, Person, Status};
use crate::core::reciprocity::{Balance, Standing, observations, standing_of, year_start};
use crate::core::relationship;

#[derive(Debug, Clone, Serialize)]
pub struct Profile<'a> {
    #[serde(flatten)]
    pub person: &'a Person,
    pub short_id: String,
    pub balance: Balance,
    pub balance_365: Balance,
    pub standing: Standing,
    /// Whether they are a relationship (else a contact).
    pub relationship: bool,
    /// Your request to them that calls for a follow-up, as `check` says it.
    pub followup: Option<Followup>,
    pub observations: Vec<String>,
    pub open_requests: Vec<&'a Entry>,
    /// Every entry about them, oldest first.
    pub timeline: Vec<&'a Entry>,
    /// What they are still looking for (in JSON, `needs` holds them all).
    #[serde(skip)]
    pub open_needs: Vec<&'a Need>,
    /// Name, org and short id: how lists of candidates name them.
    #[serde(skip)]
    pub label: String,
}

impl<'a> Profile<'a> {
    pub fn of(ledger: &'a Ledger, person: &'a Person, today: NaiveDate) -> Profile<'a> {
        let timeline: Vec<&Entry> = ledger.entries_of(&person.id).collect();
        let open_requests = timeline
            .iter()
            .copied()
            .filter(|e| e.request().is_some_and(|r| r.status == Status::Open))
            .collect();
        Profile {
            person,
            short_id: ledger::short_person_id(ledger, &person.id),
            balance: Balance::of(timeline.iter().copied(), None),
            balance_365: Balance::of(timeline.iter().copied(), Some(year_start(today))),
            standing: standing_of(timeline.iter().copied(), person),
            relationship: relationship::tie(person, timeline.iter().copied()).is_relationship(),
            followup: followup::for_person(
                person,
                timeline.iter().copied(),
                ledger.settings.followup_days,
                today,
            ),
            observations: observations(ledger, person, today),
            open_requests,
            open_needs: person.open_needs().collect(),
            label: ledger::describe(ledger, person),
            timeline,
        }
    }
}

/// A row of the `kith people` table: the person and their last exchange.
#[derive(Debug, Clone, Copy)]
pub struct Listed<'a> {
    pub person: &'a Person,
    pub last_exchange: Option<NaiveDate>,
}

/// The rows for `people`, found with one index over the ledger.
pub fn listed<'a>(ledger: &'a Ledger, people: &[&'a Person]) -> Vec<Listed<'a>> {
    listed_of(&Index::new(ledger), people)
}

/// [`listed`] over an index.
pub fn listed_of<'a>(index: &Index, people: &[&'a Person]) -> Vec<Listed<'a>> {
    people
        .iter()
        .map(|person| Listed {
            person,
            last_exchange: Balance::of(index.entries_of(&person.id), None).last_exchange,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Direction, Kind};
    use crate::core::testkit::{Net, day};

    #[test]
    fn a_profile_gathers_balance_requests_and_timeline() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2025-01-01");
        net.gave(&ann, "2025-02-01", "a lift", Kind::Other);
        net.got(&ann, "2026-10-01", "advice", Kind::Advice);
        let open = net.asked(&ann, "2026-10-02", "a loan", Direction::In, Status::Open);
        net.asked(&ann, "2026-10-03", "a job", Direction::Out, Status::Lapsed);
        net.edit(&ann, |p| {
            p.needs.push(Need {
                id: "n-1".into(),
                text: "a flat".into(),
                since: day("2026-01-01"),
                done: true,
                extra: Default::default(),
            })
        });
        let ledger = net.ledger;
        let person = ledger.person(&ann).unwrap();
        let profile = Profile::of(&ledger, person, day("2026-11-23"));
        assert_eq!(profile.timeline.len(), 4);
        assert_eq!(profile.balance.given.count, 1);
        assert_eq!(profile.balance_365.given.count, 0, "the lift is too old");
        assert_eq!(profile.balance_365.received.count, 1);
        let open_ids: Vec<&str> = profile
            .open_requests
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(open_ids, vec![open.as_str()]);
        assert!(profile.open_needs.is_empty());
        assert_eq!(
            profile.standing,
            standing_of(ledger.entries_of(&ann), person)
        );

        let json = serde_json::to_value(&profile).unwrap();
        for key in [
            "id",
            "name",
            "needs",
            "short_id",
            "balance",
            "balance_365",
            "standing",
            "observations",
            "open_requests",
            "timeline",
        ] {
            assert!(json.get(key).is_some(), "show --json lost `{key}`: {json}");
        }
        assert!(json.get("label").is_none() && json.get("open_needs").is_none());

        let rows = listed(&ledger, &[person]);
        assert_eq!(
            rows.first().and_then(|r| r.last_exchange),
            Some(day("2026-10-01"))
        );
    }
}
