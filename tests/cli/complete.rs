//! Completion of names and ids, asked the way each shell asks: the
//! registration script sets `COMPLETE=<shell>` and calls `kith -- <words>`
//! with the shell's own variables, and reads the candidates from stdout.

use super::*;

fn network() -> Env {
    let env = Env::new();
    env.ok(&["add", "Alice Smith", "--email", "alice@example.org"]);
    env.ok(&["add", "Alan Turing", "--alias", "Al"]);
    env.ok(&["add", "Zoë Ångström"]);
    env.ok(&["add", "Bob Jones"]);
    env.ok(&["asked", "bob", "a job lead"]);
    env.ok(&["ask", "alice", "an intro"]);
    env
}

/// Runs the completion request `words` (the command line so far, the last
/// word the one being completed) as `shell` would; returns stdout.
fn complete(env: &Env, shell: &str, words: &[&str]) -> String {
    let mut cmd = env.cmd();
    cmd.env("COMPLETE", shell).arg("--").args(words);
    match shell {
        "bash" => {
            cmd.env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
                .env("_CLAP_COMPLETE_COMP_TYPE", "9")
                .env("_CLAP_COMPLETE_SPACE", "true")
                .env("_CLAP_IFS", "\n");
        }
        "zsh" => {
            cmd.env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
                .env("_CLAP_IFS", "\n");
        }
        _ => {}
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The candidate values, without zsh's or fish's descriptions.
fn values(output: &str, separator: char) -> Vec<String> {
    output
        .lines()
        .map(|line| line.split(separator).next().unwrap_or_default().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

#[test]
fn bash_completes_names_aliases_and_emails_as_words() {
    let env = network();
    let found = values(&complete(&env, "bash", &["kith", "gave", "al"]), '\n');
    assert_eq!(
        found,
        ["Al", "Alan\\ Turing", "Alice\\ Smith", "alice@example.org"]
    );
    // Case and accents do not matter; a later word of a name matches too.
    let found = values(&complete(&env, "bash", &["kith", "show", "zoe"]), '\n');
    assert_eq!(found, ["Zoë\\ Ångström"]);
    let found = values(&complete(&env, "bash", &["kith", "check", "tur"]), '\n');
    assert_eq!(found, ["Alan\\ Turing"]);
    // A word opened with a quote is closed instead of escaped.
    let found = values(&complete(&env, "bash", &["kith", "met", "\"ali"]), '\n');
    assert_eq!(found, ["\"Alice Smith\"", "\"alice@example.org\""]);
}

#[test]
fn zsh_and_fish_complete_names_with_a_description() {
    let env = network();
    let zsh = complete(&env, "zsh", &["kith", "snooze", "al"]);
    assert_eq!(
        values(&zsh, ':'),
        ["Al", "Alan Turing", "Alice Smith", "alice@example.org"]
    );
    assert!(zsh.contains("Al:alias of Alan Turing"), "{zsh}");
    let fish = complete(&env, "fish", &["kith", "flag", "al"]);
    assert_eq!(
        values(&fish, '\t'),
        ["Al", "Alan Turing", "Alice Smith", "alice@example.org"]
    );
    assert!(fish.contains("alice@example.org\tAlice Smith"), "{fish}");
}

#[test]
fn request_and_entry_ids_complete_by_direction() {
    let env = network();
    let asked = env.json(&["log", "bob"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let ask = env.json(&["log", "alice"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let declinable = values(&complete(&env, "fish", &["kith", "decline", ""]), '\t');
    let ids: Vec<&String> = declinable.iter().filter(|v| v.starts_with("e-")).collect();
    assert_eq!(ids.len(), 1, "{declinable:?}");
    assert!(asked.starts_with(ids[0].as_str()));
    let nudgeable = values(&complete(&env, "fish", &["kith", "nudge", "e-"]), '\t');
    assert_eq!(nudgeable.len(), 1, "{nudgeable:?}");
    assert!(ask.starts_with(nudgeable[0].as_str()));
    let any = values(&complete(&env, "bash", &["kith", "rm", "e-"]), '\n');
    assert_eq!(any.len(), 2, "{any:?}");
    let for_request = complete(
        &env,
        "fish",
        &["kith", "gave", "bob", "help", "--for", "e-"],
    );
    assert!(for_request.contains("a job lead"), "{for_request}");
}

#[test]
fn the_ledger_on_the_line_being_completed_is_the_one_read() {
    let env = network();
    let other = Env::new();
    other.ok(&["add", "Olga Other"]);
    let ledger = other.ledger.to_str().unwrap();
    let found = values(
        &complete(&env, "bash", &["kith", "--ledger", ledger, "show", "o"]),
        '\n',
    );
    assert_eq!(found, ["Olga\\ Other"]);
}

#[test]
fn no_ledger_completes_nothing_and_never_fails() {
    let env = Env::new();
    assert_eq!(complete(&env, "bash", &["kith", "gave", "a"]), "");
    env.write_ledger("{ not json");
    assert_eq!(complete(&env, "bash", &["kith", "gave", "a"]), "");
}

#[test]
fn completions_prints_a_registration_that_calls_kith_back() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let script = env.ok(&["completions", shell]);
        assert!(
            script.contains("COMPLETE=") || script.contains("COMPLETE\""),
            "{shell}: {script}"
        );
        assert!(script.contains(shell), "{shell}: {script}");
        assert_eq!(script, complete_registration(&env, shell), "{shell}");
    }
}

/// What `COMPLETE=<shell> kith` prints, started the same way.
fn complete_registration(env: &Env, shell: &str) -> String {
    let out = env.cmd().env("COMPLETE", shell).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// Bash itself, when it is installed: source the registration, complete a
/// word as readline would, and read COMPREPLY.
#[test]
fn real_bash_completes_a_name_through_the_registration() {
    if Command::new("bash").arg("--version").output().is_err() {
        return;
    }
    let env = network();
    let script = "source <(kith completions bash)
COMP_WORDS=(kith gave tur); COMP_CWORD=2; COMP_TYPE=9
_clap_complete_kith kith tur gave
printf '%s\\n' \"${COMPREPLY[@]}\"";
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_kith")).parent().unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
        .env("KITH_LEDGER", &env.ledger)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Alan\\ Turing\n",
        "{out:?}"
    );
}
