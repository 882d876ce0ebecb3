//! Birthdays and other dates as address books write them.
//!
//! vCard allows `1980-03-22`, `19800322`, `--0322`, `--03-22` and date-times
//! such as `20190210T000033`; spreadsheets and mail programs write
//! `3/22/1980`, `22.03.1980`, `22 Mar 1980` or, in Outlook, `0/0/00` for "no
//! birthday". Everything here reads one such text into a [`PartialDate`], so
//! the vCard and CSV importers agree on what a date is.

use chrono::NaiveDate;

use crate::core::model::PartialDate;

/// What a date cell or value holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// Nothing: an empty cell, or Outlook's `0/0/00`.
    Empty,
    Date(PartialDate),
    /// Text that is not a date kith can read.
    Unreadable,
}

/// Reads a date in any of the forms above.
pub fn read(text: &str) -> Read {
    let text = text.trim();
    if text.is_empty() || text.chars().all(|c| matches!(c, '0' | '/' | '-' | '.')) {
        return Read::Empty;
    }
    iso(text)
        .or_else(|| numeric(text))
        .or_else(|| written(text))
        .map_or(Read::Unreadable, Read::Date)
}

/// ISO 8601 as vCard uses it: basic or extended, with or without a year, a
/// time after `T` ignored.
fn iso(text: &str) -> Option<PartialDate> {
    let date = text.split(['T', 't']).next()?;
    let (yearless, date) = match date.strip_prefix("--") {
        Some(rest) => (true, rest),
        None => (false, date),
    };
    // Basic (`19800322`, `0322`) or extended (`1980-03-22`, `03-22`) form.
    let extended = match date.len() {
        10 if !yearless => date.get(4..5) == Some("-") && date.get(7..8) == Some("-"),
        5 if yearless => date.get(2..3) == Some("-"),
        8 if !yearless => false,
        4 if yearless => false,
        _ => return None,
    };
    let digits: String = date.chars().filter(|c| *c != '-').collect();
    let dashes = date.len() - digits.len();
    let expected_dashes = match (extended, yearless) {
        (false, _) => 0,
        (true, true) => 1,
        (true, false) => 2,
    };
    if dashes != expected_dashes || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| digits.get(range)?.parse::<u32>().ok();
    if yearless {
        PartialDate::new(None, number(0..2)?, number(2..4)?)
    } else {
        let year = i32::try_from(number(0..4)?).ok()?;
        PartialDate::new(Some(year), number(4..6)?, number(6..8)?)
    }
}

/// `3/22/1980` (month first, as US exports write it, unless the first number
/// cannot be a month), `22.03.1980` (day first, as German and Nordic ones do),
/// two-digit years read by chrono's rule.
fn numeric(text: &str) -> Option<PartialDate> {
    let (separator, day_first) = if text.contains('/') {
        ('/', false)
    } else if text.contains('.') {
        ('.', true)
    } else {
        return None;
    };
    let parts: Vec<&str> = text.trim_end_matches('.').split(separator).collect();
    let [a, b, year] = parts.as_slice() else {
        return None;
    };
    let a: u32 = a.trim().parse().ok()?;
    let b: u32 = b.trim().parse().ok()?;
    let (month, day) = if day_first || a > 12 { (b, a) } else { (a, b) };
    let year = match year.trim() {
        y if y.len() == 4 => y.parse::<i32>().ok()?,
        y if y.len() == 2 => {
            let probe = format!("01/01/{y}");
            chrono::Datelike::year(&NaiveDate::parse_from_str(&probe, "%m/%d/%y").ok()?)
        }
        _ => return None,
    };
    PartialDate::new(Some(year), month, day)
}

/// `22 Mar 1980`, `March 22, 1980`, `22 March 1980`.
fn written(text: &str) -> Option<PartialDate> {
    ["%d %b %Y", "%b %d, %Y", "%d %B %Y", "%B %d, %Y", "%B %d %Y"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
        .and_then(PartialDate::from_date)
}

/// A label as address books write it, as a person reads it: Apple's
/// `_$!<Anniversary>!$_` and Google's `Anniversary` are `anniversary`, the
/// label kith writes back as vCard's `ANNIVERSARY`.
pub fn label(raw: &str) -> String {
    let trimmed = raw.trim();
    match trimmed
        .strip_prefix("_$!<")
        .and_then(|rest| rest.strip_suffix(">!$_"))
    {
        Some(inner) => inner.to_lowercase(),
        None if trimmed.eq_ignore_ascii_case("anniversary") => "anniversary".to_string(),
        None => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> String {
        match read(text) {
            Read::Date(date) => date.to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn every_form_real_files_use() {
        for (text, expected) in [
            ("1912-06-23", "1912-06-23"),
            ("19800322", "1980-03-22"),
            ("--0203", "--02-03"),
            ("--02-03", "--02-03"),
            ("20190210T000033", "2019-02-10"),
            ("20090808T1430-0500", "2009-08-08"),
            ("1980-03-22T00:00:00Z", "1980-03-22"),
            ("3/22/1980", "1980-03-22"),
            ("22/3/1980", "1980-03-22"),
            ("22.03.1980", "1980-03-22"),
            ("3/22/80", "1980-03-22"),
            ("22 Mar 1980", "1980-03-22"),
            ("March 22, 1980", "1980-03-22"),
            (" 2000-02-29 ", "2000-02-29"),
        ] {
            assert_eq!(date(text), expected, "{text}");
        }
        for empty in ["", "  ", "0/0/00", "00.00.0000"] {
            assert_eq!(read(empty), Read::Empty, "{empty}");
        }
        for bad in [
            "circa 1800",
            "1981-02-29",
            "--13-01",
            "1980-03",
            "198003222",
            "13/13/1980",
            "1980/03/22/1",
            "2019-0210",
        ] {
            assert_eq!(read(bad), Read::Unreadable, "{bad}");
        }
    }

    #[test]
    fn apple_labels_read_as_words() {
        assert_eq!(label("_$!<Anniversary>!$_"), "anniversary");
        assert_eq!(label(" CustomDateCategory "), "CustomDateCategory");
        assert_eq!(label("Anniversary"), "anniversary");
    }
}
