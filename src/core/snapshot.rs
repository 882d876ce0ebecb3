//! The layout of the disposable binary snapshot of a ledger: bytes in, a
//! [`Ledger`] out, and back.
//!
//! The JSON ledger is the only truth; the snapshot only saves a read the JSON
//! parse (about 80% of a read on a large ledger). It is keyed by the xxh3-128
//! hash of the exact ledger bytes it was built from, so it is used only for
//! those bytes: any change by anything (another kith, git, an editor, a sync)
//! makes it a stranger. Its own body carries an xxh3-64 checksum, and every
//! read below is bounds-checked, so a truncated, flipped or foreign file is
//! refused with [`Invalid`], never trusted and never a panic.
//!
//! Layout (little-endian): a 64-byte [header](HEADER_LEN), then the body:
//! five section lengths, a heap of UTF-8 text, the entries as fixed-size
//! [records](ENTRY_LEN) (type, person index, dates, weight, kind, status and
//! references into the heap), then streams of references for the people, the
//! entries' variable parts (resolves, nudges, notes, unknown keys) and the
//! top level (format version, settings, unknown keys as JSON). Decoding
//! rebuilds exactly the [`Ledger`] that was encoded (a property test holds it
//! to `==`), so every command answers the same from either source.
//!
//! Adding a field to the model breaks the exhaustive destructuring in
//! [`encode`]: add it to both directions and bump [`LAYOUT`].

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::core::facts::{Brief, Dates, DetailRef, Fact, FavourRef, MeetingRef, RequestRef};
use crate::core::model::{
    Detail, Direction, Entry, Extra, Favour, Flag, How, Kind, Ledger, Meeting, Need, Person,
    Request, Settings, Status,
};

/// The snapshot layout this build reads and writes; any other is rebuilt.
pub const LAYOUT: u32 = 4;
const MAGIC: &[u8; 8] = b"KITHSNAP";
/// The header: magic, layout, ledger format, key, ledger length, body length,
/// body checksum, eight zero bytes.
pub const HEADER_LEN: usize = 64;
/// One entry record.
pub const ENTRY_LEN: usize = 56;
/// A missing optional text (`len` of a reference) or aux stream (`aux`).
const NONE: u32 = u32::MAX;

/// The setting that turns the snapshot off (`kith config snapshot false`);
/// kept in the settings' extras, so older kiths keep it.
pub const SETTING: &str = "snapshot";

/// Whether the settings allow a snapshot (the default).
pub fn enabled(settings: &Settings) -> bool {
    settings.extra.get(SETTING) != Some(&serde_json::Value::Bool(false))
}

/// The key of a ledger's bytes: xxh3-128.
pub type Key = [u8; 16];

/// The key of `ledger_bytes`.
pub fn key_of(ledger_bytes: &[u8]) -> Key {
    twox_hash::XxHash3_128::oneshot(ledger_bytes).to_le_bytes()
}

/// Which ledger bytes a snapshot was built from: their length (checked
/// first, for free) and their key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub key: Key,
}

impl Stamp {
    pub fn of(ledger_bytes: &[u8]) -> Stamp {
        Stamp {
            len: ledger_bytes.len() as u64,
            key: key_of(ledger_bytes),
        }
    }
}

/// The stamp of bytes fed in pieces (a file read in chunks, a text written
/// in pieces): the same as [`Stamp::of`] their concatenation.
pub struct Stamper {
    hasher: twox_hash::XxHash3_128,
    len: u64,
}

impl Default for Stamper {
    fn default() -> Stamper {
        Stamper {
            hasher: twox_hash::XxHash3_128::new(),
            len: 0,
        }
    }
}

impl Stamper {
    pub fn feed(&mut self, piece: &[u8]) {
        self.hasher.write(piece);
        self.len += piece.len() as u64;
    }

    pub fn stamp(&self) -> Stamp {
        Stamp {
            len: self.len,
            key: self.hasher.finish_128().to_le_bytes(),
        }
    }
}

/// Why a snapshot was not used. Never shown as an error: the caller falls
/// back on the JSON (and rebuilds the snapshot when it can).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// Not a kith snapshot, or a layout or ledger format of another build.
    Foreign,
    /// Built from other ledger bytes.
    Stale,
    /// Cut short or changed since it was written.
    Corrupt(&'static str),
}

/// What the header says, read without touching the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub stamp: Stamp,
    body_len: u64,
    pub body_hash: u64,
}

/// Reads and checks the header of `bytes`: magic, layout and ledger format.
pub fn header(bytes: &[u8]) -> Result<Header, Invalid> {
    let head = bytes
        .get(..HEADER_LEN)
        .ok_or(Invalid::Corrupt("shorter than its header"))?;
    let mut r = Reader::new(head);
    if r.bytes(8)? != MAGIC {
        return Err(Invalid::Foreign);
    }
    if r.u32()? != LAYOUT || u64::from(r.u32()?) != crate::core::model::FORMAT_VERSION {
        return Err(Invalid::Foreign);
    }
    let mut key = [0u8; 16];
    key.copy_from_slice(r.bytes(16)?);
    let header = Header {
        stamp: Stamp { key, len: r.u64()? },
        body_len: r.u64()?,
        body_hash: r.u64()?,
    };
    if r.u64()? != 0 {
        return Err(Invalid::Corrupt("header padding"));
    }
    Ok(header)
}

/// The snapshot of `ledger`, parsed from ledger bytes whose key is `key`.
/// `None` when the ledger cannot be laid out (a text over 4 GiB, or an entry
/// about a person who is not in the ledger, which a loaded ledger never has).
///
/// `canonical` says the ledger bytes are exactly `to_pretty_json(ledger)`
/// (kith just wrote them), so a write may splice them
/// ([`splice`](crate::core::model::splice)) instead of printing everything.
pub fn encode(ledger: &Ledger, stamp: Stamp, canonical: bool) -> Option<Vec<u8>> {
    let mut w = Writer::default();
    let mut index: HashMap<&str, u32, ahash::RandomState> =
        HashMap::with_capacity_and_hasher(ledger.people.len(), ahash::RandomState::new());
    for (i, person) in ledger.people.iter().enumerate() {
        index
            .entry(person.id.as_str())
            .or_insert(u32::try_from(i).ok()?);
    }
    let mut records = Vec::with_capacity(ledger.entries.len() * ENTRY_LEN);
    for entry in &ledger.entries {
        let Entry {
            id,
            person,
            date,
            recorded,
            updated,
            detail,
            source_id,
            extra,
        } = entry;
        let person = *index.get(person.as_str())?;
        let id = w.text(id)?;
        let (entry_type, sub, weight, status, text) = match detail {
            Detail::Gave(f) | Detail::Got(f) => {
                let t = if matches!(detail, Detail::Gave(_)) {
                    0
                } else {
                    1
                };
                (
                    t,
                    position(Kind::ALL, f.kind),
                    f.weight,
                    0,
                    w.text(&f.what)?,
                )
            }
            Detail::Met(m) => (2, position(How::ALL, m.how), 0, 0, w.opt_text(&m.note)?),
            Detail::Ask(r) => (
                3,
                position(Direction::ALL, r.direction),
                0,
                position(Status::ALL, r.status),
                w.text(&r.what)?,
            ),
        };
        let needs_aux = !extra.is_empty()
            || source_id.is_some()
            || match detail {
                Detail::Gave(f) | Detail::Got(f) => f.resolves.is_some(),
                Detail::Met(_) => false,
                Detail::Ask(r) => !r.nudges.is_empty() || r.note.is_some(),
            };
        let aux = if needs_aux {
            let at = u32::try_from(w.aux.len()).ok()?;
            match detail {
                Detail::Gave(f) | Detail::Got(f) => {
                    let r = w.opt_text(&f.resolves)?;
                    put_ref(&mut w.aux, r);
                }
                Detail::Met(_) => {}
                Detail::Ask(r) => {
                    put_u32(&mut w.aux, u32::try_from(r.nudges.len()).ok()?);
                    for day in &r.nudges {
                        put_i32(&mut w.aux, day_number(*day));
                    }
                    let note = w.opt_text(&r.note)?;
                    put_ref(&mut w.aux, note);
                }
            }
            let source_id = w.opt_text(source_id)?;
            put_ref(&mut w.aux, source_id);
            let extra = w.extra(extra)?;
            put_ref(&mut w.aux, extra);
            at
        } else {
            NONE
        };
        let (recorded_secs, recorded_nanos) = timestamp(*recorded);
        let (updated_secs, updated_nanos) = timestamp(*updated);
        put_ref(&mut records, id);
        put_u32(&mut records, person);
        put_i32(&mut records, day_number(*date));
        records.extend_from_slice(&recorded_secs.to_le_bytes());
        records.extend_from_slice(&updated_secs.to_le_bytes());
        put_u32(&mut records, recorded_nanos);
        put_u32(&mut records, updated_nanos);
        records.extend_from_slice(&[entry_type, sub, weight, status]);
        put_ref(&mut records, text);
        put_u32(&mut records, aux);
    }
    for person in &ledger.people {
        w.person(person)?;
    }
    let Ledger {
        kith,
        settings,
        people: _,
        entries: _,
        extra,
    } = ledger;
    let meta_settings = w.json(settings)?;
    let meta_extra = w.extra(extra)?;
    let mut meta = Vec::new();
    meta.extend_from_slice(&kith.to_le_bytes());
    put_ref(&mut meta, meta_settings);
    put_ref(&mut meta, meta_extra);

    // The tables a read needs and would otherwise build from every entry:
    // each person's entries, and the entries in the order of their ids.
    let mut tables = Vec::with_capacity((8 * ledger.entries.len() + ledger.people.len() + 1) * 4);
    let (order, starts) = crate::core::order::group_by_person(
        ledger.people.len(),
        ledger
            .entries
            .iter()
            .map(|e| index.get(e.person.as_str()).copied()),
    );
    let sorted = crate::core::order::sort_by_id(ledger.entries.len(), |n| {
        ledger.entries.get(n).map_or("", |e| e.id.as_str())
    });
    for n in order.iter().chain(&starts).chain(&sorted) {
        put_u32(&mut tables, *n);
    }
    // Each entry's day and codes, in the order of `order` and in ledger
    // order: loops over a person's entries and over all entries read these
    // 8 bytes, not the 56-byte records spread over the file.
    let n_all: Vec<u32> = (0..u32::try_from(ledger.entries.len()).ok()?).collect();
    for n in order.iter().chain(&n_all) {
        let record = records
            .get(*n as usize * ENTRY_LEN..(*n as usize + 1) * ENTRY_LEN)
            .unwrap_or_default();
        tables.extend_from_slice(record.get(12..16).unwrap_or(&[0; 4]));
        tables.extend_from_slice(record.get(40..44).unwrap_or(&[0; 4]));
    }
    // The first bytes of each id in id order: a search for an id compares
    // these, not ids spread over the text heap.
    for n in &sorted {
        let id = ledger
            .entries
            .get(*n as usize)
            .map_or("", |e| e.id.as_str());
        tables.extend_from_slice(&crate::core::order::id_key(id).to_le_bytes());
    }
    let flags = u32::from(canonical) | (u32::from(shown_as_is(ledger)) << 1);

    let mut body = Vec::with_capacity(64 + w.heap.len() + records.len() + w.people.len());
    put_u32(&mut body, u32::try_from(ledger.people.len()).ok()?);
    put_u32(&mut body, u32::try_from(ledger.entries.len()).ok()?);
    put_u32(&mut body, flags);
    let sections = [&w.heap, &records, &w.people, &w.aux, &meta, &tables];
    for section in sections {
        body.extend_from_slice(&(section.len() as u64).to_le_bytes());
    }
    for section in sections {
        body.extend_from_slice(section);
    }
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, LAYOUT);
    put_u32(
        &mut out,
        u32::try_from(crate::core::model::FORMAT_VERSION).ok()?,
    );
    out.extend_from_slice(&stamp.key);
    out.extend_from_slice(&stamp.len.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&body_checksum(&body).to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&body);
    Some(out)
}

/// The ledger in `bytes`, if they are a whole snapshot of this layout built
/// from the ledger bytes `stamp` names.
pub fn decode(bytes: &[u8], stamp: &Stamp) -> Result<Ledger, Invalid> {
    let header = header(bytes)?;
    if &header.stamp != stamp {
        return Err(Invalid::Stale);
    }
    decode_checked(bytes, header)
}

/// [`decode`] once the caller checked the stamp (or checks it while this runs).
pub fn decode_checked(bytes: &[u8], header: Header) -> Result<Ledger, Invalid> {
    let parts = Parts::open(bytes, header)?;
    let people = parts.people()?;
    let entries = parts.entries(&people, 0..parts.entry_count())?;
    parts.ledger(people, entries)
}

/// A checked snapshot's sections, decoded piece by piece so that the shell
/// can decode the entries on both cores.
#[derive(Clone, Copy)]
pub struct Parts<'a> {
    texts: Texts<'a>,
    people_count: usize,
    records: &'a [u8],
    people_stream: &'a [u8],
    aux: &'a [u8],
    meta: &'a [u8],
    tables: &'a [u8],
    canonical: bool,
    clean: bool,
}

impl std::fmt::Debug for Parts<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parts")
            .field("people", &self.people_count)
            .field("entries", &self.entry_count())
            .finish_non_exhaustive()
    }
}

impl<'a> Parts<'a> {
    /// Checks the body's length and checksum, and splits it into sections.
    pub fn open(bytes: &'a [u8], header: Header) -> Result<Parts<'a>, Invalid> {
        let body = bytes.get(HEADER_LEN..).ok_or(Invalid::Corrupt("no body"))?;
        if body_checksum(body) != header.body_hash {
            return Err(Invalid::Corrupt("checksum"));
        }
        Parts::open_unverified(bytes, header)
    }

    /// [`Parts::open`] without the checksum, for a caller that checks it
    /// itself at the same time ([`body_checksum`] of the bytes after the
    /// header must equal [`Header::body_hash`] before any answer is used).
    /// The sections are split and bounds-checked; texts are checked as
    /// UTF-8 one by one as they are read, so a read touches only the pages
    /// it needs.
    pub fn open_unverified(bytes: &'a [u8], header: Header) -> Result<Parts<'a>, Invalid> {
        let body = bytes.get(HEADER_LEN..).ok_or(Invalid::Corrupt("no body"))?;
        if body.len() as u64 != header.body_len {
            return Err(Invalid::Corrupt("body length"));
        }
        let mut r = Reader::new(body);
        let people_count = r.u32()? as usize;
        let entry_count = r.u32()? as usize;
        let flags = r.u32()?;
        if flags > 3 {
            return Err(Invalid::Corrupt("flags"));
        }
        let mut lens = [0usize; 6];
        for len in &mut lens {
            *len = usize::try_from(r.u64()?).map_err(|_| Invalid::Corrupt("section length"))?;
        }
        let heap = r.bytes(lens[0])?;
        let records = r.bytes(lens[1])?;
        if records.len() != entry_count.saturating_mul(ENTRY_LEN) {
            return Err(Invalid::Corrupt("entry count"));
        }
        Ok(Parts {
            texts: Texts { heap },
            people_count,
            records,
            people_stream: r.bytes(lens[2])?,
            aux: r.bytes(lens[3])?,
            meta: r.bytes(lens[4])?,
            tables: {
                let tables = r.bytes(lens[5])?;
                let words = entry_count
                    .saturating_mul(8)
                    .saturating_add(people_count)
                    .saturating_add(1);
                if tables.len() != words.saturating_mul(4) {
                    return Err(Invalid::Corrupt("tables"));
                }
                tables
            },
            canonical: flags & 1 != 0,
            clean: flags & 2 != 0,
        })
    }

    pub fn entry_count(&self) -> usize {
        self.records.len() / ENTRY_LEN
    }

    /// Whether the ledger bytes were exactly `to_pretty_json` of this ledger.
    pub fn canonical(&self) -> bool {
        self.canonical
    }

    /// Whether every text of the ledger shows as it is: no control or
    /// invisible character to escape and none over the length limits (see
    /// [`shown_as_is`]), so a human renderer may read the texts in place.
    pub fn clean(&self) -> bool {
        self.clean
    }

    /// The sections every read walks from end to end (the people, the
    /// tables, the settings); the rest (records, texts, variable parts) is
    /// read only where a command looks.
    pub fn walked(&self) -> [&'a [u8]; 4] {
        // Of the tables, the groups and both brief tables are walked; the
        // ids in order and their keys are searched (read here and there).
        let n = self.entry_count();
        let p = self.people_count + 1;
        let groups = self.tables.get(..(n + p) * 4).unwrap_or_default();
        let briefs = self
            .tables
            .get((2 * n + p) * 4..(6 * n + p) * 4)
            .unwrap_or_default();
        [self.people_stream, self.meta, groups, briefs]
    }

    /// Entry record `n` with its day and codes as `brief` (from
    /// [`Parts::tables`]) gives them, without reading the record itself.
    pub fn record_with(&'a self, n: usize, brief: &[u8]) -> Option<Record<'a>> {
        let at = n.checked_mul(ENTRY_LEN)?;
        let bytes = self.records.get(at..at.checked_add(ENTRY_LEN)?)?;
        let &[d0, d1, d2, d3, c0, c1, c2, c3] = brief else {
            return None;
        };
        Some(Record {
            parts: self,
            bytes,
            day: i32::from_le_bytes([d0, d1, d2, d3]),
            codes: [c0, c1, c2, c3],
        })
    }

    /// The stored tables, read in place: entry numbers grouped by person,
    /// the groups' starts, entry numbers sorted by id (see `core::index`),
    /// and the brief of each entry in the grouped order (day number and
    /// codes, as [`Parts::record_with`] takes them).
    pub fn tables(&self) -> (Words<'a>, Words<'a>, Words<'a>, &'a [u8], &'a [u8]) {
        let n = self.entry_count();
        let p = self.people_count + 1;
        let words = |from: usize, count: usize| {
            Words::Raw(
                self.tables
                    .get(from * 4..(from + count) * 4)
                    .unwrap_or_default(),
            )
        };
        let briefs = self
            .tables
            .get((2 * n + p) * 4..(4 * n + p) * 4)
            .unwrap_or_default();
        let keys = self
            .tables
            .get((6 * n + p) * 4..(8 * n + p) * 4)
            .unwrap_or_default();
        (words(0, n), words(n, p), words(n + p, n), briefs, keys)
    }

    /// Entry record `n` with its day and codes from the ledger-order brief
    /// table: a walk over every entry reads 8 bytes each.
    pub fn record_briefly(&'a self, n: usize) -> Option<Record<'a>> {
        let p = self.people_count + 1;
        let at = (4 * self.entry_count() + p) * 4 + n.checked_mul(8)?;
        self.record_with(n, self.tables.get(at..at.checked_add(8)?)?)
    }

    /// The ledger's settings.
    pub fn settings(&self) -> Result<Settings, Invalid> {
        let mut m = Reader::new(self.meta);
        let _kith = m.u64()?;
        self.texts.json(m.reference()?)
    }

    pub fn people(&self) -> Result<Vec<Person>, Invalid> {
        let mut people = Vec::with_capacity(self.people_count.min(self.people_stream.len() / 8));
        let mut r = Reader::new(self.people_stream);
        for _ in 0..self.people_count {
            people.push(read_person(&mut r, &self.texts)?);
        }
        Ok(people)
    }

    /// The entries in `range` (record numbers), about `people` from [`Parts::people`].
    pub fn entries(
        &self,
        people: &[Person],
        range: std::ops::Range<usize>,
    ) -> Result<Vec<Entry>, Invalid> {
        let records = self
            .records
            .get(range.start * ENTRY_LEN..range.end * ENTRY_LEN)
            .ok_or(Invalid::Corrupt("entry range"))?;
        let mut entries = Vec::with_capacity(range.len());
        for record in records.chunks_exact(ENTRY_LEN) {
            entries.push(read_entry(record, people, self.aux, &self.texts)?);
        }
        Ok(entries)
    }

    /// The ledger of these parts, from its decoded people and entries.
    pub fn ledger(&self, people: Vec<Person>, entries: Vec<Entry>) -> Result<Ledger, Invalid> {
        let mut m = Reader::new(self.meta);
        let kith = m.u64()?;
        let settings: Settings = self.texts.json(m.reference()?)?;
        let extra = self.texts.extra(m.reference()?)?;
        Ok(Ledger {
            kith,
            settings,
            people,
            entries,
            extra,
        })
    }
}

/// The checksum of a snapshot's body (the bytes after the header).
pub fn body_checksum(body: &[u8]) -> u64 {
    twox_hash::XxHash3_64::oneshot(body)
}

/// A table of `u32`s: built in memory, or little-endian in a snapshot.
#[derive(Debug, Clone)]
pub enum Words<'a> {
    Owned(Vec<u32>),
    Raw(&'a [u8]),
}

impl Words<'_> {
    pub fn len(&self) -> usize {
        match self {
            Words::Owned(words) => words.len(),
            Words::Raw(bytes) => bytes.len() / 4,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, at: usize) -> Option<u32> {
        match self {
            Words::Owned(words) => words.get(at).copied(),
            Words::Raw(bytes) => {
                let b = bytes.get(at.checked_mul(4)?..at * 4 + 4)?;
                Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            }
        }
    }
}

/// One entry record read in place: the [`Fact`] a read computes from. The
/// body passed its checksum, so a field out of range cannot come from a
/// write; it is read as a neutral value (an empty text, the first kind)
/// rather than trusted or allowed to panic.
#[derive(Clone, Copy)]
pub struct Record<'a> {
    parts: &'a Parts<'a>,
    bytes: &'a [u8],
    /// The day number and the type, kind, weight and status codes, copied
    /// here so that a loop over a person's entries reads them from the
    /// person's contiguous brief table instead of from records spread
    /// over the whole file.
    day: i32,
    codes: [u8; 4],
}

impl std::fmt::Debug for Record<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Record").field(&self.id()).finish()
    }
}

fn word(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn long(bytes: &[u8], at: usize) -> i64 {
    let mut out = [0u8; 8];
    if let Some(b) = bytes.get(at..at + 8) {
        out.copy_from_slice(b);
    }
    i64::from_le_bytes(out)
}

fn pick<T: Copy>(all: &[T], at: u8, default: T) -> T {
    all.get(usize::from(at)).copied().unwrap_or(default)
}

impl<'a> Record<'a> {
    /// The whole entry, decoded (for a command that shows it as it is
    /// stored); `None` if the record does not decode.
    pub fn to_entry(self, people: &[Person]) -> Option<Entry> {
        read_entry(self.bytes, people, self.parts.aux, &self.parts.texts).ok()
    }

    /// The person's position among the ledger's people.
    pub fn person(self) -> u32 {
        word(self.bytes, 8)
    }

    fn text_at(self, at: usize) -> Option<&'a str> {
        let r = Ref {
            at: word(self.bytes, at),
            len: word(self.bytes, at + 4),
        };
        self.parts.text(r)
    }

    fn aux(self) -> Option<&'a [u8]> {
        match word(self.bytes, 52) {
            NONE => None,
            at => self.parts.aux.get(at as usize..),
        }
    }

    fn code(self, at: usize) -> u8 {
        self.codes.get(at - 40).copied().unwrap_or(0)
    }
}

impl<'a> Fact<'a> for Record<'a> {
    fn id(self) -> &'a str {
        self.text_at(0).unwrap_or("")
    }

    fn date(self) -> NaiveDate {
        NaiveDate::from_num_days_from_ce_opt(self.day).unwrap_or(NaiveDate::MIN)
    }

    /// Without reading the favour's text: most favours have no variable
    /// part at all.
    fn resolves(self) -> Option<&'a str> {
        if !matches!(self.code(40), 0 | 1) {
            return None;
        }
        let mut aux = Reader::new(self.aux()?);
        self.parts.text(aux.reference().ok()?)
    }

    /// The stored day number: one written from a date, so within chrono's
    /// range (a forged one only compares oddly; it cannot panic).
    fn day(self) -> i32 {
        self.day
    }

    fn updated(self) -> DateTime<Utc> {
        DateTime::from_timestamp(long(self.bytes, 24), word(self.bytes, 36)).unwrap_or_default()
    }

    fn brief(self) -> Brief {
        let (sub, weight, status) = (self.code(41), self.code(42), self.code(43));
        match self.code(40) {
            0 => Brief::Gave {
                kind: pick(Kind::ALL, sub, Kind::Other),
                weight,
            },
            1 => Brief::Got {
                kind: pick(Kind::ALL, sub, Kind::Other),
                weight,
            },
            3 => Brief::Ask {
                direction: pick(Direction::ALL, sub, Direction::In),
                status: pick(Status::ALL, status, Status::Open),
            },
            _ => Brief::Met {
                how: pick(How::ALL, sub, How::Other),
            },
        }
    }

    fn detail(self) -> DetailRef<'a> {
        let text = self.text_at(44);
        let mut aux = self.aux().map(Reader::new);
        let mut next_text = || {
            aux.as_mut()
                .and_then(|a| a.reference().ok())
                .and_then(|r| self.parts.text(r))
        };
        match self.brief() {
            Brief::Gave { kind, weight } | Brief::Got { kind, weight } => {
                let favour = FavourRef {
                    what: text.unwrap_or(""),
                    kind,
                    weight,
                    resolves: next_text(),
                };
                if self.code(40) == 0 {
                    DetailRef::Gave(favour)
                } else {
                    DetailRef::Got(favour)
                }
            }
            Brief::Met { how } => DetailRef::Met(MeetingRef { how, note: text }),
            Brief::Ask { direction, status } => {
                let (nudges, note) = match self.aux() {
                    Some(a) => {
                        let n = word(a, 0) as usize;
                        let days = n
                            .checked_mul(4)
                            .and_then(|len| a.get(4..4 + len))
                            .unwrap_or_default();
                        let mut rest = Reader::new(a.get(4 + days.len()..).unwrap_or_default());
                        let note = rest.reference().ok().and_then(|r| self.parts.text(r));
                        (Dates::Raw(days), note)
                    }
                    None => (Dates::EMPTY, None),
                };
                DetailRef::Ask(RequestRef {
                    what: text.unwrap_or(""),
                    direction,
                    status,
                    nudges,
                    note,
                })
            }
        }
    }
}

impl<'a> Parts<'a> {
    /// A text of the heap; `None` for a missing one (or one out of range).
    fn text(&self, r: Ref) -> Option<&'a str> {
        if r.len == NONE {
            return None;
        }
        self.texts.str(r).ok()
    }
}

/// Whether every text of `ledger` shows as it is in human output: nothing
/// that `view::escape::ledger_for_display` would escape or cut. Newlines
/// count only where that function keeps them (notes). Checked when a
/// snapshot is written, so a read of a clean ledger can borrow its texts.
pub fn shown_as_is(ledger: &Ledger) -> bool {
    use crate::core::text::{MAX_NAME_CHARS, MAX_TEXT_CHARS};
    fn ok(text: &str, keep_newlines: bool) -> bool {
        let max = if keep_newlines {
            MAX_TEXT_CHARS
        } else {
            MAX_NAME_CHARS.max(1000)
        };
        (text.len() <= max || text.chars().count() <= max)
            && matches!(
                crate::core::chars::escape(text, keep_newlines),
                std::borrow::Cow::Borrowed(_)
            )
    }
    let line = |t: &String| ok(t, false);
    let opt = |t: &Option<String>, keep: bool| t.as_deref().is_none_or(|t| ok(t, keep));
    ledger.people.iter().all(|p| {
        line(&p.id)
            && line(&p.name)
            && [&p.aliases, &p.emails, &p.phones, &p.urls, &p.tags]
                .iter()
                .all(|list| list.iter().all(line))
            && opt(&p.org, false)
            && opt(&p.source, false)
            && opt(&p.how_met, true)
            && opt(&p.notes, true)
            && p.needs.iter().all(|n| ok(&n.text, true))
            && p.dates.iter().all(|d| line(&d.label))
            && p.flag.as_ref().is_none_or(|f| opt(&f.reason, true))
    }) && ledger.entries.iter().all(|e| {
        line(&e.id)
            && line(&e.person)
            && match &e.detail {
                Detail::Gave(f) | Detail::Got(f) => line(&f.what),
                Detail::Met(m) => opt(&m.note, true),
                Detail::Ask(r) => line(&r.what) && opt(&r.note, true),
            }
    })
}

fn read_entry(
    record: &[u8],
    people: &[Person],
    aux: &[u8],
    texts: &Texts,
) -> Result<Entry, Invalid> {
    let mut r = Reader::new(record);
    let id = texts.string(r.reference()?)?;
    let person = people
        .get(r.u32()? as usize)
        .ok_or(Invalid::Corrupt("entry person"))?
        .id
        .clone();
    let date = r.date()?;
    let recorded_secs = r.i64()?;
    let updated_secs = r.i64()?;
    let recorded = instant(recorded_secs, r.u32()?)?;
    let updated = instant(updated_secs, r.u32()?)?;
    let [entry_type, sub, weight, status] = r.array::<4>()?;
    let text = r.reference()?;
    let aux_at = r.u32()?;
    let mut a = if aux_at == NONE {
        None
    } else {
        Some(Reader::new(
            aux.get(aux_at as usize..)
                .ok_or(Invalid::Corrupt("aux offset"))?,
        ))
    };
    let detail = match entry_type {
        0 | 1 => {
            let favour = Favour {
                what: texts.string(text)?,
                kind: from_position(Kind::ALL, sub)?,
                weight,
                resolves: match &mut a {
                    Some(a) => texts.opt_string(a.reference()?)?,
                    None => None,
                },
            };
            if entry_type == 0 {
                Detail::Gave(favour)
            } else {
                Detail::Got(favour)
            }
        }
        2 => Detail::Met(Meeting {
            how: from_position(How::ALL, sub)?,
            note: texts.opt_string(text)?,
        }),
        3 => {
            let (nudges, note) = match &mut a {
                Some(a) => {
                    let n = a.u32()? as usize;
                    let mut nudges = Vec::with_capacity(n.min(a.remaining() / 4));
                    for _ in 0..n {
                        nudges.push(a.date()?);
                    }
                    (nudges, texts.opt_string(a.reference()?)?)
                }
                None => (Vec::new(), None),
            };
            Detail::Ask(Request {
                what: texts.string(text)?,
                direction: from_position(Direction::ALL, sub)?,
                status: from_position(Status::ALL, status)?,
                nudges,
                note,
            })
        }
        _ => return Err(Invalid::Corrupt("entry type")),
    };
    let (source_id, extra) = match &mut a {
        Some(a) => (
            texts.opt_string(a.reference()?)?,
            texts.extra(a.reference()?)?,
        ),
        None => (None, Extra::new()),
    };
    Ok(Entry {
        id,
        person,
        date,
        recorded,
        updated,
        detail,
        source_id,
        extra,
    })
}

fn read_person(r: &mut Reader, texts: &Texts) -> Result<Person, Invalid> {
    let id = texts.string(r.reference()?)?;
    let name = texts.string(r.reference()?)?;
    let aliases = read_strings(r, texts)?;
    let emails = read_strings(r, texts)?;
    let phones = read_strings(r, texts)?;
    let urls = read_strings(r, texts)?;
    let org = texts.opt_string(r.reference()?)?;
    let tags = read_strings(r, texts)?;
    let how_met = texts.opt_string(r.reference()?)?;
    let met_on = r.opt_date()?;
    let notes = texts.opt_string(r.reference()?)?;
    let cadence_days = match r.u8()? {
        0 => None,
        _ => Some(r.u32()?),
    };
    let birthday = match r.reference()? {
        Ref { len: NONE, .. } => None,
        at => Some(texts.json(at)?),
    };
    let dates = match r.reference()? {
        Ref { len: NONE, .. } => Vec::new(),
        at => texts.json(at)?,
    };
    let snoozed_until = r.opt_date()?;
    let source = texts.opt_string(r.reference()?)?;
    let need_count = r.u32()? as usize;
    let mut needs = Vec::with_capacity(need_count.min(r.remaining() / 8));
    for _ in 0..need_count {
        needs.push(Need {
            id: texts.string(r.reference()?)?,
            text: texts.string(r.reference()?)?,
            since: r.date()?,
            done: r.u8()? != 0,
            extra: texts.extra(r.reference()?)?,
        });
    }
    let flag = match r.u8()? {
        0 => None,
        _ => Some(Flag {
            date: r.date()?,
            reason: texts.opt_string(r.reference()?)?,
            extra: texts.extra(r.reference()?)?,
        }),
    };
    let archived = r.u8()? != 0;
    let created_secs = r.i64()?;
    let created = instant(created_secs, r.u32()?)?;
    let updated_secs = r.i64()?;
    let updated = instant(updated_secs, r.u32()?)?;
    let extra = texts.extra(r.reference()?)?;
    Ok(Person {
        id,
        name,
        aliases,
        emails,
        phones,
        urls,
        org,
        tags,
        how_met,
        met_on,
        notes,
        cadence_days,
        birthday,
        dates,
        snoozed_until,
        source,
        needs,
        flag,
        archived,
        created,
        updated,
        extra,
    })
}

fn read_strings(r: &mut Reader, texts: &Texts) -> Result<Vec<String>, Invalid> {
    let n = r.u32()? as usize;
    let mut out = Vec::with_capacity(n.min(r.remaining() / 8));
    for _ in 0..n {
        out.push(texts.string(r.reference()?)?);
    }
    Ok(out)
}

/// A span of the text heap: offset and length, `len == NONE` for `None`.
#[derive(Debug, Clone, Copy)]
struct Ref {
    at: u32,
    len: u32,
}

const NO_TEXT: Ref = Ref { at: 0, len: NONE };

/// The sections being written.
#[derive(Default)]
struct Writer {
    heap: Vec<u8>,
    people: Vec<u8>,
    aux: Vec<u8>,
}

impl Writer {
    fn text(&mut self, text: &str) -> Option<Ref> {
        let at = u32::try_from(self.heap.len()).ok()?;
        let len = u32::try_from(text.len()).ok().filter(|len| *len != NONE)?;
        self.heap.extend_from_slice(text.as_bytes());
        u32::try_from(self.heap.len()).ok()?;
        Some(Ref { at, len })
    }

    fn opt_text(&mut self, text: &Option<String>) -> Option<Ref> {
        match text {
            Some(text) => self.text(text),
            None => Some(NO_TEXT),
        }
    }

    /// Values of any shape (settings, unknown keys) travel as JSON text.
    fn json(&mut self, value: &impl serde::Serialize) -> Option<Ref> {
        let text = serde_json::to_string(value).ok()?;
        self.text(&text)
    }

    fn extra(&mut self, extra: &Extra) -> Option<Ref> {
        if extra.is_empty() {
            Some(NO_TEXT)
        } else {
            self.json(extra)
        }
    }

    fn strings(&mut self, list: &[String]) -> Option<()> {
        put_u32(&mut self.people, u32::try_from(list.len()).ok()?);
        for item in list {
            let r = self.text(item)?;
            put_ref(&mut self.people, r);
        }
        Some(())
    }

    fn person_ref(&mut self, r: Option<Ref>) -> Option<()> {
        put_ref(&mut self.people, r?);
        Some(())
    }

    fn person(&mut self, person: &Person) -> Option<()> {
        let Person {
            id,
            name,
            aliases,
            emails,
            phones,
            urls,
            org,
            tags,
            how_met,
            met_on,
            notes,
            cadence_days,
            birthday,
            dates,
            snoozed_until,
            source,
            needs,
            flag,
            archived,
            created,
            updated,
            extra,
        } = person;
        let r = self.text(id);
        self.person_ref(r)?;
        let r = self.text(name);
        self.person_ref(r)?;
        self.strings(aliases)?;
        self.strings(emails)?;
        self.strings(phones)?;
        self.strings(urls)?;
        let r = self.opt_text(org);
        self.person_ref(r)?;
        self.strings(tags)?;
        let r = self.opt_text(how_met);
        self.person_ref(r)?;
        put_opt_date(&mut self.people, *met_on);
        let r = self.opt_text(notes);
        self.person_ref(r)?;
        match cadence_days {
            None => self.people.push(0),
            Some(days) => {
                self.people.push(1);
                put_u32(&mut self.people, *days);
            }
        }
        // Rare, and shaped by the model: as JSON text, none when absent.
        let r = match birthday {
            Some(birthday) => self.json(birthday),
            None => Some(NO_TEXT),
        };
        self.person_ref(r)?;
        let r = if dates.is_empty() {
            Some(NO_TEXT)
        } else {
            self.json(dates)
        };
        self.person_ref(r)?;
        put_opt_date(&mut self.people, *snoozed_until);
        let r = self.opt_text(source);
        self.person_ref(r)?;
        put_u32(&mut self.people, u32::try_from(needs.len()).ok()?);
        for need in needs {
            let Need {
                id,
                text,
                since,
                done,
                extra,
            } = need;
            let r = self.text(id);
            self.person_ref(r)?;
            let r = self.text(text);
            self.person_ref(r)?;
            put_i32(&mut self.people, day_number(*since));
            self.people.push(u8::from(*done));
            let r = self.extra(extra);
            self.person_ref(r)?;
        }
        match flag {
            None => self.people.push(0),
            Some(Flag {
                date,
                reason,
                extra,
            }) => {
                self.people.push(1);
                put_i32(&mut self.people, day_number(*date));
                let r = self.opt_text(reason);
                self.person_ref(r)?;
                let r = self.extra(extra);
                self.person_ref(r)?;
            }
        }
        self.people.push(u8::from(*archived));
        for at in [created, updated] {
            let (secs, nanos) = timestamp(*at);
            self.people.extend_from_slice(&secs.to_le_bytes());
            put_u32(&mut self.people, nanos);
        }
        let r = self.extra(extra);
        self.person_ref(r)
    }
}

/// The text heap; each text is checked as UTF-8 when it is read.
#[derive(Clone, Copy)]
struct Texts<'a> {
    heap: &'a [u8],
}

impl<'a> Texts<'a> {
    fn str(&self, r: Ref) -> Result<&'a str, Invalid> {
        let end = (r.at as usize)
            .checked_add(r.len as usize)
            .ok_or(Invalid::Corrupt("text span"))?;
        let bytes = self
            .heap
            .get(r.at as usize..end)
            .ok_or(Invalid::Corrupt("text span"))?;
        std::str::from_utf8(bytes).map_err(|_| Invalid::Corrupt("text"))
    }

    fn string(&self, r: Ref) -> Result<String, Invalid> {
        if r.len == NONE {
            return Err(Invalid::Corrupt("missing text"));
        }
        self.str(r).map(str::to_owned)
    }

    fn opt_string(&self, r: Ref) -> Result<Option<String>, Invalid> {
        if r.len == NONE {
            return Ok(None);
        }
        self.str(r).map(|s| Some(s.to_owned()))
    }

    fn json<T: serde::de::DeserializeOwned>(&self, r: Ref) -> Result<T, Invalid> {
        serde_json::from_str(self.str(r)?).map_err(|_| Invalid::Corrupt("json"))
    }

    fn extra(&self, r: Ref) -> Result<Extra, Invalid> {
        if r.len == NONE {
            return Ok(Extra::new());
        }
        self.json(r)
    }
}

/// Bounds-checked little-endian reads.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.at)
    }

    fn bytes(&mut self, len: usize) -> Result<&'a [u8], Invalid> {
        let end = self
            .at
            .checked_add(len)
            .ok_or(Invalid::Corrupt("truncated"))?;
        let out = self
            .bytes
            .get(self.at..end)
            .ok_or(Invalid::Corrupt("truncated"))?;
        self.at = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Invalid> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.bytes(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, Invalid> {
        Ok(self.array::<1>()?[0])
    }

    fn u32(&mut self) -> Result<u32, Invalid> {
        self.array().map(u32::from_le_bytes)
    }

    fn i32(&mut self) -> Result<i32, Invalid> {
        self.array().map(i32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, Invalid> {
        self.array().map(u64::from_le_bytes)
    }

    fn i64(&mut self) -> Result<i64, Invalid> {
        self.array().map(i64::from_le_bytes)
    }

    fn reference(&mut self) -> Result<Ref, Invalid> {
        Ok(Ref {
            at: self.u32()?,
            len: self.u32()?,
        })
    }

    fn date(&mut self) -> Result<NaiveDate, Invalid> {
        NaiveDate::from_num_days_from_ce_opt(self.i32()?).ok_or(Invalid::Corrupt("date"))
    }

    fn opt_date(&mut self) -> Result<Option<NaiveDate>, Invalid> {
        match self.u8()? {
            0 => Ok(None),
            _ => self.date().map(Some),
        }
    }
}

fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_i32(out: &mut Vec<u8>, value: i32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_ref(out: &mut Vec<u8>, r: Ref) {
    put_u32(out, r.at);
    put_u32(out, r.len);
}

fn put_opt_date(out: &mut Vec<u8>, day: Option<NaiveDate>) {
    match day {
        None => out.push(0),
        Some(day) => {
            out.push(1);
            put_i32(out, day_number(day));
        }
    }
}

fn day_number(day: NaiveDate) -> i32 {
    use chrono::Datelike;
    day.num_days_from_ce()
}

fn timestamp(at: DateTime<Utc>) -> (i64, u32) {
    (at.timestamp(), at.timestamp_subsec_nanos())
}

fn instant(secs: i64, nanos: u32) -> Result<DateTime<Utc>, Invalid> {
    DateTime::from_timestamp(secs, nanos).ok_or(Invalid::Corrupt("timestamp"))
}

fn position<T: PartialEq + Copy>(all: &[T], value: T) -> u8 {
    all.iter()
        .position(|v| *v == value)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

fn from_position<T: Copy>(all: &[T], at: u8) -> Result<T, Invalid> {
    all.get(usize::from(at))
        .copied()
        .ok_or(Invalid::Corrupt("enum"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{parse_ledger, to_pretty_json};

    fn sample() -> Ledger {
        let text = include_str!("../../examples/ledger.json");
        parse_ledger(text.as_bytes()).unwrap()
    }

    #[test]
    fn the_example_ledger_round_trips() {
        let ledger = sample();
        let bytes = to_pretty_json(&ledger).unwrap();
        let stamp = Stamp::of(&bytes);
        let snap = encode(&ledger, stamp, true).unwrap();
        assert_eq!(decode(&snap, &stamp).unwrap(), ledger);
        assert!(
            Parts::open(&snap, header(&snap).unwrap())
                .unwrap()
                .canonical()
        );
    }

    #[test]
    fn another_key_is_stale() {
        let ledger = sample();
        let snap = encode(&ledger, Stamp::of(b"one"), false).unwrap();
        assert_eq!(decode(&snap, &Stamp::of(b"two")), Err(Invalid::Stale));
        assert_eq!(decode(&snap, &Stamp::of(b"one!")), Err(Invalid::Stale));
    }

    #[test]
    fn every_truncation_and_every_flipped_bit_is_refused() {
        let ledger = sample();
        let key = Stamp::of(b"ledger");
        let snap = encode(&ledger, key, false).unwrap();
        for len in (0..snap.len()).step_by(7) {
            assert!(decode(&snap[..len], &key).is_err(), "cut at {len}");
        }
        for at in (0..snap.len()).step_by(11) {
            for bit in [0, 3, 7] {
                let mut bad = snap.clone();
                bad[at] ^= 1 << bit;
                assert!(decode(&bad, &key).is_err(), "bit {bit} of byte {at}");
            }
        }
    }

    #[test]
    fn another_layout_or_magic_is_foreign() {
        let ledger = sample();
        let key = Stamp::of(b"ledger");
        let mut snap = encode(&ledger, key, false).unwrap();
        snap[8] = snap[8].wrapping_add(1);
        assert_eq!(decode(&snap, &key), Err(Invalid::Foreign));
        snap[0] = b'X';
        assert_eq!(decode(&snap, &key), Err(Invalid::Foreign));
    }
}
