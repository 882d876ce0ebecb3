//! Handlers for `import`, `export`, `completions` and `man`.
//!
//! `import ics|mbox|maildir` logs meetings and conversations with people
//! already in the ledger (rules in [`crate::core::contacts::exchanges`],
//! `ics` and `mail`; reading in [`crate::shell::mailbox`]).
//! The parsing, matching and rendering live in the pure [`crate::core::contacts`];
//! these handlers only read files, ask on the terminal, draw the progress bar
//! and send the one write through [`crate::shell::store::Store::update`], so a failed
//! import leaves the ledger as it was.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Months, Utc};
use clap::CommandFactory;

use super::Ctx;
use crate::cli::{Cli, CompletionsArgs, ExportArgs, ExportFormat, ImportArgs, ImportFormat};
use crate::core::contacts::exchanges::{
    self, ExchangeReport, Found, Grouping, Window, apply_exchanges,
};
use crate::core::contacts::ics::{CalendarOptions, read_calendar};
use crate::core::contacts::mail::Conversations;
use crate::core::contacts::{
    self, Action, Contact, ImportReport, Outcome, Source, csv as csv_import, vcard,
};
use crate::core::export;
use crate::core::ledger::check_tag;
use crate::core::model::Ledger;
use crate::error::Error;
use crate::shell::{mailbox, term};
use crate::view;

/// Above this many records an import shows a progress bar (on a terminal).
const PROGRESS_THRESHOLD: usize = 2000;

pub fn import(ctx: &Ctx, out: &mut dyn Write, args: ImportArgs) -> Result<()> {
    let source = match args.format {
        ImportFormat::Vcard => Source::Vcard,
        ImportFormat::Linkedin => Source::Linkedin,
        ImportFormat::Google => Source::Google,
        ImportFormat::Csv => Source::Csv,
        ImportFormat::Ics | ImportFormat::Mbox | ImportFormat::Maildir => {
            return import_exchanges(ctx, out, args);
        }
    };
    let file = contact_file(&args)?;
    let columns = column_overrides(&args.columns, source)?;
    let tag = args.tag.as_deref().map(check_tag).transpose()?;
    if args.select && !term::can_prompt() {
        return Err(
            Error::usage("--select asks about each contact and needs a terminal")
                .hint("run it in a terminal, or preview with --dry-run")
                .into(),
        );
    }
    let path = file.display().to_string();
    let parsed = read_contacts(file, source, &columns)?;
    let (contacts, passed_over) = if args.select {
        select(ctx, parsed.contacts, source, tag.as_deref())?
    } else {
        (parsed.contacts, Vec::new())
    };

    let run = |ledger: &mut Ledger| {
        let mut report = apply_with_bar(ledger, &contacts, source, tag.as_deref(), ctx.now);
        report.outcomes.extend(passed_over.iter().cloned());
        report
            .with_problems(&parsed.problems)
            .with_notices(&parsed.notices)
    };
    let report = if args.dry_run {
        let mut scratch = ctx.store.load()?;
        run(&mut scratch)
    } else {
        ctx.store.update(|ledger| {
            let report = run(ledger);
            let summary = format!("import {path}: {}", report.summary());
            Ok((report, summary))
        })?
    };
    print_report(ctx, out, &report, args.dry_run)
}

/// The one contact file, refusing the calendar and mail flags.
fn contact_file(args: &ImportArgs) -> Result<&Path> {
    let misplaced = [
        (args.since.is_some(), "--since"),
        (args.show_unknown.is_some(), "--show-unknown"),
        (args.no_subject, "--no-subject"),
    ];
    if let Some((_, flag)) = misplaced.iter().find(|(set, _)| *set) {
        return Err(Error::usage(format!(
            "{flag} only applies to `kith import ics|mbox|maildir`"
        ))
        .into());
    }
    match args.files.as_slice() {
        [file] => Ok(file),
        _ => Err(Error::usage("contacts are imported from one file at a time").into()),
    }
}

/// Applies the import, with a progress bar on a terminal for large ones.
fn apply_with_bar(
    ledger: &mut Ledger,
    contacts: &[Contact],
    source: Source,
    tag: Option<&str>,
    now: DateTime<Utc>,
) -> ImportReport {
    let bar = (contacts.len() > PROGRESS_THRESHOLD)
        .then(|| term::progress_bar(contacts.len(), "importing {bar:40} {pos}/{len} contacts"))
        .flatten();
    let report = contacts::apply_import_with_progress(
        ledger,
        contacts.to_vec(),
        source,
        tag,
        now,
        &mut |done| {
            if let Some(bar) = &bar {
                bar.set_position(done as u64);
            }
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    report
}

/// The contacts in `file`, or why there are none.
fn read_contacts(
    file: &Path,
    source: Source,
    columns: &[(String, String)],
) -> Result<contacts::Parsed> {
    let path = file.display().to_string();
    // Bounded: a device, a file over 256 MiB or a line or record over 1 MiB
    // is refused before it is read whole.
    let records = match source {
        Source::Vcard => crate::shell::read::Records::Vcard,
        _ => crate::shell::read::Records::Csv,
    };
    let bytes = crate::shell::read::read_import(file, records)?;
    let parsed = contacts::parse(source, &bytes, columns).map_err(|err| {
        let error = Error::failure(format!("could not import `{path}`: {}", err.reason));
        err.hint
            .into_iter()
            .fold(error, Error::hint)
            .hint(format!("is it a {source} file? nothing was imported"))
    })?;
    if parsed.contacts.is_empty() && parsed.problems.is_empty() {
        bail!("`{path}` holds no contacts; nothing was imported");
    }
    Ok(parsed)
}

/// `--column FIELD=HEADER` pairs, checked before the file is read.
fn column_overrides(raw: &[String], source: Source) -> Result<Vec<(String, String)>> {
    if !raw.is_empty() && source != Source::Csv {
        return Err(Error::usage("--column only applies to `kith import csv`").into());
    }
    raw.iter()
        .map(|pair| {
            let (field, header) = pair.split_once('=').ok_or_else(|| {
                Error::usage(format!("--column `{pair}` is not FIELD=HEADER"))
                    .hint("e.g. --column name=\"Full name\"")
            })?;
            let field = field.trim().to_lowercase();
            if !csv_import::FIELDS.contains(&field.as_str()) {
                return Err(Error::usage(format!(
                    "unknown field `{field}` in --column (valid: {})",
                    csv_import::FIELDS.join(", ")
                ))
                .into());
            }
            Ok((field, header.to_string()))
        })
        .collect()
}

/// `--select`: asks about each contact, saying what importing it would do
/// (add someone, or update someone you already have); returns the contacts
/// to import and a skip for each one passed over, so the summary counts them.
fn select(
    ctx: &Ctx,
    contacts: Vec<Contact>,
    source: Source,
    tag: Option<&str>,
) -> Result<(Vec<Contact>, Vec<Outcome>)> {
    // What each contact would do, from a dry run on a copy of the ledger.
    let mut scratch = ctx.store.load()?;
    let preview = contacts::apply_import(&mut scratch, contacts.clone(), source, tag, ctx.now);
    let asked: Vec<(Contact, Option<Outcome>)> = contacts
        .into_iter()
        .zip(
            preview
                .outcomes
                .into_iter()
                .map(Some)
                .chain(std::iter::repeat(None)),
        )
        .collect();
    let chosen = term::choose(asked, "import", |(contact, would)| {
        let mut text = describe(contact);
        if let Some(would) = would {
            text.push_str(&view::interop::would_do(would));
        }
        text
    })?;
    let skip = |(contact, _): (Contact, Option<Outcome>), why: &str| Outcome {
        line: contact.line,
        action: Action::Skipped,
        name: contact.name.or_else(|| contact.emails.first().cloned()),
        id: None,
        detail: why.to_string(),
        warnings: Vec::new(),
    };
    let mut passed_over: Vec<Outcome> = chosen
        .declined
        .into_iter()
        .map(|item| skip(item, "you answered no"))
        .collect();
    passed_over.extend(
        chosen
            .unasked
            .into_iter()
            .map(|item| skip(item, "no answer: you stopped (q or Ctrl-D) before it")),
    );
    let kept = chosen
        .kept
        .into_iter()
        .map(|(contact, _)| contact)
        .collect();
    Ok((kept, passed_over))
}

/// "Ann Lee <ann@x.org> (Acme), line 12".
fn describe(contact: &Contact) -> String {
    let mut text = contact
        .name
        .clone()
        .or_else(|| contact.emails.first().cloned())
        .unwrap_or_else(|| "(no name)".into());
    if let Some(email) = contact.emails.first().filter(|_| contact.name.is_some()) {
        text.push_str(&format!(" <{email}>"));
    }
    if let Some(org) = &contact.org {
        text.push_str(&format!(" ({org})"));
    }
    format!("{text}, line {}", contact.line)
}

fn print_report(
    ctx: &Ctx,
    out: &mut dyn Write,
    report: &ImportReport,
    dry_run: bool,
) -> Result<()> {
    if ctx.json {
        return view::json(out, &report.tally(dry_run));
    }
    // What was left out of a record, and what kith guessed about the file.
    for warning in report.warnings() {
        super::warn(&warning);
    }
    view::interop::import_report(out, report, dry_run, ctx.quiet, ctx.look)
}

/// `kith import ics|mbox|maildir`: the file is read (a mailbox streamed)
/// before the lock is taken, so a long read never blocks other kith
/// commands; then one write applies everything, as one undo step.
fn import_exchanges(ctx: &Ctx, out: &mut dyn Write, args: ImportArgs) -> Result<()> {
    check_exchange_flags(&args)?;
    let window = Window {
        since: match &args.since {
            Some(phrase) => ctx.date(phrase)?,
            None => ctx
                .today
                .checked_sub_months(Months::new(12))
                .unwrap_or(ctx.today),
        },
        today: ctx.today,
    };
    let current = ctx.store.load()?;
    let me = exchanges::me_emails(&current.settings);
    let max_attendees = exchanges::max_attendees(&current.settings);
    drop(current);
    if me.is_empty() && args.format == ImportFormat::Ics {
        term::warn(
            "me.emails is not set, so invitations you declined cannot be told apart; set it with `kith config me.emails \"you@example.org\"`",
        );
    }
    let (found, grouping) = match args.format {
        ImportFormat::Ics => (read_ics(&args, window, &me, max_attendees)?, Grouping::Each),
        _ => (read_mail(&args, window, &me)?, Grouping::PerPersonDay),
    };
    let names: Vec<String> = args.files.iter().map(|f| f.display().to_string()).collect();
    let apply = |ledger: &mut Ledger| apply_exchanges(ledger, found, &me, grouping, ctx.now);
    let report = if args.dry_run {
        let mut scratch = ctx.store.load()?;
        apply(&mut scratch)
    } else {
        ctx.store.update(|ledger| {
            let report = apply(ledger);
            let summary = format!(
                "import {} {}: {} logged",
                format_name(args.format),
                names.join(" "),
                report.logged.len()
            );
            Ok((report, summary))
        })?
    };
    render_exchanges(ctx, out, &args, &report, max_attendees)
}

fn format_name(format: ImportFormat) -> &'static str {
    match format {
        ImportFormat::Ics => "ics",
        ImportFormat::Mbox => "mbox",
        ImportFormat::Maildir => "maildir",
        _ => "contacts",
    }
}

/// Contact-import flags make no sense here, nor several calendars or maildirs.
fn check_exchange_flags(args: &ImportArgs) -> Result<()> {
    let name = format_name(args.format);
    let misplaced = [
        (args.tag.is_some(), "--tag"),
        (args.select, "--select"),
        (!args.columns.is_empty(), "--column"),
        (
            args.no_subject && args.format == ImportFormat::Ics,
            "--no-subject",
        ),
    ];
    if let Some((_, flag)) = misplaced.iter().find(|(set, _)| *set) {
        return Err(Error::usage(format!("{flag} does not apply to `kith import {name}`")).into());
    }
    if args.files.len() > 1 && args.format != ImportFormat::Mbox {
        return Err(
            Error::usage(format!("`kith import {name}` reads one file at a time"))
                .hint(
                    "only `kith import mbox` takes several files, e.g. an Inbox and a Sent folder",
                )
                .into(),
        );
    }
    Ok(())
}

fn read_ics(
    args: &ImportArgs,
    window: Window,
    me: &[String],
    max_attendees: usize,
) -> Result<Found> {
    let mut found = Found::default();
    for file in &args.files {
        let bytes = mailbox::read_calendar_file(file)?;
        let options = CalendarOptions {
            window,
            me,
            max_attendees,
            home: mailbox::local_zone(),
        };
        let read = read_calendar(&bytes, &options);
        if read.read == 0 {
            return Err(Error::failure(format!(
                "`{}` holds no calendar events; nothing was imported",
                file.display()
            ))
            .hint("is it an iCalendar (.ics) export?")
            .into());
        }
        found.read += read.read;
        found.exchanges.extend(read.exchanges);
        for (reason, n) in read.skipped {
            *found.skipped.entry(reason).or_default() += n;
        }
    }
    Ok(found)
}

fn read_mail(args: &ImportArgs, window: Window, me: &[String]) -> Result<Found> {
    if me.is_empty() {
        return Err(Error::failure(
            "kith needs your own email addresses to tell your mail from theirs",
        )
        .hint("set them with `kith config me.emails \"you@example.org,you@work.com\"`; nothing was imported")
        .into());
    }
    let mut conversations = Conversations::new(me, window, !args.no_subject);
    for file in &args.files {
        let mut feed = |header: &[u8]| conversations.add_raw(header);
        if args.format == ImportFormat::Maildir {
            mailbox::read_maildir(file, &mut feed)?;
        } else {
            mailbox::read_mbox(file, &mut feed)?;
        }
    }
    let found = conversations.finish();
    if found.read == 0 {
        return Err(Error::failure("the mailbox holds no messages; nothing was imported").into());
    }
    Ok(found)
}

fn render_exchanges(
    ctx: &Ctx,
    out: &mut dyn Write,
    args: &ImportArgs,
    report: &ExchangeReport,
    max_attendees: usize,
) -> Result<()> {
    let shown = args.show_unknown.unwrap_or(0);
    if ctx.json {
        return view::interop::exchanges_json(out, report, args.dry_run, shown);
    }
    let what = if args.format == ImportFormat::Ics {
        "meeting"
    } else {
        "conversation"
    };
    view::interop::exchanges_text(
        out,
        report,
        &view::interop::ExchangeOptions {
            dry_run: args.dry_run,
            quiet: ctx.quiet,
            show_unknown: shown,
            max_attendees,
            what,
            look: ctx.look,
        },
    )
}

pub fn export(ctx: &Ctx, out: &mut dyn Write, args: ExportArgs) -> Result<()> {
    let ledger = ctx.store.load()?;
    let mut what = format!("{} people", ledger.people.len());
    let bytes = match args.format {
        ExportFormat::Json => export::export_json(&ledger)?,
        ExportFormat::Csv => export::export_csv(&ledger)?,
        ExportFormat::Vcard => vcard::export_vcard(&ledger.people).into_bytes(),
        ExportFormat::Ics => {
            let calendar = export::calendar(&ledger, ctx.today, ctx.now);
            let count = |n: usize, noun: &str| match n {
                1 => format!("1 {noun}"),
                n => format!("{n} {noun}s"),
            };
            what = format!(
                "{} and {} (birthdays and dates, yearly)",
                count(calendar.reminders, "reminder"),
                count(calendar.events, "event")
            );
            if calendar.reminders + calendar.events == 0 {
                super::warn(
                    "nothing to put in the calendar: no follow-ups due, nobody going cold, and no birthdays or dates of people you keep in touch with",
                );
            }
            calendar.text.into_bytes()
        }
    };
    match &args.output {
        None => out.write_all(&bytes)?,
        Some(path) => {
            crate::shell::store::write_atomic(path, &bytes, None)
                .with_context(|| format!("could not write `{}`", path.display()))?;
            ctx.confirm(out, &format!("wrote {what} to {}", path.display()))?;
        }
    }
    Ok(())
}

pub fn completions(out: &mut dyn Write, args: CompletionsArgs) -> Result<()> {
    crate::shell::complete::registration(args.shell, out)
}

pub fn man(out: &mut dyn Write) -> Result<()> {
    crate::view::man::render(Cli::command(), out)?;
    Ok(())
}
