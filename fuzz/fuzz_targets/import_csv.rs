//! The CSV importers (LinkedIn with its preamble, Google, generic with fuzzed
//! column mappings) on arbitrary bytes: never a panic.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    columns: Vec<(String, String)>,
    bytes: &'a [u8],
}

fuzz_target!(|input: Input<'_>| {
    let _ = kith::core::contacts::csv::parse_linkedin(input.bytes);
    let _ = kith::core::contacts::csv::parse_google(input.bytes);
    let _ = kith::core::contacts::csv::parse_csv(input.bytes, &input.columns);
});
