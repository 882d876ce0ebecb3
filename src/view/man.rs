//! The manual page, `kith man`: one page for the whole tool, built from the
//! same clap command as `--help` so the two never disagree.
//!
//! clap_mangen renders the head (name, synopsis, description, options); the
//! commands are written here in full (usage, description, options,
//! examples) instead of as references to `kith-add(1)`-style pages that no
//! one installs. ENVIRONMENT, FILES, EXIT STATUS (from
//! [`crate::error::EXIT_CODES`]) and EXAMPLES follow.

use std::io::Write;

use clap::Command;
use clap_mangen::roff::{Roff, bold, italic, roman};

/// The environment kith reads, as (variable, meaning).
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "KITH_LEDGER",
        "The ledger file, when --ledger is not given.",
    ),
    (
        "KITH_TODAY",
        "Treat this date as today, when --today is not given: for reports as of a day, and for tests.",
    ),
    (
        "NO_COLOR",
        "When set to anything but the empty string, output is never coloured (unless --color always).",
    ),
    (
        "KITH_LOCK_TIMEOUT_MS",
        "How long a write waits for another kith to release the ledger's lock, in milliseconds (default 30000). Then it gives up with exit status 5.",
    ),
    (
        "KITH_NO_CACHE",
        "When set, the same as --no-cache: read the JSON ledger even when its binary snapshot is ready.",
    ),
    (
        "VISUAL, EDITOR",
        "The editor `kith edit PERSON` opens the record in (VISUAL first).",
    ),
    (
        "COMPLETE",
        "Set by the completion scripts (`kith completions SHELL`): the shell asking for completions. Not for use by hand.",
    ),
];

/// The files kith keeps, as (path, meaning).
pub const FILES: &[(&str, &str)] = &[
    (
        "~/.local/share/kith/ledger.json",
        "The ledger (on Linux; the platform's data folder elsewhere), or the file --ledger or KITH_LEDGER names. Pretty-printed JSON, mode 0600.",
    ),
    (
        "ledger.json.bak",
        "The ledger as it was before the last write, beside it.",
    ),
    (
        "ledger.json.lock",
        "The lock every write takes, so that concurrent kith processes never lose an update. Never deleted.",
    ),
    (
        "ledger.json.snap",
        "A disposable binary snapshot of the ledger for fast reads, keyed by a hash of its bytes; never trusted when stale, never synced, safe to delete.",
    ),
    (
        "ledger.json.undo",
        "The undo journal: the last 50 changes made on this machine, for `kith undo`. Local, never synced.",
    ),
];

const EXAMPLES: &[(&str, &str)] = &[
    (
        "kith gave alice \"intro to Dana at Stripe\" --kind intro",
        "Log a favour you gave; prints its id and your balance with Alice.",
    ),
    (
        "kith got \"Judy Park\" \"client referral\" --kind referral --date \"last friday\"",
        "Log a favour you received, on a past day.",
    ),
    ("kith who -n 5", "The five people to help next, and why."),
    (
        "kith review",
        "The weekly review on a terminal, one key per action.",
    ),
    (
        "kith check \"Bob Jones\"",
        "Did this person ever give anything back?",
    ),
    (
        "kith report --week --format markdown",
        "This week's review as Markdown.",
    ),
    (
        "echo 'source <(kith completions bash)' >> ~/.bashrc",
        "Complete commands, names and ids in bash (zsh: the same in ~/.zshrc; fish: kith completions fish > ~/.config/fish/completions/kith.fish).",
    ),
];

/// Writes the manual page for `command` (the whole kith CLI).
pub fn render(command: Command, out: &mut dyn Write) -> std::io::Result<()> {
    let mut command = command.disable_help_subcommand(true);
    command.build();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;

    let mut roff = Roff::default();
    roff.control("SH", ["COMMANDS"]);
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_entry(&mut roff, sub, "kith");
    }
    section(&mut roff, "ENVIRONMENT", ENVIRONMENT);
    section(&mut roff, "FILES", FILES);
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in crate::error::EXIT_CODES {
        roff.control("TP", []);
        roff.text([bold(code.to_string())]);
        roff.text([roman(*meaning)]);
    }
    section(&mut roff, "EXAMPLES", EXAMPLES);
    roff.control("SH", ["VERSION"]);
    roff.text([roman(format!(
        "v{}",
        command.get_version().unwrap_or_default()
    ))]);
    roff.to_writer(out)
}

/// One command in full: usage, description, its own options, examples;
/// then its own subcommands.
fn command_entry(roff: &mut Roff, command: &Command, parent: &str) {
    let path = format!("{parent} {}", command.get_name());
    let usage = command.clone().bin_name(&path).render_usage().to_string();
    let usage = usage.trim_start_matches("Usage:").trim();
    roff.control("SS", [path.as_str()]);
    roff.text([bold(usage)]);
    let about = command
        .get_long_about()
        .or_else(|| command.get_about())
        .map(|a| a.to_string())
        .unwrap_or_default();
    paragraphs(roff, &about);
    let own: Vec<&clap::Arg> = command
        .get_arguments()
        .filter(|a| !a.is_global_set() && !a.is_hide_set())
        .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"))
        .collect();
    for arg in own {
        let name = match (arg.get_long(), arg.get_short()) {
            (Some(long), Some(short)) => format!("-{short}, --{long}"),
            (Some(long), None) => format!("--{long}"),
            (None, _) => arg
                .get_value_names()
                .and_then(|names| names.first())
                .map(|n| format!("<{n}>"))
                .unwrap_or_else(|| format!("<{}>", arg.get_id().as_str().to_uppercase())),
        };
        let value = match (arg.get_long(), arg.get_value_names()) {
            (Some(_), Some(names)) if arg.get_action().takes_values() => {
                format!(" <{}>", names.join("> <"))
            }
            _ => String::new(),
        };
        roff.control("TP", []);
        roff.text([bold(name), italic(value)]);
        let help = arg
            .get_long_help()
            .or_else(|| arg.get_help())
            .map(|h| h.to_string())
            .unwrap_or_default();
        roff.text([roman(help.replace('\n', " "))]);
    }
    if let Some(after) = command.get_after_help() {
        let after = after.to_string();
        let examples = after.strip_prefix("Examples:").unwrap_or(&after);
        roff.control("PP", []);
        roff.text([italic("Examples:")]);
        roff.control("nf", []);
        roff.control("RS", []);
        for line in examples.lines().filter(|l| !l.trim().is_empty()) {
            roff.text([roman(line.trim())]);
        }
        roff.control("RE", []);
        roff.control("fi", []);
    }
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_entry(roff, sub, &path);
    }
}

/// Text as paragraphs: indented lines (lists, tables) keep their line
/// breaks and spacing, the rest is flowed.
fn paragraphs(roff: &mut Roff, text: &str) {
    let mut flowing = String::new();
    let mut in_block = false;
    for line in text.lines().chain([""]) {
        let indented = line.starts_with(' ');
        if (indented || line.trim().is_empty()) && !flowing.is_empty() {
            roff.control("PP", []);
            roff.text([roman(flowing.trim().to_string())]);
            flowing.clear();
        }
        if in_block && !indented {
            roff.control("fi", []);
            in_block = false;
        }
        if indented {
            if !in_block {
                roff.control("nf", []);
                in_block = true;
            }
            roff.text([roman(line.to_string())]);
        } else if !line.trim().is_empty() {
            flowing.push_str(line);
            flowing.push(' ');
        }
    }
}

fn section(roff: &mut Roff, title: &str, items: &[(&str, &str)]) {
    roff.control("SH", [title]);
    for (name, meaning) in items {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*meaning)]);
    }
}
