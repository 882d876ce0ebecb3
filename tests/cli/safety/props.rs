//! Invariants as property tests: save -> load is the identity for arbitrary
//! ledgers (unknown fields and odd Unicode included); `undo` after any logging
//! command restores the previous file byte for byte, and a failed command
//! changes nothing; the balance is the sum over entries.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use kith::cli::{
    AmendArgs, DeclineArgs, EntryArg, FavourArgs, IntroArgs, MetArgs, NudgeArgs, RequestArgs,
};
use kith::commands::{Ctx, log};
use kith::core::model::{
    Detail, Direction, Entry, Favour, Flag, How, Kind, LabelledDate, Ledger, Meeting, Need,
    PartialDate, Person, Request, Settings, Status,
};
use kith::core::model::{parse_ledger, to_pretty_json};
use kith::core::reciprocity::Balance;
use kith::shell::store::Store;
use kith::view::Look;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use serde_json::Value;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9 ]{1,16}",
        2 => "\\PC{0,24}",
        1 => any::<String>(),
        1 => Just("Zoë Ångström \u{202e}ʎddɐɥ 👩‍👩‍👧 \u{0}\u{1f}\"\\".to_string()),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map(text(), inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Unknown keys: prefixed so they never collide with a field kith knows.
fn extra() -> impl Strategy<Value = BTreeMap<String, Value>> {
    btree_map("x-\\PC{1,8}", json_value(), 0..3)
}

fn day() -> impl Strategy<Value = NaiveDate> {
    (1i32..=9999, 1u32..=365).prop_map(|(y, d)| NaiveDate::from_yo_opt(y, d).unwrap())
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..=253_402_300_799, 0u32..1_000_000_000)
        .prop_map(|(s, n)| DateTime::from_timestamp(s, n).unwrap())
}

fn opt<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
    proptest::option::of(s)
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        (any::<u32>(), any::<u32>(), any::<u32>(), any::<u32>()),
        vec(text(), 0..3),
        btree_map(text(), any::<u32>(), 0..3),
        extra(),
    )
        .prop_map(|(days, priority_tags, tag_cadence, extra)| {
            let (cadence_days, cooldown_days, followup_days, birthday_days) = days;
            Settings {
                cadence_days,
                cooldown_days,
                followup_days,
                priority_tags,
                tag_cadence,
                birthday_days,
                extra,
            }
        })
}

/// A date with or without its year, 29 February included.
fn partial_date() -> impl Strategy<Value = PartialDate> {
    (opt(1i32..=9999), 1u32..=12, 1u32..=31).prop_filter_map("a real day", |(year, month, day)| {
        PartialDate::new(year, month, day)
    })
}

fn need() -> impl Strategy<Value = Need> {
    (text(), text(), day(), any::<bool>(), extra()).prop_map(|(id, text, since, done, extra)| {
        Need {
            id,
            text,
            since,
            done,
            extra,
        }
    })
}

fn person() -> impl Strategy<Value = Person> {
    (
        (
            text(),
            vec(text(), 0..3),
            vec(text(), 0..2),
            vec(text(), 0..2),
            vec(text(), 0..2),
        ),
        (
            opt(text()),
            vec(text(), 0..3),
            opt(text()),
            opt(day()),
            opt(text()),
            opt(any::<u32>()),
        ),
        (
            opt(day()),
            opt(text()),
            vec(need(), 0..2),
            opt((day(), opt(text()), extra())),
        ),
        (any::<bool>(), instant(), instant(), extra()),
        (
            opt(partial_date()),
            vec((text(), partial_date(), extra()), 0..3),
        ),
    )
        .prop_map(|(a, b, c, d, e)| {
            let (name, aliases, emails, phones, urls) = a;
            let (org, tags, how_met, met_on, notes, cadence_days) = b;
            let (snoozed_until, source, needs, flag) = c;
            let (archived, created, updated, extra) = d;
            let (birthday, dates) = e;
            Person {
                id: String::new(),
                name,
                aliases,
                emails,
                phones,
                urls,
                org,
                tags,
                how_met,
                met_on,
                notes,
                cadence_days,
                birthday,
                dates: dates
                    .into_iter()
                    .map(|(label, date, extra)| LabelledDate { label, date, extra })
                    .collect(),
                snoozed_until,
                source,
                needs,
                flag: flag.map(|(date, reason, extra)| Flag {
                    date,
                    reason,
                    extra,
                }),
                archived,
                created,
                updated,
                extra,
            }
        })
}

fn favour() -> impl Strategy<Value = Favour> {
    (
        text(),
        proptest::sample::select(Kind::ALL),
        1u8..=5,
        opt(text()),
    )
        .prop_map(|(what, kind, weight, resolves)| Favour {
            what,
            kind,
            weight,
            resolves,
        })
}

fn detail() -> impl Strategy<Value = Detail> {
    prop_oneof![
        favour().prop_map(Detail::Gave),
        favour().prop_map(Detail::Got),
        (proptest::sample::select(How::ALL), opt(text()))
            .prop_map(|(how, note)| Detail::Met(Meeting { how, note })),
        (
            text(),
            proptest::sample::select(Direction::ALL),
            proptest::sample::select(Status::ALL),
            vec(day(), 0..3),
            opt(text())
        )
            .prop_map(
                |(what, direction, status, nudges, note)| Detail::Ask(Request {
                    what,
                    direction,
                    status,
                    nudges,
                    note
                })
            ),
    ]
}

/// An entry and the index of the person it is about.
fn entry() -> impl Strategy<Value = (usize, Entry)> {
    (
        any::<usize>(),
        day(),
        instant(),
        instant(),
        detail(),
        extra(),
    )
        .prop_map(|(who, date, recorded, updated, detail, extra)| {
            let entry = Entry {
                source_id: None,
                id: String::new(),
                person: String::new(),
                date,
                recorded,
                updated,
                detail,
                extra,
            };
            (who, entry)
        })
}

fn ledger() -> impl Strategy<Value = Ledger> {
    (
        settings(),
        vec(person(), 0..5),
        vec(entry(), 0..10),
        extra(),
    )
        .prop_map(|(settings, mut people, entries, extra)| {
            for (n, person) in people.iter_mut().enumerate() {
                person.id = format!("p-{:016x}", 0xa000 + n);
            }
            let entries = if people.is_empty() {
                Vec::new()
            } else {
                entries
                    .into_iter()
                    .enumerate()
                    .map(|(n, (who, mut entry))| {
                        entry.id = format!("e-{:016x}", 0xe000 + n);
                        entry.person = format!("p-{:016x}", 0xa000 + who % people.len());
                        entry
                    })
                    .collect()
            };
            Ledger {
                kith: 1,
                settings,
                people,
                entries,
                extra,
            }
        })
}

proptest! {
    #[test]
    fn save_then_load_is_the_identity(ledger in ledger()) {
        let bytes = to_pretty_json(&ledger).unwrap();
        let loaded = parse_ledger(&bytes).unwrap();
        prop_assert_eq!(&loaded, &ledger);
        prop_assert_eq!(to_pretty_json(&loaded).unwrap(), bytes);
    }
}

/// One logging command with arguments drawn from the ledger's people and entries.
#[derive(Debug, Clone)]
enum Logging {
    Favour {
        gave: bool,
        who: usize,
        what: String,
        kind: Option<Kind>,
        weight: Option<i64>,
        date: Option<String>,
        answers: Option<usize>,
    },
    Met {
        who: usize,
        note: Option<String>,
        how: How,
    },
    Request {
        out: bool,
        who: usize,
        what: String,
    },
    Intro {
        first: usize,
        second: usize,
        what: String,
    },
    Decline {
        entry: usize,
        note: Option<String>,
    },
    Nudge {
        entry: usize,
    },
    Lapse {
        entry: usize,
    },
    Rm {
        entry: usize,
    },
    Amend {
        entry: usize,
        what: Option<String>,
        weight: Option<i64>,
        date: Option<String>,
    },
}

fn date_arg() -> impl Strategy<Value = Option<String>> {
    opt(prop_oneof![
        Just("today".to_string()),
        Just("3 days ago".to_string()),
        (2000i32..=2030, 1u32..=365)
            .prop_map(|(y, d)| NaiveDate::from_yo_opt(y, d).unwrap().to_string()),
    ])
}

fn logging_command() -> impl Strategy<Value = Logging> {
    let who = any::<usize>();
    prop_oneof![
        (
            any::<bool>(),
            who,
            text(),
            opt(proptest::sample::select(Kind::ALL)),
            opt(-1i64..=7),
            date_arg(),
            opt(any::<usize>())
        )
            .prop_map(
                |(gave, who, what, kind, weight, date, answers)| Logging::Favour {
                    gave,
                    who,
                    what,
                    kind,
                    weight,
                    date,
                    answers
                }
            ),
        (who, opt(text()), proptest::sample::select(How::ALL))
            .prop_map(|(who, note, how)| Logging::Met { who, note, how }),
        (any::<bool>(), who, text()).prop_map(|(out, who, what)| Logging::Request {
            out,
            who,
            what
        }),
        (who, any::<usize>(), text()).prop_map(|(first, second, what)| Logging::Intro {
            first,
            second,
            what
        }),
        (any::<usize>(), opt(text())).prop_map(|(entry, note)| Logging::Decline { entry, note }),
        any::<usize>().prop_map(|entry| Logging::Nudge { entry }),
        any::<usize>().prop_map(|entry| Logging::Lapse { entry }),
        any::<usize>().prop_map(|entry| Logging::Rm { entry }),
        (any::<usize>(), opt(text()), opt(0i64..=6), date_arg()).prop_map(
            |(entry, what, weight, date)| Logging::Amend {
                entry,
                what,
                weight,
                date
            }
        ),
    ]
}

fn run(ctx: &Ctx, ledger: &Ledger, command: Logging) -> anyhow::Result<()> {
    let person = |n: usize| {
        ledger
            .people
            .get(n % ledger.people.len().max(1))
            .map(|p| p.id.clone())
            .unwrap_or_else(|| "nobody".into())
    };
    let entry = |n: usize| {
        ledger
            .entries
            .get(n % ledger.entries.len().max(1))
            .map(|e| e.id.clone())
            .unwrap_or_else(|| "e-none".into())
    };
    let mut out = Vec::new();
    match command {
        Logging::Favour {
            gave,
            who,
            what,
            kind,
            weight,
            date,
            answers,
        } => {
            let args = FavourArgs {
                person: person(who),
                what,
                kind,
                weight,
                date,
                for_request: answers.map(entry),
                add: false,
            };
            log::favour(ctx, &mut out, args, gave)
        }
        Logging::Met { who, note, how } => log::met(
            ctx,
            &mut out,
            MetArgs {
                person: person(who),
                note,
                how,
                date: None,
                add: false,
            },
        ),
        Logging::Request {
            out: outgoing,
            who,
            what,
        } => {
            let args = RequestArgs {
                person: person(who),
                what,
                date: None,
                add: false,
            };
            log::request(
                ctx,
                &mut out,
                args,
                if outgoing {
                    Direction::Out
                } else {
                    Direction::In
                },
            )
        }
        Logging::Intro {
            first,
            second,
            what,
        } => {
            let args = IntroArgs {
                first: person(first),
                second: person(second),
                what,
                date: None,
                anyway: true,
            };
            log::intro(ctx, &mut out, args)
        }
        Logging::Decline { entry: n, note } => log::decline(
            ctx,
            &mut out,
            DeclineArgs {
                request: entry(n),
                note,
            },
        ),
        Logging::Nudge { entry: n } => log::nudge(
            ctx,
            &mut out,
            NudgeArgs {
                request: entry(n),
                date: None,
            },
        ),
        Logging::Lapse { entry: n } => log::lapse(ctx, &mut out, EntryArg { entry: entry(n) }),
        Logging::Rm { entry: n } => log::rm(ctx, &mut out, EntryArg { entry: entry(n) }),
        Logging::Amend {
            entry: n,
            what,
            weight,
            date,
        } => {
            let args = AmendArgs {
                entry: entry(n),
                what,
                date,
                kind: None,
                weight,
                how: None,
                note: None,
            };
            log::amend(ctx, &mut out, args)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn undo_after_a_logging_command_restores_the_file(mut ledger in ledger(), command in logging_command()) {
        ledger.sort_entries();
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("ledger.json"));
        store.replace(&ledger).unwrap();
        let before = std::fs::read(store.path()).unwrap();
        let ctx = Ctx {
            store: store.clone(),
            today: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            now: DateTime::from_timestamp(1_795_000_000, 0).unwrap(),
            json: false,
            quiet: true,
            look: Look { color: false },
        };
        let result = run(&ctx, &ledger, command);
        let after = std::fs::read(store.path()).unwrap();
        match result {
            Err(_) => prop_assert_eq!(after, before, "a failed command changed the ledger"),
            Ok(()) if after == before => {}
            Ok(()) => {
                store.undo().unwrap();
                prop_assert_eq!(std::fs::read(store.path()).unwrap(), before);
            }
        }
    }

    #[test]
    fn balance_is_the_sum_over_entries(split in any::<usize>(), entries in vec(entry(), 0..30), since in opt(day())) {
        let entries: Vec<Entry> = entries.into_iter().map(|(_, e)| e).collect();
        let whole = Balance::of(&entries, since);
        let counted: Vec<&Entry> = entries.iter().filter(|e| since.is_none_or(|s| e.date >= s)).collect();
        let mut given = (0u32, 0u32);
        let mut received = (0u32, 0u32);
        let mut last = None;
        for entry in &counted {
            match &entry.detail {
                Detail::Gave(f) => { given.0 += 1; given.1 += u32::from(f.weight); }
                Detail::Got(f) => { received.0 += 1; received.1 += u32::from(f.weight); }
                Detail::Met(_) => {}
                Detail::Ask(_) => continue,
            }
            last = last.max(Some(entry.date));
        }
        prop_assert_eq!((whole.given.count, whole.given.weight), given);
        prop_assert_eq!((whole.received.count, whole.received.weight), received);
        prop_assert_eq!(whole.net, i64::from(given.1) - i64::from(received.1));
        prop_assert_eq!(whole.last_exchange, last);
        // Additive: the balance of two halves adds up to the whole.
        let (a, b) = entries.split_at(split % (entries.len() + 1));
        let (a, b) = (Balance::of(a, since), Balance::of(b, since));
        prop_assert_eq!(a.given.weight + b.given.weight, whole.given.weight);
        prop_assert_eq!(a.received.count + b.received.count, whole.received.count);
        prop_assert_eq!(a.net + b.net, whole.net);
        prop_assert_eq!(a.last_exchange.max(b.last_exchange), whole.last_exchange);
    }
}
