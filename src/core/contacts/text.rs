//! Turning a contact file's bytes into text, and text into ledger-safe values.
//!
//! Address books come out of phones and mail programs in whatever encoding they
//! used: UTF-8 with or without a BOM, UTF-16 with or without a BOM, a legacy
//! charset named only inside the file (`CHARSET=SHIFT_JIS`), or one named
//! nowhere, which a detector guesses. Decoding is done
//! by `encoding_rs` once for the whole file, before any parsing, because a
//! multi-byte charset such as Shift_JIS can hide `\` or `;` inside a character
//! and must not be split by a byte-level parser first.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// A file's text, and the charset kith guessed for it when nothing said
/// which it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Set when the bytes were neither Unicode nor in a charset the file
    /// named, and a detector chose: the summary says so.
    pub guessed: Option<&'static str>,
}

/// Decodes a whole file: a BOM, else UTF-16 recognised by its zero bytes,
/// else UTF-8 when the bytes are valid UTF-8, else `charset_hint` (a charset
/// named inside the file: for vCard, a `CHARSET=` parameter), else the
/// charset `chardetng` (Firefox's detector) finds most likely.
pub fn decode(bytes: &[u8], charset_hint: Option<&str>) -> Decoded {
    let known = |text: String| Decoded {
        text,
        guessed: None,
    };
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        return known(encoding.decode_without_bom_handling(rest).0.into_owned());
    }
    if let Some(encoding) = sniff_utf16(bytes) {
        return known(encoding.decode_without_bom_handling(bytes).0.into_owned());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return known(text.to_string());
    }
    let named = charset_hint
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .filter(|e| *e != UTF_8);
    if let Some(encoding) = named {
        return known(encoding.decode_without_bom_handling(bytes).0.into_owned());
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    Decoded {
        text: encoding.decode_without_bom_handling(bytes).0.into_owned(),
        guessed: Some(encoding.name()),
    }
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

    fn text(bytes: &[u8], hint: Option<&str>) -> String {
        decode(bytes, hint).text
    }

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(text(b"\xEF\xBB\xBFBEGIN", None), "BEGIN");
        assert_eq!(decode(b"\xEF\xBB\xBFBEGIN", None).guessed, None);
    }

    #[test]
    fn utf16_without_bom_is_recognised_both_ways() {
        let plain = "BEGIN:VCARD\r\nFN:Zoë\r\nEND:VCARD\r\n";
        let le: Vec<u8> = plain.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = plain.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(text(&le, None), plain);
        assert_eq!(text(&be, None), plain);
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(&le);
        assert_eq!(text(&with_bom, None), plain);
    }

    #[test]
    fn legacy_bytes_use_the_hint_else_a_guess_that_is_reported() {
        // "安藤" in Shift_JIS.
        let sjis = b"N:\x88\xc0\x93\xa1";
        assert_eq!(
            decode(sjis, Some("SHIFT_JIS")),
            Decoded {
                text: "N:安藤".into(),
                guessed: None
            }
        );
        // 0x80 is the euro sign and 0xE9 é in Windows-1252.
        let western = decode(b"Caf\xe9 \x80 cr\xe8me br\xfbl\xe9e", None);
        assert_eq!(western.text, "Café € crème brûlée");
        assert_eq!(western.guessed, Some("windows-1252"));
        assert_eq!(text(b"Caf\xe9", Some("no-such-charset")), "Café");
    }

    #[test]
    fn a_shift_jis_file_without_a_charset_is_not_read_as_windows_1252() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS
            .encode("BEGIN:VCARD\r\nN:安藤;ロイド\r\nNOTE:東京都渋谷区の会社で働いています。\r\nEND:VCARD\r\n");
        let decoded = decode(&bytes, None);
        assert!(decoded.text.contains("安藤;ロイド"), "{}", decoded.text);
        assert_eq!(decoded.guessed, Some("Shift_JIS"));
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
