//! The rough edges a new user hit (issue 15's "Why"), one test each:
//! truthful empty results, a quiet report in one line, natural dates, hints
//! that paste back, and `edit` that keeps your buffer when it is invalid.
//! (`--json` on writes: json_writes.rs; help and usage lines: help.rs.)

use super::*;

#[test]
fn an_empty_search_says_no_one_matches_not_no_one_here() {
    let env = Env::new();
    for name in ["Ann Lee", "Bob Stone", "Cy Young"] {
        env.ok(&["add", name]);
    }
    env.ok(&["archive", "cy"]);
    let out = env.ok(&["ls", "--search", "zed"]);
    assert!(!out.contains("no one here yet"), "{out}");
    assert!(out.contains("no one matches `zed`"), "{out}");
    assert!(out.contains("3 people"), "{out}");
    assert!(out.contains("1 archived, shown with --all"), "{out}");
    let out = env.ok(&["people", "--tag", "family"]);
    assert!(out.contains("no one matches the tag `family`"), "{out}");
    // An empty ledger is still "no one here yet".
    assert!(Env::new().ok(&["ls"]).contains("no one here yet"));
}

#[test]
fn an_empty_who_says_why_not_that_everyone_is_warm() {
    let empty = Env::new();
    let out = empty.ok(&["who"]);
    assert!(out.contains("no one here yet"), "{out}");
    assert!(!out.contains("warm"), "{out}");

    let env = Env::new();
    env.ok(&["add", "Ann Lee", "--tag", "friend"]);
    env.ok(&["gave", "ann", "lunch", "--kind", "gift"]);
    let out = env.ok(&["who", "--tag", "nosuchtag"]);
    assert_eq!(out.trim(), "no one is tagged `nosuchtag`");
    let out = env.ok(&["who"]);
    assert!(out.contains("among 1 person"), "{out}");
    assert!(out.contains("1 cooling down"), "{out}");
    let out = env.ok(&["who", "--tag", "friend"]);
    assert!(out.contains("1 person tagged `friend`"), "{out}");
    // Balance too.
    let out = env.ok(&["balance", "--tag", "nosuchtag"]);
    assert!(!out.contains("no one here yet"), "{out}");
    assert!(out.contains("no one tagged `nosuchtag`"), "{out}");
}

#[test]
fn a_quiet_report_says_so_in_one_line() {
    let env = Env::new();
    let out = env.ok(&["report"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("a quiet week: nothing was logged"), "{out}");
    assert!(!out.contains("nothing\n"), "{out}");
    // Something due but nothing logged: one line for the empty sections.
    env.ok(&["add", "Ann Lee"]);
    env.ok(&["met", "ann", "--date", "2026-01-05"]);
    let out = env.ok(&["report", "--week"]);
    assert!(
        out.contains("a quiet week: nothing was logged from 2026-11-14 to 2026-11-20"),
        "{out}"
    );
    assert!(!out.contains("You gave"), "{out}");
    assert!(out.contains("Going cold"), "{out}");
    assert_eq!(out.matches("nothing").count(), 1, "{out}");
}

#[test]
fn natural_dates_are_read_and_ambiguous_ones_refused_with_the_iso_forms() {
    let env = Env::new();
    env.ok(&["add", "Ann Lee"]);
    for (phrase, want) in [
        ("last week", "2026-11-13"),
        ("Nov 3", "2026-11-03"),
        ("3 Nov", "2026-11-03"),
        ("2026/11/02", "2026-11-02"),
        ("november 1st", "2026-11-01"),
    ] {
        let logged = env.json(&["met", "ann", "--date", phrase]);
        let id = logged["id"].as_str().unwrap();
        let entry = env.json(&["log", "ann"]);
        let found = entry
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap();
        assert_eq!(found["date"], want, "{phrase}");
    }
    let before = env.bytes();
    let out = env.output(&["met", "ann", "--date", "03/11/2026"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("ambiguous"), "{stderr}");
    assert!(
        stderr.contains("2026-11-03") && stderr.contains("2026-03-11"),
        "{stderr}"
    );
    assert!(stderr.contains("YYYY-MM-DD"), "{stderr}");
    assert_eq!(env.bytes(), before);
}

#[test]
fn hints_quote_names_of_several_words_so_they_paste_back() {
    let env = Env::new();
    env.ok(&["add", "Kevin Spammer"]);
    let out = env.ok(&["asked", "Kevin Spammer", "a favour"]);
    assert!(
        out.contains("`kith gave \"Kevin Spammer\" \"…\" --for e-"),
        "{out}"
    );
    let stderr = env.fails(&["gave", "Zed Zebra", "help"]);
    assert!(stderr.contains("`kith add \"Zed Zebra\"`"), "{stderr}");
    let stderr = env.fails(&["gave", "zed", "help"]);
    assert!(stderr.contains("`kith add zed`"), "{stderr}");
}

/// An editor script that does `step N` on its Nth run and keeps a copy of
/// what it was shown each time.
fn editor_script(env: &Env, steps: &[&str]) -> PathBuf {
    let script = env.path("editor.sh");
    let mut text = String::from(
        "#!/bin/sh\nn=$(cat \"$0.count\" 2>/dev/null || echo 0)\nn=$((n+1))\necho $n > \"$0.count\"\ncp \"$1\" \"$0.seen.$n\"\ncase $n in\n",
    );
    for (at, step) in steps.iter().enumerate() {
        text.push_str(&format!("{}) {step} ;;\n", at + 1));
    }
    text.push_str("esac\n");
    std::fs::write(&script, text).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

#[test]
fn edit_reopens_the_editor_on_your_buffer_with_the_error_until_it_is_valid() {
    let env = Env::new();
    env.ok(&["add", "Ann Lee"]);
    let script = editor_script(
        &env,
        &[
            // Invalid: an unquoted value.
            r#"sed -i 's/"org": null/"org": Acme Corp/' "$1""#,
            // Fixed, keeping what was typed.
            r#"sed -i 's/"org": Acme Corp/"org": "Acme Corp"/' "$1""#,
        ],
    );
    let out = env
        .cmd()
        .env("EDITOR", &script)
        .args(["edit", "ann"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let second = std::fs::read_to_string(format!("{}.seen.2", script.display())).unwrap();
    assert!(
        second.starts_with("// kith: not saved: not valid JSON"),
        "{second}"
    );
    assert!(
        second.contains(r#""org": Acme Corp"#),
        "the buffer was lost:\n{second}"
    );
    assert_eq!(env.json(&["show", "ann"])["org"], "Acme Corp");
}

#[test]
fn edit_changes_nothing_when_the_buffer_is_emptied_or_left_invalid() {
    let env = Env::new();
    env.ok(&["add", "Ann Lee"]);
    let before = env.bytes();
    let script = editor_script(
        &env,
        &[r#"sed -i 's/"org": null/"org": nope/' "$1""#, r#": > "$1""#],
    );
    let out = env
        .cmd()
        .env("EDITOR", &script)
        .args(["edit", "ann"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing changed"));
    assert_eq!(env.bytes(), before);

    // Saved again as shown: given up, exit 1, nothing changed, no endless loop.
    let env = Env::new();
    env.ok(&["add", "Ann Lee"]);
    let before = env.bytes();
    let script = editor_script(
        &env,
        &[r#"sed -i 's/"org": null/"org": nope/' "$1""#, "true"],
    );
    let out = env
        .cmd()
        .env("EDITOR", &script)
        .args(["edit", "ann"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("still not valid"), "{stderr}");
    assert_eq!(env.bytes(), before);
}

/// `import --select` on a real terminal (`script` gives kith a pty): the
/// prompt says who a contact would update, the contacts answered no and the
/// ones never answered are counted, and after Ctrl-D the summary starts on a
/// line of its own.
#[test]
fn select_counts_every_answer_says_what_it_would_update_and_ends_the_line() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let env = Env::new();
    env.ok(&["add", "Ann Lee", "--email", "ann@x.org"]);
    let file = env.path("four.csv");
    std::fs::write(
        &file,
        "name,email,phone\nAnn Lee,ann@x.org,555 0100\nBen Cho,ben@x.org,\nCy Dee,cy@x.org,\nDi Eve,di@x.org,\n",
    )
    .unwrap();
    let command = format!(
        "{} import csv {} --select",
        env!("CARGO_BIN_EXE_kith"),
        file.display()
    );
    // Yes to Ann (an update), no to Ben, then the end of input (Ctrl-D) at Cy.
    let out = env.in_terminal(&command, b"y\nn\n", &[]);
    let screen = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(out.status.success(), "{screen}");
    assert!(
        screen.contains("updates Ann Lee, whom you already have (same email; added phone)"),
        "{screen}"
    );
    assert!(
        screen.contains("Ben Cho <ben@x.org>, line 3 — someone new?"),
        "{screen}"
    );
    let summary = screen
        .lines()
        .find(|l| l.contains("imported:"))
        .unwrap_or_else(|| panic!("no summary:\n{screen}"));
    assert!(
        summary.starts_with("imported:"),
        "on the prompt line: {summary}"
    );
    assert!(
        summary.contains("1 updated") && summary.contains("3 skipped"),
        "{summary}"
    );
    assert!(screen.contains("you answered no"), "{screen}");
    let names: Vec<String> = env
        .json(&["people"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Ann Lee"]);
    assert_eq!(env.json(&["show", "ann"])["phones"][0], "555 0100");
}
