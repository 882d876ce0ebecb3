//! The snapshot on disk: `ledger.json.snap` beside the ledger, read through
//! a memory map, written after every write and rebuilt by a read that finds
//! it stale.
//!
//! The layout and its checks are `core::snapshot`'s; this module decides
//! when to trust the file and when to write it. A snapshot is used only when
//! its stamp names the exact bytes of the ledger on disk (same length, same
//! xxh3-128), so a ledger changed by anything else (git, an editor, a sync, a
//! kith without snapshots) is never answered from an old one. A missing,
//! corrupt, foreign or stale snapshot is ignored: the read parses the JSON
//! and rebuilds the snapshot when it can take the ledger lock without
//! waiting. It is written like the ledger (temp file, rename; mode 0600) but
//! without fsync: a file cut short by a power cut fails its checksum and is
//! rebuilt. Deleting it is always safe.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::core::model::{Ledger, Person, Settings};
use crate::core::snapshot::{self, Invalid, Parts, Stamp};

/// The snapshot's name: the ledger's file name and this.
pub const SUFFIX: &str = ".snap";

/// Why a snapshot was not used, for [`trace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    Missing,
    Foreign,
    Stale,
    Corrupt,
}

/// A ledger read from its snapshot.
pub struct Loaded {
    pub ledger: Ledger,
    /// The ledger bytes are exactly `to_pretty_json(&ledger)`: a write may
    /// splice them.
    pub canonical: bool,
}

/// Below this many entries one core decodes them all: a thread costs more.
const SPLIT_AT: usize = 20_000;

/// The ledger `ledger_bytes` hold, from the snapshot at `path` if it was
/// built from exactly those bytes; else why not (the caller reads the JSON).
pub fn read(path: &Path, ledger_bytes: &[u8]) -> Result<Loaded, Miss> {
    let file = File::open(path).map_err(|_| Miss::Missing)?;
    let map = map(&file).ok_or(Miss::Corrupt)?;
    let header = snapshot::header(&map).map_err(miss)?;
    // The length costs nothing to compare. The hash of the ledger runs on
    // the other core while this one checks the snapshot and decodes the
    // people; then each core decodes half of the entries.
    if header.stamp.len != ledger_bytes.len() as u64 {
        return Err(Miss::Stale);
    }
    std::thread::scope(|scope| {
        let key = scope.spawn(|| snapshot::key_of(ledger_bytes));
        let parts = Parts::open(&map, header).map_err(miss);
        let people = parts.and_then(|parts| Ok((parts, parts.people().map_err(miss)?)));
        let decoded = people.and_then(|(parts, people)| {
            let count = parts.entry_count();
            let half = if count < SPLIT_AT { count } else { count / 2 };
            let (first, second) = std::thread::scope(|inner| {
                let second = inner.spawn(|| parts.entries(&people, half..count));
                let first = parts.entries(&people, 0..half);
                (first, second.join())
            });
            let mut entries = first.map_err(miss)?;
            entries.extend(second.map_err(|_| Miss::Corrupt)?.map_err(miss)?);
            let ledger = parts.ledger(people, entries).map_err(miss)?;
            Ok(Loaded {
                ledger,
                canonical: parts.canonical(),
            })
        });
        match key.join() {
            Ok(key) if key == header.stamp.key => decoded,
            _ => Err(Miss::Stale),
        }
    })
}

/// Snapshot writes still running on another thread.
static PENDING: std::sync::Mutex<Vec<std::thread::JoinHandle<()>>> =
    std::sync::Mutex::new(Vec::new());

/// Runs `write` on another thread; [`finish`] waits for it.
pub fn spawn(write: impl FnOnce() + Send + 'static) {
    let handle = std::thread::spawn(write);
    if let Ok(mut pending) = PENDING.lock() {
        pending.push(handle);
    }
}

/// Waits for the snapshot writes [`spawn`] started: called before the
/// process exits, so a snapshot is never cut short by the exit (a cut one
/// would only be a stray temp file, removed by the next write).
pub fn finish() {
    let pending = match PENDING.lock() {
        Ok(mut pending) => std::mem::take(&mut *pending),
        Err(_) => return,
    };
    for handle in pending {
        let _ = handle.join();
    }
}

/// A snapshot opened for a read in place: its checked sections, the people
/// and settings decoded, the entries left in the map. It lives as long as
/// the process: a read command ends right after, and nothing is freed.
pub struct Opened {
    pub parts: &'static Parts<'static>,
    pub people: &'static [Person],
    pub settings: &'static Settings,
}

/// The snapshot at `path` opened in place, if it was built from exactly
/// the bytes of the open `ledger` file (else why not: the caller reads the
/// JSON), with `use_it` run on it. The other core reads the ledger and the
/// snapshot's body in chunks rather than mapped (mapping a few hundred MB
/// cost more in page tables than hashing it) for the ledger's key and the
/// body's checksum, while this core decodes the people and runs `use_it`;
/// its answer is returned only once both match, so a command computes
/// during the check instead of after it and never answers from a snapshot
/// that fails it. (`use_it` must have no effect beyond its answer: on a
/// mismatch the caller asks again from the JSON.)
pub fn with_open<T>(
    path: &Path,
    ledger: &File,
    use_it: impl FnOnce(&Opened) -> T,
) -> Result<(Opened, T), Miss> {
    let file = File::open(path).map_err(|_| Miss::Missing)?;
    let map: &'static memmap2::Mmap = Box::leak(Box::new(map(&file).ok_or(Miss::Corrupt)?));
    let header = snapshot::header(map).map_err(miss)?;
    let len = ledger.metadata().map_err(|_| Miss::Stale)?.len();
    if header.stamp.len != len {
        return Err(Miss::Stale);
    }
    std::thread::scope(|scope| {
        // The other core reads both files through a small buffer: the
        // ledger for its key, the snapshot's body for its checksum. Nothing
        // computed here is used unless both match.
        let sums = scope.spawn(|| {
            let body = checksum_of_file(&file, snapshot::HEADER_LEN as u64)?;
            Some((key_of_file(ledger, len)?, body))
        });
        let opened = Parts::open_unverified(map, header)
            .map_err(miss)
            .and_then(|parts| {
                advise(map, &parts);
                let people = parts.people().map_err(miss)?;
                let settings = parts.settings().map_err(miss)?;
                Ok(Opened {
                    parts: Box::leak(Box::new(parts)),
                    people: Box::leak(people.into_boxed_slice()),
                    settings: Box::leak(Box::new(settings)),
                })
            });
        let answered = opened.map(|opened| {
            let answer = use_it(&opened);
            (opened, answer)
        });
        match sums.join() {
            Ok(Some((key, body))) if key == header.stamp.key => {
                if body == header.body_hash {
                    answered
                } else {
                    Err(Miss::Corrupt)
                }
            }
            _ => Err(Miss::Stale),
        }
    })
}

/// Tells the kernel how a read uses the map: the records and texts are
/// read here and there (one page per fault: the kernel's default maps 16
/// around each, which for a few thousand scattered reads maps most of the
/// file and counts it in the process's memory), the walked sections from
/// end to end. Advice only: a failure changes nothing.
fn advise(map: &memmap2::Mmap, parts: &Parts) {
    use memmap2::Advice;
    let _ = map.advise(Advice::Random);
    let start = map.as_ptr() as usize;
    for section in parts.walked() {
        let offset = (section.as_ptr() as usize).saturating_sub(start);
        let _ = map.advise_range(Advice::Sequential, offset, section.len());
    }
}

/// The body checksum (`core::snapshot::body_checksum`) of `file` from
/// byte `from` on, read in chunks.
fn checksum_of_file(mut file: &File, from: u64) -> Option<u64> {
    use std::hash::Hasher;
    use std::io::Seek;
    file.seek(std::io::SeekFrom::Start(from)).ok()?;
    let mut hasher = twox_hash::XxHash3_64::new();
    read_chunks(file, |chunk| hasher.write(chunk))?;
    Some(hasher.finish())
}

/// Feeds the rest of `file` to `eat` through a 256 KiB buffer; the number
/// of bytes read.
fn read_chunks(mut file: &File, mut eat: impl FnMut(&[u8])) -> Option<u64> {
    use std::io::Read;
    let mut buffer = vec![0u8; 1 << 18];
    let mut total = 0u64;
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => return Some(total),
            Ok(n) => n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        eat(buffer.get(..n)?);
        total += n as u64;
    }
}

/// The key (`core::snapshot::key_of`) of the `len` bytes of `file`, read
/// in chunks from the start; `None` when it reads another length.
fn key_of_file(mut file: &File, len: u64) -> Option<snapshot::Key> {
    use std::io::Seek;
    file.seek(std::io::SeekFrom::Start(0)).ok()?;
    let mut stamper = snapshot::Stamper::default();
    read_chunks(file, |chunk| stamper.feed(chunk))?;
    let stamp = stamper.stamp();
    (stamp.len == len).then_some(stamp.key)
}

/// The whole ledger of an opened snapshot, decoded (for a read that must
/// change its texts before showing them).
pub fn decode(opened: &Opened) -> Result<Ledger, Miss> {
    let parts = opened.parts;
    let entries = parts
        .entries(opened.people, 0..parts.entry_count())
        .map_err(miss)?;
    parts.ledger(opened.people.to_vec(), entries).map_err(miss)
}

fn miss(invalid: Invalid) -> Miss {
    match invalid {
        Invalid::Foreign => Miss::Foreign,
        Invalid::Stale => Miss::Stale,
        Invalid::Corrupt(_) => Miss::Corrupt,
    }
}

/// With `KITH_DEBUG_SNAPSHOT` set, one line on stderr saying what the
/// snapshot did for this command: for tests and for a user who wonders.
pub fn trace(what: impl std::fmt::Display) {
    if std::env::var_os(DEBUG_ENV).is_some() {
        let _ = writeln!(std::io::stderr(), "snapshot: {what}");
    }
}

/// See [`trace`].
pub const DEBUG_ENV: &str = "KITH_DEBUG_SNAPSHOT";

/// Writes the snapshot of `ledger`, parsed from `ledger_bytes`, to `path`:
/// temp file in the same folder, then rename. Failures are silent: the
/// snapshot only saves time.
pub fn write(path: &Path, ledger: &Ledger, ledger_bytes: &[u8]) {
    match encode(ledger, ledger_bytes, false) {
        Some(bytes) => write_encoded(path, &bytes),
        None => remove(path),
    }
}

/// The snapshot's bytes for `ledger`, parsed from or saved as `ledger_bytes`;
/// `canonical` when they are exactly `to_pretty_json(ledger)`.
pub fn encode(ledger: &Ledger, ledger_bytes: &[u8], canonical: bool) -> Option<Vec<u8>> {
    snapshot::encode(ledger, Stamp::of(ledger_bytes), canonical)
}

/// Writes snapshot bytes from [`encode`] to `path`.
pub fn write_encoded(path: &Path, bytes: &[u8]) {
    if write_replacing(path, bytes).is_err() {
        remove(path);
    }
}

/// Removes the snapshot (when snapshots are turned off, or one could not be written).
pub fn remove(path: &Path) {
    let _ = fs::remove_file(path);
}

/// The sidecar path of the snapshot of the ledger at `ledger`.
pub fn path_of(ledger: &Path) -> PathBuf {
    let mut name = ledger
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "ledger.json".into());
    name.push(SUFFIX);
    ledger.with_file_name(name)
}

fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut builder = tempfile::Builder::new();
    let prefix = format!("{}{name}.", crate::shell::files::TEMP_PREFIX);
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o600));
    }
    let mut temp = builder.tempfile_in(&dir)?;
    temp.write_all(bytes)?;
    temp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// The file's bytes through a read-only map (see `files::map_readonly`).
fn map(file: &File) -> Option<memmap2::Mmap> {
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() == 0 {
        return None;
    }
    crate::shell::files::map_readonly(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_read_in_chunks_is_the_key_of_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        for len in [0usize, 1, 240, 241, 1 << 20, (1 << 20) + 7, 3 << 20] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let path = dir.path().join("ledger.json");
            fs::write(&path, &bytes).unwrap();
            let file = File::open(&path).unwrap();
            assert_eq!(
                key_of_file(&file, len as u64),
                Some(snapshot::key_of(&bytes)),
                "{len} bytes"
            );
            assert_eq!(key_of_file(&file, len as u64 + 1), None);
        }
    }
}
