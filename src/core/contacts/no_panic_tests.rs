//! The contact parsers never panic: arbitrary bytes and mutated vCards
//! (property tests). The parsers against real exports are integration tests
//! (`tests/cli/interop/parsers.rs`): they read files, which core never does.

use proptest::prelude::*;

use super::{Source, parse};

/// A small card with the features parsers trip over, to mutate.
const SEED: &[u8] = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:\x88\xc0;x\r\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=C3=91 =\r\n=C3=91\r\nitem1.EMAIL;type=pref:a@b\r\nPHOTO;ENCODING=BASE64;JPEG:/9j/4AAQ\r\n AAAA\r\n\r\nORG:A;B\\;C\r\nEND:VCARD\r\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for source in [Source::Vcard, Source::Linkedin, Source::Google, Source::Csv] {
            let _ = parse(source, &bytes, &[]);
        }
    }

    #[test]
    fn mutated_cards_never_panic(
        cut in 0..SEED.len(),
        flips in proptest::collection::vec((0..SEED.len(), any::<u8>()), 0..6),
    ) {
        let mut bytes = SEED.to_vec();
        for (at, byte) in flips {
            if let Some(slot) = bytes.get_mut(at) {
                *slot = byte;
            }
        }
        bytes.truncate(cut.max(1));
        let _ = parse(Source::Vcard, &bytes, &[]);
        let _ = parse(Source::Vcard, &[&bytes[..], &bytes[..]].concat(), &[]);
    }
}
