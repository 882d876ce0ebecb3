//! The mail reader on arbitrary bytes: the input is cut at each `\0` into
//! messages (headers in any shape, replies in any order) fed to the
//! conversation finder. Never a panic; every conversation falls inside the
//! window and is with someone other than the user.
#![no_main]

use chrono::NaiveDate;
use kith::core::contacts::exchanges::Window;
use kith::core::contacts::mail::Conversations;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (Some(since), Some(today)) = (
        NaiveDate::from_ymd_opt(2025, 11, 20),
        NaiveDate::from_ymd_opt(2026, 11, 20),
    ) else {
        return;
    };
    let me = vec!["me@example.org".to_string()];
    let mut conversations = Conversations::new(&me, Window { since, today }, true);
    for message in data.split(|b| *b == 0) {
        conversations.add_raw(message);
    }
    let found = conversations.finish();
    for exchange in &found.exchanges {
        assert!(exchange.date >= since && exchange.date <= today);
        assert!(exchange.addresses.iter().all(|a| !me.contains(a)));
    }
});
