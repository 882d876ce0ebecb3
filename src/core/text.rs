//! Text as the ledger holds it: the length limits every way in shares (the
//! command line, `$EDITOR`, imports; SPEC "Safety of the data"), and the
//! folded form in which names are compared.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_spacing() {
        assert_eq!(fold("  Zoë   MÜLLER "), "zoe muller");
        assert_eq!(fold("Ann\tLee"), fold("ann lee"));
        assert_ne!(fold("Ann Lee"), fold("Anne Lee"));
    }
}
