//! The only code that touches the ledger on disk.
//!
//! It finds the ledger, loads it (refusing files it cannot parse or that a newer
//! kith wrote), and saves changes so that nothing is ever lost: every write takes
//! the sidecar lock `ledger.json.lock`, re-reads the file, applies the change,
//! writes a temp file in the same folder, fsyncs it, keeps the old file as
//! `ledger.json.bak`, renames the temp file over the ledger and fsyncs the folder.
//! A crash at any moment leaves the old or the new ledger, never a torn one.
//! Each write also pushes an undo step onto the local journal `ledger.json.undo`.
//!
//! Beside the ledger it keeps the disposable binary snapshot (`shell::snapshot`):
//! reads and writes load from it when it describes the file's exact bytes, and
//! every save rewrites it. A write whose file kith wrote itself splices the
//! changed people and entries into the old text (`core::model::splice`)
//! instead of printing the whole ledger again; the result is the same bytes,
//! written piece by piece from the old file's mapped pages. Such a write
//! keeps no copy of the entries either: their exact prints
//! (`core::diff::Prints`) find the few it changed, and the old versions of
//! those, for the undo step, are read back from the old text.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::core::diff::{LedgerDiff, Prints};
use crate::core::index::Index;
use crate::core::model::{
    BeforeShape, Entry, Extra, Ledger, ParseError, Person, Settings, Spliced, entries_in,
    parse_ledger, splice_at, to_pretty_json,
};
use crate::core::undo::{self, Journal};
use crate::core::written::{self, Written};
use crate::error::{Error, Kind};
use crate::shell::snapshot;

/// How long a writer waits for another kith to release the lock.
const LOCK_TIMEOUT: Duration = Duration::from_secs(30);
/// Overrides [`LOCK_TIMEOUT`], in milliseconds: for tests of a busy lock, and
/// for scripts that would rather fail fast than wait.
pub const LOCK_TIMEOUT_ENV: &str = "KITH_LOCK_TIMEOUT_MS";
/// Temp files start with this and the target's file name, so that a writer only
/// ever removes leftovers of its own ledger, never another ledger's live temp file.
pub(crate) use crate::shell::files::{TEMP_PREFIX, map_readonly};

/// How long a writer waits for the lock before saying that it waits.
const LOCK_QUIET_WAIT: Duration = Duration::from_millis(500);

/// What the store calls after each write that changed the ledger: the ledger's
/// path, its settings as written, and the write's one-line summary. The
/// binary wires the git auto-commit here ([`crate::shell::git::after_write`]);
/// the store itself starts no process.
pub type AfterWrite = fn(&Path, &Settings, &str);

/// A ledger file and its sidecars.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
    /// Whether reads may answer from the binary snapshot and writes keep it
    /// (`--no-cache` turns it off for one command).
    snapshot: bool,
    after_write: Option<AfterWrite>,
    /// `--quiet`: no "waiting for another kith" line.
    quiet: bool,
    /// Human output: [`Store::load_for_read`] escapes the ledger's text.
    for_display: bool,
}

impl Store {
    /// The ledger at `explicit` (from `--ledger` or `KITH_LEDGER`), else the
    /// platform data dir.
    pub fn locate(explicit: Option<PathBuf>) -> Result<Store> {
        let path = match explicit {
            Some(path) if path.as_os_str().is_empty() => bail!("the ledger path is empty"),
            Some(path) => path,
            None => directories::ProjectDirs::from("", "", "kith")
                .ok_or_else(|| {
                    Error::failure("could not find a home folder for the ledger")
                        .hint("pass --ledger PATH or set KITH_LEDGER")
                })?
                .data_dir()
                .join("ledger.json"),
        };
        Ok(Store::at(path))
    }

    pub fn at(path: impl Into<PathBuf>) -> Store {
        Store {
            path: path.into(),
            snapshot: true,
            after_write: None,
            quiet: false,
            for_display: false,
        }
    }

    /// The same store, whose [`Store::load_for_read`] escapes every text for
    /// a human renderer (see `view::escape::ledger_for_display`); set when
    /// the output is not JSON.
    pub fn for_display(mut self, for_display: bool) -> Store {
        self.for_display = for_display;
        self
    }

    /// The same store, silent while it waits for the lock (`--quiet`).
    pub fn quiet(mut self, quiet: bool) -> Store {
        self.quiet = quiet;
        self
    }

    /// This store with the snapshot neither read nor written (`--no-cache`).
    pub fn without_snapshot(mut self) -> Store {
        self.snapshot = false;
        self
    }

    /// The same store, calling `hook` after every write that changed the
    /// ledger (and after an undo). A hook cannot fail the write.
    pub fn after_write(self, hook: AfterWrite) -> Store {
        Store {
            after_write: Some(hook),
            ..self
        }
    }

    fn wrote(&self, settings: &Settings, summary: &str) {
        if let Some(hook) = self.after_write {
            hook(&self.path, settings, summary);
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the previous version is kept.
    pub fn backup_path(&self) -> PathBuf {
        sidecar(&self.real_path(), ".bak")
    }

    fn lock_path(&self) -> PathBuf {
        sidecar(&self.real_path(), ".lock")
    }

    fn journal_path(&self) -> PathBuf {
        sidecar(&self.real_path(), ".undo")
    }

    /// Where the disposable binary snapshot of the ledger is kept.
    pub fn snapshot_path(&self) -> PathBuf {
        snapshot::path_of(&self.real_path())
    }

    /// The file writes go to: a symlinked ledger is written through the link,
    /// so the link stays and its target is replaced.
    fn real_path(&self) -> PathBuf {
        let mut path = self.path.clone();
        for _ in 0..32 {
            match fs::read_link(&path) {
                Ok(target) => {
                    path = match path.parent() {
                        Some(dir) if target.is_relative() => dir.join(target),
                        _ => target,
                    }
                }
                Err(_) => break,
            }
        }
        path
    }

    /// Reads the ledger; a missing file is an empty ledger and is not created.
    pub fn load(&self) -> Result<Ledger> {
        Ok(self.load_bytes()?.1)
    }

    /// [`Store::load`] for a command that only reads: the ledger is never
    /// freed. Such a command ends the process right after, and the OS takes
    /// the memory back at once, where freeing 200,000 entries one allocation
    /// at a time cost a few percent of a read on a large ledger.
    ///
    /// It answers from the snapshot when one was built from exactly the
    /// ledger's bytes; else it parses the JSON and, when no writer holds the
    /// lock, rebuilds the snapshot for the next read.
    ///
    /// For human output (see [`Store::for_display`]) every text comes back
    /// escaped for the terminal.
    pub fn load_for_read(&self) -> Result<ManuallyDrop<Ledger>> {
        let mut ledger = self.load_for_read_exact()?;
        if self.for_display {
            crate::view::escape::ledger_for_display(&mut ledger);
        }
        Ok(ledger)
    }

    /// Runs `compute` on the ledger for a command that only reads, and
    /// returns its answer. The index lives until the process ends (see
    /// [`Store::load_for_read`]).
    ///
    /// When a snapshot was built from exactly the ledger's bytes, the index
    /// reads the entries in place from it: only the people and settings are
    /// decoded, and no entry is copied. For human output that needs the
    /// texts escaped (a ledger with control characters or over-long texts),
    /// or with no usable snapshot, it is built over the parsed ledger.
    ///
    /// From a snapshot, `compute` runs while the other core still checks
    /// the snapshot against the ledger's bytes; the answer is kept only when
    /// the check passes, else `compute` runs again on the parsed JSON. So
    /// `compute` should only compute (render into a buffer, not print), and
    /// a handler prints what it returns.
    pub fn read<T>(&self, compute: impl Fn(&Index<'static>) -> Result<T>) -> Result<T> {
        if self.snapshot
            && let Ok(file) = File::open(&self.path)
            && file.metadata().is_ok_and(|m| m.is_file())
        {
            let in_place = |opened: &snapshot::Opened| {
                (!self.for_display || opened.parts.clean()).then(|| {
                    compute(&Index::of_snapshot(
                        opened.parts,
                        opened.people,
                        opened.settings,
                    ))
                })
            };
            match snapshot::with_open(&self.snapshot_path(), &file, in_place) {
                Ok((_, Some(answer))) => {
                    snapshot::trace("used");
                    return answer;
                }
                Ok((opened, None)) => {
                    if let Ok(mut ledger) = snapshot::decode(&opened) {
                        snapshot::trace("used, decoded: texts to escape");
                        crate::view::escape::ledger_for_display(&mut ledger);
                        return compute(&Index::new(Box::leak(Box::new(ledger))));
                    }
                }
                Err(miss) => {
                    let Some(bytes) = self.ledger_bytes()? else {
                        return compute(&Index::new(Box::leak(Box::default())));
                    };
                    // The answer comes from the parsed ledger while the other
                    // core writes the snapshot for the next read.
                    let bytes: &'static FileBytes = Box::leak(Box::new(bytes));
                    let ledger: &'static Ledger = Box::leak(Box::new(
                        parse_ledger(bytes).map_err(|err| self.explain(err))?,
                    ));
                    self.rebuild_in_background(ledger, bytes, miss);
                    if self.for_display && !crate::core::snapshot::shown_as_is(ledger) {
                        let mut shown = ledger.clone();
                        crate::view::escape::ledger_for_display(&mut shown);
                        return compute(&Index::new(Box::leak(Box::new(shown))));
                    }
                    return compute(&Index::new(ledger));
                }
            }
        }
        let ledger = ManuallyDrop::into_inner(self.load_for_read()?);
        compute(&Index::new(Box::leak(Box::new(ledger))))
    }

    /// [`Store::load_for_read`] with the text as stored.
    fn load_for_read_exact(&self) -> Result<ManuallyDrop<Ledger>> {
        if !self.snapshot {
            return Ok(ManuallyDrop::new(self.load()?));
        }
        let Some(bytes) = self.ledger_bytes()? else {
            return Ok(ManuallyDrop::new(Ledger::default()));
        };
        let path = self.snapshot_path();
        let miss = match snapshot::read(&path, &bytes) {
            Ok(loaded) => {
                snapshot::trace("used");
                return Ok(ManuallyDrop::new(loaded.ledger));
            }
            Err(miss) => miss,
        };
        Ok(ManuallyDrop::new(self.parse_and_rebuild(&bytes, miss)?))
    }

    /// Whether a read that found the snapshot `miss`ing may rebuild it: the
    /// lock to hold while it writes, when the settings allow a snapshot and
    /// no writer holds the lock. Turned off by hand in the file, a leftover
    /// is removed (it only takes space).
    fn may_rebuild(&self, settings: &Settings, miss: snapshot::Miss) -> Option<File> {
        if !crate::core::snapshot::enabled(settings) {
            snapshot::remove(&self.snapshot_path());
            snapshot::trace("off in the settings");
            return None;
        }
        let lock = self.try_lock();
        match lock {
            Some(_) => snapshot::trace(format_args!("{miss:?}; rebuilt")),
            None => snapshot::trace(format_args!(
                "{miss:?}; not rebuilt: a writer holds the lock"
            )),
        }
        lock
    }

    /// Writes the snapshot of `ledger` (parsed from `bytes`) on another
    /// thread when [`Store::may_rebuild`] allows it;
    /// `shell::snapshot::finish` waits for it before the process exits.
    fn rebuild_in_background(
        &self,
        ledger: &'static Ledger,
        bytes: &'static [u8],
        miss: snapshot::Miss,
    ) {
        if let Some(lock) = self.may_rebuild(&ledger.settings, miss) {
            let path = self.snapshot_path();
            snapshot::spawn(move || {
                snapshot::write(&path, ledger, bytes);
                drop(lock);
            });
        }
    }

    /// Parses the ledger's `bytes` after the snapshot missed, and rebuilds
    /// the snapshot when [`Store::may_rebuild`] allows it.
    fn parse_and_rebuild(&self, bytes: &[u8], miss: snapshot::Miss) -> Result<Ledger> {
        let ledger = parse_ledger(bytes).map_err(|err| self.explain(err))?;
        if let Some(_lock) = self.may_rebuild(&ledger.settings, miss) {
            snapshot::write(&self.snapshot_path(), &ledger, bytes);
        }
        Ok(ledger)
    }

    /// The ledger the snapshot holds, when there is one built from the
    /// ledger's exact bytes (stamp and checksum as a read checks them), for
    /// `kith doctor` to compare with the JSON.
    pub fn snapshot_ledger(&self) -> Option<Ledger> {
        if !self.snapshot {
            return None;
        }
        let bytes = self.ledger_bytes().ok()??;
        snapshot::read(&self.snapshot_path(), &bytes)
            .ok()
            .map(|loaded| loaded.ledger)
    }

    /// Reads the ledger without refusing duplicate or dangling ids, for
    /// `kith doctor` only (see `core::doctor`). Nothing is ever saved from it.
    pub fn load_unchecked(&self) -> Result<Ledger> {
        let Some(bytes) = self.ledger_bytes()? else {
            return Ok(Ledger::default());
        };
        crate::core::model::parse_ledger_unchecked(&bytes).map_err(|err| self.explain(err))
    }

    /// The ledger for a write, under the lock: from the snapshot when it
    /// describes the file's bytes, else parsed. The flag says whether the
    /// file exists; the bytes come along when they are kith's canonical
    /// text, for [`splice`].
    fn load_for_write(&self) -> Result<(bool, Ledger, Option<FileBytes>)> {
        let Some(bytes) = self.ledger_bytes()? else {
            return Ok((false, Ledger::default(), None));
        };
        if self.snapshot
            && let Ok(loaded) = snapshot::read(&self.snapshot_path(), &bytes)
        {
            return Ok((true, loaded.ledger, loaded.canonical.then_some(bytes)));
        }
        let ledger = parse_ledger(&bytes).map_err(|err| self.explain(err))?;
        Ok((true, ledger, None))
    }

    /// Reads and parses the ledger; the flag says whether the file exists.
    fn load_bytes(&self) -> Result<(bool, Ledger)> {
        let Some(bytes) = self.ledger_bytes()? else {
            return Ok((false, Ledger::default()));
        };
        let ledger = parse_ledger(&bytes).map_err(|err| self.explain(err))?;
        Ok((true, ledger))
    }

    /// The ledger file's bytes; `None` when there is no file.
    fn ledger_bytes(&self) -> Result<Option<FileBytes>> {
        let bytes = match self.read_bytes() {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == ErrorKind::NotFound => return Ok(None),
            Err(err) if err.kind() == ErrorKind::IsADirectory || self.path.is_dir() => {
                bail!(
                    "the ledger `{}` is a directory, not a file",
                    self.path.display()
                )
            }
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("could not read ledger `{}`", self.path.display()));
            }
        };
        Ok(Some(bytes))
    }

    /// Lends the ledger file's raw bytes (mapped when it can be) to `read`,
    /// without parsing them: for readers that need only part of the file,
    /// such as shell completion.
    pub fn with_bytes<T>(&self, read: impl FnOnce(&[u8]) -> T) -> std::io::Result<T> {
        let bytes = self.read_bytes()?;
        Ok(read(&bytes))
    }

    /// The file's bytes: memory-mapped when it is a regular, non-empty file
    /// (no copy of 64 MB through `read`, and a page fault per 64 KB of page
    /// cache instead of one per 4 KB of fresh heap), else read.
    fn read_bytes(&self) -> std::io::Result<FileBytes> {
        let mut file = File::open(&self.path)?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(ErrorKind::IsADirectory.into());
        }
        if meta.is_file()
            && meta.len() > 0
            && let Some(map) = map_readonly(&file)
        {
            return Ok(FileBytes::Mapped(map));
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes)?;
        Ok(FileBytes::Read(bytes))
    }

    fn explain(&self, err: ParseError) -> anyhow::Error {
        let unreadable = Error::unreadable(err.describe(Some(&self.path.display().to_string())));
        let backup = self.backup_path();
        let mut hinted = match &err {
            ParseError::Newer(_) => unreadable.hint("upgrade kith; the file is left untouched"),
            ParseError::Inconsistent(_) => unreadable
                .hint("`kith doctor` lists every problem in the file with its fix; kith will not write over it"),
            _ => unreadable,
        };
        if !matches!(err, ParseError::Newer(_)) {
            // Point at the backup only after reading it: a backup that does
            // not load either is no way back.
            hinted = match fs::read(&backup) {
                Ok(bytes) => match parse_ledger(&bytes) {
                    Ok(_) => hinted.hint(format!(
                        "the previous version, kept in `{}`, loads: compare the two, or copy it back",
                        backup.display()
                    )),
                    Err(backup_err) => hinted.hint(format!(
                        "the backup `{}` does not load either ({}); fix the ledger by hand, kith will not write over it",
                        backup.display(),
                        backup_err.describe(None).replace("the ledger ", "")
                    )),
                },
                Err(_) => hinted.hint("there is no backup; fix the file by hand, kith will not write over it"),
            };
        }
        hinted.into()
    }

    /// Applies `change` to the ledger under the lock and saves the result.
    ///
    /// `change` returns its output and a one-line summary for the undo journal.
    /// When it fails, or leaves the ledger as it was, nothing is written.
    pub fn update<T>(&self, change: impl FnOnce(&mut Ledger) -> Result<(T, String)>) -> Result<T> {
        Ok(self.write(change, Journaling::Record)?.0)
    }

    /// [`Store::update`], also saying what the write touched (for `--json`).
    pub fn update_written<T>(
        &self,
        change: impl FnOnce(&mut Ledger) -> Result<(T, String)>,
    ) -> Result<(T, Vec<Written>)> {
        self.write(change, Journaling::Record)
    }

    /// Like [`Store::update`] for deletions that must not linger (`forget`):
    /// the change is not undoable, and every earlier undo step that mentions a
    /// deleted person or entry is dropped from the journal, so after the next
    /// write (which replaces `.bak`) no copy of them is left.
    pub fn update_forgetting<T>(
        &self,
        change: impl FnOnce(&mut Ledger) -> Result<(T, String)>,
    ) -> Result<T> {
        Ok(self.write(change, Journaling::Forget)?.0)
    }

    /// [`Store::update_forgetting`], also saying what the write touched.
    pub fn update_forgetting_written<T>(
        &self,
        change: impl FnOnce(&mut Ledger) -> Result<(T, String)>,
    ) -> Result<(T, Vec<Written>)> {
        self.write(change, Journaling::Forget)
    }

    fn write<T>(
        &self,
        change: impl FnOnce(&mut Ledger) -> Result<(T, String)>,
        journaling: Journaling,
    ) -> Result<(T, Vec<Written>)> {
        let _lock = self.lock()?;
        self.remove_stale_temp_files();
        // The ledger comes from its snapshot when one describes the file,
        // else from the JSON; the file's bytes are kept (mapped) only when
        // kith wrote them, so the new text can be spliced from them.
        let (existed, mut after, text) = self.load_for_write()?;
        // What the ledger was, for the undo step and the splice. Over text
        // kith wrote, the entries are not copied: their prints find the few
        // a write changed, and those are read back from the old text.
        let before = match &text {
            Some(_) => Before::Printed {
                kith: after.kith,
                settings: after.settings.clone(),
                extra: after.extra.clone(),
                people: after.people.clone(),
                prints: prints_of(&after.entries),
            },
            None => Before::Copied(after.clone()),
        };
        let (output, summary) = change(&mut after)?;
        after.sort_entries();
        let diff = match (&before, text.as_deref()) {
            (
                Before::Printed {
                    settings,
                    people,
                    prints,
                    ..
                },
                Some(text),
            ) => {
                let ends = ends_of(prints, &after.entries);
                let count = prints.len();
                let range = ends.head..count.saturating_sub(ends.tail);
                let old_middle = match entries_in(text, count, range.clone()) {
                    Some(middle) => middle,
                    // Not laid out as its snapshot said: read all of it.
                    None => parse_ledger(text)
                        .map_err(|err| self.explain(err))?
                        .entries
                        .get(range)
                        .unwrap_or_default()
                        .to_vec(),
                };
                LedgerDiff::with_old_middle(people, settings, ends, count, &old_middle, &after)
                    .ok_or_else(|| {
                        Error::failure("could not tell what the write changed; nothing was saved")
                    })?
            }
            (Before::Copied(before), _) => LedgerDiff::between(before, &after),
            (Before::Printed { .. }, None) => {
                return Err(Error::failure(
                    "could not tell what the write changed; nothing was saved",
                )
                .into());
            }
        };
        let (people_ends, entry_ends) = (diff.people_ends, diff.entry_ends);
        // The undo diff already compares every object: no step and the same
        // top-level fields means nothing changed, without a second full compare.
        let step = undo::Step::of_diff(diff, summary, chrono::Utc::now());
        let (kith, extra) = before.top();
        if step.is_none() && after.kith == kith && &after.extra == extra {
            return Ok((output, Vec::new()));
        }
        // Appending one entry to a 60 MB ledger prints that entry, not the
        // ledger: the rest of the new file is written from the old file's
        // mapped pages (the old file is replaced by rename, never changed,
        // so they hold still).
        let spliced = text
            .as_deref()
            .and_then(|text| splice_at(before.shape(), text, &after, people_ends, entry_ends));
        snapshot::trace(if spliced.is_some() {
            "write spliced"
        } else {
            "write printed"
        });
        let touched = step
            .as_ref()
            .map(|step| written::of_step(&after, step))
            .unwrap_or_default();
        // The old ledger is freed on the side while the new one is saved.
        free_aside(before);
        self.save_locked(&after, existed, spliced.as_ref())?;
        drop(spliced);
        drop(text);
        // The journal is a convenience: a failure to keep it must not fail the write.
        if let Some(step) = step {
            let summary = step.summary.clone();
            let mut journal = match self.read_journal() {
                Ok(journal) => journal,
                Err(JournalError::Corrupt(_)) => {
                    self.set_corrupt_journal_aside();
                    Journal::default()
                }
                Err(JournalError::Io(_)) => Journal::default(),
            };
            match journaling {
                Journaling::Record => journal.push(step),
                Journaling::Forget => {
                    journal.forget(&step.deleted_ids());
                    // The barrier names no one: nothing of the forgotten is kept.
                    journal.push_barrier("kith forget".to_string(), step.at);
                }
            }
            let _ = self.write_journal(&journal);
            self.wrote(&after.settings, &summary);
        }
        free_aside(after);
        Ok((output, touched))
    }

    /// Reverts the newest journal step, if the ledger still holds what it wrote.
    pub fn undo(&self) -> Result<String> {
        Ok(self.undo_step(None)?.0)
    }

    /// [`Store::undo`], also saying what the undo touched (for `--json`).
    pub fn undo_written(&self) -> Result<(String, Vec<Written>)> {
        self.undo_step(None)
    }

    /// Like [`Store::undo`], but only when the newest step is the one whose
    /// summary is `expected` (the last change a `kith review` made): a write
    /// from elsewhere in between is never taken back by mistake.
    pub fn undo_expecting(&self, expected: &str) -> Result<String> {
        Ok(self.undo_step(Some(expected))?.0)
    }

    fn undo_step(&self, expected: Option<&str>) -> Result<(String, Vec<Written>)> {
        let _lock = self.lock()?;
        let (existed, mut ledger, _) = self.load_for_write()?;
        let mut journal = match self.read_journal() {
            Ok(journal) => journal,
            Err(JournalError::Corrupt(err)) => {
                return Err(Error::failure(format!(
                    "cannot undo: the undo journal `{}` does not parse ({err}); nothing was undone",
                    self.journal_path().display()
                ))
                .hint("the next change moves it aside and starts a fresh journal")
                .into());
            }
            Err(JournalError::Io(err)) => {
                return Err(err).with_context(|| {
                    format!(
                        "could not read the undo journal `{}`",
                        self.journal_path().display()
                    )
                });
            }
        };
        let Some(step) = journal.take_newest()? else {
            return Err(Error::failure("nothing to undo")
                .hint("undo reverts changes made with this ledger on this machine")
                .into());
        };
        if let Some(expected) = expected.filter(|e| *e != step.summary) {
            return Err(Error::failure(format!(
                "the newest change is not `{expected}` but `{}`",
                step.summary
            ))
            .hint("`kith undo` takes back the newest change, whoever made it")
            .into());
        }
        step.revert(&mut ledger)?;
        ledger.sort_entries();
        self.save_locked(&ledger, existed, None)?;
        self.write_journal(&journal)?;
        self.wrote(&ledger.settings, &format!("undo: {}", step.summary));
        let touched = written::of_step(&ledger, &step.reversed());
        Ok((step.summary, touched))
    }

    /// Replaces the whole ledger (imports of a full file, merges), under the lock.
    pub fn replace(&self, ledger: &Ledger) -> Result<()> {
        let _lock = self.lock()?;
        let exists = self.real_path().exists();
        self.save_locked(ledger, exists, None)
    }

    /// Runs `work` holding the ledger lock, for an operation outside the
    /// store that must not race a write (`kith sync`): while it runs no kith
    /// writes the ledger, and `work` changes the file only through
    /// [`Locked::save_bytes`], the same atomic save every write uses.
    pub fn locked<T>(&self, work: impl FnOnce(&Locked<'_>) -> Result<T>) -> Result<T> {
        let _lock = self.lock()?;
        self.remove_stale_temp_files();
        work(&Locked { store: self })
    }

    /// The undo journal; a missing one is empty, a corrupt one is an error
    /// (never read as empty: that would silently drop the history).
    fn read_journal(&self) -> Result<Journal, JournalError> {
        match fs::read(self.journal_path()) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(JournalError::Corrupt),
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(Journal::default()),
            Err(err) => Err(JournalError::Io(err)),
        }
    }

    /// Moves a journal that does not parse to `ledger.json.undo.corrupt-DATE`
    /// (keeping it for a human to read), and says so.
    fn set_corrupt_journal_aside(&self) {
        let journal = self.journal_path();
        let date = chrono::Local::now().format("%Y-%m-%d");
        let mut aside = sidecar(&journal, &format!(".corrupt-{date}"));
        let mut n = 1;
        while aside.exists() && n < 100 {
            n += 1;
            aside = sidecar(&journal, &format!(".corrupt-{date}.{n}"));
        }
        match fs::rename(&journal, &aside) {
            Ok(()) => crate::shell::term::warn(&format!(
                "the undo journal `{}` did not parse; moved it to `{}` and started a new one",
                journal.display(),
                aside.display()
            )),
            Err(err) => crate::shell::term::warn(&format!(
                "the undo journal `{}` did not parse and could not be moved aside ({err}); starting a new one",
                journal.display()
            )),
        }
    }

    fn write_journal(&self, journal: &Journal) -> Result<()> {
        let bytes = serde_json::to_vec(journal)?;
        write_atomic(&self.journal_path(), &bytes, None)
    }

    /// Takes the exclusive sidecar lock, waiting a bounded time for another kith.
    fn lock(&self) -> Result<File> {
        let path = self.lock_path();
        if let Some(dir) = path.parent() {
            create_private_dir(dir)?;
        }
        let file = private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("could not open lock file `{}`", path.display()))?;
        let timeout = lock_timeout();
        let started = Instant::now();
        let mut said_waiting = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(err)) => {
                    return Err(err)
                        .with_context(|| format!("could not lock `{}`", path.display()));
                }
            }
            if started.elapsed() >= timeout {
                return Err(Error::new(
                    Kind::Busy,
                    format!(
                        "another kith has held the lock `{}` for {:.1} seconds; giving up",
                        path.display(),
                        timeout.as_secs_f64()
                    ),
                )
                .hint("if no kith is running, try again")
                .into());
            }
            // Short contention is normal and silent; one line after half a
            // second says why kith seems stuck.
            if !said_waiting && !self.quiet && started.elapsed() >= LOCK_QUIET_WAIT {
                crate::shell::term::note(&format!(
                    "waiting for another kith to finish (lock `{}`)",
                    path.display()
                ));
                said_waiting = true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The lock, if no one holds it now; `None` also when it cannot be
    /// opened (a read-only folder): for work that may be skipped.
    fn try_lock(&self) -> Option<File> {
        let file = private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(self.lock_path())
            .ok()?;
        file.try_lock().ok()?;
        Some(file)
    }

    /// Temp files left by a writer of this ledger (or its journal) that was
    /// killed; safe to remove under the lock. Other files are left alone.
    fn remove_stale_temp_files(&self) {
        let real = self.real_path();
        let prefixes = [
            temp_prefix(&real),
            temp_prefix(&self.journal_path()),
            temp_prefix(&self.snapshot_path()),
        ];
        let Some(dir) = real.parent() else { return };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let Ok(read) = fs::read_dir(dir) else { return };
        for item in read.flatten() {
            let name = item.file_name();
            let name = name.to_string_lossy();
            if prefixes
                .iter()
                .any(|prefix| name.starts_with(prefix.as_str()))
            {
                let _ = fs::remove_file(item.path());
            }
        }
    }

    /// Saves `ledger` under the lock; `text` is its canonical text when the
    /// caller already has it (spliced), else it is printed here.
    fn save_locked(
        &self,
        ledger: &Ledger,
        keep_backup: bool,
        text: Option<&Spliced>,
    ) -> Result<()> {
        let printed;
        let pieces: Vec<&[u8]> = match text {
            Some(text) => text.pieces().collect(),
            None => {
                printed = to_pretty_json(ledger)?;
                vec![&printed]
            }
        };
        let real = self.real_path();
        let backup = if keep_backup {
            Some(self.backup_path())
        } else {
            None
        };
        let path = self.snapshot_path();
        if !self.snapshot {
            return write_atomic_pieces(&real, &pieces, backup.as_deref())
                .with_context(|| format!("could not save ledger `{}`", self.path.display()));
        }
        if !crate::core::snapshot::enabled(&ledger.settings) {
            snapshot::remove(&path);
            return write_atomic_pieces(&real, &pieces, backup.as_deref())
                .with_context(|| format!("could not save ledger `{}`", self.path.display()));
        }
        // The snapshot is laid out and written to a temp file on the other
        // core while this one writes and fsyncs the ledger; it takes its
        // name only once the ledger did.
        std::thread::scope(|scope| {
            let staging = scope.spawn(|| {
                let snap = crate::core::snapshot::encode(ledger, stamp_of(&pieces), true)?;
                stage(&path, &snap).ok()
            });
            // Renamed over an old file, a new one is flushed at once (ext4's
            // auto_da_alloc: ~20 ms for 24 MB); renamed into a free name it
            // is not. The old one goes first, while the other core is still
            // encoding: a read meanwhile answers from the JSON, as it would
            // after the rename, when the old one no longer matches.
            snapshot::remove(&path);
            let saved = write_atomic_pieces(&real, &pieces, backup.as_deref())
                .with_context(|| format!("could not save ledger `{}`", self.path.display()));
            let staged = staging.join().ok().flatten();
            if saved.is_ok()
                && let Some(staged) = staged
            {
                // A temp file that cannot be renamed is removed when dropped.
                let _ = staged.persist(&path);
            }
            saved
        })
    }
}

/// Writes snapshot `bytes` to a temp file beside the snapshot at `path`
/// (mode 0600, no fsync: a snapshot cut short fails its checksum and is
/// rebuilt), for the caller to rename into place.
fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let prefix = temp_prefix(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    builder.permissions(private_permissions());
    let mut temp = builder.tempfile_in(dir)?;
    temp.write_all(bytes)?;
    Ok(temp)
}

/// The snapshot stamp of the text made of `pieces`: the same as
/// `Stamp::of` their concatenation, without concatenating them.
fn stamp_of(pieces: &[&[u8]]) -> crate::core::snapshot::Stamp {
    let mut stamper = crate::core::snapshot::Stamper::default();
    pieces.iter().for_each(|piece| stamper.feed(piece));
    stamper.stamp()
}

/// The ledger as it was before a write changed it.
enum Before {
    /// A whole copy.
    Copied(Ledger),
    /// All but the entries, which are only printed (see [`Prints`]).
    Printed {
        kith: u64,
        settings: Settings,
        extra: Extra,
        people: Vec<Person>,
        prints: Prints,
    },
}

impl Before {
    fn top(&self) -> (u64, &Extra) {
        match self {
            Before::Copied(ledger) => (ledger.kith, &ledger.extra),
            Before::Printed { kith, extra, .. } => (*kith, extra),
        }
    }

    /// What the splice needs of it.
    fn shape(&self) -> BeforeShape<'_> {
        match self {
            Before::Copied(ledger) => BeforeShape::of(ledger),
            Before::Printed {
                kith,
                settings,
                extra,
                people,
                prints,
            } => BeforeShape {
                kith: *kith,
                settings,
                extra,
                people,
                entries: prints.len(),
            },
        }
    }
}

/// The [`Prints`] of `entries`, made on two cores.
fn prints_of(entries: &[Entry]) -> Prints {
    let (first, second) = entries.split_at(entries.len() / 2);
    if second.len() < PRINT_SPLIT_AT {
        return Prints::of(entries);
    }
    std::thread::scope(|scope| {
        let printing = scope.spawn(|| Prints::of(second));
        let mut prints = Prints::of(first);
        match printing.join() {
            Ok(more) => prints.append(more),
            Err(_) => prints.append(Prints::of(second)),
        }
        prints
    })
}

/// The ends `prints` share with `after` ([`Prints::ends`]), the head
/// compared on two cores.
fn ends_of(prints: &Prints, after: &[Entry]) -> crate::core::diff::Ends {
    let shared = prints.len().min(after.len());
    let half = shared / 2;
    if half < PRINT_SPLIT_AT {
        return prints.ends(after);
    }
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| prints.common(after, half..shared));
        (prints.common(after, 0..half), second.join())
    });
    let head = match second {
        _ if first < half => first,
        Ok(second) => half + second,
        Err(_) => half + prints.common(after, half..shared),
    };
    prints.ends_after_head(after, head)
}

/// Below this many entries in each half one core prints them all.
const PRINT_SPLIT_AT: usize = 10_000;

/// Frees `value` on a thread of its own that nobody waits for: a ledger of
/// 200,000 entries takes some 15 ms to free one allocation at a time, and a
/// command that is about to end has better things to do. When no thread
/// can be started it is freed here.
fn free_aside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("kith-free".into())
        .spawn(move || drop(value));
}

/// The ledger while [`Store::locked`] holds its lock.
pub struct Locked<'a> {
    store: &'a Store,
}

impl Locked<'_> {
    /// Reads the ledger (refusing a file that does not parse).
    pub fn load(&self) -> Result<Ledger> {
        self.store.load()
    }

    /// Replaces the ledger's bytes atomically, keeping the old file as the
    /// backup; the bytes must parse as a ledger.
    pub fn save_bytes(&self, bytes: &[u8]) -> Result<()> {
        parse_ledger(bytes).map_err(|err| {
            Error::failure(format!(
                "refusing to save a ledger that does not parse: {err}"
            ))
        })?;
        let real = self.store.real_path();
        let backup = real.exists().then(|| self.store.backup_path());
        write_atomic(&real, bytes, backup.as_deref())
            .with_context(|| format!("could not save ledger `{}`", self.store.path.display()))
    }
}

/// Why the undo journal could not be read.
#[derive(Debug)]
enum JournalError {
    Corrupt(serde_json::Error),
    Io(std::io::Error),
}

/// What a write leaves in the undo journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Journaling {
    /// An undoable step.
    Record,
    /// No step, and earlier steps about what was deleted are dropped.
    Forget,
}

/// A ledger file's bytes, mapped or read.
enum FileBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(map) => map,
            FileBytes::Read(bytes) => bytes,
        }
    }
}

/// `.kith-tmp-ledger.json.`: the start of every temp file written for `target`.
fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{TEMP_PREFIX}{name}.")
}

/// The lock wait: [`LOCK_TIMEOUT`], or [`LOCK_TIMEOUT_ENV`] milliseconds.
fn lock_timeout() -> Duration {
    std::env::var(LOCK_TIMEOUT_ENV)
        .ok()
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .map_or(LOCK_TIMEOUT, Duration::from_millis)
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "ledger.json".into());
    name.push(suffix);
    path.with_file_name(name)
}

fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Creates `dir` and its missing parents with mode 0700.
fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("could not create folder `{}`", dir.display()))
}

/// Writes `bytes` to `path` so that readers see the old or the new file, never a
/// mix: temp file, fsync, (old file to `backup`), rename, fsync of the folder.
pub fn write_atomic(path: &Path, bytes: &[u8], backup: Option<&Path>) -> Result<()> {
    write_atomic_pieces(path, &[bytes], backup)
}

/// [`write_atomic`] of the concatenation of `pieces`.
fn write_atomic_pieces(path: &Path, pieces: &[&[u8]], backup: Option<&Path>) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    create_private_dir(&dir)?;
    let prefix = temp_prefix(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    builder.permissions(private_permissions());
    let mut temp = builder
        .tempfile_in(&dir)
        .with_context(|| format!("could not create a temp file in `{}`", dir.display()))?;
    for piece in pieces {
        temp.write_all(piece).with_context(|| {
            format!("could not write the temp file `{}`", temp.path().display())
        })?;
    }
    temp.as_file()
        .sync_all()
        .with_context(|| format!("could not fsync the temp file `{}`", temp.path().display()))?;
    if let Some(backup) = backup {
        keep_backup(path, backup)?;
    }
    temp.persist(path).map_err(|err| {
        anyhow::Error::new(err.error).context(format!(
            "could not rename the temp file over `{}`",
            path.display()
        ))
    })?;
    sync_dir(&dir);
    Ok(())
}

#[cfg(unix)]
fn private_permissions() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(0o600)
}

/// Keeps the current file as the backup: a hard link when the file system
/// allows (no copy of a large ledger), else a copy; replaced atomically.
fn keep_backup(path: &Path, backup: &Path) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let staging = sidecar(backup, ".new");
    let _ = fs::remove_file(&staging);
    if fs::hard_link(path, &staging).is_err() {
        fs::copy(path, &staging)
            .with_context(|| format!("could not keep a backup in `{}`", backup.display()))?;
    }
    set_private(&staging);
    fs::rename(&staging, backup)
        .with_context(|| format!("could not keep a backup in `{}`", backup.display()))?;
    // When the backup already is a hard link to the ledger (a writer was killed
    // between keeping its backup and replacing the ledger), POSIX rename of one
    // link over another of the same file does nothing and leaves the staging
    // name behind; the backup already holds the right bytes.
    let _ = fs::remove_file(&staging);
    Ok(())
}

fn set_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn sync_dir(dir: &Path) {
    // Directories cannot be opened for fsync everywhere; a failure here only
    // weakens durability after a power cut, never consistency.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeping_a_backup_that_already_links_the_ledger_leaves_no_staging_file() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("ledger.json");
        let backup = dir.path().join("ledger.json.bak");
        fs::write(&ledger, b"{}").unwrap();
        fs::hard_link(&ledger, &backup).unwrap();
        keep_backup(&ledger, &backup).unwrap();
        assert!(!sidecar(&backup, ".new").exists());
        assert_eq!(fs::read(&backup).unwrap(), b"{}");
    }

    proptest::proptest! {
        /// The stamp of a spliced save, hashed piece by piece, is the stamp
        /// of the file's bytes: else every write would leave a snapshot that
        /// the next read finds stale.
        #[test]
        fn the_stamp_of_pieces_is_the_stamp_of_their_bytes(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..3000),
            cuts in proptest::collection::vec(0usize..3000, 0..5),
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort_unstable();
            let mut pieces = Vec::new();
            let mut from = 0;
            for cut in cuts.into_iter().chain([bytes.len()]) {
                pieces.push(&bytes[from..cut]);
                from = cut;
            }
            proptest::prop_assert_eq!(
                stamp_of(&pieces),
                crate::core::snapshot::Stamp::of(&bytes)
            );
        }
    }

    #[test]
    fn a_write_from_pieces_saves_their_bytes_and_keeps_the_backup() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("ledger.json");
        let backup = dir.path().join("ledger.json.bak");
        fs::write(&ledger, b"old").unwrap();
        write_atomic_pieces(&ledger, &[b"ne", b"", b"w"], Some(&backup)).unwrap();
        assert_eq!(fs::read(&ledger).unwrap(), b"new");
        assert_eq!(fs::read(&backup).unwrap(), b"old");
    }

    #[test]
    fn the_ends_found_on_two_cores_are_the_ends() {
        use crate::core::diff::Ends;
        use crate::core::model::{Detail, Meeting};
        let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap();
        let entry = |n: usize| Entry {
            source_id: None,
            id: format!("e-{n:016x}"),
            person: "p-1".into(),
            date: now.date_naive(),
            recorded: now,
            updated: now,
            detail: Detail::Met(Meeting {
                how: crate::core::model::How::Call,
                note: None,
            }),
            extra: Default::default(),
        };
        let before: Vec<Entry> = (0..2 * PRINT_SPLIT_AT + 10).map(entry).collect();
        // Made on two cores: two runs of prints.
        let prints = prints_of(&before);
        assert_eq!(prints.len(), before.len());
        let n = before.len();
        for at in [
            0,
            5,
            PRINT_SPLIT_AT - 1,
            PRINT_SPLIT_AT,
            PRINT_SPLIT_AT + 7,
            n - 1,
        ] {
            let mut changed = before.clone();
            changed[at].person = "p-2".into();
            let mut removed = before.clone();
            removed.remove(at);
            let mut added = before.clone();
            added.insert(at, entry(n + 1));
            for after in [before.clone(), changed, removed, added] {
                assert_eq!(
                    ends_of(&prints, &after),
                    Ends::of(&before, &after),
                    "at {at}"
                );
            }
        }
    }
}
