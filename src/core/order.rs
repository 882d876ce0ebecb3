//! The two orders a read needs and a snapshot stores: each person's
//! entries grouped together, and the entries in the order of their ids
//! (for short ids and lookups by id). Built here, once, both for an index
//! over a parsed ledger and for the snapshot's tables.

/// Entry numbers grouped by the person each is about (`owner`, `None` for
/// an entry about no one in the ledger, which is left out): a counting sort,
/// so each group keeps ledger order.
pub fn group_by_person(
    people: usize,
    owners: impl Iterator<Item = Option<u32>> + Clone,
) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; people + 1];
    for owner in owners.clone().flatten() {
        if let Some(count) = starts.get_mut(owner as usize + 1) {
            *count += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let total = starts.last().copied().unwrap_or(0) as usize;
    let mut next = starts.clone();
    let mut order = vec![0u32; total];
    for (n, owner) in owners.enumerate() {
        let Some(owner) = owner else { continue };
        if let Some(at) = next.get_mut(owner as usize)
            && let Some(slot) = order.get_mut(*at as usize)
        {
            *slot = u32::try_from(n).unwrap_or(u32::MAX);
            *at += 1;
        }
    }
    (order, starts)
}

/// The first eight bytes of an id, big-endian and padded with zeros: ids
/// in this order are in the order of their keys (equal keys are told apart
/// by the whole id).
pub fn id_key(id: &str) -> u64 {
    let mut key = [0u8; 8];
    for (slot, byte) in key.iter_mut().zip(id.bytes()) {
        *slot = byte;
    }
    u64::from_be_bytes(key)
}

/// Entry numbers in the order of their ids.
pub fn sort_by_id<'a>(count: usize, id: impl Fn(usize) -> &'a str) -> Vec<u32> {
    // By the ids' first eight bytes as numbers, then whole ids only among
    // the few that share them: comparing 200,000 ids as strings was a fifth
    // of the first read after an edit.
    let mut keyed: Vec<(u64, u32)> = (0..u32::try_from(count).unwrap_or(u32::MAX))
        .map(|n| (id_key(id(n as usize)), n))
        .collect();
    keyed.sort_unstable();
    let mut sorted: Vec<u32> = keyed.iter().map(|(_, n)| *n).collect();
    let mut start = 0;
    while start < keyed.len() {
        let key = keyed[start].0;
        let end = start + keyed[start..].iter().take_while(|(k, _)| *k == key).count();
        if end - start > 1
            && let Some(run) = sorted.get_mut(start..end)
        {
            run.sort_unstable_by(|a, b| id(*a as usize).cmp(id(*b as usize)));
        }
        start = end;
    }
    sorted
}
