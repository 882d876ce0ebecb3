//! Finding people who are probably one person, and folding one into the other.
//!
//! Duplicates appear when two machines add the same person before a sync (the
//! merge reports those), or by hand. They are never merged silently: `kith
//! people --duplicates` lists the pairs that share an email or an exact name,
//! and `kith merge-people KEEP OTHER` folds OTHER into KEEP, so that nothing
//! either record knew is lost: entries move, lists are unioned, OTHER's name
//! becomes an alias.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::core::model::{Ledger, Person};
use crate::core::text::fold;

/// Two people who look like one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicatePair {
    /// The one to keep by default: the older record.
    pub keep: String,
    pub other: String,
    /// What they share: `email a@b.c`, `name Ann Lee`.
    pub reasons: Vec<String>,
}

/// Pairs of people sharing an email or an exact name, older record first.
pub fn duplicates(ledger: &Ledger) -> Vec<DuplicatePair> {
    // Group by each key, then collect pairs with all their reasons.
    let mut groups: BTreeMap<String, Vec<&Person>> = BTreeMap::new();
    for person in &ledger.people {
        let mut keys: Vec<String> = person
            .emails
            .iter()
            .map(|e| format!("email {}", e.trim().to_lowercase()))
            .collect();
        keys.push(format!("name {}", fold(&person.name)));
        keys.sort();
        keys.dedup();
        for key in keys {
            groups.entry(key).or_default().push(person);
        }
    }
    let mut pairs: BTreeMap<(String, String), DuplicatePair> = BTreeMap::new();
    for (key, people) in &groups {
        for (i, a) in people.iter().enumerate() {
            for b in people.iter().skip(i + 1) {
                let (keep, other) = if (a.created, &a.id) <= (b.created, &b.id) {
                    (a, b)
                } else {
                    (b, a)
                };
                let reason = match key.strip_prefix("name ") {
                    Some(_) => format!("name {}", keep.name),
                    None => key.clone(),
                };
                pairs
                    .entry((keep.id.clone(), other.id.clone()))
                    .or_insert_with(|| DuplicatePair {
                        keep: keep.id.clone(),
                        other: other.id.clone(),
                        reasons: Vec::new(),
                    })
                    .reasons
                    .push(reason);
            }
        }
    }
    let order: BTreeMap<&str, usize> = ledger
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut pairs: Vec<DuplicatePair> = pairs.into_values().collect();
    pairs.sort_by_key(|p| {
        (
            order.get(p.keep.as_str()).copied(),
            order.get(p.other.as_str()).copied(),
        )
    });
    pairs
}

/// A [`DuplicatePair`] as `kith people --duplicates` lists it: names and
/// entry counts beside the ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairReport {
    pub keep: Candidate,
    pub other: Candidate,
    pub reasons: Vec<String>,
}

/// One side of a [`PairReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub entries: usize,
}

/// The likely duplicates with what a person needs to decide on each pair.
pub fn duplicate_report(ledger: &Ledger) -> Vec<PairReport> {
    let candidate = |id: &str| Candidate {
        id: id.to_string(),
        name: ledger
            .person(id)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        entries: ledger.entries_of(id).count(),
    };
    duplicates(ledger)
        .into_iter()
        .map(|pair| PairReport {
            keep: candidate(&pair.keep),
            other: candidate(&pair.other),
            reasons: pair.reasons,
        })
        .collect()
}

/// What folding one person into another did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Folded {
    pub keep: String,
    pub other: String,
    pub entries_moved: usize,
}

/// Adds the items of `extra` that `list` lacks (compared by `key`), in order.
fn union(list: &mut Vec<String>, extra: &[String], key: impl Fn(&str) -> String) {
    for item in extra {
        if !list.iter().any(|x| key(x) == key(item)) {
            list.push(item.clone());
        }
    }
}

/// Folds person `other` into person `keep`: OTHER's entries move to KEEP, its
/// lists are unioned into KEEP's, blanks in KEEP are filled from OTHER, OTHER's
/// name becomes an alias, and OTHER is removed.
pub fn fold_person(
    ledger: &mut Ledger,
    keep: &str,
    other: &str,
    now: DateTime<Utc>,
) -> Result<Folded> {
    if keep == other {
        bail!("cannot merge a person into themselves");
    }
    let Some(position) = ledger.people.iter().position(|p| p.id == other) else {
        bail!("no person with id `{other}`");
    };
    if ledger.person(keep).is_none() {
        bail!("no person with id `{keep}`");
    }
    let gone = ledger.people.remove(position);
    let Some(kept) = ledger.person_mut(keep) else {
        bail!("no person with id `{keep}`");
    };

    let mut aliases = vec![gone.name.clone()];
    aliases.extend(gone.aliases.iter().cloned());
    aliases.retain(|a| fold(a) != fold(&kept.name));
    union(&mut kept.aliases, &aliases, fold);
    union(&mut kept.emails, &gone.emails, |e| e.trim().to_lowercase());
    union(&mut kept.phones, &gone.phones, |p| {
        p.chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    });
    union(&mut kept.urls, &gone.urls, |u| {
        u.trim().trim_end_matches('/').to_lowercase()
    });
    union(&mut kept.tags, &gone.tags, fold);
    for need in &gone.needs {
        if !kept.needs.iter().any(|n| n.id == need.id) {
            kept.needs.push(need.clone());
        }
    }
    kept.notes = match (kept.notes.take(), gone.notes) {
        (Some(a), Some(b)) if a.trim() != b.trim() => Some(format!("{a}\n\n{b}")),
        (a, b) => a.or(b),
    };
    kept.org = kept.org.take().or(gone.org);
    kept.how_met = kept.how_met.take().or(gone.how_met);
    kept.met_on = match (kept.met_on, gone.met_on) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    kept.cadence_days = kept.cadence_days.or(gone.cadence_days);
    kept.birthday = kept.birthday.or(gone.birthday);
    for date in gone.dates {
        let label = date.label.to_lowercase();
        if !kept.dates.iter().any(|d| d.label.to_lowercase() == label) {
            kept.dates.push(date);
        }
    }
    kept.snoozed_until = kept.snoozed_until.or(gone.snoozed_until);
    // Someone you added by hand (no source) stays a relationship when a
    // record an import or a request brought in is folded into them.
    kept.source = match (kept.source.take(), gone.source) {
        (Some(a), Some(_)) => Some(a),
        _ => None,
    };
    // A private flag on either record stays: it was set for a reason.
    kept.flag = kept.flag.take().or(gone.flag);
    kept.created = kept.created.min(gone.created);
    for (key, value) in gone.extra {
        kept.extra.entry(key).or_insert(value);
    }
    kept.updated = now;

    let mut entries_moved = 0;
    for entry in ledger.entries.iter_mut().filter(|e| e.person == other) {
        entry.person = keep.to_string();
        entry.updated = now;
        entries_moved += 1;
    }
    Ok(Folded {
        keep: keep.to_string(),
        other: other.to_string(),
        entries_moved,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::core::model::{Detail, Entry, How, Meeting};

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, day, 0, 0, 0)
            .single()
            .unwrap()
    }

    fn ledger() -> Ledger {
        let mut ledger = Ledger::default();
        let mut ann = Person::new("p-1".into(), "Ann Lee".into(), at(1));
        ann.emails.push("ann@x.org".into());
        ann.tags.push("close".into());
        let mut ann2 = Person::new("p-2".into(), "Annie".into(), at(2));
        ann2.emails.push("ANN@x.org".into());
        ann2.emails.push("annie@y.org".into());
        ann2.tags.push("close".into());
        ann2.tags.push("student".into());
        ann2.notes = Some("met at PyCon".into());
        let bob = Person::new("p-3".into(), "Bob".into(), at(1));
        let bob2 = Person::new("p-4".into(), "bób".into(), at(3));
        ledger.people = vec![ann2, ann, bob, bob2];
        ledger.entries.push(Entry {
            source_id: None,
            id: "e-1".into(),
            person: "p-2".into(),
            date: at(2).date_naive(),
            recorded: at(2),
            updated: at(2),
            detail: Detail::Met(Meeting {
                how: How::Coffee,
                note: None,
            }),
            extra: Default::default(),
        });
        ledger
    }

    #[test]
    fn names_that_differ_only_in_spacing_are_duplicates() {
        // `kith add` already refuses "Cy  Lee" beside "Cy Lee" (the same
        // fold): dedupe must see them as one person too.
        let ledger = Ledger {
            people: vec![
                Person::new("p-1".into(), "Cy Lee".into(), at(1)),
                Person::new("p-2".into(), " cy  LEE".into(), at(2)),
            ],
            ..Ledger::default()
        };
        let pairs = duplicates(&ledger);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!(pairs[0].keep, "p-1");
    }

    #[test]
    fn pairs_share_an_email_or_a_name_and_the_older_is_kept() {
        let pairs = duplicates(&ledger());
        assert_eq!(
            pairs,
            [
                DuplicatePair {
                    keep: "p-1".into(),
                    other: "p-2".into(),
                    reasons: vec!["email ann@x.org".into()],
                },
                DuplicatePair {
                    keep: "p-3".into(),
                    other: "p-4".into(),
                    reasons: vec!["name Bob".into()],
                },
            ]
        );
    }

    #[test]
    fn a_person_added_by_hand_stays_one_when_an_import_is_folded_in() {
        let mut ledger = ledger();
        ledger.person_mut("p-4").unwrap().source = Some("linkedin".into());
        fold_person(&mut ledger, "p-3", "p-4", at(9)).unwrap();
        assert_eq!(ledger.person("p-3").unwrap().source, None);
        let mut ledger = ledger_two_imports();
        fold_person(&mut ledger, "p-3", "p-4", at(9)).unwrap();
        assert_eq!(
            ledger.person("p-3").unwrap().source.as_deref(),
            Some("vcard")
        );
    }

    fn ledger_two_imports() -> Ledger {
        let mut ledger = ledger();
        ledger.person_mut("p-3").unwrap().source = Some("vcard".into());
        ledger.person_mut("p-4").unwrap().source = Some("csv".into());
        ledger
    }

    #[test]
    fn folding_moves_entries_and_unions_everything() {
        let mut ledger = ledger();
        let folded = fold_person(&mut ledger, "p-1", "p-2", at(9)).unwrap();
        assert_eq!(folded.entries_moved, 1);
        assert!(ledger.person("p-2").is_none());
        let ann = ledger.person("p-1").unwrap();
        assert_eq!(ann.aliases, ["Annie"]);
        assert_eq!(ann.emails, ["ann@x.org", "annie@y.org"]);
        assert_eq!(ann.tags, ["close", "student"]);
        assert_eq!(ann.notes.as_deref(), Some("met at PyCon"));
        assert_eq!(ann.updated, at(9));
        assert_eq!(ledger.entry("e-1").unwrap().person, "p-1");
        assert!(duplicates(&ledger).iter().all(|p| p.keep != "p-1"));
    }

    #[test]
    fn folding_keeps_a_birthday_and_every_label() {
        use crate::core::model::LabelledDate;
        let mut ledger = ledger();
        let date = |text: &str| text.parse().unwrap();
        if let Some(other) = ledger.person_mut("p-2") {
            other.birthday = Some(date("--03-22"));
            other.dates = vec![
                LabelledDate::new("Wedding", date("2015-06-01")),
                LabelledDate::new("moved to Berlin", date("2019-04-01")),
            ];
        }
        if let Some(kept) = ledger.person_mut("p-1") {
            kept.dates = vec![LabelledDate::new("wedding", date("2015-06-02"))];
        }
        fold_person(&mut ledger, "p-1", "p-2", at(9)).unwrap();
        let ann = ledger.person("p-1").unwrap();
        assert_eq!(ann.birthday, Some(date("--03-22")));
        let dates: Vec<String> = (ann.dates.iter())
            .map(|d| format!("{}={}", d.label, d.date))
            .collect();
        assert_eq!(dates, ["wedding=2015-06-02", "moved to Berlin=2019-04-01"]);
    }

    #[test]
    fn folding_refuses_self_and_unknown_ids_and_changes_nothing() {
        let mut ledger = ledger();
        let before = ledger.clone();
        assert!(fold_person(&mut ledger, "p-1", "p-1", at(9)).is_err());
        assert!(fold_person(&mut ledger, "p-1", "p-9", at(9)).is_err());
        assert!(fold_person(&mut ledger, "p-9", "p-1", at(9)).is_err());
        assert_eq!(ledger, before);
    }
}
