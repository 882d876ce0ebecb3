//! Handlers for `import`, `export`, `completions`, `man`, and `edit` in an editor.
//!
//! The parsing, matching and rendering live in the pure [`crate::core::contacts`];
//! these handlers only read files, ask on the terminal, draw the progress bar
//! and send the one write through [`crate::shell::store::Store::update`], so a failed
//! import leaves the ledger as it was.

use std::io::Write;
use std::path::Path;
use std::process;

use anyhow::{Context, Result, anyhow, bail};
use clap::CommandFactory;

use super::Ctx;
use crate::cli::{Cli, CompletionsArgs, ExportArgs, ExportFormat, ImportArgs, ImportFormat};
use crate::core::contacts::{
    self, Action, Contact, ImportReport, Source, csv as csv_import, vcard,
};
use crate::core::export;
use crate::core::ledger::{self, check_days, check_email, check_name, check_tag, check_text};
use crate::core::model::Person;
use crate::error::Error;
use crate::shell::term;
use crate::view;

/// Above this many records an import shows a progress bar (on a terminal).
const PROGRESS_THRESHOLD: usize = 2000;
/// A real import lists the people it added or updated up to this many.
const LIST_LIMIT: usize = 100;

impl From<ImportFormat> for Source {
    fn from(format: ImportFormat) -> Source {
        match format {
            ImportFormat::Vcard => Source::Vcard,
            ImportFormat::Linkedin => Source::Linkedin,
            ImportFormat::Google => Source::Google,
            ImportFormat::Csv => Source::Csv,
        }
    }
}

pub fn import(ctx: &Ctx, out: &mut dyn Write, args: ImportArgs) -> Result<()> {
    let source = Source::from(args.format);
    let columns = column_overrides(&args.columns, source)?;
    let tag = args.tag.as_deref().map(check_tag).transpose()?;
    if args.select && !term::can_prompt() {
        bail!(
            "--select asks about each contact and needs a terminal\nhint: run it in a terminal, or preview with --dry-run"
        );
    }
    let path = args.file.display().to_string();
    // Bounded: a device, a file over 256 MiB or a line over 1 MiB is refused
    // before it is read whole.
    let records = match source {
        Source::Vcard => crate::shell::read::Records::Vcard,
        _ => crate::shell::read::Records::Csv,
    };
    let bytes = crate::shell::read::read_import(&args.file, records)?;
    let parsed = contacts::parse(source, &bytes, &columns).map_err(|err| {
        let error = Error::failure(format!("could not import `{path}`: {}", err.reason));
        err.hint
            .into_iter()
            .fold(error, Error::hint)
            .hint(format!("is it a {source} file? nothing was imported"))
    })?;
    if parsed.contacts.is_empty() && parsed.problems.is_empty() {
        bail!("`{path}` holds no contacts; nothing was imported");
    }
    let contacts = if args.select {
        term::choose(parsed.contacts, "import", describe)?
    } else {
        parsed.contacts
    };

    let run = |ledger: &mut crate::core::model::Ledger| {
        let bar = (contacts.len() > PROGRESS_THRESHOLD)
            .then(|| term::progress_bar(contacts.len(), "importing {bar:40} {pos}/{len} contacts"))
            .flatten();
        let report = contacts::apply_import_with_progress(
            ledger,
            contacts.clone(),
            source,
            tag.as_deref(),
            ctx.now,
            &mut |done| {
                if let Some(bar) = &bar {
                    bar.set_position(done as u64);
                }
            },
        );
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        report.with_problems(&parsed.problems)
    };

    let report = if args.dry_run {
        let mut scratch = ctx.store.load()?;
        run(&mut scratch)
    } else {
        ctx.store.update(|ledger| {
            let report = run(ledger);
            let summary = format!("import {path}: {}", report.summary());
            Ok((report, summary))
        })?
    };
    print_report(ctx, out, &report, args.dry_run)
}

/// `--column FIELD=HEADER` pairs, checked before the file is read.
fn column_overrides(raw: &[String], source: Source) -> Result<Vec<(String, String)>> {
    if !raw.is_empty() && source != Source::Csv {
        bail!("--column only applies to `kith import csv`");
    }
    raw.iter()
        .map(|pair| {
            let (field, header) = pair.split_once('=').ok_or_else(|| {
                anyhow!(
                    "--column `{pair}` is not FIELD=HEADER\nhint: e.g. --column name=\"Full name\""
                )
            })?;
            let field = field.trim().to_lowercase();
            if !csv_import::FIELDS.contains(&field.as_str()) {
                bail!(
                    "unknown field `{field}` in --column (valid: {})",
                    csv_import::FIELDS.join(", ")
                );
            }
            Ok((field, header.to_string()))
        })
        .collect()
}

/// "Ann Lee <ann@x.org> (Acme), line 12".
fn describe(contact: &Contact) -> String {
    let mut text = contact
        .name
        .clone()
        .or_else(|| contact.emails.first().cloned())
        .unwrap_or_else(|| "(no name)".into());
    if let Some(email) = contact.emails.first().filter(|_| contact.name.is_some()) {
        text.push_str(&format!(" <{email}>"));
    }
    if let Some(org) = &contact.org {
        text.push_str(&format!(" ({org})"));
    }
    format!("{text}, line {}", contact.line)
}

fn print_report(
    ctx: &Ctx,
    out: &mut dyn Write,
    report: &ImportReport,
    dry_run: bool,
) -> Result<()> {
    if ctx.json {
        #[derive(serde::Serialize)]
        struct Json<'a> {
            dry_run: bool,
            added: usize,
            updated: usize,
            unchanged: usize,
            skipped: usize,
            records: &'a [contacts::Outcome],
        }
        return view::json(
            out,
            &Json {
                dry_run,
                added: report.count(Action::Added),
                updated: report.count(Action::Updated),
                unchanged: report.count(Action::Unchanged),
                skipped: report.count(Action::Skipped),
                records: &report.outcomes,
            },
        );
    }
    // A dry run lists every record. A real import lists what changed, or
    // only the skips when the changes would scroll by in their thousands.
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
    if !rows.is_empty() && (dry_run || !ctx.quiet) {
        let action_header = if dry_run { "would be" } else { "result" };
        let mut table = ctx.look.table(&["line", action_header, "name", "detail"]);
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
    } else {
        ctx.confirm(out, &format!("imported: {summary}"))?;
    }
    Ok(())
}

pub fn export(ctx: &Ctx, out: &mut dyn Write, args: ExportArgs) -> Result<()> {
    let ledger = ctx.store.load()?;
    let bytes = match args.format {
        ExportFormat::Json => export::export_json(&ledger)?,
        ExportFormat::Csv => export::export_csv(&ledger)?,
        ExportFormat::Vcard => vcard::export_vcard(&ledger.people).into_bytes(),
        ExportFormat::Ics => {
            export::export_ics(&export::reminders(&ledger, ctx.today), ctx.now).into_bytes()
        }
    };
    match &args.output {
        None => out.write_all(&bytes)?,
        Some(path) => {
            crate::shell::store::write_atomic(path, &bytes, None)
                .with_context(|| format!("could not write `{}`", path.display()))?;
            ctx.confirm(
                out,
                &format!("wrote {} people to {}", ledger.people.len(), path.display()),
            )?;
        }
    }
    Ok(())
}

pub fn completions(out: &mut dyn Write, args: CompletionsArgs) -> Result<()> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "kith", out);
    Ok(())
}

pub fn man(out: &mut dyn Write) -> Result<()> {
    use clap_mangen::roff::{Roff, bold, roman};
    let cmd = Cli::command();
    let has_version = cmd.get_version().is_some();
    let man = clap_mangen::Man::new(cmd);
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    let mut exit_status = Roff::new();
    exit_status.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in crate::error::EXIT_CODES {
        exit_status.control("TP", []);
        exit_status.text([bold(code.to_string())]);
        exit_status.text([roman(*meaning)]);
    }
    exit_status.to_writer(out)?;
    if has_version {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// `kith edit PERSON` with no flags: the record as JSON in `$VISUAL`/`$EDITOR`,
/// validated on save; anything invalid changes nothing.
pub fn edit_in_editor(ctx: &Ctx, out: &mut dyn Write, query: &str) -> Result<()> {
    let before = ctx.store.load()?;
    let original = ledger::find_person(&before, query)?.clone();
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(std::env::var_os)
        .map(|v| v.to_string_lossy().into_owned())
        .find(|v| !v.trim().is_empty())
        .ok_or_else(|| {
            anyhow!(
                "nothing to change and no editor to open\nhint: set $VISUAL or $EDITOR, or change fields with flags, e.g. `kith edit \"{query}\" --org Acme`"
            )
        })?;
    // tempfile creates the file with mode 0600 and removes it when dropped.
    let mut file = tempfile::Builder::new()
        .prefix("kith-person-")
        .suffix(".json")
        .tempfile()
        .context("could not create a temp file for the editor")?;
    file.write_all(serde_json::to_string_pretty(&original)?.as_bytes())?;
    file.write_all(b"\n")?;
    file.as_file().sync_all()?;
    run_editor(&editor, file.path())?;
    let text = std::fs::read_to_string(file.path()).context("could not read the edited record")?;
    let edited: Person = serde_json::from_str(&text).map_err(|err| {
        anyhow!(
            "the edited record is not valid JSON for a person: {err}\nhint: nothing was changed"
        )
    })?;
    let edited = validate_edit(&original, edited, ctx.now)
        .map_err(|err| anyhow!("{err}\nhint: nothing was changed"))?;
    if edited == original {
        return ctx.confirm(out, &format!("{}: nothing changed", original.name));
    }
    let name = edited.name.clone();
    ctx.store.update(|ledger| {
        let person = ledger
            .person_mut(&original.id)
            .ok_or_else(|| anyhow!("{} was removed while you were editing", original.name))?;
        if *person != original {
            bail!(
                "{} was changed by another kith while you were editing\nhint: nothing was changed; run `kith edit` again",
                original.name
            );
        }
        *person = edited;
        Ok(((), format!("edit {name}")))
    })?;
    ctx.confirm(out, &format!("saved {name}"))
}

/// Runs `$EDITOR` (which may carry arguments, as in `code --wait`) on `path`.
fn run_editor(editor: &str, path: &Path) -> Result<()> {
    let mut words = editor.split_whitespace();
    let program = words
        .next()
        .ok_or_else(|| anyhow!("the editor command is empty"))?;
    let status = process::Command::new(program)
        .args(words)
        .arg(path)
        .status()
        .with_context(|| format!("could not start the editor `{editor}`"))?;
    if !status.success() {
        bail!("the editor `{editor}` failed ({status}); nothing was changed");
    }
    Ok(())
}

/// The edited record, checked field by field as the flags of `kith edit` are.
fn validate_edit(
    original: &Person,
    mut edited: Person,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Person> {
    if edited.id != original.id {
        bail!("the id cannot be changed (it was {})", original.id);
    }
    edited.name = check_name(&edited.name)?;
    edited.aliases = edited
        .aliases
        .iter()
        .map(|a| check_name(a))
        .collect::<Result<_>>()?;
    edited.emails = edited
        .emails
        .iter()
        .map(|e| check_email(e))
        .collect::<Result<_>>()?;
    edited.phones = edited
        .phones
        .iter()
        .map(|p| check_text("phone", p, false))
        .collect::<Result<_>>()?;
    edited.urls = edited
        .urls
        .iter()
        .map(|u| check_text("url", u, false))
        .collect::<Result<_>>()?;
    edited.tags = edited
        .tags
        .iter()
        .map(|t| check_tag(t))
        .collect::<Result<_>>()?;
    edited.org = optional_text("org", edited.org, false)?;
    edited.how_met = optional_text("how_met", edited.how_met, true)?;
    edited.notes = optional_text("notes", edited.notes, true)?;
    edited.cadence_days = edited.cadence_days.map(check_days).transpose()?;
    for need in &edited.needs {
        check_text("need", &need.text, true)?;
    }
    if let Some(reason) = edited.flag.as_ref().and_then(|f| f.reason.as_deref()) {
        check_text("flag reason", reason, true)?;
    }
    // Bookkeeping is kith's, not the editor's.
    edited.created = original.created;
    edited.updated = original.updated;
    if edited != *original {
        edited.updated = now;
    }
    Ok(edited)
}

/// An optional text: empty means none.
fn optional_text(field: &str, value: Option<String>, multiline: bool) -> Result<Option<String>> {
    match value {
        Some(text) if !text.trim().is_empty() => Ok(Some(check_text(field, &text, multiline)?)),
        _ => Ok(None),
    }
}
