use chrono::{Duration, NaiveDate, TimeZone};
use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::core::model::{Detail, Favour, Kind, LabelledDate, Need, PartialDate};

fn at(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap() + Duration::seconds(secs)
}

fn person(id: &str, name: &str, secs: i64) -> Person {
    Person::new(id.into(), name.into(), at(secs))
}

fn gave(id: &str, person: &str, day: u32, what: &str, secs: i64) -> Entry {
    Entry {
        source_id: None,
        id: id.into(),
        person: person.into(),
        date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
        recorded: at(secs),
        updated: at(secs),
        detail: Detail::Gave(Favour {
            what: what.into(),
            kind: Kind::Help,
            weight: 2,
            resolves: None,
        }),
        extra: Default::default(),
    }
}

fn base() -> Ledger {
    let mut ledger = Ledger::default();
    ledger.people.push(person("p-a", "Alice", 0));
    ledger.people.push(person("p-b", "Bob", 0));
    ledger.entries.push(gave("e-1", "p-a", 1, "advice", 0));
    ledger.entries.push(gave("e-2", "p-b", 2, "intro", 0));
    ledger
}

fn set_what(entry: &mut Entry, what: &str) {
    if let Detail::Gave(f) = &mut entry.detail {
        f.what = what.into();
    }
}

#[test]
fn additions_on_both_sides_are_all_kept_in_date_order() {
    let base = base();
    let mut ours = base.clone();
    ours.entries.push(gave("e-3", "p-a", 5, "lunch", 10));
    let mut theirs = base.clone();
    theirs.entries.push(gave("e-4", "p-b", 3, "book", 20));
    theirs.people.push(person("p-c", "Carol", 20));
    let out = merge(&base, &ours, &theirs);
    let ids: Vec<&str> = out.ledger.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["e-1", "e-2", "e-4", "e-3"]);
    assert!(out.ledger.person("p-c").is_some());
    assert!(out.conflicts.is_empty());
}

#[test]
fn deletion_against_no_change_deletes_but_against_a_change_keeps() {
    let base = base();
    let mut ours = base.clone();
    ours.entries.retain(|e| e.id != "e-1" && e.id != "e-2");
    let mut theirs = base.clone();
    let e2 = theirs.entry_mut("e-2").unwrap();
    set_what(e2, "intro to Dana");
    e2.updated = at(50);
    let out = merge(&base, &ours, &theirs);
    assert!(out.ledger.entry("e-1").is_none());
    assert_eq!(
        out.ledger.entry("e-2").unwrap().favour().unwrap().what,
        "intro to Dana"
    );
    assert_eq!(out.conflicts.len(), 1);
    assert_eq!(out.conflicts[0].kind, ConflictKind::DeletedAndChanged);
    assert_eq!(out.conflicts[0].kept, Side::Theirs);
}

#[test]
fn edits_to_different_fields_of_one_person_both_win() {
    let base = base();
    let mut ours = base.clone();
    let a = ours.person_mut("p-a").unwrap();
    a.org = Some("Acme".into());
    a.tags.push("close".into());
    a.updated = at(100);
    let mut theirs = base.clone();
    let a = theirs.person_mut("p-a").unwrap();
    a.notes = Some("likes chess".into());
    a.tags.push("student".into());
    a.updated = at(200);
    let out = merge(&base, &ours, &theirs);
    let a = out.ledger.person("p-a").unwrap();
    assert_eq!(a.org.as_deref(), Some("Acme"));
    assert_eq!(a.notes.as_deref(), Some("likes chess"));
    assert_eq!(a.tags, ["student", "close"]);
    assert_eq!(a.updated, at(200));
    assert!(out.conflicts.is_empty(), "{:?}", out.conflicts);
}

#[test]
fn the_same_field_changed_on_both_sides_takes_the_newer_and_is_reported() {
    let base = base();
    let mut ours = base.clone();
    let a = ours.person_mut("p-a").unwrap();
    a.name = "Alice Smith".into();
    a.updated = at(300);
    let mut theirs = base.clone();
    let a = theirs.person_mut("p-a").unwrap();
    a.name = "Alice Jones".into();
    a.updated = at(200);
    let out = merge(&base, &ours, &theirs);
    assert_eq!(out.ledger.person("p-a").unwrap().name, "Alice Smith");
    assert_eq!(out.conflicts.len(), 1);
    let conflict = &out.conflicts[0];
    assert_eq!(
        (conflict.field.as_str(), conflict.kind, conflict.kept),
        ("name", ConflictKind::BothChanged, Side::Ours)
    );
    assert!(
        conflict
            .to_string()
            .contains("`name` changed on both sides")
    );
    // And the other way round, the same ledger.
    let swapped = merge(&base, &theirs, &ours);
    assert_eq!(swapped.ledger, out.ledger);
    assert_eq!(swapped.conflicts[0].kept, Side::Theirs);
}

#[test]
fn needs_merge_by_id_inside_a_person() {
    let need = |id: &str, text: &str| Need {
        id: id.into(),
        text: text.into(),
        since: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        done: false,
        extra: Default::default(),
    };
    let mut base = base();
    base.person_mut("p-a")
        .unwrap()
        .needs
        .push(need("n-1", "a job"));
    let mut ours = base.clone();
    let a = ours.person_mut("p-a").unwrap();
    a.needs[0].done = true;
    a.updated = at(10);
    let mut theirs = base.clone();
    let a = theirs.person_mut("p-a").unwrap();
    a.needs.push(need("n-2", "a flat"));
    a.updated = at(20);
    let out = merge(&base, &ours, &theirs);
    let needs = &out.ledger.person("p-a").unwrap().needs;
    assert_eq!(needs.len(), 2);
    assert!(needs[0].done);
    assert_eq!(needs[1].text, "a flat");
}

fn labelled(label: &str, date: &str) -> LabelledDate {
    LabelledDate::new(label, date.parse::<PartialDate>().unwrap())
}

#[test]
fn birthday_and_dates_merge_field_by_field_and_dates_by_label() {
    let mut base = base();
    base.person_mut("p-a").unwrap().dates = vec![
        labelled("wedding", "2010-06-01"),
        labelled("moved to Berlin", "2019-04-01"),
    ];
    let mut ours = base.clone();
    let a = ours.person_mut("p-a").unwrap();
    a.birthday = Some("--02-29".parse().unwrap());
    a.dates[0].date = "2010-06-02".parse().unwrap();
    a.dates.push(labelled("started at Stripe", "2021-03-01"));
    a.updated = at(10);
    let mut theirs = base.clone();
    let a = theirs.person_mut("p-a").unwrap();
    a.notes = Some("likes chess".into());
    a.dates.retain(|d| d.label != "moved to Berlin");
    a.dates.push(labelled("first job", "2005-09-01"));
    a.updated = at(20);
    let out = merge(&base, &ours, &theirs);
    let a = out.ledger.person("p-a").unwrap();
    assert_eq!(
        a.birthday.map(|b| b.to_string()).as_deref(),
        Some("--02-29")
    );
    assert_eq!(a.notes.as_deref(), Some("likes chess"));
    let dates: Vec<(&str, String)> = a
        .dates
        .iter()
        .map(|d| (d.label.as_str(), d.date.to_string()))
        .collect();
    assert_eq!(
        dates,
        [
            ("wedding", "2010-06-02".to_string()),
            ("first job", "2005-09-01".to_string()),
            ("started at Stripe", "2021-03-01".to_string()),
        ]
    );
    assert!(out.conflicts.is_empty(), "{:?}", out.conflicts);
    assert_eq!(merge(&base, &theirs, &ours).ledger, out.ledger);

    // The same date changed on both sides: the newer wins, and it is reported.
    let mut late = base.clone();
    let a = late.person_mut("p-a").unwrap();
    a.dates[0].date = "2010-06-03".parse().unwrap();
    a.birthday = Some("1980-01-01".parse().unwrap());
    a.updated = at(30);
    let out = merge(&base, &ours, &late);
    let a = out.ledger.person("p-a").unwrap();
    assert_eq!(a.dates[0].date.to_string(), "2010-06-03");
    assert_eq!(
        a.birthday.map(|b| b.to_string()).as_deref(),
        Some("1980-01-01")
    );
    let fields: Vec<&str> = out.conflicts.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["birthday", "dates.wedding.date"]);
}

#[test]
fn dates_emptied_on_one_side_and_added_to_on_the_other_keep_only_the_addition() {
    let mut base = base();
    base.person_mut("p-a").unwrap().dates = vec![labelled("wedding", "2010-06-01")];
    let mut ours = base.clone();
    let a = ours.person_mut("p-a").unwrap();
    a.dates.clear();
    a.updated = at(10);
    let mut theirs = base.clone();
    let a = theirs.person_mut("p-a").unwrap();
    a.dates.push(labelled("first job", "2005-09-01"));
    a.updated = at(20);
    let out = merge(&base, &ours, &theirs);
    let labels: Vec<&str> = (out.ledger.person("p-a").unwrap().dates.iter())
        .map(|d| d.label.as_str())
        .collect();
    assert_eq!(labels, ["first job"]);
    assert!(out.conflicts.is_empty(), "{:?}", out.conflicts);
}

#[test]
fn settings_and_unknown_fields_merge_key_by_key() {
    let mut base = base();
    base.extra.insert("team".into(), json!({"name": "x"}));
    let mut ours = base.clone();
    ours.settings.cadence_days = 60;
    ours.extra.insert("future".into(), json!([1, 2]));
    ours.person_mut("p-a")
        .unwrap()
        .extra
        .insert("mood".into(), json!("good"));
    let mut theirs = base.clone();
    theirs.settings.tag_cadence.insert("family".into(), 14);
    theirs
        .settings
        .extra
        .insert("auto_commit".into(), json!(true));
    let out = merge(&base, &ours, &theirs);
    let settings = &out.ledger.settings;
    assert_eq!(settings.cadence_days, 60);
    assert_eq!(settings.tag_cadence.get("family"), Some(&14));
    assert_eq!(settings.extra.get("auto_commit"), Some(&json!(true)));
    assert_eq!(out.ledger.extra.get("future"), Some(&json!([1, 2])));
    assert_eq!(out.ledger.extra.get("team"), Some(&json!({"name": "x"})));
    assert_eq!(
        out.ledger.person("p-a").unwrap().extra.get("mood"),
        Some(&json!("good"))
    );
}

#[test]
fn a_person_deleted_on_one_side_comes_back_for_entries_added_on_the_other() {
    let base = base();
    let mut ours = base.clone();
    ours.people.retain(|p| p.id != "p-b");
    ours.entries.retain(|e| e.person != "p-b");
    let mut theirs = base.clone();
    theirs.entries.push(gave("e-9", "p-b", 9, "a ride", 40));
    let out = merge(&base, &ours, &theirs);
    assert!(out.ledger.person("p-b").is_some());
    assert!(out.ledger.entry("e-9").is_some());
    assert!(out.ledger.entry("e-2").is_none());
    assert!(
        out.conflicts
            .iter()
            .any(|c| c.kind == ConflictKind::KeptForEntries)
    );
}

#[test]
fn people_added_on_both_sides_with_one_email_are_likely_duplicates() {
    let base = base();
    let mut ours = base.clone();
    let mut dana = person("p-d1", "Dana", 5);
    dana.emails.push("dana@example.com".into());
    ours.people.push(dana);
    let mut theirs = base.clone();
    let mut dana = person("p-d2", "Dana K", 6);
    dana.emails.push("Dana@Example.com".into());
    theirs.people.push(dana);
    let out = merge(&base, &ours, &theirs);
    assert_eq!(out.ledger.people.len(), 4);
    assert_eq!(
        out.likely_duplicates,
        [LikelyDuplicate {
            ours: "p-d1".into(),
            theirs: "p-d2".into(),
            reason: "email dana@example.com".into(),
        }]
    );
}

#[test]
fn an_entry_whose_merged_fields_do_not_fit_keeps_the_newer_whole() {
    let base = base();
    let mut ours = base.clone();
    let e = ours.entry_mut("e-1").unwrap();
    e.detail = Detail::Met(crate::core::model::Meeting {
        how: crate::core::model::How::Call,
        note: None,
    });
    e.updated = at(500);
    let mut theirs = base.clone();
    let e = theirs.entry_mut("e-1").unwrap();
    set_what(e, "career advice");
    e.updated = at(400);
    let out = merge(&base, &ours, &theirs);
    let merged = out.ledger.entry("e-1").unwrap();
    // `what` from theirs would ride along on a `met` entry as an unknown field;
    // either way the entry is a valid `met` from the newer side.
    assert!(matches!(merged.detail, Detail::Met(_)));
    assert_eq!(merged.updated, at(500));
}

// ---- properties ----

/// One change a machine might make to its copy.
#[derive(Debug, Clone)]
enum Op {
    AddPerson(u8, u8, i64),
    AddEntry(u8, u8, u32, i64),
    DeleteEntry(u8),
    DeletePerson(u8),
    EditNotes(u8, u8, i64),
    Tag(u8, u8, bool, i64),
    EditWhat(u8, u8, i64),
    Cadence(u8),
    Need(u8, u8, i64),
    Fold(u8, u8, i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..6, 0u8..3, 0i64..4).prop_map(|(a, b, c)| Op::AddPerson(a, b, c)),
        (0u8..8, 0u8..8, 1u32..20, 0i64..4).prop_map(|(a, b, c, d)| Op::AddEntry(a, b, c, d)),
        (0u8..8).prop_map(Op::DeleteEntry),
        (0u8..8).prop_map(Op::DeletePerson),
        (0u8..8, 0u8..3, 0i64..4).prop_map(|(a, b, c)| Op::EditNotes(a, b, c)),
        (0u8..8, 0u8..3, any::<bool>(), 0i64..4).prop_map(|(a, b, c, d)| Op::Tag(a, b, c, d)),
        (0u8..8, 0u8..3, 0i64..4).prop_map(|(a, b, c)| Op::EditWhat(a, b, c)),
        (0u8..3).prop_map(Op::Cadence),
        (0u8..8, 0u8..3, 0i64..4).prop_map(|(a, b, c)| Op::Need(a, b, c)),
        (0u8..8, 0u8..8, 0i64..4).prop_map(|(a, b, c)| Op::Fold(a, b, c)),
    ]
}

fn pick<T>(list: &mut [T], index: u8) -> Option<&mut T> {
    let len = list.len();
    if len == 0 {
        None
    } else {
        list.get_mut(usize::from(index) % len)
    }
}

/// Applies a script of changes the way kith commands would (touching `updated`).
fn apply(ledger: &Ledger, ops: &[Op], clock: i64) -> Ledger {
    let mut ledger = ledger.clone();
    for (step, op) in ops.iter().enumerate() {
        let now = |tick: &i64| at(clock + tick * 10);
        match op {
            Op::AddPerson(n, email, tick) => {
                // Ids from a small pool, so both sides sometimes add the same id.
                let id = format!("p-new{n}");
                if ledger.person(&id).is_none() {
                    let mut p = person(&id, &format!("New {n}"), 0);
                    p.created = now(tick);
                    p.updated = now(tick);
                    p.emails.push(format!("x{email}@example.com"));
                    ledger.people.push(p);
                }
            }
            Op::AddEntry(who, n, day, tick) => {
                let Some(p) = pick(&mut ledger.people, *who).map(|p| p.id.clone()) else {
                    continue;
                };
                let id = format!("e-new{n}-{step}-{clock}");
                if ledger.entry(&id).is_none() {
                    ledger.entries.push(gave(&id, &p, *day, "new", 0));
                    if let Some(e) = ledger.entry_mut(&id) {
                        e.recorded = now(tick);
                        e.updated = now(tick);
                    }
                }
            }
            Op::DeleteEntry(i) => {
                if let Some(id) = pick(&mut ledger.entries, *i).map(|e| e.id.clone()) {
                    ledger.entries.retain(|e| e.id != id);
                }
            }
            Op::DeletePerson(i) => {
                if let Some(id) = pick(&mut ledger.people, *i).map(|p| p.id.clone()) {
                    ledger.people.retain(|p| p.id != id);
                    ledger.entries.retain(|e| e.person != id);
                }
            }
            Op::EditNotes(i, text, tick) => {
                if let Some(p) = pick(&mut ledger.people, *i) {
                    p.notes = Some(format!("note {text}"));
                    p.updated = now(tick);
                }
            }
            Op::Tag(i, tag, add, tick) => {
                if let Some(p) = pick(&mut ledger.people, *i) {
                    let tag = format!("t{tag}");
                    if *add && !p.tags.contains(&tag) {
                        p.tags.push(tag);
                    } else {
                        p.tags.retain(|t| *t != tag);
                    }
                    p.updated = now(tick);
                }
            }
            Op::EditWhat(i, text, tick) => {
                if let Some(e) = pick(&mut ledger.entries, *i) {
                    set_what(e, &format!("what {text}"));
                    e.updated = now(tick);
                }
            }
            Op::Cadence(n) => ledger.settings.cadence_days = 30 * u32::from(*n + 1),
            Op::Need(i, n, tick) => {
                if let Some(p) = pick(&mut ledger.people, *i) {
                    let id = format!("n-{n}");
                    match p.needs.iter_mut().find(|need| need.id == id) {
                        Some(need) => need.done = !need.done,
                        None => p.needs.push(Need {
                            id,
                            text: format!("need {n}"),
                            since: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                            done: false,
                            extra: Default::default(),
                        }),
                    }
                    p.updated = now(tick);
                }
            }
            Op::Fold(a, b, tick) => {
                let ids: Vec<String> = ledger.people.iter().map(|p| p.id.clone()).collect();
                let at_index = |i: &u8| ids.get(usize::from(*i) % ids.len().max(1)).cloned();
                if let (Some(keep), Some(other)) = (at_index(a), at_index(b))
                    && keep != other
                {
                    crate::core::dedupe::fold_person(&mut ledger, &keep, &other, now(tick))
                        .unwrap();
                }
            }
        }
    }
    ledger.sort_entries();
    ledger
}

fn scripts() -> impl Strategy<Value = (Vec<Op>, Vec<Op>, Vec<Op>)> {
    (
        prop::collection::vec(op(), 0..10),
        prop::collection::vec(op(), 0..8),
        prop::collection::vec(op(), 0..8),
    )
}

proptest! {
    #[test]
    fn merge_is_symmetric((seed, a, b) in scripts()) {
        let base = apply(&base(), &seed, 1000);
        let ours = apply(&base, &a, 2000);
        let theirs = apply(&base, &b, 2000);
        let one = merge(&base, &ours, &theirs).ledger;
        let two = merge(&base, &theirs, &ours).ledger;
        prop_assert_eq!(one, two);
    }

    #[test]
    fn a_side_equal_to_the_base_yields_the_other((seed, a, _b) in scripts()) {
        let x = apply(&base(), &seed, 1000);
        let y = apply(&x, &a, 2000);
        prop_assert_eq!(&merge(&x, &x, &y).ledger, &y);
        prop_assert_eq!(&merge(&x, &y, &x).ledger, &y);
        prop_assert_eq!(&merge(&x, &y, &y).ledger, &y);
    }

    #[test]
    fn no_entry_is_lost_unless_deleted((seed, a, b) in scripts()) {
        let base = apply(&base(), &seed, 1000);
        let ours = apply(&base, &a, 2000);
        let theirs = apply(&base, &b, 3000);
        let out = merge(&base, &ours, &theirs).ledger;
        for (side, other) in [(&ours, &theirs), (&theirs, &ours)] {
            for entry in &side.entries {
                let deleted_by_other = other.entry(&entry.id).is_none()
                    && base.entry(&entry.id) == Some(entry);
                if !deleted_by_other {
                    prop_assert!(out.entry(&entry.id).is_some(), "lost {}", entry.id);
                }
            }
        }
        // And no merged entry points at a missing person.
        for entry in &out.entries {
            prop_assert!(out.person(&entry.person).is_some());
        }
    }
}
