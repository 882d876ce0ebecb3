//! Handlers for the commands that keep one ledger on several machines:
//! `merge` (git's merge driver), `sync init` and `sync`.
//!
//! `kith merge BASE OURS THEIRS` exits 0 whenever it could write a merged
//! ledger, including when both sides changed the same field and the newer
//! `updated` decided: git only accepts a driver's result on exit 0, and every
//! such choice is resolved (and listed on stderr), never left for the user to
//! edit. It exits 1, leaving OURS untouched, only when a file cannot be read
//! or parsed.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::Value;

use super::{Ctx, warn};
use crate::cli::{MergeArgs, SyncAction, SyncArgs, SyncInitArgs};
use crate::core::doctor;
use crate::core::merge::{self, Conflict, LikelyDuplicate};
use crate::core::model::Ledger;
use crate::core::model::{ParseError, parse_ledger, to_pretty_json};
use crate::error::Error;
use crate::shell::store::write_atomic;
use crate::view;

/// Reads one side of a merge. Git passes an empty file for a missing ancestor,
/// so an empty (or, for BASE, missing) file is an empty ledger.
fn read_side(path: &Path, may_be_missing: bool) -> Result<Ledger> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if may_be_missing && err.kind() == ErrorKind::NotFound => {
            return Ok(Ledger::default());
        }
        Err(err) => {
            return Err(err).with_context(|| format!("could not read `{}`", path.display()));
        }
    };
    match parse_ledger(&bytes) {
        Ok(ledger) => Ok(ledger),
        Err(ParseError::Empty(_)) => Ok(Ledger::default()),
        Err(err) => {
            let unreadable = Error::unreadable(err.describe(Some(&path.display().to_string())));
            Err(match err {
                ParseError::Newer(_) => {
                    unreadable.hint("upgrade kith on this machine; nothing was merged")
                }
                _ => unreadable.hint("nothing was merged; fix the file, then merge again"),
            }
            .into())
        }
    }
}

/// Lists on stderr what the merge decided and the likely duplicates it found.
fn tell_about_merge(outcome: &merge::MergeOutcome) {
    // Names in these lines are data: the sanitizer escapes what they hold.
    let mut stderr = view::escape::Sanitizer::new(std::io::stderr().lock(), false);
    for conflict in &outcome.conflicts {
        let _ = writeln!(stderr, "kith merge: {conflict}");
    }
    for pair in &outcome.likely_duplicates {
        let name = |id: &str| {
            outcome
                .ledger
                .person(id)
                .map(|p| format!("{} ({id})", p.name))
                .unwrap_or_else(|| id.to_string())
        };
        let _ = writeln!(
            stderr,
            "kith merge: likely the same person, added on both sides: {} and {} share {}",
            name(&pair.ours),
            name(&pair.theirs),
            pair.reason
        );
    }
    if !outcome.likely_duplicates.is_empty() {
        let _ = writeln!(
            stderr,
            "hint: review with `kith people --duplicates`, fold with `kith merge-people KEEP OTHER`"
        );
    }
}

#[derive(Serialize)]
struct MergeReport<'a> {
    conflicts: &'a [Conflict],
    likely_duplicates: &'a [LikelyDuplicate],
}

pub fn merge(ctx: &Ctx, out: &mut dyn Write, args: MergeArgs) -> Result<()> {
    let base = read_side(&args.base, true)?;
    let ours = read_side(&args.ours, false)?;
    let theirs = read_side(&args.theirs, false)?;
    let outcome = merge::merge(&base, &ours, &theirs);
    let bytes = to_pretty_json(&outcome.ledger)?;
    write_atomic(&args.ours, &bytes, None).with_context(|| {
        format!(
            "could not write the merged ledger to `{}`",
            args.ours.display()
        )
    })?;

    tell_about_merge(&outcome);
    let brought = doctor::new_problems(
        &doctor::diagnose(&ours, ctx.today),
        &doctor::diagnose(&outcome.ledger, ctx.today),
    )
    .len();
    if brought > 0 {
        warn(&new_problems_line(brought));
    }
    if ctx.json {
        view::json(
            out,
            &MergeReport {
                conflicts: &outcome.conflicts,
                likely_duplicates: &outcome.likely_duplicates,
            },
        )?;
    }
    Ok(())
}

fn current_exe() -> Result<PathBuf> {
    std::env::current_exe()
        .context("could not find the path of the kith program for git's merge driver")
}

/// `kith sync` and `kith sync init`.
pub fn sync(ctx: &Ctx, out: &mut dyn Write, args: SyncArgs) -> Result<()> {
    let exe = current_exe()?;
    match args.action {
        Some(SyncAction::Init(init)) => sync_init(ctx, out, &init, &exe),
        None => sync_now(ctx, out, &exe),
    }
}

/// `kith sync init`: a repository for the ledger, kith as its merge driver.
fn sync_init(ctx: &Ctx, out: &mut dyn Write, init: &SyncInitArgs, exe: &Path) -> Result<()> {
    if init.auto_commit {
        ctx.store.update(|ledger| {
            ledger
                .settings
                .extra
                .insert(crate::core::settings::AUTO_COMMIT.into(), Value::Bool(true));
            Ok(((), "turn on auto_commit".to_string()))
        })?;
    }
    let report =
        crate::shell::git::init(&ctx.store, init.dir.as_deref(), init.remote.as_deref(), exe)?;
    if ctx.json {
        return view::json(out, &report);
    }
    let root = report.root.display();
    if report.created_repository {
        ctx.confirm(out, &format!("created a git repository in {root}"))?;
    } else {
        ctx.confirm(out, &format!("using the git repository in {root}"))?;
    }
    if let Some(remote) = &report.remote {
        ctx.confirm(out, &format!("remote: {remote}"))?;
    }
    ctx.confirm(
        out,
        "the ledger now merges with `kith merge`; run `kith sync` to share changes",
    )
}

/// `kith sync`: commit, pull (merging with kith), push.
fn sync_now(ctx: &Ctx, out: &mut dyn Write, exe: &Path) -> Result<()> {
    let report = crate::shell::git::sync(&ctx.store, exe)?;
    for note in &report.merge_notes {
        crate::shell::term::note(note);
    }
    if report.new_problems > 0 {
        warn(&new_problems_line(report.new_problems));
    }
    if ctx.json {
        return view::json(out, &report);
    }
    match &report.committed {
        Some(message) => {
            let subject = message.lines().next().unwrap_or_default();
            ctx.confirm(out, &format!("committed: {subject}"))?;
        }
        None => ctx.confirm(out, "no local changes to commit")?,
    }
    match &report.remote {
        None => warn(
            "no remote to sync with; changes are committed locally\nhint: add one with `kith sync init --remote URL`",
        ),
        Some(remote) => {
            if report.pulled > 0 {
                ctx.confirm(
                    out,
                    &format!("merged {} commit(s) from {remote}", report.pulled),
                )?;
            }
            if report.pushed {
                ctx.confirm(out, &format!("pushed to {remote}"))?;
            } else {
                ctx.confirm(out, &format!("up to date with {remote}"))?;
            }
        }
    }
    Ok(())
}

/// "the merge brought in 2 problems …; see `kith doctor`".
fn new_problems_line(count: usize) -> String {
    let noun = if count == 1 { "problem" } else { "problems" };
    format!("the merge brought in {count} {noun} the ledger's rules forbid; see `kith doctor`")
}
