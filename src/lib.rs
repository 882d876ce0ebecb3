//! kith: a personal relationship ledger.
//!
//! Three floors, each a folder (see ARCHITECTURE.md): [`core`] holds the pure
//! functions of (ledger, today) — the model and file format, mutations with
//! their validation, reciprocity, advice, reports, contacts, merge; [`view`]
//! turns core structs into tables, text and Markdown; [`shell`] touches the
//! outside world (the store on disk, git, the editor, the terminal).
//! [`commands`] is the glue the binary dispatches to. Benchmarks and fuzz
//! targets link the same code.

#![deny(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod cli;
pub mod commands;
pub mod core;
pub mod error;
pub mod shell;
pub mod view;
