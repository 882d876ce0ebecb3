//! Turning results into text: tables, signed numbers, dates with their age,
//! and JSON. No decisions about the ledger are made here.

pub mod escape;
pub mod man;
pub mod review;

use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;
use comfy_table::{Cell, Color, ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;

use crate::core::dates;

pub mod advice;
pub mod interop;
pub mod log;
pub mod people;
pub mod report;

/// A header rule and nothing else: easy to scan, quiet to paste.
const QUIET: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));

/// How output should look: colour or not.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub color: bool,
}

impl Look {
    /// A table with these headers, fitted to the terminal and coloured only when allowed.
    pub fn table(&self, headers: &[&str]) -> Table {
        let mut table = Table::new();
        table
            .load_style(QUIET)
            .set_content_arrangement(ContentArrangement::Dynamic);
        if self.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        // Some terminals (e.g. under `script`) report a width of 0, which would
        // squeeze every column to one character.
        if table.width().is_some_and(|width| width < 40) {
            table.set_width(80);
        }
        table.set_header(headers.iter().map(|h| Cell::new(h).fg(Color::Cyan)));
        table
    }

    /// A cell coloured by the sign of a net balance.
    pub fn net_cell(&self, net: i64) -> Cell {
        let cell = Cell::new(signed(net));
        match net.signum() {
            1 => cell.fg(Color::Green),
            -1 => cell.fg(Color::Yellow),
            _ => cell,
        }
    }

    /// Text in bold when colour is on.
    pub fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Text dimmed when colour is on.
    pub fn dim(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[2m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// `+4`, `-2`, `0`.
pub fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// `2026-11-01 (3 weeks ago)`.
pub fn date_with_age(date: NaiveDate, today: NaiveDate) -> String {
    format!("{date} ({})", dates::relative(date, today))
}

/// A birthday or labelled date and when it next comes round:
/// `1986-11-27 (next: 2026-11-27, in 7 days)`.
pub fn yearly_date(date: crate::core::model::PartialDate, today: NaiveDate) -> String {
    match date
        .next_on_or_after(today)
        .map(|next| (next, (next - today).num_days()))
    {
        Some((_, 0)) => format!("{date} (today)"),
        Some((_, 1)) => format!("{date} (tomorrow)"),
        Some((next, days)) => format!("{date} (next: {next}, in {days} days)"),
        None => date.to_string(),
    }
}

/// A person's birthday and labelled dates as `(label, text)` fact rows;
/// nothing when they have none.
pub fn date_facts(
    birthday: Option<crate::core::model::PartialDate>,
    dates: &[crate::core::model::LabelledDate],
    today: NaiveDate,
) -> Vec<(&'static str, String)> {
    let mut facts = Vec::new();
    if let Some(birthday) = birthday {
        facts.push(("birthday", yearly_date(birthday, today)));
    }
    if !dates.is_empty() {
        let all: Vec<String> = dates
            .iter()
            .map(|d| format!("{} {}", d.label, yearly_date(d.date, today)))
            .collect();
        facts.push(("dates", all.join("; ")));
    }
    facts
}

/// An optional date with its age, or a dash.
pub fn maybe_date(date: Option<NaiveDate>, today: NaiveDate) -> String {
    date.map(|d| date_with_age(d, today))
        .unwrap_or_else(|| "—".to_string())
}

/// Writes one pretty JSON document and a newline.
///
/// Generic over the writer: a read command renders into a `Vec<u8>`, where
/// serde's many small writes are inlined (through `dyn Write` they were a
/// fifth of `balance --json` on a large ledger).
pub fn json<W: Write + ?Sized, T: Serialize + ?Sized>(out: &mut W, value: &T) -> Result<()> {
    // As an io::Error (serde_json hands back the original one), so a closed
    // pipe (`kith who --json | head`) is recognised as success by main.
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// Writes a table followed by a newline.
pub fn table(out: &mut dyn Write, table: &Table) -> Result<()> {
    writeln!(out, "{table}")?;
    Ok(())
}

/// Shortens `text` to `max` characters with an ellipsis, for table cells.
pub fn clip(text: &str, max: usize) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    if first_line.chars().count() <= max && first_line.len() == text.len() {
        return text.to_string();
    }
    let mut clipped: String = first_line.chars().take(max.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}

/// Aligned `key  value` lines, for facts that are not a table.
pub fn key_values(rows: &[(&str, String)]) -> String {
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for (key, value) in rows {
        text.push_str(&format!("  {key:<width$}  {value}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_text_render_plainly() {
        assert_eq!(signed(4), "+4");
        assert_eq!(signed(-2), "-2");
        assert_eq!(signed(0), "0");
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("a long line of text", 6), "a lon…");
        assert_eq!(clip("two\nlines", 10), "two…");
    }
}
