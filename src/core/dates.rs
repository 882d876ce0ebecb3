//! Date phrases a person types, turned into calendar dates relative to a given
//! `today`.
//!
//! Accepted: `YYYY-MM-DD` (also `YYYY/MM/DD`), `today`, `yesterday`, `tomorrow`,
//! `N days|weeks|months|years ago` (also `a week ago`), `last week|month|year`
//! (one of them ago), `in N days|weeks|months|years`, weekday names, and a
//! month with a day (`Nov 3`, `3 November`, `Nov 3rd, 2026`). A bare weekday
//! (`friday`) is the most recent one on or before today, since kith logs what
//! already happened; `last friday` is the one strictly before today; `next
//! friday` the first strictly after. (Crates such as `interim` read a bare
//! weekday as the coming one, which is wrong for a log.) A month and day
//! without a year is the nearest such day to today ([`parse`]) or the most
//! recent one on or before today ([`parse_past`]). All-numeric dates other
//! than year first (`03/11/2026`) are read only when just one reading is a real
//! date: `03/11/2026` could be 3 November or March 11, so it is refused with
//! both ISO spellings to choose from.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// Which way a year-less date leans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lean {
    /// The occurrence nearest to today.
    Nearest,
    /// The most recent occurrence on or before today.
    Past,
}

/// The date `phrase` names, relative to `today`; or why it is not a date.
pub fn parse(phrase: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    parse_leaning(phrase, today, Lean::Nearest)
}

fn parse_leaning(phrase: &str, today: NaiveDate, lean: Lean) -> Result<NaiveDate, String> {
    let text = phrase.trim().to_lowercase().replace(',', " ");
    let words: Vec<&str> = text.split_whitespace().collect();
    let unknown = || {
        format!(
            "could not read `{phrase}` as a date (try YYYY-MM-DD, today, yesterday, `3 days ago`, `last friday`, `Nov 3`)"
        )
    };
    let out_of_range = || format!("`{phrase}` is out of the range of dates kith handles");
    match words.as_slice() {
        [] => Err("the date is empty".to_string()),
        ["today"] => Ok(today),
        ["yesterday"] => today.pred_opt().ok_or_else(out_of_range),
        ["tomorrow"] => today.succ_opt().ok_or_else(out_of_range),
        [one] if one.contains('-') && one.starts_with(|c: char| c.is_ascii_digit()) => {
            match numeric(one, phrase) {
                Some(result) => result,
                None => iso(one, phrase),
            }
        }
        [one] if one.contains(['/', '.']) && one.starts_with(|c: char| c.is_ascii_digit()) => {
            numeric(one, phrase).unwrap_or_else(|| Err(unknown()))
        }
        ["last", unit @ ("week" | "month" | "year")] => shift(today, "1", unit, false)
            .ok_or_else(unknown)?
            .ok_or_else(out_of_range),
        [count, unit, "ago"] => shift(today, count, unit, false)
            .ok_or_else(unknown)?
            .ok_or_else(out_of_range),
        ["in", count, unit] => shift(today, count, unit, true)
            .ok_or_else(unknown)?
            .ok_or_else(out_of_range),
        [day] => weekday(day)
            .map(|w| on_or_before(today, w))
            .ok_or_else(unknown),
        [first, second] | [first, second, _] if month_day(first, second).is_some() => {
            let (month, day) = month_day(first, second).ok_or_else(unknown)?;
            match words.get(2) {
                Some(year) => {
                    let year = year_number(year).ok_or_else(unknown)?;
                    calendar(year, month, day, phrase)
                }
                None => year_less(today, month, day, lean, phrase),
            }
        }
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
/// A month and day without a year is the most recent one on or before today.
pub fn parse_past(phrase: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let date = parse_leaning(phrase, today, Lean::Past)?;
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

/// A real calendar date from its parts, not before 1900.
fn calendar(year: i32, month: u32, day: u32, phrase: &str) -> Result<NaiveDate, String> {
    let date = NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| format!("`{phrase}` is not a real calendar date"))?;
    if year < 1900 {
        return Err(format!("`{phrase}` is before 1900; check the year"));
    }
    Ok(date)
}

/// A four-digit year.
fn year_number(word: &str) -> Option<i32> {
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
}

/// `nov 3`, `3 nov`, `november 3rd`: (month, day).
fn month_day(first: &str, second: &str) -> Option<(u32, u32)> {
    match (month(first), month(second)) {
        (Some(m), None) => Some((m, day_number(second)?)),
        (None, Some(m)) => Some((m, day_number(first)?)),
        _ => None,
    }
}

fn month(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let found = MONTHS
        .iter()
        .position(|m| word.len() >= 3 && m.starts_with(word))?;
    // "sept" is the one common abbreviation longer than three letters that
    // is a prefix; "mar" could only be March. Every prefix of 3+ letters is
    // unique among month names.
    u32::try_from(found + 1).ok()
}

/// `3`, `03`, `3rd`, `21st`.
fn day_number(word: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix))
        .unwrap_or(word);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// A month and day in the year that `lean` picks.
fn year_less(
    today: NaiveDate,
    month: u32,
    day: u32,
    lean: Lean,
    phrase: &str,
) -> Result<NaiveDate, String> {
    // Feb 29 exists only in some years; look a few years each way.
    let candidates: Vec<NaiveDate> = (-4..=4)
        .filter_map(|offset| NaiveDate::from_ymd_opt(today.year() + offset, month, day))
        .collect();
    let chosen = match lean {
        Lean::Past => candidates.into_iter().filter(|d| *d <= today).max(),
        Lean::Nearest => candidates
            .into_iter()
            .min_by_key(|d| ((*d - today).num_days().abs(), *d > today)),
    };
    chosen.ok_or_else(|| format!("`{phrase}` is not a real calendar date"))
}

/// All-numeric dates with `/` or `.` (and day-first or month-first ones with
/// `-`): year first is read as Y/M/D; otherwise the date is read only when
/// exactly one of D/M/Y and M/D/Y is a real date. `None` when the text is not
/// of this shape (the caller then tries ISO).
fn numeric(text: &str, phrase: &str) -> Option<Result<NaiveDate, String>> {
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    if !parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let number = |p: &str| p.parse::<u32>().ok();
    let (a_n, b_n, c_n) = (number(a)?, number(b)?, number(c)?);
    if a.len() == 4 {
        // Year first: ISO order, whatever the separator. Dashes keep ISO's
        // strict two-digit form (see `iso`).
        if text.contains('-') {
            return None;
        }
        if b.len() > 2 || c.len() > 2 {
            return Some(Err(format!(
                "could not read `{phrase}` as a date: expected YYYY/MM/DD"
            )));
        }
        let year = i32::try_from(a_n).ok()?;
        return Some(calendar(year, b_n, c_n, phrase));
    }
    if c.len() != 4 || a.len() > 2 || b.len() > 2 {
        return Some(Err(format!(
            "could not read `{phrase}` as a date: write it as YYYY-MM-DD"
        )));
    }
    let year = i32::try_from(c_n).ok()?;
    let day_first = NaiveDate::from_ymd_opt(year, b_n, a_n);
    let month_first = NaiveDate::from_ymd_opt(year, a_n, b_n);
    let result = match (day_first, month_first) {
        (Some(one), Some(other)) if one != other => Err(format!(
            "`{phrase}` is ambiguous: {} or {}? write it as YYYY-MM-DD ({one} or {other})",
            one.format("%-d %B %Y"),
            other.format("%-d %B %Y"),
        )),
        (Some(date), _) | (None, Some(date)) => calendar(year, date.month(), date.day(), phrase),
        (None, None) => Err(format!("`{phrase}` is not a real calendar date")),
    };
    Some(result)
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

/// The number of days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
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
    fn natural_forms_people_type_are_read() {
        let today = d(TODAY);
        let cases = [
            ("last week", "2026-11-13"),
            ("Last Month", "2026-10-20"),
            ("last year", "2025-11-20"),
            ("Nov 3", "2026-11-03"),
            ("nov. 3", "2026-11-03"),
            ("3 Nov", "2026-11-03"),
            ("3 november", "2026-11-03"),
            ("November 3rd", "2026-11-03"),
            ("Nov 3, 2025", "2025-11-03"),
            ("3 Nov 2024", "2024-11-03"),
            ("Sept 21", "2026-09-21"),
            ("2026/11/03", "2026-11-03"),
            ("2026/1/5", "2026-01-05"),
            ("2026.11.03", "2026-11-03"),
            // Only one reading is a real date.
            ("25/12/2025", "2025-12-25"),
            ("12/25/2025", "2025-12-25"),
            ("03/03/2026", "2026-03-03"),
        ];
        for (phrase, want) in cases {
            assert_eq!(parse(phrase, today), Ok(d(want)), "{phrase}");
        }
    }

    #[test]
    fn a_year_less_date_is_the_nearest_one_or_the_last_past_one() {
        // Early in the year, "Dec 25" is the one just gone for a log, but
        // the nearest one either way for a snooze or a report.
        let january = d("2027-01-10");
        assert_eq!(parse("Dec 25", january), Ok(d("2026-12-25")));
        assert_eq!(parse_past("Dec 25", january), Ok(d("2026-12-25")));
        let today = d(TODAY);
        assert_eq!(parse("Dec 25", today), Ok(d("2026-12-25")));
        assert_eq!(parse_past("Dec 25", today), Ok(d("2025-12-25")));
        assert_eq!(parse_past("Mar 1", today), Ok(d("2026-03-01")));
        assert_eq!(parse_past("Nov 20", today), Ok(today));
        // Feb 29 only in a leap year.
        assert_eq!(parse_past("Feb 29", today), Ok(d("2024-02-29")));
    }

    #[test]
    fn ambiguous_numeric_dates_are_refused_with_the_iso_spellings() {
        let today = d(TODAY);
        let err = parse("03/11/2026", today).unwrap_err();
        assert!(err.contains("ambiguous"), "{err}");
        assert!(
            err.contains("2026-11-03") && err.contains("2026-03-11"),
            "{err}"
        );
        assert!(err.contains("YYYY-MM-DD"), "{err}");
        for phrase in ["03.11.2026", "03-11-2026", "3/11/2026"] {
            let err = parse_past(phrase, today).unwrap_err();
            assert!(err.contains("ambiguous"), "{phrase}: {err}");
        }
        for phrase in [
            "03/11/26",
            "03/11",
            "2026/13/01",
            "2026/02/30",
            "31/31/2026",
            "Nov 31",
            "Nov 0",
            "Nov 3 26",
            "Nov Dec",
            "1/2/3/4",
            "2026//01",
        ] {
            assert!(parse(phrase, today).is_err(), "{phrase}");
        }
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
