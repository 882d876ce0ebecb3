//! The functional core: pure functions of (`&Ledger` or `&Index`, today,
//! now). Nothing here touches the disk, the clock, the environment or the
//! terminal, and nothing here imports `view`, `shell` or `commands`;
//! `.ci/run` checks both. A rule you could unit-test belongs here.

pub mod advice;
pub mod birthdays;
pub mod chars;
pub mod complete;
pub mod contacts;
pub mod dates;
pub mod dedupe;
pub mod diff;
pub mod doctor;
pub mod editing;
pub mod export;
pub mod facts;
pub mod followup;
pub mod ids;
pub mod index;
pub mod ledger;
pub mod merge;
pub mod model;
pub mod order;
pub mod profile;
pub mod reciprocity;
pub mod register;
pub mod relationship;
pub mod report;
pub mod review;
pub mod settings;
pub mod snapshot;
pub mod text;
pub mod undo;
pub mod written;

#[cfg(test)]
mod testkit;
