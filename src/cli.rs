//! Every command-line argument kith takes, as clap derive types.
//!
//! Doc comments here are the `--help` text. Values stay raw strings where they
//! need the ledger or `today` to mean anything (people, dates, ids); the
//! command handlers turn them into domain values once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::core::model::{EntryType, How, Kind};

/// A personal relationship ledger: give first, repay, keep in touch.
#[derive(Debug, Parser)]
#[command(name = "kith", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// The ledger file [default: the platform data dir, e.g. ~/.local/share/kith/ledger.json]
    #[arg(long, global = true, env = "KITH_LEDGER", value_name = "PATH")]
    pub ledger: Option<PathBuf>,

    /// Treat this date as today (for reports as of a day, and for tests)
    #[arg(long, global = true, env = "KITH_TODAY", value_name = "DATE")]
    pub today: Option<String>,

    /// Print machine-readable JSON (read commands)
    #[arg(long, global = true)]
    pub json: bool,

    /// When to colour the output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print nothing on success
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Read the JSON ledger even when its binary snapshot is ready, and leave the snapshot as it is
    #[arg(long, global = true, env = "KITH_NO_CACHE")]
    pub no_cache: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    // --- People ---
    /// Add a person
    Add(AddArgs),
    /// List people (archived ones only with --all)
    #[command(visible_alias = "ls")]
    People(PeopleArgs),
    /// A person's profile, balance, open requests, needs and timeline
    Show(PersonArg),
    /// Change a person's details
    Edit(EditArgs),
    /// Keep someone out of `who` until a date (default: one cadence)
    Snooze(SnoozeArgs),
    /// Bring a snoozed person back into `who`
    Unsnooze(PersonArg),
    /// Record what someone is looking for, or mark it done
    Need(NeedArgs),
    /// Put someone on your private "stop helping" list
    Flag(FlagArgs),
    /// Take someone off the "stop helping" list
    Unflag(PersonArg),
    /// Hide someone from lists and reminders, keeping their history
    Archive(PersonArg),
    /// Bring an archived person back
    Unarchive(PersonArg),
    /// Delete a person and all their entries (not undoable; nothing of them is kept)
    Forget(ForgetArgs),
    /// List every rule the ledger breaks, each with its id and a fix; exit 1 when any
    Doctor,

    // --- Logging ---
    /// Record a favour you gave
    Gave(FavourArgs),
    /// Record a favour you received
    Got(FavourArgs),
    /// Record a meaningful exchange (coffee, call, message...)
    Met(MetArgs),
    /// Record that someone asked you for something
    Asked(RequestArgs),
    /// Record that you asked someone for something (with a give-first check)
    Ask(RequestArgs),
    /// Record that you introduced two people you know: a favour to each
    Intro(IntroArgs),
    /// Record that you declined someone's request
    Decline(DeclineArgs),
    /// Record that you reached out again about your unanswered request
    Nudge(NudgeArgs),
    /// Close your request that went unanswered
    Lapse(EntryArg),
    /// Revert the most recent change, and say what it was
    Undo,
    /// Delete an entry recorded by mistake
    Rm(EntryArg),
    /// Correct an entry
    Amend(AmendArgs),
    /// The register, newest first; for one person with a running net column
    Log(LogArgs),

    // --- Reciprocity ---
    /// Given, received and net per person
    Balance(BalanceArgs),
    /// The verdict on a name: what went each way, and did they ever give back?
    Check(CheckArgs),
    /// Whom to help next, and why
    ///
    /// Suggestions are relationships only (people you exchanged something
    /// with, asked, or added by hand), never imported contacts or people
    /// whose only history is asking you. Each is ranked by its most pressing
    /// reason, the tier: an open request of theirs, then a birthday or
    /// date coming up, then someone who gave you more than you gave back,
    /// then going cold (longer than your cadence with them), then give
    /// first (you have never helped them). Within a tier, people with a
    /// priority tag (`kith config priority_tags`: student, in-transition)
    /// come first, then the tier's amount (oldest request, soonest date,
    /// most received, most overdue for their cadence), then the name.
    /// Flagged, archived, snoozed and one-way people and anyone you helped
    /// or met in the last `cooldown_days` are left out. Open requests from
    /// people you have no history with are listed apart, after the ranking:
    /// `kith check` them before you say yes.
    Who(WhoArgs),
    /// Every open request, oldest first, both ways
    Requests(RequestsArgs),
    /// Your unanswered requests: reach out once more, or let go
    Followups,
    /// The review of a period (default: the 7 days ending today)
    Report(ReportArgs),
    /// Network health: standings, favours per month, people going cold
    Stats(StatsArgs),
    /// Show or change a setting
    Config(ConfigArgs),

    // --- Interop ---
    /// Import contacts (vCard, LinkedIn, Google, CSV), or meetings and conversations (ics, mbox, maildir)
    ///
    /// `ics`, `mbox` and `maildir` never add people: a meeting or a mail
    /// conversation with someone already in the ledger (matched by email)
    /// becomes a `met` entry. Skipped: cancelled or declined events, events
    /// with more than `max_attendees` attendees, all-day events without
    /// attendees, mailing-list and bulk mail, and one-way mail (a conversation
    /// is a reply from them to you, or from you to them). Mail needs your own
    /// addresses: `kith config me.emails "you@example.org,you@work.com"`.
    /// Re-importing adds nothing, and an entry removed with `kith rm` stays removed.
    Import(ImportArgs),
    /// Export the ledger as JSON, CSV, vCard, or reminders for a calendar (ics)
    Export(ExportArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man,

    // --- Sync ---
    /// Three-way merge of ledgers by id; git's merge driver runs `kith merge %O %A %B`
    Merge(MergeArgs),
    /// Fold one person into another: entries move to KEEP, OTHER is removed
    MergePeople(MergePeopleArgs),
    /// Commit, pull and push the ledger through git (`kith sync init` sets it up)
    Sync(SyncArgs),
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The common ancestor (git's %O); missing or empty reads as an empty ledger
    pub base: PathBuf,
    /// Our version (git's %A); the merged ledger is written here
    pub ours: PathBuf,
    /// Their version (git's %B)
    pub theirs: PathBuf,
}

#[derive(Debug, Args)]
pub struct MergePeopleArgs {
    /// The person to keep
    pub keep: String,
    /// The person folded into KEEP and then removed
    pub other: String,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub action: Option<SyncAction>,
}

#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Make the ledger's folder a git repository that merges the ledger with kith
    Init(SyncInitArgs),
}

#[derive(Debug, Args)]
pub struct SyncInitArgs {
    /// The repository folder [default: the ledger's folder]; it must hold the ledger
    pub dir: Option<PathBuf>,
    /// The shared git repository to pull from and push to (becomes `origin`)
    #[arg(long, value_name = "URL")]
    pub remote: Option<String>,
    /// Also commit the ledger after every change (the `auto_commit` setting)
    #[arg(long)]
    pub auto_commit: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What kind of file it is
    #[arg(value_enum)]
    pub format: ImportFormat,
    /// The file to read (for `mbox`, several: e.g. an Inbox and a Sent folder;
    /// for `maildir`, the folder, or a tree of them as mbsync or offlineimap
    /// lay them out)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// For ics/mbox/maildir: only exchanges on or after DATE (default: one year ago)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// For ics/mbox/maildir: list the N most frequent addresses that matched no one (`--show-unknown=N`; default 20)
    #[arg(
        long,
        value_name = "N",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "20"
    )]
    pub show_unknown: Option<usize>,
    /// For mbox/maildir: leave the subject out of the note
    #[arg(long)]
    pub no_subject: bool,
    /// Add this tag to every imported person
    #[arg(long)]
    pub tag: Option<String>,
    /// Show what would be added, updated and skipped; change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Ask about each contact before importing it (needs a terminal)
    #[arg(long)]
    pub select: bool,
    /// For `csv`: read FIELD from the column HEADER (name, first, middle, last,
    /// email, phone, org, position, url, notes, tags, met_on) (repeatable)
    #[arg(long = "column", value_name = "FIELD=HEADER")]
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// vCard 2.1, 3.0 or 4.0 (.vcf)
    Vcard,
    /// LinkedIn Connections.csv
    Linkedin,
    /// Google Contacts CSV
    Google,
    /// Any CSV with a header row
    Csv,
    /// A calendar export (.ics): past meetings with people you know
    Ics,
    /// A mailbox file (mbox): conversations with people you know
    Mbox,
    /// A maildir folder: conversations with people you know
    Maildir,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format to write
    #[arg(value_enum)]
    pub format: ExportFormat,
    /// Write to this file (mode 0600) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The ledger itself
    Json,
    /// One row a person, with balance columns
    Csv,
    /// vCard 4.0 contacts
    Vcard,
    /// iCalendar to-dos: follow-ups due and people going cold
    Ics,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct PersonArg {
    /// A name, alias, email, id prefix or unique name prefix
    pub person: String,
}

#[derive(Debug, Args)]
pub struct EntryArg {
    /// An entry id, or a unique prefix of one (at least 4 characters)
    pub entry: String,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Their full name
    pub name: String,
    /// Another name they go by (repeatable)
    #[arg(long = "alias", value_name = "NAME")]
    pub aliases: Vec<String>,
    /// An email address (repeatable)
    #[arg(long = "email", value_name = "EMAIL")]
    pub emails: Vec<String>,
    /// A phone number (repeatable)
    #[arg(long = "phone", value_name = "PHONE")]
    pub phones: Vec<String>,
    /// A profile link, e.g. LinkedIn (repeatable)
    #[arg(long = "url", value_name = "URL")]
    pub urls: Vec<String>,
    /// Where they work
    #[arg(long)]
    pub org: Option<String>,
    /// A tag such as `student` or `family` (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// How you met
    #[arg(long, value_name = "TEXT")]
    pub how_met: Option<String>,
    /// When you met
    #[arg(long, value_name = "DATE")]
    pub met_on: Option<String>,
    /// Free notes
    #[arg(long)]
    pub note: Option<String>,
    /// Keep in touch every DAYS days (overrides tag and global cadence)
    #[arg(long, value_name = "DAYS")]
    pub cadence: Option<u32>,
    /// Their birthday: YYYY-MM-DD, or --MM-DD when you do not know the year
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub birthday: Option<String>,
    /// A day that comes round every year, as LABEL=DATE, e.g.
    /// `anniversary=2015-06-01` or `moved to Berlin=--04-01` (repeatable)
    #[arg(long = "date", value_name = "LABEL=DATE")]
    pub dates: Vec<String>,
    /// Add even if someone with this exact name exists
    #[arg(long)]
    pub allow_duplicate: bool,
}

#[derive(Debug, Args)]
pub struct PeopleArgs {
    /// Only people with this tag
    #[arg(long)]
    pub tag: Option<String>,
    /// Only people whose name, alias, email, org, tags or notes contain TEXT
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Include archived people and contacts (imported people with nothing
    /// logged, and people who have only asked you for something)
    #[arg(long)]
    pub all: bool,
    /// List pairs of people who share an email or an exact name
    #[arg(long)]
    pub duplicates: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Who to change
    pub person: String,
    /// New full name
    #[arg(long)]
    pub name: Option<String>,
    /// Add an alias (`+NAME` or `NAME`) or remove one (`-NAME`) (repeatable)
    #[arg(long = "alias", value_name = "[+-]NAME", allow_hyphen_values = true)]
    pub aliases: Vec<String>,
    /// Add (`+EMAIL`, `EMAIL`) or remove (`-EMAIL`) an email (repeatable)
    #[arg(long = "email", value_name = "[+-]EMAIL", allow_hyphen_values = true)]
    pub emails: Vec<String>,
    /// Add or remove a phone number (repeatable)
    #[arg(long = "phone", value_name = "[+-]PHONE", allow_hyphen_values = true)]
    pub phones: Vec<String>,
    /// Add or remove a profile link (repeatable)
    #[arg(long = "url", value_name = "[+-]URL", allow_hyphen_values = true)]
    pub urls: Vec<String>,
    /// Add (`+t`, `t`) or remove (`-t`) a tag (repeatable)
    #[arg(long = "tag", value_name = "[+-]TAG", allow_hyphen_values = true)]
    pub tags: Vec<String>,
    /// Where they work (empty string to clear)
    #[arg(long)]
    pub org: Option<String>,
    /// Replace the notes (empty string to clear)
    #[arg(long)]
    pub note: Option<String>,
    /// How you met (empty string to clear)
    #[arg(long, value_name = "TEXT")]
    pub how_met: Option<String>,
    /// When you met (`none` to clear)
    #[arg(long, value_name = "DATE")]
    pub met_on: Option<String>,
    /// Keep in touch every DAYS days, or `none` for the tag or global cadence
    #[arg(long, value_name = "DAYS|none")]
    pub cadence: Option<String>,
    /// Their birthday: YYYY-MM-DD, --MM-DD without the year, or `none` to clear
    #[arg(long, value_name = "DATE|none", allow_hyphen_values = true)]
    pub birthday: Option<String>,
    /// Set a yearly date as LABEL=DATE, or remove it with LABEL=none (repeatable)
    #[arg(long = "date", value_name = "LABEL=DATE")]
    pub dates: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SnoozeArgs {
    pub person: String,
    /// Snooze until this date
    #[arg(long, value_name = "DATE", conflicts_with = "days")]
    pub until: Option<String>,
    /// Snooze for this many days
    #[arg(long = "for", value_name = "DAYS")]
    pub days: Option<u32>,
}

#[derive(Debug, Args)]
pub struct NeedArgs {
    pub person: String,
    /// What they are looking for
    #[arg(required_unless_present = "done", conflicts_with = "done")]
    pub text: Option<String>,
    /// Mark the need with this id (or its number in `kith show`) as done
    #[arg(long, value_name = "ID")]
    pub done: Option<String>,
}

#[derive(Debug, Args)]
pub struct FlagArgs {
    pub person: String,
    /// Why, for your own memory
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct ForgetArgs {
    pub person: String,
    /// Confirm: this deletes the person and all their entries
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct FavourArgs {
    /// Who
    pub person: String,
    /// What the favour was
    pub what: String,
    /// What sort of favour [default: other]
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<Kind>,
    /// How much it was worth, 1 to 5 [default: by kind]
    #[arg(long)]
    pub weight: Option<i64>,
    /// When it happened [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The request this favour answers (marks it granted)
    #[arg(long = "for", value_name = "REQ")]
    pub for_request: Option<String>,
    /// Add the person if they are not in the ledger yet
    #[arg(long)]
    pub add: bool,
}

#[derive(Debug, Args)]
pub struct MetArgs {
    pub person: String,
    /// What you talked about
    pub note: Option<String>,
    /// How you met
    #[arg(long, value_parser = parse_how, default_value = "other")]
    pub how: How,
    /// When [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Add the person if they are not in the ledger yet
    #[arg(long)]
    pub add: bool,
}

#[derive(Debug, Args)]
pub struct RequestArgs {
    pub person: String,
    /// What was asked
    pub what: String,
    /// When [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Add the person if they are not in the ledger yet (with `asked`, as a
    /// contact who asked: not a relationship until you exchange something)
    #[arg(long)]
    pub add: bool,
}

#[derive(Debug, Args)]
pub struct IntroArgs {
    /// One person you introduced
    pub first: String,
    /// The other
    pub second: String,
    /// What the introduction was about
    pub what: String,
    /// When [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Record it even if one of them has no logged exchange with you
    #[arg(long)]
    pub anyway: bool,
}

#[derive(Debug, Args)]
pub struct DeclineArgs {
    /// The request's id
    pub request: String,
    /// Why, for your own memory
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct NudgeArgs {
    /// The request's id
    pub request: String,
    /// When you reached out [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

#[derive(Debug, Args)]
pub struct AmendArgs {
    /// The entry's id
    pub entry: String,
    /// New description
    #[arg(long)]
    pub what: Option<String>,
    /// New date
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// New favour kind (resets the weight to the kind's default unless --weight)
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<Kind>,
    /// New weight, 1 to 5
    #[arg(long)]
    pub weight: Option<i64>,
    /// New way you met (met entries)
    #[arg(long, value_parser = parse_how)]
    pub how: Option<How>,
    /// New note (met entries and requests)
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only this person (adds a running net column)
    pub person: Option<String>,
    /// From this date
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Up to this date
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only entries of this type
    #[arg(long = "type", value_parser = parse_entry_type, value_name = "TYPE")]
    pub entry_type: Option<EntryType>,
    /// At most N entries
    #[arg(short = 'n', long = "limit", value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// Include archived people and contacts (imported people with nothing
    /// logged, and people who have only asked you for something)
    #[arg(long)]
    pub all: bool,
    /// Only people with this tag
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Order of the rows (net: most owed first)
    #[arg(long, value_enum, default_value_t = BalanceSortArg::Net)]
    pub sort: BalanceSortArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BalanceSortArg {
    Net,
    Name,
    Last,
    Given,
    Received,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A name (anyone: people not in the ledger get `unknown`), alias, email or id
    pub name: String,
}

#[derive(Debug, Args)]
pub struct RequestsArgs {
    /// Only requests others made of you
    #[arg(long = "in", conflicts_with = "outgoing")]
    pub incoming: bool,
    /// Only requests you made of others
    #[arg(long = "out")]
    pub outgoing: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Count contacts among the people and standings too
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct WhoArgs {
    /// At most N suggestions
    #[arg(short = 'n', long = "limit", value_name = "N")]
    pub limit: Option<usize>,
    /// Only people with this tag
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The 7 days ending today (the default)
    #[arg(long, conflicts_with_all = ["month", "since"])]
    pub week: bool,
    /// The month ending today
    #[arg(long, conflicts_with = "since")]
    pub month: bool,
    /// First day of the period
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Last day of the period (default: today)
    #[arg(long, value_name = "DATE", requires = "since")]
    pub until: Option<String>,
    /// Output format (`--json` means json)
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// cadence_days, cooldown_days, followup_days, birthday_days, priority_tags or tag_cadence.TAG
    pub key: Option<String>,
    /// The new value (`none` removes a tag_cadence)
    pub value: Option<String>,
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    text.to_lowercase().parse()
}

fn parse_how(text: &str) -> Result<How, String> {
    text.to_lowercase().parse()
}

fn parse_entry_type(text: &str) -> Result<EntryType, String> {
    text.to_lowercase().parse()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
