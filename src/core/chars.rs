//! Which characters the ledger's text may not hold, and why; and their
//! escaped form (`\u{1b}`) for places that show or export text.
//!
//! One rule shared by the argument checks (`ledger::check_name`/`check_text`),
//! the importers' cleaning, `kith doctor` and the terminal escaper: control
//! characters (C0, DEL, C1) can drive a terminal, and bidi controls and
//! invisible format characters can make what is shown differ from what is
//! stored (a name that reads "Alice" but sorts, matches or copies as another).
//! Newlines are the one exception, allowed in multi-line notes only.

use std::borrow::Cow;
use std::fmt::Write as _;

/// A bidi control: embeddings and overrides (U+202A–202E), isolates
/// (U+2066–2069), the marks (U+200E, U+200F, U+061C).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// A character that shows nothing but changes how text is laid out, joined
/// or compared: bidi controls, zero-width characters, line and paragraph
/// separators, the byte-order mark, invisible operators, interlinear
/// annotation marks, tag characters and the soft hyphen.
pub fn is_invisible_format(c: char) -> bool {
    is_bidi_control(c)
        || matches!(
            c,
            '\u{00AD}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{2060}'..='\u{2065}'
                | '\u{206A}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E0001}'
                | '\u{E0020}'..='\u{E007F}'
        )
}

/// Whether `c` may never be shown to a terminal as it is: a control
/// character (newline included; callers that keep lines handle it) or an
/// invisible format character.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// Why a text breaks the character rules, or `None` when it does not.
/// `multiline` allows newlines (and tabs, which notes have always kept).
pub fn forbidden(text: &str, multiline: bool) -> Option<Forbidden> {
    text.chars().find_map(|c| {
        if multiline && (c == '\n' || c == '\t') {
            None
        } else if c.is_control() {
            Some(Forbidden::Control(c))
        } else if is_invisible_format(c) {
            Some(Forbidden::Invisible(c))
        } else {
            None
        }
    })
}

/// The first character a text may not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forbidden {
    Control(char),
    Invisible(char),
}

impl Forbidden {
    /// "a control character (U+001B)", "an invisible or bidi character (U+202E)".
    pub fn describe(self) -> String {
        match self {
            Forbidden::Control(c) => format!("a control character (U+{:04X})", u32::from(c)),
            Forbidden::Invisible(c) => {
                format!("an invisible or bidi character (U+{:04X})", u32::from(c))
            }
        }
    }
}

/// Replaces every forbidden character with a space (newlines and tabs kept
/// when `multiline`, `\r\n` turned into `\n`); returns the text and how many
/// characters were replaced.
pub fn clean(text: &str, multiline: bool) -> (String, usize) {
    let mut replaced = 0;
    let text = if multiline && text.contains("\r\n") {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let cleaned = text
        .chars()
        .filter_map(|c| {
            if multiline && (c == '\n' || c == '\t') {
                Some(c)
            } else if is_invisible_format(c) {
                // Invisible characters vanish rather than leave a gap: a
                // zero-width space inside a word is no word break.
                replaced += 1;
                None
            } else if c.is_control() {
                replaced += 1;
                Some(' ')
            } else {
                Some(c)
            }
        })
        .collect();
    (cleaned, replaced)
}

fn must_escape(c: char, keep_newlines: bool) -> bool {
    is_unsafe(c) && !(keep_newlines && c == '\n')
}

/// `text` with every unsafe character shown as `\u{1b}` (newlines kept when
/// `keep_newlines`); a backslash run that would read as an escape is doubled,
/// so [`unescape`] gives `text` back. `view::escape` wraps it for output.
pub fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    // Most text is printable ASCII without a backslash: one byte scan.
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'\\')
    {
        return Cow::Borrowed(text);
    }
    if !text.chars().any(|c| must_escape(c, keep_newlines)) && !text.contains("\\u{") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut backslashes = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            backslashes += 1;
            continue;
        }
        let escaped = must_escape(c, keep_newlines);
        // A backslash run is doubled when `u{` follows it in the output, so
        // that [`unescape`] can tell typed backslashes from an escape.
        let reads_as_escape = escaped || (c == 'u' && chars.peek() == Some(&'{'));
        let run = if reads_as_escape {
            backslashes * 2
        } else {
            backslashes
        };
        out.extend(std::iter::repeat_n('\\', run));
        backslashes = 0;
        if escaped {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out.extend(std::iter::repeat_n('\\', backslashes));
    Cow::Owned(out)
}

/// The text [`escape`] was given back from what they returned.
/// Text they could not have produced is returned as it reads.
pub fn unescape(escaped: &str) -> String {
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped;
    while let Some(at) = rest.find('\\') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at..).unwrap_or_default();
        let run = after.bytes().take_while(|b| *b == b'\\').count();
        let tail = after.get(run..).unwrap_or_default();
        if !tail.starts_with("u{") {
            out.extend(std::iter::repeat_n('\\', run));
            rest = tail;
            continue;
        }
        out.extend(std::iter::repeat_n('\\', run / 2));
        if run % 2 == 0 {
            rest = tail;
            continue;
        }
        match parse_escape(tail) {
            Some((c, used)) => {
                out.push(c);
                rest = tail.get(used..).unwrap_or_default();
            }
            None => {
                out.push('\\');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `u{1b}...` -> (ESC, length of `u{1b}`).
fn parse_escape(tail: &str) -> Option<(char, usize)> {
    let body = tail.strip_prefix("u{")?;
    let close = body.find('}')?;
    let hex = body.get(..close)?;
    if hex.is_empty() || hex.len() > 6 {
        return None;
    }
    let code = u32::from_str_radix(hex, 16).ok()?;
    Some((char::from_u32(code)?, 2 + close + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listed_characters_are_caught() {
        for c in [
            '\u{1b}', '\u{7}', '\u{0}', '\u{7f}', '\u{9b}', '\u{85}', '\u{202E}', '\u{2066}',
            '\u{2069}', '\u{200B}', '\u{200F}', '\u{2028}', '\u{2029}', '\u{FEFF}', '\u{061C}',
        ] {
            assert!(is_unsafe(c), "{c:?}");
        }
        for c in ['a', 'é', '安', '😀', ' ', '-', 'ا'] {
            assert!(!is_unsafe(c), "{c:?}");
        }
    }

    #[test]
    fn forbidden_names_the_first_offender() {
        assert_eq!(forbidden("ok", false), None);
        assert_eq!(forbidden("a\nb", true), None);
        assert_eq!(forbidden("a\nb", false), Some(Forbidden::Control('\n')));
        assert_eq!(
            forbidden("al\u{202E}ice", false),
            Some(Forbidden::Invisible('\u{202E}'))
        );
        assert_eq!(
            Forbidden::Invisible('\u{202E}').describe(),
            "an invisible or bidi character (U+202E)"
        );
    }

    #[test]
    fn cleaning_counts_what_it_replaced() {
        assert_eq!(
            clean("Al\u{200B}ice\u{1b}[31m", false),
            ("Alice [31m".into(), 2)
        );
        assert_eq!(clean("a\r\nb\tc\u{2028}", true), ("a\nb\tc".into(), 1));
        assert_eq!(clean("plain", false), ("plain".into(), 0));
    }
}
