//! Integration tests driving the real `kith` binary, gathered in one test crate.

mod sync;
