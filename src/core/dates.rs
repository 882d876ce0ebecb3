//! Date phrases a person types, turned into calendar dates relative to a given
//! `today`.
//!
//! Accepted: `YYYY-MM-DD`, `today`, `yesterday`, `tomorrow`, `N days|weeks|months|years ago`
//! (also `a week ago`), `in N days|weeks|months|years`, and weekday names.
//! A bare weekday (`friday`) is the most recent one on or before today, since
//! kith logs what already happened; `last friday` is the one strictly before
//! today; `next friday` the first strictly after. (Crates such as `interim`
//! read a bare weekday as the coming one, which is wrong for a log.)

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// Why a phrase is not a date.
pub fn parse(phrase: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let text = phrase.trim().to_lowercase();
    let words: Vec<&str> = text.split_whitespace().collect();
    let unknown = || {
        format!(
            "could not read `{phrase}` as a date (try YYYY-MM-DD, today, yesterday, `3 days ago`, `last friday`)"
        )
    };
    let out_of_range = || format!("`{phrase}` is out of the range of dates kith handles");
    match words.as_slice() {
        [] => Err("the date is empty".to_string()),
        ["today"] => Ok(today),
        ["yesterday"] => today.pred_opt().ok_or_else(out_of_range),
        ["tomorrow"] => today.succ_opt().ok_or_else(out_of_range),
        [one] if one.contains('-') && one.starts_with(|c: char| c.is_ascii_digit()) => {
            iso(one, phrase)
        }
        [count, unit, "ago"] => shift(today, count, unit, false)
            .ok_or_else(unknown)?
            .ok_or_else(out_of_range),
        ["in", count, unit] => shift(today, count, unit, true)
            .ok_or_else(unknown)?
            .ok_or_else(out_of_range),
        [day] => weekday(day)
            .map(|w| on_or_before(today, w))
            .ok_or_else(unknown),
        ["last", day] => weekday(day)
            .and_then(|w| today.pred_opt().map(|d| on_or_before(d, w)))
            .ok_or_else(unknown),
        ["next", day] => weekday(day)
            .and_then(|w| today.succ_opt().map(|d| on_or_after(d, w)))
            .ok_or_else(unknown),
        _ => Err(unknown()),
    }
}

/// Like [`parse`], but refuses dates after `today`: logged events have happened.
pub fn parse_past(phrase: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let date = parse(phrase, today)?;
    if date > today {
        return Err(format!(
            "{date} is after today ({today}); kith logs what already happened"
        ));
    }
    Ok(date)
}

fn iso(text: &str, phrase: &str) -> Result<NaiveDate, String> {
    let parts: Vec<&str> = text.split('-').collect();
    let well_formed = matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && m.len() == 2 && d.len() == 2
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())));
    if !well_formed {
        return Err(format!(
            "could not read `{phrase}` as a date: expected YYYY-MM-DD"
        ));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{phrase}` is not a real calendar date"))?;
    if date.year() < 1900 {
        return Err(format!("`{phrase}` is before 1900; check the year"));
    }
    Ok(date)
}

/// `Some(None)` when the phrase is understood but the result is out of range.
fn shift(today: NaiveDate, count: &str, unit: &str, forward: bool) -> Option<Option<NaiveDate>> {
    let count: u32 = match count {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        n => n.parse().ok()?,
    };
    let unit = unit.strip_suffix('s').unwrap_or(unit);
    let result = match (unit, forward) {
        ("day", false) => today.checked_sub_days(Days::new(count.into())),
        ("day", true) => today.checked_add_days(Days::new(count.into())),
        ("week", false) => today.checked_sub_days(Days::new(u64::from(count) * 7)),
        ("week", true) => today.checked_add_days(Days::new(u64::from(count) * 7)),
        ("month", false) => today.checked_sub_months(Months::new(count)),
        ("month", true) => today.checked_add_months(Months::new(count)),
        ("year", false) => count
            .checked_mul(12)
            .and_then(|m| today.checked_sub_months(Months::new(m))),
        ("year", true) => count
            .checked_mul(12)
            .and_then(|m| today.checked_add_months(Months::new(m))),
        _ => return None,
    };
    Some(result)
}

fn weekday(word: &str) -> Option<Weekday> {
    let day = match word {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" | "tues" => Weekday::Tue,
        "wednesday" | "wed" => Weekday::Wed,
        "thursday" | "thu" | "thurs" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" | "sat" => Weekday::Sat,
        "sunday" | "sun" => Weekday::Sun,
        _ => return None,
    };
    Some(day)
}

fn on_or_before(date: NaiveDate, day: Weekday) -> NaiveDate {
    let back = (7 + date.weekday().num_days_from_monday() - day.num_days_from_monday()) % 7;
    date.checked_sub_days(Days::new(back.into()))
        .unwrap_or(date)
}

fn on_or_after(date: NaiveDate, day: Weekday) -> NaiveDate {
    let ahead = (7 + day.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
    date.checked_add_days(Days::new(ahead.into()))
        .unwrap_or(date)
}

/// "today", "yesterday", "3 days ago", "2 weeks ago", "5 months ago", "2 years ago",
/// or "in 4 days" for dates after `today`.
pub fn relative(date: NaiveDate, today: NaiveDate) -> String {
    let days = (today - date).num_days();
    let (ahead, days) = (days < 0, days.abs());
    let text = match days {
        0 => return "today".to_string(),
        1 if !ahead => return "yesterday".to_string(),
        1 => return "tomorrow".to_string(),
        2..=13 => format!("{days} days"),
        14..=59 => format!("{} weeks", days / 7),
        60..=729 => format!("{} months", days / 30),
        _ => format!("{} years", days / 365),
    };
    if ahead {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    // 2026-11-20 is a Friday.
    const TODAY: &str = "2026-11-20";

    #[test]
    fn phrases_resolve_against_the_given_today() {
        let today = d(TODAY);
        let cases = [
            ("2026-01-31", "2026-01-31"),
            ("today", TODAY),
            (" Yesterday ", "2026-11-19"),
            ("3 days ago", "2026-11-17"),
            ("1 day ago", "2026-11-19"),
            ("a week ago", "2026-11-13"),
            ("2 weeks ago", "2026-11-06"),
            ("6 months ago", "2026-05-20"),
            ("1 year ago", "2025-11-20"),
            ("friday", TODAY),
            ("last friday", "2026-11-13"),
            ("monday", "2026-11-16"),
            ("last monday", "2026-11-16"),
            ("sat", "2026-11-14"),
            ("next friday", "2026-11-27"),
            ("in 3 days", "2026-11-23"),
            ("tomorrow", "2026-11-21"),
        ];
        for (phrase, want) in cases {
            assert_eq!(parse(phrase, today), Ok(d(want)), "{phrase}");
        }
    }

    #[test]
    fn bad_phrases_are_refused_with_a_reason() {
        let today = d(TODAY);
        for phrase in [
            "2026-02-30",
            "0000-01-01",
            "2026-1-5",
            "soon",
            "",
            "3 fortnights ago",
            "99999999999 days ago",
        ] {
            assert!(parse(phrase, today).is_err(), "{phrase}");
        }
        assert!(
            parse("2026-02-30", today)
                .unwrap_err()
                .contains("not a real calendar date")
        );
        assert!(parse("4000000 years ago", today).is_err());
    }

    #[test]
    fn logged_dates_cannot_be_in_the_future() {
        let today = d(TODAY);
        assert!(
            parse_past("tomorrow", today)
                .unwrap_err()
                .contains("after today")
        );
        assert!(parse_past("9999-12-31", today).is_err());
        assert_eq!(parse_past("today", today), Ok(today));
    }

    #[test]
    fn relative_ages_read_naturally() {
        let today = d(TODAY);
        assert_eq!(relative(today, today), "today");
        assert_eq!(relative(d("2026-11-19"), today), "yesterday");
        assert_eq!(relative(d("2026-11-10"), today), "10 days ago");
        assert_eq!(relative(d("2026-10-30"), today), "3 weeks ago");
        assert_eq!(relative(d("2026-06-20"), today), "5 months ago");
        assert_eq!(relative(d("2023-11-20"), today), "3 years ago");
        assert_eq!(relative(d("2026-11-25"), today), "in 5 days");
    }
}
