//! The calendar reader on arbitrary bytes: events, recurrence rules, time
//! zones and attendees in any shape. Never a panic; every exchange it finds
//! falls inside the window and never names the user.
#![no_main]

use chrono::NaiveDate;
use kith::core::contacts::exchanges::Window;
use kith::core::contacts::ics::{CalendarOptions, read_calendar};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (Some(since), Some(today)) = (
        NaiveDate::from_ymd_opt(2025, 11, 20),
        NaiveDate::from_ymd_opt(2026, 11, 20),
    ) else {
        return;
    };
    let me = vec!["me@example.org".to_string()];
    let options = CalendarOptions {
        window: Window { since, today },
        me: &me,
        max_attendees: 8,
        home: chrono_tz::Europe::Berlin,
    };
    let found = read_calendar(data, &options);
    for exchange in &found.exchanges {
        assert!(exchange.date >= since && exchange.date <= today);
        assert!(!exchange.source_ids.is_empty());
    }
});
