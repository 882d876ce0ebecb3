//! The kith binary: parse arguments, resolve today and the ledger, dispatch to
//! a command handler, print errors, and choose the exit code.
//!
//! Exit codes are chosen by the error's kind (see `kith::error`): 0 success
//! (also when stdout is closed early, as in `kith log | head -1`), 1 other
//! failure, 2 usage, 3 not found or ambiguous, 4 ledger unreadable, 5 busy.

#![deny(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{CommandFactory, Parser};

use kith::cli::{Cli, ColorChoice, Command, ExportFormat, ReportFormat};
use kith::commands::{Ctx, advice, doctor, interop, log, people, review, settings, sync};
use kith::core::dates;
use kith::core::model::Direction;
use kith::error;
use kith::shell::git;
use kith::shell::store::Store;
use kith::view::{self, Look};

fn main() -> ExitCode {
    // `COMPLETE=bash kith …`: the shell asking for completions; answers and exits.
    kith::shell::complete::remember_shell();
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(kith::shell::complete::VAR)
        .complete();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli.with_env(),
        Err(err) if err.use_stderr() => {
            // clap echoes the arguments it refuses: escape them, and leave
            // out clap's own colours (plain text is safe everywhere).
            let text = err.render().to_string();
            let _ = write!(io::stderr(), "{}", view::escape::sanitize(&text, false));
            return ExitCode::from(2);
        }
        Err(err) => {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
    };
    let color = use_color(&cli);
    let stdout = io::stdout();
    let result = if exact_stdout(&cli) {
        let mut out = BufWriter::new(stdout.lock());
        run(cli, color, &mut out).and_then(|()| out.flush().map_err(anyhow::Error::from))
    } else {
        // Human output passes through the sanitizer: whatever a renderer
        // forgot to escape, no control character reaches the terminal, and
        // with colour on only kith's own SGR colours do.
        // An export is a file format, never coloured: no escape passes.
        let colors = color && !matches!(cli.command, Command::Export(_));
        let mut out = view::escape::Sanitizer::new(BufWriter::new(stdout.lock()), colors);
        run(cli, color, &mut out).and_then(|()| out.flush().map_err(anyhow::Error::from))
    };
    // A snapshot still being written for the next read is finished first.
    kith::shell::snapshot::finish();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            print_error(&err);
            ExitCode::from(error::kind_of(&err).exit_code())
        }
    }
}

/// Whether stdout carries a document that must stay byte for byte what kith
/// made: JSON (serde escapes control characters, and JSON stays exact),
/// shell completions, the man page, and `export json`.
fn exact_stdout(cli: &Cli) -> bool {
    cli.json
        || matches!(cli.command, Command::Completions(_) | Command::Man)
        || matches!(&cli.command, Command::Export(args) if args.format == ExportFormat::Json)
        || matches!(&cli.command, Command::Report(args) if args.format == ReportFormat::Json)
}

fn use_color(cli: &Cli) -> bool {
    match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn run(cli: Cli, color: bool, out: &mut dyn Write) -> Result<()> {
    let for_display = !exact_stdout(&cli);
    let real_today = chrono::Local::now().date_naive();
    let today = match cli.today.as_deref() {
        Some(phrase) => dates::parse(phrase, real_today)
            .map_err(anyhow::Error::msg)
            .context("could not use --today / KITH_TODAY")?,
        None => real_today,
    };
    let ctx = Ctx {
        store: {
            let store = Store::locate(cli.ledger)?
                .after_write(git::after_write)
                .quiet(cli.quiet)
                .for_display(for_display);
            if cli.no_cache {
                store.without_snapshot()
            } else {
                store
            }
        },
        today,
        now: chrono::Utc::now(),
        json: cli.json,
        quiet: cli.quiet,
        look: Look { color },
    };
    match cli.command {
        Command::Add(args) => people::add(&ctx, out, args),
        Command::People(args) => people::people(&ctx, out, args),
        Command::Show(args) => people::show(&ctx, out, args),
        Command::Edit(args) => people::edit(&ctx, out, args),
        Command::Snooze(args) => people::snooze(&ctx, out, args),
        Command::Unsnooze(args) => people::unsnooze(&ctx, out, args),
        Command::Need(args) => people::need(&ctx, out, args),
        Command::Flag(args) => people::flag(&ctx, out, args),
        Command::Unflag(args) => people::unflag(&ctx, out, args),
        Command::Archive(args) => people::archive(&ctx, out, args, true),
        Command::Unarchive(args) => people::archive(&ctx, out, args, false),
        Command::Forget(args) => people::forget(&ctx, out, args),
        Command::Doctor => doctor::doctor(&ctx, out),
        Command::Gave(args) => log::favour(&ctx, out, args, true),
        Command::Got(args) => log::favour(&ctx, out, args, false),
        Command::Met(args) => log::met(&ctx, out, args),
        Command::Asked(args) => log::request(&ctx, out, args, Direction::In),
        Command::Ask(args) => log::request(&ctx, out, args, Direction::Out),
        Command::Intro(args) => log::intro(&ctx, out, args),
        Command::Decline(args) => log::decline(&ctx, out, args),
        Command::Nudge(args) => log::nudge(&ctx, out, args),
        Command::Lapse(args) => log::lapse(&ctx, out, args),
        Command::Undo => log::undo(&ctx, out),
        Command::Rm(args) => log::rm(&ctx, out, args),
        Command::Amend(args) => log::amend(&ctx, out, args),
        Command::Log(args) => log::log(&ctx, out, args),
        Command::Balance(args) => advice::balance(&ctx, out, args),
        Command::Check(args) => advice::check(&ctx, out, args),
        Command::Who(args) => advice::who(&ctx, out, args),
        Command::Requests(args) => advice::requests(&ctx, out, args),
        Command::Followups => advice::followups(&ctx, out),
        Command::Review => review::review(&ctx, out),
        Command::Report(args) => advice::report(&ctx, out, args),
        Command::Stats(args) => advice::stats(&ctx, out, args),
        Command::Config(args) => settings::config(&ctx, out, args),
        Command::Import(args) => interop::import(&ctx, out, args),
        Command::Export(args) => interop::export(&ctx, out, args),
        Command::Completions(args) => interop::completions(out, args),
        Command::Man => interop::man(out),
        Command::Merge(args) => sync::merge(&ctx, out, args),
        Command::MergePeople(args) => people::merge_people(&ctx, out, args),
        Command::Sync(args) => sync::sync(&ctx, out, args),
    }
}

/// `error: …` with the causes joined, then one `hint:` line per hint.
fn print_error(err: &anyhow::Error) {
    let message: Vec<String> = err.chain().map(|cause| cause.to_string()).collect();
    let mut stderr = io::stderr().lock();
    // Messages echo arguments and ledger text: escape them.
    let message = message.join(": ");
    let _ = writeln!(stderr, "error: {}", view::escape::sanitize(&message, false));
    for hint in error::hints_of(err) {
        let _ = writeln!(stderr, "hint: {}", view::escape::sanitize(hint, false));
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
