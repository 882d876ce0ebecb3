//! Text as the ledger holds it: the length limits every way in shares (the
//! command line, `$EDITOR`, imports; SPEC "Safety of the data"), and the
//! folded form in which names are compared.

use crate::error::Error;

/// Longest name (or alias, email, phone, organisation) the ledger accepts, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest free text (a favour, a note, a URL) the ledger accepts, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Longest label of a person's date ("started at Stripe"), in characters.
pub const MAX_LABEL_CHARS: usize = 100;

/// Lowercased, accents removed, runs of whitespace made one space: the form
/// in which names are matched (`kith gave ann`), checked for duplicates
/// (`kith add`, `kith people --duplicates`) and compared in lists.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` as one word a shell reads back as it is, for hints that show a
/// command to paste: plain words stay bare (`alice`, `e-3f9a0c1`,
/// `Zoë`), anything else goes in double quotes with `"`, `\`, `$` and `` ` ``
/// escaped (`"Kevin Spammer"`).
pub fn shell_word(text: &str) -> String {
    let bare = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || "@._+-/:,=%".contains(c));
    if bare {
        return text.to_string();
    }
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// Refuses empty texts, control characters (newlines only where `multiline`),
/// bidi and invisible format characters, and texts over [`MAX_TEXT_CHARS`].
pub fn check_text(field: &str, text: &str, multiline: bool) -> anyhow::Result<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::usage(format!("the {field} is empty")).into());
    }
    if let Some(bad) = crate::core::chars::forbidden(trimmed, multiline) {
        return Err(Error::usage(format!("the {field} contains {}", bad.describe())).into());
    }
    let chars = trimmed.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(Error::usage(format!(
            "the {field} is {chars} characters long; the limit is {MAX_TEXT_CHARS}"
        ))
        .into());
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_paste_back_as_one_argument() {
        assert_eq!(shell_word("alice"), "alice");
        assert_eq!(shell_word("e-3f9a0c1"), "e-3f9a0c1");
        assert_eq!(shell_word("Zoë"), "Zoë");
        assert_eq!(shell_word("Kevin Spammer"), "\"Kevin Spammer\"");
        assert_eq!(shell_word("O'Brien"), "\"O'Brien\"");
        assert_eq!(
            shell_word("a \"b\" $c `d` \\e"),
            "\"a \\\"b\\\" \\$c \\`d\\` \\\\e\""
        );
        assert_eq!(shell_word(""), "\"\"");
    }

    #[test]
    fn folding_ignores_case_accents_and_spacing() {
        assert_eq!(fold("  Zoë   MÜLLER "), "zoe muller");
        assert_eq!(fold("Ann\tLee"), fold("ann lee"));
        assert_ne!(fold("Ann Lee"), fold("Anne Lee"));
    }
}
