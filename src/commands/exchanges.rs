//! `kith import ics|mbox|maildir`: meetings and conversations with people
//! already in the ledger become `met` entries.
//!
//! The file is read (and a mailbox streamed) before the ledger lock is
//! taken, so a long read never blocks other kith commands; then the one
//! write applies everything under one lock, as one undo step. The rules
//! live in [`crate::core::contacts::exchanges`], [`crate::core::contacts::ics`]
//! and [`crate::core::contacts::mail`].

use std::io::Write;

use anyhow::Result;
use chrono::Months;

use super::Ctx;
use crate::cli::{ImportArgs, ImportFormat};
use crate::core::contacts::exchanges::{
    self, ExchangeReport, Found, Grouping, Window, apply_exchanges,
};
use crate::core::contacts::ics::{CalendarOptions, read_calendar};
use crate::core::contacts::mail::Conversations;
use crate::core::model::Ledger;
use crate::error::Error;
use crate::shell::mailbox;
use crate::view;

/// Whether `format` is read by this module (not a contact file).
pub fn handles(format: ImportFormat) -> bool {
    matches!(
        format,
        ImportFormat::Ics | ImportFormat::Mbox | ImportFormat::Maildir
    )
}

pub fn import(ctx: &Ctx, out: &mut dyn Write, args: ImportArgs) -> Result<()> {
    check_flags(&args)?;
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
        super::warn(
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
    render(ctx, out, &args, &report, max_attendees)
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
fn check_flags(args: &ImportArgs) -> Result<()> {
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

fn render(
    ctx: &Ctx,
    out: &mut dyn Write,
    args: &ImportArgs,
    report: &ExchangeReport,
    max_attendees: usize,
) -> Result<()> {
    let shown = args.show_unknown.unwrap_or(0);
    if ctx.json {
        return view::exchanges::json(out, report, args.dry_run, shown);
    }
    let what = if args.format == ImportFormat::Ics {
        "meeting"
    } else {
        "conversation"
    };
    view::exchanges::text(
        out,
        report,
        &view::exchanges::Options {
            dry_run: args.dry_run,
            quiet: ctx.quiet,
            show_unknown: shown,
            max_attendees,
            what,
            look: ctx.look,
        },
    )
}
