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
#[command(
    name = "kith",
    version,
    about,
    long_about = None,
    propagate_version = true,
    after_help = "Examples:
  kith gave alice \"intro to Dana at Stripe\" --kind intro
  kith who                  # whom to help next, and why
  kith review               # the weekly review, one key per person

A PERSON is any unique part of what you know of them: a name, an alias, an
email or an id prefix, ignoring case and accents. `kith help COMMAND` explains
a command; `kith man` prints the manual."
)]
pub struct Cli {
    /// The ledger file, else $KITH_LEDGER [default: the platform data dir, e.g.
    /// ~/.local/share/kith/ledger.json]
    #[arg(long, global = true, value_name = "PATH", help_heading = GLOBAL)]
    pub ledger: Option<PathBuf>,

    /// Treat this date as today, else $KITH_TODAY (for reports as of a day, and for tests)
    #[arg(long, global = true, value_name = "DATE", help_heading = GLOBAL)]
    pub today: Option<String>,

    /// Print machine-readable JSON (every read and write command)
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub json: bool,

    /// When to colour the output (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = GLOBAL)]
    pub color: ColorChoice,

    /// Print nothing on success
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub quiet: bool,

    /// Read the JSON ledger even when its binary snapshot is ready, and leave the snapshot as it is
    #[arg(long, global = true, env = "KITH_NO_CACHE", help_heading = GLOBAL)]
    pub no_cache: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// The heading the options every command takes are listed under.
const GLOBAL: &str = "Global options";

/// The variable `--ledger` falls back on.
pub const LEDGER_ENV: &str = "KITH_LEDGER";
/// The variable `--today` falls back on.
pub const TODAY_ENV: &str = "KITH_TODAY";

impl Cli {
    /// Fills `--ledger` and `--today` from [`LEDGER_ENV`] and [`TODAY_ENV`]
    /// when they were not given (an empty variable counts as unset).
    ///
    /// This is done after parsing, not with clap's `env`, because clap counts
    /// a value from the environment as typed: its usage lines in errors would
    /// then show `--ledger <PATH> --today <DATE>` as if they were required.
    pub fn with_env(mut self) -> Cli {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        if self.ledger.is_none() {
            self.ledger = var(LEDGER_ENV).map(PathBuf::from);
        }
        if self.today.is_none() {
            self.today = var(TODAY_ENV).map(|v| v.to_string_lossy().into_owned());
        }
        self
    }
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
    #[command(after_help = "Examples:
  kith add \"Dana Whitfield\" --org Acme --email dana@acme.com --tag investor
  kith add \"Sam Lee\" --alias sammy --how-met \"PyCon 2024\" --met-on 2024-05-17")]
    Add(AddArgs),
    /// List people (archived ones only with --all)
    #[command(visible_alias = "ls")]
    #[command(after_help = "Examples:
  kith people --tag student
  kith ls --search acme --all")]
    People(PeopleArgs),
    /// A person's profile, balance, open requests, needs and timeline
    #[command(after_help = "Examples:
  kith show alice
  kith show \"Bob Jones\" --json")]
    Show(PersonArg),
    /// Change a person's details
    #[command(after_help = "Examples:
  kith edit alice --org Stripe --tag +fintech --tag -student
  kith edit alice            # the whole record as JSON in $VISUAL or $EDITOR")]
    Edit(EditArgs),
    /// Keep someone out of `who` until a date (default: one cadence)
    #[command(after_help = "Examples:
  kith snooze bob --for 30
  kith snooze bob --until \"Jan 15\"")]
    Snooze(SnoozeArgs),
    /// Bring a snoozed person back into `who`
    #[command(after_help = "Examples:
  kith unsnooze bob")]
    Unsnooze(PersonArg),
    /// Record what someone is looking for, or mark it done
    #[command(after_help = "Examples:
  kith need carol \"a fintech job in Berlin\"
  kith need carol --done 1")]
    Need(NeedArgs),
    /// Put someone on your private "stop helping" list
    #[command(after_help = "Examples:
  kith flag bob --reason \"asked three times, never gave back\"")]
    Flag(FlagArgs),
    /// Take someone off the "stop helping" list
    #[command(after_help = "Examples:
  kith unflag bob")]
    Unflag(PersonArg),
    /// Hide someone from lists and reminders, keeping their history
    #[command(after_help = "Examples:
  kith archive \"Old Colleague\"")]
    Archive(PersonArg),
    /// Bring an archived person back
    #[command(after_help = "Examples:
  kith unarchive \"Old Colleague\"")]
    Unarchive(PersonArg),
    /// Delete a person and all their entries (not undoable; nothing of them is kept)
    #[command(after_help = "Examples:
  kith forget \"Spam Contact\" --yes")]
    Forget(ForgetArgs),
    /// List every rule the ledger breaks, each with its id and a fix; exit 1 when any
    #[command(after_help = "Examples:
  kith doctor
  kith doctor --json")]
    Doctor,

    // --- Logging ---
    /// Record a favour you gave
    ///
    /// A favour has a kind and a weight from 1 (a small favour) to 5
    /// (life-changing). Each kind has a default weight, which --weight
    /// overrides: advice 1, help 2, gift 2, intro 3, recommendation 3,
    /// referral 4, job-lead 4, opportunity 4, money 3, other 2.
    #[command(after_help = "Examples:
  kith gave alice \"intro to Dana at Stripe\" --kind intro
  kith gave bob \"reviewed his deck\" --kind advice --for e-3f9a0c1")]
    #[command(verbatim_doc_comment)]
    Gave(FavourArgs),
    /// Record a favour you received
    ///
    /// A favour has a kind and a weight from 1 (a small favour) to 5
    /// (life-changing). Each kind has a default weight, which --weight
    /// overrides: advice 1, help 2, gift 2, intro 3, recommendation 3,
    /// referral 4, job-lead 4, opportunity 4, money 3, other 2.
    #[command(after_help = "Examples:
  kith got \"Judy Park\" \"client referral\" --kind referral --date \"last friday\"
  kith got dana \"lent me her flat\" --kind help --weight 4")]
    #[command(verbatim_doc_comment)]
    Got(FavourArgs),
    /// Record a meaningful exchange (coffee, call, message...)
    #[command(after_help = "Examples:
  kith met carol \"coffee about her job search\" --how coffee
  kith met bob --how call --date yesterday")]
    Met(MetArgs),
    /// Record that someone asked you for something
    #[command(after_help = "Examples:
  kith asked bob \"feedback on his deck\"")]
    Asked(RequestArgs),
    /// Record that you asked someone for something (with a give-first check)
    #[command(after_help = "Examples:
  kith ask dana \"feedback on my memo\"")]
    Ask(RequestArgs),
    /// Record that you introduced two people you know: a favour to each
    #[command(after_help = "Examples:
  kith intro alice dana \"both work on payments\"")]
    Intro(IntroArgs),
    /// Record that you declined someone's request
    #[command(after_help = "Examples:
  kith decline e-3f9a0c1 --note \"no time this month\"")]
    Decline(DeclineArgs),
    /// Record that you reached out again about your unanswered request
    #[command(after_help = "Examples:
  kith nudge e-3f9a0c1")]
    Nudge(NudgeArgs),
    /// Close your request that went unanswered
    #[command(after_help = "Examples:
  kith lapse e-3f9a0c1")]
    Lapse(EntryArg),
    /// Revert the most recent change, and say what it was
    #[command(after_help = "Examples:
  kith undo")]
    Undo,
    /// Delete an entry recorded by mistake
    #[command(after_help = "Examples:
  kith rm e-3f9a0c1")]
    Rm(EntryArg),
    /// Correct an entry
    #[command(after_help = "Examples:
  kith amend e-3f9a0c1 --weight 4 --date yesterday")]
    Amend(AmendArgs),
    /// The register, newest first; for one person with a running net column
    #[command(after_help = "Examples:
  kith log -n 20
  kith log alice --since \"6 months ago\"")]
    Log(LogArgs),

    // --- Reciprocity ---
    /// Given, received and net per person
    ///
    /// One row a relationship (contacts and archived people only with --all). The columns:
    ///   favours given     how many favours you gave them
    ///   weight given      what those favours weigh together (each 1 to 5; see `kith gave --help`)
    ///   favours received  how many favours they gave you
    ///   weight received   what those weigh together
    ///   net               weight given minus weight received, over all time; positive: you gave more
    ///   net 365d          the same over the last 365 days
    ///   last exchange     the latest favour either way or meeting (a request alone is not one)
    ///   standing          flagged, one-way (asked twice or more, never gave), you-owe,
    ///                     reciprocal, giving (you gave, nothing back yet) or new
    #[command(after_help = "Examples:
  kith balance
  kith balance --sort last --tag work")]
    #[command(verbatim_doc_comment)]
    Balance(BalanceArgs),
    /// The verdict on a name: what went each way, and did they ever give back?
    #[command(after_help = "Examples:
  kith check \"Bob Jones\"
  kith check bob@example.com --json")]
    Check(CheckArgs),
    /// Whom to help next, and why
    ///
    /// Suggestions are relationships only: people you exchanged something
    /// with, asked, or added by hand; never imported contacts, or people
    /// whose only history is asking you. Flagged, archived, snoozed and
    /// one-way people, and anyone you helped or met in the last
    /// cooldown_days, are left out (a birthday lifts the cooldown). Each is
    /// ranked by its most pressing reason, the tier, in this order:
    ///   1. open request     they asked you for something still open (oldest first)
    ///   2. birthday         a birthday or labelled date within birthday_days (soonest first)
    ///   3. return a favour  they gave more than you gave back (most received first)
    ///   4. keep in touch    longer since you last talked than your cadence (most overdue first)
    ///   5. give first       you have never helped them
    ///
    /// Within a tier, people with a priority tag (`kith config priority_tags`:
    /// student, in-transition) come first, then the tier's amount, then the
    /// name. Open requests from people you have no history with are listed
    /// apart, after the ranking: `kith check` them before you say yes.
    #[command(after_help = "Examples:
  kith who -n 5
  kith who --tag student")]
    #[command(verbatim_doc_comment)]
    Who(WhoArgs),
    /// Every open request, oldest first, both ways
    #[command(after_help = "Examples:
  kith requests
  kith requests --in")]
    Requests(RequestsArgs),
    /// The weekly review on a terminal: one person at a time, one key to act
    ///
    /// Steps through `who`'s suggestions, then the follow-ups due on your own
    /// requests. Each screen shows why they are here, what they are looking
    /// for and your last three entries with them. Keys:
    ///   g  log a favour you gave     m  log that you met       n  record a need
    ///   s  snooze (one cadence)      f  flag                   x  mark a follow-up nudged
    ///   space or enter  next person  u  undo the review's last action
    ///   ?  the keys                  q  quit, with a summary of what was logged
    /// Each action is one ordinary write, so nothing is lost if the review is
    /// interrupted. Needs a terminal; elsewhere use `kith who`.
    #[command(after_help = "Examples:
  kith review")]
    #[command(verbatim_doc_comment)]
    Review,
    /// Your unanswered requests: reach out once more, or let go
    #[command(after_help = "Examples:
  kith followups")]
    Followups,
    /// The review of a period (default: the 7 days ending today)
    #[command(after_help = "Examples:
  kith report --week
  kith report --since 2026-01-01 --format markdown > 2026.md")]
    Report(ReportArgs),
    /// Network health: standings, favours per month, people going cold
    #[command(after_help = "Examples:
  kith stats
  kith stats --all")]
    Stats(StatsArgs),
    /// Show or change a setting
    #[command(after_help = "Examples:
  kith config
  kith config cadence_days 60
  kith config tag_cadence.family 14")]
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
    #[command(after_help = "Examples:
  kith import vcard contacts.vcf --dry-run
  kith import linkedin Connections.csv --select --tag linkedin
  kith import ics calendar.ics")]
    Import(ImportArgs),
    /// Export the ledger as JSON, CSV, vCard, or reminders for a calendar (ics)
    #[command(after_help = "Examples:
  kith export vcard -o contacts.vcf
  kith export ics -o reminders.ics")]
    Export(ExportArgs),
    /// Print the script that makes bash, zsh or fish complete commands, names and ids
    #[command(after_help = "Examples:
  echo 'source <(kith completions bash)' >> ~/.bashrc
  echo 'source <(kith completions zsh)' >> ~/.zshrc
  kith completions fish > ~/.config/fish/completions/kith.fish")]
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    #[command(after_help = "Examples:
  kith man > kith.1 && man ./kith.1")]
    Man,

    // --- Sync ---
    /// Three-way merge of ledgers by id; git's merge driver runs `kith merge %O %A %B`
    #[command(after_help = "Examples:
  git config merge.kith.driver \"kith merge %O %A %B\"")]
    Merge(MergeArgs),
    /// Fold one person into another: entries move to KEEP, OTHER is removed
    #[command(after_help = "Examples:
  kith merge-people \"Alice Moreau\" \"alice m\"")]
    MergePeople(MergePeopleArgs),
    /// Commit, pull and push the ledger through git (`kith sync init` sets it up)
    #[command(after_help = "Examples:
  kith sync init --remote git@example.com:me/ledger.git
  kith sync")]
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
    #[arg(add = crate::shell::complete::person())]
    pub keep: String,
    /// The person folded into KEEP and then removed
    #[arg(add = crate::shell::complete::person())]
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
    #[command(
        after_help = "Examples:\n  kith sync init --auto-commit\n  kith sync init --remote git@example.com:me/ledger.git"
    )]
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
    #[arg(add = crate::shell::complete::person())]
    pub person: String,
}

#[derive(Debug, Args)]
pub struct EntryArg {
    /// An entry id, or a unique prefix of one (at least 4 characters)
    #[arg(add = crate::shell::complete::entry())]
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
    #[arg(add = crate::shell::complete::person())]
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
    /// Who: a name, alias, email or id
    #[arg(add = crate::shell::complete::person())]
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
    /// Who: a name, alias, email or id
    #[arg(add = crate::shell::complete::person())]
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
    /// Who: a name, alias, email or id
    #[arg(add = crate::shell::complete::person())]
    pub person: String,
    /// Why, for your own memory
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// Who: a name, alias, email or id
    #[arg(add = crate::shell::complete::person())]
    pub person: String,
    /// Confirm: this deletes the person and all their entries
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct FavourArgs {
    /// Who: a name, alias, email or id
    #[arg(add = crate::shell::complete::person())]
    pub person: String,
    /// What the favour was
    pub what: String,
    /// What sort of favour [default: other]: advice 1, help 2, gift 2,
    /// intro 3, recommendation 3, referral 4, job-lead 4, opportunity 4,
    /// money 3, other 2 (its default weight)
    #[arg(long, value_parser = kinds(), hide_possible_values = true, ignore_case = true)]
    pub kind: Option<Kind>,
    /// How much it was worth, 1 to 5 [default: the kind's weight]
    #[arg(long)]
    pub weight: Option<i64>,
    /// When it happened [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The request this favour answers (marks it granted)
    #[arg(long = "for", value_name = "REQ", add = crate::shell::complete::request_any())]
    pub for_request: Option<String>,
    /// Add the person if they are not in the ledger yet
    #[arg(long)]
    pub add: bool,
}

#[derive(Debug, Args)]
pub struct MetArgs {
    /// Who: a name, alias, email or id
    #[arg(add = crate::shell::complete::person())]
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
    /// Who: a name, alias, email or id
    #[arg(add = crate::shell::complete::person())]
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
    #[arg(add = crate::shell::complete::person())]
    pub first: String,
    /// The other
    #[arg(add = crate::shell::complete::person())]
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
    #[arg(add = crate::shell::complete::request_in())]
    pub request: String,
    /// Why, for your own memory
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct NudgeArgs {
    /// The request's id
    #[arg(add = crate::shell::complete::request_out())]
    pub request: String,
    /// When you reached out [default: today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

#[derive(Debug, Args)]
pub struct AmendArgs {
    /// The entry's id
    #[arg(add = crate::shell::complete::entry())]
    pub entry: String,
    /// New description
    #[arg(long)]
    pub what: Option<String>,
    /// New date
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// New favour kind (resets the weight to the kind's default unless --weight)
    #[arg(long, value_parser = kinds(), hide_possible_values = true, ignore_case = true)]
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
    #[arg(add = crate::shell::complete::person())]
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
    #[arg(add = crate::shell::complete::person())]
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

/// Favour kinds, each with its default weight as help (shells that show
/// descriptions show it while completing `--kind`).
fn kinds() -> impl clap::builder::TypedValueParser<Value = Kind> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(Kind::ALL.iter().map(|kind| {
        PossibleValue::new(kind.as_str()).help(format!("default weight {}", kind.default_weight()))
    }))
    .try_map(|text: String| text.to_lowercase().parse::<Kind>())
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

    #[test]
    fn favour_help_lists_every_kind_with_its_default_weight() {
        let cli = Cli::command();
        for name in ["gave", "got"] {
            let command = cli.find_subcommand(name).unwrap();
            let about = command.get_long_about().unwrap().to_string();
            let kind = command
                .get_arguments()
                .find(|a| a.get_id() == "kind")
                .unwrap()
                .get_help()
                .unwrap()
                .to_string();
            for k in Kind::ALL {
                let pair = format!("{k} {}", k.default_weight());
                assert!(about.contains(&pair), "{name}: {pair} in {about}");
                assert!(kind.contains(&pair), "{name} --kind: {pair} in {kind}");
            }
        }
    }

    #[test]
    fn every_command_ends_its_help_with_examples() {
        fn check(command: &clap::Command, path: &str) {
            for sub in command.get_subcommands() {
                let path = format!("{path} {}", sub.get_name());
                let after = sub.get_after_help().map(|h| h.to_string());
                assert!(
                    after
                        .as_deref()
                        .is_some_and(|h| h.starts_with("Examples:\n  kith")
                            || h.starts_with("Examples:\n  ")),
                    "{path} has no examples"
                );
                check(sub, &path);
            }
        }
        check(&Cli::command(), "kith");
    }

    #[test]
    fn global_options_have_their_own_heading() {
        let cli = Cli::command();
        for id in ["ledger", "today", "json", "color", "quiet", "no_cache"] {
            let arg = cli.get_arguments().find(|a| a.get_id() == id).unwrap();
            assert_eq!(arg.get_help_heading(), Some(GLOBAL), "{id}");
        }
    }
}
