//! An entry as the reads see it, wherever it lives: the [`Fact`] trait.
//!
//! The advice (balance, who, check, followups, report, stats) reads entries
//! but never changes them, so it does not need an owned [`Entry`]. It reads
//! them through [`Fact`], which an `&Entry` of a parsed ledger implements and
//! so does a record of the binary snapshot (`core::snapshot::Record`), read in
//! place from the memory map: no allocation and no copy of any text. Every
//! rule is written once, against the trait, so both sources give the same
//! answer by construction.
//!
//! [`Brief`] is the part without text that the hot loops read (a balance
//! over 200,000 entries touches nothing else); [`DetailRef`] is the whole
//! detail with its texts borrowed, for the few entries a command shows.

use chrono::{DateTime, NaiveDate, Utc};

use crate::core::model::{Detail, Direction, Entry, EntryType, How, Kind, Status};

/// What an entry records, without its texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Brief {
    Gave {
        kind: Kind,
        weight: u8,
    },
    Got {
        kind: Kind,
        weight: u8,
    },
    Met {
        how: How,
    },
    Ask {
        direction: Direction,
        status: Status,
    },
}

/// A favour with its texts borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FavourRef<'a> {
    pub what: &'a str,
    pub kind: Kind,
    pub weight: u8,
    /// The request this favour answers.
    pub resolves: Option<&'a str>,
}

/// A meeting with its note borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingRef<'a> {
    pub how: How,
    pub note: Option<&'a str>,
}

/// A request with its texts and nudges borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestRef<'a> {
    pub what: &'a str,
    pub direction: Direction,
    pub status: Status,
    pub nudges: Dates<'a>,
    pub note: Option<&'a str>,
}

/// [`Detail`] with its texts borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailRef<'a> {
    Gave(FavourRef<'a>),
    Got(FavourRef<'a>),
    Met(MeetingRef<'a>),
    Ask(RequestRef<'a>),
}

/// A list of days, borrowed from a parsed ledger or from snapshot bytes
/// (little-endian day numbers, see `core::snapshot`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dates<'a> {
    Slice(&'a [NaiveDate]),
    Raw(&'a [u8]),
}

impl<'a> Dates<'a> {
    pub const EMPTY: Dates<'static> = Dates::Slice(&[]);

    /// The days in order. A day number out of chrono's range (a snapshot
    /// never holds one: it was written from dates) is left out.
    pub fn iter(self) -> impl Iterator<Item = NaiveDate> + 'a {
        let (slice, raw) = match self {
            Dates::Slice(s) => (s, &[][..]),
            Dates::Raw(r) => (&[][..], r),
        };
        slice
            .iter()
            .copied()
            .chain(raw.chunks_exact(4).filter_map(|c| {
                let n = i32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                NaiveDate::from_num_days_from_ce_opt(n)
            }))
    }

    pub fn to_vec(self) -> Vec<NaiveDate> {
        self.iter().collect()
    }
}

impl<'a> DetailRef<'a> {
    /// The part without texts.
    pub fn brief(self) -> Brief {
        match self {
            DetailRef::Gave(f) => Brief::Gave {
                kind: f.kind,
                weight: f.weight,
            },
            DetailRef::Got(f) => Brief::Got {
                kind: f.kind,
                weight: f.weight,
            },
            DetailRef::Met(m) => Brief::Met { how: m.how },
            DetailRef::Ask(r) => Brief::Ask {
                direction: r.direction,
                status: r.status,
            },
        }
    }
}

impl Brief {
    pub fn entry_type(self) -> EntryType {
        match self {
            Brief::Gave { .. } => EntryType::Gave,
            Brief::Got { .. } => EntryType::Got,
            Brief::Met { .. } => EntryType::Met,
            Brief::Ask { .. } => EntryType::Ask,
        }
    }

    /// A meaningful exchange: a favour either way or a meeting (a bare request is not).
    pub fn is_exchange(self) -> bool {
        !matches!(self, Brief::Ask { .. })
    }
}

/// One entry as a read sees it. Cheap to copy: a reference, or a reference
/// and a record number.
pub trait Fact<'a>: Copy {
    fn id(self) -> &'a str;
    fn date(self) -> NaiveDate;
    /// The date as a day number (days from the common era, as chrono
    /// counts them), for loops that only compare dates: a snapshot record
    /// answers it without building a date.
    fn day(self) -> i32 {
        use chrono::Datelike;
        self.date().num_days_from_ce()
    }
    fn updated(self) -> DateTime<Utc>;
    /// What it records, without texts: all a balance needs.
    fn brief(self) -> Brief;
    /// What it records, texts borrowed.
    fn detail(self) -> DetailRef<'a>;

    /// The request a favour answers, if it names one.
    fn resolves(self) -> Option<&'a str> {
        self.favour().and_then(|f| f.resolves)
    }

    fn favour(self) -> Option<FavourRef<'a>> {
        match self.detail() {
            DetailRef::Gave(f) | DetailRef::Got(f) => Some(f),
            _ => None,
        }
    }

    fn request(self) -> Option<RequestRef<'a>> {
        match self.brief() {
            Brief::Ask { .. } => match self.detail() {
                DetailRef::Ask(r) => Some(r),
                _ => None,
            },
            _ => None,
        }
    }

    fn entry_type(self) -> EntryType {
        self.brief().entry_type()
    }

    fn is_exchange(self) -> bool {
        self.brief().is_exchange()
    }
}

impl<'a> Fact<'a> for &'a Entry {
    fn id(self) -> &'a str {
        &self.id
    }

    fn date(self) -> NaiveDate {
        self.date
    }

    fn updated(self) -> DateTime<Utc> {
        self.updated
    }

    fn brief(self) -> Brief {
        self.detail().brief()
    }

    fn detail(self) -> DetailRef<'a> {
        let favour = |f: &'a crate::core::model::Favour| FavourRef {
            what: &f.what,
            kind: f.kind,
            weight: f.weight,
            resolves: f.resolves.as_deref(),
        };
        match &self.detail {
            Detail::Gave(f) => DetailRef::Gave(favour(f)),
            Detail::Got(f) => DetailRef::Got(favour(f)),
            Detail::Met(m) => DetailRef::Met(MeetingRef {
                how: m.how,
                note: m.note.as_deref(),
            }),
            Detail::Ask(r) => DetailRef::Ask(RequestRef {
                what: &r.what,
                direction: r.direction,
                status: r.status,
                nudges: Dates::Slice(&r.nudges),
                note: r.note.as_deref(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_dates_read_back_the_day_numbers() {
        use chrono::Datelike;
        let days = ["2026-01-02", "1999-12-31"].map(|d| d.parse::<NaiveDate>().unwrap());
        let raw: Vec<u8> = days
            .iter()
            .flat_map(|d| d.num_days_from_ce().to_le_bytes())
            .chain(i32::MAX.to_le_bytes())
            .collect();
        assert_eq!(Dates::Raw(&raw).to_vec(), days.to_vec());
        assert_eq!(Dates::Slice(&days).to_vec(), days.to_vec());
    }
}
