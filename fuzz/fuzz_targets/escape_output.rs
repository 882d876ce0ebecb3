//! The terminal escaper on any text: what `line`/`text` return holds no
//! control or invisible format character (newlines only from `text`) and
//! `unescape` gives the input back; `sanitize` lets no escape sequence through
//! with colour off, and only kith's own SGR colours with colour on.
#![no_main]

use libfuzzer_sys::fuzz_target;

use kith::core::chars::is_unsafe;
use kith::view::escape::{line, sanitize, text, unescape};

fuzz_target!(|input: &str| {
    let one = line(input);
    assert!(one.chars().all(|c| !is_unsafe(c)), "{one:?}");
    assert_eq!(unescape(&one), input);
    let many = text(input);
    assert!(many.chars().all(|c| !is_unsafe(c) || c == '\n'), "{many:?}");
    assert_eq!(unescape(&many), input);
    let plain = sanitize(input, false);
    assert!(!plain.contains('\u{1b}') && plain.chars().all(|c| !is_unsafe(c) || c == '\n' || c == '\r'));
    let coloured = sanitize(input, true);
    for piece in coloured.split('\u{1b}').skip(1) {
        let params: String = piece.chars().skip(1).take_while(|c| c.is_ascii_digit() || *c == ';').collect();
        assert!(piece.starts_with('[') && piece[1 + params.len()..].starts_with('m'), "{coloured:?}");
    }
});
