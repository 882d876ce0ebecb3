//! The ledger file's bytes: parsing them (refusing newer formats and files
//! whose contents contradict each other) and writing the canonical pretty
//! JSON that diffs well under git. The shell reads and writes the disk; this
//! module only turns bytes into a [`Ledger`] and back.

use std::fmt;

use super::{FORMAT_VERSION, Ledger};

/// Why ledger bytes could not be loaded. The file's name is the shell's to
/// give: [`ParseError::describe`] words the reason around it.
#[derive(Debug)]
pub enum ParseError {
    /// Nothing but white space; `usize` is the file's size in bytes.
    Empty(usize),
    Newer(u64),
    Json(serde_json::Error),
    /// Well-formed JSON whose contents contradict each other (see [`Ledger::check_integrity`]).
    Inconsistent(String),
}

impl ParseError {
    /// The reason in a sentence that names the file at `path` (`None`: "the ledger").
    pub fn describe(&self, path: Option<&str>) -> String {
        let (the_ledger, ledger) = match path {
            Some(path) => (format!("the ledger `{path}`"), format!("ledger `{path}`")),
            None => ("the ledger".to_string(), "the ledger".to_string()),
        };
        match self {
            ParseError::Empty(0) => format!("{the_ledger} is empty (0 bytes)"),
            ParseError::Empty(size) => {
                format!("{the_ledger} is empty: only white space ({size} bytes)")
            }
            ParseError::Newer(version) => format!(
                "{the_ledger} was written by a newer kith (format {version}, this kith reads {FORMAT_VERSION})"
            ),
            ParseError::Inconsistent(problem) => format!("{the_ledger} is inconsistent: {problem}"),
            ParseError::Json(err) => format!(
                "could not parse {ledger} at line {}, column {}: {}",
                err.line(),
                err.column(),
                strip_position(err)
            ),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(None))
    }
}

impl std::error::Error for ParseError {}

/// Parses ledger bytes, refusing newer formats before judging their contents.
pub fn parse_ledger(bytes: &[u8]) -> Result<Ledger, ParseError> {
    let ledger = parse_ledger_unchecked(bytes)?;
    match ledger.check_integrity() {
        Ok(()) => Ok(ledger),
        Err(problem) => Err(ParseError::Inconsistent(problem)),
    }
}

/// [`parse_ledger`] without [`Ledger::check_integrity`]: for `kith doctor`,
/// which must read a file with duplicate or dangling ids to list them. Every
/// other reader refuses such a file, since acting on it could change the wrong
/// record.
pub fn parse_ledger_unchecked(bytes: &[u8]) -> Result<Ledger, ParseError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty(bytes.len()));
    }
    #[derive(serde::Deserialize)]
    struct Version {
        kith: Option<serde_json::Value>,
    }
    // One UTF-8 check of the whole file is cheaper than serde_json's check of
    // each string; invalid UTF-8 goes the slow way for its positioned error.
    let parsed = match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str::<Ledger>(text),
        Err(_) => serde_json::from_slice::<Ledger>(bytes),
    };
    match parsed {
        Ok(ledger) if ledger.kith > FORMAT_VERSION => Err(ParseError::Newer(ledger.kith)),
        Ok(ledger) if ledger.kith == 0 => Err(ParseError::Json(serde::de::Error::custom(
            "`kith` format version 0 is not a kith ledger",
        ))),
        Ok(ledger) => Ok(ledger),
        Err(err) => match serde_json::from_slice::<Version>(bytes) {
            Ok(Version { kith: Some(v) }) if v.as_u64().is_some_and(|v| v > FORMAT_VERSION) => {
                Err(ParseError::Newer(v.as_u64().unwrap_or_default()))
            }
            _ => Err(ParseError::Json(err)),
        },
    }
}

/// The file's canonical text: two-space pretty JSON and a final newline.
pub fn to_pretty_json(ledger: &Ledger) -> serde_json::Result<Vec<u8>> {
    // About 320 bytes an entry and 700 a person when pretty-printed: one
    // allocation, not a doubling that copies 60 MB on a large ledger.
    let mut bytes =
        Vec::with_capacity(ledger.entries.len() * 400 + ledger.people.len() * 900 + 4096);
    serde_json::to_writer_pretty(&mut bytes, ledger)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// serde_json's message without its " at line L column C" tail, which the
/// Display above states once in kith's words.
fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}
