//! Date phrases relative to any representable `today`: a date or an error,
//! never a panic (overflow near the ends of chrono's range included).
#![no_main]

use arbitrary::Arbitrary;
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    days_from_ce: i32,
    phrase: String,
}

fuzz_target!(|input: Input| {
    let today = NaiveDate::from_num_days_from_ce_opt(input.days_from_ce).unwrap_or(NaiveDate::MIN);
    if let Ok(date) = kith::core::dates::parse(&input.phrase, today) {
        let _ = kith::core::dates::relative(date, today);
    }
    if let Ok(date) = kith::core::dates::parse_past(&input.phrase, today) {
        assert!(date <= today);
    }
});
