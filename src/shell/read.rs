//! Reading a file someone hands kith to import, with bounds.
//!
//! An import reads outside input, so it must not read without limit: a
//! device (`/dev/zero`, a FIFO, a terminal), a file over [`MAX_IMPORT_BYTES`]
//! or a line over [`MAX_LINE_BYTES`] is refused with a clear error before the
//! file is read whole, and the bytes read never exceed the size checked, so an
//! import's memory is a small multiple of the file's size.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};

use crate::error::Error;

/// The largest file an import reads: 256 MiB (a LinkedIn export of 30,000
/// connections is about 5 MB; an mbox is imported per message).
pub const MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;
/// The longest line (or record) an import accepts: 1 MiB.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// How a file's records are delimited, for the record limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Records {
    /// CSV: a record ends at a newline outside double quotes.
    Csv,
    /// vCard: a record starts at each `BEGIN:VCARD` line.
    Vcard,
}

/// The bytes of the regular file at `path`, refused when it is not a regular
/// file, is over [`MAX_IMPORT_BYTES`] or holds a line or a record over
/// [`MAX_LINE_BYTES`].
pub fn read_import(path: &Path, records: Records) -> Result<Vec<u8>> {
    read_bounded(path, MAX_IMPORT_BYTES, MAX_LINE_BYTES, records)
}

/// [`read_import`] with the limits given.
pub fn read_bounded(
    path: &Path,
    max_bytes: u64,
    max_line: usize,
    records: Records,
) -> Result<Vec<u8>> {
    let shown = path.display();
    let file = File::open(path).with_context(|| format!("could not read `{shown}`"))?;
    // The open file's own metadata: a path swapped for a device between a
    // check and the read cannot slip through.
    let meta = file
        .metadata()
        .with_context(|| format!("could not read `{shown}`"))?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a device, a pipe or a socket)"
        };
        return Err(
            Error::usage(format!("`{shown}` is {what}; nothing was imported"))
                .hint("import a file: save the contacts to a file first")
                .into(),
        );
    }
    if meta.len() > max_bytes {
        return Err(Error::usage(format!(
            "`{shown}` is {}; kith imports files of at most {}",
            size(meta.len()),
            size(max_bytes)
        ))
        .hint("split the file, or import only the contacts you want")
        .into());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // One byte more than allowed tells a file that grew since the check.
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("could not read `{shown}`"))?;
    if bytes.len() as u64 > max_bytes {
        return Err(Error::usage(format!(
            "`{shown}` grew past {} while being read; nothing was imported",
            size(max_bytes)
        ))
        .into());
    }
    if let Some(line) = first_long_line(&bytes, max_line) {
        return Err(Error::usage(format!(
            "line {line} of `{shown}` is longer than {}; nothing was imported",
            size(max_line as u64)
        ))
        .hint("is it really a contacts file?")
        .into());
    }
    if let Some(line) = first_long_record(&bytes, max_line, records) {
        return Err(Error::usage(format!(
            "the record starting at line {line} of `{shown}` is longer than {}; nothing was imported",
            size(max_line as u64)
        ))
        .hint("is a quote left open, or a photo embedded? remove it and import again")
        .into());
    }
    Ok(bytes)
}

/// The 1-based line where the first record longer than `max` bytes starts.
pub fn first_long_record(bytes: &[u8], max: usize, records: Records) -> Option<usize> {
    let (mut start, mut start_line, mut line) = (0usize, 1usize, 1usize);
    let mut in_quotes = false;
    for (at, byte) in bytes.iter().enumerate() {
        match (records, *byte) {
            // A quote opens a quoted field only at the field's start (as the
            // csv reader reads it); a stray `5'10"` inside a field does not.
            (Records::Csv, b'"') => {
                let field_start = at == 0 || matches!(bytes.get(at - 1), Some(b',' | b'\n'));
                in_quotes = if in_quotes { false } else { field_start };
            }
            (_, b'\n') => {
                line += 1;
                let next = bytes.get(at + 1..).unwrap_or_default();
                let ends = match records {
                    Records::Csv => !in_quotes,
                    Records::Vcard => next
                        .get(..11)
                        .is_some_and(|b| b.eq_ignore_ascii_case(b"BEGIN:VCARD")),
                };
                if ends {
                    if at + 1 - start > max {
                        return Some(start_line);
                    }
                    (start, start_line) = (at + 1, line);
                }
            }
            _ => {}
        }
    }
    (bytes.len() - start > max).then_some(start_line)
}

/// The 1-based number of the first line longer than `max` bytes.
pub fn first_long_line(bytes: &[u8], max: usize) -> Option<usize> {
    bytes
        .split(|b| *b == b'\n')
        .position(|line| line.len() > max)
        .map(|at| at + 1)
}

/// `256 MiB`, `1 MiB`, `300.0 MiB`, `512 bytes`.
fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_big_files_and_long_lines_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_import(Path::new("/dev/zero"), Records::Csv).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        assert!(
            read_import(dir.path(), Records::Vcard)
                .unwrap_err()
                .to_string()
                .contains("a folder")
        );

        let big = dir.path().join("big.csv");
        File::create(&big)
            .unwrap()
            .set_len(300 * 1024 * 1024)
            .unwrap();
        let err = read_import(&big, Records::Csv).unwrap_err();
        assert!(err.to_string().contains("300 MiB"), "{err}");

        let long = dir.path().join("long.csv");
        let mut text = b"name\nAnn\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
        std::fs::write(&long, &text).unwrap();
        let err = read_import(&long, Records::Csv).unwrap_err();
        assert!(err.to_string().starts_with("line 3 of"), "{err}");

        let fine = dir.path().join("fine.csv");
        std::fs::write(&fine, "name\nAnn\n").unwrap();
        assert_eq!(read_import(&fine, Records::Csv).unwrap(), b"name\nAnn\n");
        assert_eq!(first_long_line(b"ab\nabc\n", 2), Some(2));
        assert_eq!(first_long_line(b"ab\nab", 2), None);
    }

    #[test]
    fn records_are_measured_whole() {
        // A quoted CSV field spanning lines makes one long record.
        let csv = b"name,notes\nAnn,\"a\nb\nc\nd\"\nBob,x\n";
        assert_eq!(first_long_record(csv, 12, Records::Csv), Some(2));
        assert_eq!(first_long_record(csv, 20, Records::Csv), None);
        let stray = b"name,height\nAnn,5'10\"\nBob,6'\nCy,5\n";
        assert_eq!(first_long_record(stray, 12, Records::Csv), None);
        let cards =
            b"BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nFN:B\nNOTE:xxxxxxxxxxxx\nEND:VCARD\n";
        assert_eq!(first_long_record(cards, 30, Records::Vcard), Some(4));
        assert_eq!(first_long_record(cards, 60, Records::Vcard), None);
    }
}
