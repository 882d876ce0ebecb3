//! Keeping one ledger on several machines through git.
//!
//! kith runs no sync server: the ledger's folder becomes a git repository,
//! `.gitattributes` routes the ledger through `kith merge` (the three-way merge
//! driver), and `kith sync` commits, pulls and pushes. This module is the only
//! code that runs `git` (through `std::process::Command`, never a shell of our
//! own); like the store it is part of the imperative shell. The one pure piece,
//! the commit message that summarises a change, is [`crate::core::diff::commit_message`].
//!
//! `kith sync` holds the ledger lock while it commits and merges, and git never
//! writes the ledger file (see [`sync`]): the ledger is either the local
//! version or the merged one, and no successful write is ever lost.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;

use crate::core::model::parse_ledger;
use crate::core::model::{Ledger, Settings};
use crate::error::Error;
use crate::shell::store::{Locked, Store};

/// The name of the merge driver in `.gitattributes` and the git config.
pub const DRIVER: &str = "kith";
/// Where the ledger sits in its repository.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The repository's top folder.
    pub root: PathBuf,
    /// The ledger's path relative to `root`, with `/` separators.
    pub ledger: String,
}

/// What `sync init` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InitReport {
    pub root: PathBuf,
    pub created_repository: bool,
    pub remote: Option<String>,
    pub committed: bool,
}

/// What `sync` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// The message of the commit of local changes, if there were any.
    pub committed: Option<String>,
    /// The remote used, if any.
    pub remote: Option<String>,
    /// How many commits came in from the remote.
    pub pulled: usize,
    /// Whether local commits were pushed.
    pub pushed: bool,
    /// What the merge reported (choices it made, likely duplicates).
    pub merge_notes: Vec<String>,
    /// How many problems `kith doctor` finds that the merge brought in.
    pub new_problems: usize,
}

fn run_git(dir: &Path, args: &[&OsStr]) -> Result<Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|err| {
            if err.kind() == std::io::ErrorKind::NotFound {
                Error::failure("git is not installed (or not on PATH)")
                    .hint("install git to sync the ledger, e.g. `apt install git` or https://git-scm.com")
                    .into()
            } else {
                anyhow!("could not run git: {err}")
            }
        })
}

/// Runs git and returns its trimmed stdout, or fails with its stderr.
fn git<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Result<String> {
    let args: Vec<&OsStr> = args.iter().map(AsRef::as_ref).collect();
    let output = run_git(dir, &args)?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    } else {
        let shown: Vec<String> = args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        bail!(
            "`git {}` failed: {}",
            shown.join(" "),
            last_lines(&output.stderr)
        )
    }
}

/// Runs git and says only whether it succeeded.
fn git_ok<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Result<bool> {
    let args: Vec<&OsStr> = args.iter().map(AsRef::as_ref).collect();
    Ok(run_git(dir, &args)?.status.success())
}

fn last_lines(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let start = lines.len().saturating_sub(3);
    lines.get(start..).unwrap_or_default().join("; ")
}

fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()
            .context("could not read the current folder")?
            .join(path))
    }
}

fn ledger_dir(ledger: &Path) -> Result<PathBuf> {
    let ledger = absolute(ledger)?;
    Ok(ledger
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/")))
}

/// The repository holding the ledger, if its folder is inside one.
pub fn find_repo(ledger: &Path) -> Result<Option<Repo>> {
    let dir = ledger_dir(ledger)?;
    if !dir.is_dir() {
        return Ok(None);
    }
    let args = ["rev-parse", "--show-toplevel"];
    if !git_ok(&dir, &args)? {
        return Ok(None);
    }
    let root = PathBuf::from(git(&dir, &args)?);
    Ok(Some(Repo {
        ledger: relative_to(&root, ledger)?,
        root,
    }))
}

/// `ledger` relative to `root`, with `/` separators, resolving symlinks.
fn relative_to(root: &Path, ledger: &Path) -> Result<String> {
    let ledger = absolute(ledger)?;
    let name = ledger
        .file_name()
        .ok_or_else(|| anyhow!("the ledger path `{}` has no file name", ledger.display()))?;
    let dir = ledger_dir(&ledger)?;
    let dir = dir.canonicalize().unwrap_or(dir);
    let root_canon = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let inside = dir.strip_prefix(&root_canon).map_err(|_| {
        Error::usage(format!(
            "the ledger `{}` is not inside `{}`",
            ledger.display(),
            root.display()
        ))
        .hint("run `kith sync init` without a folder to use the ledger's own folder")
    })?;
    let mut parts: Vec<String> = inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.push(name.to_string_lossy().into_owned());
    Ok(parts.join("/"))
}

/// A path as a `.gitignore` pattern. gitignore has no quoting: a space, a
/// glob character or a backslash is escaped with a backslash (a quoted line
/// would be read as a pattern starting with `"`, which matches nothing).
fn ignore_pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 4);
    for (at, c) in path.chars().enumerate() {
        let leading = at == 0 && matches!(c, '#' | '!');
        if leading || matches!(c, ' ' | '\t' | '\\' | '*' | '?' | '[') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A path as a `.gitattributes` pattern (quoted, C style, when it holds
/// spaces: gitattributes reads quoted patterns, unlike gitignore).
fn pattern(path: &str) -> String {
    if path.contains([' ', '\t', '"', '\\']) {
        let escaped = path.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{escaped}\"")
    } else {
        path.to_string()
    }
}

/// Quotes `text` for the POSIX shell git runs merge drivers with.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// Appends the lines `file` lacks; returns whether it changed.
fn ensure_lines(file: &Path, lines: &[String]) -> Result<bool> {
    let current = match fs::read_to_string(file) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => {
            return Err(err).with_context(|| format!("could not read `{}`", file.display()));
        }
    };
    let missing: Vec<&String> = lines
        .iter()
        .filter(|line| !current.lines().any(|l| l.trim() == line.trim()))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let mut text = current;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    fs::write(file, text).with_context(|| format!("could not write `{}`", file.display()))?;
    Ok(true)
}

/// Points the repository's `kith` merge driver at this kith binary.
fn configure_driver(repo: &Repo, exe: &Path) -> Result<()> {
    let driver = format!(
        "{} merge %O %A %B",
        shell_quote(&absolute(exe)?.to_string_lossy())
    );
    git(
        &repo.root,
        &["config", "merge.kith.name", "kith ledger three-way merge"],
    )?;
    git(
        &repo.root,
        &["config", "merge.kith.driver", driver.as_str()],
    )?;
    Ok(())
}

/// `git commit`, with a stand-in identity when the machine has none configured
/// (a sync must not fail on a fresh machine for want of a name).
fn commit(repo: &Repo, message: &str, paths: &[&str]) -> Result<bool> {
    git(&repo.root, &[&["add", "--"][..], paths].concat())?;
    let staged = !git_ok(
        &repo.root,
        &[&["diff", "--cached", "--quiet", "--"][..], paths].concat(),
    )?;
    if !staged {
        return Ok(false);
    }
    let mut args: Vec<&str> = Vec::new();
    if !git_ok(&repo.root, &["var", "GIT_AUTHOR_IDENT"])? {
        args.extend(["-c", "user.name=kith", "-c", "user.email=kith@localhost"]);
    }
    args.extend(["commit", "--quiet", "--no-verify", "-m", message, "--"]);
    args.extend(paths);
    git(&repo.root, &args)?;
    Ok(true)
}

/// The files kith commits: the ledger and its git set-up.
fn tracked_paths(repo: &Repo) -> Vec<&str> {
    let mut paths = vec![repo.ledger.as_str()];
    for extra in [".gitattributes", ".gitignore"] {
        if repo.root.join(extra).exists() {
            paths.push(extra);
        }
    }
    paths
}

/// `kith sync init [DIR] [--remote URL]`: makes the ledger's folder (or DIR,
/// which must hold the ledger) a git repository set up to merge the ledger.
pub fn init(
    store: &Store,
    dir: Option<&Path>,
    remote: Option<&str>,
    exe: &Path,
) -> Result<InitReport> {
    let ledger = absolute(store.path())?;
    let folder = match dir {
        Some(dir) => absolute(dir)?,
        None => ledger_dir(&ledger)?,
    };
    let mut report = InitReport::default();
    let root = if folder.is_dir() && git_ok(&folder, &["rev-parse", "--show-toplevel"])? {
        PathBuf::from(git(&folder, &["rev-parse", "--show-toplevel"])?)
    } else {
        // Check before creating anything that the ledger will be inside.
        relative_to(&folder, &ledger)?;
        fs::create_dir_all(&folder)
            .with_context(|| format!("could not create folder `{}`", folder.display()))?;
        git(&folder, &["init", "--quiet"])?;
        report.created_repository = true;
        folder.clone()
    };
    let repo = Repo {
        ledger: relative_to(&root, &ledger)?,
        root,
    };
    if !ledger.exists() {
        store.replace(&Ledger::default())?;
    }
    let name = pattern(&repo.ledger);
    ensure_lines(
        &repo.root.join(".gitattributes"),
        &[format!("{name} merge={DRIVER}")],
    )?;
    let ignored = |suffix: &str| ignore_pattern(&format!("/{}{suffix}", repo.ledger));
    ensure_lines(
        &repo.root.join(".gitignore"),
        &[
            ignored(".lock"),
            ignored(".bak"),
            ignored(".bak.new"),
            ignored(".snap"),
            "*.undo".to_string(),
            ".kith-tmp-*".to_string(),
        ],
    )?;
    configure_driver(&repo, exe)?;
    if let Some(url) = remote {
        let current = git(&repo.root, &["remote"])?;
        if current.lines().any(|r| r == "origin") {
            git(&repo.root, &["remote", "set-url", "origin", url])?;
        } else {
            git(&repo.root, &["remote", "add", "origin", url])?;
        }
        report.remote = Some(url.to_string());
    }
    report.committed = commit(&repo, "kith: set up sync", &tracked_paths(&repo))?;
    report.root = repo.root;
    Ok(report)
}

/// The ledger as of the last commit, or an empty one.
fn committed_ledger(repo: &Repo) -> Ledger {
    let spec = format!("HEAD:{}", repo.ledger);
    let output = run_git(&repo.root, &[OsStr::new("show"), OsStr::new(&spec)]);
    match output {
        Ok(out) if out.status.success() => parse_ledger(&out.stdout).unwrap_or_default(),
        _ => Ledger::default(),
    }
}

fn require_repo(store: &Store) -> Result<Repo> {
    match find_repo(store.path())? {
        Some(repo) => Ok(repo),
        None => Err(Error::failure(format!(
            "the ledger `{}` is not in a git repository",
            store.path().display()
        ))
        .hint("run `kith sync init` first (add `--remote URL` to share it)")
        .into()),
    }
}

/// `kith sync`: commits local changes, merges the remote's and pushes the
/// result.
///
/// Everything that reads or writes the ledger file, the index or HEAD runs
/// under the ledger lock, and git never writes the ledger file: the merge is
/// computed in a temporary index (`git merge-tree` for the other files, kith's
/// own merge for the ledger), the merged ledger is saved through the store's
/// atomic save, and only then does the branch move to the merge commit. A
/// writer waits for the lock and then writes over the merged ledger; a reader
/// sees the old or the new file, never a missing or half-written one. The
/// fetch and the push, which touch only refs and objects, run outside it.
pub fn sync(store: &Store, exe: &Path) -> Result<SyncReport> {
    let repo = require_repo(store)?;
    if git_ok(&repo.root, &["rev-parse", "-q", "--verify", "MERGE_HEAD"])? {
        return Err(Error::failure(format!(
            "a git merge is already in progress in `{}`",
            repo.root.display()
        ))
        .hint("finish it or run `git merge --abort` there, then sync again")
        .into());
    }
    configure_driver(&repo, exe)?;
    let mut report = SyncReport::default();
    let remotes = git(&repo.root, &["remote"])?;
    let remote = remotes
        .lines()
        .find(|r| *r == "origin")
        .or_else(|| remotes.lines().next())
        .map(str::to_string);
    // A push the remote refuses because another machine pushed meanwhile is
    // fetched, merged and pushed again, a few times.
    for attempt in 1..=PUSH_ATTEMPTS {
        match sync_round(store, &repo, remote.as_deref(), &mut report)? {
            Round::Done => return Ok(report),
            Round::Rejected(err) if attempt < PUSH_ATTEMPTS => drop(err),
            Round::Rejected(err) => return Err(err),
        }
    }
    Ok(report)
}

/// How many times `kith sync` tries a push the remote refuses as not a
/// fast-forward.
const PUSH_ATTEMPTS: usize = 3;

/// How one fetch-merge-push round of [`sync`] ended.
enum Round {
    Done,
    /// The remote moved while this round merged: fetch and merge again.
    Rejected(anyhow::Error),
}

fn sync_round(
    store: &Store,
    repo: &Repo,
    remote: Option<&str>,
    report: &mut SyncReport,
) -> Result<Round> {
    let repo = repo.clone();
    let remote = remote.map(str::to_string);
    let mut fetched = Ok(None);
    if let Some(remote) = &remote {
        report.remote = Some(remote.clone());
        let branch =
            git(&repo.root, &["symbolic-ref", "--quiet", "--short", "HEAD"]).map_err(|_| {
                Error::failure(format!(
                    "the repository `{}` is not on a branch",
                    repo.root.display()
                ))
                .hint("check out a branch there, then sync again")
            })?;
        fetched = match git(&repo.root, &["fetch", "--quiet", remote.as_str()]) {
            Ok(_) => Ok(Some(branch)),
            Err(err) => Err(err),
        };
    }

    let tracking = match &fetched {
        Ok(Some(branch)) => remote
            .as_ref()
            .map(|remote| format!("refs/remotes/{remote}/{branch}")),
        _ => None,
    };
    store.locked(|locked| {
        // Validate before touching git: a broken ledger must not be committed.
        let current = locked.load()?;
        let message = crate::core::diff::commit_message(&committed_ledger(&repo), &current);
        if commit(&repo, &message, &tracked_paths(&repo))? {
            report.committed = Some(message);
        }
        let Some(tracking) = &tracking else {
            return Ok(());
        };
        if !git_ok(
            &repo.root,
            &["rev-parse", "-q", "--verify", tracking.as_str()],
        )? {
            return Ok(());
        }
        let range = format!("HEAD..{tracking}");
        let pulled: usize = git(&repo.root, &["rev-list", "--count", range.as_str()])?
            .parse()
            .unwrap_or(0);
        report.pulled += pulled;
        if pulled > 0 {
            merge_remote(locked, &repo, tracking, current, report)?;
        }
        Ok(())
    })?;

    let (remote, branch) = match (remote, fetched) {
        (None, _) => return Ok(Round::Done),
        (Some(remote), Err(err)) => {
            let url = git(&repo.root, &["remote", "get-url", remote.as_str()]).unwrap_or_default();
            return Err(Error::failure(format!(
                "could not reach the remote `{remote}` ({url}): {err}"
            ))
            .hint(format!(
                "check the network and the URL (`git -C {} remote -v`); your changes are committed locally",
                repo.root.display()
            ))
            .into());
        }
        (Some(remote), Ok(branch)) => (remote, branch.unwrap_or_default()),
    };
    let tracking = format!("refs/remotes/{remote}/{branch}");
    let ahead = if git_ok(
        &repo.root,
        &["rev-parse", "-q", "--verify", tracking.as_str()],
    )? {
        let range = format!("{tracking}..HEAD");
        git(&repo.root, &["rev-list", "--count", range.as_str()])?
            .parse::<usize>()
            .unwrap_or(0)
            > 0
    } else {
        true
    };
    if ahead {
        let refspec = format!("HEAD:refs/heads/{branch}");
        if let Err(err) = git(
            &repo.root,
            &["push", "--quiet", "-u", remote.as_str(), refspec.as_str()],
        ) {
            let text = err.to_string();
            let moved = ["rejected", "fetch first", "non-fast-forward"]
                .iter()
                .any(|sign| text.contains(sign));
            let err: anyhow::Error =
                Error::failure(format!("could not push to the remote `{remote}`: {err}"))
                    .hint("someone may have pushed meanwhile; run `kith sync` again")
                    .into();
            return if moved {
                Ok(Round::Rejected(err))
            } else {
                Err(err)
            };
        }
        report.pushed = true;
    }
    Ok(Round::Done)
}

/// Merges the fetched branch into HEAD under the ledger lock, without git
/// writing the ledger file (see [`sync`]). On any failure before the branch
/// moves, the ledger file, the index and HEAD are as they were.
fn merge_remote(
    locked: &Locked<'_>,
    repo: &Repo,
    tracking: &str,
    ours: Ledger,
    report: &mut SyncReport,
) -> Result<()> {
    let root = &repo.root;
    let head = git(root, &["rev-parse", "HEAD"])?;
    let theirs_commit = git(root, &["rev-parse", tracking])?;
    let fast_forward = git_ok(root, &["merge-base", "--is-ancestor", "HEAD", tracking])?;

    // The other files: git's own merge, in memory. A conflict in them stops
    // the sync before anything changes.
    let (tree, ledger_bytes) = if fast_forward {
        let tree = git(root, &["rev-parse", &format!("{theirs_commit}^{{tree}}")])?;
        let bytes = show_file(root, &theirs_commit, &repo.ledger)?.unwrap_or_default();
        (tree, bytes)
    } else {
        let output = run_git(
            root,
            &[
                "merge-tree",
                "--write-tree",
                "--name-only",
                "--no-messages",
                "--allow-unrelated-histories",
                "HEAD",
                tracking,
            ]
            .map(OsStr::new),
        )?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let mut lines = stdout.lines();
        let tree = lines.next().unwrap_or_default().trim().to_string();
        let conflicted: Vec<&str> = lines
            .take_while(|l| !l.is_empty())
            .filter(|path| *path != repo.ledger)
            .collect();
        match output.status.code() {
            Some(0) | Some(1) if !tree.is_empty() && conflicted.is_empty() => {}
            Some(1) => {
                return Err(Error::failure(format!(
                    "could not merge the remote's changes: git cannot merge `{}` (changed on both sides); nothing was merged, and the ledger holds every change made here",
                    conflicted.join("`, `"),
                ))
                .hint(format!(
                    "merge those files with git in `{}` (`git merge {tracking}`), then sync again",
                    root.display()
                ))
                .into());
            }
            _ => {
                return Err(Error::failure(format!(
                    "could not merge the remote's changes (`git merge-tree` failed: {}); nothing was merged, and the ledger holds every change made here",
                    last_lines(&output.stderr)
                ))
                .hint("kith needs git 2.38 or newer to sync")
                .into());
            }
        }
        // The ledger: kith's three-way merge of the base, this ledger (every
        // write made here, committed above) and theirs.
        let base = match git(root, &["merge-base", "HEAD", tracking]) {
            Ok(base) => side(root, &base, &repo.ledger, "the common ancestor")?,
            Err(_) => Ledger::default(),
        };
        let theirs = side(root, &theirs_commit, &repo.ledger, "the remote")?;
        let outcome = crate::core::merge::merge(&base, &ours, &theirs);
        report.merge_notes.extend(merge_notes(&outcome));
        let bytes = crate::core::model::to_pretty_json(&outcome.ledger)?;
        (tree, bytes)
    };
    let merged = if ledger_bytes.is_empty() {
        ours.clone()
    } else {
        parse_ledger(&ledger_bytes).map_err(|err| {
            anyhow!("the remote's ledger does not load ({err}); nothing was merged, and the ledger holds every change made here")
        })?
    };
    let today = chrono::Local::now().date_naive();
    let before = crate::core::doctor::diagnose(&ours, today);
    let after = crate::core::doctor::diagnose(&merged, today);
    report.new_problems += crate::core::doctor::new_problems(&before, &after).len();

    // Files the merge changes besides the ledger must not hold uncommitted
    // edits, which checking them out would overwrite.
    let changed = git(root, &["diff", "--name-only", "HEAD", tree.as_str()])?;
    let others: Vec<&str> = changed
        .lines()
        .filter(|p| !p.is_empty() && *p != repo.ledger)
        .collect();
    if !others.is_empty()
        && !git_ok(
            root,
            &[&["diff", "--quiet", "HEAD", "--"][..], &others].concat(),
        )?
    {
        return Err(Error::failure(format!(
            "could not merge the remote's changes: `{}` has uncommitted changes the merge would overwrite; nothing was merged, and the ledger holds every change made here",
            others.join("`, `"),
        ))
        .hint(format!(
            "commit or stash them in `{}`, then sync again",
            root.display()
        ))
        .into());
    }

    let new_head = if fast_forward {
        theirs_commit.clone()
    } else {
        let bytes = crate::core::model::to_pretty_json(&merged)?;
        let blob = git_input(root, &["hash-object", "-w", "--stdin"], &[], &bytes)?;
        let index = temp_index(root)?;
        let env = [("GIT_INDEX_FILE", index.as_os_str())];
        git_input(root, &["read-tree", tree.as_str()], &env, &[])?;
        let cacheinfo = format!("100644,{blob},{}", repo.ledger);
        git_input(
            root,
            &["update-index", "--add", "--cacheinfo", cacheinfo.as_str()],
            &env,
            &[],
        )?;
        let merged_tree = git_input(root, &["write-tree"], &env, &[])?;
        let _ = fs::remove_file(&index);
        let mut args: Vec<&str> = Vec::new();
        if !git_ok(root, &["var", "GIT_COMMITTER_IDENT"])? {
            args.extend(["-c", "user.name=kith", "-c", "user.email=kith@localhost"]);
        }
        args.extend([
            "commit-tree",
            merged_tree.as_str(),
            "-p",
            head.as_str(),
            "-p",
            theirs_commit.as_str(),
            "-m",
            "kith: merge synced changes",
        ]);
        let commit = git(root, &args)?;
        // The ledger file first, through the store's atomic save: a crash
        // after it leaves a merged ledger that the next sync commits again,
        // never an old ledger under a merged HEAD (which would read as local
        // changes reverting the remote's).
        locked.save_bytes(&bytes)?;
        commit
    };
    if fast_forward {
        locked.save_bytes(&ledger_bytes)?;
    }
    let branch_ref = git(root, &["symbolic-ref", "HEAD"])?;
    git(
        root,
        &[
            "update-ref",
            "-m",
            "kith sync: merge",
            branch_ref.as_str(),
            new_head.as_str(),
            head.as_str(),
        ],
    )
    .map_err(|err| {
        Error::failure(format!(
            "the ledger is merged, but the branch could not move to the merge ({err})"
        ))
        .hint("run `kith sync` again: it commits the merged ledger")
    })?;
    // The index follows HEAD; the work tree is left alone except for the
    // other files the merge changed.
    git(root, &["reset", "--quiet", "--mixed"])?;
    if !others.is_empty() {
        git(root, &[&["checkout", "HEAD", "--"][..], &others].concat())?;
    }
    Ok(())
}

/// One side of the ledger merge: the ledger at `commit`, or an empty one
/// when the commit has none.
fn side(root: &Path, commit: &str, ledger: &str, which: &str) -> Result<Ledger> {
    match show_file(root, commit, ledger)? {
        None => Ok(Ledger::default()),
        Some(bytes) => match parse_ledger(&bytes) {
            Ok(ledger) => Ok(ledger),
            Err(crate::core::model::ParseError::Empty(_)) => Ok(Ledger::default()),
            Err(err) => bail!(
                "the ledger of {which} does not load ({err}); nothing was merged, and the ledger holds every change made here"
            ),
        },
    }
}

/// A file's bytes at a commit, or `None` when it is not there.
fn show_file(root: &Path, commit: &str, path: &str) -> Result<Option<Vec<u8>>> {
    let spec = format!("{commit}:{path}");
    let output = run_git(
        root,
        &[
            OsStr::new("cat-file"),
            OsStr::new("blob"),
            OsStr::new(&spec),
        ],
    )?;
    Ok(output.status.success().then_some(output.stdout))
}

/// A path for a throw-away index inside the repository's git folder.
fn temp_index(root: &Path) -> Result<PathBuf> {
    let git_dir = PathBuf::from(git(root, &["rev-parse", "--absolute-git-dir"])?);
    Ok(git_dir.join(format!("kith-sync-index-{}", std::process::id())))
}

/// Runs git with extra environment and bytes on its stdin; returns trimmed stdout.
fn git_input(root: &Path, args: &[&str], env: &[(&str, &OsStr)], input: &[u8]) -> Result<String> {
    use std::io::Write as _;
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .envs(env.iter().copied())
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .with_context(|| format!("could not run `git {}`", args.join(" ")))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input)
            .with_context(|| format!("could not feed `git {}`", args.join(" ")))?;
    }
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!(
            "`git {}` failed: {}",
            args.join(" "),
            last_lines(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// What the merge decided, as the merge driver words it on stderr.
fn merge_notes(outcome: &crate::core::merge::MergeOutcome) -> Vec<String> {
    let mut notes: Vec<String> = outcome
        .conflicts
        .iter()
        .map(|c| format!("kith merge: {c}"))
        .collect();
    for pair in &outcome.likely_duplicates {
        let name = |id: &str| {
            outcome
                .ledger
                .person(id)
                .map(|p| format!("{} ({id})", p.name))
                .unwrap_or_else(|| id.to_string())
        };
        notes.push(format!(
            "kith merge: likely the same person, added on both sides: {} and {} share {}",
            name(&pair.ours),
            name(&pair.theirs),
            pair.reason
        ));
    }
    if !outcome.likely_duplicates.is_empty() {
        notes.push(
            "hint: review with `kith people --duplicates`, fold with `kith merge-people KEEP OTHER`"
                .to_string(),
        );
    }
    notes
}

/// The hook main wires into the store ([`Store::after_write`]) to run after
/// each write: when `auto_commit` is on,
/// commits the ledger with the write's summary. It never fails the write;
/// problems become a warning on stderr.
pub fn after_write(store_path: &Path, settings: &Settings, summary: &str) {
    if !crate::core::settings::auto_commit(settings) {
        return;
    }
    let result = (|| -> Result<()> {
        let repo = match find_repo(store_path)? {
            Some(repo) => repo,
            None => bail!("the ledger is not in a git repository (run `kith sync init`)"),
        };
        let first_line = summary.lines().next().unwrap_or("change");
        commit(
            &repo,
            &format!("kith: {first_line}"),
            &[repo.ledger.as_str()],
        )?;
        Ok(())
    })();
    if let Err(err) = result {
        crate::shell::term::warn(&format!(
            "auto_commit: could not commit the ledger: {err:#}"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_paths_are_quoted_for_the_shell() {
        assert_eq!(shell_quote("/opt/my kith/kith"), "'/opt/my kith/kith'");
        assert_eq!(shell_quote("/o'k/kith"), "'/o'\\''k/kith'");
        assert_eq!(
            pattern("kith data/ledger.json"),
            "\"kith data/ledger.json\""
        );
        assert_eq!(pattern("ledger.json"), "ledger.json");
        assert_eq!(
            ignore_pattern("/kith data/ledger.json.lock"),
            "/kith\\ data/ledger.json.lock"
        );
        assert_eq!(ignore_pattern("/a[1]*?.bak"), "/a\\[1]\\*\\?.bak");
    }
}
