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

use serde::{Deserialize, Serialize};

use crate::core::model::{Detail, Direction, Entry, Person};

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
pub fn tie<'a>(person: &Person, entries: impl IntoIterator<Item = &'a Entry>) -> Tie {
    let mut asked_you = false;
    for entry in entries {
        match &entry.detail {
            Detail::Gave(_) | Detail::Got(_) | Detail::Met(_) => return Tie::Relationship,
            Detail::Ask(r) if r.direction == Direction::Out => return Tie::Relationship,
            Detail::Ask(_) => asked_you = true,
        }
    }
    match person.source.as_deref() {
        None => Tie::Relationship,
        Some(_) if asked_you => Tie::Requester,
        Some(REQUEST_SOURCE) => Tie::Requester,
        Some(_) => Tie::Imported,
    }
}

/// How a PERSON pattern that matched several people settles.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice<'a> {
    /// Exactly one match.
    One(&'a Person),
    /// Several matched but only one is a relationship: that one, with the
    /// contacts that also matched.
    Preferred {
        person: &'a Person,
        /// How many contacts also matched.
        contacts: usize,
        /// Whether every one of them came from an import.
        all_imported: bool,
    },
    /// Still ambiguous: the matching relationships when there are several,
    /// else every match. Relationships come first.
    Several(Vec<&'a Person>),
}

/// Settles a list of matches (never empty for a useful answer): one match
/// stands; among several, the only relationship wins; otherwise it stays
/// ambiguous, relationships listed first.
pub fn choose<'a>(matches: Vec<&'a Person>, tie_of: impl Fn(&Person) -> Tie) -> Choice<'a> {
    if let [one] = matches.as_slice() {
        return Choice::One(one);
    }
    type Tied<'p> = Vec<(&'p Person, Tie)>;
    let (relationships, contacts): (Tied, Tied) = matches
        .into_iter()
        .map(|p| (p, tie_of(p)))
        .partition(|(_, t)| t.is_relationship());
    match relationships.as_slice() {
        [(person, _)] => Choice::Preferred {
            person,
            contacts: contacts.len(),
            all_imported: contacts.iter().all(|(_, t)| *t == Tie::Imported),
        },
        [] => Choice::Several(contacts.into_iter().map(|(p, _)| p).collect()),
        _ => Choice::Several(
            relationships
                .into_iter()
                .chain(contacts)
                .map(|(p, _)| p)
                .collect(),
        ),
    }
}

/// How many of `list` are relationships: a picker offers only those when
/// there are several.
pub fn relationships_among(list: &[&Person], tie_of: impl Fn(&Person) -> Tie) -> usize {
    list.iter().filter(|p| tie_of(p).is_relationship()).count()
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

    #[test]
    fn the_one_relationship_among_matches_wins() {
        let mut net = Net::new();
        let ben = net.person("Ben Ortiz", "2026-01-01");
        let mut imported = Vec::new();
        for i in 0..3 {
            let id = net.person(&format!("Ben Import{i}"), "2026-01-01");
            net.edit(&id, |p| p.source = Some("csv".into()));
            imported.push(id);
        }
        let ledger = &net.ledger;
        let tie_of = |p: &Person| tie(p, ledger.entries_of(&p.id));
        let all: Vec<&Person> = ledger.people.iter().collect();
        let choice = choose(all.clone(), tie_of);
        let Choice::Preferred {
            person,
            contacts,
            all_imported,
        } = choice
        else {
            panic!("{choice:?}")
        };
        assert_eq!(person.id, ben);
        assert_eq!((contacts, all_imported), (3, true));
        assert_eq!(
            preferred_note("ben", person, contacts, all_imported),
            "ben → Ben Ortiz; 3 imported contacts also match"
        );
        assert_eq!(
            preferred_note("ben", person, 1, false),
            "ben → Ben Ortiz; 1 contact also matches"
        );
        // Only contacts: still ambiguous.
        let only_imports: Vec<&Person> = all.iter().skip(1).copied().collect();
        assert!(matches!(choose(only_imports, tie_of), Choice::Several(v) if v.len() == 3));
        // A single match is taken as it is, contact or not.
        assert!(matches!(choose(vec![all[1]], tie_of), Choice::One(p) if p.id == imported[0]));
    }

    #[test]
    fn several_relationships_stay_ambiguous_relationships_first() {
        let mut net = Net::new();
        let imp = net.person("Ben Import", "2026-01-01");
        net.edit(&imp, |p| p.source = Some("csv".into()));
        let a = net.person("Ben A", "2026-01-01");
        let b = net.person("Ben B", "2026-01-01");
        let ledger = &net.ledger;
        let tie_of = |p: &Person| tie(p, ledger.entries_of(&p.id));
        let all: Vec<&Person> = ledger.people.iter().collect();
        assert_eq!(relationships_among(&all, tie_of), 2);
        let Choice::Several(list) = choose(all, tie_of) else {
            panic!()
        };
        let ids: Vec<&str> = list.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, [a.as_str(), b.as_str(), imp.as_str()]);
    }
}
