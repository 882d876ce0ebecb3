//! The ledger loader on arbitrary bytes: it must return a ledger or an error,
//! never panic; and whatever it accepts must survive save -> load unchanged.
#![no_main]

use kith::core::model::{parse_ledger, to_pretty_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(ledger) = parse_ledger(data) {
        let Ok(bytes) = to_pretty_json(&ledger) else {
            panic!("an accepted ledger could not be saved")
        };
        match parse_ledger(&bytes) {
            Ok(again) => assert_eq!(again, ledger, "save -> load changed the ledger"),
            Err(err) => panic!("kith could not read what it wrote: {err:?}"),
        }
    }
});
