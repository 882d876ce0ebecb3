//! Reading and writing other formats, and merging ledgers.

pub mod merge;
