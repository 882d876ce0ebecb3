//! Reading calendars and mailboxes from disk for `kith import ics|mbox|maildir`.
//!
//! A mailbox can be many gigabytes, so it is never read whole: an mbox is
//! streamed line by line and only each message's header block is kept (up
//! to [`MAX_HEADER`]; the body is skipped as it streams by, however long its
//! lines), and a maildir is walked folder by folder, reading only the header
//! block of each file. Memory stays bounded by one header block and the
//! reader's buffer. A progress bar (from [`term`]) shows on a terminal. This module also
//! finds the user's time zone (`TZ`, else `/etc/localtime`), which dates UTC
//! calendar times.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::shell::term;

/// The largest header block read from one message; a bigger one is passed
/// on cut (its first MiB still holds the headers that matter).
pub const MAX_HEADER: usize = 1 << 20;
/// The largest calendar file read (it is parsed whole).
pub const MAX_CALENDAR: u64 = 256 << 20;
/// How deep a maildir tree is walked.
const MAX_DEPTH: usize = 8;

/// Opens `path` for reading, refusing anything but a regular file.
fn open_regular(path: &Path) -> Result<(File, u64)> {
    let file = File::open(path).with_context(|| format!("could not open `{}`", path.display()))?;
    let meta = file
        .metadata()
        .with_context(|| format!("could not read `{}`", path.display()))?;
    if !meta.is_file() {
        bail!("`{}` is not a regular file", path.display());
    }
    Ok((file, meta.len()))
}

/// A calendar file's bytes, refusing one over [`MAX_CALENDAR`].
pub fn read_calendar_file(path: &Path) -> Result<Vec<u8>> {
    let (file, len) = open_regular(path)?;
    if len > MAX_CALENDAR {
        bail!(
            "`{}` is {} MiB; calendars over {} MiB are not read",
            path.display(),
            len >> 20,
            MAX_CALENDAR >> 20
        );
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(MAX_CALENDAR + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("could not read `{}`", path.display()))?;
    Ok(bytes)
}

/// A progress bar on stderr when it is a terminal (see [`term::progress_bar`]).
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    /// A bar over `total` bytes, or a count of messages when `total` is 0.
    pub fn new(total: u64, what: &str) -> Progress {
        let template = if total > 0 {
            format!("{what} {{bar:40}} {{bytes}}/{{total_bytes}} ({{eta}})")
        } else {
            format!("{what} {{pos}} messages")
        };
        Progress(term::progress_bar(
            usize::try_from(total).unwrap_or(usize::MAX),
            &template,
        ))
    }

    fn set(&self, position: u64) {
        if let Some(bar) = &self.0 {
            bar.set_position(position);
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}

/// Reads one line into `line`, keeping at most `keep` bytes of it (the rest
/// is consumed unseen). Returns the line's full length; 0 at the end.
fn read_line_bounded(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    keep: usize,
) -> io::Result<u64> {
    line.clear();
    let mut total: u64 = 0;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if chunk.is_empty() {
            return Ok(total);
        }
        let (used, done) = match memchr_newline(chunk) {
            Some(at) => (at + 1, true),
            None => (chunk.len(), false),
        };
        let room = keep.saturating_sub(line.len());
        line.extend_from_slice(chunk.get(..used.min(room)).unwrap_or_default());
        reader.consume(used);
        total += used as u64;
        if done {
            return Ok(total);
        }
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == b'\n')
}

fn is_blank(line: &[u8]) -> bool {
    matches!(line, b"\n" | b"\r\n")
}

/// Streams an mbox file, calling `message` with each message's header block.
pub fn read_mbox(path: &Path, message: &mut dyn FnMut(&[u8])) -> Result<()> {
    let (file, len) = open_regular(path)?;
    let progress = Progress::new(len, "reading");
    let mut reader = BufReader::with_capacity(256 << 10, file);
    let mut header: Vec<u8> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let mut in_header = false;
    let mut started = false;
    let mut previous_blank = true;
    let mut position: u64 = 0;
    let mut last_shown: u64 = 0;
    loop {
        let keep = if in_header || !started { MAX_HEADER } else { 8 };
        let read = read_line_bounded(&mut reader, &mut line, keep)
            .with_context(|| format!("could not read `{}`", path.display()))?;
        if read == 0 {
            break;
        }
        position += read;
        if position - last_shown > 4 << 20 {
            progress.set(position);
            last_shown = position;
        }
        // A new message starts at a `From ` line after a blank line (or at
        // the top); a body's own `From ` lines are escaped as `>From `.
        if line.starts_with(b"From ") && previous_blank {
            if started {
                message(&header);
            }
            header.clear();
            in_header = true;
            started = true;
            previous_blank = false;
            continue;
        }
        if !started {
            // Not an mbox separator first: read the file as one message.
            started = true;
            in_header = true;
        }
        previous_blank = is_blank(&line);
        if in_header {
            if previous_blank {
                in_header = false;
            } else if header.len() < MAX_HEADER {
                let room = MAX_HEADER - header.len();
                header.extend_from_slice(line.get(..line.len().min(room)).unwrap_or_default());
            }
        }
    }
    if started {
        message(&header);
    }
    progress.finish();
    Ok(())
}

/// The header block of one message file.
fn read_header_block(path: &Path) -> Result<Vec<u8>> {
    let (file, _) = open_regular(path)?;
    let mut reader = BufReader::new(file);
    let mut header = Vec::new();
    let mut line = Vec::new();
    while header.len() < MAX_HEADER {
        let read = read_line_bounded(&mut reader, &mut line, MAX_HEADER - header.len())?;
        if read == 0 || is_blank(&line) {
            break;
        }
        header.extend_from_slice(&line);
    }
    Ok(header)
}

/// Walks a maildir (or a tree of them, as mbsync, offlineimap and Maildir++
/// lay them out), calling `message` with each message's header block, in a
/// stable order. Messages that cannot be read are passed on empty (counted
/// as unreadable).
pub fn read_maildir(dir: &Path, message: &mut dyn FnMut(&[u8])) -> Result<()> {
    let meta = fs::metadata(dir).with_context(|| format!("could not open `{}`", dir.display()))?;
    if !meta.is_dir() {
        bail!("`{}` is not a folder", dir.display());
    }
    let progress = Progress::new(0, "reading");
    let mut seen: u64 = 0;
    let mut folders = vec![(dir.to_path_buf(), 0usize)];
    let mut found_any = false;
    while let Some((folder, depth)) = folders.pop() {
        let mut children = sorted_children(&folder)?;
        let is_maildir = ["cur", "new"].iter().any(|d| folder.join(d).is_dir());
        if is_maildir {
            found_any = true;
            for part in ["cur", "new"] {
                for path in sorted_children(&folder.join(part)).unwrap_or_default() {
                    let Ok(meta) = fs::symlink_metadata(&path) else {
                        continue;
                    };
                    if !meta.is_file() {
                        continue;
                    }
                    message(&read_header_block(&path).unwrap_or_default());
                    seen += 1;
                    if seen.is_multiple_of(256) {
                        progress.set(seen);
                    }
                }
            }
        }
        if depth < MAX_DEPTH {
            // Reverse, so popping from the stack visits folders in order.
            children.reverse();
            for child in children {
                let name = child.file_name().map(|n| n.to_string_lossy().into_owned());
                if is_maildir && matches!(name.as_deref(), Some("cur" | "new" | "tmp")) {
                    continue;
                }
                if fs::symlink_metadata(&child).is_ok_and(|m| m.is_dir()) {
                    folders.push((child, depth + 1));
                }
            }
        }
    }
    progress.finish();
    if !found_any {
        bail!(
            "`{}` holds no maildir (a folder with `cur` and `new` inside)",
            dir.display()
        );
    }
    Ok(())
}

fn sorted_children(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut children: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("could not list `{}`", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    children.sort();
    Ok(children)
}

/// The user's time zone: `TZ` when it names one, else the zone
/// `/etc/localtime` points at, else UTC.
pub fn local_zone() -> chrono_tz::Tz {
    let from_name = |name: &str| {
        let name = name.trim().trim_start_matches(':');
        let name = name.rsplit_once("zoneinfo/").map_or(name, |(_, zone)| zone);
        name.parse::<chrono_tz::Tz>().ok()
    };
    if let Some(zone) = std::env::var("TZ").ok().as_deref().and_then(from_name) {
        return zone;
    }
    if let Some(zone) = fs::read_link("/etc/localtime")
        .ok()
        .and_then(|target| from_name(&target.to_string_lossy()))
    {
        return zone;
    }
    fs::read_to_string("/etc/timezone")
        .ok()
        .as_deref()
        .and_then(from_name)
        .unwrap_or(chrono_tz::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages_of_mbox(text: &[u8]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("box.mbox");
        fs::write(&path, text).unwrap();
        let mut out = Vec::new();
        read_mbox(&path, &mut |h| {
            out.push(String::from_utf8_lossy(h).into_owned())
        })
        .unwrap();
        out
    }

    #[test]
    fn mbox_yields_header_blocks_and_skips_bodies() {
        let long_line = "x".repeat(3 << 20);
        let text = format!(
            "From a@x Mon Nov  2 10:00:00 2026\nSubject: one\nFrom: a@x\n\nbody\nFrom here on, a body line\n\n>From escaped\n{long_line}\n\n\
From b@x Mon Nov  2 11:00:00 2026\r\nSubject: two\r\n\r\nbody\r\n"
        );
        let got = messages_of_mbox(text.as_bytes());
        assert_eq!(
            got,
            vec![
                "Subject: one\nFrom: a@x\n".to_string(),
                "Subject: two\r\n".to_string()
            ]
        );
        assert!(messages_of_mbox(b"").is_empty());
        assert_eq!(
            messages_of_mbox(b"Subject: lone\n\nbody"),
            vec!["Subject: lone\n"]
        );
    }

    #[test]
    fn maildir_tree_is_walked_in_order_and_a_plain_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for (folder, name, subject) in [
            ("INBOX/cur", "2:S", "b"),
            ("INBOX/new", "1", "c"),
            ("INBOX/cur", "1:S", "a"),
            ("Sent/cur", "1:S", "d"),
            ("INBOX/tmp", "x", "never"),
        ] {
            let path = dir.path().join(folder);
            fs::create_dir_all(&path).unwrap();
            fs::write(path.join(name), format!("Subject: {subject}\n\nbody\n")).unwrap();
        }
        let mut got = Vec::new();
        read_maildir(dir.path(), &mut |h| {
            got.push(String::from_utf8_lossy(h).into_owned())
        })
        .unwrap();
        assert_eq!(got, ["a", "b", "c", "d"].map(|s| format!("Subject: {s}\n")));
        let plain = tempfile::tempdir().unwrap();
        assert!(read_maildir(plain.path(), &mut |_| {}).is_err());
    }
}
