//! `kith import` as text: the records that matter in a table, then one
//! summary line.

use std::io::Write;

use anyhow::Result;

use crate::core::contacts::{Action, ImportReport};
use crate::view::{self, Look};

/// A real import lists the people it added or updated up to this many.
const LIST_LIMIT: usize = 100;

/// A dry run lists every record. A real import lists what changed, or only
/// the skips when the changes would scroll by in their thousands; `quiet`
/// leaves out a real import's table and summary.
pub fn import_report(
    out: &mut dyn Write,
    report: &ImportReport,
    dry_run: bool,
    quiet: bool,
    look: Look,
) -> Result<()> {
    let changed = report.outcomes.len() - report.count(Action::Unchanged);
    let rows: Vec<_> = report
        .outcomes
        .iter()
        .filter(|o| {
            dry_run
                || o.action == Action::Skipped
                || (o.action != Action::Unchanged && changed <= LIST_LIMIT)
        })
        .collect();
    if !rows.is_empty() && (dry_run || !quiet) {
        let action_header = if dry_run { "would be" } else { "result" };
        let mut table = look.table(&["line", action_header, "name", "detail"]);
        for outcome in rows {
            table.add_row(vec![
                outcome.line.to_string(),
                outcome.action.as_str().to_string(),
                outcome.name.clone().unwrap_or_else(|| "—".into()),
                outcome.detail.clone(),
            ]);
        }
        view::table(out, &table)?;
    }
    let summary = report.summary();
    if dry_run {
        writeln!(out, "dry run: {summary}; nothing was changed")?;
    } else if !quiet {
        writeln!(out, "imported: {summary}")?;
    }
    Ok(())
}
