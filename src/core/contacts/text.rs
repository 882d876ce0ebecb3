//! Turning a contact file's bytes into text, and text into ledger-safe values.
//!
//! Address books come out of phones and mail programs in whatever encoding they
//! used: UTF-8 with or without a BOM, UTF-16 with or without a BOM, or a legacy
//! charset named only inside the file (`CHARSET=SHIFT_JIS`). Decoding is done
//! by `encoding_rs` once for the whole file, before any parsing, because a
//! multi-byte charset such as Shift_JIS can hide `\` or `;` inside a character
//! and must not be split by a byte-level parser first.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Decodes a whole file. `charset_hint` is a charset named inside the file (for
/// vCard, a `CHARSET=` parameter), used when the bytes are not UTF-8 or UTF-16;
/// without one, Windows-1252 is the last resort (it maps every byte).
pub fn decode(bytes: &[u8], charset_hint: Option<&str>) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        return encoding.decode_without_bom_handling(rest).0.into_owned();
    }
    if let Some(encoding) = sniff_utf16(bytes) {
        return encoding.decode_without_bom_handling(bytes).0.into_owned();
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_string();
    }
    let encoding = charset_hint
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .filter(|e| *e != UTF_8)
        .unwrap_or(WINDOWS_1252);
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// UTF-16 without a BOM: text that is mostly ASCII has a zero in every other byte.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = bytes.get(..bytes.len().min(4096))?;
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    // Three quarters of one side zero, almost none on the other.
    if odd * 4 >= pairs * 3 && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 4 >= pairs * 3 && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The first `CHARSET=` parameter value in a vCard file, read as ASCII.
pub fn vcard_charset(bytes: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"charset=";
    let start = bytes
        .windows(KEY.len())
        .position(|w| w.eq_ignore_ascii_case(KEY))?
        + KEY.len();
    let value: Vec<u8> = bytes
        .get(start..)?
        .iter()
        .copied()
        .skip_while(|b| *b == b'"')
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        .collect();
    let value = String::from_utf8(value).ok()?;
    (!value.is_empty()).then_some(value)
}

/// One line of text for the ledger: control characters become spaces,
/// invisible and bidi format characters are dropped (see
/// [`crate::core::chars`]), at most `max` characters.
pub fn clean_line(text: &str, max: usize) -> String {
    crate::core::chars::clean(text, false)
        .0
        .chars()
        .take(max)
        .collect()
}

/// Free text for the ledger: newlines and tabs kept (`\r\n` becomes `\n`),
/// other control characters become spaces, invisible and bidi format
/// characters are dropped, at most `max` characters.
pub fn clean_text(text: &str, max: usize) -> String {
    crate::core::chars::clean(text, true)
        .0
        .chars()
        .take(max)
        .collect()
}

/// How many characters [`clean_line`] (or, `multiline`, [`clean_text`])
/// replaces or drops in `text`.
pub fn unclean_count(text: &str, multiline: bool) -> usize {
    crate::core::chars::clean(text, multiline).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFBEGIN", None), "BEGIN");
    }

    #[test]
    fn utf16_without_bom_is_recognised_both_ways() {
        let text = "BEGIN:VCARD\r\nFN:Zoë\r\nEND:VCARD\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode(&le, None), text);
        assert_eq!(decode(&be, None), text);
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(&le);
        assert_eq!(decode(&with_bom, None), text);
    }

    #[test]
    fn legacy_bytes_use_the_hint_else_windows_1252() {
        // "安藤" in Shift_JIS.
        let sjis = b"N:\x88\xc0\x93\xa1";
        assert_eq!(decode(sjis, Some("SHIFT_JIS")), "N:安藤");
        // 0x80 is the euro sign and 0xE9 é in Windows-1252.
        assert_eq!(decode(b"Caf\xe9 \x80", None), "Café €");
        assert_eq!(decode(b"Caf\xe9", Some("no-such-charset")), "Café");
    }

    #[test]
    fn charset_parameter_is_found() {
        let card = b"N;CHARSET=\"Shift_JIS\":x\r\n";
        assert_eq!(vcard_charset(card).as_deref(), Some("Shift_JIS"));
        assert_eq!(vcard_charset(b"FN:x"), None);
    }

    #[test]
    fn cleaning_removes_controls_and_caps_length() {
        assert_eq!(clean_line("a\tb\u{1b}c", 10), "a b c");
        assert_eq!(clean_line("ééé", 2), "éé");
        assert_eq!(clean_text("a\r\nb\u{0}\tc", 10), "a\nb \tc");
        assert_eq!(clean_line("Al\u{202E}ice\u{200B}", 10), "Alice");
        assert_eq!(unclean_count("Al\u{202E}ice\u{1b}", false), 2);
    }
}
