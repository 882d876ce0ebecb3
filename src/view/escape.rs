//! Text from the ledger or the command line made safe for a terminal.
//!
//! A name is data, never a terminal command: control characters (ESC, BEL,
//! C1's CSI, NUL, ...) and bidi/invisible format characters (see
//! [`crate::core::chars`]) are shown as `\u{1b}`, `\u{202e}`, so what is shown
//! is what is stored and nothing in the data can move the cursor, retitle the
//! window or reorder a line. [`line`] is for one-line places (table cells,
//! confirmations, errors) and escapes newlines too; [`text`] keeps the
//! newlines of a multi-line note. Both are undone by [`unescape`]: a
//! backslash run that would read as an escape is doubled, so `\u{1b}` typed
//! as six characters comes back as six characters.
//!
//! [`Sanitizer`] is the last line of defence at the process's edge: main wraps
//! stdout and stderr in it, so even a renderer that forgot to escape cannot
//! pass a raw control character through; with colour on, only kith's own SGR
//! colour sequences pass. JSON output does not go through it (serde escapes
//! control characters, and JSON stays exact).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use crate::core::chars;
use crate::core::model::{Detail, Ledger};
use crate::core::text::{MAX_NAME_CHARS, MAX_TEXT_CHARS};

pub use crate::core::chars::unescape;

/// One line: every unsafe character escaped, newlines included.
pub fn line(text: &str) -> Cow<'_, str> {
    chars::escape(text, false)
}

/// A multi-line text: newlines kept, every other unsafe character escaped.
pub fn text(text: &str) -> Cow<'_, str> {
    chars::escape(text, true)
}

/// Escapes every text of `ledger` in place for a human renderer: one-line
/// fields with [`line`], notes with [`text`]. A read-only command with human
/// output loads through this (see `Store::for_display`), so every table, text
/// and Markdown renderer shows data escaped, with or without colour, and the
/// [`Sanitizer`] is only the backstop. JSON never sees it.
///
/// A text over the ledger's length limit (a hand edit; `kith doctor` lists
/// it) is cut there with `…`: a ten-million-character name must not make a
/// table take minutes.
pub fn ledger_for_display(ledger: &mut Ledger) {
    fn fix(text: &mut String, keep_newlines: bool) {
        let max = if keep_newlines {
            MAX_TEXT_CHARS
        } else {
            MAX_NAME_CHARS.max(1000)
        };
        if let Some((cut, _)) = text.char_indices().nth(max) {
            text.truncate(cut);
            text.push('…');
        }
        if let Cow::Owned(escaped) = chars::escape(text, keep_newlines) {
            *text = escaped;
        }
    }
    fn fix_all(texts: &mut [String]) {
        texts.iter_mut().for_each(|t| fix(t, false));
    }
    for person in &mut ledger.people {
        fix(&mut person.id, false);
        fix(&mut person.name, false);
        fix_all(&mut person.aliases);
        fix_all(&mut person.emails);
        fix_all(&mut person.phones);
        fix_all(&mut person.urls);
        fix_all(&mut person.tags);
        for text in [&mut person.org, &mut person.source].into_iter().flatten() {
            fix(text, false);
        }
        for text in [&mut person.how_met, &mut person.notes]
            .into_iter()
            .flatten()
        {
            fix(text, true);
        }
        for need in &mut person.needs {
            fix(&mut need.text, true);
        }
        for dated in &mut person.dates {
            fix(&mut dated.label, false);
        }
        if let Some(reason) = person.flag.as_mut().and_then(|f| f.reason.as_mut()) {
            fix(reason, true);
        }
    }
    for entry in &mut ledger.entries {
        fix(&mut entry.id, false);
        fix(&mut entry.person, false);
        match &mut entry.detail {
            Detail::Gave(f) | Detail::Got(f) => fix(&mut f.what, false),
            Detail::Met(m) => {
                if let Some(note) = &mut m.note {
                    fix(note, true);
                }
            }
            Detail::Ask(r) => {
                fix(&mut r.what, false);
                if let Some(note) = &mut r.note {
                    fix(note, true);
                }
            }
        }
    }
}

/// The SGR parameters kith's own colours use: reset, bold, dim, italic,
/// underline and their resets, default colours, and the 16 basic colours as
/// comfy-table writes them (`38;5;N`).
fn is_own_sgr(params: &str) -> bool {
    if matches!(
        params,
        "" | "0" | "1" | "2" | "3" | "4" | "22" | "23" | "24" | "39" | "49"
    ) {
        return true;
    }
    let palette = params
        .strip_prefix("38;5;")
        .or_else(|| params.strip_prefix("48;5;"));
    palette.is_some_and(|n| n.parse::<u8>().is_ok_and(|n| n < 16) && !n.starts_with('+'))
}

/// A writer that lets only safe text through: every control character other
/// than a newline (and the CR of a CRLF) and every invisible format
/// character is escaped; with `colors`, kith's own SGR sequences pass.
///
/// It works a line at a time (kith's own sequences never span lines), so a
/// sequence or a UTF-8 character split across two writes is judged whole.
pub struct Sanitizer<W: Write> {
    inner: W,
    colors: bool,
    pending: Vec<u8>,
}

impl<W: Write> Sanitizer<W> {
    pub fn new(inner: W, colors: bool) -> Sanitizer<W> {
        Sanitizer {
            inner,
            colors,
            pending: Vec::new(),
        }
    }

    /// Writes out the complete lines held, and with `all` the rest too
    /// (except an unfinished UTF-8 character).
    fn drain(&mut self, all: bool) -> io::Result<()> {
        let end = if all {
            complete_utf8_prefix(&self.pending)
        } else {
            match self.pending.iter().rposition(|b| *b == b'\n') {
                Some(at) => at + 1,
                None => return Ok(()),
            }
        };
        if end == 0 {
            return Ok(());
        }
        let chunk: Vec<u8> = self.pending.drain(..end).collect();
        let text = String::from_utf8_lossy(&chunk);
        let safe = sanitize(&text, self.colors);
        self.inner.write_all(safe.as_bytes())
    }

    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }
}

/// The length of `bytes` without a trailing, unfinished UTF-8 character.
fn complete_utf8_prefix(bytes: &[u8]) -> usize {
    match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(err) if err.error_len().is_none() => err.valid_up_to(),
        Err(_) => bytes.len(),
    }
}

impl<W: Write> Write for Sanitizer<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.drain(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain(true)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Sanitizer<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// `text` with every unsafe character escaped, except newlines, the CR of a
/// CRLF and (with `colors`) kith's own SGR sequences.
pub fn sanitize(text: &str, colors: bool) -> Cow<'_, str> {
    let safe = |c: char| !chars::is_unsafe(c) || c == '\n';
    // Most output is printable ASCII and newlines: one byte scan.
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) || b == b'\n')
        || text.chars().all(safe)
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let width = c.len_utf8();
        if c == '\u{1b}'
            && colors
            && let Some(len) = own_sgr_len(rest)
        {
            out.push_str(rest.get(..len).unwrap_or_default());
            rest = rest.get(len..).unwrap_or_default();
            continue;
        }
        if safe(c) || (c == '\r' && rest.get(width..).is_some_and(|r| r.starts_with('\n'))) {
            out.push(c);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        rest = rest.get(width..).unwrap_or_default();
    }
    Cow::Owned(out)
}

/// The length of the SGR sequence `text` starts with, when it is one of kith's.
fn own_sgr_len(text: &str) -> Option<usize> {
    let body = text.strip_prefix("\u{1b}[")?;
    let end = body.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
    let params = body.get(..end)?;
    (body.get(end..)?.starts_with('m') && end <= 16 && is_own_sgr(params)).then_some(2 + end + 1)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped() {
        assert_eq!(line("Ali\u{1b}[31mce"), "Ali\\u{1b}[31mce");
        assert_eq!(line("x\u{7}\u{0}y"), "x\\u{7}\\u{0}y");
        assert_eq!(line("abc\u{202E}fed"), "abc\\u{202e}fed");
        assert_eq!(line("zero\u{200B}width"), "zero\\u{200b}width");
        assert_eq!(line("a\u{2028}b"), "a\\u{2028}b");
        assert_eq!(line("csi\u{9b}2J"), "csi\\u{9b}2J");
        assert_eq!(line("two\nlines"), "two\\u{a}lines");
        assert_eq!(text("two\nlines\r"), "two\nlines\\u{d}");
        assert_eq!(line("Zoë 安藤 😀"), "Zoë 安藤 😀");
        assert!(matches!(line("C:\\path"), Cow::Borrowed(_)));
    }

    #[test]
    fn typed_escapes_survive_the_round_trip() {
        for typed in [
            "\\u{1b}",
            "\\\\u{1b}",
            "a\\",
            "\\\u{1b}",
            "u{1b}",
            "\\u{zz}",
            "\\u{",
        ] {
            assert_eq!(
                unescape(&line(typed)),
                typed,
                "{typed:?} -> {:?}",
                line(typed)
            );
        }
        assert_eq!(line("\\u{1b}"), "\\\\u{1b}");
    }

    #[test]
    fn the_sanitizer_passes_only_kiths_colours() {
        let hostile = "\u{1b}[1mbold\u{1b}[0m \u{1b}[38;5;14mcyan\u{1b}[39m \u{1b}[31mred \u{1b}]0;pwned\u{7} \u{1b}[2J";
        assert_eq!(
            sanitize(hostile, true),
            "\u{1b}[1mbold\u{1b}[0m \u{1b}[38;5;14mcyan\u{1b}[39m \\u{1b}[31mred \\u{1b}]0;pwned\\u{7} \\u{1b}[2J"
        );
        assert!(!sanitize(hostile, false).contains('\u{1b}'));
        assert_eq!(sanitize("a\r\nb\rc\n", false), "a\r\nb\\u{d}c\n");
    }

    #[test]
    fn a_ledger_for_display_holds_no_unsafe_character() {
        let mut ledger = Ledger::default();
        let now = chrono::DateTime::UNIX_EPOCH;
        let mut p = crate::core::model::Person::new("p-1".into(), "Ev\u{1b}[1me".into(), now);
        p.notes = Some("a\nb\u{202e}".into());
        ledger.people.push(p);
        ledger_for_display(&mut ledger);
        assert_eq!(ledger.people[0].name, "Ev\\u{1b}[1me");
        assert_eq!(ledger.people[0].notes.as_deref(), Some("a\nb\\u{202e}"));
        let mut long = Ledger::default();
        long.people.push(crate::core::model::Person::new(
            "p-2".into(),
            "x".repeat(50_000),
            now,
        ));
        ledger_for_display(&mut long);
        assert_eq!(long.people[0].name.chars().count(), 1001);
    }

    #[test]
    fn the_sanitizer_judges_split_writes_whole() {
        let mut out = Sanitizer::new(Vec::new(), true);
        let bytes = "é\u{1b}[1mx\u{1b}[0m\u{202E}\n".as_bytes();
        for byte in bytes {
            out.write_all(std::slice::from_ref(byte)).unwrap();
        }
        out.write_all("tail é".as_bytes()).unwrap();
        out.flush().unwrap();
        assert_eq!(
            String::from_utf8(out.get_mut().clone()).unwrap(),
            "é\u{1b}[1mx\u{1b}[0m\\u{202e}\ntail é"
        );
    }

    proptest! {
        #[test]
        fn escaping_round_trips_and_leaves_nothing_unsafe(input in any::<String>(), keep in any::<bool>()) {
            let escaped = chars::escape(&input, keep);
            prop_assert!(escaped.chars().all(|c| !chars::is_unsafe(c) || (keep && c == '\n')));
            prop_assert_eq!(unescape(&escaped), input);
        }

        #[test]
        fn hostile_pieces_round_trip(pieces in proptest::collection::vec(
            prop_oneof![Just("\\"), Just("u"), Just("{"), Just("}"), Just("1b"), Just("\u{1b}"),
                        Just("\u{202e}"), Just("\n"), Just("a")], 0..24)) {
            let input: String = pieces.concat();
            prop_assert_eq!(unescape(&line(&input)), input.clone());
            prop_assert_eq!(unescape(&text(&input)), input);
        }

        #[test]
        fn sanitized_output_has_no_foreign_escape(input in any::<String>()) {
            let plain = sanitize(&input, false);
            prop_assert!(plain.chars().all(|c| !chars::is_unsafe(c) || c == '\n' || c == '\r'));
            let coloured = sanitize(&input, true);
            let mut rest: &str = &coloured;
            while let Some(at) = rest.find('\u{1b}') {
                let tail = &rest[at..];
                let len = own_sgr_len(tail);
                prop_assert!(len.is_some(), "foreign escape in {:?}", coloured);
                rest = &tail[len.unwrap_or(1)..];
            }
        }
    }
}
