//! The editor round trip of `kith edit PERSON`: when a saved record is
//! refused, the editor opens again on what the person wrote, with the reason
//! in comment lines at the top, until they save a valid record or empty the
//! file to give up. Nothing typed is thrown away.
//!
//! JSON has no comments: the lines kith adds start with `//` and are taken
//! off again (every leading `//` line) before the record is read.

/// What opens a note kith puts at the top of the buffer.
pub const NOTE: &str = "//";

/// `buffer` with the reason it was refused in comment lines on top (any
/// earlier notes replaced).
pub fn annotate(buffer: &str, problem: &str) -> String {
    let mut text = String::new();
    for line in problem.lines() {
        text.push_str(&format!("{NOTE} kith: not saved: {line}\n"));
    }
    text.push_str(&format!(
        "{NOTE} kith: fix the record below and save, or empty the file to change nothing.\n"
    ));
    text.push_str(&format!(
        "{NOTE} kith: these lines starting with {NOTE} are taken off when you save.\n"
    ));
    text.push_str(strip_notes(buffer));
    text
}

/// `buffer` without the comment lines at its top.
pub fn strip_notes(buffer: &str) -> &str {
    let mut rest = buffer;
    while rest.trim_start_matches([' ', '\t']).starts_with(NOTE) {
        rest = match rest.find('\n') {
            Some(end) => &rest[end + 1..],
            None => "",
        };
    }
    rest
}

/// What a save means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved<'a> {
    /// The file was emptied (notes aside): give up, change nothing.
    Emptied,
    /// Saved as it was shown after a refusal: the person gave up on fixing it.
    Untouched,
    /// A record to read: the text without the notes.
    Record(&'a str),
}

/// Reads a save of `shown`; `refused` says whether `shown` carried a
/// refusal. The same refused record saved again (with or without the notes)
/// is a person giving up, not a new attempt: the editor is not opened again.
pub fn saved<'a>(shown: &str, saved: &'a str, refused: bool) -> Saved<'a> {
    let body = strip_notes(saved);
    if body.trim().is_empty() {
        Saved::Emptied
    } else if refused && (saved == shown || body.trim() == strip_notes(shown).trim()) {
        Saved::Untouched
    } else {
        Saved::Record(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_keeps_the_buffer_under_the_reason() {
        let buffer = "{\n  \"name\": \"Ann\",\n}\n";
        let shown = annotate(buffer, "trailing comma at line 3, column 1");
        assert!(shown.starts_with("// kith: not saved: trailing comma at line 3, column 1\n"));
        assert!(shown.ends_with(buffer));
        assert_eq!(strip_notes(&shown), buffer);
        // A second refusal replaces the first note.
        let again = annotate(&shown, "still wrong");
        assert!(!again.contains("trailing comma"));
        assert_eq!(strip_notes(&again), buffer);
    }

    #[test]
    fn saves_are_read_as_emptied_untouched_or_a_record() {
        let shown = annotate("{ bad", "why");
        assert_eq!(saved(&shown, "", true), Saved::Emptied);
        assert_eq!(
            saved(&shown, "// kith: only notes\n  \n", true),
            Saved::Emptied
        );
        assert_eq!(saved(&shown, &shown, true), Saved::Untouched);
        assert_eq!(saved(&shown, "{ bad\n", true), Saved::Untouched);
        assert_eq!(saved(&shown, "{ good }", true), Saved::Record("{ good }"));
        // Unchanged on the first opening is simply the record as it was.
        assert_eq!(saved("{}", "{}", false), Saved::Record("{}"));
    }
}
