//! Import, export, completions, the man page, help for every command and
//! `edit` in an editor, through the real binary. Imports run on every
//! real-world export in the fixtures folder ([`crate::fixtures`]), and are
//! skipped with a message when that folder is absent.

use std::path::PathBuf;

use serde_json::Value;

use super::{Env, fixtures, mode};

mod importers;
mod parsers;

/// (name, emails, org) of each person, sorted by name.
fn people(env: &Env) -> Vec<(String, Vec<String>, Option<String>)> {
    let ledger = env.ledger_json();
    let mut people: Vec<_> = ledger["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["emails"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e.as_str().unwrap().to_string())
                    .collect(),
                p["org"].as_str().map(String::from),
            )
        })
        .collect();
    people.sort();
    people
}

type Expected<'a> = &'a [(&'a str, &'a [&'a str], Option<&'a str>)];

/// Imports a fixture into an empty ledger: the report and the people must be
/// as expected, and a second import must leave the file byte for byte as it was.
fn imports(kind: &str, file: &str, records: usize, expected: Expected<'_>) {
    let Some(dir) = fixtures() else { return };
    let env = Env::new();
    let path = dir.join(file);
    let path = path.to_str().unwrap();
    let report = env.json(&["import", kind, path, "--tag", "imported"]);
    assert_eq!(
        report["records"].as_array().unwrap().len(),
        records,
        "{file}: {report}"
    );
    assert_eq!(report["skipped"], 0, "{file}: {report}");
    assert_eq!(report["added"], expected.len(), "{file}: {report}");
    let mut want: Vec<(String, Vec<String>, Option<String>)> = expected
        .iter()
        .map(|(name, emails, org)| {
            (
                name.to_string(),
                emails.iter().map(|e| e.to_string()).collect(),
                org.map(String::from),
            )
        })
        .collect();
    want.sort();
    assert_eq!(people(&env), want, "{file}");
    let ledger = env.ledger_json();
    // The file's own CATEGORIES (Android's "My Contacts" system group is not
    // one), then the --tag.
    let categories: &[&str] = match file {
        "vcard/ezvcard_John_Doe_EVOLUTION.vcf" => &["vip", "imported"],
        "vcard/calcard_051.vcf" => &["test-kontakte", "imported"],
        _ => &["imported"],
    };
    for person in ledger["people"].as_array().unwrap() {
        assert_eq!(person["source"], kind, "{file}");
        assert_eq!(person["tags"], serde_json::json!(categories), "{file}");
    }
    let merged = |report: &Value| {
        (report["records"].as_array().unwrap().iter())
            .filter(|r| r["action"] == "merged")
            .count()
    };
    let merged_first = merged(&report);

    let before = env.bytes();
    let again = env.json(&["import", kind, path, "--tag", "imported"]);
    // Records that are the same person as an earlier record of the file are
    // reported as merged into it, both times.
    assert_eq!(merged(&again), merged_first, "{file}: {again}");
    assert_eq!(
        again["unchanged"],
        records - merged_first,
        "{file}: {again}"
    );
    assert_eq!(
        env.bytes(),
        before,
        "{file}: the second import changed the ledger"
    );
}

#[test]
fn gmail_list() {
    imports(
        "vcard",
        "vcard/ezvcard_gmail-list.vcf",
        3,
        &[
            ("Arnold Smith", &["asmithk@gmail.com"], None),
            ("Chris Beatle", &["chrisy55d@yahoo.com"], None),
            ("Doug White", &["dwhite@gmail.com"], None),
        ],
    );
}

#[test]
fn iphone_cr_cr_lf() {
    imports(
        "vcard",
        "vcard/ezvcard_John_Doe_IPHONE.vcf",
        1,
        &[(
            "Mr. John Richter James Doe Sr.",
            &["john.doe@ibm.com"],
            Some("IBM"),
        )],
    );
}

#[test]
fn evolution_folds_inside_words() {
    imports(
        "vcard",
        "vcard/ezvcard_John_Doe_EVOLUTION.vcf",
        1,
        &[(
            "Mr. John Richter, James Doe Sr.",
            &["john.doe@ibm.com"],
            Some("IBM"),
        )],
    );
}

#[test]
fn outlook_2003() {
    imports(
        "vcard",
        "vcard/ezvcard_outlook-2003.vcf",
        1,
        &[("John Doe III", &["jdoe@hotmail.com"], Some("Company, The"))],
    );
}

#[test]
fn rfc6350_example() {
    imports(
        "vcard",
        "vcard/ezvcard_rfc6350-example.vcf",
        1,
        &[(
            "Simon Perreault",
            &["simon.perreault@viagenie.ca"],
            Some("Viagenie"),
        )],
    );
}

#[test]
fn android_quoted_printable_and_nameless_cards() {
    let org6 = "Ñ".repeat(44);
    imports(
        "vcard",
        "vcard/ezvcard_John_Doe_ANDROID.vcf",
        6,
        &[
            // No FN or N: the first email becomes the name.
            ("john.doe@company.com", &["john.doe@company.com"], None),
            ("jane.doe@company.com", &["jane.doe@company.com"], None),
            // Names are stored trimmed, as `kith add` stores them.
            ("Ñ Ñ Ñ Ñ Ñ", &[], None),
            ("Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ", &[], None),
            // The second EMAIL decodes to 14 Ñ, not an address: dropped.
            ("Ñ Ñ Ñ Ñ", &["bob@company.com"], Some("ÑÑÑÑÑÑÑÑÑÑÑÑ")),
            ("ÑÑÑÑ", &["henry@company.com"], Some(&org6)),
        ],
    );
}

#[test]
fn aosp_shift_jis_multiple_entries() {
    imports(
        "vcard",
        "vcard/aosp_v21_multiple_entry.vcf",
        3,
        &[
            ("安藤ロイド3", &[], None),
            ("安藤ロイド4", &[], None),
            ("安藤ロイド5", &[], None),
        ],
    );
}

#[test]
fn aosp_shift_jis_n_only() {
    imports(
        "vcard",
        "vcard/aosp_v21_japanese_1.vcf",
        1,
        &[("安藤ロイド", &[], None)],
    );
}

#[test]
fn aosp_v40_sort_as() {
    imports(
        "vcard",
        "vcard/aosp_v40_sort_as.vcf",
        1,
        &[("安藤 ロイド", &[], Some("グーグル"))],
    );
}

#[test]
fn vcard2to3_examples_share_an_email() {
    // Ten cards; "N Only" and "Only FN" carry Test X-Mobil's email, so by the
    // SPEC's matching rule they are the same person: eight people, and the
    // report says which two cards were merged into whom.
    let Some(dir) = fixtures() else { return };
    let env = Env::new();
    let path = dir.join("vcard/vcard2to3_examples.vcf");
    let human = env.ok(&["import", "vcard", path.to_str().unwrap()]);
    assert!(
        human.contains("N Only <test-x@email.com> merged into Test X-Mobil")
            && human.contains("Only FN <test-x@email.com> merged into Test X-Mobil"),
        "{human}"
    );
    assert!(
        human.contains("2 merged into another record of the file"),
        "{human}"
    );
    imports(
        "vcard",
        "vcard/vcard2to3_examples.vcf",
        10,
        &[
            ("Mäx Mustermann", &["max@mustermann.de"], None),
            ("Test X-Mobil", &["test-x@email.com"], None),
            ("John Doe얁", &[], None),
            ("гор ЗаорсЁкі xyz і", &[], None),
            ("XXXXXXXXXX", &[], None),
            ("Max Mustermann", &[], Some("xxx")),
            ("The Dollar$", &[], None),
            ("Hola Test", &[], None),
        ],
    );
}

#[test]
fn calcard_nextcloud() {
    imports(
        "vcard",
        "vcard/calcard_051.vcf",
        1,
        &[(
            "First Last NextCloud",
            &["home@gmx.de", "work@gmx.de"],
            Some("Firma"),
        )],
    );
}

#[test]
fn linkedin_connections() {
    imports(
        "linkedin",
        "linkedin/hello-again_Connections.csv",
        1,
        &[("Alex Rohrberg", &[], Some("Schneider Electric"))],
    );
    let Some(dir) = fixtures() else { return };
    let env = Env::new();
    let path = dir.join("linkedin/hello-again_Connections.csv");
    env.ok(&["import", "linkedin", path.to_str().unwrap()]);
    let alex = &env.ledger_json()["people"][0];
    assert_eq!(alex["met_on"], "2025-12-22");
    assert_eq!(
        alex["urls"],
        serde_json::json!(["https://www.linkedin.com/in/alexrohrberg"])
    );
    assert_eq!(alex["notes"], "Position: Software Engineer");
}

#[test]
fn every_fixture_into_one_ledger_then_again_changes_nothing() {
    let Some(dir) = fixtures() else { return };
    let env = Env::new();
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for (kind, sub) in [("vcard", "vcard"), ("linkedin", "linkedin")] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            files.push((kind.to_string(), entry.unwrap().path()));
        }
    }
    files.sort();
    for (kind, path) in &files {
        env.ok(&["import", kind, path.to_str().unwrap()]);
    }
    let before = env.bytes();
    for (kind, path) in &files {
        let report = env.json(&["import", kind, path.to_str().unwrap()]);
        assert_eq!(report["added"], 0, "{}: {report}", path.display());
        assert_eq!(report["updated"], 0, "{}: {report}", path.display());
    }
    assert_eq!(env.bytes(), before);
}

#[test]
fn dry_run_shows_the_table_and_changes_nothing() {
    let env = Env::new();
    let file = env.path("people.csv");
    std::fs::write(
        &file,
        "Name,Email\nAnn Lee,ann@x.org\n,\n,,\nBob,bob@x.org\n",
    )
    .unwrap();
    let out = env.ok(&["import", "csv", file.to_str().unwrap(), "--dry-run"]);
    assert!(out.contains("would be"), "{out}");
    assert!(out.contains("Ann Lee") && out.contains("added"), "{out}");
    assert!(out.contains("dry run: 2 added"), "{out}");
    assert!(env.bytes().is_none(), "a dry run wrote the ledger");
}

#[test]
fn bad_records_are_skipped_with_their_line_and_the_rest_imported() {
    let env = Env::new();
    let file = env.path("people.csv");
    std::fs::write(
        &file,
        "Name,E-mail Address,Company,Phone\nAnn Lee,ann@x.org,Acme,\n,,Nobody Inc,+1 555\n,carol@x.org,,\n",
    )
    .unwrap();
    let report = env.json(&["import", "csv", file.to_str().unwrap()]);
    assert_eq!(report["added"], 2, "{report}");
    assert_eq!(report["skipped"], 1, "{report}");
    let skip = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "skipped")
        .unwrap();
    assert_eq!(skip["line"], 3);
    assert!(
        skip["detail"]
            .as_str()
            .unwrap()
            .contains("no name and no email")
    );
    let names: Vec<String> = people(&env).into_iter().map(|p| p.0).collect();
    assert_eq!(names, ["Ann Lee", "carol@x.org"]);
    let human = env.ok(&["import", "csv", file.to_str().unwrap()]);
    assert!(human.contains("no name and no email"), "{human}");
    assert!(
        human.contains("0 added, 0 updated, 2 unchanged, 1 skipped"),
        "{human}"
    );
}

#[test]
fn column_overrides_name_the_fields() {
    let env = Env::new();
    let file = env.path("odd.csv");
    std::fs::write(&file, "Who,Reach,Where\nAnn,ann@x.org,Acme\n").unwrap();
    let path = file.to_str().unwrap();
    let err = env.fails(&["import", "csv", path]);
    assert!(err.contains("no name or email column"), "{err}");
    env.ok(&[
        "import",
        "csv",
        path,
        "--column",
        "name=Who",
        "--column",
        "email=reach",
        "--column",
        "org=Where",
    ]);
    assert_eq!(
        people(&env),
        [("Ann".into(), vec!["ann@x.org".into()], Some("Acme".into()))]
    );
    let err = env.fails(&["import", "csv", path, "--column", "nick=Who"]);
    assert!(err.contains("unknown field `nick`"), "{err}");
    let err = env.fails(&["import", "vcard", path, "--column", "name=Who"]);
    assert!(err.contains("only applies"), "{err}");
}

#[test]
fn unreadable_or_unparseable_files_import_nothing() {
    let env = Env::new();
    env.ok(&["add", "Zed"]);
    let missing = env.path("missing.vcf");
    let err = env.fails(&["import", "vcard", missing.to_str().unwrap()]);
    assert!(err.contains("could not read"), "{err}");
    let junk = env.path("junk.vcf");
    std::fs::write(&junk, [0xffu8, 0x00, 0x13, 0x37, b'\n', b'x']).unwrap();
    let err = env.fails(&["import", "vcard", junk.to_str().unwrap()]);
    assert!(err.contains("no vCard found"), "{err}");
    let err = env.fails(&["import", "linkedin", junk.to_str().unwrap()]);
    assert!(err.contains("no LinkedIn header"), "{err}");
    let err = env.fails(&[
        "import",
        "csv",
        junk.to_str().unwrap(),
        "--tag",
        "two words",
    ]);
    assert!(err.contains("tag"), "{err}");
}

#[test]
fn select_refuses_without_a_terminal() {
    let env = Env::new();
    let file = env.path("a.csv");
    std::fs::write(&file, "Name\nAnn\n").unwrap();
    let err = env.fails(&["import", "csv", file.to_str().unwrap(), "--select"]);
    assert!(err.contains("needs a terminal"), "{err}");
}

fn seeded() -> Env {
    let env = Env::new();
    env.ok(&[
        "add",
        "Ann Lee",
        "--email",
        "ann@x.org",
        "--email",
        "ann@home.org",
        "--phone",
        "+1 555 0100",
        "--url",
        "https://www.linkedin.com/in/annlee",
        "--org",
        "Company, The; Dept",
        "--note",
        "met at PyCon; likes \"climbing\", tea\\coffee",
    ]);
    env.ok(&["add", "Bob", "--tag", "student"]);
    env.ok(&["add", "Ünal Çelik", "--email", "unal@x.tr"]);
    env
}

#[test]
fn vcard_export_imports_back_into_an_empty_ledger() {
    let env = seeded();
    let card = env.ok(&["export", "vcard"]);
    assert!(card.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"), "{card}");
    let other = Env::new();
    let file = other.path("export.vcf");
    std::fs::write(&file, &card).unwrap();
    other.ok(&["import", "vcard", file.to_str().unwrap()]);
    let fields = |env: &Env| -> Vec<Value> {
        let ledger = env.ledger_json();
        let mut people: Vec<Value> = ledger["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                serde_json::json!([
                    p["name"],
                    p["emails"],
                    p["phones"],
                    p["org"],
                    p["urls"],
                    p["notes"]
                ])
            })
            .collect();
        people.sort_by_key(|p| p.to_string());
        people
    };
    assert_eq!(fields(&other), fields(&env));
}

#[test]
fn exports_json_csv_and_private_files() {
    let env = seeded();
    let json = env.ok(&["export", "json"]);
    assert_eq!(Some(json.into_bytes()), env.bytes());

    env.ok(&["gave", "Bob", "an intro", "--kind", "intro"]);
    let csv = env.ok(&["export", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    for column in [
        "name",
        "given_weight",
        "received_weight",
        "net",
        "last_exchange",
    ] {
        assert!(header.iter().any(|h| h == column), "{header:?}");
    }
    let net = header.iter().position(|h| h == "net").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "{csv}");
    let bob = rows.iter().find(|r| &r[1] == "Bob").unwrap();
    assert_eq!(&bob[net], "3");
}

#[test]
fn export_to_a_file_is_private() {
    let env = seeded();
    let file = env.path("out/kith.vcf");
    env.ok(&["export", "vcard", "-o", file.to_str().unwrap()]);
    assert_eq!(mode(&file), 0o600);
    assert!(std::fs::read_to_string(&file).unwrap().contains("FN:Bob"));
}

#[test]
fn ics_export_has_a_todo_per_followup_with_stable_uids() {
    let env = seeded();
    env.ok(&["ask", "Ann Lee", "an intro to Dana", "--date", "2026-10-01"]);
    let ics = env.ok(&["export", "ics"]);
    let calendar = calcard::icalendar::ICalendar::parse(&ics).expect("valid iCalendar");
    let todos: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.component_type == calcard::icalendar::ICalendarComponentType::VTodo)
        .collect();
    assert!(!todos.is_empty(), "{ics}");
    assert!(
        ics.contains("SUMMARY:Reach out once more to Ann Lee"),
        "{ics}"
    );
    let uids = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("UID:"))
            .map(String::from)
            .collect()
    };
    assert_eq!(uids(&ics), uids(&env.ok(&["export", "ics"])));
}

#[test]
fn completions_for_every_shell_and_the_man_page() {
    let env = Env::new();
    // Dynamic scripts: they call kith back (COMPLETE=SHELL) for subcommands,
    // options, names and ids, so they list none of them themselves.
    for (shell, marker) in [
        ("bash", "-F _clap_complete_kith kith"),
        ("zsh", "#compdef kith"),
        ("fish", "complete --keep-order --exclusive --command kith"),
        ("elvish", "edit:completion:arg-completer[kith]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = env.ok(&["completions", shell]);
        assert!(out.contains(marker), "{shell}:\n{out}");
        assert!(out.contains(shell), "{shell} does not call kith back");
    }
    let man = env.ok(&["man"]);
    assert!(man.contains(".TH kith 1"), "{man}");
    assert!(man.contains("import"), "{man}");
    let exit_status = &man[man.find(".SH \"EXIT STATUS\"").expect(&man)..];
    for code in 0..=5 {
        assert!(
            exit_status.contains(&format!("\\fB{code}\\fR")),
            "{exit_status}"
        );
    }
    assert!(exit_status.contains("busy"), "{exit_status}");
    env.fails(&["completions", "tcsh"]);
    assert!(env.bytes().is_none());
}

#[test]
fn edit_opens_the_editor_validates_and_cleans_up() {
    let env = seeded();
    let tmp = env.path("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let edit = |editor: &str| {
        let mut cmd = env.cmd();
        cmd.env("EDITOR", editor).env("TMPDIR", &tmp);
        cmd.args(["edit", "Bob"]).output().unwrap()
    };

    let out = edit("sed -i s/\"org\":.null/\"org\":\"Globex\"/");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bob = env.json(&["show", "Bob"]);
    let bob = if bob.get("person").is_some() {
        &bob["person"]
    } else {
        &bob
    };
    assert_eq!(bob["org"], "Globex", "{bob}");

    for (editor, message) in [
        ("sed -i s/\"p-/\"q-/", "id cannot be changed"),
        ("sed -i s/\"name\":.*/\"name\":\"\",/", "the name is empty"),
        (
            "sed -i s/\"emails\":.\\[\\]/\"emails\":[\"nope\"]/",
            "does not look like an email",
        ),
        ("sed -i s/{/[/", "not valid JSON"),
        ("false", "failed"),
    ] {
        let before = env.bytes();
        let out = edit(editor);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{editor}: {stderr}");
        assert!(stderr.contains(message), "{editor}: {stderr}");
        assert_eq!(env.bytes(), before, "{editor} changed the ledger");
    }
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert!(left.is_empty(), "temp files left behind: {left:?}");
}

/// `--select` on a real terminal: `script` gives kith a pseudo-terminal and
/// types the answers into it.
#[test]
fn select_asks_per_contact_on_a_terminal() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let env = Env::new();
    let file = env.path("three.csv");
    std::fs::write(
        &file,
        "name,email\nAnn Lee,ann@x.org\nBen Cho,ben@x.org\nCy Dee,cy@x.org\nDi Eve,di@x.org\n",
    )
    .unwrap();
    let command = format!(
        "{} import csv {} --select",
        env!("CARGO_BIN_EXE_kith"),
        file.display()
    );
    // Yes to Ann, an unknown answer (help), no to Ben, yes to Cy, then quit before Di.
    let out = env.in_terminal(&command, b"y\nwhat\nn\ny\nq\n", &["NO_COLOR"]);
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{screen}");
    assert!(screen.contains("import Ann Lee <ann@x.org>"), "{screen}");
    assert!(screen.contains("y: import this one"), "{screen}");
    let names: Vec<String> = people(&env).into_iter().map(|(name, _, _)| name).collect();
    assert_eq!(names, ["Ann Lee", "Cy Dee"]);
}

#[test]
fn every_command_has_help() {
    let env = Env::new();
    for command in [
        "add",
        "people",
        "ls",
        "show",
        "edit",
        "snooze",
        "unsnooze",
        "need",
        "flag",
        "unflag",
        "archive",
        "unarchive",
        "forget",
        "gave",
        "got",
        "met",
        "asked",
        "ask",
        "intro",
        "decline",
        "nudge",
        "lapse",
        "undo",
        "rm",
        "amend",
        "log",
        "balance",
    ] {
        let out = env.ok(&[command, "--help"]);
        assert!(out.contains("Usage: kith"), "{command}: {out}");
    }
    assert!(env.bytes().is_none(), "help must not create the ledger");
}
