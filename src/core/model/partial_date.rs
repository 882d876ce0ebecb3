//! A calendar date whose year may be unknown: a birthday or an anniversary.
//!
//! vCard allows a birthday without a year (`--0203`), and people often know a
//! friend's birthday but not their age, so the ledger writes either
//! `YYYY-MM-DD` or `--MM-DD`. What advice needs from such a date is when it
//! next comes round; 29 February comes round on 28 February in the years
//! that have no 29th.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A day of the year, with the year when it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    year: Option<i32>,
    month: u32,
    day: u32,
}

/// A leap year, to check a yearless date (29 February exists in it).
const ANY_LEAP_YEAR: i32 = 2000;

impl PartialDate {
    /// The date, if it exists (in some leap year, when the year is unknown).
    /// Years are 1 to 9999, as the ledger writes four digits.
    pub fn new(year: Option<i32>, month: u32, day: u32) -> Option<PartialDate> {
        if year.is_some_and(|y| !(1..=9999).contains(&y)) {
            return None;
        }
        NaiveDate::from_ymd_opt(year.unwrap_or(ANY_LEAP_YEAR), month, day)?;
        Some(PartialDate { year, month, day })
    }

    /// A full date.
    pub fn from_date(date: NaiveDate) -> Option<PartialDate> {
        PartialDate::new(Some(date.year()), date.month(), date.day())
    }

    pub fn year(&self) -> Option<i32> {
        self.year
    }

    pub fn month(&self) -> u32 {
        self.month
    }

    pub fn day(&self) -> u32 {
        self.day
    }

    /// The full date, when the year is known.
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month, self.day)
    }

    /// The day it falls on in `year`: 29 February is kept on 28 February in
    /// years without one.
    pub fn in_year(&self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day).or_else(|| {
            (self.month == 2 && self.day == 29)
                .then(|| NaiveDate::from_ymd_opt(year, 2, 28))
                .flatten()
        })
    }

    /// The first day on or after `today` that it falls on (never before the
    /// date itself, when the year is known: nobody has a birthday before birth).
    pub fn next_on_or_after(&self, today: NaiveDate) -> Option<NaiveDate> {
        let start = match self.date() {
            Some(date) if date > today => return Some(date),
            _ => today,
        };
        [start.year(), start.year() + 1]
            .into_iter()
            .filter_map(|year| self.in_year(year))
            .find(|day| *day >= start)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(year) => write!(f, "{year:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

impl FromStr for PartialDate {
    type Err = String;

    /// `YYYY-MM-DD`, or `--MM-DD` for a date without its year.
    fn from_str(text: &str) -> Result<PartialDate, String> {
        let digits = |s: &str, len: usize| {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        let parts: Option<(Option<u32>, u32, u32)> = match text.strip_prefix("--") {
            Some(rest) => match rest.split('-').collect::<Vec<_>>().as_slice() {
                [m, d] => digits(m, 2).zip(digits(d, 2)).map(|(m, d)| (None, m, d)),
                _ => None,
            },
            None => match text.split('-').collect::<Vec<_>>().as_slice() {
                [y, m, d] => match (digits(y, 4), digits(m, 2), digits(d, 2)) {
                    (Some(y), Some(m), Some(d)) => Some((Some(y), m, d)),
                    _ => None,
                },
                _ => None,
            },
        };
        let (year, month, day) = parts.ok_or_else(|| {
            format!("`{text}` is not a date: use YYYY-MM-DD, or --MM-DD when the year is unknown")
        })?;
        let year = year.map(|y| i32::try_from(y).unwrap_or(0));
        PartialDate::new(year, month, day)
            .ok_or_else(|| format!("`{text}` is not a real calendar date"))
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn parses_and_writes_both_forms() {
        for text in [
            "1980-03-22",
            "--02-03",
            "2000-02-29",
            "--02-29",
            "0001-01-01",
        ] {
            let date: PartialDate = text.parse().unwrap();
            assert_eq!(date.to_string(), text);
        }
        for bad in [
            "1981-02-29",
            "--02-30",
            "--13-01",
            "0000-01-01",
            "1980-3-22",
            "19800322",
            "--0203",
            "",
            "--",
            "1980-03-22T00:00",
            "+1980-03-22",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
        let json = serde_json::to_string(&"--02-03".parse::<PartialDate>().unwrap()).unwrap();
        assert_eq!(json, "\"--02-03\"");
        assert!(serde_json::from_str::<PartialDate>("\"1999-02-29\"").is_err());
    }

    #[test]
    fn next_occurrence_keeps_feb_29_on_feb_28_in_common_years() {
        let leap: PartialDate = "2000-02-29".parse().unwrap();
        assert_eq!(
            leap.next_on_or_after(day("2026-02-01")),
            Some(day("2026-02-28"))
        );
        assert_eq!(
            leap.next_on_or_after(day("2028-02-01")),
            Some(day("2028-02-29"))
        );
        assert_eq!(
            leap.next_on_or_after(day("2027-03-01")),
            Some(day("2028-02-29"))
        );
        let yearless: PartialDate = "--12-31".parse().unwrap();
        assert_eq!(
            yearless.next_on_or_after(day("2026-12-31")),
            Some(day("2026-12-31"))
        );
        assert_eq!(
            yearless.next_on_or_after(day("2027-01-01")),
            Some(day("2027-12-31"))
        );
        // Not before the day itself.
        let future: PartialDate = "2030-05-01".parse().unwrap();
        assert_eq!(
            future.next_on_or_after(day("2026-01-01")),
            Some(day("2030-05-01"))
        );
    }
}
