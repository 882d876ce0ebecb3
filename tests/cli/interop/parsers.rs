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

#[test]
fn gmail_single2() {
    check(
        Source::Vcard,
        "vcard/ezvcard_gmail-single2.vcf",
        &[(
            Some("VCard Test"),
            &[
                "email@example.com",
                "homeemail@example.com",
                "workemail@example.com",
                "otheremail@example.com",
                "customcategory@example.com",
            ],
            Some("TheCompany"),
        )],
    );
}

#[test]
fn ms_outlook() {
    check(
        Source::Vcard,
        "vcard/ezvcard_John_Doe_MS_OUTLOOK.vcf",
        &[(
            Some("Mr. John Richter James Doe Sr."),
            &["john.doe@ibm.cm"],
            Some("IBM"),
        )],
    );
}

#[test]
fn blackberry() {
    check(
        Source::Vcard,
        "vcard/ezvcard_John_Doe_BLACK_BERRY.vcf",
        &[(Some("John Doe"), &[], Some("Acme Solutions"))],
    );
}

#[test]
fn aosp_pref_handling() {
    check(
        Source::Vcard,
        "vcard/aosp_v21_pref_handling.vcf",
        &[(
            Some("Smith"),
            &["test@example.com", "test2@examination.com"],
            Some("Company"),
        )],
    );
}

#[test]
fn aosp_complicated() {
    check(
        Source::Vcard,
        "vcard/aosp_v21_complicated.vcf",
        &[(
            Some("Joe Due"),
            &["forrestgump@walladalla.com", "cell@example.com"],
            Some("Gump Shrimp Co."),
        )],
    );
}

/// A person's birthday, and their dates as (label, date).
type PersonDates = (Option<String>, Vec<(String, String)>);

/// Every vCard fixture's people after an import into an empty ledger: the
/// birthday and the dates (label, date) of each, in file order.
fn imported_dates(file: &str) -> Option<Vec<PersonDates>> {
    let dir = fixtures()?;
    let bytes = std::fs::read(dir.join(file)).unwrap();
    let parsed = parse(Source::Vcard, &bytes, &[]).unwrap();
    let mut ledger = Ledger::default();
    let now = "2026-03-01T10:00:00Z".parse().unwrap();
    apply_import(&mut ledger, parsed.contacts, Source::Vcard, None, now);
    Some(
        ledger
            .people
            .iter()
            .map(|p| {
                let dates = p
                    .dates
                    .iter()
                    .map(|d| (d.label.clone(), d.date.to_string()))
                    .collect();
                (p.birthday.map(|b| b.to_string()), dates)
            })
            .collect(),
    )
}

/// EXPECTED.md, "Birthdays and dates in these files".
#[test]
fn birthdays_and_dates_in_every_form() {
    let birthday = |file: &str| -> Option<String> {
        let people = imported_dates(file)?;
        assert_eq!(people.len(), 1, "{file}");
        people.into_iter().next().and_then(|(b, _)| b)
    };
    if fixtures().is_none() {
        return;
    }
    for (file, expected) in [
        ("vcard/ezvcard_John_Doe_IPHONE.vcf", "2012-06-06"),
        ("vcard/ezvcard_John_Doe_EVOLUTION.vcf", "1980-03-22"),
        ("vcard/ezvcard_outlook-2003.vcf", "1980-03-21"),
        ("vcard/ezvcard_John_Doe_MS_OUTLOOK.vcf", "1980-03-22"),
        ("vcard/ezvcard_rfc6350-example.vcf", "--02-03"),
        ("vcard/ezvcard_gmail-single2.vcf", "1912-06-23"),
        ("vcard/aosp_v21_complicated.vcf", "1980-01-01"),
        ("vcard/calcard_051.vcf", "2019-02-10"),
    ] {
        assert_eq!(birthday(file).as_deref(), Some(expected), "{file}");
    }
    // Files without a BDAY give nobody a birthday.
    for file in [
        "vcard/ezvcard_gmail-list.vcf",
        "vcard/ezvcard_John_Doe_ANDROID.vcf",
        "vcard/vcard2to3_examples.vcf",
        "vcard/aosp_v21_japanese_1.vcf",
    ] {
        let people = imported_dates(file).unwrap();
        assert!(
            people.iter().all(|(b, _)| b.is_none()),
            "{file}: {people:?}"
        );
    }
    let rfc = imported_dates("vcard/ezvcard_rfc6350-example.vcf").unwrap();
    assert_eq!(
        rfc[0].1,
        [("anniversary".to_string(), "2009-08-08".to_string())]
    );
    let gmail = imported_dates("vcard/ezvcard_gmail-single2.vcf").unwrap();
    assert_eq!(
        gmail[0].1,
        [
            ("anniversary".to_string(), "1930-03-20".to_string()),
            ("CustomDateCategory".to_string(), "2000-09-12".to_string()),
        ]
    );
}

/// `vcard2to3_examples.vcf`: 10 cards, 8 people; the two cards that share
/// `test-x@email.com` with an earlier one are reported as merged into it.
#[test]
fn same_file_merges_are_reported() {
    let Some(dir) = fixtures() else { return };
    let bytes = std::fs::read(dir.join("vcard/vcard2to3_examples.vcf")).unwrap();
    let parsed = parse(Source::Vcard, &bytes, &[]).unwrap();
    let mut ledger = Ledger::default();
    let now = "2026-03-01T10:00:00Z".parse().unwrap();
    let report = apply_import(
        &mut ledger,
        parsed.contacts.clone(),
        Source::Vcard,
        None,
        now,
    );
    assert_eq!(ledger.people.len(), 8);
    assert_eq!(report.count(Action::Added), 8);
    assert_eq!(report.count(Action::Merged), 2, "{report:#?}");
    let merged: Vec<&str> = (report.outcomes.iter())
        .filter(|o| o.action == Action::Merged)
        .map(|o| o.detail.as_str())
        .collect();
    assert!(
        merged[0].starts_with("N Only <test-x@email.com> merged into Test X-Mobil (line "),
        "{merged:?}"
    );
    assert!(merged[1].starts_with("Only FN <test-x@email.com> merged into Test X-Mobil"));
    assert!(
        report
            .summary()
            .contains("2 merged into another record of the file")
    );
    // Again: the same two are still named, and nothing changes.
    let before = ledger.clone();
    let again = apply_import(&mut ledger, parsed.contacts, Source::Vcard, None, now);
    assert_eq!(ledger, before);
    assert_eq!(again.count(Action::Merged), 2);
    assert_eq!(again.count(Action::Unchanged), 8);
}
