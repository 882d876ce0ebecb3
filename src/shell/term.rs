//! The terminal as a place for diagnostics: warnings and notes on stderr.
//! Results go to the `out` a command is given; only this module writes to
//! stderr outside `main`'s error printing.

use std::io::Write;

/// A warning on stderr; a closed stderr is not worth failing over.
pub fn warn(message: &str) {
    note(&format!("warning: {message}"));
}

/// A line on stderr, with control and invisible characters from data or
/// arguments escaped (see `view::escape`).
pub fn note(line: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "{}",
        crate::view::escape::sanitize(line, false)
    );
}
