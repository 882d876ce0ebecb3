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
use crate::core::ledger::{
    self, NewPerson, check_days, check_email, check_name, check_tag, check_text, fold,
};
use crate::core::model::{Flag, Ledger, Need, Person, Status};
use crate::core::reciprocity::{Balance, cadence_days, observations, plural, standing, year_start};
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

/// Applies `+x` / `x` (add) and `-x` (remove) edits to a list.
fn edit_list(
    list: &mut Vec<String>,
    edits: &[String],
    check: impl Fn(&str) -> Result<String>,
) -> Result<()> {
    for edit in edits {
        if let Some(gone) = edit.strip_prefix('-') {
            let gone = fold(gone);
            let before = list.len();
            list.retain(|item| fold(item) != gone);
            if list.len() == before {
                bail!(
                    "`{}` is not in the list, so it cannot be removed",
                    &edit[1..]
                );
            }
        } else {
            let value = check(edit.strip_prefix('+').unwrap_or(edit))?;
            if !list.iter().any(|item| fold(item) == fold(&value)) {
                list.push(value);
            }
        }
    }
    Ok(())
}

/// An optional text field: empty clears it.
fn optional_text(field: &str, value: &str, multiline: bool) -> Result<Option<String>> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        check_text(field, value, multiline).map(Some)
    }
}

pub fn edit(ctx: &Ctx, out: &mut dyn Write, args: EditArgs) -> Result<()> {
    let no_flags = args.name.is_none()
        && args.aliases.is_empty()
        && args.emails.is_empty()
        && args.phones.is_empty()
        && args.urls.is_empty()
        && args.tags.is_empty()
        && args.org.is_none()
        && args.note.is_none()
        && args.how_met.is_none()
        && args.met_on.is_none()
        && args.cadence.is_none();
    if no_flags {
        return super::interop::edit_in_editor(ctx, out, &args.person);
    }
    let met_on = match args.met_on.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(d) => Some(Some(ctx.past_date(Some(d))?)),
    };
    let cadence = match args.cadence.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(days) => {
            let days: u32 = days.parse().map_err(|_| {
                anyhow!("`{days}` is not a number of days\nhint: use e.g. 30, or `none`")
            })?;
            Some(Some(check_days(days)?))
        }
    };
    let line = ctx.store.update(|ledger| {
        let id = ledger::find_person(ledger, &args.person)?.id.clone();
        let duplicate_name = args
            .name
            .as_deref()
            .map(check_name)
            .transpose()?
            .filter(|name| {
                ledger
                    .people
                    .iter()
                    .any(|p| p.id != id && fold(&p.name) == fold(name))
            });
        if let Some(name) = duplicate_name {
            warn(&format!("someone else is also called {name}"));
        }
        let person = ledger
            .person_mut(&id)
            .ok_or_else(|| anyhow!("they vanished"))?;
        if let Some(name) = &args.name {
            person.name = check_name(name)?;
        }
        edit_list(&mut person.aliases, &args.aliases, check_name)?;
        edit_list(&mut person.emails, &args.emails, check_email)?;
        edit_list(&mut person.phones, &args.phones, |s| {
            check_text("phone", s, false)
        })?;
        edit_list(&mut person.urls, &args.urls, |s| {
            check_text("url", s, false)
        })?;
        edit_list(&mut person.tags, &args.tags, check_tag)?;
        if let Some(org) = &args.org {
            person.org = optional_text("org", org, false)?;
        }
        if let Some(note) = &args.note {
            person.notes = optional_text("note", note, true)?;
        }
        if let Some(how) = &args.how_met {
            person.how_met = optional_text("how-met text", how, true)?;
        }
        if let Some(met_on) = met_on {
            person.met_on = met_on;
        }
        if let Some(cadence) = cadence {
            person.cadence_days = cadence;
        }
        person.updated = ctx.now;
        let line = format!("updated {}", person.name);
        Ok((line.clone(), line))
    })?;
    ctx.confirm(out, &line)
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
                let done = done.trim().to_lowercase();
                let position = done.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
                let found: Vec<usize> = person
                    .needs
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.id.starts_with(&done) && done.len() >= ids::MIN_ACCEPTED)
                    .map(|(i, _)| i)
                    .collect();
                let index = match (found.as_slice(), position) {
                    ([one], _) => *one,
                    ([], Some(at)) if at < person.needs.len() => at,
                    ([], _) => bail!(
                        "{} has no need `{done}`\nhint: `kith show` lists their needs with ids",
                        person.name
                    ),
                    _ => bail!("`{done}` matches several needs; give more of the id"),
                };
                let need = person
                    .needs
                    .get_mut(index)
                    .ok_or_else(|| anyhow!("no such need"))?;
                if need.done {
                    bail!("`{}` is already done", need.text);
                }
                need.done = true;
                Ok(format!(
                    "marked done: {} was looking for {}",
                    person.name, need.text
                ))
            }
            (Some(text), None) => {
                let text = check_text("need", text, false)?;
                let id = ids::new_id("n");
                let line = format!(
                    "noted: {} is looking for {text} ({})",
                    person.name,
                    &id[..7]
                );
                person.needs.push(Need {
                    id,
                    text,
                    since: ctx.today,
                    done: false,
                    extra: Default::default(),
                });
                Ok(line)
            }
            (None, None) => bail!("say what they are looking for, or --done ID"),
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
        bail!(
            "this deletes {} and their {count} entries\nhint: run again with --yes to confirm",
            person.name
        );
    }
    let line = ctx.store.update_forgetting(|ledger| {
        let person = ledger::find_person(ledger, &args.person)?;
        let (id, name) = (person.id.clone(), person.name.clone());
        let before = ledger.entries.len();
        ledger.entries.retain(|e| e.person != id);
        ledger.people.retain(|p| p.id != id);
        let line = format!(
            "forgot {name} and {} entries",
            before - ledger.entries.len()
        );
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
