//! Writes a deterministic synthetic ledger for benchmarks, and optionally the
//! same favours as an hledger journal.
//!
//! ```text
//! cargo run --release --example gen_ledger -- --people 10000 --entries 200000 \
//!     --seed 1 --out target/bench/L.json --hledger target/bench/L.journal
//! ```
//!
//! The same seed always gives the same bytes: ids, names and dates all come
//! from one seeded PRNG, and every date lies in the six years ending on
//! [`END`] (run kith with `KITH_TODAY=2026-11-21` against it). The mix aims at a
//! heavy networker's lifetime: a few people with hundreds of entries and a long
//! tail with a handful, favours both ways with the spec's kinds and weights,
//! meetings, requests both ways (open ones recent, closed ones granted,
//! declined or lapsed, `out` ones nudged), needs, flags, archived, snoozed and
//! imported people (imported ones have nothing logged). It prints one line,
//! `sample person: NAME`, naming a busy, active person for `kith check`.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use kith::core::model::{
    Detail, Direction, Entry, Extra, Favour, Flag, How, Kind, Ledger, Meeting, Need, Person,
    Request, Settings, Status,
};

/// The last day any generated event happens on.
const END: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 20) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
const SPAN_DAYS: u64 = 6 * 365;

const FIRST: &[&str] = &[
    "Alice", "Bob", "Carol", "Dana", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Karl",
    "Lena", "Mallory", "Nadia", "Oscar", "Peggy", "Quinn", "Rupert", "Sybil", "Trent", "Ursula",
    "Victor", "Walter", "Xena", "Yusuf", "Zoë", "Amélie", "Björn", "Chloé", "Dmitri", "Émile",
    "Fatima", "Gustav", "Hana", "Ingrid", "José", "Kenji", "Léa", "Mateo", "Noémie", "Olu",
    "Priya", "Rafael", "Saoirse", "Tomás", "Uma", "Vikram", "Wen", "Yara", "Zoltan",
];
const LAST: &[&str] = &[
    "Smith",
    "Jones",
    "Nguyen",
    "García",
    "Müller",
    "Rossi",
    "Kowalski",
    "Okafor",
    "Tanaka",
    "Dubois",
    "Silva",
    "Novak",
    "Hansen",
    "Kim",
    "Patel",
    "O'Brien",
    "Larsen",
    "Moreau",
    "Ivanova",
    "Haddad",
    "Schmidt",
    "Fischer",
    "Martin",
    "Bernard",
    "López",
    "Chen",
    "Wang",
    "Singh",
    "Cohen",
    "Andersen",
    "Byrne",
    "Costa",
    "Eriksson",
    "Ferrari",
    "Horvat",
    "Jensen",
    "Kaplan",
    "Lindqvist",
    "Mendes",
    "Nakamura",
    "Ortiz",
    "Petrov",
    "Reyes",
    "Sato",
    "Torres",
    "Vargas",
    "Weber",
    "Young",
];
const ORGS: &[&str] = &[
    "Stripe",
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Pied Piper",
    "Wayne Enterprises",
    "Soylent",
    "Vandelay Industries",
    "the university",
    "city hall",
    "a seed fund",
    "freelance",
];
const TAGS: &[&str] = &[
    "work",
    "alumni",
    "climbing",
    "fintech",
    "design",
    "neighbour",
    "conference",
    "founder",
    "investor",
    "mentor",
    "book-club",
    "open-source",
];
const HOW_MET: &[&str] = &[
    "at a conference",
    "through work",
    "university",
    "introduced by a friend",
    "climbing gym",
    "a meetup",
    "online",
];
const FAVOURS: &[&str] = &[
    "intro to a hiring manager",
    "feedback on a pitch deck",
    "reviewed a CV",
    "lent a book",
    "helped move house",
    "coffee and career advice",
    "referred a client",
    "shared a job lead",
    "recommendation on LinkedIn",
    "birthday present",
    "covered dinner",
    "fixed a laptop",
    "proofread a grant application",
    "pointed to a good accountant",
    "talk invitation",
];
const ASKS: &[&str] = &[
    "an intro to someone at Stripe",
    "a reference letter",
    "feedback on a draft",
    "help with a visa question",
    "a warm intro to an investor",
    "advice on a job offer",
    "a place to stay for a weekend",
    "a speaking slot",
];
const NOTES: &[&str] = &[
    "talked about their new role",
    "catching up after the summer",
    "they are thinking of moving",
    "planned a hike",
    "long chat about startups",
];
const NEEDS: &[&str] = &[
    "a fintech job",
    "a cofounder",
    "a flat in Berlin",
    "beta users",
    "a mentor in design",
    "a good lawyer",
];

/// Kinds with how often they occur, out of 100.
const KINDS: &[(Kind, u32)] = &[
    (Kind::Advice, 25),
    (Kind::Help, 20),
    (Kind::Gift, 10),
    (Kind::Intro, 12),
    (Kind::Recommendation, 8),
    (Kind::Referral, 5),
    (Kind::JobLead, 5),
    (Kind::Opportunity, 4),
    (Kind::Money, 3),
    (Kind::Other, 8),
];

pub struct Args {
    pub people: usize,
    pub entries: usize,
    pub seed: u64,
    pub out: String,
    pub hledger: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        people: 500,
        entries: 5000,
        seed: 1,
        out: String::new(),
        hledger: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--people" => args.people = value()?.parse().map_err(|e| format!("--people: {e}"))?,
            "--entries" => {
                args.entries = value()?.parse().map_err(|e| format!("--entries: {e}"))?
            }
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => args.out = value()?,
            "--hledger" => args.hledger = Some(value()?),
            "-h" | "--help" => {
                return Err(
                    "usage: gen_ledger --people N --entries M --seed S --out FILE [--hledger FILE]"
                        .into(),
                );
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if args.out.is_empty() {
        return Err("--out FILE is required".into());
    }
    if args.people == 0 {
        return Err("--people must be at least 1".into());
    }
    Ok(args)
}

struct Gen {
    rng: fastrand::Rng,
}

impl Gen {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.usize(..items.len())]
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.rng.u32(..100) < percent
    }

    fn id(&mut self, prefix: &str) -> String {
        format!("{prefix}-{:016x}", self.rng.u64(..))
    }

    /// A day in the window, `days_back` at most before [`END`].
    fn date_within(&mut self, days_back: u64) -> NaiveDate {
        END - Days::new(self.rng.u64(..=days_back))
    }

    /// A date between `from` and [`END`], skewed towards recent days as a
    /// growing network logs more each year.
    fn date_after(&mut self, from: NaiveDate) -> NaiveDate {
        let span = (END - from).num_days().max(0) as f64;
        let back = span * self.rng.f64() * self.rng.f64().sqrt();
        END - Days::new(back as u64)
    }

    fn moment(&mut self, date: NaiveDate) -> DateTime<Utc> {
        let secs = self.rng.u32(7 * 3600..23 * 3600);
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap_or_default();
        date.and_time(time).and_utc()
    }

    fn kind(&mut self) -> Kind {
        let mut roll = self.rng.u32(..100);
        for (kind, share) in KINDS {
            if roll < *share {
                return *kind;
            }
            roll -= share;
        }
        Kind::Other
    }
}

fn person(g: &mut Gen, index: usize, names: &mut HashSet<String>) -> Person {
    let first = *g.pick(FIRST);
    let last = *g.pick(LAST);
    let mut name = format!("{first} {last}");
    let mut n = 2;
    while names.contains(&name) {
        name = format!("{first} {last} {n}");
        n += 1;
    }
    names.insert(name.clone());
    let met_on = g.date_within(SPAN_DAYS);
    let created = g.moment(met_on);
    let mut p = Person::new(g.id("p"), name, created);
    p.updated = created;
    let email_user = format!("{}.{}{}", first, last, index)
        .to_lowercase()
        .replace(['\'', ' '], "");
    p.emails.push(format!("{email_user}@example.com"));
    if g.chance(10) {
        p.emails.push(format!("{email_user}@work.example"));
    }
    if g.chance(40) {
        p.phones.push(format!("+1 555 {:04}", g.rng.u32(..10000)));
    }
    if g.chance(20) {
        p.urls
            .push(format!("https://www.linkedin.com/in/{email_user}"));
    }
    if g.chance(10) {
        p.aliases.push(first.to_string());
    }
    if g.chance(60) {
        p.org = Some(g.pick(ORGS).to_string());
    }
    for _ in 0..g.rng.usize(..3) {
        let tag = g.pick(TAGS).to_string();
        if !p.tags.contains(&tag) {
            p.tags.push(tag);
        }
    }
    for (tag, percent) in [
        ("student", 5),
        ("in-transition", 5),
        ("family", 2),
        ("close", 8),
    ] {
        if g.chance(percent) {
            p.tags.push(tag.to_string());
        }
    }
    if g.chance(50) {
        p.how_met = Some(g.pick(HOW_MET).to_string());
        p.met_on = Some(met_on);
    }
    if g.chance(15) {
        p.notes = Some("likes long walks; two kids; ask about the marathon".into());
    }
    if g.chance(5) {
        p.cadence_days = Some(*g.pick(&[30, 60, 180, 365]));
    }
    if g.chance(3) {
        p.snoozed_until = Some(END + Days::new(g.rng.u64(1..120)));
    }
    if g.chance(15) {
        p.source = Some(g.pick(&["vcard", "linkedin", "google", "csv"]).to_string());
    }
    if g.chance(12) {
        for _ in 0..g.rng.usize(1..3) {
            let since = g.date_after(met_on);
            p.needs.push(Need {
                id: g.id("n"),
                text: g.pick(NEEDS).to_string(),
                since,
                done: g.chance(30),
                extra: Extra::new(),
            });
        }
    }
    if g.chance(1) {
        p.flag = Some(Flag {
            date: g.date_after(met_on),
            reason: Some("only calls when they need something".into()),
            extra: Extra::new(),
        });
    }
    p.archived = g.chance(3);
    p
}

fn entry(g: &mut Gen, person: &Person, open_asks: &mut Vec<(String, Direction)>) -> Entry {
    let from = person.met_on.unwrap_or(person.created.date_naive());
    let date = g.date_after(from);
    let recorded = g.moment(date);
    let roll = g.rng.u32(..100);
    let detail = if roll < 33 {
        Detail::Gave(favour(g, open_asks, Direction::In))
    } else if roll < 57 {
        Detail::Got(favour(g, open_asks, Direction::Out))
    } else if roll < 88 {
        Detail::Met(Meeting {
            how: *g.pick(How::ALL),
            note: g.chance(40).then(|| g.pick(NOTES).to_string()),
        })
    } else {
        let direction = if g.chance(55) {
            Direction::In
        } else {
            Direction::Out
        };
        let age = (END - date).num_days();
        let status = if age < 60 && g.chance(60) {
            Status::Open
        } else {
            *g.pick(&[
                Status::Granted,
                Status::Granted,
                Status::Declined,
                Status::Lapsed,
            ])
        };
        let status = if direction == Direction::In && status == Status::Lapsed {
            Status::Declined
        } else {
            status
        };
        let mut nudges = Vec::new();
        if direction == Direction::Out && status != Status::Granted && g.chance(50) {
            nudges.push((date + Days::new(g.rng.u64(14..40))).min(END));
        }
        Detail::Ask(Request {
            what: g.pick(ASKS).to_string(),
            direction,
            status,
            nudges,
            note: (status == Status::Declined && g.chance(30)).then(|| "bad timing".to_string()),
        })
    };
    let id = g.id("e");
    if let Detail::Ask(r) = &detail
        && r.status == Status::Granted
    {
        open_asks.push((id.clone(), r.direction));
    }
    let mut extra = Extra::new();
    if g.chance(1) {
        extra.insert("mood".into(), serde_json::Value::from("good"));
    }
    Entry {
        id,
        person: person.id.clone(),
        date,
        recorded,
        updated: recorded,
        detail,
        source_id: None,
        extra,
    }
}

/// A favour; now and then it answers an earlier granted request that went the
/// matching way (a `gave` answers their request, a `got` answers mine).
fn favour(g: &mut Gen, granted: &mut Vec<(String, Direction)>, answers: Direction) -> Favour {
    let kind = g.kind();
    let weight = if g.chance(15) {
        g.rng.u8(1..=5)
    } else {
        kind.default_weight()
    };
    let resolves = match granted.last() {
        Some((id, dir)) if *dir == answers && g.chance(50) => {
            let id = id.clone();
            granted.pop();
            Some(id)
        }
        _ => None,
    };
    Favour {
        what: g.pick(FAVOURS).to_string(),
        kind,
        weight,
        resolves,
    }
}

/// The ledger and the index of a busy, active person in it.
pub fn generate(args: &Args) -> (Ledger, usize) {
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(args.seed),
    };
    let mut names = HashSet::new();
    let people: Vec<Person> = (0..args.people)
        .map(|i| person(&mut g, i, &mut names))
        .collect();
    // Imported contacts with nothing logged stay untouched, as the spec wants
    // them; everyone else shares the entries with a heavy tail: the busiest
    // few have hundreds, most a handful.
    let active: Vec<usize> = (0..people.len())
        .filter(|&i| people[i].source.is_none())
        .collect();
    let active = if active.is_empty() {
        (0..people.len()).collect()
    } else {
        active
    };
    let mut per_person_granted: BTreeMap<usize, Vec<(String, Direction)>> = BTreeMap::new();
    let mut entries = Vec::with_capacity(args.entries);
    for _ in 0..args.entries {
        let u = g.rng.f64();
        let slot = ((u * u * u) * active.len() as f64) as usize;
        let index = active[slot.min(active.len() - 1)];
        let granted = per_person_granted.entry(index).or_default();
        entries.push(entry(&mut g, &people[index], granted));
    }
    let sample = active
        .iter()
        .copied()
        .find(|&i| people[i].flag.is_none() && !people[i].archived)
        .unwrap_or(0);
    let settings = Settings {
        tag_cadence: BTreeMap::from([("family".to_string(), 14), ("close".to_string(), 30)]),
        ..Settings::default()
    };
    let mut ledger = Ledger {
        settings,
        people,
        entries,
        ..Ledger::default()
    };
    ledger.sort_entries();
    (ledger, sample)
}

/// The favours as plain-text accounting: one transaction per favour, one
/// account per person and direction, amounts = weights.
fn journal(ledger: &Ledger) -> String {
    let names: BTreeMap<&str, &str> = ledger
        .people
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let mut text = String::with_capacity(ledger.entries.len() * 120);
    for entry in &ledger.entries {
        let (side, favour) = match &entry.detail {
            Detail::Gave(f) => ("given", f),
            Detail::Got(f) => ("received", f),
            _ => continue,
        };
        let name = names
            .get(entry.person.as_str())
            .copied()
            .unwrap_or("unknown");
        let _ = write!(
            text,
            "{} {}\n    favours:{side}:{name}  {}\n    favours:{side}-total\n\n",
            entry.date, favour.what, favour.weight
        );
    }
    text
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let (ledger, sample) = generate(&args);
    let result = kith::core::model::to_pretty_json(&ledger)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            std::fs::write(&args.out, bytes).map_err(|e| format!("{}: {e}", args.out))
        })
        .and_then(|()| match &args.hledger {
            Some(path) => {
                std::fs::write(path, journal(&ledger)).map_err(|e| format!("{path}: {e}"))
            }
            None => Ok(()),
        });
    if let Err(message) = result {
        eprintln!("error: {message}");
        return ExitCode::from(1);
    }
    let name = ledger
        .people
        .get(sample)
        .map(|p| p.name.as_str())
        .unwrap_or("");
    let _ = writeln!(std::io::stdout(), "sample person: {name}");
    ExitCode::SUCCESS
}
