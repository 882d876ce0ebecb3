//! The contact parsers, through their public API, against the real exports in
//! the fixtures folder (see [`crate::fixtures`]) with the values `EXPECTED.md`
//! lists; then each file into an empty ledger twice, the second time changing
//! nothing. Without the folder the tests say so and pass.

use chrono::NaiveDate;
use kith::core::contacts::{Action, Source, apply_import, parse};
use kith::core::model::Ledger;

use crate::fixtures;

/// (name, emails, org) per contact.
type Expect<'a> = &'a [(Option<&'a str>, &'a [&'a str], Option<&'a str>)];

fn check(source: Source, file: &str, expected: Expect<'_>) {
    let Some(dir) = fixtures() else { return };
    let bytes = std::fs::read(dir.join(file)).unwrap();
    let parsed = parse(source, &bytes, &[]).unwrap();
    assert!(parsed.problems.is_empty(), "{file}: {:?}", parsed.problems);
    assert_eq!(
        parsed.contacts.len(),
        expected.len(),
        "{file}: {:#?}",
        parsed.contacts
    );
    for (contact, (name, emails, org)) in parsed.contacts.iter().zip(expected) {
        assert_eq!(contact.name.as_deref(), *name, "{file}");
        let kept: Vec<&str> = contact
            .emails
            .iter()
            .map(String::as_str)
            .filter(|e| e.contains('@'))
            .collect();
        assert_eq!(
            &kept,
            emails,
            "{file}: {}",
            contact.name.as_deref().unwrap_or("-")
        );
        assert_eq!(contact.org.as_deref(), *org, "{file}");
    }
    // Into an empty ledger, then again: the second import changes nothing.
    let now = "2026-03-01T10:00:00Z".parse().unwrap();
    let mut ledger = Ledger::default();
    let first = apply_import(&mut ledger, parsed.contacts.clone(), source, Some("t"), now);
    assert_eq!(first.count(Action::Skipped), 0, "{file}: {first:?}");
    let before = ledger.clone();
    let later = "2026-04-01T10:00:00Z".parse().unwrap();
    let second = apply_import(&mut ledger, parsed.contacts, source, Some("t"), later);
    assert_eq!(ledger, before, "{file}");
    assert_eq!(
        second.count(Action::Added) + second.count(Action::Updated),
        0
    );
}

const N: Option<&str> = None;

#[test]
fn gmail_list() {
    check(
        Source::Vcard,
        "vcard/ezvcard_gmail-list.vcf",
        &[
            (Some("Arnold Smith"), &["asmithk@gmail.com"], N),
            (Some("Chris Beatle"), &["chrisy55d@yahoo.com"], N),
            (Some("Doug White"), &["dwhite@gmail.com"], N),
        ],
    );
}

#[test]
fn iphone() {
    check(
        Source::Vcard,
        "vcard/ezvcard_John_Doe_IPHONE.vcf",
        &[(
            Some("Mr. John Richter James Doe Sr."),
            &["john.doe@ibm.com"],
            Some("IBM"),
        )],
    );
}

#[test]
fn evolution() {
    check(
        Source::Vcard,
        "vcard/ezvcard_John_Doe_EVOLUTION.vcf",
        &[(
            Some("Mr. John Richter, James Doe Sr."),
            &["john.doe@ibm.com"],
            Some("IBM"),
        )],
    );
}

#[test]
fn outlook_2003() {
    check(
        Source::Vcard,
        "vcard/ezvcard_outlook-2003.vcf",
        &[(
            Some("John Doe III"),
            &["jdoe@hotmail.com"],
            Some("Company, The"),
        )],
    );
}

#[test]
fn rfc6350_example() {
    check(
        Source::Vcard,
        "vcard/ezvcard_rfc6350-example.vcf",
        &[(
            Some("Simon Perreault"),
            &["simon.perreault@viagenie.ca"],
            Some("Viagenie"),
        )],
    );
}

#[test]
fn android() {
    let org6 = "Ñ".repeat(44);
    check(
        Source::Vcard,
        "vcard/ezvcard_John_Doe_ANDROID.vcf",
        &[
            (None, &["john.doe@company.com"], N),
            (None, &["jane.doe@company.com"], N),
            (Some("Ñ Ñ Ñ Ñ Ñ "), &[], N),
            (Some("Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ"), &[], N),
            (Some("Ñ Ñ Ñ Ñ "), &["bob@company.com"], Some("ÑÑÑÑÑÑÑÑÑÑÑÑ")),
            (Some("ÑÑÑÑ"), &["henry@company.com"], Some(&org6)),
        ],
    );
}

#[test]
fn aosp_multiple_entries_shift_jis() {
    check(
        Source::Vcard,
        "vcard/aosp_v21_multiple_entry.vcf",
        &[
            (Some("安藤ロイド3"), &[], N),
            (Some("安藤ロイド4"), &[], N),
            (Some("安藤ロイド5"), &[], N),
        ],
    );
}

#[test]
fn aosp_japanese() {
    check(
        Source::Vcard,
        "vcard/aosp_v21_japanese_1.vcf",
        &[(Some("安藤ロイド"), &[], N)],
    );
}

#[test]
fn aosp_sort_as() {
    check(
        Source::Vcard,
        "vcard/aosp_v40_sort_as.vcf",
        &[(Some("安藤 ロイド"), &[], Some("グーグル"))],
    );
}

#[test]
fn vcard2to3_examples() {
    check(
        Source::Vcard,
        "vcard/vcard2to3_examples.vcf",
        &[
            (Some("Mäx Mustermann"), &["max@mustermann.de"], N),
            (Some("Test X-Mobil"), &["test-x@email.com"], N),
            (Some("John Doe얁"), &[], N),
            (Some("гор ЗаорсЁкі xyz і"), &[], N),
            (Some("XXXXXXXXXX"), &[], N),
            (Some("Max Mustermann"), &[], Some("xxx")),
            (Some("N Only"), &["test-x@email.com"], N),
            (Some("Only FN"), &["test-x@email.com"], N),
            (Some("The Dollar$"), &[], N),
            (Some("Hola Test"), &[], N),
        ],
    );
}

#[test]
fn calcard_nextcloud() {
    check(
        Source::Vcard,
        "vcard/calcard_051.vcf",
        &[(
            Some("First Last NextCloud"),
            &["home@gmx.de", "work@gmx.de"],
            Some("Firma"),
        )],
    );
}

#[test]
fn linkedin_connections() {
    check(
        Source::Linkedin,
        "linkedin/hello-again_Connections.csv",
        &[(Some("Alex Rohrberg"), &[], Some("Schneider Electric"))],
    );
    let Some(dir) = fixtures() else { return };
    let bytes = std::fs::read(dir.join("linkedin/hello-again_Connections.csv")).unwrap();
    let parsed = parse(Source::Linkedin, &bytes, &[]).unwrap();
    let alex = &parsed.contacts[0];
    assert_eq!(alex.urls, ["https://www.linkedin.com/in/alexrohrberg"]);
    assert_eq!(alex.met_on, NaiveDate::from_ymd_opt(2025, 12, 22));
    assert_eq!(alex.notes.as_deref(), Some("Position: Software Engineer"));
    assert_eq!(alex.line, 5);
}
