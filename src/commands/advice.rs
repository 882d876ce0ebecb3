//! Handlers for the reciprocity commands: `balance`, `check`, `who`,
//! `followups`, `report` and `stats`.
//!
//! Each loads the ledger, asks the pure core (`reciprocity`, `advice`,
//! `report`) for one struct, and renders that struct either as JSON or as
//! text through `view::advice` and `view::report`.

use std::io::Write;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use super::Ctx;
use crate::cli::{
    BalanceArgs, BalanceSortArg, CheckArgs, ReportArgs, ReportFormat, RequestsArgs, StatsArgs,
    WhoArgs,
};
use crate::core::advice;
use crate::core::index::Index;
use crate::core::model::Direction;
use crate::core::reciprocity::{self, BalanceSort, Check};
use crate::core::report::{self, Period};
use crate::error::Error;
use crate::view;

fn sort_of(arg: BalanceSortArg) -> BalanceSort {
    match arg {
        BalanceSortArg::Net => BalanceSort::Net,
        BalanceSortArg::Name => BalanceSort::Name,
        BalanceSortArg::Last => BalanceSort::Last,
        BalanceSortArg::Given => BalanceSort::Given,
        BalanceSortArg::Received => BalanceSort::Received,
    }
}

pub fn balance(ctx: &Ctx, out: &mut dyn Write, args: BalanceArgs) -> Result<()> {
    ctx.read_into(out, |index, out| {
        let rows = reciprocity::balance_rows_of(
            index,
            ctx.today,
            args.tag.as_deref(),
            args.all,
            sort_of(args.sort),
        );
        if ctx.json {
            return view::json(out, &rows);
        }
        if rows.is_empty() && (index.people().is_empty() || args.tag.is_some()) {
            let line =
                view::advice::no_balance(index.people().len(), args.tag.as_deref(), args.all);
            writeln!(out, "{line}")?;
            return Ok(());
        }
        // An empty table may only mean that everyone is a contact: say so.
        let hidden = rows.is_empty()
            && !args.all
            && !reciprocity::balance_rows_of(
                index,
                ctx.today,
                args.tag.as_deref(),
                true,
                sort_of(args.sort),
            )
            .is_empty();
        view::advice::balance(out, &rows, hidden, ctx.today, ctx.look)
    })
}

/// The check of `query`: the person it names, or an unknown name.
fn check_of(index: &Index, query: &str, today: NaiveDate) -> Result<Check> {
    if query.trim().is_empty() {
        return Err(Error::usage("the name is empty")
            .hint("`kith check \"Bob Jones\"`")
            .into());
    }
    match super::find_person(index, query) {
        Ok(person) => Ok(Check::of_index(index, person, today)),
        // Only "no one matches" makes a stranger; an ambiguous name stays an error.
        Err(err) if crate::error::kind_of(&err) == crate::error::Kind::NotFound => {
            Ok(Check::unknown(query.trim()))
        }
        Err(err) => Err(err),
    }
}

pub fn check(ctx: &Ctx, out: &mut dyn Write, args: CheckArgs) -> Result<()> {
    ctx.read_into(out, |index, out| {
        let check = check_of(index, &args.name, ctx.today)?;
        if ctx.json {
            return view::json(out, &check);
        }
        let text = view::advice::check_text(index, &check, ctx.look, ctx.today);
        out.write_all(text.as_bytes())?;
        Ok(())
    })
}

pub fn who(ctx: &Ctx, out: &mut dyn Write, args: WhoArgs) -> Result<()> {
    ctx.read_into(out, |index, out| {
        let list = advice::who_filtered(index, ctx.today, args.tag.as_deref(), args.limit);
        if ctx.json {
            return view::json(out, &list);
        }
        let apart = advice::asked_by_contacts(index, ctx.today, args.tag.as_deref());
        let empty = list.is_empty().then(|| {
            let nobody = advice::why_nobody(index, ctx.today, args.tag.as_deref());
            view::advice::nobody_text(&nobody, args.tag.as_deref())
        });
        let text = view::advice::who_text(&list, &apart, empty.as_deref(), ctx.today, ctx.look);
        out.write_all(text.as_bytes())?;
        Ok(())
    })
}

pub fn followups(ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    ctx.read_into(out, |index, out| {
        let due = advice::followups(index, ctx.today);
        if ctx.json {
            return view::json(out, &due);
        }
        view::advice::followups(out, index, &due, ctx.today, ctx.look)
    })
}

pub fn report(ctx: &Ctx, out: &mut dyn Write, args: ReportArgs) -> Result<()> {
    let period = match (&args.since, args.month) {
        (Some(since), _) => {
            let since = ctx.date(since).context("could not read --since")?;
            let until = match &args.until {
                Some(until) => Some(ctx.date(until).context("could not read --until")?),
                None => None,
            };
            Period::between(since, until, ctx.today).map_err(anyhow::Error::msg)?
        }
        (None, true) => Period::month(ctx.today),
        (None, false) => Period::week(ctx.today),
    };
    ctx.read_into(out, |index, out| {
        let report = report::report_of(index, period);
        let format = if ctx.json {
            ReportFormat::Json
        } else {
            args.format
        };
        match format {
            ReportFormat::Json => view::json(out, &report),
            ReportFormat::Markdown => {
                Ok(out.write_all(view::report::report_markdown(&report).as_bytes())?)
            }
            ReportFormat::Table => {
                Ok(out.write_all(view::report::report_text(&report, ctx.look).as_bytes())?)
            }
        }
    })
}

pub fn stats(ctx: &Ctx, out: &mut dyn Write, args: StatsArgs) -> Result<()> {
    ctx.read_into(out, |index, out| {
        let stats = report::stats_of(index, ctx.today, args.all);
        if ctx.json {
            return view::json(out, &stats);
        }
        out.write_all(view::advice::stats_text(&stats, ctx.look).as_bytes())?;
        Ok(())
    })
}

pub fn requests(ctx: &Ctx, out: &mut dyn Write, args: RequestsArgs) -> Result<()> {
    ctx.read_into(out, |index, out| {
        let direction = match (args.incoming, args.outgoing) {
            (true, false) => Some(Direction::In),
            (false, true) => Some(Direction::Out),
            _ => None,
        };
        let rows = advice::open_requests(index, ctx.today, direction);
        if ctx.json {
            return view::json(out, &rows);
        }
        view::advice::requests(out, index, &rows, ctx.today, ctx.look)
    })
}
