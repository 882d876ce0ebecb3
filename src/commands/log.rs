//! Logging commands: favours, meetings, requests and their outcomes, undo,
//! corrections, and the register (`log`).

use std::io::Write;

use anyhow::{Result, anyhow};

use super::{Ctx, balance_line, flag_note, person_id, person_or_add, warn};
use crate::cli::{
    AmendArgs, DeclineArgs, EntryArg, FavourArgs, IntroArgs, LogArgs, MetArgs, NudgeArgs,
    RequestArgs,
};
use crate::core::ledger::Adding;
use crate::core::ledger::{self, Amendment, RequestChange, check_text};
use crate::core::model::{Detail, Direction, Favour, Kind, Ledger, Meeting, Request, Status};
use crate::core::register;
use crate::core::text::shell_word;
use crate::error::Error;
use crate::view::{self, clip};

/// `gave` and `got`: a favour one way, optionally answering a request.
pub fn favour(ctx: &Ctx, out: &mut dyn Write, args: FavourArgs, gave: bool) -> Result<()> {
    let what = check_text("favour text", &args.what, false)?;
    let kind = args.kind.unwrap_or(Kind::Other);
    let weight = match args.weight {
        Some(weight) => ledger::check_weight(weight)?,
        None => kind.default_weight(),
    };
    let date = ctx.past_date(args.date.as_deref())?;
    let add = if args.add { Adding::ByHand } else { Adding::No };
    ctx.write(out, |ledger| {
        let person = person_or_add(ledger, &args.person, add, ctx.now)?;
        if gave {
            flag_note(ledger, &person);
        }
        let resolves = match &args.for_request {
            Some(request) => {
                let direction = if gave { Direction::In } else { Direction::Out };
                Some(ledger::grant_request(
                    ledger, request, &person, direction, ctx.now,
                )?)
            }
            None => None,
        };
        let favour = Favour {
            what,
            kind,
            weight,
            resolves,
        };
        let verb = if gave { "gave" } else { "got from" };
        let text = format!("{} ({kind}, weight {weight})", favour.what);
        let detail = if gave {
            Detail::Gave(favour)
        } else {
            Detail::Got(favour)
        };
        let id = ledger::add_entry(ledger, &person, date, detail, ctx.now);
        Ok(recorded(
            ledger,
            &id,
            &person,
            &format!("you {verb} {{name}}: {text}"),
        ))
    })
}

/// The confirmation of a new entry, and its undo summary.
fn recorded(ledger: &Ledger, entry_id: &str, person_id: &str, what: &str) -> (String, String) {
    let name = ledger
        .person(person_id)
        .map(|p| p.name.as_str())
        .unwrap_or("them");
    let what = what.replace("{name}", name);
    let short = ledger::short_entry_id(ledger, entry_id);
    (
        format!("{short} {what} · {}", balance_line(ledger, person_id)),
        what,
    )
}

pub fn met(ctx: &Ctx, out: &mut dyn Write, args: MetArgs) -> Result<()> {
    let note = args
        .note
        .as_deref()
        .map(|n| check_text("note", n, true))
        .transpose()?;
    let date = ctx.past_date(args.date.as_deref())?;
    let add = if args.add { Adding::ByHand } else { Adding::No };
    ctx.write(out, |ledger| {
        let person = person_or_add(ledger, &args.person, add, ctx.now)?;
        let meeting = Meeting {
            how: args.how,
            note,
        };
        let text = match &meeting.note {
            Some(note) => format!("you met {{name}} ({}): {}", meeting.how, clip(note, 60)),
            None => format!("you met {{name}} ({})", meeting.how),
        };
        let id = ledger::add_entry(ledger, &person, date, Detail::Met(meeting), ctx.now);
        Ok(recorded(ledger, &id, &person, &text))
    })
}

/// `asked` (they asked you) and `ask` (you asked them, after a give-first check).
pub fn request(
    ctx: &Ctx,
    out: &mut dyn Write,
    args: RequestArgs,
    direction: Direction,
) -> Result<()> {
    let what = check_text("request", &args.what, false)?;
    let date = ctx.past_date(args.date.as_deref())?;
    // Someone new who asks is a requester, not a relationship: nothing was
    // exchanged yet. Someone new you ask is a relationship you chose.
    let add = match (args.add, direction) {
        (false, _) => Adding::No,
        (true, Direction::In) => Adding::Requester,
        (true, Direction::Out) => Adding::ByHand,
    };
    ctx.write(out, |ledger| {
        let person = person_or_add(ledger, &args.person, add, ctx.now)?;
        if direction == Direction::Out {
            flag_note(ledger, &person);
        }
        if direction == Direction::Out
            && let Some(warning) =
                crate::core::advice::give_first_warning(ledger, &person, ctx.today)
        {
            warn(&warning);
        }
        let text = match direction {
            Direction::In => format!("{{name}} asked you: {what}"),
            Direction::Out => format!("you asked {{name}}: {what}"),
        };
        let request = Request {
            what,
            direction,
            status: Status::Open,
            nudges: Vec::new(),
            note: None,
        };
        let id = ledger::add_entry(ledger, &person, date, Detail::Ask(request), ctx.now);
        let (line, summary) = recorded(ledger, &id, &person, &text);
        let line = match direction {
            Direction::In => format!(
                "{line}\nhint: when you help, `kith gave {} \"…\" --for {}`",
                shell_word(&args.person),
                ledger::short_entry_id(ledger, &id)
            ),
            Direction::Out => line,
        };
        Ok((line, summary))
    })
}

pub fn intro(ctx: &Ctx, out: &mut dyn Write, args: IntroArgs) -> Result<()> {
    let date = ctx.past_date(args.date.as_deref())?;
    ctx.write(out, |ledger| {
        let first = person_id(ledger, &args.first)?;
        let second = person_id(ledger, &args.second)?;
        let people = (first.as_str(), second.as_str());
        let intro = ledger::introduce(ledger, people, &args.what, date, args.anyway, ctx.now)?;
        for id in &intro.people {
            flag_note(ledger, id);
        }
        let shorts: Vec<String> = intro
            .entries
            .iter()
            .map(|id| ledger::short_entry_id(ledger, id))
            .collect();
        let [first, second] = &intro.names;
        let summary = format!("introduced {first} and {second}: {}", intro.what);
        let line = format!(
            "{} {summary} · {} · {}",
            shorts.join(" "),
            balance_line(ledger, &intro.people[0]),
            balance_line(ledger, &intro.people[1])
        );
        Ok((line, summary))
    })
}

/// Declines, nudges or lapses a request; the core checks its direction and status.
fn close_request(
    ctx: &Ctx,
    out: &mut dyn Write,
    query: &str,
    change: RequestChange,
    says: impl FnOnce(&str) -> String,
) -> Result<()> {
    ctx.write(out, |ledger| {
        let id = ledger::change_request(ledger, query, change, ctx.now)?;
        let entry = ledger
            .entry(&id)
            .ok_or_else(|| anyhow!("the request vanished"))?;
        let what = entry.request().map(|r| r.what.as_str()).unwrap_or_default();
        let (text, person) = (says(what), entry.person.clone());
        Ok(recorded(ledger, &id, &person, &text))
    })
}

pub fn decline(ctx: &Ctx, out: &mut dyn Write, args: DeclineArgs) -> Result<()> {
    let note = args
        .note
        .as_deref()
        .map(|n| check_text("note", n, true))
        .transpose()?;
    close_request(
        ctx,
        out,
        &args.request,
        RequestChange::Decline(note),
        |what| format!("declined {{name}}'s request: {what}"),
    )
}

pub fn nudge(ctx: &Ctx, out: &mut dyn Write, args: NudgeArgs) -> Result<()> {
    let date = ctx.past_date(args.date.as_deref())?;
    close_request(
        ctx,
        out,
        &args.request,
        RequestChange::Nudge(date),
        |what| format!("you reached out to {{name}} again about: {what}"),
    )
}

pub fn lapse(ctx: &Ctx, out: &mut dyn Write, args: EntryArg) -> Result<()> {
    close_request(ctx, out, &args.entry, RequestChange::Lapse, |what| {
        format!("closed your unanswered request to {{name}}: {what}")
    })
}

pub fn undo(ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let (summary, written) = ctx.store.undo_written()?;
    ctx.wrote(out, &format!("undid: {summary}"), &written)
}

pub fn rm(ctx: &Ctx, out: &mut dyn Write, args: EntryArg) -> Result<()> {
    ctx.write(out, |ledger| {
        let removed = ledger::remove_entry(ledger, &args.entry, ctx.now)?;
        let entry = &removed.entry;
        let summary = format!(
            "removed {} ({}: {})",
            removed.short_id,
            entry.entry_type(),
            entry.summary()
        );
        let mut line = format!("{summary} · {}", balance_line(ledger, &entry.person));
        if let Some(request) = &removed.reopened {
            line.push_str(&format!("; request {request} is open again"));
        }
        Ok((line, summary))
    })
}

pub fn amend(ctx: &Ctx, out: &mut dyn Write, args: AmendArgs) -> Result<()> {
    let date = args
        .date
        .as_deref()
        .map(|d| ctx.past_date(Some(d)))
        .transpose()?;
    let change = Amendment {
        what: args.what,
        date,
        kind: args.kind,
        weight: args.weight,
        how: args.how,
        note: args.note,
    };
    ctx.write(out, |ledger| {
        let id = ledger::amend_entry(ledger, &args.entry, change, ctx.now)?;
        let entry = ledger
            .entry(&id)
            .ok_or_else(|| anyhow!("the entry vanished"))?;
        let person = entry.person.clone();
        let text = format!("amended {}: {}", entry.entry_type(), entry.summary());
        Ok(recorded(ledger, &id, &person, &text))
    })
}

pub fn log(ctx: &Ctx, out: &mut dyn Write, args: LogArgs) -> Result<()> {
    ctx.read_into(out, |index, out| {
        let person = args
            .person
            .as_deref()
            .map(|q| super::find_person(index, q))
            .transpose()?;
        let since = args.since.as_deref().map(|d| ctx.date(d)).transpose()?;
        let until = args.until.as_deref().map(|d| ctx.date(d)).transpose()?;
        if let (Some(since), Some(until)) = (since, until)
            && since > until
        {
            return Err(Error::usage(format!("--since {since} is after --until {until}")).into());
        }
        let filter = register::Filter {
            person: person.map(|p| p.id.as_str()),
            since,
            until,
            entry_type: args.entry_type,
            limit: args.limit,
        };
        let rows = register::register_of(index, &filter);
        if ctx.json {
            return view::json(out, &rows);
        }
        let one_person = person.is_some();
        view::log::register(out, index, &rows, one_person, filter.narrows(), ctx.look)
    })
}
