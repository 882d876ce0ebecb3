//! The two file primitives the store and the snapshot share: the
//! read-only memory map and the prefix of every temp file kith writes.

use std::fs::File;

/// The start of every temp file kith writes beside a ledger (the target's
/// name follows): a killed writer's leftovers are found by it and removed.
pub(crate) const TEMP_PREFIX: &str = ".kith-tmp-";

/// A read-only memory map of `file`: the ledger while it is parsed, or its
/// snapshot while it is decoded.
pub(crate) fn map_readonly(file: &File) -> Option<memmap2::Mmap> {
    // SAFETY: the map is only read. kith never changes a ledger or a
    // snapshot in place: every write goes to a temp file renamed over it,
    // so a mapped file keeps its bytes (a read command keeps its snapshot
    // mapped until it exits). A program truncating the file while kith reads it could make
    // the read fault, as with any mapped file; it cannot change what kith
    // writes (and a snapshot's bytes are checksummed before use).
    // The one unsafe block in kith (lib.rs denies the rest).
    #[allow(unsafe_code)]
    let mapped = unsafe { memmap2::Mmap::map(file) };
    mapped.ok()
}
