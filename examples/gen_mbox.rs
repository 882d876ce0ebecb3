//! Writes a large, realistic mbox and a ledger of the people in it, to measure
//! `kith import mbox` on a big mailbox (issue 14: 1 GiB under 100 MiB of memory).
//!
//! ```sh
//! cargo run --release --example gen_mbox -- OUT_DIR [SIZE_MIB]
//! KITH_LEDGER=OUT_DIR/ledger.json KITH_TODAY=2026-11-20 \
//!   /usr/bin/time -v target/release/kith import mbox OUT_DIR/big.mbox
//! ```
//!
//! The mailbox mixes threads between the user and 2,000 correspondents (300
//! of them in the ledger), cold mail, newsletters with list headers, HTML
//! mail and messages with base64 attachments up to 2 MiB, over the two years
//! before 2026-11-20, with replies both ways and a few out of order.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::File;
use std::io::{BufWriter, Write};

const ME: &str = "me@home.example";
const PEOPLE: usize = 2000;
const KNOWN: usize = 300;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn address(i: usize) -> String {
    format!("person{i}@corp{}.example", i % 97)
}

fn date(day: u64, minute: u64) -> String {
    // Day 0 is 2024-11-20; written like mail programs do.
    let d = chrono::NaiveDate::from_ymd_opt(2024, 11, 20).unwrap() + chrono::Days::new(day);
    let t = d
        .and_hms_opt((minute / 60 % 24) as u32, (minute % 60) as u32, 7)
        .unwrap();
    t.format("%a, %-d %b %Y %H:%M:%S +0100").to_string()
}

fn body(rng: &mut Rng, out: &mut Vec<u8>) {
    out.clear();
    let kind = rng.below(100);
    let words = [
        "meeting", "thanks", "project", "lunch", "draft", "see", "attached", "from", "next", "week",
    ];
    let text_len = if kind < 80 {
        1500 + rng.below(4000)
    } else {
        20_000 + rng.below(40_000)
    };
    let mut line = 0;
    while (out.len() as u64) < text_len {
        let w = words[rng.below(words.len() as u64) as usize];
        out.extend_from_slice(w.as_bytes());
        line += w.len() + 1;
        if line > 70 {
            // Now and then a body line starts with "From", escaped as mboxrd does.
            out.extend_from_slice(if rng.below(50) == 0 {
                b"\n>From here on\n"
            } else {
                b"\n"
            });
            line = 0;
        } else {
            out.push(b' ');
        }
    }
    if kind >= 98 {
        out.extend_from_slice(
            b"\n\n--b1\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n",
        );
        let size = 200_000 + rng.below(1_800_000);
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for i in 0..size {
            out.push(alphabet[(rng.next() % 64) as usize]);
            if i % 76 == 75 {
                out.push(b'\n');
            }
        }
        out.extend_from_slice(b"\n--b1--\n");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(args.get(1).expect("usage: gen_mbox OUT_DIR [SIZE_MIB]"));
    let size_mib: u64 = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(1024);
    std::fs::create_dir_all(&dir).unwrap();

    let people: Vec<String> = (0..KNOWN)
        .map(|i| {
            format!(
                r#"{{"id": "p-{i:016x}", "name": "Person {i}", "emails": ["{}"], "created": "2024-01-01T00:00:00Z", "updated": "2024-01-01T00:00:00Z"}}"#,
                address(i)
            )
        })
        .collect();
    std::fs::write(
        dir.join("ledger.json"),
        format!(
            "{{\"kith\": 1, \"settings\": {{\"me.emails\": [\"{ME}\"]}}, \"people\": [{}], \"entries\": []}}\n",
            people.join(",\n")
        ),
    )
    .unwrap();

    let mut out = BufWriter::with_capacity(1 << 20, File::create(dir.join("big.mbox")).unwrap());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut written: u64 = 0;
    let mut n: u64 = 0;
    let mut text = Vec::new();
    // Recent messages someone could reply to: (id, from me?, correspondent).
    let mut open: Vec<(u64, bool, usize)> = Vec::new();
    while written < size_mib << 20 {
        n += 1;
        let day = (n * 730 / (size_mib * 30).max(1)).min(730);
        let kind = rng.below(100);
        let (from, to, list, reply_to, person) = if kind < 15 {
            // Newsletter or list mail.
            let p = rng.below(PEOPLE as u64) as usize;
            (address(p), ME.to_string(), true, None, p)
        } else if kind < 60 && !open.is_empty() {
            // A reply to an open message, by the other side.
            let (id, mine, p) = open.swap_remove(rng.below(open.len() as u64) as usize);
            if mine {
                (address(p), ME.to_string(), false, Some(id), p)
            } else {
                (ME.to_string(), address(p), false, Some(id), p)
            }
        } else {
            // A new message, one way or the other.
            let p = rng.below(PEOPLE as u64) as usize;
            if rng.below(2) == 0 {
                (ME.to_string(), address(p), false, None, p)
            } else {
                (address(p), ME.to_string(), false, None, p)
            }
        };
        if !list && open.len() < 5000 {
            open.push((n, from == ME, person));
        }
        body(&mut rng, &mut text);
        let mut header = format!(
            "From {from} {}\nReturn-Path: <{from}>\nReceived: from mx{} by mx.home.example; {}\nFrom: Someone <{from}>\nTo: {to}\nSubject: {}thread {}\nDate: {}\nMessage-ID: <{n}.gen@x>\nMIME-Version: 1.0\n",
            date(day, n % 1440),
            n % 7,
            date(day, n % 1440),
            if reply_to.is_some() { "Re: " } else { "" },
            reply_to.unwrap_or(n),
            date(day, n % 1440),
        );
        if let Some(parent) = reply_to {
            header.push_str(&format!(
                "In-Reply-To: <{parent}.gen@x>\nReferences: <{parent}.gen@x>\n"
            ));
        }
        if list {
            header.push_str(
                "List-Id: <news.lists.example>\nList-Unsubscribe: <mailto:u@x>\nPrecedence: bulk\n",
            );
        }
        header.push_str("Content-Type: multipart/mixed; boundary=b1\n\n");
        out.write_all(header.as_bytes()).unwrap();
        out.write_all(&text).unwrap();
        out.write_all(b"\n\n").unwrap();
        written += (header.len() + text.len() + 2) as u64;
    }
    out.flush().unwrap();
    eprintln!("{n} messages, {} MiB", written >> 20);
}
