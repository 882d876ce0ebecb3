//! Handlers for the reciprocity commands: `balance`, `check`, `who`,
//! `followups`, `report`, `stats` and `config`.
//!
//! Each loads the ledger, asks the pure core (`reciprocity`, `advice`,
//! `report`, `config`) for one struct, and renders that struct either as JSON
//! or as text; the text renderers below decide layout only, never content.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use comfy_table::Cell;
use serde::Serialize;

use super::Ctx;
use crate::cli::{
    BalanceArgs, BalanceSortArg, CheckArgs, ConfigArgs, ReportArgs, ReportFormat, WhoArgs,
};
use crate::core::advice::{self, Followup, FollowupAction, Suggestion};
use crate::core::ids;
use crate::core::index::Index;
use crate::core::ledger;
use crate::core::model::{Direction, EntryType, Ledger, Status};
use crate::core::reciprocity::{self, BalanceSort, Check, Standing, Tally, plural};
use crate::core::report::{self, Period, Report, Stats};
use crate::core::settings;
use crate::view::{self, Look};

fn sort_of(arg: BalanceSortArg) -> BalanceSort {
    match arg {
        BalanceSortArg::Net => BalanceSort::Net,
        BalanceSortArg::Name => BalanceSort::Name,
        BalanceSortArg::Last => BalanceSort::Last,
        BalanceSortArg::Given => BalanceSort::Given,
        BalanceSortArg::Received => BalanceSort::Received,
    }
}

/// `12 (3)`: summed weight and, in brackets, how many favours.
fn tally(t: Tally) -> String {
    format!("{} ({})", t.weight, t.count)
}

pub fn balance(ctx: &Ctx, out: &mut dyn Write, args: BalanceArgs) -> Result<()> {
    let ledger = ctx.store.load_for_read()?;
    let rows = reciprocity::balance_rows(
        &ledger,
        ctx.today,
        args.tag.as_deref(),
        args.all,
        sort_of(args.sort),
    );
    if ctx.json {
        return view::json(out, &rows);
    }
    if rows.is_empty() {
        writeln!(out, "no one here yet — add someone with `kith add NAME`")?;
        return Ok(());
    }
    let mut table = ctx.look.table(&[
        "name",
        "given",
        "received",
        "net",
        "net 365d",
        "last exchange",
        "standing",
    ]);
    for row in &rows {
        table.add_row(vec![
            Cell::new(&row.name),
            Cell::new(tally(row.given)),
            Cell::new(tally(row.received)),
            ctx.look.net_cell(row.net),
            Cell::new(view::signed(row.last_365.net)),
            Cell::new(view::maybe_date(row.last_exchange, ctx.today)),
            Cell::new(row.standing.as_str()),
        ]);
    }
    view::table(out, &table)
}

/// The check of `query`: the person it names, or an unknown name.
fn check_of(ledger: &Ledger, query: &str, today: NaiveDate) -> Result<Check> {
    if query.trim().is_empty() {
        anyhow::bail!("the name is empty\nhint: `kith check \"Bob Jones\"`");
    }
    match ledger::find_person(ledger, query) {
        Ok(person) => Ok(Check::of(ledger, person, today)),
        // Only "no one matches" makes a stranger; an ambiguous name stays an error.
        Err(err) if crate::error::kind_of(&err) == crate::error::Kind::NotFound => {
            Ok(Check::unknown(query.trim()))
        }
        Err(err) => Err(err),
    }
}

pub fn check(ctx: &Ctx, out: &mut dyn Write, args: CheckArgs) -> Result<()> {
    let ledger = ctx.store.load_for_read()?;
    let check = check_of(&ledger, &args.name, ctx.today)?;
    if ctx.json {
        return view::json(out, &check);
    }
    out.write_all(check_text(&ledger, &check, ctx.look, ctx.today).as_bytes())?;
    Ok(())
}

fn status_words(direction: Direction, status: Status) -> &'static str {
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
pub fn check_text(ledger: &Ledger, check: &Check, look: Look, today: NaiveDate) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "{} — {}", look.bold(&check.name), check.standing);
    let _ = writeln!(text, "{}", check.verdict);
    if !check.known {
        return text;
    }
    let _ = writeln!(text);
    let mut facts = vec![
        (
            "net",
            format!(
                "{}: you gave {} ({}), they gave {} ({}); last 365 days {}",
                view::signed(check.net),
                check.given.weight,
                plural(check.given.count, "favour"),
                check.received.weight,
                plural(check.received.count, "favour"),
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
                "they asked {} ({} open), you asked {} ({} open)",
                check.requests_in.total,
                check.requests_in.open,
                check.requests_out.total,
                check.requests_out.open
            ),
        ),
    ];
    if let Some(flag) = &check.flag {
        let reason = flag
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        facts.push(("flag", format!("since {}{reason}", flag.date)));
    }
    text.push_str(&key_values(&facts));
    // One sorted list of ids for every row: a scan of the ledger per row made
    // `check` take seconds for someone with a long history.
    let shortener = ids::Shortener::new(ledger.entries.iter().map(|e| e.id.as_str()));

    if !check.requests.is_empty() {
        let _ = writeln!(text, "\n{}", look.bold("Requests"));
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
                Cell::new(shortener.short(&r.id)),
                Cell::new(r.date),
                Cell::new(r.direction.label()),
                Cell::new(view::clip(&r.what, 60)),
                Cell::new(ended),
            ]);
        }
        let _ = writeln!(text, "{table}");
    }
    if !check.favours.is_empty() {
        let _ = writeln!(text, "\n{}", look.bold("Favours"));
        let mut table = look.table(&["id", "date", "", "what", "kind", "weight"]);
        for f in &check.favours {
            let way = if f.entry_type == EntryType::Gave {
                "you gave"
            } else {
                "they gave"
            };
            table.add_row(vec![
                Cell::new(shortener.short(&f.id)),
                Cell::new(f.date),
                Cell::new(way),
                Cell::new(view::clip(&f.what, 60)),
                Cell::new(f.kind),
                Cell::new(f.weight),
            ]);
        }
        let _ = writeln!(text, "{table}");
    }
    if !check.observations.is_empty() {
        let _ = writeln!(text, "\n{}", look.bold("Observations"));
        for o in &check.observations {
            let _ = writeln!(text, "  · {o}");
        }
    }
    text
}

pub fn who(ctx: &Ctx, out: &mut dyn Write, args: WhoArgs) -> Result<()> {
    let ledger = ctx.store.load_for_read()?;
    let list = advice::who_filtered(
        &Index::new(&ledger),
        ctx.today,
        args.tag.as_deref(),
        args.limit,
    );
    if ctx.json {
        return view::json(out, &list);
    }
    out.write_all(who_text(&list, ctx.look).as_bytes())?;
    Ok(())
}

fn tier_words(code: advice::ReasonCode) -> &'static str {
    match code {
        advice::ReasonCode::OpenRequest => "open request",
        advice::ReasonCode::YouOwe => "return a favour",
        advice::ReasonCode::GoingCold => "keep in touch",
        advice::ReasonCode::GiveFirst => "give first",
    }
}

/// The human `who`: a numbered list, each with its reasons and open needs.
pub fn who_text(list: &[Suggestion], look: Look) -> String {
    let mut text = String::new();
    if list.is_empty() {
        text.push_str("no one to suggest right now: everyone is warm, cooling down or snoozed\n");
        return text;
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
    text
}

fn action_words(action: FollowupAction) -> &'static str {
    match action {
        FollowupAction::Nudge => "reach out once more",
        FollowupAction::LetGo => "let it go (consider `kith flag`)",
    }
}

fn followups_table(
    ledger: &Ledger,
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
    for f in due {
        table.add_row(vec![
            Cell::new(ledger::short_entry_id(ledger, &f.request)),
            Cell::new(&f.name),
            Cell::new(view::clip(&f.what, 50)),
            Cell::new(view::date_with_age(f.asked_on, today)),
            Cell::new(view::maybe_date(f.nudged_on, today)),
            Cell::new(action_words(f.action)),
        ]);
    }
    table
}

pub fn followups(ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.store.load_for_read()?;
    let due = advice::followups(&Index::new(&ledger), ctx.today);
    if ctx.json {
        return view::json(out, &due);
    }
    if due.is_empty() {
        writeln!(out, "no follow-ups due")?;
        return Ok(());
    }
    view::table(out, &followups_table(&ledger, &due, ctx.look, ctx.today))
}

pub fn report(ctx: &Ctx, out: &mut dyn Write, args: ReportArgs) -> Result<()> {
    let period = match (&args.since, args.month) {
        (Some(since), _) => {
            let since = ctx.date(since).context("could not read --since")?;
            let until = match &args.until {
                Some(until) => Some(ctx.date(until).context("could not read --until")?),
                None => None,
            };
            Period::between(since, until, ctx.today).map_err(anyhow::Error::msg)?
        }
        (None, true) => Period::month(ctx.today),
        (None, false) => Period::week(ctx.today),
    };
    let ledger = ctx.store.load_for_read()?;
    let report = report::report(&ledger, period);
    let format = if ctx.json {
        ReportFormat::Json
    } else {
        args.format
    };
    match format {
        ReportFormat::Json => view::json(out, &report),
        ReportFormat::Markdown => Ok(out.write_all(report_markdown(&report).as_bytes())?),
        ReportFormat::Table => Ok(out.write_all(report_text(&report, ctx.look).as_bytes())?),
    }
}

fn favour_line(f: &report::FavourItem) -> String {
    format!(
        "{} — {}: {} ({}, {})",
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
        "{}: {} → {} (you gave {}, they gave {})",
        c.name,
        view::signed(c.net_before),
        view::signed(c.net_after),
        c.given.weight,
        c.received.weight
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
        "{} — {} asked for {} ({} requests so far, nothing given back yet)",
        o.date, o.name, o.what, o.requests_total
    )
}

/// The report's sections as (title, lines), shared by the text and Markdown renderers.
fn report_sections(report: &Report) -> Vec<(&'static str, Vec<String>)> {
    let mut who = Vec::new();
    for s in &report.who {
        let reasons: Vec<&str> = s.reasons.iter().map(|r| r.text.as_str()).collect();
        let joined = reasons.join("; ");
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
    vec![
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
    ]
}

/// The human report: a title, then each section as an indented list.
pub fn report_text(report: &Report, look: Look) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{}",
        look.bold(&format!("kith report {} to {}", report.since, report.until))
    );
    for (title, lines) in report_sections(report) {
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

/// The report as Markdown, clean to paste into notes or an email.
pub fn report_markdown(report: &Report) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "# kith report: {} to {}", report.since, report.until);
    for (title, lines) in report_sections(report) {
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

pub fn stats(ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.store.load_for_read()?;
    let stats = report::stats(&ledger, ctx.today);
    if ctx.json {
        return view::json(out, &stats);
    }
    out.write_all(stats_text(&stats, ctx.look).as_bytes())?;
    Ok(())
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
    let rows = vec![
        (
            "people",
            format!("{} ({} archived)", stats.people, stats.archived),
        ),
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
                total(|m| m.given)
            ),
        ),
        (
            "received",
            format!(
                "|{}| {} in 12 months",
                stats.received_sparkline,
                total(|m| m.received)
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
    ];
    let _ = look;
    key_values(&rows)
}

/// Aligned `key  value` lines, for facts that are not a table.
fn key_values(rows: &[(&str, String)]) -> String {
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for (key, value) in rows {
        let _ = writeln!(text, "  {key:<width$}  {value}");
    }
    text
}

/// `config --json` of one key.
#[derive(Serialize)]
struct Setting<'a> {
    key: &'a str,
    value: String,
}

pub fn config(ctx: &Ctx, out: &mut dyn Write, args: ConfigArgs) -> Result<()> {
    match (args.key, args.value) {
        (None, _) => {
            let ledger = ctx.store.load()?;
            if ctx.json {
                return view::json(out, &ledger.settings);
            }
            let mut table = ctx.look.table(&["setting", "value"]);
            for (key, value) in settings::entries(&ledger.settings) {
                table.add_row(vec![Cell::new(key), Cell::new(value)]);
            }
            view::table(out, &table)
        }
        (Some(key), None) => {
            let ledger = ctx.store.load()?;
            let value = settings::get(&ledger.settings, &key)?;
            if ctx.json {
                return view::json(out, &Setting { key: &key, value });
            }
            writeln!(out, "{value}")?;
            Ok(())
        }
        (Some(key), Some(value)) => {
            let stored = ctx.store.update(|ledger| {
                let stored = settings::set(&mut ledger.settings, &key, &value)?;
                Ok((stored.clone(), format!("config {key} {stored}")))
            })?;
            ctx.confirm(out, &format!("{key} = {stored}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_formatting() {
        assert_eq!(md("a *b* [c]_d `x`"), "a \\*b\\* \\[c\\]\\_d `x`");
    }
}
