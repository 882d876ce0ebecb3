//! Random ids for people, entries and needs, and their shortest unique prefixes.
//!
//! Ids are a type prefix (`p-`, `e-`, `n-`) and 16 random hex digits. They are
//! shown as the shortest prefix (at least [`MIN_SHOWN`] characters) that no other
//! id of the ledger shares, and accepted as any unique prefix of at least
//! [`MIN_ACCEPTED`] characters.

/// Shown ids are at least this long ("p-" plus five hex digits).
pub const MIN_SHOWN: usize = 7;
/// Typed prefixes must be at least this long.
pub const MIN_ACCEPTED: usize = 4;

/// A fresh random id such as `e-3f9a0c1d2b4e5f60`.
pub fn new_id(prefix: &str) -> String {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        // No OS randomness: fall back on the clock and a counter, still unique per run.
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or_default();
        bytes = (nanos ^ COUNTER.fetch_add(1, Ordering::Relaxed).rotate_left(32)).to_be_bytes();
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}-{hex}")
}

/// The shortest prefix of `id` (at least [`MIN_SHOWN`]) that no id in `others` shares.
pub fn short_id<'a>(id: &str, others: impl IntoIterator<Item = &'a str>) -> String {
    let mut len = MIN_SHOWN.min(id.len());
    for other in others {
        if other == id {
            continue;
        }
        let common = id
            .bytes()
            .zip(other.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        len = len.max(common + 1);
    }
    id.chars().take(len).collect()
}

/// Shortest unique prefixes for many ids at once: sorts once, then each id
/// only needs comparing with its two neighbours.
pub struct Shortener<'a> {
    sorted: Vec<&'a str>,
}

impl<'a> Shortener<'a> {
    pub fn new(ids: impl IntoIterator<Item = &'a str>) -> Shortener<'a> {
        let mut sorted: Vec<&str> = ids.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        Shortener { sorted }
    }

    /// The shortest prefix of `id` (at least [`MIN_SHOWN`]) no other id shares.
    pub fn short(&self, id: &str) -> String {
        let at = self.sorted.partition_point(|other| *other < id);
        let neighbours = [at.checked_sub(1), Some(at), Some(at + 1)];
        short_id(
            id,
            neighbours
                .into_iter()
                .flatten()
                .filter_map(|i| self.sorted.get(i).copied()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_have_prefix_and_sixteen_hex_digits() {
        let id = new_id("p");
        assert_eq!(id.len(), 18);
        assert!(id.starts_with("p-"));
        assert!(id[2..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(new_id("p"), new_id("p"));
    }

    #[test]
    fn shortener_agrees_with_the_pairwise_scan() {
        let ids: Vec<String> = (0..200u64)
            .map(|i| format!("e-{:016x}", i * 7919))
            .chain([new_id("e")])
            .collect();
        let shortener = Shortener::new(ids.iter().map(String::as_str));
        for id in &ids {
            assert_eq!(
                shortener.short(id),
                short_id(id, ids.iter().map(String::as_str)),
                "{id}"
            );
        }
    }

    #[test]
    fn short_id_grows_only_past_shared_prefixes() {
        assert_eq!(short_id("e-1234567890", ["e-9999999999"]), "e-12345");
        assert_eq!(short_id("e-1234567890", ["e-1234567999"]), "e-12345678");
        assert_eq!(short_id("e-12", Vec::<&str>::new()), "e-12");
    }
}
