//! The two generators compared, and where their files go under `target/perf/`.

use std::path::{Path, PathBuf};

pub const PROGENITOR_VERSION: &str = "0.15.1";

/// live-api's `generate!` or progenitor's `generate_api!`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Side {
    Ours,
    Progenitor,
}

impl Side {
    pub const BOTH: [Side; 2] = [Side::Ours, Side::Progenitor];
    pub fn parse(s: &str) -> Side {
        match s {
            "ours" => Side::Ours,
            "progenitor" => Side::Progenitor,
            _ => panic!("side must be `ours` or `progenitor`, not {s}"),
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Side::Ours => "ours",
            Side::Progenitor => "progenitor",
        }
    }
    /// The package of the crate of `n` synthetic endpoints.
    pub fn package(self, n: usize) -> String {
        format!("bench-{}-n{n}", self.name())
    }
    /// What the generator reads: the spec folder, or the OpenAPI document.
    pub fn input(self, crate_dir: &Path) -> PathBuf {
        match self {
            Side::Ours => crate_dir.join("specs"),
            Side::Progenitor => crate_dir.join("openapi.json"),
        }
    }
}

/// The live-api workspace.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// Where everything is written: `target/perf/` of the live-api workspace.
pub fn out_dir() -> PathBuf {
    root().join("target/perf")
}

/// The generated cargo workspace of a side.
pub fn ws_dir(side: Side) -> PathBuf {
    out_dir().join(side.name())
}

/// The crate of `n` synthetic endpoints in a side's workspace.
pub fn crate_dir(side: Side, n: usize) -> PathBuf {
    ws_dir(side).join(format!("n{n}"))
}
