//! `kith report` as text and as Markdown: the same sections, two layouts.

use std::fmt::Write as _;

use crate::core::advice;
use crate::core::model::Direction;
use crate::core::reciprocity::{favours, plural};
use crate::core::report::{self, Report};
use crate::view::advice::{ASKED_BY_CONTACTS, action_words, status_words};
use crate::view::{self, Look};

fn favour_line(f: &report::FavourItem) -> String {
    format!(
        "{} — {}: {} ({}, weight {})",
        f.date, f.name, f.what, f.kind, f.weight
    )
}

fn meeting_line(m: &report::MeetingItem) -> String {
    match &m.note {
        Some(note) => format!("{} — {}: {} ({})", m.date, m.name, note, m.how),
        None => format!("{} — {} ({})", m.date, m.name, m.how),
    }
}

fn request_line(r: &report::RequestItem) -> String {
    let who = match r.direction {
        Direction::In => format!("{} asked you", r.name),
        Direction::Out => format!("you asked {}", r.name),
    };
    let ended = match r.closed_on {
        Some(on) => format!("{} on {on}", status_words(r.direction, r.status)),
        None => status_words(r.direction, r.status).to_string(),
    };
    format!("{} — {who}: {} ({ended})", r.date, r.what)
}

fn change_line(c: &report::BalanceChange) -> String {
    format!(
        "{}: {} → {}; you gave {}, they gave {}",
        c.name,
        view::signed(c.net_before),
        view::signed(c.net_after),
        favours(c.given),
        favours(c.received)
    )
}

fn cold_line(c: &advice::Cold) -> String {
    format!(
        "{}: {} days — you aim for every {}",
        c.name, c.days, c.cadence_days
    )
}

fn one_way_line(o: &report::OneWayAsk) -> String {
    format!(
        "{} — {} asked for {} ({} so far, nothing given back yet)",
        o.date,
        o.name,
        o.what,
        plural(o.requests_total, "request")
    )
}

/// The report's sections as (title, lines), shared by the text and Markdown renderers.
fn report_sections(report: &Report) -> Vec<(&'static str, Vec<String>)> {
    let mut who = Vec::new();
    for s in &report.who {
        let reasons: Vec<&str> = s.reasons.iter().map(|r| r.text.as_str()).collect();
        let joined = reasons.join(" · ");
        // Most reasons already open with the name; don't say it twice.
        let mut line = if joined.starts_with(&s.name) {
            joined
        } else {
            format!("{}: {joined}", s.name)
        };
        if let Some(needs) = s.needs_sentence() {
            let _ = write!(line, ". {needs}");
        }
        who.push(line);
    }
    let mut sections = vec![
        ("You gave", report.gave.iter().map(favour_line).collect()),
        ("You got", report.got.iter().map(favour_line).collect()),
        ("You met", report.met.iter().map(meeting_line).collect()),
        (
            "Requests opened",
            report.requests_opened.iter().map(request_line).collect(),
        ),
        (
            "Requests closed",
            report.requests_closed.iter().map(request_line).collect(),
        ),
        (
            "Balance changes",
            report.balance_changes.iter().map(change_line).collect(),
        ),
        ("Whom to help next", who),
        (
            ASKED_BY_CONTACTS,
            report
                .asked_by_contacts
                .iter()
                .map(|r| r.sentence(report.until))
                .collect(),
        ),
        (
            "Going cold",
            report.going_cold.iter().map(cold_line).collect(),
        ),
        (
            "Follow-ups due",
            report
                .followups
                .iter()
                .map(|f| format!("{}: {} — {}", f.name, f.what, action_words(f.action)))
                .collect(),
        ),
        (
            "One-way requests",
            report.one_way.iter().map(one_way_line).collect(),
        ),
    ];
    // Only in a week that has some: most weeks have none.
    if !report.birthdays.is_empty() {
        let at = sections.len().min(7);
        sections.insert(
            at,
            (
                "Birthdays and dates in the coming week",
                report.birthdays.iter().map(birthday_line).collect(),
            ),
        );
    }
    sections
}

/// `2026-11-23 — Maya Lind's birthday (1986-11-23)`.
fn birthday_line(u: &crate::core::birthdays::Upcoming) -> String {
    let what = match &u.label {
        None => format!("{}'s birthday", u.name),
        Some(label) => format!("{}: {label}", u.name),
    };
    format!("{} — {what} ({})", u.on.format("%Y-%m-%d %A"), u.date)
}

/// How many of the report's sections (in [`report_sections`] order) are
/// about what was logged in the period; the rest are advice as of its end.
const LOGGED_SECTIONS: usize = 6;

/// "week" for seven days, "month" for a calendar month's length, else "period".
fn period_word(report: &Report) -> &'static str {
    match (report.until - report.since).num_days() + 1 {
        7 => "week",
        28..=31 => "month",
        _ => "period",
    }
}

/// What a quiet report says instead of empty sections: the whole report in
/// one line when nothing happened and nothing is due, else the line that
/// stands for the empty logged sections.
fn quiet_line(report: &Report, sections: &[(&str, Vec<String>)]) -> Option<(bool, String)> {
    let logged_empty = sections
        .iter()
        .take(LOGGED_SECTIONS)
        .all(|(_, lines)| lines.is_empty());
    if !logged_empty {
        return None;
    }
    let all_empty = sections.iter().all(|(_, lines)| lines.is_empty());
    let word = period_word(report);
    let line = if all_empty {
        format!(
            "a quiet {word}: nothing was logged from {} to {}, and nothing is due",
            report.since, report.until
        )
    } else {
        format!(
            "a quiet {word}: nothing was logged from {} to {}",
            report.since, report.until
        )
    };
    Some((all_empty, line))
}

/// The human report: a title, then each section as an indented list; a
/// quiet period says so in one line instead of a row of empty sections.
pub fn report_text(report: &Report, look: Look) -> String {
    let mut text = String::new();
    let sections = report_sections(report);
    let quiet = quiet_line(report, &sections);
    if let Some((true, line)) = &quiet {
        let _ = writeln!(text, "{line}");
        return text;
    }
    let _ = writeln!(
        text,
        "{}",
        look.bold(&format!("kith report {} to {}", report.since, report.until))
    );
    if let Some((_, line)) = &quiet {
        let _ = writeln!(text, "\n{}", look.dim(line));
    }
    // In a quiet period the one line stands for every empty section; in a
    // busy one, "nothing" under a section is news ("You gave: nothing").
    for (title, lines) in sections
        .into_iter()
        .filter(|(_, lines)| quiet.is_none() || !lines.is_empty())
    {
        let _ = writeln!(text, "\n{}", look.bold(title));
        if lines.is_empty() {
            let _ = writeln!(text, "  {}", look.dim("nothing"));
        }
        for line in lines {
            let _ = writeln!(text, "  · {line}");
        }
    }
    text
}

/// Escapes the characters Markdown would read as emphasis, links or HTML
/// inside a list item.
fn md(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        // Backticks stay: a `kith flag` hint reads best as code.
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '<') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The report as Markdown, clean to paste into notes or an email; a quiet
/// period says so in one line instead of a row of empty sections.
pub fn report_markdown(report: &Report) -> String {
    let mut text = String::new();
    let sections = report_sections(report);
    let quiet = quiet_line(report, &sections);
    let _ = writeln!(text, "# kith report: {} to {}", report.since, report.until);
    if let Some((_, line)) = &quiet {
        let _ = writeln!(text, "\n_{}._", md(line));
    }
    for (title, lines) in sections
        .into_iter()
        .filter(|(_, lines)| quiet.is_none() || !lines.is_empty())
    {
        let _ = writeln!(text, "\n## {title}\n");
        if lines.is_empty() {
            let _ = writeln!(text, "_Nothing._");
        }
        for line in lines {
            let _ = writeln!(text, "- {}", md(&line));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_formatting() {
        assert_eq!(md("a *b* [c]_d `x`"), "a \\*b\\* \\[c\\]\\_d `x`");
    }
}
