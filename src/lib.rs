//! kith: a personal relationship ledger.
//!
//! The library holds the functional core (model, pure mutations, reciprocity,
//! advice, reports, interop) and the store; `main.rs` is the thin shell that
//! parses arguments, reads the clock and prints. Benchmarks and fuzz targets
//! link the same code.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod advice;
pub mod cli;
pub mod commands;
pub mod config;
pub mod dates;
pub mod ids;
pub mod index;
pub mod interop;
pub mod ledger;
pub mod model;
pub mod reciprocity;
pub mod render;
pub mod report;
pub mod store;
pub mod sync;
pub mod undo;

#[cfg(test)]
mod testkit;
