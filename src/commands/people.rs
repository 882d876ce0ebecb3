//! People commands: add, list, show, edit, snooze, needs, flags, archive, forget.

use std::io::Write;

use anyhow::{Result, anyhow, bail};
use chrono::Days;
use serde_json::{Value, json};

use super::{Ctx, warn};
use crate::cli::{
    AddArgs, EditArgs, FlagArgs, ForgetArgs, NeedArgs, PeopleArgs, PersonArg, SnoozeArgs,
};
use crate::core::ids;
use crate::core::index::Index;
use crate::core::ledger::{self, NewPerson, PersonEdit, check_days, check_text, fold};
use crate::core::model::{Flag, Ledger, Person, Status};
use crate::core::reciprocity::{Balance, cadence_days, observations, plural, standing, year_start};
use crate::error::Error;
use crate::shell::editor;
use crate::view::{self, clip, maybe_date};

pub fn add(ctx: &Ctx, out: &mut dyn Write, args: AddArgs) -> Result<()> {
    let met_on = args
        .met_on
        .as_deref()
        .map(|d| ctx.past_date(Some(d)))
        .transpose()?;
    let new = NewPerson {
        name: args.name,
        aliases: args.aliases,
        emails: args.emails,
        phones: args.phones,
        urls: args.urls,
        org: args.org,
        tags: args.tags,
        how_met: args.how_met,
        met_on,
        notes: args.note,
        cadence_days: args.cadence,
    };
    let line = ctx.store.update(|ledger| {
        let id = ledger::add_person(ledger, new, args.allow_duplicate, ctx.now)?;
        let person = ledger
            .person(&id)
            .ok_or_else(|| anyhow!("the new person vanished"))?;
        let line = format!("added {}", ledger::describe(ledger, person));
        Ok((line.clone(), line))
    })?;
    ctx.confirm(out, &line)
}

/// People matching `--tag` and `--search`, archived ones only with `--all`.
fn listed<'a>(ledger: &'a Ledger, args: &PeopleArgs) -> Vec<&'a Person> {
    let tag = args.tag.as_deref().map(str::to_lowercase);
    let search = args.search.as_deref().map(fold);
    let mut people: Vec<&Person> = ledger
        .people
        .iter()
        .filter(|p| args.all || !p.archived)
        .filter(|p| tag.as_ref().is_none_or(|t| p.tags.contains(t)))
        .filter(|p| {
            search.as_ref().is_none_or(|s| {
                let fields = [
                    &p.name,
                    p.org.as_deref().unwrap_or(""),
                    p.notes.as_deref().unwrap_or(""),
                ];
                fields.iter().any(|f| fold(f).contains(s.as_str()))
                    || p.aliases
                        .iter()
                        .chain(&p.emails)
                        .chain(&p.tags)
                        .any(|f| fold(f).contains(s.as_str()))
            })
        })
        .collect();
    people.sort_by_cached_key(|p| fold(&p.name));
    people
}

pub fn people(ctx: &Ctx, out: &mut dyn Write, args: PeopleArgs) -> Result<()> {
    if args.duplicates {
        return super::sync::duplicates(ctx, out);
    }
    let ledger = ctx.store.load_for_read()?;
    let people = listed(&ledger, &args);
    if ctx.json {
        return view::json(out, &people);
    }
    if people.is_empty() {
        writeln!(
            out,
            "no one here yet\nhint: add someone with `kith add \"Alice Smith\" --org Acme`"
        )?;
        return Ok(());
    }
    let mut table = ctx
        .look
        .table(&["name", "org", "tags", "last exchange", "id"]);
    let shortener = ids::Shortener::new(ledger.people.iter().map(|p| p.id.as_str()));
    let index = Index::new(&ledger);
    for person in &people {
        let balance = Balance::of(index.entries_of(&person.id), None);
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
            maybe_date(balance.last_exchange, ctx.today),
            shortener.short(&person.id),
        ]);
    }
    view::table(out, &table)?;
    let count = match people.len() {
        1 => "1 person".to_string(),
        n => format!("{n} people"),
    };
    writeln!(out, "{}", ctx.look.dim(&count))?;
    Ok(())
}

pub fn show(ctx: &Ctx, out: &mut dyn Write, args: PersonArg) -> Result<()> {
    let ledger = ctx.store.load_for_read()?;
    let person = ledger::find_person(&ledger, &args.person)?;
    let entries: Vec<_> = ledger.entries_of(&person.id).collect();
    let balance = Balance::of(entries.iter().copied(), None);
    let recent = Balance::of(entries.iter().copied(), Some(year_start(ctx.today)));
    let open: Vec<_> = entries
        .iter()
        .filter(|e| e.request().is_some_and(|r| r.status == Status::Open))
        .collect();
    if ctx.json {
        let mut value = serde_json::to_value(person)?;
        if let Value::Object(map) = &mut value {
            map.insert(
                "short_id".into(),
                json!(ledger::short_person_id(&ledger, &person.id)),
            );
            map.insert("balance".into(), serde_json::to_value(balance)?);
            map.insert("balance_365".into(), serde_json::to_value(recent)?);
            map.insert("standing".into(), json!(standing(&ledger, person)));
            map.insert(
                "observations".into(),
                json!(observations(&ledger, person, ctx.today)),
            );
            map.insert("open_requests".into(), serde_json::to_value(&open)?);
            map.insert("timeline".into(), serde_json::to_value(&entries)?);
        }
        return view::json(out, &value);
    }
    let look = ctx.look;
    writeln!(out, "{}", look.bold(&ledger::describe(&ledger, person)))?;
    let mut facts: Vec<(String, String)> = Vec::new();
    let mut fact = |label: &str, value: String| {
        if !value.is_empty() {
            facts.push((label.to_string(), value));
        }
    };
    fact("aliases", person.aliases.join(", "));
    fact("emails", person.emails.join(", "));
    fact("phones", person.phones.join(", "));
    fact("links", person.urls.join(", "));
    fact("tags", person.tags.join(", "));
    fact("how met", person.how_met.clone().unwrap_or_default());
    fact(
        "met on",
        person
            .met_on
            .map(|d| view::date_with_age(d, ctx.today))
            .unwrap_or_default(),
    );
    fact(
        "cadence",
        person
            .cadence_days
            .map(|d| format!("every {d} days"))
            .unwrap_or_default(),
    );
    if let Some(until) = person.snoozed_until.filter(|d| *d > ctx.today) {
        fact("snoozed", format!("until {until}"));
    }
    if let Some(flag) = &person.flag {
        let reason = flag
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        fact("flagged", format!("on {}{reason}", flag.date));
    }
    if person.archived {
        fact("archived", "yes".into());
    }
    fact("notes", person.notes.clone().unwrap_or_default());
    for (label, value) in &facts {
        writeln!(out, "  {label:<9} {value}")?;
    }
    writeln!(
        out,
        "\n{} net {} — you gave {} ({}), got {} ({}); last 365 days net {}",
        look.bold("balance"),
        view::signed(balance.net),
        balance.given.weight,
        plural(balance.given.count, "favour"),
        balance.received.weight,
        plural(balance.received.count, "favour"),
        view::signed(recent.net),
    )?;
    writeln!(
        out,
        "  last exchange: {}",
        maybe_date(balance.last_exchange, ctx.today)
    )?;
    writeln!(out, "  standing: {}", standing(&ledger, person))?;
    for observation in observations(&ledger, person, ctx.today) {
        writeln!(out, "  · {observation}")?;
    }
    let needs: Vec<_> = person.open_needs().collect();
    if !needs.is_empty() {
        writeln!(out, "\n{}", look.bold("looking for"))?;
        for need in needs {
            writeln!(out, "  {}  {} (since {})", need.id, need.text, need.since)?;
        }
    }
    if !open.is_empty() {
        writeln!(out, "\n{}", look.bold("open requests"))?;
        for entry in &open {
            writeln!(
                out,
                "  {}  {}  {}",
                ledger::short_entry_id(&ledger, &entry.id),
                entry.date,
                entry.summary()
            )?;
        }
    }
    if !entries.is_empty() {
        writeln!(out, "\n{}", look.bold("timeline"))?;
        let mut table = look.table(&["date", "type", "what", "id"]);
        for entry in entries.iter().rev().take(15) {
            table.add_row(vec![
                entry.date.to_string(),
                entry.entry_type().to_string(),
                clip(&entry.summary(), 60),
                ledger::short_entry_id(&ledger, &entry.id),
            ]);
        }
        view::table(out, &table)?;
        if entries.len() > 15 {
            writeln!(
                out,
                "{}",
                look.dim(&format!(
                    "{} more: kith log \"{}\"",
                    entries.len() - 15,
                    person.name
                ))
            )?;
        }
    }
    Ok(())
}

pub fn edit(ctx: &Ctx, out: &mut dyn Write, args: EditArgs) -> Result<()> {
    let edit = PersonEdit {
        met_on: match args.met_on.as_deref() {
            None => None,
            Some("none") => Some(None),
            Some(d) => Some(Some(ctx.past_date(Some(d))?)),
        },
        cadence_days: args.cadence.as_deref().map(cadence).transpose()?,
        name: args.name,
        aliases: args.aliases,
        emails: args.emails,
        phones: args.phones,
        urls: args.urls,
        tags: args.tags,
        org: args.org,
        note: args.note,
        how_met: args.how_met,
    };
    if edit.is_empty() {
        return edit_in_editor(ctx, out, &args.person);
    }
    let line = ctx.store.update(|ledger| {
        let id = ledger::find_person(ledger, &args.person)?.id.clone();
        let edited = ledger::edit_person(ledger, &id, &edit, ctx.now)?;
        if edited.shared_name {
            warn(&format!("someone else is also called {}", edited.name));
        }
        let line = format!("updated {}", edited.name);
        Ok((line.clone(), line))
    })?;
    ctx.confirm(out, &line)
}

/// `--cadence DAYS` or `--cadence none`.
fn cadence(text: &str) -> Result<Option<u32>> {
    if text == "none" {
        return Ok(None);
    }
    let days: u32 = text.parse().map_err(|_| {
        Error::usage(format!("`{text}` is not a number of days")).hint("use e.g. 30, or `none`")
    })?;
    Ok(Some(check_days(days)?))
}

/// `kith edit PERSON` with no flags: the record as JSON in `$VISUAL`/`$EDITOR`,
/// checked on save by the same validator as the flags; anything invalid
/// changes nothing.
fn edit_in_editor(ctx: &Ctx, out: &mut dyn Write, query: &str) -> Result<()> {
    let before = ctx.store.load()?;
    let original = ledger::find_person(&before, query)?.clone();
    let editor = editor::configured().ok_or_else(|| {
        Error::usage("nothing to change and no editor to open").hint(format!(
            "set $VISUAL or $EDITOR, or change fields with flags, e.g. `kith edit \"{query}\" --org Acme`"
        ))
    })?;
    let text = format!("{}\n", serde_json::to_string_pretty(&original)?);
    let text = editor::edit(&editor, &text, ".json")?;
    // A bad record is a failure of the edit, not of the arguments (exit 1).
    let unchanged = |err: String| Error::failure(err).hint("nothing was changed");
    let edited: Person = serde_json::from_str(&text).map_err(|err| {
        unchanged(format!(
            "the edited record is not valid JSON for a person: {err}"
        ))
    })?;
    let edited = ledger::validate_person(&original, edited, ctx.now)
        .map_err(|err| unchanged(err.to_string()))?;
    if edited == original {
        return ctx.confirm(out, &format!("{}: nothing changed", original.name));
    }
    let name = edited.name.clone();
    ctx.store.update(|ledger| {
        ledger::replace_person(ledger, &original, edited)?;
        Ok(((), format!("edit {name}")))
    })?;
    ctx.confirm(out, &format!("saved {name}"))
}

/// Runs a change on one person and prints its confirmation.
fn change_person(
    ctx: &Ctx,
    out: &mut dyn Write,
    query: &str,
    change: impl FnOnce(&mut Person, &Ctx) -> Result<String>,
) -> Result<()> {
    let line = ctx.store.update(|ledger| {
        let id = ledger::find_person(ledger, query)?.id.clone();
        let person = ledger
            .person_mut(&id)
            .ok_or_else(|| anyhow!("they vanished"))?;
        let line = change(person, ctx)?;
        person.updated = ctx.now;
        Ok((line.clone(), line))
    })?;
    ctx.confirm(out, &line)
}

pub fn snooze(ctx: &Ctx, out: &mut dyn Write, args: SnoozeArgs) -> Result<()> {
    let until = match (&args.until, args.days) {
        (Some(date), _) => Some(ctx.date(date)?),
        (None, Some(days)) => Some(
            ctx.today
                .checked_add_days(Days::new(check_days(days)?.into()))
                .ok_or_else(|| anyhow!("{days} days from today is out of range"))?,
        ),
        (None, None) => None,
    };
    if let Some(until) = until.filter(|d| *d <= ctx.today) {
        bail!(
            "{until} is not after today ({}); snooze until a later date",
            ctx.today
        );
    }
    let line = ctx.store.update(|ledger| {
        let id = ledger::find_person(ledger, &args.person)?.id.clone();
        let settings = ledger.settings.clone();
        let person = ledger
            .person_mut(&id)
            .ok_or_else(|| anyhow!("they vanished"))?;
        let until = match until {
            Some(until) => until,
            None => ctx
                .today
                .checked_add_days(Days::new(cadence_days(&settings, person).into()))
                .ok_or_else(|| anyhow!("the date is out of range"))?,
        };
        person.snoozed_until = Some(until);
        person.updated = ctx.now;
        let line = format!("snoozed {} until {until}", person.name);
        Ok((line.clone(), line))
    })?;
    ctx.confirm(out, &line)
}

pub fn unsnooze(ctx: &Ctx, out: &mut dyn Write, args: PersonArg) -> Result<()> {
    change_person(ctx, out, &args.person, |person, _| {
        if person.snoozed_until.take().is_none() {
            bail!("{} is not snoozed", person.name);
        }
        Ok(format!("{} is back in `kith who`", person.name))
    })
}

pub fn need(ctx: &Ctx, out: &mut dyn Write, args: NeedArgs) -> Result<()> {
    change_person(ctx, out, &args.person, |person, ctx| {
        match (&args.text, &args.done) {
            (_, Some(done)) => {
                let text = ledger::mark_need_done(person, done)?;
                Ok(format!(
                    "marked done: {} was looking for {text}",
                    person.name
                ))
            }
            (Some(text), None) => {
                let id = ledger::add_need(person, text, ctx.today)?;
                let need = person.needs.last().map(|n| n.text.as_str()).unwrap_or(text);
                let short = id.get(..7).unwrap_or(&id);
                Ok(format!(
                    "noted: {} is looking for {need} ({short})",
                    person.name
                ))
            }
            (None, None) => Err(Error::usage("say what they are looking for, or --done ID").into()),
        }
    })
}

pub fn flag(ctx: &Ctx, out: &mut dyn Write, args: FlagArgs) -> Result<()> {
    let reason = args
        .reason
        .as_deref()
        .map(|r| check_text("reason", r, true))
        .transpose()?;
    change_person(ctx, out, &args.person, |person, ctx| {
        if person.flag.is_some() {
            bail!("{} is already flagged", person.name);
        }
        person.flag = Some(Flag {
            date: ctx.today,
            reason,
            extra: Default::default(),
        });
        Ok(format!(
            "flagged {} (private: kith will stop suggesting them)",
            person.name
        ))
    })
}

pub fn unflag(ctx: &Ctx, out: &mut dyn Write, args: PersonArg) -> Result<()> {
    change_person(ctx, out, &args.person, |person, _| {
        if person.flag.take().is_none() {
            bail!("{} is not flagged", person.name);
        }
        Ok(format!("unflagged {}", person.name))
    })
}

pub fn archive(ctx: &Ctx, out: &mut dyn Write, args: PersonArg, archived: bool) -> Result<()> {
    change_person(ctx, out, &args.person, |person, _| {
        if person.archived == archived {
            bail!(
                "{} is already {}",
                person.name,
                if archived { "archived" } else { "not archived" }
            );
        }
        person.archived = archived;
        Ok(format!(
            "{} {}",
            if archived { "archived" } else { "unarchived" },
            person.name
        ))
    })
}

pub fn forget(ctx: &Ctx, out: &mut dyn Write, args: ForgetArgs) -> Result<()> {
    if !args.yes {
        let ledger = ctx.store.load()?;
        let person = ledger::find_person(&ledger, &args.person)?;
        let count = ledger.entries_of(&person.id).count();
        return Err(Error::failure(format!(
            "this deletes {} and their {count} entries",
            person.name
        ))
        .hint("run again with --yes to confirm")
        .into());
    }
    let line = ctx.store.update_forgetting(|ledger| {
        let gone = ledger::forget_person(ledger, &args.person)?;
        let line = format!("forgot {} and {} entries", gone.name, gone.entries);
        Ok((line.clone(), line))
    })?;
    ctx.confirm(out, &line)?;
    ctx.confirm(
        out,
        &format!(
            "this cannot be undone; until your next change the previous version stays in `{}`",
            ctx.store.backup_path().display()
        ),
    )
}
