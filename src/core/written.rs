//! What a write did, for `--json` on every write command:
//! `{id, type, person: {id, name}, balance: {given, received, net}}`.
//!
//! Built in one place from the undo step the store computes for every write
//! (the objects the write added, removed or changed), so no command builds
//! its own: entries the write added come first (`gave`, `intro`'s two), else
//! the ones it removed (`rm`), else the ones it changed (`decline`, `nudge`,
//! `amend`), else the people it added or changed (`add`, `snooze`, `flag`),
//! else the settings (`config`). `type` is the entry's type, `person` for a
//! change to a person's record, `settings` for the settings.

use serde::Serialize;

use crate::core::model::{Entry, Ledger, Person};
use crate::core::reciprocity::{Balance, Tally};
use crate::core::undo::{Change, Step};

/// One object a write touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Written {
    /// The entry's or the person's id (none for the settings).
    pub id: Option<String>,
    /// `gave`, `got`, `met`, `ask`, `person` or `settings`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Who it is about.
    pub person: Option<PersonRef>,
    /// Their balance after the write.
    pub balance: Option<BalanceNow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

/// A person's balance: `given` and `received` as `{count, weight}`, as in
/// `balance --json` and `check --json`; `net` in weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BalanceNow {
    pub given: Tally,
    pub received: Tally,
    pub net: i64,
}

/// What the write `step` did, read against the ledger as it is after it.
pub fn of_step(after: &Ledger, step: &Step) -> Vec<Written> {
    let entries = |keep: fn(&Change<Entry>) -> bool| -> Vec<Written> {
        step.entries
            .iter()
            .filter(|c| keep(c))
            .filter_map(|c| c.after.as_ref().or(c.before.as_ref()))
            .map(|entry| {
                let person = after
                    .person(&entry.person)
                    .map(person_ref)
                    .or_else(|| person_before(step, &entry.person).map(person_ref));
                Written {
                    id: Some(entry.id.clone()),
                    kind: entry.entry_type().to_string(),
                    person,
                    balance: Some(balance_of(after, &entry.person)),
                }
            })
            .collect()
    };
    for keep in [
        (|c: &Change<Entry>| c.before.is_none()) as fn(&Change<Entry>) -> bool,
        |c| c.after.is_none(),
        |c| c.before.is_some() && c.after.is_some(),
    ] {
        let found = entries(keep);
        if !found.is_empty() {
            return found;
        }
    }
    let people: Vec<Written> = step
        .people
        .iter()
        .filter_map(|c| c.after.as_ref().or(c.before.as_ref()))
        .map(|p| Written {
            id: Some(p.id.clone()),
            kind: "person".into(),
            person: Some(person_ref(p)),
            balance: Some(balance_of(after, &p.id)),
        })
        .collect();
    if !people.is_empty() {
        return people;
    }
    if step.settings.is_some() {
        return vec![Written {
            id: None,
            kind: "settings".into(),
            person: None,
            balance: None,
        }];
    }
    Vec::new()
}

fn person_ref(person: &Person) -> PersonRef {
    PersonRef {
        id: person.id.clone(),
        name: person.name.clone(),
    }
}

/// A person as the step saw them, for one the write removed.
fn person_before<'a>(step: &'a Step, id: &str) -> Option<&'a Person> {
    step.people
        .iter()
        .find(|c| c.id == id)
        .and_then(|c| c.before.as_ref())
}

fn balance_of(ledger: &Ledger, person_id: &str) -> BalanceNow {
    let balance = Balance::of(ledger.entries_of(person_id), None);
    BalanceNow {
        given: balance.given,
        received: balance.received,
        net: balance.net,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Direction, Kind, Status};
    use crate::core::testkit::Net;

    fn step(before: &Ledger, after: &Ledger) -> Step {
        Step::between(before, after, "test".into(), chrono::Utc::now()).unwrap()
    }

    #[test]
    fn an_added_entry_is_reported_with_the_new_balance() {
        let mut net = Net::new();
        let ann = net.person("Ann Lee", "2026-01-01");
        let asked = net.asked(&ann, "2026-01-02", "a lead", Direction::In, Status::Open);
        let before = net.ledger.clone();
        let gave = net.gave(&ann, "2026-01-03", "a lead", Kind::JobLead);
        // Granting the request changed it too; the new favour is what is reported.
        net.ledger
            .entry_mut(&asked)
            .unwrap()
            .request_mut()
            .unwrap()
            .status = Status::Granted;
        let written = of_step(&net.ledger, &step(&before, &net.ledger));
        assert_eq!(written.len(), 1);
        let json = serde_json::to_value(&written[0]).unwrap();
        assert_eq!(json["id"], gave.as_str());
        assert_eq!(json["type"], "gave");
        assert_eq!(json["person"]["name"], "Ann Lee");
        assert_eq!(json["person"]["id"], ann.as_str());
        assert_eq!(json["balance"]["given"]["weight"], 4);
        assert_eq!(json["balance"]["given"]["count"], 1);
        assert_eq!(json["balance"]["received"]["weight"], 0);
        assert_eq!(json["balance"]["net"], 4);
    }

    #[test]
    fn removed_changed_people_and_settings_in_that_order() {
        let mut net = Net::new();
        let ann = net.person("Ann Lee", "2026-01-01");
        let gave = net.gave(&ann, "2026-01-03", "advice", Kind::Advice);
        let before = net.ledger.clone();
        net.ledger.entries.clear();
        let removed = of_step(&net.ledger, &step(&before, &net.ledger));
        assert_eq!(removed[0].id.as_deref(), Some(gave.as_str()));
        assert_eq!(removed[0].balance.unwrap().net, 0);

        let before = net.ledger.clone();
        net.edit(&ann, |p| p.org = Some("Acme".into()));
        let person = of_step(&net.ledger, &step(&before, &net.ledger));
        assert_eq!(person[0].kind, "person");
        assert_eq!(person[0].id.as_deref(), Some(ann.as_str()));

        let before = net.ledger.clone();
        net.ledger.settings.cadence_days = 30;
        let settings = of_step(&net.ledger, &step(&before, &net.ledger));
        assert_eq!(settings[0].kind, "settings");
        assert!(settings[0].person.is_none());

        // A forgotten person is still named.
        let before = net.ledger.clone();
        net.ledger.people.clear();
        let forgot = of_step(&net.ledger, &step(&before, &net.ledger));
        assert_eq!(forgot[0].person.as_ref().unwrap().name, "Ann Lee");
    }
}
