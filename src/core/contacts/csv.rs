//! Contacts from CSV: LinkedIn `Connections.csv`, Google Contacts, any CSV with a header.
//!
//! The three share one reader (the `csv` crate, which handles quoted fields
//! that span lines) and one column recogniser: a header is matched
//! case-insensitively against the names these exports and spreadsheets use,
//! `--column FIELD=HEADER` overrides it, and Google's numbered columns
//! (`E-mail 2 - Value`, values joined by ` ::: `) all count. LinkedIn's export
//! opens with a "Notes:" preamble before its header, which is skipped.

use chrono::NaiveDate;
use csv::{ReaderBuilder, StringRecord};

use super::{Contact, ParseError, Parsed, Problem, text};

/// The kith fields a column can fill, as named in `--column FIELD=HEADER`.
pub const FIELDS: &[&str] = &[
    "name", "first", "middle", "last", "email", "phone", "org", "position", "url", "notes", "tags",
    "met_on",
];

/// LinkedIn's `Connections.csv`, with or without its "Notes:" preamble.
pub fn parse_linkedin(bytes: &[u8]) -> Result<Parsed, ParseError> {
    let decoded = text::decode(bytes, None);
    let skipped = decoded
        .split('\n')
        .position(|line| {
            let line = line.trim_start_matches('\u{feff}').trim_start_matches('"');
            line.get(..10)
                .is_some_and(|start| start.eq_ignore_ascii_case("first name"))
        })
        .ok_or_else(|| {
            ParseError::new(
                "no LinkedIn header found (expected a line starting with `First Name,Last Name`)",
            )
        })?;
    let body: String = decoded
        .split('\n')
        .skip(skipped)
        .collect::<Vec<_>>()
        .join("\n");
    read(&body, skipped, &[])
}

/// A Google Contacts export, in the older (`Name,Given Name,…`) or newer
/// (`First Name,Middle Name,Last Name,…`) layout.
pub fn parse_google(bytes: &[u8]) -> Result<Parsed, ParseError> {
    read(&text::decode(bytes, None), 0, &[])
}

/// Any CSV with a header row; `columns` maps kith fields to header names.
pub fn parse_csv(bytes: &[u8], columns: &[(String, String)]) -> Result<Parsed, ParseError> {
    read(&text::decode(bytes, None), 0, columns)
}

/// Which columns feed which field.
#[derive(Debug, Default)]
struct Columns {
    name: Vec<usize>,
    first: Vec<usize>,
    middle: Vec<usize>,
    last: Vec<usize>,
    email: Vec<usize>,
    phone: Vec<usize>,
    org: Vec<usize>,
    position: Vec<usize>,
    url: Vec<usize>,
    notes: Vec<usize>,
    tags: Vec<usize>,
    met_on: Vec<usize>,
}

impl Columns {
    fn field_mut(&mut self, field: &str) -> Option<&mut Vec<usize>> {
        Some(match field {
            "name" => &mut self.name,
            "first" => &mut self.first,
            "middle" => &mut self.middle,
            "last" => &mut self.last,
            "email" => &mut self.email,
            "phone" => &mut self.phone,
            "org" => &mut self.org,
            "position" => &mut self.position,
            "url" => &mut self.url,
            "notes" => &mut self.notes,
            "tags" => &mut self.tags,
            "met_on" => &mut self.met_on,
            _ => return None,
        })
    }

    fn recognise(header: &StringRecord) -> Columns {
        let mut columns = Columns::default();
        for (index, raw) in header.iter().enumerate() {
            let name = raw.trim().trim_start_matches('\u{feff}').to_lowercase();
            if let Some(list) = field_of(&name).and_then(|field| columns.field_mut(field)) {
                list.push(index);
            }
        }
        columns
    }

    fn has_identity(&self) -> bool {
        !(self.name.is_empty()
            && self.first.is_empty()
            && self.last.is_empty()
            && self.email.is_empty())
    }
}

/// The kith field a (lower-cased) header name stands for.
fn field_of(header: &str) -> Option<&'static str> {
    let field = match header {
        "name" | "full name" | "display name" | "fn" | "contact" | "contact name" => "name",
        "first name" | "first" | "firstname" | "given name" | "given" => "first",
        "middle name" | "additional name" | "middle" => "middle",
        "last name" | "last" | "lastname" | "surname" | "family name" | "family" => "last",
        "email" | "e-mail" | "email address" | "e-mail address" | "mail" | "emails" => "email",
        "phone" | "telephone" | "tel" | "mobile" | "phone number" | "cell" => "phone",
        "company"
        | "organization"
        | "organisation"
        | "org"
        | "organization name"
        | "organization 1 - name"
        | "employer" => "org",
        "position" | "title" | "job title" | "organization title" | "organization 1 - title" => {
            "position"
        }
        "url" | "website" | "web" | "web page" | "linkedin" | "profile" | "profile url" => "url",
        "notes" | "note" | "comments" => "notes",
        "tags" | "tag" => "tags",
        "connected on" | "met on" | "met_on" | "met" => "met_on",
        _ => return numbered_field(header),
    };
    Some(field)
}

/// Google's numbered columns: `E-mail 1 - Value`, `Phone 2 - Value`, `Website 1 - Value`.
fn numbered_field(header: &str) -> Option<&'static str> {
    let (kind, rest) = header.split_once(' ')?;
    let (number, part) = rest.split_once(" - ")?;
    if part != "value" || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match kind {
        "e-mail" | "email" => Some("email"),
        "phone" => Some("phone"),
        "website" => Some("url"),
        _ => None,
    }
}

fn read(
    body: &str,
    line_offset: usize,
    overrides: &[(String, String)],
) -> Result<Parsed, ParseError> {
    let mut reader = ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(body.as_bytes());
    let header = reader
        .headers()
        .map_err(|err| ParseError::new(format!("could not read the CSV header: {err}")))?
        .clone();
    let mut columns = Columns::recognise(&header);
    for (field, wanted) in overrides {
        let index = header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(wanted.trim()))
            .ok_or_else(|| {
                ParseError::new(format!(
                    "no column `{wanted}` in the header (columns: {})",
                    header.iter().collect::<Vec<_>>().join(", ")
                ))
            })?;
        let list = columns.field_mut(field).ok_or_else(|| {
            ParseError::new(format!(
                "unknown field `{field}` in --column (valid: {})",
                FIELDS.join(", ")
            ))
        })?;
        *list = vec![index];
    }
    if !columns.has_identity() {
        return Err(ParseError::new(format!(
            "no name or email column in the header (columns: {})",
            header.iter().collect::<Vec<_>>().join(", ")
        ))
        .hint("name one with --column name=HEADER or --column email=HEADER"));
    }
    let mut parsed = Parsed::default();
    let lines = Lines::new(body);
    for result in reader.records() {
        match result {
            Ok(record) => {
                let line = lines.at(record.position()) + line_offset;
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                parsed.contacts.push(contact_of(&record, &columns, line));
            }
            Err(err) => {
                let line = lines.at(err.position()) + line_offset;
                parsed.problems.push(Problem {
                    line,
                    reason: format!("unreadable CSV record: {err}"),
                });
            }
        }
    }
    Ok(parsed)
}

/// Finds the 1-based line of a byte offset in the body, in log time (the
/// reader's own line count is off for the first record after the header).
struct Lines<'a> {
    body: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(body: &'a str) -> Lines<'a> {
        let body = body.as_bytes();
        let newlines = body
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i)
            .collect();
        Lines { body, newlines }
    }

    fn at(&self, position: Option<&csv::Position>) -> usize {
        let byte = position.map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        // The reader starts a record on the `\n` of the previous `\r\n`: skip it.
        let start = self
            .body
            .get(byte..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count()
            + byte;
        self.newlines.partition_point(|nl| *nl < start) + 1
    }
}

fn contact_of(record: &StringRecord, columns: &Columns, line: usize) -> Contact {
    let values = |indexes: &[usize]| -> Vec<String> {
        indexes
            .iter()
            .filter_map(|i| record.get(*i))
            .flat_map(|v| v.split(" ::: "))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    };
    let first = |indexes: &[usize]| values(indexes).into_iter().next();
    let name = first(&columns.name).or_else(|| {
        let parts: Vec<String> = [&columns.first, &columns.middle, &columns.last]
            .iter()
            .filter_map(|c| first(c))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    let mut notes: Vec<String> = values(&columns.notes);
    if let Some(position) = first(&columns.position) {
        notes.insert(0, format!("Position: {position}"));
    }
    Contact {
        name,
        emails: values(&columns.email),
        phones: values(&columns.phone),
        urls: values(&columns.url),
        org: first(&columns.org),
        notes: (!notes.is_empty()).then(|| notes.join("\n")),
        met_on: first(&columns.met_on).and_then(|d| parse_date(&d)),
        tags: values(&columns.tags)
            .iter()
            .flat_map(|t| t.split([',', ';']))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        line,
    }
}

/// Dates as exports write them: `22 Dec 2025` (LinkedIn), ISO, US.
fn parse_date(text: &str) -> Option<NaiveDate> {
    [
        "%d %b %Y",
        "%Y-%m-%d",
        "%m/%d/%y",
        "%m/%d/%Y",
        "%b %d, %Y",
        "%d %B %Y",
    ]
    .iter()
    .find_map(|format| NaiveDate::parse_from_str(text.trim(), format).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linkedin_with_crlf_and_preamble() {
        let file = "Notes:\r\n\"When exporting your connection data, you may notice that some of the email addresses are missing, because...\"\r\n\r\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\r\nAnn,Lee,https://www.linkedin.com/in/annlee,ann@x.org,\"Acme, Inc\",CTO,03 Jan 2024\r\n";
        let parsed = parse_linkedin(file.as_bytes()).unwrap();
        let ann = &parsed.contacts[0];
        assert_eq!(ann.name.as_deref(), Some("Ann Lee"));
        assert_eq!(ann.org.as_deref(), Some("Acme, Inc"));
        assert_eq!(ann.emails, ["ann@x.org"]);
        assert_eq!(ann.urls, ["https://www.linkedin.com/in/annlee"]);
        assert_eq!(ann.notes.as_deref(), Some("Position: CTO"));
        assert_eq!(ann.met_on, NaiveDate::from_ymd_opt(2024, 1, 3));
        assert_eq!(ann.line, 5);
    }

    #[test]
    fn linkedin_old_export_without_preamble_and_with_bom() {
        let file = "\u{feff}First Name,Last Name,Email Address,Company,Position,Connected On\nBo,Ek,,Volvo,,12/24/19\n";
        let parsed = parse_linkedin(file.as_bytes()).unwrap();
        assert_eq!(parsed.contacts[0].name.as_deref(), Some("Bo Ek"));
        assert_eq!(
            parsed.contacts[0].met_on,
            NaiveDate::from_ymd_opt(2019, 12, 24)
        );
        assert!(parse_linkedin(b"Name,Email\nA,a@x\n").is_err());
    }

    #[test]
    fn google_old_header() {
        let file = "Name,Given Name,Additional Name,Family Name,Notes,Group Membership,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Name,Website 1 - Value\nAnn Lee,Ann,,Lee,\"likes\nclimbing\",* myContacts,* Home,ann@x.org ::: ann@y.org,Work,ann@work.org,Mobile,+1 555 0100,Acme,https://ann.example\n";
        let parsed = parse_google(file.as_bytes()).unwrap();
        let ann = &parsed.contacts[0];
        assert_eq!(ann.name.as_deref(), Some("Ann Lee"));
        assert_eq!(ann.emails, ["ann@x.org", "ann@y.org", "ann@work.org"]);
        assert_eq!(ann.phones, ["+1 555 0100"]);
        assert_eq!(ann.org.as_deref(), Some("Acme"));
        assert_eq!(ann.notes.as_deref(), Some("likes\nclimbing"));
        assert_eq!(ann.urls, ["https://ann.example"]);
        assert!(ann.tags.is_empty());
    }

    #[test]
    fn google_new_header_with_multiline_field() {
        let file = "First Name,Middle Name,Last Name,Phonetic First Name,Nickname,File As,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Organization Name,Organization Title,Notes,Labels\nJosé,María,García,,,,* Home,jose@x.es,Mobile,+34 600,\"Acme\",Dev,\"two\nlines\",* myContacts\n,,,,,,,solo@x.org,,,,,,\n";
        let parsed = parse_google(file.as_bytes()).unwrap();
        assert_eq!(parsed.contacts.len(), 2);
        let jose = &parsed.contacts[0];
        assert_eq!(jose.name.as_deref(), Some("José María García"));
        assert_eq!(jose.emails, ["jose@x.es"]);
        assert_eq!(jose.notes.as_deref(), Some("Position: Dev\ntwo\nlines"));
        let solo = &parsed.contacts[1];
        assert_eq!(solo.name, None);
        assert_eq!(solo.line, 4);
    }

    #[test]
    fn generic_csv_headers_and_overrides() {
        let file = b"Full Name;x,E-Mail Address,Organisation,Tags,Who\nAnn,ann@x.org,Acme,\"a, b\",Ann L\n";
        let parsed = parse_csv(file, &[]).unwrap();
        assert_eq!(parsed.contacts[0].name, None);
        assert_eq!(parsed.contacts[0].tags, ["a", "b"]);
        let overrides = [("name".to_string(), "who".to_string())];
        let parsed = parse_csv(file, &overrides).unwrap();
        assert_eq!(parsed.contacts[0].name.as_deref(), Some("Ann L"));
        assert_eq!(parsed.contacts[0].org.as_deref(), Some("Acme"));
        let bad = [("nickname".to_string(), "who".to_string())];
        assert!(
            parse_csv(file, &bad)
                .unwrap_err()
                .reason
                .contains("unknown field")
        );
        let missing = [("name".to_string(), "nope".to_string())];
        assert!(
            parse_csv(file, &missing)
                .unwrap_err()
                .reason
                .contains("no column")
        );
        let no_identity = parse_csv(b"a,b\n1,2\n", &[]).unwrap_err();
        assert!(no_identity.reason.contains("no name or email column"));
        assert!(!no_identity.reason.contains("hint"));
        assert!(no_identity.hint.unwrap().contains("--column name=HEADER"));
    }

    #[test]
    fn windows_1252_csv() {
        let parsed = parse_csv(b"Name,Email\nJ\xfcrgen,j@x.de\n", &[]).unwrap();
        assert_eq!(parsed.contacts[0].line, 2);
        assert_eq!(parsed.contacts[0].name.as_deref(), Some("Jürgen"));
    }

    #[test]
    fn ragged_and_garbage_rows_never_panic() {
        let parsed = parse_csv(b"Name,Email\nA\nB,b@x,extra,\"open\n", &[]).unwrap();
        assert_eq!(parsed.contacts.len(), 2);
        let _ = parse_csv(b"\"", &[]);
        let _ = parse_linkedin(b"First Name");
        let _ = parse_google(&[0xff, 0xfe, 0x00]);
    }
}
