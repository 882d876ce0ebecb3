//! Reading and writing other formats, and merging ledgers.

pub mod dedupe;
pub mod merge;
