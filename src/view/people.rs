//! People as text: the `kith people` table, the `kith show` page and the
//! `kith people --duplicates` table.

use std::io::Write;

use anyhow::Result;

use crate::core::dedupe::{Candidate, PairReport};
use crate::core::ids;
use crate::core::ledger::{self, PeopleFilter};
use crate::core::model::{Ledger, Person};
use crate::core::profile::{Listed, Profile};
use crate::core::reciprocity::favours;
use crate::core::relationship::Roster;
use crate::view::escape::line as plain;
use crate::view::{self, Look, clip, maybe_date};

/// Why `kith people` lists no one: an empty ledger, or a filter no one passes.
fn no_one_listed(ledger: &(impl Roster + ?Sized), filter: &PeopleFilter) -> String {
    let everyone = ledger.roster().len();
    if everyone == 0 {
        return "no one here yet\nhint: add someone with `kith add \"Alice Smith\" --org Acme`"
            .to_string();
    }
    let mut wanted = Vec::new();
    if let Some(search) = filter.search {
        wanted.push(format!("`{}`", plain(search)));
    }
    if let Some(tag) = filter.tag {
        wanted.push(format!("the tag `{}`", plain(tag)));
    }
    let among = match everyone {
        1 => "the 1 person".to_string(),
        n => format!("the {n} people"),
    };
    let archived = ledger.roster().iter().filter(|p| p.archived).count();
    if wanted.is_empty() {
        return match everyone {
            1 => "no one to list: the 1 person in the ledger is archived (shown with --all)".into(),
            n => format!(
                "no one to list: all {n} people in the ledger are archived (shown with --all)"
            ),
        };
    }
    let mut line = format!(
        "no one matches {} among {among} in the ledger",
        wanted.join(" and ")
    );
    if archived > 0 && !filter.all {
        line.push_str(&format!(" ({archived} archived, shown with --all)"));
    }
    line
}

/// How many timeline entries `kith show` prints before pointing at `kith log`.
const TIMELINE_ROWS: usize = 15;

/// The `kith people` table with a count under it.
pub fn list(
    out: &mut dyn Write,
    ledger: &(impl Roster + ?Sized),
    rows: &[Listed],
    filter: &PeopleFilter,
    contacts_left_out: usize,
    today: chrono::NaiveDate,
    look: Look,
) -> Result<()> {
    let left_out = match contacts_left_out {
        0 => None,
        1 => Some("1 contact left out: `kith people --all` lists it".to_string()),
        n => Some(format!(
            "{n} contacts left out: `kith people --all` lists them"
        )),
    };
    if rows.is_empty() {
        let filtered = filter.search.is_some() || filter.tag.is_some();
        match left_out {
            Some(left_out) if !filtered => writeln!(out, "no relationships here yet; {left_out}")?,
            Some(left_out) => writeln!(out, "{}; {left_out}", no_one_listed(ledger, filter))?,
            None => writeln!(out, "{}", no_one_listed(ledger, filter))?,
        }
        return Ok(());
    }
    let mut table = look.table(&["name", "org", "tags", "last exchange", "id"]);
    let shortener = ids::Shortener::new(ledger.roster().iter().map(|p| p.id.as_str()));
    for row in rows {
        let person = row.person;
        let mut name = person.name.clone();
        if person.archived {
            name.push_str(" (archived)");
        }
        if person.flag.is_some() {
            name.push_str(" ⚑");
        }
        table.add_row(vec![
            name,
            person.org.clone().unwrap_or_default(),
            person.tags.join(", "),
            maybe_date(row.last_exchange, today),
            shortener.short(&person.id),
        ]);
    }
    view::table(out, &table)?;
    let mut count = match rows.len() {
        1 => "1 person".to_string(),
        n => format!("{n} people"),
    };
    if let Some(left_out) = left_out {
        count.push_str("; ");
        count.push_str(&left_out);
    }
    writeln!(out, "{}", look.dim(&count))?;
    Ok(())
}

/// The facts about a person worth a line each, in display order; empty ones left out.
fn facts(person: &Person, today: chrono::NaiveDate) -> Vec<(&'static str, String)> {
    let mut facts = vec![
        ("aliases", person.aliases.join(", ")),
        ("emails", person.emails.join(", ")),
        ("phones", person.phones.join(", ")),
        ("links", person.urls.join(", ")),
        ("tags", person.tags.join(", ")),
        ("how met", person.how_met.clone().unwrap_or_default()),
        (
            "met on",
            person
                .met_on
                .map(|d| view::date_with_age(d, today))
                .unwrap_or_default(),
        ),
        (
            "cadence",
            person
                .cadence_days
                .map(|d| format!("every {d} days"))
                .unwrap_or_default(),
        ),
    ];
    facts.extend(view::date_facts(person.birthday, &person.dates, today));
    if let Some(until) = person.snoozed_until.filter(|d| *d > today) {
        facts.push(("snoozed", format!("until {until}")));
    }
    if let Some(flag) = &person.flag {
        let reason = flag
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        facts.push(("flagged", format!("on {}{reason}", flag.date)));
    }
    if person.archived {
        facts.push(("archived", "yes".into()));
    }
    facts.push(("notes", person.notes.clone().unwrap_or_default()));
    facts.retain(|(_, value)| !value.is_empty());
    facts
}

/// The `kith show` page: heading, facts, balance, needs, open requests, and
/// the newest part of the timeline.
pub fn show(
    out: &mut dyn Write,
    ledger: &Ledger,
    profile: &Profile,
    today: chrono::NaiveDate,
    look: Look,
) -> Result<()> {
    let person = profile.person;
    writeln!(out, "{}", look.bold(&profile.label))?;
    for (label, value) in facts(person, today) {
        writeln!(out, "  {label:<9} {value}")?;
    }
    let (balance, recent) = (&profile.balance, &profile.balance_365);
    writeln!(
        out,
        "\n{} net {} — you gave {}, they gave {}; last 365 days net {}",
        look.bold("balance"),
        view::signed(balance.net),
        favours(balance.given),
        favours(balance.received),
        view::signed(recent.net),
    )?;
    writeln!(
        out,
        "  last exchange: {}",
        maybe_date(balance.last_exchange, today)
    )?;
    writeln!(out, "  standing: {}", profile.standing)?;
    if !profile.relationship {
        writeln!(
            out,
            "  a contact, not a relationship yet: nothing exchanged"
        )?;
    }
    if let Some(followup) = &profile.followup {
        writeln!(
            out,
            "  follow-up: {}",
            crate::view::advice::followup_words(followup)
        )?;
    }
    for observation in &profile.observations {
        writeln!(out, "  · {observation}")?;
    }
    if !profile.open_needs.is_empty() {
        writeln!(out, "\n{}", look.bold("looking for"))?;
        for need in &profile.open_needs {
            writeln!(out, "  {}  {} (since {})", need.id, need.text, need.since)?;
        }
    }
    if !profile.open_requests.is_empty() {
        writeln!(out, "\n{}", look.bold("open requests"))?;
        for entry in &profile.open_requests {
            writeln!(
                out,
                "  {}  {}  {}",
                ledger::short_entry_id(ledger, &entry.id),
                entry.date,
                entry.summary()
            )?;
        }
    }
    timeline(out, ledger, profile, look)
}

fn timeline(out: &mut dyn Write, ledger: &Ledger, profile: &Profile, look: Look) -> Result<()> {
    let entries = &profile.timeline;
    if entries.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{}", look.bold("timeline"))?;
    let mut table = look.table(&["date", "type", "what", "id"]);
    for entry in entries.iter().rev().take(TIMELINE_ROWS) {
        table.add_row(vec![
            entry.date.to_string(),
            entry.entry_type().to_string(),
            clip(&entry.summary(), 60),
            ledger::short_entry_id(ledger, &entry.id),
        ]);
    }
    view::table(out, &table)?;
    if entries.len() > TIMELINE_ROWS {
        let more = format!(
            "{} more: kith log {}",
            entries.len() - TIMELINE_ROWS,
            crate::core::text::shell_word(&profile.person.name)
        );
        writeln!(out, "{}", look.dim(&more))?;
    }
    Ok(())
}

/// The `kith people --duplicates` table, or a line saying there are none.
pub fn duplicates(
    out: &mut dyn Write,
    ledger: &Ledger,
    pairs: &[PairReport],
    look: Look,
) -> Result<()> {
    if pairs.is_empty() {
        writeln!(out, "no likely duplicates")?;
        return Ok(());
    }
    let mut table = look.table(&["keep", "other", "shared", "entries"]);
    let label = |p: &Candidate| format!("{} {}", p.name, ledger::short_person_id(ledger, &p.id));
    for pair in pairs {
        table.add_row(vec![
            label(&pair.keep),
            label(&pair.other),
            pair.reasons.join(", "),
            format!("{} + {}", pair.keep.entries, pair.other.entries),
        ]);
    }
    view::table(out, &table)?;
    writeln!(
        out,
        "hint: fold one into the other with `kith merge-people KEEP OTHER`"
    )?;
    Ok(())
}
