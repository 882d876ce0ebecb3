//! vCard 2.1, 3.0 and 4.0 in and out, through the `calcard` parser and writer.
//!
//! `calcard` handles what real address books write: folded lines (also
//! `\r\r\n` endings and folds inside words), quoted-printable with soft breaks
//! and a `CHARSET`, grouped properties, bare 2.1 parameters, embedded photos,
//! several cards per file. What it cannot do is read bytes that are not UTF-8,
//! so the file is decoded first (see [`super::text`]); this module only maps a
//! card to a [`Contact`] and a person back to a card.

use calcard::vcard::{VCard, VCardEntry, VCardKind, VCardProperty, VCardValue, VCardVersion};
use calcard::{Entry, Parser};

use super::{Contact, ParseError, Parsed, Problem, text};
use crate::core::model::Person;

/// Parses every card in a vCard file. A file without a single card is an error.
pub fn parse_vcard(bytes: &[u8]) -> Result<Parsed, ParseError> {
    let charset = text::vcard_charset(bytes);
    let decoded = text::decode(bytes, charset.as_deref());
    let begin_lines = begin_lines(&decoded);
    if begin_lines.is_empty() {
        return Err(ParseError::new(
            "no vCard found in the file (expected a line `BEGIN:VCARD`)",
        ));
    }
    let mut parsed = Parsed::default();
    let mut parser = Parser::new(&decoded);
    let mut index = 0;
    loop {
        let line = begin_lines
            .get(index)
            .or(begin_lines.last())
            .copied()
            .unwrap_or(1);
        match parser.entry() {
            Entry::VCard(card) if is_group(&card) => {
                parsed.problems.push(Problem {
                    line,
                    reason: "a contact group, not a person".into(),
                });
                index += 1;
            }
            Entry::VCard(card) => {
                parsed.contacts.push(contact_of(&card, line));
                index += 1;
            }
            Entry::UnterminatedComponent(_) => {
                parsed.problems.push(Problem {
                    line,
                    reason: "card has no END:VCARD".into(),
                });
                index += 1;
            }
            Entry::ICalendar(_) => {
                parsed.problems.push(Problem {
                    line,
                    reason: "a calendar, not a contact".into(),
                });
            }
            Entry::TooManyComponents => {
                parsed.problems.push(Problem {
                    line,
                    reason: "too deeply nested; the rest of the file was not read".into(),
                });
                break;
            }
            // Stray lines between cards (comments, blank lines) are not records.
            Entry::InvalidLine(_) | Entry::UnexpectedComponentEnd { .. } => {}
            Entry::Eof => break,
            _ => {}
        }
    }
    Ok(parsed)
}

/// A contact group (`KIND:group`, or Apple's `X-ADDRESSBOOKSERVER-KIND:group`)
/// lists members; it is nobody to keep in touch with.
fn is_group(card: &VCard) -> bool {
    card.entries.iter().any(|entry| {
        let kind_property = match &entry.name {
            VCardProperty::Kind => true,
            VCardProperty::Other(name) => name.eq_ignore_ascii_case("X-ADDRESSBOOKSERVER-KIND"),
            _ => false,
        };
        kind_property
            && entry.values.iter().any(|v| match v {
                VCardValue::Kind(VCardKind::Group) => true,
                VCardValue::Text(text) => text.trim().eq_ignore_ascii_case("group"),
                _ => false,
            })
    })
}

/// The 1-based line of each `BEGIN:VCARD`, in order.
fn begin_lines(text: &str) -> Vec<usize> {
    // `lines()` would count `\r\r\n` as one line; count `\n` only.
    text.split('\n')
        .enumerate()
        .filter(|(_, l)| {
            l.trim_start_matches('\u{feff}')
                .trim()
                .eq_ignore_ascii_case("BEGIN:VCARD")
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// Maps one card to a contact: FN (else a name built from N), EMAIL, TEL,
/// URL, the first ORG's organisation name, NOTE. Photos and the rest are ignored.
fn contact_of(card: &VCard, line: usize) -> Contact {
    let mut contact = Contact {
        line,
        ..Contact::default()
    };
    let mut full_name = None;
    let mut n_name = None;
    let mut notes = Vec::new();
    for entry in &card.entries {
        match entry.name {
            VCardProperty::Fn if full_name.is_none() => {
                full_name = first_text(entry).filter(|n| !n.trim().is_empty());
            }
            VCardProperty::N if n_name.is_none() => n_name = name_from_n(entry),
            VCardProperty::Email => contact.emails.extend(first_text(entry)),
            VCardProperty::Tel => contact
                .phones
                .extend(first_text(entry).map(|t| strip_tel(&t))),
            VCardProperty::Url => contact.urls.extend(first_text(entry)),
            VCardProperty::Org if contact.org.is_none() => {
                contact.org = entry
                    .values
                    .iter()
                    .map(value_text)
                    .find(|t| !t.trim().is_empty());
            }
            VCardProperty::Note => notes.extend(first_text(entry)),
            _ => {}
        }
    }
    contact.name = full_name.or(n_name);
    if !notes.is_empty() {
        contact.notes = Some(notes.join("\n"));
    }
    contact
}

fn first_text(entry: &VCardEntry) -> Option<String> {
    let joined: Vec<String> = entry.values.iter().map(value_text).collect();
    let text = joined.join(",");
    (!text.is_empty()).then_some(text)
}

/// A value as text. An undecodable quoted-printable value arrives as bytes:
/// read it as UTF-8 with U+FFFD for what is not.
fn value_text(value: &VCardValue) -> String {
    match value {
        VCardValue::Text(text) => text.clone(),
        VCardValue::Component(parts) => parts.join(" "),
        VCardValue::Binary(data) => String::from_utf8_lossy(&data.data).into_owned(),
        VCardValue::Integer(n) => n.to_string(),
        VCardValue::Float(n) => n.to_string(),
        VCardValue::Boolean(b) => b.to_string(),
        _ => String::new(),
    }
}

/// `N:family;given;additional;prefix;suffix` as "prefix given additional family suffix".
fn name_from_n(entry: &VCardEntry) -> Option<String> {
    let parts: Vec<String> = entry.values.iter().map(value_text).collect();
    let part = |i: usize| parts.get(i).map(|p| p.trim()).unwrap_or_default();
    let name = [part(3), part(1), part(2), part(0), part(4)]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some(name)
}

/// `tel:+1-555-0100;ext=1` (vCard 4.0 URI form) as `+1-555-0100;ext=1`.
fn strip_tel(value: &str) -> String {
    let trimmed = value.trim();
    match trimmed.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("tel:") => {
            trimmed.get(4..).unwrap_or_default().to_string()
        }
        _ => trimmed.to_string(),
    }
}

/// The people as vCard 4.0, one card each, which [`parse_vcard`] reads back
/// with the same name, emails, phones, org, urls and notes.
pub fn export_vcard<'a>(people: impl IntoIterator<Item = &'a Person>) -> String {
    let mut out = String::new();
    for person in people {
        let mut entries = vec![
            VCardEntry::new(VCardProperty::Uid).with_value(format!("urn:kith:{}", person.id)),
            VCardEntry::new(VCardProperty::Fn).with_value(person.name.clone()),
        ];
        entries.extend(
            person
                .emails
                .iter()
                .map(|e| VCardEntry::new(VCardProperty::Email).with_value(e.clone())),
        );
        entries.extend(
            person
                .phones
                .iter()
                .map(|p| VCardEntry::new(VCardProperty::Tel).with_value(p.clone())),
        );
        entries.extend(
            person
                .urls
                .iter()
                .map(|u| VCardEntry::new(VCardProperty::Url).with_value(u.clone())),
        );
        if let Some(org) = &person.org {
            entries.push(VCardEntry::new(VCardProperty::Org).with_value(org.clone()));
        }
        if let Some(notes) = &person.notes {
            entries.push(VCardEntry::new(VCardProperty::Note).with_value(notes.clone()));
        }
        let card = VCard { entries };
        // Writing into a String cannot fail.
        let _ = card.write_to(&mut out, VCardVersion::V4_0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(parsed: &Parsed) -> Vec<Option<String>> {
        parsed.contacts.iter().map(|c| c.name.clone()).collect()
    }

    #[test]
    fn quoted_printable_soft_breaks_and_charset() {
        let card = b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=A4x M=\r\nuster=\r\nmann\r\nEND:VCARD\r\n";
        let parsed = parse_vcard(card).unwrap();
        assert_eq!(names(&parsed), [Some("Mäx Mustermann".to_string())]);
    }

    #[test]
    fn windows_1252_raw_and_quoted_printable() {
        let card = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=WINDOWS-1252:M\xfcller;J\xfcrgen\r\nORG;CHARSET=WINDOWS-1252;ENCODING=QUOTED-PRINTABLE:Caf=E9 =80\r\nEND:VCARD\r\n";
        let parsed = parse_vcard(card).unwrap();
        let contact = &parsed.contacts[0];
        assert_eq!(contact.name.as_deref(), Some("Jürgen Müller"));
        assert_eq!(contact.org.as_deref(), Some("Café €"));
    }

    #[test]
    fn shift_jis_raw_bytes() {
        // N:安藤;ロイド in Shift_JIS; ド (0x83 0x68) and ロ (0x83 0x8D) need the whole-file decode.
        let card = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:\x88\xc0\x93\xa1;\x83\x8d\x83\x43\x83\x68\r\nEND:VCARD\r\n";
        let parsed = parse_vcard(card).unwrap();
        assert_eq!(names(&parsed), [Some("ロイド 安藤".to_string())]);
    }

    #[test]
    fn utf16_without_bom_and_utf8_bom() {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ådahl\r\nEMAIL:zoe@x.org\r\nEND:VCARD\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(
            names(&parse_vcard(&le).unwrap()),
            [Some("Zoë Ådahl".into())]
        );
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(text.as_bytes());
        let parsed = parse_vcard(&bom).unwrap();
        assert_eq!(names(&parsed), [Some("Zoë Ådahl".into())]);
        assert_eq!(parsed.contacts[0].emails, ["zoe@x.org"]);
    }

    #[test]
    fn cr_cr_lf_folds_groups_and_photos() {
        let card = "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nFN:Ann\r\r\n  Lee\r\r\nitem1.EMAIL;type=INTERNET:ann@\r\r\n x.org\r\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\r\n /2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGBwkIChUMDQ8O\r\r\nTEL;TYPE=CELL:+1 555 0100\r\r\nEND:VCARD\r\r\n";
        let parsed = parse_vcard(card.as_bytes()).unwrap();
        let contact = &parsed.contacts[0];
        assert_eq!(contact.name.as_deref(), Some("Ann Lee"));
        assert_eq!(contact.emails, ["ann@x.org"]);
        assert_eq!(contact.phones, ["+1 555 0100"]);
    }

    #[test]
    fn lines_point_at_each_card_and_no_card_is_an_error() {
        let text =
            "\r\nBEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n\r\nBEGIN:VCARD\r\nN:B;C\r\nEND:VCARD\r\n";
        let parsed = parse_vcard(text.as_bytes()).unwrap();
        let lines: Vec<usize> = parsed.contacts.iter().map(|c| c.line).collect();
        assert_eq!(lines, [2, 6]);
        assert_eq!(names(&parsed), [Some("A".into()), Some("C B".into())]);
        assert!(parse_vcard(b"Name,Email\nA,a@x\n").is_err());
        assert!(parse_vcard(b"").is_err());
    }

    #[test]
    fn comment_lines_and_cards_without_names() {
        let text = "# exported by hand\r\nBEGIN:VCARD\r\nVERSION:3.0\r\n# a comment inside\r\nFN:Ann\r\nEND:VCARD\r\n# between\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:x@y.org\r\nTEL:tel:+1-555\r\nEND:VCARD\r\n";
        let parsed = parse_vcard(text.as_bytes()).unwrap();
        assert_eq!(names(&parsed), [Some("Ann".into()), None]);
        assert_eq!(parsed.contacts[1].emails, ["x@y.org"]);
        assert_eq!(parsed.contacts[1].phones, ["+1-555"]);
        assert_eq!(parsed.contacts[1].line, 8);
    }

    #[test]
    fn contact_groups_are_skipped_with_a_reason() {
        let text = "BEGIN:VCARD\nVERSION:4.0\nKIND:group\nFN:Friends\nMEMBER:urn:uuid:1\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nX-ADDRESSBOOKSERVER-KIND:group\nFN:Team\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nKIND:individual\nFN:Ann\nEND:VCARD\n";
        let parsed = parse_vcard(text.as_bytes()).unwrap();
        assert_eq!(names(&parsed), [Some("Ann".into())]);
        let lines: Vec<usize> = parsed.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 7]);
        assert!(parsed.problems[0].reason.contains("group"));
    }

    #[test]
    fn garbage_never_panics() {
        for input in [
            &b"BEGIN:VCARD\r\n"[..],
            b"BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:=\n=\nEND:VCARD",
            b"BEGIN:VCARD\nPHOTO;ENCODING=BASE64:!!!\nEND:VCARD\nEND:VCARD\nBEGIN:VCALENDAR",
            b"BEGIN:VCARD\n\xff\xfe\x00\x00\nEND:VCARD",
        ] {
            let _ = parse_vcard(input);
        }
    }

    #[test]
    fn export_reads_back() {
        let now = "2026-03-01T10:00:00Z".parse().unwrap();
        let mut person = Person::new("p-1".into(), "Ann, the; \"Lee\"".into(), now);
        person.emails = vec!["ann@x.org".into(), "a@y.org".into()];
        person.phones = vec!["+1 555 0100".into()];
        person.urls = vec!["https://www.linkedin.com/in/ann".into()];
        person.org = Some("Company, The; Dept".into());
        person.notes = Some("line one\nline two, with; marks \\ done\tand a tab".into());
        let text = export_vcard([&person]);
        assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"), "{text}");
        let parsed = parse_vcard(text.as_bytes()).unwrap();
        let back = &parsed.contacts[0];
        assert_eq!(back.name.as_deref(), Some(person.name.as_str()));
        assert_eq!(back.emails, person.emails);
        assert_eq!(back.phones, person.phones);
        assert_eq!(back.urls, person.urls);
        assert_eq!(back.org, person.org);
        assert_eq!(back.notes, person.notes);
    }
}
