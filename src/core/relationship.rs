//! Relationship or contact: whom the advice is for.
//!
//! SPEC "Relationship or contact": a person is a *relationship* once there is
//! a `gave`, `got` or `met` entry with them, or an `out` request to them, or
//! you added them by hand (`kith add`, or `--add` on `gave`, `got`, `met`,
//! `ask`). Everyone else is a *contact*: people an import brought in with
//! nothing logged, and *requesters*, whose only history is requests they made
//! of you. Advice (give-first, going-cold, birthday reminders) is for
//! relationships only: quality over quantity, and a stranger who only asks is
//! not someone kith should push you to help.
//!
//! "Added by hand" is read from the person's `source`: `null` for `kith add`
//! and `--add` on the logging commands, the importer's name (`vcard`,
//! `linkedin`, ...) for an import, and [`REQUEST_SOURCE`] for someone created
//! by `kith asked --add`, whose first and only contact was a request.
//!
//! This module also holds the rule that lets a short name reach the one
//! relationship it names when imported contacts share it.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::core::facts::{Brief, Fact};
use crate::core::ids::MIN_ACCEPTED;
use crate::core::index::Index;
use crate::core::model::{Detail, Direction, Ledger, Person};
use crate::core::text::fold;

/// The `source` of a person created by `kith asked --add`: a request brought
/// them in, not a hand-kept relationship.
pub const REQUEST_SOURCE: &str = "request";

/// What a person is to you.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tie {
    /// Something was exchanged, you asked them, or you added them by hand.
    Relationship,
    /// An imported contact with nothing logged.
    Imported,
    /// Their only history is requests they made of you.
    Requester,
}

impl Tie {
    pub fn is_relationship(self) -> bool {
        self == Tie::Relationship
    }

    pub fn is_contact(self) -> bool {
        !self.is_relationship()
    }

    /// `relationship` or `contact`, as `requests` shows it.
    pub fn word(self) -> &'static str {
        match self {
            Tie::Relationship => "relationship",
            Tie::Imported | Tie::Requester => "contact",
        }
    }
}

/// The tie with `person` from their `entries` (the caller chooses which:
/// all of them, or those up to a day).
pub fn tie<'a, F: Fact<'a>>(person: &Person, entries: impl IntoIterator<Item = F>) -> Tie {
    let mut asked_you = false;
    for entry in entries {
        match entry.brief() {
            Brief::Ask {
                direction: Direction::In,
                ..
            } => asked_you = true,
            _ => return Tie::Relationship,
        }
    }
    match person.source.as_deref() {
        None => Tie::Relationship,
        Some(_) if asked_you => Tie::Requester,
        Some(REQUEST_SOURCE) => Tie::Requester,
        Some(_) => Tie::Imported,
    }
}

/// What everyone is to you, from one pass over the ledger: for PERSON
/// lookups, which must not scan the entries once per candidate.
pub struct Ties<'a> {
    /// People with an exchange or a request of yours.
    related: HashSet<&'a str, ahash::RandomState>,
    /// People who asked you for something.
    asked: HashSet<&'a str, ahash::RandomState>,
}

/// Whoever can answer a PERSON pattern: the people and what each is to you.
/// A parsed [`Ledger`] and an [`Index`] both can, so the lookup, its notes
/// and its errors are the same whichever a command holds.
pub trait Roster {
    fn roster(&self) -> &[Person];
    fn ties(&self) -> Ties<'_>;
}

impl Roster for Ledger {
    fn roster(&self) -> &[Person] {
        &self.people
    }

    fn ties(&self) -> Ties<'_> {
        Ties::of(self)
    }
}

impl Roster for Index<'_> {
    fn roster(&self) -> &[Person] {
        self.people()
    }

    fn ties(&self) -> Ties<'_> {
        let mut ties = Ties {
            related: HashSet::default(),
            asked: HashSet::default(),
        };
        for entry in self.entries() {
            let person = self.person_id_of(entry);
            match entry.brief() {
                Brief::Ask {
                    direction: Direction::In,
                    ..
                } => ties.asked.insert(person),
                _ => ties.related.insert(person),
            };
        }
        ties
    }
}

impl<'a> Ties<'a> {
    pub fn of(ledger: &'a Ledger) -> Ties<'a> {
        let mut ties = Ties {
            related: HashSet::default(),
            asked: HashSet::default(),
        };
        for entry in &ledger.entries {
            match &entry.detail {
                Detail::Ask(r) if r.direction == Direction::In => {
                    ties.asked.insert(entry.person.as_str());
                }
                _ => {
                    ties.related.insert(entry.person.as_str());
                }
            }
        }
        ties
    }

    /// The same answer as [`tie`] over all of the person's entries.
    pub fn tie(&self, person: &Person) -> Tie {
        if self.related.contains(person.id.as_str()) {
            return Tie::Relationship;
        }
        match person.source.as_deref() {
            None => Tie::Relationship,
            Some(_) if self.asked.contains(person.id.as_str()) => Tie::Requester,
            Some(REQUEST_SOURCE) => Tie::Requester,
            Some(_) => Tie::Imported,
        }
    }
}

/// The most exact way `folded` names `p`, if any (0 is the most exact): an
/// id prefix, the full name, an alias or email, the start of the name or an
/// alias, the start of any word of the name (SPEC "A PERSON argument").
fn best_tier(p: &Person, folded: &str) -> Option<u8> {
    if folded.starts_with("p-") && folded.len() >= MIN_ACCEPTED && p.id.starts_with(folded) {
        return Some(0);
    }
    let name = fold(&p.name);
    if name == folded {
        return Some(1);
    }
    let aliases: Vec<String> = p.aliases.iter().map(|a| fold(a)).collect();
    if aliases.iter().any(|a| a == folded) || p.emails.iter().any(|e| e.to_lowercase() == folded) {
        return Some(2);
    }
    if name.starts_with(folded) || aliases.iter().any(|a| a.starts_with(folded)) {
        return Some(3);
    }
    if name.split(' ').any(|word| word.starts_with(folded)) {
        return Some(4);
    }
    None
}

/// The person a PERSON pattern names.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<'a> {
    pub person: &'a Person,
    /// Said on stderr when the one relationship among several matches was
    /// chosen: "ben → Ben Ortiz; 19 imported contacts also match".
    pub note: Option<String>,
}

/// How a PERSON pattern settles.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution<'a> {
    Found(Found<'a>),
    /// Several people fit equally well: the matching relationships when
    /// there are several, else every match of the most exact way that
    /// matched. A terminal may offer them in a picker.
    Ambiguous(Vec<&'a Person>),
    /// No one matches.
    NotFound,
}

/// Settles a PERSON pattern, preferring relationships: the most exact way
/// of matching that finds any relationship decides among relationships
/// alone, so a short first name reaches the one relationship it names even
/// when an import brought in many namesakes. Only when no relationship
/// matches at all do contacts answer, in the same order of exactness.
pub fn resolve<'a>(ledger: &'a (impl Roster + ?Sized), query: &str) -> Resolution<'a> {
    let folded = fold(query);
    if folded.is_empty() {
        return Resolution::NotFound;
    }
    let matches: Vec<(&Person, u8)> = ledger
        .roster()
        .iter()
        .filter_map(|p| Some((p, best_tier(p, &folded)?)))
        .collect();
    // One match needs no preference, and no pass over the entries.
    match matches.as_slice() {
        [] => return Resolution::NotFound,
        [(one, _)] => {
            return Resolution::Found(Found {
                person: one,
                note: None,
            });
        }
        _ => {}
    }
    let ties = ledger.ties();
    let matches: Vec<(&Person, u8, Tie)> = matches
        .into_iter()
        .map(|(p, tier)| (p, tier, ties.tie(p)))
        .collect();
    let best = |relationships_only: bool| {
        matches
            .iter()
            .filter(|(_, _, tie)| !relationships_only || tie.is_relationship())
            .map(|(_, tier, _)| *tier)
            .min()
    };
    let at = |tier: u8, relationships_only: bool| -> Vec<&'a Person> {
        matches
            .iter()
            .filter(|(_, t, tie)| *t == tier && (!relationships_only || tie.is_relationship()))
            .map(|(p, _, _)| *p)
            .collect()
    };
    if let Some(tier) = best(true) {
        return match at(tier, true).as_slice() {
            [one] => {
                let contacts: Vec<Tie> = matches
                    .iter()
                    .filter(|(_, t, tie)| *t <= tier && tie.is_contact())
                    .map(|(_, _, tie)| *tie)
                    .collect();
                let note = (!contacts.is_empty()).then(|| {
                    let all_imported = contacts.iter().all(|t| *t == Tie::Imported);
                    preferred_note(query, one, contacts.len(), all_imported)
                });
                Resolution::Found(Found { person: one, note })
            }
            _ => Resolution::Ambiguous(at(tier, true)),
        };
    }
    match best(false).map(|tier| at(tier, false)) {
        Some(list) => match list.as_slice() {
            [one] => Resolution::Found(Found {
                person: one,
                note: None,
            }),
            _ => Resolution::Ambiguous(list),
        },
        None => Resolution::NotFound,
    }
}

/// The note a command prints when a pattern reached the one relationship
/// among several matches: "ben → Ben Ortiz; 19 imported contacts also match".
pub fn preferred_note(query: &str, person: &Person, contacts: usize, all_imported: bool) -> String {
    let what = if all_imported {
        "imported contact"
    } else {
        "contact"
    };
    let (noun, verb) = if contacts == 1 {
        (what.to_string(), "matches")
    } else {
        (format!("{what}s"), "match")
    };
    format!(
        "{} → {}; {contacts} {noun} also {verb}",
        query.trim(),
        person.name
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Kind, Status};
    use crate::core::testkit::Net;

    fn tie_in(net: &Net, id: &str) -> Tie {
        let person = net.ledger.person(id).unwrap();
        tie(person, net.ledger.entries_of(id))
    }

    #[test]
    fn hand_added_people_are_relationships_from_the_start() {
        let mut net = Net::new();
        let ann = net.person("Ann", "2026-01-01");
        assert_eq!(tie_in(&net, &ann), Tie::Relationship);
        net.asked(&ann, "2026-02-01", "a", Direction::In, Status::Open);
        assert_eq!(tie_in(&net, &ann), Tie::Relationship);
    }

    #[test]
    fn imports_stay_contacts_until_something_is_logged() {
        let mut net = Net::new();
        let imp = net.person("Imp", "2026-01-01");
        net.edit(&imp, |p| p.source = Some("linkedin".into()));
        assert_eq!(tie_in(&net, &imp), Tie::Imported);
        net.asked(&imp, "2026-02-01", "a", Direction::In, Status::Open);
        assert_eq!(tie_in(&net, &imp), Tie::Requester);
        net.asked(&imp, "2026-03-01", "b", Direction::Out, Status::Open);
        assert_eq!(tie_in(&net, &imp), Tie::Relationship);
    }

    #[test]
    fn a_requester_becomes_a_relationship_with_the_first_exchange() {
        for exchange in 0..3 {
            let mut net = Net::new();
            let kev = net.person("Kevin", "2026-01-01");
            net.edit(&kev, |p| p.source = Some(REQUEST_SOURCE.into()));
            assert_eq!(tie_in(&net, &kev), Tie::Requester);
            net.asked(
                &kev,
                "2026-02-01",
                "webinar",
                Direction::In,
                Status::Declined,
            );
            assert_eq!(tie_in(&net, &kev), Tie::Requester);
            match exchange {
                0 => net.gave(&kev, "2026-03-01", "x", Kind::Advice),
                1 => net.got(&kev, "2026-03-01", "x", Kind::Advice),
                _ => net.met(&kev, "2026-03-01"),
            };
            assert_eq!(tie_in(&net, &kev), Tie::Relationship);
            assert_eq!(tie_in(&net, &kev).word(), "relationship");
        }
    }

    fn ben_and_namesakes() -> (Net, String) {
        let mut net = Net::new();
        let ben = net.person("Ben Ortiz", "2026-01-01");
        for i in 0..3 {
            let id = net.person(&format!("Ben Import{i}"), "2026-01-01");
            net.edit(&id, |p| p.source = Some("csv".into()));
        }
        let exact = net.person("Ben", "2026-01-01");
        net.edit(&exact, |p| {
            p.source = Some("csv".into());
            p.emails.push("ben@example.org".into());
        });
        (net, ben)
    }

    #[test]
    fn the_one_relationship_among_matches_wins() {
        let (net, ben) = ben_and_namesakes();
        let Resolution::Found(found) = resolve(&net.ledger, "ben") else {
            panic!()
        };
        assert_eq!(found.person.id, ben);
        assert_eq!(
            found.note.as_deref(),
            Some("ben → Ben Ortiz; 4 imported contacts also match")
        );
        // The exact name of the relationship needs no note.
        let Resolution::Found(found) = resolve(&net.ledger, "Ben Ortiz") else {
            panic!()
        };
        assert_eq!((found.person.id.as_str(), found.note), (ben.as_str(), None));
        assert_eq!(
            preferred_note("ben", found.person, 1, false),
            "ben → Ben Ortiz; 1 contact also matches"
        );
    }

    #[test]
    fn contacts_answer_only_when_no_relationship_matches() {
        let (net, _) = ben_and_namesakes();
        let found = |q: &str| match resolve(&net.ledger, q) {
            Resolution::Found(f) => f.person.name.clone(),
            other => format!("{other:?}"),
        };
        assert_eq!(found("ben@example.org"), "Ben");
        assert_eq!(found("ben import1"), "Ben Import1");
        assert!(
            matches!(resolve(&net.ledger, "ben imp"), Resolution::Ambiguous(v) if v.len() == 3)
        );
        assert_eq!(resolve(&net.ledger, "zed"), Resolution::NotFound);
        assert_eq!(resolve(&net.ledger, "  "), Resolution::NotFound);
    }

    #[test]
    fn several_relationships_stay_ambiguous() {
        let (mut net, _) = ben_and_namesakes();
        let other = net.person("Benedict Cole", "2026-01-01");
        let Resolution::Ambiguous(list) = resolve(&net.ledger, "ben") else {
            panic!()
        };
        let names: Vec<&str> = list.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Ben Ortiz", "Benedict Cole"]);
        assert!(list.iter().any(|p| p.id == other));
    }

    proptest::proptest! {
        /// Whenever some relationship fits a pattern, the answer is never a
        /// contact; and a pattern no contact fits settles as it always did.
        #[test]
        fn a_relationship_is_always_preferred(
            people in proptest::collection::vec((0usize..6, 0u8..3), 1..12),
            query in 0usize..6,
        ) {
            let names = ["Ben Ortiz", "Ben", "Benedict", "Ann Ben", "Bea", "Cy"];
            let mut net = Net::new();
            for (name, kind) in &people {
                let id = net.person(names[*name], "2026-01-01");
                match kind {
                    0 => {}
                    1 => net.edit(&id, |p| p.source = Some("csv".into())),
                    _ => {
                        net.edit(&id, |p| p.source = Some(REQUEST_SOURCE.into()));
                        net.asked(&id, "2026-02-01", "x", Direction::In, Status::Open);
                    }
                }
            }
            let queries = ["ben", "be", "ben ortiz", "a", "cy", "b"];
            let query = queries[query];
            let ledger = &net.ledger;
            let ties = Ties::of(ledger);
            let fitting: Vec<&Person> = ledger
                .people
                .iter()
                .filter(|p| best_tier(p, &fold(query)).is_some())
                .collect();
            let any_relationship = fitting.iter().any(|p| ties.tie(p).is_relationship());
            match resolve(ledger, query) {
                Resolution::Found(found) => {
                    proptest::prop_assert!(!any_relationship || ties.tie(found.person).is_relationship());
                    proptest::prop_assert!(fitting.contains(&found.person));
                }
                Resolution::Ambiguous(list) => {
                    proptest::prop_assert!(list.len() >= 2);
                    if any_relationship {
                        proptest::prop_assert!(list.iter().all(|p| ties.tie(p).is_relationship()));
                    }
                }
                Resolution::NotFound => proptest::prop_assert!(fitting.is_empty()),
            }
        }
    }

    #[test]
    fn ties_from_one_pass_agree_with_each_persons_entries() {
        let (mut net, ben) = ben_and_namesakes();
        let kev = net.person("Kevin", "2026-01-01");
        net.edit(&kev, |p| p.source = Some(REQUEST_SOURCE.into()));
        net.asked(&kev, "2026-02-01", "x", Direction::In, Status::Open);
        let imp = net.ledger.people[1].id.clone();
        net.asked(&imp, "2026-02-01", "y", Direction::In, Status::Open);
        net.gave(&ben, "2026-02-01", "z", Kind::Help);
        let ties = Ties::of(&net.ledger);
        for p in &net.ledger.people {
            assert_eq!(
                ties.tie(p),
                tie(p, net.ledger.entries_of(&p.id)),
                "{}",
                p.name
            );
        }
    }
}
