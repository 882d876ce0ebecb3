//! Balance, standing and observations for one person: pure functions of the
//! ledger and a given `today`.
//!
//! The balance follows SPEC "Reciprocity": `given` and `received` count and sum
//! the weights of `gave` and `got` entries, `net = given.weight - received.weight`,
//! and the last exchange is the latest `gave`, `got` or `met` (a bare request is
//! not an exchange). Lifetime history always counts; the last 365 days are shown
//! beside it.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::model::{Detail, Entry, Person, Settings};

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
    pub fn of<'a>(
        entries: impl IntoIterator<Item = &'a Entry>,
        since: Option<NaiveDate>,
    ) -> Balance {
        let mut balance = Balance::default();
        for entry in entries {
            if since.is_some_and(|since| entry.date < since) {
                continue;
            }
            match &entry.detail {
                Detail::Gave(f) => balance.given.add(f.weight),
                Detail::Got(f) => balance.received.add(f.weight),
                Detail::Met(_) => {}
                Detail::Ask(_) => continue,
            }
            balance.last_exchange = balance.last_exchange.max(Some(entry.date));
        }
        balance.net = i64::from(balance.given.weight) - i64::from(balance.received.weight);
        balance
    }
}

/// How often to keep in touch with `person`, in days: their own cadence, else
/// the smallest `tag_cadence` over their tags, else the setting.
pub fn cadence_for(person: &Person, settings: &Settings) -> u32 {
    person
        .cadence_days
        .or_else(|| {
            person
                .tags
                .iter()
                .filter_map(|t| settings.tag_cadence.get(t).copied())
                .min()
        })
        .unwrap_or(settings.cadence_days)
}

/// The first day of the "last 365 days" window ending on `today`.
pub fn year_start(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_days(Days::new(364))
        .unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Favour, How, Kind, Meeting};
    use chrono::Utc;

    fn entry(date: &str, detail: Detail) -> Entry {
        Entry {
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
}
