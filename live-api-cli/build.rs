//! Embeds the spec files in the binary: the command line builds its subcommands, typed flags and
//! help from the same folder the `generate!` macro read, so the two cannot disagree.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let specs = manifest.join("../api-specs");
    println!("cargo:rerun-if-changed=../api-specs");
    let mut files = Vec::new();
    walk(&specs, &specs, &mut files);
    files.sort();
    let mut out =
        String::from("/// Every spec file: (path below `api-specs/`, text).\npub const SPECS: &[(&str, &str)] = &[\n");
    for f in &files {
        let rel: Vec<String> =
            f.strip_prefix(&specs).unwrap_or(f).iter().map(|p| p.to_string_lossy().into_owned()).collect();
        let abs = f.canonicalize().unwrap_or_else(|_| f.clone());
        let _ = writeln!(out, "    ({:?}, include_str!({:?})),", rel.join("/"), abs.display().to_string());
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("specs.rs");
    std::fs::write(dest, out).expect("write specs.rs");
}

/// The `*.json` files below `root`, except those directly in it (README, schema), as the macro
/// reads them.
fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "json") && dir != root {
            out.push(path);
        }
    }
}
