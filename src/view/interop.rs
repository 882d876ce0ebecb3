//! `kith import` as text: the records that matter in a table, then one
//! summary line; for calendars and mailboxes, the entries logged, the skips
//! by reason and the addresses that matched no one (also as JSON).

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::core::contacts::exchanges::{ExchangeReport, Logged, Unknown};
use crate::core::contacts::{Action, ImportReport, Outcome};
use crate::view::{self, Look};

/// A real import lists the people it added or updated up to this many.
const LIST_LIMIT: usize = 100;

/// A dry run lists every record. A real import lists what changed, or only
/// the skips when the changes would scroll by in their thousands; `quiet`
/// leaves out a real import's table and summary.
pub fn import_report(
    out: &mut dyn Write,
    report: &ImportReport,
    dry_run: bool,
    quiet: bool,
    look: Look,
) -> Result<()> {
    let changed = report.outcomes.len() - report.count(Action::Unchanged);
    let rows: Vec<_> = report
        .outcomes
        .iter()
        .filter(|o| {
            dry_run
                || o.action == Action::Skipped
                || (o.action != Action::Unchanged && changed <= LIST_LIMIT)
        })
        .collect();
    if !rows.is_empty() && (dry_run || !quiet) {
        let action_header = if dry_run { "would be" } else { "result" };
        let mut table = look.table(&["line", action_header, "name", "detail"]);
        for outcome in rows {
            table.add_row(vec![
                outcome.line.to_string(),
                outcome.action.as_str().to_string(),
                outcome.name.clone().unwrap_or_else(|| "—".into()),
                outcome.detail.clone(),
            ]);
        }
        view::table(out, &table)?;
    }
    let summary = report.summary();
    if dry_run {
        writeln!(out, "dry run: {summary}; nothing was changed")?;
    } else if !quiet {
        writeln!(out, "imported: {summary}")?;
    }
    Ok(())
}

/// What importing one contact would do, for the `--select` prompt:
/// " — updates Ann Lee, whom you already have (same email; added phone)".
pub fn would_do(outcome: &Outcome) -> String {
    let name = crate::view::shown::plain(outcome.name.as_deref().unwrap_or("them"));
    let detail = crate::view::shown::plain(&outcome.detail);
    match outcome.action {
        Action::Added => " — someone new".to_string(),
        Action::Updated => format!(" — updates {name}, whom you already have ({detail})"),
        Action::Unchanged => format!(" — you already have {name}; nothing new"),
        Action::Merged => format!(" — the same person as an earlier contact ({detail})"),
        Action::Skipped => format!(" — would be skipped: {detail}"),
    }
}

/// How to show a calendar or mail import.
pub struct ExchangeOptions {
    pub dry_run: bool,
    pub quiet: bool,
    /// How many unmatched addresses to list (0: none).
    pub show_unknown: usize,
    pub max_attendees: usize,
    /// "meeting" or "conversation".
    pub what: &'static str,
    pub look: Look,
}

/// "1 meeting", "3 meetings"; "1 person", "2 people".
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The entries logged (all of them in a dry run), the unmatched addresses
/// with `--show-unknown`, then one summary line with the skips by reason.
pub fn exchanges_text(
    out: &mut dyn Write,
    report: &ExchangeReport,
    options: &ExchangeOptions,
) -> Result<()> {
    let logged = &report.logged;
    let list = options.dry_run || (!options.quiet && logged.len() <= LIST_LIMIT);
    if list && !logged.is_empty() {
        let mut table = options.look.table(&["date", "name", "how", "note"]);
        for entry in logged {
            table.add_row(vec![
                entry.date.to_string(),
                view::clip(&entry.name, 40),
                entry.how.to_string(),
                view::clip(entry.note.as_deref().unwrap_or("—"), 60),
            ]);
        }
        view::table(out, &table)?;
    }
    if options.show_unknown > 0 && !report.unknown.is_empty() {
        let mut table = options
            .look
            .table(&["address that matched no one", &format!("{}s", options.what)]);
        for unknown in report.unknown.iter().take(options.show_unknown) {
            table.add_row(vec![unknown.address.clone(), unknown.exchanges.to_string()]);
        }
        view::table(out, &table)?;
    }
    if options.quiet && !options.dry_run {
        return Ok(());
    }
    let people = logged
        .iter()
        .map(|l| l.person_id.as_str())
        .collect::<std::collections::HashSet<_>>()
        .len();
    let verb = if options.dry_run {
        "would log"
    } else {
        "logged"
    };
    let mut line = format!(
        "{verb} {} with {} from {} read",
        counted(logged.len(), options.what, &format!("{}s", options.what)),
        counted(people, "person", "people"),
        match options.what {
            "meeting" => counted(report.read, "event", "events"),
            _ => counted(report.read, "message", "messages"),
        },
    );
    if report.skipped_total() > 0 {
        line.push_str(&format!(
            "; skipped {}: {}",
            report.skipped_total(),
            report.skip_reasons(options.max_attendees)
        ));
    }
    if !report.unknown.is_empty() {
        line.push_str(&format!(
            "; {} matched no one",
            counted(report.unknown.len(), "address", "addresses")
        ));
        if options.show_unknown == 0 {
            line.push_str(" (--show-unknown lists them)");
        }
    }
    if options.dry_run {
        line.push_str("; nothing was changed");
    }
    writeln!(out, "{line}")?;
    Ok(())
}

#[derive(Serialize)]
struct Json<'a> {
    dry_run: bool,
    read: usize,
    logged: &'a [Logged],
    skipped: BTreeMap<String, usize>,
    unknown_addresses: usize,
    unknown: &'a [Unknown],
}

/// The same as one JSON object.
pub fn exchanges_json(
    out: &mut dyn Write,
    report: &ExchangeReport,
    dry_run: bool,
    show_unknown: usize,
) -> Result<()> {
    let skipped = report
        .skipped
        .iter()
        .filter_map(|(reason, n)| {
            let key = serde_json::to_value(reason).ok()?.as_str()?.to_string();
            Some((key, *n))
        })
        .collect();
    let shown = report.unknown.len().min(show_unknown);
    view::json(
        out,
        &Json {
            dry_run,
            read: report.read,
            logged: &report.logged,
            skipped,
            unknown_addresses: report.unknown.len(),
            unknown: report.unknown.get(..shown).unwrap_or_default(),
        },
    )
}
