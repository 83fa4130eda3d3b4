//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/`) through the fuzz targets' bodies
//! (`fuzz/src/lib.rs`, compiled here as a module), so that every seed and every minimised crash
//! keeps passing on the stable toolchain without cargo-fuzz. `fuzz/run.sh` fuzzes them.

#[path = "../../fuzz/src/lib.rs"]
mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// A target's body.
type Target = fn(&[u8]);

/// Every target, by the name of its binary and corpus folder.
const TARGETS: [(&str, Target); 5] = [
    ("spec", targets::spec),
    ("answer", targets::answer),
    ("usersig", targets::usersig),
    ("webhook", targets::webhook),
    ("gateway", targets::gateway),
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str) {
    let run = TARGETS.iter().find(|(name, _)| *name == target).unwrap().1;
    let files = files(&corpus().join(target));
    assert!(!files.is_empty(), "the {target} corpus is empty");
    let mut failed = Vec::new();
    for file in &files {
        let data = std::fs::read(file).unwrap();
        if catch_unwind(AssertUnwindSafe(|| run(&data))).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(failed.is_empty(), "{} of {} {target} inputs fail: {failed:#?}", failed.len(), files.len());
}

#[test]
fn every_corpus_folder_is_a_target() {
    let mut dirs: Vec<String> =
        std::fs::read_dir(corpus()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    dirs.sort();
    let mut names: Vec<String> = TARGETS.iter().map(|(n, _)| n.to_string()).collect();
    names.sort();
    assert_eq!(dirs, names);
}

#[test]
fn spec_corpus_passes() {
    replay("spec");
}

#[test]
fn answer_corpus_passes() {
    replay("answer");
}

#[test]
fn usersig_corpus_passes() {
    replay("usersig");
}

#[test]
fn webhook_corpus_passes() {
    replay("webhook");
}

#[test]
fn gateway_corpus_passes() {
    replay("gateway");
}
