//! Help that explains: snapshots of the screens a new user reads first, and
//! usage lines that tell the truth when the environment fills in options.

use super::*;

fn help(args: &[&str]) -> String {
    Env::new().ok(args)
}

#[test]
fn top_level_help() {
    insta::assert_snapshot!("help_kith", help(&["--help"]));
}

#[test]
fn gave_help_lists_kinds_with_their_weights() {
    let text = help(&["gave", "--help"]);
    assert!(text.contains("referral 4"), "{text}");
    insta::assert_snapshot!("help_gave", text);
    insta::assert_snapshot!("help_got_short", help(&["got", "-h"]));
}

#[test]
fn who_help_says_how_people_are_ordered() {
    insta::assert_snapshot!("help_who", help(&["who", "--help"]));
}

#[test]
fn balance_help_explains_its_columns() {
    insta::assert_snapshot!("help_balance", help(&["balance", "--help"]));
}

#[test]
fn review_help_lists_the_keys() {
    insta::assert_snapshot!("help_review", help(&["review", "--help"]));
}

#[test]
fn globals_are_listed_apart_from_a_commands_own_options() {
    let text = help(&["met", "--help"]);
    let (own, globals) = text.split_once("Global options:").unwrap();
    assert!(own.contains("--how"), "{text}");
    assert!(!own.contains("--ledger"), "{text}");
    assert!(
        globals.contains("--ledger") && globals.contains("--today"),
        "{text}"
    );
    assert!(text.contains("Examples:\n  kith met"), "{text}");
}

#[test]
fn usage_lines_do_not_show_options_the_environment_set() {
    // Env::cmd sets KITH_LEDGER and KITH_TODAY.
    let env = Env::new();
    let out = env.output(&["gave"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Usage: kith gave <PERSON> <WHAT>"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("--ledger") && !stderr.contains("--today"),
        "{stderr}"
    );
    // The variables still count.
    env.ok(&["add", "Ann Lee"]);
    assert!(env.ledger.exists());
    assert_eq!(env.json(&["log"]).as_array().unwrap().len(), 0);
    let shown = env.ok(&["gave", "ann", "advice", "--kind", "advice"]);
    assert!(shown.contains("balance with Ann Lee"), "{shown}");
    assert_eq!(env.json(&["log"])[0]["date"], TODAY);
}

#[test]
fn the_man_page_has_every_section_and_no_dangling_references() {
    let page = help(&["man"]);
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH COMMANDS",
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH \"EXIT STATUS\"",
        ".SH EXAMPLES",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    for variable in [
        "KITH_LEDGER",
        "KITH_TODAY",
        "NO_COLOR",
        "KITH_LOCK_TIMEOUT_MS",
    ] {
        assert!(page.contains(variable), "no {variable}");
    }
    for file in ["ledger.json.bak", "ledger.json.lock", "ledger.json.undo"] {
        assert!(page.contains(file), "no {file}");
    }
    // Every command is described in the page itself; no `kith-add(1)`-style
    // references to pages that are not installed.
    assert!(!page.contains("kith\\-add(1)") && !page.contains("kith-add(1)"));
    assert_eq!(
        page.matches("(1)").count(),
        0,
        "a reference to another page"
    );
    for command in ["kith gave", "kith who", "kith review", "kith sync init"] {
        assert!(page.contains(&format!(".SS \"{command}\"")), "no {command}");
    }
    // groff, where installed, reads it without a warning.
    let groff = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    if let Ok(mut groff) = groff {
        use std::io::Write as _;
        groff
            .stdin
            .take()
            .unwrap()
            .write_all(page.as_bytes())
            .unwrap();
        let out = groff.wait_with_output().unwrap();
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
