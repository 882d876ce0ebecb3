//! Contacts from CSV: LinkedIn `Connections.csv`, Google Contacts, Outlook, any CSV with a header.
//!
//! They share one reader (the `csv` crate, which handles quoted fields that
//! span lines) and one column recogniser: a header is matched
//! case-insensitively against the names these exports and spreadsheets use,
//! `--column FIELD=HEADER` overrides it, and numbered columns all count
//! (Google's `E-mail 2 - Value`, values joined by ` ::: `; Outlook's
//! `E-mail 2 Address`, `Home Phone 2`). Outlook's `Title` is the honorific
//! ("Dr.") beside its `Job Title`, so it is the position only in a file
//! without a `Job Title`. The delimiter is whatever separates the header's
//! columns: a comma, or the semicolon Excel writes where the comma is the
//! decimal mark, or a tab. LinkedIn's export opens with a "Notes:" preamble
//! before its header, which is skipped.

use csv::{ReaderBuilder, StringRecord};

use super::{Contact, ParseError, Parsed, Problem, text};

/// The kith fields a column can fill, as named in `--column FIELD=HEADER`.
pub const FIELDS: &[&str] = &[
    "name",
    "first",
    "middle",
    "last",
    "email",
    "phone",
    "org",
    "position",
    "url",
    "notes",
    "tags",
    "met_on",
    "aliases",
    "how_met",
    "birthday",
    "anniversary",
];

/// LinkedIn's `Connections.csv`, with or without its "Notes:" preamble.
pub fn parse_linkedin(bytes: &[u8]) -> Result<Parsed, ParseError> {
    let decoded = text::decode(bytes, None);
    let skipped = decoded
        .text
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
        .text
        .split('\n')
        .skip(skipped)
        .collect::<Vec<_>>()
        .join("\n");
    Ok(with_guess(read(&body, skipped, &[])?, decoded.guessed))
}

/// A Google Contacts export, in the older (`Name,Given Name,…`) or newer
/// (`First Name,Middle Name,Last Name,…`) layout.
pub fn parse_google(bytes: &[u8]) -> Result<Parsed, ParseError> {
    let decoded = text::decode(bytes, None);
    Ok(with_guess(read(&decoded.text, 0, &[])?, decoded.guessed))
}

/// Any CSV with a header row (Outlook's too); `columns` maps kith fields to header names.
pub fn parse_csv(bytes: &[u8], columns: &[(String, String)]) -> Result<Parsed, ParseError> {
    let decoded = text::decode(bytes, None);
    Ok(with_guess(
        read(&decoded.text, 0, columns)?,
        decoded.guessed,
    ))
}

/// Adds the notice that the charset was guessed.
pub(super) fn with_guess(mut parsed: Parsed, guessed: Option<&str>) -> Parsed {
    if let Some(charset) = guessed {
        parsed.notices.push(format!(
            "the file does not say its charset and is not UTF-8; read it as {charset} (a guess: check the names)"
        ));
    }
    parsed
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
    aliases: Vec<usize>,
    how_met: Vec<usize>,
    birthday: Vec<usize>,
    anniversary: Vec<usize>,
    /// Google's `Event N - Type`/`Label` and `Event N - Value`, by N.
    events: Vec<Event>,
}

#[derive(Debug, Default)]
struct Event {
    number: String,
    label: Option<usize>,
    value: Option<usize>,
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
            "aliases" => &mut self.aliases,
            "how_met" => &mut self.how_met,
            "birthday" => &mut self.birthday,
            "anniversary" => &mut self.anniversary,
            _ => return None,
        })
    }

    fn recognise(header: &StringRecord) -> Columns {
        let names: Vec<String> = header
            .iter()
            .map(|raw| {
                raw.trim()
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_lowercase()
            })
            .collect();
        // Outlook: `Title` is "Dr." when `Job Title` is there too.
        let title_is_honorific = names.iter().any(|n| n == "job title");
        let mut columns = Columns::default();
        for (index, name) in names.iter().enumerate() {
            if name == "title" && title_is_honorific {
                continue;
            }
            if let Some((number, part)) = event_column(name) {
                let event = match columns.events.iter_mut().position(|e| e.number == number) {
                    Some(at) => columns.events.get_mut(at),
                    None => {
                        columns.events.push(Event {
                            number: number.to_string(),
                            ..Event::default()
                        });
                        columns.events.last_mut()
                    }
                };
                if let Some(event) = event {
                    match part {
                        "value" => event.value = Some(index),
                        _ => event.label = Some(index),
                    }
                }
                continue;
            }
            if let Some(list) = field_of(name).and_then(|field| columns.field_mut(field)) {
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
        // Outlook's, without the fax, pager and assistant numbers.
        "mobile phone" | "primary phone" | "home phone" | "home phone 2" | "business phone"
        | "business phone 2" | "other phone" | "car phone" => "phone",
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
        "url" | "website" | "web" | "web page" | "personal web page" | "linkedin" | "profile"
        | "profile url" => "url",
        "notes" | "note" | "comments" => "notes",
        "tags" | "tag" | "categories" => "tags",
        "connected on" | "met on" | "met_on" | "met" => "met_on",
        "nickname" | "nicknames" | "alias" | "aliases" => "aliases",
        "how met" | "how_met" => "how_met",
        "birthday" | "birth date" | "birthdate" | "date of birth" | "dob" | "bday" => "birthday",
        "anniversary" | "wedding anniversary" => "anniversary",
        _ => return numbered_field(header),
    };
    Some(field)
}

/// Numbered columns: Google's `E-mail 1 - Value`, `Phone 2 - Value`,
/// `Website 1 - Value`; Outlook's `E-mail 2 Address`.
fn numbered_field(header: &str) -> Option<&'static str> {
    let (kind, rest) = header.split_once(' ')?;
    let is_number = |n: &str| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit());
    if let Some(number) = rest.strip_suffix(" address") {
        return (matches!(kind, "e-mail" | "email") && is_number(number)).then_some("email");
    }
    let (number, part) = rest.split_once(" - ")?;
    if part != "value" || !is_number(number) {
        return None;
    }
    match kind {
        "e-mail" | "email" => Some("email"),
        "phone" => Some("phone"),
        "website" => Some("url"),
        _ => None,
    }
}

/// Google's `Event 1 - Type` (older) or `Event 1 - Label` (newer), and
/// `Event 1 - Value`: the number and which part.
fn event_column(header: &str) -> Option<(&str, &str)> {
    let rest = header.strip_prefix("event ")?;
    let (number, part) = rest.split_once(" - ")?;
    let known = matches!(part, "type" | "label" | "value");
    (known && !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()))
        .then_some((number, part))
}

/// The delimiter of the header line: whichever of `,`, `;` and tab occurs
/// most outside quotes (a comma on a tie).
fn delimiter(body: &str) -> u8 {
    let header = body.split('\n').next().unwrap_or_default();
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in header.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(slot) = counts.iter_mut().find(|(d, _)| *d == byte) {
            slot.1 += 1;
        }
    }
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

fn read(
    body: &str,
    line_offset: usize,
    overrides: &[(String, String)],
) -> Result<Parsed, ParseError> {
    let mut reader = ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .delimiter(delimiter(body))
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
    let mut contact = Contact {
        name,
        emails: values(&columns.email),
        phones: values(&columns.phone),
        urls: values(&columns.url),
        org: first(&columns.org),
        notes: (!notes.is_empty()).then(|| notes.join("\n")),
        met_on: first(&columns.met_on).and_then(|d| parse_date(&d)),
        tags: split_list(values(&columns.tags)),
        aliases: split_list(values(&columns.aliases)),
        how_met: first(&columns.how_met),
        line,
        ..Contact::default()
    };
    if let Some(birthday) = first(&columns.birthday) {
        contact.read_birthday("Birthday", &birthday);
    }
    if let Some(anniversary) = first(&columns.anniversary) {
        contact.read_date("Anniversary", "anniversary", &anniversary);
    }
    for event in &columns.events {
        let Some(value) = event.value.and_then(|i| record.get(i)) else {
            continue;
        };
        let label = event
            .label
            .and_then(|i| record.get(i))
            .map(|l| l.trim().trim_start_matches("* ").to_string())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| format!("event {}", event.number));
        if label.eq_ignore_ascii_case("birthday") {
            contact.read_birthday("Birthday", value);
        } else {
            contact.read_date(&format!("Event {} ({label})", event.number), &label, value);
        }
    }
    contact
}

/// `a, b; c` as `[a, b, c]`.
fn split_list(values: Vec<String>) -> Vec<String> {
    values
        .iter()
        .flat_map(|t| t.split([',', ';']))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Dates as exports write them: `22 Dec 2025` (LinkedIn), ISO, US.
fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    [
        "%d %b %Y",
        "%Y-%m-%d",
        "%m/%d/%y",
        "%m/%d/%Y",
        "%b %d, %Y",
        "%d %B %Y",
    ]
    .iter()
    .find_map(|format| chrono::NaiveDate::parse_from_str(text.trim(), format).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

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

    const OUTLOOK_DESKTOP: &str = "\"Title\",\"First Name\",\"Middle Name\",\"Last Name\",\"Suffix\",\"Company\",\"Department\",\"Job Title\",\"Business Street\",\"Business Street 2\",\"Business Street 3\",\"Business City\",\"Business State\",\"Business Postal Code\",\"Business Country/Region\",\"Home Street\",\"Home Street 2\",\"Home Street 3\",\"Home City\",\"Home State\",\"Home Postal Code\",\"Home Country/Region\",\"Other Street\",\"Other Street 2\",\"Other Street 3\",\"Other City\",\"Other State\",\"Other Postal Code\",\"Other Country/Region\",\"Assistant's Phone\",\"Business Fax\",\"Business Phone\",\"Business Phone 2\",\"Callback\",\"Car Phone\",\"Company Main Phone\",\"Home Fax\",\"Home Phone\",\"Home Phone 2\",\"ISDN\",\"Mobile Phone\",\"Other Fax\",\"Other Phone\",\"Pager\",\"Primary Phone\",\"Radio Phone\",\"TTY/TDD Phone\",\"Telex\",\"Account\",\"Anniversary\",\"Assistant's Name\",\"Billing Information\",\"Birthday\",\"Business Address PO Box\",\"Categories\",\"Children\",\"Directory Server\",\"E-mail Address\",\"E-mail Type\",\"E-mail Display Name\",\"E-mail 2 Address\",\"E-mail 2 Type\",\"E-mail 2 Display Name\",\"E-mail 3 Address\",\"E-mail 3 Type\",\"E-mail 3 Display Name\",\"Gender\",\"Government ID Number\",\"Hobby\",\"Home Address PO Box\",\"Initials\",\"Internet Free Busy\",\"Keywords\",\"Language\",\"Location\",\"Manager's Name\",\"Mileage\",\"Notes\",\"Office Location\",\"Organizational ID Number\",\"Other Address PO Box\",\"Priority\",\"Private\",\"Profession\",\"Referred By\",\"Sensitivity\",\"Spouse\",\"User 1\",\"User 2\",\"User 3\",\"User 4\",\"Web Page\"";

    /// An Outlook row: the named columns filled, the others empty.
    fn row(header: &str, values: &[(&str, &str)]) -> String {
        let cells: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(header.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(|h| {
                let value = values.iter().find(|(k, _)| *k == h).map_or("", |(_, v)| *v);
                format!("\"{}\"", value.replace('"', "\"\""))
            })
            .collect();
        format!("{header}\r\n{}\r\n", cells.join(","))
    }

    #[test]
    fn outlook_desktop_every_email_and_phone_job_title_birthday() {
        let file = row(
            OUTLOOK_DESKTOP,
            &[
                ("Title", "Dr."),
                ("First Name", "Jane"),
                ("Last Name", "Roe"),
                ("Company", "Contoso"),
                ("Job Title", "Chief Scientist"),
                ("Business Phone", "+1 425 555 0100"),
                ("Home Phone", "+1 425 555 0101"),
                ("Mobile Phone", "+1 425 555 0102"),
                ("Business Fax", "+1 425 555 0199"),
                ("Birthday", "3/22/1980"),
                ("Anniversary", "0/0/00"),
                ("Categories", "Conference;VIP"),
                ("E-mail Address", "jane@contoso.com"),
                ("E-mail Display Name", "Jane Roe (jane@contoso.com)"),
                ("E-mail 2 Address", "jane@home.example"),
                ("E-mail 3 Address", "jroe@uni.example"),
                ("Web Page", "https://jane.example"),
            ],
        );
        let parsed = parse_csv(file.as_bytes(), &[]).unwrap();
        let jane = &parsed.contacts[0];
        assert_eq!(jane.name.as_deref(), Some("Jane Roe"));
        assert_eq!(
            jane.emails,
            ["jane@contoso.com", "jane@home.example", "jroe@uni.example"]
        );
        assert_eq!(
            jane.phones,
            ["+1 425 555 0100", "+1 425 555 0101", "+1 425 555 0102"]
        );
        assert_eq!(jane.notes.as_deref(), Some("Position: Chief Scientist"));
        assert_eq!(jane.org.as_deref(), Some("Contoso"));
        assert_eq!(
            jane.birthday.map(|b| b.to_string()).as_deref(),
            Some("1980-03-22")
        );
        assert!(
            jane.dates.is_empty() && jane.warnings.is_empty(),
            "{jane:?}"
        );
        assert_eq!(jane.tags, ["Conference", "VIP"]);
        assert_eq!(jane.urls, ["https://jane.example"]);
    }

    #[test]
    fn outlook_com_header() {
        let header = "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,Pager,Business Fax,Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,Telex,TTY/TDD Phone,IMAddress,Job Title,Department,Company,Office Location,Manager's Name,Assistant's Name,Assistant's Phone,Company Yomi,Business Street,Business City,Business State,Business Postal Code,Business Country/Region,Home Street,Home City,Home State,Home Postal Code,Home Country/Region,Other Street,Other City,Other State,Other Postal Code,Other Country/Region,Personal Web Page,Spouse,Schools,Hobby,Location,Web Page,Birthday,Anniversary,Notes";
        let file = row(
            header,
            &[
                ("First Name", "Kenji"),
                ("Last Name", "Sato"),
                ("Title", "Mr."),
                ("Nickname", "Ken"),
                ("E-mail 2 Address", "kenji@two.example"),
                ("Home Phone 2", "+81 3 5555 0101"),
                ("Job Title", "Designer"),
                ("Birthday", "2/29/1988"),
                ("Anniversary", "6/1/2015"),
                ("Notes", "likes ramen"),
            ],
        );
        let parsed = parse_csv(file.as_bytes(), &[]).unwrap();
        let kenji = &parsed.contacts[0];
        assert_eq!(kenji.name.as_deref(), Some("Kenji Sato"));
        assert_eq!(kenji.aliases, ["Ken"]);
        assert_eq!(kenji.emails, ["kenji@two.example"]);
        assert_eq!(kenji.phones, ["+81 3 5555 0101"]);
        assert_eq!(
            kenji.notes.as_deref(),
            Some("Position: Designer\nlikes ramen")
        );
        assert_eq!(
            kenji.birthday.map(|b| b.to_string()).as_deref(),
            Some("1988-02-29")
        );
        assert_eq!(kenji.dates[0].label, "anniversary");
        assert_eq!(kenji.dates[0].date.to_string(), "2015-06-01");
    }

    #[test]
    fn a_title_column_alone_is_the_position() {
        let parsed = parse_csv(b"Name,Title\nAnn,CTO\n", &[]).unwrap();
        assert_eq!(parsed.contacts[0].notes.as_deref(), Some("Position: CTO"));
    }

    #[test]
    fn google_birthday_and_events_old_and_new_header() {
        let new = "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Event 1 - Label,Event 1 - Value,Event 2 - Label,Event 2 - Value,Website 1 - Label,Website 1 - Value\nMaya,,Lind,,,,,,May,,Acme,,,--11-27,,,* myContacts,* Home,maya@x.org,Mobile,+46 70 555,Anniversary,2012-09-01,started at Acme,2020-01-06,,\nOla,,Berg,,,,,,,,,,,sometime,,,,,ola@x.org,,,,,,,,\n";
        let parsed = parse_google(new.as_bytes()).unwrap();
        let maya = &parsed.contacts[0];
        assert_eq!(
            maya.birthday.map(|b| b.to_string()).as_deref(),
            Some("--11-27")
        );
        assert_eq!(maya.aliases, ["May"]);
        let dates: Vec<String> = maya
            .dates
            .iter()
            .map(|d| format!("{}={}", d.label, d.date))
            .collect();
        assert_eq!(
            dates,
            ["anniversary=2012-09-01", "started at Acme=2020-01-06"]
        );
        let ola = &parsed.contacts[1];
        assert_eq!(ola.birthday, None);
        assert_eq!(
            ola.warnings,
            ["Birthday `sometime` is not a date kith can read; left out"]
        );
        let old = "Name,Given Name,Family Name,Birthday,Event 1 - Type,Event 1 - Value,E-mail 1 - Type,E-mail 1 - Value\nAnn Lee,Ann,Lee,1990-07-14,Anniversary,2015-05-05,* Home,ann@x.org\n";
        let parsed = parse_google(old.as_bytes()).unwrap();
        let ann = &parsed.contacts[0];
        assert_eq!(
            ann.birthday.map(|b| b.to_string()).as_deref(),
            Some("1990-07-14")
        );
        assert_eq!(ann.dates[0].label, "anniversary");
    }

    #[test]
    fn semicolon_and_tab_separated_files() {
        let excel = "\u{feff}Name;E-mail Address;Company;Birthday;Notes\r\nJürgen Müller;j@x.de;\"Bau; GmbH\";22.03.1980;\"a, b\"\r\n";
        let parsed = parse_csv(excel.as_bytes(), &[]).unwrap();
        let j = &parsed.contacts[0];
        assert_eq!(j.name.as_deref(), Some("Jürgen Müller"));
        assert_eq!(j.emails, ["j@x.de"]);
        assert_eq!(j.org.as_deref(), Some("Bau; GmbH"));
        assert_eq!(j.notes.as_deref(), Some("a, b"));
        assert_eq!(
            j.birthday.map(|b| b.to_string()).as_deref(),
            Some("1980-03-22")
        );
        let tabs = parse_csv(b"Name\tEmail\nAnn\tann@x.org\n", &[]).unwrap();
        assert_eq!(tabs.contacts[0].emails, ["ann@x.org"]);
        // A comma file whose header holds one `;` inside a quoted name stays a comma file.
        let commas = parse_csv(b"\"Name;x\",Email,Org\nAnn,ann@x.org,Acme\n", &[]).unwrap();
        assert_eq!(commas.contacts[0].org.as_deref(), Some("Acme"));
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
