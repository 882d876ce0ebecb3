//! Keeping one ledger on several machines through git.
//!
//! kith runs no sync server: the ledger's folder becomes a git repository,
//! `.gitattributes` routes the ledger through `kith merge` (the three-way merge
//! driver), and `kith sync` commits, pulls and pushes. This module is the only
//! code that runs `git` (through `std::process::Command`, never a shell of our
//! own); like the store it is part of the imperative shell. The one pure piece,
//! the commit message that summarises a change, is [`crate::core::diff::commit_message`].
//!
//! A failed merge is aborted (`git merge --abort`), so the ledger is never left
//! half-merged: it is either the local version or the merged one.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;

use crate::core::model::parse_ledger;
use crate::core::model::{Ledger, Settings};
use crate::error::Error;
use crate::shell::store::Store;

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
    /// What the merge driver reported (choices it made, likely duplicates).
    pub merge_notes: Vec<String>,
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

/// A path as a `.gitattributes` / `.gitignore` pattern (quoted when it holds spaces).
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
    let ignored = |suffix: &str| pattern(&format!("/{}{suffix}", repo.ledger));
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

/// `kith sync`: commits local changes, merges the remote's (through the
/// driver) and pushes the result.
pub fn sync(store: &Store, exe: &Path) -> Result<SyncReport> {
    let repo = require_repo(store)?;
    // Validate before touching git: a broken ledger must not be committed.
    let current = store.load()?;
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
    let message = crate::core::diff::commit_message(&committed_ledger(&repo), &current);
    if commit(&repo, &message, &tracked_paths(&repo))? {
        report.committed = Some(message);
    }

    let remotes = git(&repo.root, &["remote"])?;
    let Some(remote) = remotes
        .lines()
        .find(|r| *r == "origin")
        .or_else(|| remotes.lines().next())
        .map(str::to_string)
    else {
        return Ok(report);
    };
    report.remote = Some(remote.clone());
    let branch =
        git(&repo.root, &["symbolic-ref", "--quiet", "--short", "HEAD"]).map_err(|_| {
            Error::failure(format!(
                "the repository `{}` is not on a branch",
                repo.root.display()
            ))
            .hint("check out a branch there, then sync again")
        })?;
    if let Err(err) = git(&repo.root, &["fetch", "--quiet", remote.as_str()]) {
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
    let tracking = format!("refs/remotes/{remote}/{branch}");
    let remote_exists = git_ok(
        &repo.root,
        &["rev-parse", "-q", "--verify", tracking.as_str()],
    )?;
    if remote_exists {
        let range = format!("HEAD..{tracking}");
        report.pulled = git(&repo.root, &["rev-list", "--count", range.as_str()])?
            .parse()
            .unwrap_or(0);
        if report.pulled > 0 {
            report.merge_notes = merge_remote(&repo, &tracking)?;
        }
    }
    let ahead = if remote_exists {
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
        git(
            &repo.root,
            &["push", "--quiet", "-u", remote.as_str(), refspec.as_str()],
        )
        .map_err(|err| {
            Error::failure(format!("could not push to the remote `{remote}`: {err}"))
                .hint("someone may have pushed meanwhile; run `kith sync` again")
        })?;
        report.pushed = true;
    }
    Ok(report)
}

/// Merges the fetched branch (the same as `git pull --no-rebase` after the
/// fetch); on any failure, aborts so the ledger stays as it was. Returns the
/// lines the merge driver wrote to stderr.
fn merge_remote(repo: &Repo, tracking: &str) -> Result<Vec<String>> {
    let mut args = Vec::new();
    if !git_ok(&repo.root, &["var", "GIT_COMMITTER_IDENT"])? {
        args.extend(["-c", "user.name=kith", "-c", "user.email=kith@localhost"]);
    }
    args.extend([
        "merge",
        "--quiet",
        "--no-edit",
        "--no-verify",
        "--allow-unrelated-histories",
        "-m",
        "kith: merge synced changes",
        tracking,
    ]);
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let output = run_git(&repo.root, &args)?;
    if !output.status.success() {
        let _ = git_ok(&repo.root, &["merge", "--abort"]);
        return Err(Error::failure(format!(
            "could not merge the remote's changes; nothing was changed: {}",
            last_lines(&output.stderr)
        ))
        .hint(format!(
            "other files in `{}` may conflict; resolve with git, then sync again",
            repo.root.display()
        ))
        .into());
    }
    let notes = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| line.starts_with("kith merge:") || line.starts_with("hint:"))
        .map(str::to_string)
        .collect();
    Ok(notes)
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
    }
}
