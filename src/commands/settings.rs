//! `kith config`: show, read or change the ledger's settings.

use std::io::Write;

use anyhow::Result;
use comfy_table::Cell;
use serde::Serialize;

use super::Ctx;
use crate::cli::ConfigArgs;
use crate::core::settings;
use crate::view;

/// `config --json` of one key.
#[derive(Serialize)]
struct Setting<'a> {
    key: &'a str,
    value: String,
}

pub fn config(ctx: &Ctx, out: &mut dyn Write, args: ConfigArgs) -> Result<()> {
    match (args.key, args.value) {
        (None, _) => {
            let ledger = ctx.store.load()?;
            if ctx.json {
                return view::json(out, &ledger.settings);
            }
            let mut table = ctx.look.table(&["setting", "value"]);
            for (key, value) in settings::entries(&ledger.settings) {
                table.add_row(vec![Cell::new(key), Cell::new(value)]);
            }
            view::table(out, &table)
        }
        (Some(key), None) => {
            let ledger = ctx.store.load()?;
            let value = settings::get(&ledger.settings, &key)?;
            if ctx.json {
                return view::json(out, &Setting { key: &key, value });
            }
            writeln!(out, "{value}")?;
            Ok(())
        }
        (Some(key), Some(value)) => ctx.write(out, |ledger| {
            let stored = settings::set(&mut ledger.settings, &key, &value)?;
            Ok((
                format!("{key} = {stored}"),
                format!("config {key} {stored}"),
            ))
        }),
    }
}
