//! A small builder of ledgers for unit tests of the reciprocity core: people
//! and entries with fixed dates and ids, so tests read like the story they tell.

use chrono::{NaiveDate, TimeZone, Utc};

use crate::core::model::{
    Detail, Direction, Entry, Favour, Flag, How, Kind, Ledger, Meeting, Person, Request, Status,
};

pub fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[derive(Debug, Clone)]
pub struct Net {
    pub ledger: Ledger,
    next: u32,
}

impl Net {
    pub fn new() -> Net {
        Net {
            ledger: Ledger::default(),
            next: 0,
        }
    }

    /// A person added on `added`.
    pub fn person(&mut self, name: &str, added: &str) -> String {
        self.next += 1;
        let id = format!("p-{:016x}", self.next);
        let at = Utc.from_utc_datetime(&day(added).and_hms_opt(12, 0, 0).unwrap());
        self.ledger
            .people
            .push(Person::new(id.clone(), name.into(), at));
        id
    }

    pub fn edit(&mut self, id: &str, change: impl FnOnce(&mut Person)) {
        change(self.ledger.person_mut(id).unwrap());
    }

    pub fn flag(&mut self, id: &str, on: &str) {
        self.edit(id, |p| {
            p.flag = Some(Flag {
                date: day(on),
                reason: Some("never gave back".into()),
                extra: Default::default(),
            })
        });
    }

    fn push(&mut self, person: &str, date: &str, detail: Detail) -> String {
        self.next += 1;
        let id = format!("e-{:016x}", self.next);
        let at = Utc.from_utc_datetime(&day(date).and_hms_opt(12, 0, 0).unwrap());
        self.ledger.entries.push(Entry {
            source_id: None,
            id: id.clone(),
            person: person.into(),
            date: day(date),
            recorded: at,
            updated: at,
            detail,
            extra: Default::default(),
        });
        self.ledger.sort_entries();
        id
    }

    fn favour(what: &str, kind: Kind, resolves: Option<&str>) -> Favour {
        Favour {
            what: what.into(),
            kind,
            weight: kind.default_weight(),
            resolves: resolves.map(String::from),
        }
    }

    pub fn gave(&mut self, person: &str, date: &str, what: &str, kind: Kind) -> String {
        self.push(person, date, Detail::Gave(Self::favour(what, kind, None)))
    }

    pub fn got(&mut self, person: &str, date: &str, what: &str, kind: Kind) -> String {
        self.push(person, date, Detail::Got(Self::favour(what, kind, None)))
    }

    pub fn met(&mut self, person: &str, date: &str) -> String {
        self.push(
            person,
            date,
            Detail::Met(Meeting {
                how: How::Coffee,
                note: None,
            }),
        )
    }

    pub fn asked(
        &mut self,
        person: &str,
        date: &str,
        what: &str,
        direction: Direction,
        status: Status,
    ) -> String {
        self.push(
            person,
            date,
            Detail::Ask(Request {
                what: what.into(),
                direction,
                status,
                nudges: Vec::new(),
                note: None,
            }),
        )
    }

    pub fn nudge(&mut self, request: &str, on: &str) {
        let entry = self.ledger.entry_mut(request).unwrap();
        entry.request_mut().unwrap().nudges.push(day(on));
    }
}
