//! Birthdays and labelled dates coming round: who has one soon, and the
//! sentence that says so.
//!
//! `who` ranks a coming birthday right after an open request, `report` lists
//! the week's, `show` and `check` print a person's dates, and `export ics`
//! writes them as yearly events; all of them ask this module. Only
//! relationships get birthday reminders: not contacts an import brought in
//! with nothing logged, and not people you flagged, archived, or who only
//! ever ask (one-way). A 29 February birthday comes round on 28 February in
//! common years (see [`PartialDate::in_year`]).
//!
//! It also owns the rules for typing them: `--birthday 1986-11-27` or
//! `--birthday --11-27`, and `--date LABEL=DATE` (`LABEL=none` removes), with
//! labels unique per person whatever their case.

use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::core::contacts;
use crate::core::model::{LabelledDate, PartialDate, Person};
use crate::core::text::MAX_LABEL_CHARS;
use crate::core::text::check_text;
use crate::error::Error;

/// A birthday as typed: `YYYY-MM-DD`, or `--MM-DD` without the year; not
/// after `today`.
pub fn parse_birthday(text: &str, today: NaiveDate) -> Result<PartialDate> {
    let date: PartialDate = text.trim().parse().map_err(usage)?;
    if date.date().is_some_and(|d| d > today) {
        return Err(usage(format!(
            "the birthday {date} is after today ({today})"
        )));
    }
    Ok(date)
}

/// `LABEL=DATE` as typed after `--date`: the label, and the date or `None`
/// for `LABEL=none` (remove it).
pub fn parse_date_arg(text: &str) -> Result<(String, Option<PartialDate>)> {
    let (label, date) = text.rsplit_once('=').ok_or_else(|| {
        Error::usage(format!("`{text}` is not LABEL=DATE"))
            .hint("e.g. --date anniversary=2015-06-01, or --date \"moved to Berlin=--04-01\"")
    })?;
    let label = check_label(label)?;
    let date = date.trim();
    if date.eq_ignore_ascii_case("none") {
        return Ok((label, None));
    }
    let date: PartialDate = date.parse().map_err(usage)?;
    Ok((label, Some(date)))
}

fn usage(message: String) -> anyhow::Error {
    Error::usage(message).into()
}

/// A date's label: one line of text, at most [`MAX_LABEL_CHARS`] characters;
/// `Anniversary` is `anniversary`, the label vCard calls ANNIVERSARY.
pub fn check_label(label: &str) -> Result<String> {
    let label = check_text("date label", label, false)?;
    let chars = label.chars().count();
    if chars > MAX_LABEL_CHARS {
        return Err(usage(format!(
            "the date label is {chars} characters long; the limit is {MAX_LABEL_CHARS}"
        )));
    }
    Ok(contacts::birthdays::label(&label))
}

/// Sets the date labelled `label` (any case), adding it if new, or removes
/// it for `None`. Says whether anything changed; removing a label the person
/// does not have is an error naming the labels they do have.
pub fn set_date(person: &mut Person, label: &str, date: Option<PartialDate>) -> Result<bool> {
    let at = (person.dates.iter()).position(|d| d.label.to_lowercase() == label.to_lowercase());
    match (at, date) {
        (Some(at), None) => {
            person.dates.remove(at);
            Ok(true)
        }
        (None, None) => {
            let known: Vec<&str> = person.dates.iter().map(|d| d.label.as_str()).collect();
            if known.is_empty() {
                return Err(usage(format!("{} has no dates to remove", person.name)));
            }
            Err(usage(format!(
                "{} has no date labelled `{label}` (their dates: {})",
                person.name,
                known.join(", ")
            )))
        }
        (Some(at), Some(date)) => match person.dates.get_mut(at) {
            Some(existing) if existing.date != date || existing.label != label => {
                existing.date = date;
                existing.label = label.to_string();
                Ok(true)
            }
            _ => Ok(false),
        },
        (None, Some(date)) => {
            person.dates.push(LabelledDate::new(label, date));
            Ok(true)
        }
    }
}

/// The dates of a record edited by hand: labels follow [`check_label`] and
/// are unique whatever their case.
pub fn check_dates(dates: &[LabelledDate]) -> Result<()> {
    let mut seen: Vec<String> = Vec::new();
    for date in dates {
        let label = check_label(&date.label)?;
        if label != date.label {
            bail!(
                "the date label `{}` should be written `{label}`",
                date.label
            );
        }
        if seen.contains(&label.to_lowercase()) {
            bail!("two dates are labelled `{label}`; labels must differ");
        }
        seen.push(label.to_lowercase());
    }
    Ok(())
}

/// A birthday or labelled date that comes round on `on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upcoming {
    pub name: String,
    /// The person's id.
    pub id: String,
    /// `None` for the birthday, else the date's label.
    pub label: Option<String>,
    /// The date as kept (with its year when known).
    pub date: PartialDate,
    /// The day it comes round.
    pub on: NaiveDate,
    /// Days from today: 0 is today.
    pub days: i64,
    /// The sentence `who` shows.
    pub text: String,
}

/// The person's birthday and labelled dates that come round within `within`
/// days of `today` (0: today only), soonest first, whether or not kith
/// reminds you of them (see `advice::gets_reminders`).
pub fn upcoming_for(person: &Person, today: NaiveDate, within: u32) -> Vec<Upcoming> {
    let birthday = person.birthday.map(|date| (None, date));
    let dates = (person.dates.iter()).map(|d| (Some(d.label.as_str()), d.date));
    let mut found: Vec<Upcoming> = birthday
        .into_iter()
        .chain(dates)
        .filter_map(|(label, date)| {
            let on = date.next_on_or_after(today)?;
            let days = (on - today).num_days();
            (days <= i64::from(within)).then(|| Upcoming {
                name: person.name.clone(),
                id: person.id.clone(),
                label: label.map(String::from),
                date,
                on,
                days,
                text: sentence(&person.name, label, date, on, days),
            })
        })
        .collect();
    found.sort_by(|a, b| (a.days, &a.label).cmp(&(b.days, &b.label)));
    found
}

/// The dates of `people` within `within` days, soonest first (the caller
/// chooses whom kith reminds you of: `advice::upcoming_dates`).
pub fn upcoming<'a>(
    people: impl Iterator<Item = &'a Person>,
    today: NaiveDate,
    within: u32,
) -> Vec<Upcoming> {
    let mut all: Vec<Upcoming> = people
        .flat_map(|p| upcoming_for(p, today, within))
        .collect();
    all.sort_by(|a, b| {
        (a.days, a.name.to_lowercase(), &a.id).cmp(&(b.days, b.name.to_lowercase(), &b.id))
    });
    all
}

/// "Maya's birthday is on Friday (in 3 days) — a good moment to reach out".
fn sentence(
    name: &str,
    label: Option<&str>,
    date: PartialDate,
    on: NaiveDate,
    days: i64,
) -> String {
    let when = match days {
        0 => "today".to_string(),
        1 => format!("tomorrow ({})", on.weekday_name()),
        2..=6 => format!("on {} (in {days} days)", on.weekday_name()),
        _ => format!("on {} {on} (in {days} days)", on.weekday_name()),
    };
    let years = date.year().map(|year| on.year() - year).filter(|y| *y > 0);
    match (label, years) {
        (None, Some(age)) => format!(
            "{name}'s {} birthday is {when} — a good moment to reach out",
            ordinal(age)
        ),
        (None, None) => format!("{name}'s birthday is {when} — a good moment to reach out"),
        (Some("anniversary"), Some(years)) => format!(
            "{name}'s {} anniversary is {when} — a good moment to reach out",
            ordinal(years)
        ),
        (Some("anniversary"), None) => {
            format!("{name}'s anniversary is {when} — a good moment to reach out")
        }
        (Some(label), Some(years)) => format!(
            "{name}: {years} year{} since “{label}” {when} — a good moment to reach out",
            if years == 1 { "" } else { "s" }
        ),
        (Some(label), None) => {
            format!("{name}: “{label}” comes round {when} — a good moment to reach out")
        }
    }
}

/// 1st, 2nd, 3rd, 4th, 11th, 21st, 112th.
fn ordinal(n: i32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

trait WeekdayName {
    fn weekday_name(&self) -> &'static str;
}

impl WeekdayName for NaiveDate {
    fn weekday_name(&self) -> &'static str {
        match self.weekday() {
            chrono::Weekday::Mon => "Monday",
            chrono::Weekday::Tue => "Tuesday",
            chrono::Weekday::Wed => "Wednesday",
            chrono::Weekday::Thu => "Thursday",
            chrono::Weekday::Fri => "Friday",
            chrono::Weekday::Sat => "Saturday",
            chrono::Weekday::Sun => "Sunday",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::advice::{self, ReasonCode};
    use crate::core::index::Index;
    use crate::core::model::{Direction, Kind, LabelledDate, Status};
    use crate::core::testkit::{Net, day};
    use proptest::prelude::*;

    fn birthday(text: &str) -> Option<PartialDate> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn typed_birthdays_and_dates() {
        let today = day("2026-11-20");
        assert_eq!(
            parse_birthday("--02-29", today).unwrap().to_string(),
            "--02-29"
        );
        assert_eq!(
            parse_birthday(" 1986-11-27 ", today).unwrap().to_string(),
            "1986-11-27"
        );
        for bad in ["2027-01-01", "1987-02-29", "27 Nov", "--11-31", ""] {
            assert!(parse_birthday(bad, today).is_err(), "{bad}");
        }
        let (label, date) = parse_date_arg("moved to Berlin=--04-01").unwrap();
        assert_eq!(
            (label.as_str(), date.map(|d| d.to_string())),
            ("moved to Berlin", Some("--04-01".into()))
        );
        assert_eq!(
            parse_date_arg("Anniversary=2015-06-01").unwrap().0,
            "anniversary"
        );
        assert_eq!(
            parse_date_arg("wedding=none").unwrap(),
            ("wedding".to_string(), None)
        );
        for bad in [
            "wedding",
            "=2015-06-01",
            "wedding=June",
            "a\u{7}b=2015-06-01",
        ] {
            assert!(parse_date_arg(bad).is_err(), "{bad}");
        }
        assert!(parse_date_arg(&format!("{}=2015-06-01", "x".repeat(101))).is_err());

        let mut net = Net::new();
        let id = net.person("Ann", "2026-01-01");
        let mut ann = net.ledger.person(&id).unwrap().clone();
        let wedding: PartialDate = "2015-06-01".parse().unwrap();
        assert!(set_date(&mut ann, "wedding", Some(wedding)).unwrap());
        assert!(!set_date(&mut ann, "wedding", Some(wedding)).unwrap());
        assert!(set_date(&mut ann, "Wedding", Some("2015-06-02".parse().unwrap())).unwrap());
        assert_eq!(ann.dates.len(), 1);
        assert_eq!(ann.dates[0].label, "Wedding");
        let err = set_date(&mut ann, "moved", None).unwrap_err().to_string();
        assert!(err.contains("their dates: Wedding"), "{err}");
        assert!(set_date(&mut ann, "wedding", None).unwrap());
        assert!(ann.dates.is_empty());
        assert!(
            check_dates(&[
                LabelledDate::new("a", wedding),
                LabelledDate::new("A", wedding)
            ])
            .is_err()
        );
        assert!(check_dates(&[LabelledDate::new("Anniversary", wedding)]).is_err());
        assert!(
            check_dates(&[
                LabelledDate::new("a", wedding),
                LabelledDate::new("b", wedding)
            ])
            .is_ok()
        );
    }

    #[test]
    fn sentences_say_when_in_plain_words() {
        let mut net = Net::new();
        let maya = net.person("Maya", "2026-01-01");
        net.edit(&maya, |p| {
            p.birthday = birthday("1986-11-27");
            p.dates = vec![
                LabelledDate::new("started at Stripe", "2021-11-24".parse().unwrap()),
                LabelledDate::new("moved to Berlin", "--12-20".parse().unwrap()),
            ];
        });
        let person = net.ledger.person(&maya).unwrap().clone();
        // 2026-11-24 is a Tuesday.
        let soon = upcoming_for(&person, day("2026-11-24"), 7);
        let texts: Vec<&str> = soon.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Maya: 5 years since “started at Stripe” today — a good moment to reach out",
                "Maya's 40th birthday is on Friday (in 3 days) — a good moment to reach out",
            ]
        );
        let later = upcoming_for(&person, day("2026-11-30"), 30);
        assert_eq!(
            later[0].text,
            "Maya: “moved to Berlin” comes round on Sunday 2026-12-20 (in 20 days) — a good moment to reach out"
        );
        assert_eq!(upcoming_for(&person, day("2026-11-26"), 1)[0].days, 1);
        assert!(upcoming_for(&person, day("2026-11-25"), 1).is_empty());
        let ordinals: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .map(ordinal)
            .into();
        assert_eq!(
            ordinals,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }

    fn reasons(net: &Net, id: &str, today: &str) -> Option<Vec<ReasonCode>> {
        advice::who(&Index::new(&net.ledger), day(today))
            .into_iter()
            .find(|s| s.id == id)
            .map(|s| s.reasons.iter().map(|r| r.code).collect())
    }

    #[test]
    fn who_ranks_a_birthday_right_after_an_open_request_and_lifts_cooldown() {
        let mut net = Net::new();
        let owed = net.person("Owed", "2026-01-01");
        net.got(&owed, "2026-06-01", "a referral", Kind::Referral);
        let asking = net.person("Asking", "2026-01-01");
        net.gave(&asking, "2026-06-01", "advice", Kind::Advice);
        net.asked(
            &asking,
            "2026-11-20",
            "a review",
            Direction::In,
            Status::Open,
        );
        let later = net.person("Later", "2026-01-01");
        net.edit(&later, |p| p.birthday = birthday("1990-11-27"));
        let sooner = net.person("Sooner", "2026-01-01");
        net.edit(&sooner, |p| p.birthday = birthday("--11-23"));
        // Met yesterday: in cooldown, but the birthday lifts it.
        net.met(&sooner, "2026-11-20");
        let list = advice::who(&Index::new(&net.ledger), day("2026-11-21"));
        let order: Vec<(&str, ReasonCode)> =
            list.iter().map(|s| (s.name.as_str(), s.tier)).collect();
        assert_eq!(
            order,
            [
                ("Asking", ReasonCode::OpenRequest),
                ("Sooner", ReasonCode::Birthday),
                ("Later", ReasonCode::Birthday),
                ("Owed", ReasonCode::YouOwe),
            ]
        );
        assert_eq!(
            list[1].reasons[0].text,
            "Sooner's birthday is on Monday (in 2 days) — a good moment to reach out"
        );
        let json = serde_json::to_value(&list).unwrap();
        assert_eq!(json[1]["reasons"][0]["code"], "birthday");
        // After the day, the cooldown holds again.
        assert_eq!(reasons(&net, &sooner, "2026-11-24"), None);
    }

    #[test]
    fn the_window_is_the_birthday_days_setting() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        net.edit(&ann, |p| p.birthday = birthday("--12-01"));
        net.gave(&ann, "2026-11-01", "advice", Kind::Advice);
        let has_birthday = |net: &Net, today: &str| {
            reasons(net, &ann, today).is_some_and(|r| r.contains(&ReasonCode::Birthday))
        };
        assert!(has_birthday(&net, "2026-11-24"));
        assert!(!has_birthday(&net, "2026-11-23"));
        net.ledger.settings.birthday_days = 30;
        assert!(has_birthday(&net, "2026-11-01"));
        net.ledger.settings.birthday_days = 0;
        assert!(has_birthday(&net, "2026-12-01"));
        assert!(!has_birthday(&net, "2026-11-30"));
    }

    #[test]
    fn feb_29_comes_round_on_feb_28_in_common_years() {
        let mut net = Net::new();
        let leap = net.person("Leap", "2020-01-01");
        net.edit(&leap, |p| p.birthday = birthday("2000-02-29"));
        let found = advice::upcoming_dates(&Index::new(&net.ledger), day("2027-02-25"), 7);
        assert_eq!(found[0].on, day("2027-02-28"));
        assert_eq!(
            found[0].text,
            "Leap's 27th birthday is on Sunday (in 3 days) — a good moment to reach out"
        );
        let found = advice::upcoming_dates(&Index::new(&net.ledger), day("2028-02-25"), 7);
        assert_eq!(found[0].on, day("2028-02-29"));
        assert!(reasons(&net, &leap, "2027-02-28").is_some_and(|r| r[0] == ReasonCode::Birthday));
        assert!(reasons(&net, &leap, "2027-03-01").is_none_or(|r| r[0] != ReasonCode::Birthday));
    }

    proptest! {
        /// `who` on any day within `birthday_days` before a relationship's
        /// birthday (or on it) lists them with the reason `birthday`, whatever
        /// else is going on with them.
        #[test]
        fn who_lists_every_coming_birthday_of_a_relationship(
            (year, month, day_of_month) in (proptest::option::of(1900i32..=2000), 1u32..=12, 1u32..=31),
            occurrence_year in 2001i32..=2099,
            window in 0u32..=60,
            before in 0u32..=60,
            how in 0u8..4,
            recently_met in any::<bool>(),
            owes in any::<bool>(),
        ) {
            let Some(date) = PartialDate::new(year, month, day_of_month) else {
                return Ok(());
            };
            let Some(occurrence) = date.in_year(occurrence_year) else {
                return Ok(());
            };
            let before = before.min(window);
            let today = occurrence - chrono::Days::new(u64::from(before));
            let mut net = Net::new();
            net.ledger.settings.birthday_days = window;
            let added = (today - chrono::Days::new(400)).to_string();
            let other = net.person("Someone else", &added);
            net.gave(&other, &added, "help", Kind::Help);
            let id = net.person("Maya", &added);
            net.edit(&id, |p| p.birthday = Some(date));
            match how {
                0 => {} // added by hand, nothing logged
                1 => {
                    net.edit(&id, |p| p.source = Some("google".into()));
                    net.met(&id, &added);
                }
                2 => { net.gave(&id, &added, "a book", Kind::Gift); }
                _ => {
                    net.edit(&id, |p| p.source = Some("vcard".into()));
                    net.asked(&id, &added, "an intro", Direction::Out, Status::Open);
                }
            }
            if recently_met {
                net.met(&id, &today.to_string());
            }
            if owes {
                net.got(&id, &added, "a referral", Kind::Referral);
            }
            let found = reasons(&net, &id, &today.to_string());
            prop_assert!(
                found.as_ref().is_some_and(|r| r.contains(&ReasonCode::Birthday)),
                "{:?} on {} (birthday {}, window {})", found, today, date, window
            );
        }
    }

    #[test]
    fn only_relationships_get_reminders() {
        let mut net = Net::new();
        let friend = net.person("Friend", "2026-01-01");
        let contact = net.person("Contact", "2026-01-01");
        let logged = net.person("Imported then met", "2026-01-01");
        let flagged = net.person("Flagged", "2026-01-01");
        let archived = net.person("Archived", "2026-01-01");
        let one_way = net.person("One-way", "2026-01-01");
        for id in [&friend, &contact, &logged, &flagged, &archived, &one_way] {
            net.edit(id, |p| p.birthday = birthday("--11-25"));
        }
        net.edit(&contact, |p| p.source = Some("vcard".into()));
        net.edit(&logged, |p| p.source = Some("google".into()));
        net.met(&logged, "2026-10-01");
        net.flag(&flagged, "2026-10-01");
        net.edit(&archived, |p| p.archived = true);
        for date in ["2026-01-01", "2026-06-01"] {
            net.asked(&one_way, date, "a favour", Direction::In, Status::Open);
        }
        net.gave(&friend, "2026-02-01", "advice", Kind::Advice);
        let index = Index::new(&net.ledger);
        let names: Vec<String> = advice::upcoming_dates(&index, day("2026-11-21"), 7)
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(names, ["Friend", "Imported then met"]);
    }
}
