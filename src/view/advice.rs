//! The advice commands as text: `balance`, `check`, `who`, `followups` and
//! `stats`. Layout only: what to say was decided in `core::reciprocity`,
//! `core::advice` and `core::report`.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;
use comfy_table::{Cell, Table};

use crate::core::advice::{self, ContactRequest, Followup, FollowupAction, Nobody, Suggestion};
use crate::core::index::Index;
use crate::core::model::{Direction, EntryType, Status};
use crate::core::reciprocity::{BalanceRow, Check, Standing, favours, plural};
use crate::core::report::{self, Stats};
use crate::view::escape::line as plain;
use crate::view::{self, Look, key_values};

/// Why `kith balance` has no row: an empty ledger, a tag no one shown has,
/// or everyone left out unless `--all`.
pub fn no_balance(people: usize, tag: Option<&str>, all: bool) -> String {
    match (people, tag) {
        (0, _) => "no one here yet — add someone with `kith add NAME`".to_string(),
        (_, Some(tag)) => format!(
            "no one tagged `{}` to show{}",
            plain(tag),
            if all {
                ""
            } else {
                " (--all includes everyone)"
            }
        ),
        (_, None) => format!(
            "no one to show among the {}{}",
            match people {
                1 => "1 person in the ledger".to_string(),
                n => format!("{n} people in the ledger"),
            },
            if all {
                ""
            } else {
                " (--all includes everyone)"
            }
        ),
    }
}

/// The `kith balance` table.
/// `hidden`: the rows are empty only because contacts and archived people
/// are left out.
pub fn balance(
    out: &mut dyn Write,
    rows: &[BalanceRow],
    hidden: bool,
    today: NaiveDate,
    look: Look,
) -> Result<()> {
    if rows.is_empty() && hidden {
        writeln!(
            out,
            "no relationships here yet; `kith balance --all` includes contacts and archived people"
        )?;
        return Ok(());
    }
    if rows.is_empty() {
        writeln!(out, "no one here yet — add someone with `kith add NAME`")?;
        return Ok(());
    }
    // One number a column, and the header says which: a cell like `3 (1)`
    // left readers unsure which was the count and which the weight.
    let mut table = look.table(&[
        "name",
        "favours given",
        "weight given",
        "favours received",
        "weight received",
        "net",
        "net 365d",
        "last exchange",
        "standing",
    ]);
    for row in rows {
        table.add_row(vec![
            Cell::new(row.name),
            Cell::new(row.given.count),
            Cell::new(row.given.weight),
            Cell::new(row.received.count),
            Cell::new(row.received.weight),
            look.net_cell(row.net),
            Cell::new(view::signed(row.last_365.net)),
            Cell::new(view::maybe_date(row.last_exchange, today)),
            Cell::new(row.standing.as_str()),
        ]);
    }
    view::table(out, &table)
}

pub(crate) fn status_words(direction: Direction, status: Status) -> &'static str {
    match (direction, status) {
        (_, Status::Open) => "open",
        (Direction::In, Status::Granted) => "you helped",
        (Direction::Out, Status::Granted) => "they helped",
        (Direction::In, Status::Declined) => "you declined",
        (Direction::Out, Status::Declined) => "they declined",
        (_, Status::Lapsed) => "went unanswered",
    }
}

/// The human `check`: the verdict first, then the evidence.
pub fn check_text(index: &Index, check: &Check, look: Look, today: NaiveDate) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "{} — {}", look.bold(&check.name), check.standing);
    let _ = writeln!(text, "{}", check.verdict);
    if !check.known {
        return text;
    }
    let _ = writeln!(text);
    text.push_str(&key_values(&check_facts(check, today)));
    // The index keeps the ids sorted: a scan of the ledger per row made
    // `check` take seconds for someone with a long history.
    let shortener = index;
    if !check.requests.is_empty() {
        let _ = writeln!(text, "\n{}", look.bold("Requests"));
        let _ = writeln!(text, "{}", requests_table(check, shortener, look));
    }
    if !check.favours.is_empty() {
        let _ = writeln!(text, "\n{}", look.bold("Favours"));
        let _ = writeln!(text, "{}", favours_table(check, shortener, look));
    }
    if !check.observations.is_empty() {
        let _ = writeln!(text, "\n{}", look.bold("Observations"));
        for o in &check.observations {
            let _ = writeln!(text, "  · {o}");
        }
    }
    text
}

/// The key facts of a `check`: net, dates, request counts, the flag.
fn check_facts(check: &Check, today: NaiveDate) -> Vec<(&'static str, String)> {
    let mut facts = vec![
        (
            "net",
            format!(
                "{}: you gave {}, they gave {}; last 365 days {}",
                view::signed(check.net),
                favours(check.given),
                favours(check.received),
                view::signed(check.last_365.net)
            ),
        ),
        (
            "last exchange",
            view::maybe_date(check.last_exchange, today),
        ),
        (
            "first contact",
            view::maybe_date(check.first_contact, today),
        ),
        (
            "requests",
            format!(
                "{}; {}",
                requests_phrase(
                    "they",
                    "you",
                    check.requests_in.total,
                    check.requests_in.open
                ),
                requests_phrase(
                    "you",
                    "them",
                    check.requests_out.total,
                    check.requests_out.open
                ),
            ),
        ),
    ];
    facts.extend(view::date_facts(check.birthday, &check.dates, today));
    if let Some(flag) = &check.flag {
        let reason = flag
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        facts.push(("flag", format!("since {}{reason}", flag.date)));
    }
    if !check.relationship {
        facts.push((
            "contact",
            "not a relationship yet: nothing exchanged".to_string(),
        ));
    }
    facts
}

fn requests_table(check: &Check, shortener: &Index, look: Look) -> Table {
    let mut table = look.table(&["id", "date", "who asked", "what", "how it ended"]);
    for r in &check.requests {
        let mut ended = status_words(r.direction, r.status).to_string();
        if let Some(on) = r.answered_on {
            let _ = write!(ended, " on {on}");
        }
        if let Some(nudge) = r.nudges.iter().max() {
            let _ = write!(ended, " (reached out again {nudge})");
        }
        table.add_row(vec![
            Cell::new(shortener.short_entry_id(&r.id)),
            Cell::new(r.date),
            Cell::new(r.direction.label()),
            Cell::new(view::clip(&r.what, 60)),
            Cell::new(ended),
        ]);
    }
    table
}

fn favours_table(check: &Check, shortener: &Index, look: Look) -> Table {
    let mut table = look.table(&["id", "date", "", "what", "kind", "weight"]);
    for f in &check.favours {
        let way = if f.entry_type == EntryType::Gave {
            "you gave"
        } else {
            "they gave"
        };
        table.add_row(vec![
            Cell::new(shortener.short_entry_id(&f.id)),
            Cell::new(f.date),
            Cell::new(way),
            Cell::new(view::clip(&f.what, 60)),
            Cell::new(f.kind),
            Cell::new(f.weight),
        ]);
    }
    table
}

/// "they asked you 3 times (1 still open)", "you never asked them".
fn requests_phrase(asker: &str, asked: &str, total: u32, open: u32) -> String {
    let times = match total {
        0 => return format!("{asker} never asked {asked}"),
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    };
    match open {
        0 => format!("{asker} asked {asked} {times}"),
        n => format!("{asker} asked {asked} {times} ({n} still open)"),
    }
}

/// The follow-up in a few words, for `check` and `show`.
pub fn followup_words(f: &Followup) -> String {
    match (f.action, f.nudged_on) {
        (FollowupAction::LetGo, Some(nudge)) => format!(
            "you asked for “{}” on {} and reached out once more on {nudge}: let it go (consider `kith flag`)",
            f.what, f.asked_on
        ),
        _ => format!(
            "you asked for “{}” on {} and have not heard back: reach out once more",
            f.what, f.asked_on
        ),
    }
}

fn tier_words(code: advice::ReasonCode) -> &'static str {
    match code {
        advice::ReasonCode::OpenRequest => "open request",
        advice::ReasonCode::Birthday => "birthday",
        advice::ReasonCode::YouOwe => "return a favour",
        advice::ReasonCode::GoingCold => "keep in touch",
        advice::ReasonCode::GiveFirst => "give first",
    }
}

/// Why `who` has no one to suggest, in one or two plain lines.
pub fn nobody_text(nobody: &Nobody, tag: Option<&str>) -> String {
    if nobody.people == 0 {
        return "no one here yet — add someone with `kith add NAME`, then log what you give and get"
            .to_string();
    }
    if let (Some(tag), 0) = (tag, nobody.looked_at) {
        return format!("no one is tagged `{}`", plain(tag));
    }
    let among = match tag {
        Some(tag) => format!(
            "{} tagged `{}`",
            plural_people(nobody.looked_at),
            plain(tag)
        ),
        None => plural_people(nobody.looked_at),
    };
    let parts: Vec<String> = [
        (
            nobody.cooling_down,
            "cooling down after a recent favour or meeting",
        ),
        (nobody.snoozed, "snoozed"),
        (nobody.flagged_or_archived, "flagged or archived"),
        (nobody.nothing_to_do, "with nothing calling for you yet"),
    ]
    .into_iter()
    .filter(|(count, _)| *count > 0)
    .map(|(count, why)| format!("{count} {why}"))
    .collect();
    format!(
        "no one to suggest right now among {among}: {}",
        parts.join(", ")
    )
}

fn plural_people(count: usize) -> String {
    match count {
        1 => "1 person".to_string(),
        n => format!("{n} people"),
    }
}

/// The human `who`: a numbered list, each with its reasons and open needs
/// (or `empty`, why there is no one), then, apart, the open requests from
/// people you have no history with.
pub fn who_text(
    list: &[Suggestion],
    apart: &[ContactRequest],
    empty: Option<&str>,
    today: NaiveDate,
    look: Look,
) -> String {
    let mut text = String::new();
    if list.is_empty() {
        let _ = writeln!(text, "{}", empty.unwrap_or("no one to suggest right now"));
    }
    for (rank, s) in list.iter().enumerate() {
        let _ = writeln!(
            text,
            "{}. {} — {}",
            rank + 1,
            look.bold(&s.name),
            tier_words(s.tier)
        );
        for reason in &s.reasons {
            let _ = writeln!(text, "   · {}", reason.text);
        }
        if let Some(needs) = s.needs_sentence() {
            let _ = writeln!(text, "   · {needs}");
        }
    }
    if !apart.is_empty() {
        let _ = writeln!(
            text,
            "\n{} — `kith check` before you say yes",
            look.bold(ASKED_BY_CONTACTS)
        );
        for r in apart {
            let _ = writeln!(text, "   · {}", r.sentence(today));
        }
    }
    text
}

/// The heading over requests from contacts, in `who` and `report`.
pub const ASKED_BY_CONTACTS: &str = "Asked by people you have no history with";

pub(crate) fn action_words(action: FollowupAction) -> &'static str {
    match action {
        FollowupAction::Nudge => "reach out once more",
        FollowupAction::LetGo => "let it go (consider `kith flag`)",
    }
}

fn followups_table(
    index: &Index,
    due: &[Followup],
    look: Look,
    today: NaiveDate,
) -> comfy_table::Table {
    let mut table = look.table(&[
        "request",
        "name",
        "what",
        "asked",
        "reached out again",
        "next",
    ]);
    // The index keeps the ids sorted: a scan of every entry per row made
    // `followups` quadratic (7.8 s at 200,000 entries).
    let shortener = index;
    for f in due {
        table.add_row(vec![
            Cell::new(shortener.short_entry_id(&f.request)),
            Cell::new(&f.name),
            Cell::new(view::clip(&f.what, 50)),
            Cell::new(view::date_with_age(f.asked_on, today)),
            Cell::new(view::maybe_date(f.nudged_on, today)),
            Cell::new(action_words(f.action)),
        ]);
    }
    table
}

/// The `kith followups` table, or a line saying none are due.
pub fn followups(
    out: &mut dyn Write,
    index: &Index,
    due: &[Followup],
    today: NaiveDate,
    look: Look,
) -> Result<()> {
    if due.is_empty() {
        writeln!(out, "no follow-ups due")?;
        return Ok(());
    }
    view::table(out, &followups_table(index, due, look, today))
}

/// The human `stats`.
pub fn stats_text(stats: &Stats, look: Look) -> String {
    let standings: Vec<String> = stats
        .by_standing
        .iter()
        .filter(|(s, n)| **n > 0 && **s != Standing::Unknown)
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    let span = match (stats.months.first(), stats.months.last()) {
        (Some(first), Some(last)) => format!(", {} to {}", first.month, last.month),
        _ => String::new(),
    };
    let total = |f: fn(&report::MonthCount) -> u32| stats.months.iter().map(f).sum::<u32>();
    let mut rows = vec![(
        "people",
        format!("{} ({} archived)", stats.people, stats.archived),
    )];
    if stats.contacts.total > 0 {
        let mut parts = Vec::new();
        if stats.contacts.imported > 0 {
            parts.push(format!(
                "{} imported with nothing logged",
                stats.contacts.imported
            ));
        }
        if stats.contacts.requesters > 0 {
            parts.push(format!("{} who only asked you", stats.contacts.requesters));
        }
        let line = match parts.as_slice() {
            [one] => one.clone(),
            _ => format!("{}: {}", stats.contacts.total, parts.join(", ")),
        };
        rows.push(("contacts", line));
    }
    rows.extend([
        (
            "standing",
            if standings.is_empty() {
                "—".to_string()
            } else {
                standings.join(" · ")
            },
        ),
        (
            "given",
            format!(
                "|{}| {} in 12 months{span}",
                stats.given_sparkline,
                plural(total(|m| m.given), "favour")
            ),
        ),
        (
            "received",
            format!(
                "|{}| {} in 12 months",
                stats.received_sparkline,
                plural(total(|m| m.received), "favour")
            ),
        ),
        ("going cold", stats.going_cold.to_string()),
        (
            "open requests",
            format!(
                "{} from them, {} of yours",
                stats.open_requests_in, stats.open_requests_out
            ),
        ),
    ]);
    let _ = look;
    key_values(&rows)
}

/// The `kith requests` table, or a line saying none are open.
pub fn requests(
    out: &mut dyn Write,
    index: &Index,
    rows: &[advice::OpenRequest],
    today: NaiveDate,
    look: Look,
) -> Result<()> {
    if rows.is_empty() {
        writeln!(out, "no open requests")?;
        return Ok(());
    }
    let mut table = look.table(&["request", "asked", "who asked", "name", "what", "they are"]);
    let shortener = index;
    for r in rows {
        let who = match r.direction {
            Direction::In => "they asked you",
            Direction::Out => "you asked them",
        };
        let tie = if r.relationship {
            "a relationship"
        } else {
            "a contact"
        };
        table.add_row(vec![
            Cell::new(shortener.short_entry_id(&r.id)),
            Cell::new(view::date_with_age(r.asked_on, today)),
            Cell::new(who),
            Cell::new(&r.name),
            Cell::new(view::clip(&r.what, 50)),
            Cell::new(tie),
        ]);
    }
    view::table(out, &table)
}
