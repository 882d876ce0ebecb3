//! Conversations from a mailbox (`kith import mbox`, `kith import maildir`).
//!
//! Only headers are read, by `mail-parser` (already in the tree through
//! calcard): never a body. A *conversation* is a message from someone that
//! replies (`In-Reply-To`, else the last of `References`) to a message from
//! the user, or a message from the user that replies to one from someone.
//! One-way mail is not an exchange: newsletters, cold requests nobody
//! answered, the user's own unanswered mail, a reply to a message the mailbox
//! does not hold. Mailing-list and bulk mail (`List-Id`, `Precedence:
//! bulk|list|junk`, `Auto-Submitted` other than `no`) is left out entirely.
//!
//! [`Conversations`] is fed one message at a time by the shell, which streams
//! the mailbox, so memory grows with the number of messages (a hash and a
//! sender each), not with their size. A reply whose parent comes later in
//! the file waits until [`Conversations::finish`]. Each conversation message
//! is dated on the date its `Date` header shows, as written.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use chrono::NaiveDate;
use mail_parser::{HeaderValue, MessageParser};

use super::exchanges::{Exchange, Found, Skip, Window, address, clean_note, count};
use crate::core::model::How;

/// The headers kith reads from one message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    /// The sender's address, lower-cased.
    pub from: Option<String>,
    /// The date in the `Date` header, as written there.
    pub date: Option<NaiveDate>,
    /// `<id@host>`.
    pub message_id: Option<String>,
    /// The message it replies to: the `In-Reply-To` ids, else the last `References` id.
    pub parents: Vec<String>,
    /// The subject without its `Re:`/`Fwd:` prefixes, cleaned.
    pub subject: Option<String>,
    /// Mailing-list, bulk or automatic mail.
    pub bulk: bool,
}

/// Reads the headers of one message (its header block is enough).
pub fn read_headers(raw: &[u8]) -> Option<Headers> {
    let message = MessageParser::new().parse_headers(raw)?;
    let from = message
        .from()
        .and_then(|from| from.first())
        .and_then(|addr| addr.address())
        .and_then(address);
    let date = message.date().and_then(|d| {
        NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
    });
    let message_id = message.message_id().and_then(bracketed);
    let mut parents: Vec<String> = ids(message.in_reply_to());
    if parents.is_empty() {
        parents.extend(ids(message.references()).pop());
    }
    let subject = message
        .thread_name()
        .or_else(|| message.subject())
        .and_then(clean_note);
    let mut bulk = !message.list_id().is_empty();
    for header in message.headers() {
        let name = header.name();
        let value = || {
            header
                .value()
                .as_text()
                .unwrap_or_default()
                .trim()
                .to_lowercase()
        };
        if name.eq_ignore_ascii_case("list-id") {
            bulk = true;
        } else if name.eq_ignore_ascii_case("precedence") {
            bulk |= matches!(value().as_str(), "bulk" | "list" | "junk");
        } else if name.eq_ignore_ascii_case("auto-submitted") {
            bulk |= !value().is_empty() && value() != "no";
        }
    }
    Some(Headers {
        from,
        date,
        message_id,
        parents,
        subject,
        bulk,
    })
}

/// A message id as `<id>`, when it looks like one.
fn bracketed(id: &str) -> Option<String> {
    let id = id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    let ok = !id.is_empty()
        && id.len() <= 998
        && !id.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| format!("<{id}>"))
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => bracketed(id).into_iter().collect(),
        HeaderValue::TextList(list) => list.iter().filter_map(|id| bracketed(id)).collect(),
        _ => Vec::new(),
    }
}

/// Who sent a message: the user, or someone (an index into the address table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sender {
    Me,
    Other(u32),
}

/// A reply whose parent has not been seen yet.
struct Pending {
    from: Sender,
    parents: Vec<u64>,
    date: Option<NaiveDate>,
    subject: Option<String>,
    source_id: String,
}

/// Finds conversations in a stream of messages.
pub struct Conversations<'a> {
    me: &'a [String],
    window: Window,
    subjects: bool,
    senders: HashMap<u64, Sender>,
    addresses: Vec<String>,
    address_ids: HashMap<String, u32>,
    pending: Vec<Pending>,
    found: Found,
}

impl<'a> Conversations<'a> {
    /// `me`: the user's addresses, lower-cased. `subjects`: keep subjects as notes.
    pub fn new(me: &'a [String], window: Window, subjects: bool) -> Conversations<'a> {
        Conversations {
            me,
            window,
            subjects,
            senders: HashMap::new(),
            addresses: Vec::new(),
            address_ids: HashMap::new(),
            pending: Vec::new(),
            found: Found::default(),
        }
    }

    /// Reads one message's raw header block (or whole message).
    pub fn add_raw(&mut self, raw: &[u8]) {
        match read_headers(raw) {
            Some(headers) => self.add(headers),
            None => {
                self.found.read += 1;
                count(&mut self.found.skipped, Skip::Unreadable);
            }
        }
    }

    /// Notes one message: remembers its sender, and logs it when it replies
    /// to a message already seen.
    pub fn add(&mut self, headers: Headers) {
        self.found.read += 1;
        if headers.bulk {
            count(&mut self.found.skipped, Skip::ListOrBulk);
            return;
        }
        let Some(from) = headers.from else {
            count(&mut self.found.skipped, Skip::Unreadable);
            return;
        };
        let sender = if self.me.contains(&from) {
            Sender::Me
        } else {
            Sender::Other(self.intern(from.clone()))
        };
        if let Some(id) = &headers.message_id {
            self.senders.insert(hash(id), sender);
        }
        if headers.parents.is_empty() {
            count(&mut self.found.skipped, Skip::OneWay);
            return;
        }
        let source_id = headers
            .message_id
            .unwrap_or_else(|| stand_in_id(&from, headers.date, headers.subject.as_deref()));
        let pending = Pending {
            from: sender,
            parents: headers.parents.iter().map(|p| hash(p)).collect(),
            date: headers.date,
            subject: headers.subject.filter(|_| self.subjects),
            source_id,
        };
        match self.parent_of(&pending) {
            Some(parent) => self.resolve(pending, parent),
            None => self.pending.push(pending),
        }
    }

    /// Resolves the replies still waiting for a parent and returns what was found.
    pub fn finish(mut self) -> Found {
        for pending in std::mem::take(&mut self.pending) {
            match self.parent_of(&pending) {
                Some(parent) => self.resolve(pending, parent),
                // A reply to a message this mailbox does not hold.
                None => count(&mut self.found.skipped, Skip::OneWay),
            }
        }
        self.found
    }

    fn parent_of(&self, pending: &Pending) -> Option<Sender> {
        pending
            .parents
            .iter()
            .find_map(|p| self.senders.get(p).copied())
    }

    fn resolve(&mut self, reply: Pending, parent: Sender) {
        let other = match (reply.from, parent) {
            (Sender::Me, Sender::Other(them)) | (Sender::Other(them), Sender::Me) => them,
            _ => {
                count(&mut self.found.skipped, Skip::OneWay);
                return;
            }
        };
        let Some(date) = reply.date else {
            count(&mut self.found.skipped, Skip::NoDate);
            return;
        };
        if let Some(reason) = self.window.check(date) {
            count(&mut self.found.skipped, reason);
            return;
        }
        let Some(addr) = self.addresses.get(other as usize) else {
            return;
        };
        self.found.exchanges.push(Exchange {
            date,
            addresses: vec![addr.clone()],
            how: How::Message,
            note: reply.subject,
            source_ids: vec![reply.source_id],
        });
    }

    fn intern(&mut self, address: String) -> u32 {
        if let Some(id) = self.address_ids.get(&address) {
            return *id;
        }
        let id = u32::try_from(self.addresses.len()).unwrap_or(u32::MAX);
        self.addresses.push(address.clone());
        self.address_ids.insert(address, id);
        id
    }
}

fn hash(id: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// A source id for a message without a Message-ID, stable across runs.
fn stand_in_id(from: &str, date: Option<NaiveDate>, subject: Option<&str>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let text = format!("{from}|{date:?}|{subject:?}");
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("kith-mail-{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "me@example.org";

    fn message(from: &str, id: &str, reply_to: Option<&str>, date: &str, extra: &str) -> String {
        let reply = reply_to
            .map(|p| format!("In-Reply-To: <{p}>\r\nReferences: <{p}>\r\n"))
            .unwrap_or_default();
        format!(
            "From: {from}\r\nTo: someone@example.net\r\nSubject: {}\r\nDate: {date}\r\n\
Message-ID: <{id}>\r\n{reply}{extra}\r\nHello, this body is never read.\r\n",
            if reply_to.is_some() {
                "Re: Coffee?"
            } else {
                "Coffee?"
            }
        )
    }

    fn run(messages: &[String]) -> Found {
        let me = vec![ME.to_string()];
        let window = Window {
            since: NaiveDate::from_ymd_opt(2025, 11, 20).unwrap(),
            today: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        };
        let mut conversations = Conversations::new(&me, window, true);
        for m in messages {
            conversations.add_raw(m.as_bytes());
        }
        conversations.finish()
    }

    #[test]
    fn replies_both_ways_are_conversations_and_one_way_mail_is_not() {
        let found = run(&[
            // A thread: I write, Alice answers, I answer again.
            message(
                "Me <me@example.org>",
                "m1@x",
                None,
                "Mon, 2 Nov 2026 09:00:00 +0100",
                "",
            ),
            message(
                "\"Alice\" <Alice@Example.com>",
                "a1@x",
                Some("m1@x"),
                "Mon, 2 Nov 2026 23:30:00 -0800",
                "",
            ),
            message(
                ME,
                "m2@x",
                Some("a1@x"),
                "Wed, 4 Nov 2026 08:00:00 +0100",
                "",
            ),
            // Bob's reply comes before the message it answers in the file.
            message(
                "bob@example.com",
                "b1@x",
                Some("m3@x"),
                "Fri, 6 Nov 2026 10:00:00 +0000",
                "",
            ),
            message(ME, "m3@x", None, "Fri, 6 Nov 2026 09:00:00 +0000", ""),
            // A cold request nobody answered; my unanswered mail; a newsletter.
            message(
                "cold@example.com",
                "c1@x",
                None,
                "Sat, 7 Nov 2026 10:00:00 +0000",
                "",
            ),
            message(ME, "m4@x", None, "Sat, 7 Nov 2026 11:00:00 +0000", ""),
            message(
                "news@example.com",
                "n1@x",
                None,
                "Sat, 7 Nov 2026 12:00:00 +0000",
                "List-Unsubscribe: <mailto:u@x>\r\n",
            ),
            // A mailing-list thread: a reply to my post is still list mail.
            message(
                ME,
                "l1@x",
                None,
                "Sun, 8 Nov 2026 10:00:00 +0000",
                "List-Id: <dev.lists.example>\r\n",
            ),
            message(
                "dave@example.com",
                "l2@x",
                Some("l1@x"),
                "Sun, 8 Nov 2026 11:00:00 +0000",
                "List-Id: <dev.lists.example>\r\n",
            ),
            message(
                "eve@example.com",
                "l3@x",
                Some("l1@x"),
                "Sun, 8 Nov 2026 12:00:00 +0000",
                "Precedence: list\r\n",
            ),
            message(
                "robot@example.com",
                "r1@x",
                Some("m4@x"),
                "Sun, 8 Nov 2026 13:00:00 +0000",
                "Auto-Submitted: auto-replied\r\n",
            ),
            // A reply to a message this mailbox does not hold.
            message(
                "frank@example.com",
                "f1@x",
                Some("elsewhere@x"),
                "Sun, 8 Nov 2026 14:00:00 +0000",
                "",
            ),
            // Me answering myself.
            message(
                ME,
                "m5@x",
                Some("m4@x"),
                "Mon, 9 Nov 2026 14:00:00 +0000",
                "",
            ),
        ]);
        let got: Vec<_> = found
            .exchanges
            .iter()
            .map(|e| {
                (
                    e.date.to_string(),
                    e.addresses.join(","),
                    e.note.clone().unwrap_or_default(),
                    e.source_ids.join(","),
                )
            })
            .collect();
        let expected: Vec<(String, String, String, String)> = [
            ("2026-11-02", "alice@example.com", "Coffee?", "<a1@x>"),
            ("2026-11-04", "alice@example.com", "Coffee?", "<m2@x>"),
            ("2026-11-06", "bob@example.com", "Coffee?", "<b1@x>"),
        ]
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
        assert_eq!(got, expected);
        assert_eq!(found.read, 14);
        assert_eq!(found.skipped.get(&Skip::ListOrBulk), Some(&4));
        // m1, m3, c1, m4, n1 (no reply), f1 (parent absent), m5 (to myself).
        assert_eq!(found.skipped.get(&Skip::OneWay), Some(&7));
    }

    #[test]
    fn headers_are_read_without_the_body_and_garbage_is_unreadable() {
        let raw = message(
            "=?UTF-8?B?w4lsb2TDrWU=?= <elodie@example.fr>",
            "e@x",
            Some("p@x"),
            "Tue, 3 Nov 2026 10:00:00 +0100",
            "",
        );
        let headers = read_headers(raw.as_bytes()).unwrap();
        assert_eq!(headers.from.as_deref(), Some("elodie@example.fr"));
        assert_eq!(headers.parents, vec!["<p@x>".to_string()]);
        assert_eq!(headers.subject.as_deref(), Some("Coffee?"));
        assert_eq!(headers.date, NaiveDate::from_ymd_opt(2026, 11, 3));
        assert!(!headers.bulk);
        let found = run(&["\u{0}\u{1}garbage".to_string(), String::new()]);
        assert!(found.exchanges.is_empty());
        assert_eq!(found.read, 2);
    }
}
