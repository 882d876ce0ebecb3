//! The gaps real contact files showed in the importers (issue 13, "Why"), one
//! test each, through the real binary: birthdays, Outlook's full CSV, legacy
//! charsets, vCard 2.1 backslashes, files that name no charset, cards merged
//! within a file, semicolon CSV, notes of people already known, and what the
//! vCard export keeps. Each reads the ledger file itself, so it checks what
//! was stored, not how a command shows it.

use serde_json::Value;

use crate::Env;

/// Imports `bytes` as `kind` from a file named `name`; returns stdout and
/// stderr (where warnings go) together.
fn import(env: &Env, kind: &str, name: &str, bytes: &[u8]) -> String {
    let file = env.path(name);
    std::fs::write(&file, bytes).unwrap();
    let out = env.output(&["import", kind, file.to_str().unwrap()]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    text
}

/// The stored person named `name`.
fn person(env: &Env, name: &str) -> Value {
    let ledger = env.ledger_json();
    let found = ledger["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .cloned();
    found.unwrap_or_else(|| panic!("no {name} in {ledger:#}"))
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn birthdays_come_in_from_vcard_google_and_outlook() {
    let env = Env::new();
    import(
        &env,
        "vcard",
        "a.vcf",
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vera Card\r\nBDAY:19800322\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:Yann Yearless\r\nBDAY:--0203\r\nANNIVERSARY:20090808T1430-0500\r\nEND:VCARD\r\n",
    );
    import(
        &env,
        "google",
        "g.csv",
        "First Name,Last Name,Birthday,E-mail 1 - Label,E-mail 1 - Value\nGina,Google,1975-12-01,* Home,gina@x.org\n".as_bytes(),
    );
    import(
        &env,
        "csv",
        "o.csv",
        b"\"First Name\",\"Last Name\",\"Birthday\",\"E-mail Address\"\r\n\"Otto\",\"Outlook\",\"7/4/1969\",\"otto@x.org\"\r\n",
    );
    assert_eq!(person(&env, "Vera Card")["birthday"], "1980-03-22");
    let yann = person(&env, "Yann Yearless");
    assert_eq!(yann["birthday"], "--02-03");
    assert_eq!(yann["dates"][0]["label"], "anniversary");
    assert_eq!(yann["dates"][0]["date"], "2009-08-08");
    assert_eq!(person(&env, "Gina Google")["birthday"], "1975-12-01");
    assert_eq!(person(&env, "Otto Outlook")["birthday"], "1969-07-04");
}

#[test]
fn an_unreadable_birthday_is_reported_not_fatal() {
    let env = Env::new();
    let out = import(
        &env,
        "google",
        "g.csv",
        b"Name,Birthday,E-mail 1 - Value\nAnn,some day in May,ann@x.org\nBo,1990-01-02,bo@x.org\n",
    );
    assert!(out.contains("2 added"), "{out}");
    assert!(
        out.contains("warning: line 2: Birthday `some day in May` is not a date"),
        "{out}"
    );
    assert_eq!(person(&env, "Bo")["birthday"], "1990-01-02");
    assert!(person(&env, "Ann").get("birthday").is_none());
    let report = env.json(&[
        "import",
        "google",
        env.path("g.csv").to_str().unwrap(),
        "--dry-run",
    ]);
    let warnings = report["records"][0]["warnings"].to_string();
    assert!(warnings.contains("some day in May"), "{report}");
}

#[test]
fn outlook_csv_reads_every_email_every_phone_and_the_job_title() {
    let env = Env::new();
    let header = "\"Title\",\"First Name\",\"Middle Name\",\"Last Name\",\"Suffix\",\"Company\",\"Department\",\"Job Title\",\"Business Phone\",\"Business Phone 2\",\"Home Phone\",\"Mobile Phone\",\"Business Fax\",\"E-mail Address\",\"E-mail Type\",\"E-mail Display Name\",\"E-mail 2 Address\",\"E-mail 2 Type\",\"E-mail 3 Address\",\"Notes\"";
    let row = "\"Dr.\",\"Jane\",\"\",\"Roe\",\"\",\"Contoso\",\"R&D\",\"Chief Scientist\",\"+1 425 555 0100\",\"\",\"+1 425 555 0101\",\"+1 425 555 0102\",\"+1 425 555 0199\",\"jane@contoso.com\",\"SMTP\",\"Jane Roe (jane@contoso.com)\",\"jane@home.example\",\"SMTP\",\"jroe@uni.example\",\"\"";
    import(
        &env,
        "csv",
        "outlook.csv",
        format!("{header}\r\n{row}\r\n").as_bytes(),
    );
    let jane = person(&env, "Jane Roe");
    assert_eq!(
        strings(&jane["emails"]),
        ["jane@contoso.com", "jane@home.example", "jroe@uni.example"]
    );
    assert_eq!(
        strings(&jane["phones"]),
        ["+1 425 555 0100", "+1 425 555 0101", "+1 425 555 0102"]
    );
    assert_eq!(jane["notes"], "Position: Chief Scientist");
    assert_eq!(jane["org"], "Contoso");
}

#[test]
fn quoted_printable_in_a_legacy_charset_is_decoded() {
    let env = Env::new();
    // N 安藤;ロイド and NOTE メモ in Shift_JIS, a name in Big5 (你好), all quoted-printable.
    import(
        &env,
        "vcard",
        "qp.vcf",
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=88=C0=93=A1;=83=8D=83=43=83=68\r\nNOTE;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=83=81=83=82\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=BIG5;ENCODING=QUOTED-PRINTABLE:=A7=41=A6=6E\r\nEMAIL:nihao@x.tw\r\nEND:VCARD\r\n",
    );
    assert_eq!(person(&env, "ロイド 安藤")["notes"], "メモ");
    assert_eq!(person(&env, "你好")["emails"][0], "nihao@x.tw");
}

#[test]
fn vcard_21_backslashes_are_data() {
    let env = Env::new();
    import(
        &env,
        "vcard",
        "v21.vcf",
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A;B\\C\\;D:E\\\\\r\nORG:Gump Shrimp Co.\\;Ltd;Sales\r\nNOTE:C:\\temp\\new\r\nEND:VCARD\r\n",
    );
    let card = person(&env, "A;B\\C\\;D:E\\\\");
    assert_eq!(card["org"], "Gump Shrimp Co.;Ltd");
    assert_eq!(card["notes"], "C:\\temp\\new");
}

#[test]
fn a_vcard_in_shift_jis_without_a_charset_is_not_read_as_windows_1252() {
    let env = Env::new();
    let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:安藤 ロイド\r\nNOTE:東京都渋谷区の会社で働いています。\r\nEND:VCARD\r\n";
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
    let out = import(&env, "vcard", "sjis.vcf", &bytes);
    let ando = person(&env, "安藤 ロイド");
    assert_eq!(ando["notes"], "東京都渋谷区の会社で働いています。");
    assert!(
        out.contains("Shift_JIS"),
        "the guess is not reported: {out}"
    );
}

#[test]
fn cards_merged_within_one_file_are_named_in_the_summary() {
    let env = Env::new();
    let out = import(
        &env,
        "vcard",
        "dup.vcf",
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Test X-Mobil\r\nEMAIL:test-x@email.com\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Only FN\r\nEMAIL:test-x@email.com\r\nTEL:+49 30 1234\r\nEND:VCARD\r\n",
    );
    assert!(
        out.contains("Only FN <test-x@email.com> merged into Test X-Mobil"),
        "{out}"
    );
    assert!(
        out.contains("1 merged into another record of the file"),
        "{out}"
    );
    assert_eq!(
        strings(&person(&env, "Test X-Mobil")["phones"]),
        ["+49 30 1234"]
    );
}

#[test]
fn a_semicolon_separated_csv_is_read() {
    let env = Env::new();
    import(
        &env,
        "csv",
        "excel.csv",
        "Name;E-Mail;Firma;Notizen\r\nJürgen Müller;j@x.de;\"Bau; GmbH\";\"a, b\"\r\n".as_bytes(),
    );
    let jurgen = person(&env, "Jürgen Müller");
    assert_eq!(jurgen["emails"][0], "j@x.de");
}

#[test]
fn an_incoming_note_is_kept_once_when_the_person_has_notes() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Ann Lee",
        "--email",
        "ann@x.org",
        "--note",
        "met at PyCon",
    ]);
    let card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@x.org\r\nNOTE:prefers tea\r\nEND:VCARD\r\n";
    import(&env, "vcard", "ann.vcf", card);
    assert_eq!(
        person(&env, "Ann Lee")["notes"],
        "met at PyCon\n\nprefers tea"
    );
    let before = env.bytes();
    import(&env, "vcard", "ann.vcf", card);
    assert_eq!(env.bytes(), before, "the second import changed the ledger");
}

#[test]
fn vcard_export_keeps_aliases_tags_and_how_met() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Carol Diaz",
        "--alias",
        "Caz",
        "--tag",
        "in-transition",
        "--tag",
        "fintech",
        "--how-met",
        "former colleague",
        "--email",
        "carol@x.org",
    ]);
    let card = env.ok(&["export", "vcard"]);
    let other = Env::new();
    import(&other, "vcard", "export.vcf", card.as_bytes());
    let back = person(&other, "Carol Diaz");
    assert_eq!(strings(&back["aliases"]), ["Caz"]);
    assert_eq!(strings(&back["tags"]), ["in-transition", "fintech"]);
    assert_eq!(back["how_met"], "former colleague");
}

#[test]
fn ics_export_counts_what_it_wrote_and_warns_when_empty() {
    let env = Env::new();
    env.ok(&["add", "Quiet Quinn"]);
    let file = env.path("kith.ics");
    let out = env.output(&["export", "ics", "-o", file.to_str().unwrap()]);
    assert!(out.status.success());
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("0 reminders and 0 events"), "{said}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning:"),
        "{said}"
    );
}
