//! `kith log` as a table: date, id, person (unless one person's log), type,
//! what, and the running net for one person's log; and the balance line
//! under every logging command's confirmation.

use std::io::Write;

use anyhow::Result;
use comfy_table::Cell;

use crate::core::index::Index;
use crate::core::model::Ledger;
use crate::core::reciprocity::{Balance, favours};
use crate::core::register::Row;
use crate::view::{self, Look, clip};

/// Renders the register; `narrowed` says whether a filter was given (for the
/// wording when nothing is shown).
pub fn register(
    out: &mut dyn Write,
    index: &Index,
    rows: &[Row],
    one_person: bool,
    narrowed: bool,
    look: Look,
) -> Result<()> {
    if rows.is_empty() {
        let what = if narrowed { " that matches" } else { " yet" };
        writeln!(out, "nothing logged{what}")?;
        return Ok(());
    }
    let mut headers = vec!["date", "id"];
    if !one_person {
        headers.push("person");
    }
    headers.extend(["type", "what"]);
    if one_person {
        headers.push("net");
    }
    let mut table = look.table(&headers);
    // The index keeps the ids sorted (the snapshot stores them so).
    let short = |id: &str| index.short_entry_id(id);
    for row in rows {
        let mut cells = vec![Cell::new(row.entry.date), Cell::new(short(&row.entry.id))];
        if !one_person {
            cells.push(Cell::new(row.name));
        }
        cells.push(Cell::new(row.entry.entry_type()));
        cells.push(Cell::new(clip(&row.entry.summary(), 70)));
        if let Some(net) = row.net {
            cells.push(look.net_cell(net));
        }
        table.add_row(cells);
    }
    view::table(out, &table)
}

/// "balance with Alice Smith: -1 — you gave 1 favour (weight 3), they gave 2 favours (weight 4)"
pub fn balance_line(ledger: &Ledger, person_id: &str) -> String {
    let name = ledger
        .person(person_id)
        .map(|p| p.name.as_str())
        .unwrap_or("them");
    let balance = Balance::of(ledger.entries_of(person_id), None);
    if balance.given.count == 0 && balance.received.count == 0 {
        return format!("balance with {name}: 0 — no favours either way yet");
    }
    format!(
        "balance with {name}: {} — you gave {}, they gave {}",
        view::signed(balance.net),
        favours(balance.given),
        favours(balance.received)
    )
}
