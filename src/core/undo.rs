//! The undo journal: what each write changed, so `kith undo` can revert it.
//!
//! A step is computed by diffing the ledger before and after a write, by id, so
//! every command is undoable without code of its own. Undo refuses a step whose
//! objects no longer look the way that write left them (another machine synced,
//! or the file was edited), rather than guess. The journal lives beside the
//! ledger on this machine only, and keeps the last [`MAX_STEPS`] writes.

use std::collections::HashSet;

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::core::diff::Change;
use crate::core::diff::{HasId, LedgerDiff};
use crate::core::model::{Entry, Ledger, Person, Settings};
use crate::error::Error;

pub const MAX_STEPS: usize = 50;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Journal {
    #[serde(default)]
    pub steps: Vec<Step>,
}

impl Journal {
    pub fn push(&mut self, step: Step) {
        self.steps.push(step);
        if self.steps.len() > MAX_STEPS {
            let excess = self.steps.len() - MAX_STEPS;
            self.steps.drain(..excess);
        }
    }
}

impl Journal {
    /// Drops every step that mentions one of `ids`, so nothing of a forgotten
    /// person or entry survives in the journal.
    pub fn forget(&mut self, ids: &HashSet<String>) {
        self.steps.retain(|step| !step.mentions(ids));
    }

    /// Marks a final change (`forget`): [`Journal::take_newest`] stops at it,
    /// so an `undo` right after a forget refuses instead of reverting an older,
    /// unrelated change while the forgotten person stays gone.
    pub fn push_barrier(&mut self, summary: String, at: DateTime<Utc>) {
        self.push(Step {
            at,
            summary,
            barrier: true,
            people: Vec::new(),
            entries: Vec::new(),
            settings: None,
        });
    }

    /// Takes the newest step to undo; `None` when there is none. A barrier is
    /// refused and stays in place, so repeating `undo` keeps refusing.
    pub fn take_newest(&mut self) -> Result<Option<Step>> {
        match self.steps.last() {
            Some(step) if step.barrier => Err(Error::failure(format!(
                "cannot undo: the last change ({}) is final; nothing was undone",
                step.summary
            ))
            .hint("forget cannot be undone; changes made after it can")
            .into()),
            _ => Ok(self.steps.pop()),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Step {
    pub at: DateTime<Utc>,
    pub summary: String,
    /// A final change that undo stops at (see [`Journal::push_barrier`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub barrier: bool,
    #[serde(default)]
    pub people: Vec<Change<Person>>,
    #[serde(default)]
    pub entries: Vec<Change<Entry>>,
    #[serde(default)]
    pub settings: Option<Change<Settings>>,
}

/// Puts `change.before` back in place of `change.after`, if the list still holds `after`.
fn revert_list<T: HasId>(list: &mut Vec<T>, changes: &[Change<T>]) -> Result<()> {
    for change in changes {
        let current = list.iter().position(|x| x.id() == change.id);
        let matches = match (current, &change.after) {
            (Some(at), Some(after)) => list.get(at) == Some(after),
            (None, None) => true,
            _ => false,
        };
        if !matches {
            return Err(Error::failure(format!(
                "cannot undo: `{}` has changed since (by another write, a sync or an edit)",
                change.id
            ))
            .hint("fix it by hand with `kith amend`, `kith rm` or `kith edit`")
            .into());
        }
    }
    for change in changes {
        let current = list.iter().position(|x| x.id() == change.id);
        match (current, &change.before) {
            (Some(at), Some(before)) => {
                if let Some(slot) = list.get_mut(at) {
                    *slot = before.clone();
                }
            }
            (Some(at), None) => {
                list.remove(at);
            }
            (None, Some(before)) => list.push(before.clone()),
            (None, None) => {}
        }
    }
    Ok(())
}

impl Step {
    /// The step that takes this one back: every change the other way round.
    pub fn reversed(&self) -> Step {
        fn flip<T: Clone>(changes: &[Change<T>]) -> Vec<Change<T>> {
            changes
                .iter()
                .map(|c| Change {
                    id: c.id.clone(),
                    before: c.after.clone(),
                    after: c.before.clone(),
                })
                .collect()
        }
        Step {
            at: self.at,
            summary: self.summary.clone(),
            barrier: self.barrier,
            people: flip(&self.people),
            entries: flip(&self.entries),
            settings: self.settings.as_ref().map(|c| Change {
                id: c.id.clone(),
                before: c.after.clone(),
                after: c.before.clone(),
            }),
        }
    }

    /// What changed between two ledgers, or `None` when nothing did; `at` is
    /// when the write happened.
    pub fn between(
        before: &Ledger,
        after: &Ledger,
        summary: String,
        at: DateTime<Utc>,
    ) -> Option<Step> {
        Step::of_diff(LedgerDiff::between(before, after), summary, at)
    }

    /// The step of a diff already made (the store keeps its [`Ends`] for
    /// the splice); `None` when it is empty.
    ///
    /// [`Ends`]: crate::core::diff::Ends
    pub fn of_diff(diff: LedgerDiff, summary: String, at: DateTime<Utc>) -> Option<Step> {
        let empty = diff.is_empty();
        let step = Step {
            at,
            summary,
            barrier: false,
            people: diff.people,
            entries: diff.entries,
            settings: diff.settings,
        };
        (!empty).then_some(step)
    }

    /// Ids of the people and entries this step deleted.
    pub fn deleted_ids(&self) -> HashSet<String> {
        let people = self
            .people
            .iter()
            .filter(|c| c.after.is_none())
            .map(|c| c.id.clone());
        let entries = self
            .entries
            .iter()
            .filter(|c| c.after.is_none())
            .map(|c| c.id.clone());
        people.chain(entries).collect()
    }

    /// Whether this step holds anything about one of `ids` (as the changed
    /// object, or as the person an entry is about).
    fn mentions(&self, ids: &HashSet<String>) -> bool {
        self.people.iter().any(|c| ids.contains(&c.id))
            || self.entries.iter().any(|c| {
                ids.contains(&c.id)
                    || [&c.before, &c.after]
                        .into_iter()
                        .flatten()
                        .any(|e| ids.contains(&e.person))
            })
    }

    /// Reverts this step on `ledger`, or changes nothing and says why not.
    pub fn revert(&self, ledger: &mut Ledger) -> Result<()> {
        let mut reverted = ledger.clone();
        revert_list(&mut reverted.people, &self.people)?;
        revert_list(&mut reverted.entries, &self.entries)?;
        if let Some(settings) = &self.settings {
            if Some(&reverted.settings) != settings.after.as_ref() {
                bail!("cannot undo: the settings have changed since");
            }
            if let Some(before) = &settings.before {
                reverted.settings = before.clone();
            }
        }
        *ledger = reverted;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn undo_stops_at_a_forget() {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap();
        let before = Ledger::default();
        let mut after = before.clone();
        after
            .people
            .push(Person::new("p-1".into(), "Ann".into(), at));
        let mut journal = Journal::default();
        journal.push(Step::between(&before, &after, "added Ann".into(), at).unwrap());
        journal.push_barrier("forgot Bob".into(), at);
        let err = journal.take_newest().unwrap_err();
        assert!(err.to_string().contains("forgot Bob"), "{err}");
        // Still refused, and the older step is still there, untouched.
        assert!(journal.take_newest().is_err());
        assert_eq!(journal.steps.len(), 2);
        // A later change is undoable; then the barrier holds again.
        let mut later = after.clone();
        later
            .people
            .push(Person::new("p-2".into(), "Cy".into(), at));
        journal.push(Step::between(&after, &later, "added Cy".into(), at).unwrap());
        assert_eq!(journal.take_newest().unwrap().unwrap().summary, "added Cy");
        assert!(journal.take_newest().is_err());
    }

    #[test]
    fn an_old_journal_without_barriers_still_reads() {
        let journal: Journal =
            serde_json::from_str(r#"{"steps": [{"at": "2026-01-01T00:00:00Z", "summary": "x"}]}"#)
                .unwrap();
        assert!(!journal.steps[0].barrier);
    }
}
