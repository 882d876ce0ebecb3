//! `kith doctor`: lists every rule the ledger breaks (see `core::doctor`),
//! each with the person or entry id and a one-line fix, and exits 1 when it
//! finds any. It reads the ledger leniently, so a file other commands refuse
//! for duplicate or dangling ids can still be examined.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::Ctx;
use crate::core::doctor::{self, Problem};
use crate::error::Error;
use crate::view::{self, escape};

#[derive(Serialize)]
struct DoctorReport<'a> {
    count: usize,
    problems: &'a [Problem],
}

pub fn doctor(ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.store.load_unchecked()?;
    let mut problems = doctor::diagnose(&ledger, ctx.today);
    if let Some(from_snapshot) = ctx.store.snapshot_ledger() {
        let path = ctx.store.snapshot_path();
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        problems.extend(doctor::snapshot_disagrees(&ledger, &from_snapshot, &name));
    }
    if ctx.json {
        view::json(
            out,
            &DoctorReport {
                count: problems.len(),
                problems: &problems,
            },
        )?;
    } else if problems.is_empty() {
        ctx.confirm(out, "no problems found")?;
    } else {
        for problem in &problems {
            writeln!(out, "{}", escape::line(&problem.message))?;
            writeln!(out, "  fix: {}", escape::line(&problem.fix))?;
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let noun = if problems.len() == 1 {
        "problem"
    } else {
        "problems"
    };
    Err(Error::failure(format!(
        "the ledger `{}` has {} {noun}",
        ctx.store.path().display(),
        problems.len()
    ))
    .hint("each line above says how to fix it")
    .into())
}
