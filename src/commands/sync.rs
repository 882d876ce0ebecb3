//! Handlers for the commands that keep one ledger on several machines:
//! `merge` (git's merge driver), `sync init` / `sync`, and the duplicate
//! tools `people --duplicates` and `merge-people`.
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
use crate::cli::{MergeArgs, MergePeopleArgs, SyncAction, SyncArgs};
use crate::core::dedupe;
use crate::core::doctor;
use crate::core::ledger;
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
    drop(stderr);
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

#[derive(Serialize)]
struct PairView {
    keep: PersonView,
    other: PersonView,
    reasons: Vec<String>,
}

#[derive(Serialize)]
struct PersonView {
    id: String,
    name: String,
    entries: usize,
}

/// `kith people --duplicates`.
pub fn duplicates(ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.store.load()?;
    let view = |id: &str| PersonView {
        id: id.to_string(),
        name: ledger
            .person(id)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        entries: ledger.entries_of(id).count(),
    };
    let pairs: Vec<PairView> = dedupe::duplicates(&ledger)
        .into_iter()
        .map(|pair| PairView {
            keep: view(&pair.keep),
            other: view(&pair.other),
            reasons: pair.reasons,
        })
        .collect();
    if ctx.json {
        return view::json(out, &pairs);
    }
    if pairs.is_empty() {
        writeln!(out, "no likely duplicates")?;
        return Ok(());
    }
    let mut table = ctx.look.table(&["keep", "other", "shared", "entries"]);
    for pair in &pairs {
        let label =
            |p: &PersonView| format!("{} {}", p.name, ledger::short_person_id(&ledger, &p.id));
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

/// `kith merge-people KEEP OTHER`.
pub fn merge_people(ctx: &Ctx, out: &mut dyn Write, args: MergePeopleArgs) -> Result<()> {
    let line = ctx.store.update(|ledger| {
        let keep = ledger::find_person(ledger, &args.keep)?.id.clone();
        let other = ledger::find_person(ledger, &args.other)?.id.clone();
        let other_name = ledger
            .person(&other)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let folded = dedupe::fold_person(ledger, &keep, &other, ctx.now)?;
        let keep_name = ledger
            .person(&keep)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let moved = match folded.entries_moved {
            1 => "1 entry moved".to_string(),
            n => format!("{n} entries moved"),
        };
        let line = format!("merged {other_name} into {keep_name} ({moved})");
        Ok((line.clone(), line))
    })?;
    ctx.confirm(out, &line)
}

fn current_exe() -> Result<PathBuf> {
    std::env::current_exe()
        .context("could not find the path of the kith program for git's merge driver")
}

/// `kith sync` and `kith sync init`.
pub fn sync(ctx: &Ctx, out: &mut dyn Write, args: SyncArgs) -> Result<()> {
    let exe = current_exe()?;
    match args.action {
        Some(SyncAction::Init(init)) => {
            if init.auto_commit {
                ctx.store.update(|ledger| {
                    ledger
                        .settings
                        .extra
                        .insert(crate::core::settings::AUTO_COMMIT.into(), Value::Bool(true));
                    Ok(((), "turn on auto_commit".to_string()))
                })?;
            }
            let report = crate::shell::git::init(
                &ctx.store,
                init.dir.as_deref(),
                init.remote.as_deref(),
                &exe,
            )?;
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
        None => {
            let report = crate::shell::git::sync(&ctx.store, &exe)?;
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
    }
}

/// "the merge brought in 2 problems; see `kith doctor`".
fn new_problems_line(count: usize) -> String {
    let noun = if count == 1 { "problem" } else { "problems" };
    format!("the merge brought in {count} {noun} the ledger's rules forbid; see `kith doctor`")
}
