//! Safety tests: they try hard to lose or corrupt a ledger and prove that kith
//! does not (SPEC "Safety of the data", issue 4).
//!
//! A module per threat: concurrent writers,
//! crashes mid-write, corrupt and foreign files, hostile arguments, file
//! permissions, and property tests of the invariants. They drive the real
//! binary with a scrubbed environment, a fixed `KITH_TODAY` and a temp ledger.

mod common;
mod concurrency;
mod corrupt;
mod crash;
mod hardening;
mod hostile;
mod privacy;
mod props;
