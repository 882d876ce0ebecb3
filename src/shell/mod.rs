//! The imperative shell: everything that touches the outside world. The
//! store (lock, load, atomic save, backup, undo journal), git, the editor
//! and the terminal (warnings, prompts, progress).

pub mod complete;
pub mod editor;
pub mod files;
pub mod git;
pub mod mailbox;
pub mod read;
pub mod screen;
pub mod snapshot;
pub mod store;
pub mod term;
