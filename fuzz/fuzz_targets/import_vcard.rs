//! The vCard importer on arbitrary bytes (folding, quoted-printable, charsets,
//! groups): contacts and counted problems, or an error; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kith::core::contacts::vcard::parse_vcard(data);
});
