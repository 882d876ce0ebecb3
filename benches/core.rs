//! Micro-benchmarks of kith's core over an in-memory synthetic ledger: the
//! steps every command pays (parse, index, balances and ranking) and the extra
//! ones a write pays (clone, undo diff, pretty serialisation).
//!
//! `cargo bench` runs them at S (500 people / 5,000 entries) and M (2,000 /
//! 50,000); the ledgers come from the same generator as `scripts/bench.sh`.

// A benchmark that cannot build its sample has nothing to measure: stop loudly.
#![allow(clippy::expect_used)]

use std::sync::OnceLock;

use divan::Bencher;
use kith::core::index::Index;
use kith::core::model::{Detail, Entry, Favour, Kind, Ledger};
use kith::core::model::{parse_ledger, splice, to_pretty_json};
use kith::core::reciprocity::Balance;
use kith::core::snapshot;
use kith::core::undo::Step;

#[allow(dead_code)]
#[path = "../examples/gen_ledger.rs"]
mod gen_ledger;

const SCALES: &[&str] = &["S", "M"];

struct Sample {
    ledger: Ledger,
    bytes: Vec<u8>,
}

fn sample(scale: &str) -> &'static Sample {
    static S: OnceLock<Sample> = OnceLock::new();
    static M: OnceLock<Sample> = OnceLock::new();
    let (cell, people, entries) = match scale {
        "S" => (&S, 500, 5_000),
        _ => (&M, 2_000, 50_000),
    };
    cell.get_or_init(|| {
        let args = gen_ledger::Args {
            people,
            entries,
            seed: 1,
            out: String::new(),
            hledger: None,
        };
        let (ledger, _) = gen_ledger::generate(&args);
        let bytes = to_pretty_json(&ledger).expect("serialise");
        Sample { ledger, bytes }
    })
}

fn main() {
    divan::main();
}

#[divan::bench(args = SCALES)]
fn parse(bencher: Bencher, scale: &str) {
    let sample = sample(scale);
    bencher.bench(|| parse_ledger(divan::black_box(&sample.bytes)).is_ok());
}

/// What `balance` does after loading: index, a balance per person, sort.
#[divan::bench(args = SCALES)]
fn index_and_rank(bencher: Bencher, scale: &str) {
    let ledger = &sample(scale).ledger;
    bencher.bench(|| {
        let index = Index::new(ledger);
        let mut rows: Vec<(i64, &str)> = ledger
            .people
            .iter()
            .map(|p| {
                (
                    Balance::of(index.entries_of(&p.id), None).net,
                    p.name.as_str(),
                )
            })
            .collect();
        rows.sort_unstable();
        rows.len()
    });
}

#[divan::bench(args = SCALES)]
fn clone(bencher: Bencher, scale: &str) {
    let ledger = &sample(scale).ledger;
    bencher.bench(|| ledger.clone());
}

/// The undo diff of a write that logged one favour.
#[divan::bench(args = SCALES)]
fn undo_diff(bencher: Bencher, scale: &str) {
    let before = &sample(scale).ledger;
    let mut after = before.clone();
    let mut entry: Entry = after.entries.last().cloned().expect("entries");
    entry.id = "e-ffffffffffffffff".into();
    entry.detail = Detail::Gave(Favour {
        what: "lunch".into(),
        kind: Kind::Gift,
        weight: 2,
        resolves: None,
    });
    after.entries.push(entry);
    bencher.bench(|| Step::between(before, &after, String::new(), chrono::Utc::now()).is_some());
}

#[divan::bench(args = SCALES)]
fn serialise(bencher: Bencher, scale: &str) {
    let ledger = &sample(scale).ledger;
    bencher.bench(|| to_pretty_json(ledger).map(|b| b.len()).unwrap_or_default());
}

/// What a read with a warm snapshot does before the command's own work:
/// hash the ledger's bytes (the shell does it on the other core) and decode.
#[divan::bench(args = SCALES)]
fn snapshot_key(bencher: Bencher, scale: &str) {
    let sample = sample(scale);
    bencher.bench(|| snapshot::key_of(divan::black_box(&sample.bytes)));
}

#[divan::bench(args = SCALES)]
fn snapshot_decode(bencher: Bencher, scale: &str) {
    let sample = sample(scale);
    let stamp = snapshot::Stamp::of(&sample.bytes);
    let snap = snapshot::encode(&sample.ledger, stamp, true).expect("encode");
    bencher.bench(|| snapshot::decode(divan::black_box(&snap), &stamp).is_ok());
}

/// What a write saves with a snapshot: the snapshot itself.
#[divan::bench(args = SCALES)]
fn snapshot_encode(bencher: Bencher, scale: &str) {
    let sample = sample(scale);
    let stamp = snapshot::Stamp::of(&sample.bytes);
    bencher.bench(|| snapshot::encode(&sample.ledger, stamp, true).map(|s| s.len()));
}

/// The text of a write that logged one favour: spliced from the old text.
#[divan::bench(args = SCALES)]
fn splice_one_favour(bencher: Bencher, scale: &str) {
    let sample = sample(scale);
    let mut after = sample.ledger.clone();
    let mut entry: Entry = after.entries.last().cloned().expect("entries");
    entry.id = "e-ffffffffffffffff".into();
    after.entries.push(entry);
    bencher.bench(|| splice(&sample.ledger, &sample.bytes, &after).map(|b| b.len()));
}
