//! People commands: add, list, show, edit (with flags or in an editor),
//! snooze, needs, flags, archive, forget, and the duplicate tools
//! `people --duplicates` and `merge-people`.

use std::io::Write;

use anyhow::{Result, anyhow, bail};

use super::{Ctx, warn};
use crate::cli::{
    AddArgs, EditArgs, FlagArgs, ForgetArgs, MergePeopleArgs, NeedArgs, PeopleArgs, PersonArg,
    SnoozeArgs,
};
use crate::core::birthdays;
use crate::core::dedupe;
use crate::core::editing::{self, Saved};
use crate::core::ledger::{
    self, NewPerson, PeopleFilter, PersonEdit, Snooze, check_days, check_text,
};
use crate::core::model::{Flag, Ledger, Person};
use crate::core::profile::{self, Profile};
use crate::core::text::shell_word;
use crate::error::Error;
use crate::shell::editor;
use crate::view;

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
        birthday: (args.birthday.as_deref())
            .map(|b| birthdays::parse_birthday(b, ctx.today))
            .transpose()?,
        dates: (args.dates.iter())
            .map(|d| match birthdays::parse_date_arg(d)? {
                (label, Some(date)) => Ok((label, date)),
                (label, None) => Err(Error::usage(format!(
                    "`{label}=none` removes a date; a new person has none"
                ))
                .into()),
            })
            .collect::<Result<_>>()?,
    };
    ctx.write(out, |ledger| {
        let id = ledger::add_person(ledger, new, args.allow_duplicate, ctx.now)?;
        let person = ledger
            .person(&id)
            .ok_or_else(|| anyhow!("the new person vanished"))?;
        let line = format!("added {}", ledger::describe(ledger, person));
        Ok((line.clone(), line))
    })
}

pub fn people(ctx: &Ctx, out: &mut dyn Write, args: PeopleArgs) -> Result<()> {
    if args.duplicates {
        return duplicates(ctx, out);
    }
    ctx.read_into(out, |index, out| {
        let filter = PeopleFilter {
            tag: args.tag.as_deref(),
            search: args.search.as_deref(),
            all: args.all,
        };
        let people = ledger::list_people(index, &filter);
        if ctx.json {
            return view::json(out, &people);
        }
        let rows = profile::listed_of(index, &people);
        let left_out = ledger::contacts_left_out(index, &filter);
        view::people::list(out, index, &rows, &filter, left_out, ctx.today, ctx.look)
    })
}

pub fn show(ctx: &Ctx, out: &mut dyn Write, args: PersonArg) -> Result<()> {
    let ledger = ctx.store.load_for_read()?;
    let person = super::find_person(&*ledger, &args.person)?;
    let profile = Profile::of(&ledger, person, ctx.today);
    if ctx.json {
        return view::json(out, &profile);
    }
    view::people::show(out, &ledger, &profile, ctx.today, ctx.look)
}

/// `kith people --duplicates`.
fn duplicates(ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.store.load_for_read()?;
    let pairs = dedupe::duplicate_report(&ledger);
    if ctx.json {
        return view::json(out, &pairs);
    }
    view::people::duplicates(out, &ledger, &pairs, ctx.look)
}

/// `kith merge-people KEEP OTHER`.
pub fn merge_people(ctx: &Ctx, out: &mut dyn Write, args: MergePeopleArgs) -> Result<()> {
    ctx.write(out, |ledger| {
        let keep = super::find_person(ledger, &args.keep)?.id.clone();
        let other = super::find_person(ledger, &args.other)?.id.clone();
        let name = |ledger: &Ledger, id: &str| {
            ledger
                .person(id)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        };
        let other_name = name(ledger, &other);
        let folded = dedupe::fold_person(ledger, &keep, &other, ctx.now)?;
        let moved = match folded.entries_moved {
            1 => "1 entry moved".to_string(),
            n => format!("{n} entries moved"),
        };
        let line = format!("merged {other_name} into {} ({moved})", name(ledger, &keep));
        Ok((line.clone(), line))
    })
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
        birthday: match args.birthday.as_deref().map(str::trim) {
            None => None,
            Some("none") => Some(None),
            Some(b) => Some(Some(birthdays::parse_birthday(b, ctx.today)?)),
        },
        dates: (args.dates.iter())
            .map(|d| birthdays::parse_date_arg(d))
            .collect::<Result<_>>()?,
    };
    if edit.is_empty() {
        return edit_in_editor(ctx, out, &args.person);
    }
    ctx.write(out, |ledger| {
        let id = super::find_person(ledger, &args.person)?.id.clone();
        let edited = ledger::edit_person(ledger, &id, &edit, ctx.now)?;
        if edited.shared_name {
            warn(&format!("someone else is also called {}", edited.name));
        }
        let line = format!("updated {}", edited.name);
        Ok((line.clone(), line))
    })
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
    let original = super::find_person(&before, query)?.clone();
    let editor = editor::configured().ok_or_else(|| {
        Error::usage("nothing to change and no editor to open").hint(format!(
            "set $VISUAL or $EDITOR, or change fields with flags, e.g. `kith edit {} --org Acme`",
            shell_word(query)
        ))
    })?;
    let mut buffer = format!("{}\n", serde_json::to_string_pretty(&original)?);
    let mut problem: Option<String> = None;
    // Until the record saved is valid: a refused save opens the editor again
    // on what was written, with the reason on top (core::editing).
    let edited = loop {
        let shown = match &problem {
            Some(problem) => editing::annotate(&buffer, problem),
            None => buffer.clone(),
        };
        let text = editor::edit(&editor, &shown, ".json")?;
        let body = match editing::saved(&shown, &text, problem.is_some()) {
            Saved::Emptied => {
                return ctx.wrote(
                    out,
                    &format!(
                        "{}: nothing changed (the record was emptied)",
                        original.name
                    ),
                    &[],
                );
            }
            Saved::Untouched => {
                return Err(Error::failure(format!(
                    "the edited record is still not valid: {}",
                    problem.unwrap_or_default()
                ))
                .hint("nothing was changed")
                .into());
            }
            Saved::Record(body) => body.to_string(),
        };
        let checked = serde_json::from_str::<Person>(&body)
            .map_err(|err| format!("not valid JSON for a person: {err}"))
            .and_then(|edited| {
                ledger::validate_person(&original, edited, ctx.now).map_err(|e| e.to_string())
            });
        match checked {
            Ok(edited) => break edited,
            Err(why) => {
                buffer = body;
                problem = Some(why);
            }
        }
    };
    if edited == original {
        return ctx.wrote(out, &format!("{}: nothing changed", original.name), &[]);
    }
    let name = edited.name.clone();
    ctx.write(out, |ledger| {
        ledger::replace_person(ledger, &original, edited)?;
        Ok((format!("saved {name}"), format!("edit {name}")))
    })
}

/// Runs a change on one person and prints its confirmation.
fn change_person(
    ctx: &Ctx,
    out: &mut dyn Write,
    query: &str,
    change: impl FnOnce(&mut Person, &Ctx) -> Result<String>,
) -> Result<()> {
    ctx.write(out, |ledger| {
        let id = super::find_person(ledger, query)?.id.clone();
        let person = ledger
            .person_mut(&id)
            .ok_or_else(|| anyhow!("they vanished"))?;
        let line = change(person, ctx)?;
        person.updated = ctx.now;
        Ok((line.clone(), line))
    })
}

pub fn snooze(ctx: &Ctx, out: &mut dyn Write, args: SnoozeArgs) -> Result<()> {
    let span = match (&args.until, args.days) {
        (Some(date), _) => Snooze::Until(ctx.date(date)?),
        (None, Some(days)) => Snooze::Days(days),
        (None, None) => Snooze::Cadence,
    };
    ctx.write(out, |ledger| {
        let id = super::find_person(ledger, &args.person)?.id.clone();
        let until = ledger::snooze_person(ledger, &id, span, ctx.today, ctx.now)?;
        let name = ledger
            .person(&id)
            .map(|p| p.name.as_str())
            .unwrap_or("them");
        let line = format!("snoozed {name} until {until}");
        Ok((line.clone(), line))
    })
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
        let person = super::find_person(&ledger, &args.person)?;
        let count = ledger.entries_of(&person.id).count();
        return Err(Error::failure(format!(
            "this deletes {} and their {count} entries",
            person.name
        ))
        .hint("run again with --yes to confirm")
        .into());
    }
    let (line, written) = ctx.store.update_forgetting_written(|ledger| {
        let id = super::person_id(ledger, &args.person)?;
        let gone = ledger::forget_person(ledger, &id)?;
        let line = format!("forgot {} and {} entries", gone.name, gone.entries);
        Ok((line.clone(), line))
    })?;
    ctx.wrote(out, &line, &written)?;
    if ctx.json {
        return Ok(());
    }
    ctx.confirm(
        out,
        &format!(
            "this cannot be undone; until your next change the previous version stays in `{}`",
            ctx.store.backup_path().display()
        ),
    )
}
