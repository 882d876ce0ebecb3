//! kith: a personal relationship ledger.
//!
//! Three floors, each a folder (`ARCHITECTURE.md` at the repository root
//! walks through them): [`core`] holds the pure functions of (ledger or
//! index, today, now) — the model and file format, mutations with their
//! validation, reciprocity, advice, reports, contacts, merge — and touches no
//! disk, clock, environment or terminal (`scripts/check-layout.sh` checks);
//! [`view`] turns core structs into tables, text and Markdown; [`shell`]
//! touches the outside world (the store on disk, git, the editor, the
//! terminal). [`commands`] is the glue the binary dispatches to, [`cli`] the
//! clap types, and [`error`] the error kinds with their exit codes.
//! Benchmarks and fuzz targets link the same code. The only `unsafe` is the
//! memory map in `shell/store.rs`.

#![deny(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod cli;
pub mod commands;
pub mod core;
pub mod error;
pub mod shell;
pub mod view;
