//! The review of a period (`kith report`) and the network's health (`kith stats`),
//! as plain `Serialize` structs.
//!
//! A report answers "what happened between these two days, and what should I do
//! next?": favours and meetings in the period, requests opened and closed both
//! ways, how balances moved, and the advice (`who`, going cold, follow-ups) as
//! of the period's last day. Renderers for tables, Markdown and JSON live with
//! the command; nothing here reads the clock.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::core::advice::{self, Cold, ContactRequest, Followup, Suggestion};
use crate::core::birthdays::Upcoming;
use crate::core::facts::{Brief, DetailRef, Fact};
use crate::core::index::{Index, Rec};
use crate::core::model::{Direction, How, Kind, Ledger, Status};
use crate::core::reciprocity::{Balance, Standing, Tally, answered_on, standing_of};
use crate::core::relationship::{self, Tie};

/// How many `who` suggestions a report shows.
pub const REPORT_WHO: usize = 5;

/// A span of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub since: NaiveDate,
    pub until: NaiveDate,
}

impl Period {
    /// The 7 days ending `today` (the default, and `--week`).
    pub fn week(today: NaiveDate) -> Period {
        Period {
            since: today
                .checked_sub_days(chrono::Days::new(6))
                .unwrap_or(NaiveDate::MIN),
            until: today,
        }
    }

    /// The month ending `today`: from the day after the same date a month before.
    pub fn month(today: NaiveDate) -> Period {
        let since = today
            .checked_sub_months(Months::new(1))
            .and_then(|d| d.succ_opt())
            .unwrap_or(today);
        Period {
            since,
            until: today,
        }
    }

    /// From `since` to `until` (default today); refuses a reversed span.
    pub fn between(
        since: NaiveDate,
        until: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Period, String> {
        let until = until.unwrap_or(today);
        if since > until {
            return Err(format!(
                "the period starts ({since}) after it ends ({until})"
            ));
        }
        Ok(Period { since, until })
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.since <= date && date <= self.until
    }
}

/// A favour in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FavourItem {
    pub date: NaiveDate,
    pub name: String,
    pub id: String,
    pub entry: String,
    pub what: String,
    pub kind: Kind,
    pub weight: u8,
}

/// A meeting in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingItem {
    pub date: NaiveDate,
    pub name: String,
    pub id: String,
    pub entry: String,
    pub how: How,
    pub note: Option<String>,
}

/// A request opened or closed in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestItem {
    /// When it was asked.
    pub date: NaiveDate,
    pub name: String,
    pub id: String,
    pub entry: String,
    pub direction: Direction,
    pub what: String,
    pub status: Status,
    /// When it was closed, for closed requests.
    pub closed_on: Option<NaiveDate>,
}

/// How one person's balance moved over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceChange {
    pub name: String,
    pub id: String,
    /// Favours in the period only.
    pub given: Tally,
    pub received: Tally,
    pub net_before: i64,
    pub net_after: i64,
}

/// Someone whose pattern is one-way and who asked you in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneWayAsk {
    pub date: NaiveDate,
    pub name: String,
    pub id: String,
    pub what: String,
    /// All their requests so far.
    pub requests_total: u32,
}

/// The review of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub since: NaiveDate,
    pub until: NaiveDate,
    pub gave: Vec<FavourItem>,
    pub got: Vec<FavourItem>,
    pub met: Vec<MeetingItem>,
    pub requests_opened: Vec<RequestItem>,
    pub requests_closed: Vec<RequestItem>,
    pub balance_changes: Vec<BalanceChange>,
    /// The top of `who` as of the period's last day.
    pub who: Vec<Suggestion>,
    /// Open requests, as of the period's last day, from people you have no
    /// history with: not suggestions, things to check before saying yes.
    pub asked_by_contacts: Vec<ContactRequest>,
    pub going_cold: Vec<Cold>,
    pub followups: Vec<Followup>,
    pub one_way: Vec<OneWayAsk>,
    /// Birthdays and labelled dates in the week after the period's last day.
    pub birthdays: Vec<Upcoming>,
}

/// How many days after its last day a report looks for birthdays: a week.
pub const REPORT_BIRTHDAY_DAYS: u32 = 7;

/// When a closed request was closed: the favour that answered it, else the
/// day its entry was last changed (declines and lapses carry no date of their own).
fn closed_on<'a>(answered: &HashMap<&str, NaiveDate>, entry: impl Fact<'a>) -> Option<NaiveDate> {
    let Brief::Ask { status, .. } = entry.brief() else {
        return None;
    };
    if status == Status::Open {
        return None;
    }
    let answered = answered.get(entry.id()).copied();
    Some(
        answered
            .unwrap_or_else(|| entry.updated().date_naive())
            .max(entry.date()),
    )
}

/// The review of `period` over `ledger`.
pub fn report(ledger: &Ledger, period: Period) -> Report {
    report_of(&Index::new(ledger), period)
}

/// [`report`] over an index.
pub fn report_of(index: &Index, period: Period) -> Report {
    let answered = answered_on(index.entries());
    let mut report = Report {
        since: period.since,
        until: period.until,
        gave: Vec::new(),
        got: Vec::new(),
        met: Vec::new(),
        requests_opened: Vec::new(),
        requests_closed: Vec::new(),
        balance_changes: Vec::new(),
        who: advice::who(index, period.until)
            .into_iter()
            .take(REPORT_WHO)
            .collect(),
        asked_by_contacts: advice::asked_by_contacts(index, period.until, None),
        going_cold: advice::going_cold(index, period.until),
        followups: advice::followups(index, period.until),
        one_way: Vec::new(),
        birthdays: advice::upcoming_dates(index, period.until, REPORT_BIRTHDAY_DAYS),
    };
    for entry in index.entries() {
        let brief = entry.brief();
        let date = entry.date();
        // A request closes on or after the day it was made: nothing made
        // after the period is in the report. (Not a `break`: a hand-edited
        // ledger need not be in date order.)
        if date > period.until {
            continue;
        }
        let closed = if let Brief::Ask { .. } = brief {
            closed_on(&answered, entry)
        } else {
            None
        };
        let wanted = period.contains(date) || closed.is_some_and(|d| period.contains(d));
        if !wanted {
            continue;
        }
        let person_id = index.person_id_of(entry);
        let name = index
            .person_of(entry)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| person_id.to_string());
        match entry.detail() {
            DetailRef::Ask(request) => {
                let item = RequestItem {
                    date,
                    name,
                    id: person_id.to_string(),
                    entry: entry.id().to_string(),
                    direction: request.direction,
                    what: request.what.to_string(),
                    status: request.status,
                    closed_on: closed,
                };
                if closed.is_some_and(|d| period.contains(d)) {
                    report.requests_closed.push(item.clone());
                }
                if period.contains(date) {
                    report.requests_opened.push(item);
                }
            }
            DetailRef::Gave(f) | DetailRef::Got(f) => {
                let item = FavourItem {
                    date,
                    name,
                    id: person_id.to_string(),
                    entry: entry.id().to_string(),
                    what: f.what.to_string(),
                    kind: f.kind,
                    weight: f.weight,
                };
                if matches!(brief, Brief::Gave { .. }) {
                    report.gave.push(item);
                } else {
                    report.got.push(item);
                }
            }
            DetailRef::Met(m) => report.met.push(MeetingItem {
                date,
                name,
                id: person_id.to_string(),
                entry: entry.id().to_string(),
                how: m.how,
                note: m.note.map(str::to_string),
            }),
        }
    }
    report
        .requests_closed
        .sort_by_key(|r| (r.closed_on, r.date));

    // One pass over each person's entries for both their balance change and
    // whether they asked one-way in the period.
    for person in index.people() {
        let (mut during, mut before, mut after) =
            (Balance::default(), Balance::default(), Balance::default());
        let mut incoming = 0u32;
        let mut asked_in_period: Vec<Rec> = Vec::new();
        for entry in index.entries_of(&person.id) {
            let (date, brief) = (entry.date(), entry.brief());
            if date > period.until {
                continue;
            }
            after.count(date, brief);
            if date < period.since {
                before.count(date, brief);
            } else {
                during.count(date, brief);
            }
            if let Brief::Ask {
                direction: Direction::In,
                ..
            } = brief
            {
                incoming += 1;
                if date >= period.since {
                    asked_in_period.push(entry);
                }
            }
        }
        if during.given.count > 0 || during.received.count > 0 {
            report.balance_changes.push(BalanceChange {
                name: person.name.clone(),
                id: person.id.clone(),
                given: during.given,
                received: during.received,
                net_before: before.net,
                net_after: after.net,
            });
        }
        if Standing::from_facts(false, &after, incoming) != Standing::OneWay {
            continue;
        }
        for entry in asked_in_period {
            if let Some(r) = entry.request() {
                report.one_way.push(OneWayAsk {
                    date: entry.date(),
                    name: person.name.clone(),
                    id: person.id.clone(),
                    what: r.what.to_string(),
                    requests_total: incoming,
                });
            }
        }
    }
    report
        .balance_changes
        .sort_by_key(|c| c.name.to_lowercase());

    report
        .one_way
        .sort_by(|a, b| (a.date, &a.name).cmp(&(b.date, &b.name)));
    report
}

/// Favours given and received in one calendar month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    pub given: u32,
    pub received: u32,
}

/// Contacts: people who are not relationships (see `core::relationship`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactCounts {
    pub total: u32,
    /// Brought in by an import, nothing logged.
    pub imported: u32,
    /// Their only history is requests they made of you.
    pub requesters: u32,
}

/// The network's health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Relationships not archived (with `--all`, contacts too).
    pub people: u32,
    pub archived: u32,
    /// Contacts not archived, counted apart from the standings (with
    /// `--all` they are in `people` and `by_standing` as well).
    pub contacts: ContactCounts,
    /// `people` by standing.
    pub by_standing: BTreeMap<Standing, u32>,
    /// The last 12 calendar months, oldest first, ending with today's month.
    pub months: Vec<MonthCount>,
    pub given_sparkline: String,
    pub received_sparkline: String,
    pub going_cold: u32,
    pub open_requests_in: u32,
    pub open_requests_out: u32,
}

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One character a value, scaled to the largest; zero is the lowest bar.
pub fn sparkline(values: &[u32]) -> String {
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|v| {
            if max == 0 || *v == 0 {
                ' '
            } else {
                let top = SPARKS.len() - 1;
                let level = (*v as usize * top).div_ceil(max as usize).min(top);
                SPARKS.get(level).copied().unwrap_or('█')
            }
        })
        .collect()
}

/// Network health as of `today`: relationships only, unless `all`.
pub fn stats(ledger: &Ledger, today: NaiveDate, all: bool) -> Stats {
    stats_of(&Index::new(ledger), today, all)
}

/// [`stats`] over an index.
pub fn stats_of(index: &Index, today: NaiveDate, all: bool) -> Stats {
    let mut contacts = ContactCounts::default();
    let mut active = Vec::new();
    for person in index.people().iter().filter(|p| !p.archived) {
        let tie = relationship::tie(person, index.entries_of(&person.id));
        match tie {
            Tie::Relationship => {}
            Tie::Imported => contacts.imported += 1,
            Tie::Requester => contacts.requesters += 1,
        }
        if all || tie.is_relationship() {
            active.push(person);
        }
    }
    contacts.total = contacts.imported + contacts.requesters;
    let mut by_standing: BTreeMap<Standing, u32> = Standing::ALL
        .iter()
        .filter(|s| **s != Standing::Unknown)
        .map(|s| (*s, 0))
        .collect();
    for person in &active {
        *by_standing
            .entry(standing_of(index.entries_of(&person.id), person))
            .or_default() += 1;
    }
    let first_of_month = today.with_day(1).unwrap_or(today);
    let months: Vec<NaiveDate> = (0..12u32)
        .rev()
        .filter_map(|back| first_of_month.checked_sub_months(Months::new(back)))
        .collect();
    let mut counts: Vec<MonthCount> = months
        .iter()
        .map(|m| MonthCount {
            month: m.format("%Y-%m").to_string(),
            given: 0,
            received: 0,
        })
        .collect();
    // Months as numbers: formatting a key per entry was most of `stats`.
    let month_of = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let first_month = months.first().map_or(i64::MAX, |m| month_of(*m));
    let (mut open_in, mut open_out) = (0, 0);
    for entry in index.entries() {
        let brief = entry.brief();
        match brief {
            Brief::Ask {
                direction,
                status: Status::Open,
            } => match direction {
                Direction::In => open_in += 1,
                Direction::Out => open_out += 1,
            },
            Brief::Gave { .. } | Brief::Got { .. } => {
                let date = entry.date();
                if date > today {
                    continue;
                }
                let at = month_of(date) - first_month;
                if let Some(count) = usize::try_from(at).ok().and_then(|at| counts.get_mut(at)) {
                    if matches!(brief, Brief::Gave { .. }) {
                        count.given += 1;
                    } else {
                        count.received += 1;
                    }
                }
            }
            _ => {}
        }
    }
    let given: Vec<u32> = counts.iter().map(|c| c.given).collect();
    let received: Vec<u32> = counts.iter().map(|c| c.received).collect();
    let archived = index.people().iter().filter(|p| p.archived).count();
    Stats {
        people: active.len() as u32,
        archived: archived as u32,
        contacts,
        by_standing,
        given_sparkline: sparkline(&given),
        received_sparkline: sparkline(&received),
        months: counts,
        going_cold: advice::going_cold(index, today).len() as u32,
        open_requests_in: open_in,
        open_requests_out: open_out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testkit::{Net, day};

    #[test]
    fn periods() {
        let today = day("2026-11-21");
        assert_eq!(Period::week(today).since, day("2026-11-15"));
        assert_eq!(Period::month(today).since, day("2026-10-22"));
        assert!(Period::between(day("2026-12-01"), None, today).is_err());
    }

    #[test]
    fn report_covers_the_period_both_ways() {
        let mut net = Net::new();
        let a = net.person("Alice", "2026-01-01");
        let o = net.person("Oscar", "2026-01-01");
        net.gave(&a, "2026-10-01", "old", Kind::Help);
        net.gave(&a, "2026-11-16", "intro to Dana", Kind::Intro);
        net.got(&a, "2026-11-18", "referral", Kind::Referral);
        net.met(&a, "2026-11-20");
        net.asked(&o, "2026-10-01", "a job", Direction::In, Status::Open);
        net.asked(&o, "2026-11-17", "a loan", Direction::In, Status::Open);
        net.asked(&a, "2026-11-19", "a review", Direction::Out, Status::Open);
        net.asked(&a, "2026-11-10", "outside", Direction::Out, Status::Open);
        let r = report(&net.ledger, Period::week(day("2026-11-21")));
        assert_eq!(r.gave.len(), 1);
        assert_eq!(r.got.len(), 1);
        assert_eq!(r.met.len(), 1);
        assert_eq!(r.requests_opened.len(), 2);
        assert_eq!(r.balance_changes.len(), 1);
        assert_eq!(r.balance_changes[0].net_before, 2);
        assert_eq!(r.balance_changes[0].net_after, 1);
        assert_eq!(r.one_way.len(), 1);
        assert_eq!(r.one_way[0].what, "a loan");
    }

    #[test]
    fn report_lists_the_birthdays_of_the_coming_week() {
        let mut net = Net::new();
        let a = net.person("Alice", "2026-01-01");
        net.edit(&a, |p| p.birthday = Some("--11-28".parse().unwrap()));
        let b = net.person("Bo", "2026-01-01");
        net.edit(&b, |p| p.birthday = Some("1990-11-29".parse().unwrap()));
        let imported = net.person("Imported", "2026-01-01");
        net.edit(&imported, |p| {
            p.birthday = Some("--11-22".parse().unwrap());
            p.source = Some("linkedin".into());
        });
        let r = report(&net.ledger, Period::week(day("2026-11-21")));
        let names: Vec<&str> = r.birthdays.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["Alice"]);
        assert_eq!(r.birthdays[0].on, day("2026-11-28"));
        let r = report(&net.ledger, Period::week(day("2026-11-22")));
        assert_eq!(r.birthdays.len(), 2);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["birthdays"][1]["on"], "2026-11-29");
    }

    #[test]
    fn sparkline_scales_to_the_largest() {
        assert_eq!(sparkline(&[0, 1, 2, 4]), " ▃▅█");
        assert_eq!(sparkline(&[0, 0]), "  ");
    }

    #[test]
    fn stats_count_standings_and_months() {
        let mut net = Net::new();
        let a = net.person("Alice", "2026-01-01");
        net.gave(&a, "2026-11-01", "x", Kind::Help);
        net.got(&a, "2025-12-01", "y", Kind::Help);
        net.got(&a, "2025-11-01", "too old", Kind::Help);
        let s = stats(&net.ledger, day("2026-11-21"), false);
        assert_eq!(s.months.len(), 12);
        assert_eq!(s.months[0].month, "2025-12");
        assert_eq!(s.months[0].received, 1);
        assert_eq!(s.months[11].given, 1);
        assert_eq!(s.by_standing[&Standing::YouOwe], 1);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["by_standing"]["you-owe"], 1);
    }

    #[test]
    fn stats_count_contacts_on_their_own() {
        let mut net = Net::new();
        let a = net.person("Alice", "2026-01-01");
        net.met(&a, "2026-11-01");
        for i in 0..3 {
            let id = net.person(&format!("Imp {i}"), "2026-01-01");
            net.edit(&id, |p| p.source = Some("linkedin".into()));
        }
        let kev = net.person("Kevin", "2026-01-01");
        net.edit(&kev, |p| {
            p.source = Some(relationship::REQUEST_SOURCE.into())
        });
        net.asked(&kev, "2026-11-01", "x", Direction::In, Status::Open);
        let s = stats(&net.ledger, day("2026-11-21"), false);
        assert_eq!(s.people, 1);
        assert_eq!(s.by_standing[&Standing::New], 1);
        assert_eq!(
            s.contacts,
            ContactCounts {
                total: 4,
                imported: 3,
                requesters: 1
            }
        );
        let all = stats(&net.ledger, day("2026-11-21"), true);
        assert_eq!(all.people, 5);
        assert_eq!(all.by_standing[&Standing::New], 5);
        let r = report(&net.ledger, Period::week(day("2026-11-21")));
        let who: Vec<&str> = r.who.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(who, ["Alice"]);
        assert_eq!(r.asked_by_contacts.len(), 1);
        assert_eq!(r.asked_by_contacts[0].id, kev);
    }
}
