//! vCard 2.1, 3.0 and 4.0 in and out, through the `calcard` parser and writer.
//!
//! `calcard` handles what real address books write: folded lines (also
//! `\r\r\n` endings and folds inside words), quoted-printable with soft breaks
//! and a `CHARSET`, grouped properties, bare 2.1 parameters, embedded photos,
//! several cards per file. What it cannot do is read bytes that are not UTF-8,
//! so the file is decoded first (see [`super::text`]). It also applies the
//! backslash escapes of vCard 3.0 and 4.0 to 2.1 cards, which have none but
//! `\;` inside compound values, so 2.1 cards get their backslashes doubled
//! before it sees them ([`keep_v21_backslashes`]). Otherwise this module only
//! maps a card to a [`Contact`] and a person back to a card.
//!
//! Birthdays come from `BDAY` (Apple's `X-APPLE-OMIT-YEAR` marks a
//! yearless one), other dates from `ANNIVERSARY` and its older `X-`
//! spellings, and from Apple's and Google's `X-ABDATE` with the
//! `X-ABLabel` of the same group. The export writes the same properties
//! back, with kith's own fields as `X-KITH-` properties.

use std::borrow::Cow;

use calcard::common::PartialDateTime;
use calcard::vcard::{
    VCard, VCardEntry, VCardKind, VCardParameterName, VCardProperty, VCardValue, VCardVersion,
};
use calcard::{Entry, Parser};

use super::{Contact, ParseError, Parsed, Problem, birthdays, text};
use crate::core::model::{PartialDate, Person};

/// Parses every card in a vCard file. A file without a single card is an error.
pub fn parse_vcard(bytes: &[u8]) -> Result<Parsed, ParseError> {
    let charset = text::vcard_charset(bytes);
    let decoded = text::decode(bytes, charset.as_deref());
    let guessed = decoded.guessed;
    let decoded = keep_v21_backslashes(&decoded.text);
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
    Ok(super::csv::with_guess(parsed, guessed))
}

/// Doubles the backslashes of vCard 2.1 cards, which 2.1 does not treat as
/// escapes (`FN:A\B` is `A\B`), so that calcard's unescaping, which follows
/// 3.0 and 4.0, gives them back as written. The one 2.1 escape, `\;` inside a
/// compound value (N, ADR, ORG), is left for calcard to read as a `;`.
/// Cards of other versions are returned unchanged.
pub fn keep_v21_backslashes(text: &str) -> Cow<'_, str> {
    if !text.contains('\\') {
        return Cow::Borrowed(text);
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::with_capacity(text.len() + 64);
    let mut card_start = 0;
    while card_start < lines.len() {
        // A card runs from a BEGIN:VCARD to its END:VCARD (or the file's end).
        let is = |line: &str, what: &str| line.trim().eq_ignore_ascii_case(what);
        let begin = (card_start..lines.len())
            .find(|i| lines.get(*i).is_some_and(|l| is(l, "BEGIN:VCARD")))
            .unwrap_or(lines.len());
        let end = (begin..lines.len())
            .find(|i| lines.get(*i).is_some_and(|l| is(l, "END:VCARD")))
            .map_or(lines.len(), |i| i + 1);
        out.extend(
            lines
                .get(card_start..begin)
                .unwrap_or_default()
                .iter()
                .copied(),
        );
        let card = lines.get(begin..end).unwrap_or_default();
        let v21 = card.iter().any(|l| {
            let l = l.trim();
            l.len() >= 8
                && l.get(..8)
                    .is_some_and(|k| k.eq_ignore_ascii_case("VERSION:"))
                && l.get(8..).is_some_and(|v| v.trim() == "2.1")
        });
        if v21 {
            escape_card(card, &mut out);
        } else {
            out.extend(card.iter().copied());
        }
        card_start = end.max(begin + 1);
    }
    Cow::Owned(out)
}

/// [`keep_v21_backslashes`] on the lines of one 2.1 card.
fn escape_card(lines: &[&str], out: &mut String) {
    let mut compound = false;
    let mut quoted_printable = false;
    let mut continues = false;
    for line in lines {
        let folded = line.starts_with([' ', '\t']);
        let value = if continues || folded {
            *line
        } else {
            // A new property: `group.NAME;PARAMS:value`.
            let colon = value_start(line);
            let (head, value) = line.split_at(colon.min(line.len()));
            let name = head
                .split([';', ':'])
                .next()
                .unwrap_or_default()
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase();
            compound = matches!(name.as_str(), "N" | "ADR" | "ORG");
            quoted_printable = head.to_ascii_uppercase().contains("QUOTED-PRINTABLE");
            out.push_str(head);
            value
        };
        let mut chars = value.chars().peekable();
        while let Some(c) = chars.next() {
            out.push(c);
            if c == '\\' && !(compound && chars.peek() == Some(&';')) {
                out.push('\\');
            }
        }
        // A quoted-printable value goes on after a line ending in `=`.
        continues = quoted_printable && line.trim_end_matches(['\r', '\n']).ends_with('=');
    }
}

/// Where the value of a property line starts: after the first `:` outside
/// a quoted parameter value.
fn value_start(line: &str) -> usize {
    let mut quoted = false;
    for (at, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => return at + 1,
            _ => {}
        }
    }
    line.len()
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

/// Maps one card to a contact: FN (else a name built from N), NICKNAME,
/// EMAIL, TEL, URL, the first ORG's organisation name, NOTE, CATEGORIES,
/// BDAY and the dates. Photos and the rest are ignored.
fn contact_of(card: &VCard, line: usize) -> Contact {
    let mut contact = Contact {
        line,
        ..Contact::default()
    };
    let mut full_name = None;
    let mut n_name = None;
    let mut notes = Vec::new();
    for entry in &card.entries {
        match &entry.name {
            VCardProperty::Fn if full_name.is_none() => {
                full_name = first_text(entry).filter(|n| !n.trim().is_empty());
            }
            VCardProperty::N if n_name.is_none() => n_name = name_from_n(entry),
            VCardProperty::Nickname => contact.aliases.extend(texts(entry)),
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
            VCardProperty::Categories => contact
                .tags
                .extend(texts(entry).into_iter().filter(|t| !is_system_group(t))),
            VCardProperty::Bday if contact.birthday.is_none() => match date_of(entry) {
                Some(Ok(date)) => contact.birthday = Some(date),
                Some(Err(text)) => contact.warn_unreadable("BDAY", &text),
                None => {}
            },
            VCardProperty::Anniversary => {
                read_labelled(&mut contact, entry, "ANNIVERSARY", "anniversary")
            }
            VCardProperty::Other(name) => {
                let name = name.to_ascii_uppercase();
                match name.as_str() {
                    "X-ANNIVERSARY"
                    | "X-MS-ANNIVERSARY"
                    | "X-EVOLUTION-ANNIVERSARY"
                    | "X-KADDRESSBOOK-X-ANNIVERSARY" => {
                        read_labelled(&mut contact, entry, &name, "anniversary");
                    }
                    "X-ABDATE" | "X-KITH-DATE" => match label_of(card, entry) {
                        Some(label) => read_labelled(&mut contact, entry, &name, &label),
                        None => {
                            let shown = first_text(entry).unwrap_or_default();
                            contact.warnings.push(format!(
                                "{name} `{}` has no label; left out",
                                text::clean_line(&shown, 40)
                            ));
                        }
                    },
                    "X-KITH-HOW-MET" => contact.how_met = first_text(entry),
                    "X-KITH-MET-ON" => {
                        contact.met_on = match date_of(entry) {
                            Some(Ok(date)) => date.date(),
                            _ => None,
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    contact.name = full_name.or(n_name);
    if !notes.is_empty() {
        contact.notes = Some(notes.join("\n"));
    }
    contact
}

/// Groups every contact of an Android or Gmail address book is in: not a
/// tag anyone chose.
fn is_system_group(category: &str) -> bool {
    let name = category.trim().trim_start_matches("* ").to_lowercase();
    matches!(
        name.as_str(),
        "my contacts" | "mycontacts" | "starred in android"
    )
}

/// Each value of a list property (NICKNAME, CATEGORIES), trimmed.
fn texts(entry: &VCardEntry) -> Vec<String> {
    entry
        .values
        .iter()
        .map(value_text)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Adds the date of `entry` under `label`, or warns that it is unreadable.
fn read_labelled(contact: &mut Contact, entry: &VCardEntry, what: &str, label: &str) {
    match date_of(entry) {
        Some(Ok(date)) => contact.add_date(label, date),
        Some(Err(text)) => contact.warn_unreadable(what, &text),
        None => {}
    }
}

/// The `X-ABLabel` in the same group as `entry` (Apple and Google put a
/// date's label there), or kith's own `LABEL` parameter.
fn label_of(card: &VCard, entry: &VCardEntry) -> Option<String> {
    let from_param = entry.params.iter().find_map(|p| match &p.name {
        VCardParameterName::Label => Some(p.value.as_text().unwrap_or_default().to_string()),
        VCardParameterName::Other(name) if name.eq_ignore_ascii_case("X-LABEL") => {
            p.value.as_text().map(String::from)
        }
        _ => None,
    });
    let group = entry.group.as_deref();
    let from_group = group.and_then(|group| {
        card.entries.iter().find_map(|other| match &other.name {
            VCardProperty::Other(name)
                if name.eq_ignore_ascii_case("X-ABLABEL")
                    && other
                        .group
                        .as_deref()
                        .is_some_and(|g| g.eq_ignore_ascii_case(group)) =>
            {
                first_text(other)
            }
            _ => None,
        })
    });
    from_param
        .or(from_group)
        .map(|l| birthdays::label(&l))
        .filter(|l| !l.is_empty())
}

/// The date a BDAY-like property holds: `None` when it is empty, the text
/// when it cannot be read. Apple writes a birthday without a year as year
/// 1604 with `X-APPLE-OMIT-YEAR=1604`.
fn date_of(entry: &VCardEntry) -> Option<Result<PartialDate, String>> {
    let omit_year = entry.params.iter().find_map(|p| match &p.name {
        VCardParameterName::Other(name) if name.eq_ignore_ascii_case("X-APPLE-OMIT-YEAR") => {
            p.value.as_text().and_then(|y| y.trim().parse::<i32>().ok())
        }
        _ => None,
    });
    let value = entry.values.first()?;
    let date = match value {
        VCardValue::PartialDateTime(when) => from_calcard(when).ok_or_else(|| described(when)),
        other => {
            let text = value_text(other);
            match birthdays::read(&text) {
                birthdays::Read::Date(date) => Ok(date),
                birthdays::Read::Empty => return None,
                birthdays::Read::Unreadable => Err(text),
            }
        }
    };
    Some(date.map(|date| match (omit_year, date.year()) {
        (Some(omit), Some(year)) if omit == year => {
            PartialDate::new(None, date.month(), date.day()).unwrap_or(date)
        }
        _ => date,
    }))
}

/// calcard's reading of a date, when it is a real day (a time after it is ignored).
fn from_calcard(when: &PartialDateTime) -> Option<PartialDate> {
    PartialDate::new(
        when.year.map(i32::from),
        u32::from(when.month?),
        u32::from(when.day?),
    )
}

/// A date calcard could not make sense of, for the warning.
fn described(when: &PartialDateTime) -> String {
    let part = |v: Option<u16>| v.map_or("?".to_string(), |v| v.to_string());
    format!(
        "{}-{}-{}",
        part(when.year),
        part(when.month.map(u16::from)),
        part(when.day.map(u16::from))
    )
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

/// The people as vCard 4.0, one card each, written by calcard's writer
/// (which escapes, folds and formats dates as RFC 6350 says). [`parse_vcard`]
/// reads them back with the same name, aliases, emails, phones, org, urls,
/// tags, notes, how-met, met-on date, birthday and labelled dates.
pub fn export_vcard<'a>(people: impl IntoIterator<Item = &'a Person>) -> String {
    let mut out = String::new();
    for person in people {
        let text = |property: VCardProperty, value: &str| {
            VCardEntry::new(property).with_value(value.to_string())
        };
        let mut entries = vec![
            text(VCardProperty::Uid, &format!("urn:kith:{}", person.id)),
            text(VCardProperty::Fn, &person.name),
        ];
        entries.extend(
            person
                .aliases
                .iter()
                .map(|a| text(VCardProperty::Nickname, a)),
        );
        entries.extend(person.emails.iter().map(|e| text(VCardProperty::Email, e)));
        entries.extend(person.phones.iter().map(|p| text(VCardProperty::Tel, p)));
        entries.extend(person.urls.iter().map(|u| text(VCardProperty::Url, u)));
        if let Some(org) = &person.org {
            entries.push(text(VCardProperty::Org, org));
        }
        if let Some(notes) = &person.notes {
            entries.push(text(VCardProperty::Note, notes));
        }
        if !person.tags.is_empty() {
            let mut categories = VCardEntry::new(VCardProperty::Categories);
            for tag in &person.tags {
                categories = categories.with_value(tag.clone());
            }
            entries.push(categories);
        }
        if let Some(birthday) = person.birthday {
            entries.push(VCardEntry::new(VCardProperty::Bday).with_value(calcard_date(birthday)));
        }
        let mut group = 0;
        for date in &person.dates {
            if date.label == "anniversary" {
                entries.push(
                    VCardEntry::new(VCardProperty::Anniversary).with_value(calcard_date(date.date)),
                );
                continue;
            }
            // Apple's and Google's form, which address books show with its label.
            group += 1;
            let mut value = text(
                VCardProperty::Other("X-ABDATE".into()),
                &date.date.to_string(),
            );
            value.group = Some(format!("item{group}"));
            let mut label = text(VCardProperty::Other("X-ABLabel".into()), &date.label);
            label.group = Some(format!("item{group}"));
            entries.extend([value, label]);
        }
        if let Some(how_met) = &person.how_met {
            entries.push(text(VCardProperty::Other("X-KITH-HOW-MET".into()), how_met));
        }
        if let Some(met_on) = person.met_on {
            entries.push(text(
                VCardProperty::Other("X-KITH-MET-ON".into()),
                &met_on.to_string(),
            ));
        }
        let card = VCard { entries };
        // Writing into a String cannot fail.
        let _ = card.write_to(&mut out, VCardVersion::V4_0);
    }
    out
}

fn calcard_date(date: PartialDate) -> VCardValue {
    VCardValue::PartialDateTime(PartialDateTime {
        year: date.year().and_then(|y| u16::try_from(y).ok()),
        month: u8::try_from(date.month()).ok(),
        day: u8::try_from(date.day()).ok(),
        ..PartialDateTime::default()
    })
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
    fn quoted_printable_in_legacy_charsets_uses_full_tables() {
        // メモ in Shift_JIS, 你好 in Big5, 안녕 in EUC-KR, all quoted-printable in ASCII files.
        let card = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=88=C0=93=A1;=83=8D=83=43=83=68\r\nNOTE;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=83=81=83=82\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=BIG5;ENCODING=QUOTED-PRINTABLE:=A7=41=A6=6E\r\nORG;CHARSET=EUC-KR;ENCODING=QUOTED-PRINTABLE:=BE=C8=B3=E7\r\nEND:VCARD\r\n";
        let parsed = parse_vcard(card.as_bytes()).unwrap();
        assert_eq!(parsed.contacts[0].name.as_deref(), Some("ロイド 安藤"));
        assert_eq!(parsed.contacts[0].notes.as_deref(), Some("メモ"));
        assert_eq!(parsed.contacts[1].name.as_deref(), Some("你好"));
        assert_eq!(parsed.contacts[1].org.as_deref(), Some("안녕"));
        assert!(parsed.notices.is_empty());
    }

    #[test]
    fn a_legacy_file_without_a_charset_is_guessed_and_the_guess_reported() {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:安藤 ロイド\r\nNOTE:東京都渋谷区の会社で働いています。よろしくお願いします。\r\nEND:VCARD\r\n";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let parsed = parse_vcard(&bytes).unwrap();
        assert_eq!(parsed.contacts[0].name.as_deref(), Some("安藤 ロイド"));
        assert_eq!(parsed.notices.len(), 1);
        assert!(
            parsed.notices[0].contains("Shift_JIS"),
            "{:?}",
            parsed.notices
        );
    }

    #[test]
    fn v21_has_no_backslash_escapes_but_semicolons_in_compound_values() {
        let card = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A;B\\C\\;D:E\\\\\r\nN:Gump\\;Jr;Forrest\\x\r\nORG:Shrimp Co.;Sales\\;Marketing\r\nNOTE;ENCODING=QUOTED-PRINTABLE:C:\\dir =\r\n\\sub=3D\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\\, Lee\\\\x\r\nEND:VCARD\r\n";
        let parsed = parse_vcard(card.as_bytes()).unwrap();
        let v21 = &parsed.contacts[0];
        assert_eq!(v21.name.as_deref(), Some("A;B\\C\\;D:E\\\\"));
        assert_eq!(v21.org.as_deref(), Some("Shrimp Co."));
        assert_eq!(v21.notes.as_deref(), Some("C:\\dir \\sub="));
        // 3.0 keeps its escapes.
        assert_eq!(parsed.contacts[1].name.as_deref(), Some("Ann, Lee\\x"));
        let n_only = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Gump\\;Jr;Forrest\\x\r\nEND:VCARD\r\n";
        let parsed = parse_vcard(n_only.as_bytes()).unwrap();
        assert_eq!(
            parsed.contacts[0].name.as_deref(),
            Some("Forrest\\x Gump;Jr")
        );
    }

    #[test]
    fn birthdays_and_dates_in_every_form_and_unreadable_ones_reported() {
        let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29\r\nitem1.X-ABDATE;type=pref:2015-06-01\r\nitem1.X-ABLabel:_$!<Anniversary>!$_\r\nitem2.X-ABDATE:2021-03-01\r\nitem2.X-ABLabel:started at Stripe\r\nX-ABDATE:1776-07-04\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bo\r\nBDAY;VALUE=text:circa 1950\r\nANNIVERSARY:--0612\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:Cy\r\nBDAY:19800322\r\nX-MS-ANNIVERSARY:20110113\r\nEND:VCARD\r\n";
        let parsed = parse_vcard(card.as_bytes()).unwrap();
        let [ann, bo, cy] = parsed.contacts.as_slice() else {
            panic!("{parsed:?}");
        };
        assert_eq!(
            ann.birthday.map(|b| b.to_string()).as_deref(),
            Some("--02-29")
        );
        let dates: Vec<String> = ann
            .dates
            .iter()
            .map(|d| format!("{}={}", d.label, d.date))
            .collect();
        assert_eq!(
            dates,
            ["anniversary=2015-06-01", "started at Stripe=2021-03-01"]
        );
        assert_eq!(ann.warnings.len(), 1, "{:?}", ann.warnings);
        assert!(ann.warnings[0].contains("no label"));
        assert_eq!(bo.birthday, None);
        assert_eq!(
            bo.warnings,
            ["BDAY `circa 1950` is not a date kith can read; left out"]
        );
        assert_eq!(bo.dates[0].date.to_string(), "--06-12");
        assert_eq!(
            cy.birthday.map(|b| b.to_string()).as_deref(),
            Some("1980-03-22")
        );
        assert_eq!(cy.dates[0].date.to_string(), "2011-01-13");
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
