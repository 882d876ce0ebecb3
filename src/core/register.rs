//! The register behind `kith log`: entries newest first, filtered by person,
//! date and type, each with its person's name and, for one person's log, the
//! running net after that entry. The running net is a [`Balance`] counted up
//! entry by entry, so it always agrees with `kith balance`.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::Serialize;

use crate::core::facts::Fact;
use crate::core::index::{Index, Rec};
use crate::core::model::{Entry, EntryType, Ledger};
use crate::core::reciprocity::Balance;

/// Which entries a register shows.
#[derive(Debug, Clone, Default)]
pub struct Filter<'q> {
    /// Only this person's entries (an id); their log shows the running net.
    pub person: Option<&'q str>,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub entry_type: Option<EntryType>,
    /// At most this many rows, the newest.
    pub limit: Option<usize>,
}

impl Filter<'_> {
    /// Whether anything beyond "everything" was asked for.
    pub fn narrows(&self) -> bool {
        self.person.is_some() || self.since.is_some() || self.entry_type.is_some()
    }

    fn shows<'a>(&self, entry: impl Fact<'a>) -> bool {
        let date = entry.date();
        self.since.is_none_or(|d| date >= d)
            && self.until.is_none_or(|d| date <= d)
            && self.entry_type.is_none_or(|t| entry.entry_type() == t)
    }
}

/// One row of the register; as JSON, the entry's own fields plus the name.
#[derive(Debug, Clone, Serialize)]
pub struct Row<'a> {
    #[serde(flatten)]
    pub entry: Cow<'a, Entry>,
    pub name: &'a str,
    /// The net with this person after this entry (one person's log only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net: Option<i64>,
}

/// The register's rows, newest first.
pub fn register<'a>(ledger: &'a Ledger, filter: &Filter) -> Vec<Row<'a>> {
    register_of(&Index::new(ledger), filter)
}

/// [`register`] over an index. One person's log walks only their entries
/// (the running net is over all of them, before any filter); the whole
/// register walks back from the newest entry and stops at the limit, so
/// `log -n 20` reads twenty entries whatever the ledger's size.
pub fn register_of<'a>(index: &Index<'a>, filter: &Filter) -> Vec<Row<'a>> {
    let limit = filter.limit.unwrap_or(usize::MAX);
    let mut found: Vec<(Rec<'a>, Option<i64>)> = Vec::new();
    match filter.person {
        Some(person) => {
            let mut balance = Balance::default();
            for entry in index.entries_of(person) {
                balance.add(entry);
                if filter.shows(entry) {
                    found.push((entry, Some(balance.net)));
                }
            }
            found.reverse();
            found.truncate(limit);
        }
        None => {
            for n in (0..index.entry_count()).rev() {
                if found.len() >= limit {
                    break;
                }
                if let Some(entry) = index.entry(n).filter(|e| filter.shows(*e)) {
                    found.push((entry, None));
                }
            }
        }
    }
    found
        .into_iter()
        .filter_map(|(entry, net)| {
            let name = index
                .person_of(entry)
                .map_or("(missing)", |p| p.name.as_str());
            Some(Row {
                entry: index.owned(entry)?,
                name,
                net,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Direction, Kind, Status};
    use crate::core::testkit::{Net, day};

    #[test]
    fn a_persons_log_carries_the_running_net_newest_first() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        let bob = net.person("Bob", "2026-01-01");
        net.gave(&ann, "2026-02-01", "a lift", Kind::Other); // +weight
        net.got(&bob, "2026-02-02", "advice", Kind::Advice);
        net.got(&ann, "2026-02-03", "an intro", Kind::Intro);
        net.asked(&ann, "2026-02-04", "a loan", Direction::In, Status::Open);
        net.met(&ann, "2026-02-05");
        let ledger = net.ledger;
        let filter = Filter {
            person: Some(&ann),
            ..Default::default()
        };
        let rows = register(&ledger, &filter);
        let other = i64::from(Kind::Other.default_weight());
        let intro = i64::from(Kind::Intro.default_weight());
        let nets: Vec<Option<i64>> = rows.iter().map(|r| r.net).collect();
        let after_intro = Some(other - intro);
        assert_eq!(
            nets,
            vec![after_intro, after_intro, after_intro, Some(other)]
        );
        assert!(rows.iter().all(|r| r.name == "Ann"));
        let balance = Balance::of(ledger.entries_of(&ann), None);
        assert_eq!(rows.first().and_then(|r| r.net), Some(balance.net));
    }

    #[test]
    fn filters_hide_rows_but_not_their_weight_in_the_net() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        net.gave(&ann, "2026-02-01", "a lift", Kind::Other);
        net.got(&ann, "2026-03-01", "advice", Kind::Advice);
        let ledger = net.ledger;
        let filter = Filter {
            person: Some(&ann),
            since: Some(day("2026-02-15")),
            ..Default::default()
        };
        let rows = register(&ledger, &filter);
        assert_eq!(rows.len(), 1);
        let expected =
            i64::from(Kind::Other.default_weight()) - i64::from(Kind::Advice.default_weight());
        assert_eq!(rows.first().and_then(|r| r.net), Some(expected));

        let everyone = register(&ledger, &Filter::default());
        assert_eq!(everyone.len(), 2);
        assert!(everyone.iter().all(|r| r.net.is_none()));
        let limited = Filter {
            limit: Some(1),
            entry_type: Some(EntryType::Gave),
            ..Default::default()
        };
        let rows = register(&ledger, &limited);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows.first().map(|r| r.entry.date), Some(day("2026-02-01")));
    }

    mod props {
        use proptest::prelude::*;

        use super::*;

        proptest! {
            /// Every row's running net is the balance of the person's entries
            /// up to and including that row, whatever the filters hide.
            #[test]
            fn the_running_net_is_the_balance_so_far(
                entries in proptest::collection::vec((0u8..4, 1u32..28), 0..30),
                since_day in proptest::option::of(1u32..28),
            ) {
                let mut net = Net::new();
                let ann = net.person("Ann", "2026-01-01");
                let bob = net.person("Bob", "2026-01-01");
                for (n, (what, day_of)) in entries.iter().enumerate() {
                    let who = if n % 3 == 2 { &bob } else { &ann };
                    let date = format!("2026-02-{day_of:02}");
                    match what {
                        0 => net.gave(who, &date, "x", Kind::Gift),
                        1 => net.got(who, &date, "x", Kind::Advice),
                        2 => net.met(who, &date),
                        _ => net.asked(who, &date, "x", Direction::In, Status::Open),
                    };
                }
                let ledger = net.ledger;
                let filter = Filter {
                    person: Some(&ann),
                    since: since_day.map(|d| day(&format!("2026-02-{d:02}"))),
                    ..Default::default()
                };
                for row in register(&ledger, &filter) {
                    let upto = ledger
                        .entries_of(&ann)
                        .take_while(|e| e.id != row.entry.id)
                        .chain(std::iter::once(&*row.entry));
                    prop_assert_eq!(row.net, Some(Balance::of(upto, None).net));
                }
            }
        }
    }
}
