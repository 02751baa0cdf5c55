//! Replays the checked-in fuzz corpus (`fuzz/corpus/<target>/*`) through the
//! same invariant checks the cargo-fuzz targets run (this crate), so a plain
//! `cargo test` guards every regression the fuzzer ever found, without
//! libFuzzer or nightly. See docs/FUZZING.md.

use std::fs;
use std::path::Path;

use schacc_fuzz_checks::{percent_decode, TARGETS};

#[test]
fn every_corpus_file_passes_its_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
    let mut total = 0;
    for (target, check) in TARGETS {
        let dir = root.join(target);
        let mut files: Vec<_> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("readable entry").path())
            .filter(|path| path.is_file())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no corpus for {target}");
        for path in &files {
            let data = fs::read(path).expect("readable corpus file");
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(
                outcome.is_ok(),
                "{target}: {} broke an invariant",
                path.display()
            );
        }
        total += files.len();
    }
    assert!(total >= 25, "the corpus shrank to {total} files");
}

/// The checks reject what they must: a sanity test of the harness itself.
#[test]
fn checks_decode_and_run_on_empty_and_random_inputs() {
    for (_, check) in TARGETS {
        check(&[]);
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2_000 {
            let data: Vec<u8> = (0..64)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            check(&data);
        }
    }
    assert_eq!(percent_decode("a%20b%C3%A6"), Some("a bæ".into()));
    assert_eq!(percent_decode("%4"), None);
}
