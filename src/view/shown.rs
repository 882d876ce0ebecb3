//! Text from the ledger or the command line, made safe to show on a
//! terminal: control characters and invisible or bidi formatting characters
//! are shown escaped, so a name is always data and never a terminal command.

/// Characters from data that must not reach the terminal as themselves
/// (controls, bidi overrides, invisible formatting), shown escaped.
pub fn plain(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_format(c) {
            shown.push_str(&c.escape_unicode().to_string());
        } else {
            shown.push(c);
        }
    }
    shown
}

/// Bidi controls, zero-width characters and other invisible formatting.
pub fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}
