//! Logging commands: favours, meetings, requests and their outcomes, undo,
//! corrections, and the register (`log`).

use std::io::Write;

use anyhow::{Result, anyhow, bail};
use serde::Serialize;

use super::{Ctx, balance_line, person_or_add, warn};
use crate::cli::{
    AmendArgs, DeclineArgs, EntryArg, FavourArgs, IntroArgs, LogArgs, MetArgs, NudgeArgs,
    RequestArgs,
};
use crate::core::ids;
use crate::core::index::Index;
use crate::core::ledger::{self, check_text};
use crate::core::model::{
    Detail, Direction, Entry, Favour, Kind, Ledger, MAX_WEIGHT, MIN_WEIGHT, Meeting, Request,
    Status,
};
use crate::error::Error;
use crate::view::{self, clip};

/// A weight from the command line: 1 to 5.
fn check_weight(weight: i64) -> Result<u8> {
    u8::try_from(weight)
        .ok()
        .filter(|w| (MIN_WEIGHT..=MAX_WEIGHT).contains(w))
        .ok_or_else(|| {
            Error::usage(format!(
                "weight {weight} is out of range; use 1 (a small favour) to 5 (life-changing)"
            ))
            .into()
        })
}

/// `gave` and `got`: a favour one way, optionally answering a request.
pub fn favour(ctx: &Ctx, out: &mut dyn Write, args: FavourArgs, gave: bool) -> Result<()> {
    let what = check_text("favour text", &args.what, false)?;
    let kind = args.kind.unwrap_or(Kind::Other);
    let weight = match args.weight {
        Some(weight) => check_weight(weight)?,
        None => kind.default_weight(),
    };
    let date = ctx.past_date(args.date.as_deref())?;
    let line = ctx.store.update(|ledger| {
        let person = person_or_add(ledger, &args.person, args.add, ctx.now)?;
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
    })?;
    ctx.confirm(out, &line)
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
    let line = ctx.store.update(|ledger| {
        let person = person_or_add(ledger, &args.person, args.add, ctx.now)?;
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
    })?;
    ctx.confirm(out, &line)
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
    let line = ctx.store.update(|ledger| {
        let person = person_or_add(ledger, &args.person, args.add, ctx.now)?;
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
                args.person,
                ledger::short_entry_id(ledger, &id)
            ),
            Direction::Out => line,
        };
        Ok((line, summary))
    })?;
    ctx.confirm(out, &line)
}

pub fn intro(ctx: &Ctx, out: &mut dyn Write, args: IntroArgs) -> Result<()> {
    let what = check_text("introduction", &args.what, false)?;
    let date = ctx.past_date(args.date.as_deref())?;
    let line = ctx.store.update(|ledger| {
        let first = ledger::find_person(ledger, &args.first)?.clone();
        let second = ledger::find_person(ledger, &args.second)?.clone();
        if first.id == second.id {
            bail!("an introduction needs two different people; both name {}", first.name);
        }
        let strangers: Vec<&str> = [&first, &second]
            .into_iter()
            .filter(|p| !ledger::has_exchange(ledger, &p.id))
            .map(|p| p.name.as_str())
            .collect();
        if !strangers.is_empty() && !args.anyway {
            bail!(
                "you have no logged exchange with {}: connecting strangers to strangers is not networking\nhint: log a `kith met` first, or pass --anyway",
                strangers.join(" or ")
            );
        }
        let mut ids = Vec::new();
        for (to, other) in [(&first, &second), (&second, &first)] {
            let favour = Favour {
                what: format!("intro to {}: {what}", other.name),
                kind: Kind::Intro,
                weight: Kind::Intro.default_weight(),
                resolves: None,
            };
            ids.push(ledger::add_entry(ledger, &to.id, date, Detail::Gave(favour), ctx.now));
        }
        let shorts: Vec<String> = ids.iter().map(|id| ledger::short_entry_id(ledger, id)).collect();
        let summary = format!("introduced {} and {}: {what}", first.name, second.name);
        let line = format!(
            "{} {summary} · {} · {}",
            shorts.join(" "),
            balance_line(ledger, &first.id),
            balance_line(ledger, &second.id)
        );
        Ok((line, summary))
    })?;
    ctx.confirm(out, &line)
}

/// Closes or nudges a request after checking its direction and status.
fn close_request(
    ctx: &Ctx,
    out: &mut dyn Write,
    query: &str,
    direction: Direction,
    change: impl FnOnce(&mut Request) -> Result<String>,
) -> Result<()> {
    let line = ctx.store.update(|ledger| {
        let hint = match direction {
            Direction::In => "decline takes a request someone made of you (`kith asked`)",
            Direction::Out => "nudge and lapse take a request you made (`kith ask`)",
        };
        let (entry, _) = ledger::open_request(ledger, query, direction, hint)?;
        let (id, person) = (entry.id.clone(), entry.person.clone());
        let entry = ledger
            .entry_mut(&id)
            .ok_or_else(|| anyhow!("the request vanished"))?;
        let request = entry
            .request_mut()
            .ok_or_else(|| anyhow!("not a request"))?;
        let text = change(request)?;
        entry.updated = ctx.now;
        Ok(recorded(ledger, &id, &person, &text))
    })?;
    ctx.confirm(out, &line)
}

pub fn decline(ctx: &Ctx, out: &mut dyn Write, args: DeclineArgs) -> Result<()> {
    let note = args
        .note
        .as_deref()
        .map(|n| check_text("note", n, true))
        .transpose()?;
    close_request(ctx, out, &args.request, Direction::In, |request| {
        request.status = Status::Declined;
        request.note = note;
        Ok(format!("declined {{name}}'s request: {}", request.what))
    })
}

pub fn nudge(ctx: &Ctx, out: &mut dyn Write, args: NudgeArgs) -> Result<()> {
    let date = ctx.past_date(args.date.as_deref())?;
    close_request(ctx, out, &args.request, Direction::Out, |request| {
        if request.nudges.contains(&date) {
            bail!("you already noted a nudge on {date}");
        }
        request.nudges.push(date);
        request.nudges.sort();
        Ok(format!(
            "you reached out to {{name}} again about: {}",
            request.what
        ))
    })
}

pub fn lapse(ctx: &Ctx, out: &mut dyn Write, args: EntryArg) -> Result<()> {
    close_request(ctx, out, &args.entry, Direction::Out, |request| {
        request.status = Status::Lapsed;
        Ok(format!(
            "closed your unanswered request to {{name}}: {}",
            request.what
        ))
    })
}

pub fn undo(ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let summary = ctx.store.undo()?;
    ctx.confirm(out, &format!("undid: {summary}"))
}

pub fn rm(ctx: &Ctx, out: &mut dyn Write, args: EntryArg) -> Result<()> {
    let line = ctx.store.update(|ledger| {
        let entry = ledger::find_entry(ledger, &args.entry)?.clone();
        let short = ledger::short_entry_id(ledger, &entry.id);
        ledger.entries.retain(|e| e.id != entry.id);
        let mut notes = Vec::new();
        // A favour that granted a request: the request is open again.
        if let Some(request) = entry.favour().and_then(|f| f.resolves.clone())
            && ledger.entry(&request).is_some()
        {
            ledger::set_status(ledger, &request, Status::Open, ctx.now)?;
            notes.push(format!(
                "request {} is open again",
                ledger::short_entry_id(ledger, &request)
            ));
        }
        // A request answered by favours: they no longer point at it.
        for other in &mut ledger.entries {
            if let Detail::Gave(f) | Detail::Got(f) = &mut other.detail
                && f.resolves.as_deref() == Some(entry.id.as_str())
            {
                f.resolves = None;
                other.updated = ctx.now;
            }
        }
        let summary = format!(
            "removed {short} ({}: {})",
            entry.entry_type(),
            entry.summary()
        );
        let mut line = format!("{summary} · {}", balance_line(ledger, &entry.person));
        for note in notes {
            line.push_str(&format!("; {note}"));
        }
        Ok((line, summary))
    })?;
    ctx.confirm(out, &line)
}

pub fn amend(ctx: &Ctx, out: &mut dyn Write, args: AmendArgs) -> Result<()> {
    if args.what.is_none()
        && args.date.is_none()
        && args.kind.is_none()
        && args.weight.is_none()
        && args.how.is_none()
        && args.note.is_none()
    {
        bail!(
            "nothing to change\nhint: e.g. `kith amend {} --weight 4 --date yesterday`",
            args.entry
        );
    }
    let what = args
        .what
        .as_deref()
        .map(|w| check_text("text", w, false))
        .transpose()?;
    let note = args
        .note
        .as_deref()
        .map(|n| check_text("note", n, true))
        .transpose()?;
    let date = args
        .date
        .as_deref()
        .map(|d| ctx.past_date(Some(d)))
        .transpose()?;
    let weight = args.weight.map(check_weight).transpose()?;
    let line = ctx.store.update(|ledger| {
        let id = ledger::find_entry(ledger, &args.entry)?.id.clone();
        let entry = ledger
            .entry_mut(&id)
            .ok_or_else(|| anyhow!("the entry vanished"))?;
        let entry_type = entry.entry_type();
        let refuse = |flag: &str| anyhow!("a `{entry_type}` entry has no {flag} to amend");
        if let Some(date) = date {
            entry.date = date;
        }
        match &mut entry.detail {
            Detail::Gave(f) | Detail::Got(f) => {
                if args.how.is_some() || note.is_some() {
                    return Err(refuse(if args.how.is_some() {
                        "--how"
                    } else {
                        "--note"
                    }));
                }
                if let Some(what) = what {
                    f.what = what;
                }
                if let Some(kind) = args.kind {
                    f.kind = kind;
                    f.weight = kind.default_weight();
                }
                if let Some(weight) = weight {
                    f.weight = weight;
                }
            }
            Detail::Met(m) => {
                if what.is_some() || args.kind.is_some() || weight.is_some() {
                    return Err(refuse("--what, --kind or --weight"));
                }
                if let Some(how) = args.how {
                    m.how = how;
                }
                if note.is_some() {
                    m.note = note;
                }
            }
            Detail::Ask(r) => {
                if args.how.is_some() || args.kind.is_some() || weight.is_some() {
                    return Err(refuse("--how, --kind or --weight"));
                }
                if let Some(what) = what {
                    r.what = what;
                }
                if note.is_some() {
                    r.note = note;
                }
            }
        }
        entry.updated = ctx.now;
        let person = entry.person.clone();
        let text = format!("amended {}: {}", entry.entry_type(), entry.summary());
        Ok(recorded(ledger, &id, &person, &text))
    })?;
    ctx.confirm(out, &line)
}

/// One row of `log --json`: the entry's own fields plus the person's name.
#[derive(Serialize)]
struct LogRow<'a> {
    #[serde(flatten)]
    entry: &'a Entry,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    net: Option<i64>,
}

pub fn log(ctx: &Ctx, out: &mut dyn Write, args: LogArgs) -> Result<()> {
    let ledger = ctx.store.load_for_read()?;
    let person = args
        .person
        .as_deref()
        .map(|q| ledger::find_person(&ledger, q))
        .transpose()?;
    let since = args.since.as_deref().map(|d| ctx.date(d)).transpose()?;
    let until = args.until.as_deref().map(|d| ctx.date(d)).transpose()?;
    if let (Some(since), Some(until)) = (since, until)
        && since > until
    {
        bail!("--since {since} is after --until {until}");
    }
    // The running net is over all of the person's entries, before any filter.
    let mut running = 0i64;
    let mut rows: Vec<LogRow> = Vec::new();
    for entry in &ledger.entries {
        if person.is_some_and(|p| p.id != entry.person) {
            continue;
        }
        if let Some(f) = entry.favour() {
            running += match entry.detail {
                Detail::Gave(_) => i64::from(f.weight),
                _ => -i64::from(f.weight),
            };
        }
        let shown = since.is_none_or(|d| entry.date >= d)
            && until.is_none_or(|d| entry.date <= d)
            && args.entry_type.is_none_or(|t| entry.entry_type() == t);
        if shown {
            rows.push(LogRow {
                entry,
                name: "",
                net: person.map(|_| running),
            });
        }
    }
    rows.reverse();
    if let Some(limit) = args.limit {
        rows.truncate(limit);
    }
    // Names only for the rows shown: `log -n 20` on a large ledger need not
    // index every entry. A few rows look their person up directly.
    let index = (rows.len() > 32).then(|| Index::new(&ledger));
    for row in &mut rows {
        let person = match &index {
            Some(index) => index.person(&row.entry.person),
            None => ledger.person(&row.entry.person),
        };
        row.name = person.map(|p| p.name.as_str()).unwrap_or("(missing)");
    }
    if ctx.json {
        return view::json(out, &rows);
    }
    if rows.is_empty() {
        writeln!(
            out,
            "nothing logged{}",
            if person.is_some() || since.is_some() || args.entry_type.is_some() {
                " that matches"
            } else {
                " yet"
            }
        )?;
        return Ok(());
    }
    let mut headers = vec!["date", "id"];
    if person.is_none() {
        headers.push("person");
    }
    headers.extend(["type", "what"]);
    if person.is_some() {
        headers.push("net");
    }
    let mut table = ctx.look.table(&headers);
    // Sorting every id (a sixth of `log -n 20` on a 200,000-entry ledger) pays
    // only for long listings; a few rows compare against the ids directly.
    let shortener = (rows.len() > 32)
        .then(|| ids::Shortener::new(ledger.entries.iter().map(|e| e.id.as_str())));
    let short = |id: &str| match &shortener {
        Some(shortener) => shortener.short(id),
        None => ids::short_id(id, ledger.entries.iter().map(|e| e.id.as_str())),
    };
    for row in &rows {
        let mut cells = vec![
            comfy_table::Cell::new(row.entry.date),
            comfy_table::Cell::new(short(&row.entry.id)),
        ];
        if person.is_none() {
            cells.push(comfy_table::Cell::new(row.name));
        }
        cells.push(comfy_table::Cell::new(row.entry.entry_type()));
        cells.push(comfy_table::Cell::new(clip(&row.entry.summary(), 70)));
        if let Some(net) = row.net {
            cells.push(ctx.look.net_cell(net));
        }
        table.add_row(cells);
    }
    view::table(out, &table)
}
